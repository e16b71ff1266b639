//! OpenSSL's printed form of extension values: `X509V3_EXT_print` with the
//! `i2v` / `i2s` / `i2r` method of each extension type, as OpenSSL 3.0 has
//! them.

use const_oid::ObjectIdentifier;

use super::build::{KEY_USAGE, NS_CERT_TYPE, REASON_FLAGS, TLS_FEATURES};
use super::dirname::dirname_print_ex;
use super::general_name::{self, c_str};
use super::names;
use super::WHAT;
use crate::crypto::asn1::ber;
use crate::crypto::asn1::tlv::{self, tag, Reader};
use crate::crypto::asn1::value;

/// An `i2v` result: `(name, value)` pairs, printed as `name:value`.
type Values = Vec<(Option<String>, Option<String>)>;

fn pad(indent: usize) -> String {
    " ".repeat(indent)
}

/// `X509V3_EXT_val_prn`.
fn val_prn(vals: &Values, indent: usize, multiline: bool) -> String {
    let mut s = String::new();
    if !multiline || vals.is_empty() {
        s.push_str(&pad(indent));
        if vals.is_empty() {
            s.push_str("<EMPTY>\n");
        }
    }
    for (i, (name, value)) in vals.iter().enumerate() {
        if multiline {
            if i > 0 {
                s.push('\n');
            }
            s.push_str(&pad(indent));
        } else if i > 0 {
            s.push_str(", ");
        }
        match (name, value) {
            (None, Some(v)) => s.push_str(v),
            (Some(n), None) => s.push_str(n),
            (Some(n), Some(v)) => {
                s.push_str(n);
                s.push(':');
                s.push_str(v);
            }
            (None, None) => {}
        }
    }
    s
}

/// What `X509V3_EXT_print(out, ext, 0, indent)` writes, or `None` where it
/// returns 0 (unknown extension, undecodable value, a printer that fails).
/// With `indent_quirk`, the printers that fail at indent 0 in OpenSSL
/// (`BIO_printf("%*s", 0, "")` returns 0) fail here too.
pub(crate) fn ext_print(
    oid: &ObjectIdentifier,
    data: &[u8],
    indent: usize,
    indent_quirk: bool,
) -> Option<String> {
    let sn = names::short_name(oid)?;
    // OpenSSL's d2i reads the value as BER and ignores what follows it.
    let data = ber::ext_value(data)?;
    let data = &*data;
    let i2s = |s: String| Some(format!("{}{s}", pad(indent)));
    let ml = |v: Values| Some(val_prn(&v, indent, true));
    let one = |v: Values| Some(val_prn(&v, indent, false));
    let quirk_fails = indent_quirk && indent == 0;
    match sn {
        "basicConstraints" => one(basic_constraints(data)?),
        "keyUsage" => one(bits(data, KEY_USAGE)?),
        "nsCertType" => one(bits(data, NS_CERT_TYPE)?),
        "extendedKeyUsage" => one(eku(data)?),
        "subjectAltName" | "issuerAltName" | "certificateIssuer" => one(general_names_i2v(
            tlv::parse_tagged(data, tag::SEQUENCE, WHAT).ok()?.reader(),
        )?),
        "subjectKeyIdentifier" => i2s(value::hex_colon(
            tlv::parse_one(data, WHAT)
                .ok()
                .filter(|t| t.tag == tag::OCTET_STRING)?
                .content,
        )),
        "authorityKeyIdentifier" => ml(aki(data)?),
        "nsComment" | "nsBaseUrl" | "nsRevocationUrl" | "nsCaRevocationUrl" | "nsRenewalUrl"
        | "nsCaPolicyUrl" | "nsSslServerName" => i2s(c_str(
            tlv::parse_one(data, WHAT)
                .ok()
                .filter(|t| t.tag == tag::IA5_STRING)?
                .content,
        )),
        "crlDistributionPoints" | "freshestCRL" => crl_dp(data, indent),
        "issuingDistributionPoint" => idp(data, indent),
        "authorityInfoAccess" | "subjectInfoAccess" => ml(info_access(data)?),
        "certificatePolicies" => policies(data, indent),
        "nameConstraints" => name_constraints(data, indent),
        "policyConstraints" => one(policy_constraints(data)?),
        "policyMappings" => one(policy_mappings(data)?),
        "inhibitAnyPolicy" | "crlNumber" | "deltaCRL" => i2s(value::int_to_string(
            tlv::parse_one(data, WHAT)
                .ok()
                .filter(|t| t.tag == tag::INTEGER)?
                .content,
        )?),
        "CRLReason" => i2s(crl_reason(data)?),
        "ct_precert_poison" => {
            tlv::parse_one(data, WHAT)
                .ok()
                .filter(|t| t.tag == tag::NULL && t.content.is_empty())?;
            i2s("NULL".to_owned())
        }
        "invalidityDate" | "archiveCutoff" if !quirk_fails => Some(format!(
            "{}{}",
            pad(indent),
            value::generalized_time(
                tlv::parse_one(data, WHAT)
                    .ok()
                    .filter(|t| t.tag == tag::GENERALIZED_TIME)?
                    .content
            )?
        )),
        "holdInstructionCode" if !quirk_fails => Some(format!(
            "{}{}",
            pad(indent),
            names::obj_text_raw(
                tlv::parse_one(data, WHAT)
                    .ok()
                    .filter(|t| t.tag == tag::OID)?
                    .content
            )?
        )),
        "privateKeyUsagePeriod" => key_usage_period(data, indent),
        "proxyCertInfo" => proxy_cert_info(data, indent),
        "ct_precert_scts" | "ct_cert_scts" => super::sct::print_sct_list(data, indent),
        // i2r_ocsp_nocheck prints nothing.
        "noCheck" => Some(String::new()),
        "tlsfeature" => one(tls_feature(data)?),
        _ => None,
    }
}

