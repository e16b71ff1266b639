//! Extension values from OpenSSL's v3 configuration syntax, one builder per
//! extension type (`v2i_*` / `s2i_*` / `r2i_*` in OpenSSL), producing the DER
//! of the extnValue contents.

use sha1::{Digest, Sha1};

use super::conf::{bad, parse_bool, parse_hex, parse_int, parse_list, Value};
use super::general_name::{self, gn};
use super::names;
use super::ExtContext;
use super::WHAT;
use crate::crypto::asn1::tlv::{self, tag};
use crate::crypto::asn1::value;
use crate::crypto::Result;

/// keyUsage bits: `(bit, short name, long name)`.
pub(crate) const KEY_USAGE: &[(usize, &str, &str)] = &[
    (0, "digitalSignature", "Digital Signature"),
    (1, "nonRepudiation", "Non Repudiation"),
    (2, "keyEncipherment", "Key Encipherment"),
    (3, "dataEncipherment", "Data Encipherment"),
    (4, "keyAgreement", "Key Agreement"),
    (5, "keyCertSign", "Certificate Sign"),
    (6, "cRLSign", "CRL Sign"),
    (7, "encipherOnly", "Encipher Only"),
    (8, "decipherOnly", "Decipher Only"),
];

/// nsCertType bits.
pub(crate) const NS_CERT_TYPE: &[(usize, &str, &str)] = &[
    (0, "client", "SSL Client"),
    (1, "server", "SSL Server"),
    (2, "email", "S/MIME"),
    (3, "objsign", "Object Signing"),
    (4, "reserved", "Unused"),
    (5, "sslCA", "SSL CA"),
    (6, "emailCA", "S/MIME CA"),
    (7, "objCA", "Object Signing CA"),
];

/// CRL distribution point reason flags.
pub(crate) const REASON_FLAGS: &[(usize, &str, &str)] = &[
    (0, "unused", "Unused"),
    (1, "keyCompromise", "Key Compromise"),
    (2, "CACompromise", "CA Compromise"),
    (3, "affiliationChanged", "Affiliation Changed"),
    (4, "superseded", "Superseded"),
    (5, "cessationOfOperation", "Cessation Of Operation"),
    (6, "certificateHold", "Certificate Hold"),
    (7, "privilegeWithdrawn", "Privilege Withdrawn"),
    (8, "AACompromise", "AA Compromise"),
];

/// TLS feature names (`tls_feature_tbl`).
pub(crate) const TLS_FEATURES: &[(i64, &str)] = &[(5, "status_request"), (17, "status_request_v2")];

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv::tlv(tag::SEQUENCE, &parts.concat())
}

/// Lists the items of a `v2i` value, refusing `@section` references.
fn list(field: &str, value: &str) -> Result<Vec<Value>> {
    if value.starts_with('@') {
        return Err(bad(
            field,
            format!("{value:?}: configuration sections are not supported"),
        ));
    }
    parse_list(field, value)
}

/// Builds the extnValue DER of the extension with short name `sn`.
pub(crate) fn build(sn: &str, value: &str, ctx: &ExtContext) -> Result<Vec<u8>> {
    match sn {
        "basicConstraints" => basic_constraints(sn, value),
        "keyUsage" => bit_string(sn, value, KEY_USAGE),
        "nsCertType" => bit_string(sn, value, NS_CERT_TYPE),
        "extendedKeyUsage" => extended_key_usage(sn, value),
        "subjectAltName" | "issuerAltName" => alt_name(sn, value),
        "subjectKeyIdentifier" => subject_key_id(sn, value, ctx),
        "authorityKeyIdentifier" => authority_key_id(sn, value, ctx),
        "nsComment" | "nsBaseUrl" | "nsRevocationUrl" | "nsCaRevocationUrl" | "nsRenewalUrl"
        | "nsCaPolicyUrl" | "nsSslServerName" => Ok(tlv::tlv(tag::IA5_STRING, value.as_bytes())),
        "crlDistributionPoints" | "freshestCRL" => crl_dp(sn, value),
        "authorityInfoAccess" | "subjectInfoAccess" => info_access(sn, value),
        "certificatePolicies" => policies(sn, value),
        "nameConstraints" => name_constraints(sn, value),
        "policyConstraints" => policy_constraints(sn, value),
        "inhibitAnyPolicy" => Ok(tlv::tlv(tag::INTEGER, &parse_int(sn, "value", value)?)),
        // s2i_ocsp_nocheck and s2i_poison ignore their value.
        "noCheck" | "ct_precert_poison" => Ok(tlv::tlv(tag::NULL, &[])),
        "policyMappings" => policy_mappings(sn, value),
        "issuingDistributionPoint" => issuing_dp(sn, value),
        "tlsfeature" => tls_feature(sn, value),
        _ => Err(bad(
            sn,
            format!("{sn} cannot be built from a configuration value; use DER:<hex>"),
        )),
    }
}

