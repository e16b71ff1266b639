//! The raw rustls configurations every compare bench uses: TLS 1.3 only, a
//! provider cut down to one suite and X25519, the client verifying the chain
//! against the CA and the name `localhost`, no resumption, the server with
//! no session cache and no tickets. The including file defines `DATA`.
#![allow(dead_code)]

use std::sync::Arc;

use rustls::client::Resumption;
use rustls::crypto::{aws_lc_rs, CryptoProvider, SupportedKxGroup};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::NoServerSessionStorage;
use rustls::{ClientConfig, RootCertStore, ServerConfig, SupportedCipherSuite};

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

/// The certificates of the PEM file `name` in `DATA`.
fn pem_certs(name: &str) -> Vec<CertificateDer<'static>> {
    CertificateDer::pem_file_iter(format!("{}{name}", crate::DATA))
        .expect("open")
        .collect::<Result<_, _>>()
        .expect("certs")
}

/// Client and server configurations on `p` for `cert` (`p256`, `rsa2048`).
pub fn configs(p: Arc<CryptoProvider>, cert: &str) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    let mut roots = RootCertStore::empty();
    roots
        .add(pem_certs(&format!("{cert}-ca.pem")).remove(0))
        .expect("root");
    let mut client = ClientConfig::builder_with_provider(Arc::clone(&p))
        .with_protocol_versions(&[&rustls::version::TLS13])
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    client.resumption = Resumption::disabled();
    let key = PrivateKeyDer::from_pem_file(format!("{}{cert}.key", crate::DATA)).expect("key");
    let mut server = ServerConfig::builder_with_provider(p)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(pem_certs(&format!("{cert}.pem")), key)
        .expect("cert");
    server.session_storage = Arc::new(NoServerSessionStorage {});
    server.send_tls13_tickets = 0;
    (Arc::new(client), Arc::new(server))
}
