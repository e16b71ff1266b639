//! [`Memory`]: the in-memory BIO pair of pyOpenSSL's `Connection(ctx, None)`.

use std::io;

/// An in-memory transport: ciphertext from the peer goes in with
/// [`Connection::bio_write`](crate::ssl::Connection::bio_write), ciphertext for
/// the peer comes out with [`Connection::bio_read`](crate::ssl::Connection::bio_read).
///
/// `Connection::new(&ctx, Memory::default())` is pyOpenSSL's
/// `Connection(ctx, None)`. As a stream, reading an empty `Memory` is
/// `WouldBlock` (or `Ok(0)` after `bio_shutdown`) and writing appends.
///
/// Both directions are contiguous buffers moved with bulk copies: what
/// rustls writes is appended in one copy and handed to `bio_read` without
/// another when it takes everything; what `bio_write` gives is copied once
/// and read out by slices. An emptied buffer gives its memory back, so an
/// idle connection holds none.
#[derive(Debug, Default)]
pub struct Memory {
    /// Ciphertext from the peer; `incoming[read..]` is not read yet.
    incoming: Vec<u8>,
    read: usize,
    /// Ciphertext for the peer; `outgoing[taken..]` is not taken yet.
    outgoing: Vec<u8>,
    taken: usize,
    eof: bool,
}

impl Memory {
    pub(crate) fn push_incoming(&mut self, data: &[u8]) {
        if self.read > 0 && self.read >= self.incoming.len() / 2 {
            // Most of the buffer is read: drop that part (one move of
            // what is left) rather than grow.
            self.incoming.drain(..self.read);
            self.read = 0;
        }
        self.incoming.extend_from_slice(data);
    }

    /// Up to `n` bytes of ciphertext for the peer, in one copy at most (none
    /// when all of it is taken).
    pub(crate) fn take_outgoing(&mut self, n: usize) -> Vec<u8> {
        let avail = self.outgoing.len() - self.taken;
        if n >= avail && self.taken == 0 {
            return std::mem::take(&mut self.outgoing);
        }
        let n = n.min(avail);
        let out = self.outgoing[self.taken..self.taken + n].to_vec();
        self.taken += n;
        if self.taken == self.outgoing.len() {
            self.outgoing = Vec::new();
            self.taken = 0;
        }
        out
    }

    /// `true` when ciphertext from the peer waits here, or its end was
    /// marked: new ciphertext must then queue behind it.
    pub(crate) fn incoming_queued(&self) -> bool {
        self.read < self.incoming.len() || self.eof
    }

    pub(crate) fn outgoing_len(&self) -> usize {
        self.outgoing.len() - self.taken
    }

    pub(crate) fn set_eof(&mut self) {
        self.eof = true;
    }
}

impl io::Read for Memory {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = &self.incoming[self.read..];
        if avail.is_empty() {
            if self.eof {
                return Ok(0);
            }
            return Err(io::ErrorKind::WouldBlock.into());
        }
        let n = buf.len().min(avail.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.read += n;
        if self.read == self.incoming.len() {
            self.incoming = Vec::new();
            self.read = 0;
        }
        Ok(n)
    }
}

impl io::Write for Memory {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.outgoing.extend_from_slice(buf);
        Ok(buf.len())
    }

    /// Appends all the slices, with one allocation for all of them (rustls
    /// writes its queued records this way).
    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        let total = bufs.iter().map(|b| b.len()).sum();
        self.outgoing.reserve(total);
        for b in bufs {
            self.outgoing.extend_from_slice(b);
        }
        Ok(total)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::io::{IoSlice, Read, Write};

    use super::Memory;

    #[test]
    fn bytes_come_out_in_order_whatever_the_chunking() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7 + i / 251) as u8).collect();
        let mut m = Memory::default();
        let mut got = Vec::new();
        let mut buf = [0u8; 4093];
        for (i, chunk) in data.chunks(1 + 3 * 4093 / 2).enumerate() {
            m.push_incoming(chunk);
            // Read some, not all: later pushes land behind unread bytes.
            for _ in 0..(i % 3) {
                if let Ok(n) = m.read(&mut buf) {
                    got.extend_from_slice(&buf[..n]);
                }
            }
        }
        while let Ok(n) = m.read(&mut buf) {
            got.extend_from_slice(&buf[..n]);
        }
        assert_eq!(got, data);
        assert_eq!(
            m.read(&mut buf).unwrap_err().kind(),
            std::io::ErrorKind::WouldBlock
        );
        // Emptied: no memory kept.
        assert_eq!(m.incoming.capacity(), 0);
        m.set_eof();
        assert_eq!(m.read(&mut buf).unwrap(), 0);

        let (mut out, mut written) = (Vec::new(), 0);
        for (i, chunk) in data.chunks(10_007).enumerate() {
            if i % 2 == 0 {
                m.write_all(chunk).unwrap();
            } else {
                let (a, b) = chunk.split_at(chunk.len() / 3);
                let n = m
                    .write_vectored(&[IoSlice::new(a), IoSlice::new(b)])
                    .unwrap();
                assert_eq!(n, chunk.len());
            }
            written += chunk.len();
            out.extend(m.take_outgoing(if i % 3 == 0 { 5_000 } else { usize::MAX }));
            assert_eq!(m.outgoing_len(), written - out.len());
        }
        while m.outgoing_len() > 0 {
            out.extend(m.take_outgoing(3_000));
        }
        assert_eq!(out, data);
        assert_eq!(m.outgoing.capacity(), 0);
        assert!(m.take_outgoing(10).is_empty());
    }
}
