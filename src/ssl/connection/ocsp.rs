//! OCSP stapling on a connection: the client's `request_ocsp`, and the
//! server's call of the OCSP callback at ClientHello time (see
//! `context/ocsp.rs` for how both reach rustls).
//!
//! rustls does not tell a server whether the ClientHello asked for
//! certificate status, and OpenSSL calls the server callback only when it
//! did; so the server reads the `status_request` extension itself from
//! the ClientHello bytes its `Acceptor` consumed ([`asks_for_status`]).

use std::io::{Read, Write};
use std::sync::Arc;

use super::{accept::HelloConnection, Connection};
use crate::ssl::Error;

/// The per-connection OCSP state.
#[derive(Debug, Default)]
pub(super) struct OcspState {
    /// A client that called `request_ocsp`.
    pub(super) requested: bool,
    /// The response this server staples (from its OCSP callback).
    pub(super) staple: Option<Arc<[u8]>>,
}

/// The most ClientHello bytes a server keeps to look for `status_request`:
/// rustls's limit on a handshake message (64 KiB) plus record headers.
pub(super) const HELLO_COPY_LIMIT: usize = (1 << 16) + 4 + 5 * 8;

/// Handshake record content type, ClientHello message type.
const HANDSHAKE: u8 = 22;
const CLIENT_HELLO: u8 = 1;
/// The `status_request` extension (RFC 6066 §8) and its OCSP status type.
const STATUS_REQUEST: u16 = 5;
const STATUS_TYPE_OCSP: u8 = 1;

/// A cursor over the ClientHello body; `None` when it runs out.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_be_bytes([b[0], b[1]]))
    }

    /// A vector with a `len`-byte length prefix.
    fn vec(&mut self, len: usize) -> Option<&'a [u8]> {
        let n = match len {
            1 => usize::from(self.u8()?),
            _ => usize::from(self.u16()?),
        };
        self.take(n)
    }
}

/// The handshake message at the start of the plaintext records `raw`
/// (fragments joined), if complete.
fn first_handshake_message(raw: &[u8]) -> Option<Vec<u8>> {
    let mut records = Cursor(raw);
    let mut joined = Vec::new();
    loop {
        if joined.len() >= 4 {
            let len =
                usize::from(joined[1]) << 16 | usize::from(joined[2]) << 8 | usize::from(joined[3]);
            if joined.len() >= 4 + len {
                joined.truncate(4 + len);
                return Some(joined);
            }
        }
        let kind = records.u8()?;
        records.take(2)?;
        let fragment = records.vec(2)?;
        if kind != HANDSHAKE {
            return None;
        }
        joined.extend_from_slice(fragment);
    }
}

/// `true` when the ClientHello at the start of `raw` (the plaintext
/// records a server read first) has a `status_request` extension asking
/// for OCSP. Anything malformed is `false` (rustls refuses such a hello
/// anyway).
pub(super) fn asks_for_status(raw: &[u8]) -> bool {
    let Some(message) = first_handshake_message(raw) else {
        return false;
    };
    status_in_hello(&mut Cursor(&message)).unwrap_or(false)
}

fn status_in_hello(m: &mut Cursor<'_>) -> Option<bool> {
    if m.u8()? != CLIENT_HELLO {
        return None;
    }
    m.take(3)?; // length
    m.take(2 + 32)?; // legacy_version, random
    m.vec(1)?; // legacy_session_id
    m.vec(2)?; // cipher_suites
    m.vec(1)?; // legacy_compression_methods
    let mut exts = Cursor(m.vec(2)?);
    while !exts.0.is_empty() {
        let kind = exts.u16()?;
        let body = exts.vec(2)?;
        if kind == STATUS_REQUEST {
            return Some(body.first() == Some(&STATUS_TYPE_OCSP));
        }
    }
    Some(false)
}

