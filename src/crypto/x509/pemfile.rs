//! PEM armour for certificates and requests, as OpenSSL's `PEM_read_bio_*`
//! reads it: blocks with other labels are skipped, text around blocks and
//! CRLF line ends are fine, a broken block with an accepted label is an error.

use base64::Engine as _;

use crate::crypto::{Error, Result};

/// Labels `PEM_read_bio_X509` accepts.
pub(crate) const CERTIFICATE_LABELS: &[&str] = &["CERTIFICATE", "X509 CERTIFICATE"];
/// Labels `PEM_read_bio_X509_REQ` accepts.
#[allow(dead_code)]
pub(crate) const REQUEST_LABELS: &[&str] = &["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"];

fn pem_error(reason: String) -> Error {
    Error::InvalidValue {
        field: "PEM".into(),
        reason,
    }
}

/// `(label, decoded body)` of every block whose label is in `labels`.
fn scan(data: &[u8], labels: &[&str], first_only: bool) -> Result<(Vec<Vec<u8>>, Option<String>)> {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.lines().map(|l| l.trim_end_matches('\r'));
    let mut out = Vec::new();
    let mut other: Option<String> = None;
    while let Some(line) = lines.next() {
        let Some(label) = line
            .trim_end()
            .strip_prefix("-----BEGIN ")
            .and_then(|r| r.strip_suffix("-----"))
        else {
            continue;
        };
        let wanted = labels.contains(&label);
        let end = format!("-----END {label}-----");
        let mut body = String::new();
        let mut closed = false;
        let mut headers = false;
        for l in lines.by_ref() {
            let l = l.trim_end();
            if l == end {
                closed = true;
                break;
            }
            if l.contains(':') {
                headers = true;
                continue;
            }
            body.push_str(l.trim());
        }
        if !wanted {
            other.get_or_insert_with(|| label.to_owned());
            continue;
        }
        if !closed {
            return Err(pem_error(format!("no END line for the {label} block")));
        }
        if headers {
            return Err(pem_error(format!(
                "unexpected headers in the {label} block"
            )));
        }
        let der = base64::engine::general_purpose::STANDARD
            .decode(body.as_bytes())
            .map_err(|e| pem_error(format!("bad base64 in the {label} block: {e}")))?;
        if der.is_empty() {
            return Err(pem_error(format!("empty {label} block")));
        }
        out.push(der);
        if first_only {
            break;
        }
    }
    Ok((out, other))
}

/// The body of the first block with an accepted label.
pub(crate) fn decode_first(
    data: &[u8],
    labels: &[&str],
    expected: &'static str,
) -> Result<Vec<u8>> {
    let (mut blocks, other) = scan(data, labels, true)?;
    if blocks.is_empty() {
        return Err(match other {
            Some(found) => Error::WrongPemLabel { expected, found },
            None => Error::NoPemBlock { expected },
        });
    }
    Ok(blocks.swap_remove(0))
}

/// The bodies of every block with an accepted label, in order.
pub(crate) fn decode_all(data: &[u8], labels: &[&str]) -> Result<Vec<Vec<u8>>> {
    Ok(scan(data, labels, false)?.0)
}

/// PEM text with 64-character lines and LF line ends, as OpenSSL writes it.
pub(crate) fn encode(label: &str, der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut s = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        s.push_str(&String::from_utf8_lossy(chunk));
        s.push('\n');
    }
    s.push_str(&format!("-----END {label}-----\n"));
    s
}
