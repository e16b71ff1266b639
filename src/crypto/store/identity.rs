//! Host name, IP address and e-mail checks of a certificate, with OpenSSL
//! 3.0's rules (`crypto/x509/v3_utl.c`: `X509_check_host`,
//! `X509_check_email`, `X509_check_ip`, and the `check_id` step of chain
//! verification).
//!
//! The rules, as OpenSSL applies them:
//! - subjectAltName entries of the checked type come first; the subject's
//!   commonName (for hosts) or emailAddress (for e-mail) is only looked at
//!   when the certificate has no SAN of that type (`ALWAYS_CHECK_SUBJECT`
//!   looks anyway, `NEVER_CHECK_SUBJECT` never does). IP addresses are
//!   only matched against iPAddress SANs.
//! - host names compare ASCII case-insensitively (IDNA A-labels included);
//!   a wildcard `*` is allowed once, in the left-most label only, not in an
//!   `xn--` label, and only with at least two labels after it (`*.com` and
//!   `*.example` never match); it matches one label of letters, digits and
//!   `-` (more with `MULTI_LABEL_WILDCARDS`), and partial wildcards
//!   (`f*.example.com`) unless `NO_PARTIAL_WILDCARDS`. A host starting with
//!   `.` matches any sub-domain of it.
//! - e-mail addresses: the local part compares exactly, the domain
//!   case-insensitively.
//! - IP addresses compare byte for byte (4 or 16 bytes).

use std::borrow::Cow;
use std::net::IpAddr;

use bitflags::bitflags;

use super::general_name::{self, GeneralName, GEN_DNS, GEN_EMAIL, GEN_IPADD};
use super::X509VerifyError;
use crate::crypto::asn1::oid::ids;
use crate::crypto::{Error, Result, X509};

bitflags! {
    /// How host names are matched: OpenSSL's `X509_CHECK_FLAG_*`, same
    /// values. Used by [`X509::check_host`] and
    /// [`X509Store::set_host_flags`](crate::crypto::X509Store::set_host_flags).
    ///
    /// ```
    /// use puressl::crypto::HostFlags;
    /// let f = HostFlags::NO_PARTIAL_WILDCARDS | HostFlags::NEVER_CHECK_SUBJECT;
    /// assert_eq!(f.bits(), 0x24);
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct HostFlags: u32 {
        /// `X509_CHECK_FLAG_ALWAYS_CHECK_SUBJECT`: also look at the subject
        /// commonName when the certificate has DNS subjectAltNames.
        #[doc(alias = "X509_CHECK_FLAG_ALWAYS_CHECK_SUBJECT")]
        const ALWAYS_CHECK_SUBJECT = 0x1;
        /// `X509_CHECK_FLAG_NO_WILDCARDS`: a `*` in the certificate is a
        /// plain character.
        #[doc(alias = "X509_CHECK_FLAG_NO_WILDCARDS")]
        const NO_WILDCARDS = 0x2;
        /// `X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS`: only whole-label
        /// wildcards (`*.example.com`, not `f*.example.com`).
        #[doc(alias = "X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS")]
        const NO_PARTIAL_WILDCARDS = 0x4;
        /// `X509_CHECK_FLAG_MULTI_LABEL_WILDCARDS`: a whole-label `*` may
        /// match several labels.
        #[doc(alias = "X509_CHECK_FLAG_MULTI_LABEL_WILDCARDS")]
        const MULTI_LABEL_WILDCARDS = 0x8;
        /// `X509_CHECK_FLAG_SINGLE_LABEL_SUBDOMAINS`: a host `.example.com`
        /// matches only direct sub-domains (`a.example.com`).
        #[doc(alias = "X509_CHECK_FLAG_SINGLE_LABEL_SUBDOMAINS")]
        const SINGLE_LABEL_SUBDOMAINS = 0x10;
        /// `X509_CHECK_FLAG_NEVER_CHECK_SUBJECT`: never look at the subject
        /// commonName.
        #[doc(alias = "X509_CHECK_FLAG_NEVER_CHECK_SUBJECT")]
        const NEVER_CHECK_SUBJECT = 0x20;
    }
}

