//! Criterion benches of puressl's rustls provider, in memory (no sockets):
//! full handshakes per second (TLS 1.3 and 1.2, P-256 and RSA-2048 server
//! certificates, X25519) and bulk transfer in 16 KiB records.
//!
//! Run: `taskset -c 1 cargo bench -p puressl-benches --bench handshake`. Results: BENCHMARKS.md.
//!
//! Times are the benchmark thread's **CPU time** (Linux
//! `/proc/thread-self/schedstat`), like `openssl speed` without `-elapsed`:
//! the build machine is shared, and wall-clock time there measures the other
//! tenants more than this code. The server/client split divides each batch's
//! CPU time in proportion to the wall time spent inside each side's calls.

#[path = "support/rustls_pair.rs"]
mod rustls_pair;
use rustls_pair::{batch_of, certs, cpu_time, handshake, pump, resumable};
#[path = "support/wrapper_pair.rs"]
mod wrapper_pair;
use wrapper_pair::{wrapper_bulk, wrapper_connect, wrapper_contexts, wrapper_handshake};

use std::io::{Read, Write};
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use puressl::provider::{self, cipher_suite, kx_group};
use rustls::client::Resumption;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{PrivateKeyDer, ServerName};
use rustls::server::NoServerSessionStorage;
use rustls::{
    ClientConfig, ClientConnection, Connection, RootCertStore, ServerConfig, ServerConnection,
    SupportedCipherSuite, SupportedProtocolVersion,
};

/// Runs `n` handshakes; returns the batch's CPU time split as (total, client, server).
fn batch(n: u64, client: &Arc<ClientConfig>, server: &Arc<ServerConfig>) -> [Duration; 3] {
    batch_of(n, || handshake(client, server))
}

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/provider/");

fn one_suite(
    suite: SupportedCipherSuite,
    group: &'static dyn rustls::crypto::SupportedKxGroup,
) -> Arc<CryptoProvider> {
    Arc::new(CryptoProvider {
        cipher_suites: vec![suite],
        kx_groups: vec![group],
        ..provider::provider()
    })
}

/// Client and server configs for full handshakes: no resumption, no tickets.
fn configs(
    cert: &str,
    suite: SupportedCipherSuite,
    version: &'static SupportedProtocolVersion,
    group: &'static dyn rustls::crypto::SupportedKxGroup,
) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    let p = one_suite(suite, group);
    let mut roots = RootCertStore::empty();
    roots
        .add(certs(&format!("{cert}-ca.pem")).remove(0))
        .expect("root");
    let mut client = ClientConfig::builder_with_provider(Arc::clone(&p))
        .with_protocol_versions(&[version])
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    client.resumption = Resumption::disabled();
    let key = PrivateKeyDer::from_pem_file(format!("{DATA}{cert}.key")).expect("key");
    let mut server = ServerConfig::builder_with_provider(p)
        .with_protocol_versions(&[version])
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(certs(&format!("{cert}.pem")), key)
        .expect("cert");
    server.session_storage = Arc::new(NoServerSessionStorage {});
    server.send_tls13_tickets = 0;
    (Arc::new(client), Arc::new(server))
}

fn handshakes(c: &mut Criterion) {
    type Case = (
        &'static str,
        &'static str,
        SupportedCipherSuite,
        &'static SupportedProtocolVersion,
        &'static str,
        &'static dyn rustls::crypto::SupportedKxGroup,
    );
    let tls13 = &rustls::version::TLS13;
    let tls12 = &rustls::version::TLS12;
    let x25519 = kx_group::X25519;
    let aes13 = cipher_suite::TLS13_AES_128_GCM_SHA256;
    let cases: [Case; 5] = [
        ("tls13", "p256", aes13, tls13, "x25519", x25519),
        ("tls13", "rsa2048", aes13, tls13, "x25519", x25519),
        (
            "tls12",
            "p256",
            cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            tls12,
            "x25519",
            x25519,
        ),
        (
            "tls12",
            "rsa2048",
            cipher_suite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            tls12,
            "x25519",
            x25519,
        ),
        (
            "tls13",
            "p256",
            aes13,
            tls13,
            "x25519mlkem768",
            kx_group::X25519MLKEM768,
        ),
    ];
    for (ver, cert, suite, version, gname, group) in cases {
        let (client, server) = configs(cert, suite, version, group);
        let mut g = c.benchmark_group(format!("handshake_{ver}_{cert}_{gname}"));
        g.throughput(Throughput::Elements(1));
        g.bench_function("both_sides", |b| {
            b.iter_custom(|n| batch(n, &client, &server)[0])
        });
        g.bench_function("server_side", |b| {
            b.iter_custom(|n| batch(n, &client, &server)[2])
        });
        g.bench_function("client_side", |b| {
            b.iter_custom(|n| batch(n, &client, &server)[1])
        });
        g.finish();
    }
}

