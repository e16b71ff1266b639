//! A small BER reader that rewrites BER into the DER shape the `der` crate
//! and [`tlv`](super::tlv) decode: indefinite lengths become definite,
//! non-minimal lengths minimal, and constructed strings (OCTET STRING, BIT
//! STRING, character and time strings) primitive, their chunks joined as
//! OpenSSL joins them.
//! Elements that are already in DER shape and contain nothing to rewrite are
//! copied byte for byte, so certificates embedded in a streamed PKCS#7 keep
//! their exact encoding.
//!
//! OpenSSL writes BER when streaming (`openssl cms -stream`, `smime -stream`),
//! Java and Windows write BER PKCS#12 files, and OpenSSL's `d2i` reads every
//! extension value as BER ([`ext_value`]).

use std::borrow::Cow;

use super::tlv::{bad, push_len, Tlv};
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
    /// The length octets are the minimal (DER) ones.
    minimal: bool,
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
    let mut minimal = true;
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
        let len = bytes
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        // DER: the short form below 128, no leading zero octet.
        minimal = len >= 0x80 && bytes.first().is_some_and(|&b| b != 0);
        Some(len)
    };
    Ok(Header {
        first,
        id_len,
        header_len: p - pos,
        len,
        minimal,
    })
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
        let rewritten = (!h.minimal).then(|| {
            let mut out = data[pos..pos + h.id_len].to_vec();
            push_len(&mut out, e - content);
            out.extend_from_slice(&data[content..e]);
            out
        });
        return Ok(Element { end: e, rewritten });
    }
    // A constructed string (OCTET STRING, BIT STRING, a character or time
    // string): its chunks joined, as OpenSSL's `asn1_collect` joins them.
    if constructed_string(h.first) {
        let mut bytes = Vec::new();
        let after = collect_chunks(data, content, end, what, &mut bytes, 0)?;
        let mut out = vec![h.first & !0x20];
        push_len(&mut out, bytes.len());
        out.extend_from_slice(&bytes);
        return Ok(Element {
            end: after,
            rewritten: Some(out),
        });
    }
    let (after, children, changed) = read_children(data, content, end, depth, what)?;
    if end.is_some() && h.minimal && !changed {
        return Ok(Element {
            end: after,
            rewritten: None,
        });
    }
    let mut out = data[pos..pos + h.id_len].to_vec();
    push_len(&mut out, children.len());
    out.extend_from_slice(&children);
    Ok(Element {
        end: after,
        rewritten: Some(out),
    })
}

/// Whether `first` is the identifier octet of a universal type OpenSSL's
/// `d2i` reads in the constructed form (every primitive type but BOOLEAN,
/// INTEGER, NULL, OBJECT IDENTIFIER and ENUMERATED: the bit, octet,
/// character and time strings).
fn constructed_string(first: u8) -> bool {
    matches!(first, 0x23 | 0x24 | 0x2c | 0x32..=0x3e)
}

/// Appends the chunks of a constructed string between `pos` and `end` to
/// `out`, as OpenSSL's `asn1_collect` does: the content of primitive chunks
/// of any tag, constructed ones nested at most five deep
/// (`ASN1_MAX_STRING_NEST`; `nest` counts them).
fn collect_chunks(
    data: &[u8],
    mut pos: usize,
    end: Option<usize>,
    what: &'static str,
    out: &mut Vec<u8>,
    nest: usize,
) -> Result<usize> {
    loop {
        match end {
            Some(e) if pos == e => return Ok(pos),
            Some(e) if pos > e => return Err(err(what, e, "element overruns its parent")),
            None if data.get(pos..pos + 2) == Some(&[0, 0]) => return Ok(pos + 2),
            _ => {}
        }
        let h = read_header(data, pos, what)?;
        let content = pos + h.header_len;
        if !h.constructed() {
            let l = h
                .len
                .ok_or_else(|| err(what, pos, "indefinite primitive"))?;
            let seg = data
                .get(content..content + l)
                .ok_or_else(|| err(what, pos, "truncated string segment"))?;
            out.extend_from_slice(seg);
            pos = content + l;
        } else if nest < 5 {
            let inner_end = h.len.map(|l| content + l);
            pos = collect_chunks(data, content, inner_end, what, out, nest + 1)?;
        } else {
            return Err(err(what, pos, "constructed string nested too deep"));
        }
    }
}

