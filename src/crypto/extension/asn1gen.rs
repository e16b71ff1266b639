//! A subset of OpenSSL's `ASN1_generate_v3` mini-language, for `ASN1:`
//! extension values and `otherName:` general names:
//! `[modifier,]...TYPE:value`.
//!
//! Types: `BOOL`/`BOOLEAN`, `NULL`, `INT`/`INTEGER`, `ENUM`/`ENUMERATED`,
//! `OID`/`OBJECT`, `UTC`/`UTCTIME`, `GENTIME`/`GENERALIZEDTIME`,
//! `OCT`/`OCTETSTRING`, `BITSTR`/`BITSTRING`, and the strings `UTF8`/
//! `UTF8String`, `IA5`/`IA5STRING`, `PRINTABLE`/`PRINTABLESTRING`,
//! `VISIBLE`/`VISIBLESTRING`, `T61`/`T61STRING`/`TELETEXSTRING`,
//! `NUMERIC`/`NUMERICSTRING`, `BMP`/`BMPSTRING`, `UNIV`/`UNIVERSALSTRING`,
//! `GENSTR`/`GeneralString` (names are case-insensitive). Modifiers:
//! `IMP:n[UACP]`, `EXP:n[UACP]`, `OCTWRAP`, `SEQWRAP`, `SETWRAP`, `BITWRAP`,
//! `FORMAT:ASCII|UTF8|HEX|BITLIST`. `SEQUENCE`/`SET` need configuration
//! sections and are refused.

use super::conf::{bad, parse_bool, parse_hex, parse_int, Value};
use super::names;
use crate::crypto::asn1::{tlv, value};
use crate::crypto::Result;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Ascii,
    Utf8,
    Hex,
    BitList,
}

/// One explicit tag or wrapper around the value: `(tag byte, pad)`.
type Wrap = (u8, bool);

/// A tag number with an optional class letter (`parse_tagging`).
fn tagging(field: &str, text: &str) -> Result<(u8, u8)> {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let rest = &text[digits.len()..];
    let num: u8 = digits
        .parse()
        .ok()
        .filter(|&n| n < 31)
        .ok_or_else(|| bad(field, format!("{text:?}: expected a tag number below 31")))?;
    let class = match rest {
        "" | "C" => 0x80,
        "U" => 0x00,
        "A" => 0x40,
        "P" => 0xc0,
        _ => return Err(bad(field, format!("{text:?}: unknown tag class {rest:?}"))),
    };
    Ok((num, class))
}

/// `ASN1_generate_v3(text)`: the DER of the value described by `text`.
pub(crate) fn generate(field: &str, text: &str) -> Result<Vec<u8>> {
    let mut rest = text;
    let mut wraps: Vec<Wrap> = Vec::new();
    let mut implicit: Option<(u8, u8)> = None;
    let mut format = Format::Ascii;
    loop {
        let elem_end = rest.find(',').unwrap_or(rest.len());
        let elem = rest[..elem_end].trim();
        let (name, value) = match elem.find(':') {
            Some(i) => (elem[..i].trim(), Some(&elem[i + 1..])),
            None => (elem, None),
        };
        let upper = name.to_ascii_uppercase();
        let need = value.map(str::trim);
        let missing = || bad(field, format!("{name} needs a value"));
        let take_implicit =
            |implicit: &mut Option<(u8, u8)>, tag: u8, constructed: bool| match implicit.take() {
                Some((n, class)) => class | n | if constructed { 0x20 } else { 0 },
                None => tag,
            };
        match upper.as_str() {
            "IMP" | "IMPLICIT" => {
                if implicit.is_some() {
                    return Err(bad(field, format!("{elem:?}: nested implicit tagging")));
                }
                implicit = Some(tagging(field, need.ok_or_else(missing)?)?);
            }
            "EXP" | "EXPLICIT" => {
                if implicit.is_some() {
                    return Err(bad(
                        field,
                        format!("{elem:?}: explicit tag after an implicit one"),
                    ));
                }
                let (n, class) = tagging(field, need.ok_or_else(missing)?)?;
                wraps.push((class | 0x20 | n, false));
            }
            "OCTWRAP" => wraps.push((take_implicit(&mut implicit, 0x04, false), false)),
            "SEQWRAP" => wraps.push((take_implicit(&mut implicit, 0x30, true), false)),
            "SETWRAP" => wraps.push((take_implicit(&mut implicit, 0x31, true), false)),
            "BITWRAP" => wraps.push((take_implicit(&mut implicit, 0x03, false), true)),
            "FORMAT" | "FORM" => {
                format = match need.ok_or_else(missing)? {
                    "ASCII" => Format::Ascii,
                    "UTF8" => Format::Utf8,
                    "HEX" => Format::Hex,
                    "BITLIST" => Format::BitList,
                    other => return Err(bad(field, format!("unknown FORMAT {other:?}"))),
                };
            }
            _ => {
                // The type: its value runs to the end of the text, commas included.
                let value = match value {
                    Some(_) => {
                        let colon = rest.find(':').unwrap_or(rest.len());
                        Some(rest.get(colon + 1..).unwrap_or_default())
                    }
                    None if elem_end == rest.len() => None,
                    None => return Err(bad(field, format!("{name} needs a value"))),
                };
                let (tag, content) = primitive(field, &upper, name, value, format)?;
                let tag = match implicit {
                    Some((n, class)) => class | n | (tag & 0x20),
                    None => tag,
                };
                let mut der = tlv::tlv(tag, &content);
                for (wtag, pad) in wraps.iter().rev() {
                    if *pad {
                        der.insert(0, 0);
                    }
                    der = tlv::tlv(*wtag, &der);
                }
                return Ok(der);
            }
        }
        if elem_end == rest.len() {
            return Err(bad(field, format!("{text:?}: no type given")));
        }
        rest = &rest[elem_end + 1..];
    }
}

