//! In-memory TLS handshakes through puressl's rustls provider: every TLS
//! version × cipher suite × key exchange group × server certificate type,
//! with application data both ways, the client verifying the chain with
//! rustls' `WebPkiServerVerifier` built on our provider.

use std::io::{Read, Write};
use std::sync::{Arc, OnceLock};

use puressl::provider::{self, cipher_suite, kx_group};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{CryptoProvider, SupportedKxGroup};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::{
    ClientConfig, ClientConnection, Connection, ProtocolVersion, RootCertStore, ServerConfig,
    ServerConnection, SupportedCipherSuite,
};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/provider/");

fn certs(name: &str) -> Vec<CertificateDer<'static>> {
    CertificateDer::pem_file_iter(format!("{DATA}{name}"))
        .expect("open cert")
        .collect::<Result<_, _>>()
        .expect("parse cert")
}

fn key(name: &str) -> PrivateKeyDer<'static> {
    PrivateKeyDer::from_pem_file(format!("{DATA}{name}")).expect("key")
}

/// The four server certificate types: (leaf cert file, key file, CA file).
const CERT_TYPES: [(&str, &str, &str); 4] = [
    ("rsa2048.pem", "rsa2048.key", "rsa2048-ca.pem"),
    ("p256.pem", "p256.key", "p256-ca.pem"),
    ("p384.pem", "p384.key", "p384-ca.pem"),
    ("ed25519.pem", "ed25519.key", "ed25519-ca.pem"),
];

fn roots() -> Arc<RootCertStore> {
    static ROOTS: OnceLock<Arc<RootCertStore>> = OnceLock::new();
    Arc::clone(ROOTS.get_or_init(|| {
        let mut roots = RootCertStore::empty();
        for (_, _, ca) in CERT_TYPES {
            for c in certs(ca) {
                roots.add(c).expect("add root");
            }
        }
        Arc::new(roots)
    }))
}

