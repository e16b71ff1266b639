//! # puressl
//!
//! pyOpenSSL's object model — certificates, requests, names, extensions, keys,
//! stores, CRLs, PKCS#7, PKCS#12, Netscape SPKI, a seedable PRNG and TLS — in
//! pure Rust, built on [rustls] and the RustCrypto crates. No C toolchain is
//! needed anywhere in the dependency tree.
//!
//! | pyOpenSSL | puressl |
//! |---|---|
//! | `OpenSSL.crypto` | [`crypto`] |
//! | `OpenSSL.rand` | [`rand`] |
//! | `OpenSSL.SSL` | [`ssl`] |
//!
//! The TLS engine runs on puressl's own rustls
//! [`CryptoProvider`](rustls::crypto::CryptoProvider), see [`provider`].
//!
//! Coming from pyOpenSSL: `docs/MIGRATING.md` in the repository maps every
//! pyOpenSSL name to its puressl item, and rustdoc's search finds the
//! Python names (`get_subject`, `X509StoreType`, `WantReadError`, …).
//!
//! # A TLS client
//!
//! Verifies the server's chain (system trust store) and its host name:
//!
//! ```no_run
//! use std::net::TcpStream;
//! use puressl::ssl::{Connection, Context, Method, VerifyMode};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mut ctx = Context::new(Method::Tls)?;
//! ctx.set_default_verify_paths()?;
//! ctx.set_verify(VerifyMode::PEER, None);
//! let mut conn = Connection::new(&ctx, TcpStream::connect(("example.com", 443))?);
//! conn.set_tlsext_host_name(b"example.com")?; // SNI and the name to check
//! conn.set_connect_state()?;
//! conn.sendall(b"HEAD / HTTP/1.0\r\nHost: example.com\r\n\r\n")?;
//! let mut buf = [0u8; 4096];
//! let n = conn.recv(&mut buf)?;
//! println!("{}", String::from_utf8_lossy(&buf[..n]));
//! # Ok(())
//! # }
//! ```
//!
//! # A TLS server
//!
//! ```no_run
//! use std::net::TcpListener;
//! use puressl::crypto::FileType;
//! use puressl::ssl::{Connection, Context, Error, Method};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mut ctx = Context::new(Method::Tls)?;
//! ctx.use_certificate_chain_file("server.pem")?;
//! ctx.use_privatekey_file("server.key", FileType::Pem)?;
//! for stream in TcpListener::bind("127.0.0.1:4433")?.incoming() {
//!     let mut conn = Connection::new(&ctx, stream?);
//!     conn.set_accept_state()?;
//!     let mut buf = [0u8; 16 * 1024];
//!     loop {
//!         match conn.recv(&mut buf) {
//!             Ok(n) => _ = conn.sendall(&buf[..n])?,
//!             Err(Error::ZeroReturn) => break,
//!             Err(e) => { eprintln!("{e}"); break; }
//!         }
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! A runnable server-and-client example is in the [`ssl`] module docs; the
//! `examples/` directory has complete programs (`cargo run --example quickstart`).
#![forbid(unsafe_code)]
// docs.rs (nightly) marks the items that exist on one OS only.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]
#![warn(clippy::unwrap_used)]
#![cfg_attr(test, allow(clippy::unwrap_used))]
// As rustls sets them; CI's `clippy -D warnings` makes them errors.
#![warn(unreachable_pub, trivial_numeric_casts, unused_qualifications)]

pub mod crypto;
pub mod provider;
pub mod rand;
pub mod ssl;

/// The rand_core crate, re-exported: [`rand::Rng`] implements its
/// `TryRng`/`TryCryptoRng` traits.
pub use rand_core;
/// The rustls crate puressl is built on, re-exported: its types appear in
/// puressl's signatures ([`provider::provider`] returns a
/// `rustls::crypto::CryptoProvider`, [`ssl::Error`] converts from
/// `rustls::Error`), so use them from here instead of pinning the same
/// rustls version yourself.
pub use rustls;
/// The socket2 crate, re-exported: [`ssl::Connection`] over a socket is
/// `Connection<socket2::Socket>`.
pub use socket2;

/// The README's Rust example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
