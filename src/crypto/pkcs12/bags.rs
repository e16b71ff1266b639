//! The PFX structure of RFC 7292: reading every bag OpenSSL reads, and
//! writing the layout `PKCS12_create` writes.

use const_oid::ObjectIdentifier;
use der::asn1::{Any, OctetString, SetOfVec};
use der::{Decode, Encode, Reader, Sequence, Tag, Tagged};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;
use zeroize::Zeroizing;

use super::kdf::Password;
use super::mac::MacData;
use super::pbe::{self, Scheme};
use crate::crypto::asn1::ber;
use crate::crypto::{Error, MessageDigest, Result};

use crate::crypto::asn1::oid::ids::{
    CERT_BAG, FRIENDLY_NAME, ID_DATA, ID_ENCRYPTED_DATA, ID_ENVELOPED_DATA, ID_SIGNED_DATA,
    KEY_BAG, LOCAL_KEY_ID, SAFE_CONTENTS_BAG, SHROUDED_KEY_BAG, X509_CERTIFICATE,
};

/// How deep `safeContentsBag`s may nest.
const MAX_NESTING: usize = 8;

/// `PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, macData MacData OPTIONAL }`.
#[derive(Sequence)]
struct Pfx {
    version: u8,
    auth_safe: ContentInfo,
    mac_data: Option<MacData>,
}

/// `ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY OPTIONAL }`.
#[derive(Sequence)]
struct ContentInfo {
    content_type: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    content: Option<Any>,
}

/// `SafeBag ::= SEQUENCE { bagId OID, bagValue [0] EXPLICIT ANY, bagAttributes SET OF Attribute OPTIONAL }`.
#[derive(Sequence)]
struct SafeBag {
    bag_id: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    bag_value: Any,
    bag_attributes: Option<SetOfVec<Attribute>>,
}

/// `CertBag ::= SEQUENCE { certId OID, certValue [0] EXPLICIT ANY }`.
#[derive(Sequence)]
struct CertBag {
    cert_id: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    cert_value: Any,
}

/// `EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData OCTET STRING }`.
#[derive(Sequence)]
struct EncryptedPrivateKeyInfo {
    algorithm: AlgorithmIdentifierOwned,
    data: OctetString,
}

/// `EncryptedData` of PKCS#7 as written (the reader is [`parse_encrypted_data`],
/// which also takes the constructed BER form of `encryptedContent`).
#[derive(Sequence)]
struct EncryptedData {
    version: u8,
    content_info: EncryptedContentInfo,
}

#[derive(Sequence)]
struct EncryptedContentInfo {
    content_type: ObjectIdentifier,
    algorithm: AlgorithmIdentifierOwned,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    content: Option<OctetString>,
}

/// A certificate read from a `certBag`, with its bag attributes.
#[derive(Debug, Clone)]
pub(crate) struct CertEntry {
    /// The certificate's DER.
    pub(crate) der: Vec<u8>,
    /// `friendlyName`, converted to UTF-8.
    pub(crate) friendly_name: Option<String>,
    /// `localKeyID` (OpenSSL matches key and certificate by public key, so
    /// this is informational).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) local_key_id: Option<Vec<u8>>,
}

/// The private key read from a `keyBag` or `pkcs8ShroudedKeyBag`.
#[derive(Clone)]
pub(crate) struct KeyEntry {
    /// Unencrypted PKCS#8 PrivateKeyInfo DER.
    pub(crate) pkcs8: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for KeyEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyEntry { .. }")
    }
}

/// Everything a PFX holds that OpenSSL's `PKCS12_parse` looks at.
#[derive(Debug)]
pub(crate) struct Contents {
    /// The first private key (OpenSSL ignores further keys).
    pub(crate) key: Option<KeyEntry>,
    /// Every X.509 certificate, in file order.
    pub(crate) certs: Vec<CertEntry>,
}

/// Wraps a decoding error with the part of the file it happened in.
fn corrupt(part: &str) -> impl Fn(der::Error) -> Error + '_ {
    move |e| Error::malformed_by(format!("PKCS#12 {part}"), e)
}

