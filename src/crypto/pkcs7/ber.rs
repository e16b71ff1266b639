//! A small BER reader that rewrites BER into the DER shape the `der` crate
//! decodes: indefinite lengths become definite and constructed OCTET
//! STRINGs become primitive. Elements that are already definite-length and
//! contain nothing to rewrite are copied byte for byte, so certificates
//! embedded in a streamed PKCS#7 keep their exact encoding.
//!
//! OpenSSL writes BER when streaming (`openssl cms -stream`, `smime -stream`),
//! and Java and Windows write BER PKCS#12 files.

use std::borrow::Cow;

use crate::crypto::{Error, Result};

/// How deep constructed values may nest.
const MAX_DEPTH: usize = 64;

fn err(what: &'static str, offset: usize, reason: &str) -> Error {
    Error::malformed(
        format!("{what} encoding"),
        format!("{reason} at byte offset {offset}"),
    )
}

struct Header {
    /// First identifier octet.
    first: u8,
    /// Length of the identifier octets.
    id_len: usize,
    /// Length of the identifier and length octets.
    header_len: usize,
    /// Content length, `None` when indefinite.
    len: Option<usize>,
}

impl Header {
    fn constructed(&self) -> bool {
        self.first & 0x20 != 0
    }
}

fn read_header(data: &[u8], pos: usize, what: &'static str) -> Result<Header> {
    let first = *data
        .get(pos)
        .ok_or_else(|| err(what, pos, "truncated tag"))?;
    let mut p = pos + 1;
    if first & 0x1f == 0x1f {
        // High tag number form: base-128 digits, last one without bit 8.
        loop {
            let b = *data.get(p).ok_or_else(|| err(what, p, "truncated tag"))?;
            p += 1;
            if b & 0x80 == 0 {
                break;
            }
            if p - pos > 6 {
                return Err(err(what, pos, "tag number too large"));
            }
        }
    }
    let id_len = p - pos;
    let l = *data
        .get(p)
        .ok_or_else(|| err(what, p, "truncated length"))?;
    p += 1;
    let len = if l < 0x80 {
        Some(usize::from(l))
    } else if l == 0x80 {
        if first & 0x20 == 0 {
            return Err(err(what, p - 1, "indefinite length on a primitive value"));
        }
        None
    } else {
        let n = usize::from(l & 0x7f);
        if n > 4 {
            return Err(err(what, p - 1, "length too large"));
        }
        let bytes = data
            .get(p..p + n)
            .ok_or_else(|| err(what, p, "truncated length"))?;
        p += n;
        Some(
            bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b)),
        )
    };
    Ok(Header {
        first,
        id_len,
        header_len: p - pos,
        len,
    })
}

fn encode_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

/// The result of reading one element.
struct Element {
    /// Offset just past the element (past its end-of-contents octets).
    end: usize,
    /// The rewritten element, or `None` when `data[start..end]` can be copied.
    rewritten: Option<Vec<u8>>,
}

/// Reads the children of a constructed value from `pos` up to `end` (or up
/// to the end-of-contents octets when `end` is `None`); returns the offset
/// after the children (after the EOC), the concatenated rewritten children,
/// and whether any child changed.
fn read_children(
    data: &[u8],
    mut pos: usize,
    end: Option<usize>,
    depth: usize,
    what: &'static str,
) -> Result<(usize, Vec<u8>, bool)> {
    let mut out = Vec::new();
    let mut changed = false;
    loop {
        match end {
            Some(e) if pos == e => return Ok((pos, out, changed)),
            Some(e) if pos > e => return Err(err(what, e, "element overruns its parent")),
            None if data.get(pos..pos + 2) == Some(&[0, 0]) => return Ok((pos + 2, out, changed)),
            _ => {}
        }
        if pos >= data.len() {
            return Err(err(what, pos, "truncated (missing end-of-contents)"));
        }
        let child = read_element(data, pos, depth + 1, what)?;
        match child.rewritten {
            Some(bytes) => {
                changed = true;
                out.extend_from_slice(&bytes);
            }
            None => out.extend_from_slice(&data[pos..child.end]),
        }
        pos = child.end;
    }
}

