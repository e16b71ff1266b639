//! [`Connection`]: pyOpenSSL's `SSL.Connection`, over any `Read + Write`.
//!
//! The methods live by concern: [`io`] (handshake, send, recv, renegotiate),
//! [`shutdown`] (close_notify state machine), [`info`] (what was negotiated,
//! state), [`bio`] (the memory BIO) and `socket` (the socket calls, Unix).

mod accept;
mod bio;
mod guard;
mod info;
mod io;
mod negotiated;
mod ocsp;
mod overrides;
mod shutdown;
// Unix only for now: the option numbers and errnos come from libc, and no
// Windows build checks the `AsSocket` route.
#[cfg(unix)]
mod socket;

use std::any::Any;
use std::net::IpAddr;
use std::sync::Arc;

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, ServerConnection};

pub use accept::HelloConnection;

use super::info::InfoState;
use super::{Context, Error, Options};

bitflags::bitflags! {
    /// Which close_notify alerts have gone each way. pyOpenSSL's
    /// `SENT_SHUTDOWN` / `RECEIVED_SHUTDOWN`, same values.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct Shutdown: i32 {
        /// `SENT_SHUTDOWN` (1): we sent close_notify.
        #[doc(alias = "SENT_SHUTDOWN")]
        const SENT = 1;
        /// `RECEIVED_SHUTDOWN` (2): the peer's close_notify arrived.
        #[doc(alias = "RECEIVED_SHUTDOWN")]
        const RECEIVED = 2;
    }
}

/// How a connection failed, kept so that every later call reports it as
/// OpenSSL does once its state machine is in the error state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    /// This side hit a fatal TLS error (and sent its alert): later calls
    /// get `SysCall(-1, "Unexpected EOF")`.
    Local,
    /// The peer's fatal alert arrived (which also sets
    /// [`Shutdown::RECEIVED`]): later calls get `ZeroReturn`.
    AlertReceived,
}

impl Failure {
    fn error(self) -> Error {
        match self {
            Failure::Local => Error::unexpected_eof(),
            Failure::AlertReceived => Error::ZeroReturn,
        }
    }
}

/// A fatal error found in the same processing step as good application
/// data: OpenSSL reads one record per `SSL_read`, so the data comes out
/// first and the error with the call that finds nothing left. rustls
/// processes every buffered record at once; this keeps the data (taken
/// out of rustls) and the error until then.
#[derive(Debug)]
struct Deferred {
    /// Plaintext of the good records, not yet received.
    plaintext: Vec<u8>,
    /// The error to report once `plaintext` is empty.
    error: Error,
}

/// Why the last I/O call stopped: OpenSSL's `rwstate` behind `SSL_want`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    Read,
    Write,
}

