//! The close_notify state machine: `shutdown`, `get_shutdown`, `set_shutdown`.

use std::io::{self, Read, Write};

use super::{Connection, Failure, Shutdown};
use crate::ssl::Error;

impl<S: Read + Write> Connection<S> {
    /// Closes the TLS layer, OpenSSL-style: the first call sends close_notify
    /// and returns whether the peer's close_notify had already arrived; later
    /// calls wait for it (`WantRead` when it has not come yet) and return
    /// `true`. pyOpenSSL `shutdown`.
    ///
    /// The [`Shutdown`] flags steer it as in OpenSSL: with
    /// [`Shutdown::SENT`] already set (by an earlier call or by
    /// [`set_shutdown`](Connection::set_shutdown)) no close_notify is sent,
    /// and with both flags set it returns `true` at once.
    ///
    /// Application data that arrives while it waits for the peer's
    /// close_notify is a fatal error, "application data after close
    /// notify", as in OpenSSL (the connection has then failed: see
    /// [`do_handshake`](Connection::do_handshake)); read what the peer
    /// still sends with [`recv`](Connection::recv) before calling
    /// `shutdown` again.
    ///
    /// Before the handshake has finished, and after a fatal error, it fails
    /// with "shutdown while in init" and sends nothing, as OpenSSL's
    /// `SSL_shutdown` does (`SSL_in_init`).
    pub fn shutdown(&mut self) -> Result<bool, Error> {
        let r = if self.failed.is_some() || self.tls()?.is_handshaking() {
            Err(Error::ssl("shutdown while in init"))
        } else {
            self.shutdown_inner()
        };
        self.track(r)
    }

    fn shutdown_inner(&mut self) -> Result<bool, Error> {
        if !self.shutdown.contains(Shutdown::SENT) {
            self.tls()?.send_close_notify();
            self.shutdown |= Shutdown::SENT;
            self.closed |= Shutdown::SENT;
            self.info
                .close_notify_written(self.tls.as_ref(), self.sni.as_deref());
            self.flush_tls()?;
            return Ok(self.shutdown.contains(Shutdown::RECEIVED));
        }
        loop {
            if self.shutdown.contains(Shutdown::RECEIVED) {
                return Ok(true);
            }
            let n = self.read_tls()?;
            // Application data after our close_notify is a fatal error for
            // OpenSSL (since 1.1.1): SSL_R_APPLICATION_DATA_AFTER_CLOSE_NOTIFY.
            // It stops at that record, so a close_notify behind it counts as
            // not read.
            let data = io::copy(&mut self.tls()?.reader(), &mut io::sink()).unwrap_or(0);
            self.plaintext = 0;
            if data > 0 {
                self.failed = Some(Failure::Local);
                self.shutdown.remove(Shutdown::RECEIVED);
                return Err(Error::ssl("application data after close notify"));
            }
            if n == 0 && !self.shutdown.contains(Shutdown::RECEIVED) {
                return Err(Error::unexpected_eof());
            }
        }
    }

    /// The close_notify flags. pyOpenSSL `get_shutdown`.
    #[doc(alias = "get_shutdown")]
    pub fn shutdown_state(&self) -> Shutdown {
        self.shutdown
    }

    /// Sets the close_notify flags. pyOpenSSL `set_shutdown`.
    ///
    /// As with OpenSSL's `SSL_set_shutdown`: [`Shutdown::SENT`] makes
    /// [`shutdown`](Connection::shutdown) skip sending close_notify and
    /// [`send`](Connection::send) fail ("protocol is shutdown");
    /// [`Shutdown::RECEIVED`] makes [`recv`](Connection::recv) report
    /// `ZeroReturn` (plaintext already decrypted is still returned first;
    /// records not yet read are not read, as OpenSSL throws them away);
    /// both together make
    /// `shutdown()` return `true` at once (a "quiet" shutdown).
    ///
    /// A flag whose alert has really gone (or come) cannot be cleared: that
    /// is an error, since rustls cannot take the alert back.
    ///
    /// ```
    /// use puressl::ssl::{Connection, Context, Memory, Method, Shutdown};
    /// let ctx = Context::new(Method::Tls).unwrap();
    /// let mut conn = Connection::new(&ctx, Memory::default());
    /// conn.set_connect_state().unwrap();
    /// conn.set_shutdown(Shutdown::SENT | Shutdown::RECEIVED).unwrap();
    /// assert_eq!(conn.shutdown_state().bits(), 3);
    /// // After the handshake, shutdown() would now return true at once and
    /// // send nothing; before it, OpenSSL refuses (and so does puressl).
    /// assert!(conn.shutdown().unwrap_err().to_string().contains("shutdown while in init"));
    /// ```
    pub fn set_shutdown(&mut self, state: Shutdown) -> Result<(), Error> {
        let lost = self.closed - state;
        if lost.contains(Shutdown::SENT) {
            return Err(Error::ssl(
                "set_shutdown: close_notify was already sent; SENT cannot be cleared",
            ));
        }
        if lost.contains(Shutdown::RECEIVED) {
            return Err(Error::ssl(
                "set_shutdown: the peer's close_notify already arrived; RECEIVED cannot be cleared",
            ));
        }
        self.shutdown = state;
        Ok(())
    }
}
