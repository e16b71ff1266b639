//! The TLS layer checks certificate purposes as libssl does: a client
//! checks the server's chain for `sslserver`, a server its client's for
//! `sslclient` (`X509_V_ERR_INVALID_PURPOSE`, 26, at the failing depth).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use puressl::crypto::Purpose;
use puressl::ssl::{Connection, Context, Error, Memory, Method, VerifyFn, VerifyMode};

use crate::support::pki;
use pki::*;

use crate::support::child;
use crate::support::ssl;
use child::{Kill, WAIT};

struct Pki {
    root: Ca,
    client_only: Ca,
    server_only: Ca,
}

fn pki() -> Pki {
    let k = key("ec-p256");
    let root = make(&Spec::ca("Purpose Root", 1), &key("ec-p384"), None);
    let leaf = |eku: &'static str, serial| {
        let spec = Spec::new("localhost", serial)
            .ext("subjectAltName", false, "DNS:localhost")
            .ext("extendedKeyUsage", false, eku)
            .times("20250101000000Z", "20990101000000Z");
        make(&spec, &k, Some(&root))
    };
    let client_only = leaf("clientAuth", 2);
    let server_only = leaf("serverAuth", 3);
    Pki {
        root,
        client_only,
        server_only,
    }
}

fn with_identity(ctx: &mut Context, id: &Ca) {
    ctx.use_certificate(&id.cert).unwrap();
    ctx.use_privatekey(&id.key).unwrap();
}

type Calls = Arc<Mutex<Vec<(i32, u32, bool)>>>;

fn recording(calls: &Calls) -> VerifyFn {
    let calls = Arc::clone(calls);
    Box::new(move |_cert, errnum, depth, ok| {
        calls.lock().unwrap().push((errnum.code(), depth, ok));
        ok
    })
}

fn pump(a: &mut Connection<Memory>, b: &mut Connection<Memory>) -> bool {
    match a.bio_read(1 << 20) {
        Ok(data) => {
            b.bio_write(&data).unwrap();
            true
        }
        Err(Error::WantRead) => false,
        Err(e) => panic!("bio_read: {e}"),
    }
}

fn handshake(client: &Context, server: &Context) -> (Connection<Memory>, Result<(), Error>) {
    let mut c = Connection::new(client, Memory::default());
    c.set_connect_state().unwrap();
    let mut s = Connection::new(server, Memory::default());
    s.set_accept_state().unwrap();
    for _ in 0..20 {
        let rc = c.do_handshake();
        let rs = s.do_handshake();
        let moved = pump(&mut c, &mut s) | pump(&mut s, &mut c);
        match (&rc, &rs) {
            (Ok(()), Ok(())) if !moved => return (c, Ok(())),
            (Err(e), _) | (_, Err(e)) if !e.is_retryable() => {
                let r = rc.and(rs);
                return (c, r);
            }
            _ => {}
        }
    }
    panic!("handshake did not finish")
}

#[test]
fn client_checks_the_server_for_sslserver() {
    let p = pki();
    let mut server = Context::new(Method::Tls).unwrap();
    with_identity(&mut server, &p.client_only);

    // VERIFY_PEER: the callback sees 26 at depth 0 and refuses; the
    // handshake fails (OpenSSL: s_client -verify_return_error).
    let calls: Calls = Arc::default();
    let mut client = Context::new(Method::Tls).unwrap();
    client.cert_store_mut().add_cert(&p.root.cert).unwrap();
    client.set_verify(VerifyMode::PEER, Some(recording(&calls)));
    let (c, r) = handshake(&client, &server);
    assert!(r.is_err());
    assert_eq!(*calls.lock().unwrap(), vec![(26, 0, false)]);
    assert_eq!(c.verify_result().code(), 26);

    // VERIFY_NONE: same callback calls, the handshake goes on, and the
    // verify result says why the server did not verify.
    let calls: Calls = Arc::default();
    client.set_verify(VerifyMode::NONE, Some(recording(&calls)));
    let (c, r) = handshake(&client, &server);
    r.unwrap();
    assert_eq!(*calls.lock().unwrap(), vec![(26, 0, false)]);
    assert_eq!(c.verify_result().code(), 26);

    // A store purpose wins over the default: `any` accepts the server
    // (the root at depth 1, then the leaf, each with ok).
    let calls: Calls = Arc::default();
    client.cert_store_mut().set_purpose(Purpose::Any).unwrap();
    client.set_verify(VerifyMode::PEER, Some(recording(&calls)));
    let (c, r) = handshake(&client, &server);
    r.unwrap();
    assert_eq!(*calls.lock().unwrap(), vec![(0, 1, true), (0, 0, true)]);
    assert_eq!(c.verify_result().code(), 0);

    // A serverAuth certificate passes the default check.
    let mut server = Context::new(Method::Tls).unwrap();
    with_identity(&mut server, &p.server_only);
    let mut client = Context::new(Method::Tls).unwrap();
    client.cert_store_mut().add_cert(&p.root.cert).unwrap();
    client.set_verify(VerifyMode::PEER, None);
    let (c, r) = handshake(&client, &server);
    r.unwrap();
    assert_eq!(c.verify_result().code(), 0);
}