fn no_value(field: &str, item: &Value) -> Result<()> {
    match &item.value {
        None => Ok(()),
        Some(v) => Err(bad(
            field,
            format!("{}:{v}: this item takes no value", item.name),
        )),
    }
}

fn basic_constraints(field: &str, value: &str) -> Result<Vec<u8>> {
    let mut ca = false;
    let mut pathlen = None;
    for item in list(field, value)? {
        match item.name.as_str() {
            "CA" => ca = parse_bool(field, &item)?,
            "pathlen" => {
                let v = item
                    .value
                    .as_deref()
                    .ok_or_else(|| bad(field, "pathlen needs a value (pathlen:N)"))?;
                pathlen = Some(parse_int(field, "pathlen", v)?);
            }
            other => {
                return Err(bad(
                    field,
                    format!("unknown option {other:?} (expected CA or pathlen)"),
                ))
            }
        }
    }
    let mut parts = Vec::new();
    if ca {
        parts.push(tlv::tlv(tag::BOOLEAN, &[0xff]));
    }
    if let Some(p) = pathlen {
        parts.push(tlv::tlv(tag::INTEGER, &p));
    }
    Ok(seq(&parts))
}

fn bit_string(field: &str, value: &str, table: &[(usize, &str, &str)]) -> Result<Vec<u8>> {
    let mut bits = Vec::new();
    for item in list(field, value)? {
        no_value(field, &item)?;
        let bit = table
            .iter()
            .find(|(_, sn, ln)| *sn == item.name || *ln == item.name)
            .ok_or_else(|| bad(field, format!("unknown bit name {:?}", item.name)))?;
        bits.push(bit.0);
    }
    Ok(tlv::tlv(tag::BIT_STRING, &value::bit_string_content(&bits)))
}

fn oid_der(field: &str, text: &str) -> Result<Vec<u8>> {
    let oid = names::txt2obj(text).ok_or_else(|| {
        bad(
            field,
            format!("{text:?} is not an object identifier or a known name"),
        )
    })?;
    Ok(tlv::tlv(tag::OID, oid.as_bytes()))
}

fn extended_key_usage(field: &str, value: &str) -> Result<Vec<u8>> {
    let mut parts = Vec::new();
    for item in list(field, value)? {
        let text = item.value.as_deref().unwrap_or(&item.name);
        parts.push(oid_der(field, text)?);
    }
    Ok(seq(&parts))
}

fn alt_name(field: &str, value: &str) -> Result<Vec<u8>> {
    let mut parts = Vec::new();
    for item in list(field, value)? {
        match (item.name.as_str(), item.value.as_deref()) {
            ("email", Some(v @ ("copy" | "move"))) if field == "subjectAltName" => {
                return Err(bad(
                    field,
                    format!(
                        "email:{v} (taking the address from the subject name) is not supported"
                    ),
                ))
            }
            ("issuer", Some("copy")) if field == "issuerAltName" => {
                return Err(bad(
                    field,
                    "issuer:copy (copying the issuer's subjectAltName) is not supported",
                ))
            }
            _ => parts.push(general_name::from_conf(field, &item, false)?),
        }
    }
    Ok(seq(&parts))
}

/// SHA-1 of the subjectPublicKey BIT STRING contents (`ossl_x509_pubkey_hash`).
pub(crate) fn spki_hash(spki: &[u8]) -> Option<Vec<u8>> {
    let mut r = tlv::parse_tagged(spki, tag::SEQUENCE, WHAT).ok()?.reader();
    r.read_tag(tag::SEQUENCE, WHAT).ok()?;
    let bits = r.read_tag(tag::BIT_STRING, WHAT).ok()?.content;
    let key = bits.get(1..)?;
    Some(Sha1::digest(key).to_vec())
}

