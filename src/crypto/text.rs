//! Text dumps: what `openssl x509 -text -noout`, `openssl req -text -noout`
//! and `openssl crl -text -noout` (OpenSSL 3.0) print, byte for byte.
//!
//! The printers sit above the types they print: `x509`, `req` and `crl` do
//! not depend on this module (the `FileType::Text` dumps are in `io`).

pub(crate) mod crl;

use super::asn1::oid::{ids, oid_to_string, Oid};
use super::asn1::{objects, string, tlv};
use super::extension::print_extensions;
use super::name::X509Name;
use super::time::Asn1Time;
use super::{PKey, Result, X509Req, X509};

/// `X509_NAME_print_ex` with OpenSSL's default `oneline` options
/// (`XN_FLAG_ONELINE`): `C = US, O = x, CN = y`, RFC 2253 escaping with
/// quotes, bytes above 0x7e as `\XX`, multi-valued RDNs joined by ` + `.
pub(crate) fn name_print(name: &X509Name) -> String {
    let mut out = String::new();
    let mut prev: Option<usize> = None;
    for e in name.entries() {
        if let Some(p) = prev {
            out.push_str(if p == e.rdn_index() { " + " } else { ", " });
        }
        prev = Some(e.rdn_index());
        out.push_str(&objects::short_name_or_oid(e.dotted()));
        out.push_str(" = ");
        out.push_str(&string_print(e.asn1_tag(), e.content()));
    }
    out
}

/// Escaping flags of `do_esc_char` for a character below 0x80:
/// bit 1 = RFC 2253 backslash, 2 = control, 8 = quote instead, 32 = escape
/// when first, 64 = escape when last.
fn char_type(c: u8) -> u16 {
    match c {
        0 => 1026,
        1..=31 | 127 => 2,
        b' ' => 120,
        b'"' | b'\\' => 1,
        b'#' => 40,
        b'+' | b',' => 25,
        b';' | b'<' | b'>' => 9,
        _ => 0,
    }
}

/// `do_print_ex` with `ASN1_STRFLGS_RFC2253 | ASN1_STRFLGS_ESC_QUOTE`.
fn string_print(tag: u8, value: &[u8]) -> String {
    let chars: Option<Vec<u32>> = match string::char_width(tag) {
        // UTF8String: one byte per character (it is already UTF-8).
        Some(0) => Some(value.iter().map(|&b| u32::from(b)).collect()),
        Some(_) => string::to_utf8(tag, value)
            .ok()
            .map(|s| s.bytes().map(u32::from).collect()),
        None => None,
    };
    let Some(bytes) = chars else {
        // Not a string: `#` and the hex of the whole DER element.
        let der = tlv::tlv(tag, value);
        let hex: String = der.iter().map(|b| format!("{b:02X}")).collect();
        return format!("#{hex}");
    };
    const ESC: u16 = 1 | 2 | 4 | 8; // ESC_2253 | ESC_CTRL | ESC_MSB | ESC_QUOTE
    let mut quotes = false;
    let mut s = String::new();
    let n = bytes.len();
    for (i, &c) in bytes.iter().enumerate() {
        let mut flags = ESC;
        if i == 0 {
            flags |= 32;
        }
        if i + 1 == n {
            flags = ESC | 64;
        }
        let c = c as u8;
        let ch = if c > 0x7f {
            flags & 4
        } else {
            char_type(c) & flags
        };
        if ch & (1 | 32 | 64) != 0 {
            if ch & 8 != 0 {
                quotes = true;
                s.push(char::from(c));
            } else {
                s.push('\\');
                s.push(char::from(c));
            }
        } else if ch & (2 | 4 | 1024) != 0 {
            s.push_str(&format!("\\{c:02X}"));
        } else if c == b'\\' {
            s.push_str("\\\\");
        } else {
            s.push(char::from(c));
        }
    }
    if quotes {
        format!("\"{s}\"")
    } else {
        s
    }
}

/// `X509_signature_dump`: 18 bytes a row at `indent`.
fn signature_dump(out: &mut String, sig: &[u8], indent: usize) {
    let pad = " ".repeat(indent);
    let last = sig.len().saturating_sub(1);
    for (i, b) in sig.iter().enumerate() {
        if i % 18 == 0 {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&pad);
        }
        out.push_str(&format!("{b:02x}"));
        if i != last {
            out.push(':');
        }
    }
    out.push('\n');
}

