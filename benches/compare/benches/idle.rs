//! Heap bytes held per established, idle TLS 1.3 connection (after a full
//! handshake without tickets; P-256 certificate, X25519, AES-128-GCM; the
//! client verifying the chain and the name `localhost`), the same work on
//! four stacks:
//!
//! - raw rustls with puressl's provider, and with aws-lc-rs;
//! - `ssl::Context` + `Connection<Memory>` (puressl's wrapper);
//! - OpenSSL 3 (the system libssl through rust-openssl) with
//!   `SSL_MODE_RELEASE_BUFFERS`, its in-memory pipes emptied and shrunk.
//!
//! OpenSSL allocates with `malloc`, not through Rust's allocator, so all
//! four are measured the same way: glibc's `mallinfo2()` (bytes in use,
//! `uordblks + hblkhd`, malloc's chunk headers included) with `N`
//! connections alive, minus before, over `N`; each connection is boxed, so
//! its own struct counts. `benches/suite/benches/idle_memory.rs` in puressl-benches counts
//! the Rust stacks exactly with a counting allocator.
//!
//! Run from the workspace root: `cargo bench -p puressl-compare --bench idle`.

#[path = "compare/configs.rs"]
mod configs;
#[path = "compare/ossl.rs"]
mod ossl;
#[path = "../../suite/benches/support/rustls_pair.rs"]
mod rustls_pair;
#[path = "../../suite/benches/support/wrapper_pair.rs"]
mod wrapper_pair;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/provider/");

/// Bytes malloc has handed out and not taken back.
fn in_use() -> i64 {
    // SAFETY: mallinfo2 only reads glibc's allocator statistics.
    let m = unsafe { libc::mallinfo2() };
    (m.uordblks + m.hblkhd) as i64
}

/// Heap bytes per item of `make()`, `n` kept alive at once (boxed).
fn per_item<T>(n: usize, mut make: impl FnMut() -> T) -> f64 {
    drop(make());
    let mut items: Vec<Box<T>> = Vec::with_capacity(n);
    let before = in_use();
    for _ in 0..n {
        items.push(Box::new(make()));
    }
    let after = in_use();
    drop(items);
    (after - before) as f64 / n as f64
}

fn main() {
    const N: usize = 500;
    let mut rows: Vec<(&str, [f64; 3])> = Vec::new();
    for (name, p) in [
        ("raw rustls + puressl provider", configs::puressl_aes128()),
        ("raw rustls + aws-lc-rs", configs::aws_lc_aes128()),
    ] {
        let (c, s) = configs::configs(p, "p256");
        let pair = || rustls_pair::connected(&c, &s);
        rows.push((
            name,
            [
                per_item(N, pair),
                per_item(N, || pair().0),
                per_item(N, || pair().1),
            ],
        ));
    }
    let (wc, ws) = wrapper_pair::wrapper_contexts("p256", "TLS_AES_128_GCM_SHA256", false);
    let pair = || {
        let (a, b, _, _) = wrapper_pair::wrapper_connect(&wc, &ws);
        (a, b)
    };
    rows.push((
        "puressl ssl::Connection<Memory>",
        [
            per_item(N, pair),
            per_item(N, || pair().0),
            per_item(N, || pair().1),
        ],
    ));
    let ctx = ossl::released_contexts(DATA, "p256", "TLS_AES_128_GCM_SHA256");
    ossl::check(&ctx, "TLS_AES_128_GCM_SHA256");
    let pair = || {
        let (mut a, mut b, _, _) = ossl::connect(&ctx);
        a.get_mut().shrink();
        b.get_mut().shrink();
        (a, b)
    };
    rows.push((
        "OpenSSL 3 (RELEASE_BUFFERS)",
        [
            per_item(N, pair),
            per_item(N, || pair().0),
            per_item(N, || pair().1),
        ],
    ));
    println!(
        "idle TLS 1.3 connections, full handshake, no tickets (P-256, X25519, AES-128-GCM); \
         malloc bytes in use per connection, {N} alive; {}",
        openssl::version::version()
    );
    println!(
        "{:<34} {:>9} {:>9} {:>9} {:>16}",
        "stack", "pair", "client", "server", "pair ÷ rustls"
    );
    let base = rows[0].1[0];
    for (name, [p, c, s]) in &rows {
        println!("{name:<34} {p:>9.0} {c:>9.0} {s:>9.0} {:>16.2}", p / base);
    }
}
