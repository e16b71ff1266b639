//! TLS connections: pyOpenSSL's `OpenSSL.SSL`, on rustls with puressl's own
//! [`provider`](crate::provider).
//!
//! | pyOpenSSL | puressl |
//! |---|---|
//! | `SSL.Error` and subclasses | [`Error`] |
//! | `*_METHOD` | [`Method`] |
//! | `OP_*` | [`Options`] |
//! | `VERIFY_*` | [`VerifyMode`] |

mod connection;
mod context;
mod error;
mod memory;
mod method;
mod verify;

pub use connection::{Connection, Shutdown};
pub use context::Context;
pub use error::{Error, ErrorEntry, ErrorStack};
pub use memory::Memory;
pub use method::{Method, Options, ProtoVersion};
pub use verify::{VerifyFn, VerifyMode};
