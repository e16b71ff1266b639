//! CRLs: every CRL vector loads and reports the values in expected.json;
//! the text dump equals `openssl crl -text -noout`; PEM/DER round trips.

use puressl::crypto::{
    dump_crl, load_certificate, load_crl, FileType, Revoked, X509Crl, X509Extension,
};
use serde_json::Value;

use crate::support::vectors;
use vectors::*;

fn load_entry(path: &str, f: &Value) -> X509Crl {
    let data = read_vector(path);
    let kind = if f["format"] == "DER" {
        FileType::Asn1
    } else {
        FileType::Pem
    };
    load_crl(kind, &data).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn check_ext(ctx: &str, e: &X509Extension, exp: &Value) {
    assert_eq!(e.oid().to_string(), exp["oid"].as_str().unwrap(), "{ctx}");
    assert_eq!(e.short_name(), exp["short_name"].as_str().unwrap(), "{ctx}");
    assert_eq!(e.critical(), exp["critical"].as_bool().unwrap(), "{ctx}");
    assert_eq!(hex(e.data()), exp["data_hex"].as_str().unwrap(), "{ctx}");
    if let Some(s) = exp.get("str") {
        match s.as_str() {
            Some(s) => assert_eq!(e.to_text().unwrap(), s, "{ctx} str"),
            None => assert!(e.to_text().is_err(), "{ctx} str must fail"),
        }
    }
}

fn check_revoked(ctx: &str, r: &Revoked, exp: &Value) {
    assert_eq!(
        String::from_utf8(r.serial()).unwrap(),
        exp["serial_hex"].as_str().unwrap(),
        "{ctx}"
    );
    assert_eq!(
        r.serial_number().to_string(),
        exp["serial"].as_str().unwrap(),
        "{ctx}"
    );
    assert_eq!(
        String::from_utf8(r.rev_date().unwrap()).unwrap(),
        exp["rev_date"].as_str().unwrap(),
        "{ctx}"
    );
    assert_eq!(
        r.rev_date_asn1_type().unwrap(),
        exp["rev_date_asn1_type"].as_str().unwrap(),
        "{ctx}"
    );
    assert_eq!(
        r.reason().map(|v| String::from_utf8(v).unwrap()),
        exp["reason"].as_str().map(str::to_owned),
        "{ctx} reason"
    );
    let exts = exp["extensions"].as_array().unwrap();
    assert_eq!(r.extensions().len(), exts.len(), "{ctx}");
    for (e, x) in r.extensions().iter().zip(exts) {
        check_ext(ctx, e, x);
    }
}

#[test]
fn every_crl_vector() {
    let exp = expected();
    let crls = entries_of_kind(&exp, "crl");
    assert_eq!(crls.len(), 4);
    for (path, f) in &crls {
        let crl = load_entry(path, f);
        let ctx = path.as_str();
        assert_eq!(i64::from(crl.version()), f["version"].as_i64().unwrap());
        check_name(ctx, crl.issuer(), &f["issuer"]);
        assert_eq!(
            crl.last_update().unwrap(),
            f["last_update"].as_str().unwrap()
        );
        assert_eq!(
            crl.next_update().unwrap(),
            f["next_update"].as_str().unwrap()
        );
        assert_eq!(
            crl.last_update_asn1_type().unwrap(),
            f["last_update_asn1_type"].as_str().unwrap()
        );
        assert_eq!(
            crl.next_update_asn1_type().unwrap(),
            f["next_update_asn1_type"].as_str().unwrap()
        );
        assert_eq!(
            crl.signature_algorithm().unwrap(),
            f["signature_algorithm"].as_str().unwrap()
        );
        assert_eq!(
            crl.signature_algorithm_oid().unwrap(),
            f["signature_algorithm_oid"].as_str().unwrap()
        );
        assert_eq!(
            crl.crl_number().unwrap().to_string(),
            f["crl_number"].to_string()
        );
        let exts = f["extensions"].as_array().unwrap();
        assert_eq!(crl.extensions().len(), exts.len());
        for (e, x) in crl.extensions().iter().zip(exts) {
            check_ext(ctx, e, x);
        }
        assert_eq!(
            crl.revoked().len() as u64,
            f["revoked_count"].as_u64().unwrap()
        );
        match f["revoked"].as_array() {
            None => assert!(crl.revoked().is_empty()),
            Some(list) => {
                assert_eq!(crl.revoked().len(), list.len());
                for (r, x) in crl.revoked().iter().zip(list) {
                    check_revoked(ctx, r, x);
                }
            }
        }
        let der = dump_crl(FileType::Asn1, &crl).unwrap();
        assert_eq!(sha256_hex(&der), f["der_sha256"].as_str().unwrap());
        // Signature check with the issuer certificate.
        let issuer = load_certificate(
            FileType::Pem,
            &read_vector(f["issuer_cert"].as_str().unwrap()),
        )
        .unwrap();
        assert_eq!(
            crl.verify(&issuer.pubkey().unwrap()).is_ok(),
            f["verify_with_issuer"].as_bool().unwrap()
        );
        // PEM round trip.
        let pem = dump_crl(FileType::Pem, &crl).unwrap();
        assert_eq!(load_crl(FileType::Pem, &pem).unwrap(), crl);
    }
}

#[test]
fn text_dump_matches_openssl_crl_text() {
    for path in ["crl/root.crl.pem", "crl/inter_empty.crl.pem"] {
        let crl = load_crl(FileType::Pem, &read_vector(path)).unwrap();
        let out = std::process::Command::new("openssl")
            .args(["crl", "-text", "-noout", "-in"])
            .arg(vector_path(path))
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(dump_crl(FileType::Text, &crl).unwrap()).unwrap();
        assert_eq!(text, String::from_utf8(out.stdout).unwrap(), "{path}");
    }
}

#[test]
fn bad_crl_inputs_are_errors() {
    assert!(load_crl(FileType::Pem, b"garbage").is_err());
    assert!(load_crl(FileType::Asn1, b"lol").is_err());
    assert!(load_crl(FileType::Text, b"").is_err());
    let mut der = read_vector("crl/root.crl.der");
    der.push(0);
    assert!(load_crl(FileType::Asn1, &der).is_err());
    let der = read_vector("crl/root.crl.der");
    assert!(load_crl(FileType::Asn1, &der[..der.len() - 1]).is_err());
    // An unsigned CRL cannot be dumped.
    assert!(dump_crl(FileType::Pem, &X509Crl::new()).is_err());
}
