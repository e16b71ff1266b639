//! A fixed-work driver for instruction counts (`valgrind --tool=callgrind`):
//! the same TLS 1.3 work through raw rustls with puressl's provider and
//! through `ssl::Context` + `Connection<Memory>`, so that the wrapper's
//! overhead is counted without the noise of a shared machine.
//!
//! Work (P-256 certificate, X25519, the client verifying chain and name):
//! `full` handshakes without tickets, `resumed` handshakes (server cache,
//! 2 tickets), `aes` / `chacha` bulk: 16 KiB records client → server.
//!
//! ```text
//! cargo bench -p puressl-benches --bench ssl_callgrind --no-run
//! valgrind --tool=callgrind target/release/deps/ssl_callgrind-* full wrapper 20
//! ```
//!
//! Each run does its set-up (contexts, configurations, one warm-up
//! handshake or connection) and then `n` units; the cost of one unit is
//! (count for `n` − count for 0) / `n`. Under `cargo bench` (no
//! arguments) it runs every case twice and prints how to use it.

#[path = "support/rustls_pair.rs"]
mod rustls_pair;
#[path = "support/wrapper_pair.rs"]
mod wrapper_pair;

use std::sync::Arc;

use puressl::provider::{self, cipher_suite, kx_group};
use rustls::crypto::CryptoProvider;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/provider/");
const RECORD: usize = 16 * 1024;

/// Runs `n` units of `work` through `side` (`raw` or `wrapper`).
fn run(work: &str, side: &str, n: u64) {
    let (suite, ossl) = match work {
        "chacha" => (
            cipher_suite::TLS13_CHACHA20_POLY1305_SHA256,
            "TLS_CHACHA20_POLY1305_SHA256",
        ),
        _ => (
            cipher_suite::TLS13_AES_128_GCM_SHA256,
            "TLS_AES_128_GCM_SHA256",
        ),
    };
    let p = Arc::new(CryptoProvider {
        cipher_suites: vec![suite],
        kx_groups: vec![kx_group::X25519],
        ..provider::provider()
    });
    let (client, server) = rustls_pair::configs_on(p, "p256");
    let resume = work == "resumed";
    let data = vec![0x5au8; RECORD];
    let mut sink = vec![0u8; RECORD];
    match (work, side) {
        ("full" | "resumed", "raw") => {
            let (client, server) = if resume {
                rustls_pair::resumable(&client, &server)
            } else {
                (client, server)
            };
            rustls_pair::handshake(&client, &server);
            for _ in 0..n {
                rustls_pair::handshake(&client, &server);
            }
        }
        ("full" | "resumed", "wrapper") => {
            let (wc, ws) = wrapper_pair::wrapper_contexts("p256", ossl, resume);
            let (c, _, _, _) = wrapper_pair::wrapper_connect(&wc, &ws);
            assert_eq!(c.verify_result().code(), 0);
            for _ in 0..n {
                wrapper_pair::wrapper_handshake(&wc, &ws);
            }
        }
        ("aes" | "chacha", "raw") => {
            let (mut c, mut s) = rustls_pair::connected(&client, &server);
            let mut buf = Vec::with_capacity(RECORD + 64);
            rustls_pair::bulk(&mut c, &mut s, &data, &mut sink, &mut buf);
            for _ in 0..n {
                rustls_pair::bulk(&mut c, &mut s, &data, &mut sink, &mut buf);
            }
        }
        ("aes" | "chacha", "wrapper") => {
            let (wc, ws) = wrapper_pair::wrapper_contexts("p256", ossl, false);
            let (mut c, mut s, _, _) = wrapper_pair::wrapper_connect(&wc, &ws);
            assert_eq!(c.cipher_name(), Some(ossl));
            wrapper_pair::wrapper_bulk(&mut c, &mut s, &data, &mut sink);
            for _ in 0..n {
                wrapper_pair::wrapper_bulk(&mut c, &mut s, &data, &mut sink);
            }
        }
        _ => panic!("usage: ssl_callgrind full|resumed|aes|chacha raw|wrapper N"),
    }
    assert!(n == 0 || work == "full" || work == "resumed" || sink == data);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [work, side, n] => run(work, side, n.parse().expect("N")),
        _ => {
            for work in ["full", "resumed", "aes", "chacha"] {
                for side in ["raw", "wrapper"] {
                    run(work, side, 2);
                }
            }
            println!(
                "ssl_callgrind: all cases ran; count one with \
                 `valgrind --tool=callgrind <this binary> full|resumed|aes|chacha raw|wrapper N`"
            );
        }
    }
}