/// What is being checked, with its comparison.
#[derive(Clone, Copy)]
enum Kind {
    Dns { wildcards: bool },
    Email,
    Ip,
}

/// Options of one comparison (the flags plus OpenSSL's internal
/// `_X509_CHECK_FLAG_DOT_SUBDOMAINS`).
#[derive(Clone, Copy)]
struct Opts {
    flags: HostFlags,
    dot_subdomains: bool,
}

fn lower(b: u8) -> u8 {
    b.to_ascii_lowercase()
}

/// `skip_prefix`: with a `.example.com` subject, compare only the
/// pattern's suffix of the subject's length (when what is skipped is
/// acceptable).
fn skip_prefix(pattern: &[u8], subject_len: usize, o: Opts) -> &[u8] {
    if !o.dot_subdomains {
        return pattern;
    }
    let mut p = pattern;
    while p.len() > subject_len {
        match p.first() {
            None | Some(0) => break,
            Some(b'.') if o.flags.contains(HostFlags::SINGLE_LABEL_SUBDOMAINS) => break,
            Some(_) => p = p.get(1..).unwrap_or_default(),
        }
    }
    if p.len() == subject_len {
        p
    } else {
        pattern
    }
}

/// `equal_nocase`: ASCII case-insensitive; a NUL in the pattern never matches.
fn equal_nocase(pattern: &[u8], subject: &[u8], o: Opts) -> bool {
    let pattern = skip_prefix(pattern, subject.len(), o);
    pattern.len() == subject.len()
        && pattern
            .iter()
            .zip(subject)
            .all(|(&l, &r)| l != 0 && lower(l) == lower(r))
}

/// `equal_case`: byte for byte.
fn equal_case(pattern: &[u8], subject: &[u8], o: Opts) -> bool {
    skip_prefix(pattern, subject.len(), o) == subject
}

/// `equal_email`: the part from the last `@` on case-insensitively, the
/// local part exactly.
fn equal_email(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let plain = Opts {
        flags: HostFlags::empty(),
        dot_subdomains: false,
    };
    let at = (0..a.len())
        .rev()
        .find(|&i| a.get(i) == Some(&b'@') || b.get(i) == Some(&b'@'));
    let local_end = match at {
        Some(i) => {
            let (da, db) = (
                a.get(i..).unwrap_or_default(),
                b.get(i..).unwrap_or_default(),
            );
            if !equal_nocase(da, db, plain) {
                return false;
            }
            if i == 0 {
                a.len()
            } else {
                i
            }
        }
        None => a.len(),
    };
    equal_case(
        a.get(..local_end).unwrap_or_default(),
        b.get(..local_end).unwrap_or_default(),
        plain,
    )
}

fn starts_xn(s: &[u8]) -> bool {
    s.len() >= 4 && s.get(..4).is_some_and(|p| p.eq_ignore_ascii_case(b"xn--"))
}

/// `valid_star`: the position of the pattern's one acceptable wildcard.
fn valid_star(p: &[u8], flags: HostFlags) -> Option<usize> {
    const START: u8 = 1;
    const HYPHEN: u8 = 4;
    const IDNA: u8 = 8;
    let mut star = None;
    let mut state = START;
    let mut dots = 0;
    for (i, &c) in p.iter().enumerate() {
        if c == b'*' {
            let at_start = state & START != 0;
            let at_end = i + 1 == p.len() || p.get(i + 1) == Some(&b'.');
            if star.is_some() || state & IDNA != 0 || dots > 0 {
                return None;
            }
            if flags.contains(HostFlags::NO_PARTIAL_WILDCARDS) && !(at_start && at_end) {
                return None;
            }
            if !at_start && !at_end {
                return None;
            }
            star = Some(i);
            state &= !START;
        } else if c.is_ascii_alphanumeric() {
            if state & START != 0 && starts_xn(p.get(i..).unwrap_or_default()) {
                state |= IDNA;
            }
            state &= !(HYPHEN | START);
        } else if c == b'.' {
            if state & (HYPHEN | START) != 0 {
                return None;
            }
            state = START;
            dots += 1;
        } else if c == b'-' {
            if state & START != 0 {
                return None;
            }
            state |= HYPHEN;
        } else {
            return None;
        }
    }
    if state & (START | HYPHEN) != 0 || dots < 2 {
        return None;
    }
    star
}

