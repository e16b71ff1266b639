//! The provider's own ECDSA P-256 (SHA-256) code against the `openssl` CLI:
//! many OpenSSL signatures (random nonces) verify with ours, and our
//! hedged signatures (fresh each time) verify with `openssl dgst -verify`.

use std::path::PathBuf;
use std::process::Command;

use puressl::provider::{any_supported_type, verify::ECDSA_P256_SHA256};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::PrivateKeyDer;
use rustls::SignatureScheme;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/provider/");

fn tmp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("provider_p256");
    std::fs::create_dir_all(&dir).expect("tmp dir");
    dir.join(name)
}

fn openssl(args: &[&str]) -> std::process::Output {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn path(p: &std::path::Path) -> &str {
    p.to_str().expect("utf8 path")
}

/// The uncompressed SEC1 public key of tests/data/provider/p256.key, as
/// `openssl` prints it.
fn public_point() -> Vec<u8> {
    let der = openssl(&[
        "pkey",
        "-in",
        &format!("{DATA}p256.key"),
        "-pubout",
        "-outform",
        "DER",
    ])
    .stdout;
    // A P-256 SubjectPublicKeyInfo ends with the 65-byte point.
    assert_eq!(der.len(), 91);
    der[26..].to_vec()
}

#[test]
fn openssl_signatures_verify_with_ours() {
    let point = public_point();
    let key = format!("{DATA}p256.key");
    for i in 0..16 {
        let msg = format!("message {i} signed by openssl").into_bytes();
        let msg_path = tmp(&format!("m{i}.bin"));
        let sig_path = tmp(&format!("s{i}.der"));
        std::fs::write(&msg_path, &msg).expect("write");
        openssl(&[
            "dgst",
            "-sha256",
            "-sign",
            &key,
            "-out",
            path(&sig_path),
            path(&msg_path),
        ]);
        let sig = std::fs::read(&sig_path).expect("sig");
        assert!(
            ECDSA_P256_SHA256
                .verify_signature(&point, &msg, &sig)
                .is_ok(),
            "signature {i} rejected"
        );
        let mut other = msg.clone();
        other[0] ^= 1;
        assert!(ECDSA_P256_SHA256
            .verify_signature(&point, &other, &sig)
            .is_err());
    }
}

#[test]
fn our_hedged_signatures_verify_in_openssl() {
    let pem = std::fs::read(format!("{DATA}p256.key")).expect("key");
    let key = any_supported_type(&PrivateKeyDer::from_pem_slice(&pem).expect("pem")).expect("load");
    let signer = key
        .choose_scheme(&[SignatureScheme::ECDSA_NISTP256_SHA256])
        .expect("P-256 scheme");
    let pub_path = tmp("pub.pem");
    let out = openssl(&["pkey", "-in", &format!("{DATA}p256.key"), "-pubout"]);
    std::fs::write(&pub_path, out.stdout).expect("write");
    let msg = b"signed twice by puressl";
    let msg_path = tmp("ours.bin");
    std::fs::write(&msg_path, msg).expect("write");
    let first = signer.sign(msg).expect("sign");
    let second = signer.sign(msg).expect("sign");
    assert_ne!(first, second, "hedged nonces differ between calls");
    for (i, sig) in [first, second].iter().enumerate() {
        let sig_path = tmp(&format!("ours{i}.der"));
        std::fs::write(&sig_path, sig).expect("write");
        let out = openssl(&[
            "dgst",
            "-sha256",
            "-verify",
            path(&pub_path),
            "-signature",
            path(&sig_path),
            path(&msg_path),
        ]);
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "Verified OK");
    }
}
