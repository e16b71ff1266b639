//! The OpenSSL side (the system libssl, through rust-openssl): the same work
//! per handshake as the rustls sides — TLS 1.3 only, X25519 only, one suite,
//! the client verifying the chain against the CA and the name `localhost`
//! and sending SNI, no session cache, no tickets — over an in-memory pipe.

#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::rc::Rc;
use std::time::{Duration, Instant};

use openssl::pkey::Id;
use openssl::ssl::{
    ErrorCode, NameType, ShutdownState, Ssl, SslContext, SslContextBuilder, SslFiletype, SslMethod,
    SslOptions, SslSession, SslSessionCacheMode, SslStream, SslVerifyMode, SslVersion,
};
use openssl::x509::X509VerifyResult;

/// Bytes in flight in one direction.
type Queue = Rc<RefCell<VecDeque<u8>>>;

/// One end of an in-memory duplex pipe: reads what the other end wrote and
/// says `WouldBlock` when there is nothing, so OpenSSL returns `WANT_READ`.
pub struct End {
    rx: Queue,
    tx: Queue,
}

impl Read for End {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut q = self.rx.borrow_mut();
        if q.is_empty() {
            return Err(io::ErrorKind::WouldBlock.into());
        }
        q.read(buf)
    }
}

impl End {
    /// Gives back the memory of the emptied queues.
    pub fn shrink(&mut self) {
        self.rx.borrow_mut().shrink_to_fit();
        self.tx.borrow_mut().shrink_to_fit();
    }
}