/// Raw rustls with the provider next to `ssl::Context` + `Connection<Memory>`
/// doing the same protocol work (TLS 1.3, AES-128-GCM, X25519, P-256
/// certificate, the client verifying chain and name), interleaved in one
/// group each: full handshakes (no tickets) and resumed ones (server-side
/// session cache, 2 tickets per handshake, as both libraries default to).
fn wrapper_handshakes(c: &mut Criterion) {
    let aes13 = cipher_suite::TLS13_AES_128_GCM_SHA256;
    let (client, server) = configs("p256", aes13, &rustls::version::TLS13, kx_group::X25519);
    let (rclient, rserver) = resumable(&client, &server);
    for resume in [false, true] {
        let kind = if resume { "resumed" } else { "full" };
        let (wc, ws) = wrapper_contexts("p256", "TLS_AES_128_GCM_SHA256", resume);
        let (cc, sc) = if resume {
            (&rclient, &rserver)
        } else {
            (&client, &server)
        };
        // Once, untimed: the first resumable handshakes, and a check that
        // both sides resume (or not) as intended.
        for _ in 0..2 {
            handshake(cc, sc);
            wrapper_handshake(&wc, &ws);
        }
        let (wcl, wsv, _, _) = wrapper_connect(&wc, &ws);
        assert_eq!(wcl.session_reused(), resume, "wrapper {kind}");
        assert_eq!(wsv.group_name(), Some("X25519"));
        assert_eq!(wcl.verify_result().code(), 0);
        let mut g = c.benchmark_group(format!("handshake_tls13_p256_x25519_{kind}"));
        g.throughput(Throughput::Elements(1));
        for side in ["both_sides", "server_side", "client_side"] {
            let i = match side {
                "both_sides" => 0,
                "client_side" => 1,
                _ => 2,
            };
            g.bench_function(format!("rustls/{side}"), |b| {
                b.iter_custom(|n| batch_of(n, || handshake(cc, sc))[i])
            });
            g.bench_function(format!("wrapper/{side}"), |b| {
                b.iter_custom(|n| batch_of(n, || wrapper_handshake(&wc, &ws))[i])
            });
        }
        g.finish();
    }
}

fn bulk(c: &mut Criterion) {
    const RECORD: usize = 16 * 1024;
    for (name, suite) in [
        ("aes128gcm", cipher_suite::TLS13_AES_128_GCM_SHA256),
        (
            "chacha20poly1305",
            cipher_suite::TLS13_CHACHA20_POLY1305_SHA256,
        ),
    ] {
        let (client, server) = configs("p256", suite, &rustls::version::TLS13, kx_group::X25519);
        let name_s = ServerName::try_from("localhost").expect("name");
        let mut cl = Connection::Client(ClientConnection::new(client, name_s).expect("c"));
        let mut sv = Connection::Server(ServerConnection::new(server).expect("s"));
        let mut buf = Vec::with_capacity(RECORD + 64);
        while cl.is_handshaking() || sv.is_handshaking() || cl.wants_write() || sv.wants_write() {
            pump(&mut cl, &mut sv, &mut buf);
            pump(&mut sv, &mut cl, &mut buf);
        }
        let data = vec![0x5au8; RECORD];
        let mut sink = vec![0u8; RECORD];
        let mut g = c.benchmark_group(format!("bulk_tls13_{name}_16k"));
        g.throughput(Throughput::Bytes(RECORD as u64));
        // One core seals, ships and opens each record.
        g.bench_function("seal_and_open", |b| {
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
        // The same through `Connection<Memory>`: send, bio_read, bio_write, recv.
        let (wc, ws) = wrapper_contexts("p256", rustls_suite_name(name), false);
        let (mut wcl, mut wsv, _, _) = wrapper_connect(&wc, &ws);
        g.bench_function("wrapper/seal_and_open", |b| {
            b.iter_custom(|n| {
                let t = cpu_time();
                for _ in 0..n {
                    wrapper_bulk(&mut wcl, &mut wsv, &data, &mut sink);
                }
                cpu_time().saturating_sub(t)
            })
        });
        g.finish();
    }
}

/// OpenSSL's name of the TLS 1.3 suite of a bulk group.
fn rustls_suite_name(aead: &str) -> &'static str {
    if aead == "aes128gcm" {
        "TLS_AES_128_GCM_SHA256"
    } else {
        "TLS_CHACHA20_POLY1305_SHA256"
    }
}

/// The bare AEAD primitives on one 16 KiB record (seal then open), no TLS:
/// the ceiling for the record layer above, measured in the same run.
fn bulk_primitive(c: &mut Criterion) {
    use aes_gcm::aead::{AeadInOut, KeyInit};
    const RECORD: usize = 16 * 1024;
    fn run<A: AeadInOut + KeyInit>(c: &mut Criterion, name: &str) {
        let key = vec![7u8; <A as aes_gcm::aead::KeySizeUser>::key_size()];
        let aead = A::new_from_slice(&key).expect("key");
        let nonce = aes_gcm::aead::Nonce::<A>::default();
        let mut buf = vec![0x5au8; RECORD];
        let mut g = c.benchmark_group(format!("bulk_primitive_{name}_16k"));
        g.throughput(Throughput::Bytes(RECORD as u64));
        g.bench_function("seal_and_open", |b| {
            b.iter_custom(|n| {
                let t = cpu_time();
                for _ in 0..n {
                    let tag = aead
                        .encrypt_inout_detached(&nonce, b"aad", buf.as_mut_slice().into())
                        .expect("seal");
                    aead.decrypt_inout_detached(&nonce, b"aad", buf.as_mut_slice().into(), &tag)
                        .expect("open");
                }
                cpu_time().saturating_sub(t)
            })
        });
        g.finish();
    }
    run::<aes_gcm::Aes128Gcm>(c, "aes128gcm");
    run::<chacha20poly1305::ChaCha20Poly1305>(c, "chacha20poly1305");
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = handshakes, wrapper_handshakes, bulk, bulk_primitive
}
criterion_main!(benches);
