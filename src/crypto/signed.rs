//! Signed DER structures (certificates, requests, CRLs): the one envelope
//! `SEQUENCE { tbs, signatureAlgorithm, signature BIT STRING }` they share,
//! the signature algorithm, signing a TBS encoding and checking its
//! signature.

use der::{Decode, Encode};
use spki::AlgorithmIdentifierOwned;

use super::asn1::objects;
use super::asn1::oid::oid_to_string;
use super::asn1::tlv::{self, bad, Tlv};
use super::{DigestArg, Error, MessageDigest, PKey, Result};

/// The AlgorithmIdentifier's OID, dotted.
pub(crate) fn algorithm_oid(alg_der: &[u8]) -> Result<String> {
    let seq =
        tlv::parse_one(alg_der, "AlgorithmIdentifier")?.expect(0x30, "AlgorithmIdentifier")?;
    let oid = seq.reader().read_tag(0x06, "algorithm")?;
    oid_to_string(oid.content)
}

/// OpenSSL's long name of a signature algorithm, or an error for an OID
/// OpenSSL does not know (pyOpenSSL raises `ValueError`).
pub(crate) fn algorithm_long_name(alg_der: &[u8]) -> Result<&'static str> {
    let oid = algorithm_oid(alg_der)?;
    objects::by_oid(&oid)
        .map(|o| o.ln)
        .ok_or_else(|| Error::UnsupportedAlgorithm(format!("undefined signature algorithm {oid}")))
}

/// Resolves the digest argument of `sign` for `key`: Ed25519 takes no
/// digest ([`DigestArg::NONE`], `""`), every other key type needs one.
pub(crate) fn signing_digest(key: &PKey, digest: DigestArg) -> Result<MessageDigest> {
    digest.for_signing(key.key_type() == crate::crypto::KeyType::Ed25519)
}

/// Signs `tbs` with `key`: `(AlgorithmIdentifier DER, BIT STRING content)`.
pub(crate) fn sign_tbs(key: &PKey, alg: &AlgorithmIdentifierOwned, tbs: &[u8]) -> Result<Vec<u8>> {
    if !key.is_private() {
        return Err(Error::PublicKeyOnly);
    }
    let sig = key.sign_with_algorithm(alg, tbs)?;
    let mut bits = Vec::with_capacity(sig.len() + 1);
    bits.push(0);
    bits.extend_from_slice(&sig);
    Ok(bits)
}

/// Verifies a signature over `tbs` made as `alg_der` says.
pub(crate) fn verify_tbs(key: &PKey, alg_der: &[u8], tbs: &[u8], bits: &[u8]) -> Result<()> {
    let alg = AlgorithmIdentifierOwned::from_der(alg_der)?;
    let sig = match bits.split_first() {
        Some((0, sig)) => sig,
        _ => return Err(bad("signature", "BIT STRING with unused bits")),
    };
    key.verify_with_algorithm(&alg, tbs, sig)
}

/// How one signed structure names its parts in errors.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Layout {
    /// The outer SEQUENCE (`Certificate`).
    outer: &'static str,
    /// The signed part (`TBSCertificate`).
    tbs: &'static str,
    /// The signature BIT STRING (`signatureValue`).
    signature: &'static str,
    /// What the structure is called in messages (`certificate`).
    noun: &'static str,
}

/// An X.509 certificate (RFC 5280 `Certificate`).
pub(crate) const CERTIFICATE: Layout = Layout {
    outer: "Certificate",
    tbs: "TBSCertificate",
    signature: "signatureValue",
    noun: "certificate",
};

/// A PKCS#10 request (RFC 2986 `CertificationRequest`).
pub(crate) const REQUEST: Layout = Layout {
    outer: "CertificationRequest",
    tbs: "CertificationRequestInfo",
    signature: "signature",
    noun: "certificate request",
};

/// A CRL (RFC 5280 `CertificateList`).
pub(crate) const CRL: Layout = Layout {
    outer: "CertificateList",
    tbs: "TBSCertList",
    signature: "signatureValue",
    noun: "CRL",
};

/// The signed envelope of a certificate, request or CRL: the outer
/// signatureAlgorithm, the signature, and the exact encoding while it still
/// matches the fields (a setter [`touch`](Self::touch)es it away; signing
/// makes a new one).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Envelope {
    layout: &'static Layout,
    /// DER signatureAlgorithm of the outer structure.
    sig_alg: Option<Vec<u8>>,
    /// BIT STRING content of the signature (first octet: unused bits).
    signature: Option<Vec<u8>>,
    /// `(whole DER, TBS DER)` while they match the fields.
    encoded: Option<(Vec<u8>, Vec<u8>)>,
}

