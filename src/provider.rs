//! puressl's own rustls [`CryptoProvider`], made only of RustCrypto crates.
//!
//! [`provider()`] gives rustls everything it needs — cipher suites, key
//! exchange groups, signature verification and private-key loading — from
//! pure-Rust code: no ring, no aws-lc, no C. It is usable by any rustls user,
//! not only through puressl's `SSL` layer.
//!
//! | | |
//! |---|---|
//! | TLS 1.3 suites | `AES_256_GCM_SHA384`, `AES_128_GCM_SHA256`, `CHACHA20_POLY1305_SHA256` |
//! | TLS 1.2 suites | `ECDHE_{ECDSA,RSA}_WITH_{AES_256_GCM_SHA384, AES_128_GCM_SHA256, CHACHA20_POLY1305_SHA256}` |
//! | key exchange | X25519MLKEM768 (post-quantum hybrid, TLS 1.3), X25519, secp256r1, secp384r1, secp521r1 |
//! | signing keys | RSA (PKCS#1 v1.5, PSS; SHA-256/384/512), ECDSA P-256/P-384, Ed25519 — from PKCS#8, PKCS#1 or SEC1 DER |
//! | verification | the same, ECDSA with either hash ([`SUPPORTED_SIG_ALGS`]) |
//! | randomness | [`crate::rand`] |
//!
//! Records are sealed and opened in place (no per-record copies beyond the
//! one into rustls' output buffer); AES-GCM uses AES-NI and CLMUL/PCLMULQDQ
//! when the CPU has them (detected at run time); ECDSA P-256 signing and
//! verification run on puressl's own P-256 code (fiat-crypto field
//! arithmetic, a precomputed base-point comb), the P-256 key exchange on
//! the `p256` crate with precomputed tables.
//!
//! ```
//! use std::sync::Arc;
//! use rustls::{ClientConfig, RootCertStore};
//!
//! let config = ClientConfig::builder_with_provider(Arc::new(puressl::provider::provider()))
//!     .with_safe_default_protocol_versions()?
//!     .with_root_certificates(RootCertStore::empty())
//!     .with_no_client_auth();
//! assert_eq!(config.crypto_provider().cipher_suites.len(), 9);
//! # Ok::<(), rustls::Error>(())
//! ```

use rustls::crypto::{CryptoProvider, GetRandomFailed, SecureRandom, SupportedKxGroup};
use rustls::SupportedCipherSuite;

mod aead;
#[cfg(test)]
mod dudect;
mod hash;
mod hybrid;
mod kx;
pub(crate) mod nistp256;
mod sign;
mod suites;
pub mod verify;
#[cfg(test)]
mod wycheproof;
pub(crate) mod x25519;

pub use sign::{any_supported_type, KeyProvider};
pub use verify::SUPPORTED_SIG_ALGS;

/// The provider's cipher suites, one `static` each (as `rustls::crypto::ring::cipher_suite` has).
pub mod cipher_suite {
    pub use super::suites::{
        TLS13_AES_128_GCM_SHA256, TLS13_AES_256_GCM_SHA384, TLS13_CHACHA20_POLY1305_SHA256,
        TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    };
}

/// The provider's key exchange groups.
pub mod kx_group {
    use rustls::crypto::SupportedKxGroup;

    /// The post-quantum hybrid X25519MLKEM768 (ML-KEM-768 + X25519), TLS 1.3 only.
    pub static X25519MLKEM768: &dyn SupportedKxGroup = &super::hybrid::X25519MlKem768;
    /// X25519 (RFC 7748), on puressl's own constant-time Montgomery ladder over
    /// fiat-crypto's curve25519 field.
    pub static X25519: &dyn SupportedKxGroup = &super::kx::X25519;
    /// ECDHE on NIST P-256 (`secp256r1`), on the p256 crate.
    pub static SECP256R1: &dyn SupportedKxGroup = &super::kx::Secp256r1;
    /// ECDHE on NIST P-384 (`secp384r1`), on the p384 crate.
    pub static SECP384R1: &dyn SupportedKxGroup = &super::kx::Secp384r1;
    /// ECDHE on NIST P-521 (`secp521r1`), on the p521 crate.
    pub static SECP521R1: &dyn SupportedKxGroup = &super::kx::Secp521r1;
}

/// Every cipher suite of the provider, in rustls' default order of
/// preference: TLS 1.3 first, then TLS 1.2 ECDSA and RSA suites.
pub static ALL_CIPHER_SUITES: &[SupportedCipherSuite] = &[
    cipher_suite::TLS13_AES_256_GCM_SHA384,
    cipher_suite::TLS13_AES_128_GCM_SHA256,
    cipher_suite::TLS13_CHACHA20_POLY1305_SHA256,
    cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    cipher_suite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    cipher_suite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    cipher_suite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    cipher_suite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
];

/// Every key exchange group of the provider, most preferred first (the
/// order of rustls' own default providers): the post-quantum hybrid first;
/// a client sends its X25519 part as a separate share too, so peers without
/// ML-KEM (OpenSSL 3.0) take X25519 without an extra round trip.
pub static ALL_KX_GROUPS: &[&dyn SupportedKxGroup] = &[
    &hybrid::X25519MlKem768,
    &kx::X25519,
    &kx::Secp256r1,
    &kx::Secp384r1,
    &kx::Secp521r1,
];

/// rustls' source of randomness, backed by [`crate::rand::try_fill`]: a
/// generator that cannot be seeded is `GetRandomFailed`, which rustls turns
/// into `Error::FailedToGetRandomBytes`.
#[derive(Debug)]
struct Random;

impl SecureRandom for Random {
    fn fill(&self, buf: &mut [u8]) -> Result<(), GetRandomFailed> {
        crate::rand::try_fill(buf).map_err(|_| GetRandomFailed)
    }
}

/// puressl's rustls [`CryptoProvider`]: all of [`ALL_CIPHER_SUITES`],
/// [`ALL_KX_GROUPS`], [`SUPPORTED_SIG_ALGS`], [`KeyProvider`], and
/// [`crate::rand`] as the random source.
///
/// ```
/// use std::sync::Arc;
///
/// let provider = Arc::new(puressl::provider::provider());
/// let config = rustls::ClientConfig::builder_with_provider(provider)
///     .with_protocol_versions(&[&rustls::version::TLS13])?
///     .with_root_certificates(rustls::RootCertStore::empty())
///     .with_no_client_auth();
/// # let _ = config;
/// # Ok::<(), rustls::Error>(())
/// ```
///
/// To make it the process default (for `ClientConfig::builder()`), call
/// `provider().install_default()` once.
pub fn provider() -> CryptoProvider {
    CryptoProvider {
        cipher_suites: ALL_CIPHER_SUITES.to_vec(),
        kx_groups: ALL_KX_GROUPS.to_vec(),
        signature_verification_algorithms: SUPPORTED_SIG_ALGS,
        secure_random: &Random,
        key_provider: &KeyProvider,
    }
}
