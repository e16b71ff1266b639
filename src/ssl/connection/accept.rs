//! The server's ClientHello step, for contexts with a server-name, ALPN
//! select or OCSP server callback: rustls's [`Acceptor`] reads the ClientHello, the
//! callbacks run on a [`HelloConnection`] (and may switch the context or
//! override its settings), then [`Accepted::into_connection`] builds the
//! rustls server connection with the configuration the callbacks left.
//!
//! This state lives inside the [`Connection`] (`accepting`, with `tls`
//! still `None`): the handshake, `send` and `recv` drive it like any other
//! handshake step.

use std::any::Any;
use std::io::{Read, Write};

use rustls::server::{Accepted, AcceptedAlert, Acceptor};
use rustls::AlertDescription;

use super::{no_side, Connection, Failure};
use crate::crypto::{PKey, X509};
use crate::ssl::{AlpnSelect, Context, Error, VerifyFn, VerifyMode};

/// What the ClientHello said, kept while the callbacks run.
#[derive(Debug, Default)]
struct Hello {
    sni: Option<String>,
    alpn: Option<Vec<Vec<u8>>>,
}

/// A server connection waiting for the ClientHello.
#[derive(Default)]
pub(crate) struct Accepting {
    acceptor: Acceptor,
    hello: Option<Hello>,
    /// The bytes read so far (up to the ClientHello), for the OCSP step.
    raw: Vec<u8>,
}

impl Accepting {
    /// The SNI name of the ClientHello, once read.
    pub(super) fn servername(&self) -> Option<&str> {
        self.hello.as_ref().and_then(|h| h.sni.as_deref())
    }
}

/// A plaintext fatal alert record: nothing is encrypted before the
/// ServerHello, so an alert about the ClientHello goes out in the clear.
fn alert_record(desc: AlertDescription) -> [u8; 7] {
    [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, u8::from(desc)]
}

impl<S: Read + Write> Connection<S> {
    /// `true` while the handshake is running, the ClientHello step included.
    pub(super) fn handshaking(&mut self) -> Result<bool, Error> {
        if self.tls.is_none() && self.accepting.is_some() {
            return Ok(true);
        }
        Ok(self.tls()?.is_handshaking())
    }

    /// Reads ciphertext while waiting for the ClientHello; once it is
    /// complete, runs the callbacks and builds the rustls server
    /// connection. `Ok(0)` at EOF.
    pub(super) fn read_hello(&mut self) -> Result<usize, Error> {
        let mut acc = self.accepting.take().ok_or_else(no_side)?;
        let read = self.read_hello_guarded(&mut acc.acceptor, &mut acc.raw);
        self.accepting = Some(acc);
        let n = read?;
        let acc = self.accepting.as_mut().ok_or_else(no_side)?;
        self.tls_in += n as u64;
        match acc.acceptor.accept() {
            Ok(None) => Ok(n),
            Ok(Some(accepted)) => self.accepted(accepted).map(|()| n),
            Err((e, alert)) => {
                let (e, alert, ours) = super::guard::hello_refusal(e, alert);
                Err(self.hello_failed(e.into(), alert, ours))
            }
        }
    }

