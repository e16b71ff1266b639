//! NetscapeSpki against the SPKAC vectors and the `openssl spkac` CLI.

use std::process::Command;

use puressl::crypto::{Error, KeyType, NetscapeSpki, PKey};

use crate::support::tools;
use crate::support::vectors;
use tools::*;
use vectors::*;

#[test]
fn every_spkac_vector() {
    let exp = expected();
    let mut seen = 0;
    for (path, v) in exp["files"].as_object().unwrap() {
        if v["kind"] != "spkac" {
            continue;
        }
        seen += 1;
        let text = read_vector(path);
        let spki = NetscapeSpki::from_b64(&text).unwrap();
        assert_eq!(spki.challenge(), v["challenge"].as_str().unwrap(), "{path}");
        assert_eq!(
            spki.b64_encode().unwrap(),
            v["b64"].as_str().unwrap(),
            "{path}"
        );
        assert_eq!(
            sha256_hex(&spki.to_der().unwrap()),
            v["der_sha256"].as_str().unwrap()
        );
        assert_eq!(
            spki.signature_algorithm().unwrap(),
            v["signature_algorithm"].as_str().unwrap(),
            "{path}"
        );
        assert_eq!(
            spki.signature_algorithm_oid().unwrap(),
            v["signature_algorithm_oid"].as_str().unwrap()
        );
        let key = spki.pubkey().unwrap();
        let pk = &v["pubkey"];
        assert_eq!(
            sha256_hex(&key.public_key_to_der().unwrap()),
            pk["spki_sha256"].as_str().unwrap()
        );
        assert_eq!(key.key_type().name(), pk["type"].as_str().unwrap());
        assert_eq!(u64::from(key.bits()), pk["bits"].as_u64().unwrap());
        let verified = spki.verify(&key);
        if v["verify"].as_bool().unwrap() {
            verified.unwrap();
        } else {
            assert!(
                matches!(verified, Err(Error::BadSignature)),
                "{path}: {verified:?}"
            );
        }
        // The key file the SPKAC was made from.
        let private = pkcs8_key(v["key"].as_str().unwrap());
        assert_eq!(private.public_key(), key);
    }
    assert_eq!(seen, 3);
}

#[test]
fn from_b64_accepts_prefix_whitespace_and_bare_base64() {
    let text = String::from_utf8(read_vector("spkac/ec.spkac")).unwrap();
    let bare = text.trim().strip_prefix("SPKAC=").unwrap();
    let wrapped: String = bare
        .as_bytes()
        .chunks(64)
        .map(|c| format!("  {}\r\n", std::str::from_utf8(c).unwrap()))
        .collect();
    let a = NetscapeSpki::from_b64(&text).unwrap();
    assert_eq!(NetscapeSpki::from_b64(bare).unwrap(), a);
    assert_eq!(
        NetscapeSpki::from_b64(format!("SPKAC=\n{wrapped}")).unwrap(),
        a
    );
    assert!(NetscapeSpki::from_b64("SPKAC=!!!").is_err());
    let e = NetscapeSpki::from_b64("MAA=").unwrap_err(); // SEQUENCE {}
    assert!(e.to_string().starts_with("invalid SPKAC:"), "{e}");
}

#[test]
fn new_spki_is_empty_and_refuses_to_encode() {
    let s = NetscapeSpki::new();
    assert_eq!(s.challenge(), "");
    assert!(s.pubkey().is_err());
    assert!(s.signature_algorithm().is_err());
    assert!(s.b64_encode().is_err());
    let mut s = s;
    assert!(s.set_challenge("grüße").is_err());
    let key = pkcs8_key("keys/ec-p256.pkcs8.pem");
    // No key set yet.
    assert!(s.sign(&key, "sha256").is_err());
    s.set_pubkey(&key).unwrap();
    // A public key cannot sign.
    assert!(matches!(
        s.sign(&key.public_key(), "sha256"),
        Err(Error::PublicKeyOnly)
    ));
}