/// `wildcard_match`: `prefix*suffix` against the subject.
fn wildcard_match(prefix: &[u8], suffix: &[u8], subject: &[u8], o: Opts) -> bool {
    if subject.len() < prefix.len() + suffix.len() {
        return false;
    }
    let (head, rest) = subject.split_at(prefix.len());
    if !equal_nocase(prefix, head, o) {
        return false;
    }
    let (middle, tail) = rest.split_at(rest.len() - suffix.len());
    if !equal_nocase(tail, suffix, o) {
        return false;
    }
    let mut allow_multi = false;
    let mut allow_idna = false;
    if prefix.is_empty() && suffix.first() == Some(&b'.') {
        if middle.is_empty() {
            return false;
        }
        allow_idna = true;
        allow_multi = o.flags.contains(HostFlags::MULTI_LABEL_WILDCARDS);
    }
    if !allow_idna && starts_xn(subject) {
        return false;
    }
    if middle == b"*" {
        return true;
    }
    middle
        .iter()
        .all(|&c| c.is_ascii_alphanumeric() || c == b'-' || (allow_multi && c == b'.'))
}

/// `equal_wildcard`: a certificate name with a wildcard against the host.
fn equal_wildcard(pattern: &[u8], subject: &[u8], o: Opts) -> bool {
    let star = if subject.len() > 1 && subject.first() == Some(&b'.') {
        None
    } else {
        valid_star(pattern, o.flags)
    };
    match star {
        None => equal_nocase(pattern, subject, o),
        Some(i) => wildcard_match(
            pattern.get(..i).unwrap_or_default(),
            pattern.get(i + 1..).unwrap_or_default(),
            subject,
            o,
        ),
    }
}

fn equal(kind: Kind, cert_value: &[u8], wanted: &[u8], o: Opts) -> bool {
    match kind {
        Kind::Dns { wildcards: true } => equal_wildcard(cert_value, wanted, o),
        Kind::Dns { wildcards: false } => equal_nocase(cert_value, wanted, o),
        Kind::Email => equal_email(cert_value, wanted),
        Kind::Ip => equal_case(cert_value, wanted, o),
    }
}

/// The value of a string GeneralName: its content, or for a constructed
/// (BER) string the concatenated chunks.
fn string_value(g: &GeneralName) -> Cow<'_, [u8]> {
    if g.tag & 0x20 == 0 {
        return Cow::Borrowed(&g.content);
    }
    fn collect(content: &[u8], out: &mut Vec<u8>) {
        let mut r = crate::crypto::asn1::tlv::Reader::new(content);
        while let Ok(t) = r.read("string chunk") {
            if t.constructed() {
                collect(t.content, out);
            } else {
                out.extend_from_slice(t.content);
            }
        }
    }
    let mut out = Vec::new();
    collect(&g.content, &mut out);
    Cow::Owned(out)
}

/// The certificate's subjectAltName entries as `X509_get_ext_d2i` gives
/// them: `None` when the extension is absent, repeated or undecodable.
fn san_entries(cert: &X509) -> Option<Vec<GeneralName>> {
    let mut sans = cert
        .extensions()
        .iter()
        .filter(|e| e.id() == ids::SUBJECT_ALT_NAME);
    let first = sans.next()?;
    if sans.next().is_some() {
        return None;
    }
    general_name::subject_alt_names(first.data())
}

