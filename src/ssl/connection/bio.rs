//! The memory BIO of `Connection(ctx, None)`: `bio_read`, `bio_write`, `bio_shutdown`.

use super::Connection;
use crate::ssl::{Error, Memory};

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
