//! Many connections: 1,000 concurrent TLS 1.3 connections (handshake, then
//! 64 KiB echoed and checked) against an echo server on a multi-threaded
//! tokio runtime over 127.0.0.1, the server being
//!
//! - `puressl`: `puressl::ssl::tokio::TlsStream` on an `ssl::Context`;
//! - `tokio-rustls/puressl`: tokio-rustls on raw rustls with puressl's
//!   provider (the same crypto without the `Context`/`Connection` layer);
//! - `tokio-rustls/aws-lc-rs`: tokio-rustls on rustls with aws-lc-rs (C).
//!
//! The client is the same for all three: tokio-rustls + aws-lc-rs, verifying
//! the P-256 chain and the name `localhost`. Every server does the same
//! protocol work: TLS 1.3 only, TLS_AES_128_GCM_SHA256, X25519, the P-256
//! certificate, no session tickets, no client certificate.
//!
//! The server and the clients run on two runtimes of 2 worker threads each
//! (this machine has 2 CPUs); the servers' CPU time is their worker
//! threads' (read from `/proc/thread-self/schedstat` as each thread stops).
//! Rounds alternate between the servers so each sees the same neighbours;
//! each figure is the median of its rounds, p99 over all of a server's
//! handshakes (TCP connect to handshake done, seen by the client, with all
//! 1,000 connections started at once).
//!
//! Run from the workspace root:
//! `cargo bench -p puressl-compare --bench many` (`-- ROUNDS CONNECTIONS`
//! to change the defaults, 5 and 1,000). Results: BENCHMARKS.md.

#[path = "compare/configs.rs"]
mod configs;
#[path = "../../suite/benches/support/rustls_pair.rs"]
mod rustls_pair;
use rustls_pair::cpu_time;
#[path = "../../suite/benches/support/wrapper_pair.rs"]
mod wrapper_pair;
use wrapper_pair::wrapper_contexts;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/provider/");
const ECHO: usize = 64 * 1024;

#[derive(Clone)]
enum Server {
    Puressl(puressl::ssl::Context),
    TokioRustls(tokio_rustls::TlsAcceptor),
}

/// Echoes until the peer's close_notify, then sends its own.
async fn echo<S: AsyncRead + AsyncWrite + Unpin>(mut tls: S) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = tls.read(&mut buf).await.expect("server read");
        if n == 0 {
            break;
        }
        tls.write_all(&buf[..n]).await.expect("server write");
    }
    tls.shutdown().await.expect("server shutdown");
}

async fn serve(listener: TcpListener, server: Server) {
    loop {
        let (tcp, _) = listener.accept().await.expect("accept");
        tcp.set_nodelay(true).expect("nodelay");
        let server = server.clone();
        tokio::spawn(async move {
            match server {
                Server::Puressl(ctx) => {
                    let tls = puressl::ssl::tokio::TlsStream::accept(&ctx, tcp)
                        .await
                        .expect("puressl accept");
                    echo(tls).await;
                }
                Server::TokioRustls(acceptor) => {
                    let tls = acceptor.accept(tcp).await.expect("tokio-rustls accept");
                    echo(tls).await;
                }
            }
        });
    }
}

/// One client connection: its handshake latency (TCP connect included).
async fn client(
    addr: SocketAddr,
    connector: tokio_rustls::TlsConnector,
    data: Arc<Vec<u8>>,
) -> Duration {
    let start = Instant::now();
    let tcp = TcpStream::connect(addr).await.expect("connect");
    tcp.set_nodelay(true).expect("nodelay");
    let name = ServerName::try_from("localhost").expect("name");
    let tls = connector
        .connect(name, tcp)
        .await
        .expect("client handshake");
    let latency = start.elapsed();
    let (mut rd, mut wr) = tokio::io::split(tls);
    let sent = Arc::clone(&data);
    let writer = async move {
        wr.write_all(&sent).await.expect("client write");
        wr.shutdown().await.expect("client shutdown");
    };
    let reader = async move {
        let mut got = vec![0u8; data.len()];
        rd.read_exact(&mut got).await.expect("client read");
        assert!(got == *data, "echo differs");
        let mut rest = Vec::new();
        rd.read_to_end(&mut rest)
            .await
            .expect("server close_notify");
        assert!(rest.is_empty());
    };
    tokio::join!(writer, reader);
    latency
}

/// CPU time of the server runtime's threads, added as each one stops.
static SERVER_CPU_NS: AtomicU64 = AtomicU64::new(0);

fn runtime(server: bool) -> tokio::runtime::Runtime {
    let mut b = tokio::runtime::Builder::new_multi_thread();
    b.worker_threads(2).enable_all();
    if server {
        b.on_thread_stop(|| {
            SERVER_CPU_NS.fetch_add(cpu_time().as_nanos() as u64, Ordering::Relaxed);
        });
    }
    b.build().expect("runtime")
}

