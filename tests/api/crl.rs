//! Building CRLs: pyOpenSSL's Revoked/CRL behaviours, and CRLs puressl
//! signs checked by `openssl crl` (signature and text) and `openssl verify`.

use std::process::Command;

use puressl::crypto::{dump_crl, load_crl, FileType, Revoked, X509Crl};

use crate::support::pki;
use pki::*;

#[test]
fn revoked_serials_reasons_and_dates() {
    let mut r = Revoked::new();
    assert_eq!(r.serial(), b"00");
    assert_eq!(r.rev_date(), None);
    assert_eq!(r.reason(), None);
    r.set_serial(b"10b").unwrap();
    assert_eq!(r.serial(), b"010B");
    r.set_serial(b"31ppp").unwrap();
    assert_eq!(r.serial(), b"31");
    r.set_serial(b"0123456789abcdef01").unwrap();
    assert_eq!(r.serial(), b"0123456789ABCDEF01");
    assert_eq!(r.serial_number().to_string(), "20988295479420645121");
    assert!(r.set_serial(b"pqrst").is_err());
    assert!(r.set_serial(b"").is_err());

    let all = Revoked::all_reasons();
    let names: Vec<&[u8]> = all.iter().map(Vec::as_slice).collect();
    assert_eq!(
        names,
        [
            &b"unspecified"[..],
            b"keyCompromise",
            b"CACompromise",
            b"affiliationChanged",
            b"superseded",
            b"cessationOfOperation",
            b"certificateHold",
        ]
    );
    let printed = [
        "Unspecified",
        "Key Compromise",
        "CA Compromise",
        "Affiliation Changed",
        "Superseded",
        "Cessation Of Operation",
        "Certificate Hold",
    ];
    for (i, (name, shown)) in all.iter().zip(printed).enumerate() {
        r.set_reason(Some(name)).unwrap();
        assert_eq!(r.reason().unwrap(), shown.as_bytes());
        assert_eq!(r.reason_code(), Some(i as u8));
        assert_eq!(r.extensions().len(), 1, "setting replaces the reason");
        // Case and spaces do not matter.
        r.set_reason(Some(shown.to_uppercase().as_bytes())).unwrap();
        assert_eq!(r.reason().unwrap(), shown.as_bytes());
    }
    assert!(r.set_reason(Some(b"blue")).is_err());
    r.set_reason(None).unwrap();
    assert_eq!(r.reason(), None);
    assert!(r.extensions().is_empty());

    r.set_rev_date(b"20140601000000Z").unwrap();
    assert_eq!(r.rev_date().unwrap(), b"20140601000000Z");
    assert_eq!(r.rev_date_asn1_type(), Some("UTCTime"));
    r.set_rev_date(b"20510601000000Z").unwrap();
    assert_eq!(r.rev_date_asn1_type(), Some("GeneralizedTime"));
    assert!(r.set_rev_date(b"yesterday").is_err());
}

