//! Private keys for TLS authentication: loading any [`PrivateKeyDer`] and
//! signing handshakes with RSA (PKCS#1 v1.5 and PSS), ECDSA (P-256, P-384)
//! and Ed25519.
//!
//! Key material lives in the RustCrypto key types, which zeroize on drop.
//! Signing randomness (RSA blinding, PSS salts, hedged ECDSA nonces) comes
//! from [`crate::rand::Rng`].

use std::sync::Arc;

use pkcs8::der::Decode;
use pkcs8::ObjectIdentifier;
use rustls::pki_types::{PrivateKeyDer, SubjectPublicKeyInfoDer};
use rustls::sign::{Signer, SigningKey};
use rustls::{Error, SignatureAlgorithm, SignatureScheme};
use sha2::Digest;

use crate::crypto::pkey::rsa_private::RsaPrivate;
use crate::crypto::MessageDigest;

use crate::crypto::asn1::oid::ids::{
    DSA as OID_DSA, EC_PUBLIC_KEY as OID_EC, ED25519 as OID_ED25519, ED448 as OID_ED448,
    RSASSA_PSS as OID_RSA_PSS, RSA_ENCRYPTION as OID_RSA, SECP256R1 as OID_P256,
    SECP384R1 as OID_P384,
};

/// The error for DSA keys: TLS 1.2 and 1.3 as implemented by rustls have no
/// DSA signature schemes.
const DSA_ERROR: &str = "DSA keys cannot be used for TLS: TLS 1.2 and 1.3 (rustls) have no \
     DSA signature schemes; use an RSA, ECDSA (P-256/P-384) or Ed25519 key";

fn err(msg: impl Into<String>) -> Error {
    Error::General(msg.into())
}

/// The [`KeyProvider`](rustls::crypto::KeyProvider) of puressl's provider:
/// loads RSA, ECDSA (P-256, P-384) and Ed25519 private keys from PKCS#8,
/// PKCS#1 and SEC1 DER (see [`any_supported_type`]).
///
/// ```
/// use rustls::crypto::KeyProvider as _;
/// use rustls::pki_types::{pem::PemObject, PrivateKeyDer};
///
/// let pem = std::fs::read("tests/data/provider/p256.key")?;
/// let key = PrivateKeyDer::from_pem_slice(&pem)?;
/// let signing_key = puressl::provider::KeyProvider.load_private_key(key)?;
/// assert_eq!(signing_key.algorithm(), rustls::SignatureAlgorithm::ECDSA);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct KeyProvider;

impl rustls::crypto::KeyProvider for KeyProvider {
    fn load_private_key(
        &self,
        key_der: PrivateKeyDer<'static>,
    ) -> Result<Arc<dyn SigningKey>, Error> {
        any_supported_type(&key_der)
    }
}

/// Loads a TLS signing key from any supported DER private key.
///
/// * PKCS#8 (`BEGIN PRIVATE KEY`): RSA, EC on P-256 or P-384, Ed25519;
/// * PKCS#1 (`BEGIN RSA PRIVATE KEY`): RSA;
/// * SEC1 (`BEGIN EC PRIVATE KEY`): EC on P-256 or P-384.
///
/// DSA, Ed448, other curves and malformed DER give an
/// [`Error::General`] that says what was wrong.
pub fn any_supported_type(der: &PrivateKeyDer<'_>) -> Result<Arc<dyn SigningKey>, Error> {
    match der {
        PrivateKeyDer::Pkcs8(k) => from_pkcs8(k.secret_pkcs8_der()),
        PrivateKeyDer::Pkcs1(k) => {
            use pkcs1::DecodeRsaPrivateKey;
            let key = rsa::PrivateKey::from_pkcs1_der(k.secret_pkcs1_der())
                .map_err(|e| err(format!("invalid PKCS#1 RSA private key: {e}")))?;
            RsaKey::load(key)
        }
        PrivateKeyDer::Sec1(k) => from_sec1(k.secret_sec1_der()),
        _ => Err(err("unsupported private key encoding")),
    }
}

