//! In-memory client/server pairs (`Connection<Memory>` both sides).

use std::path::Path;
use std::sync::{Arc, Mutex};

use puressl::crypto::{FileType, X509};
use puressl::ssl::{
    Connection, Context, Error, Memory, Method, Options, ProtoVersion, Shutdown, VerifyMode,
};

use crate::support::pki;
use crate::support::ssl;
use ssl::{client_ctx, handshake, pair, path, pump, server_ctx};

fn cert(name: &str) -> X509 {
    X509::from_pem(&std::fs::read(path(name)).unwrap()).unwrap()
}

#[test]
fn fresh_bio_read_is_want_read() {
    let ctx = client_ctx(Method::Tls);
    let mut c = Connection::new(&ctx, Memory::default());
    assert!(matches!(c.bio_read(100), Err(Error::WantRead)));
    c.set_connect_state().unwrap();
    // The ClientHello is waiting; after taking it, the BIO is empty again.
    assert!(c.do_handshake().unwrap_err().is_retryable());
    let hello = c.bio_read(1 << 16).unwrap();
    assert_eq!(hello[0], 0x16, "a handshake record");
    assert!(matches!(c.bio_read(100), Err(Error::WantRead)));
    // No side yet is an error that says so.
    let mut d = Connection::new(&ctx, Memory::default());
    let e = d.do_handshake().unwrap_err();
    assert!(e.to_string().contains("set_connect_state"), "{e}");
}

#[test]
fn handshake_and_data_both_ways_tls13_and_tls12() {
    for (method, version, cipher) in [
        (Method::Tls, "TLSv1.3", "TLS_AES_256_GCM_SHA384"),
        (Method::TlsV1_2, "TLSv1.2", "ECDHE-ECDSA-AES256-GCM-SHA384"),
    ] {
        let (mut c, mut s) = pair(&client_ctx(method), &server_ctx(method));
        handshake(&mut c, &mut s).unwrap();
        for conn in [&c, &s] {
            assert_eq!(conn.protocol_version_name(), Some(version));
            assert_eq!(conn.cipher_name(), Some(cipher));
            assert_eq!(conn.cipher_bits(), Some(256));
        }
        assert_eq!(c.peer_certificate().unwrap().unwrap(), cert("p256.pem"));
        assert_eq!(c.peer_cert_chain().unwrap().unwrap().len(), 1);
        assert!(s.peer_certificate().unwrap().is_none());

        assert_eq!(c.send(b"hello server").unwrap(), 12);
        pump(&mut c, &mut s);
        let mut buf = [0u8; 64];
        // Like SSL_pending: only records already decrypted count.
        assert_eq!(s.pending(), 0);
        let n = s.recv(&mut buf[..5]).unwrap();
        assert_eq!(&buf[..n], b"hello");
        assert_eq!(s.pending(), 7);
        let n = s.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b" server");
        assert!(matches!(s.recv(&mut buf), Err(Error::WantRead)));

        s.sendall(b"hello client").unwrap();
        pump(&mut s, &mut c);
        let n = c.recv_peek(&mut buf[..5]).unwrap();
        assert_eq!(&buf[..n], b"hello");
        let n = c.recv_peek(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"hello client");
        let n = c.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"hello client");

        let ekm_c = c
            .export_keying_material(b"EXPERIMENTAL test", 32, None)
            .unwrap();
        let ekm_s = s
            .export_keying_material(b"EXPERIMENTAL test", 32, None)
            .unwrap();
        assert_eq!(ekm_c, ekm_s);
        assert_eq!(ekm_c.len(), 32);
    }
}

