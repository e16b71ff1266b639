//! Where rustls falls short of an RFC MUST, puressl's own small fixes in
//! the connection's read path (listed in SECURITY.md, "TLS conformance:
//! rustls gaps"). Nothing here parses TLS beyond record headers and the
//! plaintext alert record rustls itself produced.

use std::io::Write;

/// TLS alert level "fatal".
const FATAL: u8 = 2;
/// `access_denied`: what rustls sends when the certificate resolver has
/// nothing for the client.
const ACCESS_DENIED: u8 = 49;
/// `handshake_failure`.
const HANDSHAKE_FAILURE: u8 = 40;

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
pub(super) fn refused_for_sigalgs(
    tls: &mut rustls::Connection,
    err: &rustls::Error,
    out: &mut impl Write,
) -> Option<rustls::Error> {
    if !matches!(err, rustls::Error::General(m) if m == "no server certificate chain resolved") {
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
    Some(rustls::Error::PeerIncompatible(
        rustls::PeerIncompatible::NoSignatureSchemesInCommon,
    ))
}

/// Turns a trailing plaintext fatal `access_denied` alert record into
/// `handshake_failure`; anything else is left alone.
fn patch_refusal(bytes: &mut [u8]) {
    if let [.., 0x15, 0x03, _, 0x00, 0x02, level, desc] = bytes {
        if *level == FATAL && *desc == ACCESS_DENIED {
            *desc = HANDSHAKE_FAILURE;
        }
    }
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
}