/// `i2v_BASIC_CONSTRAINTS`. By hand, not `x509-cert`'s derived type: cA is
/// any non-zero octet and pathlen any INTEGER (`CA:TRUE, pathlen:-1` or
/// `256` print), as OpenSSL's d2i reads them (CONTRIBUTING.md, "ASN.1
/// encodings").
fn basic_constraints(data: &[u8]) -> Option<Values> {
    let mut r = tlv::parse_tagged(data, tag::SEQUENCE, WHAT).ok()?.reader();
    let ca = match r.read_optional(tag::BOOLEAN, WHAT).ok()?.map(|t| t.content) {
        Some(b) => value::boolean(b)?,
        None => false,
    };
    let mut out = vec![(
        Some("CA".to_owned()),
        Some(if ca { "TRUE" } else { "FALSE" }.to_owned()),
    )];
    if let Some(p) = r.read_optional(tag::INTEGER, WHAT).ok()?.map(|t| t.content) {
        out.push((Some("pathlen".into()), Some(value::int_to_string(p)?)));
    }
    r.is_empty().then_some(out)
}

fn bits(data: &[u8], table: &[(usize, &str, &str)]) -> Option<Values> {
    let t = tlv::parse_one(data, WHAT)
        .ok()
        .filter(|t| t.tag == tag::BIT_STRING && value::bit_string_ok(t.content))?;
    let out: Values = table
        .iter()
        .filter(|(bit, _, _)| value::bit_is_set(t.content, *bit))
        .map(|(_, _, ln)| (Some((*ln).to_owned()), None))
        .collect();
    // i2v_ASN1_BIT_STRING returns NULL (a failure) when no bit is set.
    (!out.is_empty()).then_some(out)
}

fn eku(data: &[u8]) -> Option<Values> {
    let mut r = tlv::parse_tagged(data, tag::SEQUENCE, WHAT).ok()?.reader();
    let mut out = Values::new();
    while !r.is_empty() {
        out.push((
            None,
            Some(names::obj_text_buf(
                r.read_tag(tag::OID, WHAT).ok()?.content,
                80,
            )?),
        ));
    }
    (!out.is_empty()).then_some(out)
}

