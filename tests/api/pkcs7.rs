//! PKCS#7: every vector gives the values in expected.json; BER (streamed)
//! input; certs-only bundles we write are read by `openssl pkcs7`.

use std::process::Command;

use puressl::crypto::{dump_certificate, load_certificate, load_pkcs7_data, FileType, Pkcs7, X509};

use crate::support::tools;
use crate::support::vectors;
use tools::*;
use vectors::*;

fn cert_hash(c: &X509) -> String {
    sha256_hex(&dump_certificate(FileType::Asn1, c).unwrap())
}

fn openssl(args: &[&str]) -> (bool, Vec<u8>, String) {
    let out = Command::new("openssl").args(args).output().unwrap();
    (
        out.status.success(),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_pkcs7_vector() {
    let exp = expected();
    let entries = entries_of_kind(&exp, "pkcs7");
    assert_eq!(entries.len(), 10);
    for (path, f) in &entries {
        let kind = if f["format"] == "PEM" {
            FileType::Pem
        } else {
            FileType::Asn1
        };
        let p = load_pkcs7_data(kind, &read_vector(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(p.type_name(), f["type_name"].as_str().unwrap(), "{path}");
        assert_eq!(
            p.type_is_signed(),
            f["type_is_signed"].as_bool().unwrap(),
            "{path}"
        );
        assert_eq!(
            p.type_is_enveloped(),
            f["type_is_enveloped"].as_bool().unwrap()
        );
        assert_eq!(
            p.type_is_signed_and_enveloped(),
            f["type_is_signedAndEnveloped"].as_bool().unwrap()
        );
        assert_eq!(p.type_is_data(), f["type_is_data"].as_bool().unwrap());
        assert_eq!(
            p.content_type_oid(),
            f["content_type_oid"].as_str().unwrap()
        );
        match f["certificates"].as_array() {
            Some(list) => {
                let got: Vec<String> = p.certificates().unwrap().iter().map(cert_hash).collect();
                let want: Vec<&str> = list.iter().map(|c| c.as_str().unwrap()).collect();
                assert_eq!(got, want, "{path}");
            }
            None => assert!(p.certificates().is_none(), "{path}"),
        }
        assert_eq!(
            sha256_hex(&p.to_der()),
            f["der_sha256"].as_str().unwrap(),
            "{path}"
        );
        // PEM and DER twins agree.
        if let Some(twin) = f["same_as"].as_str() {
            let t = load_pkcs7_data(FileType::Pem, &read_vector(twin)).unwrap();
            assert_eq!(t.to_der(), p.to_der());
        }
    }
}

#[test]
fn certs_only_bundle_is_read_by_openssl() {
    let leaf = load_certificate(FileType::Pem, &read_vector("certs/leaf.pem")).unwrap();
    let inter = load_certificate(FileType::Pem, &read_vector("certs/inter_ec.pem")).unwrap();
    let root = load_certificate(FileType::Pem, &read_vector("certs/ca_rsa.pem")).unwrap();
    let certs = vec![leaf, inter, root];
    let p7 = Pkcs7::from_certificates(&certs).unwrap();
    assert!(p7.type_is_signed());
    assert_eq!(p7.certificates(), Some(&certs[..]));
    assert_eq!(p7.crls_der().map(<[Vec<u8>]>::len), Some(0));

    let path = tmp_path("bundle.p7b");
    std::fs::write(&path, p7.to_pem()).unwrap();
    let (ok, out, err) = openssl(&["pkcs7", "-print_certs", "-in", path.to_str().unwrap()]);
    std::fs::remove_file(&path).ok();
    assert!(ok, "{err}");
    let blocks: Vec<Vec<u8>> = pem::parse_many(&out)
        .unwrap()
        .into_iter()
        .map(|p| p.into_contents())
        .collect();
    let want: Vec<Vec<u8>> = certs
        .iter()
        .map(|c| dump_certificate(FileType::Asn1, c).unwrap())
        .collect();
    assert_eq!(blocks, want);
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains("CN = www.example.test"), "{text}");
    assert!(text.contains("CN = Interop Test EC Issuing CA 1"), "{text}");

    // The same bytes as `openssl crl2pkcs7 -nocrl`.
    let dir = vector_path("certs");
    let (ok, out, err) = openssl(&[
        "crl2pkcs7",
        "-nocrl",
        "-outform",
        "DER",
        "-certfile",
        dir.join("leaf.pem").to_str().unwrap(),
        "-certfile",
        dir.join("inter_ec.pem").to_str().unwrap(),
        "-certfile",
        dir.join("ca_rsa.pem").to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert_eq!(out, p7.to_der());
    // PEM round trip.
    assert_eq!(
        Pkcs7::from_pem(p7.to_pem().as_bytes()).unwrap().to_der(),
        p7.to_der()
    );
}

#[test]
fn crls_of_a_signed_data() {
    let crl = vector_path("crl/root.crl.pem");
    let (ok, out, err) = openssl(&[
        "crl2pkcs7",
        "-outform",
        "DER",
        "-in",
        crl.to_str().unwrap(),
        "-certfile",
        vector_path("certs/ca_rsa.pem").to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let p7 = load_pkcs7_data(FileType::Asn1, &out).unwrap();
    let crl_der = read_vector("crl/root.crl.der");
    assert_eq!(p7.crls_der().unwrap(), std::slice::from_ref(&crl_der));
    assert_eq!(p7.certificates().unwrap().len(), 1);
    // Writing it ourselves gives the bytes crl2pkcs7 wrote.
    let ours = Pkcs7::from_certificates_and_crls(p7.certificates().unwrap(), &[&crl_der]).unwrap();
    assert_eq!(ours.to_der(), out);
    assert!(Pkcs7::from_certificates_and_crls(&[], &[b"\x02\x01\x00"]).is_err());
    assert!(Pkcs7::from_certificates_and_crls(&[], &[&crl_der[..10]]).is_err());
}

#[test]
fn streamed_ber_signed_data() {
    let msg = vector_path("pkcs7/message.txt");
    let key = vector_path("keys/leaf-rsa2048.pkcs8.pem");
    let signer = vector_path("certs/leaf.pem");
    let inter = vector_path("certs/inter_ec.pem");
    for fmt in ["DER", "PEM"] {
        let (ok, out, err) = openssl(&[
            "cms",
            "-sign",
            "-stream",
            "-nodetach",
            "-binary",
            "-outform",
            fmt,
            "-in",
            msg.to_str().unwrap(),
            "-signer",
            signer.to_str().unwrap(),
            "-inkey",
            key.to_str().unwrap(),
            "-certfile",
            inter.to_str().unwrap(),
        ]);
        assert!(ok, "{err}");
        let der = if fmt == "DER" {
            out.clone()
        } else {
            pem::parse(&out).unwrap().into_contents()
        };
        // Indefinite length at the top.
        assert_eq!(&der[..2], &[0x30, 0x80], "openssl cms -stream writes BER");
        let kind = if fmt == "DER" {
            FileType::Asn1
        } else {
            FileType::Pem
        };
        let p7 = load_pkcs7_data(kind, &out).unwrap();
        assert!(p7.type_is_signed());
        let got: Vec<String> = p7.certificates().unwrap().iter().map(cert_hash).collect();
        let mut want = vec![
            sha256_hex(&read_vector("certs/leaf.der")),
            sha256_hex(&read_vector("certs/inter_ec.der")),
        ];
        want.sort();
        let mut sorted = got.clone();
        sorted.sort();
        assert_eq!(sorted, want);
        // The DER we give back is definite-length and OpenSSL reads it.
        let out_der = p7.to_der();
        assert_ne!(out_der[1], 0x80);
        let path = tmp_path("norm.p7");
        std::fs::write(&path, &out_der).unwrap();
        let (ok, _, err) = openssl(&[
            "cms",
            "-verify",
            "-noverify",
            "-inform",
            "DER",
            "-in",
            path.to_str().unwrap(),
            "-out",
            "/dev/null",
        ]);
        std::fs::remove_file(&path).ok();
        assert!(ok, "{err}");
    }
}

#[test]
fn bad_inputs() {
    let der = read_vector("pkcs7/certs.p7b.der");
    assert!(load_pkcs7_data(FileType::Text, &der).is_err());
    let e = load_pkcs7_data(FileType::Asn1, &der[..500]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid PKCS#7 encoding: length runs past the end of the data at byte offset 0"
    );
    let mut trailing = der.clone();
    trailing.push(0);
    assert!(load_pkcs7_data(FileType::Asn1, &trailing).is_err());
    assert!(load_pkcs7_data(FileType::Pem, &der).is_err());
    assert!(load_pkcs7_data(FileType::Pem, &read_vector("certs/leaf.pem")).is_err());
    assert!(load_pkcs7_data(FileType::Asn1, &read_vector("certs/leaf.der")).is_err());
    assert!(load_pkcs7_data(FileType::Asn1, b"").is_err());
}

#[test]
fn corrupt_inputs_are_errors_not_panics() {
    for name in [
        "pkcs7/certs.p7b.der",
        "pkcs7/signed-opaque.p7m.der",
        "pkcs7/enveloped.p7m.der",
    ] {
        let data = read_vector(name);
        for cut in 0..data.len() {
            assert!(
                load_pkcs7_data(FileType::Asn1, &data[..cut]).is_err(),
                "{name} cut at {cut}"
            );
        }
        for i in (0..data.len()).step_by(3) {
            for x in [0x01, 0x80, 0xff] {
                let mut d = data.clone();
                d[i] ^= x;
                let _ = load_pkcs7_data(FileType::Asn1, &d);
            }
        }
    }
}

#[test]
fn inspect_example_agrees_with_expected_json() {
    let bin = inspect_binary();
    let exp = expected();
    for (path, f) in entries_of_kind(&exp, "pkcs7") {
        // Also checks that the kind is detected from the content.
        let got = inspect_json(&bin, &[], &path);
        for field in [
            "type_name",
            "type_is_signed",
            "type_is_enveloped",
            "type_is_signedAndEnveloped",
            "type_is_data",
            "certificates",
            "content_type_oid",
            "der_sha256",
        ] {
            assert_eq!(got[field], f[field], "{path}.{field}");
        }
    }
}
