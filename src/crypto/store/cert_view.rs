//! What path validation needs to know about a certificate, computed once
//! (OpenSSL's cached `ex_flags`, `ex_kusage`, `ex_pathlen`, `skid`, `akid`).

use super::general_name;
pub(crate) use super::general_name::GeneralName;
use crate::crypto::asn1::tlv::{parse_one, Tlv};
use crate::crypto::{KeyType, SerialNumber, X509Name, X509};

/// keyUsage bits as OpenSSL numbers them (`KU_*`).
pub(crate) const KU_KEY_CERT_SIGN: u16 = 0x0004;
pub(crate) const KU_CRL_SIGN: u16 = 0x0002;
pub(crate) const KU_DIGITAL_SIGNATURE: u16 = 0x0080;
pub(crate) const KU_NON_REPUDIATION: u16 = 0x0040;
pub(crate) const KU_KEY_ENCIPHERMENT: u16 = 0x0020;
pub(crate) const KU_KEY_AGREEMENT: u16 = 0x0008;

/// extendedKeyUsage bits as OpenSSL numbers them (`XKU_*`).
pub(crate) const XKU_SSL_SERVER: u16 = 0x01;
pub(crate) const XKU_SSL_CLIENT: u16 = 0x02;
pub(crate) const XKU_SMIME: u16 = 0x04;
pub(crate) const XKU_SGC: u16 = 0x10;
pub(crate) const XKU_TIMESTAMP: u16 = 0x40;

/// nsCertType bits as OpenSSL numbers them (`NS_*`).
pub(crate) const NS_SSL_CLIENT: u8 = 0x80;
pub(crate) const NS_SSL_SERVER: u8 = 0x40;
pub(crate) const NS_SMIME: u8 = 0x20;
pub(crate) const NS_SSL_CA: u8 = 0x04;
pub(crate) const NS_SMIME_CA: u8 = 0x02;

/// Extension OIDs (DER content) OpenSSL's `X509_supported_extension` handles
/// when critical.
const SUPPORTED_CRITICAL: &[&str] = &[
    "2.16.840.1.113730.1.1", // nsCertType
    "2.5.29.15",             // keyUsage
    "2.5.29.17",             // subjectAltName
    "2.5.29.19",             // basicConstraints
    "2.5.29.32",             // certificatePolicies
    "2.5.29.31",             // crlDistributionPoints
    "2.5.29.37",             // extendedKeyUsage
    "1.3.6.1.5.5.7.1.7",     // sbgp-ipAddrBlock
    "1.3.6.1.5.5.7.1.8",     // sbgp-autonomousSysNum
    "1.3.6.1.5.5.7.48.1.5",  // id-pkix-OCSP-noCheck
    "2.5.29.36",             // policyConstraints
    "1.3.6.1.5.5.7.1.14",    // proxyCertInfo
    "2.5.29.30",             // nameConstraints
    "2.5.29.33",             // policyMappings
    "2.5.29.54",             // inhibitAnyPolicy
];

/// The extensions `ossl_x509v3_cache_extensions` decodes with
/// `X509_get_ext_d2i`: one of them present twice (RFC 5280 §4.2 forbids
/// it) makes the certificate invalid, as in OpenSSL 3.0. A repeated
/// extension of another OID is accepted, as OpenSSL does.
const DECODED_ONCE: &[&str] = &[
    "2.5.29.19",             // basicConstraints
    "2.5.29.15",             // keyUsage
    "2.5.29.37",             // extendedKeyUsage
    "2.16.840.1.113730.1.1", // nsCertType
    "2.5.29.14",             // subjectKeyIdentifier
    "2.5.29.35",             // authorityKeyIdentifier
    "2.5.29.17",             // subjectAltName
    "2.5.29.30",             // nameConstraints
    "2.5.29.31",             // crlDistributionPoints
    "1.3.6.1.5.5.7.1.14",    // proxyCertInfo
    "1.3.6.1.5.5.7.1.7",     // sbgp-ipAddrBlock
    "1.3.6.1.5.5.7.1.8",     // sbgp-autonomousSysNum
];

/// The authorityKeyIdentifier fields.
#[derive(Debug, Clone, Default)]
pub(crate) struct Akid {
    pub(crate) key_id: Option<Vec<u8>>,
    /// The first directoryName of authorityCertIssuer.
    pub(crate) issuer: Option<X509Name>,
    pub(crate) serial: Option<SerialNumber>,
}