/// The octets of a constructed string's `content` (its chunks, BER or DER),
/// joined as OpenSSL's `asn1_collect` joins them ([`collect_chunks`]);
/// `None` when `content` is not that.
pub(crate) fn collect_string(content: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    collect_chunks(content, 0, Some(content.len()), "string", &mut out, 0).ok()?;
    Some(out)
}

/// The octets of a string type in `t` (OCTET STRING, IA5String, or one of
/// them under an implicit tag): the content of the primitive form, or the
/// chunks of the constructed (BER) form joined ([`collect_string`]).
pub(crate) fn string_octets<'a>(t: &Tlv<'a>, what: &'static str) -> Result<Cow<'a, [u8]>> {
    if !t.constructed() {
        return Ok(Cow::Borrowed(t.content));
    }
    collect_string(t.content)
        .map(Cow::Owned)
        .ok_or_else(|| bad(what, "constructed string with a bad chunk"))
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

/// The first element of an extension value in DER shape, as OpenSSL's
/// `X509V3_EXT_d2i` reads it: BER (indefinite and non-minimal lengths,
/// constructed strings) is accepted, and bytes after the first element are
/// ignored. `None` when not even BER decodes. (Strings under an implicit
/// tag stay constructed: only the decoder knows what the tag hides, see
/// [`Tlv::string_octets`](super::tlv::Tlv::string_octets).)
pub(crate) fn ext_value(data: &[u8]) -> Option<Cow<'_, [u8]>> {
    let el = read_element(data, 0, 0, "extension value").ok()?;
    Some(match el.rewritten {
        Some(v) => Cow::Owned(v),
        None => Cow::Borrowed(data.get(..el.end)?),
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
    fn non_minimal_lengths_become_minimal() {
        // SEQUENCE (0x81 0x05) { OCTET STRING (0x82 0x00 0x01) 'x' }
        let ber = [0x30, 0x81, 0x05, 0x04, 0x82, 0x00, 0x01, b'x'];
        let out = normalize(&ber, "x").unwrap();
        assert_eq!(&out[..], &[0x30, 0x03, 0x04, 0x01, b'x']);
        // A long form for 128 octets is the DER form and stays as it is.
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([7u8; 128]);
        assert!(matches!(normalize(&long, "x").unwrap(), Cow::Borrowed(_)));
    }

    #[test]
    fn constructed_strings_join_their_chunks_as_openssl() {
        // BIT STRING { 03 00, 03 01 06 }: the raw contents joined, as
        // asn1_collect joins them (OpenSSL prints "Encipher Only" for it).
        let bits = [0x23, 0x06, 0x03, 0x01, 0x00, 0x03, 0x01, 0x06];
        assert_eq!(&ext_value(&bits).unwrap()[..], &[0x03, 0x02, 0x00, 0x06]);
        // IA5String, indefinite, with a nested constructed chunk.
        let ia5 = [
            0x36, 0x80, 0x16, 0x01, b'a', 0x36, 0x03, 0x16, 0x01, b'b', 0, 0,
        ];
        assert_eq!(&ext_value(&ia5).unwrap()[..], &[0x16, 0x02, b'a', b'b']);
        // INTEGER and BOOLEAN have no constructed form.
        assert_eq!(
            &ext_value(&[0x22, 0x03, 0x02, 0x01, 0x05]).unwrap()[..],
            &[0x22, 0x03, 0x02, 0x01, 0x05]
        );
        // At most five constructed levels inside the string's own.
        let mut deep = vec![0x04, 0x01, b'x'];
        for _ in 0..7 {
            let mut outer = vec![0x24, deep.len() as u8];
            outer.extend(&deep);
            deep = outer;
        }
        assert!(ext_value(&deep).is_none());
        assert!(ext_value(&deep[2..]).is_some());
    }

    #[test]
    fn extension_values_ignore_what_follows() {
        let ber = [0x30, 0x80, 0x01, 0x01, 0x01, 0x00, 0x00, 0xde, 0xad];
        assert_eq!(
            &ext_value(&ber).unwrap()[..],
            &[0x30, 0x03, 0x01, 0x01, 0x01]
        );
        let der = [0x04, 0x01, 0xaa, 0x00];
        assert!(matches!(ext_value(&der), Some(Cow::Borrowed(b)) if b == [0x04, 0x01, 0xaa]));
        assert!(ext_value(&[0x04, 0x80, 0x00, 0x00]).is_none());
        assert!(ext_value(&[0x30, 0x05, 0x01]).is_none());
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