/// `ASN1_bn_print` for a non-negative big-endian number.
fn bn_print(out: &mut String, label: &str, mag: &[u8], indent: usize) {
    let skip = mag.iter().take_while(|&&b| b == 0).count();
    let bytes = mag.get(skip..).unwrap_or(&[]);
    let pad = " ".repeat(indent);
    if bytes.is_empty() {
        out.push_str(&format!("{pad}{label} 0\n"));
    } else if bytes.len() <= 8 {
        let v = bytes.iter().fold(0u64, |a, &b| (a << 8) | u64::from(b));
        out.push_str(&format!("{pad}{label} {v} (0x{v:x})\n"));
    } else {
        out.push_str(&format!("{pad}{label}"));
        let mut row = Vec::with_capacity(bytes.len() + 1);
        if bytes.first().is_some_and(|b| b & 0x80 != 0) {
            row.push(0);
        }
        row.extend_from_slice(bytes);
        let inner = " ".repeat(indent + 4);
        let last = row.len() - 1;
        for (i, b) in row.iter().enumerate() {
            if i % 15 == 0 {
                out.push('\n');
                out.push_str(&inner);
            }
            out.push_str(&format!("{b:02x}"));
            if i != last {
                out.push(':');
            }
        }
        out.push('\n');
    }
}

/// Algorithm OID and parameters (full DER) of an AlgorithmIdentifier.
fn alg_parts(alg: &[u8]) -> Result<(String, Option<Vec<u8>>)> {
    let seq = tlv::parse_one(alg, "AlgorithmIdentifier")?;
    let mut r = seq.reader();
    let oid = oid_to_string(r.read_tag(0x06, "algorithm")?.content)?;
    let params = if r.is_empty() {
        None
    } else {
        Some(r.read("parameters")?.full.to_vec())
    };
    Ok((oid, params))
}

/// `i2a_ASN1_OBJECT`: the long name, or the dotted OID.
fn obj_text(oid: &str) -> String {
    objects::long_name_or_oid(oid)
}

/// `i2a_ASN1_INTEGER` for small INTEGER content: upper-case hex pairs.
fn int_hex(content: &[u8]) -> String {
    if content.is_empty() {
        return "00".into();
    }
    content.iter().map(|b| format!("{b:02X}")).collect()
}

/// `rsa_pss_param_print(bp, 0, pss, indent)`.
fn pss_params(out: &mut String, params: Option<&[u8]>, indent: usize) -> Result<()> {
    let pad = " ".repeat(indent);
    out.push_str(&pad);
    let Some(p) = params else {
        out.push_str("(INVALID PSS PARAMETERS)\n");
        return Ok(());
    };
    let seq = tlv::parse_one(p, "RSASSA-PSS-params")?;
    let mut r = seq.reader();
    let mut hash = None;
    let mut mgf = None;
    let mut salt = None;
    let mut trailer = None;
    while !r.is_empty() {
        let t = r.read("RSASSA-PSS-params")?;
        let inner = tlv::parse_one(t.content, "RSASSA-PSS-params field")?;
        match t.tag {
            0xa0 => hash = Some(alg_parts(inner.full)?.0),
            0xa1 => mgf = Some(alg_parts(inner.full)?),
            0xa2 => salt = Some(int_hex(inner.content)),
            0xa3 => trailer = Some(int_hex(inner.content)),
            _ => {}
        }
    }
    out.push('\n');
    out.push_str(&format!(
        "{pad}Hash Algorithm: {}\n",
        hash.map_or_else(|| "sha1 (default)".into(), |h| obj_text(&h))
    ));
    out.push_str(&format!("{pad}Mask Algorithm: "));
    match mgf {
        Some((oid, params)) => {
            out.push_str(&obj_text(&oid));
            out.push_str(" with ");
            match params.and_then(|p| alg_parts(&p).ok()) {
                Some((h, _)) => out.push_str(&obj_text(&h)),
                None => out.push_str("INVALID"),
            }
        }
        None => out.push_str("mgf1 with sha1 (default)"),
    }
    out.push('\n');
    out.push_str(&format!(
        "{pad} Salt Length: 0x{}\n",
        salt.unwrap_or_else(|| "14 (default)".into())
    ));
    out.push_str(&format!(
        "{pad}Trailer Field: 0x{}\n",
        trailer.unwrap_or_else(|| "01 (default)".into())
    ));
    Ok(())
}

