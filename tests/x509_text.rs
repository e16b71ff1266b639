//! Text dumps equal `openssl x509 -text -noout` / `openssl req -text -noout`
//! byte for byte, for every certificate and request vector and for
//! certificates puressl builds.

use std::process::Command;

use puressl::crypto::{
    dump_certificate, dump_certificate_request, load_certificate, load_certificate_request,
    FileType, KeyType, PKey, X509Req, X509,
};

#[path = "support/vectors.rs"]
mod vectors;
use vectors::*;

fn openssl_text(cmd: &str, path: &std::path::Path, der: bool) -> String {
    let mut c = Command::new("openssl");
    c.args([cmd, "-text", "-noout", "-in"]).arg(path);
    if der {
        c.args(["-inform", "DER"]);
    }
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn kind_of(f: &serde_json::Value) -> FileType {
    if f["format"] == "DER" {
        FileType::Asn1
    } else {
        FileType::Pem
    }
}

#[test]
fn certificate_text_matches_openssl() {
    let exp = expected();
    for (path, f) in entries_of_kind(&exp, "x509") {
        let kind = kind_of(&f);
        let c = load_certificate(kind, &read_vector(&path)).unwrap();
        let ours = String::from_utf8(dump_certificate(FileType::Text, &c).unwrap()).unwrap();
        let theirs = openssl_text("x509", &vector_path(&path), kind == FileType::Asn1);
        assert_eq!(ours, theirs, "{path}");
    }
}

#[test]
fn request_text_matches_openssl() {
    let exp = expected();
    for (path, f) in entries_of_kind(&exp, "csr") {
        let kind = kind_of(&f);
        let r = load_certificate_request(kind, &read_vector(&path)).unwrap();
        let ours =
            String::from_utf8(dump_certificate_request(FileType::Text, &r).unwrap()).unwrap();
        let theirs = openssl_text("req", &vector_path(&path), kind == FileType::Asn1);
        assert_eq!(ours, theirs, "{path}");
    }
}

#[test]
fn built_objects_text_matches_openssl() {
    let dir = std::env::temp_dir().join(format!("puressl-text-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key = PKey::generate_key(KeyType::Ec, 256).unwrap();
    let mut c = X509::new();
    c.set_serial_number(-1i64);
    c.subject_mut().set("CN", "  #quoted, \"x\" \\ y ").unwrap();
    c.subject_mut().set("O", "Ünïcode").unwrap();
    c.set_not_before("20040203040506+0530").unwrap();
    c.set_not_after("20700101000000Z").unwrap();
    c.set_pubkey(&key).unwrap();
    c.sign(&key, "sha384").unwrap();
    let p = dir.join("c.pem");
    std::fs::write(&p, dump_certificate(FileType::Pem, &c).unwrap()).unwrap();
    assert_eq!(
        String::from_utf8(dump_certificate(FileType::Text, &c).unwrap()).unwrap(),
        openssl_text("x509", &p, false)
    );
    let mut r = X509Req::new();
    r.set_pubkey(&key).unwrap();
    r.sign(&key, "sha256").unwrap();
    let p = dir.join("r.pem");
    std::fs::write(&p, dump_certificate_request(FileType::Pem, &r).unwrap()).unwrap();
    assert_eq!(
        String::from_utf8(dump_certificate_request(FileType::Text, &r).unwrap()).unwrap(),
        openssl_text("req", &p, false)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn serial_and_name_edge_cases_match_openssl() {
    let dir = std::env::temp_dir().join(format!("puressl-text-edge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key = PKey::generate_key(KeyType::Ed25519, 0).unwrap();
    let serials = [
        "0",
        "1",
        "-2",
        "128",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "18446744073709551615",
        "-18446744073709551615",
    ];
    for (i, s) in serials.iter().enumerate() {
        let mut c = X509::new();
        c.set_version(2).unwrap();
        c.set_serial_number(s.parse::<puressl::crypto::SerialNumber>().unwrap());
        let n = c.subject_mut();
        n.set("DC", "example").unwrap();
        n.set("serialNumber", "12 34").unwrap();
        n.set("title", "Dr; <x> + y").unwrap();
        n.set("CN", "#lead and trail ").unwrap();
        n.set("emailAddress", "a@b.example").unwrap();
        n.set("1.2.3.4", "private").unwrap();
        c.set_not_before("19500101000000Z").unwrap();
        c.set_not_after("20491231235959Z").unwrap();
        c.set_pubkey(&key).unwrap();
        c.add_extensions([puressl::crypto::X509Extension::new(
            "basicConstraints",
            true,
            "CA:TRUE",
        )
        .unwrap()]);
        c.sign(&key, "").unwrap();
        let p = dir.join(format!("c{i}.pem"));
        std::fs::write(&p, dump_certificate(FileType::Pem, &c).unwrap()).unwrap();
        assert_eq!(
            String::from_utf8(dump_certificate(FileType::Text, &c).unwrap()).unwrap(),
            openssl_text("x509", &p, false),
            "serial {s}"
        );
        let out = Command::new("openssl")
            .args([
                "x509",
                "-noout",
                "-serial",
                "-subject_hash",
                "-subject_hash_old",
                "-in",
            ])
            .arg(&p)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let mut lines = text.lines();
        let serial_hex = lines
            .next()
            .unwrap()
            .trim_start_matches("serial=")
            .to_owned();
        let want = format!("{:X}", c.serial_number());
        let want = if want.trim_start_matches('-').len() % 2 == 1 {
            want.replacen(
                want.trim_start_matches('-'),
                &format!("0{}", want.trim_start_matches('-')),
                1,
            )
        } else {
            want
        };
        assert_eq!(serial_hex, want, "serial {s}");
        assert_eq!(
            u32::from_str_radix(lines.next().unwrap(), 16).unwrap(),
            c.subject_name_hash()
        );
        assert_eq!(
            u32::from_str_radix(lines.next().unwrap(), 16).unwrap(),
            c.subject_name_hash_old()
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