fn read_element(data: &[u8], pos: usize, depth: usize, what: &'static str) -> Result<Element> {
    if depth > MAX_DEPTH {
        return Err(err(what, pos, "nesting too deep"));
    }
    let h = read_header(data, pos, what)?;
    let content = pos + h.header_len;
    let end = match h.len {
        Some(l) => {
            let e = content
                .checked_add(l)
                .ok_or_else(|| err(what, pos, "length overflow"))?;
            if e > data.len() {
                return Err(err(what, pos, "length runs past the end of the data"));
            }
            Some(e)
        }
        None => None,
    };
    if !h.constructed() {
        // Primitive values are always definite (checked in read_header).
        let e = end.ok_or_else(|| err(what, pos, "indefinite primitive"))?;
        return Ok(Element {
            end: e,
            rewritten: None,
        });
    }
    // A constructed OCTET STRING (0x24): concatenate its segments.
    if h.first == 0x24 {
        let mut bytes = Vec::new();
        let after = collect_string(data, content, end, what, &mut bytes, depth)?;
        let mut out = vec![0x04];
        encode_len(&mut out, bytes.len());
        out.extend_from_slice(&bytes);
        return Ok(Element {
            end: after,
            rewritten: Some(out),
        });
    }
    let (after, children, changed) = read_children(data, content, end, depth, what)?;
    if end.is_some() && !changed {
        return Ok(Element {
            end: after,
            rewritten: None,
        });
    }
    let mut out = data[pos..pos + h.id_len].to_vec();
    encode_len(&mut out, children.len());
    out.extend_from_slice(&children);
    Ok(Element {
        end: after,
        rewritten: Some(out),
    })
}

/// Appends the content octets of the (possibly nested constructed) OCTET
/// STRING segments between `pos` and `end` to `out`.
fn collect_string(
    data: &[u8],
    mut pos: usize,
    end: Option<usize>,
    what: &'static str,
    out: &mut Vec<u8>,
    depth: usize,
) -> Result<usize> {
    if depth > MAX_DEPTH {
        return Err(err(what, pos, "nesting too deep"));
    }
    loop {
        match end {
            Some(e) if pos == e => return Ok(pos),
            Some(e) if pos > e => return Err(err(what, e, "element overruns its parent")),
            None if data.get(pos..pos + 2) == Some(&[0, 0]) => return Ok(pos + 2),
            _ => {}
        }
        let h = read_header(data, pos, what)?;
        let content = pos + h.header_len;
        if h.first == 0x04 {
            let l = h
                .len
                .ok_or_else(|| err(what, pos, "indefinite primitive"))?;
            let seg = data
                .get(content..content + l)
                .ok_or_else(|| err(what, pos, "truncated OCTET STRING segment"))?;
            out.extend_from_slice(seg);
            pos = content + l;
        } else if h.first == 0x24 {
            let inner_end = h.len.map(|l| content + l);
            pos = collect_string(data, content, inner_end, what, out, depth + 1)?;
        } else {
            return Err(err(
                what,
                pos,
                "constructed OCTET STRING holds a non-string",
            ));
        }
    }
}

/// Rewrites the single BER element in `data` into DER shape (see the module
/// docs). Bytes after the element are an error; `what` names the object in
/// error messages (`"PKCS#7"`).
pub(crate) fn normalize<'a>(data: &'a [u8], what: &'static str) -> Result<Cow<'a, [u8]>> {
    let el = read_element(data, 0, 0, what)?;
    if el.end != data.len() {
        return Err(Error::TrailingData {
            what,
            offset: el.end,
        });
    }
    Ok(match el.rewritten {
        Some(v) => Cow::Owned(v),
        None => Cow::Borrowed(data),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definite_input_is_borrowed() {
        let der = [0x30, 0x03, 0x02, 0x01, 0x05];
        assert!(matches!(normalize(&der, "x").unwrap(), Cow::Borrowed(_)));
    }

    #[test]
    fn indefinite_lengths_and_constructed_strings() {
        let ber = [
            0x30, 0x80, // SEQUENCE, indefinite
            0xa0, 0x80, // [0], indefinite
            0x24, 0x80, 0x04, 0x02, b'h', b'i', 0x04, 0x01, b'!', 0x00, 0x00, // "hi!"
            0x00, 0x00, // end of [0]
            0x02, 0x01, 0x07, // INTEGER 7
            0x00, 0x00, // end of SEQUENCE
        ];
        let out = normalize(&ber, "x").unwrap();
        assert_eq!(
            &out[..],
            &[0x30, 0x0a, 0xa0, 0x05, 0x04, 0x03, b'h', b'i', b'!', 0x02, 0x01, 0x07]
        );
    }

    #[test]
    fn errors_say_where() {
        let e = normalize(&[0x30, 0x05, 0x02, 0x01], "PKCS#7").unwrap_err();
        assert!(e.to_string().contains("byte offset 0"), "{e}");
        let e = normalize(&[0x30, 0x80, 0x02, 0x01, 0x01], "PKCS#7").unwrap_err();
        assert!(e.to_string().contains("end-of-contents"), "{e}");
        let e = normalize(&[0x02, 0x01, 0x01, 0x00], "PKCS#7").unwrap_err();
        assert!(matches!(e, Error::TrailingData { offset: 3, .. }));
    }
}
