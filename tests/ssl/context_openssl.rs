//! `Context` features checked against the `openssl` CLI (OpenSSL 3.0) on
//! 127.0.0.1: client CA names and session resumption seen by
//! `openssl s_client`, and the verify-callback order of a host-name
//! mismatch compared with what `s_client -verify_hostname` reports; OCSP
//! stapling both ways (`s_client -status`, `s_server -status_file`).

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;

use puressl::crypto::{FileType, X509};
use puressl::ssl::{Connection, Context, Method, Options, VerifyMode};

use crate::support::child;
use crate::support::pki;
use crate::support::ssl;
use child::WAIT;
use pki::openssl_in;
use ssl::{accept_tcp, path, s_server_p256, serve, server_ctx, Step};

/// Runs `openssl s_client` against `port` with `args`, sends a line, and
/// returns its output (stdout and stderr).
fn s_client(port: u16, args: &[&str]) -> String {
    ssl::s_client(port, args, b"GET / HTTP/1.0\r\n\r\n").1
}

fn tmp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("puressl-sslctx-o-{}-{name}", std::process::id()))
}

#[test]
fn s_client_sees_the_client_ca_names() {
    let mut ctx = server_ctx(Method::Tls);
    let cas = tmp("cas.pem");
    let mut pem = std::fs::read(path("p256-ca.pem")).unwrap();
    pem.extend(std::fs::read(path("rsa2048-ca.pem")).unwrap());
    std::fs::write(&cas, pem).unwrap();
    ctx.load_client_ca(&cas).unwrap();
    let _ = std::fs::remove_file(&cas);
    ctx.load_verify_locations(Some(Path::new(&path("p256-ca.pem"))), None)
        .unwrap();
    ctx.set_verify(VerifyMode::PEER, None);
    let steps: Vec<Step> = vec![Box::new(|_| {}), Box::new(|_| {})];
    let (port, server) = serve(ctx, steps, |c| c.session_reused());
    let ca = path("p256-ca.pem");
    // TLS 1.2: the CertificateRequest's list; TLS 1.3: its
    // certificate_authorities extension.
    let outs = [
        s_client(port, &["-tls1_2", "-CAfile", &ca]),
        s_client(port, &["-tls1_3", "-CAfile", &ca]),
    ];
    server.join().unwrap().unwrap();
    let names = |f: &str| {
        X509::from_pem(&std::fs::read(path(f)).unwrap())
            .unwrap()
            .subject()
            .get("CN")
            .unwrap()
            .unwrap()
    };
    let expected = format!(
        "Acceptable client certificate CA names\nCN = {}\nCN = {}\n",
        names("p256-ca.pem"),
        names("rsa2048-ca.pem")
    );
    for out in outs {
        assert!(out.contains(&expected), "{expected} not in:\n{out}");
    }
}

fn sess(out: &str) -> &str {
    if out.contains("\nReused, ") {
        "Reused"
    } else if out.contains("\nNew, ") {
        "New"
    } else {
        "?"
    }
}

#[test]
fn s_client_resumes_by_ticket_or_session_id_within_the_sid_context() {
    for (version, no_ticket) in [
        ("-tls1_2", false),
        ("-tls1_2", true),
        ("-tls1_3", false),
        ("-tls1_3", true),
    ] {
        let what = format!("{version} no_ticket={no_ticket}");
        let mut ctx = server_ctx(Method::Tls);
        ctx.set_session_id(b"one").unwrap();
        ctx.set_timeout(std::time::Duration::from_secs(300));
        if no_ticket {
            ctx.set_options(Options::NO_TICKET);
        }
        let steps: Vec<Step> = vec![
            Box::new(|_| {}),
            Box::new(|_| {}),
            Box::new(|c| c.set_session_id(b"two").unwrap()),
        ];
        let (port, server) = serve(ctx, steps, |c| c.session_reused());
        let file = tmp(&format!("sess{version}{no_ticket}"));
        let f = file.to_str().unwrap();
        let first = s_client(port, &[version, "-sess_out", f]);
        let second = s_client(port, &[version, "-sess_in", f]);
        let third = s_client(port, &[version, "-sess_in", f]);
        let reused = server.join().unwrap().unwrap();
        let _ = std::fs::remove_file(&file);
        assert_eq!(
            [sess(&first), sess(&second), sess(&third)],
            ["New", "Reused", "New"],
            "{what}:\n{first}\n{second}\n{third}"
        );
        assert_eq!(reused, vec![false, true, false], "{what}");
        if version == "-tls1_2" {
            // A stateless ticket with the timeout as lifetime hint, or none
            // and a session ID.
            let hint = first.contains("TLS session ticket lifetime hint: 300 (seconds)");
            assert_eq!(hint, !no_ticket, "{what}:\n{first}");
            assert!(first.contains("    Session-ID: ") && !first.contains("    Session-ID: \n"));
        } else {
            // TLS 1.3: a stateless ticket has the timeout as lifetime; a
            // stateful one (a reference into the server's cache, which
            // enforces the timeout itself) has rustls's fixed one day.
            let hint = if no_ticket { 86400 } else { 300 };
            let line = format!("TLS session ticket lifetime hint: {hint} (seconds)");
            assert!(first.contains(&line), "{what}:\n{first}");
        }
    }
}

