//! Reading and writing the parts of PKCS#7 (RFC 2315) / CMS (RFC 5652)
//! `ContentInfo` that pyOpenSSL's `PKCS7` exposes.

use const_oid::ObjectIdentifier;
use der::asn1::Any;
use der::{Decode, Encode, Header, Reader, SliceReader, Tag, TagNumber, Tagged};

use crate::crypto::asn1::ber;
use crate::crypto::asn1::oid::ids::{
    ID_DATA, ID_DIGESTED_DATA, ID_ENCRYPTED_DATA, ID_ENVELOPED_DATA, ID_SIGNED_AND_ENVELOPED_DATA,
    ID_SIGNED_DATA,
};
use crate::crypto::{Error, Result};

/// OpenSSL's short name of a PKCS#7 content type (`OBJ_nid2sn`), `UNDEF`
/// for types OpenSSL has no name for.
pub(crate) fn type_name(oid: &ObjectIdentifier) -> &'static str {
    match *oid {
        ID_DATA => "pkcs7-data",
        ID_SIGNED_DATA => "pkcs7-signedData",
        ID_ENVELOPED_DATA => "pkcs7-envelopedData",
        ID_SIGNED_AND_ENVELOPED_DATA => "pkcs7-signedAndEnvelopedData",
        ID_DIGESTED_DATA => "pkcs7-digestData",
        ID_ENCRYPTED_DATA => "pkcs7-encryptedData",
        _ => "UNDEF",
    }
}

/// What a PKCS#7 message holds, as far as the model goes.
#[derive(Debug, Clone)]
pub(crate) struct Parsed {
    /// The message in DER shape (BER input rewritten, see [`ber`]).
    pub(crate) der: Vec<u8>,
    pub(crate) content_type: ObjectIdentifier,
    /// DER of each certificate of a SignedData / SignedAndEnvelopedData, in
    /// file order (`None` for other types).
    pub(crate) certs: Option<Vec<Vec<u8>>>,
    /// DER of each CRL, in file order (`None` for other types).
    pub(crate) crls: Option<Vec<Vec<u8>>>,
}

fn corrupt(part: &'static str) -> impl Fn(der::Error) -> Error {
    move |e| Error::malformed_by(format!("PKCS#7 {part}"), e)
}

/// The full encodings of the elements inside a constructed value.
fn elements(value: &[u8], part: &'static str) -> Result<Vec<Vec<u8>>> {
    let mut r = SliceReader::new(value).map_err(corrupt(part))?;
    let mut out = Vec::new();
    while !r.is_finished() {
        let tlv = r.tlv_bytes().map_err(corrupt(part))?;
        out.push(tlv.to_vec());
    }
    Ok(out)
}

/// Certificates and CRLs of a `SignedData` or `SignedAndEnvelopedData`.
type CertsAndCrls = (Vec<Vec<u8>>, Vec<Vec<u8>>);

fn signed_parts(content: &Any, signed_and_enveloped: bool) -> Result<CertsAndCrls> {
    let part = if signed_and_enveloped {
        "signedAndEnvelopedData"
    } else {
        "signedData"
    };
    if content.tag() != Tag::Sequence {
        return Err(Error::malformed(
            format!("PKCS#7 {part}"),
            format!("has tag {}, expected SEQUENCE", content.tag()),
        ));
    }
    let mut r = SliceReader::new(content.value()).map_err(corrupt(part))?;
    let parts = (|| -> der::Result<(Option<Any>, Option<Any>)> {
        let _version: Any = r.decode()?;
        if signed_and_enveloped {
            let _recipient_infos: Any = r.decode()?;
        }
        let _digest_algorithms: Any = r.decode()?;
        // contentInfo (SignedData) or encryptedContentInfo (SignedAndEnvelopedData)
        let _content: Any = r.decode()?;
        let mut certs = None;
        let mut crls = None;
        while !r.is_finished() {
            let h = Header::peek(&r)?;
            match h.tag() {
                Tag::ContextSpecific {
                    constructed: true,
                    number: TagNumber(0),
                } if certs.is_none() && crls.is_none() => certs = Some(r.decode()?),
                Tag::ContextSpecific {
                    constructed: true,
                    number: TagNumber(1),
                } if crls.is_none() => crls = Some(r.decode()?),
                _ => {
                    let _signer_infos: Any = r.decode()?;
                    break;
                }
            }
        }
        r.finish()?;
        Ok((certs, crls))
    })()
    .map_err(corrupt(part))?;
    let (certs, crls) = parts;
    let certs = match certs {
        Some(c) => elements(c.value(), "certificates")?,
        None => Vec::new(),
    };
    for (i, c) in certs.iter().enumerate() {
        if c.first() != Some(&0x30) {
            return Err(Error::malformed("PKCS#7 certificates", format!("entry {i} is not an X.509 certificate (other CertificateChoices are not supported)")));
        }
    }
    let crls = match crls {
        Some(c) => elements(c.value(), "crls")?,
        None => Vec::new(),
    };
    Ok((certs, crls))
}