fn general_names_i2v(mut r: Reader<'_>) -> Option<Values> {
    let mut out = Values::new();
    while !r.is_empty() {
        let (n, v) = general_name::i2v(&r.read(WHAT).ok()?)?;
        out.push((Some(n), Some(v)));
    }
    Some(out)
}

/// `i2v_AUTHORITY_KEYID`. By hand: keyIdentifier `[0]` may be constructed,
/// which the derived type refuses and OpenSSL reads; fields out of order
/// fail as in OpenSSL (CONTRIBUTING.md, "ASN.1 encodings").
fn aki(data: &[u8]) -> Option<Values> {
    let mut r = tlv::parse_tagged(data, tag::SEQUENCE, WHAT).ok()?.reader();
    // keyIdentifier [0] may be constructed (BER), as OpenSSL's d2i allows.
    let keyid = match r.peek_tag() {
        Some(0x80 | 0xa0) => Some(ber::string_octets(&r.read(WHAT).ok()?, WHAT).ok()?),
        _ => None,
    };
    let issuer = r.read_optional(0xa1, WHAT).ok()?.map(|t| t.content);
    let serial = r.read_optional(0x82, WHAT).ok()?.map(|t| t.content);
    if !r.is_empty() {
        return None;
    }
    let mut out = Values::new();
    if let Some(k) = &keyid {
        let name = (issuer.is_some() || serial.is_some()).then(|| "keyid".to_owned());
        out.push((name, Some(value::hex_colon(k))));
    }
    if let Some(i) = issuer {
        out.extend(general_names_i2v(Reader::new(i))?);
    }
    if let Some(s) = serial {
        // The INTEGER's magnitude bytes, as OpenSSL stores them.
        let (_, mag) = value::int_magnitude(s)?;
        let mag = if mag.is_empty() { vec![0] } else { mag };
        out.push((Some("serial".into()), Some(value::hex_colon(&mag))));
    }
    // An empty authorityCertIssuer prints <EMPTY>; no field at all fails.
    (keyid.is_some() || issuer.is_some() || serial.is_some()).then_some(out)
}

fn info_access(data: &[u8]) -> Option<Values> {
    let mut r = tlv::parse_tagged(data, tag::SEQUENCE, WHAT).ok()?.reader();
    let mut out = Values::new();
    while !r.is_empty() {
        let mut d = r.read_tag(tag::SEQUENCE, WHAT).ok()?.reader();
        let method = names::obj_text_buf(d.read_tag(tag::OID, WHAT).ok()?.content, 80)?;
        let (n, v) = general_name::i2v(&d.read(WHAT).ok()?)?;
        if !d.is_empty() {
            return None;
        }
        out.push((Some(format!("{method} - {n}")), Some(v)));
    }
    Some(out)
}

/// `print_gens`.
fn print_gens(out: &mut String, names: &[u8], indent: usize) -> Option<()> {
    for (i, g) in general_name::list(names)?.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&pad(indent + 2));
        out.push_str(&general_name::print(g)?);
    }
    Some(())
}

/// `print_distpoint`: the content of a `DistributionPointName` [0] wrapper.
fn print_distpoint(out: &mut String, dpn: &[u8], indent: usize) -> Option<()> {
    let t = tlv::parse_one(dpn, WHAT).ok()?;
    match t.tag {
        0xa0 => {
            out.push_str(&format!("{}Full Name:\n", pad(indent)));
            print_gens(out, t.content, indent)
        }
        0xa1 => {
            out.push_str(&format!(
                "{}Relative Name:\n{}",
                pad(indent),
                pad(indent + 2)
            ));
            // The RDN printed as a one-RDN name.
            let name = tlv::tlv(tag::SEQUENCE, &tlv::tlv(0x31, t.content));
            out.push_str(&dirname_print_ex(&name)?);
            out.push('\n');
            Some(())
        }
        _ => None,
    }
}

