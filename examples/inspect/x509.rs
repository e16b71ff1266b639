//! The `x509` and `csr` kinds of the inspect example: certificates,
//! requests, and the Name and Extension objects of `expected.json`.

use puressl::crypto::{self, FileType, MessageDigest, PKey, X509Extension, X509Name};
use serde_json::{json, Map, Value};

use super::hex;

fn sha256(data: &[u8]) -> String {
    hex(&MessageDigest::Sha256.hash(data))
}

/// The Name object.
pub fn name_object(name: &X509Name) -> Value {
    let entries = name.entries();
    let components: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!([
                e.short_name(),
                e.text().unwrap_or_else(|_| hex(e.raw_value()))
            ])
        })
        .collect();
    let raw: Vec<Value> = name
        .components()
        .iter()
        .map(|(k, v)| json!([k, hex(v)]))
        .collect();
    let mut attrs = Map::new();
    for e in entries {
        let sn = e.short_name();
        if sn != "UNDEF"
            && !attrs.contains_key(sn)
            && let Ok(Some(v)) = name.get(sn)
        {
            attrs.insert(sn.to_owned(), json!(v));
        }
    }
    json!({
        "components": components,
        "components_raw_hex": raw,
        "asn1_types": entries.iter().map(|e| e.asn1_type()).collect::<Vec<_>>(),
        "oids": entries.iter().map(|e| e.oid().to_string()).collect::<Vec<_>>(),
        "attrs": attrs,
        "der_hex": hex(&name.der()),
        "hash": name.hash(),
        "hash_old": name.hash_old(),
        "oneline": name.oneline(),
        "rfc4514": name.to_string(),
    })
}

/// The Extension object (`str` is null where OpenSSL cannot print it).
pub fn extension_object(e: &X509Extension) -> Value {
    json!({
        "short_name": e.short_name(),
        "oid": e.oid().to_string(),
        "critical": e.critical(),
        "str": e.to_text().ok(),
        "data_hex": hex(e.data()),
    })
}

fn pubkey_value(
    key: crypto::Result<PKey>,
    key_object: fn(&PKey) -> Result<Map<String, Value>, String>,
) -> Value {
    match key {
        Ok(k) => key_object(&k).map(Value::Object).unwrap_or(Value::Null),
        Err(_) => Value::Null,
    }
}

/// The `x509` kind.
pub fn x509_object(
    data: &[u8],
    ft: FileType,
    key_object: fn(&PKey) -> Result<Map<String, Value>, String>,
) -> Result<Value, String> {
    let c = crypto::load_certificate(ft, data).map_err(|e| e.to_string())?;
    let err = |e: crypto::Error| e.to_string();
    let der = c.to_der().map_err(err)?;
    let mut digest = Map::new();
    for md in ["md5", "sha1", "sha256", "sha512"] {
        digest.insert(md.into(), json!(c.digest(md).map_err(err)?));
    }
    let issuer = c.issuer();
    Ok(json!({
        "version": c.version(),
        "serial": c.serial_number().to_string(),
        "serial_der_hex": hex(&c.serial_number().to_der_content()),
        "not_before": c.not_before(),
        "not_after": c.not_after(),
        "not_before_asn1_type": c.not_before_asn1_type(),
        "not_after_asn1_type": c.not_after_asn1_type(),
        "has_expired": c.has_expired().map_err(err)?,
        "digest": digest,
        "subject_name_hash": c.subject_name_hash(),
        "subject_name_hash_old": c.subject_name_hash_old(),
        "issuer_name_hash": issuer.hash(),
        "issuer_name_hash_old": issuer.hash_old(),
        "subject": name_object(c.subject()),
        "issuer": name_object(issuer),
        "pubkey": pubkey_value(c.pubkey(), key_object),
        "signature_algorithm": c.signature_algorithm().ok(),
        "signature_algorithm_oid": c.signature_algorithm_oid().ok(),
        "extension_count": c.extension_count(),
        "extensions": c.extensions().iter().map(extension_object).collect::<Vec<_>>(),
        "der_sha256": sha256(&der),
    }))
}

/// The `csr` kind.
pub fn csr_object(
    data: &[u8],
    ft: FileType,
    key_object: fn(&PKey) -> Result<Map<String, Value>, String>,
) -> Result<Value, String> {
    let r = crypto::load_certificate_request(ft, data).map_err(|e| e.to_string())?;
    let err = |e: crypto::Error| e.to_string();
    let der = r.to_der().map_err(err)?;
    let verify = r.pubkey().and_then(|k| r.verify(&k)).is_ok();
    let exts = r.extensions().map_err(err)?;
    Ok(json!({
        "version": r.version(),
        "subject": name_object(r.subject()),
        "pubkey": pubkey_value(r.pubkey(), key_object),
        "verify": verify,
        "signature_algorithm": r.signature_algorithm().ok(),
        "signature_algorithm_oid": r.signature_algorithm_oid().ok(),
        "extensions": exts.iter().map(extension_object).collect::<Vec<_>>(),
        "challenge_password": r.challenge_password().map_err(err)?,
        "der_sha256": sha256(&der),
    }))
}
