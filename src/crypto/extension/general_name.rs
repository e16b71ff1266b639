//! `GeneralName`: building it from OpenSSL's config syntax (`DNS:x`,
//! `IP:1.2.3.4`, ...) and printing it the three ways OpenSSL and pyOpenSSL do
//! (`i2v_GENERAL_NAME`, `GENERAL_NAME_print`, pyOpenSSL's SAN format).

use std::borrow::Cow;
use std::net::Ipv6Addr;

use super::asn1gen;
use super::conf::{bad, Value};
use super::dirname::{dirname_oneline, dirname_print_ex};
use super::names;
use super::WHAT;
use crate::crypto::asn1::tlv::{self, tag, Reader, Tlv};
use crate::crypto::Result;

/// Context-specific tags of the `GeneralName` CHOICE.
pub(crate) mod gn {
    pub(crate) const OTHER_NAME: u8 = 0xa0;
    pub(crate) const EMAIL: u8 = 0x81;
    pub(crate) const DNS: u8 = 0x82;
    pub(crate) const X400: u8 = 0xa3;
    pub(crate) const DIR_NAME: u8 = 0xa4;
    pub(crate) const EDI_PARTY: u8 = 0xa5;
    pub(crate) const URI: u8 = 0x86;
    pub(crate) const IP: u8 = 0x87;
    pub(crate) const RID: u8 = 0x88;
}

/// `v2i_GENERAL_NAME_ex`: one `TYPE:value` item to a DER `GeneralName`.
/// `name_constraint` selects the `IP:addr/mask` form of nameConstraints.
pub(crate) fn from_conf(field: &str, item: &Value, name_constraint: bool) -> Result<Vec<u8>> {
    let value = item.value.as_deref().ok_or_else(|| {
        bad(
            field,
            format!("{:?} has no value (expected TYPE:value)", item.name),
        )
    })?;
    match item.name.as_str() {
        "DNS" => Ok(tlv::tlv(gn::DNS, value.as_bytes())),
        "email" => Ok(tlv::tlv(gn::EMAIL, value.as_bytes())),
        "URI" => Ok(tlv::tlv(gn::URI, value.as_bytes())),
        "RID" => {
            let oid = names::txt2obj(value)
                .ok_or_else(|| bad(field, format!("RID:{value}: not an object identifier")))?;
            Ok(tlv::tlv(gn::RID, oid.as_bytes()))
        }
        "IP" => {
            let bytes = if name_constraint {
                ip_with_mask(value)
            } else {
                ip_address(value)
            };
            let bytes =
                bytes.ok_or_else(|| bad(field, format!("IP:{value}: not a valid IP address")))?;
            Ok(tlv::tlv(gn::IP, &bytes))
        }
        "otherName" => {
            let (oid, rest) = value
                .split_once(';')
                .ok_or_else(|| bad(field, format!("otherName:{value}: expected OID;TYPE:value")))?;
            let oid = names::txt2obj(oid)
                .ok_or_else(|| bad(field, format!("otherName:{value}: {oid:?} is not an OID")))?;
            let inner = asn1gen::generate(field, rest)?;
            let body = [tlv::tlv(tag::OID, oid.as_bytes()), tlv::tlv(0xa0, &inner)].concat();
            Ok(tlv::tlv(gn::OTHER_NAME, &body))
        }
        "dirName" => Err(bad(
            field,
            format!(
                "{}:{value}: {} names need a configuration section, which puressl does not support",
                item.name, item.name
            ),
        )),
        other => Err(bad(
            field,
            format!("unsupported general name type {other:?} (use DNS, IP, email, URI or RID)"),
        )),
    }
}

/// `a2i_IPADDRESS`: an IPv4 or IPv6 address to 4 or 16 bytes.
fn ip_address(text: &str) -> Option<Vec<u8>> {
    if text.contains(':') {
        text.parse::<Ipv6Addr>().ok().map(|a| a.octets().to_vec())
    } else {
        ipv4(text)
    }
}

