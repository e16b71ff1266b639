//! puressl's provider against rustls + aws-lc-rs and against OpenSSL (the
//! system libssl through rust-openssl), same harness, same run: in-memory full
//! handshakes, resumed handshakes and 16 KiB bulk records, each also
//! through `ssl::Context` + `Connection<Memory>` ("wrapper"), CPU time of
//! the bench thread (see
//! `benches/suite/benches/handshake.rs` in puressl-benches for the method).
//!
//! Run from the workspace root: `taskset -c 1 cargo bench -p puressl-compare`;
//! one group or one side with a criterion filter, e.g.
//! `taskset -c 1 cargo bench -p puressl-compare -- compare_handshake_tls13_p256`
//! or `-- openssl`.

// In a subdirectory so that Cargo does not take it for a bench target.
#[path = "compare/ossl.rs"]
mod ossl;
#[path = "compare/report.rs"]
mod report;
#[path = "compare/tcp.rs"]
mod tcp;

#[path = "../../suite/benches/support/rustls_pair.rs"]
mod rustls_pair;
use rustls_pair::{batch_of, configs_on, cpu_time, handshake, pump, resumable};
#[path = "../../suite/benches/support/wrapper_pair.rs"]
mod wrapper_pair;
use wrapper_pair::{wrapper_bulk, wrapper_connect, wrapper_contexts, wrapper_handshake};

use std::io::{Read, Write};
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, Criterion, Throughput};
use rustls::crypto::{aws_lc_rs, CryptoProvider, SupportedKxGroup};
use rustls::pki_types::ServerName;
use rustls::{
    ClientConfig, ClientConnection, Connection, ServerConfig, ServerConnection,
    SupportedCipherSuite,
};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/provider/");

/// The two providers, each cut down to one suite and X25519.
struct Side {
    name: &'static str,
    make: fn() -> CryptoProvider,
    aes128: SupportedCipherSuite,
    chacha: SupportedCipherSuite,
    x25519: &'static dyn SupportedKxGroup,
}

fn sides() -> [Side; 2] {
    [
        Side {
            name: "puressl",
            make: puressl::provider::provider,
            aes128: puressl::provider::cipher_suite::TLS13_AES_128_GCM_SHA256,
            chacha: puressl::provider::cipher_suite::TLS13_CHACHA20_POLY1305_SHA256,
            x25519: puressl::provider::kx_group::X25519,
        },
        Side {
            name: "aws-lc-rs",
            make: aws_lc_rs::default_provider,
            aes128: aws_lc_rs::cipher_suite::TLS13_AES_128_GCM_SHA256,
            chacha: aws_lc_rs::cipher_suite::TLS13_CHACHA20_POLY1305_SHA256,
            x25519: aws_lc_rs::kx_group::X25519,
        },
    ]
}

fn configs(
    side: &Side,
    cert: &str,
    suite: SupportedCipherSuite,
) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    let p = Arc::new(CryptoProvider {
        cipher_suites: vec![suite],
        kx_groups: vec![side.x25519],
        ..(side.make)()
    });
    configs_on(p, cert)
}

/// `n` handshakes: [total, client share, server share] of the thread's CPU
/// time, split by the wall time spent inside each side's calls.
fn batch(n: u64, handshake: impl FnMut() -> (Duration, Duration)) -> [Duration; 3] {
    batch_of(n, handshake)
}

fn handshakes(c: &mut Criterion) {
    eprintln!("OpenSSL side: {}", openssl::version::version());
    for cert in ["p256", "rsa2048"] {
        let mut g = c.benchmark_group(format!("compare_handshake_tls13_{cert}_x25519"));
        g.throughput(Throughput::Elements(1));
        for side in sides() {
            let (client, server) = configs(&side, cert, side.aes128);
            let mut hs = || handshake(&client, &server);
            g.bench_function(format!("{}/both_sides", side.name), |b| {
                b.iter_custom(|n| batch(n, &mut hs)[0])
            });
            g.bench_function(format!("{}/server_side", side.name), |b| {
                b.iter_custom(|n| batch(n, &mut hs)[2])
            });
            if side.name == "puressl" {
                // The same work through ssl::Context + Connection<Memory>.
                let (wc, ws) = wrapper_contexts(cert, "TLS_AES_128_GCM_SHA256", false);
                let (wcl, _, _, _) = wrapper_connect(&wc, &ws);
                assert_eq!(wcl.verify_result().code(), 0, "wrapper verified");
                assert_eq!(wcl.group_name(), Some("X25519"));
                let mut hs = || wrapper_handshake(&wc, &ws);
                g.bench_function("wrapper/both_sides", |b| {
                    b.iter_custom(|n| batch(n, &mut hs)[0])
                });
                g.bench_function("wrapper/server_side", |b| {
                    b.iter_custom(|n| batch(n, &mut hs)[2])
                });
            }
        }
        let ctx = ossl::contexts(DATA, cert, "TLS_AES_128_GCM_SHA256");
        ossl::check(&ctx, "TLS_AES_128_GCM_SHA256");
        let mut hs = || ossl::handshake(&ctx);
        g.bench_function("openssl/both_sides", |b| {
            b.iter_custom(|n| batch(n, &mut hs)[0])
        });
        g.bench_function("openssl/server_side", |b| {
            b.iter_custom(|n| batch(n, &mut hs)[2])
        });
        g.finish();
    }
}

