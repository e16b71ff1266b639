//! What is in this file? Prints, as one JSON object, everything puressl reads
//! from a key, certificate, request, PKCS#12, PKCS#7 or SPKAC (later: CRL), with
//! the field names of the interop vectors' `expected.json`.
//!
//! ```text
//! cargo run --release --example inspect -- [--kind KIND] [--password TEXT | --password-hex HEX] FILE
//! ```
//! A file that does not load: one line on stderr, exit status 1.

use std::process::ExitCode;

use puressl::crypto::{self, FileType, MessageDigest, PKey, Passphrase};
use serde_json::{json, Map, Value};

#[path = "inspect/trust.rs"]
mod trust;
#[path = "inspect/x509.rs"]
mod x509;

#[path = "inspect/containers.rs"]
mod containers;

struct Args {
    kind: Option<String>,
    password: Option<Vec<u8>>,
    verify_at: Option<String>,
    trusted: Vec<String>,
    untrusted: Vec<String>,
    file: String,
}

fn parse_args() -> Result<Args, String> {
    let mut kind = None;
    let mut password = None;
    let mut verify_at = None;
    let mut trusted = Vec::new();
    let mut untrusted = Vec::new();
    let mut file = None;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--kind" => kind = Some(value("--kind")?),
            "--password" => password = Some(value("--password")?.into_bytes()),
            "--password-hex" => password = Some(unhex(&value("--password-hex")?)?),
            "--verify-at" => verify_at = Some(value("--verify-at")?),
            "--trusted" => trusted.push(value("--trusted")?),
            "--untrusted" => untrusted.push(value("--untrusted")?),
            _ if a.starts_with("--") => return Err(format!("unknown option {a}")),
            _ => file = Some(a),
        }
    }
    let file = file.ok_or("usage: inspect [--kind KIND] [--password TEXT] FILE")?;
    Ok(Args {
        kind,
        password,
        verify_at,
        trusted,
        untrusted,
        file,
    })
}

fn unhex(s: &str) -> Result<Vec<u8>, String> {
    if !s.len().is_multiple_of(2) {
        return Err(format!("bad hex {s:?}"));
    }
    (0..s.len())
        .step_by(2)
        .map(|i| {
            s.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or(format!("bad hex {s:?}"))
        })
        .collect()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The kind of a file, from its content.
fn detect_kind(data: &[u8]) -> &'static str {
    let text = String::from_utf8_lossy(data);
    if text.contains("X509 CRL-----") || crypto::load_crl(FileType::Asn1, data).is_ok() {
        return "crl";
    }
    if let Some(kind) = containers::detect(data, &text) {
        return kind;
    }
    if text.contains("CERTIFICATE REQUEST-----")
        || crypto::load_certificate_request(FileType::Asn1, data).is_ok()
    {
        "csr"
    } else if text.contains("CERTIFICATE-----")
        || crypto::load_certificate(FileType::Asn1, data).is_ok()
    {
        "x509"
    } else if text.contains("PRIVATE KEY-----") {
        "private_key"
    } else if text.contains("PUBLIC KEY-----")
        || crypto::load_publickey(FileType::Asn1, data).is_ok()
    {
        "public_key"
    } else {
        "private_key"
    }
}

fn filetype(data: &[u8]) -> FileType {
    if data.windows(11).any(|w| w == b"-----BEGIN ") {
        FileType::Pem
    } else {
        FileType::Asn1
    }
}

/// The Key object of `expected.json`.
fn key_object(key: &PKey) -> Result<Map<String, Value>, String> {
    let spki = crypto::dump_publickey(FileType::Asn1, key).map_err(|e| e.to_string())?;
    let mut m = Map::new();
    m.insert("type".into(), json!(key.key_type().name()));
    m.insert("type_id".into(), json!(key.id()));
    m.insert("bits".into(), json!(key.bits()));
    m.insert(
        "spki_sha256".into(),
        json!(hex(&MessageDigest::Sha256.hash(&spki))),
    );
    if let (Some(n), Some(e)) = (key.rsa_modulus(), key.rsa_exponent()) {
        let e = e.iter().fold(0u128, |acc, b| (acc << 8) | u128::from(*b));
        m.insert("rsa_e".into(), json!(e));
        m.insert(
            "rsa_n_sha256".into(),
            json!(hex(&MessageDigest::Sha256.hash(&n))),
        );
    }
    if let Some(curve) = key.curve() {
        m.insert("curve".into(), json!(curve.short_name()));
    }
    Ok(m)
}

fn inspect(args: &Args) -> Result<Value, String> {
    let data = std::fs::read(&args.file).map_err(|e| format!("{}: {e}", args.file))?;
    let kind = args
        .kind
        .clone()
        .unwrap_or_else(|| detect_kind(&data).to_owned());
    let ft = filetype(&data);
    let out = match kind.as_str() {
        "private_key" => {
            let pw = args.password.as_ref().map(Passphrase::new);
            let key = crypto::load_privatekey(ft, &data, pw).map_err(|e| e.to_string())?;
            let mut m = key_object(&key)?;
            let check = match key.check() {
                Ok(()) => json!(true),
                Err(crypto::Error::KeyTypeMismatch(_)) => Value::Null,
                Err(_) => json!(false),
            };
            m.insert("check".into(), check);
            Value::Object(m)
        }
        "public_key" => {
            let key = crypto::load_publickey(ft, &data).map_err(|e| e.to_string())?;
            Value::Object(key_object(&key)?)
        }
        "x509" => {
            let mut obj = x509::x509_object(&data, ft, key_object)?;
            if !args.trusted.is_empty() || args.verify_at.is_some() {
                let cert = trust::load_cert(&data)?;
                let v = trust::verify_json(
                    &cert,
                    args.verify_at.as_deref(),
                    &args.trusted,
                    &args.untrusted,
                )?;
                if let Value::Object(m) = &mut obj {
                    m.insert("verify".into(), v);
                }
            }
            obj
        }
        "crl" => trust::crl_json(&data)?,
        "csr" => x509::csr_object(&data, ft, key_object)?,
        "pkcs12" => containers::pkcs12_object(&data, args.password.as_deref(), key_object)?,
        "pkcs7" => containers::pkcs7_object(ft, &data)?,
        "spkac" => containers::spkac_object(&data, key_object)?,
        other => return Err(format!("kind {other:?} is not supported yet")),
    };
    Ok(out)
}

fn main() -> ExitCode {
    let result = parse_args().and_then(|a| inspect(&a));
    match result {
        Ok(v) => {
            println!("{v}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("inspect: {e}");
            ExitCode::FAILURE
        }
    }
}
