//! Signing keys and verification algorithms of puressl's rustls provider,
//! checked against the `openssl` CLI in both directions.

use std::path::PathBuf;
use std::process::Command;

use puressl::provider::{self, any_supported_type, KeyProvider};
use rustls::crypto::KeyProvider as _;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, SignatureVerificationAlgorithm};
use rustls::{SignatureAlgorithm, SignatureScheme};
use spki::der::Decode;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/provider/");

fn key(name: &str) -> PrivateKeyDer<'static> {
    PrivateKeyDer::from_pem_file(format!("{DATA}{name}")).expect("key")
}

fn cert(name: &str) -> CertificateDer<'static> {
    CertificateDer::from_pem_file(format!("{DATA}{name}")).expect("cert")
}

/// The certificate's `subjectPublicKey` bytes (what webpki hands verifiers).
fn subject_public_key(name: &str) -> Vec<u8> {
    let c = cert(name);
    let parsed = rustls::server::ParsedCertificate::try_from(&c).expect("parse");
    let spki = parsed.subject_public_key_info();
    let info = spki::SubjectPublicKeyInfoRef::from_der(spki.as_ref()).expect("spki");
    info.subject_public_key.raw_bytes().to_vec()
}

fn load_err(name: &str) -> String {
    match KeyProvider.load_private_key(key(name)) {
        Ok(k) => panic!("{name} loaded as {:?}", k.algorithm()),
        Err(rustls::Error::General(msg)) => msg,
        Err(e) => panic!("{name}: unexpected error {e:?}"),
    }
}

#[test]
fn dsa_key_gives_a_clear_error() {
    let msg = load_err("dsa.key");
    assert!(msg.starts_with("DSA keys cannot be used for TLS"), "{msg}");
    assert!(msg.contains("RSA, ECDSA (P-256/P-384) or Ed25519"), "{msg}");
}

#[test]
fn unsupported_keys_say_why() {
    assert_eq!(
        load_err("ed448.key"),
        "Ed448 private keys are not supported by puressl's TLS provider"
    );
    let msg = load_err("p521.key");
    assert!(
        msg.starts_with("unsupported EC curve 1.3.132.0.35"),
        "{msg}"
    );
    // Garbage in every encoding is an error, not a panic.
    for der in [
        PrivateKeyDer::Pkcs8(vec![0x30, 0x03, 0x02, 0x01, 0x00].into()),
        PrivateKeyDer::Pkcs1(vec![0x30, 0x00].into()),
        PrivateKeyDer::Sec1(vec![0x04].into()),
    ] {
        let e = any_supported_type(&der).expect_err("garbage");
        assert!(e.to_string().contains("invalid"), "{e}");
    }
}

#[test]
fn keys_load_with_algorithm_and_matching_spki() {
    for (file, alg, cert_file) in [
        ("rsa2048.key", SignatureAlgorithm::RSA, "rsa2048.pem"),
        ("rsa2048.pkcs1.key", SignatureAlgorithm::RSA, "rsa2048.pem"),
        ("p256.key", SignatureAlgorithm::ECDSA, "p256.pem"),
        ("p256.sec1.key", SignatureAlgorithm::ECDSA, "p256.pem"),
        ("p384.key", SignatureAlgorithm::ECDSA, "p384.pem"),
        ("p384.sec1.key", SignatureAlgorithm::ECDSA, "p384.pem"),
        ("ed25519.key", SignatureAlgorithm::ED25519, "ed25519.pem"),
    ] {
        let k = KeyProvider.load_private_key(key(file)).expect(file);
        assert_eq!(k.algorithm(), alg, "{file}");
        // rustls' keys_match: the key's SPKI equals the certificate's.
        let ck = rustls::sign::CertifiedKey::new(vec![cert(cert_file)], k);
        ck.keys_match().expect(file);
    }
    // A mismatched pair is detected.
    let k = KeyProvider.load_private_key(key("p256.key")).expect("p256");
    let ck = rustls::sign::CertifiedKey::new(vec![cert("p384.pem")], k);
    assert!(ck.keys_match().is_err());
}

