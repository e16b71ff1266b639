//! The cipher suites: TLS 1.3 AEAD + HKDF suites and TLS 1.2 ECDHE suites.

use rustls::crypto::tls12::PrfUsingHmac;
use rustls::crypto::tls13::HkdfUsingHmac;
use rustls::crypto::{CipherSuiteCommon, KeyExchangeAlgorithm};
use rustls::{
    CipherSuite, SignatureScheme, SupportedCipherSuite, Tls12CipherSuite, Tls13CipherSuite,
};

use super::aead;
use super::hash::{HMAC_SHA256, HMAC_SHA384, SHA256, SHA384};

/// AES-GCM: rustls' limit on records per key (2^24.5 full records, rounded down; RFC 8446 5.5).
const GCM_LIMIT: u64 = 1 << 24;
/// ChaCha20-Poly1305 has no practical per-key limit.
const CHACHA_LIMIT: u64 = u64::MAX;

static HKDF_SHA256: HkdfUsingHmac<'static> = HkdfUsingHmac(&HMAC_SHA256);
static HKDF_SHA384: HkdfUsingHmac<'static> = HkdfUsingHmac(&HMAC_SHA384);
static PRF_SHA256: PrfUsingHmac<'static> = PrfUsingHmac(&HMAC_SHA256);
static PRF_SHA384: PrfUsingHmac<'static> = PrfUsingHmac(&HMAC_SHA384);

/// TLS 1.3 `TLS_AES_128_GCM_SHA256`.
pub static TLS13_AES_128_GCM_SHA256: SupportedCipherSuite =
    SupportedCipherSuite::Tls13(&Tls13CipherSuite {
        common: CipherSuiteCommon {
            suite: CipherSuite::TLS13_AES_128_GCM_SHA256,
            hash_provider: &SHA256,
            confidentiality_limit: GCM_LIMIT,
        },
        hkdf_provider: &HKDF_SHA256,
        aead_alg: &aead::TLS13_AES_128_GCM,
        quic: None,
    });

/// TLS 1.3 `TLS_AES_256_GCM_SHA384`.
pub static TLS13_AES_256_GCM_SHA384: SupportedCipherSuite =
    SupportedCipherSuite::Tls13(&Tls13CipherSuite {
        common: CipherSuiteCommon {
            suite: CipherSuite::TLS13_AES_256_GCM_SHA384,
            hash_provider: &SHA384,
            confidentiality_limit: GCM_LIMIT,
        },
        hkdf_provider: &HKDF_SHA384,
        aead_alg: &aead::TLS13_AES_256_GCM,
        quic: None,
    });

/// TLS 1.3 `TLS_CHACHA20_POLY1305_SHA256`.
pub static TLS13_CHACHA20_POLY1305_SHA256: SupportedCipherSuite =
    SupportedCipherSuite::Tls13(&Tls13CipherSuite {
        common: CipherSuiteCommon {
            suite: CipherSuite::TLS13_CHACHA20_POLY1305_SHA256,
            hash_provider: &SHA256,
            confidentiality_limit: CHACHA_LIMIT,
        },
        hkdf_provider: &HKDF_SHA256,
        aead_alg: &aead::TLS13_CHACHA20_POLY1305,
        quic: None,
    });

/// Schemes a TLS 1.2 `ECDHE_ECDSA` server may sign with (Ed25519 included, RFC 8422).
static TLS12_ECDSA_SCHEMES: &[SignatureScheme] = &[
    SignatureScheme::ED25519,
    SignatureScheme::ECDSA_NISTP384_SHA384,
    SignatureScheme::ECDSA_NISTP256_SHA256,
];

/// Schemes a TLS 1.2 `ECDHE_RSA` server may sign with.
static TLS12_RSA_SCHEMES: &[SignatureScheme] = &super::sign::RSA_SCHEMES;

macro_rules! tls12_suite {
    ($(#[$doc:meta])* $name:ident, $id:ident, $hash:ident, $prf:ident, $schemes:ident, $aead:ident, $limit:ident) => {
        $(#[$doc])*
        pub static $name: SupportedCipherSuite = SupportedCipherSuite::Tls12(&Tls12CipherSuite {
            common: CipherSuiteCommon {
                suite: CipherSuite::$id,
                hash_provider: &$hash,
                confidentiality_limit: $limit,
            },
            prf_provider: &$prf,
            kx: KeyExchangeAlgorithm::ECDHE,
            sign: $schemes,
            aead_alg: &aead::$aead,
        });
    };
}

tls12_suite!(
    /// TLS 1.2 `TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256`.
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    SHA256, PRF_SHA256, TLS12_ECDSA_SCHEMES, TLS12_AES_128_GCM, GCM_LIMIT
);
tls12_suite!(
    /// TLS 1.2 `TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384`.
    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    SHA384, PRF_SHA384, TLS12_ECDSA_SCHEMES, TLS12_AES_256_GCM, GCM_LIMIT
);
tls12_suite!(
    /// TLS 1.2 `TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256`.
    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    SHA256, PRF_SHA256, TLS12_ECDSA_SCHEMES, TLS12_CHACHA20_POLY1305, CHACHA_LIMIT
);
tls12_suite!(
    /// TLS 1.2 `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`.
    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    SHA256, PRF_SHA256, TLS12_RSA_SCHEMES, TLS12_AES_128_GCM, GCM_LIMIT
);
tls12_suite!(
    /// TLS 1.2 `TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384`.
    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    SHA384, PRF_SHA384, TLS12_RSA_SCHEMES, TLS12_AES_256_GCM, GCM_LIMIT
);
tls12_suite!(
    /// TLS 1.2 `TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256`.
    TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    SHA256, PRF_SHA256, TLS12_RSA_SCHEMES, TLS12_CHACHA20_POLY1305, CHACHA_LIMIT
);
