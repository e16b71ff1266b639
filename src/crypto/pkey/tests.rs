//! Unit tests of the PKey core against the vectors and the openssl CLI.

use std::process::Command;
use std::sync::OnceLock;

use der::{Decode, Encode};

use super::encoding::{private_from_any_der, public_from_pkcs1_der};
use super::*;
use crate::crypto::asn1::pem;

const VEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors");

fn expected() -> &'static serde_json::Value {
    static E: OnceLock<serde_json::Value> = OnceLock::new();
    E.get_or_init(|| {
        let text = std::fs::read_to_string(format!("{VEC}/expected.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    })
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(format!("{VEC}/{path}")).unwrap()
}

/// Unencrypted private or public key file in any PEM/DER form.
fn load(path: &str) -> PKey {
    let data = read(path);
    let der: Vec<u8> = if path.ends_with(".pem") {
        let b = pem::decode_first(
            &data,
            &[
                "PRIVATE KEY",
                "RSA PRIVATE KEY",
                "EC PRIVATE KEY",
                "DSA PRIVATE KEY",
                "PUBLIC KEY",
                "RSA PUBLIC KEY",
            ],
        )
        .unwrap();
        if b.label == "RSA PUBLIC KEY" {
            return PKey::from_public(public_from_pkcs1_der(&b.der).unwrap());
        }
        if b.label == "PUBLIC KEY" {
            return PKey::public_key_from_der(&b.der).unwrap();
        }
        b.der.to_vec()
    } else {
        data
    };
    if path.contains(".pub.") {
        return PKey::public_key_from_der(&der).unwrap();
    }
    PKey::from_private(private_from_any_der(&der).unwrap())
}

fn key_files() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(format!("{VEC}/keys"))
        .unwrap()
        .map(|e| format!("keys/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|p| {
            let plain = [
                ".trad.pem",
                ".trad.der",
                ".pkcs8.pem",
                ".pkcs8.der",
                ".pub.pem",
                ".pub.der",
                ".rsapub.pem",
            ];
            plain.iter().any(|s| p.ends_with(s))
        })
        .collect();
    v.sort();
    v
}

#[test]
fn every_plain_vector_key_loads_with_the_recorded_values() {
    let files = key_files();
    assert!(files.len() >= 30, "{files:?}");
    for path in files {
        let e = &expected()["files"][&path];
        let k = load(&path);
        assert_eq!(k.key_type().name(), e["type"], "{path}");
        assert_eq!(i64::from(k.id()), e["type_id"], "{path}");
        assert_eq!(i64::from(k.bits()), e["bits"], "{path}");
        let spki = k.public_key_to_der().unwrap();
        assert_eq!(
            hex(&sha2::Sha256::digest(&spki)),
            e["spki_sha256"],
            "{path}"
        );
        if let Some(c) = e["curve"].as_str() {
            assert_eq!(k.curve().unwrap().short_name(), c);
        }
        assert_eq!(k.is_private(), e["kind"] == "private_key", "{path}");
        // Re-encoding round-trips.
        assert_eq!(PKey::public_key_from_der(&spki).unwrap(), k);
        if k.is_private() {
            let p8 = k.private_key_to_pkcs8_der().unwrap();
            let back = PKey::private_key_from_pkcs8_der(&p8).unwrap();
            assert_eq!(back, k);
            assert_eq!(*back.private_key_to_pkcs8_der().unwrap(), *p8);
        }
    }
}

use sha2::Digest as _;

#[test]
fn pkcs8_and_traditional_der_equal_openssl_bytes() {
    for name in [
        "rsa1024", "rsa2048", "dsa2048", "ec-p256", "ec-p384", "ed25519",
    ] {
        let k = load(&format!("keys/{name}.pkcs8.pem"));
        let p8_pem = read(&format!("keys/{name}.pkcs8.pem"));
        let b = pem::decode_first(&p8_pem, &["PRIVATE KEY"]).unwrap();
        assert_eq!(*k.private_key_to_pkcs8_der().unwrap(), *b.der, "{name}");
        let trad = k.traditional_der().unwrap();
        // `openssl pkey -outform DER` writes the traditional form.
        assert_eq!(*trad, read(&format!("keys/{name}.pkcs8.der")), "{name}");
        assert_eq!(
            pem::encode("PRIVATE KEY", &b.der).as_bytes(),
            p8_pem.as_slice()
        );
    }
}

#[test]
fn truncated_and_trailing_der_are_errors() {
    let der = read("keys/rsa2048.pub.der");
    let mut long = der.clone();
    long.push(0);
    assert!(matches!(
        PKey::public_key_from_der(&long),
        Err(Error::TrailingData { .. })
    ));
    assert!(matches!(
        PKey::public_key_from_der(&der[..der.len() - 1]),
        Err(Error::Der(_))
    ));
    assert!(PKey::private_key_from_pkcs8_der(b"\x30\x00").is_err());
    assert!(PKey::private_key_from_pkcs8_der(&[]).is_err());
}

fn generated(kind: KeyType, bits: u32) -> &'static PKey {
    static KEYS: OnceLock<Vec<(KeyType, u32, PKey)>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        [
            (KeyType::Rsa, 512),
            (KeyType::Ec, 256),
            (KeyType::Ec, 384),
            (KeyType::Ec, 521),
            (KeyType::Ed25519, 0),
        ]
        .into_iter()
        .map(|(t, b)| (t, b, PKey::generate_key(t, b).unwrap()))
        .collect()
    });
    &keys
        .iter()
        .find(|(t, b, _)| *t == kind && *b == bits)
        .unwrap()
        .2
}

