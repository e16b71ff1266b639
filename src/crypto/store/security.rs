//! Security bits of keys and signatures, as OpenSSL 3.0 counts them for
//! the authentication level (`check_key_level`, `check_sig_level`).

use const_oid::ObjectIdentifier;

use crate::crypto::asn1::oid::{ids, Oid};
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
    const BITS: [(ObjectIdentifier, u32); 17] = [
        (ids::MD5_WITH_RSA, 39),
        (ids::MD2_WITH_RSA, 0),
        (ids::MD4_WITH_RSA, 0),
        (ids::SHA1_WITH_RSA, 63),
        (ids::DSA_WITH_SHA1, 63),
        (ids::ECDSA_WITH_SHA1, 63),
        (ids::SHA1_WITH_RSA_OIW, 63),
        (ids::SHA224_WITH_RSA, 112),
        (ids::ECDSA_WITH_SHA224, 112),
        (ids::DSA_WITH_SHA224, 112),
        (ids::SHA256_WITH_RSA, 128),
        (ids::ECDSA_WITH_SHA256, 128),
        (ids::DSA_WITH_SHA256, 128),
        (ids::SHA384_WITH_RSA, 192),
        (ids::ECDSA_WITH_SHA384, 192),
        (ids::SHA512_WITH_RSA, 256),
        (ids::ECDSA_WITH_SHA512, 256),
    ];
    let oid = ObjectIdentifier::new(&cert.signature_algorithm_oid().ok()?).ok()?;
    if oid == ids::ED25519 {
        return Some(128);
    }
    if oid == ids::RSASSA_PSS {
        return pss_bits(cert);
    }
    BITS.iter().find(|(o, _)| *o == oid).map(|(_, bits)| *bits)
}

/// RSASSA-PSS: half the size of the parameters' hash (SHA-1 by default).
fn pss_bits(cert: &X509) -> Option<u32> {
    use crate::crypto::asn1::tlv::parse_one;
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
    let oid = Oid::from_der_content(h.reader().read_tag(0x06, "algorithm").ok()?.content).ok()?;
    let bits = [
        (ids::SHA224, 112),
        (ids::SHA256, 128),
        (ids::SHA384, 192),
        (ids::SHA512, 256),
    ];
    Some(bits.iter().find(|(o, _)| oid == *o).map_or(63, |(_, b)| *b))
}

/// Whether the certificate's signature algorithm is strong enough for `level`.
pub(crate) fn sig_ok(cert: &X509, level: i32) -> bool {
    match min_bits(level) {
        None => true,
        Some(min) => sig_bits(cert).is_some_and(|b| b >= min),
    }
}