/// Parses an authorityKeyIdentifier value.
pub(crate) fn parse_akid(data: &[u8]) -> Option<Akid> {
    let seq = parse_one(data, "authorityKeyIdentifier").ok()?;
    if seq.tag != 0x30 {
        return None;
    }
    let mut r = seq.reader();
    let mut akid = Akid::default();
    while !r.is_empty() {
        let t = r.read("authorityKeyIdentifier").ok()?;
        match t.tag {
            0x80 => akid.key_id = Some(t.content.to_vec()),
            0xa1 => {
                let mut g = t.reader();
                while !g.is_empty() {
                    let gn = g.read("GeneralName").ok()?;
                    if gn.tag == 0xa4 && akid.issuer.is_none() {
                        let name = parse_one(gn.content, "directoryName").ok()?;
                        akid.issuer = X509Name::from_tlv_content(name.content).ok();
                    }
                }
            }
            0x82 => akid.serial = SerialNumber::from_der_content(t.content).ok(),
            _ => return None,
        }
    }
    Some(akid)
}

/// nameConstraints: permitted and excluded subtrees (their base names).
#[derive(Debug, Clone, Default)]
pub(crate) struct NameConstraints {
    pub(crate) permitted: Vec<GeneralName>,
    pub(crate) excluded: Vec<GeneralName>,
}

fn parse_subtrees(t: &Tlv<'_>, nc: &mut NameConstraints, permitted: bool) -> Option<()> {
    let mut r = t.reader();
    while !r.is_empty() {
        let st = r.read_tag(0x30, "GeneralSubtree").ok()?;
        let mut s = st.reader();
        let base = s.read("base").ok()?;
        if !general_name::decodes(base.tag, base.content) {
            return None;
        }
        let mut min_max = false;
        while !s.is_empty() {
            let m = s.read("GeneralSubtree").ok()?;
            // minimum [0] 0 is the default; anything else is unsupported.
            min_max |= !(m.tag == 0x80 && m.content == [0]);
        }
        let gn = GeneralName {
            tag: base.tag,
            content: base.content.to_vec(),
            min_max,
        };
        if permitted {
            nc.permitted.push(gn);
        } else {
            nc.excluded.push(gn);
        }
    }
    Some(())
}

fn parse_name_constraints(data: &[u8]) -> Option<NameConstraints> {
    let seq = parse_one(data, "nameConstraints").ok()?;
    if seq.tag != 0x30 {
        return None;
    }
    let mut nc = NameConstraints::default();
    let mut r = seq.reader();
    while !r.is_empty() {
        let t = r.read("nameConstraints").ok()?;
        match t.tag {
            0xa0 => parse_subtrees(&t, &mut nc, true)?,
            0xa1 => parse_subtrees(&t, &mut nc, false)?,
            _ => return None,
        }
    }
    Some(nc)
}

/// What the verifier knows about one certificate.
#[derive(Debug, Clone)]
pub(crate) struct CertInfo {
    pub(crate) cert: X509,
    pub(crate) der: Vec<u8>,
    /// basicConstraints present.
    pub(crate) bcons: bool,
    pub(crate) bcons_critical: bool,
    /// basicConstraints cA.
    pub(crate) ca: bool,
    /// pathLenConstraint (-1 when absent).
    pub(crate) pathlen: i64,
    /// keyUsage bits, when the extension is present.
    pub(crate) key_usage: Option<u16>,
    pub(crate) skid: Option<Vec<u8>>,
    pub(crate) akid: Option<Akid>,
    /// A critical extension OpenSSL does not handle.
    pub(crate) unhandled_critical: bool,
    /// An extension that does not decode, or a CA:FALSE with pathlen.
    pub(crate) invalid: bool,
    /// Subject name equals issuer name.
    pub(crate) self_issued: bool,
    /// Self-issued, AKID matches, and the signature algorithm fits the key.
    pub(crate) self_signed: bool,
    /// nsCertType has one of the CA bits.
    pub(crate) ns_ca: bool,
    /// nsCertType's first octet, when the extension is present.
    pub(crate) ns_cert: Option<u8>,
    /// extendedKeyUsage as OpenSSL's `XKU_*` bits, when present.
    pub(crate) xku: Option<u16>,
    /// extendedKeyUsage is marked critical.
    pub(crate) xku_critical: bool,
    pub(crate) name_constraints: Option<NameConstraints>,
    /// subjectAltName entries (None when the extension is absent).
    pub(crate) san: Option<Vec<GeneralName>>,
    /// An EC key with explicit curve parameters.
    pub(crate) explicit_ec: bool,
}

