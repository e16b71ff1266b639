//! Directory names inside extensions, printed through [`X509Name`] the two
//! ways OpenSSL prints them: `X509_NAME_oneline` (in `i2v` lists) and
//! `X509_NAME_print_ex(.., XN_FLAG_ONELINE)` (in `GENERAL_NAME_print`).

use crate::crypto::asn1::objects;
use crate::crypto::asn1::tlv;
use crate::crypto::{NameEntry, X509Name};

/// A DER `Name` as OpenSSL decodes it: `d2i_X509_NAME` refuses values of
/// types outside `ASN1_PRINTABLE` (INTEGER, BIT STRING, times, ...) and
/// strings its canonical encoding cannot convert to UTF-8.
fn decode(der: &[u8]) -> Option<X509Name> {
    let name = X509Name::from_der(der).ok()?;
    name.entries().iter().all(openssl_decodes).then_some(name)
}

fn openssl_decodes(e: &NameEntry) -> bool {
    let v = e.raw_value();
    let code_point_ok = |c: u32| c <= 0x10ffff && !(0xd800..0xe000).contains(&c);
    match e.asn1_tag() {
        // UTF8String.
        12 => std::str::from_utf8(v).is_ok(),
        // BMPString: UCS-2.
        30 => {
            v.len().is_multiple_of(2)
                && v.chunks(2)
                    .all(|c| code_point_ok(c.iter().fold(0, |a, &b| (a << 8) | u32::from(b))))
        }
        // UniversalString: UCS-4.
        28 => {
            v.len().is_multiple_of(4)
                && v.chunks(4)
                    .all(|c| code_point_ok(c.iter().fold(0, |a, &b| (a << 8) | u32::from(b))))
        }
        // One-byte strings, and the types OpenSSL keeps as "unknown".
        18..=22 | 25..=27 | 7..=9 | 11 | 13..=15 | 29 | 31 | 0x30 => true,
        _ => false,
    }
}

/// A DER `Name` in OpenSSL's `X509_NAME_oneline` form (`/C=US/CN=x`),
/// written into a 256-byte buffer as `i2v_GENERAL_NAME` does: entries that
/// would not fit are left out.
pub(crate) fn dirname_oneline(der: &[u8]) -> Option<String> {
    const MAX: usize = 255;
    let name = decode(der)?;
    let full = name.oneline();
    if full.len() <= MAX {
        return Some(full);
    }
    let entries = name.entries();
    let mut fitting = String::new();
    for k in 1..=entries.len() {
        let prefix = X509Name::from_der(&prefix_der(entries.get(..k)?)?).ok()?;
        let text = prefix.oneline();
        if text.len() > MAX {
            break;
        }
        fitting = text;
    }
    Some(fitting)
}

/// The DER of a name made of the first entries of another (same RDNs).
fn prefix_der(entries: &[NameEntry]) -> Option<Vec<u8>> {
    let mut rdns: Vec<(usize, Vec<u8>)> = Vec::new();
    for e in entries {
        let oid = const_oid::ObjectIdentifier::from_bytes(e.id().as_bytes()).ok()?;
        let atv = tlv::tlv(
            tlv::tag::SEQUENCE,
            &[
                tlv::tlv(tlv::tag::OID, oid.as_bytes()),
                tlv::tlv(e.asn1_tag(), e.raw_value()),
            ]
            .concat(),
        );
        match rdns.last_mut() {
            Some((set, body)) if *set == e.rdn_index() => body.extend_from_slice(&atv),
            _ => rdns.push((e.rdn_index(), atv)),
        }
    }
    let body: Vec<u8> = rdns.iter().flat_map(|(_, b)| tlv::tlv(0x31, b)).collect();
    Some(tlv::tlv(tlv::tag::SEQUENCE, &body))
}

/// A DER `Name` as `X509_NAME_print_ex(.., XN_FLAG_ONELINE)` prints it
/// (`C = US, O = "Foo, Inc.", CN = x`).
pub(crate) fn dirname_print_ex(der: &[u8]) -> Option<String> {
    let name = decode(der)?;
    let rdns: Vec<String> = name
        .rdns()
        .iter()
        .map(|rdn| {
            rdn.iter()
                .map(|e| {
                    let field = objects::by_oid(e.dotted()).map_or(e.dotted(), |o| o.sn);
                    format!("{field} = {}", value_oneline(e))
                })
                .collect::<Vec<_>>()
                .join(" + ")
        })
        .collect();
    Some(rdns.join(", "))
}

