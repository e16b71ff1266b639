//! The issue-17 table at the end of a run: each row's criterion median (read
//! back from `estimates.json` of this run) and the ratio it is judged by.
//! A ratio is a speed ratio, `time(other) / time(ours)`: above 1 is faster.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Where criterion writes its results (set on the `Criterion` so that this
/// report reads the same place).
pub fn output_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
        .join("criterion")
}

/// One line of the table: ours against the other, same group.
struct Row {
    what: &'static str,
    group: &'static str,
    ours: &'static str,
    other: &'static str,
    /// The target for the speed ratio.
    target: f64,
}

const fn row(
    what: &'static str,
    group: &'static str,
    ours: &'static str,
    other: &'static str,
    target: f64,
) -> Row {
    Row {
        what,
        group,
        ours,
        other,
        target,
    }
}

const P256: &str = "compare_handshake_tls13_p256_x25519";
const RESUMED: &str = "compare_resumed_tls13_p256_x25519";
const AES: &str = "compare_bulk_tls13_aes128gcm_16k";
const CHACHA: &str = "compare_bulk_tls13_chacha20poly1305_16k";
const TCP: &str = "compare_tcp_tls13_p256_x25519";

const ROWS: &[Row] = &[
    row(
        "wrapper ÷ raw rustls: full P-256 handshake, both sides",
        P256,
        "wrapper/both_sides",
        "puressl/both_sides",
        0.97,
    ),
    row(
        "wrapper ÷ raw rustls: resumed, both sides",
        RESUMED,
        "wrapper/both_sides",
        "puressl/both_sides",
        0.97,
    ),
    row(
        "wrapper ÷ raw rustls: bulk AES-128-GCM",
        AES,
        "wrapper",
        "puressl",
        0.97,
    ),
    row(
        "wrapper ÷ raw rustls: bulk ChaCha20-Poly1305",
        CHACHA,
        "wrapper",
        "puressl",
        0.97,
    ),
    row(
        "wrapper ÷ raw rustls: TcpStream full handshake",
        TCP,
        "wrapper/handshake",
        "rustls/handshake",
        0.97,
    ),
    row(
        "wrapper ÷ raw rustls: TcpStream bulk AES-128-GCM",
        TCP,
        "wrapper/bulk_aes128gcm",
        "rustls/bulk_aes128gcm",
        0.97,
    ),
    row(
        "wrapper ÷ OpenSSL 3.0: full P-256 handshake, both sides",
        P256,
        "wrapper/both_sides",
        "openssl/both_sides",
        1.5,
    ),
    row(
        "wrapper ÷ OpenSSL 3.0: resumed, both sides",
        RESUMED,
        "wrapper/both_sides",
        "openssl/both_sides",
        2.0,
    ),
    row(
        "wrapper ÷ OpenSSL 3.0: bulk AES-128-GCM",
        AES,
        "wrapper",
        "openssl",
        0.75,
    ),
    row(
        "provider ÷ aws-lc-rs: P-256 handshake, server side",
        P256,
        "puressl/server_side",
        "aws-lc-rs/server_side",
        0.75,
    ),
    row(
        "wrapper ÷ aws-lc-rs: P-256 handshake, server side",
        P256,
        "wrapper/server_side",
        "aws-lc-rs/server_side",
        0.75,
    ),
];

/// Criterion's directory name for a group or function name.
fn safe(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '?' | '"' | '/' | '\\' | '*' | '<' | '>' | ':' | '|' | '^' => '_',
            c => c,
        })
        .collect()
}

/// The median time per iteration (ns) of `group`/`function`, if it was
/// measured in this run (written after `since`).
fn median(group: &str, function: &str, since: SystemTime) -> Option<f64> {
    let file = output_dir()
        .join(safe(group))
        .join(safe(function))
        .join("new/estimates.json");
    let fresh = std::fs::metadata(&file).ok()?.modified().ok()? >= since;
    if !fresh {
        return None;
    }
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).ok()?).ok()?;
    json["median"]["point_estimate"].as_f64()
}

/// Prints the table for the rows measured since `since`.
pub fn print(since: SystemTime) {
    println!();
    println!("issue 17 table (criterion medians of this run, CPU time per unit; ratio = speed, other time ÷ ours):");
    println!(
        "{:<58} {:>13} {:>13} {:>7} {:>7}  met",
        "row", "ours", "other", "ratio", "target"
    );
    for r in ROWS {
        let (Some(ours), Some(other)) = (
            median(r.group, r.ours, since),
            median(r.group, r.other, since),
        ) else {
            println!("{:<58} (not measured in this run)", r.what);
            continue;
        };
        let ratio = other / ours;
        println!(
            "{:<58} {:>10.1} µs {:>10.1} µs {:>6.2}× {:>6.2}×  {}",
            r.what,
            ours / 1e3,
            other / 1e3,
            ratio,
            r.target,
            if ratio >= r.target { "yes" } else { "NO" }
        );
    }
}
