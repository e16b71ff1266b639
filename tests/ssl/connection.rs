//! `Connection` over memory BIO pairs: context/app data, `set_context`,
//! shutdown flags, state strings, `want_read`/`want_write`, cipher list,
//! `renegotiate` (TLS 1.3 KeyUpdate).

use puressl::crypto::{FileType, X509};
use puressl::ssl::{Connection, Context, Error, Memory, Method, Shutdown, VerifyMode};

use crate::support::ssl;
use ssl::{client_ctx, handshake, outcome, pair, path, pump, server_ctx};

/// `a` sends `msg`, `b` receives exactly it.
fn deliver(a: &mut Connection<Memory>, b: &mut Connection<Memory>, msg: &[u8]) {
    a.sendall(msg).unwrap();
    pump(a, b);
    let mut buf = vec![0u8; msg.len() + 16];
    let n = b.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], msg);
}

fn reason(e: &Error) -> String {
    match e {
        Error::Ssl(stack) => stack.entries()[0].reason.clone(),
        other => panic!("expected Error::Ssl, got {other:?}"),
    }
}

#[test]
fn context_is_a_snapshot_and_app_data_is_per_connection() {
    let mut ctx = client_ctx(Method::Tls);
    ctx.set_app_data(41u32);
    ctx.set_timeout(std::time::Duration::from_secs(300));
    let mut conn = Connection::new(&ctx, Memory::default());
    ctx.set_timeout(std::time::Duration::from_secs(10));
    assert_eq!(conn.context().timeout().as_secs(), 300);
    assert_eq!(conn.context().verify_mode(), VerifyMode::PEER);
    assert_eq!(conn.context().app_data::<u32>(), Some(&41));
    assert_eq!(conn.app_data::<u32>(), None);
    conn.set_app_data(vec![1u8, 2, 3]);
    assert_eq!(conn.app_data::<Vec<u8>>(), Some(&vec![1, 2, 3]));
    assert_eq!(conn.app_data::<String>(), None);
}

#[test]
fn set_context_before_the_handshake_switches_the_certificate_and_versions() {
    // A context without a certificate cannot serve ...
    let bare = Context::new(Method::Tls).unwrap();
    let mut s = Connection::new(&bare, Memory::default());
    assert!(reason(&s.set_accept_state().unwrap_err()).contains("no certificate"));
    // ... until the connection switches to one that has one.
    s.set_context(&server_ctx(Method::Tls)).unwrap();
    s.set_accept_state().unwrap();
    // Right after the side is chosen the switch still works: TLS 1.2 only.
    s.set_context(&server_ctx(Method::TlsV1_2)).unwrap();
    let client = client_ctx(Method::Tls);
    let mut c = Connection::new(&client, Memory::default());
    c.set_connect_state().unwrap();
    handshake(&mut c, &mut s).unwrap();
    assert_eq!(c.protocol_version_name(), Some("TLSv1.2"));
    assert_eq!(s.protocol_version_name(), Some("TLSv1.2"));
    let expected = X509::from_pem(&std::fs::read(path("p256.pem")).unwrap()).unwrap();
    assert_eq!(
        c.peer_certificate().unwrap().unwrap().to_der().unwrap(),
        expected.to_der().unwrap()
    );
    // Once bytes have moved, rustls cannot change its settings.
    let err = s.set_context(&server_ctx(Method::Tls)).unwrap_err();
    assert!(reason(&err).contains("handshake has started"), "{err}");
    assert_eq!(s.cipher_list().len(), 6);
}