    /// The ClientHello is in: the server-name callback, then the ALPN
    /// select callback (of the context the first one left), then the
    /// rustls server connection.
    fn accepted(&mut self, accepted: Accepted) -> Result<(), Error> {
        let hello = accepted.client_hello();
        let data = Hello {
            sni: hello.server_name().map(str::to_string),
            alpn: hello.alpn().map(|p| p.map(<[u8]>::to_vec).collect()),
        };
        if let Some(acc) = self.accepting.as_mut() {
            acc.hello = Some(data);
        }
        if let Some(cb) = self.context.servername_callback()
            && let Err(e) = cb(&mut HelloConnection { conn: self })
        {
            return Err(self.hello_failed(e, None, Some(AlertDescription::UnrecognisedName)));
        }
        let mut config = match self.context.server_config() {
            Ok(c) => c,
            Err(e) => {
                return Err(self.hello_failed(e, None, Some(AlertDescription::InternalError)))
            }
        };
        let offered = self
            .accepting
            .as_mut()
            .and_then(|a| a.hello.as_mut())
            .and_then(|h| h.alpn.take());
        if let (Some(cb), Some(offered)) = (self.context.alpn_select_callback(), offered) {
            let list: Vec<&[u8]> = offered.iter().map(Vec::as_slice).collect();
            let chosen = match cb(&mut HelloConnection { conn: self }, &list) {
                Ok(AlpnSelect::Protocol(p)) if !p.is_empty() && p.len() <= 255 => Some(p),
                Ok(AlpnSelect::Protocol(_)) => {
                    let e = Error::ssl(
                        "the ALPN select callback returned an empty or over-long protocol",
                    );
                    let alert = Some(AlertDescription::NoApplicationProtocol);
                    return Err(self.hello_failed(e, None, alert));
                }
                Ok(AlpnSelect::NoOverlappingProtocols) => None,
                Err(e) => {
                    let alert = Some(AlertDescription::NoApplicationProtocol);
                    return Err(self.hello_failed(e, None, alert));
                }
            };
            config = self.context.alpn_config(&config, chosen);
        }
        let raw = self
            .accepting
            .as_mut()
            .map(|a| std::mem::take(&mut a.raw))
            .unwrap_or_default();
        if let Err(e) = self.ocsp_at_hello(&raw) {
            return Err(self.hello_failed(e, None, Some(AlertDescription::InternalError)));
        }
        // The certificate resolver, called right here, staples the response.
        let (built, _) = crate::ssl::context::ocsp_scope(false, self.ocsp_staple(), || {
            accepted.into_connection(config)
        });
        match built {
            Ok(conn) => {
                self.tls = Some(conn.into());
                self.accepting = None;
            }
            Err((e, alert)) => {
                let (e, alert, ours) = super::guard::hello_refusal(e, alert);
                return Err(self.hello_failed(e.into(), alert, ours));
            }
        }
        self.info
            .handshake_start(self.tls.as_ref(), self.sni.as_deref());
        // Records that came in with the ClientHello.
        match self.tls.as_mut().map(|t| t.process_new_packets()) {
            Some(Err(e)) => {
                self.failed = Some(Failure::Local);
                let _ = self.flush_tls();
                self.info
                    .tls_error(self.tls.as_ref(), self.sni.as_deref(), &e);
                return Err(e.into());
            }
            Some(Ok(state)) => self.plaintext = state.plaintext_bytes_to_read(),
            None => {}
        }
        Ok(())
    }

    /// The ClientHello step failed with `e`: sends rustls's alert, or
    /// `ours`, and marks the connection failed.
    fn hello_failed(
        &mut self,
        e: Error,
        alert: Option<AcceptedAlert>,
        ours: Option<AlertDescription>,
    ) -> Error {
        self.failed = Some(Failure::Local);
        let mut out = Vec::new();
        if let Some(mut a) = alert {
            let _ = a.write_all(&mut out);
        }
        if let Some(desc) = ours {
            out.extend_from_slice(&alert_record(desc));
        }
        if !out.is_empty() && self.stream.write_all(&out).is_ok() {
            let _ = self.stream.flush();
            self.tls_out += out.len() as u64;
        }
        e
    }
}

/// What a [`HelloConnection`] reaches of the [`Connection`] (any stream).
trait HelloTarget {
    fn servername(&self) -> Option<String>;
    fn offered_alpn(&self) -> Option<&[Vec<u8>]>;
    fn context(&self) -> &Context;
    fn set_context(&mut self, ctx: &Context) -> Result<(), Error>;
    fn set_verify(&mut self, mode: VerifyMode, callback: Option<VerifyFn>) -> Result<(), Error>;
    fn use_certificate(&mut self, cert: &X509) -> Result<(), Error>;
    fn use_privatekey(&mut self, key: &PKey) -> Result<(), Error>;
    fn app_data_any(&self) -> Option<&(dyn Any + Send + Sync)>;
    fn set_app_data_any(&mut self, data: Box<dyn Any + Send + Sync>);
}

impl<S: Read + Write> HelloTarget for Connection<S> {
    fn servername(&self) -> Option<String> {
        Connection::servername(self)
    }
    fn offered_alpn(&self) -> Option<&[Vec<u8>]> {
        self.accepting
            .as_ref()
            .and_then(|a| a.hello.as_ref())
            .and_then(|h| h.alpn.as_deref())
    }
    fn context(&self) -> &Context {
        Connection::context(self)
    }
    fn set_context(&mut self, ctx: &Context) -> Result<(), Error> {
        Connection::set_context(self, ctx)
    }
    fn set_verify(&mut self, mode: VerifyMode, callback: Option<VerifyFn>) -> Result<(), Error> {
        Connection::set_verify(self, mode, callback)
    }
    fn use_certificate(&mut self, cert: &X509) -> Result<(), Error> {
        Connection::use_certificate(self, cert)
    }
    fn use_privatekey(&mut self, key: &PKey) -> Result<(), Error> {
        Connection::use_privatekey(self, key)
    }
    fn app_data_any(&self) -> Option<&(dyn Any + Send + Sync)> {
        self.app_data.as_deref()
    }
    fn set_app_data_any(&mut self, data: Box<dyn Any + Send + Sync>) {
        self.app_data = Some(data);
    }
}

