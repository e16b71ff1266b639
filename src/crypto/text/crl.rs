//! `openssl crl -text -noout` output (`X509_CRL_print_ex`).

use super::signature_print;
use crate::crypto::extension::dirname::dirname_print_ex;
use crate::crypto::extension::print_extensions;
use crate::crypto::time::Asn1Time;
use crate::crypto::{Error, Result, X509Crl};

impl X509Crl {
    /// What `openssl crl -text -noout` prints.
    pub fn to_text(&self) -> Result<String> {
        crl_text(self)
    }
}

fn time_or_none(t: Option<&Asn1Time>) -> String {
    t.map_or_else(|| "NONE".to_owned(), Asn1Time::print)
}

/// The text dump of `crl`.
pub(crate) fn crl_text(crl: &X509Crl) -> Result<String> {
    let alg = crl
        .outer_sig_alg_der()
        .ok_or(Error::NotSigned { object: "CRL" })?;
    let mut out = String::from("Certificate Revocation List (CRL):\n");
    let v = crl.version();
    out.push_str(&format!("        Version {} (0x{v:x})\n", u32::from(v) + 1));
    out.push_str("    ");
    signature_print(&mut out, alg, None)?;
    let issuer = dirname_print_ex(&crl.issuer().der()).unwrap_or_default();
    out.push_str(&format!("        Issuer: {issuer}\n"));
    out.push_str(&format!(
        "        Last Update: {}\n",
        time_or_none(crl.last_update_time())
    ));
    out.push_str(&format!(
        "        Next Update: {}\n",
        time_or_none(crl.next_update_time())
    ));
    if !crl.extensions().is_empty() {
        out.push_str("        CRL extensions:\n");
        print_extensions(&mut out, crl.extensions(), 12);
    }
    if crl.revoked().is_empty() {
        out.push_str("No Revoked Certificates.\n");
    } else {
        out.push_str("Revoked Certificates:\n");
        for r in crl.revoked() {
            out.push_str("    Serial Number: ");
            out.push_str(&String::from_utf8_lossy(&r.serial()));
            out.push_str("\n        Revocation Date: ");
            out.push_str(&time_or_none(r.date()));
            out.push('\n');
            if !r.extensions().is_empty() {
                out.push_str("        CRL entry extensions:\n");
                print_extensions(&mut out, r.extensions(), 12);
            }
        }
    }
    signature_print(&mut out, alg, crl.signature())?;
    Ok(out)
}
