//! Signature verification for certificate chains (rustls-webpki) and TLS
//! handshake signatures, named as rustls-webpki names its algorithms.
//!
//! Each algorithm pairs the `subjectPublicKeyInfo` algorithm identifier it
//! accepts with the signature algorithm identifier it checks (both as
//! rustls-pki-types' `alg_id` DER). ECDSA is offered with either hash on
//! either curve, RSA with PKCS#1 v1.5 and PSS over SHA-256/384/512
//! (2048 to 8192-bit moduli), and Ed25519.

use core::fmt;

use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::{
    alg_id, AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm,
};
use rustls::SignatureScheme;

/// One verification algorithm: the identifiers it answers to and the check.
pub(crate) struct Algorithm {
    name: &'static str,
    public_key_alg_id: AlgorithmIdentifier,
    signature_alg_id: AlgorithmIdentifier,
    verify: fn(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool,
}

impl fmt::Debug for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "puressl::provider::verify::{}", self.name)
    }
}

impl SignatureVerificationAlgorithm for Algorithm {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        if (self.verify)(public_key, message, signature) {
            Ok(())
        } else {
            Err(InvalidSignature)
        }
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        self.public_key_alg_id
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.signature_alg_id
    }
}

macro_rules! ecdsa_fn {
    ($fn:ident, $krate:ident, $hash:ty) => {
        fn $fn(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
            use sha2::Digest;
            use signature::hazmat::PrehashVerifier;
            let Ok(key) = $krate::ecdsa::VerifyingKey::from_sec1_bytes(public_key) else {
                return false;
            };
            let Ok(sig) = $krate::ecdsa::DerSignature::try_from(signature) else {
                return false;
            };
            key.verify_prehash(&<$hash>::digest(message), &sig).is_ok()
        }
    };
}

/// ECDSA P-256 checks run on puressl's own P-256 code ([`super::nistp256`]).
fn p256_sha256(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
    super::nistp256::ecdsa::verify_sha256(public_key, message, signature)
}

fn p256_sha384(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
    super::nistp256::ecdsa::verify_sha384(public_key, message, signature)
}

ecdsa_fn!(p384_sha256, p384, sha2::Sha256);
ecdsa_fn!(p384_sha384, p384, sha2::Sha384);

/// Parses an RSA `subjectPublicKey` (PKCS#1 `RSAPublicKey`) of 2048 to 8192 bits.
fn rsa_key(public_key: &[u8]) -> Option<rsa::PublicKey> {
    use pkcs1::DecodeRsaPublicKey;
    use rsa::traits::PublicKeyParts;
    let key = rsa::PublicKey::from_pkcs1_der(public_key).ok()?;
    (key.n().bit_width_vartime() >= 2048).then_some(key)
}

macro_rules! rsa_fn {
    ($fn:ident, $padding:expr, $hash:ty) => {
        fn $fn(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
            use sha2::Digest;
            let Some(key) = rsa_key(public_key) else {
                return false;
            };
            key.verify($padding, &<$hash>::digest(message), signature)
                .is_ok()
        }
    };
}

rsa_fn!(
    rsa_pkcs1_sha256,
    rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
    sha2::Sha256
);
rsa_fn!(
    rsa_pkcs1_sha384,
    rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
    sha2::Sha384
);
rsa_fn!(
    rsa_pkcs1_sha512,
    rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
    sha2::Sha512
);
rsa_fn!(
    rsa_pss_sha256,
    rsa::Pss::<sha2::Sha256>::new(),
    sha2::Sha256
);
rsa_fn!(
    rsa_pss_sha384,
    rsa::Pss::<sha2::Sha384>::new(),
    sha2::Sha384
);
rsa_fn!(
    rsa_pss_sha512,
    rsa::Pss::<sha2::Sha512>::new(),
    sha2::Sha512
);

fn ed25519(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
    let Ok(key) = <[u8; 32]>::try_from(public_key) else {
        return false;
    };
    let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(&key) else {
        return false;
    };
    let Ok(sig) = ed25519_dalek::Signature::from_slice(signature) else {
        return false;
    };
    key.verify_strict(message, &sig).is_ok()
}