/// `do_x509_check`: `Ok(true)` on a match, `Err` when a subject attribute
/// to compare cannot be converted to UTF-8 (OpenSSL's -1).
fn do_check(cert: &X509, wanted: &[u8], kind: Kind, flags: HostFlags) -> Result<bool> {
    let (tag, subject_oid) = match kind {
        Kind::Dns { .. } => (GEN_DNS, Some(ids::COMMON_NAME)),
        Kind::Email => (GEN_EMAIL, Some(ids::EMAIL_ADDRESS)),
        Kind::Ip => (GEN_IPADD, None),
    };
    let o = Opts {
        flags,
        dot_subdomains: matches!(kind, Kind::Dns { .. })
            && wanted.len() > 1
            && wanted.first() == Some(&b'.'),
    };
    if let Some(names) = san_entries(cert) {
        let mut present = false;
        // Primitive or constructed encodings of the same choice.
        for g in names.iter().filter(|g| g.tag | 0x20 == tag | 0x20) {
            present = true;
            let v = string_value(g);
            if !v.is_empty() && equal(kind, &v, wanted, o) {
                return Ok(true);
            }
        }
        if present && !flags.contains(HostFlags::ALWAYS_CHECK_SUBJECT) {
            return Ok(false);
        }
    }
    let Some(oid) = subject_oid else {
        return Ok(false);
    };
    if flags.contains(HostFlags::NEVER_CHECK_SUBJECT) {
        return Ok(false);
    }
    for e in cert.subject().entries().iter().filter(|e| *e.id() == oid) {
        if e.content().is_empty() {
            continue;
        }
        let text = e.text().map_err(|err| {
            Error::invalid_string_by(
                "subject",
                format!("{} value is not a convertible string", e.short_name()),
                err,
            )
        })?;
        if equal(kind, text.as_bytes(), wanted, o) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// OpenSSL refuses names with a NUL byte (except a final one, dropped).
fn clean_name<'s>(what: &str, name: &'s str) -> Result<&'s str> {
    let name = name
        .strip_suffix('\0')
        .filter(|n| !n.is_empty())
        .unwrap_or(name);
    if name.is_empty() {
        return Err(Error::invalid_string(what, "empty"));
    }
    if name.contains('\0') {
        return Err(Error::invalid_string(
            what,
            format!("{name:?} has a NUL byte"),
        ));
    }
    Ok(name)
}

/// The bytes OpenSSL compares for an IP address.
pub(crate) fn ip_bytes(ip: IpAddr) -> Vec<u8> {
    match ip {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => v6.octets().to_vec(),
    }
}

impl X509 {
    /// Whether the certificate is valid for host name `host`
    /// (OpenSSL's `X509_check_host`; the rules are those of chain
    /// verification with [`X509Store::set_host`](crate::crypto::X509Store::set_host)):
    /// DNS subjectAltNames, or the subject's commonName when there is no DNS
    /// SAN; wildcards in the left-most label only, with two labels or more
    /// after them; ASCII case-insensitive. A `host` starting with `.` matches
    /// the sub-domains of it.
    ///
    /// ```
    /// # use puressl::crypto::{HostFlags, KeyType, PKey, X509Extension, X509};
    /// # let key = PKey::generate_key(KeyType::Ec, 256)?;
    /// # let mut cert = X509::new();
    /// # cert.set_version(2)?;
    /// # cert.subject_mut().set("CN", "ignored.example")?;
    /// # cert.set_issuer(&cert.subject().clone());
    /// # cert.set_pubkey(&key)?;
    /// # cert.gmtime_adj_not_before(0)?;
    /// # cert.gmtime_adj_not_after(3600)?;
    /// cert.add_extensions([X509Extension::new("subjectAltName", false, "DNS:*.example.com")?]);
    /// # cert.sign(&key, "sha256")?;
    /// assert!(cert.check_host("www.Example.COM", HostFlags::empty())?);
    /// assert!(!cert.check_host("a.b.example.com", HostFlags::empty())?);
    /// assert!(!cert.check_host("www.example.com", HostFlags::NO_WILDCARDS)?);
    /// // The commonName is not looked at: there is a DNS SAN.
    /// assert!(!cert.check_host("ignored.example", HostFlags::empty())?);
    /// # Ok::<(), puressl::crypto::Error>(())
    /// ```
    ///
    /// # Errors
    /// An empty host or one with a NUL byte (OpenSSL's -2), or a subject
    /// commonName that is not a string OpenSSL can convert (OpenSSL's -1).
    #[doc(alias = "X509_check_host")]
    pub fn check_host(&self, host: &str, flags: HostFlags) -> Result<bool> {
        let host = clean_name("host name", host)?;
        let wildcards = !flags.contains(HostFlags::NO_WILDCARDS);
        do_check(self, host.as_bytes(), Kind::Dns { wildcards }, flags)
    }

