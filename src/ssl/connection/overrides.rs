//! Per-connection overrides of context settings: `set_verify`,
//! `use_certificate`, `use_privatekey` (what a server-name callback needs
//! to serve one name differently without a second context).
//!
//! An override edits the connection's own copy of its context (copy on
//! write: the shared context and its other connections are untouched) and
//! rebuilds the rustls connection from it, so it is allowed while
//! [`set_context`](Connection::set_context) is: before TLS bytes move, or
//! inside the server-name callback.

use std::io::{Read, Write};
use std::sync::Arc;

use super::Connection;
use crate::crypto::{PKey, X509};
use crate::ssl::{Context, Error, VerifyFn, VerifyMode};

impl<S: Read + Write> Connection<S> {
    /// Applies `edit` to this connection's own copy of its context and
    /// rebuilds the rustls connection; on error nothing changes.
    fn override_settings(
        &mut self,
        what: &str,
        edit: impl FnOnce(&mut Context) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.check_settings_open(what)?;
        let old = Arc::clone(&self.context);
        edit(Arc::make_mut(&mut self.context))?;
        match &self.tls {
            // A server builds its rustls connection at the ClientHello, so
            // that a certificate and its key can be replaced one by one.
            Some(rustls::Connection::Server(_)) => {
                self.tls = None;
                self.accepting = Some(Box::default());
                Ok(())
            }
            _ => self.rebuild().inspect_err(|_| self.context = old),
        }
    }

    /// Overrides the verification mode and callback for this connection
    /// (see [`Context::set_verify`] for what they do).
    /// [`context`](Connection::context) then shows the override.
    /// pyOpenSSL `Connection.set_verify`.
    ///
    /// ```
    /// use puressl::ssl::{Connection, Context, Memory, Method, VerifyMode};
    /// let ctx = Context::new(Method::Tls).unwrap();
    /// let mut conn = Connection::new(&ctx, Memory::default());
    /// conn.set_connect_state().unwrap();
    /// conn.set_verify(VerifyMode::PEER, None).unwrap();
    /// assert_eq!(conn.verify_mode(), VerifyMode::PEER);
    /// assert_eq!(ctx.verify_mode(), VerifyMode::NONE);
    /// ```
    pub fn set_verify(
        &mut self,
        mode: VerifyMode,
        callback: Option<VerifyFn>,
    ) -> Result<(), Error> {
        self.override_settings("set_verify", |c| {
            c.set_verify(mode, callback);
            Ok(())
        })
    }

    /// The verification mode in force for this connection.
    /// pyOpenSSL `Connection.get_verify_mode`.
    #[doc(alias = "get_verify_mode")]
    pub fn verify_mode(&self) -> VerifyMode {
        self.context.verify_mode()
    }

    /// Overrides the certificate for this connection. A key in force that
    /// does not match it is dropped, as OpenSSL does: set the matching key
    /// next with [`use_privatekey`](Connection::use_privatekey). A server
    /// checks the pair when it builds its rustls connection, at the
    /// ClientHello. pyOpenSSL `Connection.use_certificate`.
    pub fn use_certificate(&mut self, cert: &X509) -> Result<(), Error> {
        self.override_settings("use_certificate", |c| c.use_certificate(cert))
    }

    /// Overrides the private key for this connection; it must match the
    /// certificate in force ("key values mismatch").
    /// pyOpenSSL `Connection.use_privatekey`.
    pub fn use_privatekey(&mut self, key: &PKey) -> Result<(), Error> {
        self.override_settings("use_privatekey", |c| c.use_privatekey(key))
    }
}
