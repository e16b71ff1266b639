//! PEM labels of certificates and requests, on the shared PEM reader
//! (`crate::crypto::pem`): blocks with other labels are skipped, text around
//! blocks and CRLF line ends are fine, a broken accepted block is an error.

use crate::crypto::{pem, Result};

/// Labels `PEM_read_bio_X509` accepts (`TRUSTED CERTIFICATE` is not one).
pub(crate) const CERTIFICATE_LABELS: &[&str] = &["CERTIFICATE", "X509 CERTIFICATE"];
/// Labels `PEM_read_bio_X509_REQ` accepts.
pub(crate) const REQUEST_LABELS: &[&str] = &["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"];

/// The body of the first block with an accepted label.
pub(crate) fn decode_first(data: &[u8], labels: &[&'static str]) -> Result<Vec<u8>> {
    Ok(pem::decode_first(data, labels)?.der.to_vec())
}

/// The bodies of every block with an accepted label, in order.
pub(crate) fn decode_all(data: &[u8], labels: &[&'static str]) -> Result<Vec<Vec<u8>>> {
    Ok(pem::decode_all(data, labels)?
        .into_iter()
        .map(|b| b.der.to_vec())
        .collect())
}

/// PEM text with 64-character lines and LF line ends, as OpenSSL writes it.
pub(crate) fn encode(label: &str, der: &[u8]) -> String {
    pem::encode(label, der)
}
