//! The TLS tests in one test binary (one link instead of one per file): the
//! `ssl` module (contexts, connections, callbacks, sockets, hardening) against
//! itself, `openssl s_server`/`s_client`, pyOpenSSL and tlslite-ng, and the
//! rustls `CryptoProvider` (`provider_*`).
//!
//! Run one area with a filter on the module: `cargo test --test ssl memory::`,
//! `cargo test --test ssl provider_`. The async stream tests
//! (`tokio_stream`) need `--features tokio-runtime` (the `tokio` feature plus
//! tokio's runtime, which a plain `cargo test` does not build). A new area
//! becomes a new module here (and a file beside this one), not a new
//! top-level binary.

#[path = "../support/mod.rs"]
mod support;

mod bio;
mod callbacks;
mod connection;
mod context;
mod context_openssl;
mod error;
mod hardening;
mod memory;
mod provider_handshake;
mod provider_keys;
mod provider_mlkem;
mod provider_openssl;
mod provider_p256;
mod purpose;
mod pyopenssl;
mod socket;
mod sockets;
mod tlslite;
#[cfg(feature = "tokio-runtime")]
mod tokio_stream;