/// The key type a signature AlgorithmIdentifier's OID needs, if known.
pub(crate) fn sig_key_type(oid: &str) -> Option<KeyType> {
    Some(match oid {
        "1.2.840.113549.1.1.4"
        | "1.2.840.113549.1.1.5"
        | "1.2.840.113549.1.1.11"
        | "1.2.840.113549.1.1.12"
        | "1.2.840.113549.1.1.13"
        | "1.2.840.113549.1.1.14"
        | "1.2.840.113549.1.1.10"
        | "1.2.840.113549.1.1.2"
        | "1.2.840.113549.1.1.3" => KeyType::Rsa,
        "1.2.840.10040.4.3" | "2.16.840.1.101.3.4.3.1" | "2.16.840.1.101.3.4.3.2" => KeyType::Dsa,
        "1.2.840.10045.4.1"
        | "1.2.840.10045.4.3.1"
        | "1.2.840.10045.4.3.2"
        | "1.2.840.10045.4.3.3"
        | "1.2.840.10045.4.3.4" => KeyType::Ec,
        "1.3.101.112" => KeyType::Ed25519,
        _ => return None,
    })
}

/// For an EC SubjectPublicKeyInfo with explicit curve parameters
/// (ECParameters instead of a named curve OID): the bit length of the
/// curve's order (0 when it cannot be read). `None` for any other key.
pub(crate) fn explicit_ec_order_bits(spki: &[u8]) -> Option<u32> {
    let seq = parse_one(spki, "SubjectPublicKeyInfo").ok()?;
    let alg = seq.reader().read_tag(0x30, "algorithm").ok()?;
    let mut r = alg.reader();
    let oid = r.read_tag(0x06, "algorithm").ok()?;
    if oid.content != [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01] {
        return None;
    }
    let params = r.read_tag(0x30, "ECParameters").ok()?;
    // ECParameters: version, fieldID, curve, base, order, cofactor.
    let mut p = params.reader();
    let order = (0..4)
        .try_for_each(|_| p.read("ECParameters").map(|_| ()))
        .and_then(|()| p.read_tag(0x02, "order"))
        .ok();
    let bits = order.map_or(0, |o| {
        let digits = o.content.iter().skip_while(|&&b| b == 0);
        let n = digits.clone().count();
        let top = digits.clone().next().copied().unwrap_or(0);
        u32::try_from(n).map_or(0, |n| n.saturating_sub(1) * 8 + (8 - top.leading_zeros()))
    });
    Some(bits)
}

/// The key type of a DER SubjectPublicKeyInfo, by its algorithm OID.
fn spki_key_type(spki: &[u8]) -> Option<KeyType> {
    let seq = parse_one(spki, "SubjectPublicKeyInfo").ok()?;
    let alg = seq.reader().read_tag(0x30, "algorithm").ok()?;
    let oid = alg.reader().read_tag(0x06, "algorithm").ok()?;
    let oid = crate::crypto::asn1::tlv::oid_to_string(oid.content).ok()?;
    Some(match oid.as_str() {
        "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => KeyType::Rsa,
        "1.2.840.10040.4.1" => KeyType::Dsa,
        "1.2.840.10045.2.1" => KeyType::Ec,
        "1.3.101.112" => KeyType::Ed25519,
        _ => return None,
    })
}

