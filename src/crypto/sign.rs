//! pyOpenSSL's module-level `sign` and `verify`.

use super::{AsPublicKey, MessageDigest, PKey, Result};

/// Signs `data` with `key`, hashing with the digest named `digest`
/// (`md5`, `sha1`, `sha224`, `sha256`, `sha384`, `sha512`, any case).
///
/// RSA keys give PKCS#1 v1.5 signatures, DSA and EC keys DER-encoded
/// signatures (as `openssl dgst -sign` writes them), Ed25519 keys sign `data`
/// itself (the digest name must still be valid). An unknown digest name is
/// [`Error::UnknownDigest`](super::Error::UnknownDigest), a public-only key
/// [`Error::PublicKeyOnly`](super::Error::PublicKeyOnly).
///
/// ```
/// use puressl::crypto::{self, KeyType, PKey};
/// let key = PKey::generate_key(KeyType::Ec, 256).unwrap();
/// let sig = crypto::sign(&key, b"hello", "sha256").unwrap();
/// crypto::verify(&key, &sig, b"hello", "sha256").unwrap();
/// assert!(crypto::verify(&key, &sig, b"hellO", "sha256").is_err());
/// ```
pub fn sign(key: &PKey, data: &[u8], digest: &str) -> Result<Vec<u8>> {
    let md = MessageDigest::from_name(digest)?;
    key.sign(data, md)
}

/// Verifies `signature` over `data` with the public key of `key` (a [`PKey`]
/// or a certificate), hashing with the digest named `digest`.
///
/// A signature that does not verify is
/// [`Error::BadSignature`](super::Error::BadSignature).
pub fn verify<K: AsPublicKey + ?Sized>(
    key: &K,
    signature: &[u8],
    data: &[u8],
    digest: &str,
) -> Result<()> {
    let md = MessageDigest::from_name(digest)?;
    key.as_public_key()?.verify(data, signature, md)
}
