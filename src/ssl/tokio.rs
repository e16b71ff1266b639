//! [`TlsStream`]: a [`Connection`] over tokio's `AsyncRead + AsyncWrite`
//! (the `tokio` feature).
//!
//! The `tokio` feature is all a program needs; it brings tokio's traits only
//! (no runtime), and the program's own tokio dependency brings the runtime.
//! The `tokio-runtime` feature (`tokio` plus tokio's runtime, TCP, io-util
//! and macros) exists for puressl's own tests and `examples/async_server`:
//! `cargo test --features tokio-runtime --test ssl tokio_stream::`.
//!
//! There is no second TLS state machine here: a `TlsStream` owns a
//! [`Connection<Memory>`] (pyOpenSSL's `Connection(ctx, None)`) and moves its
//! ciphertext between the memory BIO and the async stream. Each time the
//! connection answers [`Error::WantRead`], the stream first writes out all
//! the ciphertext the connection produced, then waits for the peer's bytes
//! and feeds them with [`bio_write`](Connection::bio_write); what the peer
//! sent is the only thing a TLS connection over memory ever waits for.
//! Everything the [`Context`] sets (verification, versions, suites, ALPN,
//! session caches, callbacks) applies as to a blocking `Connection`.
//!
//! A `TlsStream` may be split (`tokio::io::split`) into a reader and a
//! writer in two tasks: both halves are woken by the stream whichever of
//! them polled it last, and a reader that writes out the writer's pending
//! ciphertext wakes the writer.
//!
//! ```no_run
//! # #[cfg(feature = "tokio-runtime")] // tokio::net for the doctest
//! # async fn run(ctx: puressl::ssl::Context) -> Result<(), Box<dyn std::error::Error>> {
//! use puressl::ssl::tokio::TlsStream;
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//!
//! let tcp = tokio::net::TcpStream::connect("127.0.0.1:4433").await?;
//! let mut tls = TlsStream::connect(&ctx, Some("localhost"), tcp).await?;
//! println!("{:?} {:?}", tls.protocol_version_name(), tls.cipher_name());
//! tls.write_all(b"hello").await?;
//! tls.flush().await?;
//! let mut buf = [0u8; 5];
//! tls.read_exact(&mut buf).await?;
//! tls.shutdown().await?; // close_notify, then the stream's own shutdown
//! # Ok(()) }
//! ```

use std::future::poll_fn;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context as TaskContext, Poll, Waker};

use ::tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::{Connection, Context, Error, Memory, ProtoVersion, Shutdown};
use crate::crypto::X509;

mod wake;
use wake::{Half, Waiters};

/// How much ciphertext is read from the stream at a time: one TLS record
/// of the largest size with its header and AEAD expansion.
const READ_CHUNK: usize = 16 * 1024 + 5 + 256;

/// A TLS connection over an async stream `S` (a `tokio::net::TcpStream`,
/// a `tokio::io::DuplexStream`, …): pyOpenSSL's `SSL.Connection` for tokio.
///
/// Make one with [`connect`](TlsStream::connect) (client) or
/// [`accept`](TlsStream::accept) (server), which run the handshake, or wrap
/// a [`Connection<Memory>`] set up by hand with [`new`](TlsStream::new) and
/// run [`do_handshake`](TlsStream::do_handshake). Then read and write it
/// through [`AsyncRead`]/[`AsyncWrite`] (`tokio::io::AsyncReadExt` and
/// `AsyncWriteExt`): a read of 0 bytes is the peer's close_notify, a peer
/// that vanishes without it is an `UnexpectedEof` error (unless the context
/// has [`Options::IGNORE_UNEXPECTED_EOF`](crate::ssl::Options::IGNORE_UNEXPECTED_EOF)),
/// and `shutdown()` sends close_notify then shuts the stream down (it does
/// not wait for the peer's close_notify, which a read of 0 reports). Written
/// data may sit in a buffer until `flush()`.
///
/// The getters are those of [`Connection`], under the same names; the
/// whole connection is at [`connection`](TlsStream::connection).
pub struct TlsStream<S> {
    conn: Connection<Memory>,
    io: S,
    /// Ciphertext taken from the memory BIO; `out[out_pos..]` is not
    /// written to `io` yet.
    out: Vec<u8>,
    out_pos: usize,
    /// Scratch for the ciphertext read from `io`.
    scratch: Box<[u8]>,
    /// The handshake has finished (successfully).
    handshaken: bool,
    /// `poll_shutdown` has queued close_notify (or found nothing to send).
    closing: bool,
    /// The tasks of the last read and the last write (see `wake.rs`), and
    /// the waker that wakes both, which is the only one `io` is polled
    /// with.
    waiters: Arc<Waiters>,
    io_waker: Waker,
}