fn content_octets(ci: &ContentInfo, part: &str) -> Result<Vec<u8>> {
    let any = ci
        .content
        .as_ref()
        .ok_or_else(|| Error::malformed(format!("PKCS#12 {part}"), "content is missing"))?;
    let os: OctetString = any.decode_as().map_err(corrupt(part))?;
    Ok(os.into_bytes().into_vec())
}

/// Decodes `bytes` (BER or DER) as `T`, naming `part` in errors.
fn decode<T: for<'a> Decode<'a, Error = der::Error>>(bytes: &[u8], part: &str) -> Result<T> {
    let norm = ber::normalize(bytes, "PKCS#12").map_err(|e| match e {
        Error::Malformed { reason, source, .. } => Error::Malformed {
            what: format!("PKCS#12 {part}"),
            reason,
            source,
        },
        other => other,
    })?;
    T::from_der(&norm).map_err(corrupt(part))
}

/// Reads `EncryptedData`, accepting both the primitive and the constructed
/// (BER) form of `encryptedContent [0] IMPLICIT OCTET STRING`.
///
/// Partly by hand rather than with the derived [`EncryptedData`]: OpenSSL
/// 3.0 reads the constructed form (Java and Windows write it), which the
/// derived `Option<OctetString>` under `[0] IMPLICIT` refuses even as BER
/// ([`ber::normalize`] cannot rewrite it: it does not know the implicit tag
/// hides an OCTET STRING). Tested against `openssl pkcs12 -info` in
/// `tests/api/pkcs12.rs` (`constructed_encrypted_content_reads_as_in_openssl`).
fn parse_encrypted_data(any: &Any) -> Result<(AlgorithmIdentifierOwned, Vec<u8>)> {
    let part = "encrypted safe contents";
    any.sequence(|r| {
        let version: u8 = r.decode()?;
        let eci: Any = r.decode()?;
        Ok::<_, der::Error>((version, eci))
    })
    .map_err(corrupt(part))
    .and_then(|(version, eci)| {
        if version != 0 {
            return Err(Error::malformed(
                format!("PKCS#12 {part}"),
                format!("EncryptedData version {version}, expected 0"),
            ));
        }
        eci.sequence(|r| {
            let _content_type: ObjectIdentifier = r.decode()?;
            let alg: AlgorithmIdentifierOwned = r.decode()?;
            let content: Option<Any> = if r.is_finished() {
                None
            } else {
                Some(r.decode()?)
            };
            Ok::<_, der::Error>((alg, content))
        })
        .map_err(corrupt(part))
    })
    .and_then(|(alg, content)| {
        let content = content.ok_or_else(|| {
            Error::malformed(format!("PKCS#12 {part}"), "encryptedContent is missing")
        })?;
        let bytes = match content.tag() {
            Tag::ContextSpecific {
                constructed: false,
                number,
            } if number.value() == 0 => content.value().to_vec(),
            Tag::ContextSpecific {
                constructed: true,
                number,
            } if number.value() == 0 => {
                // BER: the segments, joined as OpenSSL's asn1_collect does.
                ber::collect_string(content.value()).ok_or_else(|| {
                    Error::malformed(
                        format!("PKCS#12 {part}"),
                        "constructed encryptedContent with a bad segment",
                    )
                })?
            }
            other => {
                return Err(Error::malformed(
                    format!("PKCS#12 {part}"),
                    format!("encryptedContent has tag {other}, expected [0]"),
                ))
            }
        };
        Ok((alg, bytes))
    })
}

/// Converts a BMPString value (UTF-16BE) to UTF-8.
fn bmp_to_string(bytes: &[u8]) -> Result<String> {
    if !bytes.len().is_multiple_of(2) {
        return Err(Error::invalid_string(
            "PKCS#12 friendlyName",
            "BMPString of odd length",
        ));
    }
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16(&units).map_err(|e| {
        Error::invalid_string_by("PKCS#12 friendlyName", "BMPString is not valid UTF-16", e)
    })
}

