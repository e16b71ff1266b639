//! What path validation needs to know about a certificate, computed once
//! (OpenSSL's cached `ex_flags`, `ex_kusage`, `ex_pathlen`, `skid`, `akid`).

use const_oid::ObjectIdentifier;
use der::Decode;

use super::general_name;
pub(crate) use super::general_name::GeneralName;
use crate::crypto::asn1::ber;
use crate::crypto::asn1::oid::{ids, oid_to_string};
use crate::crypto::asn1::tlv::{parse_one, tag, Tlv};
use crate::crypto::asn1::value;
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

/// Extension OIDs OpenSSL's `X509_supported_extension` handles when
/// critical.
const SUPPORTED_CRITICAL: &[ObjectIdentifier] = &[
    ids::NS_CERT_TYPE,
    ids::KEY_USAGE,
    ids::SUBJECT_ALT_NAME,
    ids::BASIC_CONSTRAINTS,
    ids::CERTIFICATE_POLICIES,
    ids::CRL_DISTRIBUTION_POINTS,
    ids::EXT_KEY_USAGE,
    ids::IP_ADDR_BLOCKS,
    ids::AUTONOMOUS_SYS_IDS,
    ids::OCSP_NO_CHECK,
    ids::POLICY_CONSTRAINTS,
    ids::PROXY_CERT_INFO,
    ids::NAME_CONSTRAINTS,
    ids::POLICY_MAPPINGS,
    ids::INHIBIT_ANY_POLICY,
];

/// The extensions `ossl_x509v3_cache_extensions` decodes with
/// `X509_get_ext_d2i`: one of them present twice (RFC 5280 §4.2 forbids
/// it) makes the certificate invalid, as in OpenSSL 3.0. A repeated
/// extension of another OID is accepted, as OpenSSL does.
const DECODED_ONCE: &[ObjectIdentifier] = &[
    ids::BASIC_CONSTRAINTS,
    ids::KEY_USAGE,
    ids::EXT_KEY_USAGE,
    ids::NS_CERT_TYPE,
    ids::SUBJECT_KEY_IDENTIFIER,
    ids::AUTHORITY_KEY_IDENTIFIER,
    ids::SUBJECT_ALT_NAME,
    ids::NAME_CONSTRAINTS,
    ids::CRL_DISTRIBUTION_POINTS,
    ids::PROXY_CERT_INFO,
    ids::IP_ADDR_BLOCKS,
    ids::AUTONOMOUS_SYS_IDS,
];

/// The extensions [`CertInfo::read_extension`] decodes.
const READ: &[ObjectIdentifier] = &[
    ids::BASIC_CONSTRAINTS,
    ids::KEY_USAGE,
    ids::SUBJECT_KEY_IDENTIFIER,
    ids::AUTHORITY_KEY_IDENTIFIER,
    ids::NS_CERT_TYPE,
    ids::EXT_KEY_USAGE,
    ids::NAME_CONSTRAINTS,
    ids::SUBJECT_ALT_NAME,
];

/// The authorityKeyIdentifier fields.
#[derive(Debug, Clone, Default)]
pub(crate) struct Akid {
    pub(crate) key_id: Option<Vec<u8>>,
    /// The first directoryName of authorityCertIssuer.
    pub(crate) issuer: Option<X509Name>,
    pub(crate) serial: Option<SerialNumber>,
}

