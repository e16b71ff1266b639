//! Certificate requests: every CSR vector, requests built by puressl with
//! every key type and digest checked by `openssl req -verify`, bad inputs.

use std::process::Command;

use puressl::crypto::{
    dump_certificate_request, load_certificate_request, Error, FileType, KeyType, PKey,
    X509Extension, X509Req,
};

use crate::support::vectors;
use vectors::*;

#[test]
fn every_request_vector() {
    let exp = expected();
    let csrs = entries_of_kind(&exp, "csr");
    assert_eq!(csrs.len(), 6);
    for (path, f) in csrs {
        let kind = if f["format"] == "DER" {
            FileType::Asn1
        } else {
            FileType::Pem
        };
        let r = load_certificate_request(kind, &read_vector(&path)).unwrap();
        let ctx = path.as_str();
        assert_eq!(i64::from(r.version()), f["version"].as_i64().unwrap());
        check_name(&format!("{ctx} subject"), r.subject(), &f["subject"]);
        let pk = r.pubkey().unwrap();
        assert_eq!(
            sha256_hex(&pk.public_key_to_der().unwrap()),
            f["pubkey"]["spki_sha256"].as_str().unwrap()
        );
        match f["verify"].as_bool().unwrap() {
            true => r.verify(&pk).unwrap(),
            false => assert!(matches!(r.verify(&pk), Err(Error::BadSignature)), "{ctx}"),
        }
        assert_eq!(
            r.signature_algorithm().unwrap(),
            f["signature_algorithm"].as_str().unwrap()
        );
        assert_eq!(
            r.signature_algorithm_oid().unwrap(),
            f["signature_algorithm_oid"].as_str().unwrap()
        );
        let exts = r.extensions().unwrap();
        let want = f["extensions"].as_array().unwrap();
        assert_eq!(exts.len(), want.len(), "{ctx}");
        for (x, e) in exts.iter().zip(want) {
            assert_eq!(x.short_name(), e["short_name"].as_str().unwrap());
            assert_eq!(x.oid().to_string(), e["oid"].as_str().unwrap());
            assert_eq!(x.critical(), e["critical"].as_bool().unwrap());
            assert_eq!(hex(x.data()), e["data_hex"].as_str().unwrap());
            assert_eq!(x.to_string(), e["str"].as_str().unwrap());
        }
        let attrs = f["attributes"].as_array().unwrap();
        assert_eq!(r.attributes().len(), attrs.len());
        for (a, w) in r.attributes().iter().zip(attrs) {
            assert_eq!(a.oid(), w["oid"].as_str().unwrap());
            assert_eq!(a.short_name(), w["short_name"].as_str().unwrap());
            assert_eq!(a.long_name(), w["long_name"].as_str().unwrap());
            let vals = w["values"].as_array().unwrap();
            assert_eq!(a.value_count(), vals.len());
            for (i, v) in vals.iter().enumerate() {
                assert_eq!(a.value_type(i).unwrap(), v["asn1_type"].as_str().unwrap());
                if let Some(t) = v["text"].as_str() {
                    assert_eq!(a.value_text(i).unwrap().unwrap(), t);
                }
                if let Some(d) = v["der_hex"].as_str() {
                    assert_eq!(hex(&a.value_der(i).unwrap()), d);
                }
            }
        }
        assert_eq!(
            r.challenge_password().unwrap().as_deref(),
            f["challenge_password"].as_str()
        );
        let der = dump_certificate_request(FileType::Asn1, &r).unwrap();
        assert_eq!(sha256_hex(&der), f["der_sha256"].as_str().unwrap());
        let pem = dump_certificate_request(FileType::Pem, &r).unwrap();
        if kind == FileType::Pem {
            assert_eq!(pem, read_vector(&path));
        } else {
            assert_eq!(der, read_vector(&path));
        }
    }
}