#[test]
fn s_client_sees_the_group_set_groups_picks() {
    // (our server's groups, s_client's -groups, what s_client reports)
    let cases = [
        (
            "X25519",
            "X25519:P-256",
            "Server Temp Key: X25519, 253 bits",
        ),
        (
            "P-384",
            "X25519:P-256:P-384",
            "Server Temp Key: ECDH, secp384r1, 384 bits",
        ),
        (
            "P-256",
            "X25519:P-256",
            "Server Temp Key: ECDH, prime256v1, 256 bits",
        ),
    ];
    for version in ["-tls1_3", "-tls1_2"] {
        for (ours, theirs, line) in cases {
            let mut ctx = server_ctx(Method::Tls);
            ctx.set_groups_list(ours).unwrap();
            let name = ctx.groups()[0].name();
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let port = listener.local_addr().unwrap().port();
            let server = thread::spawn(move || -> Result<Option<&'static str>, String> {
                let stream = accept_tcp(&listener)?;
                let mut conn = Connection::new(&ctx, stream);
                conn.set_accept_state().map_err(|e| e.to_string())?;
                conn.do_handshake().map_err(|e| e.to_string())?;
                conn.write_all(b"pong\n").map_err(|e| e.to_string())?;
                let _ = conn.shutdown();
                Ok(conn.group_name())
            });
            let out = s_client(port, &[version, "-groups", theirs]);
            let got = server.join().unwrap().unwrap();
            assert!(out.contains(line), "{version} {ours}: {line} not in\n{out}");
            assert_eq!(got, Some(name), "{version} {ours}");
        }
    }
}

#[test]
fn our_client_takes_the_group_s_server_is_limited_to() {
    for (ours, theirs, want) in [
        ("P-384", "P-384", "secp384r1"),
        ("X25519:P-256", "P-256", "secp256r1"),
    ] {
        let (_kill, addr, _log) = s_server_p256(&["-groups", theirs]);
        let mut ctx = Context::new(Method::Tls).unwrap();
        ctx.set_groups_list(ours).unwrap();
        let stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        let mut conn = Connection::new(&ctx, stream);
        conn.set_connect_state().unwrap();
        conn.do_handshake()
            .unwrap_or_else(|e| panic!("{ours}: {e}"));
        assert_eq!(conn.group_name(), Some(want), "{ours}");
    }
}

/// Our client's callback calls against `s_server`, overriding every error
/// as `s_client`'s callback does.
fn our_calls(trusted: bool, host: &[u8]) -> Vec<(i32, u32, bool)> {
    let (_guard, addr, _) = s_server_p256(&["-www"]);
    let mut ctx = Context::new(Method::Tls).unwrap();
    if trusted {
        ctx.load_verify_locations(Some(Path::new(&path("p256-ca.pem"))), None)
            .unwrap();
    }
    let calls = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&calls);
    ctx.set_verify(
        VerifyMode::PEER,
        Some(Box::new(move |_: &X509, errnum, depth, ok| {
            seen.lock().unwrap().push((errnum.code(), depth, ok));
            true
        })),
    );
    let stream = TcpStream::connect_timeout(&addr, WAIT).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    let mut conn = Connection::new(&ctx, stream);
    conn.set_tlsext_host_name(host).unwrap();
    conn.set_connect_state().unwrap();
    conn.do_handshake().unwrap();
    conn.sendall(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    let mut buf = [0u8; 4096];
    while let Ok(n) = conn.recv(&mut buf) {
        if n == 0 {
            break;
        }
    }

    calls.lock().unwrap().clone()
}

