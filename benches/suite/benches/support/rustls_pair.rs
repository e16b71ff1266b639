#![allow(dead_code)]
//! The in-memory rustls harness shared by `benches/suite/benches/handshake.rs` and
//! `benches/compare` (included with `#[path]`): CPU-time clock, certificate
//! loading, and client/server handshakes over a byte buffer with the time of
//! each side's calls kept apart. The including file defines `DATA`, the
//! folder of `tests/data/provider/`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::{
    ClientConfig, ClientConnection, Connection, RootCertStore, ServerConfig, ServerConnection,
};

/// CPU time consumed by this thread so far (`CLOCK_THREAD_CPUTIME_ID`:
/// nanosecond resolution, where `/proc/thread-self/schedstat` only moves
/// at scheduler ticks and reads zero for short batches).
pub fn cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// The certificates of the PEM file `name` in `DATA`.
pub fn certs(name: &str) -> Vec<CertificateDer<'static>> {
    CertificateDer::pem_file_iter(format!("{}{name}", crate::DATA))
        .expect("open")
        .collect::<Result<_, _>>()
        .expect("certs")
}

/// TLS 1.3 full-handshake configurations on `provider`: the client trusts
/// `{cert}-ca.pem` (webpki, host name checked) and keeps no sessions; the
/// server serves `{cert}.pem` with `{cert}.key`, no session cache, no
/// tickets.
pub fn configs_on(
    provider: Arc<CryptoProvider>,
    cert: &str,
) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    let mut roots = RootCertStore::empty();
    roots
        .add(certs(&format!("{cert}-ca.pem")).remove(0))
        .expect("root");
    let mut client = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_protocol_versions(&[&rustls::version::TLS13])
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    client.resumption = rustls::client::Resumption::disabled();
    let key = PrivateKeyDer::from_pem_file(format!("{}{cert}.key", crate::DATA)).expect("key");
    let mut server = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(certs(&format!("{cert}.pem")), key)
        .expect("cert");
    server.session_storage = Arc::new(rustls::server::NoServerSessionStorage {});
    server.send_tls13_tickets = 0;
    (Arc::new(client), Arc::new(server))
}

/// A client and a server connection after the handshake (and tickets).
pub fn connected(
    client: &Arc<ClientConfig>,
    server: &Arc<ServerConfig>,
) -> (Connection, Connection) {
    let name = ServerName::try_from("localhost").expect("name");
    let mut c = Connection::Client(ClientConnection::new(Arc::clone(client), name).expect("c"));
    let mut s = Connection::Server(ServerConnection::new(Arc::clone(server)).expect("s"));
    let mut buf = Vec::new();
    while c.is_handshaking() || s.is_handshaking() || c.wants_write() || s.wants_write() {
        pump(&mut c, &mut s, &mut buf);
        pump(&mut s, &mut c, &mut buf);
    }
    (c, s)
}

/// One 16 KiB-or-less application write `data` client → server, read
/// back into `sink` (same length) by the server.
pub fn bulk(
    c: &mut Connection,
    s: &mut Connection,
    data: &[u8],
    sink: &mut [u8],
    buf: &mut Vec<u8>,
) {
    use std::io::{Read, Write};
    c.writer().write_all(data).expect("write");
    pump(c, s, buf);
    s.reader().read_exact(sink).expect("read");
}

/// Moves pending bytes `from` → `to`; returns (time in `from`'s calls, time
/// in `to`'s calls).
pub fn pump(from: &mut Connection, to: &mut Connection, buf: &mut Vec<u8>) -> (Duration, Duration) {
    buf.clear();
    let t0 = Instant::now();
    while from.wants_write() {
        from.write_tls(buf).expect("write_tls");
    }
    let t1 = Instant::now();
    let mut off = 0;
    while off < buf.len() {
        off += to.read_tls(&mut &buf[off..]).expect("read_tls");
        to.process_new_packets().expect("process");
    }
    (t1 - t0, t1.elapsed())
}

/// One full handshake; returns (client time, server time).
pub fn handshake(client: &Arc<ClientConfig>, server: &Arc<ServerConfig>) -> (Duration, Duration) {
    let name = ServerName::try_from("localhost").expect("name");
    let t = Instant::now();
    let mut c = Connection::Client(ClientConnection::new(Arc::clone(client), name).expect("c"));
    let mut ct = t.elapsed();
    let t = Instant::now();
    let mut s = Connection::Server(ServerConnection::new(Arc::clone(server)).expect("s"));
    let mut st = t.elapsed();
    let mut buf = Vec::with_capacity(8192);
    while c.is_handshaking() || s.is_handshaking() || c.wants_write() || s.wants_write() {
        let (a, b) = pump(&mut c, &mut s, &mut buf);
        ct += a;
        st += b;
        let (a, b) = pump(&mut s, &mut c, &mut buf);
        st += a;
        ct += b;
    }
    (ct, st)
}

/// Copies of full-handshake configurations that resume: the client keeps
/// tickets in rustls's in-memory cache, the server keeps sessions in a
/// `ServerSessionMemoryCache` of OpenSSL's default size (20,480) and sends
/// 2 tickets per handshake (TLS 1.3 tickets refer to its cache).
pub fn resumable(
    client: &Arc<ClientConfig>,
    server: &Arc<ServerConfig>,
) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    let mut c = (**client).clone();
    c.resumption = rustls::client::Resumption::in_memory_sessions(256);
    let mut s = (**server).clone();
    s.session_storage = rustls::server::ServerSessionMemoryCache::new(20_480);
    s.send_tls13_tickets = 2;
    (Arc::new(c), Arc::new(s))
}

/// `n` handshakes by `handshake`: [total, client share, server share] of
/// the thread's CPU time, split by the wall time spent inside each side's
/// calls.
pub fn batch_of(n: u64, mut handshake: impl FnMut() -> (Duration, Duration)) -> [Duration; 3] {
    let (mut cw, mut sw) = (Duration::ZERO, Duration::ZERO);
    let t = cpu_time();
    for _ in 0..n {
        let (c, s) = handshake();
        cw += c;
        sw += s;
    }
    let total = cpu_time().saturating_sub(t);
    let wall = (cw + sw).as_secs_f64().max(1e-12);
    [
        total,
        total.mul_f64(cw.as_secs_f64() / wall),
        total.mul_f64(sw.as_secs_f64() / wall),
    ]
}
