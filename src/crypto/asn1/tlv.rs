//! The one strict DER reader (and the small writer beside it).
//!
//! Every element keeps its exact bytes ([`Tlv::full`]), so what is read can
//! be written back unchanged and signatures checked over the original TBS.
//! Lengths are decoded by `der`'s [`Length`](der::Length) (definite, minimal,
//! at most four octets, as DER requires); the identifier octets are read
//! here because `der`'s `Tag`/`Header` refuse universal types names may hold
//! (UniversalString, GraphicString, ...), and `der`'s `SET OF` re-sorts on
//! decoding, which would break byte-exact round trips. Errors name the
//! structure being read and the offset of the problem.

use der::{Decode, ErrorKind, Length, Reader as _, SliceReader};

use crate::crypto::{Error, Result};

/// Universal tags, as single identifier octets.
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

/// One DER element: its identifier octet, its content and its full encoding.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tlv<'a> {
    /// The first identifier octet (class, constructed bit and low tag number).
    pub(crate) tag: u8,
    /// The content octets.
    pub(crate) content: &'a [u8],
    /// The whole encoding: identifier, length and content.
    pub(crate) full: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// Whether the element is constructed.
    pub(crate) fn constructed(&self) -> bool {
        self.tag & 0x20 != 0
    }

    /// Checks the tag, naming `what` in the error.
    pub(crate) fn expect(self, tag: u8, what: &'static str) -> Result<Self> {
        if self.tag == tag {
            Ok(self)
        } else {
            Err(bad(
                what,
                format!("expected tag 0x{tag:02x}, found 0x{:02x}", self.tag),
            ))
        }
    }

    /// A reader over the content of a constructed element.
    pub(crate) fn reader(&self) -> Reader<'a> {
        Reader::new(self.content)
    }
}

/// An [`Error::Malformed`] for DER structure problems.
pub(crate) fn bad(what: &str, reason: impl Into<String>) -> Error {
    Error::malformed(what, reason)
}

/// Reads consecutive DER elements from a buffer.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `buf`.
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    /// Whether all input has been read.
    pub(crate) fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// The tag of the next element, if any.
    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    /// Reads the next element.
    pub(crate) fn read(&mut self, what: &'static str) -> Result<Tlv<'a>> {
        let start = self.pos;
        let rest = self.buf.get(start..).unwrap_or(&[]);
        let (tag, hdr, len) = header(rest, what, start)?;
        let end = hdr
            .checked_add(len)
            .filter(|&e| e <= rest.len())
            .ok_or_else(|| {
                bad(
                    what,
                    format!(
                        "length {len} at offset {start} overruns the input ({} bytes left)",
                        rest.len().saturating_sub(hdr)
                    ),
                )
            })?;
        self.pos = start + end;
        Ok(Tlv {
            tag,
            content: rest.get(hdr..end).unwrap_or(&[]),
            full: rest.get(..end).unwrap_or(&[]),
        })
    }

    /// Reads the next element and checks its tag.
    pub(crate) fn read_tag(&mut self, tag: u8, what: &'static str) -> Result<Tlv<'a>> {
        self.read(what)?.expect(tag, what)
    }

    /// Reads the next element if it has tag `tag`.
    pub(crate) fn read_optional(&mut self, tag: u8, what: &'static str) -> Result<Option<Tlv<'a>>> {
        if self.peek_tag() == Some(tag) {
            self.read(what).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Errors unless all input was consumed.
    pub(crate) fn finish(&self, what: &'static str) -> Result<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Error::TrailingData {
                what,
                offset: self.pos,
            })
        }
    }
}

/// Parses identifier and length octets: `(first tag byte, header length, content length)`.
fn header(b: &[u8], what: &'static str, offset: usize) -> Result<(u8, usize, usize)> {
    let trunc = || bad(what, format!("truncated DER header at offset {offset}"));
    let tag = *b.first().ok_or_else(trunc)?;
    let mut i = 1;
    if tag & 0x1f == 0x1f {
        // High tag number form: base-128 continuation octets.
        loop {
            let o = *b.get(i).ok_or_else(trunc)?;
            i += 1;
            if o & 0x80 == 0 {
                break;
            }
            if i > 6 {
                return Err(bad(what, format!("tag too long at offset {offset}")));
            }
        }
    }
    let octets = b.get(i..).unwrap_or(&[]);
    let octets = octets.get(..5).unwrap_or(octets);
    if octets.first().is_some_and(|&l0| l0 > 0x84) {
        return Err(bad(what, format!("length too large at offset {offset}")));
    }
    let mut r = SliceReader::new(octets).map_err(|_| trunc())?;
    let len = Length::decode(&mut r).map_err(|e| match e.kind() {
        ErrorKind::IndefiniteLength => bad(
            what,
            format!("indefinite length at offset {offset} (BER, not DER)"),
        ),
        ErrorKind::Overlength => bad(
            what,
            format!("non-minimal length encoding at offset {offset}"),
        ),
        _ => trunc(),
    })?;
    i += usize::try_from(r.position()).map_err(|_| trunc())?;
    let len = usize::try_from(len).map_err(|_| bad(what, "length too large"))?;
    Ok((tag, i, len))
}

/// Parses exactly one element filling `der`.
pub(crate) fn parse_one<'a>(der: &'a [u8], what: &'static str) -> Result<Tlv<'a>> {
    let mut r = Reader::new(der);
    let t = r.read(what)?;
    r.finish(what)?;
    Ok(t)
}

/// Parses exactly one element with tag `tag` filling `der`.
pub(crate) fn parse_tagged<'a>(der: &'a [u8], tag: u8, what: &'static str) -> Result<Tlv<'a>> {
    parse_one(der, what)?.expect(tag, what)
}

/// Appends a DER length.
pub(crate) fn push_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        let sig = bytes.get(skip..).unwrap_or(&[]);
        out.push(0x80 | sig.len() as u8);
        out.extend_from_slice(sig);
    }
}

/// Appends one element with a single-octet tag.
pub(crate) fn push_tlv(out: &mut Vec<u8>, tag: u8, content: &[u8]) {
    out.push(tag);
    push_len(out, content.len());
    out.extend_from_slice(content);
}

/// One element with a single-octet tag.
pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(content.len() + 6);
    push_tlv(&mut v, tag, content);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_lengths() {
        assert!(parse_one(&[0x04, 0x01, 0xaa], "x").is_ok());
        assert!(parse_one(&[0x04, 0x81, 0x01, 0xaa], "x").is_err());
        assert!(parse_one(&[0x04, 0x80, 0x00, 0x00], "x").is_err());
        assert!(parse_one(&[0x04, 0x02, 0xaa], "x").is_err());
        assert!(matches!(
            parse_one(&[0x04, 0x01, 0xaa, 0x00], "x"),
            Err(Error::TrailingData { offset: 3, .. })
        ));
        let long = tlv(0x04, &[7u8; 300]);
        assert_eq!(&long[..4], &[0x04, 0x82, 0x01, 0x2c]);
        assert_eq!(parse_one(&long, "x").unwrap().content.len(), 300);
    }
}