/// The `friendlyName` and `localKeyID` bag attributes.
fn bag_attributes(
    attrs: Option<&SetOfVec<Attribute>>,
) -> Result<(Option<String>, Option<Vec<u8>>)> {
    let mut name = None;
    let mut key_id = None;
    for attr in attrs.into_iter().flat_map(|a| a.iter()) {
        let Some(value) = attr.values.iter().next() else {
            continue;
        };
        if attr.oid == FRIENDLY_NAME {
            if value.tag() != Tag::BmpString {
                return Err(Error::invalid_string(
                    "PKCS#12 friendlyName",
                    format!("has tag {}, expected BMPString", value.tag()),
                ));
            }
            name = Some(bmp_to_string(value.value())?);
        } else if attr.oid == LOCAL_KEY_ID {
            let os: OctetString = value.decode_as().map_err(corrupt("localKeyID"))?;
            key_id = Some(os.into_bytes().into_vec());
        }
    }
    Ok((name, key_id))
}

fn parse_bags(bags: Vec<SafeBag>, pass: &Password, out: &mut Contents, depth: usize) -> Result<()> {
    for bag in bags {
        match bag.bag_id {
            KEY_BAG if out.key.is_none() => {
                out.key = Some(KeyEntry {
                    pkcs8: Zeroizing::new(bag.bag_value.to_der()?),
                });
            }
            SHROUDED_KEY_BAG if out.key.is_none() => {
                let epki: EncryptedPrivateKeyInfo = bag
                    .bag_value
                    .decode_as()
                    .map_err(corrupt("pkcs8ShroudedKeyBag"))?;
                let pkcs8 = pbe::decrypt(&epki.algorithm, pass, epki.data.as_bytes())?;
                out.key = Some(KeyEntry { pkcs8 });
            }
            CERT_BAG => {
                let cb: CertBag = bag.bag_value.decode_as().map_err(corrupt("certBag"))?;
                if cb.cert_id != X509_CERTIFICATE {
                    // OpenSSL skips SDSI certificates.
                    continue;
                }
                let os: OctetString = cb.cert_value.decode_as().map_err(corrupt("certBag"))?;
                let (friendly_name, local_key_id) = bag_attributes(bag.bag_attributes.as_ref())?;
                out.certs.push(CertEntry {
                    der: os.into_bytes().into_vec(),
                    friendly_name,
                    local_key_id,
                });
            }
            SAFE_CONTENTS_BAG => {
                if depth >= MAX_NESTING {
                    return Err(Error::LimitExceeded {
                        what: "PKCS#12 safeContentsBag".into(),
                        reason: "nested too deeply".into(),
                    });
                }
                let inner: Vec<SafeBag> = decode(&bag.bag_value.to_der()?, "safeContentsBag")?;
                parse_bags(inner, pass, out, depth + 1)?;
            }
            // Further keys, CRL bags, secret bags: not part of the model
            // (OpenSSL's PKCS12_parse skips them too).
            _ => {}
        }
    }
    Ok(())
}

/// Reads a PFX as OpenSSL's `PKCS12_parse` does.
///
/// The password is checked against the MAC first. With no password (or an
/// empty one) both encodings OpenSSL uses for "no password" are tried: the
/// absent password and the empty BMPString. A file without a MAC only opens
/// without a password (as with `PKCS12_parse`).
pub(crate) fn parse(data: &[u8], password: Option<&[u8]>) -> Result<Contents> {
    let pfx: Pfx = decode(data, "PFX")?;
    check_pfx(&pfx)?;
    let auth = content_octets(&pfx.auth_safe, "authSafe")?;
    let pass = mac_password(pfx.mac_data.as_ref(), password, &auth)?;
    let safes: Vec<ContentInfo> = decode(&auth, "authenticated safe")?;
    let mut out = Contents {
        key: None,
        certs: Vec::new(),
    };
    for ci in safes {
        parse_bags(safe_bags(&ci, &pass)?, &pass, &mut out, 0)?;
    }
    Ok(out)
}

