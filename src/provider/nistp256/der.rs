//! The DER form of an ECDSA signature, `SEQUENCE { r INTEGER, s INTEGER }`
//! (RFC 5480 / RFC 3279 `ECDSA-Sig-Value`), encoded and parsed strictly:
//! only the one canonical encoding of a value is accepted, as the `der`
//! crate behind p256's `DerSignature` does.

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

/// Splits one TLV with `tag` and a short-form length (every valid P-256
/// signature is shorter than 128 bytes, and DER forbids the long form
/// below 128) off the front of `input`.
fn take(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&t, rest) = input.split_first()?;
    let (&len, rest) = rest.split_first()?;
    if t != tag || len >= 0x80 {
        return None;
    }
    let len = usize::from(len);
    (rest.len() >= len).then(|| rest.split_at(len))
}

/// Parses a canonical non-negative `INTEGER` of at most 32 value bytes.
fn take_uint(input: &[u8]) -> Option<([u8; 32], &[u8])> {
    let (content, rest) = take(input, 0x02)?;
    let digits = match content {
        [] => return None,
        [b, ..] if *b >= 0x80 => return None,   // negative
        [0, b, ..] if *b < 0x80 => return None, // superfluous leading zero
        [0, tail @ ..] if !tail.is_empty() => tail,
        _ => content,
    };
    let mut out = [0u8; 32];
    let offset = 32usize.checked_sub(digits.len())?;
    out.get_mut(offset..)?.copy_from_slice(digits);
    Some((out, rest))
}

/// Parses a DER `ECDSA-Sig-Value` with nothing after it; r and s as
/// 32-byte big-endian integers (range checks are the caller's).
pub(crate) fn decode(sig: &[u8]) -> Option<([u8; 32], [u8; 32])> {
    let (body, rest) = take(sig, 0x30)?;
    if !rest.is_empty() {
        return None;
    }
    let (r, body) = take_uint(body)?;
    let (s, body) = take_uint(body)?;
    body.is_empty().then_some((r, s))
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
        assert_eq!(decode(&der), Some((r, s)));
        // Trailing byte, long-form length, extra leading zero, negative.
        let mut t = der.clone();
        t.push(0);
        assert_eq!(decode(&t), None);
        assert_eq!(decode(&[0x30, 0x81, 0x06, 2, 1, 1, 2, 1, 1]), None);
        assert_eq!(decode(&[0x30, 0x07, 2, 2, 0, 1, 2, 1, 1]), None);
        assert_eq!(decode(&[0x30, 0x06, 2, 1, 0x81, 2, 1, 1]), None);
        assert_eq!(
            decode(&[0x30, 0x06, 2, 1, 1, 2, 1, 1]).map(|x| x.0[31]),
            Some(1)
        );
        assert_eq!(decode(&[0x30, 0x05, 2, 0, 2, 1, 1]), None);
        // 33 value bytes are too many.
        let mut big = vec![0x30, 0x26, 0x02, 0x21];
        big.extend_from_slice(&[0x01; 33]);
        big.extend_from_slice(&[0x02, 0x01, 0x01]);
        assert_eq!(decode(&big), None);
    }
}
