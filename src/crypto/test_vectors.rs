//! Unit-test access to the conformance vectors (`tests/vectors/`).

use sha2::Digest;

/// The bytes of `tests/vectors/{path}`.
pub(crate) fn vector(path: &str) -> Vec<u8> {
    let p = format!("{}/tests/vectors/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// SHA-256 of `b`, lowercase hex.
pub(crate) fn sha256_hex(b: &[u8]) -> String {
    sha2::Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}
