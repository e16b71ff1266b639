//! The `ssl::Context` + `Connection<Memory>` harness shared by
//! `benches/suite/benches/handshake.rs`, `benches/suite/benches/idle_memory.rs` and `benches/compare`
//! (included with `#[path]`): contexts doing the same protocol work as the
//! raw rustls configurations of `rustls_pair.rs` (TLS 1.3 only, one suite,
//! X25519 only, the client verifying the chain against the CA and the name
//! `localhost` and sending SNI), and handshakes and bulk records over
//! `bio_read`/`bio_write` with each side's time kept apart. The including
//! file defines `DATA`, the folder of `tests/data/provider/`.
#![allow(dead_code)]

use std::path::Path;
use std::time::{Duration, Instant};

use puressl::crypto::FileType;
use puressl::ssl::VerifyMode;
use puressl::ssl::{Connection, Context, Error, Group, Memory, Method, Options, ProtoVersion};

/// Client and server contexts for `cert` (`p256`, `rsa2048`) and one TLS 1.3
/// suite (OpenSSL name). `resume`: the server keeps sessions in its cache
/// (`OP_NO_TICKET`: TLS 1.3 tickets refer to it, as rustls's
/// `ServerSessionMemoryCache` does) and sends OpenSSL's and rustls's
/// default 2 tickets; otherwise no tickets and nothing cached.
pub fn wrapper_contexts(cert: &str, suite: &str, resume: bool) -> (Context, Context) {
    let common = |ctx: &mut Context| {
        ctx.set_min_proto_version(Some(ProtoVersion::Tls1_3));
        ctx.set_tls13_ciphersuites(suite).expect("suite");
        ctx.set_groups(&[Group::X25519]).expect("groups");
    };
    let mut server = Context::new(Method::Tls).expect("context");
    common(&mut server);
    server
        .use_certificate_chain_file(format!("{}{cert}.pem", crate::DATA))
        .expect("chain");
    server
        .use_privatekey_file(format!("{}{cert}.key", crate::DATA), FileType::Pem)
        .expect("key");
    if resume {
        server.set_options(Options::NO_TICKET);
    } else {
        server.set_num_tickets(0);
    }
    let mut client = Context::new(Method::Tls).expect("context");
    common(&mut client);
    let ca = format!("{}{cert}-ca.pem", crate::DATA);
    client
        .load_verify_locations(Some(Path::new(&ca)), None)
        .expect("CA");
    client.set_verify(VerifyMode::PEER, None);
    (client, server)
}

/// Moves `from`'s pending ciphertext to `to`; (time in `from`'s calls, time
/// in `to`'s calls, whether anything moved).
pub fn wrapper_pump(
    from: &mut Connection<Memory>,
    to: &mut Connection<Memory>,
) -> (Duration, Duration, bool) {
    let t0 = Instant::now();
    let data = match from.bio_read(1 << 20) {
        Ok(d) => d,
        Err(Error::WantRead) => return (t0.elapsed(), Duration::ZERO, false),
        Err(e) => panic!("bio_read: {e}"),
    };
    let t1 = Instant::now();
    to.bio_write(&data).expect("bio_write");
    (t1 - t0, t1.elapsed(), true)
}

/// `true` once done, `false` while waiting for the peer.
fn done(r: Result<(), Error>) -> bool {
    match r {
        Ok(()) => true,
        Err(Error::WantRead) => false,
        Err(e) => panic!("handshake: {e}"),
    }
}

/// One handshake through the wrapper, tickets read by the client; returns
/// both connections and (client time, server time).
pub fn wrapper_connect(
    client: &Context,
    server: &Context,
) -> (Connection<Memory>, Connection<Memory>, Duration, Duration) {
    let t = Instant::now();
    let mut c = Connection::new(client, Memory::default());
    c.set_tlsext_host_name(b"localhost").expect("SNI");
    c.set_connect_state().expect("client");
    let mut ct = t.elapsed();
    let t = Instant::now();
    let mut s = Connection::new(server, Memory::default());
    s.set_accept_state().expect("server");
    let mut st = t.elapsed();
    for _ in 0..10 {
        let t = Instant::now();
        let c_done = done(c.do_handshake());
        ct += t.elapsed();
        let (a, b, c_moved) = wrapper_pump(&mut c, &mut s);
        ct += a;
        st += b;
        let t = Instant::now();
        let s_done = done(s.do_handshake());
        st += t.elapsed();
        let (a, b, s_moved) = wrapper_pump(&mut s, &mut c);
        st += a;
        ct += b;
        if c_done && s_done && !c_moved && !s_moved {
            return (c, s, ct, st);
        }
        if c_done && s_done && s_moved {
            // Post-handshake messages (tickets): the client reads them.
            let t = Instant::now();
            let mut byte = [0u8; 1];
            match c.recv(&mut byte) {
                Err(Error::WantRead) => {}
                other => panic!("client read after the handshake: {other:?}"),
            }
            ct += t.elapsed();
        }
    }
    panic!("wrapper handshake made no progress");
}

/// One handshake, connections dropped: (client time, server time).
pub fn wrapper_handshake(client: &Context, server: &Context) -> (Duration, Duration) {
    let (_, _, c, s) = wrapper_connect(client, server);
    (c, s)
}

/// One record of `data` client → server, read out by the server into `sink`.
pub fn wrapper_bulk(
    c: &mut Connection<Memory>,
    s: &mut Connection<Memory>,
    data: &[u8],
    sink: &mut [u8],
) {
    c.sendall(data).expect("send");
    wrapper_pump(c, s);
    let mut got = 0;
    while got < data.len() {
        got += s.recv(&mut sink[got..]).expect("recv");
    }
}