/// `pending` takes `&self` and stays exact: 0 before anything is processed,
/// then what recv can return without reading the stream, lowered by `recv`,
/// kept by `recv_peek`, counted after the peer's close_notify, 0 after a
/// fatal error.
#[test]
fn pending_is_shared_and_exact() {
    fn pending(c: &Connection<Memory>) -> usize {
        c.pending()
    }
    for method in [Method::Tls, Method::TlsV1_2] {
        let none = Connection::new(&client_ctx(method), Memory::default());
        assert_eq!(pending(&none), 0, "no side yet");
        let (mut c, mut s) = pair(&client_ctx(method), &server_ctx(method));
        handshake(&mut c, &mut s).unwrap();
        assert_eq!(pending(&c), 0);
        // Three records (16,384 + 16,384 + 7,232 bytes).
        let data: Vec<u8> = (0..40_000u32).map(|i| i as u8).collect();
        assert_eq!(s.sendall(&data).unwrap(), data.len());
        pump(&mut s, &mut c);
        assert_eq!(pending(&c), 0, "{method:?}: nothing processed yet");
        let mut got = Vec::new();
        let mut buf = vec![0u8; 1000];
        while got.len() < data.len() {
            let n = c.recv_peek(&mut buf[..10]).unwrap();
            assert_eq!(n, 10);
            let p = pending(&c);
            assert!(p >= 10 && got.len() + p <= data.len(), "{method:?}: {p}");
            let n = c.recv(&mut buf).unwrap();
            got.extend_from_slice(&buf[..n]);
            assert_eq!(pending(&c), p - n, "{method:?}: recv takes {n} of {p}");
            // All that is pending comes in one call, without a read.
            let p = pending(&c);
            let mut rest = vec![0u8; p + 10];
            if p > 0 {
                assert_eq!(c.recv(&mut rest).unwrap(), p);
                got.extend_from_slice(&rest[..p]);
            }
            assert_eq!(pending(&c), 0);
        }
        assert_eq!(got, data);

        // Data then close_notify: the data still counts once both are read.
        s.send(b"bye").unwrap();
        s.shutdown().unwrap();
        pump(&mut s, &mut c);
        assert_eq!(c.recv_peek(&mut buf[..1]).unwrap(), 1);
        assert_eq!(pending(&c), 3);
        assert!(c.shutdown_state().contains(Shutdown::RECEIVED));
        assert_eq!(c.recv(&mut buf).unwrap(), 3);
        assert_eq!(pending(&c), 0);
        assert!(matches!(c.recv(&mut buf), Err(Error::ZeroReturn)));

        // A fatal error: a record that does not decrypt behind "hello" fails
        // the connection, but only once "hello" was received (as OpenSSL).
        let (mut c, mut s) = pair(&client_ctx(method), &server_ctx(method));
        handshake(&mut c, &mut s).unwrap();
        s.send(b"hello").unwrap();
        pump(&mut s, &mut c);
        let mut bad = vec![0x17, 3, 3, 0, 32];
        bad.extend([0u8; 32]);
        c.bio_write(&bad).unwrap();
        assert_eq!(c.recv(&mut buf[..2]).unwrap(), 2);
        assert_eq!(pending(&c), 3, "{method:?}: data before the bad record");
        assert_eq!(c.recv(&mut buf).unwrap(), 3);
        assert_eq!(&buf[..3], b"llo");
        assert!(c.recv(&mut buf).is_err());
        assert_eq!(pending(&c), 0, "{method:?}: after the fatal error");
    }
}

#[test]
fn clean_shutdown_state_machine() {
    let (mut c, mut s) = pair(&client_ctx(Method::Tls), &server_ctx(Method::Tls));
    handshake(&mut c, &mut s).unwrap();
    assert_eq!(c.shutdown_state(), Shutdown::empty());
    // First call: close_notify sent, peer's not yet received.
    assert!(!c.shutdown().unwrap());
    assert_eq!(c.shutdown_state(), Shutdown::SENT);
    // Second call before the peer answered: want read.
    assert!(matches!(c.shutdown(), Err(Error::WantRead)));
    assert!(c
        .send(b"late")
        .unwrap_err()
        .to_string()
        .contains("shutdown"));
    pump(&mut c, &mut s);
    let mut buf = [0u8; 16];
    assert!(matches!(s.recv(&mut buf), Err(Error::ZeroReturn)));
    assert_eq!(s.shutdown_state(), Shutdown::RECEIVED);
    // Server answers: its first call already has the peer's close.
    assert!(s.shutdown().unwrap());
    assert_eq!(s.shutdown_state(), Shutdown::SENT | Shutdown::RECEIVED);
    pump(&mut s, &mut c);
    assert!(c.shutdown().unwrap());
    assert_eq!(c.shutdown_state(), Shutdown::SENT | Shutdown::RECEIVED);
    // io::Read maps ZeroReturn to Ok(0).
    use std::io::Read;
    assert_eq!(c.read(&mut buf).unwrap(), 0);
}