fn client_config(
    p: CryptoProvider,
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> ClientConfig {
    let p = Arc::new(p);
    let verifier = WebPkiServerVerifier::builder_with_provider(roots(), Arc::clone(&p))
        .build()
        .expect("verifier");
    ClientConfig::builder_with_provider(p)
        .with_protocol_versions(versions)
        .expect("client versions")
        .with_webpki_verifier(verifier)
        .with_no_client_auth()
}

fn server_config(
    p: CryptoProvider,
    versions: &[&'static rustls::SupportedProtocolVersion],
    cert: &str,
    key_file: &str,
) -> ServerConfig {
    ServerConfig::builder_with_provider(Arc::new(p))
        .with_protocol_versions(versions)
        .expect("server versions")
        .with_no_client_auth()
        .with_single_cert(certs(cert), key(key_file))
        .expect("server cert")
}

/// Moves every pending TLS byte from `from` to `to`.
fn transfer(from: &mut Connection, to: &mut Connection) -> Result<usize, rustls::Error> {
    let mut buf = Vec::new();
    while from.wants_write() {
        from.write_tls(&mut buf).expect("write_tls");
    }
    let mut off = 0;
    while off < buf.len() {
        off += to.read_tls(&mut &buf[off..]).expect("read_tls");
        to.process_new_packets()?;
    }
    Ok(buf.len())
}

fn handshake(client: &mut Connection, server: &mut Connection) -> Result<(), rustls::Error> {
    for _ in 0..20 {
        let a = transfer(client, server)?;
        let b = transfer(server, client)?;
        if a == 0 && b == 0 && !client.is_handshaking() && !server.is_handshaking() {
            return Ok(());
        }
    }
    panic!("handshake did not finish");
}

fn exchange(client: &mut Connection, server: &mut Connection) {
    let read = |to: &mut Connection, want: &[u8]| {
        let mut got = vec![0u8; want.len()];
        to.reader().read_exact(&mut got).expect("read app data");
        assert_eq!(got, want);
    };
    let up = b"GET / from the client".repeat(1000);
    client.writer().write_all(&up).expect("client write");
    transfer(client, server).expect("c->s");
    read(server, &up);
    let down = b"hello from the server";
    server.writer().write_all(down).expect("server write");
    transfer(server, client).expect("s->c");
    read(client, down);
}

fn connect(client: ClientConfig, server: ServerConfig) -> (Connection, Connection) {
    let name = ServerName::try_from("localhost").expect("name");
    let c = ClientConnection::new(Arc::new(client), name).expect("client");
    let s = ServerConnection::new(Arc::new(server)).expect("server");
    (Connection::Client(c), Connection::Server(s))
}

fn only(suite: SupportedCipherSuite, group: &'static dyn SupportedKxGroup) -> CryptoProvider {
    CryptoProvider {
        cipher_suites: vec![suite],
        kx_groups: vec![group],
        ..provider::provider()
    }
}

const GROUPS: [(&str, &dyn SupportedKxGroup); 5] = [
    ("X25519MLKEM768", kx_group::X25519MLKEM768),
    ("X25519", kx_group::X25519),
    ("secp256r1", kx_group::SECP256R1),
    ("secp384r1", kx_group::SECP384R1),
    ("secp521r1", kx_group::SECP521R1),
];

fn run_matrix(
    version: &'static rustls::SupportedProtocolVersion,
    suites_for: fn(&str) -> Vec<SupportedCipherSuite>,
    expected: usize,
) {
    let mut count = 0;
    for (cert, key_file, _) in CERT_TYPES {
        for suite in suites_for(cert) {
            for (gname, group) in GROUPS {
                if !group.usable_for_version(version.version) {
                    continue;
                }
                let what = format!("{:?} {:?} {gname} {cert}", version.version, suite.suite());
                // The server is cut down to one suite and one group; the
                // client offers everything the provider has.
                let server = server_config(only(suite, group), &[version], cert, key_file);
                let client = client_config(provider::provider(), &[version]);
                let (mut c, mut s) = connect(client, server);
                handshake(&mut c, &mut s).unwrap_or_else(|e| panic!("{what}: {e}"));
                for conn in [&c, &s] {
                    assert_eq!(conn.protocol_version(), Some(version.version), "{what}");
                    assert_eq!(
                        conn.negotiated_cipher_suite().map(|s| s.suite()),
                        Some(suite.suite()),
                        "{what}"
                    );
                    assert_eq!(
                        conn.negotiated_key_exchange_group().map(|g| g.name()),
                        Some(group.name()),
                        "{what}"
                    );
                }
                exchange(&mut c, &mut s);
                count += 1;
            }
        }
    }
    assert_eq!(count, expected);
}

#[test]
fn tls13_every_suite_group_and_cert() {
    run_matrix(
        &rustls::version::TLS13,
        |_| {
            vec![
                cipher_suite::TLS13_AES_128_GCM_SHA256,
                cipher_suite::TLS13_AES_256_GCM_SHA384,
                cipher_suite::TLS13_CHACHA20_POLY1305_SHA256,
            ]
        },
        60,
    );
}

#[test]
fn tls12_every_suite_group_and_cert() {
    run_matrix(
        &rustls::version::TLS12,
        |cert| {
            if cert.starts_with("rsa") {
                vec![
                    cipher_suite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                    cipher_suite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                    cipher_suite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
                ]
            } else {
                vec![
                    cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                    cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                    cipher_suite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
                ]
            }
        },
        48,
    );
}

/// Default configs on both sides pick TLS 1.3, AES-256-GCM and the
/// post-quantum hybrid X25519MLKEM768.
#[test]
fn defaults_negotiate_tls13_x25519mlkem768() {
    let server = server_config(
        provider::provider(),
        rustls::ALL_VERSIONS,
        "p256.pem",
        "p256.key",
    );
    let client = client_config(provider::provider(), rustls::ALL_VERSIONS);
    let (mut c, mut s) = connect(client, server);
    handshake(&mut c, &mut s).expect("handshake");
    assert_eq!(c.protocol_version(), Some(ProtocolVersion::TLSv1_3));
    assert_eq!(
        c.negotiated_cipher_suite().map(|s| s.suite()),
        Some(rustls::CipherSuite::TLS13_AES_256_GCM_SHA384)
    );
    assert_eq!(
        c.negotiated_key_exchange_group().map(|g| g.name()),
        Some(rustls::NamedGroup::X25519MLKEM768)
    );
    exchange(&mut c, &mut s);
    // Exporters work (they go through our HKDF).
    let mut a = [0u8; 32];
    let mut b = [0u8; 32];
    c.export_keying_material(&mut a, b"EXPORTER-test", Some(b"ctx"))
        .expect("export");
    s.export_keying_material(&mut b, b"EXPORTER-test", Some(b"ctx"))
        .expect("export");
    assert_eq!(a, b);
    assert_ne!(a, [0u8; 32]);
}

/// A client that trusts other CAs refuses the chain.
#[test]
fn untrusted_chain_is_refused() {
    let server = server_config(
        provider::provider(),
        rustls::ALL_VERSIONS,
        "p256.pem",
        "p256.key",
    );
    let p = Arc::new(provider::provider());
    let mut roots = RootCertStore::empty();
    roots.add(certs("rsa2048-ca.pem").remove(0)).expect("root");
    let verifier = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), Arc::clone(&p))
        .build()
        .expect("verifier");
    let client = ClientConfig::builder_with_provider(p)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_webpki_verifier(verifier)
        .with_no_client_auth();
    let (mut c, mut s) = connect(client, server);
    let err = handshake(&mut c, &mut s).expect_err("must fail");
    assert!(
        matches!(
            err,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer)
        ),
        "{err:?}"
    );
}