fn subject_key_id(field: &str, value: &str, ctx: &ExtContext) -> Result<Vec<u8>> {
    let id = match value {
        "hash" => {
            let spki = ctx.subject_spki.as_deref().ok_or_else(|| {
                bad(
                    field,
                    "hash needs the subject certificate (no subject details)",
                )
            })?;
            spki_hash(spki).ok_or_else(|| bad(field, "the subject public key is malformed"))?
        }
        "none" => {
            return Err(bad(
                field,
                "none means \"leave the extension out\"; there is nothing to build",
            ))
        }
        hex => parse_hex(field, hex)?,
    };
    Ok(tlv::tlv(tag::OCTET_STRING, &id))
}

fn authority_key_id(field: &str, value: &str, ctx: &ExtContext) -> Result<Vec<u8>> {
    let (mut keyid, mut issuer) = (0u8, 0u8);
    for item in list(field, value)? {
        let level = match item.value.as_deref() {
            None => 1,
            Some("always") => 2,
            Some(v) => {
                return Err(bad(
                    field,
                    format!("{}:{v}: the only option is \"always\"", item.name),
                ))
            }
        };
        match item.name.as_str() {
            "keyid" => keyid = level,
            "issuer" => issuer = level,
            other => {
                return Err(bad(
                    field,
                    format!("unknown option {other:?} (expected keyid or issuer)"),
                ))
            }
        }
    }
    if ctx.issuer_spki.is_none() && ctx.issuer_issuer_der.is_none() {
        return Err(bad(field, "no issuer certificate given"));
    }
    // Self-signed: the subject key is the issuer key.
    let ss = ctx.subject_spki.is_some() && ctx.subject_spki == ctx.issuer_spki;
    let mut ikeyid = None;
    if keyid == 2 || (keyid == 1 && !ss) {
        ikeyid = ctx.issuer_key_id.clone();
        if ikeyid.is_none() && ss {
            ikeyid = ctx.issuer_spki.as_deref().and_then(spki_hash);
        }
        if keyid == 2 && ikeyid.is_none() {
            return Err(bad(
                field,
                "keyid:always: unable to get the issuer's key identifier",
            ));
        }
    }
    let mut parts = Vec::new();
    if let Some(id) = &ikeyid {
        parts.push(tlv::tlv(0x80, id));
    }
    if issuer == 2 || (issuer == 1 && ikeyid.is_none()) {
        let (name, serial) = ctx
            .issuer_issuer_der
            .as_deref()
            .zip(ctx.issuer_serial.as_deref())
            .ok_or_else(|| bad(field, "issuer: unable to get the issuer's name and serial"))?;
        parts.push(tlv::tlv(0xa1, &tlv::tlv(gn::DIR_NAME, name)));
        parts.push(tlv::tlv(0x82, serial));
    }
    if parts.is_empty() {
        return Err(bad(
            field,
            format!(
                "{value:?} gives an empty extension (the key identifier of a self-signed \
                 certificate is only written with keyid:always)"
            ),
        ));
    }
    Ok(seq(&parts))
}

fn crl_dp(field: &str, value: &str) -> Result<Vec<u8>> {
    let mut points = Vec::new();
    for item in list(field, value)? {
        if item.value.is_none() {
            return Err(bad(
                field,
                format!(
                    "{:?}: distribution point sections are not supported",
                    item.name
                ),
            ));
        }
        let name = general_name::from_conf(field, &item, false)?;
        let full_name = tlv::tlv(0xa0, &name);
        points.push(seq(&[tlv::tlv(0xa0, &full_name)]));
    }
    Ok(seq(&points))
}

fn info_access(field: &str, value: &str) -> Result<Vec<u8>> {
    let mut descs = Vec::new();
    for item in list(field, value)? {
        let (method, kind) = item.name.split_once(';').ok_or_else(|| {
            bad(
                field,
                format!(
                    "{:?}: expected METHOD;TYPE:value, e.g. OCSP;URI:http://...",
                    item.name
                ),
            )
        })?;
        let location = Value {
            name: kind.to_owned(),
            value: item.value.clone(),
        };
        descs.push(seq(&[
            oid_der(field, method)?,
            general_name::from_conf(field, &location, false)?,
        ]));
    }
    Ok(seq(&descs))
}

