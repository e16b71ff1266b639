//! Name constraints as OpenSSL checks them (`NAME_CONSTRAINTS_check` and
//! `NAME_CONSTRAINTS_check_CN`).

use super::cert_view::{CertInfo, GeneralName, NameConstraints};
use super::general_name::{GEN_DIRNAME, GEN_DNS, GEN_EMAIL, GEN_IPADD, GEN_URI};
use super::X509VerifyError as E;
use crate::crypto::asn1::oid::ids;
use crate::crypto::X509Name;

const IA5STRING: u8 = 22;

type R = Result<(), E>;

/// OpenSSL's `NAME_CHECK_MAX`: the most name × constraint comparisons one
/// certificate may need.
const NAME_CHECK_MAX: usize = 1 << 20;

/// The canonical encoding of a DER `Name` given by its SEQUENCE content.
fn canon_of_dirname(content: &[u8]) -> Option<Vec<u8>> {
    let name = crate::crypto::asn1::tlv::parse_one(content, "directoryName").ok()?;
    X509Name::from_tlv_content(name.content)
        .ok()
        .map(|n| n.canonical())
}

fn eq_ic(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.eq_ignore_ascii_case(b)
}

fn nc_dn(name_canon: &[u8], base: &[u8]) -> R {
    let base = canon_of_dirname(base).ok_or(E::UNSUPPORTED_CONSTRAINT_SYNTAX)?;
    if name_canon.starts_with(&base) {
        Ok(())
    } else {
        Err(E::PERMITTED_VIOLATION)
    }
}

fn nc_dns(dns: &[u8], base: &[u8]) -> R {
    if base.is_empty() {
        return Ok(());
    }
    if dns.len() < base.len() {
        return Err(E::PERMITTED_VIOLATION);
    }
    let off = dns.len() - base.len();
    if off > 0 && base.first() != Some(&b'.') && dns.get(off - 1) != Some(&b'.') {
        return Err(E::PERMITTED_VIOLATION);
    }
    if eq_ic(dns.get(off..).unwrap_or_default(), base) {
        Ok(())
    } else {
        Err(E::PERMITTED_VIOLATION)
    }
}

/// `nc_email`, except that the address is split at its *first* `@`
/// where OpenSSL 3.0 takes the last: `a@evil.example@example.com` has the
/// host `evil.example@example.com` here, which no `example.com` constraint
/// permits, while OpenSSL matches `example.com` and accepts it. An address
/// with two `@` is not a valid RFC 5322 mailbox without quoting; refusing
/// it under a constraint is the safe reading (issue 15 keeps it).
fn nc_email(eml: &[u8], base: &[u8]) -> R {
    let emlat = eml
        .iter()
        .position(|&b| b == b'@')
        .ok_or(E::UNSUPPORTED_NAME_SYNTAX)?;
    let baseat = base.iter().position(|&b| b == b'@');
    if baseat.is_none() && base.first() == Some(&b'.') {
        if eml.len() > base.len()
            && eq_ic(eml.get(eml.len() - base.len()..).unwrap_or_default(), base)
        {
            return Ok(());
        }
        return Err(E::PERMITTED_VIOLATION);
    }
    let mut host_base = base;
    if let Some(at) = baseat {
        if at != 0 && base.get(..at) != eml.get(..emlat) {
            return Err(E::PERMITTED_VIOLATION);
        }
        host_base = base.get(at + 1..).unwrap_or_default();
    }
    if eq_ic(eml.get(emlat + 1..).unwrap_or_default(), host_base) {
        Ok(())
    } else {
        Err(E::PERMITTED_VIOLATION)
    }
}

fn nc_uri(uri: &[u8], base: &[u8]) -> R {
    let colon = uri
        .iter()
        .position(|&b| b == b':')
        .ok_or(E::UNSUPPORTED_NAME_SYNTAX)?;
    if uri.get(colon + 1..colon + 3) != Some(b"//") {
        return Err(E::UNSUPPORTED_NAME_SYNTAX);
    }
    let host_all = uri.get(colon + 3..).unwrap_or_default();
    let end = host_all
        .iter()
        .position(|&b| b == b':')
        .or_else(|| host_all.iter().position(|&b| b == b'/'))
        .unwrap_or(host_all.len());
    let host = host_all.get(..end).unwrap_or_default();
    if host.is_empty() {
        return Err(E::UNSUPPORTED_NAME_SYNTAX);
    }
    if base.first() == Some(&b'.') {
        if host.len() > base.len()
            && eq_ic(
                host.get(host.len() - base.len()..).unwrap_or_default(),
                base,
            )
        {
            return Ok(());
        }
        return Err(E::PERMITTED_VIOLATION);
    }
    if eq_ic(host, base) {
        Ok(())
    } else {
        Err(E::PERMITTED_VIOLATION)
    }
}

/// `nc_ip`: an address (4 or 16 bytes) against an address and mask (8 or
/// 32); other lengths on either side are `UNSUPPORTED_NAME_SYNTAX` (53),
/// as in OpenSSL.
fn nc_ip(ip: &[u8], base: &[u8]) -> R {
    if ip.len() != 4 && ip.len() != 16 {
        return Err(E::UNSUPPORTED_NAME_SYNTAX);
    }
    if base.len() != 8 && base.len() != 32 {
        return Err(E::UNSUPPORTED_NAME_SYNTAX);
    }
    if ip.len() * 2 != base.len() {
        return Err(E::PERMITTED_VIOLATION);
    }
    let (addr, mask) = base.split_at(ip.len());
    let ok = ip
        .iter()
        .zip(addr)
        .zip(mask)
        .all(|((h, b), m)| h & m == b & m);
    if ok {
        Ok(())
    } else {
        Err(E::PERMITTED_VIOLATION)
    }
}