struct Round {
    wall: Duration,
    server_cpu: Duration,
    latencies: Vec<Duration>,
}

/// `n` concurrent connections against a fresh server runtime.
fn round(server: &Server, n: usize, connector: &tokio_rustls::TlsConnector) -> Round {
    SERVER_CPU_NS.store(0, Ordering::Relaxed);
    let srt = runtime(true);
    let listener = srt
        .block_on(TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    srt.spawn(serve(listener, server.clone()));
    let crt = runtime(false);
    let data = Arc::new(
        (0..ECHO as u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect::<Vec<u8>>(),
    );
    let start = Instant::now();
    let latencies = crt.block_on(async {
        let tasks: Vec<_> = (0..n)
            .map(|_| tokio::spawn(client(addr, connector.clone(), Arc::clone(&data))))
            .collect();
        let mut out = Vec::with_capacity(n);
        for t in tasks {
            out.push(t.await.expect("client task"));
        }
        out
    });
    let wall = start.elapsed();
    drop(crt);
    srt.shutdown_timeout(Duration::from_secs(5));
    Round {
        wall,
        server_cpu: Duration::from_nanos(SERVER_CPU_NS.load(Ordering::Relaxed)),
        latencies,
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; numbers are the optional arguments.
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let rounds = args.first().copied().unwrap_or(5);
    let n = args.get(1).copied().unwrap_or(1_000);

    // The one client, on aws-lc-rs.
    let (client, aws_server) = configs::configs(configs::aws_lc_aes128(), "p256");
    let connector = tokio_rustls::TlsConnector::from(client);
    let (_, ctx) = wrapper_contexts("p256", "TLS_AES_128_GCM_SHA256", false);
    let (_, own_server) = configs::configs(configs::puressl_aes128(), "p256");
    let servers = [
        ("puressl TlsStream", Server::Puressl(ctx)),
        (
            "tokio-rustls/puressl provider",
            Server::TokioRustls(tokio_rustls::TlsAcceptor::from(own_server)),
        ),
        (
            "tokio-rustls/aws-lc-rs",
            Server::TokioRustls(tokio_rustls::TlsAcceptor::from(aws_server)),
        ),
    ];
    let load = || {
        std::fs::read_to_string("/proc/loadavg")
            .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    println!(
        "{n} concurrent connections (TLS 1.3, P-256, X25519, AES-128-GCM, {} KiB echo), {rounds} rounds; load average before: {}",
        ECHO / 1024,
        load()
    );
    // Warm-up (listen queues, allocator, page faults).
    for (_, s) in &servers {
        round(s, n.min(100), &connector);
    }
    let mut results: Vec<Vec<Round>> = servers.iter().map(|_| Vec::new()).collect();
    for r in 0..rounds {
        for (i, (name, s)) in servers.iter().enumerate() {
            let got = round(s, n, &connector);
            eprintln!(
                "round {r} {name}: {:.0} conn/s, server CPU {:.0} µs/conn",
                n as f64 / got.wall.as_secs_f64(),
                got.server_cpu.as_secs_f64() * 1e6 / n as f64
            );
            results[i].push(got);
        }
    }
    println!("load average after: {}", load());
    println!(
        "{:<32} {:>10} {:>14} {:>14} {:>16} {:>10}",
        "server", "conn/s", "p50 hs (ms)", "p99 hs (ms)", "server CPU µs/c", "÷ aws-lc"
    );
    let summary: Vec<(f64, f64, f64, f64)> = results
        .iter()
        .map(|rs| {
            let rate = median(rs.iter().map(|r| n as f64 / r.wall.as_secs_f64()).collect());
            let cpu = median(
                rs.iter()
                    .map(|r| r.server_cpu.as_secs_f64() * 1e6 / n as f64)
                    .collect(),
            );
            let mut lat: Vec<f64> = rs
                .iter()
                .flat_map(|r| r.latencies.iter().map(|d| d.as_secs_f64() * 1e3))
                .collect();
            lat.sort_by(f64::total_cmp);
            let p = |q: f64| lat[((lat.len() as f64 * q) as usize).min(lat.len() - 1)];
            (rate, p(0.50), p(0.99), cpu)
        })
        .collect();
    let base = summary.last().expect("aws-lc row").0;
    for ((name, _), (rate, p50, p99, cpu)) in servers.iter().zip(&summary) {
        println!(
            "{name:<32} {rate:>10.0} {p50:>14.1} {p99:>14.1} {cpu:>16.0} {:>10.2}",
            rate / base
        );
    }
}