/// Parses an authorityKeyIdentifier extension value (BER, as
/// [`ber::ext_value`] reads it).
///
/// A hand decoder rather than `x509_cert`'s derived
/// `AuthorityKeyIdentifier`, which rejects what OpenSSL 3.0's `d2i`
/// accepts: keyIdentifier `[0]` in its constructed (BER) form, and a
/// serial longer than 20 octets (OpenSSL reads it, then finds it does not
/// match). Like the derived type and OpenSSL, it refuses fields out of
/// order or repeated, a padded serial INTEGER and a GeneralName that does
/// not decode. Tested against `openssl verify` in
/// `tests/api/store_robustness.rs` (`EXT_ENCODINGS`).
pub(crate) fn parse_akid(data: &[u8]) -> Option<Akid> {
    const WHAT: &str = "authorityKeyIdentifier";
    let data = ber::ext_value(data)?;
    let seq = parse_one(&data, WHAT).ok()?;
    if seq.tag != tag::SEQUENCE {
        return None;
    }
    let mut r = seq.reader();
    let mut akid = Akid::default();
    if matches!(r.peek_tag(), Some(0x80 | 0xa0)) {
        let key_id = ber::string_octets(&r.read(WHAT).ok()?, WHAT).ok()?;
        akid.key_id = Some(key_id.into_owned());
    }
    if let Some(t) = r.read_optional(0xa1, WHAT).ok()? {
        let mut g = t.reader();
        while !g.is_empty() {
            let gn = g.read("GeneralName").ok()?;
            if !general_name::decodes(gn.tag, gn.content) {
                return None;
            }
            if gn.tag == general_name::GEN_DIRNAME && akid.issuer.is_none() {
                let name = parse_one(gn.content, "directoryName").ok()?;
                akid.issuer = X509Name::from_tlv_content(name.content).ok();
            }
        }
    }
    if let Some(t) = r.read_optional(0x82, WHAT).ok()? {
        akid.serial = Some(SerialNumber::from_der_content(t.content).ok()?);
    }
    r.finish(WHAT).ok()?;
    Some(akid)
}

/// nameConstraints: permitted and excluded subtrees (their base names).
#[derive(Debug, Clone, Default)]
pub(crate) struct NameConstraints {
    pub(crate) permitted: Vec<GeneralName>,
    pub(crate) excluded: Vec<GeneralName>,
}

/// One `GeneralSubtrees` (the content of `[0]` or `[1]`).
fn parse_subtrees(t: &Tlv<'_>, out: &mut Vec<GeneralName>) -> Option<()> {
    let mut r = t.reader();
    while !r.is_empty() {
        let st = r.read_tag(tag::SEQUENCE, "GeneralSubtree").ok()?;
        let mut s = st.reader();
        let mut base = general_name::general_name(&s.read("base").ok()?)?;
        let (minimum, maximum) = crate::crypto::extension::general_name::subtree_bounds(&mut s)?;
        s.finish("GeneralSubtree").ok()?;
        // minimum 0 is the default; anything else is unsupported.
        base.min_max = maximum.is_some() || minimum.is_some_and(|m| m.content != [0]);
        out.push(base);
    }
    Some(())
}