/// A TLS connection over the stream `S`. pyOpenSSL `SSL.Connection`.
///
/// `Connection::new(&ctx, Memory::default())` is pyOpenSSL's
/// `Connection(ctx, None)`: ciphertext then moves with
/// [`bio_write`](Connection::bio_write)/[`bio_read`](Connection::bio_read).
/// Pick the side with [`set_connect_state`](Connection::set_connect_state) or
/// [`set_accept_state`](Connection::set_accept_state); the handshake runs on
/// [`do_handshake`](Connection::do_handshake) or implicitly on the first
/// `send`/`recv`.
///
/// Over a [`socket2::Socket`] the manual's socket flow works as in
/// pyOpenSSL: [`bind`](Connection::bind), [`listen`](Connection::listen),
/// [`accept`](Connection::accept) (a new connection in accept state) and
/// [`connect`](Connection::connect) (connect state); any socket-backed stream
/// (`TcpStream` too) has [`getpeername`](Connection::getpeername),
/// [`setblocking`](Connection::setblocking),
/// [`sock_shutdown`](Connection::sock_shutdown) and the other socket calls
/// (on Unix; the socket calls are not built on Windows yet).
///
/// Peer verification runs puressl's `X509StoreContext` over the context's
/// store, with its verify callback. When the client set a host name or an
/// IP address with [`set_tlsext_host_name`](Connection::set_tlsext_host_name),
/// the server's certificate must also match it, by the store's own check
/// ([`X509Store::set_host`](crate::crypto::X509Store::set_host) /
/// [`set_ip`](crate::crypto::X509Store::set_ip), OpenSSL's rules): a
/// mismatch reaches the callback as errnum 62
/// (`X509_V_ERR_HOSTNAME_MISMATCH`) or 64 (`X509_V_ERR_IP_ADDRESS_MISMATCH`),
/// depth 0, where OpenSSL reports it (after chain-building errors, before
/// the per-certificate calls); without it no name is checked, as in
/// pyOpenSSL.
#[doc(alias = "ConnectionType")]
pub struct Connection<S> {
    stream: S,
    /// The context snapshot: its cached rustls configurations are used
    /// when the side is chosen.
    context: Arc<Context>,
    tls: Option<rustls::Connection>,
    sni: Option<String>,
    /// The flags [`shutdown_state`](Connection::shutdown_state) reports
    /// (set by the alerts or by `set_shutdown`).
    shutdown: Shutdown,
    /// The alerts that really moved: close_notify written / read.
    closed: Shutdown,
    ignore_unexpected_eof: bool,
    app_data: Option<Box<dyn Any + Send + Sync>>,
    /// TLS bytes read from / written to the stream, for `state_string`.
    tls_in: u64,
    tls_out: u64,
    /// A fatal TLS error happened (here, or in an alert from the peer).
    failed: Option<Failure>,
    /// The error of a bad record processed together with good ones, held
    /// until `recv` has returned their data (see `io.rs`).
    deferred: Option<Deferred>,
    want: Option<Want>,
    info: InfoState,
    verify_result: i32,
    /// Plaintext rustls holds for `recv` (what [`pending`](Connection::pending)
    /// reports): set when records are processed, lowered by what `recv` takes.
    plaintext: usize,
    /// The verified chain, client random and TLS 1.2 master secret seen
    /// during the handshake (see `negotiated.rs`).
    observed: crate::ssl::observe::Observed,
    /// Record lengths checked before rustls sees them.
    guard: guard::RecordGuard,
    /// Ciphertext bytes [`bio_write`](Connection::bio_write) handed
    /// straight to rustls that no read step has processed yet (see
    /// `bio.rs`): the next step processes them instead of reading.
    fed: usize,
    /// A server whose context has ClientHello callbacks (server name,
    /// ALPN select) waits here for the ClientHello; `tls` is `None` until
    /// the callbacks have run (see `accept.rs`).
    accepting: Option<Box<accept::Accepting>>,
    /// OCSP stapling: whether this client asked for status, and the
    /// response this server staples (see `ocsp.rs`).
    ocsp: ocsp::OcspState,
}

impl<S> std::fmt::Debug for Connection<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field(
                "side",
                &self.tls.as_ref().map(|t| match t {
                    rustls::Connection::Client(_) => "client",
                    rustls::Connection::Server(_) => "server",
                }),
            )
            .field("shutdown", &self.shutdown)
            .finish_non_exhaustive()
    }
}

fn no_side() -> Error {
    Error::ssl("connection type not set (call set_connect_state or set_accept_state)")
}

impl<S: std::io::Read + std::io::Write> Connection<S> {
    /// A connection using `ctx`'s settings as they are now, over `stream`.
    /// pyOpenSSL `Connection(context, socket)`.
    ///
    /// The connection keeps a copy of `ctx` (see [`context`](Connection::context)):
    /// later changes to `ctx` do not reach it. The copy is cheap and shares
    /// `ctx`'s cached rustls configurations and session caches, so no
    /// configuration is rebuilt per connection and sessions resume.
    pub fn new(ctx: &Context, stream: S) -> Self {
        Self::with_context(Arc::new(ctx.clone()), stream)
    }

    /// [`new`](Connection::new) with a context shared with other connections.
    fn with_context(ctx: Arc<Context>, stream: S) -> Self {
        Connection {
            stream,
            ignore_unexpected_eof: ctx.options().contains(Options::IGNORE_UNEXPECTED_EOF),
            info: ctx.info_state(),
            verify_result: 0,
            plaintext: 0,
            context: ctx,
            tls: None,
            sni: None,
            shutdown: Shutdown::empty(),
            closed: Shutdown::empty(),
            app_data: None,
            tls_in: 0,
            tls_out: 0,
            failed: None,
            deferred: None,
            want: None,
            guard: guard::RecordGuard::default(),
            fed: 0,
            accepting: None,
            observed: Default::default(),
            ocsp: ocsp::OcspState::default(),
        }
    }

    /// Makes this the client side. pyOpenSSL `set_connect_state`.
    pub fn set_connect_state(&mut self) -> Result<(), Error> {
        if self.side_set() {
            return Err(Error::ssl("connection side already set"));
        }
        if self.sni.is_none() && self.context.requires_host_name() {
            return Err(Error::ssl(
                "this context verifies the server's name: call set_tlsext_host_name \
                 with the host name or IP address first",
            ));
        }
        let config = self.context.client_config()?;
        self.tls = Some(self.client(config)?.into());
        Ok(())
    }

