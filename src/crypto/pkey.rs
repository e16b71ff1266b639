//! `PKey`: public and private keys (RSA, DSA, EC, Ed25519).
//!
//! The key material lives in the RustCrypto key types; the DER encodings are in
//! [`encoding`], signatures in [`signing`], the `-text` output in [`text`].

mod cipher;
mod encoding;
pub(crate) mod encrypted;
mod io;
mod passphrase;
pub(crate) mod rsa_private;
mod signing;
mod text;

pub use io::{
    dump_privatekey, dump_privatekey_traditional, dump_publickey, load_privatekey, load_publickey,
};
pub use passphrase::{Passphrase, MAX_PASSPHRASE_LEN};

use p256::elliptic_curve::Generate;
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

/// The public half of a key.
#[derive(Clone)]
pub(crate) enum Public {
    Rsa(rsa::PublicKey),
    Dsa(dsa::VerifyingKey),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    P521(p521::ecdsa::VerifyingKey),
    Ed25519(ed25519_dalek::VerifyingKey),
}

/// An RSA private key and, built on first use and then kept, the
/// constant-time CRT form [`rsa_private::RsaPrivate`] signs with (its set-up,
/// Montgomery constants and blinding pair, costs about as much as a signature).
/// Dereferences to the `rsa` crate's key for everything else.
#[derive(Clone)]
pub(crate) struct RsaKey {
    key: rsa::PrivateKey,
    /// `None` inside: the key has no two-prime CRT form the fast path handles.
    fast: std::sync::OnceLock<Option<std::sync::Arc<rsa_private::RsaPrivate>>>,
}

impl RsaKey {
    pub(crate) fn new(key: rsa::PrivateKey) -> Self {
        RsaKey {
            key,
            fast: std::sync::OnceLock::new(),
        }
    }

    /// The fast signing form, prepared once per key (and shared by clones).
    pub(crate) fn fast(&self) -> Option<&rsa_private::RsaPrivate> {
        self.fast
            .get_or_init(|| rsa_private::RsaPrivate::new(&self.key).map(std::sync::Arc::new))
            .as_deref()
    }
}

impl std::ops::Deref for RsaKey {
    type Target = rsa::PrivateKey;

    fn deref(&self) -> &rsa::PrivateKey {
        &self.key
    }
}

/// The private half of a key. Every variant zeroizes its secret on drop.
#[derive(Clone)]
pub(crate) enum Private {
    Rsa(Box<RsaKey>),
    Dsa(Box<dsa::SigningKey>),
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    P521(p521::ecdsa::SigningKey),
    Ed25519(ed25519_dalek::SigningKey),
}

impl Private {
    /// The public half that belongs to this private key.
    fn public(&self) -> Public {
        match self {
            Private::Rsa(k) => Public::Rsa(k.to_public_key()),
            Private::Dsa(k) => Public::Dsa(k.verifying_key().clone()),
            Private::P256(k) => Public::P256(*k.verifying_key()),
            Private::P384(k) => Public::P384(*k.verifying_key()),
            Private::P521(k) => Public::P521(*k.verifying_key()),
            Private::Ed25519(k) => Public::Ed25519(k.verifying_key()),
        }
    }
}

/// A public key, or a key pair: pyOpenSSL's `PKey`.
///
/// A `PKey` always holds a key (pyOpenSSL's empty `PKey()` has no Rust
/// equivalent). Public-only keys come from certificates, requests and
/// `load_publickey`; they compare equal to
/// the private key they belong to (equality is by public key).
///
/// ```
/// use puressl::crypto::{KeyType, PKey};
/// let key = PKey::generate_key(KeyType::Ec, 256).unwrap();
/// assert_eq!(key.bits(), 256);
/// assert_eq!(key.id(), 408);
/// assert!(key.is_private());
/// assert_eq!(key.public_key(), key);
/// ```
#[doc(alias = "PKeyType")]
#[derive(Clone)]
pub struct PKey {
    public: Public,
    private: Option<Private>,
    /// An EC private key read without its public key is written without it
    /// too, as OpenSSL does.
    ec_public_omitted: bool,
}