#[test]
fn generate_key_sizes_and_errors() {
    let rsa = generated(KeyType::Rsa, 512);
    assert_eq!((rsa.bits(), rsa.id()), (512, 6));
    // A 512-bit SPKI decodes again.
    assert_eq!(
        PKey::public_key_from_der(&rsa.public_key_to_der().unwrap()).unwrap(),
        *rsa
    );
    for (bits, curve) in [
        (256, EcCurve::P256),
        (384, EcCurve::P384),
        (521, EcCurve::P521),
    ] {
        let k = generated(KeyType::Ec, bits);
        assert_eq!((k.bits(), k.curve()), (bits, Some(curve)));
    }
    let ed = generated(KeyType::Ed25519, 0);
    assert_eq!((ed.bits(), ed.id(), ed.curve()), (256, 1087, None));
    assert!(matches!(
        PKey::generate_key(KeyType::Rsa, 256),
        Err(Error::OutOfRange { .. })
    ));
    assert!(matches!(
        PKey::generate_key(KeyType::Rsa, 20000),
        Err(Error::OutOfRange { .. })
    ));
    assert!(matches!(
        PKey::generate_key(KeyType::Dsa, 512),
        Err(Error::OutOfRange { .. })
    ));
    assert!(matches!(
        PKey::generate_key(KeyType::Ec, 255),
        Err(Error::OutOfRange { .. })
    ));
    assert_ne!(*generated(KeyType::Ec, 256), *generated(KeyType::Ec, 384));
    let public = rsa.public_key();
    assert!(!public.is_private());
    assert_eq!(public, *rsa);
    assert!(matches!(
        public.sign(b"x", MessageDigest::Sha256),
        Err(Error::PublicKeyOnly)
    ));
}

#[test]
fn sign_and_verify_every_type_and_digest() {
    let mut keys: Vec<PKey> = ["rsa1024", "dsa2048", "ec-p256", "ec-p384", "ed25519"]
        .iter()
        .map(|n| load(&format!("keys/{n}.pkcs8.pem")))
        .collect();
    keys.push(generated(KeyType::Ec, 521).clone());
    keys.push(generated(KeyType::Rsa, 512).clone());
    for k in &keys {
        for md in MessageDigest::ALL {
            if k.bits() == 512 && md.size() > 32 {
                continue; // does not fit a 512-bit modulus
            }
            let sig = k.sign(b"message", md).unwrap();
            k.public_key().verify(b"message", &sig, md).unwrap();
            assert!(
                matches!(k.verify(b"messagf", &sig, md), Err(Error::BadSignature)),
                "{:?} {md}",
                k
            );
        }
    }
    assert!(keys[0]
        .verify(b"m", b"garbage", MessageDigest::Sha1)
        .is_err());
}