fn from_pkcs8(der: &[u8]) -> Result<Arc<dyn SigningKey>, Error> {
    use pkcs8::DecodePrivateKey;
    let info = pkcs8::PrivateKeyInfoRef::from_der(der)
        .map_err(|e| err(format!("invalid PKCS#8 private key: {e}")))?;
    let alg = info.algorithm.oid;
    let bad = |e: pkcs8::Error| err(format!("invalid PKCS#8 private key ({alg}): {e}"));
    if alg == OID_RSA {
        RsaKey::load(rsa::PrivateKey::from_pkcs8_der(der).map_err(bad)?)
    } else if alg == OID_EC {
        let curve = info
            .algorithm
            .parameters_oid()
            .map_err(|_| err("PKCS#8 EC private key without a named curve"))?;
        if curve == OID_P256 {
            let k = p256::ecdsa::SigningKey::from_pkcs8_der(der).map_err(bad)?;
            ecdsa_p256(k)
        } else if curve == OID_P384 {
            let k = p384::ecdsa::SigningKey::from_pkcs8_der(der).map_err(bad)?;
            ecdsa_p384(k)
        } else {
            Err(unsupported_curve(curve))
        }
    } else if alg == OID_ED25519 {
        let k = ed25519_dalek::SigningKey::from_pkcs8_der(der).map_err(bad)?;
        ed25519(k)
    } else if alg == OID_DSA {
        Err(err(DSA_ERROR))
    } else if alg == OID_ED448 {
        Err(err(
            "Ed448 private keys are not supported by puressl's TLS provider",
        ))
    } else if alg == OID_RSA_PSS {
        Err(err(
            "RSASSA-PSS-only private keys (OID 1.2.840.113549.1.1.10) are not supported; \
             use an rsaEncryption key",
        ))
    } else {
        Err(err(format!("unsupported private key algorithm {alg}")))
    }
}

fn from_sec1(der: &[u8]) -> Result<Arc<dyn SigningKey>, Error> {
    let parsed = sec1::EcPrivateKey::from_der(der)
        .map_err(|e| err(format!("invalid SEC1 EC private key: {e}")))?;
    let curve = parsed
        .parameters
        .and_then(|p| p.named_curve())
        .ok_or_else(|| err("SEC1 EC private key without a named curve"))?;
    if curve == OID_P256 {
        let k = p256::SecretKey::from_sec1_der(der)
            .map_err(|e| err(format!("invalid SEC1 EC private key: {e}")))?;
        ecdsa_p256(k.into())
    } else if curve == OID_P384 {
        let k = p384::SecretKey::from_sec1_der(der)
            .map_err(|e| err(format!("invalid SEC1 EC private key: {e}")))?;
        ecdsa_p384(k.into())
    } else {
        Err(unsupported_curve(curve))
    }
}

fn unsupported_curve(curve: ObjectIdentifier) -> Error {
    err(format!(
        "unsupported EC curve {curve}: TLS signing supports P-256 (1.2.840.10045.3.1.7) and P-384 (1.3.132.0.34)"
    ))
}

fn spki_der(doc: Result<pkcs8::Document, spki::Error>) -> Result<Vec<u8>, Error> {
    doc.map(|d| d.as_bytes().to_vec())
        .map_err(|e| err(format!("cannot encode the public key: {e}")))
}

// ---------------------------------------------------------------- RSA

/// RSA schemes in our order of preference (also what a TLS 1.2
/// `ECDHE_RSA` suite may sign with).
pub(crate) const RSA_SCHEMES: [SignatureScheme; 6] = [
    SignatureScheme::RSA_PSS_SHA512,
    SignatureScheme::RSA_PSS_SHA384,
    SignatureScheme::RSA_PSS_SHA256,
    SignatureScheme::RSA_PKCS1_SHA512,
    SignatureScheme::RSA_PKCS1_SHA384,
    SignatureScheme::RSA_PKCS1_SHA256,
];

/// An RSA private key for TLS.
#[derive(Debug)]
struct RsaKey {
    key: Arc<rsa::PrivateKey>,
    /// The constant-time CRT signer built at load (`None`: multi-prime or
    /// oversized keys, signed by the `rsa` crate).
    fast: Option<Arc<RsaPrivate>>,
    spki: Vec<u8>,
    /// Modulus length in bytes: PSS needs room for two hashes plus two bytes.
    modulus_len: usize,
}

impl RsaKey {
    fn load(key: rsa::PrivateKey) -> Result<Arc<dyn SigningKey>, Error> {
        use pkcs8::EncodePublicKey;
        use rsa::traits::PublicKeyParts;
        let spki = spki_der(key.to_public_key().to_public_key_der())?;
        let modulus_len = key.size();
        let fast = RsaPrivate::new(&key).map(Arc::new);
        Ok(Arc::new(Self {
            key: Arc::new(key),
            fast,
            spki,
            modulus_len,
        }))
    }
}

