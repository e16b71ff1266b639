//! Criterion benches of `ssl::Context`: what a `Connection::new` costs with
//! the per-context cached rustls configurations against a rebuild (what
//! every `Connection::new` did before the cache), and an in-memory
//! handshake, full against resumed (TLS 1.3, P-256 server).
//!
//! Run: `taskset -c 1 cargo bench --bench ssl_context`.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use puressl::crypto::FileType;
use puressl::ssl::{Connection, Context, Error, Memory, Method, VerifyMode};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/provider/");

fn server_ctx() -> Context {
    let mut ctx = Context::new(Method::Tls).unwrap();
    ctx.use_certificate_file(format!("{DATA}p256.pem"), FileType::Pem)
        .unwrap();
    ctx.use_privatekey_file(format!("{DATA}p256.key"), FileType::Pem)
        .unwrap();
    ctx
}

fn client_ctx() -> Context {
    let mut ctx = Context::new(Method::Tls).unwrap();
    let ca = format!("{DATA}p256-ca.pem");
    ctx.load_verify_locations(Some(Path::new(&ca)), None)
        .unwrap();
    ctx.set_verify(VerifyMode::PEER, None);
    ctx
}

fn pump(a: &mut Connection<Memory>, b: &mut Connection<Memory>) -> bool {
    match a.bio_read(1 << 20) {
        Ok(d) => {
            b.bio_write(&d).unwrap();
            true
        }
        Err(Error::WantRead) => false,
        Err(e) => panic!("{e}"),
    }
}

/// One full connection; returns whether it resumed.
fn connect(client: &Context, server: &Context) -> bool {
    let mut c = Connection::new(client, Memory::default());
    c.set_connect_state().unwrap();
    let mut s = Connection::new(server, Memory::default());
    s.set_accept_state().unwrap();
    loop {
        let rc = c.do_handshake();
        let rs = s.do_handshake();
        let moved = pump(&mut c, &mut s) | pump(&mut s, &mut c);
        if rc.is_ok() && rs.is_ok() && !moved {
            break;
        }
    }
    // TLS 1.3 tickets arrive after the handshake.
    s.sendall(b"x").unwrap();
    pump(&mut s, &mut c);
    let mut buf = [0u8; 1];
    c.recv(&mut buf).unwrap();
    c.session_reused()
}

fn bench(cr: &mut Criterion) {
    let mut g = cr.benchmark_group("ssl_context");
    let mut server = server_ctx();
    g.bench_function("connection_new/cached", |b| {
        b.iter(|| {
            let mut s = Connection::new(&server, Memory::default());
            s.set_accept_state().unwrap();
            s
        })
    });
    g.bench_function("connection_new/rebuilt", |b| {
        b.iter(|| {
            // Any setter drops the built configurations.
            server.set_timeout(7200);
            let mut s = Connection::new(&server, Memory::default());
            s.set_accept_state().unwrap();
            s
        })
    });

    let client = client_ctx();
    let server = server_ctx();
    // Sessions that expire at once: every handshake is a full one.
    let mut no_resume = server_ctx();
    no_resume.set_timeout(0);
    g.bench_function("handshake/full", |b| {
        b.iter(|| assert!(!connect(&client, &no_resume)))
    });
    connect(&client, &server);
    g.bench_function("handshake/resumed", |b| {
        b.iter(|| assert!(connect(&client, &server)))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
