//! Values inside DER elements as OpenSSL reads and prints them: BOOLEAN,
//! INTEGER (sign, magnitude, `i2s_ASN1_INTEGER` text), named-bit BIT STRINGs,
//! GeneralizedTime text and colon hex.

/// The value of DER BOOLEAN content octets (any non-zero octet is true,
/// as OpenSSL reads it).
pub(crate) fn boolean(content: &[u8]) -> Option<bool> {
    match content {
        [0x00] => Some(false),
        [_] => Some(true),
        _ => None,
    }
}

/// Content octets of a minimal two's-complement INTEGER for `v`.
pub(crate) fn int_content(v: i128) -> Vec<u8> {
    let bytes = v.to_be_bytes();
    let mut start = 0;
    while start + 1 < bytes.len() {
        let (b, next) = (bytes[start], bytes[start + 1]);
        if (b == 0x00 && next & 0x80 == 0) || (b == 0xff && next & 0x80 != 0) {
            start += 1;
        } else {
            break;
        }
    }
    bytes[start..].to_vec()
}

/// Sign and magnitude (big-endian, no leading zeros) of INTEGER content
/// octets; `None` for an empty or non-minimal encoding.
pub(crate) fn int_magnitude(content: &[u8]) -> Option<(bool, Vec<u8>)> {
    let (&first, rest) = content.split_first()?;
    if let Some(&second) = rest.first()
        && ((first == 0 && second & 0x80 == 0) || (first == 0xff && second & 0x80 != 0))
    {
        return None;
    }
    let negative = first & 0x80 != 0;
    let mut mag: Vec<u8> = content.to_vec();
    if negative {
        // Two's complement: invert and add one.
        for b in mag.iter_mut() {
            *b = !*b;
        }
        for b in mag.iter_mut().rev() {
            let (v, carry) = b.overflowing_add(1);
            *b = v;
            if !carry {
                break;
            }
        }
    }
    let skip = mag.iter().take_while(|&&b| b == 0).count();
    Some((negative, mag.split_off(skip)))
}

/// OpenSSL's `i2s_ASN1_INTEGER`: decimal below 128 bits, else `0x` hex.
pub(crate) fn int_to_string(content: &[u8]) -> Option<String> {
    let (negative, mag) = int_magnitude(content)?;
    let sign = if negative { "-" } else { "" };
    if mag.len() <= 16 && mag.first().is_none_or(|&b| mag.len() < 16 || b < 0x80) {
        let mut v: u128 = 0;
        for &b in &mag {
            v = (v << 8) | u128::from(b);
        }
        Some(format!("{sign}{v}"))
    } else {
        let hex: String = mag.iter().map(|b| format!("{b:02X}")).collect();
        Some(format!("{sign}0x{hex}"))
    }
}

/// Uppercase colon-separated hex (`OPENSSL_buf2hexstr`).
pub(crate) fn hex_colon(bytes: &[u8]) -> String {
    let parts: Vec<String> = bytes.iter().map(|b| format!("{b:02X}")).collect();
    parts.join(":")
}

/// Whether bit `n` (0 = most significant bit of the first byte) of a BIT
/// STRING's content octets (unused-bits byte first) is set; bits in the
/// unused part do not count, as `c2i_ASN1_BIT_STRING` clears them.
pub(crate) fn bit_is_set(bitstring: &[u8], n: usize) -> bool {
    let Some((&unused, data)) = bitstring.split_first() else {
        return false;
    };
    let total = (data.len() * 8).saturating_sub(usize::from(unused));
    n < total && data.get(n / 8).is_some_and(|&b| b & (0x80 >> (n % 8)) != 0)
}

/// Whether BIT STRING content octets decode in OpenSSL: an unused-bits
/// count byte of at most 7.
pub(crate) fn bit_string_ok(bitstring: &[u8]) -> bool {
    bitstring.first().is_some_and(|&u| u <= 7)
}

/// Content octets of a DER named-bit BIT STRING with bits `bits` set
/// (trailing zero bits removed, as `i2c_ASN1_BIT_STRING` does).
pub(crate) fn bit_string_content(bits: &[usize]) -> Vec<u8> {
    let nbytes = bits.iter().map(|&b| b / 8 + 1).max().unwrap_or(0);
    let mut data = vec![0u8; nbytes];
    for &b in bits {
        if let Some(byte) = data.get_mut(b / 8) {
            *byte |= 0x80 >> (b % 8);
        }
    }
    while data.last() == Some(&0) {
        data.pop();
    }
    let unused = data.last().map_or(0, |&b| b.trailing_zeros() as u8);
    let mut out = Vec::with_capacity(data.len() + 1);
    out.push(unused);
    out.extend_from_slice(&data);
    out
}

/// `ASN1_GENERALIZEDTIME_print`: `Mar  1 00:00:00 2020 GMT`.
pub(crate) fn generalized_time(content: &[u8]) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let s = std::str::from_utf8(content).ok()?;
    let (body, gmt) = match s.strip_suffix('Z') {
        Some(b) => (b, " GMT"),
        None => (s, ""),
    };
    let digits = body.get(..14)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| digits.get(r).and_then(|d| d.parse::<u32>().ok());
    let (year, month, day) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (hour, min, sec) = (num(8..10)?, num(10..12)?, num(12..14)?);
    let frac = body.get(14..)?;
    let frac_ok = match frac.strip_prefix('.') {
        Some(digits) => !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()),
        None => frac.is_empty(),
    };
    if !frac_ok {
        return None;
    }
    let mon = MONTHS.get(usize::try_from(month).ok()?.checked_sub(1)?)?;
    if day == 0 || day > 31 || hour > 23 || min > 59 || sec > 60 {
        return None;
    }
    Some(format!(
        "{mon} {day:2} {hour:02}:{min:02}:{sec:02}{frac} {year}{gmt}"
    ))
}