impl SigningKey for RsaKey {
    fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn Signer>> {
        let fits = |s: &SignatureScheme| match s {
            SignatureScheme::RSA_PSS_SHA512 => self.modulus_len >= 2 * 64 + 2,
            SignatureScheme::RSA_PSS_SHA384 => self.modulus_len >= 2 * 48 + 2,
            _ => true,
        };
        let scheme = RSA_SCHEMES
            .into_iter()
            .find(|s| fits(s) && offered.contains(s))?;
        Some(Box::new(RsaSigner {
            key: Arc::clone(&self.key),
            fast: self.fast.clone(),
            scheme,
        }))
    }

    fn public_key(&self) -> Option<SubjectPublicKeyInfoDer<'_>> {
        Some(SubjectPublicKeyInfoDer::from(self.spki.as_slice()))
    }

    fn algorithm(&self) -> SignatureAlgorithm {
        SignatureAlgorithm::RSA
    }
}

#[derive(Debug)]
struct RsaSigner {
    key: Arc<rsa::PrivateKey>,
    fast: Option<Arc<RsaPrivate>>,
    scheme: SignatureScheme,
}

impl Signer for RsaSigner {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        if let Some(fast) = &self.fast {
            return sign_fast(fast, self.scheme, message);
        }
        use rsa::{Pkcs1v15Sign, Pss};
        use sha2::{Sha256, Sha384, Sha512};
        let rng = &mut crate::rand::Rng;
        let key = &self.key;
        let result = match self.scheme {
            SignatureScheme::RSA_PSS_SHA256 => {
                key.sign_with_rng(rng, Pss::<Sha256>::new(), &Sha256::digest(message))
            }
            SignatureScheme::RSA_PSS_SHA384 => {
                key.sign_with_rng(rng, Pss::<Sha384>::new(), &Sha384::digest(message))
            }
            SignatureScheme::RSA_PSS_SHA512 => {
                key.sign_with_rng(rng, Pss::<Sha512>::new(), &Sha512::digest(message))
            }
            SignatureScheme::RSA_PKCS1_SHA256 => {
                key.sign_with_rng(rng, Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(message))
            }
            SignatureScheme::RSA_PKCS1_SHA384 => {
                key.sign_with_rng(rng, Pkcs1v15Sign::new::<Sha384>(), &Sha384::digest(message))
            }
            SignatureScheme::RSA_PKCS1_SHA512 => {
                key.sign_with_rng(rng, Pkcs1v15Sign::new::<Sha512>(), &Sha512::digest(message))
            }
            other => return Err(err(format!("RSA key cannot sign with {other:?}"))),
        };
        result.map_err(|e| err(format!("RSA signing failed: {e}")))
    }

    fn scheme(&self) -> SignatureScheme {
        self.scheme
    }
}

/// Signs with the constant-time CRT path; PSS salts are as long as the hash
/// (RFC 8446 §4.2.3).
fn sign_fast(key: &RsaPrivate, scheme: SignatureScheme, message: &[u8]) -> Result<Vec<u8>, Error> {
    let (md, pss) = match scheme {
        SignatureScheme::RSA_PSS_SHA256 => (MessageDigest::Sha256, true),
        SignatureScheme::RSA_PSS_SHA384 => (MessageDigest::Sha384, true),
        SignatureScheme::RSA_PSS_SHA512 => (MessageDigest::Sha512, true),
        SignatureScheme::RSA_PKCS1_SHA256 => (MessageDigest::Sha256, false),
        SignatureScheme::RSA_PKCS1_SHA384 => (MessageDigest::Sha384, false),
        SignatureScheme::RSA_PKCS1_SHA512 => (MessageDigest::Sha512, false),
        other => return Err(err(format!("RSA key cannot sign with {other:?}"))),
    };
    let hash = md.hash(message);
    let result = if pss {
        key.sign_pss(md, &hash, md.size())
    } else {
        key.sign_pkcs1v15(md, &hash)
    };
    result.map_err(|e| err(format!("RSA signing failed: {e}")))
}

// ------------------------------------------------ single-scheme keys

/// A private key type that signs with exactly one TLS signature scheme.
trait OneSchemeSigner: std::fmt::Debug + Send + Sync {
    /// Signs `message` with the key's one scheme.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error>;
}

