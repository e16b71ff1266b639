#![allow(dead_code)]
//! The in-memory rustls harness shared by `benches/handshake.rs` and
//! `benches/compare` (included with `#[path]`): CPU-time clock, certificate
//! loading, and client/server handshakes over a byte buffer with the time of
//! each side's calls kept apart. The including file defines `DATA`, the
//! folder of `tests/data/provider/`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, Connection, ServerConfig, ServerConnection};

/// CPU time consumed by this thread so far (wall time where Linux'
/// schedstat is unavailable).
pub fn cpu_time() -> Duration {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map(Duration::from_nanos)
        .unwrap_or_else(|| START.get_or_init(Instant::now).elapsed())
}

/// The certificates of the PEM file `name` in `DATA`.
pub fn certs(name: &str) -> Vec<CertificateDer<'static>> {
    CertificateDer::pem_file_iter(format!("{}{name}", crate::DATA))
        .expect("open")
        .collect::<Result<_, _>>()
        .expect("certs")
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
    let (_, _, ct, st) = connect(client, server);
    (ct, st)
}

/// One full handshake, the client having read what the server sent after
/// it (tickets); returns both connections and (client time, server time).
pub fn connect(
    client: &Arc<ClientConfig>,
    server: &Arc<ServerConfig>,
) -> (Connection, Connection, Duration, Duration) {
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
    (c, s, ct, st)
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
