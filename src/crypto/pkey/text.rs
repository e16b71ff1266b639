//! The public-key block of `openssl x509 -text` (and `openssl rsa -text`).

use rsa::traits::PublicKeyParts;
use rsa::BoxedUint;

use super::encoding::ec_point;
use super::Public;

/// Hex rows as OpenSSL prints them: `aa:bb:...`, 15 bytes a row, a colon
/// after every byte but the last, each row indented by `indent` spaces.
pub(crate) fn hex_rows(out: &mut String, bytes: &[u8], indent: usize) {
    let last = bytes.len().saturating_sub(1);
    for (i, b) in bytes.iter().enumerate() {
        if i % 15 == 0 {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&format!("{b:02x}"));
        if i != last {
            out.push(':');
        }
    }
    out.push('\n');
}

/// `ASN1_bn_print`: a label line and the number, either inline
/// (`Exponent: 65537 (0x10001)` when it fits in 8 bytes) or as hex rows with a
/// leading `00` when the top bit is set.
pub(crate) fn bn_print(out: &mut String, label: &str, n: &BoxedUint, indent: usize) {
    let bytes = n.to_be_bytes_trimmed_vartime();
    let pad = " ".repeat(indent);
    if bytes.is_empty() {
        out.push_str(&format!("{pad}{label} 0\n"));
        return;
    }
    if bytes.len() <= 8 {
        let v = bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        out.push_str(&format!("{pad}{label} {v} (0x{v:x})\n"));
        return;
    }
    out.push_str(&format!("{pad}{label}\n"));
    let mut row = Vec::with_capacity(bytes.len() + 1);
    if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        row.push(0);
    }
    row.extend_from_slice(&bytes);
    hex_rows(out, &row, indent + 4);
}

/// The lines under `Public Key Algorithm: ...`: the key lines at `indent`,
/// hex rows at `indent + 4`.
pub(crate) fn public_key_text(public: &Public, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    match public {
        Public::Rsa(k) => {
            out.push_str(&format!(
                "{pad}Public-Key: ({} bit)\n",
                k.n().bit_width_vartime()
            ));
            bn_print(&mut out, "Modulus:", k.n(), indent);
            bn_print(&mut out, "Exponent:", k.e(), indent);
        }
        Public::Dsa(k) => {
            let c = k.components();
            out.push_str(&format!(
                "{pad}Public-Key: ({} bit)\n",
                c.p().bit_width_vartime()
            ));
            bn_print(&mut out, "pub: ", k.y(), indent);
            bn_print(&mut out, "P:   ", c.p(), indent);
            bn_print(&mut out, "Q:   ", c.q(), indent);
            bn_print(&mut out, "G:   ", c.g(), indent);
        }
        Public::P256(_) | Public::P384(_) | Public::P521(_) => {
            let (bits, name, nist) = match public {
                Public::P256(_) => (256, "prime256v1", "P-256"),
                Public::P384(_) => (384, "secp384r1", "P-384"),
                _ => (521, "secp521r1", "P-521"),
            };
            out.push_str(&format!("{pad}Public-Key: ({bits} bit)\n{pad}pub:\n"));
            hex_rows(&mut out, &ec_point(public).unwrap_or_default(), indent + 4);
            out.push_str(&format!("{pad}ASN1 OID: {name}\n{pad}NIST CURVE: {nist}\n"));
        }
        Public::Ed25519(k) => {
            out.push_str(&format!("{pad}ED25519 Public-Key:\n{pad}pub:\n"));
            hex_rows(&mut out, k.as_bytes(), indent + 4);
        }
    }
    out
}
