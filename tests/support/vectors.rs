//! Shared helpers of the tests: the vector files, their expected.json, hex,
//! SHA-256, PEM bodies, vector keys and comparison of Name objects.
#![allow(dead_code)]

use puressl::crypto::X509Name;
use serde_json::Value;

pub fn expected() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/expected.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

pub fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Compares every field of a vector Name object with `name`.
pub fn check_name(ctx: &str, name: &X509Name, exp: &Value) {
    assert_eq!(
        hex(&name.der()),
        exp["der_hex"].as_str().unwrap(),
        "{ctx} der"
    );
    let comps: Vec<(String, String)> = name
        .entries()
        .iter()
        .map(|e| (e.short_name().to_owned(), e.text().unwrap()))
        .collect();
    let exp_comps: Vec<(String, String)> = exp["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_owned(),
                p[1].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(comps, exp_comps, "{ctx} components");
    let raw: Vec<(String, String)> = name
        .components()
        .into_iter()
        .map(|(k, v)| (k, hex(&v)))
        .collect();
    let exp_raw: Vec<(String, String)> = exp["components_raw_hex"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_owned(),
                p[1].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(raw, exp_raw, "{ctx} components_raw_hex");
    let types: Vec<&str> = name.entries().iter().map(|e| e.asn1_type()).collect();
    let exp_types: Vec<&str> = exp["asn1_types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(types, exp_types, "{ctx} asn1_types");
    let oids: Vec<String> = name.entries().iter().map(|e| e.oid().to_string()).collect();
    let exp_oids: Vec<&str> = exp["oids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(oids, exp_oids, "{ctx} oids");
    let rdns: Vec<Vec<String>> = name
        .rdns()
        .iter()
        .map(|r| r.iter().map(|e| e.short_name().to_owned()).collect())
        .collect();
    let exp_rdns: Vec<Vec<String>> = exp["rdns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|p| p[0].as_str().unwrap().to_owned())
                .collect()
        })
        .collect();
    assert_eq!(rdns, exp_rdns, "{ctx} rdns");
    for (k, v) in exp["attrs"].as_object().unwrap() {
        assert_eq!(
            name.get(k).unwrap().as_deref(),
            Some(v.as_str().unwrap()),
            "{ctx} attr {k}"
        );
    }
    assert_eq!(
        u64::from(name.hash()),
        exp["hash"].as_u64().unwrap(),
        "{ctx} hash"
    );
    assert_eq!(
        u64::from(name.hash_old()),
        exp["hash_old"].as_u64().unwrap(),
        "{ctx} hash_old"
    );
    assert_eq!(
        name.oneline(),
        exp["oneline"].as_str().unwrap(),
        "{ctx} oneline"
    );
    assert_eq!(
        format!("{name:?}"),
        format!("<X509Name object '{}'>", exp["oneline"].as_str().unwrap())
    );
    if let Some(r) = exp["rfc4514"].as_str() {
        assert_eq!(name.to_string(), r, "{ctx} rfc4514");
    }
}

/// Path of a vector file.
pub fn vector_path(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(rel)
}

/// Contents of a vector file.
pub fn read_vector(rel: &str) -> Vec<u8> {
    std::fs::read(vector_path(rel)).unwrap()
}

/// The `files` entries of one kind, sorted by path.
pub fn entries_of_kind(exp: &Value, kind: &str) -> Vec<(String, Value)> {
    let mut v: Vec<(String, Value)> = exp["files"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, f)| f["kind"] == kind)
        .map(|(k, f)| (k.clone(), f.clone()))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// SHA-256 hex.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&puressl::crypto::MessageDigest::Sha256.hash(data))
}

/// The DER inside a single-block PEM text (header lines dropped).
pub fn pem_body(pem: &[u8]) -> Vec<u8> {
    use base64::Engine as _;
    let text = String::from_utf8_lossy(pem);
    let b64: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap()
}

/// The private key in a PKCS#8 PEM vector file.
pub fn pkcs8_key(rel: &str) -> puressl::crypto::PKey {
    puressl::crypto::PKey::private_key_from_pkcs8_der(&pem_body(&read_vector(rel))).unwrap()
}
