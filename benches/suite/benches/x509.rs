//! Certificate parsing, encoding, text dumps, name hashing and signing.

use criterion::{criterion_group, criterion_main, Criterion};
use puressl::crypto::{dump_certificate, load_certificate, FileType, KeyType, PKey, X509};

fn vector(rel: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/vectors")
            .join(rel),
    )
    .expect("vector file")
}

fn benches(c: &mut Criterion) {
    let der = vector("certs/leaf.der");
    let pem = vector("certs/leaf.pem");
    let cert = load_certificate(FileType::Asn1, &der).expect("leaf loads");
    c.bench_function("load_certificate DER (leaf, 11 extensions)", |b| {
        b.iter(|| load_certificate(FileType::Asn1, std::hint::black_box(&der)))
    });
    c.bench_function("load_certificate PEM (leaf)", |b| {
        b.iter(|| load_certificate(FileType::Pem, std::hint::black_box(&pem)))
    });
    c.bench_function("dump_certificate TEXT (leaf)", |b| {
        b.iter(|| dump_certificate(FileType::Text, std::hint::black_box(&cert)))
    });
    c.bench_function("subject_name_hash (leaf, 11 attributes)", |b| {
        b.iter(|| std::hint::black_box(&cert).subject_name_hash())
    });
    let key = PKey::generate_key(KeyType::Ec, 256).expect("EC key");
    let mut fresh = X509::new();
    fresh.set_version(2).expect("version");
    fresh.subject_mut().set("CN", "bench.example").expect("CN");
    fresh.set_not_before("20200101000000Z").expect("time");
    fresh.set_not_after("20300101000000Z").expect("time");
    fresh.set_pubkey(&key).expect("pubkey");
    c.bench_function("X509::sign P-256/sha256", |b| {
        b.iter(|| fresh.clone().sign(&key, "sha256"))
    });
}

criterion_group!(x509, benches);
criterion_main!(x509);
