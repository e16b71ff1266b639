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
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]
#![warn(clippy::unwrap_used)]
#![cfg_attr(test, allow(clippy::unwrap_used))]
// The shared `&mut String` text printers (skeletons until their branches land).
#![allow(clippy::ptr_arg)]

pub mod crypto;
pub mod provider;
pub mod rand;
pub mod ssl;

/// The README's Rust example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