/// Resumed TLS 1.3 handshakes (PSK with X25519, P-256 certificate): raw
/// rustls with the puressl provider (rustls's server session cache, 2
/// tickets per handshake) next to ssl::Context + Connection<Memory> doing
/// the same (`OP_NO_TICKET`: the server's session cache, 2 tickets), and
/// OpenSSL 3.0 doing the same (server cache, `NO_TICKET`, 2 tickets, the
/// client offering the newest ticket it read).
fn resumed(c: &mut Criterion) {
    let side = &sides()[0];
    let (client, server) = configs(side, "p256", side.aes128);
    let (client, server) = resumable(&client, &server);
    let (wc, ws) = wrapper_contexts("p256", "TLS_AES_128_GCM_SHA256", true);
    for _ in 0..2 {
        handshake(&client, &server);
        wrapper_handshake(&wc, &ws);
    }
    let (wcl, _, _, _) = wrapper_connect(&wc, &ws);
    assert!(wcl.session_reused(), "the wrapper resumes");
    let mut g = c.benchmark_group("compare_resumed_tls13_p256_x25519");
    g.throughput(Throughput::Elements(1));
    let mut hs = || handshake(&client, &server);
    g.bench_function("puressl/both_sides", |b| {
        b.iter_custom(|n| batch(n, &mut hs)[0])
    });
    let mut hs = || wrapper_handshake(&wc, &ws);
    g.bench_function("wrapper/both_sides", |b| {
        b.iter_custom(|n| batch(n, &mut hs)[0])
    });
    let octx = ossl::resumable_contexts(DATA, "p256", "TLS_AES_128_GCM_SHA256");
    let mut session = None;
    ossl::resumed_handshake(&octx, &mut session);
    for _ in 0..2 {
        assert!(
            ossl::resumed_handshake(&octx, &mut session).0,
            "OpenSSL resumes"
        );
    }
    let mut hs = || {
        let (reused, c, s) = ossl::resumed_handshake(&octx, &mut session);
        assert!(reused, "OpenSSL resumes");
        (c, s)
    };
    g.bench_function("openssl/both_sides", |b| {
        b.iter_custom(|n| batch(n, &mut hs)[0])
    });
    g.finish();
}

/// `Connection<TcpStream>` against raw rustls over loopback (both ends in
/// this thread, non-blocking sockets): full P-256 handshakes, TCP connect
/// included, and 16 KiB AES-128-GCM records.
fn tcp(c: &mut Criterion) {
    let side = &sides()[0];
    let (client, server) = configs(side, "p256", side.aes128);
    let (wc, ws) = wrapper_contexts("p256", "TLS_AES_128_GCM_SHA256", false);
    let listener = tcp::listener();
    let (wcl, _) = tcp::wrapper_connect(&listener, &wc, &ws);
    assert_eq!(wcl.verify_result().code(), 0, "wrapper verified");
    let mut g = c.benchmark_group("compare_tcp_tls13_p256_x25519");
    g.bench_function("rustls/handshake", |b| {
        b.iter_custom(|n| {
            let t = cpu_time();
            for _ in 0..n {
                tcp::raw_connect(&listener, &client, &server);
            }
            cpu_time().saturating_sub(t)
        })
    });
    g.bench_function("wrapper/handshake", |b| {
        b.iter_custom(|n| {
            let t = cpu_time();
            for _ in 0..n {
                tcp::wrapper_connect(&listener, &wc, &ws);
            }
            cpu_time().saturating_sub(t)
        })
    });
    const RECORD: usize = 16 * 1024;
    let data = vec![0x5au8; RECORD];
    let mut sink = vec![0u8; RECORD];
    let mut raw = tcp::raw_connect(&listener, &client, &server);
    let mut wrapped = tcp::wrapper_connect(&listener, &wc, &ws);
    tcp::raw_bulk(&mut raw, &data, &mut sink);
    tcp::wrapper_bulk(&mut wrapped, &data, &mut sink);
    assert_eq!(sink, data, "round trip");
    g.throughput(Throughput::Bytes(RECORD as u64));
    g.bench_function("rustls/bulk_aes128gcm", |b| {
        b.iter_custom(|n| {
            let t = cpu_time();
            for _ in 0..n {
                tcp::raw_bulk(&mut raw, &data, &mut sink);
            }
            cpu_time().saturating_sub(t)
        })
    });
    g.bench_function("wrapper/bulk_aes128gcm", |b| {
        b.iter_custom(|n| {
            let t = cpu_time();
            for _ in 0..n {
                tcp::wrapper_bulk(&mut wrapped, &data, &mut sink);
            }
            cpu_time().saturating_sub(t)
        })
    });
    g.finish();
}

