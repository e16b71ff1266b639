//! Issue 12: the server-name and ALPN select callbacks, per-connection
//! overrides and the key-log callback, in memory and against the `openssl`
//! CLI on 127.0.0.1.

use std::path::Path;
use std::sync::{Arc, Mutex};

use puressl::crypto::{FileType, X509VerifyError, X509};
use puressl::ssl::{AlpnSelect, Connection, Context, Error, Memory, Method, VerifyMode};

use crate::support::child;
use crate::support::ssl;
use ssl::{handshake, pair, path, serve, server_ctx, Step};

/// A server context with the P-384 leaf (issued by the P-384 test CA).
fn p384_ctx() -> Context {
    let mut ctx = Context::new(Method::Tls).unwrap();
    ctx.use_certificate_file(path("p384.pem"), FileType::Pem)
        .unwrap();
    ctx.use_privatekey_file(path("p384.key"), FileType::Pem)
        .unwrap();
    ctx
}

/// A client trusting both test CAs and verifying the server.
fn client_trusting_both() -> Context {
    let mut ctx = Context::new(Method::Tls).unwrap();
    for ca in ["p256-ca.pem", "p384-ca.pem"] {
        ctx.load_verify_locations(Some(Path::new(&path(ca))), None)
            .unwrap();
    }
    ctx.set_verify(VerifyMode::PEER, None);
    ctx
}

/// The CN of the issuer of the server's certificate as the client saw it.
fn issuer_cn(conn: &Connection<Memory>) -> String {
    let cert = conn.peer_certificate().unwrap().unwrap();
    let issuer = cert.issuer();
    issuer.get("CN").unwrap().unwrap()
}

/// A server with two virtual hosts: `b.example` gets the P-384
/// certificate (another context), anything else the P-256 one; the
/// names the callback saw are recorded. `bad.example` is refused.
fn vhost_server(seen: &Arc<Mutex<Vec<Option<String>>>>) -> Context {
    let mut ctx = server_ctx(Method::Tls);
    let b = p384_ctx();
    let seen = Arc::clone(seen);
    ctx.set_tlsext_servername_callback(move |conn| {
        let name = conn.servername();
        seen.lock().unwrap().push(name.clone());
        match name.as_deref() {
            Some("b.example") => conn.set_context(&b),
            Some("bad.example") => Err(Error::callback("no such host")),
            _ => Ok(()),
        }
    });
    ctx
}

fn client_for(
    name: Option<&str>,
    ctx: &Context,
    server: &Context,
) -> (Connection<Memory>, Connection<Memory>) {
    let mut c = Connection::new(ctx, Memory::default());
    if let Some(n) = name {
        c.set_tlsext_host_name(n.as_bytes()).unwrap();
    }
    c.set_connect_state().unwrap();
    let mut s = Connection::new(server, Memory::default());
    s.set_accept_state().unwrap();
    (c, s)
}

#[test]
fn servername_callback_picks_the_virtual_host() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let server = vhost_server(&seen);
    // The names are not in the certificates (CN=localhost): the client
    // checks the chain only.
    let mut client = client_trusting_both();
    client.set_verify(
        VerifyMode::PEER,
        Some(Box::new(|_, errnum, _, ok| {
            ok || errnum == X509VerifyError::HOSTNAME_MISMATCH
        })),
    );
    for (name, issuer) in [
        (Some("a.example"), "puressl provider test CA p256"),
        (Some("b.example"), "puressl provider test CA p384"),
        (None, "puressl provider test CA p256"),
    ] {
        let (mut c, mut s) = client_for(name, &client, &server);
        handshake(&mut c, &mut s).unwrap();
        assert_eq!(issuer_cn(&c), issuer, "{name:?}");
        assert_eq!(s.servername().as_deref(), name);
        let data = b"vhost data";
        c.send(data).unwrap();
        ssl::pump(&mut c, &mut s);
        let mut buf = [0u8; 32];
        let n = s.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], data);
    }
    assert_eq!(
        *seen.lock().unwrap(),
        vec![
            Some("a.example".to_string()),
            Some("b.example".to_string()),
            None
        ]
    );
}

/// The server's error on the client's first flight; the server's answer
/// (an alert) is moved to the client.
fn hello_error(c: &mut Connection<Memory>, s: &mut Connection<Memory>) -> Error {
    assert!(c.do_handshake().unwrap_err().is_retryable());
    ssl::pump(c, s);
    let e = s.do_handshake().unwrap_err();
    ssl::pump(s, c);
    e
}

