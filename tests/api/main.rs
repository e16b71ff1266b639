//! The API tests of everything but TLS, in one test binary (one link instead
//! of one per file): `crypto` (X509, requests, CRLs, names, extensions, keys,
//! PKCS#7/#12, SPKI), the X509Store, `rand`, robustness and fuzz regressions,
//! the documentation checks and the examples.
//!
//! Run one area with a filter on the module: `cargo test --test api store_`,
//! `cargo test --test api x509::`. A new area becomes a new module here (and a
//! file beside this one), not a new top-level binary.

#[path = "../support/mod.rs"]
mod support;

// The fuzz crate stays on edition 2021 (no let chains there).
#[allow(clippy::collapsible_if)]
#[path = "../../fuzz/src/harness.rs"]
mod harness;

mod crl;
mod crl_vectors;
mod docs;
mod errors;
mod examples;
mod extension;
mod fuzz_regressions;
mod keys;
mod name;
mod pkcs12;
mod pkcs7;
mod rand;
mod req;
mod robustness;
mod spki;
mod store;
mod store_identity;
mod store_matrix;
mod store_purpose;
mod store_robustness;
mod store_vectors;
mod x509;
mod x509_sign;
mod x509_text;