impl CertInfo {
    /// Computes the flags of `cert` (which must be signed).
    pub(crate) fn new(cert: &X509) -> Option<Self> {
        let der = cert.to_der().ok()?;
        let mut info = CertInfo {
            cert: cert.clone(),
            der,
            bcons: false,
            bcons_critical: false,
            ca: false,
            pathlen: -1,
            key_usage: None,
            skid: None,
            akid: None,
            unhandled_critical: false,
            invalid: false,
            self_issued: false,
            self_signed: false,
            ns_ca: false,
            ns_cert: None,
            xku: None,
            xku_critical: false,
            name_constraints: None,
            san: None,
            explicit_ec: cert
                .public_key_der()
                .and_then(explicit_ec_order_bits)
                .is_some(),
        };
        let mut seen: Vec<String> = Vec::new();
        for ext in cert.extensions() {
            let oid = ext.oid().to_string();
            if seen.contains(&oid) && DECODED_ONCE.contains(&oid.as_str()) {
                info.invalid = true;
            }
            seen.push(oid.clone());
            if ext.critical() && !SUPPORTED_CRITICAL.contains(&oid.as_str()) {
                info.unhandled_critical = true;
            }
            let data = ext.data();
            match oid.as_str() {
                "2.5.29.19" => {
                    info.bcons = true;
                    info.bcons_critical = ext.critical();
                    match parse_bcons(data) {
                        Some((ca, pathlen)) => {
                            info.ca = ca;
                            match pathlen {
                                // OpenSSL 3.0 only refuses a negative
                                // pathlen here; one on a non-CA is an
                                // X509_STRICT error (80).
                                Some(p) if p < 0 => {
                                    info.invalid = true;
                                    info.pathlen = 0;
                                }
                                Some(p) => info.pathlen = p,
                                None => {}
                            }
                        }
                        None => info.invalid = true,
                    }
                }
                "2.5.29.15" => match parse_bits(data) {
                    // An empty keyUsage is invalid (RFC 5280 §4.2.1.3;
                    // OpenSSL 3.0's X509V3_R_EMPTY_KEY_USAGE).
                    Some(bits) => {
                        info.key_usage = Some(bits);
                        info.invalid |= bits == 0;
                    }
                    None => info.invalid = true,
                },
                "2.5.29.14" => match parse_one(data, "subjectKeyIdentifier") {
                    Ok(t) if t.tag == 0x04 => info.skid = Some(t.content.to_vec()),
                    _ => info.invalid = true,
                },
                "2.5.29.35" => match parse_akid(data) {
                    Some(a) => info.akid = Some(a),
                    None => info.invalid = true,
                },
                "2.16.840.1.113730.1.1" => match parse_bits(data) {
                    // NS_SSL_CA | NS_SMIME_CA | NS_OBJSIGN_CA in the first octet.
                    Some(bits) => {
                        info.ns_ca = bits & 0x07 != 0;
                        info.ns_cert = Some((bits & 0xff) as u8);
                    }
                    None => info.invalid = true,
                },
                "2.5.29.37" => match parse_xku(data) {
                    Some(bits) => {
                        info.xku = Some(bits);
                        info.xku_critical = ext.critical();
                    }
                    None => info.invalid = true,
                },
                "2.5.29.30" => match parse_name_constraints(data) {
                    Some(nc) => info.name_constraints = Some(nc),
                    None => info.invalid = true,
                },
                "2.5.29.17" => match general_name::subject_alt_names(data) {
                    Some(names) => info.san = Some(names),
                    None => info.invalid = true,
                },
                _ => {}
            }
        }
        info.self_issued = cert.subject_ref() == cert.issuer_ref();
        if info.self_issued {
            let akid_ok = info
                .akid
                .as_ref()
                .is_none_or(|a| check_akid(&info, a).is_none());
            info.self_signed = akid_ok && sig_alg_matches(&info, cert);
        }
        Some(info)
    }

    /// OpenSSL's `X509_check_ca`: 0 = not a CA, 1 = basicConstraints CA,
    /// 3 = v1 self-signed root, 4 = keyUsage with keyCertSign, 5 = nsCertType CA.
    pub(crate) fn check_ca(&self) -> u8 {
        if self.key_usage.is_some_and(|k| k & KU_KEY_CERT_SIGN == 0) {
            return 0;
        }
        if self.bcons {
            return u8::from(self.ca);
        }
        if self.cert.version() == 0 && self.self_signed {
            3
        } else if self.key_usage.is_some() {
            4
        } else if self.ns_ca {
            5
        } else {
            0
        }
    }

    /// Whether keyUsage (when present) forbids `bit`.
    pub(crate) fn ku_reject(&self, bit: u16) -> bool {
        self.key_usage.is_some_and(|k| k & bit == 0)
    }
}

/// `X509_check_akid(issuer, akid)`: `None` when consistent, else the
/// OpenSSL error code (30 or 31).
pub(crate) fn check_akid(issuer: &CertInfo, akid: &Akid) -> Option<i32> {
    if let (Some(k), Some(s)) = (&akid.key_id, &issuer.skid) {
        if k != s {
            return Some(30);
        }
    }
    if let Some(serial) = &akid.serial {
        if serial != issuer.cert.serial_number() {
            return Some(31);
        }
    }
    if let Some(name) = &akid.issuer {
        if name != issuer.cert.issuer_ref() {
            return Some(31);
        }
    }
    None
}

