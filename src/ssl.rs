//! TLS connections: pyOpenSSL's `OpenSSL.SSL`, on rustls with puressl's own
//! [`provider`](crate::provider).
//!
//! | pyOpenSSL | puressl |
//! |---|---|
//! | `SSL.Error` and subclasses | [`Error`] |
//! | `*_METHOD` | [`Method`] |
//! | `OP_*` | [`Options`] |
//! | `VERIFY_*` | [`VerifyMode`] |

mod error;
mod method;
mod verify;

pub use error::{Error, ErrorEntry, ErrorStack};
pub use method::{Method, Options, ProtoVersion};
pub use verify::VerifyMode;
