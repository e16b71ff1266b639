//! Shared helpers of the tests that run other programs: unique scratch
//! paths and the example binaries (`inspect`, and those tests/api/examples.rs runs).
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh path in the temp directory, unique per test binary, process and
/// call (`puressl-<test binary>-<pid>-<n>-<name>`). Callers remove it.
pub fn tmp_path(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    std::env::temp_dir().join(format!(
        "puressl-{}-{}-{n}-{name}",
        env!("CARGO_CRATE_NAME"),
        std::process::id()
    ))
}

/// The `inspect` example binary next to this test binary (`cargo test`
/// builds it).
pub fn inspect_binary() -> PathBuf {
    example_binary("inspect")
}

/// The example binary `name` next to this test binary: `cargo test` builds
/// the examples into the same profile directory (target/debug/examples).
pub fn example_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let bin = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "examples/{name} is not built: `cargo test` builds it (or `cargo build --example {name}`)"
    );
    bin
}

/// Runs the `inspect` binary `bin` in tests/vectors with `args` and then
/// `path`; asserts that it succeeded and returns its JSON output.
pub fn inspect_json(bin: &std::path::Path, args: &[&str], path: &str) -> serde_json::Value {
    let out = std::process::Command::new(bin)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors"))
        .args(args)
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{path}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
