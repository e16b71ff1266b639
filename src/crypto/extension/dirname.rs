//! Directory names inside extensions, printed through [`X509Name`] the two
//! ways OpenSSL prints them: `X509_NAME_oneline` (in `i2v` lists) and
//! `X509_NAME_print_ex(.., XN_FLAG_ONELINE)` (in `GENERAL_NAME_print`).

use crate::crypto::x509::objects;
use crate::crypto::{NameEntry, X509Name};

/// A DER `Name` in OpenSSL's `X509_NAME_oneline` form (`/C=US/CN=x`).
pub(crate) fn dirname_oneline(der: &[u8]) -> Option<String> {
    X509Name::from_der(der).ok().map(|n| n.oneline())
}

/// A DER `Name` as `X509_NAME_print_ex(.., XN_FLAG_ONELINE)` prints it
/// (`C = US, O = "Foo, Inc.", CN = x`).
pub(crate) fn dirname_print_ex(der: &[u8]) -> Option<String> {
    let name = X509Name::from_der(der).ok()?;
    let rdns: Vec<String> = name
        .rdns()
        .iter()
        .map(|rdn| {
            rdn.iter()
                .map(|e| {
                    let field = objects::by_oid(e.oid()).map_or(e.oid(), |o| o.sn);
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
        let der = super::tlv::encode(e.asn1_tag(), data);
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