/// `print_reasons`.
fn print_reasons(out: &mut String, label: &str, bits: &[u8], indent: usize) -> Option<()> {
    if !value::bit_string_ok(bits) {
        return None;
    }
    out.push_str(&format!("{}{label}:\n{}", pad(indent), pad(indent + 2)));
    let set: Vec<&str> = REASON_FLAGS
        .iter()
        .filter(|(b, _, _)| value::bit_is_set(bits, *b))
        .map(|(_, _, ln)| *ln)
        .collect();
    if set.is_empty() {
        out.push_str("<EMPTY>\n");
    } else {
        out.push_str(&set.join(", "));
        out.push('\n');
    }
    Some(())
}

/// Prints each SEQUENCE in `content` with `item`, a newline between two.
fn print_sequences(
    out: &mut String,
    content: &[u8],
    mut item: impl FnMut(&mut String, &mut Reader<'_>) -> Option<()>,
) -> Option<()> {
    let mut r = Reader::new(content);
    let mut first = true;
    while !r.is_empty() {
        if !first {
            out.push('\n');
        }
        first = false;
        let mut fields = r.read_tag(tag::SEQUENCE, WHAT).ok()?.reader();
        item(out, &mut fields)?;
    }
    Some(())
}

/// `Some` when every field of `r` was read.
fn all_read(r: &Reader<'_>) -> Option<()> {
    r.is_empty().then_some(())
}

fn crl_dp(data: &[u8], indent: usize) -> Option<String> {
    let points = tlv::parse_tagged(data, tag::SEQUENCE, WHAT).ok()?.content;
    let mut out = String::new();
    print_sequences(&mut out, points, |out, p| {
        if let Some(dpn) = p.read_optional(0xa0, WHAT).ok()?.map(|t| t.content) {
            print_distpoint(out, dpn, indent)?;
        }
        if let Some(reasons) = p.read_optional(0x81, WHAT).ok()?.map(|t| t.content) {
            print_reasons(out, "Reasons", reasons, indent)?;
        }
        if let Some(issuer) = p.read_optional(0xa2, WHAT).ok()?.map(|t| t.content) {
            out.push_str(&format!("{}CRL Issuer:\n", pad(indent)));
            print_gens(out, issuer, indent)?;
        }
        all_read(p)
    })?;
    Some(out)
}

fn idp(data: &[u8], indent: usize) -> Option<String> {
    let mut r = tlv::parse_tagged(data, tag::SEQUENCE, WHAT).ok()?.reader();
    let mut out = String::new();
    let dp = r.read_optional(0xa0, WHAT).ok()?.map(|t| t.content);
    let flag = |c: Option<&[u8]>| c.map(value::boolean).unwrap_or(Some(false));
    let user = flag(r.read_optional(0x81, WHAT).ok()?.map(|t| t.content))?;
    let ca = flag(r.read_optional(0x82, WHAT).ok()?.map(|t| t.content))?;
    let reasons = r.read_optional(0x83, WHAT).ok()?.map(|t| t.content);
    let indirect = flag(r.read_optional(0x84, WHAT).ok()?.map(|t| t.content))?;
    let attr = flag(r.read_optional(0x85, WHAT).ok()?.map(|t| t.content))?;
    if !r.is_empty() {
        return None;
    }
    if let Some(dpn) = dp {
        print_distpoint(&mut out, dpn, indent)?;
    }
    let p = pad(indent);
    if user {
        out.push_str(&format!("{p}Only User Certificates\n"));
    }
    if ca {
        out.push_str(&format!("{p}Only CA Certificates\n"));
    }
    if indirect {
        out.push_str(&format!("{p}Indirect CRL\n"));
    }
    if let Some(bits) = reasons {
        print_reasons(&mut out, "Only Some Reasons", bits, indent)?;
    }
    if attr {
        out.push_str(&format!("{p}Only Attribute Certificates\n"));
    }
    if dp.is_none() && !user && !ca && !indirect && reasons.is_none() && !attr {
        out.push_str(&format!("{p}<EMPTY>\n"));
    }
    Some(out)
}

fn policies(data: &[u8], indent: usize) -> Option<String> {
    let infos = tlv::parse_tagged(data, tag::SEQUENCE, WHAT).ok()?.content;
    let mut out = String::new();
    print_sequences(&mut out, infos, |out, info| {
        let id = names::obj_text_raw(info.read_tag(tag::OID, WHAT).ok()?.content)?;
        out.push_str(&format!("{}Policy: {id}", pad(indent)));
        if let Some(quals) = info
            .read_optional(tag::SEQUENCE, WHAT)
            .ok()?
            .map(|t| t.content)
        {
            out.push('\n');
            print_qualifiers(out, quals, indent + 2)?;
        }
        all_read(info)
    })?;
    Some(out)
}

fn print_qualifiers(out: &mut String, quals: &[u8], indent: usize) -> Option<()> {
    print_sequences(out, quals, |out, q| {
        let id = q.read_tag(tag::OID, WHAT).ok()?.content;
        let name = names::obj_text_raw(id)?;
        match name.as_str() {
            "Policy Qualifier CPS" => {
                let uri = q.read_tag(tag::IA5_STRING, WHAT).ok()?.content;
                out.push_str(&format!("{}CPS: {}", pad(indent), c_str(uri)));
            }
            "Policy Qualifier User Notice" => {
                out.push_str(&format!("{}User Notice:\n", pad(indent)));
                print_notice(
                    out,
                    q.read_tag(tag::SEQUENCE, WHAT).ok()?.content,
                    indent + 2,
                )?;
            }
            _ => {
                out.push_str(&format!("{}Unknown Qualifier: {name}", pad(indent + 2)));
                q.read(WHAT).ok()?;
            }
        }
        all_read(q)
    })
}

/// A DisplayText CHOICE: IA5String, VisibleString, BMPString, UTF8String.
fn display_text(r: &mut Reader<'_>) -> Option<String> {
    let t = r.read(WHAT).ok()?;
    matches!(t.tag, 0x16 | 0x1a | 0x1e | 0x0c).then(|| c_str(t.content))
}

fn print_notice(out: &mut String, notice: &[u8], indent: usize) -> Option<()> {
    let mut r = Reader::new(notice);
    let p = pad(indent);
    let noticeref = r
        .read_optional(tag::SEQUENCE, WHAT)
        .ok()?
        .map(|t| t.content);
    let exptext = if r.is_empty() {
        None
    } else {
        Some(display_text(&mut r)?)
    };
    if !r.is_empty() {
        return None;
    }
    if let Some(nr) = noticeref {
        let mut nr = Reader::new(nr);
        let org = display_text(&mut nr)?;
        let mut nums = nr.read_tag(tag::SEQUENCE, WHAT).ok()?.reader();
        let mut list = Vec::new();
        while !nums.is_empty() {
            list.push(value::int_to_string(
                nums.read_tag(tag::INTEGER, WHAT).ok()?.content,
            )?);
        }
        out.push_str(&format!("{p}Organization: {org}\n"));
        let s = if list.len() > 1 { "s" } else { "" };
        out.push_str(&format!("{p}Number{s}: {}", list.join(", ")));
        if exptext.is_some() {
            out.push('\n');
        }
    }
    if let Some(text) = exptext {
        out.push_str(&format!("{p}Explicit Text: {text}"));
    }
    Some(())
}

/// `i2r_NAME_CONSTRAINTS`. By hand, like the verifier's reader
/// (`store/cert_view.rs`): minimum and maximum are checked but not printed,
/// and a base string in the constructed form is joined (CONTRIBUTING.md,
/// "ASN.1 encodings").
fn name_constraints(data: &[u8], indent: usize) -> Option<String> {
    let mut r = tlv::parse_tagged(data, tag::SEQUENCE, WHAT).ok()?.reader();
    let permitted = r.read_optional(0xa0, WHAT).ok()?.map(|t| t.content);
    let excluded = r.read_optional(0xa1, WHAT).ok()?.map(|t| t.content);
    if !r.is_empty() {
        return None;
    }
    let mut out = String::new();
    let subtrees = |out: &mut String, trees: Option<&[u8]>, label: &str| -> Option<()> {
        let Some(trees) = trees else { return Some(()) };
        if !trees.is_empty() {
            out.push_str(&format!("{}{label}:\n", pad(indent)));
        }
        print_sequences(out, trees, |out, sub| {
            let base = sub.read(WHAT).ok()?;
            out.push_str(&pad(indent + 2));
            if let Some((general_name::gn::IP, c)) = general_name::primitive(&base) {
                let len1 = if c.len() >= 16 {
                    16
                } else if c.len() >= 4 {
                    4
                } else {
                    c.len()
                };
                let (a, m) = c.split_at(len1);
                out.push_str(&format!(
                    "IP:{}/{}",
                    general_name::ip_to_text(a),
                    general_name::ip_to_text(m)
                ));
            } else {
                out.push_str(&general_name::print(&base)?);
            }
            // minimum and maximum: not printed, but OpenSSL's d2i fails (and
            // the value is dumped) when they are out of order or not INTEGERs.
            general_name::subtree_bounds(sub)?;
            all_read(sub)
        })
    };
    subtrees(&mut out, permitted, "Permitted")?;
    if permitted.is_some() && excluded.is_some() {
        out.push('\n');
    }
    subtrees(&mut out, excluded, "Excluded")?;
    Some(out)
}

fn policy_constraints(data: &[u8]) -> Option<Values> {
    let mut r = tlv::parse_tagged(data, tag::SEQUENCE, WHAT).ok()?.reader();
    let mut out = Values::new();
    if let Some(v) = r.read_optional(0x80, WHAT).ok()?.map(|t| t.content) {
        out.push((
            Some("Require Explicit Policy".into()),
            Some(value::int_to_string(v)?),
        ));
    }
    if let Some(v) = r.read_optional(0x81, WHAT).ok()?.map(|t| t.content) {
        out.push((
            Some("Inhibit Policy Mapping".into()),
            Some(value::int_to_string(v)?),
        ));
    }
    (r.is_empty() && !out.is_empty()).then_some(out)
}

fn policy_mappings(data: &[u8]) -> Option<Values> {
    let mut r = tlv::parse_tagged(data, tag::SEQUENCE, WHAT).ok()?.reader();
    let mut out = Values::new();
    while !r.is_empty() {
        let mut m = r.read_tag(tag::SEQUENCE, WHAT).ok()?.reader();
        let a = names::obj_text_buf(m.read_tag(tag::OID, WHAT).ok()?.content, 80)?;
        let b = names::obj_text_buf(m.read_tag(tag::OID, WHAT).ok()?.content, 80)?;
        if !m.is_empty() {
            return None;
        }
        out.push((Some(a), Some(b)));
    }
    (!out.is_empty()).then_some(out)
}

fn crl_reason(data: &[u8]) -> Option<String> {
    const REASONS: &[(&[u8], &str)] = &[
        (&[0], "Unspecified"),
        (&[1], "Key Compromise"),
        (&[2], "CA Compromise"),
        (&[3], "Affiliation Changed"),
        (&[4], "Superseded"),
        (&[5], "Cessation Of Operation"),
        (&[6], "Certificate Hold"),
        (&[8], "Remove From CRL"),
        (&[9], "Privilege Withdrawn"),
        (&[10], "AA Compromise"),
    ];
    let t = tlv::parse_one(data, WHAT)
        .ok()
        .filter(|t| t.tag == tag::ENUMERATED)?;
    match REASONS.iter().find(|(v, _)| *v == t.content) {
        Some((_, name)) => Some((*name).to_owned()),
        None => value::int_to_string(t.content),
    }
}

fn tls_feature(data: &[u8]) -> Option<Values> {
    let mut r = tlv::parse_tagged(data, tag::SEQUENCE, WHAT).ok()?.reader();
    let mut out = Values::new();
    while !r.is_empty() {
        let text = value::int_to_string(r.read_tag(tag::INTEGER, WHAT).ok()?.content)?;
        let name = TLS_FEATURES
            .iter()
            .find(|(id, _)| id.to_string() == text)
            .map_or(text, |(_, n)| (*n).to_owned());
        out.push((None, Some(name)));
    }
    (!out.is_empty()).then_some(out)
}

fn key_usage_period(data: &[u8], indent: usize) -> Option<String> {
    let mut r = tlv::parse_tagged(data, tag::SEQUENCE, WHAT).ok()?.reader();
    let before = r.read_optional(0x80, WHAT).ok()?.map(|t| t.content);
    let after = r.read_optional(0x81, WHAT).ok()?.map(|t| t.content);
    if !r.is_empty() {
        return None;
    }
    let mut out = pad(indent);
    if let Some(b) = before {
        out.push_str("Not Before: ");
        out.push_str(&value::generalized_time(b)?);
        if after.is_some() {
            out.push_str(", ");
        }
    }
    if let Some(a) = after {
        out.push_str("Not After: ");
        out.push_str(&value::generalized_time(a)?);
    }
    Some(out)
}

/// `i2a_ASN1_INTEGER`: `-` for negative values, the magnitude in hex (`00`
/// for zero), a backslash-newline every 35 bytes.
fn int_hex(content: &[u8]) -> Option<String> {
    let (negative, mag) = value::int_magnitude(content)?;
    let mag = if mag.is_empty() { vec![0] } else { mag };
    let mut out = String::from(if negative { "-" } else { "" });
    for (i, b) in mag.iter().enumerate() {
        if i > 0 && i % 35 == 0 {
            out.push_str("\\\n");
        }
        out.push_str(&format!("{b:02X}"));
    }
    Some(out)
}

/// `i2r_pci`.
fn proxy_cert_info(data: &[u8], indent: usize) -> Option<String> {
    let mut r = tlv::parse_tagged(data, tag::SEQUENCE, WHAT).ok()?.reader();
    let pathlen = r.read_optional(tag::INTEGER, WHAT).ok()?.map(|t| t.content);
    let mut policy = r.read_tag(tag::SEQUENCE, WHAT).ok()?.reader();
    if !r.is_empty() {
        return None;
    }
    let language = names::obj_text_raw(policy.read_tag(tag::OID, WHAT).ok()?.content)?;
    let text = policy
        .read_optional(tag::OCTET_STRING, WHAT)
        .ok()?
        .map(|t| t.content);
    if !policy.is_empty() {
        return None;
    }
    let p = pad(indent);
    let pathlen = match pathlen {
        Some(v) => int_hex(v)?,
        None => "infinite".to_owned(),
    };
    let mut out = format!("{p}Path Length Constraint: {pathlen}\n{p}Policy Language: {language}");
    if let Some(t) = text {
        out.push_str(&format!("\n{p}Policy Text: {}", c_str(t)));
    }
    Some(out)
}

/// `X509V3_EXT_print` of a subjectAltName the pyOpenSSL way; `Err(())`
/// where pyOpenSSL raises.
pub(crate) fn py_subject_alt_name(data: &[u8], lossy: bool) -> Result<String, ()> {
    let data = ber::ext_value(data).ok_or(())?;
    let t = tlv::parse_tagged(&data, tag::SEQUENCE, WHAT).map_err(|_| ())?;
    let list = general_name::list(t.content).ok_or(())?;
    let parts: Result<Vec<String>, ()> = list
        .iter()
        .map(|g| general_name::py_san(g, lossy))
        .collect();
    Ok(parts?.join(", "))
}
