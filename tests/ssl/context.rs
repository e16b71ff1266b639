//! `Context` features over in-memory pairs: passphrase callback, DH
//! parameters, session resumption and session-id contexts, the info
//! callback, client CA names, VERIFY_NONE semantics, and connections
//! keeping the settings they were made with.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use puressl::crypto::{FileType, X509};
use puressl::ssl::{
    Connection, Context, Error, Group, InfoWhere, Memory, Method, Options, VerifyMode,
    PASSWD_MAX_LEN,
};

use crate::support::ssl;
use ssl::{client_ctx, handshake, pair, path, pump, server_ctx};

/// A scratch directory, removed on drop.
struct Tmp(PathBuf);

impl Tmp {
    fn new(tag: &str) -> Self {
        let p = std::env::temp_dir().join(format!("puressl-sslctx-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Tmp(p)
    }
    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn openssl(args: &[&str]) {
    let out = Command::new("openssl").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A full connection: handshake, then the client reads what the server
/// sent after it (TLS 1.3 tickets arrive after the handshake).
fn connect(client: &Context, server: &Context) -> (Connection<Memory>, Connection<Memory>) {
    let (mut c, mut s) = pair(client, server);
    handshake(&mut c, &mut s).unwrap();
    s.sendall(b"hi").unwrap();
    pump(&mut s, &mut c);
    let mut buf = [0u8; 8];
    assert_eq!(c.recv(&mut buf).unwrap(), 2);
    (c, s)
}

#[test]
fn context_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Context>();
}

#[test]
fn passwd_cb_decrypts_an_openssl_encrypted_key() {
    let tmp = Tmp::new("passwd");
    let enc = tmp.file("enc.pem");
    let enc_s = enc.to_str().unwrap();
    openssl(&[
        "pkey",
        "-in",
        &path("p256.key"),
        "-aes256",
        "-passout",
        "pass:hunter2",
        "-out",
        enc_s,
    ]);
    assert!(std::fs::read_to_string(&enc)
        .unwrap()
        .starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));

    // No callback: an error, not a prompt.
    let mut ctx = Context::new(Method::Tls).unwrap();
    ctx.use_certificate_file(path("p256.pem"), FileType::Pem)
        .unwrap();
    let e = ctx.use_privatekey_file(&enc, FileType::Pem).unwrap_err();
    assert!(e.to_string().contains("passphrase"), "{e}");

    // The right passphrase: called once with (1024, false, userdata).
    let calls = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&calls);
    ctx.set_passwd_cb(
        move |maxlen, verify, pw: &Vec<u8>| {
            seen.lock().unwrap().push((maxlen, verify));
            pw.clone()
        },
        b"hunter2".to_vec(),
    );
    ctx.use_privatekey_file(&enc, FileType::Pem).unwrap();
    ctx.check_privatekey().unwrap();
    assert_eq!(*calls.lock().unwrap(), vec![(1024, false)]);
    assert_eq!(PASSWD_MAX_LEN, 1024);
    // The decrypted key serves a handshake.
    let _ = connect(&client_ctx(Method::Tls), &ctx);

    // A wrong passphrase and an empty one are errors that say so.
    ctx.set_passwd_cb(|_, _, _: &()| b"wrong".to_vec(), ());
    let e = ctx.use_privatekey_file(&enc, FileType::Pem).unwrap_err();
    assert!(e.to_string().contains("bad decrypt"), "{e}");
    ctx.set_passwd_cb(|_, _, _: &()| Vec::new(), ());
    let e = ctx.use_privatekey_file(&enc, FileType::Pem).unwrap_err();
    assert!(e.to_string().contains("returned no passphrase"), "{e}");

    // An answer longer than maxlen is truncated to it (pyOpenSSL).
    let long = vec![b'p'; PASSWD_MAX_LEN];
    let key = puressl::crypto::load_privatekey(
        FileType::Pem,
        &std::fs::read(path("p256.key")).unwrap(),
        None,
    )
    .unwrap();
    let pem = puressl::crypto::dump_privatekey(
        FileType::Pem,
        &key,
        Some(("aes-256-cbc", long.as_slice().into())),
    )
    .unwrap();
    let long_file = tmp.file("long.pem");
    std::fs::write(&long_file, pem).unwrap();
    ctx.set_passwd_cb(
        |_, _, base: &Vec<u8>| {
            let mut pw = base.clone();
            pw.extend_from_slice(b"-cut-off");
            pw
        },
        long,
    );
    ctx.use_privatekey_file(&long_file, FileType::Pem).unwrap();
}

#[test]
fn load_tmp_dh_reads_then_refuses() {
    let tmp = Tmp::new("dh");
    let dh = tmp.file("dh.pem");
    openssl(&[
        "genpkey",
        "-genparam",
        "-algorithm",
        "DH",
        "-pkeyopt",
        "dh_param:ffdhe2048",
        "-out",
        dh.to_str().unwrap(),
    ]);
    let mut ctx = Context::new(Method::Tls).unwrap();
    let e = ctx.load_tmp_dh(&dh).unwrap_err();
    let text = e.to_string();
    assert!(
        text.starts_with("SSL routines::finite-field Diffie-Hellman is not supported: the 2048-bit DH parameters"),
        "{text}"
    );
    // Not DH parameters: a parse error first.
    let e = ctx.load_tmp_dh(path("p256.pem")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "DH lib::no start line: no BEGIN DH PARAMETERS block"
    );
    let e = ctx.load_tmp_dh(tmp.file("missing.pem")).unwrap_err();
    assert_eq!(e.errno(), Some(2));
    // Broken base64 and broken DER: a fixed reason, the decoder's error as
    // the stack's source.
    for (body, reason) in [
        ("!!!!", "not a PEM file of DH parameters"),
        ("MAUC", "bad DH parameters"),
    ] {
        let file = tmp.file("broken.pem");
        std::fs::write(
            &file,
            format!("-----BEGIN DH PARAMETERS-----\n{body}\n-----END DH PARAMETERS-----\n"),
        )
        .unwrap();
        let e = ctx.load_tmp_dh(&file).unwrap_err();
        assert_eq!(e.to_string(), format!("DH lib::{reason}"));
        let stack = std::error::Error::source(&e).expect("the error stack");
        assert!(stack.source().is_some(), "{reason}: {e:?}");
    }
}

type Calls = Arc<Mutex<Vec<(i32, u32, bool)>>>;

fn recorder(calls: &Calls) -> puressl::ssl::VerifyFn {
    let calls = Arc::clone(calls);
    Box::new(move |_cert: &X509, errnum, depth, ok| {
        calls.lock().unwrap().push((errnum.code(), depth, ok));
        ok
    })
}

#[test]
fn verify_none_runs_the_callback_like_verify_peer_and_goes_on() {
    for trusted in [true, false] {
        let mut seqs = Vec::new();
        for mode in [VerifyMode::PEER, VerifyMode::NONE] {
            let calls: Calls = Arc::default();
            let mut cctx = if trusted {
                client_ctx(Method::Tls)
            } else {
                Context::new(Method::Tls).unwrap()
            };
            cctx.set_verify(mode, Some(recorder(&calls)));
            let (mut c, mut s) = pair(&cctx, &server_ctx(Method::Tls));
            let r = handshake(&mut c, &mut s);
            // Only VERIFY_PEER with an untrusted server fails.
            assert_eq!(r.is_ok(), trusted || mode == VerifyMode::NONE, "{r:?}");
            // What verification found stays readable (SSL_get_verify_result).
            assert_eq!(c.verify_result().code(), if trusted { 0 } else { 20 });
            seqs.push(calls.lock().unwrap().clone());
        }
        let expected = if trusted {
            vec![(0, 1, true), (0, 0, true)]
        } else {
            // X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY at the leaf.
            vec![(20, 0, false)]
        };
        assert_eq!(seqs[0], expected);
        assert_eq!(seqs[1], expected);
    }
    // A trusted chain for another host name under VERIFY_NONE: the
    // handshake goes on, and the result says hostname mismatch (62); a
    // callback that overrides leaves X509_V_OK.
    for (cb, expected) in [(false, 62), (true, 0)] {
        let mut cctx = client_ctx(Method::Tls);
        let cb: Option<puressl::ssl::VerifyFn> =
            cb.then(|| Box::new(|_: &X509, _, _, _| true) as _);
        cctx.set_verify(VerifyMode::NONE, cb);
        let mut c = Connection::new(&cctx, Memory::default());
        c.set_tlsext_host_name(b"example.com").unwrap();
        c.set_connect_state().unwrap();
        let mut s = Connection::new(&server_ctx(Method::Tls), Memory::default());
        s.set_accept_state().unwrap();
        assert_eq!(c.verify_result().code(), 0);
        handshake(&mut c, &mut s).unwrap();
        assert_eq!(c.verify_result().code(), expected);
    }
}

#[test]
fn connections_keep_the_settings_they_were_made_with() {
    let server = server_ctx(Method::Tls);
    let mut cctx = Context::new(Method::Tls).unwrap();
    cctx.set_verify(VerifyMode::PEER, None);
    let (mut c1, mut s1) = pair(&cctx, &server);
    // Changed after c1 was made: only later connections see it.
    cctx.set_verify(VerifyMode::NONE, None);
    let (mut c2, mut s2) = pair(&cctx, &server);
    assert!(handshake(&mut c1, &mut s1).is_err());
    handshake(&mut c2, &mut s2).unwrap();
}

#[test]
fn sessions_resume_within_a_session_id_context_only() {
    for (method, no_ticket) in [
        (Method::Tls, false),
        (Method::Tls, true),
        (Method::TlsV1_2, false),
        (Method::TlsV1_2, true),
    ] {
        let what = format!("{method:?} no_ticket={no_ticket}");
        let mut server = server_ctx(method);
        server.set_session_id(b"one").unwrap();
        if no_ticket {
            server.set_options(Options::NO_TICKET);
        }
        let client = client_ctx(method);
        let (c, s) = connect(&client, &server);
        assert!(!c.session_reused() && !s.session_reused(), "{what}");
        let (c, s) = connect(&client, &server);
        assert!(c.session_reused() && s.session_reused(), "{what}");
        // Another client context has its own (empty) cache.
        let (c, _) = connect(&client_ctx(method), &server);
        assert!(!c.session_reused(), "{what}");
        // The server's session-id context changed: no resumption, then a
        // new session that resumes.
        server.set_session_id(b"two").unwrap();
        let (c, s) = connect(&client, &server);
        assert!(!c.session_reused() && !s.session_reused(), "{what}");
        let (c, _) = connect(&client, &server);
        assert!(c.session_reused(), "{what}");
        // A timeout of 0: sessions expire at once.
        server.set_timeout(Duration::ZERO);
        let (c, _) = connect(&client, &server);
        assert!(!c.session_reused(), "{what}");
        let (c, _) = connect(&client, &server);
        assert!(!c.session_reused(), "{what}");
    }
    let mut ctx = Context::new(Method::Tls).unwrap();
    let e = ctx.set_session_id(&[b'x'; 33]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "SSL routines::ssl session id context too long"
    );
    ctx.set_session_id(&[b'x'; 32]).unwrap();
    assert_eq!(ctx.session_id(), &[b'x'; 32]);
}

#[test]
fn set_groups_decides_the_negotiated_group() {
    let cases: [(Method, Option<&str>, Option<&str>, &str); 7] = [
        (Method::Tls, None, None, "X25519MLKEM768"),
        (Method::Tls, Some("X25519"), None, "X25519"),
        (Method::Tls, Some("P-256"), None, "secp256r1"),
        (
            Method::Tls,
            Some("secp384r1:X25519"),
            Some("P-384"),
            "secp384r1",
        ),
        // The client's first share is not acceptable: HelloRetryRequest.
        (Method::Tls, None, Some("prime256v1"), "secp256r1"),
        (Method::TlsV1_2, None, None, "X25519"),
        (Method::TlsV1_2, Some("P-384:P-256"), None, "secp384r1"),
    ];
    for (method, cg, sg, want) in cases {
        let what = format!("{method:?} client {cg:?} server {sg:?}");
        let mut client = client_ctx(method);
        let mut server = server_ctx(method);
        if let Some(g) = cg {
            client.set_groups_list(g).unwrap();
        }
        if let Some(g) = sg {
            server.set_groups_list(g).unwrap();
        }
        let (mut c, mut s) = pair(&client, &server);
        assert_eq!((c.group_name(), s.group_name()), (None, None), "{what}");
        handshake(&mut c, &mut s).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(c.group_name(), Some(want), "{what}");
        assert_eq!(s.group_name(), Some(want), "{what}");
        assert_eq!(c.group().map(Group::name), Some(want), "{what}");
    }
    // No group in common: the handshake fails.
    let mut client = client_ctx(Method::Tls);
    client.set_groups(&[Group::X25519]).unwrap();
    let mut server = server_ctx(Method::Tls);
    server.set_groups(&[Group::P256]).unwrap();
    let (mut c, mut s) = pair(&client, &server);
    assert!(matches!(c.do_handshake(), Err(Error::WantRead)));
    pump(&mut c, &mut s);
    let e = s.do_handshake().unwrap_err().to_string();
    assert_eq!(e, "SSL routines::peer is incompatible: NoKxGroupsInCommon");
    // Bad lists are refused and leave the groups as they were.
    let e = server
        .set_groups_list("X25519:X448")
        .unwrap_err()
        .to_string();
    assert!(e.contains("unsupported group \"X448\""), "{e}");
    assert!(server.set_groups(&[]).is_err());
    assert!(server.set_groups(&[Group::P256, Group::P256]).is_err());
    assert_eq!(server.groups(), [Group::P256]);
    assert_eq!(Context::new(Method::Tls).unwrap().groups(), Group::ALL);
}

#[test]
fn set_num_tickets_sets_the_tickets_sent_after_a_full_handshake() {
    for n in [0usize, 1, 2, 4] {
        let client = client_ctx(Method::Tls);
        let mut server = server_ctx(Method::Tls);
        server.set_num_tickets(n);
        assert_eq!(server.num_tickets(), n);
        let (c, s) = connect(&client, &server);
        assert!(!c.session_reused() && !s.session_reused());
        // A clone shares the ticket key and cache but sends no tickets:
        // the client resumes once per ticket it got, then starts afresh.
        let mut quiet = server.clone();
        quiet.set_num_tickets(0);
        let mut resumed = 0;
        while connect(&client, &quiet).0.session_reused() {
            resumed += 1;
            assert!(resumed <= n, "num_tickets {n}");
        }
        assert_eq!(resumed, n, "num_tickets {n}");
    }
}

#[test]
fn session_cache_size_bounds_the_cache_least_recently_used_first() {
    // TLS 1.2 by session ID: one cache entry per full handshake.
    let mut server = server_ctx(Method::TlsV1_2);
    server.set_options(Options::NO_TICKET);
    assert_eq!(server.session_cache_size(), 20_480);
    assert_eq!(server.set_session_cache_size(2), 20_480);
    let clients: Vec<Context> = (0..3).map(|_| client_ctx(Method::TlsV1_2)).collect();
    for c in &clients {
        assert!(!connect(c, &server).0.session_reused());
    }
    assert_eq!(server.session_cache_len(), 2);
    // The first client's session was evicted; the third's is there.
    assert!(connect(&clients[2], &server).0.session_reused());
    assert!(!connect(&clients[0], &server).0.session_reused());
    // That full handshake evicted the least recently used: the second's.
    assert!(!connect(&clients[1], &server).0.session_reused());
    assert!(connect(&clients[0], &server).0.session_reused());
    // A clone shares the cache and its size.
    let clone = server.clone();
    assert_eq!(clone.session_cache_size(), 2);
    assert_eq!(server.set_session_cache_size(0), 2);
    assert_eq!(clone.session_cache_size(), 0);
}

type Events = Arc<Mutex<Vec<(bool, i32, i32)>>>;

fn info_recorder(ctx: &mut Context) -> Events {
    let events: Events = Arc::default();
    let seen = Arc::clone(&events);
    ctx.set_info_callback(move |conn, where_, ret| {
        seen.lock()
            .unwrap()
            .push((conn.is_server(), where_.bits(), ret));
        if where_ == InfoWhere::HANDSHAKE_DONE {
            assert_eq!(conn.protocol_version_name(), Some("TLSv1.3"));
            assert_eq!(conn.cipher_name(), Some("TLS_AES_256_GCM_SHA384"));
            assert!(!conn.is_handshaking() && !conn.session_reused());
            // The client sees the server's certificate; the server none.
            let peer = conn.peer_certificate().unwrap();
            assert_eq!(peer.is_some(), !conn.is_server());
        }
    });
    events
}

/// The events without the `EXIT(-1)` of calls that would block.
fn significant(events: &Events) -> Vec<(bool, i32, i32)> {
    events
        .lock()
        .unwrap()
        .iter()
        .copied()
        .filter(|e| e.2 != -1)
        .collect()
}

#[test]
fn info_callback_reports_start_done_and_alerts() {
    let mut cctx = client_ctx(Method::Tls);
    let mut sctx = server_ctx(Method::Tls);
    let ce = info_recorder(&mut cctx);
    let se = info_recorder(&mut sctx);
    let (mut c, mut s) = pair(&cctx, &sctx);
    handshake(&mut c, &mut s).unwrap();
    assert_eq!(
        significant(&ce),
        vec![(false, 0x10, 1), (false, 0x20, 1), (false, 0x1002, 1)]
    );
    assert_eq!(
        significant(&se),
        vec![(true, 0x10, 1), (true, 0x20, 1), (true, 0x2002, 1)]
    );
    // Calls that would block end with EXIT(-1), as in OpenSSL.
    let all = ce.lock().unwrap().clone();
    assert_eq!(all.first(), Some(&(false, 0x10, 1)));
    assert!(all.contains(&(false, 0x1002, -1)), "{all:?}");
    // close_notify: written by the client, read by the server (0x100).
    assert!(!c.shutdown().unwrap());
    pump(&mut c, &mut s);
    let mut buf = [0u8; 4];
    assert!(matches!(s.recv(&mut buf), Err(Error::ZeroReturn)));
    assert_eq!(significant(&ce).last(), Some(&(false, 0x4008, 0x100)));
    assert_eq!(significant(&se).last(), Some(&(true, 0x4004, 0x100)));

    // A failed verification: the client sends a fatal alert, the server
    // reads it (unknown_ca, 48, as OpenSSL sends for error 20), then both
    // handshakes exit with -1.
    let mut cctx = Context::new(Method::Tls).unwrap();
    cctx.set_verify(VerifyMode::PEER, None);
    let ce = info_recorder(&mut cctx);
    let mut sctx = server_ctx(Method::Tls);
    let se = info_recorder(&mut sctx);
    let (mut c, mut s) = pair(&cctx, &sctx);
    assert!(handshake(&mut c, &mut s).is_err());
    let _ = s.do_handshake();
    let ce = ce.lock().unwrap().clone();
    let se = se.lock().unwrap().clone();
    assert_eq!(
        &ce[ce.len() - 2..],
        &[(false, 0x4008, 0x230), (false, 0x1002, -1)]
    );
    assert!(se.contains(&(true, 0x4004, 0x230)), "{se:?}");
    assert!(!se.iter().any(|e| e.1 == 0x20), "{se:?}");
}

#[test]
fn client_ca_list_is_set_added_and_loaded() {
    let mut ctx = server_ctx(Method::Tls);
    assert!(ctx.client_ca_list().unwrap().is_empty());
    let tmp = Tmp::new("clientca");
    let both = tmp.file("cas.pem");
    let mut pem = std::fs::read(path("p256-ca.pem")).unwrap();
    pem.extend(std::fs::read(path("rsa2048-ca.pem")).unwrap());
    std::fs::write(&both, pem).unwrap();
    ctx.load_client_ca(&both).unwrap();
    let names: Vec<String> = ctx
        .client_ca_list()
        .unwrap()
        .iter()
        .map(|n| n.to_string())
        .collect();
    let subject = |f: &str| {
        X509::from_pem(&std::fs::read(path(f)).unwrap())
            .unwrap()
            .subject()
            .to_string()
    };
    assert_eq!(
        names,
        vec![subject("p256-ca.pem"), subject("rsa2048-ca.pem")]
    );
    let p384 = X509::from_pem(&std::fs::read(path("p384-ca.pem")).unwrap()).unwrap();
    ctx.add_client_ca(&p384);
    assert_eq!(ctx.client_ca_list().unwrap().len(), 3);
    ctx.set_client_ca_list(&[p384.subject().clone()]);
    assert_eq!(ctx.client_ca_list().unwrap(), vec![p384.subject().clone()]);
    assert!(ctx.load_client_ca(tmp.file("missing.pem")).is_err());
    // The server with VERIFY_PEER and a client certificate still works.
    ctx.load_verify_locations(Some(Path::new(&path("p256-ca.pem"))), None)
        .unwrap();
    ctx.set_verify(VerifyMode::PEER | VerifyMode::FAIL_IF_NO_PEER_CERT, None);
    let mut cctx = client_ctx(Method::Tls);
    cctx.use_certificate_file(path("p256.pem"), FileType::Pem)
        .unwrap();
    cctx.use_privatekey_file(path("p256.key"), FileType::Pem)
        .unwrap();
    let (_, s) = connect(&cctx, &ctx);
    assert!(s.peer_certificate().unwrap().is_some());
}

#[test]
fn clones_share_sessions_and_connection_snapshots_resume() {
    let server = server_ctx(Method::Tls);
    let client = client_ctx(Method::Tls);
    let (c, _) = connect(&client, &server);
    assert!(!c.session_reused());
    // A clone is the same SSL_CTX for sessions: both sides resume.
    let (c, s) = connect(&client.clone(), &server.clone());
    assert!(c.session_reused() && s.session_reused());
    // So does a connection's snapshot, handed on as a new context.
    let (c, s) = connect(c.context(), s.context());
    assert!(c.session_reused() && s.session_reused());
    // A clone under another session-id context shares the server cache
    // but cannot resume the first context's sessions (sid_ctx check)...
    let fresh = client_ctx(Method::Tls);
    let (c, _) = connect(&fresh, &server);
    assert!(!c.session_reused());
    let mut other = server.clone();
    other.set_session_id(b"other").unwrap();
    let (c, s) = connect(&fresh, &other);
    assert!(!c.session_reused() && !s.session_reused());
    // ...while the original still can (a client clone shares the cache,
    // and its edits leave the sessions alone).
    let mut client2 = client.clone();
    client2.set_timeout(Duration::from_secs(60));
    let (c, s) = connect(&client2, &server);
    assert!(c.session_reused() && s.session_reused());
}

#[test]
fn set_context_uses_the_new_contexts_sessions_and_info_callback() {
    let client = client_ctx(Method::Tls);
    let mut server = server_ctx(Method::Tls);
    let events: Arc<Mutex<Vec<(i32, bool)>>> = Arc::default();
    let seen = Arc::clone(&events);
    server.set_info_callback(move |conn, where_, _| {
        if where_ == InfoWhere::HANDSHAKE_DONE {
            seen.lock()
                .unwrap()
                .push((where_.bits(), conn.session_reused()));
        }
    });
    // A server connection made on a context without a certificate, switched
    // (as an SNI callback does) to the real one before any byte moved.
    let placeholder = Context::new(Method::Tls).unwrap();
    for round in 0..2 {
        let mut s = Connection::new(&placeholder, Memory::default());
        s.set_context(&server).unwrap();
        s.set_accept_state().unwrap();
        let mut c = Connection::new(&client, Memory::default());
        c.set_connect_state().unwrap();
        handshake(&mut c, &mut s).unwrap();
        s.sendall(b"hi").unwrap();
        pump(&mut s, &mut c);
        let mut buf = [0u8; 8];
        assert_eq!(c.recv(&mut buf).unwrap(), 2);
        assert_eq!(s.session_reused(), round == 1);
        assert_eq!(c.session_reused(), round == 1);
    }
    // The callback of the context switched to ran, for both handshakes.
    assert_eq!(*events.lock().unwrap(), [(0x20, false), (0x20, true)]);
}

#[test]
fn an_implicit_handshake_reports_info_events_and_the_verify_result() {
    // No trust anchors and VERIFY_NONE: the handshake that `send` and
    // `recv` start goes on, and says what verification found.
    let mut cctx = Context::new(Method::Tls).unwrap();
    let ce = info_recorder(&mut cctx);
    let sctx = server_ctx(Method::Tls);
    let (mut c, mut s) = pair(&cctx, &sctx);
    let mut buf = [0u8; 8];
    let mut sent = false;
    for _ in 0..20 {
        if !sent {
            match c.send(b"ping") {
                Ok(4) => sent = true,
                Err(e) if e.is_retryable() => {}
                r => panic!("send: {r:?}"),
            }
        }
        pump(&mut c, &mut s);
        match s.recv(&mut buf) {
            Ok(n) => {
                assert_eq!(&buf[..n], b"ping");
                break;
            }
            Err(e) if e.is_retryable() => {}
            Err(e) => panic!("recv: {e}"),
        }
        pump(&mut s, &mut c);
    }
    assert!(sent);
    // X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY.
    assert_eq!(c.verify_result().code(), 20);
    assert_eq!(
        significant(&ce),
        vec![(false, 0x10, 1), (false, 0x20, 1), (false, 0x1002, 1)]
    );
}

/// An OCSP test pair: a server stapling what `answer` gives (counting its
/// calls), a client whose callback records what it saw and answers
/// `verdict`; `request`: the client calls `request_ocsp`.
struct Ocsp {
    server_calls: Arc<Mutex<Vec<Option<String>>>>,
    client_saw: Arc<Mutex<Vec<Vec<u8>>>>,
    c: Connection<Memory>,
    s: Connection<Memory>,
}

fn ocsp_pair(
    method: Method,
    answer: Result<Vec<u8>, &'static str>,
    verdict: Result<bool, &'static str>,
    request: bool,
) -> Ocsp {
    let server_calls = Arc::new(Mutex::new(Vec::new()));
    let client_saw = Arc::new(Mutex::new(Vec::new()));
    let mut server = server_ctx(Method::Tls);
    let calls = Arc::clone(&server_calls);
    server.set_ocsp_server_callback(move |conn| {
        calls.lock().unwrap().push(conn.servername());
        answer.clone().map_err(Error::callback)
    });
    let mut client = client_ctx(method);
    let saw = Arc::clone(&client_saw);
    client.set_ocsp_client_callback(move |conn, response| {
        assert_eq!(conn.servername().as_deref(), Some("localhost"));
        assert_eq!(
            conn.peer_certificate()
                .unwrap()
                .subject()
                .get("CN")
                .unwrap()
                .unwrap(),
            "localhost"
        );
        assert_eq!(conn.peer_cert_chain().unwrap().len(), 1);
        saw.lock().unwrap().push(response.to_vec());
        verdict.map_err(Error::callback)
    });
    let mut c = Connection::new(&client, Memory::default());
    c.set_tlsext_host_name(b"localhost").unwrap();
    c.set_connect_state().unwrap();
    if request {
        c.request_ocsp().unwrap();
    }
    let mut s = Connection::new(&server, Memory::default());
    s.set_accept_state().unwrap();
    Ocsp {
        server_calls,
        client_saw,
        c,
        s,
    }
}

const RESPONSE: &[u8] = b"\x30\x03\x0a\x01\x00 any bytes: not checked";

#[test]
fn ocsp_staple_reaches_the_client_callback() {
    for method in [Method::TlsV1_2, Method::Tls] {
        let mut t = ocsp_pair(method, Ok(RESPONSE.to_vec()), Ok(true), true);
        handshake(&mut t.c, &mut t.s).unwrap();
        assert_eq!(
            *t.server_calls.lock().unwrap(),
            [Some("localhost".to_string())]
        );
        assert_eq!(*t.client_saw.lock().unwrap(), [RESPONSE.to_vec()]);
        assert_eq!(t.c.verify_result().code(), 0);
        // Nothing to staple: the client sees an empty response.
        let mut t = ocsp_pair(method, Ok(Vec::new()), Ok(true), true);
        handshake(&mut t.c, &mut t.s).unwrap();
        assert_eq!(t.server_calls.lock().unwrap().len(), 1);
        assert_eq!(*t.client_saw.lock().unwrap(), [Vec::<u8>::new()]);
    }
}

#[test]
fn ocsp_client_callback_runs_only_after_request_ocsp() {
    let mut t = ocsp_pair(Method::Tls, Ok(RESPONSE.to_vec()), Ok(false), false);
    handshake(&mut t.c, &mut t.s).unwrap();
    assert!(t.client_saw.lock().unwrap().is_empty());
    // rustls's ClientHello always carries status_request: the server's
    // callback runs all the same (OpenSSL's client would not ask).
    assert_eq!(t.server_calls.lock().unwrap().len(), 1);
    // On a server, or after the handshake, request_ocsp is an error.
    assert!(t.c.request_ocsp().is_err());
    assert!(t.s.request_ocsp().is_err());
}

#[test]
fn ocsp_client_refusal_and_errors_fail_the_handshake() {
    for method in [Method::TlsV1_2, Method::Tls] {
        // false: bad_certificate_status_response, "invalid status response".
        let mut t = ocsp_pair(method, Ok(RESPONSE.to_vec()), Ok(false), true);
        let e = handshake(&mut t.c, &mut t.s).unwrap_err();
        assert_eq!(e.to_string(), "SSL routines::invalid status response");
        let e = t.s.do_handshake().unwrap_err();
        assert_eq!(
            e.to_string(),
            "SSL routines::tlsv1 bad certificate status response"
        );
        // An error: the callback's own error; rustls sends handshake_failure.
        let mut t = ocsp_pair(method, Ok(RESPONSE.to_vec()), Err("no good"), true);
        let e = handshake(&mut t.c, &mut t.s).unwrap_err();
        assert_eq!(e.to_string(), "SSL routines::no good");
        assert_eq!(t.c.state_string(), "error");
        let e = t.s.do_handshake().unwrap_err();
        assert_eq!(e.to_string(), "SSL routines::sslv3 alert handshake failure");
    }
}

#[test]
fn ocsp_server_callback_error_sends_internal_error() {
    let mut t = ocsp_pair(Method::Tls, Err("no response"), Ok(true), true);
    assert!(t.c.do_handshake().unwrap_err().is_retryable());
    pump(&mut t.c, &mut t.s);
    let e = t.s.do_handshake().unwrap_err();
    assert_eq!(e.to_string(), "SSL routines::no response");
    pump(&mut t.s, &mut t.c);
    let e = t.c.do_handshake().unwrap_err();
    assert_eq!(e.to_string(), "SSL routines::tlsv1 alert internal error");
    assert!(t.client_saw.lock().unwrap().is_empty());
}

#[test]
fn ocsp_staple_survives_a_hello_retry_request() {
    // The client's key share (X25519) is not one the server takes: the
    // server asks again (HelloRetryRequest) and resolves its certificate
    // at the second ClientHello; the staple is still there.
    let mut server = server_ctx(Method::Tls);
    server.set_groups(&[Group::P256]).unwrap();
    let calls = Arc::new(Mutex::new(0));
    let counted = Arc::clone(&calls);
    server.set_ocsp_server_callback(move |_| {
        *counted.lock().unwrap() += 1;
        Ok(RESPONSE.to_vec())
    });
    let mut client = client_ctx(Method::Tls);
    client.set_groups(&[Group::X25519, Group::P256]).unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    client.set_ocsp_client_callback(move |_, response| {
        sink.lock().unwrap().push(response.to_vec());
        Ok(true)
    });
    let (mut c, mut s) = pair(&client, &server);
    c.request_ocsp().unwrap();
    handshake(&mut c, &mut s).unwrap();
    assert_eq!(c.group_name(), Some("secp256r1"));
    assert_eq!(*calls.lock().unwrap(), 1);
    assert_eq!(*seen.lock().unwrap(), [RESPONSE.to_vec()]);
}