/// `ipv4_from_asc`: `sscanf("%d.%d.%d.%d")`, so each part may have leading
/// white space, a sign and leading zeros (`010.1.1.1` is 10.1.1.1). Text
/// after the address is refused (OpenSSL ignores it after white space).
fn ipv4(text: &str) -> Option<Vec<u8>> {
    let parts: Vec<&str> = text.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut out = Vec::with_capacity(4);
    for part in parts {
        let p = part.trim_start_matches(|c: char| c.is_ascii_whitespace());
        let (negative, digits) = match p.as_bytes().first() {
            Some(b'-') => (true, &p[1..]),
            Some(b'+') => (false, &p[1..]),
            _ => (false, p),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let v: u32 = digits.parse().ok()?;
        if negative && v != 0 {
            return None;
        }
        out.push(u8::try_from(v).ok()?);
    }
    Some(out)
}

/// `a2i_IPADDRESS_NC`: `address/mask`, both of the same family.
fn ip_with_mask(text: &str) -> Option<Vec<u8>> {
    let (addr, mask) = text.split_once('/')?;
    let mut out = ip_address(addr)?;
    let mask = ip_address(mask)?;
    if mask.len() != out.len() {
        return None;
    }
    out.extend_from_slice(&mask);
    Some(out)
}

/// `ossl_ipaddr_to_asc`.
pub(crate) fn ip_to_text(bytes: &[u8]) -> String {
    match bytes.len() {
        4 => bytes
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join("."),
        16 => bytes
            .chunks(2)
            .map(|c| {
                let v = c.iter().fold(0u16, |acc, &b| (acc << 8) | u16::from(b));
                format!("{v:X}")
            })
            .collect::<Vec<_>>()
            .join(":"),
        n => format!("<invalid length={n}>"),
    }
}

/// `ASN1_STRING_print`: control characters and bytes above `~` become `.`,
/// except newline and carriage return.
pub(crate) fn string_print(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| {
            if b > b'~' || (b < b' ' && b != b'\n' && b != b'\r') {
                '.'
            } else {
                char::from(b)
            }
        })
        .collect()
}

/// A C string view of raw bytes: up to the first NUL (`%s`, `%.*s`).
pub(crate) fn c_str(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(bytes.get(..end).unwrap_or_default()).into_owned()
}

/// `x509v3_add_len_value`: refuses embedded NULs (a final NUL is dropped).
fn len_value(bytes: &[u8]) -> Option<String> {
    let body = match bytes.split_last() {
        Some((&0, body)) => body,
        _ => bytes,
    };
    if body.contains(&0) {
        return None;
    }
    Some(String::from_utf8_lossy(body).into_owned())
}

/// The `otherName` types OpenSSL prints, with the string tag it expects.
fn other_name_kind(oid: &[u8]) -> Option<(&'static str, u8)> {
    let text = names::obj_text_raw(oid)?;
    Some(match text.as_str() {
        "Smtp UTF8 Mailbox" => ("SmtpUTF8Mailbox", tag::UTF8_STRING),
        "XmppAddr" => ("XmppAddr", tag::UTF8_STRING),
        "SRVName" => ("SRVName", tag::IA5_STRING),
        "Microsoft User Principal Name" => ("UPN", tag::UTF8_STRING),
        "NAIRealm" => ("NAIRealm", tag::UTF8_STRING),
        _ => return None,
    })
}

/// `(type OID content, value TLV)` of an otherName body.
fn other_name_parts(content: &[u8]) -> Option<(&[u8], Tlv<'_>)> {
    let mut r = Reader::new(content);
    let oid = r.read_tag(tag::OID, WHAT).ok()?.content;
    let explicit = r.read_tag(0xa0, WHAT).ok()?.content;
    if !r.is_empty() {
        return None;
    }
    Some((oid, tlv::parse_one(explicit, WHAT).ok()?))
}

/// Whether `[5]` content is an `EDIPartyName` OpenSSL decodes:
/// `[0] DirectoryString OPTIONAL, [1] DirectoryString` (explicit tags).
fn edi_party_ok(content: &[u8]) -> Option<()> {
    let directory_string = |c: &[u8]| -> Option<()> {
        let t = tlv::parse_one(c, WHAT).ok()?;
        matches!(t.tag, 0x0c | 0x13 | 0x14 | 0x1c | 0x1e).then_some(())
    };
    let mut r = Reader::new(content);
    if let Some(assigner) = r.read_optional(0xa0, WHAT).ok()?.map(|t| t.content) {
        directory_string(assigner)?;
    }
    directory_string(r.read_tag(0xa1, WHAT).ok()?.content)?;
    r.is_empty().then_some(())
}

/// The identifier octet and content of `gname`, a string choice in the
/// constructed (BER) form turned primitive, its chunks joined as OpenSSL's
/// d2i joins them.
pub(crate) fn primitive<'a>(gname: &Tlv<'a>) -> Option<(u8, Cow<'a, [u8]>)> {
    Some(match gname.tag {
        0xa1 | 0xa2 | 0xa6 | 0xa7 => (
            gname.tag & !0x20,
            Cow::Owned(crate::crypto::asn1::ber::collect_string(gname.content)?),
        ),
        tag => (tag, Cow::Borrowed(gname.content)),
    })
}