#[test]
fn unexpected_eof_is_syscall_minus_one() {
    let (mut c, mut s) = pair(&client_ctx(Method::Tls), &server_ctx(Method::Tls));
    handshake(&mut c, &mut s).unwrap();
    s.bio_shutdown();
    let mut buf = [0u8; 16];
    match s.recv(&mut buf) {
        Err(Error::SysCall { errno, message }) => {
            assert_eq!((errno, message.as_str()), (-1, "Unexpected EOF"))
        }
        other => panic!("{other:?}"),
    }
}

type Calls = Arc<Mutex<Vec<(String, i32, u32, bool)>>>;

fn recording(
    calls: &Calls,
    override_errors: bool,
) -> impl FnMut(&X509, puressl::crypto::X509VerifyError, u32, bool) -> bool + Send + 'static + use<>
{
    let calls = Arc::clone(calls);
    move |cert, errnum, depth, ok| {
        let cn = cert.subject().to_string();
        calls.lock().unwrap().push((cn, errnum.code(), depth, ok));
        ok || override_errors
    }
}

#[test]
fn verify_callback_order_and_override() {
    // Trusted CA: callback sees the root (depth 1) then the leaf (depth 0).
    let calls: Calls = Arc::default();
    let mut cctx = client_ctx(Method::Tls);
    cctx.set_verify(VerifyMode::PEER, Some(Box::new(recording(&calls, false))));
    let (mut c, mut s) = pair(&cctx, &server_ctx(Method::Tls));
    handshake(&mut c, &mut s).unwrap();
    let got = calls.lock().unwrap().clone();
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!((got[0].2, got[0].3, got[0].1), (1, true, 0));
    assert!(
        got[0].0.contains("puressl provider test CA p256"),
        "{got:?}"
    );
    assert_eq!((got[1].2, got[1].3, got[1].1), (0, true, 0));
    assert!(got[1].0.contains("localhost"));

    // Untrusted (no CA loaded): errors reach the callback, which refuses.
    let calls: Calls = Arc::default();
    let mut cctx = Context::new(Method::Tls).unwrap();
    cctx.set_verify(VerifyMode::PEER, Some(Box::new(recording(&calls, false))));
    let (mut c, mut s) = pair(&cctx, &server_ctx(Method::Tls));
    let err = handshake(&mut c, &mut s).unwrap_err();
    assert!(matches!(err, Error::Ssl(_)), "{err:?}");
    let got = calls.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "{got:?}");
    // X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY = 20, at the leaf.
    assert_eq!((got[0].1, got[0].2, got[0].3), (20, 0, false));

    // Same, but the callback overrides: the handshake succeeds.
    let calls: Calls = Arc::default();
    cctx.set_verify(VerifyMode::PEER, Some(Box::new(recording(&calls, true))));
    let (mut c, mut s) = pair(&cctx, &server_ctx(Method::Tls));
    handshake(&mut c, &mut s).unwrap();
    let got = calls.lock().unwrap().clone();
    assert!(got.iter().any(|x| !x.3 && x.1 == 20), "{got:?}");

    // VERIFY_NONE with no CA: the handshake succeeds without verification.
    let mut cctx = Context::new(Method::Tls).unwrap();
    cctx.set_verify(VerifyMode::NONE, None);
    let (mut c, mut s) = pair(&cctx, &server_ctx(Method::Tls));
    handshake(&mut c, &mut s).unwrap();
}

#[test]
fn client_certificate_is_required_and_verified() {
    let mut sctx = server_ctx(Method::Tls);
    let ca = path("p256-ca.pem");
    sctx.load_verify_locations(Some(Path::new(&ca)), None)
        .unwrap();
    sctx.set_verify(VerifyMode::PEER | VerifyMode::FAIL_IF_NO_PEER_CERT, None);
    // No client certificate: refused.
    let (mut c, mut s) = pair(&client_ctx(Method::Tls), &sctx);
    assert!(handshake(&mut c, &mut s).is_err());
    // With one: accepted, and the server sees it.
    let mut cctx = client_ctx(Method::Tls);
    cctx.use_certificate(&cert("p256.pem")).unwrap();
    cctx.use_privatekey_file(path("p256.key"), FileType::Pem)
        .unwrap();
    let (mut c, mut s) = pair(&cctx, &sctx);
    handshake(&mut c, &mut s).unwrap();
    assert_eq!(s.peer_certificate().unwrap().unwrap(), cert("p256.pem"));
}

