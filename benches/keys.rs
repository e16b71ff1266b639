//! Key operations: signing, verification, loading and writing keys.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use puressl::crypto::{self, FileType, KeyType, PKey, Passphrase};

const VEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/keys");

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
    targets = sign_verify, load_dump
}
criterion_main!(benches);