macro_rules! algorithm {
    ($(#[$doc:meta])* $name:ident, $pk:ident, $sig:ident, $fn:ident) => {
        $(#[$doc])*
        pub static $name: &dyn SignatureVerificationAlgorithm = &Algorithm {
            name: stringify!($name),
            public_key_alg_id: alg_id::$pk,
            signature_alg_id: alg_id::$sig,
            verify: $fn,
        };
    };
}

algorithm!(
    /// ECDSA on P-256 with SHA-256.
    ECDSA_P256_SHA256, ECDSA_P256, ECDSA_SHA256, p256_sha256
);
algorithm!(
    /// ECDSA on P-256 with SHA-384.
    ECDSA_P256_SHA384, ECDSA_P256, ECDSA_SHA384, p256_sha384
);
algorithm!(
    /// ECDSA on P-384 with SHA-256.
    ECDSA_P384_SHA256, ECDSA_P384, ECDSA_SHA256, p384_sha256
);
algorithm!(
    /// ECDSA on P-384 with SHA-384.
    ECDSA_P384_SHA384, ECDSA_P384, ECDSA_SHA384, p384_sha384
);
algorithm!(
    /// RSA PKCS#1 v1.5 with SHA-256, 2048 to 8192-bit keys.
    RSA_PKCS1_2048_8192_SHA256, RSA_ENCRYPTION, RSA_PKCS1_SHA256, rsa_pkcs1_sha256
);
algorithm!(
    /// RSA PKCS#1 v1.5 with SHA-384, 2048 to 8192-bit keys.
    RSA_PKCS1_2048_8192_SHA384, RSA_ENCRYPTION, RSA_PKCS1_SHA384, rsa_pkcs1_sha384
);
algorithm!(
    /// RSA PKCS#1 v1.5 with SHA-512, 2048 to 8192-bit keys.
    RSA_PKCS1_2048_8192_SHA512, RSA_ENCRYPTION, RSA_PKCS1_SHA512, rsa_pkcs1_sha512
);
algorithm!(
    /// RSA-PSS with SHA-256 (MGF1 SHA-256, salt = 32 bytes), `rsaEncryption` keys.
    RSA_PSS_2048_8192_SHA256_LEGACY_KEY, RSA_ENCRYPTION, RSA_PSS_SHA256, rsa_pss_sha256
);
algorithm!(
    /// RSA-PSS with SHA-384 (MGF1 SHA-384, salt = 48 bytes), `rsaEncryption` keys.
    RSA_PSS_2048_8192_SHA384_LEGACY_KEY, RSA_ENCRYPTION, RSA_PSS_SHA384, rsa_pss_sha384
);
algorithm!(
    /// RSA-PSS with SHA-512 (MGF1 SHA-512, salt = 64 bytes), `rsaEncryption` keys.
    RSA_PSS_2048_8192_SHA512_LEGACY_KEY, RSA_ENCRYPTION, RSA_PSS_SHA512, rsa_pss_sha512
);
algorithm!(
    /// Ed25519 (RFC 8032, strict verification).
    ED25519, ED25519, ED25519, ed25519
);

/// Every verification algorithm of the provider, and the TLS signature
/// schemes mapped onto them in our order of preference.
///
/// This is the `signature_verification_algorithms` of
/// [`provider()`](super::provider); pass it to rustls' verifier helpers
/// (`verify_tls13_signature`, `WebPkiServerVerifier::builder_with_provider`)
/// through the provider.
pub static SUPPORTED_SIG_ALGS: WebPkiSupportedAlgorithms = WebPkiSupportedAlgorithms {
    all: &[
        ECDSA_P256_SHA256,
        ECDSA_P256_SHA384,
        ECDSA_P384_SHA256,
        ECDSA_P384_SHA384,
        ED25519,
        RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
        RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
        RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
        RSA_PKCS1_2048_8192_SHA256,
        RSA_PKCS1_2048_8192_SHA384,
        RSA_PKCS1_2048_8192_SHA512,
    ],
    mapping: &[
        // TLS 1.3 binds the curve to the hash: only the first entry counts
        // there; TLS 1.2 tries both.
        (
            SignatureScheme::ECDSA_NISTP384_SHA384,
            &[ECDSA_P384_SHA384, ECDSA_P256_SHA384],
        ),
        (
            SignatureScheme::ECDSA_NISTP256_SHA256,
            &[ECDSA_P256_SHA256, ECDSA_P384_SHA256],
        ),
        (SignatureScheme::ED25519, &[ED25519]),
        (
            SignatureScheme::RSA_PSS_SHA512,
            &[RSA_PSS_2048_8192_SHA512_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PSS_SHA384,
            &[RSA_PSS_2048_8192_SHA384_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PSS_SHA256,
            &[RSA_PSS_2048_8192_SHA256_LEGACY_KEY],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA512,
            &[RSA_PKCS1_2048_8192_SHA512],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA384,
            &[RSA_PKCS1_2048_8192_SHA384],
        ),
        (
            SignatureScheme::RSA_PKCS1_SHA256,
            &[RSA_PKCS1_2048_8192_SHA256],
        ),
    ],
};
