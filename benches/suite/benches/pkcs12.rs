//! PKCS#12 load and export: the PKCS#12 KDF / PBKDF2 iterations dominate.
//! Files from the vectors: `default.p12` (PBES2/AES-256, 2048 PBKDF2
//! iterations, SHA-256 MAC with 2048 iterations, RSA-2048 key, 3 certs) and
//! `legacy.p12` (RC2-40 + 3DES, PKCS#12 KDF with 2048 iterations, SHA-1 MAC).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use puressl::crypto::load_pkcs12;

fn read(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../tests/vectors/pkcs12/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("vector file")
}

fn load(c: &mut Criterion) {
    let default = read("default.p12");
    let legacy = read("legacy.p12");
    let mut g = c.benchmark_group("pkcs12");
    g.sample_size(20);
    g.bench_function("load default.p12 (PBES2, 2048 iter)", |b| {
        b.iter(|| load_pkcs12(black_box(&default), Some(b"p12-Default-2024")).expect("load"))
    });
    g.bench_function("load legacy.p12 (RC2-40 + 3DES, 2048 iter)", |b| {
        b.iter(|| load_pkcs12(black_box(&legacy), Some(b"legacy p12")).expect("load"))
    });
    let p12 = load_pkcs12(&default, Some(b"p12-Default-2024")).expect("load");
    g.bench_function("export modern (2048 iter, mac 2048)", |b| {
        b.iter(|| p12.export(Some(b"pw"), 2048, Some(2048)).expect("export"))
    });
    g.bench_function("export legacy (3DES, 2048 iter, mac 1)", |b| {
        b.iter(|| {
            p12.export_legacy(Some(b"pw"), 2048, Some(1))
                .expect("export")
        })
    });
    g.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