#[test]
fn shutdown_flags_steer_shutdown_send_and_recv() {
    let (client, server) = (client_ctx(Method::Tls), server_ctx(Method::Tls));

    // SENT set by hand: shutdown() sends no close_notify, send() refuses.
    let (mut c, mut s) = pair(&client, &server);
    handshake(&mut c, &mut s).unwrap();
    c.set_shutdown(Shutdown::SENT).unwrap();
    assert_eq!(c.shutdown_state().bits(), 1);
    assert!(reason(&c.send(b"x").unwrap_err()).contains("protocol is shutdown"));
    assert!(matches!(c.shutdown(), Err(Error::WantRead)));
    assert!(c.want_read());
    assert_eq!(pump(&mut c, &mut s), 0, "no close_notify may go out");
    assert!(matches!(s.recv(&mut [0u8; 8]), Err(Error::WantRead)));
    // Clearing it again is fine: nothing went out. Data flows again.
    c.set_shutdown(Shutdown::empty()).unwrap();
    deliver(&mut c, &mut s, b"still open");

    // Both flags: a quiet shutdown, true at once, nothing on the wire.
    c.set_shutdown(Shutdown::SENT | Shutdown::RECEIVED).unwrap();
    assert!(c.shutdown().unwrap());
    assert_eq!(pump(&mut c, &mut s), 0);
    // RECEIVED set by hand: recv reports the close; like OpenSSL, records
    // still arriving are not read.
    s.sendall(b"thrown away").unwrap();
    pump(&mut s, &mut c);
    let mut buf = [0u8; 32];
    assert!(matches!(c.recv(&mut buf), Err(Error::ZeroReturn)));

    // A flag whose alert really moved cannot be cleared.
    let (mut c, mut s) = pair(&client, &server);
    handshake(&mut c, &mut s).unwrap();
    assert!(!c.shutdown().unwrap());
    assert!(pump(&mut c, &mut s) > 0);
    let err = c.set_shutdown(Shutdown::empty()).unwrap_err();
    assert!(
        reason(&err).contains("close_notify was already sent"),
        "{err}"
    );
    assert!(matches!(s.recv(&mut buf), Err(Error::ZeroReturn)));
    assert_eq!(s.shutdown_state(), Shutdown::RECEIVED);
    let err = s.set_shutdown(Shutdown::SENT).unwrap_err();
    assert!(reason(&err).contains("RECEIVED cannot be cleared"), "{err}");
    // Adding SENT by hand: the server's shutdown() is then complete at once.
    s.set_shutdown(Shutdown::SENT | Shutdown::RECEIVED).unwrap();
    assert!(s.shutdown().unwrap());
    assert_eq!(pump(&mut s, &mut c), 0);
}

#[test]
fn state_strings_follow_openssl_waiting_points() {
    for (method, server_wait, client_wait) in [
        (Method::TlsV1_3, "TLSv1.3 early data", None),
        (
            Method::TlsV1_2,
            "SSLv3/TLS write server done",
            Some("SSLv3/TLS write finished"),
        ),
    ] {
        let client = client_ctx(method);
        let server = server_ctx(method);
        let mut c = Connection::new(&client, Memory::default());
        let mut s = Connection::new(&server, Memory::default());
        assert_eq!(c.state_string(), "before SSL initialization");
        c.set_connect_state().unwrap();
        s.set_accept_state().unwrap();
        assert_eq!(c.state_string(), "before SSL initialization");
        // The ClientHello is ready inside rustls: there is data to write.
        assert!(!c.want_read() && c.want_write());

        assert!(matches!(c.do_handshake(), Err(Error::WantRead)));
        assert!(c.want_read());
        assert!(!c.want_write());
        assert_eq!(c.state_string(), "SSLv3/TLS write client hello");
        assert!(matches!(s.do_handshake(), Err(Error::WantRead)));
        assert_eq!(s.state_string(), "before SSL initialization");
        pump(&mut c, &mut s);
        assert!(matches!(s.do_handshake(), Err(Error::WantRead)));
        assert_eq!(s.state_string(), server_wait, "{method:?}");
        pump(&mut s, &mut c);
        match client_wait {
            Some(wait) => {
                assert!(matches!(c.do_handshake(), Err(Error::WantRead)));
                assert_eq!(c.state_string(), wait);
                pump(&mut c, &mut s);
                s.do_handshake().unwrap();
                pump(&mut s, &mut c);
                c.do_handshake().unwrap();
            }
            None => {
                c.do_handshake().unwrap();
                pump(&mut c, &mut s);
                s.do_handshake().unwrap();
            }
        }
        assert!(!c.want_read() && !s.want_read());
        for conn in [&c, &s] {
            assert_eq!(conn.state_string(), "SSL negotiation finished successfully");
        }
    }

    // A failed handshake: OpenSSL's "error".
    let client = client_ctx(Method::Tls); // trusts the P-256 CA only
    let mut other = Context::new(Method::Tls).unwrap();
    other
        .use_certificate_file(path("rsa2048.pem"), FileType::Pem)
        .unwrap();
    other
        .use_privatekey_file(path("rsa2048.key"), FileType::Pem)
        .unwrap();
    let (mut c, mut s) = pair(&client, &other);
    assert!(handshake(&mut c, &mut s).is_err());
    assert_eq!(c.state_string(), "error");
}