/// Parses a nameConstraints extension value (in DER shape).
///
/// A hand decoder rather than `x509_cert`'s derived `NameConstraints`:
/// OpenSSL 3.0's `d2i` accepts a GeneralSubtree with the DEFAULT
/// `minimum [0] 0` written out, which DER (and so `der`) forbids. Like the
/// derived type and OpenSSL, it refuses `[1]` before `[0]`, a repeated
/// `[0]`, `maximum` before `minimum` and a padded INTEGER. Tested against
/// `openssl verify` in `tests/api/store_robustness.rs` (`EXT_ENCODINGS`).
fn parse_name_constraints(data: &[u8]) -> Option<NameConstraints> {
    let seq = parse_one(data, "nameConstraints").ok()?;
    if seq.tag != tag::SEQUENCE {
        return None;
    }
    let mut nc = NameConstraints::default();
    let mut r = seq.reader();
    if let Some(t) = r.read_optional(0xa0, "permittedSubtrees").ok()? {
        parse_subtrees(&t, &mut nc.permitted)?;
    }
    if let Some(t) = r.read_optional(0xa1, "excludedSubtrees").ok()? {
        parse_subtrees(&t, &mut nc.excluded)?;
    }
    r.finish("nameConstraints").ok()?;
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

/// The key type each known signature algorithm OID needs.
const SIG_KEY_TYPES: &[(ObjectIdentifier, KeyType)] = &[
    (ids::MD5_WITH_RSA, KeyType::Rsa),
    (ids::SHA1_WITH_RSA, KeyType::Rsa),
    (ids::SHA256_WITH_RSA, KeyType::Rsa),
    (ids::SHA384_WITH_RSA, KeyType::Rsa),
    (ids::SHA512_WITH_RSA, KeyType::Rsa),
    (ids::SHA224_WITH_RSA, KeyType::Rsa),
    (ids::RSASSA_PSS, KeyType::Rsa),
    (ids::MD2_WITH_RSA, KeyType::Rsa),
    (ids::MD4_WITH_RSA, KeyType::Rsa),
    (ids::DSA_WITH_SHA1, KeyType::Dsa),
    (ids::DSA_WITH_SHA224, KeyType::Dsa),
    (ids::DSA_WITH_SHA256, KeyType::Dsa),
    (ids::ECDSA_WITH_SHA1, KeyType::Ec),
    (ids::ECDSA_WITH_SHA224, KeyType::Ec),
    (ids::ECDSA_WITH_SHA256, KeyType::Ec),
    (ids::ECDSA_WITH_SHA384, KeyType::Ec),
    (ids::ECDSA_WITH_SHA512, KeyType::Ec),
    (ids::ED25519, KeyType::Ed25519),
];

/// The key type each known public key algorithm OID stands for.
const SPKI_KEY_TYPES: &[(ObjectIdentifier, KeyType)] = &[
    (ids::RSA_ENCRYPTION, KeyType::Rsa),
    (ids::RSASSA_PSS, KeyType::Rsa),
    (ids::DSA, KeyType::Dsa),
    (ids::EC_PUBLIC_KEY, KeyType::Ec),
    (ids::ED25519, KeyType::Ed25519),
];

/// The entry of `table` whose OID has the DER content `content`.
fn key_type_of(table: &[(ObjectIdentifier, KeyType)], content: &[u8]) -> Option<KeyType> {
    table
        .iter()
        .find(|(o, _)| o.as_bytes() == content)
        .map(|&(_, k)| k)
}

/// The OID content octets of a DER AlgorithmIdentifier.
fn algorithm_oid_content(alg_der: &[u8]) -> Option<&[u8]> {
    let seq = parse_one(alg_der, "AlgorithmIdentifier").ok()?;
    if seq.tag != 0x30 {
        return None;
    }
    let oid = seq.reader().read_tag(0x06, "algorithm").ok()?;
    Some(oid.content)
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
    key_type_of(SPKI_KEY_TYPES, oid.content)
}

impl CertInfo {
    /// Computes the flags of `cert` (which must be signed).
    pub(crate) fn new(cert: &X509) -> Option<Self> {
        Self::owning(cert.clone()).ok()
    }

    /// [`new`](Self::new) keeping `cert` itself; `Err(cert)` when it is
    /// not signed.
    pub(crate) fn owning(cert: X509) -> Result<Self, Box<X509>> {
        let Ok(der) = cert.to_der() else {
            return Err(Box::new(cert));
        };
        let mut info = Self::without_extensions(der, &cert);
        info.read_extensions(&cert);
        // Moved in once the extensions are read.
        info.cert = cert;
        info.set_self_flags();
        Ok(info)
    }

    /// The flags before any extension is read (`cert` is a placeholder).
    fn without_extensions(der: Vec<u8>, cert: &X509) -> Self {
        let explicit_ec = cert
            .public_key_der()
            .and_then(explicit_ec_order_bits)
            .is_some();
        CertInfo {
            cert: X509::default(),
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
            explicit_ec,
        }
    }

    /// `ossl_x509v3_cache_extensions`: every extension of `cert`, in order.
    fn read_extensions(&mut self, cert: &X509) {
        let mut seen: Vec<ObjectIdentifier> = Vec::new();
        for ext in cert.extensions() {
            let oid = ext.id();
            if seen.contains(&oid) && DECODED_ONCE.contains(&oid) {
                self.invalid = true;
            }
            seen.push(oid);
            if ext.critical() && !SUPPORTED_CRITICAL.contains(&oid) {
                self.unhandled_critical = true;
            }
            if self
                .read_extension(oid, ext.critical(), ext.data())
                .is_none()
            {
                self.invalid = true;
            }
        }
    }

    /// Records one extension the verifier uses; `None` when its value is
    /// invalid (what it could read is kept, as OpenSSL keeps it). The value
    /// is read as OpenSSL's `d2i` reads it: BER, and only its first element
    /// ([`ber::ext_value`]); each decoder then sees DER shape.
    fn read_extension(&mut self, oid: ObjectIdentifier, critical: bool, data: &[u8]) -> Option<()> {
        if !READ.contains(&oid) {
            return Some(());
        }
        if oid == ids::BASIC_CONSTRAINTS {
            self.bcons = true;
            self.bcons_critical = critical;
        }
        let data = &*ber::ext_value(data)?;
        match oid {
            ids::BASIC_CONSTRAINTS => self.read_basic_constraints(data),
            ids::KEY_USAGE => {
                let bits = parse_bits(data)?;
                self.key_usage = Some(bits);
                // An empty keyUsage is invalid (RFC 5280 §4.2.1.3;
                // OpenSSL 3.0's X509V3_R_EMPTY_KEY_USAGE).
                (bits != 0).then_some(())
            }
            ids::SUBJECT_KEY_IDENTIFIER => {
                self.skid = Some(parse_skid(data)?);
                Some(())
            }
            ids::AUTHORITY_KEY_IDENTIFIER => {
                self.akid = Some(parse_akid(data)?);
                Some(())
            }
            ids::NS_CERT_TYPE => {
                let bits = parse_bits(data)?;
                // NS_SSL_CA | NS_SMIME_CA | NS_OBJSIGN_CA in the first octet.
                self.ns_ca = bits & 0x07 != 0;
                self.ns_cert = Some((bits & 0xff) as u8);
                Some(())
            }
            ids::EXT_KEY_USAGE => {
                self.xku = Some(parse_xku(data)?);
                self.xku_critical = critical;
                Some(())
            }
            ids::NAME_CONSTRAINTS => {
                self.name_constraints = Some(parse_name_constraints(data)?);
                Some(())
            }
            ids::SUBJECT_ALT_NAME => {
                self.san = Some(general_name::subject_alt_names(data)?);
                Some(())
            }
            _ => Some(()),
        }
    }

    /// cA and pathLenConstraint of a basicConstraints value.
    fn read_basic_constraints(&mut self, data: &[u8]) -> Option<()> {
        let (ca, pathlen) = parse_bcons(data)?;
        self.ca = ca;
        match pathlen {
            // OpenSSL 3.0 only refuses a negative pathlen here; one on a
            // non-CA is an X509_STRICT error (80).
            Some(p) if p < 0 => {
                self.pathlen = 0;
                None
            }
            Some(p) => {
                self.pathlen = p;
                Some(())
            }
            None => Some(()),
        }
    }

    /// `self_issued` (subject = issuer) and `self_signed` (also the AKID
    /// and the signature algorithm fit the certificate's own key).
    fn set_self_flags(&mut self) {
        self.self_issued = self.cert.subject() == self.cert.issuer();
        if self.self_issued {
            let akid_ok = self
                .akid
                .as_ref()
                .is_none_or(|a| check_akid(self, a).is_none());
            self.self_signed = akid_ok && sig_alg_matches(self, &self.cert);
        }
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
    if let (Some(k), Some(s)) = (&akid.key_id, &issuer.skid)
        && k != s
    {
        return Some(30);
    }
    if let Some(serial) = &akid.serial
        && serial != issuer.cert.serial_number()
    {
        return Some(31);
    }
    if let Some(name) = &akid.issuer
        && name != issuer.cert.issuer()
    {
        return Some(31);
    }
    None
}

/// Whether the signature algorithm of `subject` fits the key type of `issuer`.
fn sig_alg_matches(issuer: &CertInfo, subject: &X509) -> bool {
    let Some(content) = subject.tbs_sig_alg_der().and_then(algorithm_oid_content) else {
        return false;
    };
    let Some(want) = key_type_of(SIG_KEY_TYPES, content) else {
        // Unknown algorithms fail later, at the signature check; a
        // malformed OID fails here.
        return oid_to_string(content).is_ok();
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
    if issuer.cert.subject() != subject.cert.issuer() {
        return false;
    }
    if let Some(a) = &subject.akid
        && check_akid(issuer, a).is_some()
    {
        return false;
    }
    sig_alg_matches(issuer, &subject.cert)
}

/// The key identifier of a subjectKeyIdentifier value (in DER shape).
///
/// `x509_cert`'s derived `SubjectKeyIdentifier`: once the value is in DER
/// shape it accepts and refuses what OpenSSL 3.0 does (the BER forms OpenSSL
/// accepts, constructed or with BER lengths, are rewritten by
/// [`ber::ext_value`] first).
fn parse_skid(data: &[u8]) -> Option<Vec<u8>> {
    let skid = x509_cert::ext::pkix::SubjectKeyIdentifier::from_der(data).ok()?;
    Some(skid.0.into_bytes().into_vec())
}

/// `(cA, pathLenConstraint)` of a basicConstraints value (in DER shape).
///
/// A hand decoder rather than `x509_cert`'s derived `BasicConstraints`,
/// which rejects what OpenSSL 3.0's `d2i` accepts: cA is any non-zero
/// octet (`der`'s `bool` takes only 0xFF), cA FALSE may be written out
/// (DER forbids encoding the DEFAULT), and pathLenConstraint is any
/// INTEGER (the derived type holds a `u8`: 256 fails; a negative one is
/// read, then makes the certificate invalid, as in OpenSSL). A padded
/// INTEGER and fields out of order are refused, as OpenSSL refuses them.
/// Tested against `openssl verify` in `tests/api/store_robustness.rs`
/// (`EXT_ENCODINGS`).
fn parse_bcons(data: &[u8]) -> Option<(bool, Option<i64>)> {
    let seq = parse_one(data, "basicConstraints").ok()?;
    if seq.tag != tag::SEQUENCE {
        return None;
    }
    let mut r = seq.reader();
    let ca = match r.read_optional(tag::BOOLEAN, "cA").ok()? {
        Some(b) => value::boolean(b.content)?,
        None => false,
    };
    let mut pathlen = None;
    if let Some(i) = r.read_optional(tag::INTEGER, "pathLenConstraint").ok()? {
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
    /// `xku_bits` of the extended key usages OpenSSL knows.
    const XKU_BITS: [(ObjectIdentifier, u16); 10] = [
        (ids::KP_SERVER_AUTH, XKU_SSL_SERVER),
        (ids::KP_CLIENT_AUTH, XKU_SSL_CLIENT),
        (ids::KP_EMAIL_PROTECTION, XKU_SMIME),
        (ids::KP_CODE_SIGNING, 0x08),
        (ids::NS_SGC, XKU_SGC),
        (ids::MS_SGC, XKU_SGC),
        (ids::KP_OCSP_SIGNING, 0x20),
        (ids::KP_TIME_STAMPING, XKU_TIMESTAMP),
        (ids::KP_DVCS, 0x80),
        (ids::ANY_EXTENDED_KEY_USAGE, 0x100),
    ];
    let seq = parse_one(data, "extendedKeyUsage").ok()?;
    if seq.tag != 0x30 {
        return None;
    }
    let mut r = seq.reader();
    let mut bits = 0u16;
    while !r.is_empty() {
        let t = r.read_tag(0x06, "KeyPurposeId").ok()?;
        oid_to_string(t.content).ok()?;
        bits |= XKU_BITS
            .iter()
            .find(|(o, _)| o.as_bytes() == t.content)
            .map_or(0, |(_, bit)| *bit);
    }
    Some(bits)
}