#[test]
fn server_checks_the_client_for_sslclient() {
    let p = pki();
    let calls: Calls = Arc::default();
    let mut server = Context::new(Method::Tls).unwrap();
    with_identity(&mut server, &p.server_only);
    server.cert_store_mut().add_cert(&p.root.cert).unwrap();
    server.set_verify(
        VerifyMode::PEER | VerifyMode::FAIL_IF_NO_PEER_CERT,
        Some(recording(&calls)),
    );
    let mut client = Context::new(Method::Tls).unwrap();
    client.cert_store_mut().add_cert(&p.root.cert).unwrap();
    client.set_verify(VerifyMode::PEER, None);

    // A serverAuth-only client certificate: 26 at depth 0, refused.
    with_identity(&mut client, &p.server_only);
    let (_, r) = handshake(&client, &server);
    assert!(r.is_err());
    assert_eq!(*calls.lock().unwrap(), vec![(26, 0, false)]);

    // A clientAuth one is accepted.
    calls.lock().unwrap().clear();
    with_identity(&mut client, &p.client_only);
    let (_, r) = handshake(&client, &server);
    r.unwrap();
    assert_eq!(*calls.lock().unwrap(), vec![(0, 1, true), (0, 0, true)]);
}

/// Our server (one connection, on a free port) presenting `id`, and
/// `openssl s_client -CAfile root` with `args` against it: the verify
/// callback calls s_client prints, as `(errnum, depth, ok)`.
fn s_client_calls(id: &Ca, root: &Ca, args: &[&str]) -> Vec<(i32, u32, bool)> {
    let mut server = Context::new(Method::Tls).unwrap();
    with_identity(&mut server, id);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    let handle = thread::spawn(move || {
        let deadline = Instant::now() + WAIT;
        let stream = loop {
            match listener.accept() {
                Ok((s, _)) => break s,
                Err(_) if Instant::now() < deadline => thread::sleep(Duration::from_millis(10)),
                Err(e) => panic!("accept: {e}"),
            }
        };
        stream.set_nonblocking(false).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        let mut conn = Connection::new(&server, stream);
        conn.set_accept_state().unwrap();
        let mut byte = [0u8; 1];
        while let Ok(1) = conn.read(&mut byte) {
            if byte[0] == b'\n' {
                let _ = conn.write_all(b"pong\n");
                break;
            }
        }
        let _ = conn.shutdown();
    });
    let dir = TempDir::new("ssl-purpose");
    let ca = dir.path("root.pem");
    write_certs(&ca, &[&root.cert]);
    let connect = format!("127.0.0.1:{port}");
    let mut child = Kill(
        Command::new("openssl")
            .args(["s_client", "-connect", &connect, "-ign_eof", "-CAfile"])
            .arg(&ca)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn openssl s_client"),
    );
    if let Some(mut stdin) = child.0.stdin.take() {
        let _ = stdin.write_all(b"ping\n");
    }
    let out = child.finish().1;
    let _ = handle.join();
    ssl::s_client_calls(&out)
}

#[test]
fn callback_calls_match_s_client() {
    let p = pki();
    let mut server = Context::new(Method::Tls).unwrap();
    with_identity(&mut server, &p.client_only);
    let mut client = Context::new(Method::Tls).unwrap();
    client.cert_store_mut().add_cert(&p.root.cert).unwrap();

    // s_client -verify_return_error stops at the error.
    let theirs = s_client_calls(&p.client_only, &p.root, &["-verify_return_error"]);
    assert_eq!(theirs, vec![(26, 0, false)]);
    let calls: Calls = Arc::default();
    client.set_verify(VerifyMode::PEER, Some(recording(&calls)));
    assert!(handshake(&client, &server).1.is_err());
    assert_eq!(*calls.lock().unwrap(), theirs);

    // Plain s_client overrides every error and goes on.
    let theirs = s_client_calls(&p.client_only, &p.root, &[]);
    assert_eq!(theirs, vec![(26, 0, false), (0, 1, true), (0, 0, true)]);
    let calls: Calls = Arc::default();
    let seen = Arc::clone(&calls);
    client.set_verify(
        VerifyMode::PEER,
        Some(Box::new(move |_, errnum, depth, ok| {
            seen.lock().unwrap().push((errnum.code(), depth, ok));
            true
        })),
    );
    let (_, r) = handshake(&client, &server);
    r.unwrap();
    assert_eq!(*calls.lock().unwrap(), theirs);

    // A serverAuth certificate: no error on either side.
    let theirs = s_client_calls(&p.server_only, &p.root, &["-verify_return_error"]);
    assert_eq!(theirs, vec![(0, 1, true), (0, 0, true)]);
}