    /// Whether the certificate is valid for IP address `ip`
    /// (OpenSSL's `X509_check_ip`): an iPAddress subjectAltName with the
    /// same bytes (an IPv4 address never matches an IPv6 SAN, IPv4-mapped
    /// or not). The subject is never looked at.
    ///
    /// # Errors
    /// None today; the `Result` mirrors the other checks.
    #[doc(alias = "X509_check_ip")]
    #[doc(alias = "X509_check_ip_asc")]
    pub fn check_ip(&self, ip: IpAddr) -> Result<bool> {
        do_check(self, &ip_bytes(ip), Kind::Ip, HostFlags::empty())
    }

    /// Whether the certificate is valid for e-mail address `email`
    /// (OpenSSL's `X509_check_email`): rfc822Name subjectAltNames, or the
    /// subject's emailAddress attributes when there is no rfc822Name SAN;
    /// the local part compares exactly, the domain case-insensitively.
    ///
    /// # Errors
    /// An empty address or one with a NUL byte, or a subject emailAddress
    /// that is not a convertible string.
    #[doc(alias = "X509_check_email")]
    pub fn check_email(&self, email: &str) -> Result<bool> {
        let email = clean_name("e-mail address", email)?;
        do_check(self, email.as_bytes(), Kind::Email, HostFlags::empty())
    }
}

/// The identities chain verification checks on the leaf (OpenSSL's
/// `X509_VERIFY_PARAM` hosts, host flags, email and ip).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct IdParams {
    /// Any one of them must match (`X509_VERIFY_PARAM_add1_host`).
    pub(crate) hosts: Option<Vec<String>>,
    pub(crate) host_flags: Option<HostFlags>,
    pub(crate) email: Option<String>,
    pub(crate) ip: Option<IpAddr>,
}

impl IdParams {
    /// `X509_VERIFY_PARAM_set1_host`: `""` clears the list.
    pub(crate) fn set_host(&mut self, host: &str) -> Result<()> {
        if host.is_empty() {
            self.hosts = Some(Vec::new());
            return Ok(());
        }
        let h = clean_name("host name", host)?;
        self.hosts = Some(vec![h.to_string()]);
        Ok(())
    }

    /// `X509_VERIFY_PARAM_add1_host`.
    pub(crate) fn add_host(&mut self, host: &str) -> Result<()> {
        let h = clean_name("host name", host)?.to_string();
        self.hosts.get_or_insert_with(Vec::new).push(h);
        Ok(())
    }

    /// `X509_VERIFY_PARAM_set1_email`.
    pub(crate) fn set_email(&mut self, email: &str) -> Result<()> {
        self.email = Some(clean_name("e-mail address", email)?.to_string());
        Ok(())
    }