fn openssl_calls(trusted: bool, host: &str) -> Vec<(i32, u32, bool)> {
    let (_guard, addr, _) = s_server_p256(&["-www"]);
    let mut args = vec!["-verify_hostname", host, "-servername", host];
    let ca = path("p256-ca.pem");
    if trusted {
        args.extend(["-CAfile", &ca]);
    }
    ssl::s_client_calls(&s_client(addr.port(), &args))
}

#[test]
fn host_name_mismatch_is_reported_in_openssls_order() {
    // Trusted chain, wrong name: OpenSSL reports 62 at depth 0 first, then
    // the per-certificate calls, root first.
    let theirs = openssl_calls(true, "example.com");
    assert_eq!(theirs, vec![(62, 0, false), (0, 1, true), (0, 0, true)]);
    assert_eq!(our_calls(true, b"example.com"), theirs);
    // Right name: no 62.
    let theirs = openssl_calls(true, "localhost");
    assert_eq!(theirs, vec![(0, 1, true), (0, 0, true)]);
    assert_eq!(our_calls(true, b"localhost"), theirs);
    // Untrusted chain, wrong name: the chain-building error (20) comes
    // before 62, then the signature check's 21, then the leaf's ok call.
    let theirs = openssl_calls(false, "example.com");
    assert_eq!(
        theirs,
        vec![(20, 0, false), (62, 0, false), (21, 0, false), (0, 0, true)]
    );
    assert_eq!(our_calls(false, b"example.com"), theirs);
}

/// Our client against `s_server -cert cert -key key`, trusting `ca`, with
/// `host` set: the callback calls (errors overridden when `let_pass`), the
/// handshake's outcome and verify result, and whether `s_server` saw SNI.
fn our_client(
    cert: &str,
    key: &str,
    ca: &str,
    host: &[u8],
    let_pass: bool,
) -> (Vec<(i32, u32, bool)>, bool, i32, bool) {
    let (_guard, addr, log) = ssl::s_server(&[
        "-cert",
        cert,
        "-key",
        key,
        "-naccept",
        "1",
        "-www",
        "-tlsextdebug",
    ]);
    let mut ctx = Context::new(Method::Tls).unwrap();
    ctx.load_verify_locations(Some(Path::new(ca)), None)
        .unwrap();
    let calls = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&calls);
    ctx.set_verify(
        VerifyMode::PEER,
        Some(Box::new(move |_: &X509, errnum, depth, ok| {
            seen.lock().unwrap().push((errnum.code(), depth, ok));
            ok || let_pass
        })),
    );
    let stream = TcpStream::connect_timeout(&addr, WAIT).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    let mut conn = Connection::new(&ctx, stream);
    conn.set_tlsext_host_name(host).unwrap();
    conn.set_connect_state().unwrap();
    let ok = conn.do_handshake().is_ok();
    if ok {
        conn.sendall(b"GET / HTTP/1.0\r\n\r\n").unwrap();
        let mut buf = [0u8; 4096];
        while let Ok(n) = conn.recv(&mut buf) {
            if n == 0 {
                break;
            }
        }
    }
    let result = conn.verify_result().code();
    drop(conn);
    let got = calls.lock().unwrap().clone();
    let sni = log.lock().unwrap().contains("server name");
    (got, ok, result, sni)
}

