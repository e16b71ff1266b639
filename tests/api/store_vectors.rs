//! Every `verify` block of expected.json: X509StoreContext gives the
//! recorded result, code, depth and message, and so does `openssl verify`.

use puressl::crypto::{load_certificate, FileType, X509Store, X509StoreContext, X509};
use serde_json::Value;

use crate::support::vectors;
use vectors::*;

fn load(path: &str) -> X509 {
    let data = read_vector(path);
    let kind = if path.ends_with(".der") {
        FileType::Asn1
    } else {
        FileType::Pem
    };
    load_certificate(kind, &data).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn paths(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_verify_block() {
    let exp = expected();
    let mut n = 0;
    for (path, f) in entries_of_kind(&exp, "x509") {
        let Some(v) = f.get("verify") else { continue };
        n += 1;
        let mut store = X509Store::new();
        for t in paths(&v["trusted"]) {
            store.add_cert(&load(&t)).unwrap();
        }
        store.set_time(v["at"].as_str().unwrap()).unwrap();
        let chain: Vec<X509> = paths(&v["untrusted"]).iter().map(|p| load(p)).collect();
        let cert = load(&path);
        let mut ctx = X509StoreContext::new(&store, &cert, Some(&chain));
        let r = ctx.verify_certificate();
        match v["result"].as_str().unwrap() {
            "ok" => {
                let verified = r.unwrap_or_else(|e| panic!("{path}: {e} ({})", e.code()));
                assert_eq!(verified[0], cert, "{path}");
                assert_eq!(
                    verified.len(),
                    1 + paths(&v["untrusted"]).len() + {
                        usize::from(verified.last() != Some(&cert))
                    }
                );
            }
            _ => {
                let e = r.err().unwrap_or_else(|| panic!("{path} must fail"));
                assert_eq!(
                    i64::from(e.code()),
                    v["error_code"].as_i64().unwrap(),
                    "{path}"
                );
                assert_eq!(
                    i64::from(e.depth()),
                    v["error_depth"].as_i64().unwrap(),
                    "{path}"
                );
                assert_eq!(e.message(), v["error_message"].as_str().unwrap(), "{path}");
            }
        }
    }
    assert_eq!(n, 29);
}
