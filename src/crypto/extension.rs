//! `X509Extension`: certificate, request and CRL extensions, built from
//! OpenSSL's v3 configuration syntax and printed as OpenSSL prints them.
//!
//! Printing follows OpenSSL 3.0's `X509V3_EXT_print` method by method
//! (basic/policy/name constraints, key usages, alternative names, key
//! identifiers, CRL distribution points, issuing distribution point, info
//! access, certificate policies with qualifiers, policy mappings, TLS
//! feature, Netscape strings and cert type, CRL number/reason/invalidity
//! date/hold instruction, OCSP no-check, CT SCT lists and poison, proxy
//! certificate info, private key usage period), including its quirks; other
//! extensions get OpenSSL's fallback (the raw bytes, non-printables as `.`).
//! Not printed as OpenSSL does: RFC 3779 address/AS blocks, Strong Extranet
//! IDs and OCSP's CrlID/service locator (they fall back), and values in BER
//! rather than DER (indefinite or non-minimal lengths), which OpenSSL
//! decodes and puressl dumps raw.

use std::fmt;

use const_oid::ObjectIdentifier;

use super::asn1::oid::Oid;
use super::{Error, Result};

mod asn1gen;
mod build;
mod conf;
pub(crate) mod dirname;
pub(crate) mod general_name;
pub(crate) mod list;
mod names;
mod print;
mod sct;
#[cfg(test)]
mod tests;

/// What the extension printers name when they read a value; their errors
/// are not shown (a value OpenSSL cannot decode is dumped raw instead).
const WHAT: &str = "extension value";

/// An X.509 v3 extension: pyOpenSSL's `X509Extension`.
///
/// Built from OpenSSL's configuration syntax with [`new`](Self::new), or read
/// from a certificate, request or CRL. [`Display`](fmt::Display) prints the
/// value as pyOpenSSL's `str(ext)` does.
///
/// ```
/// use puressl::crypto::X509Extension;
///
/// let ext = X509Extension::new("basicConstraints", true, "CA:TRUE, pathlen:0")?;
/// assert_eq!(ext.short_name(), "basicConstraints");
/// assert_eq!(ext.data(), b"\x30\x06\x01\x01\xff\x02\x01\x00");
/// assert_eq!(ext.to_string(), "CA:TRUE, pathlen:0");
///
/// let san = X509Extension::new("subjectAltName", false, "DNS:example.com, IP:192.0.2.1")?;
/// assert_eq!(san.to_string(), "DNS:example.com, IP Address:192.0.2.1");
/// # Ok::<(), puressl::crypto::Error>(())
/// ```
#[doc(alias = "X509ExtensionType")]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct X509Extension {
    oid: ObjectIdentifier,
    critical: bool,
    value: Vec<u8>,
}