fn policies(field: &str, value: &str) -> Result<Vec<u8>> {
    let mut infos = Vec::new();
    for item in parse_list(field, value)? {
        if let Some(v) = &item.value {
            return Err(bad(
                field,
                format!("{}:{v}: invalid policy identifier", item.name),
            ));
        }
        match item.name.as_str() {
            // Only affects user notices written in sections.
            "ia5org" => {}
            n if n.starts_with('@') => {
                return Err(bad(
                    field,
                    format!("{n:?}: policy sections are not supported"),
                ))
            }
            n => infos.push(seq(&[oid_der(field, n)?])),
        }
    }
    Ok(seq(&infos))
}

fn name_constraints(field: &str, value: &str) -> Result<Vec<u8>> {
    let (mut permitted, mut excluded) = (Vec::new(), Vec::new());
    for item in list(field, value)? {
        let split = |prefix: &str| {
            item.name
                .strip_prefix(prefix)
                .and_then(|rest| rest.get(1..).filter(|_| !rest.is_empty()))
        };
        let (tree, kind) = if let Some(kind) = split("permitted") {
            (&mut permitted, kind)
        } else if let Some(kind) = split("excluded") {
            (&mut excluded, kind)
        } else {
            return Err(bad(
                field,
                format!(
                    "{:?}: expected permitted;TYPE:value or excluded;TYPE:value",
                    item.name
                ),
            ));
        };
        let base = Value {
            name: kind.to_owned(),
            value: item.value.clone(),
        };
        tree.push(seq(&[general_name::from_conf(field, &base, true)?]));
    }
    let mut parts = Vec::new();
    if !permitted.is_empty() {
        parts.push(tlv::tlv(0xa0, &permitted.concat()));
    }
    if !excluded.is_empty() {
        parts.push(tlv::tlv(0xa1, &excluded.concat()));
    }
    Ok(seq(&parts))
}

fn policy_constraints(field: &str, value: &str) -> Result<Vec<u8>> {
    let (mut require, mut inhibit) = (None, None);
    for item in list(field, value)? {
        let slot = match item.name.as_str() {
            "requireExplicitPolicy" => &mut require,
            "inhibitPolicyMapping" => &mut inhibit,
            other => {
                return Err(bad(
                    field,
                    format!(
                        "unknown option {other:?} (expected requireExplicitPolicy or inhibitPolicyMapping)"
                    ),
                ))
            }
        };
        let v = item
            .value
            .as_deref()
            .ok_or_else(|| bad(field, format!("{} needs a value", item.name)))?;
        *slot = Some(parse_int(field, &item.name, v)?);
    }
    let mut parts = Vec::new();
    if let Some(r) = require {
        parts.push(tlv::tlv(0x80, &r));
    }
    if let Some(i) = inhibit {
        parts.push(tlv::tlv(0x81, &i));
    }
    if parts.is_empty() {
        return Err(bad(field, "empty policy constraints"));
    }
    Ok(seq(&parts))
}

fn tls_feature(field: &str, value: &str) -> Result<Vec<u8>> {
    let mut parts = Vec::new();
    for item in list(field, value)? {
        let text = item.value.as_deref().unwrap_or(&item.name);
        let id = match TLS_FEATURES
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(text))
        {
            Some((id, _)) => *id,
            None => text
                .parse::<i64>()
                .ok()
                .filter(|v| (0..=65535).contains(v))
                .ok_or_else(|| {
                    bad(
                        field,
                        format!(
                            "{text:?}: not status_request, status_request_v2 or a number 0..65535"
                        ),
                    )
                })?,
        };
        parts.push(tlv::tlv(tag::INTEGER, &value::int_content(i128::from(id))));
    }
    Ok(seq(&parts))
}