impl Write for End {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tx.borrow_mut().extend(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn pipe() -> (End, End) {
    let a = Queue::default();
    let b = Queue::default();
    (
        End {
            rx: Rc::clone(&a),
            tx: Rc::clone(&b),
        },
        End { rx: b, tx: a },
    )
}

/// A client and a server context for one certificate and one TLS 1.3 suite.
pub struct Contexts {
    client: SslContext,
    server: SslContext,
}

/// `data` is the directory of the test certificates, `cert` their stem
/// (`p256`, `rsa2048`), `suite` an OpenSSL TLS 1.3 suite name.
pub fn contexts(data: &str, cert: &str, suite: &str) -> Contexts {
    contexts_with(data, cert, suite, false, false)
}

/// [`contexts`] with `SSL_MODE_RELEASE_BUFFERS` (an idle connection gives its
/// record buffers back).
pub fn released_contexts(data: &str, cert: &str, suite: &str) -> Contexts {
    contexts_with(data, cert, suite, false, true)
}

/// The same, resumable as the wrapper's resumed row is: the server keeps
/// sessions in its cache (`NO_TICKET`: TLS 1.3 tickets refer to the cache)
/// and sends 2 tickets per handshake; the client offers the last ticket
/// it read (see [`resumed_handshake`]).
pub fn resumable_contexts(data: &str, cert: &str, suite: &str) -> Contexts {
    contexts_with(data, cert, suite, true, false)
}

fn contexts_with(data: &str, cert: &str, suite: &str, resume: bool, release: bool) -> Contexts {
    let common = |b: &mut SslContextBuilder| {
        if release {
            b.set_mode(openssl::ssl::SslMode::RELEASE_BUFFERS);
        }
        b.set_min_proto_version(Some(SslVersion::TLS1_3))
            .expect("min version");
        b.set_max_proto_version(Some(SslVersion::TLS1_3))
            .expect("max version");
        b.set_ciphersuites(suite).expect("suite");
        b.set_groups_list("X25519").expect("groups");
        b.set_session_cache_mode(SslSessionCacheMode::OFF);
        b.set_options(SslOptions::NO_TICKET);
    };
    let mut c = SslContextBuilder::new(SslMethod::tls_client()).expect("client ctx");
    common(&mut c);
    c.set_verify(SslVerifyMode::PEER);
    // The rustls clients' offer, in their order, so that the RSA server signs
    // with RSA-PSS-SHA512 as the rustls servers do (OpenSSL's default offer
    // would make it PSS-SHA256); ECDSA P-256 is ecdsa_secp256r1_sha256 either way.
    c.set_sigalgs_list(
        "ecdsa_secp384r1_sha384:ecdsa_secp256r1_sha256:ed25519:\
         rsa_pss_rsae_sha512:rsa_pss_rsae_sha384:rsa_pss_rsae_sha256:\
         rsa_pkcs1_sha512:rsa_pkcs1_sha384:rsa_pkcs1_sha256",
    )
    .expect("sigalgs");
    c.set_ca_file(format!("{data}{cert}-ca.pem")).expect("CA");
    let mut s = SslContextBuilder::new(SslMethod::tls_server()).expect("server ctx");
    common(&mut s);
    if resume {
        s.set_session_cache_mode(SslSessionCacheMode::SERVER);
        s.set_num_tickets(2).expect("tickets");
    } else {
        s.set_num_tickets(0).expect("tickets");
    }
    s.set_certificate_chain_file(format!("{data}{cert}.pem"))
        .expect("chain");
    s.set_private_key_file(format!("{data}{cert}.key"), SslFiletype::PEM)
        .expect("key");
    s.check_private_key().expect("key matches");
    Contexts {
        client: c.build(),
        server: s.build(),
    }
}

/// `true` once the handshake is done, `false` while it waits for the peer.
fn done(r: Result<(), openssl::ssl::Error>) -> bool {
    match r {
        Ok(()) => true,
        Err(e) if e.code() == ErrorCode::WANT_READ => false,
        Err(e) => panic!("OpenSSL handshake failed: {e}"),
    }
}

/// One full handshake; returns both streams and the time spent in client
/// and in server calls (creating the `SSL` included, as for rustls).
pub fn connect(ctx: &Contexts) -> (SslStream<End>, SslStream<End>, Duration, Duration) {
    connect_offering(ctx, None)
}

/// [`connect`], the client offering `session`.
fn connect_offering(
    ctx: &Contexts,
    session: Option<&SslSession>,
) -> (SslStream<End>, SslStream<End>, Duration, Duration) {
    let (ce, se) = pipe();
    let t = Instant::now();
    let mut ssl = Ssl::new(&ctx.client).expect("client ssl");
    if let Some(session) = session {
        // SAFETY: the session comes from a connection of the same client
        // context (`resumed_handshake`).
        unsafe { ssl.set_session(session) }.expect("offer the session");
    }
    ssl.set_hostname("localhost").expect("SNI");
    ssl.param_mut().set_host("localhost").expect("host check");
    let mut c = SslStream::new(ssl, ce).expect("client stream");
    let mut ct = t.elapsed();
    let t = Instant::now();
    let mut s = SslStream::new(Ssl::new(&ctx.server).expect("server ssl"), se).expect("server");
    let mut st = t.elapsed();
    let (mut c_done, mut s_done) = (false, false);
    for _ in 0..8 {
        if !c_done {
            let t = Instant::now();
            c_done = done(c.connect());
            ct += t.elapsed();
        }
        if !s_done {
            let t = Instant::now();
            s_done = done(s.accept());
            st += t.elapsed();
        }
        if c_done && s_done {
            return (c, s, ct, st);
        }
    }
    panic!("OpenSSL handshake made no progress");
}

/// One handshake, streams dropped: (client time, server time).
pub fn handshake(ctx: &Contexts) -> (Duration, Duration) {
    let (_, _, c, s) = connect(ctx);
    (c, s)
}

/// One handshake of a resumable pair (`resumable_contexts`): the client
/// offers `session` (the last one it read, if any), reads the server's
/// tickets after the handshake and keeps the newest session for the next
/// call. Returns whether it resumed, (client time, server time).
///
/// Both ends are marked shut down (`SSL_set_shutdown`, no I/O) before they
/// are freed: `SSL_free` of a connection that was not shut down takes its
/// session out of the server's cache (`ssl_clear_bad_session`), and the
/// session of a TLS 1.3 server connection is the one its last ticket
/// names — the one the client offers next. Without this OpenSSL never
/// resumed here. (rustls and the wrapper keep cached sessions whatever
/// the close.)
pub fn resumed_handshake(
    ctx: &Contexts,
    session: &mut Option<SslSession>,
) -> (bool, Duration, Duration) {
    let (mut c, mut s, mut ct, st) = connect_offering(ctx, session.as_ref());
    let t = Instant::now();
    let mut byte = [0u8; 1];
    match c.ssl_read(&mut byte) {
        Err(e) if e.code() == ErrorCode::WANT_READ => {}
        other => panic!("client read after the handshake: {other:?}"),
    }
    *session = c.ssl().session().map(|s| s.to_owned());
    ct += t.elapsed();
    // Freed outside the timed calls, as the rustls sides' connections.
    c.set_shutdown(ShutdownState::SENT | ShutdownState::RECEIVED);
    s.set_shutdown(ShutdownState::SENT | ShutdownState::RECEIVED);
    (c.ssl().session_reused(), ct, st)
}

/// Checks once, outside the timed loops, that a handshake gives what the
/// rustls sides give: TLS 1.3, the wanted suite, the chain and name verified.
pub fn check(ctx: &Contexts, suite: &str) {
    let (c, s, _, _) = connect(ctx);
    for (side, ssl) in [("client", c.ssl()), ("server", s.ssl())] {
        assert_eq!(ssl.version_str(), "TLSv1.3", "{side} version");
        let cipher = ssl.current_cipher().map(|c| c.name());
        assert_eq!(cipher, Some(suite), "{side} cipher");
    }
    assert_eq!(c.ssl().verify_result(), X509VerifyResult::OK, "verified");
    assert!(c.ssl().peer_certificate().is_some(), "server certificate");
    let sni = s.ssl().servername_raw(NameType::HOST_NAME);
    assert_eq!(sni, Some(&b"localhost"[..]), "SNI");
    for (side, ssl) in [("client", c.ssl()), ("server", s.ssl())] {
        let group = ssl.peer_tmp_key().expect("peer key share").id();
        assert_eq!(group, Id::X25519, "{side} group");
    }
}