impl PKey {
    pub(crate) fn from_private(private: Private) -> PKey {
        PKey {
            public: private.public(),
            private: Some(private),
            ec_public_omitted: false,
        }
    }

    /// A private key read from the plaintext DER `der` (PKCS#8 or
    /// traditional), remembering whether an EC key came without its public key.
    pub(crate) fn from_private_der(private: Private, der: &[u8]) -> PKey {
        let mut key = PKey::from_private(private);
        key.ec_public_omitted = key.key_type() == KeyType::Ec && encoding::ec_public_omitted(der);
        key
    }

    /// The traditional private key DER (see [`encoding::traditional_der`]).
    pub(crate) fn traditional_der(&self) -> Result<Zeroizing<Vec<u8>>> {
        let private = self.private.as_ref().ok_or(Error::PublicKeyOnly)?;
        encoding::traditional_der(private, !self.ec_public_omitted)
    }

    pub(crate) fn from_public(public: Public) -> PKey {
        PKey {
            public,
            private: None,
            ec_public_omitted: false,
        }
    }

    pub(crate) fn private_part(&self) -> Option<&Private> {
        self.private.as_ref()
    }

    /// Generates a new key: RSA (`bits` 512–16384), DSA (1024, 2048, 3072),
    /// EC (`bits` 256, 384 or 521 selects P-256, P-384, P-521) or Ed25519
    /// (`bits` ignored, reported as 256).
    ///
    /// An unsupported size is [`Error::OutOfRange`]. DSA parameter
    /// generation is slow (seconds for 2048 bits).
    pub fn generate_key(kind: KeyType, bits: u32) -> Result<PKey> {
        let mut rng = crate::rand::Rng;
        let private = match kind {
            KeyType::Rsa => {
                if !(512..=16384).contains(&bits) {
                    return Err(Error::out_of_range(
                        "RSA key size",
                        bits,
                        "512 to 16384 bits",
                    ));
                }
                // A generator that cannot be seeded is reported as such, not
                // as a failed key generation.
                crate::rand::try_fill(&mut [0u8; 1])?;
                let key = rsa::PrivateKey::new_unchecked(&mut rng, bits as usize)
                    .map_err(|e| Error::failed_by("RSA key generation", e.to_string(), e))?;
                Private::Rsa(Box::new(RsaKey::new(key)))
            }
            KeyType::Dsa => {
                #[allow(deprecated)]
                let size = match bits {
                    1024 => dsa::KeySize::DSA_1024_160,
                    2048 => dsa::KeySize::DSA_2048_256,
                    3072 => dsa::KeySize::DSA_3072_256,
                    _ => {
                        return Err(Error::out_of_range(
                            "DSA key size",
                            bits,
                            "1024, 2048 or 3072 bits",
                        ))
                    }
                };
                let components =
                    dsa::Components::try_generate_from_rng_with_key_size(&mut rng, size)?;
                let key =
                    dsa::SigningKey::try_generate_from_rng_with_components(&mut rng, components)?;
                Private::Dsa(Box::new(key))
            }
            KeyType::Ec => match bits {
                256 => Private::P256(Generate::try_generate_from_rng(&mut rng)?),
                384 => Private::P384(Generate::try_generate_from_rng(&mut rng)?),
                521 => Private::P521(Generate::try_generate_from_rng(&mut rng)?),
                _ => {
                    return Err(Error::out_of_range(
                        "EC key size",
                        bits,
                        "256, 384 or 521 bits",
                    ))
                }
            },
            KeyType::Ed25519 => {
                let mut seed = Zeroizing::new([0u8; 32]);
                crate::rand::try_fill(seed.as_mut_slice())?;
                Private::Ed25519(ed25519_dalek::SigningKey::from_bytes(&seed))
            }
        };
        Ok(PKey::from_private(private))
    }