fn openssl_spkac_verify(b64: &str) -> (bool, String) {
    let path = tmp_path("spkac.txt");
    std::fs::write(&path, format!("SPKAC={b64}\n")).unwrap();
    let out = Command::new("openssl")
        .args(["spkac", "-verify", "-in"])
        .arg(&path)
        .output()
        .unwrap();
    std::fs::remove_file(&path).ok();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn openssl_accepts_what_we_sign() {
    let cases = [
        (
            "keys/rsa2048.pkcs8.pem",
            "sha256",
            "sha256WithRSAEncryption",
        ),
        ("keys/rsa1024.pkcs8.pem", "md5", "md5WithRSAEncryption"),
        ("keys/ec-p256.pkcs8.pem", "SHA256", "ecdsa-with-SHA256"),
        ("keys/ec-p384.pkcs8.pem", "sha384", "ecdsa-with-SHA384"),
        ("keys/dsa2048.pkcs8.pem", "sha256", "dsa_with_SHA256"),
        ("keys/ed25519.pkcs8.pem", "", "ED25519"),
    ];
    for (file, md, alg) in cases {
        let key = pkcs8_key(file);
        let mut s = NetscapeSpki::new();
        s.set_pubkey(&key).unwrap();
        s.set_challenge("puressl challenge").unwrap();
        s.sign(&key, md).unwrap();
        assert_eq!(s.signature_algorithm().unwrap(), alg);
        s.verify(&key.public_key()).unwrap();
        let b64 = s.b64_encode().unwrap();
        let (ok, text) = openssl_spkac_verify(&b64);
        assert!(ok && text.contains("Signature OK"), "{file}: {text}");
        assert!(
            text.contains("Challenge String: puressl challenge"),
            "{text}"
        );
        // Read back: same values; changing the challenge breaks the signature.
        let mut back = NetscapeSpki::from_b64(&b64).unwrap();
        assert_eq!(back, s);
        back.verify(&key).unwrap();
        // A different key does not verify it.
        let other = PKey::generate_key(KeyType::Ec, 256).unwrap();
        assert!(back.verify(&other).is_err());
        back.set_challenge("other").unwrap();
        assert!(back.b64_encode().is_err(), "a changed SPKI is unsigned");
    }
}

#[test]
fn tampered_signature_is_rejected_by_us_and_by_openssl() {
    let s = NetscapeSpki::from_b64(read_vector("spkac/tampered.spkac")).unwrap();
    let key = s.pubkey().unwrap();
    assert!(matches!(s.verify(&key), Err(Error::BadSignature)));
    let (ok, text) = openssl_spkac_verify(&s.b64_encode().unwrap());
    assert!(!ok || !text.contains("Signature OK"), "{text}");
}

#[test]
fn corrupt_spkacs_are_errors_not_panics() {
    let text = String::from_utf8(read_vector("spkac/rsa.spkac")).unwrap();
    let spki = NetscapeSpki::from_b64(&text).unwrap();
    let der = spki.to_der().unwrap();
    let key = spki.pubkey().unwrap();
    for cut in 0..der.len() {
        assert!(NetscapeSpki::from_der(&der[..cut]).is_err());
    }
    for i in 0..der.len() {
        let mut d = der.clone();
        d[i] ^= 0x01;
        if let Ok(s) = NetscapeSpki::from_der(&d) {
            // Anything that still parses must not verify under the original key
            // unless the flipped bit was outside the signed part and signature.
            let _ = s.verify(&key);
        }
    }
}

#[test]
fn inspect_example_agrees_with_expected_json() {
    let bin = inspect_binary();
    let exp = expected();
    for (path, f) in exp["files"].as_object().unwrap() {
        if f["kind"] != "spkac" {
            continue;
        }
        let got = inspect_json(&bin, &[], path);
        for field in [
            "challenge",
            "signature_algorithm",
            "verify",
            "b64",
            "der_sha256",
        ] {
            assert_eq!(got[field], f[field], "{path}.{field}");
        }
        for (k, v) in f["pubkey"].as_object().unwrap() {
            assert_eq!(&got["pubkey"][k], v, "{path}.pubkey.{k}");
        }
    }
}