/// Reads a PKCS#7 `ContentInfo` from DER or BER bytes.
pub(crate) fn parse(data: &[u8]) -> Result<Parsed> {
    let der = ber::normalize(data, "PKCS#7")?.into_owned();
    let (content_type, content) = {
        let any = Any::from_der(&der).map_err(corrupt("ContentInfo"))?;
        if any.tag() != Tag::Sequence {
            return Err(Error::malformed(
                "PKCS#7 ContentInfo",
                format!("has tag {}, expected SEQUENCE", any.tag()),
            ));
        }
        let mut r = SliceReader::new(any.value()).map_err(corrupt("ContentInfo"))?;
        (|| -> der::Result<(ObjectIdentifier, Option<Any>)> {
            let oid: ObjectIdentifier = r.decode()?;
            let content = der::asn1::ContextSpecific::<Any>::decode_explicit(&mut r, TagNumber(0))?
                .map(|c| c.value);
            r.finish()?;
            Ok((oid, content))
        })()
        .map_err(corrupt("ContentInfo"))?
    };
    let (certs, crls) = match (content_type, &content) {
        (ID_SIGNED_DATA, Some(c)) => {
            let (a, b) = signed_parts(c, false)?;
            (Some(a), Some(b))
        }
        (ID_SIGNED_AND_ENVELOPED_DATA, Some(c)) => {
            let (a, b) = signed_parts(c, true)?;
            (Some(a), Some(b))
        }
        (ID_SIGNED_DATA | ID_SIGNED_AND_ENVELOPED_DATA, None) => {
            return Err(Error::malformed(
                "PKCS#7 ContentInfo",
                format!("{} without content", type_name(&content_type)),
            ))
        }
        _ => (None, None),
    };
    Ok(Parsed {
        der,
        content_type,
        certs,
        crls,
    })
}

/// The degenerate certs-only `SignedData` that `openssl crl2pkcs7 -nocrl`
/// writes: version 1, no digest algorithms, empty id-data content, the
/// certificates in the given order (and the CRLs), no signers.
pub(crate) fn certs_only(certs: &[&[u8]], crls: &[&[u8]]) -> Result<Vec<u8>> {
    fn tlv(tag: u8, content: &[u8]) -> Result<Vec<u8>> {
        let mut out = vec![tag];
        let len = der::Length::try_from(content.len())?;
        len.encode(&mut out)?;
        out.extend_from_slice(content);
        Ok(out)
    }
    let mut body = Vec::new();
    body.extend_from_slice(&1u8.to_der()?); // version
    body.extend_from_slice(&tlv(0x31, &[])?); // digestAlgorithms
    body.extend_from_slice(&tlv(0x30, &ID_DATA.to_der()?)?); // contentInfo
    if !certs.is_empty() {
        body.extend_from_slice(&tlv(0xa0, &certs.concat())?);
    }
    if !crls.is_empty() {
        body.extend_from_slice(&tlv(0xa1, &crls.concat())?);
    }
    body.extend_from_slice(&tlv(0x31, &[])?); // signerInfos
    let signed = tlv(0x30, &body)?;
    let mut ci = ID_SIGNED_DATA.to_der()?;
    ci.extend_from_slice(&tlv(0xa0, &signed)?);
    tlv(0x30, &ci)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::test_vectors::{sha256_hex, vector};

    #[test]
    fn certs_only_bundle_matches_crl2pkcs7_byte_for_byte() {
        let leaf = vector("certs/leaf.der");
        let inter = vector("certs/inter_ec.der");
        let ours = certs_only(&[&leaf, &inter], &[]).unwrap();
        assert_eq!(ours, vector("pkcs7/certs.p7b.der"));
        let p = parse(&ours).unwrap();
        assert_eq!(p.content_type, ID_SIGNED_DATA);
        assert_eq!(p.certs.unwrap(), vec![leaf, inter]);
        assert_eq!(p.crls.unwrap().len(), 0);
    }

    #[test]
    fn reads_the_der_vectors() {
        let p = parse(&vector("pkcs7/signed-detached.p7s.der")).unwrap();
        let hashes: Vec<String> = p.certs.unwrap().iter().map(|c| sha256_hex(c)).collect();
        assert_eq!(
            hashes,
            [
                "24dd18578b85f35bca7397a45e3f2aee2f9c746a9aa6878ed358ee3d3054705e",
                "f87c046769850a69daa6b593eb245d9c709a02dba150855685480d2371eadf85"
            ]
        );
        for (f, name) in [
            ("pkcs7/enveloped.p7m.der", "pkcs7-envelopedData"),
            ("pkcs7/data.p7.der", "pkcs7-data"),
            ("pkcs7/digested.p7.der", "pkcs7-digestData"),
        ] {
            let p = parse(&vector(f)).unwrap();
            assert_eq!(type_name(&p.content_type), name);
            assert!(p.certs.is_none());
        }
    }

    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        der::Length::try_from(content.len())
            .unwrap()
            .encode(&mut out)
            .unwrap();
        out.extend_from_slice(content);
        out
    }

    /// No CLI writes SignedAndEnvelopedData: a minimal one built by hand.
    #[test]
    fn signed_and_enveloped_data() {
        let leaf = vector("certs/leaf.der");
        let crl = vector("crl/root.crl.der");
        let alg = tlv(
            0x30,
            &[
                0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a,
            ],
        );
        let eci = tlv(0x30, &[ID_DATA.to_der().unwrap(), alg].concat());
        let body = [
            1u8.to_der().unwrap(),
            tlv(0x31, &[]),
            tlv(0x31, &[]),
            eci,
            tlv(0xa0, &leaf),
            tlv(0xa1, &crl),
            tlv(0x31, &[]),
        ]
        .concat();
        let ci = tlv(
            0x30,
            &[
                ID_SIGNED_AND_ENVELOPED_DATA.to_der().unwrap(),
                tlv(0xa0, &tlv(0x30, &body)),
            ]
            .concat(),
        );
        let p = parse(&ci).unwrap();
        assert_eq!(type_name(&p.content_type), "pkcs7-signedAndEnvelopedData");
        assert_eq!(p.certs.unwrap(), vec![leaf]);
        assert_eq!(p.crls.unwrap(), vec![crl]);
    }

    #[test]
    fn truncated_input_says_where() {
        let data = vector("pkcs7/certs.p7b.der");
        let e = parse(&data[..100]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid PKCS#7 encoding: length runs past the end of the data at byte offset 0"
        );
    }
}