#[test]
fn context_settings() {
    let mut ctx = Context::new(Method::SslV23).unwrap();
    assert_eq!(ctx.verify_depth(), None);
    ctx.set_verify_depth(3);
    assert_eq!(ctx.verify_depth(), Some(3));
    let secs = std::time::Duration::from_secs;
    assert_eq!(ctx.timeout(), secs(7200));
    // pyOpenSSL's set_timeout returns the previous timeout.
    assert_eq!(ctx.set_timeout(secs(60)), secs(7200));
    assert_eq!(ctx.set_timeout(secs(30)), secs(60));
    assert_eq!(ctx.timeout(), secs(30));
    // A new context has OpenSSL 3's default mask, as pyOpenSSL 23.2 shows it.
    assert_eq!(ctx.options().bits(), 0x12_0000);
    assert_eq!(
        ctx.set_options(Options::NO_TICKET),
        Options::NO_TICKET | Options::NO_COMPRESSION | Options::ENABLE_MIDDLEBOX_COMPAT
    );
    assert_eq!(
        ctx.set_options(Options::NO_COMPRESSION | Options::SINGLE_DH_USE)
            .bits(),
        0x12_4000
    );
    ctx.set_app_data(42u32);
    assert_eq!(ctx.app_data::<u32>(), Some(&42));
    assert_eq!(ctx.app_data::<String>(), None);

    let e = ctx.set_cipher_list("NOPE:ALSO-NOPE").unwrap_err();
    assert!(e.to_string().contains("no cipher match"), "{e}");
    ctx.set_cipher_list("NOPE:ECDHE-ECDSA-AES128-GCM-SHA256")
        .unwrap();
    assert!(ctx
        .set_tls13_ciphersuites("ECDHE-ECDSA-AES128-GCM-SHA256")
        .is_err());
    assert!(Context::new(Method::TlsV1)
        .unwrap_err()
        .to_string()
        .contains("not supported"));
    // A server side needs a certificate and key; the error says so.
    let mut s = Connection::new(&ctx, Memory::default());
    let e = s.set_accept_state().unwrap_err();
    assert_eq!(
        e.to_string(),
        "SSL routines::no certificate or private key assigned"
    );
    let mut c = Connection::new(&ctx, Memory::default());
    c.set_connect_state().unwrap();
    assert!(c
        .set_accept_state()
        .unwrap_err()
        .to_string()
        .contains("already set"));

    // Key mismatch.
    let mut ctx = Context::new(Method::Tls).unwrap();
    ctx.use_certificate_file(path("p256.pem"), FileType::Pem)
        .unwrap();
    let e = ctx
        .use_privatekey_file(path("p384.key"), FileType::Pem)
        .unwrap_err();
    match &e {
        Error::Ssl(s) => assert_eq!(
            s.triples(),
            vec![("x509 certificate routines", "", "key values mismatch")]
        ),
        other => panic!("{other:?}"),
    }
    assert!(ctx.check_privatekey().is_err());
    let e = ctx
        .use_certificate_file(path("missing.pem"), FileType::Pem)
        .unwrap_err();
    assert_eq!(e.errno(), Some(2));
}

#[test]
fn cipher_list_versions_and_alpn_are_honoured() {
    let mut sctx = server_ctx(Method::Tls);
    sctx.set_cipher_list("ECDHE-ECDSA-CHACHA20-POLY1305")
        .unwrap();
    sctx.set_alpn_protos(&[b"h2", b"http/1.1"]).unwrap();
    let mut cctx = client_ctx(Method::Tls);
    cctx.set_max_proto_version(Some(ProtoVersion::Tls1_2));
    cctx.set_alpn_protos(&[b"http/1.1"]).unwrap();
    let mut c = Connection::new(&cctx, Memory::default());
    c.set_tlsext_host_name(b"localhost").unwrap();
    c.set_connect_state().unwrap();
    let mut s = Connection::new(&sctx, Memory::default());
    s.set_accept_state().unwrap();
    handshake(&mut c, &mut s).unwrap();
    assert_eq!(c.protocol_version_name(), Some("TLSv1.2"));
    assert_eq!(s.cipher_name(), Some("ECDHE-ECDSA-CHACHA20-POLY1305"));
    assert_eq!(c.alpn_proto_negotiated(), Some(b"http/1.1".to_vec()));
    assert_eq!(s.servername().as_deref(), Some("localhost"));

    let mut ctx = client_ctx(Method::Tls);
    ctx.set_tls13_ciphersuites("TLS_CHACHA20_POLY1305_SHA256")
        .unwrap();
    let (mut c, mut s) = pair(&ctx, &server_ctx(Method::Tls));
    handshake(&mut c, &mut s).unwrap();
    assert_eq!(s.cipher_name(), Some("TLS_CHACHA20_POLY1305_SHA256"));

    let mut ctx = client_ctx(Method::Tls);
    ctx.set_options(Options::NO_TLSV1_3);
    let (mut c, mut s) = pair(&ctx, &server_ctx(Method::Tls));
    handshake(&mut c, &mut s).unwrap();
    assert_eq!(c.protocol_version_name(), Some("TLSv1.2"));
}