impl<S> std::fmt::Debug for TlsStream<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsStream")
            .field("connection", &self.conn)
            .field("handshaken", &self.handshaken)
            .finish_non_exhaustive()
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> TlsStream<S> {
    /// Wraps `conn`, whose side is already chosen
    /// ([`set_connect_state`](Connection::set_connect_state) or
    /// [`set_accept_state`](Connection::set_accept_state)), over `io`. The
    /// handshake runs on [`do_handshake`](TlsStream::do_handshake) or on the
    /// first read or write.
    ///
    /// Use this to set what [`connect`](TlsStream::connect) and
    /// [`accept`](TlsStream::accept) do not (a session to resume, app data,
    /// a context switch) before the handshake.
    pub fn new(conn: Connection<Memory>, io: S) -> Self {
        let waiters = Arc::new(Waiters::default());
        TlsStream {
            io_waker: Waker::from(Arc::clone(&waiters)),
            waiters,
            conn,
            io,
            out: Vec::new(),
            out_pos: 0,
            scratch: vec![0u8; READ_CHUNK].into_boxed_slice(),
            handshaken: false,
            closing: false,
        }
    }

    /// The client side over `io`, handshake done: `server_name` is sent as
    /// SNI and checked against the server's certificate, as with
    /// [`Connection::set_tlsext_host_name`] (a context with
    /// `check_hostname` set requires it).
    pub async fn connect(ctx: &Context, server_name: Option<&str>, io: S) -> Result<Self, Error> {
        let mut conn = Connection::new(ctx, Memory::default());
        if let Some(name) = server_name {
            conn.set_tlsext_host_name(name.as_bytes())?;
        }
        conn.set_connect_state()?;
        let mut stream = Self::new(conn, io);
        stream.do_handshake().await?;
        Ok(stream)
    }

    /// The server side over `io` (a stream just accepted), handshake done.
    /// `ctx` needs a certificate and key.
    pub async fn accept(ctx: &Context, io: S) -> Result<Self, Error> {
        let mut conn = Connection::new(ctx, Memory::default());
        conn.set_accept_state()?;
        let mut stream = Self::new(conn, io);
        stream.do_handshake().await?;
        Ok(stream)
    }

    /// Runs the handshake to completion (nothing to do once it has).
    /// pyOpenSSL `do_handshake`. Errors are [`Connection::do_handshake`]'s;
    /// the stream's own errors come as [`Error::SysCall`].
    pub async fn do_handshake(&mut self) -> Result<(), Error> {
        poll_fn(|cx| self.poll_handshake(cx)).await
    }

    /// [`do_handshake`](TlsStream::do_handshake) as a poll function.
    ///
    /// It returns once the handshake messages the peer waits for are
    /// written: a client's last flight, a TLS 1.2 server's. A TLS 1.3
    /// server's session tickets, which come after its handshake, are
    /// written as far as the stream takes them now, and the rest with the
    /// next read, write or flush (over a pipe too small for them, waiting
    /// would deadlock a peer that reads only after its own handshake).
    pub fn poll_handshake(&mut self, cx: &mut TaskContext<'_>) -> Poll<Result<(), Error>> {
        self.waiters.register(Half::Read, cx.waker());
        self.waiters.register(Half::Write, cx.waker());
        let waker = self.io_waker.clone();
        self.handshake_io(&mut TaskContext::from_waker(&waker))
    }

    /// [`poll_handshake`](TlsStream::poll_handshake) with `io`'s context.
    fn handshake_io(&mut self, cx: &mut TaskContext<'_>) -> Poll<Result<(), Error>> {
        loop {
            if self.handshaken {
                if self.conn.is_server()
                    && self.conn.protocol_version() == Some(ProtoVersion::Tls1_3)
                {
                    self.start_write_out(cx).map_err(io_error)?;
                    return Poll::Ready(Ok(()));
                }
                return self.poll_write_out(cx).map_err(io_error);
            }
            match self.conn.do_handshake() {
                Ok(()) => self.handshaken = true,
                Err(Error::WantRead) => {
                    self.start_write_out(cx).map_err(io_error)?;
                    ready!(self.poll_read_in(cx)).map_err(io_error)?;
                }
                // A memory BIO takes all: nothing to wait for but the flush.
                Err(Error::WantWrite) => ready!(self.poll_write_out(cx)).map_err(io_error)?,
                Err(e) => {
                    // Send the alert if the stream takes it now.
                    let _ = self.poll_write_out(cx);
                    return Poll::Ready(Err(e));
                }
            }
        }
    }

    /// Writes out all the ciphertext the connection has produced.
    fn poll_write_out(&mut self, cx: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        loop {
            if self.out_pos == self.out.len() {
                match self.conn.bio_read(usize::MAX) {
                    Ok(data) => {
                        self.out = data;
                        self.out_pos = 0;
                    }
                    Err(Error::WantRead) => return Poll::Ready(Ok(())),
                    Err(e) => return Poll::Ready(Err(e.into())),
                }
                continue;
            }
            let rest = self.out.get(self.out_pos..).unwrap_or_default();
            let n = ready!(Pin::new(&mut self.io).poll_write(cx, rest))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.out_pos += n;
            if self.out_pos == self.out.len() {
                self.out = Vec::new();
                self.out_pos = 0;
            }
        }
    }

    /// Writes what the stream takes now without waiting for the rest
    /// (which the next write, flush or wait for the peer sends); only an
    /// error of the stream stops the caller. A writer waiting for the
    /// ciphertext this writes out is woken when it is all out.
    fn start_write_out(&mut self, cx: &mut TaskContext<'_>) -> io::Result<()> {
        let waiting = self.out_pos < self.out.len();
        match self.poll_write_out(cx) {
            Poll::Ready(Err(e)) => Err(e),
            Poll::Ready(Ok(())) => {
                if waiting {
                    self.waiters.wake_half(Half::Write);
                }
                Ok(())
            }
            Poll::Pending => Ok(()),
        }
    }

    /// The context to poll `io` with, `cx`'s task being `half`'s.
    fn io_waker(&self, half: Half, cx: &TaskContext<'_>) -> Waker {
        self.waiters.register(half, cx.waker());
        self.io_waker.clone()
    }

    /// Reads the next ciphertext from the stream into the memory BIO (an
    /// end of stream marks the BIO's end too).
    fn poll_read_in(&mut self, cx: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        let mut buf = ReadBuf::new(&mut self.scratch);
        ready!(Pin::new(&mut self.io).poll_read(cx, &mut buf))?;
        if buf.filled().is_empty() {
            self.conn.bio_shutdown();
        } else {
            self.conn.bio_write(buf.filled())?;
        }
        Poll::Ready(Ok(()))
    }
}