#[test]
fn ip_host_is_checked_as_s_client_verify_ip_checks_it() {
    let dir = pki::TempDir::new("sslctx-ip");
    let key = pki::key("ec-p256");
    // CN 127.0.0.1 but no IP SAN: an IP address is only matched against
    // iPAddress SANs.
    let no_ip = pki::make(
        &pki::Spec::new("127.0.0.1", 1)
            .ext("subjectAltName", false, "DNS:localhost")
            .times("20200101000000Z", "20400101000000Z"),
        &key,
        None,
    );
    let no_ip_pem = dir.path("no-ip.pem").display().to_string();
    pki::write_certs(Path::new(&no_ip_pem), &[&no_ip.cert]);
    let key_pem = format!(
        "{}/tests/vectors/keys/ec-p256.pkcs8.pem",
        env!("CARGO_MANIFEST_DIR")
    );
    let (p256, p256_key, p256_ca) = (path("p256.pem"), path("p256.key"), path("p256-ca.pem"));
    for (cert, key, ca, host, want) in [
        (&no_ip_pem, &key_pem, &no_ip_pem, "127.0.0.1", 64),
        (&no_ip_pem, &key_pem, &no_ip_pem, "localhost", 0),
        (&p256, &p256_key, &p256_ca, "127.0.0.1", 0),
        (&p256, &p256_key, &p256_ca, "127.0.0.2", 64),
        (&p256, &p256_key, &p256_ca, "::1", 64),
    ] {
        let ip = host.parse::<std::net::IpAddr>().is_ok();
        let (_g, addr, _) = ssl::s_server(&["-cert", cert, "-key", key, "-naccept", "1", "-www"]);
        let opt = if ip { "-verify_ip" } else { "-verify_hostname" };
        let mut args = vec![opt, host, "-CAfile", ca.as_str()];
        if !ip {
            args.extend(["-servername", host]);
        }
        let theirs = ssl::s_client_calls(&s_client(addr.port(), &args));
        let (ours, ok, result, sni) = our_client(cert, key, ca, host.as_bytes(), true);
        assert_eq!(ours, theirs, "{cert} {host}");
        assert!(ok, "{host}");
        assert_eq!(sni, !ip, "{host}: SNI sent only for a DNS name");
        assert_eq!(
            theirs.first().map(|c| c.0),
            Some(want).filter(|&w| w != 0).or(Some(0))
        );
        // Without the override, a mismatch fails the handshake.
        let (_, ok, result2, _) = our_client(cert, key, ca, host.as_bytes(), false);
        assert_eq!((ok, result2), (want == 0, want), "{cert} {host}");
        assert_eq!(result, 0);
    }
}

#[test]
fn host_email_and_ip_errors_come_in_s_client_s_order() {
    // s_client's callback lets every error pass and prints each one: the
    // leaf's 62, 63 and 64 come in check_id's order, before the
    // per-certificate calls. The store gives the same sequence.
    let (_g, addr, _) = s_server_p256(&["-www"]);
    let ca = path("p256-ca.pem");
    let theirs = ssl::s_client_calls(&s_client(
        addr.port(),
        &[
            "-verify_hostname",
            "example.com",
            "-verify_email",
            "a@example.com",
            "-verify_ip",
            "127.0.0.2",
            "-CAfile",
            &ca,
        ],
    ));
    assert_eq!(
        theirs,
        vec![
            (62, 0, false),
            (63, 0, false),
            (64, 0, false),
            (0, 1, true),
            (0, 0, true)
        ]
    );
    let leaf = X509::from_pem(&std::fs::read(path("p256.pem")).unwrap()).unwrap();
    let root = X509::from_pem(&std::fs::read(&ca).unwrap()).unwrap();
    let mut store = puressl::crypto::X509Store::new();
    store.add_cert(&root).unwrap();
    store.set_host("example.com").unwrap();
    store.set_email("a@example.com").unwrap();
    store.set_ip("127.0.0.2".parse().unwrap());
    let mut ours = Vec::new();
    let mut sc = puressl::crypto::X509StoreContext::new(&store, &leaf, None);
    sc.set_verify_callback(|_, code, depth, ok| {
        ours.push((code.code(), depth, ok));
        true
    });
    sc.verify_certificate().unwrap();
    drop(sc);
    assert_eq!(ours, theirs);
}

