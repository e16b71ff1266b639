//! Providers cut down to one suite and X25519 for `many.rs` and `idle.rs`,
//! and their configurations (`rustls_pair::configs_on`, which the including
//! file must declare as `mod rustls_pair`).
#![allow(dead_code)]

use std::sync::Arc;

use rustls::crypto::{aws_lc_rs, CryptoProvider, SupportedKxGroup};
use rustls::{ClientConfig, ServerConfig, SupportedCipherSuite};

/// `make()` cut down to `suite` and `x25519`.
pub fn provider(
    make: fn() -> CryptoProvider,
    suite: SupportedCipherSuite,
    x25519: &'static dyn SupportedKxGroup,
) -> Arc<CryptoProvider> {
    Arc::new(CryptoProvider {
        cipher_suites: vec![suite],
        kx_groups: vec![x25519],
        ..make()
    })
}

/// aws-lc-rs with TLS_AES_128_GCM_SHA256 and X25519.
pub fn aws_lc_aes128() -> Arc<CryptoProvider> {
    provider(
        aws_lc_rs::default_provider,
        aws_lc_rs::cipher_suite::TLS13_AES_128_GCM_SHA256,
        aws_lc_rs::kx_group::X25519,
    )
}

/// puressl's provider with TLS_AES_128_GCM_SHA256 and X25519.
pub fn puressl_aes128() -> Arc<CryptoProvider> {
    provider(
        puressl::provider::provider,
        puressl::provider::cipher_suite::TLS13_AES_128_GCM_SHA256,
        puressl::provider::kx_group::X25519,
    )
}

/// Client and server configurations on `p` for `cert` (`p256`, `rsa2048`).
pub fn configs(p: Arc<CryptoProvider>, cert: &str) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    crate::rustls_pair::configs_on(p, cert)
}
