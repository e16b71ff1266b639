//! Certificates: every certificate vector loads and reports the values in
//! expected.json; bad inputs are errors; PEM/DER round trips.

use puressl::crypto::{dump_certificate, load_certificate, FileType, SerialNumber, X509};
use serde_json::Value;

use crate::support::tools;
use crate::support::vectors;
use tools::*;
use vectors::*;

fn load_entry(path: &str, f: &Value) -> X509 {
    let data = read_vector(path);
    let kind = if f["format"] == "DER" {
        FileType::Asn1
    } else {
        FileType::Pem
    };
    load_certificate(kind, &data).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_certificate_vector() {
    let exp = expected();
    let certs = entries_of_kind(&exp, "x509");
    assert!(certs.len() >= 29);
    for (path, f) in &certs {
        let c = load_entry(path, f);
        let ctx = path.as_str();
        assert_eq!(
            i64::from(c.version()),
            f["version"].as_i64().unwrap(),
            "{ctx}"
        );
        assert_eq!(
            c.serial_number().to_string(),
            f["serial"].as_str().unwrap(),
            "{ctx}"
        );
        assert_eq!(
            hex(&c.serial_number().to_der_content()),
            f["serial_der_hex"].as_str().unwrap(),
            "{ctx}"
        );
        assert_eq!(
            c.not_before().unwrap(),
            f["not_before"].as_str().unwrap(),
            "{ctx}"
        );
        assert_eq!(
            c.not_after().unwrap(),
            f["not_after"].as_str().unwrap(),
            "{ctx}"
        );
        assert_eq!(
            c.not_before_asn1_type().unwrap(),
            f["not_before_asn1_type"].as_str().unwrap(),
            "{ctx}"
        );
        assert_eq!(
            c.not_after_asn1_type().unwrap(),
            f["not_after_asn1_type"].as_str().unwrap(),
            "{ctx}"
        );
        assert_eq!(
            c.has_expired().unwrap(),
            f["has_expired"].as_bool().unwrap(),
            "{ctx}"
        );
        for (md, v) in f["digest"].as_object().unwrap() {
            assert_eq!(c.digest(md).unwrap(), v.as_str().unwrap(), "{ctx} {md}");
            assert_eq!(c.digest(md.to_uppercase()).unwrap(), v.as_str().unwrap());
        }
        assert_eq!(
            u64::from(c.subject_name_hash()),
            f["subject_name_hash"].as_u64().unwrap()
        );
        assert_eq!(
            u64::from(c.subject_name_hash_old()),
            f["subject_name_hash_old"].as_u64().unwrap()
        );
        assert_eq!(
            u64::from(c.issuer().hash()),
            f["issuer_name_hash"].as_u64().unwrap()
        );
        assert_eq!(
            u64::from(c.issuer().hash_old()),
            f["issuer_name_hash_old"].as_u64().unwrap()
        );
        check_name(&format!("{ctx} subject"), c.subject(), &f["subject"]);
        check_name(&format!("{ctx} issuer"), c.issuer(), &f["issuer"]);
        assert_eq!(
            c.signature_algorithm().unwrap(),
            f["signature_algorithm"].as_str().unwrap(),
            "{ctx}"
        );
        assert_eq!(
            c.signature_algorithm_oid().unwrap(),
            f["signature_algorithm_oid"].as_str().unwrap()
        );
        assert_eq!(
            c.extension_count() as u64,
            f["extension_count"].as_u64().unwrap(),
            "{ctx}"
        );
        for (i, e) in f["extensions"].as_array().unwrap().iter().enumerate() {
            let x = c.extension(i).unwrap();
            assert_eq!(
                x.oid().to_string(),
                e["oid"].as_str().unwrap(),
                "{ctx} ext {i}"
            );
            assert_eq!(
                x.critical(),
                e["critical"].as_bool().unwrap(),
                "{ctx} ext {i}"
            );
            assert_eq!(
                hex(x.data()),
                e["data_hex"].as_str().unwrap(),
                "{ctx} ext {i}"
            );
        }
        assert!(c.extension(c.extension_count()).is_err());
        let der = dump_certificate(FileType::Asn1, &c).unwrap();
        assert_eq!(sha256_hex(&der), f["der_sha256"].as_str().unwrap(), "{ctx}");
        // PEM round trip gives the same certificate.
        let pem = dump_certificate(FileType::Pem, &c).unwrap();
        let again = load_certificate(FileType::Pem, &pem).unwrap();
        assert_eq!(dump_certificate(FileType::Asn1, &again).unwrap(), der);
        if f["format"] == "DER" {
            assert_eq!(der, read_vector(path), "{ctx}: DER round trip");
        }
    }
}

#[test]
fn pem_dump_matches_the_file_and_openssl() {
    for name in ["ca_rsa", "leaf", "ed25519", "v1", "unicode"] {
        let pem = read_vector(&format!("certs/{name}.pem"));
        let c = load_certificate(FileType::Pem, &pem).unwrap();
        assert_eq!(dump_certificate(FileType::Pem, &c).unwrap(), pem, "{name}");
    }
    // PEM variants all load as ca_rsa.
    let ca = read_vector("certs/ca_rsa.der");
    for v in [
        "ca_rsa.withtext.pem",
        "ca_rsa.crlf.pem",
        "ca_rsa.x509label.pem",
    ] {
        let c = load_certificate(FileType::Pem, &read_vector(&format!("certs/{v}"))).unwrap();
        assert_eq!(c.to_der().unwrap(), ca, "{v}");
    }
    // A PEM buffer with a key block after the certificate.
    let mut buf = read_vector("certs/ca_rsa.pem");
    buf.extend_from_slice(&read_vector("keys/rsa1024.pkcs8.pem"));
    assert_eq!(
        load_certificate(FileType::Pem, &buf)
            .unwrap()
            .to_der()
            .unwrap(),
        ca
    );
    // ... and before it: the key block is skipped.
    let mut buf = read_vector("keys/rsa1024.pkcs8.pem");
    buf.extend_from_slice(&read_vector("certs/ca_rsa.pem"));
    assert_eq!(
        load_certificate(FileType::Pem, &buf)
            .unwrap()
            .to_der()
            .unwrap(),
        ca
    );
    assert!(load_certificate(FileType::Text, &ca).is_err());
}

#[test]
fn bundles() {
    let exp = expected();
    for (path, f) in entries_of_kind(&exp, "x509_bundle") {
        let data = read_vector(&path);
        let first = load_certificate(FileType::Pem, &data).unwrap();
        assert_eq!(
            sha256_hex(&first.to_der().unwrap()),
            f["load_certificate_returns"].as_str().unwrap()
        );
        let all = X509::stack_from_pem(&data).unwrap();
        let got: Vec<String> = all
            .iter()
            .map(|c| sha256_hex(&c.to_der().unwrap()))
            .collect();
        let want: Vec<String> = f["certs_der_sha256"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(got, want, "{path}");
    }
}

#[test]
fn bad_inputs_are_errors() {
    let exp = expected();
    let mut n = 0;
    for (path, f) in entries_of_kind(&exp, "bad") {
        let data = read_vector(&path);
        for l in f["loads"].as_array().unwrap() {
            let kind = match l["filetype"].as_str().unwrap() {
                "FILETYPE_PEM" => FileType::Pem,
                _ => FileType::Asn1,
            };
            if l["function"] == "load_certificate" {
                let r = load_certificate(kind, &data);
                assert!(r.is_err(), "{path} {kind:?} loaded");
                n += 1;
            }
        }
    }
    assert!(n >= 12, "{n}");
    let trailing = load_certificate(FileType::Asn1, &read_vector("bad/trailing_byte.der"));
    assert!(matches!(
        trailing,
        Err(puressl::crypto::Error::TrailingData { .. })
    ));
    let e =
        load_certificate(FileType::Pem, &read_vector("bad/trusted_certificate.pem")).unwrap_err();
    assert!(e.to_string().contains("TRUSTED CERTIFICATE"), "{e}");
}

#[test]
fn setters_and_times() {
    let mut c = X509::new();
    assert_eq!(c.version(), 0);
    assert_eq!(c.serial_number(), &SerialNumber::zero());
    assert_eq!(c.not_before(), None);
    assert!(c.has_expired().is_err());
    assert!(c.pubkey().is_err());
    assert!(c.to_der().is_err());
    assert!(c.set_version(3).is_err());
    c.set_version(2).unwrap();
    for s in [
        "1",
        "4294967297",
        "18446744073709551617",
        "340282366920938463463374607431768211457",
        "-5",
    ] {
        let v: SerialNumber = s.parse().unwrap();
        c.set_serial_number(v.clone());
        assert_eq!(c.serial_number().to_string(), s);
    }
    for t in [
        "20040203040506Z",
        "20040203040506+0530",
        "20040203040506-0115",
        "20500101000000Z",
    ] {
        c.set_not_before(t).unwrap();
        assert_eq!(c.not_before().unwrap(), t);
    }
    assert!(c.set_not_before("foo bar").is_err());
    c.set_not_before("20040203040506Z").unwrap();
    assert_eq!(c.not_before_asn1_type(), Some("UTCTime"));
    c.gmtime_adj_not_after(-1).unwrap();
    assert!(c.has_expired().unwrap());
    c.gmtime_adj_not_after(2).unwrap();
    assert!(!c.has_expired().unwrap());
    c.gmtime_adj_not_before(100).unwrap();
    let nb = c.not_before().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let t = unix_of(&nb);
    assert!((t - (now + 100)).abs() <= 2, "{nb}");
    c.set_not_before("20200101000000Z").unwrap();
    c.set_not_after("20300101000000Z").unwrap();
    assert!(c.is_valid_at("20250101000000Z").unwrap());
    assert!(!c.is_valid_at("20310101000000Z").unwrap());
    assert!(!c.is_valid_at("20191231235959Z").unwrap());
    assert!(c.is_valid_at("20300101000000Z").unwrap());
    assert!(c.digest("sha256").is_err(), "unsigned");
    let nyv = load_certificate(FileType::Asn1, &read_vector("certs/notyetvalid.der")).unwrap();
    assert!(!nyv.has_expired().unwrap());
    assert!(!nyv.is_valid_at("20260101000000Z").unwrap());
    let ca = load_certificate(FileType::Asn1, &read_vector("certs/ca_rsa.der")).unwrap();
    assert!(ca.digest("monkeys").is_err());
}

fn unix_of(gt: &str) -> i64 {
    let n = |a: usize, b: usize| gt[a..b].parse::<i64>().unwrap();
    let (y, m, d) = (n(0, 4), n(4, 6), n(6, 8));
    let (hh, mm, ss) = (n(8, 10), n(10, 12), n(12, 14));
    // days from civil
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146097 + doe - 719468;
    days * 86400 + hh * 3600 + mm * 60 + ss
}

#[test]
fn extensions_with_subject_and_issuer() {
    use puressl::crypto::X509Extension;
    let ca = load_certificate(FileType::Asn1, &read_vector("certs/ca_rsa.der")).unwrap();
    let inter = load_certificate(FileType::Asn1, &read_vector("certs/inter_ec.der")).unwrap();
    let leaf = load_certificate(FileType::Asn1, &read_vector("certs/leaf.der")).unwrap();
    for c in [&ca, &inter, &leaf] {
        let ski = X509Extension::with_subject_issuer(
            "subjectKeyIdentifier",
            false,
            "hash",
            Some(c),
            None,
        )
        .unwrap();
        let want = c
            .extensions()
            .iter()
            .find(|e| e.short_name() == "subjectKeyIdentifier")
            .unwrap();
        assert_eq!(ski.data(), want.data());
    }
    for (issuer, subject) in [(&ca, &inter), (&inter, &leaf), (&ca, &ca)] {
        let aki = X509Extension::with_subject_issuer(
            "authorityKeyIdentifier",
            false,
            "keyid:always",
            Some(subject),
            Some(issuer),
        )
        .unwrap();
        let want = subject
            .extensions()
            .iter()
            .find(|e| e.short_name() == "authorityKeyIdentifier")
            .unwrap();
        assert_eq!(aki.data(), want.data());
    }
    // keyid,issuer:always adds the issuer's issuer name and serial.
    let full = X509Extension::with_subject_issuer(
        "authorityKeyIdentifier",
        false,
        "keyid,issuer:always",
        None,
        Some(&inter),
    )
    .unwrap();
    let text = full.to_text().unwrap();
    assert!(
        text.contains("1E:3F:FC") || text.contains("1F:00:84"),
        "{text}"
    );
    assert!(text.contains("serial:10:00"), "{text}");
    // Without the certificate, `hash` is an error.
    assert!(
        X509Extension::with_subject_issuer("subjectKeyIdentifier", false, "hash", None, None)
            .is_err()
    );
    // Added extensions land in a signed v3 certificate.
    let mut c = inter.clone();
    let n = c.extension_count();
    c.add_extensions([X509Extension::new("nsComment", false, "added").unwrap()]);
    assert_eq!(c.extension_count(), n + 1);
    assert_eq!(c.extension(n).unwrap().to_text().unwrap(), "added");
    assert!(c.to_der().is_err());
}

fn same_name(ctx: &str, exp: &Value, got: &Value) {
    for f in [
        "components",
        "components_raw_hex",
        "asn1_types",
        "oids",
        "attrs",
        "der_hex",
        "hash",
        "hash_old",
        "oneline",
        "rfc4514",
    ] {
        if exp[f].is_null() {
            continue;
        }
        assert_eq!(exp[f], got[f], "{ctx}.{f}");
    }
}

#[test]
fn inspect_example_agrees_with_expected_json() {
    let bin = inspect_binary();
    let exp = expected();
    let top_x509 = [
        "version",
        "serial",
        "serial_der_hex",
        "not_before",
        "not_after",
        "not_before_asn1_type",
        "not_after_asn1_type",
        "has_expired",
        "digest",
        "subject_name_hash",
        "subject_name_hash_old",
        "issuer_name_hash",
        "issuer_name_hash_old",
        "subject",
        "issuer",
        "pubkey",
        "signature_algorithm",
        "signature_algorithm_oid",
        "extension_count",
        "extensions",
        "der_sha256",
    ];
    let top_csr = [
        "version",
        "subject",
        "pubkey",
        "verify",
        "signature_algorithm",
        "signature_algorithm_oid",
        "extensions",
        "challenge_password",
        "der_sha256",
    ];
    let mut n = 0;
    for (kind, top) in [("x509", &top_x509[..]), ("csr", &top_csr[..])] {
        for (path, e) in entries_of_kind(&exp, kind) {
            let got = inspect_json(&bin, &["--kind", kind], &path);
            for f in top {
                let ctx = format!("{path}:{f}");
                match *f {
                    "subject" | "issuer" => same_name(&ctx, &e[*f], &got[*f]),
                    "pubkey" => {
                        for (k, v) in e[*f].as_object().unwrap() {
                            assert_eq!(&got[*f][k], v, "{ctx}.{k}");
                        }
                    }
                    "extensions" => {
                        let want = e[*f].as_array().unwrap();
                        assert_eq!(got[*f].as_array().unwrap().len(), want.len(), "{ctx}");
                        for (i, w) in want.iter().enumerate() {
                            for k in ["short_name", "oid", "critical", "str", "data_hex"] {
                                assert_eq!(got[*f][i][k], w[k], "{ctx}[{i}].{k}");
                            }
                        }
                    }
                    _ => assert_eq!(got[*f], e[*f], "{ctx}"),
                }
                n += 1;
            }
        }
    }
    assert!(n > 600, "{n}");
    // Files that must not load give exit status 1, not a crash.
    for (path, e) in entries_of_kind(&exp, "bad") {
        for l in e["loads"].as_array().unwrap() {
            let kind = match l["function"].as_str().unwrap() {
                "load_certificate" => "x509",
                "load_certificate_request" => "csr",
                _ => continue,
            };
            let st = std::process::Command::new(&bin)
                .current_dir(vector_path(""))
                .args(["--kind", kind, &path])
                .output()
                .unwrap()
                .status;
            assert_eq!(st.code(), Some(1), "{path} as {kind}");
        }
    }
}

#[test]
fn damaged_inputs_never_panic() {
    use puressl::crypto::{dump_certificate_request, load_certificate_request};
    for (file, is_req) in [
        ("certs/leaf.der", false),
        ("certs/unicode.der", false),
        ("csr/ec.csr.der", true),
    ] {
        let good = read_vector(file);
        let mut variants: Vec<Vec<u8>> = (0..good.len()).map(|n| good[..n].to_vec()).collect();
        for i in 0..good.len() {
            let mut v = good.clone();
            v[i] ^= 0x80;
            variants.push(v);
        }
        for v in variants {
            if is_req {
                if let Ok(r) = load_certificate_request(FileType::Asn1, &v) {
                    let _ = dump_certificate_request(FileType::Text, &r);
                    let _ = r.extensions();
                    let _ = r.challenge_password();
                    let _ = r.pubkey().map(|k| r.verify(&k));
                }
            } else if let Ok(c) = load_certificate(FileType::Asn1, &v) {
                let _ = dump_certificate(FileType::Text, &c);
                let _ = c.pubkey();
                let _ = c.subject().to_string();
                let _ = c.issuer().oneline();
                let _ = c.subject_name_hash();
                for e in c.extensions() {
                    let _ = e.to_text();
                    let _ = e.to_string();
                }
            }
        }
    }
}

#[test]
fn v1_with_extensions_loads_like_openssl() {
    // OpenSSL 3.0 reads a certificate whose version says v1 or v2 but that
    // has extensions; so does puressl (re-signing it is refused).
    let mut der = read_vector("certs/ed25519.der");
    let i = der
        .windows(5)
        .position(|w| w == [0xa0, 0x03, 0x02, 0x01, 0x02])
        .unwrap();
    der[i + 4] = 0;
    let c = load_certificate(FileType::Asn1, &der).unwrap();
    assert_eq!(c.version(), 0);
    assert!(c.extension_count() > 0);
    assert_eq!(c.to_der().unwrap(), der);
    let text = String::from_utf8(dump_certificate(FileType::Text, &c).unwrap()).unwrap();
    assert!(text.contains("Version: 1 (0x0)") && text.contains("X509v3 extensions:"));
}