#[test]
fn info_callback_reads_the_alert_s_client_sends() {
    // s_client trusts nothing here, so it refuses our certificate with a
    // fatal unknown_ca alert (48): READ_ALERT with ret 0x230, then the
    // accept exits with -1.
    let mut ctx = server_ctx(Method::Tls);
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&events);
    ctx.set_info_callback(move |conn, where_, ret| {
        assert!(conn.is_server());
        seen.lock().unwrap().push((where_.bits(), ret));
    });
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = thread::spawn(move || {
        let stream = accept_tcp(&listener)?;
        let mut conn = Connection::new(&ctx, stream);
        conn.set_accept_state().unwrap();
        conn.do_handshake().map_err(|e| e.to_string())
    });
    let out = s_client(
        port,
        &[
            "-verify_return_error",
            "-no-CAfile",
            "-no-CApath",
            "-no-CAstore",
        ],
    );
    let err = server.join().unwrap().unwrap_err();
    assert!(err.contains("tlsv1 alert unknown ca"), "{err}\n{out}");
    assert!(out.contains("verify error:num=20"), "{out}");
    let events = events.lock().unwrap().clone();
    assert_eq!(events.first(), Some(&(0x10, 1)));
    assert_eq!(
        &events[events.len() - 2..],
        &[(0x4004, 0x230), (0x2002, -1)]
    );
    assert!(!events.iter().any(|e| e.0 == 0x20), "{events:?}");
}

#[test]
fn a_server_completes_its_chain_from_the_verify_store() {
    // Only the leaf is set; intermediate and root are in the verify store,
    // loaded from a file: OpenSSL sends leaf, intermediate and root.
    let pki = pki::tls_chain();
    let dir = pki::TempDir::new("autochain");
    let (store, root) = (dir.path("store.pem"), dir.path("root.pem"));
    pki::write_certs(&store, &[&pki.inter.cert, &pki.root.cert]);
    pki::write_certs(&root, &[&pki.root.cert]);
    let mut ctx = Context::new(Method::Tls).unwrap();
    ctx.use_certificate(&pki.leaf.cert).unwrap();
    ctx.use_privatekey(&pki.leaf.key).unwrap();
    ctx.load_verify_locations(Some(&store), None).unwrap();
    let steps: Vec<Step> = vec![Box::new(|_| {}), Box::new(|_| {})];
    let (port, server) = serve(ctx, steps, |c| c.session_reused());
    for version in ["-tls1_2", "-tls1_3"] {
        let root = root.to_str().unwrap();
        let out = s_client(port, &[version, "-showcerts", "-CAfile", root]);
        assert_eq!(
            out.matches("-----BEGIN CERTIFICATE-----").count(),
            3,
            "{out}"
        );
        assert!(
            out.contains(" 1 s:CN = puressl chain intermediate"),
            "{out}"
        );
        assert!(out.contains(" 2 s:CN = puressl chain root"), "{out}");
        assert!(out.contains("Verify return code: 0 (ok)"), "{out}");
    }
    server.join().unwrap().unwrap();
}

/// A CA, a `localhost` leaf with serial 0x51AB, and a real OCSP response
/// saying the leaf is good, signed by the CA: made with `openssl ocsp` as
/// a responder (an index file and the CA's key) answering a request for
/// the leaf. Files: ca.pem, leaf.pem, leaf.key, resp.der.
fn ocsp_pki(tag: &str) -> pki::TempDir {
    let dir = pki::TempDir::new(tag);
    let d = &dir;
    let p256 = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
    ];
    let mut ca = vec![
        "req", "-x509", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
    ];
    ca.extend(p256);
    ca.extend([
        "-subj",
        "/CN=puressl OCSP test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
    ]);
    openssl_in(d, &ca);
    let mut csr = vec![
        "req",
        "-keyout",
        "leaf.key",
        "-out",
        "leaf.csr",
        "-subj",
        "/CN=localhost",
    ];
    csr.extend(p256);
    openssl_in(d, &csr);
    std::fs::write(dir.path("ext"), "subjectAltName=DNS:localhost\n").unwrap();
    openssl_in(
        d,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-set_serial",
            "0x51AB",
            "-days",
            "2",
            "-extfile",
            "ext",
            "-out",
            "leaf.pem",
        ],
    );
    let index = "V\t491231235959Z\t\t51AB\tunknown\t/CN=localhost\n";
    std::fs::write(dir.path("index.txt"), index).unwrap();
    openssl_in(
        d,
        &[
            "ocsp",
            "-issuer",
            "ca.pem",
            "-cert",
            "leaf.pem",
            "-no_nonce",
            "-reqout",
            "req.der",
        ],
    );
    openssl_in(
        d,
        &[
            "ocsp",
            "-index",
            "index.txt",
            "-rsigner",
            "ca.pem",
            "-rkey",
            "ca.key",
            "-CA",
            "ca.pem",
            "-reqin",
            "req.der",
            "-respout",
            "resp.der",
            "-ndays",
            "1",
        ],
    );
    dir
}