#[test]
fn ignore_unexpected_eof_option_makes_eof_a_close() {
    let mut sctx = server_ctx(Method::Tls);
    sctx.set_options(Options::IGNORE_UNEXPECTED_EOF);
    let (mut c, mut s) = pair(&client_ctx(Method::Tls), &sctx);
    handshake(&mut c, &mut s).unwrap();
    s.bio_shutdown();
    let mut buf = [0u8; 16];
    assert!(matches!(s.recv(&mut buf), Err(Error::ZeroReturn)));
    assert_eq!(s.shutdown_state(), Shutdown::RECEIVED);
}

#[test]
fn ip_host_is_checked_against_ip_sans_and_not_sent() {
    // `server` answers with `sctx`; the client trusts `ca`, sets `host`
    // and records the callback calls (overriding errors when `let_pass`).
    let run = |host: &[u8], sctx: &Context, ca: &X509, let_pass: bool| {
        let calls: Calls = Arc::default();
        let mut ctx = Context::new(Method::Tls).unwrap();
        ctx.cert_store_mut().add_cert(ca).unwrap();
        ctx.set_verify(
            VerifyMode::PEER,
            Some(Box::new(recording(&calls, let_pass))),
        );
        let mut c = Connection::new(&ctx, Memory::default());
        c.set_tlsext_host_name(host).unwrap();
        c.set_connect_state().unwrap();
        let mut s = Connection::new(sctx, Memory::default());
        s.set_accept_state().unwrap();
        let r = handshake(&mut c, &mut s);
        let order: Vec<_> = calls
            .lock()
            .unwrap()
            .iter()
            .map(|c| (c.1, c.2, c.3))
            .collect();
        (r, order, c.verify_result().code(), s.servername())
    };
    // p256.pem has DNS:localhost, IP:127.0.0.1.
    let sctx = server_ctx(Method::Tls);
    let ca = cert("p256-ca.pem");
    let (r, order, result, sni) = run(b"127.0.0.1", &sctx, &ca, false);
    r.unwrap();
    assert_eq!(order, vec![(0, 1, true), (0, 0, true)]);
    assert_eq!((result, sni), (0, None), "an IP address is not sent as SNI");
    for host in [&b"127.0.0.2"[..], b"::1"] {
        let (r, order, result, _) = run(host, &sctx, &ca, false);
        assert!(r.is_err());
        assert_eq!(order, vec![(64, 0, false)]);
        assert_eq!(result, 64);
        let (r, order, result, _) = run(host, &sctx, &ca, true);
        r.unwrap();
        assert_eq!(order, vec![(64, 0, false), (0, 1, true), (0, 0, true)]);
        assert_eq!(result, 0);
    }
    let (_, _, _, sni) = run(b"localhost", &sctx, &ca, false);
    assert_eq!(sni.as_deref(), Some("localhost"));
    // A certificate whose SANs lack IP:127.0.0.1 (its CN says 127.0.0.1:
    // never looked at for an IP address) is refused with 64.
    let key = pki::key("ec-p256");
    let no_ip = pki::make(
        &pki::Spec::new("127.0.0.1", 1)
            .ext("subjectAltName", false, "DNS:localhost")
            .times("20200101000000Z", "20400101000000Z"),
        &key,
        None,
    );
    let mut sctx = Context::new(Method::Tls).unwrap();
    sctx.use_certificate(&no_ip.cert).unwrap();
    sctx.use_privatekey(&key).unwrap();
    let (r, order, result, _) = run(b"127.0.0.1", &sctx, &no_ip.cert, false);
    assert!(r.is_err());
    assert_eq!((order, result), (vec![(64, 0, false)], 64));
    let (r, _, result, _) = run(b"localhost", &sctx, &no_ip.cert, false);
    r.unwrap();
    assert_eq!(result, 0);
    // 0.0.0.0 names no peer.
    let mut c = Connection::new(&client_ctx(Method::Tls), Memory::default());
    assert!(c.set_tlsext_host_name(b"0.0.0.0").is_err());
}