/// The tag and content octets of one typed value.
fn primitive(
    field: &str,
    upper: &str,
    name: &str,
    value: Option<&str>,
    format: Format,
) -> Result<(u8, Vec<u8>)> {
    let text = value.unwrap_or_default();
    let string = |tag: u8| -> Result<(u8, Vec<u8>)> {
        Ok((tag, string_content(field, name, text, tag, format)?))
    };
    match upper {
        "BOOL" | "BOOLEAN" => {
            ascii_only(field, name, format)?;
            let item = Value {
                name: name.to_owned(),
                value: value.map(str::to_owned),
            };
            Ok((0x01, vec![if parse_bool(field, &item)? { 0xff } else { 0 }]))
        }
        "NULL" => {
            ascii_only(field, name, format)?;
            if !text.is_empty() {
                return Err(bad(field, format!("NULL:{text}: NULL takes no value")));
            }
            Ok((0x05, Vec::new()))
        }
        "INT" | "INTEGER" | "ENUM" | "ENUMERATED" => {
            ascii_only(field, name, format)?;
            let tag = if upper.starts_with("INT") { 0x02 } else { 0x0a };
            Ok((tag, parse_int(field, name, text)?))
        }
        "OID" | "OBJECT" => {
            ascii_only(field, name, format)?;
            let oid = names::txt2obj(text)
                .ok_or_else(|| bad(field, format!("{name}:{text}: not an object identifier")))?;
            Ok((0x06, oid.as_bytes().to_vec()))
        }
        "UTC" | "UTCTIME" | "GENTIME" | "GENERALIZEDTIME" => {
            ascii_only(field, name, format)?;
            time(field, name, text, upper.starts_with("UTC"))
        }
        "OCT" | "OCTETSTRING" | "BITSTR" | "BITSTRING" => {
            octets(field, name, text, format, upper.starts_with("BIT"))
        }
        "UTF8" | "UTF8STRING" => string(0x0c),
        "IA5" | "IA5STRING" => string(0x16),
        "PRINTABLE" | "PRINTABLESTRING" => string(0x13),
        "VISIBLE" | "VISIBLESTRING" => string(0x1a),
        "T61" | "T61STRING" | "TELETEXSTRING" => string(0x14),
        "NUMERIC" | "NUMERICSTRING" => string(0x12),
        "BMP" | "BMPSTRING" => string(0x1e),
        "UNIV" | "UNIVERSALSTRING" => string(0x1c),
        "GENSTR" | "GENERALSTRING" => string(0x1b),
        "SEQ" | "SEQUENCE" | "SET" => Err(bad(
            field,
            format!("{name}: needs a configuration section, which is not supported"),
        )),
        _ => Err(bad(field, format!("unknown ASN.1 type {name:?}"))),
    }
}

