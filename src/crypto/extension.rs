//! `X509Extension`: certificate, request and CRL extensions, built from
//! OpenSSL's v3 configuration syntax and printed as OpenSSL prints them.
//!
//! SKELETON: the API below is fixed; it is being implemented on the `ext` branch.
#![allow(unused_variables, dead_code, clippy::todo)]

use const_oid::ObjectIdentifier;

use super::Result;

/// An X.509 v3 extension: pyOpenSSL's `X509Extension`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct X509Extension {
    oid: ObjectIdentifier,
    critical: bool,
    value: Vec<u8>,
}

/// What an extension value may refer to besides itself: the subject
/// certificate (for `subjectKeyIdentifier = hash`) and the issuer certificate
/// (for `authorityKeyIdentifier = keyid, issuer`).
#[derive(Debug, Clone, Default)]
pub(crate) struct ExtContext {
    /// The subject's SubjectPublicKeyInfo DER.
    pub(crate) subject_spki: Option<Vec<u8>>,
    /// The issuer's SubjectPublicKeyInfo DER.
    pub(crate) issuer_spki: Option<Vec<u8>>,
    /// The issuer certificate's subjectKeyIdentifier extension value (the
    /// key identifier bytes), if it has one.
    pub(crate) issuer_key_id: Option<Vec<u8>>,
    /// The issuer certificate's own issuer name, DER.
    pub(crate) issuer_issuer_der: Option<Vec<u8>>,
    /// The issuer certificate's serial number: INTEGER content octets.
    pub(crate) issuer_serial: Option<Vec<u8>>,
}

impl X509Extension {
    /// Builds an extension from OpenSSL's configuration syntax, e.g.
    /// `("basicConstraints", true, "CA:TRUE, pathlen:0")`.
    pub fn new(type_name: &str, critical: bool, value: &str) -> Result<Self> {
        Self::new_with_context(type_name, critical, value, &ExtContext::default())
    }

    /// As [`new`](Self::new), with a subject/issuer context.
    pub(crate) fn new_with_context(
        type_name: &str,
        critical: bool,
        value: &str,
        ctx: &ExtContext,
    ) -> Result<Self> {
        todo!()
    }

    /// An extension from its parts, as read from DER.
    pub(crate) fn from_parts(oid: ObjectIdentifier, critical: bool, value: Vec<u8>) -> Self {
        Self {
            oid,
            critical,
            value,
        }
    }

    /// The extension's OID.
    pub fn oid(&self) -> ObjectIdentifier {
        self.oid
    }

    /// Whether the extension is critical (pyOpenSSL `get_critical`).
    #[doc(alias = "get_critical")]
    pub fn critical(&self) -> bool {
        self.critical
    }

    /// The extnValue contents (pyOpenSSL `get_data`).
    #[doc(alias = "get_data")]
    pub fn data(&self) -> &[u8] {
        &self.value
    }
}

/// Appends the extension block of `openssl x509 -text` / `req -text` / `crl
/// -text` for `exts` to `out`, each extension's name line at `indent` spaces
/// and its value at `indent + 4`, exactly as OpenSSL's
/// `X509V3_extensions_print` writes it.
pub(crate) fn print_extensions(out: &mut String, exts: &[X509Extension], indent: usize) {
    todo!()
}
