//! Criterion benches of `ssl::Connection` set-up (no handshake): what
//! `Connection::new` costs, with a small trust store and with the system's
//! (`set_default_verify_paths`), and a full in-memory TLS 1.3 handshake over
//! `Connection<Memory>` for scale.
//!
//! Run: `taskset -c 1 cargo bench --bench connection`.

use criterion::{criterion_group, criterion_main, Criterion};
use puressl::crypto::FileType;
use puressl::ssl::{Connection, Context, Error, Memory, Method, VerifyMode};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/provider/");

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
    ctx.load_verify_locations(Some(std::path::Path::new(&ca)), None)
        .expect("ca");
    if system {
        ctx.set_default_verify_paths().expect("system store");
    }
    ctx.set_verify(VerifyMode::PEER, None);
    ctx
}

fn pump(a: &mut Connection<Memory>, b: &mut Connection<Memory>) -> usize {
    match a.bio_read(1 << 20) {
        Ok(d) => b.bio_write(&d).expect("bio_write"),
        Err(Error::WantRead) => 0,
        Err(e) => panic!("{e}"),
    }
}

fn handshake(client: &Context, server: &Context) {
    let mut c = Connection::new(client, Memory::default());
    c.set_connect_state().expect("client");
    let mut s = Connection::new(server, Memory::default());
    s.set_accept_state().expect("server");
    loop {
        let rc = c.do_handshake();
        let rs = s.do_handshake();
        let moved = pump(&mut c, &mut s) + pump(&mut s, &mut c);
        if rc.is_ok() && rs.is_ok() && moved == 0 {
            return;
        }
    }
}

fn bench(c: &mut Criterion) {
    let small = client_ctx(false);
    let system = client_ctx(true);
    let server = server_ctx();
    c.bench_function("Connection::new, 1-cert store", |b| {
        b.iter(|| Connection::new(&small, Memory::default()))
    });
    c.bench_function("Connection::new, system store", |b| {
        b.iter(|| Connection::new(&system, Memory::default()))
    });
    c.bench_function("Context::clone, system store", |b| {
        b.iter(|| system.clone())
    });
    c.bench_function("TLS 1.3 handshake over Connection<Memory>", |b| {
        b.iter(|| handshake(&small, &server))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