/// The `minimum [0]` and `maximum [1]` of a GeneralSubtree after its base,
/// in that order, each an INTEGER; `None` where OpenSSL's d2i fails (out of
/// order, repeated, not an INTEGER). The printer and the verifier's
/// nameConstraints reader both check them this way.
pub(crate) fn subtree_bounds<'a>(r: &mut Reader<'a>) -> Option<(Option<Tlv<'a>>, Option<Tlv<'a>>)> {
    let minimum = r.read_optional(0x80, WHAT).ok()?;
    let maximum = r.read_optional(0x81, WHAT).ok()?;
    let mut bounds = minimum.iter().chain(&maximum);
    if bounds.any(|b| crate::crypto::asn1::value::int_magnitude(b.content).is_none()) {
        return None;
    }
    Some((minimum, maximum))
}

/// `i2v_GENERAL_NAME`: one `(name, value)` pair; `None` where OpenSSL fails.
pub(crate) fn i2v(gname: &Tlv<'_>) -> Option<(String, String)> {
    let (tag, c) = primitive(gname)?;
    let c = &*c;
    Some(match tag {
        gn::OTHER_NAME => {
            let (oid, value) = other_name_parts(c)?;
            match other_name_kind(oid) {
                Some((label, want)) => {
                    if value.tag != want {
                        return None;
                    }
                    (format!("othername: {label}:"), len_value(value.content)?)
                }
                None => {
                    // OpenSSL 3.0.x: the type by name, then a string value.
                    let kind = names::obj_text_buf(oid, 256)?;
                    let text = if matches!(value.tag, tag::IA5_STRING | tag::UTF8_STRING) {
                        len_value(value.content)
                    } else {
                        None
                    };
                    (
                        format!("othername: {kind}:"),
                        text.unwrap_or_else(|| "<unsupported>".into()),
                    )
                }
            }
        }
        gn::X400 => ("X400Name".into(), "<unsupported>".into()),
        gn::EDI_PARTY => {
            edi_party_ok(c)?;
            ("EdiPartyName".into(), "<unsupported>".into())
        }
        gn::EMAIL => ("email".into(), len_value(c)?),
        gn::DNS => ("DNS".into(), len_value(c)?),
        gn::URI => ("URI".into(), len_value(c)?),
        gn::DIR_NAME => ("DirName".into(), dirname_oneline(c)?),
        gn::IP => ("IP Address".into(), ip_to_text(c)),
        gn::RID => ("Registered ID".into(), names::obj_text_buf(c, 256)?),
        _ => return None,
    })
}

/// `GENERAL_NAME_print`.
pub(crate) fn print(gname: &Tlv<'_>) -> Option<String> {
    let (tag, c) = primitive(gname)?;
    let c = &*c;
    Some(match tag {
        gn::OTHER_NAME => {
            let (oid, value) = other_name_parts(c)?;
            match other_name_kind(oid) {
                Some((label, want)) if value.tag == want => {
                    format!("othername:{label}:{}", c_str(value.content))
                }
                _ => "othername:<unsupported>".into(),
            }
        }
        gn::X400 => "X400Name:<unsupported>".into(),
        gn::EDI_PARTY => {
            edi_party_ok(c)?;
            "EdiPartyName:<unsupported>".into()
        }
        gn::EMAIL => format!("email:{}", string_print(c)),
        gn::DNS => format!("DNS:{}", string_print(c)),
        gn::URI => format!("URI:{}", string_print(c)),
        gn::DIR_NAME => format!("DirName:{}", dirname_print_ex(c)?),
        gn::IP => match c.len() {
            4 | 16 => format!("IP Address:{}", ip_to_text(c)),
            _ => "IP Address:<invalid>".into(),
        },
        gn::RID => format!("Registered ID:{}", names::obj_text_raw(c)?),
        _ => return None,
    })
}

/// pyOpenSSL's `X509Extension._subjectAltNameString` for one name: DNS,
/// email and URI print their raw bytes (as UTF-8, NULs kept), the rest as
/// `GENERAL_NAME_print`. `Err(())` where pyOpenSSL raises.
pub(crate) fn py_san(gname: &Tlv<'_>, lossy: bool) -> std::result::Result<String, ()> {
    let (tag, c) = primitive(gname).ok_or(())?;
    let prefix = match tag {
        gn::DNS => "DNS",
        gn::EMAIL => "email",
        gn::URI => "URI",
        _ => return print(gname).ok_or(()),
    };
    let text = if lossy {
        String::from_utf8_lossy(&c).into_owned()
    } else {
        String::from_utf8(c.into_owned()).map_err(|_| ())?
    };
    Ok(format!("{prefix}:{text}"))
}

/// The elements of a `GeneralNames` SEQUENCE (content octets given).
pub(crate) fn list(content: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let mut r = Reader::new(content);
    let mut out = Vec::new();
    while !r.is_empty() {
        out.push(r.read(WHAT).ok()?);
    }
    Some(out)
}
