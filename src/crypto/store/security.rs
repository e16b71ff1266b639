//! Security bits of keys and signatures, as OpenSSL 3.0 counts them for
//! the authentication level (`check_key_level`, `check_sig_level`).

use crate::crypto::{KeyType, X509};

/// Minimum bits for levels 1..=5 (`minbits_table`).
const MINBITS: [u32; 5] = [80, 112, 128, 192, 256];

fn min_bits(level: i32) -> Option<u32> {
    if level <= 0 {
        return None;
    }
    let idx = usize::try_from(level.min(5) - 1).unwrap_or(0);
    MINBITS.get(idx).copied()
}

/// `BN_security_bits(L, -1)`: RSA and DSA by modulus size.
fn modulus_bits(l: u32) -> u32 {
    match l {
        15360.. => 256,
        7680.. => 192,
        3072.. => 128,
        2048.. => 112,
        1024.. => 80,
        _ => 0,
    }
}

/// The security bits of the certificate's key, or `None` if it does not decode.
fn key_bits(cert: &X509) -> Option<u32> {
    // An EC key with explicit parameters (which `pubkey` does not take):
    // half the order's bits, as OpenSSL counts any EC key.
    if let Some(order_bits) = cert
        .public_key_der()
        .and_then(super::cert_view::explicit_ec_order_bits)
    {
        return Some(order_bits / 2);
    }
    let k = cert.pubkey().ok()?;
    Some(match k.key_type() {
        KeyType::Rsa | KeyType::Dsa => modulus_bits(k.bits()),
        KeyType::Ec => k.bits() / 2,
        KeyType::Ed25519 => 128,
    })
}

/// Whether the certificate's key is strong enough for `level`.
pub(crate) fn key_ok(cert: &X509, level: i32) -> bool {
    match min_bits(level) {
        None => true,
        Some(min) => key_bits(cert).is_some_and(|b| b >= min),
    }
}

/// The signature's security bits (`X509_get_signature_info`): half the
/// digest size, 63 for SHA-1, 39 for MD5, 128 for Ed25519.
fn sig_bits(cert: &X509) -> Option<u32> {
    let oid = cert.signature_algorithm_oid().ok()?;
    Some(match oid.as_str() {
        "1.2.840.113549.1.1.4" => 39, // md5WithRSAEncryption
        "1.2.840.113549.1.1.2" | "1.2.840.113549.1.1.3" => 0, // md2/md4
        "1.2.840.113549.1.1.5" | "1.2.840.10040.4.3" | "1.2.840.10045.4.1" | "1.3.14.3.2.29" => 63,
        "1.2.840.113549.1.1.14" | "1.2.840.10045.4.3.1" | "2.16.840.1.101.3.4.3.1" => 112,
        "1.2.840.113549.1.1.11" | "1.2.840.10045.4.3.2" | "2.16.840.1.101.3.4.3.2" => 128,
        "1.2.840.113549.1.1.12" | "1.2.840.10045.4.3.3" => 192,
        "1.2.840.113549.1.1.13" | "1.2.840.10045.4.3.4" => 256,
        "1.3.101.112" => 128,
        "1.2.840.113549.1.1.10" => pss_bits(cert)?,
        _ => return None,
    })
}

/// RSASSA-PSS: half the size of the parameters' hash (SHA-1 by default).
fn pss_bits(cert: &X509) -> Option<u32> {
    use crate::crypto::asn1::tlv::{oid_to_string, parse_one};
    let alg = cert.sig_alg_der()?;
    let seq = parse_one(alg, "AlgorithmIdentifier").ok()?;
    let mut r = seq.reader();
    r.read_tag(0x06, "algorithm").ok()?;
    let Ok(params) = r.read_tag(0x30, "RSASSA-PSS-params") else {
        return Some(63);
    };
    let mut p = params.reader();
    let Ok(Some(hash)) = p.read_optional(0xa0, "hashAlgorithm") else {
        return Some(63);
    };
    let h = parse_one(hash.content, "hashAlgorithm").ok()?;
    let oid = oid_to_string(h.reader().read_tag(0x06, "algorithm").ok()?.content).ok()?;
    Some(match oid.as_str() {
        "2.16.840.1.101.3.4.2.4" => 112,
        "2.16.840.1.101.3.4.2.1" => 128,
        "2.16.840.1.101.3.4.2.2" => 192,
        "2.16.840.1.101.3.4.2.3" => 256,
        _ => 63,
    })
}

/// Whether the certificate's signature algorithm is strong enough for `level`.
pub(crate) fn sig_ok(cert: &X509, level: i32) -> bool {
    match min_bits(level) {
        None => true,
        Some(min) => sig_bits(cert).is_some_and(|b| b >= min),
    }
}