    fn client(&self, config: Arc<ClientConfig>) -> Result<ClientConnection, Error> {
        let name = match &self.sni {
            Some(n) => ServerName::try_from(n.clone())
                .map_err(|_| Error::ssl(format!("invalid server name {n:?}")))?,
            None => ServerName::IpAddress(IpAddr::V4(crate::ssl::verify::NO_PEER).into()),
        };
        let offered = self.observed.offered.as_ref();
        Ok(crate::ssl::session_api::offering(offered, || {
            ClientConnection::new(config, name)
        })?)
    }

    /// Makes this the server side; fails if the context has no certificate
    /// and key. pyOpenSSL `set_accept_state`.
    ///
    /// When the context has a server-name, ALPN select or OCSP server
    /// callback, the
    /// connection first waits for the ClientHello, runs the callbacks
    /// (which may switch the context) and only then builds the rustls
    /// server connection from the context it ends up with.
    pub fn set_accept_state(&mut self) -> Result<(), Error> {
        if self.side_set() {
            return Err(Error::ssl("connection side already set"));
        }
        self.server_state()
    }

    /// The server side for the current context: waiting for the
    /// ClientHello when the context has ClientHello callbacks, else a
    /// rustls server connection right away.
    fn server_state(&mut self) -> Result<(), Error> {
        if self.context.has_hello_callbacks() {
            // Fail now, as without callbacks, when no server can be built.
            self.context.server_config()?;
            self.tls = None;
            self.accepting = Some(Box::default());
        } else {
            let config = self.context.server_config()?;
            self.tls = Some(ServerConnection::new(config)?.into());
            self.accepting = None;
        }
        Ok(())
    }

    /// `true` once a side is chosen.
    fn side_set(&self) -> bool {
        self.tls.is_some() || self.accepting.is_some()
    }

    /// `true` on the server side (once chosen).
    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    pub(crate) fn is_server(&self) -> bool {
        matches!(self.tls, Some(rustls::Connection::Server(_))) || self.accepting.is_some()
    }

    /// Sets the SNI host name the client sends, which the server's
    /// certificate must match (error 62 otherwise); call before
    /// `set_connect_state`. pyOpenSSL `set_tlsext_host_name`.
    ///
    /// An IP address (`127.0.0.1`, `::1`) is not sent as SNI (RFC 6066
    /// forbids it) but checked against the certificate's iPAddress
    /// subjectAltNames (error 64, `X509_V_ERR_IP_ADDRESS_MISMATCH`, as
    /// `SSL_set1_host` / `X509_VERIFY_PARAM_set1_ip` do in OpenSSL).
    /// `0.0.0.0` is refused: it names no peer. The name is a `&str` or, as
    /// pyOpenSSL takes it, bytes.
    ///
    /// ```
    /// use puressl::ssl::{Connection, Context, Memory, Method};
    /// let ctx = Context::new(Method::Tls).unwrap();
    /// let mut conn = Connection::new(&ctx, Memory::default());
    /// conn.set_tlsext_host_name("example.com").unwrap();
    /// conn.set_tlsext_host_name(b"example.org").unwrap();
    /// ```
    #[doc(alias = "set1_host")]
    pub fn set_tlsext_host_name(&mut self, name: impl AsRef<[u8]>) -> Result<(), Error> {
        let name = name.as_ref();
        if self.side_set() {
            return Err(Error::ssl(
                "set_tlsext_host_name must come before set_connect_state",
            ));
        }
        let text =
            std::str::from_utf8(name).map_err(|_| Error::ssl("server name is not valid UTF-8"))?;
        let parsed = ServerName::try_from(text.to_string())
            .map_err(|_| Error::ssl(format!("invalid server name {text:?}")))?;
        if parsed == ServerName::IpAddress(IpAddr::V4(crate::ssl::verify::NO_PEER).into()) {
            return Err(Error::ssl(format!(
                "invalid server name {text:?}: the unspecified address names no peer"
            )));
        }
        self.sni = Some(text.to_string());
        Ok(())
    }

    /// The SNI name: the one the client sent (server side) or set (client
    /// side). pyOpenSSL `get_servername`.
    #[doc(alias = "get_servername")]
    pub fn servername(&self) -> Option<String> {
        match (&self.tls, &self.accepting) {
            (Some(rustls::Connection::Server(s)), _) => s.server_name().map(str::to_string),
            (None, Some(a)) => a.servername().map(str::to_string),
            _ => self.sni.clone(),
        }
    }