// `char_type` flags of OpenSSL's charmap and the `ASN1_STRFLGS_*` bits that
// `XN_FLAG_ONELINE` sets.
const ESC_2253: u16 = 1;
const ESC_CTRL: u16 = 2;
const ESC_MSB: u16 = 4;
const ESC_QUOTE: u16 = 8;
const FIRST_ESC: u16 = 0x20;
const LAST_ESC: u16 = 0x40;
const BS_ESC: u16 = ESC_2253 | FIRST_ESC | LAST_ESC;
const ESC_2254: u16 = 0x400;
const ONELINE: u16 = ESC_2253 | ESC_CTRL | ESC_MSB | ESC_QUOTE;

/// OpenSSL's `char_type` for a 7-bit character.
fn char_type(c: u8) -> u16 {
    match c {
        0 => ESC_2254 | ESC_CTRL,
        1..=31 | 127 => ESC_CTRL,
        b' ' => 0x10 | FIRST_ESC | LAST_ESC | ESC_QUOTE,
        b'"' | b'\\' => ESC_2253,
        b'#' => FIRST_ESC | ESC_QUOTE,
        b'+' | b',' => 0x10 | ESC_QUOTE | ESC_2253,
        b';' | b'<' | b'>' => ESC_QUOTE | ESC_2253,
        _ => 0,
    }
}

/// `do_esc_char` for one byte (or a code point above 0xff).
fn esc_char(out: &mut String, c: u32, flags: u16, quotes: &mut bool) {
    if c > 0xffff {
        out.push_str(&format!("\\W{c:08X}"));
        return;
    }
    if c > 0xff {
        out.push_str(&format!("\\U{c:04X}"));
        return;
    }
    let b = c as u8;
    let chflags = if b > 0x7f {
        flags & ESC_MSB
    } else {
        char_type(b) & flags
    };
    if chflags & BS_ESC != 0 {
        if chflags & ESC_QUOTE != 0 {
            *quotes = true;
        } else {
            out.push('\\');
        }
        out.push(char::from(b));
    } else if chflags & (ESC_CTRL | ESC_MSB | ESC_2254) != 0 {
        out.push_str(&format!("\\{b:02X}"));
    } else if b == b'\\' {
        out.push_str("\\\\");
    } else {
        out.push(char::from(b));
    }
}

/// Bytes per character of a string type (`tag2nbyte`), `None` when the
/// value is dumped as hex.
fn char_width(tag: u8) -> Option<usize> {
    match tag {
        12 => Some(0),
        18..=20 | 22..=24 | 26 | 27 => Some(1),
        28 => Some(4),
        30 => Some(2),
        _ => None,
    }
}

/// `do_print_ex` with the flags of `XN_FLAG_ONELINE`.
fn value_oneline(e: &NameEntry) -> String {
    let data = e.raw_value();
    let Some(width) = char_width(e.asn1_tag()) else {
        // Unknown type: `#` and the hex of the whole DER encoding.
        let der = tlv::tlv(e.asn1_tag(), data);
        let hex: String = der.iter().map(|b| format!("{b:02X}")).collect();
        return format!("#{hex}");
    };
    // UTF8String is taken byte by byte (no double conversion); other types
    // are converted to UTF-8 and each byte escaped.
    let (width, convert) = if width == 0 {
        (1, false)
    } else {
        (width, true)
    };
    let chars: Vec<u32> = data
        .chunks(width)
        .map(|c| c.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b)))
        .collect();
    let mut out = String::new();
    let mut quotes = false;
    let n = chars.len();
    for (i, &c) in chars.iter().enumerate() {
        let edge = if i + 1 == n {
            LAST_ESC
        } else if i == 0 {
            FIRST_ESC
        } else {
            0
        };
        let flags = ONELINE | edge;
        if convert {
            let mut buf = [0u8; 4];
            match char::from_u32(c) {
                Some(ch) => {
                    for &b in ch.encode_utf8(&mut buf).as_bytes() {
                        esc_char(&mut out, u32::from(b), flags, &mut quotes);
                    }
                }
                None => esc_char(&mut out, c, flags, &mut quotes),
            }
        } else {
            esc_char(&mut out, c, flags, &mut quotes);
        }
    }
    if quotes {
        format!("\"{out}\"")
    } else {
        out
    }
}
