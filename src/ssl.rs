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
//!
//! A [`Context`] holds the settings (certificate and key, trust store,
//! verification, versions, callbacks); a [`Connection`] runs TLS over any
//! `Read + Write` stream with them, or over a [`Memory`] BIO driven with
//! `bio_write`/`bio_read`. Errors are values: [`Error::WantRead`] is
//! pyOpenSSL's `WantReadError`, [`Error::ZeroReturn`] its `ZeroReturnError`.
//!
//! # A server and a verifying client
//!
//! The server presents a certificate for `localhost`; the client trusts the
//! CA that issued it, verifies the chain (`VERIFY_PEER`) and the host name
//! (`set_tlsext_host_name`: a DNS name or an IP address, checked against the
//! certificate). Here both run over `std::net` on 127.0.0.1:
//!
//! ```
//! use std::net::{TcpListener, TcpStream};
//! use puressl::crypto::{KeyType, PKey, X509Extension, X509};
//! use puressl::ssl::{Connection, Context, Error, Method, VerifyMode};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # fn cert(cn: &str, key: &PKey, issuer: Option<(&X509, &PKey)>, ext: &[(&str, bool, &str)]) -> X509 {
//! #     let mut c = X509::new();
//! #     c.set_version(2).unwrap();
//! #     c.set_serial_number(1u64);
//! #     c.subject_mut().set("CN", cn).unwrap();
//! #     let issuer_name = issuer.map_or(c.subject().clone(), |(i, _)| i.subject().clone());
//! #     c.set_issuer(&issuer_name);
//! #     c.set_pubkey(key).unwrap();
//! #     c.gmtime_adj_not_before(-60).unwrap();
//! #     c.gmtime_adj_not_after(3600).unwrap();
//! #     c.add_extensions(ext.iter().map(|(n, crit, v)| X509Extension::new(n, *crit, v).unwrap()));
//! #     c.sign(issuer.map_or(key, |(_, k)| k), "sha256").unwrap();
//! #     c
//! # }
//! # let ca_key = PKey::generate_key(KeyType::Ec, 256)?;
//! # let ca = cert("Example CA", &ca_key, None, &[("basicConstraints", true, "CA:TRUE")]);
//! # let key = PKey::generate_key(KeyType::Ec, 256)?;
//! # let leaf = cert("localhost", &key, Some((&ca, &ca_key)), &[("subjectAltName", false, "DNS:localhost")]);
//! // The server: its certificate and key (use_certificate_file etc. for files).
//! let mut server_ctx = Context::new(Method::Tls)?;
//! server_ctx.use_certificate(&leaf)?;
//! server_ctx.use_privatekey(&key)?;
//! let listener = TcpListener::bind("127.0.0.1:0")?;
//! let addr = listener.local_addr()?;
//! let server = std::thread::spawn(move || -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//!     let (stream, _) = listener.accept()?;
//!     let mut conn = Connection::new(&server_ctx, stream);
//!     conn.set_accept_state()?;
//!     let mut buf = [0u8; 1024];
//!     loop {
//!         match conn.recv(&mut buf) {
//!             Ok(n) => _ = conn.sendall(&buf[..n])?, // echo
//!             Err(Error::ZeroReturn) => return Ok(()), // the client closed cleanly
//!             Err(e) => return Err(e.into()),
//!         }
//!     }
//! });
//!
//! // The client: trusts the CA (load_verify_locations for a file), verifies.
//! let mut client_ctx = Context::new(Method::Tls)?;
//! client_ctx.cert_store_mut().add_cert(&ca)?;
//! client_ctx.set_verify(VerifyMode::PEER, None);
//! let mut conn = Connection::new(&client_ctx, TcpStream::connect(addr)?);
//! conn.set_tlsext_host_name(b"localhost")?;
//! conn.set_connect_state()?;
//! conn.sendall(b"ping")?;
//! let mut buf = [0u8; 4];
//! let n = conn.recv(&mut buf)?;
//! assert_eq!(&buf[..n], b"ping");
//! assert_eq!(conn.protocol_version_name(), Some("TLSv1.3"));
//! assert_eq!(conn.verify_result().code(), 0);
//! conn.shutdown()?;
//! server.join().expect("server thread").map_err(|e| e.to_string())?;
//! # Ok(())
//! # }
//! ```
//!
//! A certificate for another name fails the client's handshake with
//! `hostname mismatch` (errnum 62 in the verify callback); see
//! `examples/client.rs` and `examples/server.rs` for complete programs, and
//! `examples/memory_bio.rs` for the same over memory BIOs.

mod connection;
mod context;
mod error;
mod info;
mod memory;
mod method;
mod observe;
mod session;
mod session_api;
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub mod tokio;
mod verify;

pub use connection::{Connection, HelloConnection, Shutdown};
pub use context::{
    AlpnSelect, AlpnSelectFn, Context, Group, KeylogFn, OcspClientFn, OcspConnection, OcspServerFn,
    ServernameFn, SessionCacheMode, PASSWD_MAX_LEN,
};
pub use error::{Error, ErrorEntry, ErrorStack};
pub use info::{ConnectionInfo, InfoFn, InfoWhere};
pub use memory::Memory;
pub use method::{Method, Options, ProtoVersion};
pub use session_api::Session;
pub use verify::{VerifyFn, VerifyMode};
