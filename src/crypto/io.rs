//! The file-type dispatch of pyOpenSSL's module-level `load_*` / `dump_*`
//! for certificates, requests and CRLs (keys have theirs in `pkey`).
//!
//! It sits above the types and their text printers, so neither depends on
//! the other.

use super::text;
use super::{DigestArg, Error, FileType, PKey, Result, X509Crl, X509Req, X509};

/// Reads a certificate: pyOpenSSL `load_certificate(type, buffer)`.
///
/// - [`FileType::Pem`]: the first `CERTIFICATE` (or old `X509 CERTIFICATE`)
///   block; text before it, other blocks before it and CRLF line ends are
///   fine. `TRUSTED CERTIFICATE` blocks are not certificates here, as in pyOpenSSL.
/// - [`FileType::Asn1`]: strict DER: trailing bytes and non-minimal lengths
///   are errors (OpenSSL accepts both).
/// - [`FileType::Text`] is output only: an error.
pub fn load_certificate(kind: FileType, buffer: &[u8]) -> Result<X509> {
    match kind {
        FileType::Pem => X509::from_pem(buffer),
        FileType::Asn1 => X509::from_der(buffer),
        FileType::Text => Err(Error::UnsupportedFileType {
            operation: "load_certificate",
            file_type: FileType::Text,
        }),
    }
}

/// Writes a certificate: pyOpenSSL `dump_certificate(type, cert)`. PEM,
/// DER, or text exactly as `openssl x509 -text -noout` prints it.
pub fn dump_certificate(kind: FileType, cert: &X509) -> Result<Vec<u8>> {
    match kind {
        FileType::Pem => cert.to_pem(),
        FileType::Asn1 => cert.to_der(),
        FileType::Text => text::certificate_text(cert).map(String::into_bytes),
    }
}

/// Reads a request: pyOpenSSL `load_certificate_request(type, buffer)`
/// (PEM: first `CERTIFICATE REQUEST` block; DER: strict).
pub fn load_certificate_request(kind: FileType, buffer: &[u8]) -> Result<X509Req> {
    match kind {
        FileType::Pem => X509Req::from_pem(buffer),
        FileType::Asn1 => X509Req::from_der(buffer),
        FileType::Text => Err(Error::UnsupportedFileType {
            operation: "load_certificate_request",
            file_type: FileType::Text,
        }),
    }
}

/// Writes a request: PEM, DER, or text as `openssl req -text -noout` prints it.
pub fn dump_certificate_request(kind: FileType, req: &X509Req) -> Result<Vec<u8>> {
    match kind {
        FileType::Pem => req.to_pem(),
        FileType::Asn1 => req.to_der(),
        FileType::Text => text::request_text(req).map(String::into_bytes),
    }
}

/// Reads a CRL: pyOpenSSL's `load_crl(type, buffer)`.
pub fn load_crl(kind: FileType, buffer: &[u8]) -> Result<X509Crl> {
    match kind {
        FileType::Pem => X509Crl::from_pem(buffer),
        FileType::Asn1 => X509Crl::from_der(buffer),
        FileType::Text => Err(Error::UnsupportedFileType {
            operation: "load_crl",
            file_type: FileType::Text,
        }),
    }
}

/// Writes a CRL: pyOpenSSL's `dump_crl(type, crl)`; `FileType::Text` gives
/// what `openssl crl -text -noout` prints.
pub fn dump_crl(kind: FileType, crl: &X509Crl) -> Result<Vec<u8>> {
    match kind {
        FileType::Pem => crl.to_pem(),
        FileType::Asn1 => crl.to_der(),
        FileType::Text => text::crl::crl_text(crl).map(String::into_bytes),
    }
}

impl X509Crl {
    /// pyOpenSSL's `CRL.export(cert, key, type, days, digest)`: sets
    /// lastUpdate to now and nextUpdate to now + `days`, signs as
    /// [`sign`](Self::sign), and dumps in `kind`.
    pub fn export(
        &mut self,
        issuer_cert: &X509,
        issuer_key: &PKey,
        kind: FileType,
        days: u32,
        digest: impl Into<DigestArg>,
    ) -> Result<Vec<u8>> {
        self.sign_for_days(issuer_cert, issuer_key, days, digest)?;
        dump_crl(kind, self)
    }
}
