//! Trust: verifying the vectors' chains (RSA root → EC intermediate → RSA
//! leaf, and a self-signed Ed25519 root), with and without a CRL check, and
//! loading a CRL.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use puressl::crypto::{
    load_certificate, load_crl, FileType, X509Store, X509StoreContext, X509StoreFlags, X509,
};

fn vector(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../tests/vectors/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect(path)
}

fn cert(path: &str) -> X509 {
    load_certificate(FileType::Pem, &vector(path)).expect(path)
}

fn bench(c: &mut Criterion) {
    let root = cert("certs/ca_rsa.pem");
    let inter = cert("certs/inter_ec.pem");
    let leaf = cert("certs/leaf.pem");
    let ed = cert("certs/ed25519.pem");
    let mut store = X509Store::new();
    store.add_cert(&root).expect("root");
    store.add_cert(&ed).expect("ed25519");
    store.set_time("20260101000000Z").expect("time");
    let chain = [inter.clone()];
    c.bench_function("verify_chain_3_rsa_ec_rsa", |b| {
        b.iter(|| {
            X509StoreContext::new(black_box(&store), &leaf, Some(&chain))
                .verify_certificate()
                .expect("verifies")
        })
    });
    c.bench_function("verify_self_signed_ed25519", |b| {
        b.iter(|| {
            X509StoreContext::new(black_box(&store), &ed, None)
                .verify_certificate()
                .expect("verifies")
        })
    });
    let mut big = X509Store::new();
    if big.set_default_verify_paths().is_ok() {
        big.add_cert(&root).expect("root");
        big.set_time("20260101000000Z").expect("time");
        let n = big.certificates().len();
        c.bench_function(&format!("verify_chain_3_store_of_{n}"), |b| {
            b.iter(|| {
                X509StoreContext::new(black_box(&big), &leaf, Some(&chain))
                    .verify_certificate()
                    .expect("verifies")
            })
        });
    }
    let mut crl_store = store.clone();
    crl_store
        .add_crl(&load_crl(FileType::Pem, &vector("crl/inter_empty.crl.pem")).expect("crl"))
        .expect("add_crl");
    crl_store
        .set_flags(X509StoreFlags::CRL_CHECK)
        .expect("flags");
    c.bench_function("verify_chain_3_with_crl_check", |b| {
        b.iter(|| {
            X509StoreContext::new(black_box(&crl_store), &leaf, Some(&chain))
                .verify_certificate()
                .expect("verifies")
        })
    });
    let inter_key = inter.pubkey().expect("key");
    let root_key = root.pubkey().expect("key");
    c.bench_function("x509_verify_leaf_by_p256", |b| {
        b.iter(|| black_box(&leaf).verify(&inter_key).expect("ok"))
    });
    c.bench_function("x509_verify_inter_by_rsa2048", |b| {
        b.iter(|| black_box(&inter).verify(&root_key).expect("ok"))
    });
    c.bench_function("x509_pubkey_p256", |b| {
        b.iter(|| black_box(&inter).pubkey().expect("ok"))
    });
    c.bench_function("x509_pubkey_rsa2048", |b| {
        b.iter(|| black_box(&root).pubkey().expect("ok"))
    });
    let crl_der = vector("crl/root.crl.der");
    c.bench_function("load_crl_der_4_entries", |b| {
        b.iter(|| load_crl(FileType::Asn1, black_box(&crl_der)).expect("crl"))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
