//! Certificate Transparency SCT lists (`ct_precert_scts`, `ct_cert_scts`)
//! printed as OpenSSL 3.0's `SCT_LIST_print` prints them.

use super::WHAT;
use crate::crypto::asn1::tlv::{self, tag};
use crate::crypto::asn1::value::generalized_time;

/// Big-endian integer of `n` bytes from the front of `data`.
fn take<'a>(data: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    let (head, rest) = data.split_at_checked(n)?;
    *data = rest;
    Some(head)
}

fn take_uint(data: &mut &[u8], n: usize) -> Option<u64> {
    Some(
        take(data, n)?
            .iter()
            .fold(0u64, |a, &b| (a << 8) | u64::from(b)),
    )
}

/// `BIO_hex_string(out, indent, 16, data)`.
fn hex_string(out: &mut String, indent: usize, data: &[u8]) {
    let Some((last, body)) = data.split_last() else {
        return;
    };
    let mut j = 0;
    for (i, b) in body.iter().enumerate() {
        if i > 0 && j == 0 {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&format!("{b:02X}:"));
        j = (j + 1) % 16;
        if j == 0 {
            out.push('\n');
        }
    }
    if !body.is_empty() && j == 0 {
        out.push_str(&" ".repeat(indent));
    }
    out.push_str(&format!("{last:02X}"));
}

/// Civil date from days since 1970-01-01 (proleptic Gregorian).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `timestamp_print`: milliseconds since the epoch as `Mon DD hh:mm:ss.mmm YYYY GMT`.
fn timestamp(ms: u64) -> Option<String> {
    let secs = ms / 1000;
    let days = i64::try_from(secs / 86_400).ok()?;
    let rem = secs % 86_400;
    let (y, m, d) = civil(days);
    let text = format!(
        "{y:04}{m:02}{d:02}{:02}{:02}{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms % 1000
    );
    generalized_time(text.as_bytes())
}

/// One SCT; `None` if it does not decode as `o2i_SCT` requires.
fn print_sct(out: &mut String, mut sct: &[u8], indent: usize) -> Option<()> {
    let all = sct;
    let pad = |n: usize| " ".repeat(n);
    out.push_str(&format!("{}Signed Certificate Timestamp:", pad(indent)));
    out.push_str(&format!("\n{}Version   : ", pad(indent + 4)));
    let version = *sct.first()?;
    if version != 0 {
        out.push_str(&format!("unknown\n{}", pad(indent + 16)));
        hex_string(out, indent + 16, all);
        return Some(());
    }
    take(&mut sct, 1)?;
    let log_id = take(&mut sct, 32)?;
    let time = take_uint(&mut sct, 8)?;
    let ext_len = usize::try_from(take_uint(&mut sct, 2)?).ok()?;
    let ext = take(&mut sct, ext_len)?;
    let hash_alg = *take(&mut sct, 1)?.first()?;
    let sig_alg = *take(&mut sct, 1)?.first()?;
    let sig_len = usize::try_from(take_uint(&mut sct, 2)?).ok()?;
    let sig = take(&mut sct, sig_len)?;
    if !sct.is_empty() || sig.is_empty() {
        return None;
    }
    out.push_str("v1 (0x0)");
    out.push_str(&format!("\n{}Log ID    : ", pad(indent + 4)));
    hex_string(out, indent + 16, log_id);
    out.push_str(&format!("\n{}Timestamp : ", pad(indent + 4)));
    out.push_str(&timestamp(time)?);
    out.push_str(&format!("\n{}Extensions: ", pad(indent + 4)));
    if ext.is_empty() {
        out.push_str("none");
    } else {
        hex_string(out, indent + 16, ext);
    }
    out.push_str(&format!("\n{}Signature : ", pad(indent + 4)));
    // o2i_SCT_signature refuses algorithms other than these two.
    match (hash_alg, sig_alg) {
        (4, 3) => out.push_str("ecdsa-with-SHA256"),
        (4, 1) => out.push_str("sha256WithRSAEncryption"),
        _ => return None,
    }
    out.push_str(&format!("\n{}            ", pad(indent + 4)));
    hex_string(out, indent + 16, sig);
    Some(())
}

/// `i2r_SCT_LIST`: the extnValue is an OCTET STRING holding the TLS-encoded
/// `SignedCertificateTimestampList`.
pub(crate) fn print_sct_list(data: &[u8], indent: usize) -> Option<String> {
    let mut list = tlv::parse_one(data, WHAT)
        .ok()
        .filter(|t| t.tag == tag::OCTET_STRING)?
        .content;
    let total = usize::try_from(take_uint(&mut list, 2)?).ok()?;
    if total != list.len() {
        return None;
    }
    let mut scts = Vec::new();
    while !list.is_empty() {
        let len = usize::try_from(take_uint(&mut list, 2)?).ok()?;
        if len == 0 {
            return None;
        }
        scts.push(take(&mut list, len)?);
    }
    let mut out = String::new();
    for (i, sct) in scts.iter().enumerate() {
        let mut one = String::new();
        print_sct(&mut one, sct, indent)?;
        out.push_str(&one);
        if i + 1 < scts.len() {
            out.push('\n');
        }
    }
    Some(out)
}