#[test]
fn servername_callback_error_sends_unrecognized_name() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let server = vhost_server(&seen);
    let (mut c, mut s) = client_for(Some("bad.example"), &client_trusting_both(), &server);
    let e = hello_error(&mut c, &mut s);
    assert_eq!(e.to_string(), "SSL routines::no such host");
    // The client got the alert.
    let e = c.do_handshake().unwrap_err();
    assert_eq!(e.to_string(), "SSL routines::tlsv1 unrecognized name");
    assert_eq!(s.state_string(), "error");
    assert!(s.do_handshake().is_err());
}

#[test]
fn per_connection_certificate_and_key_in_the_callback() {
    let mut server = server_ctx(Method::Tls);
    let (cert, key) = (
        X509::from_pem(&std::fs::read(path("p384.pem")).unwrap()).unwrap(),
        puressl::crypto::load_privatekey(
            FileType::Pem,
            &std::fs::read(path("p384.key")).unwrap(),
            None,
        )
        .unwrap(),
    );
    server.set_tlsext_servername_callback(move |conn| {
        if conn.servername().as_deref() == Some("b.example") {
            conn.use_certificate(&cert)?;
            conn.use_privatekey(&key)?;
        }
        Ok(())
    });
    let mut client = client_trusting_both();
    client.set_verify(
        VerifyMode::PEER,
        Some(Box::new(|_, errnum, _, ok| {
            ok || errnum == X509VerifyError::HOSTNAME_MISMATCH
        })),
    );
    let (mut c, mut s) = client_for(Some("b.example"), &client, &server);
    handshake(&mut c, &mut s).unwrap();
    assert_eq!(issuer_cn(&c), "puressl provider test CA p384");
    // The shared context is untouched.
    let (mut c, mut s) = client_for(Some("a.example"), &client, &server);
    handshake(&mut c, &mut s).unwrap();
    assert_eq!(issuer_cn(&c), "puressl provider test CA p256");
}

#[test]
fn per_connection_verify_override() {
    let server = server_ctx(Method::Tls);
    // The client context trusts nothing and does not verify; one of its
    // connections verifies and fails, the context's others do not.
    let client = Context::new(Method::Tls).unwrap();
    let mut c = Connection::new(&client, Memory::default());
    c.set_connect_state().unwrap();
    c.set_verify(VerifyMode::PEER, None).unwrap();
    assert_eq!(c.verify_mode(), VerifyMode::PEER);
    let mut s = Connection::new(&server, Memory::default());
    s.set_accept_state().unwrap();
    let e = handshake(&mut c, &mut s).unwrap_err();
    assert_eq!(
        e.to_string(),
        "SSL routines::certificate verify failed; x509 certificate routines::unable to get local issuer certificate"
    );
    assert_eq!(c.verify_result().code(), 20);
    let (mut c, mut s) = pair(&client, &server);
    handshake(&mut c, &mut s).unwrap();
    assert_eq!(c.verify_result().code(), 20);
    // Too late once bytes moved.
    assert!(c.set_verify(VerifyMode::NONE, None).is_err());
}

/// A server whose ALPN select callback records the offered list and
/// answers with `answer`.
fn alpn_server(
    offered: &Arc<Mutex<Vec<Vec<Vec<u8>>>>>,
    answer: fn(&[&[u8]]) -> Result<AlpnSelect, Error>,
) -> Context {
    let mut ctx = server_ctx(Method::Tls);
    let offered = Arc::clone(offered);
    ctx.set_alpn_select_callback(move |_conn, protos| {
        offered
            .lock()
            .unwrap()
            .push(protos.iter().map(|p| p.to_vec()).collect());
        answer(protos)
    });
    ctx
}

fn alpn_client() -> Context {
    let mut ctx = Context::new(Method::Tls).unwrap();
    ctx.set_alpn_protos(&[b"http/1.1", b"spdy/2"]).unwrap();
    ctx
}

#[test]
fn alpn_select_callback_chooses() {
    let offered = Arc::new(Mutex::new(Vec::new()));
    let server = alpn_server(&offered, |_| Ok(AlpnSelect::Protocol(b"spdy/2".to_vec())));
    let (mut c, mut s) = pair(&alpn_client(), &server);
    handshake(&mut c, &mut s).unwrap();
    assert_eq!(c.alpn_proto_negotiated().as_deref(), Some(&b"spdy/2"[..]));
    assert_eq!(s.alpn_proto_negotiated().as_deref(), Some(&b"spdy/2"[..]));
    assert_eq!(
        *offered.lock().unwrap(),
        vec![vec![b"http/1.1".to_vec(), b"spdy/2".to_vec()]]
    );
    // A second connection: same answer (from the cached configuration).
    let (mut c, mut s) = pair(&alpn_client(), &server);
    handshake(&mut c, &mut s).unwrap();
    assert_eq!(s.alpn_proto_negotiated().as_deref(), Some(&b"spdy/2"[..]));
    // A client without ALPN: the callback is not called.
    let (mut c, mut s) = pair(&Context::new(Method::Tls).unwrap(), &server);
    handshake(&mut c, &mut s).unwrap();
    assert_eq!(s.alpn_proto_negotiated(), None);
    assert_eq!(offered.lock().unwrap().len(), 2);
}