    /// Checks an RSA key's consistency (pyOpenSSL `PKey.check()`): `p` and
    /// `q` are prime, `n = p·q`, `d` inverts `e`, the CRT values agree.
    ///
    /// An inconsistent key is [`Error::InvalidKey`]; a public-only key is
    /// [`Error::PublicKeyOnly`]; other key types are
    /// [`Error::KeyTypeMismatch`] (pyOpenSSL raises `TypeError`: OpenSSL only
    /// checks RSA keys this way).
    pub fn check(&self) -> Result<()> {
        match &self.private {
            None => Err(Error::PublicKeyOnly),
            Some(Private::Rsa(k)) => {
                use rsa::traits::PrivateKeyParts;
                k.validate()
                    .map_err(|e| Error::invalid_key_by(format!("RSA key check failed: {e}"), e))?;
                for p in k.primes() {
                    if !crypto_primes::is_prime(crypto_primes::Flavor::Any, p.as_ref()) {
                        return Err(Error::invalid_key(
                            "RSA key check failed: a factor is not prime",
                        ));
                    }
                }
                Ok(())
            }
            Some(_) => Err(Error::KeyTypeMismatch(format!(
                "only RSA keys can be checked, not {}",
                self.key_type().name()
            ))),
        }
    }

    /// The key's type.
    pub fn key_type(&self) -> KeyType {
        match self.public {
            Public::Rsa(_) => KeyType::Rsa,
            Public::Dsa(_) => KeyType::Dsa,
            Public::P256(_) | Public::P384(_) | Public::P521(_) => KeyType::Ec,
            Public::Ed25519(_) => KeyType::Ed25519,
        }
    }

    /// OpenSSL's EVP id (pyOpenSSL `PKey.type()`): 6, 116, 408, 1087.
    #[doc(alias = "type")]
    pub fn id(&self) -> i32 {
        self.key_type().id()
    }

    /// Key size in bits (pyOpenSSL `PKey.bits()`); Ed25519 reports 256.
    pub fn bits(&self) -> u32 {
        use rsa::traits::PublicKeyParts;
        match &self.public {
            Public::Rsa(k) => k.n().bit_width_vartime(),
            Public::Dsa(k) => k.components().p().bit_width_vartime(),
            Public::P256(_) => 256,
            Public::P384(_) => 384,
            Public::P521(_) => 521,
            Public::Ed25519(_) => 256,
        }
    }

    /// The curve of an EC key.
    pub fn curve(&self) -> Option<EcCurve> {
        match self.public {
            Public::P256(_) => Some(EcCurve::P256),
            Public::P384(_) => Some(EcCurve::P384),
            Public::P521(_) => Some(EcCurve::P521),
            _ => None,
        }
    }

    /// The modulus `n` of an RSA key, big-endian without leading zeros.
    pub fn rsa_modulus(&self) -> Option<Vec<u8>> {
        use rsa::traits::PublicKeyParts;
        match &self.public {
            Public::Rsa(k) => Some(k.n_bytes().to_vec()),
            _ => None,
        }
    }

    /// The public exponent `e` of an RSA key, big-endian without leading zeros.
    pub fn rsa_exponent(&self) -> Option<Vec<u8>> {
        use rsa::traits::PublicKeyParts;
        match &self.public {
            Public::Rsa(k) => Some(k.e_bytes().to_vec()),
            _ => None,
        }
    }

    /// Whether the private half is present.
    pub fn is_private(&self) -> bool {
        self.private.is_some()
    }

    /// A public-only copy of this key.
    pub fn public_key(&self) -> PKey {
        PKey::from_public(self.public.clone())
    }

    /// The DER SubjectPublicKeyInfo.
    pub fn public_key_to_der(&self) -> Result<Vec<u8>> {
        encoding::spki_der(&self.public)
    }

