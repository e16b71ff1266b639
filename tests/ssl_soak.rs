//! Load: many TLS connections through one server `Context` and one client
//! `Context` over 127.0.0.1 TCP from several threads, each exchanging 64 KiB
//! both ways with every byte checked, and resident memory after they close
//! back within 10 % of what it was after a warm-up.
//!
//! Ignored by default (it takes a while in a debug build); `.ci/run` runs it
//! in release: `cargo test --release --test ssl_soak -- --ignored`. It is its own
//! test binary (not a module of `tests/ssl`) so that this release build compiles
//! only it.
//! `PURESSL_SOAK_CONNECTIONS` sets the number of measured connections
//! (default 1000).
#![cfg(target_os = "linux")]

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Instant;

use puressl::ssl::{Connection, Context, Method};

mod support;
use support::child::WAIT;
use support::ssl::{accept_tcp, client_ctx, server_ctx};

/// Bytes each side sends per connection.
const MESSAGE: usize = 64 * 1024;
/// Client threads, and as many server threads.
const THREADS: usize = 4;

/// The bytes side `tag` (0 client, 1 server) sends on connection `n`: a
/// pattern no other connection or direction shares at most offsets.
fn message(n: usize, tag: u8) -> Vec<u8> {
    (0..MESSAGE)
        .map(|i| (i as u8) ^ (n as u8).wrapping_mul(31) ^ ((i >> 8) as u8) ^ tag.wrapping_mul(0x5a))
        .collect()
}

/// Reads exactly `len` bytes of plaintext.
fn recv_exact<S: std::io::Read + std::io::Write>(conn: &mut Connection<S>, len: usize) -> Vec<u8> {
    let mut got = Vec::with_capacity(len);
    let mut buf = vec![0u8; 16 * 1024];
    while got.len() < len {
        let n = conn.recv(&mut buf).expect("recv");
        assert_ne!(n, 0, "peer closed after {} of {len} bytes", got.len());
        got.extend_from_slice(&buf[..n]);
    }
    got
}

/// Asserts `got` is `want`, naming the first differing offset.
fn check(got: &[u8], want: &[u8], who: &str, n: usize) {
    assert_eq!(got.len(), want.len(), "{who} on connection {n}: length");
    if let Some(i) = got.iter().zip(want).position(|(a, b)| a != b) {
        panic!(
            "{who} on connection {n}: byte {i} is {:#04x}, sent {:#04x}",
            got[i], want[i]
        );
    }
}

/// The server side of one connection: the client's message (checked), then
/// its own, then a clean shutdown.
fn serve(ctx: &Context, stream: TcpStream) {
    let mut conn = Connection::new(ctx, stream);
    conn.set_accept_state().unwrap();
    conn.do_handshake().expect("server handshake");
    let hello = recv_exact(&mut conn, 4);
    let n = u32::from_be_bytes(hello.try_into().unwrap()) as usize;
    check(&recv_exact(&mut conn, MESSAGE), &message(n, 0), "server", n);
    conn.sendall(&message(n, 1)).unwrap();
    // Our close_notify, then the client's.
    let _ = conn.shutdown();
    let _ = conn.shutdown();
}

/// The client side of connection `n`.
fn client(ctx: &Context, addr: SocketAddr, n: usize) {
    let stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.set_write_timeout(Some(WAIT)).unwrap();
    let mut conn = Connection::new(ctx, stream);
    conn.set_connect_state().unwrap();
    conn.do_handshake().expect("client handshake");
    conn.sendall(&(n as u32).to_be_bytes()).unwrap();
    conn.sendall(&message(n, 0)).unwrap();
    check(&recv_exact(&mut conn, MESSAGE), &message(n, 1), "client", n);
    let _ = conn.shutdown();
}

/// Runs `total` connections (numbered from `first`) through the two
/// contexts with `THREADS` clients and `THREADS` servers at once.
fn run(server_ctx: &Context, client_ctx: &Context, first: usize, total: usize) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = AtomicUsize::new(0);
    let started = AtomicUsize::new(0);
    thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                while accepted.fetch_add(1, Ordering::SeqCst) < total {
                    let stream = accept_tcp(&listener).expect("accept");
                    serve(server_ctx, stream);
                }
            });
            scope.spawn(|| loop {
                let i = started.fetch_add(1, Ordering::SeqCst);
                if i >= total {
                    break;
                }
                client(client_ctx, addr, first + i);
            });
        }
    });
}

/// Resident set size in bytes (/proc/self/statm, second field, in pages).
fn rss() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: usize = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

#[test]
#[ignore = "load test: run by .ci/run in release"]
fn thousand_connections_through_one_context_keep_every_byte_and_memory_flat() {
    let total: usize = std::env::var("PURESSL_SOAK_CONNECTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let server = server_ctx(Method::Tls);
    let client = client_ctx(Method::Tls);
    // Warm-up: thread arenas, session caches and lazy tables fill here.
    run(&server, &client, 0, 200);
    let before = rss();
    let t = Instant::now();
    run(&server, &client, 200, total);
    let elapsed = t.elapsed();
    let after = rss();
    eprintln!(
        "{total} connections x 2 x {MESSAGE} bytes in {elapsed:.1?}; RSS {} KiB before, {} KiB after",
        before / 1024,
        after / 1024
    );
    assert!(
        after * 10 <= before * 11,
        "resident memory grew from {before} to {after} bytes over {total} connections"
    );
}