#[test]
fn built_requests_verify_with_openssl() {
    let dir = std::env::temp_dir().join(format!("puressl-req-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases: Vec<(PKey, Vec<&str>)> = vec![
        (
            pkcs8_key("keys/rsa2048.pkcs8.pem"),
            vec!["md5", "sha1", "sha224", "sha256", "sha384", "sha512"],
        ),
        (
            pkcs8_key("keys/dsa2048.pkcs8.pem"),
            vec!["sha1", "sha224", "sha256"],
        ),
        (
            pkcs8_key("keys/ec-p384.pkcs8.pem"),
            vec!["sha1", "sha224", "sha256", "sha384", "sha512"],
        ),
        (PKey::generate_key(KeyType::Ed25519, 0).unwrap(), vec![""]),
    ];
    for (k, digests) in &cases {
        for d in digests {
            let mut r = X509Req::new();
            r.subject_mut().set("C", "DE").unwrap();
            r.subject_mut().set("CN", &format!("req {d}")).unwrap();
            r.set_pubkey(k).unwrap();
            r.add_extensions([
                X509Extension::new("basicConstraints", true, "CA:FALSE").unwrap(),
                X509Extension::new("subjectAltName", false, "DNS:a.example, IP:192.0.2.1").unwrap(),
            ])
            .unwrap();
            r.add_attribute("challengePassword", "s3cret").unwrap();
            r.sign(k, d).unwrap();
            r.verify(k).unwrap();
            let p = dir.join("r.pem");
            std::fs::write(&p, dump_certificate_request(FileType::Pem, &r).unwrap()).unwrap();
            let out = Command::new("openssl")
                .args(["req", "-verify", "-noout", "-text", "-in"])
                .arg(&p)
                .output()
                .unwrap();
            let se = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success() && se.contains("verify OK"),
                "{d}: {se}"
            );
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.contains("challengePassword        :s3cret"), "{text}");
            assert!(
                text.contains("DNS:a.example, IP Address:192.0.2.1"),
                "{text}"
            );
            assert_eq!(
                String::from_utf8(dump_certificate_request(FileType::Text, &r).unwrap()).unwrap(),
                text
            );
            let back =
                load_certificate_request(FileType::Pem, &std::fs::read(&p).unwrap()).unwrap();
            assert_eq!(
                back.challenge_password().unwrap().as_deref(),
                Some("s3cret")
            );
            assert_eq!(back.extensions().unwrap().len(), 2);
            assert_eq!(
                back.subject().get("CN").unwrap().unwrap(),
                format!("req {d}")
            );
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn request_errors() {
    let k = pkcs8_key("keys/ec-p256.pkcs8.pem");
    let other = pkcs8_key("keys/ec-p384.pkcs8.pem");
    let mut r = X509Req::new();
    assert!(r.pubkey().is_err());
    assert!(r.to_der().is_err());
    assert!(r.set_version(1).is_err());
    r.set_version(0).unwrap();
    r.set_pubkey(&k).unwrap();
    assert!(matches!(
        r.sign(&k.public_key(), "sha256"),
        Err(Error::PublicKeyOnly)
    ));
    assert!(r.sign(&k, "sha257").is_err());
    r.sign(&k, "sha256").unwrap();
    assert!(r.verify(&other).is_err());
    // The CSR given to load_certificate and vice versa.
    let csr = read_vector("csr/ec.csr.pem");
    assert!(puressl::crypto::load_certificate(FileType::Pem, &csr).is_err());
    assert!(load_certificate_request(FileType::Pem, &read_vector("certs/leaf.pem")).is_err());
    assert!(load_certificate_request(FileType::Asn1, &read_vector("bad/garbage.bin")).is_err());
    assert!(load_certificate_request(FileType::Pem, &read_vector("bad/empty.bin")).is_err());
    let mut der = read_vector("csr/ec.csr.der");
    der.push(0);
    assert!(matches!(
        load_certificate_request(FileType::Asn1, &der),
        Err(Error::TrailingData { .. })
    ));
    assert!(load_certificate_request(FileType::Text, &der).is_err());
}
