//! PEM armour, as OpenSSL reads and writes it.
//!
//! Reading: the first block whose label is accepted wins; text before it,
//! other blocks, CRLF line ends and RFC 1421 headers (`Proc-Type`,
//! `DEK-Info`) are all handled. Writing: 64-character base64 lines, `\n`.

use base64::Engine as _;
use pem::PemError;
use zeroize::Zeroizing;

use crate::crypto::{Error, Result};

/// One decoded PEM block.
pub(crate) struct PemBlock {
    /// The label between `BEGIN ` and `-----`.
    pub label: String,
    /// RFC 1421 headers in file order (`Proc-Type`, `DEK-Info`).
    pub headers: Vec<(String, String)>,
    /// The decoded body, wiped on drop (it may be a private key).
    pub der: Zeroizing<Vec<u8>>,
}

impl PemBlock {
    /// The value of header `name` (case-sensitive, as OpenSSL).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn lines(input: &[u8]) -> impl Iterator<Item = &[u8]> {
    input
        .split(|b| *b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
}

fn begin_label(line: &[u8]) -> Option<&[u8]> {
    line.strip_prefix(b"-----BEGIN ")?.strip_suffix(b"-----")
}

/// Every PEM block with one of `labels`, in file order (blocks with other
/// labels are skipped). `labels[0]` names what is looked for in errors.
pub(crate) fn decode_all(input: &[u8], labels: &[&'static str]) -> Result<Vec<PemBlock>> {
    matching_blocks(input, labels, usize::MAX)
}

/// The first PEM block with one of `labels` (see [`decode_all`]).
pub(crate) fn decode_first(input: &[u8], labels: &[&'static str]) -> Result<PemBlock> {
    let expected = labels.first().copied().unwrap_or("PEM");
    matching_blocks(input, labels, 1)?
        .pop()
        .ok_or(Error::NoPemBlock { expected })
}

/// The first `most` blocks with one of `labels`; an error naming the first
/// other label seen (or none) when there is no such block.
fn matching_blocks(input: &[u8], labels: &[&'static str], most: usize) -> Result<Vec<PemBlock>> {
    let expected = labels.first().copied().unwrap_or("PEM");
    let mut blocks = Vec::new();
    let mut wrong: Option<String> = None;
    let mut it = lines(input);
    while let Some(line) = it.next() {
        let Some(label) = begin_label(line) else {
            continue;
        };
        let label = String::from_utf8_lossy(label).into_owned();
        if labels.iter().any(|l| *l == label) {
            blocks.push(read_block(&mut it, &label)?);
            if blocks.len() >= most {
                break;
            }
            continue;
        }
        skip_block(&mut it, &label);
        if wrong.is_none() {
            wrong = Some(label);
        }
    }
    if blocks.is_empty() {
        return Err(match wrong {
            Some(found) => Error::WrongPemLabel { expected, found },
            None => Error::NoPemBlock { expected },
        });
    }
    Ok(blocks)
}

/// Labels `PEM_read_bio_X509` accepts (`TRUSTED CERTIFICATE` is not one).
pub(crate) const CERTIFICATE_LABELS: &[&str] = &["CERTIFICATE", "X509 CERTIFICATE"];
/// Labels `PEM_read_bio_X509_REQ` accepts.
pub(crate) const REQUEST_LABELS: &[&str] = &["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"];
/// Labels `PEM_read_bio_X509_CRL` accepts.
pub(crate) const CRL_LABELS: &[&str] = &["X509 CRL"];

/// The body of the first block with an accepted label (public data: not
/// kept in a wiping buffer).
pub(crate) fn decode_first_der(data: &[u8], labels: &[&'static str]) -> Result<Vec<u8>> {
    Ok(decode_first(data, labels)?.der.to_vec())
}

/// The bodies of every block with an accepted label, in order.
pub(crate) fn decode_all_der(data: &[u8], labels: &[&'static str]) -> Result<Vec<Vec<u8>>> {
    Ok(decode_all(data, labels)?
        .into_iter()
        .map(|b| b.der.to_vec())
        .collect())
}

/// Skips the body of a block we do not want (without judging it).
fn skip_block<'a>(it: &mut impl Iterator<Item = &'a [u8]>, label: &str) {
    let end = format!("-----END {label}-----");
    for l in it.by_ref() {
        if l == end.as_bytes() {
            break;
        }
    }
}

/// Reads headers and body up to the END line of `label`.
fn read_block<'a>(it: &mut impl Iterator<Item = &'a [u8]>, label: &str) -> Result<PemBlock> {
    let end = format!("-----END {label}-----");
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut body = Zeroizing::new(Vec::new());
    let mut in_headers = true;
    let mut first = true;
    loop {
        let Some(line) = it.next() else {
            return Err(Error::from(PemError::MissingEndTag));
        };
        if line.starts_with(b"-----END ") {
            if line != end.as_bytes() {
                let found = String::from_utf8_lossy(line).into_owned();
                return Err(Error::from(PemError::MismatchedTags(
                    label.to_owned(),
                    found,
                )));
            }
            break;
        }
        if line.starts_with(b"-----") {
            return Err(Error::from(PemError::MalformedFraming));
        }
        if in_headers {
            if first && !line.contains(&b':') {
                in_headers = false;
            } else if line.iter().all(|b| b.is_ascii_whitespace()) {
                in_headers = false;
                first = false;
                continue;
            } else if line.first().is_some_and(|b| *b == b' ' || *b == b'\t') && !headers.is_empty()
            {
                let text =
                    std::str::from_utf8(line).map_err(|e| Error::from(PemError::NotUtf8(e)))?;
                if let Some((_, v)) = headers.last_mut() {
                    v.push_str(text.trim());
                }
                continue;
            } else {
                let text =
                    std::str::from_utf8(line).map_err(|e| Error::from(PemError::NotUtf8(e)))?;
                let (k, v) = text
                    .split_once(':')
                    .ok_or_else(|| Error::from(PemError::InvalidHeader(text.to_owned())))?;
                headers.push((k.trim().to_owned(), v.trim().to_owned()));
                first = false;
                continue;
            }
        }
        first = false;
        body.extend(line.iter().filter(|b| !b.is_ascii_whitespace()));
    }
    if body.is_empty() {
        return Err(Error::from(PemError::MissingData));
    }
    let der = base64::engine::general_purpose::STANDARD
        .decode(body.as_slice())
        .map_err(|e| Error::from(PemError::InvalidData(e)))?;
    Ok(PemBlock {
        label: label.to_owned(),
        headers,
        der: Zeroizing::new(der),
    })
}

/// PEM-encodes `der` under `label` with 64-character lines.
pub(crate) fn encode(label: &str, der: &[u8]) -> String {
    encode_with_headers(label, &[], der)
}

/// PEM with RFC 1421 headers (followed by an empty line, as OpenSSL writes).
pub(crate) fn encode_with_headers(label: &str, headers: &[(&str, &str)], der: &[u8]) -> String {
    let b64 = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(der));
    // Sized up front: the text may be a private key, and a growing String
    // would leave copies behind in freed memory.
    let headers_len: usize = headers.iter().map(|(k, v)| k.len() + v.len() + 3).sum();
    let capacity = 2 * label.len() + 32 + headers_len + b64.len() + b64.len() / 64 + 2;
    let mut out = String::with_capacity(capacity);
    out.push_str(&format!("-----BEGIN {label}-----\n"));
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\n"));
    }
    if !headers.is_empty() {
        out.push('\n');
    }
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_errors() {
        let der = (0u8..=200).collect::<Vec<_>>();
        let pem = encode("THING", &der);
        assert!(pem.lines().skip(1).all(|l| l.len() <= 64));
        let crlf = format!("some text\r\n{}", pem.replace('\n', "\r\n"));
        let b = decode_first(crlf.as_bytes(), &["THING"]).unwrap();
        assert_eq!(b.label, "THING");
        assert_eq!(*b.der, der);
        assert!(matches!(
            decode_first(b"nothing", &["THING"]),
            Err(Error::NoPemBlock { expected: "THING" })
        ));
        assert!(matches!(
            decode_first(pem.as_bytes(), &["OTHER"]),
            Err(Error::WrongPemLabel { found, .. }) if found == "THING"
        ));
        let truncated = &pem[..pem.len() - 20];
        assert!(matches!(
            decode_first(truncated.as_bytes(), &["THING"]),
            Err(Error::Pem(p)) if matches!(p.inner(), PemError::MissingEndTag)
        ));
        let bad = pem.replacen("A", "*", 1);
        assert!(matches!(
            decode_first(bad.as_bytes(), &["THING"]),
            Err(Error::Pem(p)) if matches!(p.inner(), PemError::InvalidData(_))
        ));
        let h = encode_with_headers(
            "K",
            &[("Proc-Type", "4,ENCRYPTED"), ("DEK-Info", "X,00")],
            b"abc",
        );
        let b = decode_first(h.as_bytes(), &["K"]).unwrap();
        assert_eq!(b.header("DEK-Info"), Some("X,00"));
        assert_eq!(*b.der, b"abc");
        let two = format!("{}{}", encode("A", b"1"), encode("B", b"2"));
        assert_eq!(*decode_first(two.as_bytes(), &["B"]).unwrap().der, b"2");
        assert_eq!(decode_all(two.as_bytes(), &["A", "B"]).unwrap().len(), 2);
    }
}
