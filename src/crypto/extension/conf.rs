//! OpenSSL's v3 configuration value syntax: `X509V3_parse_list` and the
//! scalar parsers (`X509V3_get_value_bool`, `s2i_ASN1_INTEGER`, hex strings).

use crate::crypto::{Error, Result};

/// One `name[:value]` item of a value list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Value {
    pub(crate) name: String,
    pub(crate) value: Option<String>,
}

/// The error for a bad extension value: which extension, what was wrong.
pub(crate) fn bad(field: &str, reason: impl Into<String>) -> Error {
    Error::InvalidExtensionValue {
        extension: field.to_owned(),
        reason: reason.into(),
    }
}

/// `strip_spaces`: trims C `isspace` characters; `None` when nothing is left.
fn strip(s: &str) -> Option<String> {
    let t = s.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r'));
    (!t.is_empty()).then(|| t.to_owned())
}

/// `X509V3_parse_list`: `a, b:c, d:e:f` → `[(a), (b, c), (d, e:f)]`. Items
/// are split at commas, names from values at the first colon; surrounding
/// white space is removed; reading stops at a line end.
pub(crate) fn parse_list(field: &str, line: &str) -> Result<Vec<Value>> {
    let line = line.split(['\r', '\n']).next().unwrap_or_default();
    let mut out = Vec::new();
    let mut name: Option<String> = None;
    let mut start = 0;
    for (i, c) in line.char_indices() {
        match (&name, c) {
            (None, ':') => {
                let n = strip(&line[start..i]).ok_or_else(|| {
                    bad(
                        field,
                        format!("empty name before ':' at offset {i} in {line:?}"),
                    )
                })?;
                name = Some(n);
                start = i + 1;
            }
            (None, ',') => {
                let n = strip(&line[start..i]).ok_or_else(|| {
                    bad(
                        field,
                        format!("empty item before ',' at offset {i} in {line:?}"),
                    )
                })?;
                out.push(Value {
                    name: n,
                    value: None,
                });
                start = i + 1;
            }
            (Some(n), ',') => {
                let v = strip(&line[start..i]).ok_or_else(|| {
                    bad(
                        field,
                        format!("{n:?} has an empty value at offset {i} in {line:?}"),
                    )
                })?;
                out.push(Value {
                    name: n.clone(),
                    value: Some(v),
                });
                name = None;
                start = i + 1;
            }
            _ => {}
        }
    }
    let rest = &line[start..];
    match name {
        Some(n) => {
            let v = strip(rest)
                .ok_or_else(|| bad(field, format!("{n:?} has an empty value in {line:?}")))?;
            out.push(Value {
                name: n,
                value: Some(v),
            });
        }
        None => {
            let n = strip(rest)
                .ok_or_else(|| bad(field, format!("empty item at the end of {line:?}")))?;
            out.push(Value {
                name: n,
                value: None,
            });
        }
    }
    Ok(out)
}

/// `X509V3_get_value_bool`.
pub(crate) fn parse_bool(field: &str, item: &Value) -> Result<bool> {
    match item.value.as_deref() {
        Some("TRUE" | "true" | "Y" | "y" | "YES" | "yes") => Ok(true),
        Some("FALSE" | "false" | "N" | "n" | "NO" | "no") => Ok(false),
        Some(v) => Err(bad(
            field,
            format!("{}:{v}: not a boolean (TRUE or FALSE)", item.name),
        )),
        None => Err(bad(
            field,
            format!("{} needs a value (TRUE or FALSE)", item.name),
        )),
    }
}

/// `s2i_ASN1_INTEGER`: decimal, or hexadecimal after `0x`, optionally
/// negative; returns INTEGER content octets. Values beyond 128 bits are
/// refused.
pub(crate) fn parse_int(field: &str, what: &str, text: &str) -> Result<Vec<u8>> {
    let err = || bad(field, format!("{what}: {text:?} is not an integer"));
    let (neg, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (radix, digits) = match digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        Some(hex) => (16, hex),
        None => (10, digits),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(err());
    }
    let mag = i128::from_str_radix(digits, radix).map_err(|_| err())?;
    Ok(crate::crypto::asn1::value::int_content(if neg {
        -mag
    } else {
        mag
    }))
}

/// `OPENSSL_hexstr2buf`: pairs of hex digits, colons allowed between pairs.
pub(crate) fn parse_hex(field: &str, text: &str) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut chars = text.chars().filter(|&c| c != ':');
    while let Some(hi) = chars.next() {
        let lo = chars
            .next()
            .ok_or_else(|| bad(field, format!("{text:?}: odd number of hex digits")))?;
        let h = hi.to_digit(16);
        let l = lo.to_digit(16);
        match (h, l) {
            (Some(h), Some(l)) => out.push(((h << 4) | l) as u8),
            _ => {
                return Err(bad(
                    field,
                    format!("{text:?}: {hi}{lo} is not a pair of hex digits"),
                ))
            }
        }
    }
    Ok(out)
}
