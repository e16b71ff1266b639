//! The DER form of an ECDSA signature, `SEQUENCE { r INTEGER, s INTEGER }`
//! (RFC 5480 / RFC 3279 `ECDSA-Sig-Value`), encoded and parsed strictly:
//! only the one canonical encoding of a value is accepted, as the `der`
//! crate behind p256's `DerSignature` does. Read with the crate's one DER
//! reader (`crypto::asn1::tlv`).

use crate::crypto::asn1::tlv::{self, bad};
use crate::crypto::Result;

/// Appends `INTEGER v` for a 32-byte big-endian unsigned v: leading zero
/// bytes dropped, one 0x00 added when the top bit is set.
fn put_uint(out: &mut Vec<u8>, v: &[u8; 32]) {
    let start = v.iter().position(|&b| b != 0).unwrap_or(31);
    let digits = &v[start..];
    let pad = digits.first().is_some_and(|&b| b >= 0x80);
    out.push(0x02);
    out.push((digits.len() + usize::from(pad)) as u8);
    if pad {
        out.push(0);
    }
    out.extend_from_slice(digits);
}

/// DER `ECDSA-Sig-Value` of (r, s), each 32 big-endian bytes.
pub(crate) fn encode(r: &[u8; 32], s: &[u8; 32]) -> Vec<u8> {
    let mut body = Vec::with_capacity(70);
    put_uint(&mut body, r);
    put_uint(&mut body, s);
    let mut out = Vec::with_capacity(72);
    out.push(0x30);
    // At most 2 × 35 bytes: always the short length form.
    out.push(body.len() as u8);
    out.extend_from_slice(&body);
    out
}

/// A canonical non-negative `INTEGER` of at most 32 value bytes, as 32
/// big-endian bytes.
fn uint(content: &[u8]) -> Result<[u8; 32]> {
    let digits = match content {
        [] => return Err(bad("INTEGER", "empty")),
        [b, ..] if *b >= 0x80 => return Err(bad("INTEGER", "negative")),
        [0, b, ..] if *b < 0x80 => return Err(bad("INTEGER", "superfluous leading zero")),
        [0, tail @ ..] if !tail.is_empty() => tail,
        _ => content,
    };
    let mut out = [0u8; 32];
    32usize
        .checked_sub(digits.len())
        .and_then(|offset| out.get_mut(offset..))
        .ok_or_else(|| bad("INTEGER", "more than 32 value bytes"))?
        .copy_from_slice(digits);
    Ok(out)
}

/// Parses a DER `ECDSA-Sig-Value` with nothing after it; r and s as
/// 32-byte big-endian integers (range checks are the caller's).
pub(crate) fn decode(sig: &[u8]) -> Result<([u8; 32], [u8; 32])> {
    let mut body = tlv::parse_tagged(sig, 0x30, "ECDSA-Sig-Value")?.reader();
    let r = uint(body.read_tag(0x02, "r")?.content)?;
    let s = uint(body.read_tag(0x02, "s")?.content)?;
    body.finish("ECDSA-Sig-Value")?;
    Ok((r, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_minimal_forms() {
        let mut r = [0u8; 32];
        r[31] = 1;
        let s = [0x80; 32];
        let der = encode(&r, &s);
        assert_eq!(der[..5], [0x30, 0x26, 0x02, 0x01, 0x01]);
        assert_eq!(der[5..8], [0x02, 0x21, 0x00]);
        assert_eq!(decode(&der).ok(), Some((r, s)));
        // Trailing byte, long-form length, extra leading zero, negative.
        let mut t = der.clone();
        t.push(0);
        assert!(decode(&t).is_err());
        assert!(decode(&[0x30, 0x81, 0x06, 2, 1, 1, 2, 1, 1]).is_err());
        assert!(decode(&[0x30, 0x07, 2, 2, 0, 1, 2, 1, 1]).is_err());
        assert!(decode(&[0x30, 0x06, 2, 1, 0x81, 2, 1, 1]).is_err());
        assert_eq!(
            decode(&[0x30, 0x06, 2, 1, 1, 2, 1, 1])
                .ok()
                .map(|x| x.0[31]),
            Some(1)
        );
        assert!(decode(&[0x30, 0x05, 2, 0, 2, 1, 1]).is_err());
        // 33 value bytes are too many.
        let mut big = vec![0x30, 0x26, 0x02, 0x21];
        big.extend_from_slice(&[0x01; 33]);
        big.extend_from_slice(&[0x02, 0x01, 0x01]);
        assert!(decode(&big).is_err());
    }
}
