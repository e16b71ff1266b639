//! Heap bytes held per established, idle TLS 1.3 connection (client and
//! server, after the handshake and the tickets), raw rustls with the
//! puressl provider against `ssl::Connection<Memory>` doing the same work
//! (P-256 certificate, X25519, AES-128-GCM; full handshakes without
//! tickets, and resumable ones with the server's cache and 2 tickets).
//!
//! A counting global allocator keeps the live heap bytes; each figure is
//! (live bytes with `N` connection pairs alive − live bytes before) / `N`,
//! so the contexts, configurations and caches made before are not counted,
//! while what each connection adds to a shared cache is. No timing, so the
//! numbers do not depend on the machine's load.
//!
//! Run: `cargo bench -p puressl-benches --bench idle_memory`. Results: BENCHMARKS.md.

#[path = "support/rustls_pair.rs"]
mod rustls_pair;
use rustls_pair::{certs, connected, resumable};
#[path = "support/wrapper_pair.rs"]
mod wrapper_pair;
use wrapper_pair::{wrapper_connect, wrapper_contexts};

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};
use std::sync::Arc;

use puressl::provider::{self, cipher_suite, kx_group};
use rustls::client::Resumption;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::PrivateKeyDer;
use rustls::server::NoServerSessionStorage;
use rustls::{ClientConfig, RootCertStore, ServerConfig};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/provider/");

/// The system allocator, counting live bytes.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// The trait is unsafe to implement; this one only forwards to `System` and
// counts. (The library's `forbid(unsafe_code)` does not reach this bench,
// which is its own crate.)
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        LIVE.fetch_add(new as isize - layout.size() as isize, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// The raw rustls configurations of `benches/suite/benches/handshake.rs`.
fn configs() -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    let p = Arc::new(CryptoProvider {
        cipher_suites: vec![cipher_suite::TLS13_AES_128_GCM_SHA256],
        kx_groups: vec![kx_group::X25519],
        ..provider::provider()
    });
    let mut roots = RootCertStore::empty();
    roots.add(certs("p256-ca.pem").remove(0)).expect("root");
    let mut client = ClientConfig::builder_with_provider(Arc::clone(&p))
        .with_protocol_versions(&[&rustls::version::TLS13])
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    client.resumption = Resumption::disabled();
    let key = PrivateKeyDer::from_pem_file(format!("{DATA}p256.key")).expect("key");
    let mut server = ServerConfig::builder_with_provider(p)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(certs("p256.pem"), key)
        .expect("cert");
    server.session_storage = Arc::new(NoServerSessionStorage {});
    server.send_tls13_tickets = 0;
    (Arc::new(client), Arc::new(server))
}

/// Live bytes per item of `make()`, `n` kept alive at once.
fn per_item<T>(n: usize, mut make: impl FnMut() -> T) -> f64 {
    // Warm up caches (a resumable pair fills the session caches first).
    drop(make());
    let before = live();
    let items: Vec<T> = (0..n).map(|_| make()).collect();
    let after = live();
    drop(items);
    (after - before) as f64 / n as f64
}

fn main() {
    const N: usize = 200;
    let (client, server) = configs();
    let (rclient, rserver) = resumable(&client, &server);
    println!("idle TLS 1.3 connection pairs (client + server), P-256 cert, X25519, AES-128-GCM");
    println!(
        "{:<34} {:>14} {:>14} {:>8}",
        "case", "rustls B/pair", "wrapper B/pair", "ratio"
    );
    for resume in [false, true] {
        let (cc, sc) = if resume {
            (&rclient, &rserver)
        } else {
            (&client, &server)
        };
        let (wc, ws) = wrapper_contexts("p256", "TLS_AES_128_GCM_SHA256", resume);
        let raw = per_item(N, || connected(cc, sc));
        let wrapped = per_item(N, || {
            let (c, s, _, _) = wrapper_connect(&wc, &ws);
            (c, s)
        });
        // Each side alone (the other dropped right away).
        let raw_c = per_item(N, || connected(cc, sc).0);
        let raw_s = per_item(N, || connected(cc, sc).1);
        let w_c = per_item(N, || wrapper_connect(&wc, &ws).0);
        let w_s = per_item(N, || wrapper_connect(&wc, &ws).1);
        let kind = if resume {
            "resumed (cache, 2 tickets)"
        } else {
            "full (no tickets)"
        };
        for (what, r, w) in [
            (format!("{kind}: pair"), raw, wrapped),
            (format!("{kind}: client"), raw_c, w_c),
            (format!("{kind}: server"), raw_s, w_s),
        ] {
            println!("{what:<34} {r:>14.0} {w:>14.0} {:>8.3}", w / r);
        }
    }
}
