//! Where rustls falls short of an RFC MUST, puressl's own small fixes in
//! the connection's read path (listed in SECURITY.md, "TLS conformance:
//! rustls gaps"). Nothing here parses TLS beyond record headers and the
//! plaintext alert record rustls itself produced.

use std::io::{self, Read, Write};

use super::{no_side, Connection, Failure};
use crate::ssl::Error;

/// TLS alert level "fatal".
const FATAL: u8 = 2;
/// `record_overflow`.
const RECORD_OVERFLOW: u8 = 22;
/// `protocol_version`.
const PROTOCOL_VERSION: u8 = 70;
/// `illegal_parameter` (OpenSSL's alert for an excessive message size).
const ILLEGAL_PARAMETER: u8 = 47;
/// Largest plaintext record (RFC 5246 §6.2.1, RFC 8446 §5.1).
const MAX_PLAINTEXT: usize = 1 << 14;
/// Largest record rustls itself takes (its deframer refuses a length of
/// 2^14 + 2048 or more with `decode_error`).
const RUSTLS_MAX: usize = (1 << 14) + 2048 - 1;
/// Record header: type, version, length.
const HEADER: usize = 5;
/// `access_denied`: what rustls sends when the certificate resolver has
/// nothing for the client.
const ACCESS_DENIED: u8 = 49;
/// `handshake_failure`.
const HANDSHAKE_FAILURE: u8 = 40;

/// rustls failed with `err` (`tls_out` bytes written so far): where its
/// alert falls short, the guard's alert goes to `out`; the error to report
/// instead of `err`, if another.
pub(super) fn after_error(
    tls: &mut rustls::Connection,
    err: &rustls::Error,
    tls_out: u64,
    out: &mut impl Write,
) -> Option<rustls::Error> {
    if let Some(e) = refused_for_sigalgs(tls, err, out) {
        return Some(e);
    }
    // A handshake message over rustls' 64 KiB limit: rustls stops without
    // an alert. Before the server has answered, the alert is plaintext.
    if is_too_large(err) && Phase::of(tls, tls_out) == Phase::Plaintext {
        let _ = out
            .write_all(&excessive_message_alert())
            .and_then(|()| out.flush());
    }
    None
}

/// The server certificate resolver refused the client (no signature scheme
/// it offered fits the key): rustls then sends `access_denied` before its
/// ServerHello; OpenSSL (and tlsfuzzer) expect `handshake_failure`
/// (RFC 8446 §4.4.2.2, RFC 5246 §7.4.1.4.1).
///
/// When `err` is that refusal, the queued output is drained from rustls;
/// a trailing plaintext `access_denied` alert record becomes
/// `handshake_failure`, the bytes are written to `out`, and the error to
/// report is returned. The record is plaintext (no keys exist before
/// ServerHello), so changing its description byte is sound.
fn refused_for_sigalgs(
    tls: &mut rustls::Connection,
    err: &rustls::Error,
    out: &mut impl Write,
) -> Option<rustls::Error> {
    if !is_sigalgs_refusal(err) {
        return None;
    }
    let mut bytes = Vec::new();
    while tls.wants_write() {
        if tls.write_tls(&mut bytes).is_err() {
            break;
        }
    }
    patch_refusal(&mut bytes);
    let _ = out.write_all(&bytes).and_then(|()| out.flush());
    Some(sigalgs_error())
}

/// [`after_error`] on the path where rustls' `Acceptor` reads the
/// ClientHello and builds the connection (contexts with ClientHello
/// callbacks): the sigalgs refusal's `access_denied` is dropped for
/// `handshake_failure`, a handshake message over 64 KiB (no alert from
/// rustls) gets `illegal_parameter`; anything else stays.
pub(super) fn hello_refusal(
    err: rustls::Error,
    alert: rustls::server::AcceptedAlert,
) -> (
    rustls::Error,
    Option<rustls::server::AcceptedAlert>,
    Option<rustls::AlertDescription>,
) {
    if is_sigalgs_refusal(&err) {
        return (
            sigalgs_error(),
            None,
            Some(rustls::AlertDescription::HandshakeFailure),
        );
    }
    if is_too_large(&err) {
        return (err, None, Some(rustls::AlertDescription::IllegalParameter));
    }
    (err, Some(alert), None)
}

fn is_too_large(err: &rustls::Error) -> bool {
    matches!(
        err,
        rustls::Error::InvalidMessage(rustls::InvalidMessage::HandshakePayloadTooLarge)
    )
}

fn is_sigalgs_refusal(err: &rustls::Error) -> bool {
    matches!(err, rustls::Error::General(m) if m == "no server certificate chain resolved")
}

fn sigalgs_error() -> rustls::Error {
    rustls::Error::PeerIncompatible(rustls::PeerIncompatible::NoSignatureSchemesInCommon)
}