/// Whether the signature algorithm of `subject` fits the key type of `issuer`.
fn sig_alg_matches(issuer: &CertInfo, subject: &X509) -> bool {
    let Ok(oid) = subject.signature_algorithm_oid() else {
        return false;
    };
    let Some(want) = sig_key_type(&oid) else {
        // Unknown algorithms fail later, at the signature check.
        return true;
    };
    let have = issuer.cert.public_key_der().and_then(spki_key_type);
    have.is_none_or(|h| h == want)
}

/// `ossl_x509_likely_issued(issuer, subject)`: names, AKID and the
/// signature algorithm's key type agree.
///
/// A certificate whose extensions do not decode (OpenSSL's
/// `EXFLAG_INVALID`: `ossl_x509v3_cache_extensions` fails) is neither an
/// issuer nor issued: a leaf like that fails with
/// `UNABLE_TO_GET_ISSUER_CERT_LOCALLY` (20), as in OpenSSL 3.0.
pub(crate) fn likely_issued(issuer: &CertInfo, subject: &CertInfo) -> bool {
    if issuer.invalid || subject.invalid {
        return false;
    }
    if issuer.cert.subject_ref() != subject.cert.issuer_ref() {
        return false;
    }
    if let Some(a) = &subject.akid {
        if check_akid(issuer, a).is_some() {
            return false;
        }
    }
    sig_alg_matches(issuer, &subject.cert)
}

/// `(cA, pathLenConstraint)` of a basicConstraints value.
fn parse_bcons(data: &[u8]) -> Option<(bool, Option<i64>)> {
    let seq = parse_one(data, "basicConstraints").ok()?;
    if seq.tag != 0x30 {
        return None;
    }
    let mut r = seq.reader();
    let mut ca = false;
    if r.peek_tag() == Some(0x01) {
        let b = r.read("cA").ok()?;
        ca = match b.content {
            [0] => false,
            [_] => true,
            _ => return None,
        };
    }
    let mut pathlen = None;
    if r.peek_tag() == Some(0x02) {
        let i = r.read("pathLenConstraint").ok()?;
        let s = SerialNumber::from_der_content(i.content).ok()?;
        let v = s.to_i128()?;
        pathlen = Some(i64::try_from(v).unwrap_or(i64::MAX));
    }
    r.finish("basicConstraints").ok()?;
    Some((ca, pathlen))
}

/// The first two octets of a BIT STRING value as OpenSSL's `ex_kusage`
/// (`data[0] | data[1] << 8`).
fn parse_bits(data: &[u8]) -> Option<u16> {
    let t = parse_one(data, "BIT STRING").ok()?;
    if t.tag != 0x03 || t.content.is_empty() {
        return None;
    }
    let b0 = u16::from(t.content.get(1).copied().unwrap_or(0));
    let b1 = u16::from(t.content.get(2).copied().unwrap_or(0));
    Some(b0 | (b1 << 8))
}

/// extendedKeyUsage as OpenSSL's `ex_xkusage` bits (`XKU_*`); purposes
/// OpenSSL does not map add nothing.
fn parse_xku(data: &[u8]) -> Option<u16> {
    let seq = parse_one(data, "extendedKeyUsage").ok()?;
    if seq.tag != 0x30 {
        return None;
    }
    let mut r = seq.reader();
    let mut bits = 0u16;
    while !r.is_empty() {
        let t = r.read_tag(0x06, "KeyPurposeId").ok()?;
        let oid = crate::crypto::asn1::tlv::oid_to_string(t.content).ok()?;
        bits |= match oid.as_str() {
            "1.3.6.1.5.5.7.3.1" => XKU_SSL_SERVER,
            "1.3.6.1.5.5.7.3.2" => XKU_SSL_CLIENT,
            "1.3.6.1.5.5.7.3.4" => XKU_SMIME,
            "1.3.6.1.5.5.7.3.3" => 0x08,
            "2.16.840.1.113730.4.1" | "1.3.6.1.4.1.311.10.3.3" => XKU_SGC,
            "1.3.6.1.5.5.7.3.9" => 0x20,
            "1.3.6.1.5.5.7.3.8" => XKU_TIMESTAMP,
            "1.3.6.1.5.5.7.3.10" => 0x80,
            "2.5.29.37.0" => 0x100,
            _ => 0,
        };
    }
    Some(bits)
}
