//! Criterion benches of `ssl::Connection` set-up and handshakes over
//! `Connection<Memory>`:
//!
//! * `Connection::new` (and choosing the side: a client's ClientHello with
//!   its key shares is made then) with the context's cached rustls configurations,
//!   with a small trust store and with the system's
//!   (`set_default_verify_paths`), against a rebuild of the configurations
//!   (what every `Connection::new` cost before the per-context cache);
//! * `Context::clone` (the snapshot a connection keeps);
//! * an in-memory TLS 1.3 handshake (P-256 server), full against resumed.
//!
//! Run: `taskset -c 1 cargo bench -p puressl-benches --bench connection`.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use puressl::crypto::FileType;
use puressl::ssl::{Connection, Context, Error, Memory, Method, Options, VerifyMode};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/provider/");

fn server_ctx() -> Context {
    let mut ctx = Context::new(Method::Tls).expect("context");
    ctx.use_certificate_file(format!("{DATA}p256.pem"), FileType::Pem)
        .expect("cert");
    ctx.use_privatekey_file(format!("{DATA}p256.key"), FileType::Pem)
        .expect("key");
    ctx
}

fn client_ctx(system: bool) -> Context {
    let mut ctx = Context::new(Method::Tls).expect("context");
    let ca = format!("{DATA}p256-ca.pem");
    ctx.load_verify_locations(Some(Path::new(&ca)), None)
        .expect("ca");
    if system {
        ctx.set_default_verify_paths().expect("system store");
    }
    ctx.set_verify(VerifyMode::PEER, None);
    ctx
}

fn pump(a: &mut Connection<Memory>, b: &mut Connection<Memory>) -> bool {
    match a.bio_read(1 << 20) {
        Ok(d) => {
            b.bio_write(&d).expect("bio_write");
            true
        }
        Err(Error::WantRead) => false,
        Err(e) => panic!("{e}"),
    }
}

/// One full connection; returns whether it resumed.
fn connect(client: &Context, server: &Context) -> bool {
    let mut c = Connection::new(client, Memory::default());
    c.set_connect_state().expect("client");
    let mut s = Connection::new(server, Memory::default());
    s.set_accept_state().expect("server");
    loop {
        let rc = c.do_handshake();
        let rs = s.do_handshake();
        let moved = pump(&mut c, &mut s) | pump(&mut s, &mut c);
        if rc.is_ok() && rs.is_ok() && !moved {
            break;
        }
    }
    // TLS 1.3 tickets arrive after the handshake.
    s.sendall(b"x").expect("send");
    pump(&mut s, &mut c);
    let mut buf = [0u8; 1];
    c.recv(&mut buf).expect("recv");
    c.session_reused()
}

fn setup(cr: &mut Criterion) {
    let mut g = cr.benchmark_group("connection_new");
    let mut small = client_ctx(false);
    let system = client_ctx(true);
    g.bench_function("no side yet", |b| {
        b.iter(|| Connection::new(&small, Memory::default()))
    });
    g.bench_function("client/cached, 1-cert store", |b| {
        b.iter(|| {
            let mut c = Connection::new(&small, Memory::default());
            c.set_connect_state().expect("client");
            c
        })
    });
    g.bench_function("client/cached, system store", |b| {
        b.iter(|| {
            let mut c = Connection::new(&system, Memory::default());
            c.set_connect_state().expect("client");
            c
        })
    });
    g.bench_function("client/rebuilt, 1-cert store", |b| {
        b.iter(|| {
            // A setter that drops the built configurations.
            small.set_options(Options::empty());
            let mut c = Connection::new(&small, Memory::default());
            c.set_connect_state().expect("client");
            c
        })
    });
    let mut server = server_ctx();
    g.bench_function("server/cached", |b| {
        b.iter(|| {
            let mut s = Connection::new(&server, Memory::default());
            s.set_accept_state().expect("server");
            s
        })
    });
    g.bench_function("server/rebuilt", |b| {
        b.iter(|| {
            // A setter that drops the built configurations.
            server.set_options(Options::empty());
            let mut s = Connection::new(&server, Memory::default());
            s.set_accept_state().expect("server");
            s
        })
    });
    g.finish();
    cr.bench_function("Context::clone, system store", |b| {
        b.iter(|| system.clone())
    });
}

fn handshakes(cr: &mut Criterion) {
    let mut g = cr.benchmark_group("handshake");
    let client = client_ctx(false);
    let server = server_ctx();
    // Sessions that expire at once: every handshake is a full one.
    let mut no_resume = server_ctx();
    no_resume.set_timeout(std::time::Duration::ZERO);
    g.bench_function("TLS 1.3 full", |b| {
        b.iter(|| assert!(!connect(&client, &no_resume)))
    });
    connect(&client, &server);
    g.bench_function("TLS 1.3 resumed", |b| {
        b.iter(|| assert!(connect(&client, &server)))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = setup, handshakes
}
criterion_main!(benches);