/// The server connection as the server-name, ALPN select and OCSP server
/// callbacks see it, at ClientHello time: the name the client asked for, and the
/// per-connection changes a virtual host needs (another context, another
/// certificate and key, another verification). pyOpenSSL passes the
/// `Connection` itself to these callbacks; in Rust the connection is
/// generic over its stream and busy reading, so the callbacks get this
/// view of it instead.
///
/// ```
/// use puressl::ssl::{Context, Method};
/// let mut ctx = Context::new(Method::Tls).unwrap();
/// let other = Context::new(Method::Tls).unwrap();
/// ctx.set_tlsext_servername_callback(move |conn| {
///     if conn.servername().as_deref() == Some("other.example") {
///         conn.set_context(&other)?;
///     }
///     Ok(())
/// });
/// ```
pub struct HelloConnection<'a> {
    conn: &'a mut dyn HelloTarget,
}

impl std::fmt::Debug for HelloConnection<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HelloConnection")
            .field("servername", &self.conn.servername())
            .finish_non_exhaustive()
    }
}

impl<'a> HelloConnection<'a> {
    /// The view of `conn` the ClientHello callbacks get.
    pub(super) fn new<S: Read + Write>(conn: &'a mut Connection<S>) -> Self {
        HelloConnection { conn }
    }

    /// The SNI name the client sent (`None` without SNI).
    /// pyOpenSSL `Connection.get_servername`.
    #[doc(alias = "get_servername")]
    pub fn servername(&self) -> Option<String> {
        self.conn.servername()
    }

    /// The ALPN protocols the client offered, in its order (`None` when it
    /// sent no ALPN extension). Inside the ALPN select callback they are
    /// its second argument instead.
    pub fn offered_alpn(&self) -> Option<Vec<Vec<u8>>> {
        self.conn.offered_alpn().map(<[Vec<u8>]>::to_vec)
    }

    /// The connection's context (the one switched to, after
    /// [`set_context`](HelloConnection::set_context)).
    /// pyOpenSSL `Connection.get_context`.
    #[doc(alias = "get_context")]
    pub fn context(&self) -> &Context {
        self.conn.context()
    }

    /// Switches the connection to `ctx`: the handshake goes on with its
    /// certificate and key, verification, versions, suites, ALPN setup and
    /// callbacks (its ALPN select callback runs next). In the server-name
    /// callback this is virtual hosting. pyOpenSSL `Connection.set_context`.
    pub fn set_context(&mut self, ctx: &Context) -> Result<(), Error> {
        self.conn.set_context(ctx)
    }

    /// Overrides the verification for this connection.
    /// See [`Connection::set_verify`]. pyOpenSSL `Connection.set_verify`.
    pub fn set_verify(
        &mut self,
        mode: VerifyMode,
        callback: Option<VerifyFn>,
    ) -> Result<(), Error> {
        self.conn.set_verify(mode, callback)
    }

    /// Overrides the certificate for this connection.
    /// See [`Connection::use_certificate`]. pyOpenSSL `Connection.use_certificate`.
    pub fn use_certificate(&mut self, cert: &X509) -> Result<(), Error> {
        self.conn.use_certificate(cert)
    }

    /// Overrides the private key for this connection.
    /// See [`Connection::use_privatekey`]. pyOpenSSL `Connection.use_privatekey`.
    pub fn use_privatekey(&mut self, key: &PKey) -> Result<(), Error> {
        self.conn.use_privatekey(key)
    }

    /// The connection's attached data, if it is a `T`.
    /// pyOpenSSL `Connection.get_app_data`.
    #[doc(alias = "get_app_data")]
    pub fn app_data<T: Any + Send + Sync>(&self) -> Option<&T> {
        self.conn.app_data_any().and_then(|d| d.downcast_ref())
    }

    /// Attaches data to the connection. pyOpenSSL `Connection.set_app_data`.
    pub fn set_app_data<T: Any + Send + Sync>(&mut self, data: T) {
        self.conn.set_app_data_any(Box::new(data));
    }
}