#[test]
fn cipher_list_follows_the_context() {
    let all = [
        "TLS_AES_256_GCM_SHA384",
        "TLS_AES_128_GCM_SHA256",
        "TLS_CHACHA20_POLY1305_SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-RSA-CHACHA20-POLY1305",
    ];
    let conn = |ctx: &Context| Connection::new(ctx, Memory::default()).cipher_list();
    assert_eq!(conn(&Context::new(Method::Tls).unwrap()), all);
    assert_eq!(conn(&Context::new(Method::TlsV1_3).unwrap()), all[..3]);
    assert_eq!(conn(&Context::new(Method::TlsV1_2).unwrap()), all[3..]);

    let mut ctx = Context::new(Method::Tls).unwrap();
    ctx.set_cipher_list("ECDHE-RSA-CHACHA20-POLY1305:NOT-A-CIPHER:ECDHE-ECDSA-AES128-GCM-SHA256")
        .unwrap();
    ctx.set_tls13_ciphersuites("TLS_CHACHA20_POLY1305_SHA256")
        .unwrap();
    // The string's order (as `openssl ciphers` lists it), TLS 1.3 first.
    assert_eq!(
        conn(&ctx),
        [
            "TLS_CHACHA20_POLY1305_SHA256",
            "ECDHE-RSA-CHACHA20-POLY1305",
            "ECDHE-ECDSA-AES128-GCM-SHA256"
        ]
    );
    // The list is what is really used: the server picks from it.
    let server = server_ctx(Method::TlsV1_2);
    let (mut c, mut s) = pair(&ctx, &server);
    handshake(&mut c, &mut s).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.cipher_name(), Some("ECDHE-ECDSA-AES128-GCM-SHA256"));
}

#[test]
fn renegotiate_is_a_tls13_key_update() {
    let (client, server) = (client_ctx(Method::Tls), server_ctx(Method::Tls));
    let (mut c, mut s) = pair(&client, &server);
    let err = c.renegotiate().unwrap_err();
    assert!(reason(&err).contains("handshake has not finished"), "{err}");
    handshake(&mut c, &mut s).unwrap();
    assert_eq!(c.protocol_version_name(), Some("TLSv1.3"));
    // TLS 1.3 may deliver tickets first; drain them.
    assert!(matches!(c.recv(&mut [0u8; 8]), Err(Error::WantRead)));

    key_update(&mut c, &mut s);
    key_update(&mut s, &mut c);

    let (client, server) = (client_ctx(Method::TlsV1_2), server_ctx(Method::Tls));
    let (mut c, mut s) = pair(&client, &server);
    handshake(&mut c, &mut s).unwrap();
    let err = c.renegotiate().unwrap_err();
    assert!(
        reason(&err).contains("TLS 1.2 renegotiation is not supported"),
        "{err}"
    );
    deliver(&mut c, &mut s, b"TLS 1.2 still works");
}

/// `a` renegotiates; the KeyUpdate and its answer cross; data flows both ways.
fn key_update(a: &mut Connection<Memory>, b: &mut Connection<Memory>) {
    a.renegotiate().unwrap();
    // One KeyUpdate record: 5-byte header, 5-byte handshake message,
    // 1 content-type byte, 16-byte AEAD tag.
    let update = a.bio_read(1 << 16).unwrap();
    assert_eq!(update.len(), 27);
    assert_eq!(update[0], 23, "an encrypted record");
    b.bio_write(&update).unwrap();
    // The peer updates its keys; rustls sends its own KeyUpdate (the
    // answer to update_requested) in front of its next record.
    assert!(matches!(b.recv(&mut [0u8; 8]), Err(Error::WantRead)));
    assert_eq!(pump(b, a), 0);
    deliver(a, b, b"after the key update");
    b.send(b"and back").unwrap();
    let out = b.bio_read(1 << 16).unwrap();
    assert_eq!(out.len(), 27 + 5 + 8 + 1 + 16);
    a.bio_write(&out).unwrap();
    let mut buf = [0u8; 16];
    let n = a.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"and back");
    deliver(a, b, b"keys match both ways");
    deliver(b, a, b"and again");
}

