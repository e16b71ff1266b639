//! `PKey`: public and private keys (RSA, DSA, EC, Ed25519).
//!
//! SKELETON: the public API below is fixed (other modules code against it);
//! the bodies are being implemented on the `keys` branch.
#![allow(unused_variables, dead_code, clippy::todo)]

use spki::AlgorithmIdentifierOwned;
use zeroize::Zeroizing;

use super::{Error, MessageDigest, Result};

/// The kind of a key: pyOpenSSL's `TYPE_*` constants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyType {
    /// RSA (`TYPE_RSA`, EVP id 6).
    #[doc(alias = "TYPE_RSA")]
    Rsa,
    /// DSA (`TYPE_DSA`, EVP id 116).
    #[doc(alias = "TYPE_DSA")]
    Dsa,
    /// Elliptic curve (`TYPE_EC`, EVP id 408); the curve is [`EcCurve`].
    #[doc(alias = "TYPE_EC")]
    Ec,
    /// Ed25519 (EVP id 1087).
    Ed25519,
}

impl KeyType {
    /// OpenSSL's EVP id: what pyOpenSSL's `PKey.type()` returns.
    pub fn id(self) -> i32 {
        match self {
            KeyType::Rsa => 6,
            KeyType::Dsa => 116,
            KeyType::Ec => 408,
            KeyType::Ed25519 => 1087,
        }
    }

    /// The upper-case name (`RSA`, `DSA`, `EC`, `ED25519`).
    pub fn name(self) -> &'static str {
        match self {
            KeyType::Rsa => "RSA",
            KeyType::Dsa => "DSA",
            KeyType::Ec => "EC",
            KeyType::Ed25519 => "ED25519",
        }
    }
}

/// A named elliptic curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EcCurve {
    /// NIST P-256 (`prime256v1`).
    P256,
    /// NIST P-384 (`secp384r1`).
    P384,
    /// NIST P-521 (`secp521r1`).
    P521,
}

impl EcCurve {
    /// OpenSSL's short name: `prime256v1`, `secp384r1`, `secp521r1`.
    pub fn short_name(self) -> &'static str {
        match self {
            EcCurve::P256 => "prime256v1",
            EcCurve::P384 => "secp384r1",
            EcCurve::P521 => "secp521r1",
        }
    }

    /// The NIST name: `P-256`, `P-384`, `P-521`.
    pub fn nist_name(self) -> &'static str {
        match self {
            EcCurve::P256 => "P-256",
            EcCurve::P384 => "P-384",
            EcCurve::P521 => "P-521",
        }
    }

    /// Size of the curve in bits (256, 384, 521).
    pub fn bits(self) -> u32 {
        match self {
            EcCurve::P256 => 256,
            EcCurve::P384 => 384,
            EcCurve::P521 => 521,
        }
    }
}

/// A public key, or a key pair: pyOpenSSL's `PKey`.
///
/// A `PKey` always holds a key (pyOpenSSL's empty `PKey()` has no Rust
/// equivalent). Public-only keys come from certificates, requests and
/// [`load_publickey`](crate::crypto::load_publickey); they compare equal to
/// the private key they belong to (equality is by public key).
#[derive(Clone)]
pub struct PKey {
    _todo: (),
}

impl PKey {
    /// Generates a new key: RSA (`bits` 512–16384), DSA (1024, 2048, 3072),
    /// EC (`bits` 256, 384 or 521 selects P-256, P-384, P-521) or Ed25519
    /// (`bits` ignored, reported as 256).
    pub fn generate_key(kind: KeyType, bits: u32) -> Result<PKey> {
        todo!()
    }

    /// The key's type.
    pub fn key_type(&self) -> KeyType {
        todo!()
    }

    /// OpenSSL's EVP id (pyOpenSSL `PKey.type()`): 6, 116, 408, 1087.
    pub fn id(&self) -> i32 {
        self.key_type().id()
    }

    /// Key size in bits (pyOpenSSL `PKey.bits()`); Ed25519 reports 256.
    pub fn bits(&self) -> u32 {
        todo!()
    }

    /// The curve of an EC key.
    pub fn curve(&self) -> Option<EcCurve> {
        todo!()
    }

    /// Whether the private half is present.
    pub fn is_private(&self) -> bool {
        todo!()
    }

    /// A public-only copy of this key.
    pub fn public_key(&self) -> PKey {
        todo!()
    }

    /// The DER SubjectPublicKeyInfo.
    pub fn public_key_to_der(&self) -> Result<Vec<u8>> {
        todo!()
    }

    /// Reads a DER SubjectPublicKeyInfo (strict: trailing bytes are an error).
    pub fn public_key_from_der(der: &[u8]) -> Result<PKey> {
        todo!()
    }

    /// The unencrypted PKCS#8 PrivateKeyInfo DER (as `openssl pkey -outform DER` writes it).
    pub fn private_key_to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>> {
        todo!()
    }

    /// Reads an unencrypted PKCS#8 PrivateKeyInfo DER.
    pub fn private_key_from_pkcs8_der(der: &[u8]) -> Result<PKey> {
        todo!()
    }

    /// Signs `data` hashed with `md` (RSA PKCS#1 v1.5, DSA and ECDSA give DER
    /// signatures; Ed25519 signs `data` itself and ignores `md`).
    pub fn sign(&self, data: &[u8], md: MessageDigest) -> Result<Vec<u8>> {
        todo!()
    }

    /// Verifies a signature made by [`sign`](Self::sign); a bad signature is
    /// [`Error::BadSignature`].
    pub fn verify(&self, data: &[u8], signature: &[u8], md: MessageDigest) -> Result<()> {
        todo!()
    }

    /// The signature AlgorithmIdentifier this key writes into certificates,
    /// requests and CRLs when signing with `md` (`sha256WithRSAEncryption`,
    /// `ecdsa-with-SHA384`, `dsa_with_SHA256`, `ED25519` without parameters).
    /// An unsupported key/digest pair is an error.
    pub(crate) fn signature_algorithm(
        &self,
        md: MessageDigest,
    ) -> Result<AlgorithmIdentifierOwned> {
        todo!()
    }

    /// Signs `tbs` for the AlgorithmIdentifier returned by
    /// [`signature_algorithm`](Self::signature_algorithm).
    pub(crate) fn sign_with_algorithm(
        &self,
        alg: &AlgorithmIdentifierOwned,
        tbs: &[u8],
    ) -> Result<Vec<u8>> {
        todo!()
    }

    /// Verifies `signature` over `tbs` as the AlgorithmIdentifier `alg` of a
    /// certificate/request/CRL says (all of the above, plus RSASSA-PSS with its
    /// parameters). Unknown algorithms are [`Error::UnsupportedAlgorithm`], a
    /// mismatched key type is [`Error::KeyTypeMismatch`], a bad signature
    /// [`Error::BadSignature`].
    pub(crate) fn verify_with_algorithm(
        &self,
        alg: &AlgorithmIdentifierOwned,
        tbs: &[u8],
        signature: &[u8],
    ) -> Result<()> {
        todo!()
    }
}

impl PartialEq for PKey {
    fn eq(&self, other: &PKey) -> bool {
        todo!()
    }
}

impl Eq for PKey {}

impl std::fmt::Debug for PKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PKey")
    }
}

#[allow(dead_code)]
fn _unused(_: Error) {}
