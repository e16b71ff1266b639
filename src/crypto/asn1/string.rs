//! ASN.1 string types as OpenSSL handles them: names of tags, conversion to
//! UTF-8 (`ASN1_STRING_to_UTF8`) and the string-type choice of
//! `ASN1_STRING_set_by_NID` for name attributes.

use super::tlv::bad;
use crate::crypto::{Error, Result};

/// UTF8String.
pub(crate) const UTF8: u8 = 12;
/// NumericString.
pub(crate) const NUMERIC: u8 = 18;
/// PrintableString.
pub(crate) const PRINTABLE: u8 = 19;
/// T61String (TeletexString).
pub(crate) const T61: u8 = 20;
/// IA5String.
pub(crate) const IA5: u8 = 22;
/// VisibleString.
pub(crate) const VISIBLE: u8 = 26;
/// UniversalString.
pub(crate) const UNIVERSAL: u8 = 28;
/// BMPString.
pub(crate) const BMP: u8 = 30;

/// OpenSSL's `ASN1_tag2str` name of a (universal, primitive or constructed) tag byte.
pub(crate) fn type_name(tag: u8) -> &'static str {
    const NAMES: [&str; 31] = [
        "EOC",
        "BOOLEAN",
        "INTEGER",
        "BIT STRING",
        "OCTET STRING",
        "NULL",
        "OBJECT",
        "OBJECT DESCRIPTOR",
        "EXTERNAL",
        "REAL",
        "ENUMERATED",
        "<ASN1 11>",
        "UTF8STRING",
        "<ASN1 13>",
        "<ASN1 14>",
        "<ASN1 15>",
        "SEQUENCE",
        "SET",
        "NUMERICSTRING",
        "PRINTABLESTRING",
        "T61STRING",
        "VIDEOTEXSTRING",
        "IA5STRING",
        "UTCTIME",
        "GENERALIZEDTIME",
        "GRAPHICSTRING",
        "VISIBLESTRING",
        "GENERALSTRING",
        "UNIVERSALSTRING",
        "<ASN1 29>",
        "BMPSTRING",
    ];
    if tag & 0xc0 != 0 {
        return "(unknown)";
    }
    NAMES
        .get(usize::from(tag & 0x1f))
        .copied()
        .unwrap_or("(unknown)")
}

/// Bytes per character of a string tag as `ASN1_STRING_to_UTF8` reads it:
/// 0 = UTF-8, 1 = Latin-1, 2 = UCS-2, 4 = UCS-4; `None` for non-strings.
pub(crate) fn char_width(tag: u8) -> Option<u8> {
    match tag {
        UTF8 => Some(0),
        NUMERIC | PRINTABLE | T61 | IA5 | 23 | 24 | VISIBLE => Some(1),
        UNIVERSAL => Some(4),
        BMP => Some(2),
        _ => None,
    }
}

/// `ASN1_STRING_to_UTF8`: the value as text (Latin-1 for one-byte types,
/// UTF-16BE for BMPString, UTF-32BE for UniversalString).
pub(crate) fn to_utf8(tag: u8, content: &[u8]) -> Result<String> {
    let what = "string value";
    match char_width(tag) {
        Some(0) => std::str::from_utf8(content)
            .map(str::to_owned)
            .map_err(|e| Error::malformed_with(what, "invalid UTF-8 in UTF8String", e)),
        Some(1) => Ok(content.iter().map(|&b| char::from(b)).collect()),
        Some(2) => {
            if !content.len().is_multiple_of(2) {
                return Err(bad(what, "BMPString of odd length"));
            }
            content
                .chunks_exact(2)
                .map(|c| {
                    let v = u32::from(c[0]) << 8 | u32::from(c[1]);
                    char::from_u32(v).ok_or_else(|| bad(what, "surrogate in BMPString"))
                })
                .collect()
        }
        Some(_) => {
            if !content.len().is_multiple_of(4) {
                return Err(bad(what, "UniversalString length not a multiple of 4"));
            }
            content
                .chunks_exact(4)
                .map(|c| {
                    let v = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
                    char::from_u32(v).ok_or_else(|| bad(what, format!("invalid code point {v:#x}")))
                })
                .collect()
        }
        None => Err(bad(
            what,
            format!("{} is not a string type", type_name(tag)),
        )),
    }
}

/// Whether `c` may appear in a PrintableString.
pub(crate) fn is_printable(c: char) -> bool {
    c.is_ascii_alphanumeric() || " '()+,-./:=?".contains(c)
}

/// Bit masks of `B_ASN1_*` used by the string-type choice.
const M_NUMERIC: u32 = 1;
const M_PRINTABLE: u32 = 2;
const M_T61: u32 = 4;
const M_IA5: u32 = 8;
const M_BMP: u32 = 16;
const M_UNIVERSAL: u32 = 32;
const M_UTF8: u32 = 64;