/// What an extension value may refer to besides itself: the subject
/// certificate (for `subjectKeyIdentifier = hash`) and the issuer certificate
/// (for `authorityKeyIdentifier = keyid, issuer`).
///
/// The certificate counts as self-signed for `authorityKeyIdentifier` when
/// `subject_spki` equals `issuer_spki`.
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
    /// Builds an extension from OpenSSL's configuration syntax
    /// (`X509V3_EXT_nconf`), e.g. `("basicConstraints", true, "CA:TRUE,
    /// pathlen:0")`. `type_name` is OpenSSL's short name of the extension.
    ///
    /// A value starting with `critical,` makes the extension critical too.
    /// `DER:<hex>` gives the extnValue directly, for any extension (then
    /// `type_name` may also be a long name or a dotted OID).
    ///
    /// Supported values (OpenSSL's syntax, see `man x509v3_config`):
    /// `basicConstraints` (`CA:`, `pathlen:`), `keyUsage` and `nsCertType`
    /// (bit names), `extendedKeyUsage` (names or OIDs), `subjectAltName`,
    /// `issuerAltName` (`DNS:`, `IP:` v4/v6, `email:`, `URI:`, `RID:`),
    /// `subjectKeyIdentifier` (hex; `hash` needs the subject certificate, given
    /// through `with_subject_issuer`),
    /// `authorityKeyIdentifier` (`keyid`, `issuer`, `:always`; needs the
    /// issuer), `nsComment` and the other Netscape strings,
    /// `crlDistributionPoints`/`freshestCRL` (one general name per point),
    /// `authorityInfoAccess`/`subjectInfoAccess` (`OCSP;URI:…`,
    /// `caIssuers;URI:…`), `certificatePolicies` (OIDs), `nameConstraints`
    /// (`permitted;`/`excluded;` + `DNS:`, `IP:addr/mask`, `email:`, `URI:`),
    /// `policyConstraints`, `inhibitAnyPolicy`, `noCheck`, `tlsfeature`
    /// (`status_request`, `status_request_v2` or numbers), `policyMappings`,
    /// `issuingDistributionPoint` (`fullname:`, `onlyuser:`, `onlyCA:`,
    /// `onlyAA:`, `indirectCRL:`, `onlysomereasons:`), `ct_precert_poison`.
    /// As in OpenSSL, the CRL (entry) extensions `crlNumber`, `deltaCRL`,
    /// `CRLReason`, `invalidityDate`, `holdInstructionCode` and
    /// `certificateIssuer` only take `DER:`.
    ///
    /// `ASN1:` values (for any extension) and `otherName:OID;TYPE:value`
    /// general names take OpenSSL's `ASN1_generate_v3` syntax for single
    /// values: `UTF8:`, `IA5:`, `PRINTABLE:`, `BMP:`, `INT:`, `BOOL:`,
    /// `OID:`, `OCT:`, `BITSTR:`, `NULL`, `UTC:`/`GENTIME:` (`…Z` forms
    /// only), … with the `IMP:`, `EXP:`, `…WRAP` and `FORMAT:` modifiers; as
    /// in OpenSSL, `UTF8:` reads its text as Latin-1 unless `FORMAT:UTF8`
    /// comes first.
    ///
    /// Not supported, and reported as errors: configuration sections
    /// (`@section`, `dirName:`, `SEQUENCE:`/`SET:`, policy and distribution
    /// point sections), `email:copy`, `issuer:copy`,
    /// `subjectKeyIdentifier = none`, tag numbers above 30.
    ///
    /// # Errors
    /// [`Error::InvalidExtensionValue`] naming the extension and the offending token;
    /// [`Error::UnknownName`] for an unknown extension name.
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
        if let Some(at) = value.find('\0') {
            // OpenSSL would silently stop reading there.
            return Err(conf::bad(
                type_name,
                format!("NUL character at offset {at}; use DER:<hex> for such values"),
            ));
        }
        let (critical, value) = match value.strip_prefix("critical,") {
            Some(rest) => (true, rest.trim_start_matches(is_c_space)),
            None => (critical, value),
        };
        if let Some(hex) = value.strip_prefix("DER:") {
            let oid = names::txt2obj(type_name)
                .ok_or_else(|| Error::unknown("extension name", type_name, ""))?;
            let der = conf::parse_hex(type_name, hex.trim_start_matches(is_c_space))?;
            return Ok(Self::from_parts(oid, critical, der));
        }
        if let Some(spec) = value.strip_prefix("ASN1:") {
            let oid = names::txt2obj(type_name)
                .ok_or_else(|| Error::unknown("extension name", type_name, ""))?;
            let der = asn1gen::generate(type_name, spec.trim_start_matches(is_c_space))?;
            return Ok(Self::from_parts(oid, critical, der));
        }
        let oid = names::sn2obj(type_name).ok_or_else(|| {
            Error::unknown("extension name", type_name, "expected OpenSSL's short name")
        })?;
        let der = build::build(type_name, value, ctx)?;
        Ok(Self::from_parts(oid, critical, der))
    }

    /// An extension from its parts, as read from DER.
    pub(crate) fn from_parts(oid: ObjectIdentifier, critical: bool, value: Vec<u8>) -> Self {
        Self {
            oid,
            critical,
            value,
        }
    }

    /// The extension's OID (`2.5.29.19` for `basicConstraints`).
    pub fn oid(&self) -> Oid {
        Oid::from(self.oid)
    }

    /// The extension's OID as a `const_oid` value, for comparisons with
    /// the constants of `asn1::oid::ids`.
    pub(crate) fn id(&self) -> ObjectIdentifier {
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

    /// OpenSSL's short name of the extension (`basicConstraints`,
    /// `subjectAltName`, `CRLReason`, …), or `"UNDEF"` for an OID OpenSSL
    /// does not know (pyOpenSSL `get_short_name`).
    #[doc(alias = "get_short_name")]
    pub fn short_name(&self) -> &'static str {
        names::short_name(&self.oid).unwrap_or("UNDEF")
    }

    /// OpenSSL's long name (`X509v3 Basic Constraints`), or the dotted OID
    /// for an unknown extension: the label `openssl x509 -text` prints.
    pub fn long_name(&self) -> String {
        names::obj_text(&self.oid)
    }

    /// The value as pyOpenSSL's `str(ext)` prints it, or an error where
    /// pyOpenSSL raises: OpenSSL's `X509V3_EXT_print` at indent 0 (a
    /// subjectAltName in pyOpenSSL's own format).
    ///
    /// # Errors
    /// [`Error::ExtensionNotPrintable`] for extensions OpenSSL cannot print: unknown
    /// OIDs, values that do not decode, and the CRL entry extensions
    /// `invalidityDate` and `holdInstructionCode` (their OpenSSL printers
    /// fail at indent 0).
    #[doc(alias = "__str__")]
    pub fn to_text(&self) -> Result<String> {
        let unprintable = || Error::ExtensionNotPrintable {
            oid: self.oid.to_string(),
            name: self.short_name(),
        };
        if self.short_name() == "subjectAltName" {
            return print::py_subject_alt_name(&self.value, false).map_err(|()| unprintable());
        }
        print::ext_print(&self.oid, &self.value, 0, true).ok_or_else(unprintable)
    }
}