/// `X509_signature_print(bp, alg, sig)`, with the key types' `sig_print`
/// (RSA-PSS parameters, DSA `r`/`s`).
pub(crate) fn signature_print(out: &mut String, alg: &[u8], sig: Option<&[u8]>) -> Result<()> {
    let (oid, params) = alg_parts(alg)?;
    out.push_str("    Signature Algorithm: ");
    out.push_str(&obj_text(&oid));
    if sig.is_some() {
        out.push_str("\n    Signature Value:");
    }
    const DSA_SIGS: [const_oid::ObjectIdentifier; 4] = [
        ids::DSA_WITH_SHA1,
        ids::DSA_WITH_SHA224,
        ids::DSA_WITH_SHA256,
        ids::DSA_WITH_SHA1_OIW,
    ];
    let id: Oid = oid.parse()?;
    if id == ids::RSASSA_PSS {
        pss_params(out, params.as_deref(), 8)?;
        if let Some(s) = sig {
            signature_dump(out, s, 8);
        }
        return Ok(());
    }
    if DSA_SIGS.iter().any(|d| id == *d) {
        let Some(s) = sig else {
            out.push('\n');
            return Ok(());
        };
        let parsed = tlv::parse_one(s, "DSA-Sig-Value").ok().and_then(|seq| {
            let mut r = seq.reader();
            let a = r.read_tag(0x02, "r").ok()?;
            let b = r.read_tag(0x02, "s").ok()?;
            r.finish("DSA-Sig-Value").ok()?;
            Some((a.content.to_vec(), b.content.to_vec()))
        });
        out.push('\n');
        match parsed {
            Some((r, s2)) => {
                bn_print(out, "r:   ", &r, 8);
                bn_print(out, "s:   ", &s2, 8);
            }
            None => signature_dump(out, s, 8),
        }
        return Ok(());
    }
    out.push('\n');
    if let Some(s) = sig {
        signature_dump(out, s, 8);
    }
    Ok(())
}

/// The "Subject Public Key Info" block.
fn public_key_block(out: &mut String, spki: Option<&[u8]>) -> Result<()> {
    out.push_str("        Subject Public Key Info:\n");
    let spki = spki.unwrap_or_default();
    let seq = tlv::parse_one(spki, "SubjectPublicKeyInfo")?;
    let alg = seq.reader().read_tag(0x30, "algorithm")?;
    let (oid, _) = alg_parts(alg.full)?;
    out.push_str(&format!(
        "            Public Key Algorithm: {}\n",
        obj_text(&oid)
    ));
    match PKey::public_key_from_der(spki) {
        Ok(k) => out.push_str(&k.public_key_text(16)),
        Err(_) => out.push_str("            Unable to load Public Key\n"),
    }
    Ok(())
}

/// The serial number line(s) of `X509_print_ex`.
fn serial_print(out: &mut String, cert: &X509) {
    let s = cert.serial_number();
    out.push_str("        Serial Number:");
    let mag = s.magnitude();
    let fits = mag.len() <= 8 && {
        let v = mag.iter().fold(0u128, |a, &b| (a << 8) | u128::from(b));
        let ok = if s.is_negative() {
            v <= 1u128 << 63
        } else {
            v <= i64::MAX as u128
        };
        ok && !(s.is_negative() && v == 1)
    };
    if fits {
        let neg = if s.is_negative() { "-" } else { "" };
        let v = mag.iter().fold(0u64, |a, &b| (a << 8) | u64::from(b));
        out.push_str(&format!(" {neg}{v} ({neg}0x{v:x})\n"));
    } else {
        let neg = if s.is_negative() { " (Negative)" } else { "" };
        out.push_str(&format!("\n{:12}{neg}", ""));
        let hex: Vec<String> = mag.iter().map(|b| format!("{b:02x}")).collect();
        out.push_str(&hex.join(":"));
        out.push('\n');
    }
}

fn time_line(t: Option<&Asn1Time>) -> String {
    t.map(Asn1Time::print).unwrap_or_default()
}

