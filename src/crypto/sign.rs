//! pyOpenSSL's module-level `sign` and `verify`.

use super::{AsPublicKey, DigestArg, PKey, Result};

/// Signs `data` with `key`, hashing with `digest`: a
/// [`MessageDigest`](super::MessageDigest) or its OpenSSL name (`md5`, `sha1`,
/// `sha224`, `sha256`, `sha384`, `sha512`, any case).
///
/// RSA keys give PKCS#1 v1.5 signatures, DSA and EC keys DER-encoded
/// signatures (as `openssl dgst -sign` writes them), Ed25519 keys sign `data`
/// itself (the digest name must still be valid). An unknown digest name is
/// [`Error::UnknownDigest`](super::Error::UnknownDigest), a public-only key
/// [`Error::PublicKeyOnly`](super::Error::PublicKeyOnly).
///
/// ```
/// use puressl::crypto::{self, KeyType, MessageDigest, PKey};
/// let key = PKey::generate_key(KeyType::Ec, 256).unwrap();
/// let sig = crypto::sign(&key, b"hello", MessageDigest::Sha256).unwrap();
/// crypto::verify(&key, &sig, b"hello", "sha256").unwrap();
/// assert!(crypto::verify(&key, &sig, b"hellO", "sha256").is_err());
/// ```
pub fn sign(key: &PKey, data: &[u8], digest: impl Into<DigestArg>) -> Result<Vec<u8>> {
    let md = digest.into().digest()?;
    key.sign(data, md)
}

/// Verifies `signature` over `data` with the public key of `key` (a [`PKey`]
/// or a certificate), hashing with `digest` (as for [`sign`]).
///
/// A signature that does not verify is
/// [`Error::BadSignature`](super::Error::BadSignature).
pub fn verify<K: AsPublicKey + ?Sized>(
    key: &K,
    signature: &[u8],
    data: &[u8],
    digest: impl Into<DigestArg>,
) -> Result<()> {
    let md = digest.into().digest()?;
    key.as_public_key()?.verify(data, signature, md)
}
