//! The obvious way to a client that verifies its server:
//! [`Context::verified_client`] and [`Context::verified_client_with_ca`].

use std::path::Path;

use super::Context;
use crate::ssl::{Error, Method, VerifyMode};

impl Context {
    /// A client context that verifies the server, as a Rust user expects
    /// from a TLS client (rust-openssl's `SslConnector`): TLS 1.2 or 1.3,
    /// the system's trust store
    /// ([`set_default_verify_paths`](Context::set_default_verify_paths)),
    /// [`VerifyMode::PEER`] (a chain that does not verify fails the
    /// handshake), and every connection must be given the server's name
    /// with [`Connection::set_tlsext_host_name`](crate::ssl::Connection::set_tlsext_host_name)
    /// before [`set_connect_state`](crate::ssl::Connection::set_connect_state)
    /// (otherwise that is an error): the server's certificate must match it
    /// (`X509_V_ERR_HOSTNAME_MISMATCH` otherwise).
    ///
    /// The rest is a plain [`Context`]: a verify callback, client
    /// certificate, ALPN or version bounds can be added. Fails when the
    /// system has no trust store (set `SSL_CERT_FILE` or `SSL_CERT_DIR`, or
    /// use [`verified_client_with_ca`](Context::verified_client_with_ca)).
    ///
    /// ```no_run
    /// use puressl::ssl::{Connection, Context};
    /// let ctx = Context::verified_client().unwrap();
    /// let stream = std::net::TcpStream::connect("example.com:443").unwrap();
    /// let mut conn = Connection::new(&ctx, stream);
    /// conn.set_tlsext_host_name(b"example.com").unwrap();
    /// conn.set_connect_state().unwrap();
    /// conn.do_handshake().unwrap();
    /// ```
    #[doc(alias = "SslConnector")]
    #[doc(alias = "create_default_context")]
    pub fn verified_client() -> Result<Context, Error> {
        let mut ctx = Self::verifying()?;
        ctx.set_default_verify_paths()?;
        Ok(ctx)
    }

    /// [`verified_client`](Context::verified_client) trusting only the CA
    /// certificates of the PEM file `cafile` (a private CA), not the
    /// system's.
    ///
    /// ```
    /// use puressl::ssl::{Connection, Context, Memory, VerifyMode};
    /// # let cafile = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/provider/p256-ca.pem");
    /// let ctx = Context::verified_client_with_ca(cafile).unwrap();
    /// assert_eq!(ctx.verify_mode(), VerifyMode::PEER);
    /// let mut conn = Connection::new(&ctx, Memory::default());
    /// assert!(conn.set_connect_state().is_err()); // no host name given
    /// conn.set_tlsext_host_name(b"localhost").unwrap();
    /// conn.set_connect_state().unwrap();
    /// ```
    pub fn verified_client_with_ca(cafile: impl AsRef<Path>) -> Result<Context, Error> {
        let mut ctx = Self::verifying()?;
        ctx.load_verify_locations(Some(cafile.as_ref()), None)?;
        Ok(ctx)
    }

    fn verifying() -> Result<Context, Error> {
        let mut ctx = Context::new(Method::Tls)?;
        ctx.set_verify(VerifyMode::PEER, None);
        ctx.callbacks.require_host_name = true;
        Ok(ctx)
    }
}