/// Turns a trailing plaintext fatal `access_denied` alert record into
/// `handshake_failure`; anything else is left alone.
fn patch_refusal(bytes: &mut [u8]) {
    if let [.., 0x15, 0x03, _, 0x00, 0x02, level, desc] = bytes
        && *level == FATAL
        && *desc == ACCESS_DENIED
    {
        *desc = HANDSHAKE_FAILURE;
    }
}

/// What the record guard found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trip {
    /// A plaintext record (before any keys) longer than 2^14: the guard
    /// answers with a plaintext `record_overflow` itself.
    Plain(usize),
    /// A protected record longer than rustls takes: the guard hands rustls
    /// a stand-in record of the largest length rustls deframes, which the
    /// provider's decrypter refuses as oversized before opening it, so
    /// rustls sends the (protected) `record_overflow`.
    Protected(usize),
    /// A ClientHello with `legacy_version` 0x0300 (SSL 3.0) or less
    /// (RFC 8446 Appendix D.5: abort with `protocol_version`; rustls
    /// answers it when `supported_versions` offers TLS 1.3).
    OldVersion(u16),
}

/// Where the connection is, as far as record lengths go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// No keys yet on either side: records are plaintext, at most 2^14.
    Plaintext,
    /// The handshake is over: every record is protected by the provider.
    Protected,
    /// In between: rustls alone judges.
    Unguarded,
}

/// RFC 5246 §6.2.1 / RFC 8446 §5.1-5.2 record-length guard in front of
/// rustls: follows record boundaries in the bytes read from the stream.
/// Header bytes are held back until the header is complete, so a record
/// rustls must not see never reaches it.
#[derive(Debug, Default)]
pub(super) struct RecordGuard {
    header: [u8; HEADER],
    header_len: usize,
    body_left: usize,
    /// A stand-in record still to hand to rustls.
    inject: Vec<u8>,
    /// The first bytes of the handshake stream of a first flight (message
    /// type, length, `legacy_version`).
    hello: Vec<u8>,
    tripped: Option<Trip>,
}

impl RecordGuard {
    /// What tripped the guard, if anything.
    fn tripped(&self) -> Option<Trip> {
        self.tripped
    }

    /// `tls.read_tls` from `rd` through this guard once the handshake is
    /// over (every record protected): `bio_write`'s direct path.
    pub(super) fn read_protected(
        &mut self,
        tls: &mut rustls::Connection,
        rd: &mut impl Read,
    ) -> io::Result<usize> {
        tls.read_tls(&mut self.reader(rd, Phase::Protected))
    }

    /// A reader over `inner` that passes records through this guard.
    fn reader<'a, R: Read>(&'a mut self, inner: &'a mut R, phase: Phase) -> Guarded<'a, R> {
        Guarded {
            guard: self,
            inner,
            phase,
        }
    }

    /// Runs `buf[..len]` through the guard in place; the bytes to pass on.
    fn scan(&mut self, buf: &mut [u8], len: usize, phase: Phase) -> usize {
        let mut out = 0;
        let mut i = 0;
        while i < len && self.tripped.is_none() {
            if self.body_left > 0 {
                let n = self.body_left.min(len - i);
                if phase == Phase::Plaintext && self.header[0] == 0x16 && self.hello.len() < 6 {
                    let take = n.min(6 - self.hello.len());
                    self.hello.extend_from_slice(&buf[i..i + take]);
                    if let [1, _, _, _, hi, lo] = self.hello[..] {
                        let version = u16::from_be_bytes([hi, lo]);
                        if version <= 0x0300 {
                            self.tripped = Some(Trip::OldVersion(version));
                        }
                    }
                }
                // The body moves only when header bytes were held back or
                // dropped before it; in the usual case it is already in place.
                if out != i {
                    buf.copy_within(i..i + n, out);
                }
                out += n;
                i += n;
                self.body_left -= n;
                continue;
            }
            self.header[self.header_len] = buf[i];
            self.header_len += 1;
            i += 1;
            if self.header_len < HEADER {
                continue;
            }
            self.header_len = 0;
            let rec_len = usize::from(u16::from_be_bytes([self.header[3], self.header[4]]));
            match phase {
                // (0-RTT application data may follow a ClientHello: it is
                // protected, so only the other types are plaintext here.)
                Phase::Plaintext if rec_len > MAX_PLAINTEXT && self.header[0] != 0x17 => {
                    self.tripped = Some(Trip::Plain(rec_len));
                }
                Phase::Protected if rec_len > RUSTLS_MAX => {
                    self.tripped = Some(Trip::Protected(rec_len));
                    let [hi, lo] = (RUSTLS_MAX as u16).to_be_bytes();
                    self.inject = vec![0x17, 0x03, 0x03, hi, lo];
                    self.inject.resize(HEADER + RUSTLS_MAX, 0);
                }
                _ => {
                    buf[out..out + HEADER].copy_from_slice(&self.header);
                    out += HEADER;
                    self.body_left = rec_len;
                }
            }
        }
        out
    }
}

