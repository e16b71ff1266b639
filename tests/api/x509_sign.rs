//! Certificates built and signed by puressl with every key type and digest,
//! checked by `openssl verify -check_ss_sig` and `openssl x509 -text`; vector
//! signatures verified with their issuers' keys.

use std::process::Command;
use std::sync::OnceLock;

use puressl::crypto::{
    dump_certificate, load_certificate, AsPublicKey, DigestArg, Error, FileType, KeyType,
    MessageDigest, NetscapeSpki, PKey, X509Crl, X509Req, X509,
};

use crate::support::vectors;
use vectors::*;

fn keys() -> &'static [(&'static str, PKey, &'static [&'static str])] {
    static KEYS: OnceLock<Vec<(&'static str, PKey, &'static [&'static str])>> = OnceLock::new();
    KEYS.get_or_init(|| {
        vec![
            (
                "rsa",
                pkcs8_key("keys/rsa2048.pkcs8.pem"),
                &["md5", "sha1", "sha224", "sha256", "sha384", "sha512"][..],
            ),
            (
                "dsa",
                pkcs8_key("keys/dsa2048.pkcs8.pem"),
                &["sha1", "sha224", "sha256"][..],
            ),
            (
                "p256",
                pkcs8_key("keys/ec-p256.pkcs8.pem"),
                &["sha1", "sha224", "sha256", "sha384", "sha512"][..],
            ),
            (
                "p384",
                pkcs8_key("keys/ec-p384.pkcs8.pem"),
                &["sha256", "sha384"][..],
            ),
            (
                "ed25519",
                PKey::generate_key(KeyType::Ed25519, 0).unwrap(),
                &[""][..],
            ),
        ]
    })
}

fn build(key: &PKey, digest: &str, cn: &str) -> X509 {
    let mut c = X509::new();
    c.set_version(2).unwrap();
    c.set_serial_number(0x1234_5678_9abc_def0_1122u128);
    c.subject_mut().set("C", "US").unwrap();
    c.subject_mut().set("O", "puressl tests").unwrap();
    c.subject_mut().set("CN", cn).unwrap();
    let s = c.subject().clone();
    c.set_issuer(&s);
    c.set_not_before("20200101000000Z").unwrap();
    c.set_not_after("20600101000000Z").unwrap();
    c.set_pubkey(key).unwrap();
    c.sign(key, digest).unwrap();
    c
}

fn tmpdir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("puressl-x509sign-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn signed_by_every_key_and_digest_verifies_with_openssl() {
    let dir = tmpdir();
    for (kname, k, digests) in keys() {
        for d in *digests {
            let cn = format!("{kname}-{d}");
            let c = build(k, d, &cn);
            c.verify(k).unwrap();
            c.verify(&k.public_key()).unwrap();
            let pem = dump_certificate(FileType::Pem, &c).unwrap();
            let path = dir.join(format!("{cn}.pem"));
            std::fs::write(&path, &pem).unwrap();
            let out = Command::new("openssl")
                .args([
                    "verify",
                    "-check_ss_sig",
                    "-x509_strict",
                    "-attime",
                    "1800000000",
                    "-CAfile",
                ])
                .arg(&path)
                .arg(&path)
                .output()
                .unwrap();
            // v3 self-signed without CA basic constraints is still a valid
            // trust anchor for itself; only the signature matters here.
            let so = String::from_utf8_lossy(&out.stdout);
            let se = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{cn}: {so} {se}");
            let text = Command::new("openssl")
                .args(["x509", "-noout", "-text", "-in"])
                .arg(&path)
                .output()
                .unwrap();
            let t = String::from_utf8_lossy(&text.stdout);
            assert!(t.contains(&format!("CN = {cn}")), "{t}");
            assert!(t.contains("Serial Number:"), "{t}");
            assert!(t.contains("Not Before: Jan  1 00:00:00 2020 GMT"), "{t}");
            assert!(t.contains("Not After : Jan  1 00:00:00 2060 GMT"), "{t}");
            // Reload: same DER and same values.
            let back = load_certificate(FileType::Pem, &pem).unwrap();
            assert_eq!(back.to_der().unwrap(), c.to_der().unwrap());
            assert_eq!(back.not_after_asn1_type(), Some("GeneralizedTime"));
            assert_eq!(back.not_before_asn1_type(), Some("UTCTime"));
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn signature_algorithm_names() {
    let (_, rsa, _) = &keys()[0];
    let (_, dsa, _) = &keys()[1];
    let (_, p384, _) = &keys()[3];
    let (_, ed, _) = &keys()[4];
    assert_eq!(
        build(rsa, "sha384", "a").signature_algorithm().unwrap(),
        "sha384WithRSAEncryption"
    );
    assert_eq!(
        build(dsa, "sha256", "a").signature_algorithm().unwrap(),
        "dsa_with_SHA256"
    );
    assert_eq!(
        build(p384, "sha384", "a").signature_algorithm().unwrap(),
        "ecdsa-with-SHA384"
    );
    assert_eq!(build(ed, "", "a").signature_algorithm().unwrap(), "ED25519");
}

#[test]
fn sign_errors_and_resign() {
    let (_, ec, _) = &keys()[2];
    let (_, ed, _) = &keys()[4];
    let mut c = build(ec, "sha256", "x");
    assert!(matches!(
        c.sign(ec, "monkeys"),
        Err(Error::UnknownDigest(_))
    ));
    assert!(matches!(
        c.sign(&ec.public_key(), "sha256"),
        Err(Error::PublicKeyOnly)
    ));
    // Ed25519: the digest must be empty.
    let mut e = build(ed, "", "ed");
    assert!(e.sign(ed, "sha256").is_err());
    // Re-sign after a setter: the change is in the new encoding.
    let before = c.to_der().unwrap();
    c.subject_mut().set("CN", "changed").unwrap();
    assert!(
        c.to_der().is_err(),
        "a changed certificate must be re-signed"
    );
    c.sign(ec, "sha256").unwrap();
    assert_ne!(c.to_der().unwrap(), before);
    assert_eq!(c.subject().get("CN").unwrap().as_deref(), Some("changed"));
    c.verify(ec).unwrap();
    // Another key does not verify it.
    assert!(c.verify(&keys()[3].1).is_err());
    // Extensions need v3.
    let mut v1 = build(ec, "sha256", "v1");
    v1.set_version(0).unwrap();
    v1.sign(ec, "sha256").unwrap();
    assert_eq!(
        load_certificate(FileType::Asn1, &v1.to_der().unwrap())
            .unwrap()
            .version(),
        0
    );
    // The pubkey equals the signing key (public half).
    assert_eq!(&c.pubkey().unwrap(), ec);
    assert_eq!(&c.as_public_key().unwrap(), ec);
    e.sign(ed, "").unwrap();
}

/// The signers take a `MessageDigest` as well as pyOpenSSL's name, and
/// `DigestArg::NONE` for Ed25519; both spellings give the same algorithm.
#[test]
fn typed_digests_sign_like_names() {
    let (_, rsa, _) = &keys()[0];
    let (_, ed, _) = &keys()[4];
    let mut c = build(rsa, "sha256", "typed");
    c.sign(rsa, MessageDigest::Sha384).unwrap();
    assert_eq!(c.signature_algorithm().unwrap(), "sha384WithRSAEncryption");
    c.verify(rsa).unwrap();
    assert_eq!(
        c.digest(MessageDigest::Sha1).unwrap(),
        c.digest("SHA1").unwrap()
    );
    assert_eq!(c.digest(MessageDigest::Md5).unwrap().len(), 16 * 3 - 1);
    assert!(matches!(c.digest(DigestArg::NONE), Err(Error::UnknownDigest(n)) if n.is_empty()));

    let mut e = build(ed, "", "typed-ed");
    e.sign(ed, DigestArg::NONE).unwrap();
    assert_eq!(e.signature_algorithm().unwrap(), "ED25519");
    let err = e.sign(ed, MessageDigest::Sha256).unwrap_err();
    assert!(
        matches!(err, Error::KeyTypeMismatch(ref m) if m.contains("Ed25519 signs without")),
        "{err}"
    );

    let mut req = X509Req::new();
    req.set_pubkey(rsa).unwrap();
    req.sign(rsa, MessageDigest::Sha512).unwrap();
    assert_eq!(
        req.signature_algorithm().unwrap(),
        "sha512WithRSAEncryption"
    );
    req.verify(rsa).unwrap();

    let mut crl = X509Crl::new();
    let pem = crl
        .export(&c, rsa, FileType::Pem, 1, MessageDigest::Sha256)
        .unwrap();
    assert!(pem.starts_with(b"-----BEGIN X509 CRL-----"));
    crl.sign(&c, rsa, String::from("sha224")).unwrap();
    crl.verify(rsa).unwrap();

    let mut spki = NetscapeSpki::new();
    spki.set_pubkey(rsa).unwrap();
    spki.sign(rsa, MessageDigest::Sha256).unwrap();
    spki.verify(rsa).unwrap();

    let sig = puressl::crypto::sign(rsa, b"data", MessageDigest::Sha256).unwrap();
    assert_eq!(sig, puressl::crypto::sign(rsa, b"data", "sha256").unwrap());
    puressl::crypto::verify(rsa, &sig, b"data", MessageDigest::Sha256).unwrap();
}

#[test]
fn vector_signatures_and_keys() {
    let exp = expected();
    for (path, f) in entries_of_kind(&exp, "x509") {
        let c = load_certificate(
            if f["format"] == "DER" {
                FileType::Asn1
            } else {
                FileType::Pem
            },
            &read_vector(&path),
        )
        .unwrap();
        let pk = c.pubkey().unwrap();
        assert_eq!(
            sha256_hex(&pk.public_key_to_der().unwrap()),
            f["pubkey"]["spki_sha256"].as_str().unwrap(),
            "{path}"
        );
        assert_eq!(pk.key_type().name(), f["pubkey"]["type"].as_str().unwrap());
        assert_eq!(u64::from(pk.bits()), f["pubkey"]["bits"].as_u64().unwrap());
        if let Some(issuer) = f["issuer_cert"].as_str() {
            let ic = load_certificate(FileType::Pem, &read_vector(issuer)).unwrap();
            c.verify(&ic.pubkey().unwrap())
                .unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }
}

/// Times set from a `SystemTime` are encoded as OpenSSL encodes them
/// (UTCTime for 1950–2049, GeneralizedTime otherwise) and `Asn1Time`'s
/// Display is the text `openssl x509 -startdate -enddate` prints.
#[test]
fn system_times_encode_and_print_as_openssl() {
    use puressl::crypto::Asn1Time;
    use std::time::{Duration, SystemTime, UNIX_EPOCH};
    let (_, ec, _) = &keys()[2];
    let before = UNIX_EPOCH - Duration::from_secs(315_619_200); // 1960-01-01
    let after = UNIX_EPOCH + Duration::from_secs(2_556_143_999); // 2050-12-31 23:59:59
    let mut c = build(ec, "sha256", "times");
    c.set_not_before(before).unwrap();
    c.set_not_after(after).unwrap();
    c.sign(ec, MessageDigest::Sha256).unwrap();
    assert_eq!(c.not_before().as_deref(), Some("19600101000000Z"));
    assert_eq!(c.not_before_asn1_type(), Some("UTCTime"));
    assert_eq!(c.not_after().as_deref(), Some("20501231235959Z"));
    assert_eq!(c.not_after_asn1_type(), Some("GeneralizedTime"));
    let path = tmpdir().join("times.pem");
    std::fs::write(&path, dump_certificate(FileType::Pem, &c).unwrap()).unwrap();
    let out = Command::new("openssl")
        .args(["x509", "-noout", "-startdate", "-enddate", "-in"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let (nb, na) = (c.not_before_time().unwrap(), c.not_after_time().unwrap());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("notBefore={nb}\nnotAfter={na}\n")
    );
    assert_eq!(nb.to_string(), "Jan  1 00:00:00 1960 GMT");
    assert_eq!(na.to_string(), "Dec 31 23:59:59 2050 GMT");
    // Back to SystemTime, and the other forms of the argument.
    assert_eq!(SystemTime::from(nb), before);
    assert_eq!(SystemTime::from(na.clone()), after);
    assert_eq!(Asn1Time::try_from(after).unwrap(), *na);
    assert_eq!("20501231235959Z".parse::<Asn1Time>().unwrap(), *na);
    assert!(c
        .is_valid_at(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        .unwrap());
    assert!(!c.is_valid_at(after + Duration::from_secs(1)).unwrap());
    assert!(c.is_valid_at("20300101000000Z").unwrap());
    let copy = nb.clone();
    c.set_not_after(&copy).unwrap();
    assert_eq!(c.not_after().as_deref(), Some("19600101000000Z"));
    // A fraction of a second before the epoch rounds towards the past.
    let t = Asn1Time::try_from(UNIX_EPOCH - Duration::from_millis(1)).unwrap();
    assert_eq!(t.to_generalized(), "19691231235959Z");
    // Years past 9999 cannot be encoded.
    let far = UNIX_EPOCH + Duration::from_secs(253_402_300_800); // 10000-01-01
    assert!(matches!(
        c.set_not_after(far),
        Err(Error::InvalidTime { .. })
    ));
    assert!(matches!(
        c.set_not_after("2030"),
        Err(Error::InvalidTime { ref text, .. }) if text == "2030"
    ));
    // The CRL and revoked-entry setters take the same forms.
    let mut crl = X509Crl::new();
    crl.set_last_update(before).unwrap();
    crl.set_next_update(b"20300101000000Z".as_slice()).unwrap();
    assert_eq!(crl.last_update().as_deref(), Some("19600101000000Z"));
    assert_eq!(
        crl.next_update_time().map(|t| t.unix()),
        Some(1_893_456_000)
    );
    let mut r = puressl::crypto::Revoked::new();
    r.set_rev_date(b"20200101000000Z").unwrap();
    r.set_rev_date(UNIX_EPOCH).unwrap();
    assert_eq!(r.rev_date().as_deref(), Some(&b"19700101000000Z"[..]));
}

/// `X509Req` and `Pkcs7` compare by their DER; `PKey` by its public half.
#[test]
fn requests_bundles_and_keys_compare_by_encoding() {
    use puressl::crypto::{load_certificate_request, Pkcs7};
    let pem = read_vector("csr/ec.csr.pem");
    let der = read_vector("csr/ec.csr.der");
    let a = load_certificate_request(FileType::Pem, &pem).unwrap();
    let b = load_certificate_request(FileType::Asn1, &der).unwrap();
    assert!(a == b);
    let other =
        load_certificate_request(FileType::Pem, &read_vector("csr/leaf_rsa.csr.pem")).unwrap();
    assert!(a != other);
    // An unsigned request has no encoding and equals nothing, itself included.
    let unsigned = X509Req::new();
    assert!(unsigned != unsigned.clone());

    let p = Pkcs7::from_pem(&read_vector("pkcs7/certs.p7b")).unwrap();
    let d = Pkcs7::from_der(&read_vector("pkcs7/certs.p7b.der")).unwrap();
    assert_eq!(p, d);
    let signed = Pkcs7::from_der(&read_vector("pkcs7/signed-opaque.p7m.der")).unwrap();
    assert_ne!(p, signed);

    let (_, ec, _) = &keys()[2];
    assert_eq!(ec.public_key(), *ec);
    assert_ne!(*ec, keys()[3].1);
}