#[test]
fn sni_name_is_checked_against_the_certificate() {
    let client = |name: &[u8], ctx: &Context| {
        let mut c = Connection::new(ctx, Memory::default());
        c.set_tlsext_host_name(name).unwrap();
        c.set_connect_state().unwrap();
        let mut s = Connection::new(&server_ctx(Method::Tls), Memory::default());
        s.set_accept_state().unwrap();
        handshake(&mut c, &mut s)
    };
    let ctx = client_ctx(Method::Tls);
    client(b"localhost", &ctx).unwrap();
    let err = client(b"example.com", &ctx).unwrap_err();
    assert!(err.to_string().contains("certificate"), "{err}");
    // The callback sees the mismatch first, as OpenSSL reports it (before
    // the per-certificate calls), and may override it.
    let calls: Calls = Arc::default();
    let mut ctx = client_ctx(Method::Tls);
    ctx.set_verify(VerifyMode::PEER, Some(Box::new(recording(&calls, true))));
    client(b"example.com", &ctx).unwrap();
    let got = calls.lock().unwrap().clone();
    let order: Vec<_> = got.iter().map(|c| (c.1, c.2, c.3)).collect();
    assert_eq!(order, vec![(62, 0, false), (0, 1, true), (0, 0, true)]);
    assert!(got[0].0.contains("localhost"), "{got:?}");
    // A name that is no host name is refused up front.
    let mut c = Connection::new(&ctx, Memory::default());
    let e = c.set_tlsext_host_name(b"not a name!").unwrap_err();
    assert_eq!(
        e.to_string(),
        "SSL routines::invalid server name \"not a name!\""
    );
}

