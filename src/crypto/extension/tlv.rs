//! A minimal DER reader and writer for extension values.
//!
//! Extension values are small and their printing has to follow OpenSSL's
//! structure walk closely (which fields are present, raw string bytes even
//! when they are not valid for their type), so they are read and written at
//! the tag-length-value level here.

/// Universal tags used by the extension code.
pub(crate) mod tag {
    pub(crate) const BOOLEAN: u8 = 0x01;
    pub(crate) const INTEGER: u8 = 0x02;
    pub(crate) const BIT_STRING: u8 = 0x03;
    pub(crate) const OCTET_STRING: u8 = 0x04;
    pub(crate) const NULL: u8 = 0x05;
    pub(crate) const OID: u8 = 0x06;
    pub(crate) const ENUMERATED: u8 = 0x0a;
    pub(crate) const UTF8_STRING: u8 = 0x0c;
    pub(crate) const IA5_STRING: u8 = 0x16;
    pub(crate) const GENERALIZED_TIME: u8 = 0x18;
    pub(crate) const SEQUENCE: u8 = 0x30;
}

/// One decoded element: its (single-byte) tag and its content octets.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tlv<'a> {
    pub(crate) tag: u8,
    pub(crate) content: &'a [u8],
}

/// Reads consecutive DER elements from a buffer.
#[derive(Clone, Debug)]
pub(crate) struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Self { data }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The tag of the next element, without consuming it.
    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.data.first().copied()
    }

    /// Reads the next element; `None` if the encoding is broken (high tag
    /// numbers, indefinite or non-minimal lengths, truncation).
    pub(crate) fn read(&mut self) -> Option<Tlv<'a>> {
        let (&tag, rest) = self.data.split_first()?;
        if tag & 0x1f == 0x1f {
            return None;
        }
        let (&first, mut rest) = rest.split_first()?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 {
                return None;
            }
            let (bytes, after) = rest.split_at_checked(n)?;
            rest = after;
            let mut len = 0usize;
            for &b in bytes {
                len = (len << 8) | usize::from(b);
            }
            // DER: minimal length encoding.
            if len < 0x80 || bytes.first() == Some(&0) {
                return None;
            }
            len
        };
        let (content, after) = rest.split_at_checked(len)?;
        self.data = after;
        Some(Tlv { tag, content })
    }

    /// Reads the next element and checks its tag.
    pub(crate) fn expect(&mut self, tag: u8) -> Option<&'a [u8]> {
        let t = self.read()?;
        (t.tag == tag).then_some(t.content)
    }

    /// Reads the next element if it has this tag.
    pub(crate) fn optional(&mut self, tag: u8) -> Option<&'a [u8]> {
        if self.peek_tag() == Some(tag) {
            self.read().map(|t| t.content)
        } else {
            None
        }
    }
}

/// The bytes of the first element of `data`: OpenSSL's `d2i` of an
/// extension value reads one element and ignores what follows.
pub(crate) fn first_element(data: &[u8]) -> Option<&[u8]> {
    let mut r = Reader::new(data);
    r.read()?;
    data.get(..data.len() - r.data.len())
}

/// Decodes exactly one element spanning all of `data`.
pub(crate) fn parse_single(data: &[u8]) -> Option<Tlv<'_>> {
    let mut r = Reader::new(data);
    let t = r.read()?;
    r.is_empty().then_some(t)
}

/// The contents of a SEQUENCE (or another constructed type) that spans all of
/// `data`, as a reader over its elements.
pub(crate) fn parse_seq(data: &[u8], tag: u8) -> Option<Reader<'_>> {
    let t = parse_single(data)?;
    (t.tag == tag).then(|| Reader::new(t.content))
}

/// Encodes one element.
pub(crate) fn encode(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        let significant = bytes.get(skip..).unwrap_or_default();
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
    out.extend_from_slice(content);
    out
}

/// Encodes the content of a DER BOOLEAN.
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
    if let Some(&second) = rest.first() {
        if (first == 0 && second & 0x80 == 0) || (first == 0xff && second & 0x80 != 0) {
            return None;
        }
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
