//! The memory BIO of `Connection(ctx, None)`: `bio_read`, `bio_write`, `bio_shutdown`.
//!
//! Once the handshake is over, `bio_write` hands the caller's ciphertext
//! straight to rustls (through the record guard) instead of copying it into
//! [`Memory`] first: rustls copies it into its own record buffer in any
//! case, so this saves a copy of every byte received. It only buffers
//! there: nothing is decrypted or processed until the next `recv` or
//! `shutdown` reads (the connection's `fed` count tells that step to
//! process those bytes instead of reading), so errors, alerts,
//! tickets and close_notify surface where OpenSSL's memory BIO has them
//! surface, and [`pending`](Connection::pending) counts only what was
//! processed. What rustls does not take (it buffers one record at
//! most) goes to `Memory` behind it, in order.

use std::io::{self, Read};

use super::Connection;
use crate::ssl::{Error, Memory};

impl Connection<Memory> {
    /// Feeds ciphertext received from the peer; returns how many bytes were
    /// taken (all of them). pyOpenSSL `bio_write`.
    ///
    /// As with OpenSSL's memory BIO, nothing is processed here: what the
    /// bytes hold (data, alerts, errors) comes out of the next
    /// [`recv`](Connection::recv) or [`do_handshake`](Connection::do_handshake).
    pub fn bio_write(&mut self, data: &[u8]) -> Result<usize, Error> {
        let rest = self.feed(data);
        if !rest.is_empty() {
            self.stream.push_incoming(rest);
        }
        Ok(data.len())
    }

    /// Hands what rustls takes of `data` to it without processing it (see
    /// the module docs); the rest, for `Memory`. Only after the handshake
    /// (every record protected, no callback to run) and when nothing is
    /// queued in `Memory` (order).
    fn feed<'a>(&mut self, data: &'a [u8]) -> &'a [u8] {
        let Some(tls) = self.tls.as_mut() else {
            return data;
        };
        if self.failed.is_some() || tls.is_handshaking() || self.stream.incoming_queued() {
            return data;
        }
        let mut rest = Caller(data);
        while !rest.0.is_empty() {
            match self.guard.read_protected(tls, &mut rest) {
                Ok(n) if n > 0 => self.fed += n,
                // rustls's buffers are full (or the guard tripped: the
                // next step processes what it handed rustls).
                _ => break,
            }
        }
        rest.0
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

/// The caller's ciphertext as rustls reads it: `WouldBlock` once all of it
/// is read, never `Ok(0)`, which rustls would take for the end of the
/// stream (a record header cut at the end of `data` waits in the guard).
struct Caller<'a>(&'a [u8]);

impl Read for Caller<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.0.is_empty() {
            return Err(io::ErrorKind::WouldBlock.into());
        }
        self.0.read(buf)
    }
}