/// Steps both handshakes (client first) until both have failed; then every
/// later call on each side, as pyOpenSSL 23.2 reports them: the side that
/// failed gets `SysCallError(-1, 'Unexpected EOF')`, the side that read the
/// fatal alert `ZeroReturnError`, and `shutdown` "shutdown while in init".
fn every_later_call_fails(
    cctx: &Context,
    sctx: &Context,
    first_client_ok: bool,
) -> (Vec<String>, Vec<String>) {
    let (mut c, mut s) = pair(cctx, sctx);
    let (mut cfail, mut sfail) = (None, None);
    for _ in 0..10 {
        for (conn, fail) in [(&mut c, &mut cfail), (&mut s, &mut sfail)] {
            if fail.is_none() {
                match conn.do_handshake() {
                    Err(e) if !e.is_retryable() => *fail = Some(outcome::<()>(Err(e))),
                    _ => {}
                }
            }
        }
        pump(&mut c, &mut s);
        pump(&mut s, &mut c);
    }
    if first_client_ok {
        // TLS 1.3 client: its handshake completed; the alert comes with recv.
        assert_eq!(cfail, None);
        cfail = Some(outcome(c.recv(&mut [0; 8])));
    }
    let calls = |conn: &mut Connection<Memory>, first: Option<String>| {
        let mut v = vec![first.expect("the handshake failed")];
        v.push(outcome(conn.do_handshake()));
        v.push(outcome(conn.recv(&mut [0; 8])));
        v.push(outcome(conn.recv(&mut [])));
        v.push(outcome(conn.recv_peek(&mut [0; 8])));
        v.push(outcome(conn.send(b"x")));
        v.push(outcome(conn.sendall(b"x")));
        v.push(outcome(conn.renegotiate()));
        v.push(outcome(conn.shutdown()));
        v.push(outcome(conn.do_handshake()));
        assert_eq!(conn.state_string(), "error");
        assert!(!conn.want_read());
        v
    };
    (calls(&mut c, cfail), calls(&mut s, sfail))
}

#[test]
fn after_a_fatal_handshake_error_every_call_fails() {
    let eof = "SysCall(-1, Unexpected EOF)";
    let zero = "ZeroReturn";
    let failed = |first: &str, later: &str| {
        let mut v = vec![format!("Error({first})")];
        v.extend(std::iter::repeat_n(later.to_string(), 6));
        v.push("Error(renegotiate: the connection failed (fatal TLS error or alert))".into());
        v.push("Error(shutdown while in init)".into());
        v.push(later.to_string());
        v
    };
    let verify_failed = "certificate verify failed";
    let required = "tlsv13 alert certificate required";
    for method in [Method::TlsV1_2, Method::TlsV1_3] {
        // The client does not trust the server; then the callback says no.
        let mut untrusted = Context::new(method).unwrap();
        untrusted.set_verify(VerifyMode::PEER, None);
        let mut refusing = client_ctx(method);
        refusing.set_verify(VerifyMode::PEER, Some(Box::new(|_: &_, _, _, _| false)));
        for (cctx, alert) in [
            (untrusted, "tlsv1 alert unknown ca"),
            (refusing, "sslv3 alert handshake failure"),
        ] {
            let (c, s) = every_later_call_fails(&cctx, &server_ctx(method), false);
            assert_eq!(c, failed(verify_failed, eof), "{method:?} client");
            assert_eq!(s, failed(alert, zero), "{method:?} server");
        }
        // FAIL_IF_NO_PEER_CERT and a client without a certificate.
        let mut sctx = server_ctx(method);
        sctx.load_verify_locations(Some(std::path::Path::new(&path("p256-ca.pem"))), None)
            .unwrap();
        sctx.set_verify(VerifyMode::PEER | VerifyMode::FAIL_IF_NO_PEER_CERT, None);
        let tls13 = method == Method::TlsV1_3;
        let (c, s) = every_later_call_fails(&client_ctx(method), &sctx, tls13);
        assert_eq!(c, failed(required, zero), "{method:?} client");
        let no_cert = "peer did not return a certificate";
        assert_eq!(s, failed(no_cert, eof), "{method:?} server");
    }
}

#[test]
fn the_side_that_reads_a_fatal_alert_fails_and_marks_it_received() {
    let mut cctx = Context::new(Method::Tls).unwrap();
    cctx.set_verify(VerifyMode::PEER, None);
    let sctx = server_ctx(Method::Tls);
    let (mut c, mut s) = pair(&cctx, &sctx);
    assert!(handshake(&mut c, &mut s).is_err());
    // The client failed first (its alert is in the server's BIO now).
    let e = s.do_handshake().unwrap_err();
    assert!(matches!(e, Error::Ssl(_)), "{e:?}");
    // OpenSSL's reason text; the rustls error is the source.
    assert_eq!(reason(&e), "tlsv1 alert unknown ca");
    let source = std::error::Error::source(&e).and_then(|s| s.source());
    let rustls = source.and_then(|s| s.downcast_ref::<rustls::Error>());
    assert_eq!(
        rustls,
        Some(&rustls::Error::AlertReceived(
            rustls::AlertDescription::UnknownCA
        ))
    );
    assert_eq!(s.shutdown_state(), Shutdown::RECEIVED);
    assert_eq!(c.shutdown_state(), Shutdown::empty());
}