fn is_c_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// pyOpenSSL's `str(ext)`, see [`X509Extension::to_text`]. Where that is an
/// error, `Display` prints what `openssl x509 -text` shows instead: the
/// value at indent 0 for `invalidityDate` (`Mar  1 00:00:00 2020 GMT`) and
/// `holdInstructionCode`, and for unknown or undecodable extensions the raw
/// value bytes with non-printable bytes as `.` (`ASN1_STRING_print`).
/// Invalid UTF-8 in subjectAltName strings is replaced by U+FFFD.
impl fmt::Display for X509Extension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.short_name() == "subjectAltName" {
            if let Ok(s) = print::py_subject_alt_name(&self.value, true) {
                return f.write_str(&s);
            }
        } else if let Some(s) = print::ext_print(&self.oid, &self.value, 0, false) {
            return f.write_str(&s);
        }
        f.write_str(&general_name::string_print(&self.value))
    }
}

/// Appends the extension block of `openssl x509 -text` / `req -text` / `crl
/// -text` for `exts` to `out`, each extension's name line at `indent` spaces
/// and its value at `indent + 4`, exactly as OpenSSL's
/// `X509V3_extensions_print` writes it.
pub(crate) fn print_extensions(out: &mut String, exts: &[X509Extension], indent: usize) {
    for ext in exts {
        out.push_str(&" ".repeat(indent));
        out.push_str(&ext.long_name());
        out.push_str(if ext.critical { ": critical\n" } else { ": \n" });
        match print::ext_print(&ext.oid, &ext.value, indent + 4, true) {
            Some(s) => out.push_str(&s),
            None => {
                out.push_str(&" ".repeat(indent + 4));
                out.push_str(&general_name::string_print(&ext.value));
            }
        }
        out.push('\n');
    }
}
