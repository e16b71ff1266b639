//! Certificates, requests, names, extensions, keys and containers:
//! pyOpenSSL's `OpenSSL.crypto`.
//!
//! The free functions (`load_*`, `dump_*`, [`sign`], [`verify`]) mirror
//! pyOpenSSL's module-level functions; the types mirror its classes.

mod digest;
mod error;
mod filetype;

pub use digest::MessageDigest;
pub use error::Error;
pub use filetype::FileType;

/// Result type of the `crypto` module.
pub type Result<T> = std::result::Result<T, Error>;
