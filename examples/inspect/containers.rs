//! The `pkcs12`, `pkcs7` and `spkac` kinds of the inspect example.

use puressl::crypto::{self, FileType, MessageDigest, NetscapeSpki, PKey, X509};
use serde_json::{json, Map, Value};

use super::hex;

/// The Key object builder of the main file.
type KeyObject = fn(&PKey) -> Result<Map<String, Value>, String>;

/// PKCS#12, PKCS#7 or SPKAC, from the content.
pub fn detect(data: &[u8], text: &str) -> Option<&'static str> {
    if text.trim_start().starts_with("SPKAC=") {
        Some("spkac")
    } else if text.contains("-----BEGIN PKCS7-----") {
        Some("pkcs7")
    } else if data.get(..2) == Some(&[0x30, 0x80])
        || crypto::load_pkcs7_data(FileType::Asn1, data).is_ok()
    {
        // A PFX starts SEQUENCE { INTEGER 3, ...; a PKCS#7 SEQUENCE { OID ...
        let pfx = data.windows(3).take(8).any(|w| w == [0x02, 0x01, 0x03]);
        Some(if pfx { "pkcs12" } else { "pkcs7" })
    } else if data.windows(3).take(8).any(|w| w == [0x02, 0x01, 0x03]) {
        Some("pkcs12")
    } else {
        None
    }
}

fn der_sha256(der: &[u8]) -> Value {
    json!(hex(&MessageDigest::Sha256.hash(der)))
}

fn cert_sha256(cert: &X509) -> Result<Value, String> {
    let der = crypto::dump_certificate(FileType::Asn1, cert).map_err(|e| e.to_string())?;
    Ok(der_sha256(&der))
}

pub fn pkcs12_object(
    data: &[u8],
    password: Option<&[u8]>,
    key_object: KeyObject,
) -> Result<Value, String> {
    let p12 = crypto::load_pkcs12(data, password).map_err(|e| e.to_string())?;
    let certificate = match p12.certificate() {
        Some(c) => json!({ "der_sha256": cert_sha256(c)? }),
        None => Value::Null,
    };
    let privatekey = match p12.privatekey() {
        Some(k) => Value::Object(key_object(k)?),
        None => Value::Null,
    };
    let ca_certificates = match p12.ca_certificates() {
        Some(list) => Value::Array(
            list.iter()
                .map(|c| Ok(json!({ "der_sha256": cert_sha256(c)? })))
                .collect::<Result<_, String>>()?,
        ),
        None => Value::Null,
    };
    let friendlyname = p12
        .friendly_name()
        .map(|n| String::from_utf8_lossy(n).into_owned());
    Ok(json!({
        "certificate": certificate,
        "privatekey": privatekey,
        "ca_certificates": ca_certificates,
        "friendlyname": friendlyname,
    }))
}

pub fn pkcs7_object(ft: FileType, data: &[u8]) -> Result<Value, String> {
    let p7 = crypto::load_pkcs7_data(ft, data).map_err(|e| e.to_string())?;
    let certificates = match p7.certificates() {
        Some(list) => Value::Array(list.iter().map(cert_sha256).collect::<Result<_, _>>()?),
        None => Value::Null,
    };
    Ok(json!({
        "type_name": p7.type_name(),
        "type_is_signed": p7.type_is_signed(),
        "type_is_enveloped": p7.type_is_enveloped(),
        "type_is_signedAndEnveloped": p7.type_is_signed_and_enveloped(),
        "type_is_data": p7.type_is_data(),
        "content_type_oid": p7.content_type_oid(),
        "certificates": certificates,
        "der_sha256": der_sha256(&p7.to_der()),
    }))
}

pub fn spkac_object(data: &[u8], key_object: KeyObject) -> Result<Value, String> {
    let spki = NetscapeSpki::from_b64(data).map_err(|e| e.to_string())?;
    let key = spki.pubkey().map_err(|e| e.to_string())?;
    Ok(json!({
        "b64": spki.b64_encode().map_err(|e| e.to_string())?,
        "challenge": spki.challenge(),
        "pubkey": Value::Object(key_object(&key)?),
        "signature_algorithm": spki.signature_algorithm().map_err(|e| e.to_string())?,
        "signature_algorithm_oid": spki.signature_algorithm_oid().map_err(|e| e.to_string())?,
        "verify": spki.verify(&key).is_ok(),
        "der_sha256": der_sha256(&spki.to_der().map_err(|e| e.to_string())?),
    }))
}