#[test]
fn scheme_choice_follows_key_type() {
    use SignatureScheme as S;
    let all = provider::SUPPORTED_SIG_ALGS.supported_schemes();
    let pick = |file: &str, offered: &[S]| {
        let k = KeyProvider.load_private_key(key(file)).expect(file);
        k.choose_scheme(offered).map(|s| s.scheme())
    };
    assert_eq!(pick("rsa2048.key", &all), Some(S::RSA_PSS_SHA512));
    assert_eq!(
        pick(
            "rsa2048.key",
            &[S::RSA_PKCS1_SHA256, S::ECDSA_NISTP256_SHA256]
        ),
        Some(S::RSA_PKCS1_SHA256)
    );
    assert_eq!(pick("p256.key", &all), Some(S::ECDSA_NISTP256_SHA256));
    assert_eq!(pick("p384.key", &all), Some(S::ECDSA_NISTP384_SHA384));
    // A P-256 key never signs with SHA-384 (TLS 1.3 binds curve and hash).
    assert_eq!(pick("p256.key", &[S::ECDSA_NISTP384_SHA384]), None);
    assert_eq!(pick("ed25519.key", &all), Some(S::ED25519));
    assert_eq!(pick("ed25519.key", &[S::RSA_PSS_SHA256]), None);
}

fn tmp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("provider_keys");
    std::fs::create_dir_all(&dir).expect("tmp dir");
    dir.join(name)
}

fn openssl(args: &[&str]) -> std::process::Output {
    Command::new("openssl")
        .args(args)
        .output()
        .expect("run openssl")
}

/// `openssl` arguments that verify a signature of each scheme.
/// The `openssl pkeyutl -rawin` arguments that select `scheme`'s digest and
/// padding (none for Ed25519, which signs the raw message).
fn pkeyutl_scheme_args(scheme: SignatureScheme) -> Vec<&'static str> {
    use SignatureScheme as S;
    let pss = [
        "-pkeyopt",
        "rsa_padding_mode:pss",
        "-pkeyopt",
        "rsa_pss_saltlen:digest",
    ];
    match scheme {
        S::RSA_PKCS1_SHA256 | S::ECDSA_NISTP256_SHA256 => vec!["-digest", "sha256"],
        S::RSA_PKCS1_SHA384 | S::ECDSA_NISTP384_SHA384 => vec!["-digest", "sha384"],
        S::RSA_PKCS1_SHA512 => vec!["-digest", "sha512"],
        S::RSA_PSS_SHA256 => [&["-digest", "sha256"][..], &pss].concat(),
        S::RSA_PSS_SHA384 => [&["-digest", "sha384"][..], &pss].concat(),
        S::RSA_PSS_SHA512 => [&["-digest", "sha512"][..], &pss].concat(),
        S::ED25519 => vec![],
        other => panic!("no openssl mapping for {other:?}"),
    }
}

fn verifier_for(scheme: SignatureScheme) -> &'static dyn SignatureVerificationAlgorithm {
    provider::SUPPORTED_SIG_ALGS
        .mapping
        .iter()
        .find(|(s, _)| *s == scheme)
        .and_then(|(_, algs)| algs.first().copied())
        .expect("mapped")
}

const SCHEMES: [(SignatureScheme, &str); 9] = [
    (SignatureScheme::RSA_PKCS1_SHA256, "rsa2048"),
    (SignatureScheme::RSA_PKCS1_SHA384, "rsa2048"),
    (SignatureScheme::RSA_PKCS1_SHA512, "rsa2048"),
    (SignatureScheme::RSA_PSS_SHA256, "rsa2048"),
    (SignatureScheme::RSA_PSS_SHA384, "rsa2048"),
    (SignatureScheme::RSA_PSS_SHA512, "rsa2048"),
    (SignatureScheme::ECDSA_NISTP256_SHA256, "p256"),
    (SignatureScheme::ECDSA_NISTP384_SHA384, "p384"),
    (SignatureScheme::ED25519, "ed25519"),
];

