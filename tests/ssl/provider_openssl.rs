//! Interop on 127.0.0.1 with the `openssl` CLI (OpenSSL 3.0): a rustls
//! server on puressl's provider under `openssl s_client`, and a rustls client
//! on the provider against `openssl s_server`, every suite and group forced.
//!
//! Ports are picked free, every wait is bounded, and child processes are
//! killed by a guard however the test ends.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;

use puressl::provider;
use rustls::crypto::{CryptoProvider, SupportedKxGroup};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::{ClientConfig, RootCertStore, ServerConfig, SupportedCipherSuite};

use crate::support::child;
use crate::support::ssl;
use child::{Kill, WAIT};
use ssl::{accept_tcp, DATA};

fn certs(name: &str) -> Vec<CertificateDer<'static>> {
    CertificateDer::pem_file_iter(format!("{DATA}{name}"))
        .expect("open")
        .collect::<Result<_, _>>()
        .expect("certs")
}

fn key(name: &str) -> PrivateKeyDer<'static> {
    PrivateKeyDer::from_pem_file(format!("{DATA}{name}")).expect("key")
}

fn only(
    suite: SupportedCipherSuite,
    group: Option<&'static dyn SupportedKxGroup>,
) -> CryptoProvider {
    let mut p = provider::provider();
    p.cipher_suites = vec![suite];
    if let Some(g) = group {
        p.kx_groups = vec![g];
    }
    p
}

fn versions(tls13: bool) -> &'static [&'static rustls::SupportedProtocolVersion] {
    static TLS13: [&rustls::SupportedProtocolVersion; 1] = [&rustls::version::TLS13];
    static TLS12: [&rustls::SupportedProtocolVersion; 1] = [&rustls::version::TLS12];
    if tls13 {
        &TLS13
    } else {
        &TLS12
    }
}

/// One case: openssl's names and ours.
struct Case {
    tls13: bool,
    /// openssl `-ciphersuites` (TLS 1.3) or `-cipher` (TLS 1.2) value.
    openssl_suite: &'static str,
    /// openssl `-groups` value.
    openssl_group: &'static str,
    suite: SupportedCipherSuite,
    group: &'static dyn SupportedKxGroup,
    /// Certificate / key / CA base name.
    cert: &'static str,
}