    /// These settings where set, else `base`'s (a context over its store).
    pub(crate) fn over(&self, base: &IdParams) -> IdParams {
        IdParams {
            hosts: self.hosts.clone().or_else(|| base.hosts.clone()),
            host_flags: self.host_flags.or(base.host_flags),
            email: self.email.clone().or_else(|| base.email.clone()),
            ip: self.ip.or(base.ip),
        }
    }

    /// `check_id`'s three checks on `leaf`: the codes of those that fail,
    /// in OpenSSL's order (62 host, 63 e-mail, 64 IP). A check that cannot
    /// be made counts as failed, as in OpenSSL.
    pub(crate) fn failures(&self, leaf: &X509) -> Vec<X509VerifyError> {
        let mut out = Vec::new();
        if let Some(hosts) = self.hosts.as_ref().filter(|h| !h.is_empty()) {
            let flags = self.host_flags.unwrap_or_default();
            if !hosts
                .iter()
                .any(|h| leaf.check_host(h, flags).unwrap_or(false))
            {
                out.push(X509VerifyError::HOSTNAME_MISMATCH);
            }
        }
        if let Some(e) = &self.email
            && !leaf.check_email(e).unwrap_or(false)
        {
            out.push(X509VerifyError::EMAIL_MISMATCH);
        }
        if let Some(ip) = self.ip
            && !leaf.check_ip(ip).unwrap_or(false)
        {
            out.push(X509VerifyError::IP_ADDRESS_MISMATCH);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(flags: HostFlags) -> Opts {
        Opts {
            flags,
            dot_subdomains: false,
        }
    }

    #[test]
    fn wildcards() {
        let f = o(HostFlags::empty());
        assert!(equal_wildcard(b"*.example.com", b"www.example.com", f));
        assert!(!equal_wildcard(b"*.example.com", b"example.com", f));
        assert!(!equal_wildcard(b"*.example.com", b"a.b.example.com", f));
        assert!(!equal_wildcard(b"*.com", b"example.com", f));
        assert!(equal_wildcard(b"f*.example.com", b"foo.example.com", f));
        assert!(equal_wildcard(b"*o.example.com", b"foo.example.com", f));
        assert!(!equal_wildcard(b"f*o.example.com", b"foo.example.com", f));
        assert!(!equal_wildcard(b"www.*.com", b"www.example.com", f));
        assert!(!equal_wildcard(
            b"xn--*.example.com",
            b"xn--a.example.com",
            f
        ));
        assert!(equal_wildcard(
            b"*.example.com",
            b"xn--bcher-kva.example.com",
            f
        ));
        assert!(!equal_wildcard(b"f*.example.com", b"xn--f.example.com", f));
        let np = o(HostFlags::NO_PARTIAL_WILDCARDS);
        assert!(!equal_wildcard(b"f*.example.com", b"foo.example.com", np));
        assert!(equal_wildcard(b"*.example.com", b"foo.example.com", np));
        let ml = o(HostFlags::MULTI_LABEL_WILDCARDS);
        assert!(equal_wildcard(b"*.example.com", b"a.b.example.com", ml));
        assert!(equal_wildcard(b"*.example.com", b"*.example.com", f));
    }

    #[test]
    fn emails_and_subdomains() {
        assert!(equal_email(b"User@Example.COM", b"User@example.com"));
        assert!(!equal_email(b"user@example.com", b"User@example.com"));
        assert!(!equal_email(b"a@b@example.com", b"a@B@example.com"));
        let d = Opts {
            flags: HostFlags::empty(),
            dot_subdomains: true,
        };
        assert!(equal_nocase(b"a.b.example.com", b".example.com", d));
        let single = Opts {
            flags: HostFlags::SINGLE_LABEL_SUBDOMAINS,
            dot_subdomains: true,
        };
        assert!(equal_nocase(b"b.example.com", b".example.com", single));
        assert!(!equal_nocase(b"a.b.example.com", b".example.com", single));
    }
}