/// Types other than the strings and `OCTETSTRING`/`BITSTRING` take only
/// `FORMAT:ASCII`.
fn ascii_only(field: &str, name: &str, format: Format) -> Result<()> {
    if format == Format::Ascii {
        Ok(())
    } else {
        Err(bad(field, format!("{name}: only FORMAT:ASCII is allowed")))
    }
}

/// A `UTCTIME` (`utc`) or `GENERALIZEDTIME` value: its digits and `Z`,
/// kept as written.
fn time(field: &str, name: &str, text: &str, utc: bool) -> Result<(u8, Vec<u8>)> {
    let digits = if utc { 12 } else { 14 };
    let ok = text.len() == digits + 1
        && text.ends_with('Z')
        && text[..digits].bytes().all(|b| b.is_ascii_digit());
    if !ok {
        let want = if utc {
            "YYMMDDhhmmssZ"
        } else {
            "YYYYMMDDhhmmssZ"
        };
        return Err(bad(field, format!("{name}:{text}: expected {want}")));
    }
    Ok((if utc { 0x17 } else { 0x18 }, text.as_bytes().to_vec()))
}

/// An `OCTETSTRING`, or a `BITSTRING` (`bits`), from hex, ASCII or (bits
/// only) a list of bit numbers.
fn octets(
    field: &str,
    name: &str,
    text: &str,
    format: Format,
    bits: bool,
) -> Result<(u8, Vec<u8>)> {
    let data = match format {
        Format::Hex => parse_hex(field, text)?,
        Format::Ascii => text.as_bytes().to_vec(),
        Format::BitList if bits => {
            let mut set = Vec::new();
            for n in text.split(',').map(str::trim) {
                set.push(
                    n.parse::<usize>()
                        .ok()
                        .filter(|&b| b < 2048)
                        .ok_or_else(|| {
                            bad(field, format!("{name}:{text}: {n:?} is not a bit number"))
                        })?,
                );
            }
            return Ok((0x03, value::bit_string_content(&set)));
        }
        _ => return Err(bad(field, format!("{name}: FORMAT not allowed here"))),
    };
    if bits {
        let mut content = vec![0u8];
        content.extend_from_slice(&data);
        Ok((0x03, content))
    } else {
        Ok((0x04, data))
    }
}

/// The content octets of the string type `tag` holding `text`: its
/// characters (bytes with `FORMAT:ASCII`, code points with `FORMAT:UTF8`),
/// each checked against the type's alphabet and encoded in its width.
fn string_content(field: &str, name: &str, text: &str, tag: u8, format: Format) -> Result<Vec<u8>> {
    let chars: Vec<u32> = match format {
        // MBSTRING_ASC: every byte is one (Latin-1) character.
        Format::Ascii => text.bytes().map(u32::from).collect(),
        Format::Utf8 => text.chars().map(u32::from).collect(),
        _ => return Err(bad(field, format!("{name}: FORMAT must be ASCII or UTF8"))),
    };
    let refuse = |c: u32| {
        bad(
            field,
            format!("{name}:{text}: character U+{c:04X} not allowed"),
        )
    };
    let mut out = Vec::new();
    for c in chars {
        if !string_allows(tag, c) || !push_string_char(&mut out, tag, c) {
            return Err(refuse(c));
        }
    }
    Ok(out)
}

/// Whether the string type `tag` can hold the character `c`.
fn string_allows(tag: u8, c: u32) -> bool {
    match tag {
        0x12 => c == 0x20 || (0x30..=0x39).contains(&c),
        0x13 => char::from_u32(c)
            .is_some_and(|ch| ch.is_ascii_alphanumeric() || " '()+,-./:=?".contains(ch)),
        0x16 => c < 0x80,
        0x14 => c < 0x100,
        0x1e => c < 0x10000,
        _ => true,
    }
}

/// Appends `c` (allowed in `tag`) in the string type's encoding: one octet,
/// UCS-2, UCS-4 or UTF-8; `false` when `c` is no character.
fn push_string_char(out: &mut Vec<u8>, tag: u8, c: u32) -> bool {
    match tag {
        0x12 | 0x13 | 0x14 | 0x16 => out.push(c as u8),
        0x1e => out.extend_from_slice(&(c as u16).to_be_bytes()),
        0x1c => out.extend_from_slice(&c.to_be_bytes()),
        _ => {
            let Some(ch) = char::from_u32(c) else {
                return false;
            };
            let mut buf = [0u8; 4];
            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
        }
    }
    true
}