/// The PFX version (3) and an `id-data` authSafe (password integrity mode).
fn check_pfx(pfx: &Pfx) -> Result<()> {
    if pfx.version != 3 {
        return Err(Error::malformed(
            "PKCS#12 PFX",
            format!("version {}, expected 3", pfx.version),
        ));
    }
    match pfx.auth_safe.content_type {
        ID_DATA => Ok(()),
        ID_SIGNED_DATA => Err(Error::unsupported(
            "PKCS#12 public-key integrity mode (signedData authSafe)",
        )),
        other => Err(Error::malformed(
            "PKCS#12 PFX",
            format!("authSafe content type {other}, expected id-data"),
        )),
    }
}

/// The password that opens the file: checked against the MAC of `auth`
/// (with no password given, the absent one or else the empty one).
fn mac_password(mac: Option<&MacData>, password: Option<&[u8]>, auth: &[u8]) -> Result<Password> {
    let no_password = password.is_none_or(|p| p.is_empty());
    match mac {
        Some(mac) if no_password => {
            let absent = Password::absent();
            let empty = Password::new(b"");
            if mac.verifies(&absent, auth)? {
                Ok(absent)
            } else if mac.verifies(&empty, auth)? {
                Ok(empty)
            } else {
                Err(Error::MacVerifyFailure)
            }
        }
        Some(mac) => {
            let pw = Password::from_option(password);
            if !mac.verifies(&pw, auth)? {
                return Err(Error::MacVerifyFailure);
            }
            Ok(pw)
        }
        None if no_password => Ok(Password::absent()),
        None => Err(Error::missing(
            "PKCS#12 file",
            "MAC to check the password against (load it without a password)",
        )),
    }
}

/// The bags of one safe of the authenticated safe: plain (`id-data`) or
/// password-encrypted (`id-encryptedData`).
fn safe_bags(ci: &ContentInfo, pass: &Password) -> Result<Vec<SafeBag>> {
    match ci.content_type {
        ID_DATA => decode(&content_octets(ci, "safe contents")?, "safe contents"),
        ID_ENCRYPTED_DATA => {
            let any = ci.content.as_ref().ok_or_else(|| {
                Error::malformed("PKCS#12 encrypted safe contents", "content is missing")
            })?;
            let (alg, ct) = parse_encrypted_data(any)?;
            let pt = pbe::decrypt(&alg, pass, &ct)?;
            decode(&pt, "decrypted safe contents")
        }
        ID_ENVELOPED_DATA => Err(Error::unsupported(
            "PKCS#12 public-key privacy mode (envelopedData safe)",
        )),
        other => Err(Error::malformed(
            "PKCS#12 authenticated safe",
            format!("unknown content type {other}"),
        )),
    }
}

/// What to write (DER of the certificates and the PKCS#8 key).
pub(crate) struct BuildInput<'a> {
    pub(crate) key_pkcs8: Option<&'a [u8]>,
    pub(crate) cert: Option<&'a [u8]>,
    pub(crate) ca_certs: Vec<&'a [u8]>,
    pub(crate) friendly_name: Option<&'a str>,
    /// `localKeyID` for the key and the main certificate (OpenSSL: SHA-1 of the certificate).
    pub(crate) local_key_id: Option<Vec<u8>>,
}

/// How to write it.
pub(crate) struct BuildOptions {
    pub(crate) cert_scheme: Scheme,
    pub(crate) key_scheme: Scheme,
    pub(crate) iterations: u32,
    /// `None`: no MAC.
    pub(crate) mac: Option<(MessageDigest, u32)>,
}