/// `nc_match_single`: `Ok` when `gen` is inside `base` (same type).
fn match_single(tag: u8, value: &[u8], base: &[u8]) -> R {
    match tag {
        GEN_DIRNAME => nc_dn(value, base),
        GEN_DNS => nc_dns(value, base),
        GEN_EMAIL => nc_email(value, base),
        GEN_URI => nc_uri(value, base),
        GEN_IPADD => nc_ip(value, base),
        _ => Err(E::UNSUPPORTED_CONSTRAINT_TYPE),
    }
}

/// `nc_match`: a name of type `tag` (for dirName: its canonical encoding)
/// against the permitted and excluded subtrees.
fn nc_match(tag: u8, value: &[u8], nc: &NameConstraints) -> R {
    let mut matched = 0;
    for sub in &nc.permitted {
        if sub.tag != tag {
            continue;
        }
        if sub.min_max {
            return Err(E::SUBTREE_MINMAX);
        }
        if matched == 2 {
            continue;
        }
        matched = 1;
        match match_single(tag, value, &sub.content) {
            Ok(()) => matched = 2,
            Err(e) if e == E::PERMITTED_VIOLATION => {}
            Err(e) => return Err(e),
        }
    }
    if matched == 1 {
        return Err(E::PERMITTED_VIOLATION);
    }
    for sub in &nc.excluded {
        if sub.tag != tag {
            continue;
        }
        if sub.min_max {
            return Err(E::SUBTREE_MINMAX);
        }
        match match_single(tag, value, &sub.content) {
            Ok(()) => return Err(E::EXCLUDED_VIOLATION),
            Err(e) if e == E::PERMITTED_VIOLATION => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The tag OpenSSL compares a SAN entry's type with: dirName values are
/// compared by canonical encoding.
fn gen_value(g: &GeneralName) -> Option<Vec<u8>> {
    if g.tag == GEN_DIRNAME {
        canon_of_dirname(&g.content)
    } else {
        Some(g.content.clone())
    }
}

/// `NAME_CONSTRAINTS_check`: the subject DN, its emailAddress attributes
/// and every subjectAltName entry.
///
/// Like OpenSSL, refuses the work when (subject entries + SANs) ×
/// (permitted + excluded subtrees) exceeds [`NAME_CHECK_MAX`]: error 1
/// (`UNSPECIFIED`).
pub(crate) fn check(x: &CertInfo, nc: &NameConstraints) -> R {
    let subject = x.cert.subject();
    let names = subject.entry_count() + x.san.as_ref().map_or(0, Vec::len);
    let constraints = nc.permitted.len() + nc.excluded.len();
    if names > 0 && constraints > NAME_CHECK_MAX / names {
        return Err(E::UNSPECIFIED);
    }
    if subject.entry_count() > 0 {
        nc_match(GEN_DIRNAME, &subject.canonical(), nc)?;
        for e in subject
            .entries()
            .iter()
            .filter(|e| *e.id() == ids::EMAIL_ADDRESS)
        {
            if e.asn1_tag() != IA5STRING {
                return Err(E::UNSUPPORTED_NAME_SYNTAX);
            }
            nc_match(GEN_EMAIL, e.raw_value(), nc)?;
        }
    }
    for g in x.san.iter().flatten() {
        match gen_value(g) {
            Some(v) => nc_match(g.tag, &v, nc)?,
            None => return Err(E::UNSUPPORTED_NAME_SYNTAX),
        }
    }
    Ok(())
}

/// `cn2dnsid`: the CN as a DNS name if it looks like one (two or more
/// labels of letters, digits, `_` and inner `-`).
fn cn2dnsid(text: &str) -> Result<Option<Vec<u8>>, E> {
    let mut v = text.as_bytes().to_vec();
    if v.last() == Some(&0) {
        v.pop();
    }
    if v.contains(&0) {
        return Err(E::UNSUPPORTED_NAME_SYNTAX);
    }
    let n = v.len();
    let mut is_dns = false;
    for i in 0..n {
        let c = v.get(i).copied().unwrap_or(0);
        if c.is_ascii_alphanumeric() || c == b'_' {
            continue;
        }
        if i > 0 && i + 1 < n {
            if c == b'-' {
                continue;
            }
            let next = v.get(i + 1).copied().unwrap_or(0);
            let prev = v.get(i - 1).copied().unwrap_or(0);
            if c == b'.' && next != b'.' && prev != b'-' && next != b'-' {
                is_dns = true;
                continue;
            }
        }
        is_dns = false;
        break;
    }
    Ok(is_dns.then_some(v))
}

/// `NAME_CONSTRAINTS_check_CN`: commonNames that look like host names,
/// checked as DNS names (leaf certificates without a DNS subjectAltName).
pub(crate) fn check_cn(x: &CertInfo, nc: &NameConstraints) -> R {
    let has_dns = x.san.iter().flatten().any(|g| g.tag == GEN_DNS);
    if has_dns {
        return Ok(());
    }
    for e in x
        .cert
        .subject()
        .entries()
        .iter()
        .filter(|e| *e.id() == ids::COMMON_NAME)
    {
        let text = e.text().map_err(|_| E::UNSUPPORTED_NAME_SYNTAX)?;
        if let Some(dns) = cn2dnsid(&text)? {
            nc_match(GEN_DNS, &dns, nc)?;
        }
    }
    Ok(())
}