#[test]
fn s_client_status_prints_the_ocsp_response_our_server_staples() {
    let dir = ocsp_pki("sslctx-ocsp-srv");
    let response = std::fs::read(dir.path("resp.der")).unwrap();
    let mut ctx = Context::new(Method::Tls).unwrap();
    ctx.use_certificate_file(dir.path("leaf.pem"), FileType::Pem)
        .unwrap();
    ctx.use_privatekey_file(dir.path("leaf.key"), FileType::Pem)
        .unwrap();
    let calls = Arc::new(Mutex::new(0));
    let counted = Arc::clone(&calls);
    ctx.set_ocsp_server_callback(move |_| {
        let mut n = counted.lock().unwrap();
        *n += 1;
        // The third call staples nothing.
        Ok(if *n == 3 {
            Vec::new()
        } else {
            response.clone()
        })
    });
    let steps: Vec<Step> = (0..4)
        .map(|_| Box::new(|_: &mut Context| {}) as Step)
        .collect();
    let (port, server) = serve(ctx, steps, |_| ());
    let outs = [
        s_client(port, &["-tls1_2", "-status"]),
        s_client(port, &["-tls1_3", "-status"]),
        s_client(port, &[]),
        s_client(port, &["-status"]),
    ];
    server.join().unwrap().unwrap();
    for out in &outs[..2] {
        for line in [
            "OCSP response: \n======================================\nOCSP Response Data:",
            "OCSP Response Status: successful (0x0)",
            "Responder Id: CN = puressl OCSP test CA",
            "Serial Number: 51AB",
            "Cert Status: good",
        ] {
            assert!(out.contains(line), "{line} not in:\n{out}");
        }
    }
    // Not asked: no callback, nothing stapled.
    assert!(!outs[2].contains("OCSP response"), "{}", outs[2]);
    assert!(
        outs[3].contains("OCSP response: no response sent"),
        "{}",
        outs[3]
    );
    assert_eq!(*calls.lock().unwrap(), 3);
}

#[test]
fn our_client_gets_the_ocsp_response_s_server_staples() {
    let dir = ocsp_pki("sslctx-ocsp-cli");
    let response = std::fs::read(dir.path("resp.der")).unwrap();
    let (cert, key, file) = (
        dir.path("leaf.pem"),
        dir.path("leaf.key"),
        dir.path("resp.der"),
    );
    let (cert, key, file) = (
        cert.to_str().unwrap(),
        key.to_str().unwrap(),
        file.to_str().unwrap(),
    );
    let (_kill, addr, _log) = ssl::s_server(&[
        "-cert",
        cert,
        "-key",
        key,
        "-status_file",
        file,
        "-naccept",
        "3",
    ]);
    for (method, request) in [
        (Method::TlsV1_2, true),
        (Method::Tls, true),
        (Method::Tls, false),
    ] {
        let mut ctx = Context::new(method).unwrap();
        ctx.load_verify_locations(Some(&dir.path("ca.pem")), None)
            .unwrap();
        ctx.set_verify(VerifyMode::PEER, None);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&seen);
        ctx.set_ocsp_client_callback(move |conn, response| {
            let serial = conn.peer_certificate()?.serial_number().to_string();
            sink.lock().unwrap().push((serial, response.to_vec()));
            Ok(true)
        });
        let stream = TcpStream::connect_timeout(&addr, WAIT).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        let mut conn = Connection::new(&ctx, stream);
        conn.set_tlsext_host_name(b"localhost").unwrap();
        conn.set_connect_state().unwrap();
        if request {
            conn.request_ocsp().unwrap();
        }
        conn.do_handshake()
            .unwrap_or_else(|e| panic!("{method:?}: {e}"));
        let _ = conn.shutdown();
        let seen = seen.lock().unwrap().clone();
        if request {
            assert_eq!(
                seen,
                [("20907".to_string(), response.clone())],
                "{method:?}"
            );
        } else {
            assert!(seen.is_empty());
        }
    }
}