#[test]
fn alpn_select_no_overlap_and_errors() {
    let offered = Arc::new(Mutex::new(Vec::new()));
    let none = alpn_server(&offered, |_| Ok(AlpnSelect::NoOverlappingProtocols));
    let (mut c, mut s) = pair(&alpn_client(), &none);
    handshake(&mut c, &mut s).unwrap();
    assert_eq!(c.alpn_proto_negotiated(), None);
    assert_eq!(s.alpn_proto_negotiated(), None);

    for (answer, text) in [
        (
            (|_: &[&[u8]]| Err(Error::callback("refused"))) as fn(&[&[u8]]) -> _,
            "SSL routines::refused",
        ),
        (
            |_: &[&[u8]]| Ok(AlpnSelect::Protocol(Vec::new())),
            "SSL routines::the ALPN select callback returned an empty or over-long protocol",
        ),
    ] {
        let server = alpn_server(&offered, answer);
        let (mut c, mut s) = pair(&alpn_client(), &server);
        let e = hello_error(&mut c, &mut s);
        assert_eq!(e.to_string(), text);
        let e = c.do_handshake().unwrap_err();
        assert_eq!(
            e.to_string(),
            "SSL routines::tlsv1 alert no application protocol"
        );
    }
}

#[test]
fn servername_then_alpn_of_the_switched_context() {
    let mut b = p384_ctx();
    b.set_alpn_select_callback(|_, _| Ok(AlpnSelect::Protocol(b"http/1.1".to_vec())));
    let mut server = server_ctx(Method::Tls);
    server.set_alpn_select_callback(|_, _| Ok(AlpnSelect::Protocol(b"spdy/2".to_vec())));
    server.set_tlsext_servername_callback(move |conn| {
        if conn.servername().as_deref() == Some("b.example") {
            conn.set_context(&b)?;
        }
        Ok(())
    });
    let client = alpn_client();
    for (name, proto) in [("a.example", &b"spdy/2"[..]), ("b.example", b"http/1.1")] {
        let (mut c, mut s) = client_for(Some(name), &client, &server);
        handshake(&mut c, &mut s).unwrap();
        assert_eq!(c.alpn_proto_negotiated().as_deref(), Some(proto), "{name}");
    }
}

/// The server's view of one connection: SNI name and ALPN protocol.
fn names(c: &Connection<std::net::TcpStream>) -> (Option<String>, Option<Vec<u8>>) {
    (c.servername(), c.alpn_proto_negotiated())
}

#[test]
fn s_client_servername_gets_each_virtual_host_s_certificate() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let server = vhost_server(&seen);
    let steps: Vec<Step> = vec![Box::new(|_| {}), Box::new(|_| {}), Box::new(|_| {})];
    let (port, handle) = serve(server, steps, names);
    let outs: Vec<String> = ["a.example", "b.example", "bad.example"]
        .iter()
        .map(|n| ssl::s_client(port, &["-servername", n], b"ping\n").1)
        .collect();
    let r = handle.join().unwrap();
    assert!(
        outs[0].contains("issuer=CN = puressl provider test CA p256"),
        "{}",
        outs[0]
    );
    assert!(
        outs[1].contains("issuer=CN = puressl provider test CA p384"),
        "{}",
        outs[1]
    );
    // OpenSSL reports the alert by name and number.
    assert!(
        outs[2].contains("unrecognized name") && outs[2].contains("alert number 112"),
        "{}",
        outs[2]
    );
    assert_eq!(r.unwrap_err(), "read: SSL routines::no such host");
}

#[test]
fn s_client_alpn_gets_the_callback_s_choice() {
    let offered = Arc::new(Mutex::new(Vec::new()));
    let server = alpn_server(&offered, |p| {
        Ok(match p.iter().find(|p| **p == b"h2") {
            Some(p) => AlpnSelect::Protocol(p.to_vec()),
            None => AlpnSelect::NoOverlappingProtocols,
        })
    });
    let steps: Vec<Step> = vec![Box::new(|_| {}), Box::new(|_| {})];
    let (port, handle) = serve(server, steps, names);
    let first = ssl::s_client(port, &["-alpn", "http/1.1,h2"], b"ping\n").1;
    let second = ssl::s_client(port, &["-alpn", "http/1.1"], b"ping\n").1;
    let r = handle.join().unwrap().unwrap();
    assert!(first.contains("ALPN protocol: h2"), "{first}");
    assert!(second.contains("No ALPN negotiated"), "{second}");
    assert_eq!(r[0].1.as_deref(), Some(&b"h2"[..]));
    assert_eq!(r[1].1, None);
    assert_eq!(
        *offered.lock().unwrap(),
        vec![
            vec![b"http/1.1".to_vec(), b"h2".to_vec()],
            vec![b"http/1.1".to_vec()]
        ]
    );
}