fn policy_mappings(field: &str, value: &str) -> Result<Vec<u8>> {
    let mut maps = Vec::new();
    for item in list(field, value)? {
        let subject = item.value.as_deref().ok_or_else(|| {
            bad(
                field,
                format!("{:?}: expected issuerPolicy:subjectPolicy", item.name),
            )
        })?;
        maps.push(seq(&[
            oid_der(field, &item.name)?,
            oid_der(field, subject)?,
        ]));
    }
    Ok(seq(&maps))
}

fn issuing_dp(field: &str, value: &str) -> Result<Vec<u8>> {
    let mut idp = IssuingDp::default();
    for item in list(field, value)? {
        idp.read_option(field, &item)?;
    }
    Ok(idp.to_der())
}

/// The options of an `issuingDistributionPoint` value, as read.
#[derive(Default)]
struct IssuingDp {
    /// `distributionPoint [0]` (a fullName), DER.
    dp: Option<Vec<u8>>,
    /// onlyuser, onlyCA, indirectCRL, onlyAA.
    flags: [bool; 4],
    /// The BIT STRING content of `onlySomeReasons`.
    reasons: Option<Vec<u8>>,
}

impl IssuingDp {
    /// One `name:value` option.
    fn read_option(&mut self, field: &str, item: &Value) -> Result<()> {
        let flag = match item.name.as_str() {
            "fullname" => return self.set_full_name(field, item),
            "relativename" => {
                return Err(bad(
                    field,
                    "relativename needs a section, which is not supported",
                ))
            }
            "onlysomereasons" => return self.set_reasons(field, item),
            "onlyuser" => 0,
            "onlyCA" => 1,
            "indirectCRL" => 2,
            "onlyAA" => 3,
            other => {
                return Err(bad(
                    field,
                    format!(
                        "unknown option {other:?} (expected fullname, onlyuser, onlyCA, onlyAA, \
                         indirectCRL or onlysomereasons)"
                    ),
                ))
            }
        };
        if let Some(slot) = self.flags.get_mut(flag) {
            *slot = parse_bool(field, item)?;
        }
        Ok(())
    }

    /// `fullname:TYPE:value,...`: the distribution point's general names.
    fn set_full_name(&mut self, field: &str, item: &Value) -> Result<()> {
        if self.dp.is_some() {
            return Err(bad(
                field,
                "fullname: the distribution point is already set",
            ));
        }
        let names = item
            .value
            .as_deref()
            .ok_or_else(|| bad(field, "fullname needs a value (fullname:TYPE:value)"))?;
        if names.starts_with('@') {
            return Err(bad(field, format!("{names:?}: sections are not supported")));
        }
        let mut gens = Vec::new();
        for gname in parse_list(field, names)? {
            gens.push(general_name::from_conf(field, &gname, false)?);
        }
        self.dp = Some(tlv::tlv(0xa0, &tlv::tlv(0xa0, &gens.concat())));
        Ok(())
    }

    /// `onlysomereasons:reason,...`: the reason flags by short name.
    fn set_reasons(&mut self, field: &str, item: &Value) -> Result<()> {
        if self.reasons.is_some() {
            return Err(bad(field, "onlysomereasons is already set"));
        }
        let text = item
            .value
            .as_deref()
            .ok_or_else(|| bad(field, "onlysomereasons needs a value"))?;
        let mut bits = Vec::new();
        for r in parse_list(field, text)? {
            let bit = REASON_FLAGS
                .iter()
                .find(|(_, sn, _)| *sn == r.name)
                .ok_or_else(|| bad(field, format!("unknown reason {:?}", r.name)))?;
            bits.push(bit.0);
        }
        self.reasons = Some(value::bit_string_content(&bits));
        Ok(())
    }

    /// The `IssuingDistributionPoint` SEQUENCE, fields in ASN.1 order.
    fn to_der(&self) -> Vec<u8> {
        let [user, ca, indirect, aa] = self.flags;
        let boolean = |tag: u8| tlv::tlv(tag, &[0xff]);
        let mut parts = Vec::new();
        parts.extend(self.dp.clone());
        if user {
            parts.push(boolean(0x81));
        }
        if ca {
            parts.push(boolean(0x82));
        }
        if let Some(r) = &self.reasons {
            parts.push(tlv::tlv(0x83, r));
        }
        if indirect {
            parts.push(boolean(0x84));
        }
        if aa {
            parts.push(boolean(0x85));
        }
        seq(&parts)
    }
}
