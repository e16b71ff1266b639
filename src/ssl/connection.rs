//! [`Connection`]: pyOpenSSL's `SSL.Connection`, over any `Read + Write`.

use std::io::{self, BufRead, Read, Write};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, ServerConfig, ServerConnection};

use super::context::suite_name;
use super::info::InfoState;
use super::{Context, Error, Memory, Options};
use crate::crypto::X509;

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
/// Peer verification runs puressl's `X509StoreContext` over the context's
/// store, with its verify callback. When the client set a host name with
/// [`set_tlsext_host_name`](Connection::set_tlsext_host_name), the server's
/// certificate must also match it (a mismatch reaches the callback as
/// errnum 62, `X509_V_ERR_HOSTNAME_MISMATCH`, depth 0, where OpenSSL reports
/// it: after chain-building errors, before the per-certificate calls);
/// without it no name is checked, as in pyOpenSSL.
pub struct Connection<S> {
    stream: S,
    client_config: Option<Result<Arc<ClientConfig>, Error>>,
    server_config: Option<Result<Arc<ServerConfig>, Error>>,
    tls: Option<rustls::Connection>,
    sni: Option<String>,
    shutdown: Shutdown,
    ignore_unexpected_eof: bool,
    info: InfoState,
    verify_result: i32,
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

impl<S: Read + Write> Connection<S> {
    /// A connection using `ctx`'s settings as they are now, over `stream`.
    /// pyOpenSSL `Connection(context, socket)`.
    pub fn new(ctx: &Context, stream: S) -> Self {
        Connection {
            stream,
            client_config: Some(ctx.client_config()),
            server_config: Some(ctx.server_config()),
            tls: None,
            sni: None,
            shutdown: Shutdown::empty(),
            ignore_unexpected_eof: ctx.options().contains(Options::IGNORE_UNEXPECTED_EOF),
            info: ctx.info_state(),
            verify_result: 0,
        }
    }

    /// Makes this the client side. pyOpenSSL `set_connect_state`.
    pub fn set_connect_state(&mut self) -> Result<(), Error> {
        if self.tls.is_some() {
            return Err(Error::ssl("connection side already set"));
        }
        let config = self.client_config.take().ok_or_else(no_side)??;
        let name = match &self.sni {
            Some(n) => ServerName::try_from(n.clone())
                .map_err(|_| Error::ssl(format!("invalid server name {n:?}")))?,
            None => ServerName::IpAddress(IpAddr::V4(Ipv4Addr::UNSPECIFIED).into()),
        };
        self.tls = Some(ClientConnection::new(config, name)?.into());
        Ok(())
    }

    /// Makes this the server side; fails if the context has no certificate
    /// and key. pyOpenSSL `set_accept_state`.
    pub fn set_accept_state(&mut self) -> Result<(), Error> {
        if self.tls.is_some() {
            return Err(Error::ssl("connection side already set"));
        }
        let config = self.server_config.take().ok_or_else(no_side)??;
        self.tls = Some(ServerConnection::new(config)?.into());
        Ok(())
    }

    /// Sets the SNI host name the client sends; call before
    /// `set_connect_state`. pyOpenSSL `set_tlsext_host_name`.
    pub fn set_tlsext_host_name(&mut self, name: &[u8]) -> Result<(), Error> {
        if self.tls.is_some() {
            return Err(Error::ssl(
                "set_tlsext_host_name must come before set_connect_state",
            ));
        }
        let text =
            std::str::from_utf8(name).map_err(|_| Error::ssl("server name is not valid UTF-8"))?;
        ServerName::try_from(text.to_string())
            .map_err(|_| Error::ssl(format!("invalid server name {text:?}")))?;
        self.sni = Some(text.to_string());
        Ok(())
    }

    /// The SNI name: the one the client sent (server side) or set (client
    /// side). pyOpenSSL `get_servername`.
    #[doc(alias = "get_servername")]
    pub fn servername(&self) -> Option<String> {
        match &self.tls {
            Some(rustls::Connection::Server(s)) => s.server_name().map(str::to_string),
            _ => self.sni.clone(),
        }
    }