fn bulk(c: &mut Criterion) {
    const RECORD: usize = 16 * 1024;
    for aead in ["aes128gcm", "chacha20poly1305"] {
        let mut g = c.benchmark_group(format!("compare_bulk_tls13_{aead}_16k"));
        g.throughput(Throughput::Bytes(RECORD as u64));
        for side in sides() {
            let suite = if aead == "aes128gcm" {
                side.aes128
            } else {
                side.chacha
            };
            let (client, server) = configs(&side, "p256", suite);
            let name = ServerName::try_from("localhost").expect("name");
            let mut cl = Connection::Client(ClientConnection::new(client, name).expect("c"));
            let mut sv = Connection::Server(ServerConnection::new(server).expect("s"));
            let mut buf = Vec::with_capacity(RECORD + 64);
            while cl.is_handshaking() || sv.is_handshaking() || cl.wants_write() || sv.wants_write()
            {
                pump(&mut cl, &mut sv, &mut buf);
                pump(&mut sv, &mut cl, &mut buf);
            }
            let data = vec![0x5au8; RECORD];
            let mut sink = vec![0u8; RECORD];
            g.bench_function(side.name, |b| {
                b.iter_custom(|n| {
                    let t = cpu_time();
                    for _ in 0..n {
                        cl.writer().write_all(&data).expect("write");
                        pump(&mut cl, &mut sv, &mut buf);
                        sv.reader().read_exact(&mut sink).expect("read");
                    }
                    cpu_time().saturating_sub(t)
                })
            });
        }
        let suite = if aead == "aes128gcm" {
            "TLS_AES_128_GCM_SHA256"
        } else {
            "TLS_CHACHA20_POLY1305_SHA256"
        };
        let (wc, ws) = wrapper_contexts("p256", suite, false);
        let (mut wcl, mut wsv, _, _) = wrapper_connect(&wc, &ws);
        assert_eq!(wcl.cipher_name(), Some(suite));
        let data = vec![0x5au8; RECORD];
        let mut sink = vec![0u8; RECORD];
        g.bench_function("wrapper", |b| {
            b.iter_custom(|n| {
                let t = cpu_time();
                for _ in 0..n {
                    wrapper_bulk(&mut wcl, &mut wsv, &data, &mut sink);
                }
                cpu_time().saturating_sub(t)
            })
        });
        let ctx = ossl::contexts(DATA, "p256", suite);
        ossl::check(&ctx, suite);
        let (mut cl, mut sv, _, _) = ossl::connect(&ctx);
        let data = vec![0x5au8; RECORD];
        let mut sink = vec![0u8; RECORD];
        cl.write_all(&data).expect("write");
        sv.read_exact(&mut sink).expect("read");
        assert_eq!(sink, data, "OpenSSL round trip");
        g.bench_function("openssl", |b| {
            b.iter_custom(|n| {
                let t = cpu_time();
                for _ in 0..n {
                    cl.write_all(&data).expect("write");
                    sv.read_exact(&mut sink).expect("read");
                }
                cpu_time().saturating_sub(t)
            })
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .output_directory(&report::output_dir())
        .sample_size(15)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = handshakes, resumed, bulk, tcp
}

fn main() {
    let start = std::time::SystemTime::now();
    benches();
    Criterion::default().configure_from_args().final_summary();
    report::print(start);
}
