//! Key operations: signing, verification, loading and writing keys.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use puressl::crypto::{self, FileType, KeyType, PKey, Passphrase};

const VEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/vectors/keys");

fn read(name: &str) -> Vec<u8> {
    std::fs::read(format!("{VEC}/{name}")).expect("vector file")
}

fn key(name: &str) -> PKey {
    crypto::load_privatekey(FileType::Pem, &read(&format!("{name}.pkcs8.pem")), None).expect("key")
}

fn sign_verify(c: &mut Criterion) {
    let data = [0x5au8; 1024];
    for name in ["rsa2048", "dsa2048", "ec-p256", "ec-p384", "ed25519"] {
        let k = key(name);
        let sig = crypto::sign(&k, &data, "sha256").expect("sign");
        c.bench_function(&format!("sign {name} sha256 1KiB"), |b| {
            b.iter(|| crypto::sign(&k, &data, "sha256").expect("sign"))
        });
        c.bench_function(&format!("verify {name} sha256 1KiB"), |b| {
            b.iter(|| crypto::verify(&k, &sig, &data, "sha256").expect("verify"))
        });
    }
}

/// RSA-2048 private-key operation: puressl's constant-time CRT signer (the
/// TLS `Signer`) next to the `rsa` crate's blinded `sign_with_rng`.
fn rsa_private(c: &mut Criterion) {
    use pkcs8::DecodePrivateKey;
    use rustls::crypto::KeyProvider as _;
    use rustls::pki_types::{pem::PemObject, PrivateKeyDer};
    use rustls::SignatureScheme;
    use sha2::Digest;

    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/provider/rsa2048.key"
    );
    let pem = std::fs::read(path).expect("key file");
    let der = PrivateKeyDer::from_pem_slice(&pem).expect("PEM");
    let signing = puressl::provider::KeyProvider
        .load_private_key(der)
        .expect("load");
    let msg = [0x5au8; 64];
    for scheme in [
        SignatureScheme::RSA_PSS_SHA256,
        SignatureScheme::RSA_PKCS1_SHA256,
    ] {
        let signer = signing.choose_scheme(&[scheme]).expect("scheme");
        c.bench_function(&format!("rsa2048 puressl TLS signer {scheme:?}"), |b| {
            b.iter(|| signer.sign(&msg).expect("sign"))
        });
    }
    let key = rsa::PrivateKey::from_pkcs8_pem(std::str::from_utf8(&pem).expect("utf-8"))
        .expect("rsa key");
    let hash = sha2::Sha256::digest(msg);
    let mut rng = puressl::rand::Rng;
    c.bench_function("rsa2048 rsa crate sign_with_rng PSS-SHA256", |b| {
        b.iter(|| {
            key.sign_with_rng(&mut rng, rsa::pss::Pss::<sha2::Sha256>::new(), &hash)
                .expect("sign")
        })
    });
    c.bench_function("rsa2048 rsa crate sign_with_rng PKCS1-SHA256", |b| {
        b.iter(|| {
            key.sign_with_rng(&mut rng, rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &hash)
                .expect("sign")
        })
    });
}

fn load_dump(c: &mut Criterion) {
    let plain = read("rsa2048.pkcs8.pem");
    c.bench_function("load_privatekey rsa2048 PKCS#8 PEM", |b| {
        b.iter(|| crypto::load_privatekey(FileType::Pem, &plain, None).expect("load"))
    });
    let ec = read("ec-p256.pkcs8.pem");
    c.bench_function("load_privatekey ec-p256 PKCS#8 PEM", |b| {
        b.iter(|| crypto::load_privatekey(FileType::Pem, &ec, None).expect("load"))
    });
    let k = key("ec-p256");
    c.bench_function("dump_privatekey ec-p256 aes-256-cbc (PBKDF2 2048)", |b| {
        b.iter(|| {
            crypto::dump_privatekey(
                FileType::Pem,
                &k,
                Some(("aes-256-cbc", Passphrase::from("pw"))),
            )
            .expect("dump")
        })
    });
    c.bench_function("generate_key EC P-256", |b| {
        b.iter(|| PKey::generate_key(KeyType::Ec, 256).expect("generate"))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    targets = rsa_private, sign_verify, load_dump
}
criterion_main!(benches);