impl Envelope {
    /// The envelope of a new, unsigned structure.
    pub(crate) fn unsigned(layout: &'static Layout) -> Self {
        Self {
            layout,
            sig_alg: None,
            signature: None,
            encoded: None,
        }
    }

    /// Splits `der` (exactly one SEQUENCE) into the envelope and the TBS
    /// element, which the caller parses.
    pub(crate) fn parse<'a>(der: &'a [u8], layout: &'static Layout) -> Result<(Self, Tlv<'a>)> {
        let mut r = tlv::parse_tagged(der, 0x30, layout.outer)?.reader();
        let tbs = r.read_tag(0x30, layout.tbs)?;
        let sig_alg = r.read_tag(0x30, "signatureAlgorithm")?;
        let sig = r.read_tag(0x03, layout.signature)?;
        r.finish(layout.outer)?;
        if sig.content.is_empty() {
            return Err(bad(layout.signature, "empty BIT STRING"));
        }
        let envelope = Self {
            layout,
            sig_alg: Some(sig_alg.full.to_vec()),
            signature: Some(sig.content.to_vec()),
            encoded: Some((der.to_vec(), tbs.full.to_vec())),
        };
        Ok((envelope, tbs))
    }

    /// Forgets the exact encoding: a field changed.
    pub(crate) fn touch(&mut self) {
        self.encoded = None;
    }

    /// The DER encoding; an error once a field changed after signing.
    pub(crate) fn to_der(&self) -> Result<Vec<u8>> {
        match &self.encoded {
            Some((der, _)) => Ok(der.clone()),
            None => Err(Error::NotSigned {
                object: self.layout.noun,
            }),
        }
    }

    /// The TBS that is (or was) signed, else `encode`'s fresh one.
    pub(crate) fn tbs_der(&self, encode: impl FnOnce() -> Result<Vec<u8>>) -> Result<Vec<u8>> {
        match &self.encoded {
            Some((_, tbs)) => Ok(tbs.clone()),
            None => encode(),
        }
    }

    /// The DER of the outer signatureAlgorithm.
    pub(crate) fn algorithm_der(&self) -> Option<&[u8]> {
        self.sig_alg.as_deref()
    }

    /// The signature bytes (BIT STRING contents without the unused-bits octet).
    pub(crate) fn signature(&self) -> Option<&[u8]> {
        self.signature.as_deref().and_then(|b| b.get(1..))
    }

    /// `(signatureAlgorithm DER, BIT STRING content)`, or an error when unsigned.
    pub(crate) fn signed_parts(&self) -> Result<(&[u8], &[u8])> {
        match (&self.sig_alg, &self.signature) {
            (Some(a), Some(b)) => Ok((a, b)),
            _ => Err(Error::NotSigned {
                object: self.layout.noun,
            }),
        }
    }

    /// Signs `tbs` with `key` as `alg` says and keeps the new encoding.
    pub(crate) fn seal(&mut self, key: &PKey, alg: &Algorithm, tbs: Vec<u8>) -> Result<()> {
        let bits = sign_tbs(key, &alg.id, &tbs)?;
        let mut c = tbs.clone();
        c.extend_from_slice(&alg.der);
        tlv::push_tlv(&mut c, 0x03, &bits);
        self.sig_alg = Some(alg.der.clone());
        self.signature = Some(bits);
        self.encoded = Some((tlv::tlv(0x30, &c), tbs));
        Ok(())
    }
}

/// The signature algorithm a key signs with, and its DER.
pub(crate) struct Algorithm {
    id: AlgorithmIdentifierOwned,
    /// The AlgorithmIdentifier's DER (also the TBS `signature` field of
    /// certificates and CRLs).
    pub(crate) der: Vec<u8>,
}

impl Algorithm {
    /// What `key` signs with for digest `md`.
    pub(crate) fn new(key: &PKey, md: MessageDigest) -> Result<Self> {
        let id = key.signature_algorithm(md)?;
        let der = id.to_der()?;
        Ok(Self { id, der })
    }
}

/// The digest of a `sign(key, digest)` call, checked as [`signing_digest`]
/// does, and the key checked to be private.
pub(crate) fn signer_digest(key: &PKey, digest: DigestArg) -> Result<MessageDigest> {
    let md = signing_digest(key, digest)?;
    if !key.is_private() {
        return Err(Error::PublicKeyOnly);
    }
    Ok(md)
}