/// A context that records its key-log lines.
fn logging(mut ctx: Context) -> (Context, Arc<Mutex<Vec<String>>>) {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    ctx.set_keylog_callback(move |line| {
        sink.lock()
            .unwrap()
            .push(String::from_utf8(line.to_vec()).unwrap())
    });
    (ctx, lines)
}

/// RFC 8446 §7.1 HKDF-Expand-Label with SHA-256.
fn expand_label(secret: &[u8], label: &str, context: &[u8], len: usize) -> Vec<u8> {
    let mut info = Vec::new();
    info.extend_from_slice(&u16::try_from(len).unwrap().to_be_bytes());
    let full = format!("tls13 {label}");
    info.push(u8::try_from(full.len()).unwrap());
    info.extend_from_slice(full.as_bytes());
    info.push(u8::try_from(context.len()).unwrap());
    info.extend_from_slice(context);
    let hk = hkdf::Hkdf::<sha2::Sha256>::from_prk(secret).unwrap();
    let mut out = vec![0u8; len];
    hk.expand(&info, &mut out).unwrap();
    out
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn keylog_lines_give_the_secrets_of_both_sides() {
    use sha2::Digest;
    let mut server = server_ctx(Method::Tls);
    server
        .set_tls13_ciphersuites("TLS_AES_128_GCM_SHA256")
        .unwrap();
    let (server, server_lines) = logging(server);
    let (client, client_lines) = logging(Context::new(Method::Tls).unwrap());
    let (mut c, mut s) = pair(&client, &server);
    handshake(&mut c, &mut s).unwrap();
    let ours = client_lines.lock().unwrap().clone();
    let labels: Vec<&str> = ours.iter().map(|l| l.split(' ').next().unwrap()).collect();
    for l in [
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
        "SERVER_HANDSHAKE_TRAFFIC_SECRET",
        "CLIENT_TRAFFIC_SECRET_0",
        "SERVER_TRAFFIC_SECRET_0",
        "EXPORTER_SECRET",
    ] {
        assert!(labels.contains(&l), "{l} missing from {labels:?}");
    }
    let mut theirs = server_lines.lock().unwrap().clone();
    let mut sorted = ours.clone();
    sorted.sort();
    theirs.sort();
    assert_eq!(sorted, theirs);
    // The exporter secret gives export_keying_material (RFC 8446 §7.5).
    let exporter = ours
        .iter()
        .find(|l| l.starts_with("EXPORTER_SECRET "))
        .unwrap();
    let fields: Vec<&str> = exporter.split(' ').collect();
    assert_eq!(fields[1].len(), 64);
    let secret = unhex(fields[2]);
    let derived = expand_label(&secret, "EXPERIMENTAL test", &sha2::Sha256::digest(b""), 32);
    let ekm = expand_label(&derived, "exporter", &sha2::Sha256::digest(b"ctx"), 32);
    assert_eq!(
        c.export_keying_material(b"EXPERIMENTAL test", 32, Some(b"ctx"))
            .unwrap(),
        ekm
    );
}

#[test]
fn keylog_lines_match_openssl_s_client_keylogfile() {
    for version in ["-tls1_3", "-tls1_2"] {
        let (server, lines) = logging(server_ctx(Method::Tls));
        let steps: Vec<Step> = vec![Box::new(|_| {})];
        let (port, handle) = serve(server, steps, names);
        let file = std::env::temp_dir().join(format!(
            "puressl-keylog-{}{version}.txt",
            std::process::id()
        ));
        let f = file.to_str().unwrap();
        let (ok, out) = ssl::s_client(port, &[version, "-keylogfile", f], b"ping\n");
        handle.join().unwrap().unwrap();
        assert!(ok, "{out}");
        let theirs: Vec<String> = std::fs::read_to_string(&file)
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(str::to_string)
            .collect();
        let _ = std::fs::remove_file(&file);
        let mut ours = lines.lock().unwrap().clone();
        let mut theirs_sorted = theirs.clone();
        ours.sort();
        theirs_sorted.sort();
        assert_eq!(ours, theirs_sorted, "{version}");
        let want = if version == "-tls1_2" { 1 } else { 5 };
        assert_eq!(ours.len(), want, "{version}: {ours:?}");
        if version == "-tls1_2" {
            assert!(ours[0].starts_with("CLIENT_RANDOM "));
            assert_eq!(ours[0].len(), "CLIENT_RANDOM ".len() + 64 + 1 + 96);
        }
    }
}

#[test]
fn keylog_file_from_env_is_opt_in() {
    let file = std::env::temp_dir().join(format!("puressl-keylog-env-{}.txt", std::process::id()));
    let _ = std::fs::remove_file(&file);
    // SAFETY: (`set_var` is `unsafe` since edition 2024) other tests of this binary run on
    // other threads, but none reads or writes SSLKEYLOGFILE; the same for the removal below.
    unsafe { std::env::set_var("SSLKEYLOGFILE", &file) };
    // Without the opt-in call nothing is written.
    let (mut c, mut s) = pair(
        &Context::new(Method::Tls).unwrap(),
        &server_ctx(Method::Tls),
    );
    handshake(&mut c, &mut s).unwrap();
    assert!(!file.exists());
    let mut client = Context::new(Method::Tls).unwrap();
    assert!(client.set_keylog_file_from_env().unwrap());
    let (mut c, mut s) = pair(&client, &server_ctx(Method::Tls));
    handshake(&mut c, &mut s).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    // SAFETY: as for `set_var` above.
    unsafe { std::env::remove_var("SSLKEYLOGFILE") };
    let _ = std::fs::remove_file(&file);
    assert_eq!(text.lines().count(), 5, "{text}");
    assert!(text.ends_with('\n'));
    assert!(text.lines().all(|l| l.split(' ').count() == 3), "{text}");
    assert!(!Context::new(Method::Tls)
        .unwrap()
        .set_keylog_file_from_env()
        .unwrap());
}

/// A client connection of `ctx` to `host` against `server`: the handshake's outcome and the verify result.
fn verified(ctx: &Context, host: &str, server: &Context) -> (Result<(), Error>, i32) {
    let (mut c, mut s) = client_for(Some(host), ctx, server);
    let r = handshake(&mut c, &mut s);
    (r, c.verify_result().code())
}

#[test]
fn verified_client_checks_chain_and_name() {
    let ctx = Context::verified_client_with_ca(path("p256-ca.pem")).unwrap();
    assert_eq!(ctx.verify_mode(), VerifyMode::PEER);
    let server = server_ctx(Method::Tls);
    let (r, code) = verified(&ctx, "localhost", &server);
    assert!(r.is_ok(), "{r:?}");
    assert_eq!(code, 0);
    let (r, code) = verified(&ctx, "example.com", &server);
    assert!(r.is_err());
    assert_eq!(code, 62);
    // Another CA's certificate.
    let (r, code) = verified(&ctx, "localhost", &p384_ctx());
    assert!(r.is_err());
    assert_eq!(code, 20);
    // No name: refused before any byte moves.
    let mut c = Connection::new(&ctx, Memory::default());
    let e = c.set_connect_state().unwrap_err();
    assert!(e.to_string().contains("set_tlsext_host_name"), "{e}");
    // System roots: the test CA is not among them.
    let system = Context::verified_client().unwrap();
    assert!(!system.cert_store().certificates().is_empty());
    let (r, code) = verified(&system, "localhost", &server);
    assert!(r.is_err());
    assert_eq!(code, 20);
    // Context::new stays pyOpenSSL's: no verification.
    assert_eq!(
        Context::new(Method::Tls).unwrap().verify_mode(),
        VerifyMode::NONE
    );
}

fn hexs(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The server's client random and master key, hex.
fn secrets(c: &Connection<std::net::TcpStream>) -> (Option<String>, Option<String>) {
    (c.client_random().map(hexs), c.master_key().map(hexs))
}

#[test]
fn randoms_master_key_and_verified_chain() {
    let client = ssl::client_ctx(Method::Tls);
    let server = server_ctx(Method::Tls);
    let (mut c, mut s) = pair(&client, &server);
    assert_eq!((c.client_random(), c.protocol_version()), (None, None));
    handshake(&mut c, &mut s).unwrap();
    assert_eq!(
        c.protocol_version(),
        Some(puressl::ssl::ProtoVersion::Tls1_3)
    );
    assert_eq!(c.protocol_version().unwrap().code(), 0x0304);
    assert_eq!(c.cipher_version(), Some("TLSv1.3"));
    assert_eq!(c.client_random().unwrap().len(), 32);
    assert_eq!(c.client_random(), s.client_random());
    assert_eq!(
        (
            c.master_key(),
            c.server_random(),
            c.finished(),
            c.peer_finished()
        ),
        (None, None, None, None)
    );
    let chain: Vec<String> = c
        .verified_chain()
        .unwrap()
        .iter()
        .map(|x| x.subject().get("CN").unwrap().unwrap())
        .collect();
    assert_eq!(chain, ["localhost", "puressl provider test CA p256"]);
    // Byte for byte the certificates of the files (the connection keeps
    // the chain as DER and parses it again when asked).
    let ders: Vec<Vec<u8>> = c
        .verified_chain()
        .unwrap()
        .iter()
        .map(|x| x.to_der().unwrap())
        .collect();
    let file = |name: &str| {
        puressl::crypto::load_certificate(FileType::Pem, &std::fs::read(path(name)).unwrap())
            .unwrap()
            .to_der()
            .unwrap()
    };
    assert_eq!(ders, [file("p256.pem"), file("p256-ca.pem")]);
    assert!(s.verified_chain().is_none());

    let client = ssl::client_ctx(Method::TlsV1_2);
    let (mut c, mut s) = pair(&client, &server);
    handshake(&mut c, &mut s).unwrap();
    assert_eq!(c.cipher_version(), Some("TLSv1.2"));
    assert_eq!(c.master_key().unwrap().len(), 48);
    assert_eq!(c.master_key(), s.master_key());
    assert_eq!(c.client_random(), s.client_random());
}

#[test]
fn master_key_matches_openssl_s_client_keylogfile() {
    let steps: Vec<Step> = vec![Box::new(|_| {})];
    let (port, handle) = serve(server_ctx(Method::Tls), steps, secrets);
    let file = std::env::temp_dir().join(format!("puressl-mk-{}.txt", std::process::id()));
    let f = file.to_str().unwrap();
    let (ok, out) = ssl::s_client(port, &["-tls1_2", "-keylogfile", f], b"ping\n");
    assert!(ok, "{out}");
    let got = handle.join().unwrap().unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    let _ = std::fs::remove_file(&file);
    let line = text
        .lines()
        .find(|l| l.starts_with("CLIENT_RANDOM "))
        .unwrap();
    let (random, key) = got[0].clone();
    assert_eq!(
        line,
        format!("CLIENT_RANDOM {} {}", random.unwrap(), key.unwrap())
    );
}

/// Handshakes a client (SNI `name`, offering `offer`) with `server`, moves
/// a line each way so TLS 1.3 tickets arrive, and returns the client.
fn resume(
    client: &Context,
    server: &Context,
    name: &str,
    offer: Option<&puressl::ssl::Session>,
) -> Connection<Memory> {
    let mut c = Connection::new(client, Memory::default());
    c.set_tlsext_host_name(name.as_bytes()).unwrap();
    c.set_connect_state().unwrap();
    if let Some(s) = offer {
        c.set_session(s).unwrap();
    }
    let mut s = Connection::new(server, Memory::default());
    s.set_accept_state().unwrap();
    handshake(&mut c, &mut s).unwrap();
    s.send(b"hi\n").unwrap();
    ssl::pump(&mut s, &mut c);
    let mut buf = [0u8; 8];
    assert_eq!(c.recv(&mut buf).unwrap(), 3);
    assert_eq!(s.session_reused(), c.session_reused());
    c
}

#[test]
fn session_from_one_connection_resumes_another() {
    use puressl::ssl::ProtoVersion;
    for method in [Method::TlsV1_2, Method::TlsV1_3] {
        let server = server_ctx(Method::Tls);
        let client = Context::new(method).unwrap();
        let first = resume(&client, &server, "a.example", None);
        assert!(!first.session_reused());
        let session = first.session().expect("a session after reading");
        let version = session.protocol_version().unwrap();
        assert_eq!(Some(version), first.protocol_version(), "{method:?}");
        // rustls servers resume only under the same SNI name (RFC 6066 §3).
        let second = resume(&client, &server, "a.example", Some(&session));
        assert!(second.session_reused(), "{method:?}");
        let other = resume(&client, &server, "b.example", Some(&session));
        assert!(!other.session_reused(), "{method:?}");
        if version == ProtoVersion::Tls1_3 {
            // OpenSSL-like servers send 2 tickets; one was used.
            assert!(session.tickets() >= 1, "{session:?}");
        }
    }
    let mut s = Connection::new(&server_ctx(Method::Tls), Memory::default());
    s.set_accept_state().unwrap();
    let c = resume(
        &Context::new(Method::Tls).unwrap(),
        &server_ctx(Method::Tls),
        "x",
        None,
    );
    assert!(s.set_session(&c.session().unwrap()).is_err());
    assert!(s.session().is_none());
}

#[test]
fn a_server_connection_has_no_session_object() {
    // rustls gives a server no session object: None, documented, even
    // after a full and a resumed handshake.
    let server = server_ctx(Method::Tls);
    let client = Context::new(Method::TlsV1_2).unwrap();
    for reused in [false, true] {
        let mut c = Connection::new(&client, Memory::default());
        c.set_connect_state().unwrap();
        let mut s = Connection::new(&server, Memory::default());
        s.set_accept_state().unwrap();
        handshake(&mut c, &mut s).unwrap();
        assert_eq!(s.session_reused(), reused);
        assert!(c.session().is_some());
        assert!(s.session().is_none());
    }
    assert_eq!(server.session_cache_len(), 1);
}

#[test]
fn without_the_client_cache_bit_only_set_session_resumes() {
    use puressl::ssl::SessionCacheMode;
    for method in [Method::TlsV1_2, Method::TlsV1_3] {
        let server = server_ctx(Method::Tls);
        // The default (CLIENT bit on): the next connection resumes by itself.
        let client = Context::new(method).unwrap();
        assert_eq!(client.session_cache_mode(), SessionCacheMode::BOTH);
        resume(&client, &server, "a.example", None);
        assert!(resume(&client, &server, "a.example", None).session_reused());
        // Without it, as an OpenSSL client: only the session given.
        let mut client = Context::new(method).unwrap();
        let old = client.set_session_cache_mode(SessionCacheMode::SERVER);
        assert_eq!(old, SessionCacheMode::BOTH);
        let first = resume(&client, &server, "a.example", None);
        let again = resume(&client, &server, "a.example", None);
        assert!(!again.session_reused(), "{method:?}");
        let session = first.session().expect("kept for session()");
        let offered = resume(&client, &server, "a.example", Some(&session));
        assert!(offered.session_reused(), "{method:?}");
    }
}

#[test]
fn session_resumes_against_openssl_s_server() {
    for version in ["-tls1_2", "-tls1_3"] {
        let (cert, key) = (path("p256.pem"), path("p256.key"));
        let (_server, addr, _log) = ssl::s_server(&[
            "-cert", &cert, "-key", &key, "-naccept", "3", "-rev", version,
        ]);
        let client = Context::new(Method::Tls).unwrap();
        let connect = |name: &str, offer: Option<&puressl::ssl::Session>| {
            let stream = std::net::TcpStream::connect(addr).unwrap();
            stream.set_read_timeout(Some(child::WAIT)).unwrap();
            let mut c = Connection::new(&client, stream);
            c.set_tlsext_host_name(name.as_bytes()).unwrap();
            c.set_connect_state().unwrap();
            if let Some(s) = offer {
                c.set_session(s).unwrap();
            }
            c.do_handshake().unwrap();
            // s_server -rev answers a line (the tickets come before it).
            c.sendall(b"hello\n").unwrap();
            let mut buf = [0u8; 64];
            let _ = c.recv(&mut buf);
            let _ = c.shutdown();
            (c.session_reused(), c.session())
        };
        let (reused, session) = connect("localhost", None);
        assert!(!reused, "{version}");
        let (reused, _) = connect("localhost", Some(&session.unwrap()));
        assert!(reused, "{version}");
    }
}

#[test]
fn cipher_strings_select_and_order_as_openssl_ciphers() {
    let strings = [
        "DEFAULT", "ALL", "HIGH", "HIGH:!aNULL:!MD5", "HIGH:!aNULL:!MD5:!RC4", "ECDHE+AESGCM",
        "ECDHE+AESGCM:ECDHE+CHACHA20", "EECDH+AESGCM:EDH+AESGCM", "AESGCM", "AES128", "AES256",
        "CHACHA20", "aRSA", "aECDSA", "ECDSA", "!aRSA:ALL", "ALL:!aRSA", "ALL:-aRSA:aRSA+AES128",
        "ALL:!ECDSA:+AES128", "DEFAULT:!CHACHA20", "HIGH:@STRENGTH", "DEFAULT:@SECLEVEL=2",
        "DEFAULT:@SECLEVEL=4", "DEFAULT:@SECLEVEL=5", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305", "hello world:ECDHE-RSA-AES128-GCM-SHA256",
        "RC4-MD5", "ALL:!ALL", "MEDIUM:LOW", "kECDHE+aRSA+AES256", "TLSv1.2+AES",
        "ECDHE:!AES256:!CHACHA20", "AES128:CHACHA20:AES256:@STRENGTH", "CHACHA20:AES128:ECDSA",
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256",
    ];
    let ours_all =
        Connection::new(&Context::new(Method::TlsV1_2).unwrap(), Memory::default()).cipher_list();
    for s in strings {
        let out = std::process::Command::new("openssl")
            .args(["ciphers", "-s", "-tls1_2", s])
            .output()
            .unwrap();
        let theirs: Vec<String> = String::from_utf8(out.stdout)
            .unwrap()
            .trim()
            .split(':')
            .filter(|n| ours_all.contains(n))
            .map(str::to_string)
            .collect();
        let mut ctx = Context::new(Method::TlsV1_2).unwrap();
        let r = ctx.set_cipher_list(s);
        let ours: Vec<String> = match &r {
            Ok(()) => Connection::new(&ctx, Memory::default())
                .cipher_list()
                .iter()
                .map(|n| n.to_string())
                .collect(),
            Err(e) => {
                assert_eq!(e.to_string(), "SSL routines::no cipher match", "{s}");
                Vec::new()
            }
        };
        // The same suites in the same order (OpenSSL's list order, which
        // a server with OP_CIPHER_SERVER_PREFERENCE prefers).
        assert_eq!(ours, theirs, "{s}");
    }
}

#[test]
fn cipher_string_order_is_the_server_preference_s_client_gets() {
    use puressl::ssl::Options;
    // (TLS 1.2 cipher string or None, TLS 1.3 suites or None, server
    // preference, s_client's offer, the suite chosen)
    let offer12 =
        "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305";
    let offer13 = "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256";
    let cases = [
        (
            Some("AES128:CHACHA20:AES256"),
            None,
            true,
            "-cipher",
            offer12,
            "ECDHE-ECDSA-AES128-GCM-SHA256",
        ),
        (
            Some("AES128:AES256:@STRENGTH"),
            None,
            true,
            "-cipher",
            offer12,
            "ECDHE-ECDSA-AES256-GCM-SHA384",
        ),
        (
            // A stable sort, as `openssl ciphers` shows: CHACHA20 stays
            // before AES256 (both 256 bits).
            Some("AES128:CHACHA20:AES256:@STRENGTH"),
            None,
            true,
            "-cipher",
            offer12,
            "ECDHE-ECDSA-CHACHA20-POLY1305",
        ),
        (
            Some("ALL:+AES256"),
            None,
            true,
            "-cipher",
            offer12,
            "ECDHE-ECDSA-CHACHA20-POLY1305",
        ),
        // Without OP_CIPHER_SERVER_PREFERENCE the client's order wins.
        (
            Some("AES128:CHACHA20:AES256"),
            None,
            false,
            "-cipher",
            offer12,
            "ECDHE-ECDSA-AES256-GCM-SHA384",
        ),
        (
            None,
            Some("TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256"),
            true,
            "-ciphersuites",
            offer13,
            "TLS_CHACHA20_POLY1305_SHA256",
        ),
        (
            None,
            Some("TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256"),
            true,
            "-ciphersuites",
            offer13,
            "TLS_AES_128_GCM_SHA256",
        ),
        (
            None,
            Some("TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256"),
            false,
            "-ciphersuites",
            offer13,
            "TLS_AES_256_GCM_SHA384",
        ),
    ];
    for (tls12, tls13, server_pref, flag, offer, want) in cases {
        let what = format!("{tls12:?} {tls13:?} server_pref={server_pref}");
        let mut ctx = server_ctx(Method::Tls);
        if let Some(s) = tls12 {
            ctx.set_cipher_list(s).unwrap();
        }
        if let Some(s) = tls13 {
            // TLS 1.3 must still offer the client's first suite when the
            // client's order wins.
            let s = if server_pref {
                s.to_string()
            } else {
                format!("{s}:TLS_AES_256_GCM_SHA384")
            };
            ctx.set_tls13_ciphersuites(&s).unwrap();
        }
        if server_pref {
            ctx.set_options(Options::CIPHER_SERVER_PREFERENCE);
        }
        let (port, server) = serve(ctx, vec![Box::new(|_| {})], |c| c.cipher_name());
        let version = if tls13.is_some() {
            "-tls1_3"
        } else {
            "-tls1_2"
        };
        let (_, out) = ssl::s_client(port, &[version, flag, offer], b"x\n");
        let got = server.join().unwrap().unwrap();
        assert_eq!(got, [Some(want)], "{what}");
        assert!(out.contains(&format!("Cipher is {want}")), "{what}:\n{out}");
    }
}

#[test]
fn our_client_offers_suites_in_the_cipher_string_order() {
    for (tls12, tls13, version, want) in [
        (
            Some("CHACHA20:AES128"),
            None,
            Method::TlsV1_2,
            "ECDHE-ECDSA-CHACHA20-POLY1305",
        ),
        (
            Some("AES128:CHACHA20"),
            None,
            Method::TlsV1_2,
            "ECDHE-ECDSA-AES128-GCM-SHA256",
        ),
        (
            None,
            Some("TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256"),
            Method::Tls,
            "TLS_CHACHA20_POLY1305_SHA256",
        ),
    ] {
        // s_server takes the client's order (no -serverpref).
        let (_kill, addr, _log) = ssl::s_server_p256(&[]);
        let mut ctx = Context::new(version).unwrap();
        if let Some(s) = tls12 {
            ctx.set_cipher_list(s).unwrap();
        }
        if let Some(s) = tls13 {
            ctx.set_tls13_ciphersuites(s).unwrap();
        }
        let stream = std::net::TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(child::WAIT)).unwrap();
        let mut conn = Connection::new(&ctx, stream);
        conn.set_connect_state().unwrap();
        conn.do_handshake().unwrap();
        assert_eq!(conn.cipher_name(), Some(want), "{tls12:?} {tls13:?}");
    }
}