    /// The context this connection uses: a copy of the one given to
    /// [`new`](Connection::new) (or [`set_context`](Connection::set_context))
    /// as it was then. pyOpenSSL `get_context`.
    #[doc(alias = "get_context")]
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// Switches to `ctx`'s settings (certificate, verification, versions,
    /// suites, ALPN, options, info callback, session caches), using its
    /// cached rustls configurations. pyOpenSSL `set_context`.
    ///
    /// OpenSSL allows this at any time but a started handshake keeps most of
    /// the old settings; rustls fixes its configuration when the connection
    /// is created, so here the switch is allowed only while no TLS byte has
    /// moved (before the side is chosen, or right after it, as in a freshly
    /// [`accept`](Connection::accept)ed connection), and on a server inside
    /// the server-name callback
    /// ([`Context::set_tlsext_servername_callback`]): the rustls server
    /// connection is built after that callback, from the context it leaves
    /// (virtual hosting: each name its own certificate, key, verification
    /// and ALPN setup). Later it is an error and the old context stays.
    ///
    /// ```
    /// use puressl::ssl::{Connection, Context, Memory, Method, Options};
    /// let ctx = Context::new(Method::Tls).unwrap();
    /// let mut other = Context::new(Method::TlsV1_2).unwrap();
    /// other.set_options(Options::NO_TICKET);
    /// let mut conn = Connection::new(&ctx, Memory::default());
    /// conn.set_connect_state().unwrap();
    /// conn.set_context(&other).unwrap();
    /// assert!(conn.context().options().contains(Options::NO_TICKET));
    /// ```
    pub fn set_context(&mut self, ctx: &Context) -> Result<(), Error> {
        self.check_settings_open("set_context")?;
        let old = std::mem::replace(&mut self.context, Arc::new(ctx.clone()));
        if let Err(e) = self.rebuild() {
            self.context = old;
            return Err(e);
        }
        self.ignore_unexpected_eof = self
            .context
            .options()
            .contains(Options::IGNORE_UNEXPECTED_EOF);
        self.info.set_callback_of(self.context.info_state());
        Ok(())
    }

    /// An error when the connection's settings can no longer change: the
    /// rustls connection exists and TLS bytes have moved. While a server
    /// waits for (or runs the callbacks of) the ClientHello, they can.
    fn check_settings_open(&self, what: &str) -> Result<(), Error> {
        if self.tls.is_some() && (self.tls_in > 0 || self.tls_out > 0) {
            return Err(Error::ssl(format!(
                "{what}: the handshake has started; rustls cannot change the settings of a running connection"
            )));
        }
        Ok(())
    }

    /// Rebuilds the rustls connection of the chosen side from the current
    /// context (nothing to do before a side is chosen, or while a server
    /// waits for the ClientHello: it builds from the context it ends with).
    fn rebuild(&mut self) -> Result<(), Error> {
        match &self.tls {
            None => Ok(()),
            Some(rustls::Connection::Client(_)) => {
                let client = self.client(self.context.client_config()?)?;
                self.tls = Some(client.into());
                Ok(())
            }
            Some(rustls::Connection::Server(_)) => self.server_state(),
        }
    }

    /// Attaches arbitrary data to this connection. pyOpenSSL `set_app_data`.
    ///
    /// ```
    /// use puressl::ssl::{Connection, Context, Memory, Method};
    /// let ctx = Context::new(Method::Tls).unwrap();
    /// let mut conn = Connection::new(&ctx, Memory::default());
    /// conn.set_app_data(String::from("client 7"));
    /// assert_eq!(conn.app_data::<String>().map(String::as_str), Some("client 7"));
    /// assert_eq!(conn.app_data::<u32>(), None);
    /// ```
    pub fn set_app_data<T: Any + Send + Sync>(&mut self, data: T) {
        self.app_data = Some(Box::new(data));
    }

    /// The attached data, if it is a `T`. pyOpenSSL `get_app_data`.
    #[doc(alias = "get_app_data")]
    pub fn app_data<T: Any + Send + Sync>(&self) -> Option<&T> {
        self.app_data.as_ref().and_then(|d| d.downcast_ref())
    }

    /// The stream. Reading or writing it directly corrupts the TLS session.
    pub fn get_ref(&self) -> &S {
        &self.stream
    }

    /// The stream, mutably. Reading or writing it directly corrupts the TLS
    /// session.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.stream
    }

    /// Gives the stream back, dropping the TLS state.
    pub fn into_inner(self) -> S {
        self.stream
    }

    /// Drops the connection and so closes the stream, without sending
    /// close_notify (call [`shutdown`](Connection::shutdown) first for a
    /// clean TLS close). pyOpenSSL `close`.
    pub fn close(self) {
        drop(self);
    }
}

impl<S: std::io::Read + std::io::Write> std::io::Read for Connection<S> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.recv(buf) {
            Ok(n) => Ok(n),
            Err(Error::ZeroReturn) => Ok(0),
            Err(e) => Err(e.into()),
        }
    }
}

impl<S: std::io::Read + std::io::Write> std::io::Write for Connection<S> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Ok(self.send(buf)?)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(self.flush_tls()?)
    }
}