#[test]
fn s_client_resumes_only_as_the_session_cache_mode_allows() {
    use puressl::ssl::SessionCacheMode as M;
    // (version, mode, OP_NO_TICKET, a Session-ID shown by s_client (the
    // server's, or one s_client derives from a ticket), second connection;
    // "unsaved": s_client got no resumable session, so it saved none)
    let no_lookup = M::SERVER | M::NO_INTERNAL_LOOKUP;
    let no_store = M::SERVER | M::NO_INTERNAL_STORE;
    let no_clear = M::SERVER | M::NO_AUTO_CLEAR;
    let cases = [
        ("-tls1_2", M::BOTH, true, true, "Reused"),
        ("-tls1_2", M::SERVER, true, true, "Reused"),
        ("-tls1_2", M::OFF, true, false, "unsaved"),
        ("-tls1_2", M::CLIENT, true, false, "unsaved"),
        ("-tls1_2", no_lookup, true, true, "New"),
        ("-tls1_2", no_store, true, true, "New"),
        ("-tls1_2", no_clear, true, true, "Reused"),
        // Stateless tickets do not use the cache.
        ("-tls1_2", M::OFF, false, true, "Reused"),
        ("-tls1_3", M::OFF, false, false, "Reused"),
        // TLS 1.3 tickets that are references into the cache.
        ("-tls1_3", M::OFF, true, false, "unsaved"),
        ("-tls1_3", no_lookup, true, false, "New"),
        ("-tls1_3", M::SERVER, true, false, "Reused"),
    ];
    for (i, (version, mode, no_ticket, id, want)) in cases.into_iter().enumerate() {
        let what = format!("{version} {mode:?} no_ticket={no_ticket}");
        let mut ctx = server_ctx(Method::Tls);
        ctx.set_session_cache_mode(mode);
        if no_ticket {
            ctx.set_options(Options::NO_TICKET);
        }
        let unsaved = want == "unsaved";
        let mut steps: Vec<Step> = vec![Box::new(|_| {})];
        if !unsaved {
            steps.push(Box::new(|_| {}));
        }
        let (port, server) = serve(ctx, steps, |c| c.session_reused());
        let file = tmp(&format!("cache-mode-{i}"));
        let f = file.to_str().unwrap();
        let first = s_client(port, &[version, "-sess_out", f]);
        assert_eq!(file.exists(), !unsaved, "{what}:\n{first}");
        let second = if unsaved {
            String::new()
        } else {
            s_client(port, &[version, "-sess_in", f])
        };
        let reused = server.join().unwrap().unwrap();
        let _ = std::fs::remove_file(&file);
        assert_eq!(sess(&first), "New", "{what}:\n{first}");
        if !unsaved {
            assert_eq!(sess(&second), want, "{what}:\n{second}");
            assert_eq!(reused, [false, want == "Reused"], "{what}");
        }
        if version == "-tls1_2" {
            let empty = first.contains("    Session-ID: \n");
            assert_eq!(!empty, id, "{what}:\n{first}");
        }
    }
}

#[test]
fn cache_off_sends_no_session_id_as_s_server_no_cache() {
    // OpenSSL's own server with its cache off: the same empty session ID,
    // and so no session for s_client to save, as ours with
    // SessionCacheMode::OFF above.
    let (_kill, addr, _log) = s_server_p256(&["-no_cache", "-no_ticket", "-www"]);
    let file = tmp("s_server-no-cache");
    let f = file.to_str().unwrap();
    let first = s_client(addr.port(), &["-tls1_2", "-sess_out", f]);
    assert!(first.contains("    Session-ID: \n"), "{first}");
    assert_eq!(sess(&first), "New");
    assert!(!file.exists());
}
