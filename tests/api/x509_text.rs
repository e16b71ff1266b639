//! Text dumps equal `openssl x509 -text -noout` / `openssl req -text -noout`
//! byte for byte, for every certificate and request vector and for
//! certificates puressl builds.

use std::process::Command;

use puressl::crypto::{
    dump_certificate, dump_certificate_request, load_certificate, load_certificate_request,
    FileType, KeyType, PKey, X509Extension, X509Req, X509,
};

use crate::support::vectors;
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
    let mut r = X509Req::new();
    r.set_pubkey(&key).unwrap();
    r.sign(&key, "sha256").unwrap();
    // (file, `openssl` command, PEM, our text)
    let cases = [
        (
            "c.pem",
            "x509",
            dump_certificate(FileType::Pem, &c),
            dump_certificate(FileType::Text, &c),
        ),
        (
            "r.pem",
            "req",
            dump_certificate_request(FileType::Pem, &r),
            dump_certificate_request(FileType::Text, &r),
        ),
    ];
    for (file, command, pem, text) in cases {
        let p = dir.join(file);
        std::fs::write(&p, pem.unwrap()).unwrap();
        assert_eq!(
            String::from_utf8(text.unwrap()).unwrap(),
            openssl_text(command, &p, false),
            "{command}"
        );
    }
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

/// One AttributeTypeAndValue in its own RDN.
fn rdn(oid: &[u8], tag: u8, value: &[u8]) -> Vec<u8> {
    fn tlv(tag: u8, c: &[u8]) -> Vec<u8> {
        let mut v = vec![tag];
        if c.len() < 128 {
            v.push(c.len() as u8);
        } else {
            v.extend_from_slice(&[0x81, c.len() as u8]);
        }
        v.extend_from_slice(c);
        v
    }
    let mut atv = tlv(0x06, oid);
    atv.extend_from_slice(&tlv(tag, value));
    tlv(0x31, &tlv(0x30, &atv))
}

#[test]
fn every_string_type_matches_openssl() {
    use puressl::crypto::X509Name;
    let cn = [0x55, 0x04, 0x03];
    let ou = [0x55, 0x04, 0x0b];
    let mut content = Vec::new();
    // UniversalString "Zü€𝄞", NumericString, a BIT STRING, a SEQUENCE, a
    // RELATIVE-OID (an "unknown" type), IA5String with a control character,
    // a BMPString with upper-case text and doubled spaces.
    let ucs4: Vec<u8> = "Zü€𝄞"
        .chars()
        .flat_map(|c| (c as u32).to_be_bytes())
        .collect();
    content.extend(rdn(&cn, 28, &ucs4));
    content.extend(rdn(&ou, 18, b"0123 456"));
    content.extend(rdn(&ou, 3, &[0, b'B', b'S']));
    content.extend(rdn(&ou, 0x30, &[0x0c, 1, b'q']));
    content.extend(rdn(&ou, 13, b"rel"));
    content.extend(rdn(&ou, 22, b"tab\there"));
    content.extend(rdn(
        &ou,
        30,
        &[0, b'B', 0, b'M', 0, b'P', 0, b' ', 0, b' ', 0, b'X'],
    ));
    let mut bad = vec![0x30, 0x0d];
    bad.extend(rdn(&ou, 4, b"\x01\x02"));
    assert!(
        X509Name::from_der(&bad).is_err(),
        "OCTET STRING values are refused, as OpenSSL does"
    );
    for tag in [2u8, 21, 23, 25, 26, 27, 0x80, 0x31] {
        let mut bad = vec![0x30, 0x0d];
        bad.extend(rdn(&ou, tag, b"\x01\x02"));
        assert!(X509Name::from_der(&bad).is_err(), "tag {tag:#x}");
    }
    let mut der = vec![0x30, 0x81, content.len() as u8];
    der.extend_from_slice(&content);
    let name = X509Name::from_der(&der).unwrap();
    assert_eq!(name.der(), der);
    assert_eq!(name.entries()[0].text().unwrap(), "Zü€𝄞");
    assert_eq!(name.entries()[0].asn1_type(), "UNIVERSALSTRING");

    let key = PKey::generate_key(KeyType::Ec, 256).unwrap();
    let mut c = X509::new();
    c.set_subject(&name);
    c.set_issuer(&name);
    c.set_serial_number(7u8);
    c.set_not_before("20200101000000Z").unwrap();
    c.set_not_after("20300101000000Z").unwrap();
    c.set_pubkey(&key).unwrap();
    c.sign(&key, "sha256").unwrap();
    let dir = std::env::temp_dir().join(format!("puressl-strtypes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("c.pem");
    std::fs::write(&p, dump_certificate(FileType::Pem, &c).unwrap()).unwrap();
    assert_eq!(
        String::from_utf8(dump_certificate(FileType::Text, &c).unwrap()).unwrap(),
        openssl_text("x509", &p, false)
    );
    let out = Command::new("openssl")
        .args([
            "x509",
            "-noout",
            "-subject_hash",
            "-subject_hash_old",
            "-subject",
            "-nameopt",
            "compat",
            "-in",
        ])
        .arg(&p)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        u32::from_str_radix(lines.next().unwrap(), 16).unwrap(),
        c.subject_name_hash()
    );
    assert_eq!(
        u32::from_str_radix(lines.next().unwrap(), 16).unwrap(),
        c.subject_name_hash_old()
    );
    assert_eq!(lines.next().unwrap(), format!("subject={}", name.oneline()));
    std::fs::remove_dir_all(&dir).ok();
}

/// Extension values in BER, with DEFAULTs written out, out of order or with
/// bytes after them print as `openssl x509 -text` prints them (the value
/// dumped where OpenSSL's `d2i` refuses it): every value of
/// `store_robustness::EXT_ENCODINGS`, on one certificate.
#[test]
fn ber_extension_values_print_as_in_openssl() {
    let dir = std::env::temp_dir().join(format!("puressl-text-ber-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key = PKey::generate_key(KeyType::Ec, 256).unwrap();
    let mut c = X509::new();
    c.set_version(2).unwrap();
    c.set_serial_number(1u64);
    c.subject_mut().set("CN", "ber").unwrap();
    c.set_issuer(&c.subject().clone());
    c.set_not_before("20250101000000Z").unwrap();
    c.set_not_after("20350101000000Z").unwrap();
    c.set_pubkey(&key).unwrap();
    c.add_extensions(
        crate::store_robustness::EXT_ENCODINGS
            .iter()
            .map(|(_, ext, hex, _, _)| {
                X509Extension::new(ext, false, &format!("DER:{hex}")).unwrap()
            }),
    );
    c.sign(&key, "sha256").unwrap();
    let p = dir.join("ber.pem");
    std::fs::write(&p, dump_certificate(FileType::Pem, &c).unwrap()).unwrap();
    // OpenSSL prints the URI's 0xE9 octet as it is, puressl's text is
    // UTF-8 (U+FFFD there): compare both lossily.
    let ours = dump_certificate(FileType::Text, &c).unwrap();
    let theirs = Command::new("openssl")
        .args(["x509", "-text", "-noout", "-in"])
        .arg(&p)
        .output()
        .unwrap()
        .stdout;
    std::fs::remove_dir_all(&dir).ok();
    let lossy = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    assert_eq!(lossy(&ours), lossy(&theirs));
}
