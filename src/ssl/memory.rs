//! [`Memory`]: the in-memory BIO pair of pyOpenSSL's `Connection(ctx, None)`.

use std::collections::VecDeque;
use std::io;

/// An in-memory transport: ciphertext from the peer goes in with
/// [`Connection::bio_write`](crate::ssl::Connection::bio_write), ciphertext for
/// the peer comes out with [`Connection::bio_read`](crate::ssl::Connection::bio_read).
///
/// `Connection::new(&ctx, Memory::default())` is pyOpenSSL's
/// `Connection(ctx, None)`. As a stream, reading an empty `Memory` is
/// `WouldBlock` (or `Ok(0)` after `bio_shutdown`) and writing appends.
#[derive(Debug, Default)]
pub struct Memory {
    incoming: VecDeque<u8>,
    outgoing: VecDeque<u8>,
    eof: bool,
}

impl Memory {
    pub(crate) fn push_incoming(&mut self, data: &[u8]) {
        self.incoming.extend(data);
    }

    pub(crate) fn take_outgoing(&mut self, n: usize) -> Vec<u8> {
        let n = n.min(self.outgoing.len());
        self.outgoing.drain(..n).collect()
    }

    pub(crate) fn outgoing_len(&self) -> usize {
        self.outgoing.len()
    }

    pub(crate) fn set_eof(&mut self) {
        self.eof = true;
    }
}

impl io::Read for Memory {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.incoming.is_empty() {
            if self.eof {
                return Ok(0);
            }
            return Err(io::ErrorKind::WouldBlock.into());
        }
        let n = buf.len().min(self.incoming.len());
        for (dst, src) in buf.iter_mut().zip(self.incoming.drain(..n)) {
            *dst = src;
        }
        Ok(n)
    }
}

impl io::Write for Memory {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.outgoing.extend(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