#[test]
fn recv_into_an_empty_buffer() {
    let (mut c, mut s) = pair(&client_ctx(Method::Tls), &server_ctx(Method::Tls));
    handshake(&mut c, &mut s).unwrap();
    // Nothing buffered: WantRead, as pyOpenSSL's recv(0).
    assert!(matches!(c.recv(&mut []), Err(Error::WantRead)));
    assert!(c.want_read());
    s.send(b"hello").unwrap();
    pump(&mut s, &mut c);
    // Data waiting: 0 bytes taken (pyOpenSSL raises SysCallError(-1) here).
    assert_eq!(c.recv(&mut []).unwrap(), 0);
    assert_eq!(c.pending(), 5);
    s.shutdown().unwrap();
    pump(&mut s, &mut c);
    let mut buf = [0; 8];
    assert_eq!(c.recv(&mut buf).unwrap(), 5);
    assert!(matches!(c.recv(&mut []), Err(Error::ZeroReturn)));
}

#[test]
fn send_takes_one_record_and_sendall_counts() {
    for method in [Method::TlsV1_2, Method::TlsV1_3] {
        let (mut c, mut s) = pair(&client_ctx(method), &server_ctx(method));
        handshake(&mut c, &mut s).unwrap();
        let big = vec![7u8; 40_000];
        assert_eq!(c.send(&big).unwrap(), 16_384, "{method:?}");
        assert_eq!(c.send(&big[..100]).unwrap(), 100);
        assert_eq!(c.sendall(&big).unwrap(), 40_000);
        assert_eq!(c.sendall(b"").unwrap(), 0);
        pump(&mut c, &mut s);
        let mut got = 0;
        let mut buf = vec![0u8; 1 << 16];
        while let Ok(n) = s.recv(&mut buf) {
            got += n;
        }
        assert_eq!(got, 16_384 + 100 + 40_000);
    }
}

#[test]
fn shutdown_before_the_handshake_finished_is_refused() {
    // OpenSSL's SSL_shutdown: "shutdown while in init", nothing sent.
    let (mut c, mut s) = pair(&client_ctx(Method::Tls), &server_ctx(Method::Tls));
    assert_eq!(outcome(c.shutdown()), "Error(shutdown while in init)");
    assert!(c.do_handshake().unwrap_err().is_retryable());
    assert_eq!(outcome(c.shutdown()), "Error(shutdown while in init)");
    assert_eq!(c.shutdown_state(), Shutdown::empty());
    handshake(&mut c, &mut s).unwrap();
    assert!(!c.shutdown().unwrap());
    assert_eq!(c.shutdown_state(), Shutdown::SENT);
}

#[test]
fn application_data_after_our_close_notify_fails_shutdown() {
    // OpenSSL (pyOpenSSL 23.2): "application data after close notify", a
    // fatal error; the close_notify behind the data counts as not read.
    let (mut c, mut s) = pair(&client_ctx(Method::Tls), &server_ctx(Method::Tls));
    handshake(&mut c, &mut s).unwrap();
    assert!(!c.shutdown().unwrap());
    pump(&mut c, &mut s);
    assert!(matches!(s.recv(&mut [0; 4]), Err(Error::ZeroReturn)));
    assert_eq!(s.send(b"late").unwrap(), 4);
    assert!(s.shutdown().unwrap());
    pump(&mut s, &mut c);
    let e = c.shutdown().unwrap_err();
    assert_eq!(reason(&e), "application data after close notify");
    assert_eq!(c.shutdown_state(), Shutdown::SENT);
    assert_eq!(outcome(c.recv(&mut [0; 4])), "SysCall(-1, Unexpected EOF)");
    assert_eq!(c.state_string(), "error");
}

#[test]
fn close_notify_mid_handshake_then_peer_alert_is_an_error_not_a_panic() {
    // The fuzzers' path (tests/data/fuzz/tls_records): server mid-handshake
    // (TLS 1.3), the application shuts down, the client's warning alert
    // arrives. Before the fix this panicked inside rustls.
    let (client, server) = (client_ctx(Method::TlsV1_3), server_ctx(Method::TlsV1_3));
    let (mut c, mut s) = pair(&client, &server);
    let _ = c.do_handshake();
    pump(&mut c, &mut s);
    let _ = s.do_handshake();
    assert_eq!(outcome(s.shutdown()), "Error(shutdown while in init)");
    assert_eq!(s.shutdown_state(), Shutdown::empty());
    pump(&mut s, &mut c);
    // A TLS 1.3 warning alert (close_notify level 1) in plaintext.
    s.bio_write(&[21, 3, 3, 0, 2, 1, 0]).unwrap();
    assert!(s.do_handshake().is_err());
    let _ = s.shutdown();
}