fn openssl(args: &[&str]) -> (bool, String) {
    let out = Command::new("openssl").args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn signed_crls_pass_openssl_crl_for_every_key_type() {
    let dir = TempDir::new("crl-sign");
    for (kname, digest) in [
        ("rsa2048", "sha256"),
        ("ec-p256", "sha384"),
        ("ed25519", ""),
        ("dsa2048", "sha256"),
    ] {
        let ca = make(&Spec::ca("CRL CA", 1), &key(kname), None);
        let mut crl = X509Crl::new();
        crl.set_version(1).unwrap();
        for (serial, reason) in [
            ("0ABC", Some(&b"keyCompromise"[..])),
            ("05", None),
            ("7F", Some(b"certificateHold")),
        ] {
            let mut r = Revoked::new();
            r.set_serial(serial.as_bytes()).unwrap();
            r.set_rev_date(b"20250301120000Z").unwrap();
            r.set_reason(reason).unwrap();
            crl.add_revoked(&r);
        }
        crl.set_last_update("20250401000000Z").unwrap();
        crl.set_next_update("20500101000000Z").unwrap();
        crl.sign(&ca.cert, &ca.key, digest).unwrap();
        // X509_CRL_sort: entries ordered by serial.
        let serials: Vec<Vec<u8>> = crl.revoked().iter().map(Revoked::serial).collect();
        assert_eq!(serials, [b"05".to_vec(), b"7F".to_vec(), b"0ABC".to_vec()]);
        assert_eq!(crl.issuer(), ca.cert.subject());
        crl.verify(&ca.cert.pubkey().unwrap()).unwrap();

        let ca_path = dir.path(&format!("{kname}-ca.pem"));
        write_certs(&ca_path, &[&ca.cert]);
        let crl_path = dir.path(&format!("{kname}.crl"));
        std::fs::write(&crl_path, dump_crl(FileType::Pem, &crl).unwrap()).unwrap();
        let (ok, out) = openssl(&[
            "crl",
            "-CAfile",
            ca_path.to_str().unwrap(),
            "-noout",
            "-in",
            crl_path.to_str().unwrap(),
        ]);
        assert!(ok && out.contains("verify OK"), "{kname}: {out}");
        let (ok, text) = openssl(&["crl", "-text", "-noout", "-in", crl_path.to_str().unwrap()]);
        assert!(ok);
        assert_eq!(crl.to_text().unwrap(), text, "{kname}");
        // DER round trip keeps every byte.
        let der = dump_crl(FileType::Asn1, &crl).unwrap();
        let back = load_crl(FileType::Asn1, &der).unwrap();
        assert_eq!(dump_crl(FileType::Asn1, &back).unwrap(), der);
        // A changed CRL must be signed again.
        let mut changed = back.clone();
        changed.set_next_update("20490101000000Z").unwrap();
        assert!(changed.to_der().is_err());
        // The wrong key does not verify it.
        let other = make(&Spec::ca("Other", 2), &key("ec-p384"), None);
        assert!(crl.verify(&other.cert.pubkey().unwrap()).is_err());
    }
}

#[test]
fn export_sets_dates_and_revokes_in_openssl_verify() {
    let dir = TempDir::new("crl-export");
    let ca = make(&Spec::ca("Export CA", 1), &key("ec-p256"), None);
    let leaf = make(
        &Spec::new("revoked.example.com", 0x42),
        &key("ec-p256"),
        Some(&ca),
    );
    let mut crl = X509Crl::new();
    let mut r = Revoked::new();
    r.set_serial(b"42").unwrap();
    r.set_rev_date(b"20250101000000Z").unwrap();
    crl.add_revoked(&r);
    assert!(crl
        .export(&ca.cert, &ca.key, FileType::Pem, 10, "md4")
        .is_err());
    let pem = crl
        .export(&ca.cert, &ca.key, FileType::Pem, 10, "sha256")
        .unwrap();
    let last = crl.last_update().unwrap();
    let next = crl.next_update().unwrap();
    assert!(last < next);
    let text = crl
        .export(&ca.cert, &ca.key, FileType::Text, 10, "sha256")
        .unwrap();
    assert!(String::from_utf8(text)
        .unwrap()
        .starts_with("Certificate Revocation List (CRL):\n        Version 1 (0x0)\n"));
    let ca_path = dir.path("ca.pem");
    let leaf_path = dir.path("leaf.pem");
    let crl_path = dir.path("crl.pem");
    write_certs(&ca_path, &[&ca.cert]);
    write_certs(&leaf_path, &[&leaf.cert]);
    std::fs::write(&crl_path, pem).unwrap();
    let (ok, out) = openssl(&[
        "verify",
        "-no-CApath",
        "-no-CAstore",
        "-crl_check",
        "-CAfile",
        ca_path.to_str().unwrap(),
        "-CRLfile",
        crl_path.to_str().unwrap(),
        leaf_path.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(
        out.contains("error 23 at 0 depth lookup: certificate revoked"),
        "{out}"
    );
}