#[test]
fn signature_algorithms_are_openssl_encodings() {
    let cases = [
        (
            "rsa1024",
            MessageDigest::Sha256,
            "300d06092a864886f70d01010b0500",
        ),
        (
            "rsa1024",
            MessageDigest::Md5,
            "300d06092a864886f70d0101040500",
        ),
        ("ec-p256", MessageDigest::Sha256, "300a06082a8648ce3d040302"),
        ("ec-p384", MessageDigest::Sha1, "300906072a8648ce3d0401"),
        (
            "dsa2048",
            MessageDigest::Sha256,
            "300b0609608648016503040302",
        ),
        ("dsa2048", MessageDigest::Sha1, "300906072a8648ce380403"),
        ("ed25519", MessageDigest::Sha256, "300506032b6570"),
    ];
    for (name, md, want) in cases {
        let k = load(&format!("keys/{name}.pkcs8.pem"));
        let alg = k.signature_algorithm(md).unwrap();
        assert_eq!(hex(&alg.to_der().unwrap()), want, "{name} {md}");
        let sig = k.sign_with_algorithm(&alg, b"tbs").unwrap();
        k.verify_with_algorithm(&alg, b"tbs", &sig).unwrap();
        assert!(matches!(
            k.verify_with_algorithm(&alg, b"tbz", &sig),
            Err(Error::BadSignature)
        ));
    }
    let ec = load("keys/ec-p256.pkcs8.pem");
    assert!(matches!(
        ec.signature_algorithm(MessageDigest::Md5),
        Err(Error::UnsupportedAlgorithm { .. })
    ));
    let dsa = load("keys/dsa2048.pkcs8.pem");
    assert!(dsa.signature_algorithm(MessageDigest::Md5).is_err());
    let rsa_alg = load("keys/rsa1024.pkcs8.pem")
        .signature_algorithm(MessageDigest::Sha256)
        .unwrap();
    assert!(matches!(
        ec.verify_with_algorithm(&rsa_alg, b"x", b"y"),
        Err(Error::KeyTypeMismatch(_))
    ));
}

fn cert_parts(path: &str) -> (Vec<u8>, AlgorithmIdentifierOwned, Vec<u8>, Vec<u8>) {
    let cert = x509_cert::Certificate::from_der(&read(path)).unwrap();
    let tbs = cert.tbs_certificate().to_der().unwrap();
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap();
    let sig = cert.signature().raw_bytes().to_vec();
    (tbs, cert.signature_algorithm().clone(), sig, spki)
}

#[test]
fn certificate_signatures_verify_including_rsa_pss() {
    let (_, _, _, ca_spki) = cert_parts("certs/ca_rsa.der");
    let ca = PKey::public_key_from_der(&ca_spki).unwrap();
    for (cert, issuer) in [
        ("certs/rsapss.der", &ca),
        ("certs/ca_rsa.der", &ca),
        ("certs/inter_ec.der", &ca),
    ] {
        let (tbs, alg, sig, _) = cert_parts(cert);
        issuer.verify_with_algorithm(&alg, &tbs, &sig).unwrap();
        let mut bad = sig.clone();
        if let Some(b) = bad.last_mut() {
            *b ^= 1;
        }
        assert!(
            issuer.verify_with_algorithm(&alg, &tbs, &bad).is_err(),
            "{cert}"
        );
    }
    for selfsigned in [
        "certs/dsa.der",
        "certs/ed25519.der",
        "certs/p384.der",
        "certs/v1.der",
    ] {
        let (tbs, alg, sig, spki) = cert_parts(selfsigned);
        let k = PKey::public_key_from_der(&spki).unwrap();
        k.verify_with_algorithm(&alg, &tbs, &sig).unwrap();
    }
}

#[test]
fn public_key_text_matches_openssl_x509_text() {
    for name in ["ca_rsa", "inter_ec", "dsa", "ed25519", "p384", "v1"] {
        let path = format!("{VEC}/certs/{name}.pem");
        let out = Command::new("openssl")
            .args(["x509", "-noout", "-text", "-in", &path])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let start = text.find("Public Key Algorithm:").unwrap();
        let block: String = text[start..]
            .lines()
            .skip(1)
            .take_while(|l| l.starts_with("                "))
            .map(|l| format!("{l}\n"))
            .collect();
        let (_, _, _, spki) = cert_parts(&format!("certs/{name}.der"));
        let k = PKey::public_key_from_der(&spki).unwrap();
        assert_eq!(k.public_key_text(16), block, "{name}");
    }
}