fn cases() -> Vec<Case> {
    use provider::cipher_suite as cs;
    use provider::kx_group as kx;
    let groups: [(&str, &'static dyn SupportedKxGroup); 3] = [
        ("X25519", kx::X25519),
        ("P-256", kx::SECP256R1),
        ("P-384", kx::SECP384R1),
    ];
    let tls13 = [
        ("TLS_AES_128_GCM_SHA256", cs::TLS13_AES_128_GCM_SHA256),
        ("TLS_AES_256_GCM_SHA384", cs::TLS13_AES_256_GCM_SHA384),
        (
            "TLS_CHACHA20_POLY1305_SHA256",
            cs::TLS13_CHACHA20_POLY1305_SHA256,
        ),
    ];
    let tls12 = [
        (
            "ECDHE-ECDSA-AES128-GCM-SHA256",
            cs::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            "p256",
        ),
        (
            "ECDHE-ECDSA-AES256-GCM-SHA384",
            cs::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            "p256",
        ),
        (
            "ECDHE-ECDSA-CHACHA20-POLY1305",
            cs::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            "p256",
        ),
        (
            "ECDHE-RSA-AES128-GCM-SHA256",
            cs::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            "rsa2048",
        ),
        (
            "ECDHE-RSA-AES256-GCM-SHA384",
            cs::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            "rsa2048",
        ),
        (
            "ECDHE-RSA-CHACHA20-POLY1305",
            cs::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
            "rsa2048",
        ),
    ];
    let mut out = Vec::new();
    for (gname, group) in groups {
        for (i, (name, suite)) in tls13.into_iter().enumerate() {
            // Rotate the certificate types through the TLS 1.3 cases.
            let cert = ["p256", "rsa2048", "p384", "ed25519"][(i + out.len()) % 4];
            out.push(Case {
                tls13: true,
                openssl_suite: name,
                openssl_group: gname,
                suite,
                group,
                cert,
            });
        }
        for (name, suite, cert) in tls12 {
            out.push(Case {
                tls13: false,
                openssl_suite: name,
                openssl_group: gname,
                suite,
                group,
                cert,
            });
        }
    }
    out
}

/// Accepts one connection (bounded wait), answers one line, closes cleanly.
fn serve_once(
    listener: TcpListener,
    config: Arc<ServerConfig>,
) -> Result<(String, String), String> {
    let stream = accept_tcp(&listener)?;
    let conn = rustls::ServerConnection::new(config).map_err(|e| e.to_string())?;
    let mut tls = rustls::StreamOwned::new(conn, stream);
    let mut line = String::new();
    BufReader::new(&mut tls)
        .read_line(&mut line)
        .map_err(|e| format!("read: {e}"))?;
    if line != "ping from openssl\n" {
        return Err(format!("unexpected line {line:?}"));
    }
    tls.write_all(b"pong from puressl\n")
        .map_err(|e| e.to_string())?;
    tls.conn.send_close_notify();
    tls.flush().map_err(|e| e.to_string())?;
    let suite = format!(
        "{:?}",
        tls.conn.negotiated_cipher_suite().map(|s| s.suite())
    );
    let group = format!(
        "{:?}",
        tls.conn.negotiated_key_exchange_group().map(|g| g.name())
    );
    Ok((suite, group))
}

/// Our rustls server under `openssl s_client`, every suite and group forced on openssl's side.
#[test]
fn our_server_under_openssl_s_client() {
    for case in cases() {
        let what = format!(
            "{} {} {}",
            case.openssl_suite, case.openssl_group, case.cert
        );
        let server =
            ServerConfig::builder_with_provider(Arc::new(only(case.suite, Some(case.group))))
                .with_protocol_versions(versions(case.tls13))
                .expect("versions")
                .with_no_client_auth()
                .with_single_cert(
                    certs(&format!("{}.pem", case.cert)),
                    key(&format!("{}.key", case.cert)),
                )
                .expect("server config");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let server = thread::spawn(move || serve_once(listener, Arc::new(server)));

        let ca = format!("{DATA}{}-ca.pem", case.cert);
        // An OpenSSL TLS 1.2 client refuses an ECDSA certificate whose curve
        // it did not list ("wrong curve"): list P-256 after the group under
        // test; our server is cut down to that one group, so it still decides.
        let groups = if !case.tls13 && case.cert == "p256" && case.openssl_group != "P-256" {
            format!("{}:P-256", case.openssl_group)
        } else {
            case.openssl_group.to_string()
        };
        let mut args = vec![
            "-servername",
            "localhost",
            "-CAfile",
            &ca,
            "-verify_return_error",
            "-verify_hostname",
            "localhost",
            "-groups",
            &groups,
        ];
        if case.tls13 {
            args.extend(["-tls1_3", "-ciphersuites", case.openssl_suite]);
        } else {
            args.extend(["-tls1_2", "-cipher", case.openssl_suite]);
        }
        let (ok, out) = ssl::s_client(port, &args, b"ping from openssl\n");
        let served = server.join().expect("server thread");
        assert!(ok, "{what}: s_client failed:\n{out}");
        let (suite, group) = served.unwrap_or_else(|e| panic!("{what}: server: {e}\n{out}"));
        assert!(out.contains("pong from puressl"), "{what}:\n{out}");
        assert!(out.contains("Verify return code: 0 (ok)"), "{what}:\n{out}");
        assert!(
            out.contains(&format!("Cipher is {}", case.openssl_suite)),
            "{what}:\n{out}"
        );
        assert_eq!(suite, format!("{:?}", Some(case.suite.suite())), "{what}");
        assert_eq!(group, format!("{:?}", Some(case.group.name())), "{what}");
    }
}

/// Starts `openssl s_server -www` and waits (bounded) until it accepts.
fn s_server(case: &Case) -> (Kill, SocketAddr) {
    let cert = format!("{DATA}{}.pem", case.cert);
    let key = format!("{DATA}{}.key", case.cert);
    let mut args = vec![
        "-cert",
        &cert,
        "-key",
        &key,
        "-www",
        "-naccept",
        "1",
        "-groups",
        case.openssl_group,
    ];
    if case.tls13 {
        args.extend(["-tls1_3", "-ciphersuites", case.openssl_suite]);
    } else {
        args.extend(["-tls1_2", "-cipher", case.openssl_suite]);
    }
    let (guard, addr, _) = ssl::s_server(&args);
    (guard, addr)
}

/// Our rustls client against `openssl s_server`, every suite and group forced on openssl's side.
#[test]
fn our_client_against_openssl_s_server() {
    for case in cases() {
        let what = format!(
            "{} {} {}",
            case.openssl_suite, case.openssl_group, case.cert
        );
        let (guard, addr) = s_server(&case);
        let mut roots = RootCertStore::empty();
        roots
            .add(certs(&format!("{}-ca.pem", case.cert)).remove(0))
            .expect("root");
        // The client offers every group (OpenSSL's TLS 1.2 server wants the
        // certificate's curve listed) and only the suite under test.
        let config = ClientConfig::builder_with_provider(Arc::new(only(case.suite, None)))
            .with_protocol_versions(versions(case.tls13))
            .expect("versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        let name = ServerName::try_from("localhost").expect("name");
        let conn = rustls::ClientConnection::new(Arc::new(config), name).expect("client");
        let sock = TcpStream::connect_timeout(&addr, WAIT).expect("connect");
        sock.set_read_timeout(Some(WAIT)).expect("timeout");
        sock.set_write_timeout(Some(WAIT)).expect("timeout");
        let mut tls = rustls::StreamOwned::new(conn, sock);
        tls.write_all(b"GET / HTTP/1.0\r\n\r\n")
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let mut page = Vec::new();
        match tls.read_to_end(&mut page) {
            Ok(_) => {}
            // s_server -www may close without close_notify.
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {}
            Err(e) => panic!("{what}: read: {e}"),
        }
        let page = String::from_utf8_lossy(&page);
        assert!(page.starts_with("HTTP/1.0 200 ok"), "{what}:\n{page}");
        let proto = if case.tls13 { "TLSv1.3" } else { "TLSv1.2" };
        assert!(
            page.contains(&format!("New, {proto}, Cipher is {}", case.openssl_suite)),
            "{what}:\n{page}"
        );
        assert_eq!(
            tls.conn.negotiated_cipher_suite().map(|s| s.suite()),
            Some(case.suite.suite()),
            "{what}"
        );
        assert_eq!(
            tls.conn.negotiated_key_exchange_group().map(|g| g.name()),
            Some(case.group.name()),
            "{what}"
        );
        drop(guard);
    }
}
