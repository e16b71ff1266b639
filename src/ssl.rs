//! TLS connections: pyOpenSSL's `OpenSSL.SSL`, on rustls with puressl's own
//! [`provider`](crate::provider).
//!
//! | pyOpenSSL | puressl |
//! |---|---|
//! | `SSL.Error` and subclasses | [`Error`] |
//! | `*_METHOD` | [`Method`] |
//! | `OP_*` | [`Options`] |
//! | `VERIFY_*` | [`VerifyMode`] |
//! | `SSL_CB_*` (info callback `where`) | [`InfoWhere`] |

mod connection;
mod context;
mod error;
mod info;
mod memory;
mod method;
mod observe;
mod session;
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub mod tokio;
mod verify;

pub use connection::{Connection, HelloConnection, Shutdown};
pub use context::{
    AlpnSelect, AlpnSelectFn, Context, Group, KeylogFn, ServernameFn, PASSWD_MAX_LEN,
};
pub use error::{Error, ErrorEntry, ErrorStack};
pub use info::{ConnectionInfo, InfoFn, InfoWhere};
pub use memory::Memory;
pub use method::{Method, Options, ProtoVersion};
pub use verify::{VerifyFn, VerifyMode};