/// Our signatures verify with `openssl` and with our own verifiers; a
/// flipped message bit fails both.
#[test]
fn our_signatures_verify_in_openssl() {
    let msg = b"puressl provider signature test";
    let msg_path = tmp("msg.bin");
    std::fs::write(&msg_path, msg).expect("write msg");
    for (i, (scheme, name)) in SCHEMES.iter().enumerate() {
        let k = KeyProvider
            .load_private_key(key(&format!("{name}.key")))
            .expect("key");
        let signer = k.choose_scheme(&[*scheme]).expect("scheme");
        let sig = signer.sign(msg).expect("sign");
        let spk = subject_public_key(&format!("{name}.pem"));
        let alg = verifier_for(*scheme);
        alg.verify_signature(&spk, msg, &sig).expect("our verify");
        assert!(alg
            .verify_signature(&spk, b"puressl provider signature tesT", &sig)
            .is_err());
        let mut bad = sig.clone();
        let last = bad.len() - 1;
        bad[last / 2] ^= 0x40;
        assert!(alg.verify_signature(&spk, msg, &bad).is_err());

        let sig_path = tmp(&format!("sig{i}.bin"));
        std::fs::write(&sig_path, &sig).expect("write sig");
        let cert_path = format!("{DATA}{name}.pem");
        let sig_s = sig_path.to_str().expect("utf8");
        let msg_s = msg_path.to_str().expect("utf8");
        let mut args = vec![
            "pkeyutl", "-verify", "-certin", "-inkey", &cert_path, "-sigfile", sig_s, "-in", msg_s,
            "-rawin",
        ];
        args.extend(pkeyutl_scheme_args(*scheme));
        let out = openssl(&args);
        assert!(
            out.status.success(),
            "{scheme:?}: openssl {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// `openssl` signatures verify with our verification algorithms.
#[test]
fn openssl_signatures_verify_with_ours() {
    let msg = b"signed by the openssl CLI";
    let msg_path = tmp("omsg.bin");
    std::fs::write(&msg_path, msg).expect("write msg");
    for (i, (scheme, name)) in SCHEMES.iter().enumerate() {
        let key_path = format!("{DATA}{name}.key");
        let sig_path = tmp(&format!("osig{i}.bin"));
        let sig_s = sig_path.to_str().expect("utf8");
        let msg_s = msg_path.to_str().expect("utf8");
        let mut args = vec![
            "pkeyutl", "-sign", "-inkey", &key_path, "-out", sig_s, "-in", msg_s, "-rawin",
        ];
        args.extend(pkeyutl_scheme_args(*scheme));
        let out = openssl(&args);
        assert!(
            out.status.success(),
            "{scheme:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let sig = std::fs::read(&sig_path).expect("sig");
        let spk = subject_public_key(&format!("{name}.pem"));
        verifier_for(*scheme)
            .verify_signature(&spk, msg, &sig)
            .unwrap_or_else(|_| panic!("{scheme:?}: openssl signature rejected"));
    }
}

/// Each verifier names the identifiers rustls-webpki matches on.
#[test]
fn algorithm_identifiers() {
    use rustls::pki_types::alg_id;
    use SignatureScheme as S;
    let expect = [
        (
            S::ECDSA_NISTP256_SHA256,
            alg_id::ECDSA_P256,
            alg_id::ECDSA_SHA256,
        ),
        (
            S::ECDSA_NISTP384_SHA384,
            alg_id::ECDSA_P384,
            alg_id::ECDSA_SHA384,
        ),
        (S::ED25519, alg_id::ED25519, alg_id::ED25519),
        (
            S::RSA_PSS_SHA256,
            alg_id::RSA_ENCRYPTION,
            alg_id::RSA_PSS_SHA256,
        ),
        (
            S::RSA_PSS_SHA512,
            alg_id::RSA_ENCRYPTION,
            alg_id::RSA_PSS_SHA512,
        ),
        (
            S::RSA_PKCS1_SHA384,
            alg_id::RSA_ENCRYPTION,
            alg_id::RSA_PKCS1_SHA384,
        ),
    ];
    for (scheme, pk, sig) in expect {
        let alg = verifier_for(scheme);
        assert_eq!(alg.public_key_alg_id(), pk, "{scheme:?}");
        assert_eq!(alg.signature_alg_id(), sig, "{scheme:?}");
    }
    // TLS 1.2 may pair either curve with either hash.
    let (_, p256_algs) = provider::SUPPORTED_SIG_ALGS.mapping[1];
    assert_eq!(p256_algs.len(), 2);
    assert_eq!(p256_algs[1].public_key_alg_id(), alg_id::ECDSA_P384);
    assert_eq!(p256_algs[1].signature_alg_id(), alg_id::ECDSA_SHA256);
    assert_eq!(provider::SUPPORTED_SIG_ALGS.all.len(), 11);
    assert!(format!("{:?}", p256_algs[0]).contains("ECDSA_P256_SHA256"));
}

/// ECDSA with the other curve's hash (allowed in TLS 1.2 and in
/// certificates): openssl signs, our cross-hash verifiers accept.
#[test]
fn ecdsa_cross_hash_verifies() {
    use puressl::provider::verify::{ECDSA_P256_SHA384, ECDSA_P384_SHA256};
    let msg_path = tmp("xmsg.bin");
    std::fs::write(&msg_path, b"cross").expect("write");
    for (name, digest, alg) in [
        ("p256", "sha384", ECDSA_P256_SHA384),
        ("p384", "sha256", ECDSA_P384_SHA256),
    ] {
        let key_path = format!("{DATA}{name}.key");
        let sig_path = tmp(&format!("xsig-{name}.bin"));
        let out = openssl(&[
            "pkeyutl",
            "-sign",
            "-inkey",
            &key_path,
            "-rawin",
            "-digest",
            digest,
            "-in",
            msg_path.to_str().expect("utf8"),
            "-out",
            sig_path.to_str().expect("utf8"),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let sig = std::fs::read(&sig_path).expect("sig");
        let spk = subject_public_key(&format!("{name}.pem"));
        alg.verify_signature(&spk, b"cross", &sig).expect(name);
        assert!(alg.verify_signature(&spk, b"crosS", &sig).is_err());
    }
}

/// A 1024-bit RSA key has no room for PSS-SHA512 (64-byte hash and salt):
/// the key picks PSS-SHA384 instead, and openssl verifies the result.
#[test]
fn small_rsa_key_skips_pss_sha512() {
    let k = KeyProvider
        .load_private_key(key("rsa1024.key"))
        .expect("rsa1024");
    let all = provider::SUPPORTED_SIG_ALGS.supported_schemes();
    let signer = k.choose_scheme(&all).expect("a scheme");
    assert_eq!(signer.scheme(), SignatureScheme::RSA_PSS_SHA384);
    assert!(k
        .choose_scheme(&[SignatureScheme::RSA_PSS_SHA512])
        .is_none());
    let msg = b"small key";
    let sig = signer.sign(msg).expect("sign");
    assert_eq!(sig.len(), 128);
    let (msg_path, sig_path) = (tmp("small.msg"), tmp("small.sig"));
    std::fs::write(&msg_path, msg).expect("write");
    std::fs::write(&sig_path, &sig).expect("write");
    let pub_path = format!("{DATA}rsa1024.pub.pem");
    let out = openssl(&[
        "pkeyutl",
        "-verify",
        "-pubin",
        "-inkey",
        &pub_path,
        "-rawin",
        "-digest",
        "sha384",
        "-pkeyopt",
        "rsa_padding_mode:pss",
        "-pkeyopt",
        "rsa_pss_saltlen:digest",
        "-in",
        msg_path.to_str().expect("utf8"),
        "-sigfile",
        sig_path.to_str().expect("utf8"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