fn attributes(name: Option<&str>, key_id: Option<&[u8]>) -> Result<Option<SetOfVec<Attribute>>> {
    let mut set = SetOfVec::new();
    if let Some(name) = name {
        let mut units = Vec::new();
        for c in name.chars() {
            let c = u32::from(c);
            let unit = u16::try_from(c).map_err(|_| {
                Error::invalid_string(
                    "friendly name",
                    format!("U+{c:X} does not fit in a BMPString"),
                )
            })?;
            units.extend_from_slice(&unit.to_be_bytes());
        }
        let mut values = SetOfVec::new();
        values.insert(Any::new(Tag::BmpString, units)?)?;
        set.insert(Attribute {
            oid: FRIENDLY_NAME,
            values,
        })?;
    }
    if let Some(id) = key_id {
        let mut values = SetOfVec::new();
        values.insert(Any::encode_from(&OctetString::new(id.to_vec())?)?)?;
        set.insert(Attribute {
            oid: LOCAL_KEY_ID,
            values,
        })?;
    }
    Ok(if set.is_empty() { None } else { Some(set) })
}

fn data_content_info(inner: Vec<u8>) -> Result<ContentInfo> {
    Ok(ContentInfo {
        content_type: ID_DATA,
        content: Some(Any::encode_from(&OctetString::new(inner)?)?),
    })
}

fn cert_bag(der: &[u8], name: Option<&str>, key_id: Option<&[u8]>) -> Result<SafeBag> {
    let cb = CertBag {
        cert_id: X509_CERTIFICATE,
        cert_value: Any::encode_from(&OctetString::new(der.to_vec())?)?,
    };
    Ok(SafeBag {
        bag_id: CERT_BAG,
        bag_value: Any::encode_from(&cb)?,
        bag_attributes: attributes(name, key_id)?,
    })
}