/// A private key for TLS with one signature scheme: ECDSA with the curve's
/// own hash (the only combination TLS 1.3 allows) or Ed25519.
#[derive(Debug)]
struct SingleSchemeKey {
    key: Arc<dyn OneSchemeSigner>,
    scheme: SignatureScheme,
    algorithm: SignatureAlgorithm,
    spki: Vec<u8>,
}

impl SingleSchemeKey {
    fn load(
        key: impl OneSchemeSigner + 'static,
        scheme: SignatureScheme,
        algorithm: SignatureAlgorithm,
        spki: Vec<u8>,
    ) -> Result<Arc<dyn SigningKey>, Error> {
        Ok(Arc::new(Self {
            key: Arc::new(key),
            scheme,
            algorithm,
            spki,
        }))
    }
}

impl SigningKey for SingleSchemeKey {
    fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn Signer>> {
        offered.contains(&self.scheme).then(|| {
            Box::new(SingleSchemeSigner {
                key: Arc::clone(&self.key),
                scheme: self.scheme,
            }) as Box<dyn Signer>
        })
    }

    fn public_key(&self) -> Option<SubjectPublicKeyInfoDer<'_>> {
        Some(SubjectPublicKeyInfoDer::from(self.spki.as_slice()))
    }

    fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }
}

#[derive(Debug)]
struct SingleSchemeSigner {
    key: Arc<dyn OneSchemeSigner>,
    scheme: SignatureScheme,
}

impl Signer for SingleSchemeSigner {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        self.key.sign(message)
    }

    fn scheme(&self) -> SignatureScheme {
        self.scheme
    }
}

// ---------------------------------------------------------------- ECDSA

/// A P-256 ECDSA private key for TLS, signing with puressl's own P-256
/// arithmetic ([`super::nistp256`]); the `p256` crate only parses it.
fn ecdsa_p256(key: p256::ecdsa::SigningKey) -> Result<Arc<dyn SigningKey>, Error> {
    use pkcs8::EncodePublicKey;
    let spki = spki_der(key.verifying_key().to_public_key_der())?;
    let secret = zeroize::Zeroizing::new(<[u8; 32]>::from(key.to_bytes()));
    let fast = super::nistp256::ecdsa::SigningKey::from_bytes(&secret)
        .map_err(|e| err(format!("invalid P-256 private key: {e}")))?;
    // Both implementations must agree on the public key.
    if fast.public_key()[..] != *key.verifying_key().to_sec1_point(false).as_bytes() {
        return Err(err("P-256 public key mismatch between implementations"));
    }
    SingleSchemeKey::load(
        fast,
        SignatureScheme::ECDSA_NISTP256_SHA256,
        SignatureAlgorithm::ECDSA,
        spki,
    )
}

impl OneSchemeSigner for super::nistp256::ecdsa::SigningKey {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        // Hedged RFC 6979 nonces, as p256's `try_sign_with_rng`.
        self.sign_sha256_hedged(message)
            .map_err(|e| err(format!("ECDSA signing failed: {e}")))
    }
}

/// A P-384 ECDSA private key for TLS.
fn ecdsa_p384(key: p384::ecdsa::SigningKey) -> Result<Arc<dyn SigningKey>, Error> {
    use pkcs8::EncodePublicKey;
    let spki = spki_der(key.verifying_key().to_public_key_der())?;
    SingleSchemeKey::load(
        key,
        SignatureScheme::ECDSA_NISTP384_SHA384,
        SignatureAlgorithm::ECDSA,
        spki,
    )
}

impl OneSchemeSigner for p384::ecdsa::SigningKey {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        use signature::RandomizedSigner;
        // Hedged RFC 6979 nonces: deterministic plus fresh randomness.
        let sig: p384::ecdsa::DerSignature = self
            .try_sign_with_rng(&mut crate::rand::Rng, message)
            .map_err(|e| err(format!("ECDSA signing failed: {e}")))?;
        Ok(sig.as_bytes().to_vec())
    }
}

// ---------------------------------------------------------------- Ed25519

/// An Ed25519 private key for TLS.
fn ed25519(key: ed25519_dalek::SigningKey) -> Result<Arc<dyn SigningKey>, Error> {
    use pkcs8::EncodePublicKey;
    let spki = spki_der(key.verifying_key().to_public_key_der())?;
    SingleSchemeKey::load(
        key,
        SignatureScheme::ED25519,
        SignatureAlgorithm::ED25519,
        spki,
    )
}

impl OneSchemeSigner for ed25519_dalek::SigningKey {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        Ok(signature::Signer::sign(self, message).to_bytes().to_vec())
    }
}