#[test]
fn chain_file_and_extra_chain_certs_are_sent() {
    let dir = std::env::temp_dir().join(format!("puressl-ssl-chain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("chain.pem");
    let mut pem = std::fs::read(path("p256.pem")).unwrap();
    pem.extend(std::fs::read(path("p256-ca.pem")).unwrap());
    std::fs::write(&file, pem).unwrap();

    let mut sctx = Context::new(Method::Tls).unwrap();
    sctx.use_certificate_chain_file(&file).unwrap();
    sctx.use_privatekey_file(path("p256.key"), FileType::Pem)
        .unwrap();
    let (mut c, mut s) = pair(&client_ctx(Method::Tls), &sctx);
    handshake(&mut c, &mut s).unwrap();
    let chain = c.peer_cert_chain().unwrap().unwrap();
    assert_eq!(chain, vec![cert("p256.pem"), cert("p256-ca.pem")]);

    let mut sctx = server_ctx(Method::Tls);
    sctx.add_extra_chain_cert(&cert("p256-ca.pem"));
    let (mut c, mut s) = pair(&client_ctx(Method::Tls), &sctx);
    handshake(&mut c, &mut s).unwrap();
    assert_eq!(c.peer_cert_chain().unwrap().unwrap().len(), 2);

    let empty = dir.join("empty.pem");
    std::fs::write(&empty, b"").unwrap();
    let mut ctx = Context::new(Method::Tls).unwrap();
    assert!(ctx.use_certificate_chain_file(&empty).is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn verify_depth_zero_accepts_leaf_under_trusted_root() {
    // As `openssl verify -verify_depth 0 -CAfile p256-ca.pem p256.pem`: OK
    // (the depth counts intermediates, and there are none).
    let out = std::process::Command::new("openssl")
        .args(["verify", "-verify_depth", "0", "-CAfile"])
        .arg(path("p256-ca.pem"))
        .arg(path("p256.pem"))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim_end(),
        format!("{}: OK", path("p256.pem"))
    );
    let mut cctx = client_ctx(Method::Tls);
    cctx.set_verify_depth(0);
    assert_eq!(cctx.verify_depth(), Some(0));
    let (mut c, mut s) = pair(&cctx, &server_ctx(Method::Tls));
    handshake(&mut c, &mut s).unwrap();
}

/// The fatal alert `e` says the peer sent, if any.
fn alert_received(e: &Error) -> Option<rustls::AlertDescription> {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(rustls::Error::AlertReceived(d)) = s.downcast_ref::<rustls::Error>() {
            return Some(*d);
        }
        source = s.source();
    }
    None
}

/// A server context for `leaf` (its key is `leaf.key`).
fn server_for(leaf: &pki::Ca, method: Method) -> Context {
    let mut ctx = Context::new(method).unwrap();
    ctx.use_certificate(&leaf.cert).unwrap();
    ctx.use_privatekey(&leaf.key).unwrap();
    ctx
}

/// Runs a handshake the client refuses; the alert the server reads.
fn alert_for(cctx: &Context, sctx: &Context) -> (rustls::AlertDescription, i32, String) {
    let (mut c, mut s) = pair(cctx, sctx);
    let e = handshake(&mut c, &mut s).unwrap_err();
    let reasons = match &e {
        Error::Ssl(stack) => stack
            .entries()
            .iter()
            .map(|e| e.reason.clone())
            .collect::<Vec<_>>()
            .join("; "),
        other => panic!("client error {other:?}"),
    };
    let e = s.do_handshake().unwrap_err();
    let alert = alert_received(&e).unwrap_or_else(|| panic!("no alert in {e:?}"));
    (alert, c.verify_result().code(), reasons)
}

#[test]
fn the_alert_says_why_verification_failed() {
    use rustls::AlertDescription as A;
    let root = pki::make(&pki::Spec::ca("behave root", 1), &pki::key("ec-p384"), None);
    let leaf_key = pki::key("ec-p256");
    let server = |spec: pki::Spec<'_>, issuer: &pki::Ca| {
        let spec = spec.ext("subjectAltName", false, "DNS:localhost");
        server_for(&pki::make(&spec, &leaf_key, Some(issuer)), Method::Tls)
    };
    let mut trusting = Context::new(Method::Tls).unwrap();
    trusting.cert_store_mut().add_cert(&root.cert).unwrap();
    trusting.set_verify(VerifyMode::PEER, None);
    let ok = server(pki::Spec::new("localhost", 2), &root);
    // The good case first: the client accepts it.
    let (mut c, mut s) = pair(&trusting, &ok);
    handshake(&mut c, &mut s).unwrap();

    let expired = server(
        pki::Spec::new("localhost", 3).times("20200101000000Z", "20210101000000Z"),
        &root,
    );
    let not_yet = server(
        pki::Spec::new("localhost", 4).times("20400101000000Z", "20410101000000Z"),
        &root,
    );
    // Signed by another key under the root's name and key id.
    let forger = pki::Ca {
        cert: root.cert.clone(),
        key: pki::key("ee-p256"),
    };
    let forged = server(pki::Spec::new("localhost", 5), &forger);
    let wrong_purpose = server(
        pki::Spec::new("localhost", 6).ext("extendedKeyUsage", false, "clientAuth"),
        &root,
    );
    let revoked = server(pki::Spec::new("localhost", 7), &root);
    let mut crl_checking = trusting.clone();
    crl_checking
        .cert_store_mut()
        .add_crl(&pki::crl(&root, &[7], "20250101000000Z", "20990101000000Z"))
        .unwrap();
    crl_checking
        .cert_store_mut()
        .set_flags(puressl::crypto::X509StoreFlags::CRL_CHECK)
        .unwrap();
    let mut untrusting = Context::new(Method::Tls).unwrap();
    untrusting.set_verify(VerifyMode::PEER, None);
    let mut refusing = trusting.clone();
    refusing.set_verify(VerifyMode::PEER, Some(Box::new(|_: &_, _, _, _| false)));

    // (client, server, alert as OpenSSL sends it, X509_V_ERR_*, its text)
    let cases = [
        (
            &trusting,
            &expired,
            A::CertificateExpired,
            10,
            "certificate has expired",
        ),
        (
            &trusting,
            &not_yet,
            A::BadCertificate,
            9,
            "certificate is not yet valid",
        ),
        (
            &untrusting,
            &ok,
            A::UnknownCA,
            20,
            "unable to get local issuer certificate",
        ),
        (
            &crl_checking,
            &revoked,
            A::CertificateRevoked,
            23,
            "certificate revoked",
        ),
        (
            &trusting,
            &forged,
            A::DecryptError,
            7,
            "certificate signature failure",
        ),
        (
            &trusting,
            &wrong_purpose,
            A::UnsupportedCertificate,
            26,
            "unsuitable certificate purpose",
        ),
        // OpenSSL sends internal_error here (X509_V_ERR_UNSPECIFIED); rustls
        // answers any verifier error outside CertificateError with
        // handshake_failure, which is as close as it gets.
        (
            &refusing,
            &ok,
            A::HandshakeFailure,
            1,
            "unspecified certificate verification error",
        ),
    ];
    for (i, (cctx, sctx, alert, code, text)) in cases.into_iter().enumerate() {
        let got = alert_for(cctx, sctx);
        let want = (alert, code, format!("certificate verify failed; {text}"));
        assert_eq!(got, want, "case {i}");
    }
}

#[test]
fn chain_completion_and_peer_cert_chain_follow_openssl() {
    let pki = pki::tls_chain();
    let names = |chain: Option<Vec<X509>>| {
        chain.map(|c| {
            c.iter()
                .map(|x| x.subject().get("CN").unwrap().unwrap_or_default())
                .collect::<Vec<_>>()
        })
    };
    let (leaf, inter, root) = (
        "localhost",
        "puressl chain intermediate",
        "puressl chain root",
    );
    // The server has only its leaf; intermediate and root are in its store.
    let mut sctx = server_for(&pki.leaf, Method::Tls);
    sctx.cert_store_mut().add_cert(&pki.inter.cert).unwrap();
    sctx.cert_store_mut().add_cert(&pki.root.cert).unwrap();
    // A client trusting only the root verifies it, and sees all three.
    let mut cctx = Context::new(Method::Tls).unwrap();
    cctx.cert_store_mut().add_cert(&pki.root.cert).unwrap();
    cctx.set_verify(VerifyMode::PEER, None);
    let (mut c, mut s) = pair(&cctx, &sctx);
    handshake(&mut c, &mut s).unwrap();
    assert_eq!(
        names(c.peer_cert_chain().unwrap()),
        Some(vec![leaf.into(), inter.into(), root.into()])
    );
    // The server did not ask for a client certificate: None.
    assert_eq!(names(s.peer_cert_chain().unwrap()), None);

    // Mutual authentication: the server's side leaves out the client's own
    // certificate, as OpenSSL does.
    sctx.set_verify(VerifyMode::PEER, None);
    let mut sends_chain = server_for(&pki.leaf, Method::Tls);
    sends_chain
        .cert_store_mut()
        .add_cert(&pki.inter.cert)
        .unwrap();
    sends_chain
        .cert_store_mut()
        .add_cert(&pki.root.cert)
        .unwrap();
    sends_chain.set_verify(VerifyMode::PEER, None);
    let mut sends_inter = server_for(&pki.leaf, Method::Tls);
    sends_inter.add_extra_chain_cert(&pki.inter.cert);
    let sends_leaf = server_for(&pki.leaf, Method::Tls);
    let mut sends_nothing = Context::new(Method::Tls).unwrap();
    sends_nothing.set_verify(VerifyMode::NONE, None);
    for (client, want) in [
        (&sends_chain, vec![inter, root]),
        (&sends_inter, vec![inter]),
        (&sends_leaf, vec![]),
        (&sends_nothing, vec![]),
    ] {
        let (mut c, mut s) = pair(client, &sctx);
        handshake(&mut c, &mut s).unwrap();
        let want: Vec<String> = want.into_iter().map(String::from).collect();
        assert_eq!(names(s.peer_cert_chain().unwrap()), Some(want));
        let peer = s.peer_certificate().unwrap();
        assert_eq!(peer.is_some(), !std::ptr::eq(client, &sends_nothing));
    }
}

#[test]
fn use_certificate_drops_a_key_that_does_not_match() {
    let mut ctx = Context::new(Method::Tls).unwrap();
    ctx.use_privatekey(&pki::key("ec-p384")).unwrap();
    ctx.use_certificate(&cert("p256.pem")).unwrap();
    let e = ctx.check_privatekey().unwrap_err();
    assert_eq!(e.to_string(), "SSL routines::no private key assigned");
    // The certificate stayed: its own key completes the pair.
    ctx.use_privatekey_file(path("p256.key"), FileType::Pem)
        .unwrap();
    ctx.check_privatekey().unwrap();
    // The other order is refused, and the pair stays as it was.
    let e = ctx.use_privatekey(&pki::key("ec-p384")).unwrap_err();
    assert!(e.to_string().contains("key values mismatch"), "{e}");
    ctx.check_privatekey().unwrap();
}