/// Writes a PFX the way OpenSSL's `PKCS12_create` lays it out: one
/// (encrypted) safe with the certificate and then the CA certificates, one
/// plain safe holding the shrouded key; the friendly name and `localKeyID`
/// on the key bag and the main certificate's bag.
pub(crate) fn build(
    input: &BuildInput<'_>,
    opts: &BuildOptions,
    password: Option<&[u8]>,
) -> Result<Vec<u8>> {
    if opts.iterations == 0 {
        return Err(Error::out_of_range(
            "PKCS#12 iteration count",
            0,
            "must be at least 1",
        ));
    }
    if input.key_pkcs8.is_none() && input.cert.is_none() && input.ca_certs.is_empty() {
        return Err(Error::missing(
            "PKCS#12 object",
            "key, certificate or CA certificate to export",
        ));
    }
    let pass = Password::from_option(password);
    let key_id = input.local_key_id.as_deref();
    let mut safes = Vec::new();

    let mut cert_bags = Vec::new();
    if let Some(cert) = input.cert {
        cert_bags.push(cert_bag(cert, input.friendly_name, key_id)?);
    }
    for ca in &input.ca_certs {
        cert_bags.push(cert_bag(ca, None, None)?);
    }
    if !cert_bags.is_empty() {
        let plain = Zeroizing::new(cert_bags.to_der()?);
        let (alg, ct) = pbe::encrypt(opts.cert_scheme, &pass, opts.iterations, &plain)?;
        let ed = EncryptedData {
            version: 0,
            content_info: EncryptedContentInfo {
                content_type: ID_DATA,
                algorithm: alg,
                content: Some(OctetString::new(ct)?),
            },
        };
        safes.push(ContentInfo {
            content_type: ID_ENCRYPTED_DATA,
            content: Some(Any::encode_from(&ed)?),
        });
    }

    if let Some(pkcs8) = input.key_pkcs8 {
        let (alg, ct) = pbe::encrypt(opts.key_scheme, &pass, opts.iterations, pkcs8)?;
        let epki = EncryptedPrivateKeyInfo {
            algorithm: alg,
            data: OctetString::new(ct)?,
        };
        let bag = SafeBag {
            bag_id: SHROUDED_KEY_BAG,
            bag_value: Any::encode_from(&epki)?,
            bag_attributes: attributes(input.friendly_name, key_id)?,
        };
        safes.push(data_content_info(vec![bag].to_der()?)?);
    }

    let auth = safes.to_der()?;
    let mac_data = match opts.mac {
        Some((md, iter)) => {
            if iter == 0 {
                return Err(Error::out_of_range(
                    "PKCS#12 MAC iteration count",
                    0,
                    "must be at least 1",
                ));
            }
            Some(MacData::create(md, &pass, iter, &auth)?)
        }
        None => None,
    };
    let pfx = Pfx {
        version: 3,
        auth_safe: data_content_info(auth)?,
        mac_data,
    };
    Ok(pfx.to_der()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::test_vectors::{sha256_hex, vector};

    fn pem_body(path: &str) -> Vec<u8> {
        pem::parse(vector(path)).unwrap().into_contents()
    }

    const LEAF: &str = "f87c046769850a69daa6b593eb245d9c709a02dba150855685480d2371eadf85";
    const INTER: &str = "24dd18578b85f35bca7397a45e3f2aee2f9c746a9aa6878ed358ee3d3054705e";
    const ROOT: &str = "11fbdfce3c0e5db38d00acf6ef32d0216a82a4f35b55b47c42b7107ac3563b9e";

    fn hashes(c: &Contents) -> Vec<String> {
        c.certs.iter().map(|e| sha256_hex(&e.der)).collect()
    }

    /// OpenSSL reads `encryptedContent [0]` in the constructed (BER) form
    /// (`tests/api/pkcs12.rs`, `constructed_encrypted_content_reads_as_in_openssl`);
    /// the `der`-derived [`EncryptedData`] refuses it, so
    /// [`parse_encrypted_data`] stays a hand decoder for that field.
    #[test]
    fn constructed_encrypted_content_needs_the_hand_decoder() {
        let alg = AlgorithmIdentifierOwned {
            oid: ID_DATA,
            parameters: None,
        };
        let primitive = EncryptedData {
            version: 0,
            content_info: EncryptedContentInfo {
                content_type: ID_DATA,
                algorithm: alg,
                content: Some(OctetString::new(*b"abcd").unwrap()),
            },
        }
        .to_der()
        .unwrap();
        // [0] 04 'abcd' (primitive) becomes [0] { 04 'ab', 04 'cd' }.
        let at = primitive.len() - 6;
        assert_eq!(primitive[at..at + 2], [0x80, 0x04]);
        let mut constructed = primitive[..at].to_vec();
        constructed.extend([0xa0, 0x08, 0x04, 0x02, b'a', b'b', 0x04, 0x02, b'c', b'd']);
        // The outer lengths grow by four.
        constructed[1] += 4;
        constructed[6] += 4;
        for der in [&primitive, &constructed] {
            let any = Any::from_der(der).unwrap();
            let (_, content) = parse_encrypted_data(&any).unwrap();
            assert_eq!(content, b"abcd");
        }
        assert!(EncryptedData::from_der(&primitive).is_ok());
        assert!(EncryptedData::from_der(&constructed).is_err());
        assert!(EncryptedData::from_ber(&constructed).is_err());
    }

    #[test]
    fn reads_every_vector_at_the_byte_level() {
        let leaf_key = pem_body("keys/leaf-rsa2048.pkcs8.pem");
        for (file, pass) in [
            ("pkcs12/default.p12", &b"p12-Default-2024"[..]),
            ("pkcs12/legacy.p12", b"legacy p12"),
        ] {
            let c = parse(&vector(file), Some(pass)).unwrap();
            assert_eq!(hashes(&c), [LEAF, INTER, ROOT], "{file}");
            assert_eq!(&c.key.as_ref().unwrap().pkcs8[..], &leaf_key[..], "{file}");
            assert_eq!(
                c.certs[0].friendly_name.as_deref(),
                Some("Interop Leaf Key")
            );
            assert_eq!(c.certs[0].local_key_id.as_ref().map(|v| v.len()), Some(20));
        }
        let c = parse(
            &vector("pkcs12/utf8pass.p12"),
            Some("Pässwörd-ÄÖÜ".as_bytes()),
        )
        .unwrap();
        assert_eq!(hashes(&c), [INTER, ROOT]);
        assert_eq!(
            c.certs[0].friendly_name.as_deref(),
            Some("Schlüssel für www")
        );
        assert_eq!(
            &c.key.unwrap().pkcs8[..],
            &pem_body("keys/ec-p256.pkcs8.pem")[..]
        );

        let c = parse(&vector("pkcs12/certsonly.p12"), Some(b"certs-only")).unwrap();
        assert!(c.key.is_none());
        assert_eq!(hashes(&c), [LEAF, INTER, ROOT]);

        for pass in [None, Some(&b""[..])] {
            let c = parse(&vector("pkcs12/nopass.p12"), pass).unwrap();
            assert_eq!(hashes(&c), [LEAF, INTER, ROOT]);
            assert!(c.key.is_some());
            let c = parse(&vector("pkcs12/plain-nomac.p12"), pass).unwrap();
            assert_eq!(c.certs.len(), 1);
            assert_eq!(
                &c.key.unwrap().pkcs8[..],
                &pem_body("keys/ee-p256.pkcs8.pem")[..]
            );
        }
    }

    #[test]
    fn wrong_passwords_and_corruption() {
        for (file, good) in [
            ("pkcs12/default.p12", &b"p12-Default-2024"[..]),
            ("pkcs12/legacy.p12", b"legacy p12"),
            ("pkcs12/certsonly.p12", b"certs-only"),
        ] {
            let data = vector(file);
            for pass in [Some(&b"definitely wrong"[..]), None, Some(b"")] {
                assert!(
                    matches!(parse(&data, pass), Err(Error::MacVerifyFailure)),
                    "{file}"
                );
            }
            assert!(parse(&data, Some(good)).is_ok());
        }
        assert!(matches!(
            parse(&vector("pkcs12/nopass.p12"), Some(b"definitely wrong")),
            Err(Error::MacVerifyFailure)
        ));
        let e = parse(&vector("pkcs12/plain-nomac.p12"), Some(b"definitely wrong")).unwrap_err();
        assert!(e.to_string().contains("no MAC"), "{e}");

        let e = parse(&vector("bad/truncated.p12"), Some(b"p12-Default-2024")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid PKCS#12 PFX: length runs past the end of the data at byte offset 0"
        );
        // A flipped byte inside the MAC-protected data.
        let mut data = vector("pkcs12/default.p12");
        data[200] ^= 1;
        assert!(matches!(
            parse(&data, Some(b"p12-Default-2024")),
            Err(Error::MacVerifyFailure)
        ));
    }

    #[test]
    fn build_then_parse_both_layouts() {
        let key = pem_body("keys/leaf-rsa2048.pkcs8.pem");
        let leaf = vector("certs/leaf.der");
        let inter = vector("certs/inter_ec.der");
        let input = BuildInput {
            key_pkcs8: Some(&key),
            cert: Some(&leaf),
            ca_certs: vec![&inter],
            friendly_name: Some("Grüße"),
            local_key_id: Some(vec![7; 20]),
        };
        for opts in [
            BuildOptions {
                cert_scheme: Scheme::Pbes2Aes256,
                key_scheme: Scheme::Pbes2Aes256,
                iterations: 2048,
                mac: Some((MessageDigest::Sha256, 2048)),
            },
            BuildOptions {
                cert_scheme: Scheme::Sha1TripleDes,
                key_scheme: Scheme::Sha1TripleDes,
                iterations: 2048,
                mac: Some((MessageDigest::Sha1, 1)),
            },
        ] {
            let der = build(&input, &opts, Some(b"pw")).unwrap();
            let c = parse(&der, Some(b"pw")).unwrap();
            assert_eq!(&c.key.as_ref().unwrap().pkcs8[..], &key[..]);
            assert_eq!(hashes(&c), [LEAF, INTER]);
            assert_eq!(c.certs[0].friendly_name.as_deref(), Some("Grüße"));
            assert_eq!(c.certs[0].local_key_id.as_deref(), Some(&[7u8; 20][..]));
            assert_eq!(c.certs[1].friendly_name, None);
            assert!(matches!(
                parse(&der, Some(b"px")),
                Err(Error::MacVerifyFailure)
            ));
        }
    }
}