impl<S: Read + Write> Connection<S> {
    /// Asks the server to staple its certificate's OCSP response: the
    /// context's [OCSP client callback](crate::ssl::Context::set_ocsp_client_callback)
    /// then runs during the handshake with what the server stapled (an
    /// empty slice for nothing). Call it before the handshake, on a client
    /// connection (or one whose side is not chosen yet); on a server it is
    /// an error, as is a call after the handshake has finished.
    /// pyOpenSSL `Connection.request_ocsp`.
    ///
    /// rustls asks every server for status anyway (its ClientHello always
    /// carries `status_request`); what this call changes is whether the
    /// stapled response reaches the callback.
    ///
    /// ```
    /// use puressl::ssl::{Connection, Context, Memory, Method};
    /// let mut ctx = Context::new(Method::Tls).unwrap();
    /// ctx.set_ocsp_client_callback(|_conn, response| Ok(!response.is_empty()));
    /// let mut conn = Connection::new(&ctx, Memory::default());
    /// conn.set_connect_state().unwrap();
    /// conn.request_ocsp().unwrap();
    /// ```
    pub fn request_ocsp(&mut self) -> Result<(), Error> {
        match &self.tls {
            Some(rustls::Connection::Server(_)) => {
                return Err(Error::ssl("request_ocsp is for client connections"))
            }
            None if self.accepting.is_some() => {
                return Err(Error::ssl("request_ocsp is for client connections"))
            }
            Some(t) if !t.is_handshaking() => {
                return Err(Error::ssl(
                    "request_ocsp: the handshake has finished; call it before the handshake",
                ))
            }
            _ => {}
        }
        self.ocsp.requested = true;
        Ok(())
    }

    /// The server's OCSP step at ClientHello time (after the server-name
    /// and ALPN select callbacks): when the client asked for status and
    /// the context has an OCSP server callback, its answer becomes the
    /// staple. The callback's error is returned (the caller sends
    /// `internal_error`).
    pub(super) fn ocsp_at_hello(&mut self, hello_bytes: &[u8]) -> Result<(), Error> {
        let Some(cb) = self.context.ocsp_server_callback() else {
            return Ok(());
        };
        if !asks_for_status(hello_bytes) {
            return Ok(());
        }
        let response = cb(&mut HelloConnection::new(self))?;
        self.ocsp.staple = (!response.is_empty()).then(|| Arc::from(response));
        Ok(())
    }

    /// The response this server staples.
    pub(super) fn ocsp_staple(&self) -> Option<Arc<[u8]>> {
        self.ocsp.staple.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ClientHello record with `exts` as its extensions.
    fn hello(exts: &[u8], split: Option<usize>) -> Vec<u8> {
        let mut body = vec![3, 3];
        body.extend_from_slice(&[7; 32]);
        body.extend_from_slice(&[0]); // session id
        body.extend_from_slice(&[0, 2, 0x13, 0x01]); // one suite
        body.extend_from_slice(&[1, 0]); // null compression
        body.extend_from_slice(&u16::try_from(exts.len()).unwrap().to_be_bytes());
        body.extend_from_slice(exts);
        let mut msg = vec![CLIENT_HELLO, 0];
        msg.extend_from_slice(&u16::try_from(body.len()).unwrap().to_be_bytes());
        msg.extend_from_slice(&body);
        let record = |frag: &[u8]| {
            let mut r = vec![HANDSHAKE, 3, 1];
            r.extend_from_slice(&u16::try_from(frag.len()).unwrap().to_be_bytes());
            r.extend_from_slice(frag);
            r
        };
        match split {
            None => record(&msg),
            Some(at) => [record(&msg[..at]), record(&msg[at..])].concat(),
        }
    }

    #[test]
    fn status_request_is_found_in_the_client_hello() {
        // server_name (0) then status_request (5) with type OCSP.
        let sni = [0, 0, 0, 4, 0, 2, 0, 0];
        let status = [0, 5, 0, 5, 1, 0, 0, 0, 0];
        let both = [&sni[..], &status[..]].concat();
        assert!(asks_for_status(&hello(&both, None)));
        assert!(asks_for_status(&hello(&both, Some(10))));
        assert!(!asks_for_status(&hello(&sni, None)));
        assert!(!asks_for_status(&hello(&[], None)));
        // Another status type.
        assert!(!asks_for_status(&hello(&[0, 5, 0, 1, 2], None)));
        // Truncated anywhere: no.
        let full = hello(&both, None);
        for n in 0..full.len() {
            assert!(!asks_for_status(&full[..n]), "{n}");
        }
        // Not a handshake record.
        let mut alert = full.clone();
        alert[0] = 21;
        assert!(!asks_for_status(&alert));
    }
}
