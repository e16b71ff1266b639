//! Moving data: handshake, send, recv, pending, renegotiate (KeyUpdate).

use std::io::{self, BufRead, Read, Write};

use super::{no_side, Connection, Deferred, Failure, Shutdown, Want};
use crate::ssl::error::ErrorStack;
use crate::ssl::Error;

/// The most plaintext one TLS record carries (2^14 bytes): what one
/// [`send`](Connection::send) takes, as OpenSSL's partial-write mode
/// (pyOpenSSL's default) writes one record per call.
const MAX_RECORD: usize = 16_384;

impl<S: Read + Write> Connection<S> {
    pub(super) fn tls(&mut self) -> Result<&mut rustls::Connection, Error> {
        self.tls.as_mut().ok_or_else(no_side)
    }

    /// Records why a public I/O call stopped, as OpenSSL's `rwstate` does
    /// (cleared by a call that did not stop on `WantRead`/`WantWrite`).
    pub(super) fn track<T>(&mut self, r: Result<T, Error>) -> Result<T, Error> {
        self.want = match &r {
            Err(Error::WantRead) => Some(Want::Read),
            Err(Error::WantWrite) => Some(Want::Write),
            _ => None,
        };
        r
    }

    /// Runs one public I/O call: after a fatal error (see [`Failure`]) it
    /// fails at once with the error OpenSSL reports from then on, never
    /// `WantRead`; its outcome sets `want` as [`track`](Connection::track).
    fn guarded<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, Error>) -> Result<T, Error> {
        // A held error (see `Deferred`) is reported once, by the first call
        // that does not receive held data.
        if let Some(held) = self.deferred.take_if(|d| d.plaintext.is_empty()) {
            return self.track(Err(held.error));
        }
        let r = match self.failed {
            Some(failure) => Err(failure.error()),
            None => f(self),
        };
        self.track(r)
    }

    /// [`guarded`](Self::guarded) for `recv`: plaintext processed before a
    /// fatal error is received first.
    fn guarded_recv(&mut self, buf: &mut [u8], peek: bool) -> Result<usize, Error> {
        match self.deferred.as_mut() {
            Some(held) if !held.plaintext.is_empty() => {
                let n = buf.len().min(held.plaintext.len());
                buf[..n].copy_from_slice(&held.plaintext[..n]);
                if !peek {
                    held.plaintext.drain(..n);
                }
                self.track(Ok(n))
            }
            _ => self.guarded(|c| c.recv_inner(buf, peek)),
        }
    }

    /// After a fatal error in a read step: when good records of that step
    /// left plaintext in rustls, takes it out and holds the error behind
    /// it (see `Deferred`), returning `Ok`; otherwise the error.
    fn defer_behind_plaintext(&mut self, e: Error) -> Result<(), Error> {
        let mut plaintext = Vec::new();
        if let Some(tls) = self.tls.as_mut() {
            // Stops at WouldBlock (or the end) with what it read appended.
            let _ = tls.reader().read_to_end(&mut plaintext);
        }
        if plaintext.is_empty() {
            return Err(e);
        }
        self.deferred = Some(Deferred {
            plaintext,
            error: e,
        });
        Ok(())
    }

    /// Writes pending ciphertext to the stream.
    pub(super) fn flush_tls(&mut self) -> Result<(), Error> {
        let Some(tls) = self.tls.as_mut() else {
            return Ok(());
        };
        while tls.wants_write() {
            match tls.write_tls(&mut self.stream) {
                Ok(n) => self.tls_out += n as u64,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Error::from_io(e, Error::WantWrite)),
            }
        }
        Ok(())
    }

    /// Reads ciphertext from the stream and processes it; `Ok(0)` at EOF.
    /// What rustls reveals meanwhile (a session filed, a verified chain)
    /// is kept (see `negotiated.rs`).
    pub(super) fn read_tls(&mut self) -> Result<usize, Error> {
        let (requested, staple) = (self.ocsp.requested, self.ocsp.staple.clone());
        let ((r, seen), ocsp_failure) = crate::ssl::context::ocsp_scope(requested, staple, || {
            crate::ssl::observe::capture(|| self.read_tls_step())
        });
        self.observed(seen);
        match (r, ocsp_failure) {
            // The client's OCSP callback failed the handshake: its error.
            (Err(_), Some(e)) => Err(e),
            (r, _) => r,
        }
    }

    fn read_tls_step(&mut self) -> Result<usize, Error> {
        if self.tls.is_none() && self.accepting.is_some() {
            return self.read_hello();
        }
        // What `bio_write` handed rustls is processed first, instead of a read.
        let n = match std::mem::take(&mut self.fed) {
            0 => self.read_guarded()?,
            fed => fed,
        };
        let tls = self.tls.as_mut().ok_or_else(no_side)?;
        self.tls_in += n as u64;
        match tls.process_new_packets() {
            Ok(state) => {
                self.plaintext = state.plaintext_bytes_to_read();
                if state.peer_has_closed() {
                    self.shutdown |= Shutdown::RECEIVED;
                    self.closed |= Shutdown::RECEIVED;
                    self.info
                        .close_notify_read(self.tls.as_ref(), self.sni.as_deref());
                }
                Ok(n)
            }
            Err(e) => {
                let e =
                    super::guard::after_error(tls, &e, self.tls_out, &mut self.stream).unwrap_or(e);
                self.failed = Some(match e {
                    rustls::Error::AlertReceived(_) => {
                        // OpenSSL marks a fatal alert as the peer's last word.
                        self.shutdown |= Shutdown::RECEIVED;
                        Failure::AlertReceived
                    }
                    _ => Failure::Local,
                });
                // Send the alert before reporting.
                let _ = self.flush_tls();
                self.info
                    .tls_error(self.tls.as_ref(), self.sni.as_deref(), &e);
                let refused = match &e {
                    rustls::Error::InvalidCertificate(_) => true,
                    rustls::Error::General(m) => m.starts_with(crate::ssl::verify::REFUSED),
                    _ => false,
                };
                match crate::ssl::verify::recorded() {
                    Some(code) if refused && code != 0 => {
                        Err(Error::Ssl(ErrorStack::verify_failed(code, e)))
                    }
                    _ => Err(e.into()),
                }
            }
        }
    }

    /// Runs the handshake to completion; after
    /// [`renegotiate`](Connection::renegotiate) it sends the KeyUpdate.
    /// pyOpenSSL `do_handshake`.
    ///
    /// A fatal error is reported once as [`Error::Ssl`] (the rustls error,
    /// or the peer's alert, is its `source`); from then on every
    /// `do_handshake`, `send`, `sendall`, `recv` and `recv_peek` fails at
    /// once, as in OpenSSL: with `SysCall(-1, "Unexpected EOF")` on the
    /// side that failed and sent the alert, with `ZeroReturn` on the side
    /// that read the peer's fatal alert (its
    /// [`shutdown_state`](Connection::shutdown_state) then has
    /// [`Shutdown::RECEIVED`]). [`shutdown`](Connection::shutdown) fails
    /// with "shutdown while in init" and
    /// [`renegotiate`](Connection::renegotiate) with an error, and
    /// [`state_string`](Connection::state_string) is `"error"`.
    pub fn do_handshake(&mut self) -> Result<(), Error> {
        self.guarded(Self::handshake)
    }

    /// The handshake as `do_handshake`, `send` and `recv` run it: the info
    /// callback's start/end events around it, and what the verifier found
    /// kept for [`verify_result`](Connection::verify_result).
    fn handshake(&mut self) -> Result<(), Error> {
        self.info
            .handshake_start(self.tls.as_ref(), self.sni.as_deref());
        let ((r, verified), seen) =
            crate::ssl::observe::capture(|| crate::ssl::verify::capture(|| self.handshake_loop()));
        if let Some(code) = verified {
            self.verify_result = code;
        }
        self.observed(seen);
        self.info
            .handshake_end(self.tls.as_ref(), self.sni.as_deref(), &r);
        r
    }

    fn handshake_loop(&mut self) -> Result<(), Error> {
        loop {
            self.flush_tls()?;
            if !self.handshaking()? {
                return Ok(());
            }
            if self.read_tls()? == 0 {
                return Err(Error::unexpected_eof());
            }
        }
    }

    /// Sends application data, handshaking first if needed; returns how
    /// many bytes were taken: at most one record's worth (16,384 bytes),
    /// as pyOpenSSL's partial-write mode does, so send the rest with
    /// further calls (or use [`sendall`](Connection::sendall)).
    /// pyOpenSSL `send` (`write`).
    #[doc(alias = "write")]
    pub fn send(&mut self, buf: &[u8]) -> Result<usize, Error> {
        self.guarded(|c| c.send_inner(buf))
    }

    fn send_inner(&mut self, buf: &[u8]) -> Result<usize, Error> {
        let buf = buf.get(..MAX_RECORD).unwrap_or(buf);
        if self.handshaking()? {
            self.handshake()?;
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

    /// Sends all of `buf`, one record after the other; returns how many
    /// bytes were written (all of them). pyOpenSSL `sendall`.
    pub fn sendall(&mut self, buf: &[u8]) -> Result<usize, Error> {
        self.guarded(|c| {
            let mut rest = buf;
            while !rest.is_empty() {
                let n = c.send_inner(rest)?;
                rest = rest.get(n..).unwrap_or_default();
            }
            c.flush_tls().map(|()| buf.len())
        })
    }

    /// Receives application data into `buf`, handshaking first if needed.
    /// `ZeroReturn` when the peer closed cleanly (or
    /// [`set_shutdown`](Connection::set_shutdown) marked it so) and nothing
    /// is buffered. pyOpenSSL `recv` (`recv_into`, `read`).
    ///
    /// An empty `buf` asks whether data is there: `WantRead` when nothing
    /// is buffered (pyOpenSSL's `recv(0)`), `ZeroReturn` after the peer's
    /// close_notify, `Ok(0)` when plaintext waits (where pyOpenSSL raises
    /// `SysCallError(-1)`, an artefact of `SSL_read` returning 0).
    #[doc(alias = "recv_into")]
    #[doc(alias = "read")]
    pub fn recv(&mut self, buf: &mut [u8]) -> Result<usize, Error> {
        self.guarded_recv(buf, false)
    }

    /// Like [`recv`](Connection::recv), but the data stays queued for the
    /// next call. pyOpenSSL `recv(bufsiz, MSG_PEEK)`.
    #[doc(alias = "MSG_PEEK")]
    pub fn recv_peek(&mut self, buf: &mut [u8]) -> Result<usize, Error> {
        self.guarded_recv(buf, true)
    }

    fn recv_inner(&mut self, buf: &mut [u8], peek: bool) -> Result<usize, Error> {
        if self.handshaking()? {
            self.handshake()?;
        }
        let mut eof = false;
        loop {
            let mut reader = self.tls()?.reader();
            // `None`: the peer closed and everything was read.
            let got = if peek || buf.is_empty() {
                reader.fill_buf().map(|chunk| {
                    (!chunk.is_empty())
                        .then(|| buf.iter_mut().zip(chunk).map(|(d, s)| *d = *s).count())
                })
            } else {
                reader.read(buf).map(|n| (n > 0).then_some(n))
            };
            match got {
                Ok(None) => {
                    self.shutdown |= Shutdown::RECEIVED;
                    return Err(Error::ZeroReturn);
                }
                Ok(Some(n)) => {
                    if !peek {
                        self.plaintext = self.plaintext.saturating_sub(n);
                    }
                    return Ok(n);
                }
                // OpenSSL: RECEIVED_SHUTDOWN set (by the alert or by
                // set_shutdown) and nothing buffered reads as a close.
                Err(e)
                    if e.kind() == io::ErrorKind::WouldBlock
                        && self.shutdown.contains(Shutdown::RECEIVED) =>
                {
                    return Err(Error::ZeroReturn);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock && !eof => {
                    match self.read_tls() {
                        Ok(n) => eof = n == 0,
                        // Good records before the bad one: their data first.
                        Err(e) => {
                            self.defer_behind_plaintext(e)?;
                            return self.guarded_recv(buf, peek);
                        }
                    }
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

    /// Plaintext bytes readable without touching the stream: what `recv`
    /// returns before it would read more records. pyOpenSSL `pending`.
    ///
    /// The count is kept as records are processed and data is received, so
    /// this takes `&self`; it is 0 before a side is chosen and after a fatal
    /// error (but for plaintext of good records processed with the bad one,
    /// which `recv` still returns).
    pub fn pending(&self) -> usize {
        match (&self.tls, self.failed, &self.deferred) {
            (Some(_), None, _) => self.plaintext,
            (Some(_), Some(_), Some(held)) => held.plaintext.len(),
            _ => 0,
        }
    }

    /// Renews the session keys. pyOpenSSL `renegotiate`.
    ///
    /// On TLS 1.3 this sends a KeyUpdate asking the peer to update too
    /// (RFC 8446 §4.6.3): both directions get fresh traffic keys and the data
    /// keeps flowing. It is queued and written now if the stream takes it
    /// (otherwise by the next `send`/`recv`/`do_handshake`); the peer's own
    /// KeyUpdate comes with its next record.
    ///
    /// TLS 1.2 renegotiation is refused with an error (rustls does not
    /// implement it, deliberately), and so is a call before the handshake
    /// has finished.
    ///
    /// ```
    /// use puressl::ssl::{Connection, Context, Memory, Method};
    /// let ctx = Context::new(Method::Tls).unwrap();
    /// let mut conn = Connection::new(&ctx, Memory::default());
    /// conn.set_connect_state().unwrap();
    /// let err = conn.renegotiate().unwrap_err();
    /// assert!(err.to_string().contains("handshake has not finished"));
    /// ```
    pub fn renegotiate(&mut self) -> Result<(), Error> {
        if self.failed.is_some() {
            return Err(Error::ssl(
                "renegotiate: the connection failed (fatal TLS error or alert)",
            ));
        }
        let sent_close = self.shutdown.contains(Shutdown::SENT);
        let tls = self.tls()?;
        if tls.is_handshaking() {
            return Err(Error::ssl("renegotiate: the handshake has not finished"));
        }
        match tls.protocol_version() {
            Some(rustls::ProtocolVersion::TLSv1_3) => {}
            _ => {
                return Err(Error::ssl(
                    "renegotiate: TLS 1.2 renegotiation is not supported (rustls refuses it); \
                     on TLS 1.3 this sends a KeyUpdate",
                ))
            }
        }
        if sent_close {
            return Err(Error::ssl("protocol is shutdown"));
        }
        tls.refresh_traffic_keys()?;
        match self.flush_tls() {
            Err(Error::WantWrite) | Ok(()) => Ok(()),
            Err(e) => Err(e),
        }
    }
}
