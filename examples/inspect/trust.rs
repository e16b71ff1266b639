//! The trust part of inspect: kind `crl`, and `--verify-at/--trusted/--untrusted`.

use puressl::crypto::{
    load_certificate, load_crl, FileType, X509Crl, X509Extension, X509Name, X509Store,
    X509StoreContext, X509,
};
use serde_json::{json, Map, Value};

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn sha256_hex(data: &[u8]) -> String {
    hex(&puressl::crypto::MessageDigest::Sha256.hash(data))
}

/// A file's type: PEM if it has a BEGIN line, else DER.
pub fn file_type(data: &[u8]) -> FileType {
    if data.windows(11).any(|w| w == b"-----BEGIN ") {
        FileType::Pem
    } else {
        FileType::Asn1
    }
}

/// The Name object of expected.json.
pub fn name_json(n: &X509Name) -> Result<Value, String> {
    let mut components = Vec::new();
    let mut raw = Vec::new();
    let mut types = Vec::new();
    let mut oids = Vec::new();
    let mut attrs = Map::new();
    for e in n.entries() {
        let text = e.text().map_err(|e| e.to_string())?;
        components.push(json!([e.short_name(), text]));
        raw.push(json!([e.short_name(), hex(e.raw_value())]));
        types.push(json!(e.asn1_type()));
        oids.push(json!(e.oid().to_string()));
        if !attrs.contains_key(e.short_name()) {
            attrs.insert(e.short_name().to_owned(), json!(text));
        }
    }
    Ok(json!({
        "components": components,
        "components_raw_hex": raw,
        "asn1_types": types,
        "oids": oids,
        "attrs": attrs,
        "der_hex": hex(&n.der()),
        "hash": n.hash(),
        "hash_old": n.hash_old(),
        "oneline": n.oneline(),
        "rfc4514": n.to_rfc4514(),
    }))
}

fn ext_json(e: &X509Extension) -> Value {
    json!({
        "short_name": e.short_name(),
        "oid": e.oid().to_string(),
        "critical": e.critical(),
        "str": e.to_text().ok(),
        "data_hex": hex(e.data()),
    })
}

/// Kind `crl`.
pub fn crl_json(data: &[u8]) -> Result<Value, String> {
    let crl: X509Crl = load_crl(file_type(data), data).map_err(|e| e.to_string())?;
    let revoked: Vec<Value> = crl
        .revoked()
        .iter()
        .map(|r| {
            json!({
                "serial_hex": String::from_utf8_lossy(&r.serial()),
                "serial": r.serial_number().to_string(),
                "rev_date": r.rev_date().map(|d| String::from_utf8_lossy(&d).into_owned()),
                "rev_date_asn1_type": r.rev_date_asn1_type(),
                "reason": r.reason().map(|d| String::from_utf8_lossy(&d).into_owned()),
                "extensions": r.extensions().iter().map(ext_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    let der = crl.to_der().map_err(|e| e.to_string())?;
    Ok(json!({
        "version": crl.version(),
        "issuer": name_json(crl.issuer())?,
        "last_update": crl.last_update(),
        "next_update": crl.next_update(),
        "last_update_asn1_type": crl.last_update_asn1_type(),
        "next_update_asn1_type": crl.next_update_asn1_type(),
        "signature_algorithm": crl.signature_algorithm().map_err(|e| e.to_string())?,
        "signature_algorithm_oid": crl.signature_algorithm_oid().map_err(|e| e.to_string())?,
        "crl_number": crl.crl_number().and_then(|n| n.to_string().parse::<i64>().ok()),
        "extensions": crl.extensions().iter().map(|e| json!({
            "oid": e.oid().to_string(),
            "short_name": e.short_name(),
            "critical": e.critical(),
            "data_hex": hex(e.data()),
        })).collect::<Vec<_>>(),
        "revoked_count": crl.revoked().len(),
        "revoked": if revoked.is_empty() { Value::Null } else { Value::Array(revoked) },
        "der_sha256": sha256_hex(&der),
    }))
}

fn load_cert_file(path: &str) -> Result<X509, String> {
    let data = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    load_certificate(file_type(&data), &data).map_err(|e| format!("{path}: {e}"))
}

/// The `verify` block: `cert` checked at `at` against `trusted`, with
/// `untrusted` intermediates.
pub fn verify_json(
    cert: &X509,
    at: Option<&str>,
    trusted: &[String],
    untrusted: &[String],
) -> Result<Value, String> {
    let mut store = X509Store::new();
    for t in trusted {
        store
            .add_cert(&load_cert_file(t)?)
            .map_err(|e| e.to_string())?;
    }
    if let Some(at) = at {
        store.set_time(at).map_err(|e| e.to_string())?;
    }
    let chain = untrusted
        .iter()
        .map(|p| load_cert_file(p))
        .collect::<Result<Vec<_>, _>>()?;
    let mut ctx = X509StoreContext::new(&store, cert, Some(&chain));
    Ok(match ctx.verify_certificate() {
        Ok(_) => json!({"result": "ok"}),
        Err(e) => json!({
            "result": "error",
            "error_code": e.code(),
            "error_depth": e.depth(),
            "error_message": e.message(),
        }),
    })
}

/// Loads a certificate file given on the command line.
pub fn load_cert(data: &[u8]) -> Result<X509, String> {
    load_certificate(file_type(data), data).map_err(|e| e.to_string())
}