/// `openssl x509 -text -noout` output for `cert`.
pub(crate) fn certificate_text(cert: &X509) -> Result<String> {
    let mut out = String::from("Certificate:\n    Data:\n");
    let v = cert.version();
    out.push_str(&format!(
        "        Version: {} (0x{:x})\n",
        u32::from(v) + 1,
        v
    ));
    serial_print(&mut out, cert);
    out.push_str("    ");
    match cert.tbs_sig_alg_der() {
        Some(alg) => signature_print(&mut out, alg, None)?,
        None => out.push_str("    Signature Algorithm: UNDEF\n"),
    }
    out.push_str(&format!("        Issuer: {}\n", name_print(cert.issuer())));
    out.push_str("        Validity\n");
    out.push_str(&format!(
        "            Not Before: {}\n",
        time_line(cert.raw_not_before())
    ));
    out.push_str(&format!(
        "            Not After : {}\n",
        time_line(cert.raw_not_after())
    ));
    out.push_str(&format!(
        "        Subject: {}\n",
        name_print(cert.subject())
    ));
    public_key_block(&mut out, cert.public_key_der())?;
    let (iuid, suid) = cert.unique_ids();
    for (label, uid) in [("Issuer", iuid), ("Subject", suid)] {
        if let Some(u) = uid {
            let t = tlv::parse_one(u, "unique ID")?;
            out.push_str(&format!("        {label} Unique ID: "));
            signature_dump(&mut out, t.content.get(1..).unwrap_or_default(), 12);
        }
    }
    if cert.extension_count() > 0 {
        out.push_str("        X509v3 extensions:\n");
        print_extensions(&mut out, cert.extensions(), 12);
    }
    match (cert.sig_alg_der(), cert.signature()) {
        (Some(alg), Some(sig)) => signature_print(&mut out, alg, Some(sig))?,
        _ => {
            return Err(crate::crypto::Error::NotSigned {
                object: "certificate",
            })
        }
    }
    Ok(out)
}

/// `openssl req -text -noout` output for `req`.
pub(crate) fn request_text(req: &X509Req) -> Result<String> {
    let mut out = String::from("Certificate Request:\n    Data:\n");
    let v = req.version();
    if v == 0 {
        out.push_str("        Version: 1 (0x0)\n");
    } else {
        out.push_str(&format!("        Version: Unknown ({v})\n"));
    }
    out.push_str(&format!("        Subject: {}\n", name_print(req.subject())));
    public_key_block(&mut out, req.public_key_der())?;
    out.push_str("        Attributes:\n");
    if req.attributes().is_empty() {
        out.push_str("            (none)\n");
    }
    for a in req.attributes() {
        if *a.id() == ids::EXTENSION_REQUEST || *a.id() == ids::MS_EXTENSION_REQUEST {
            continue;
        }
        let name = obj_text(a.dotted());
        out.push_str(&format!("            {name}"));
        let mut pad = 25usize.saturating_sub(name.len());
        for (tag, value) in a.values() {
            out.push_str(&" ".repeat(pad));
            out.push(':');
            match *tag {
                string::PRINTABLE | string::T61 | string::NUMERIC | string::UTF8 | string::IA5 => {
                    out.push_str(&String::from_utf8_lossy(value));
                    out.push('\n');
                }
                _ => out.push_str("unable to print attribute\n"),
            }
            pad = 25;
        }
    }
    // OpenSSL 3.0 prints the title even when nothing is requested.
    let exts = req.extensions()?;
    out.push_str("            Requested Extensions:\n");
    print_extensions(&mut out, &exts, 16);
    match (req.signature_algorithm_der(), req.signature()) {
        (Ok(alg), Some(sig)) => signature_print(&mut out, alg, Some(sig))?,
        _ => {
            return Err(crate::crypto::Error::NotSigned {
                object: "certificate request",
            })
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(string_print(12, b"plain"), "plain");
        assert_eq!(string_print(12, b"a, b"), "\"a, b\"");
        assert_eq!(string_print(12, b" lead"), "\" lead\"");
        assert_eq!(string_print(12, b"q\"x"), "q\\\"x");
        assert_eq!(string_print(12, b"b\\s"), "b\\\\s");
        assert_eq!(string_print(12, "ü".as_bytes()), "\\C3\\BC");
        assert_eq!(string_print(20, &[0xfc]), "\\C3\\BC");
        assert_eq!(string_print(30, &[0x03, 0xa9]), "\\CE\\A9");
        assert_eq!(string_print(12, b"a\0b"), "a\\00b");
        assert_eq!(string_print(4, b"\x01"), "#040101");
    }
}
