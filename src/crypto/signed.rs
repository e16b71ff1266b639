//! Signed DER structures (certificates, requests, CRLs): the signature
//! algorithm, signing a TBS encoding and checking its signature.

use der::Decode;
use spki::AlgorithmIdentifierOwned;

use super::asn1::objects;
use super::asn1::oid::oid_to_string;
use super::asn1::tlv::{self, bad};
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
    digest.for_key_type(key.key_type())
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