/// The stream as rustls reads it through a [`RecordGuard`].
struct Guarded<'a, R> {
    guard: &'a mut RecordGuard,
    inner: &'a mut R,
    phase: Phase,
}

impl<R: Read> Read for Guarded<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let g = &mut *self.guard;
        if !g.inject.is_empty() {
            let n = buf.len().min(g.inject.len());
            buf[..n].copy_from_slice(&g.inject[..n]);
            g.inject.drain(..n);
            return Ok(n);
        }
        let oversized = || io::Error::new(io::ErrorKind::InvalidData, "oversized TLS record");
        loop {
            let held = g.header_len;
            if g.tripped.is_some() || buf.len() <= held {
                return Err(oversized());
            }
            // Held-back header bytes go first, then what the stream has.
            let n = self.inner.read(&mut buf[held..])?;
            if n == 0 {
                return Ok(0);
            }
            buf[..held].copy_from_slice(&g.header[..held]);
            g.header_len = 0;
            let out = g.scan(buf, held + n, self.phase);
            if !g.inject.is_empty() && out == 0 {
                let n = buf.len().min(g.inject.len());
                buf[..n].copy_from_slice(&g.inject[..n]);
                g.inject.drain(..n);
                return Ok(n);
            }
            if out > 0 {
                return Ok(out);
            }
            // Only held-back header bytes so far (or a trip): go round; an
            // empty read would look like EOF to rustls.
        }
    }
}

/// A reader that keeps a copy of the first bytes it reads (the
/// ClientHello, for the OCSP step: see `ocsp.rs`).
struct Tee<'a, R> {
    inner: R,
    copy: &'a mut Vec<u8>,
}

impl<R: Read> Read for Tee<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let room = super::ocsp::HELLO_COPY_LIMIT.saturating_sub(self.copy.len());
        self.copy.extend_from_slice(&buf[..n.min(room)]);
        Ok(n)
    }
}

impl Phase {
    /// The phase of `tls`: `tls_out` bytes written so far.
    fn of(tls: &rustls::Connection, tls_out: u64) -> Phase {
        if !tls.is_handshaking() {
            return Phase::Protected;
        }
        // A server that has not answered yet is reading the client's first
        // flight: plaintext records. (A client cannot tell where the
        // server's plaintext ends inside what it reads, so it is left to
        // rustls until the handshake is over.)
        match tls {
            rustls::Connection::Server(_) if tls_out == 0 && !tls.wants_write() => Phase::Plaintext,
            _ => Phase::Unguarded,
        }
    }
}

impl<S: Read + Write> Connection<S> {
    /// `rustls::Connection::read_tls` through the record guard: the bytes
    /// read, or the error after the guard sent its alert.
    pub(super) fn read_guarded(&mut self) -> Result<usize, Error> {
        let tls = self.tls.as_mut().ok_or_else(no_side)?;
        let phase = Phase::of(tls, self.tls_out);
        let read = loop {
            match tls.read_tls(&mut self.guard.reader(&mut self.stream, phase)) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                r => break r,
            }
        };
        self.guard_verdict(phase, read)
    }

    /// `rustls::server::Acceptor::read_tls` (the ClientHello of a context
    /// with ClientHello callbacks) through the record guard: a server's
    /// first flight.
    pub(super) fn read_hello_guarded(
        &mut self,
        acceptor: &mut rustls::server::Acceptor,
        copy: &mut Vec<u8>,
    ) -> Result<usize, Error> {
        let read = loop {
            let r = self.guard.reader(&mut self.stream, Phase::Plaintext);
            let mut r = Tee { inner: r, copy };
            match acceptor.read_tls(&mut r) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                r => break r,
            }
        };
        self.guard_verdict(Phase::Plaintext, read)
    }

    /// What the guard makes of a read in `phase`: the bytes read, or the
    /// error after the guard sent its alert.
    fn guard_verdict(&mut self, phase: Phase, read: io::Result<usize>) -> Result<usize, Error> {
        let (alert, why) = match (self.guard.tripped(), read) {
            (Some(Trip::Plain(len)), _) => (
                record_overflow_alert(),
                format!("record overflow: a plaintext record of {len} bytes (at most 16384)"),
            ),
            (Some(Trip::OldVersion(v)), _) => (
                plain_alert(PROTOCOL_VERSION),
                format!("unsupported protocol: a ClientHello with legacy_version {v:#06x}"),
            ),
            (_, Err(e)) if phase == Phase::Plaintext && is_buffer_full(&e) => (
                excessive_message_alert(),
                "excessive message size: a handshake message over 64 KiB".to_owned(),
            ),
            (_, Ok(n)) => return Ok(n),
            (_, Err(e)) => return Err(Error::from_io(e, Error::WantRead)),
        };
        // Nothing was sent yet, so the alert goes out in plaintext.
        if self
            .stream
            .write_all(&alert)
            .and_then(|()| self.stream.flush())
            .is_ok()
        {
            self.tls_out += alert.len() as u64;
        }
        self.failed = Some(Failure::Local);
        Err(Error::ssl(why))
    }
}

