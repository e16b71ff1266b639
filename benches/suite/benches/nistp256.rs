//! ECDSA P-256 with SHA-256 as the TLS provider does it: puressl's own
//! P-256 code (`provider::nistp256`, reached through the provider's
//! `KeyProvider` and `ECDSA_P256_SHA256`) against the `p256` crate.
//!
//! Run: `taskset -c 1 cargo bench -p puressl-benches --bench nistp256`. Results: BENCHMARKS.md.
//!
//! Wall-clock times (one call is far below the scheduler tick that
//! `/proc/thread-self/schedstat` CPU time moves by): on a shared machine,
//! compare the two implementations within one run. Before criterion, the
//! binary prints an interleaved A/B measurement (30 rounds of 100 calls of
//! each implementation in turn, best round kept), which other tenants of
//! the machine disturb far less.

use criterion::{criterion_group, Criterion};
use p256::pkcs8::DecodePrivateKey;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::PrivateKeyDer;
use rustls::SignatureScheme;
use signature::hazmat::PrehashVerifier;
use signature::RandomizedSigner;

const KEY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/data/provider/p256.key"
);

fn ecdsa(c: &mut Criterion) {
    use sha2::Digest;
    let pem = std::fs::read(KEY).expect("key file");
    let der = PrivateKeyDer::from_pem_slice(&pem).expect("pem");
    let msg = [0x5au8; 130]; // about a TLS 1.3 CertificateVerify input

    // Ours, through the provider.
    let key = puressl::provider::any_supported_type(&der).expect("load");
    let signer = key
        .choose_scheme(&[SignatureScheme::ECDSA_NISTP256_SHA256])
        .expect("scheme");
    let spki = key.public_key().expect("spki");
    let point = spki.as_ref()[spki.as_ref().len() - 65..].to_vec();
    let alg = puressl::provider::verify::ECDSA_P256_SHA256;

    // The p256 crate.
    let p = p256::ecdsa::SigningKey::from_pkcs8_der(der.secret_der()).expect("p256 key");

    let mut g = c.benchmark_group("ecdsa_p256_sha256");
    g.bench_function("sign/puressl", |b| {
        b.iter(|| signer.sign(&msg).expect("sign"))
    });
    g.bench_function("sign/p256", |b| {
        b.iter(|| -> p256::ecdsa::DerSignature {
            p.try_sign_with_rng(&mut puressl::rand::Rng, &msg)
                .expect("sign")
        })
    });
    let sig = signer.sign(&msg).expect("sign");
    assert!(alg.verify_signature(&point, &msg, &sig).is_ok());
    g.bench_function("verify/puressl", |b| {
        b.iter(|| alg.verify_signature(&point, &msg, &sig).expect("verify"))
    });
    let dsig = p256::ecdsa::DerSignature::try_from(sig.as_slice()).expect("der");
    g.bench_function("verify/p256", |b| {
        b.iter(|| {
            let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(&point).expect("point");
            key.verify_prehash(&sha2::Sha256::digest(msg), &dsig)
                .expect("verify")
        })
    });
    g.finish();
}

/// The best per-call time over `rounds` batches of `n` calls, A and B in
/// alternation.
fn ab(rounds: u32, n: u32, mut a: impl FnMut(), mut b: impl FnMut()) -> (f64, f64) {
    use std::time::Instant;
    let (mut best_a, mut best_b) = (f64::MAX, f64::MAX);
    for _ in 0..rounds {
        let t = Instant::now();
        for _ in 0..n {
            a();
        }
        best_a = best_a.min(t.elapsed().as_secs_f64() / f64::from(n));
        let t = Instant::now();
        for _ in 0..n {
            b();
        }
        best_b = best_b.min(t.elapsed().as_secs_f64() / f64::from(n));
    }
    (best_a * 1e6, best_b * 1e6)
}

fn interleaved() {
    use sha2::Digest;
    let pem = std::fs::read(KEY).expect("key file");
    let der = PrivateKeyDer::from_pem_slice(&pem).expect("pem");
    let msg = [0x5au8; 130];
    let key = puressl::provider::any_supported_type(&der).expect("load");
    let signer = key
        .choose_scheme(&[SignatureScheme::ECDSA_NISTP256_SHA256])
        .expect("scheme");
    let spki = key.public_key().expect("spki");
    let point = spki.as_ref()[spki.as_ref().len() - 65..].to_vec();
    let alg = puressl::provider::verify::ECDSA_P256_SHA256;
    let p = p256::ecdsa::SigningKey::from_pkcs8_der(der.secret_der()).expect("p256 key");
    let sig = signer.sign(&msg).expect("sign");
    let dsig = p256::ecdsa::DerSignature::try_from(sig.as_slice()).expect("der");
    let (ours, theirs) = ab(
        30,
        100,
        || {
            criterion::black_box(signer.sign(&msg).expect("sign"));
        },
        || {
            let s: p256::ecdsa::DerSignature = p
                .try_sign_with_rng(&mut puressl::rand::Rng, &msg)
                .expect("sign");
            criterion::black_box(s);
        },
    );
    println!(
        "interleaved sign:   puressl {ours:.1} us, p256 {theirs:.1} us, speed-up {:.2}x",
        theirs / ours
    );
    let (ours, theirs) = ab(
        30,
        100,
        || assert!(alg.verify_signature(&point, &msg, &sig).is_ok()),
        || {
            let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(&point).expect("point");
            assert!(key
                .verify_prehash(&sha2::Sha256::digest(msg), &dsig)
                .is_ok());
        },
    );
    println!(
        "interleaved verify: puressl {ours:.1} us, p256 {theirs:.1} us, speed-up {:.2}x",
        theirs / ours
    );
}

criterion_group!(benches, ecdsa);

fn main() {
    interleaved();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