/// A leaf whose signature is RSASSA-PSS verifies through our PSS algorithm.
#[test]
fn rsa_pss_signed_chain_verifies() {
    for v in [&rustls::version::TLS13, &rustls::version::TLS12] {
        let server = server_config(provider::provider(), &[v], "rsa2048-pss.pem", "rsa2048.key");
        let (mut c, mut s) = connect(client_config(provider::provider(), &[v]), server);
        handshake(&mut c, &mut s).expect("handshake");
        exchange(&mut c, &mut s);
    }
}

/// PKCS#1 and SEC1 encodings of the keys serve TLS too.
#[test]
fn pkcs1_and_sec1_keys_serve() {
    for (cert, key_file) in [
        ("rsa2048.pem", "rsa2048.pkcs1.key"),
        ("p256.pem", "p256.sec1.key"),
        ("p384.pem", "p384.sec1.key"),
    ] {
        assert!(
            !matches!(key(key_file), PrivateKeyDer::Pkcs8(_)),
            "{key_file}"
        );
        let server = server_config(provider::provider(), rustls::ALL_VERSIONS, cert, key_file);
        let (mut c, mut s) = connect(
            client_config(provider::provider(), rustls::ALL_VERSIONS),
            server,
        );
        handshake(&mut c, &mut s).expect("handshake");
        exchange(&mut c, &mut s);
    }
}

