//! inspect: everything puressl reads from a file, as one JSON object (see
//! INSPECT.md). This file holds the driver; each kind lives in `inspect/`.

#[path = "inspect/trust.rs"]
mod trust;

use serde_json::{Map, Value};

struct Args {
    kind: Option<String>,
    verify_at: Option<String>,
    trusted: Vec<String>,
    untrusted: Vec<String>,
    file: String,
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let mut a = Args {
        kind: None,
        verify_at: None,
        trusted: Vec::new(),
        untrusted: Vec::new(),
        file: String::new(),
    };
    let mut file = None;
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--kind" => a.kind = Some(value("--kind")?),
            "--verify-at" => a.verify_at = Some(value("--verify-at")?),
            "--trusted" => a.trusted.push(value("--trusted")?),
            "--untrusted" => a.untrusted.push(value("--untrusted")?),
            "--password" | "--password-hex" => {
                value(&arg)?;
            }
            f if !f.starts_with("--") && file.is_none() => file = Some(f.to_owned()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    a.file = file.ok_or("usage: inspect [OPTIONS] FILE")?;
    Ok(a)
}

fn detect(data: &[u8]) -> &'static str {
    let pem_crl = data.windows(18).any(|w| w == b"-----BEGIN X509 CRL");
    let der_crl = trust::file_type(data) == puressl::crypto::FileType::Asn1
        && puressl::crypto::load_crl(puressl::crypto::FileType::Asn1, data).is_ok();
    if pem_crl || der_crl {
        "crl"
    } else {
        "x509"
    }
}

fn run() -> Result<Value, String> {
    let a = parse_args()?;
    let data = std::fs::read(&a.file).map_err(|e| format!("{}: {e}", a.file))?;
    let kind = a.kind.clone().unwrap_or_else(|| detect(&data).to_owned());
    match kind.as_str() {
        "crl" => trust::crl_json(&data),
        "x509" => {
            let cert = trust::load_cert(&data)?;
            let mut out = Map::new();
            if !a.trusted.is_empty() || a.verify_at.is_some() {
                let v =
                    trust::verify_json(&cert, a.verify_at.as_deref(), &a.trusted, &a.untrusted)?;
                out.insert("verify".into(), v);
            }
            Ok(Value::Object(out))
        }
        other => Err(format!("kind {other:?} is not supported yet")),
    }
}

fn main() {
    match run() {
        Ok(v) => println!("{v}"),
        Err(e) => {
            eprintln!("inspect: {e}");
            std::process::exit(1);
        }
    }
}