/// The plaintext fatal alert record with `description`.
fn plain_alert(description: u8) -> [u8; 7] {
    [0x15, 0x03, 0x03, 0x00, 0x02, FATAL, description]
}

/// The plaintext `record_overflow` alert.
fn record_overflow_alert() -> [u8; 7] {
    plain_alert(RECORD_OVERFLOW)
}

/// rustls refuses a handshake message over 64 KiB without any alert, by
/// failing `read_tls` ("message buffer full") or with
/// `HandshakePayloadTooLarge`; before any keys exist the guard sends
/// OpenSSL's alert for an excessive message size, `illegal_parameter`.
fn is_buffer_full(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::InvalidData && e.to_string() == "message buffer full"
}

/// The alert for [`is_buffer_full`].
fn excessive_message_alert() -> [u8; 7] {
    plain_alert(ILLEGAL_PARAMETER)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_trailing_access_denied_alert_is_patched() {
        let mut b = vec![
            0x14, 0x03, 0x03, 0x00, 0x01, 0x01, 0x15, 0x03, 0x03, 0, 2, 2, 49,
        ];
        patch_refusal(&mut b);
        assert_eq!(b[12], HANDSHAKE_FAILURE);
        for mut other in [
            vec![0x15, 0x03, 0x03, 0, 2, 1, 49],
            vec![0x15, 0x03, 0x03, 0, 2, 2, 50],
            vec![0x17, 0x03, 0x03, 0, 2, 2, 49],
            vec![2, 49],
        ] {
            let before = other.clone();
            patch_refusal(&mut other);
            assert_eq!(other, before);
        }
    }

    /// Feeds `wire` to a guard in reads of `step` bytes; what rustls would
    /// get, and the trip.
    fn through(wire: &[u8], step: usize, phase: Phase) -> (Vec<u8>, Option<Trip>) {
        struct Steps<'a>(&'a [u8], usize);
        impl Read for Steps<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.1.min(buf.len()).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut g = RecordGuard::default();
        let mut src = Steps(wire, step);
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match g.reader(&mut src, phase).read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
        (got, g.tripped())
    }

    fn record(typ: u8, len: usize) -> Vec<u8> {
        let mut r = vec![typ, 3, 3, (len >> 8) as u8, len as u8];
        r.extend((0..len).map(|i| i as u8));
        r
    }

    #[test]
    fn records_pass_through_whatever_the_read_sizes() {
        let mut wire = record(0x16, 300);
        wire.extend(record(0x16, MAX_PLAINTEXT));
        wire.extend(record(0x17, MAX_PLAINTEXT + 256));
        for step in [1, 2, 4, 5, 6, 7, 4096] {
            assert_eq!(through(&wire, step, Phase::Unguarded), (wire.clone(), None));
            assert_eq!(through(&wire, step, Phase::Protected), (wire.clone(), None));
        }
        // A protected 0-RTT record may follow a ClientHello.
        assert_eq!(through(&wire, 3, Phase::Plaintext), (wire.clone(), None));
    }

    #[test]
    fn oversized_plaintext_record_trips_before_rustls_sees_its_header() {
        let mut wire = record(0x16, 100);
        wire.extend(record(0x16, MAX_PLAINTEXT + 1));
        for step in [1, 3, 4096] {
            let (got, trip) = through(&wire, step, Phase::Plaintext);
            assert_eq!(got, &wire[..105]);
            assert_eq!(trip, Some(Trip::Plain(MAX_PLAINTEXT + 1)));
        }
        // In between, rustls judges.
        assert_eq!(through(&wire, 7, Phase::Unguarded), (wire.clone(), None));
    }

    #[test]
    fn oversized_protected_record_becomes_the_largest_rustls_takes() {
        let mut wire = record(0x17, 10);
        wire.extend(record(0x17, 0xffff));
        let (got, trip) = through(&wire, 1000, Phase::Protected);
        assert_eq!(trip, Some(Trip::Protected(0xffff)));
        assert_eq!(&got[..15], &wire[..15]);
        assert_eq!(&got[15..20], &[0x17, 3, 3, 0x47, 0xff]);
        assert_eq!(got.len(), 15 + HEADER + RUSTLS_MAX);
        assert!(got[20..].iter().all(|&b| b == 0));
    }
}