/// An I/O error as the connection reports the stream's failures.
fn io_error(e: io::Error) -> Error {
    Error::from_io(e, Error::WantRead)
}

impl<S> TlsStream<S> {
    /// The TLS connection (its state, what was negotiated).
    pub fn connection(&self) -> &Connection<Memory> {
        &self.conn
    }

    /// The underlying stream. Reading or writing it directly breaks the
    /// TLS connection.
    pub fn get_ref(&self) -> &S {
        &self.io
    }

    /// The underlying stream, mutably (for socket options and the like).
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.io
    }

    /// The connection and the stream, taken apart. Ciphertext not yet
    /// written is lost.
    pub fn into_inner(self) -> (Connection<Memory>, S) {
        (self.conn, self.io)
    }

    /// The peer's certificate. pyOpenSSL `get_peer_certificate`.
    #[doc(alias = "get_peer_certificate")]
    pub fn peer_certificate(&self) -> Result<Option<X509>, Error> {
        self.conn.peer_certificate()
    }

    /// The chain the peer sent, leaf first. pyOpenSSL `get_peer_cert_chain`.
    #[doc(alias = "get_peer_cert_chain")]
    pub fn peer_cert_chain(&self) -> Result<Option<Vec<X509>>, Error> {
        self.conn.peer_cert_chain()
    }

    /// `"TLSv1.2"` or `"TLSv1.3"` once negotiated. pyOpenSSL
    /// `get_protocol_version_name`.
    #[doc(alias = "get_protocol_version_name")]
    pub fn protocol_version_name(&self) -> Option<&'static str> {
        self.conn.protocol_version_name()
    }

    /// The negotiated version. pyOpenSSL `get_protocol_version`.
    #[doc(alias = "get_protocol_version")]
    pub fn protocol_version(&self) -> Option<ProtoVersion> {
        self.conn.protocol_version()
    }

    /// OpenSSL's name of the negotiated suite. pyOpenSSL `get_cipher_name`.
    #[doc(alias = "get_cipher_name")]
    pub fn cipher_name(&self) -> Option<&'static str> {
        self.conn.cipher_name()
    }

    /// The negotiated suite's key size in bits. pyOpenSSL `get_cipher_bits`.
    #[doc(alias = "get_cipher_bits")]
    pub fn cipher_bits(&self) -> Option<u32> {
        self.conn.cipher_bits()
    }

    /// The protocol version that defined the suite. pyOpenSSL
    /// `get_cipher_version`.
    #[doc(alias = "get_cipher_version")]
    pub fn cipher_version(&self) -> Option<&'static str> {
        self.conn.cipher_version()
    }

    /// The SNI name (sent by the client; set, on the client side).
    /// pyOpenSSL `get_servername`.
    #[doc(alias = "get_servername")]
    pub fn servername(&self) -> Option<String> {
        self.conn.servername()
    }

    /// The ALPN protocol agreed on. pyOpenSSL `get_alpn_proto_negotiated`.
    #[doc(alias = "get_alpn_proto_negotiated")]
    pub fn alpn_proto_negotiated(&self) -> Option<Vec<u8>> {
        self.conn.alpn_proto_negotiated()
    }

    /// The verification result ([`X509VerifyError::OK`](crate::crypto::X509VerifyError::OK):
    /// ok). OpenSSL `SSL_get_verify_result`.
    #[doc(alias = "get_verify_result")]
    pub fn verify_result(&self) -> crate::crypto::X509VerifyError {
        self.conn.verify_result()
    }

    /// `true` when the handshake resumed a session. OpenSSL
    /// `SSL_session_reused`.
    #[doc(alias = "SSL_session_reused")]
    pub fn session_reused(&self) -> bool {
        self.conn.session_reused()
    }

    /// The close_notify flags. pyOpenSSL `get_shutdown`.
    #[doc(alias = "get_shutdown")]
    pub fn shutdown_state(&self) -> Shutdown {
        self.conn.shutdown_state()
    }

    /// The context the connection uses. pyOpenSSL `get_context`.
    #[doc(alias = "get_context")]
    pub fn context(&self) -> &Context {
        self.conn.context()
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for TlsStream<S> {
    /// Decrypted data; nothing read (`Ok` with `buf` unchanged) after the
    /// peer's close_notify. Handshakes first if needed.
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let waker = this.io_waker(Half::Read, cx);
        let cx = &mut TaskContext::from_waker(&waker);
        if !this.handshaken {
            ready!(this.handshake_io(cx))?;
        }
        if buf.remaining() == 0 {
            return Poll::Ready(Ok(()));
        }
        loop {
            match this.conn.recv(buf.initialize_unfilled()) {
                Ok(n) => {
                    buf.advance(n);
                    // Answers the record may have asked for (a KeyUpdate).
                    this.start_write_out(cx)?;
                    return Poll::Ready(Ok(()));
                }
                Err(Error::ZeroReturn) => return Poll::Ready(Ok(())),
                Err(Error::WantRead) => {
                    this.start_write_out(cx)?;
                    ready!(this.poll_read_in(cx))?;
                }
                Err(Error::WantWrite) => ready!(this.poll_write_out(cx))?,
                Err(e) => {
                    let _ = this.poll_write_out(cx);
                    return Poll::Ready(Err(e.into()));
                }
            }
        }
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for TlsStream<S> {
    /// Encrypts up to one record of `buf` (16,384 bytes); handshakes first
    /// if needed. At most one record waits unwritten: a call first writes
    /// out what earlier calls left.
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let waker = this.io_waker(Half::Write, cx);
        let cx = &mut TaskContext::from_waker(&waker);
        if !this.handshaken {
            ready!(this.handshake_io(cx))?;
        }
        ready!(this.poll_write_out(cx))?;
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        let n = this.conn.send(buf)?;
        // Start writing now; what the stream does not take waits for the
        // next write or flush.
        this.start_write_out(cx)?;
        Poll::Ready(Ok(n))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let waker = this.io_waker(Half::Write, cx);
        let cx = &mut TaskContext::from_waker(&waker);
        ready!(this.poll_write_out(cx))?;
        Pin::new(&mut this.io).poll_flush(cx)
    }

    /// Sends close_notify (after a finished handshake; once), writes it
    /// out, then shuts the stream down.
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let waker = this.io_waker(Half::Write, cx);
        let cx = &mut TaskContext::from_waker(&waker);
        if !this.closing {
            this.closing = true;
            if this.handshaken && !this.conn.shutdown_state().contains(Shutdown::SENT) {
                match this.conn.shutdown() {
                    Ok(_) | Err(Error::WantRead | Error::WantWrite) => {}
                    Err(e) => return Poll::Ready(Err(e.into())),
                }
            }
        }
        ready!(this.poll_write_out(cx))?;
        Pin::new(&mut this.io).poll_shutdown(cx)
    }
}