/// Every signature scheme the provider verifies is also produced by our
/// signing keys: the client offers exactly one scheme at a time.
#[test]
fn every_signature_scheme_in_handshakes() {
    use rustls::SignatureScheme as S;
    let cases: [(S, &str, &str, &'static rustls::SupportedProtocolVersion); 12] = [
        (
            S::RSA_PSS_SHA256,
            "rsa2048.pem",
            "rsa2048.key",
            &rustls::version::TLS13,
        ),
        (
            S::RSA_PSS_SHA384,
            "rsa2048.pem",
            "rsa2048.key",
            &rustls::version::TLS13,
        ),
        (
            S::RSA_PSS_SHA512,
            "rsa2048.pem",
            "rsa2048.key",
            &rustls::version::TLS13,
        ),
        (
            S::RSA_PSS_SHA256,
            "rsa2048.pem",
            "rsa2048.key",
            &rustls::version::TLS12,
        ),
        (
            S::RSA_PKCS1_SHA256,
            "rsa2048.pem",
            "rsa2048.key",
            &rustls::version::TLS12,
        ),
        (
            S::RSA_PKCS1_SHA384,
            "rsa2048.pem",
            "rsa2048.key",
            &rustls::version::TLS12,
        ),
        (
            S::RSA_PKCS1_SHA512,
            "rsa2048.pem",
            "rsa2048.key",
            &rustls::version::TLS12,
        ),
        (
            S::ECDSA_NISTP256_SHA256,
            "p256.pem",
            "p256.key",
            &rustls::version::TLS13,
        ),
        (
            S::ECDSA_NISTP384_SHA384,
            "p384.pem",
            "p384.key",
            &rustls::version::TLS13,
        ),
        (
            S::ECDSA_NISTP256_SHA256,
            "p256.pem",
            "p256.key",
            &rustls::version::TLS12,
        ),
        (
            S::ECDSA_NISTP384_SHA384,
            "p384.pem",
            "p384.key",
            &rustls::version::TLS12,
        ),
        (
            S::ED25519,
            "ed25519.pem",
            "ed25519.key",
            &rustls::version::TLS12,
        ),
    ];
    for (scheme, cert, key_file, version) in cases {
        let mapping = provider::SUPPORTED_SIG_ALGS
            .mapping
            .iter()
            .filter(|(s, _)| *s == scheme)
            .copied()
            .collect::<Vec<_>>();
        assert_eq!(mapping.len(), 1, "{scheme:?}");
        let mut client_provider = provider::provider();
        client_provider.signature_verification_algorithms.mapping =
            Box::leak(mapping.into_boxed_slice());
        let server = server_config(provider::provider(), &[version], cert, key_file);
        let (mut c, mut s) = connect(client_config(client_provider, &[version]), server);
        handshake(&mut c, &mut s).unwrap_or_else(|e| panic!("{scheme:?} {cert}: {e}"));
        exchange(&mut c, &mut s);
    }
}

/// A default client (hybrid first, X25519 share alongside) reaches a server
/// without ML-KEM in one round trip on X25519; a TLS 1.2 server never sees
/// the hybrid group.
#[test]
fn hybrid_client_falls_back_to_x25519() {
    let mut p = provider::provider();
    p.kx_groups = vec![kx_group::X25519, kx_group::SECP256R1];
    let server = server_config(p, rustls::ALL_VERSIONS, "p256.pem", "p256.key");
    let (mut c, mut s) = connect(
        client_config(provider::provider(), rustls::ALL_VERSIONS),
        server,
    );
    handshake(&mut c, &mut s).expect("handshake");
    assert_eq!(
        c.negotiated_key_exchange_group().map(|g| g.name()),
        Some(rustls::NamedGroup::X25519)
    );
    assert_eq!(c.handshake_kind(), Some(rustls::HandshakeKind::Full));
    let server = server_config(
        provider::provider(),
        &[&rustls::version::TLS12],
        "p256.pem",
        "p256.key",
    );
    let (mut c, mut s) = connect(
        client_config(provider::provider(), rustls::ALL_VERSIONS),
        server,
    );
    handshake(&mut c, &mut s).expect("handshake");
    assert_eq!(
        c.negotiated_key_exchange_group().map(|g| g.name()),
        Some(rustls::NamedGroup::X25519)
    );
}

/// Guards the speed-critical crate features (perf-anchors: turning these off
/// costs 2-3x in handshakes): p256/p384 keep `precomputed-tables`.
#[test]
fn precomputed_tables_stay_enabled() {
    let toml = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .expect("Cargo.toml");
    for krate in ["p256", "p384", "x25519-dalek"] {
        let line = toml
            .lines()
            .find(|l| l.starts_with(&format!("{krate} = ")))
            .unwrap_or_else(|| panic!("{krate} missing from Cargo.toml"));
        assert!(line.contains("\"precomputed-tables\""), "{krate}: {line}");
    }
}

/// Client certificates: the client signs CertificateVerify with each key
/// type, the server checks the chain with rustls' `WebPkiClientVerifier` on
/// our provider.
#[test]
fn client_certificates_every_key_type() {
    use rustls::server::WebPkiClientVerifier;
    for version in [&rustls::version::TLS13, &rustls::version::TLS12] {
        for (cert, key_file, _) in CERT_TYPES {
            let p = Arc::new(provider::provider());
            let verifier = WebPkiClientVerifier::builder_with_provider(roots(), Arc::clone(&p))
                .build()
                .expect("client verifier");
            let server = ServerConfig::builder_with_provider(Arc::clone(&p))
                .with_protocol_versions(&[version])
                .expect("versions")
                .with_client_cert_verifier(verifier)
                .with_single_cert(certs("p256.pem"), key("p256.key"))
                .expect("server cert");
            let server_verifier =
                WebPkiServerVerifier::builder_with_provider(roots(), Arc::clone(&p))
                    .build()
                    .expect("verifier");
            let client = ClientConfig::builder_with_provider(p)
                .with_protocol_versions(&[version])
                .expect("versions")
                .with_webpki_verifier(server_verifier)
                .with_client_auth_cert(certs(cert), key(key_file))
                .expect("client cert");
            let (mut c, mut s) = connect(client, server);
            handshake(&mut c, &mut s)
                .unwrap_or_else(|e| panic!("{:?} {cert}: {e}", version.version));
            let peer = s.peer_certificates().expect("client certificate");
            assert_eq!(peer[0], certs(cert)[0]);
            exchange(&mut c, &mut s);
        }
    }
}