    /// Reads a DER SubjectPublicKeyInfo (strict: trailing bytes are an error).
    pub fn public_key_from_der(der: &[u8]) -> Result<PKey> {
        encoding::public_from_spki_der(der).map(PKey::from_public)
    }

    /// The unencrypted PKCS#8 PrivateKeyInfo DER (as `openssl pkey -outform DER` writes it).
    pub fn private_key_to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>> {
        let private = self.private.as_ref().ok_or(Error::PublicKeyOnly)?;
        encoding::pkcs8_der(private, !self.ec_public_omitted)
    }

    /// Reads an unencrypted PKCS#8 PrivateKeyInfo DER.
    pub fn private_key_from_pkcs8_der(der: &[u8]) -> Result<PKey> {
        encoding::private_from_pkcs8_der(der).map(|k| PKey::from_private_der(k, der))
    }

    /// Signs `data` hashed with `md` (RSA PKCS#1 v1.5, DSA and ECDSA give DER
    /// signatures; Ed25519 signs `data` itself and ignores `md`).
    pub fn sign(&self, data: &[u8], md: MessageDigest) -> Result<Vec<u8>> {
        signing::sign(self.private.as_ref().ok_or(Error::PublicKeyOnly)?, data, md)
    }

    /// Verifies a signature made by [`sign`](Self::sign); a bad signature is
    /// [`Error::BadSignature`].
    pub fn verify(&self, data: &[u8], signature: &[u8], md: MessageDigest) -> Result<()> {
        signing::verify(&self.public, data, signature, md)
    }

    /// The signature AlgorithmIdentifier this key writes into certificates,
    /// requests and CRLs when signing with `md` (`sha256WithRSAEncryption`,
    /// `ecdsa-with-SHA384`, `dsa_with_SHA256`, `ED25519` without parameters).
    /// An unsupported key/digest pair is an error.
    pub(crate) fn signature_algorithm(
        &self,
        md: MessageDigest,
    ) -> Result<AlgorithmIdentifierOwned> {
        signing::signature_algorithm(self.key_type(), md)
    }

    /// Signs `tbs` for the AlgorithmIdentifier returned by
    /// [`signature_algorithm`](Self::signature_algorithm).
    pub(crate) fn sign_with_algorithm(
        &self,
        alg: &AlgorithmIdentifierOwned,
        tbs: &[u8],
    ) -> Result<Vec<u8>> {
        let private = self.private.as_ref().ok_or(Error::PublicKeyOnly)?;
        signing::sign_with_algorithm(private, alg, tbs)
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
        signing::verify_with_algorithm(&self.public, alg, tbs, signature)
    }

    /// The lines `openssl x509 -text` prints under "Public Key Algorithm:"
    /// for this key, each prefixed by `indent` spaces and ending in a newline.
    pub(crate) fn public_key_text(&self, indent: usize) -> String {
        text::public_key_text(&self.public, indent)
    }
}

impl PartialEq for PKey {
    /// Keys are equal when their public halves are (the DER
    /// SubjectPublicKeyInfo): a private key equals its own public key, as
    /// OpenSSL's `EVP_PKEY_eq` compares them. A key without an encodable
    /// public half equals nothing.
    fn eq(&self, other: &PKey) -> bool {
        match (self.public_key_to_der(), other.public_key_to_der()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for PKey {}

impl std::fmt::Debug for PKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PKey")
            .field("type", &self.key_type())
            .field("bits", &self.bits())
            .field("private", &self.is_private())
            .finish()
    }
}

/// Something a public key can be taken from: a [`PKey`], or a certificate
/// (pyOpenSSL's `verify(cert, ...)` takes an `X509`).
pub trait AsPublicKey {
    /// The public key.
    fn as_public_key(&self) -> Result<PKey>;
}

impl AsPublicKey for PKey {
    fn as_public_key(&self) -> Result<PKey> {
        Ok(self.public_key())
    }
}

#[cfg(test)]
mod tests;