/// `(min chars, max chars, mask, no global mask)` of OpenSSL's string table
/// (`a_strnid.c` behaviour) for a name attribute, by NID.
fn string_rule(nid: u32) -> (i64, i64, u32, bool) {
    const DIRSTRING: u32 = M_PRINTABLE | M_T61 | M_BMP | M_UTF8;
    const PKCS9STRING: u32 = DIRSTRING | M_IA5;
    match nid {
        13 => (1, 64, DIRSTRING, false),          // commonName
        14 => (2, 2, M_PRINTABLE, true),          // countryName
        15 => (1, 128, DIRSTRING, false),         // localityName
        16 => (1, 128, DIRSTRING, false),         // stateOrProvinceName
        17 => (1, 64, DIRSTRING, false),          // organizationName
        18 => (1, 64, DIRSTRING, false),          // organizationalUnitName
        48 => (1, 128, M_IA5, true),              // emailAddress
        49 => (1, -1, PKCS9STRING, false),        // unstructuredName
        54 => (1, -1, PKCS9STRING, false),        // challengePassword
        55 => (1, -1, DIRSTRING, false),          // unstructuredAddress
        99..=101 => (1, 32768, DIRSTRING, false), // givenName, surname, initials
        105 => (1, 64, M_PRINTABLE, true),        // serialNumber
        156 => (-1, -1, M_BMP, true),             // friendlyName
        173 => (1, 32768, DIRSTRING, false),      // name
        174 => (-1, -1, M_PRINTABLE, true),       // dnQualifier
        391 => (1, -1, M_IA5, true),              // domainComponent
        417 => (-1, -1, M_BMP, true),             // CSPName
        957 => (2, 2, M_PRINTABLE, true),         // jurisdictionCountryName
        1004 => (1, 12, M_NUMERIC, true),         // INN
        1005 => (1, 13, M_NUMERIC, true),         // OGRN
        1006 => (1, 11, M_NUMERIC, true),         // SNILS
        1226 => (1, 15, M_NUMERIC, true),         // OGRNIP
        1090 => (3, 3, M_PRINTABLE, true),        // countryCode3c
        1091 => (3, 3, M_NUMERIC, true),          // countryCode3n
        1092 => (0, -1, M_UTF8, true),            // dnsName
        _ => (-1, -1, DIRSTRING, false),
    }
}

/// Encodes `value` for the name attribute with OpenSSL NID `nid` as
/// `X509_NAME_add_entry_by_NID(.., MBSTRING_UTF8, ..)` does with OpenSSL's
/// default (UTF-8 only) string mask: `(tag, content octets)`.
pub(crate) fn encode_for_nid(nid: u32, field: &str, value: &str) -> Result<(u8, Vec<u8>)> {
    let (min, max, tmask, no_global) = string_rule(nid);
    let mut mask = if no_global { tmask } else { tmask & M_UTF8 };
    let nchar = value.chars().count() as i64;
    if min >= 0 && nchar < min {
        return Err(bad(
            field,
            format!("string too short: {nchar} characters, minimum {min}"),
        ));
    }
    if max >= 0 && nchar > max {
        return Err(bad(
            field,
            format!("string too long: {nchar} characters, maximum {max}"),
        ));
    }
    for c in value.chars() {
        if !(c.is_ascii_digit() || c == ' ') {
            mask &= !M_NUMERIC;
        }
        if !is_printable(c) {
            mask &= !M_PRINTABLE;
        }
        if !c.is_ascii() {
            mask &= !M_IA5;
        }
        if u32::from(c) > 0xff {
            mask &= !M_T61;
        }
        if u32::from(c) > 0xffff {
            mask &= !M_BMP;
        }
    }
    if mask == 0 {
        return Err(bad(field, format!("illegal characters in {value:?}")));
    }
    let out = if mask & M_NUMERIC != 0 {
        (NUMERIC, value.as_bytes().to_vec())
    } else if mask & M_PRINTABLE != 0 {
        (PRINTABLE, value.as_bytes().to_vec())
    } else if mask & M_IA5 != 0 {
        (IA5, value.as_bytes().to_vec())
    } else if mask & M_T61 != 0 {
        (T61, value.chars().map(|c| u32::from(c) as u8).collect())
    } else if mask & M_BMP != 0 {
        (
            BMP,
            value
                .chars()
                .flat_map(|c| (u32::from(c) as u16).to_be_bytes())
                .collect(),
        )
    } else if mask & M_UNIVERSAL != 0 {
        (
            UNIVERSAL,
            value
                .chars()
                .flat_map(|c| u32::from(c).to_be_bytes())
                .collect(),
        )
    } else {
        (UTF8, value.as_bytes().to_vec())
    };
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices() {
        assert_eq!(
            encode_for_nid(14, "C", "US").unwrap(),
            (PRINTABLE, b"US".to_vec())
        );
        assert!(encode_for_nid(14, "C", "USA").is_err());
        assert!(encode_for_nid(14, "C", "U$").is_err());
        assert_eq!(
            encode_for_nid(13, "CN", "foo").unwrap(),
            (UTF8, b"foo".to_vec())
        );
        assert!(encode_for_nid(13, "CN", &"x".repeat(65)).is_err());
        assert!(encode_for_nid(17, "O", &"x".repeat(512)).is_err());
        assert_eq!(encode_for_nid(48, "emailAddress", "a@b").unwrap().0, IA5);
        assert!(encode_for_nid(48, "emailAddress", "ä@b").is_err());
        assert_eq!(
            encode_for_nid(156, "friendlyName", "ab").unwrap(),
            (BMP, vec![0, b'a', 0, b'b'])
        );
        assert_eq!(to_utf8(BMP, &[0x03, 0xa9]).unwrap(), "Ω");
        assert_eq!(to_utf8(T61, &[0xfc]).unwrap(), "ü");
        assert_eq!(to_utf8(UNIVERSAL, &[0, 1, 0xd1, 0x1e]).unwrap(), "𝄞");
        assert!(to_utf8(16, &[]).is_err());
        assert_eq!(type_name(BMP), "BMPSTRING");
    }
}