    fn tls(&mut self) -> Result<&mut rustls::Connection, Error> {
        self.tls.as_mut().ok_or_else(no_side)
    }

    /// Writes pending ciphertext to the stream.
    fn flush_tls(&mut self) -> Result<(), Error> {
        let Some(tls) = self.tls.as_mut() else {
            return Ok(());
        };
        while tls.wants_write() {
            match tls.write_tls(&mut self.stream) {
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Error::from_io(e, Error::WantWrite)),
            }
        }
        Ok(())
    }

    /// Reads ciphertext from the stream and processes it; `Ok(0)` at EOF.
    fn read_tls(&mut self) -> Result<usize, Error> {
        let tls = self.tls.as_mut().ok_or_else(no_side)?;
        let n = loop {
            match tls.read_tls(&mut self.stream) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Error::from_io(e, Error::WantRead)),
            }
        };
        match tls.process_new_packets() {
            Ok(state) => {
                if state.peer_has_closed() {
                    self.shutdown |= Shutdown::RECEIVED;
                    self.info
                        .close_notify_read(self.tls.as_ref(), self.sni.as_deref());
                }
                Ok(n)
            }
            Err(e) => {
                // Send the alert before reporting.
                let _ = self.flush_tls();
                self.info
                    .tls_error(self.tls.as_ref(), self.sni.as_deref(), &e);
                Err(e.into())
            }
        }
    }

    /// Runs the handshake to completion. pyOpenSSL `do_handshake`.
    pub fn do_handshake(&mut self) -> Result<(), Error> {
        self.info
            .handshake_start(self.tls.as_ref(), self.sni.as_deref());
        let (r, verified) = super::verify::capture(|| self.handshake_loop());
        if let Some(code) = verified {
            self.verify_result = code;
        }
        self.info
            .handshake_end(self.tls.as_ref(), self.sni.as_deref(), &r);
        r
    }

    fn handshake_loop(&mut self) -> Result<(), Error> {
        loop {
            self.flush_tls()?;
            if !self.tls()?.is_handshaking() {
                return Ok(());
            }
            if self.read_tls()? == 0 {
                return Err(Error::unexpected_eof());
            }
        }
    }

    /// Sends application data, handshaking first if needed; returns how
    /// many bytes were taken. pyOpenSSL `send` (`write`).
    #[doc(alias = "write")]
    pub fn send(&mut self, buf: &[u8]) -> Result<usize, Error> {
        if self.tls()?.is_handshaking() {
            self.do_handshake()?;
        }
        if self.shutdown.contains(Shutdown::SENT) {
            return Err(Error::ssl("protocol is shutdown"));
        }
        let n = self
            .tls()?
            .writer()
            .write(buf)
            .map_err(|e| Error::from_io(e, Error::WantWrite))?;
        match self.flush_tls() {
            // The data is queued; the next call flushes it.
            Err(Error::WantWrite) if n > 0 => Ok(n),
            r => r.map(|()| n),
        }
    }

    /// Sends all of `buf`. pyOpenSSL `sendall`.
    pub fn sendall(&mut self, buf: &[u8]) -> Result<(), Error> {
        let mut rest = buf;
        while !rest.is_empty() {
            let n = self.send(rest)?;
            rest = rest.get(n..).unwrap_or_default();
        }
        self.flush_tls()
    }

    /// Receives application data into `buf`, handshaking first if needed.
    /// `ZeroReturn` when the peer closed cleanly. pyOpenSSL `recv`
    /// (`recv_into`, `read`).
    #[doc(alias = "recv_into")]
    #[doc(alias = "read")]
    pub fn recv(&mut self, buf: &mut [u8]) -> Result<usize, Error> {
        self.recv_inner(buf, false)
    }

    /// Like [`recv`](Connection::recv), but the data stays queued for the
    /// next call. pyOpenSSL `recv(bufsiz, MSG_PEEK)`.
    #[doc(alias = "MSG_PEEK")]
    pub fn recv_peek(&mut self, buf: &mut [u8]) -> Result<usize, Error> {
        self.recv_inner(buf, true)
    }

    fn recv_inner(&mut self, buf: &mut [u8], peek: bool) -> Result<usize, Error> {
        if self.tls()?.is_handshaking() {
            self.do_handshake()?;
        }
        let mut eof = false;
        loop {
            let mut reader = self.tls()?.reader();
            let got = if peek {
                reader
                    .fill_buf()
                    .map(|chunk| buf.iter_mut().zip(chunk).map(|(d, s)| *d = *s).count())
            } else {
                reader.read(buf)
            };
            match got {
                Ok(0) if !buf.is_empty() => {
                    self.shutdown |= Shutdown::RECEIVED;
                    return Err(Error::ZeroReturn);
                }
                Ok(n) => return Ok(n),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock && !eof => {
                    eof = self.read_tls()? == 0;
                    self.flush_tls()?;
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::UnexpectedEof
                    ) =>
                {
                    return Err(if self.ignore_unexpected_eof {
                        // OP_IGNORE_UNEXPECTED_EOF: a bare EOF counts as a close.
                        self.shutdown |= Shutdown::RECEIVED;
                        Error::ZeroReturn
                    } else {
                        Error::unexpected_eof()
                    });
                }
                Err(e) => return Err(Error::from_io(e, Error::WantRead)),
            }
        }
    }

    /// Plaintext bytes readable without touching the stream. pyOpenSSL `pending`.
    pub fn pending(&mut self) -> usize {
        match self.tls.as_mut().map(|t| t.process_new_packets()) {
            Some(Ok(state)) => state.plaintext_bytes_to_read(),
            _ => 0,
        }
    }

    /// Closes the TLS layer, OpenSSL-style: the first call sends close_notify
    /// and returns whether the peer's close_notify had already arrived; later
    /// calls wait for it (`WantRead` when it has not come yet) and return
    /// `true`. pyOpenSSL `shutdown`.
    pub fn shutdown(&mut self) -> Result<bool, Error> {
        if !self.shutdown.contains(Shutdown::SENT) {
            self.tls()?.send_close_notify();
            self.shutdown |= Shutdown::SENT;
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
            // Application data still in flight is discarded, as OpenSSL does.
            let _ = io::copy(&mut self.tls()?.reader(), &mut io::sink());
            if n == 0 && !self.shutdown.contains(Shutdown::RECEIVED) {
                return Err(Error::unexpected_eof());
            }
        }
    }

    /// The close_notify state. pyOpenSSL `get_shutdown`.
    #[doc(alias = "get_shutdown")]
    pub fn shutdown_state(&self) -> Shutdown {
        self.shutdown
    }

    /// The peer's certificate, once received. pyOpenSSL `get_peer_certificate`.
    #[doc(alias = "get_peer_certificate")]
    pub fn peer_certificate(&self) -> Result<Option<X509>, Error> {
        let Some(certs) = self.tls.as_ref().and_then(|t| t.peer_certificates()) else {
            return Ok(None);
        };
        match certs.first() {
            Some(c) => Ok(Some(X509::from_der(c)?)),
            None => Ok(None),
        }
    }

    /// The certificates the peer sent, leaf first. pyOpenSSL `get_peer_cert_chain`.
    #[doc(alias = "get_peer_cert_chain")]
    pub fn peer_cert_chain(&self) -> Result<Option<Vec<X509>>, Error> {
        let Some(certs) = self.tls.as_ref().and_then(|t| t.peer_certificates()) else {
            return Ok(None);
        };
        let chain = certs
            .iter()
            .map(|c| X509::from_der(c))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(chain))
    }

    /// OpenSSL's name of the negotiated suite. pyOpenSSL `get_cipher_name`.
    #[doc(alias = "get_cipher_name")]
    pub fn cipher_name(&self) -> Option<&'static str> {
        self.tls
            .as_ref()
            .and_then(|t| t.negotiated_cipher_suite())
            .and_then(suite_name)
    }

    /// The negotiated suite's key size in bits. pyOpenSSL `get_cipher_bits`.
    #[doc(alias = "get_cipher_bits")]
    pub fn cipher_bits(&self) -> Option<u32> {
        self.cipher_name()
            .map(|n| if n.contains("128") { 128 } else { 256 })
    }

    /// `"TLSv1.2"` or `"TLSv1.3"` once negotiated.
    /// pyOpenSSL `get_protocol_version_name`.
    #[doc(alias = "get_protocol_version_name")]
    pub fn protocol_version_name(&self) -> Option<&'static str> {
        match self.tls.as_ref().and_then(|t| t.protocol_version()) {
            Some(rustls::ProtocolVersion::TLSv1_2) => Some("TLSv1.2"),
            Some(rustls::ProtocolVersion::TLSv1_3) => Some("TLSv1.3"),
            _ => None,
        }
    }

    /// The outcome of verifying the peer's certificate, as OpenSSL's
    /// `SSL_get_verify_result`: 0 (`X509_V_OK`, also before any
    /// verification and when the verify callback overrode the errors) or
    /// the `X509_V_ERR_*` code that stopped it. Under `VERIFY_NONE` the
    /// handshake goes on and this tells what verification found. A
    /// resumed handshake verifies nothing and leaves 0 (OpenSSL restores
    /// the value kept in the session instead).
    #[doc(alias = "SSL_get_verify_result")]
    pub fn verify_result(&self) -> i32 {
        self.verify_result
    }

    /// `true` when the handshake resumed a session (rustls
    /// `HandshakeKind::Resumed`). OpenSSL `SSL_session_reused`.
    #[doc(alias = "SSL_session_reused")]
    pub fn session_reused(&self) -> bool {
        self.tls.as_ref().and_then(|t| t.handshake_kind()) == Some(rustls::HandshakeKind::Resumed)
    }

    /// The ALPN protocol agreed on. pyOpenSSL `get_alpn_proto_negotiated`.
    #[doc(alias = "get_alpn_proto_negotiated")]
    pub fn alpn_proto_negotiated(&self) -> Option<Vec<u8>> {
        self.tls
            .as_ref()
            .and_then(|t| t.alpn_protocol())
            .map(<[u8]>::to_vec)
    }

    /// RFC 5705 / RFC 8446 §7.5 exporter. pyOpenSSL `export_keying_material`.
    pub fn export_keying_material(
        &self,
        label: &[u8],
        olen: usize,
        context: Option<&[u8]>,
    ) -> Result<Vec<u8>, Error> {
        let tls = self.tls.as_ref().ok_or_else(no_side)?;
        Ok(tls.export_keying_material(vec![0u8; olen], label, context)?)
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
}

impl Connection<Memory> {
    /// Feeds ciphertext received from the peer. pyOpenSSL `bio_write`.
    pub fn bio_write(&mut self, data: &[u8]) -> Result<usize, Error> {
        self.stream.push_incoming(data);
        Ok(data.len())
    }

    /// Takes up to `n` bytes of ciphertext for the peer; `WantRead` when
    /// there is none. pyOpenSSL `bio_read`.
    pub fn bio_read(&mut self, n: usize) -> Result<Vec<u8>, Error> {
        self.flush_tls()?;
        if self.stream.outgoing_len() == 0 {
            return Err(Error::WantRead);
        }
        Ok(self.stream.take_outgoing(n))
    }

    /// Marks the end of the incoming ciphertext. pyOpenSSL `bio_shutdown`.
    pub fn bio_shutdown(&mut self) {
        self.stream.set_eof();
    }
}

impl<S: Read + Write> Read for Connection<S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.recv(buf) {
            Ok(n) => Ok(n),
            Err(Error::ZeroReturn) => Ok(0),
            Err(e) => Err(e.into()),
        }
    }
}

impl<S: Read + Write> Write for Connection<S> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Ok(self.send(buf)?)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(self.flush_tls()?)
    }
}
