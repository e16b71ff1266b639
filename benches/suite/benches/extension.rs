//! X509Extension: building from config values and printing.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use puressl::crypto::X509Extension;

const SAN: &str = "DNS:www.example.test, DNS:*.api.example.test, IP:192.0.2.10, \
                   IP:2001:db8::1, email:admin@example.test, URI:https://www.example.test/p";

fn bench(c: &mut Criterion) {
    c.bench_function("extension_new_basic_constraints", |b| {
        b.iter(|| X509Extension::new("basicConstraints", true, black_box("CA:TRUE, pathlen:0")))
    });
    c.bench_function("extension_new_subject_alt_name_6", |b| {
        b.iter(|| X509Extension::new("subjectAltName", false, black_box(SAN)))
    });
    c.bench_function("extension_new_extended_key_usage", |b| {
        b.iter(|| {
            X509Extension::new(
                "extendedKeyUsage",
                false,
                black_box("serverAuth, clientAuth"),
            )
        })
    });
    let san = X509Extension::new("subjectAltName", false, SAN).expect("san");
    c.bench_function("extension_display_subject_alt_name_6", |b| {
        b.iter(|| black_box(&san).to_string())
    });
    let eku = X509Extension::new("extendedKeyUsage", false, "serverAuth, clientAuth").expect("eku");
    c.bench_function("extension_display_extended_key_usage", |b| {
        b.iter(|| black_box(&eku).to_string())
    });
    let aia = X509Extension::new(
        "authorityInfoAccess",
        false,
        "OCSP;URI:http://ocsp.test/, caIssuers;URI:http://ca.test/ca.der",
    )
    .expect("aia");
    c.bench_function("extension_to_text_authority_info_access", |b| {
        b.iter(|| black_box(&aia).to_text())
    });
    c.bench_function("extension_short_name", |b| {
        b.iter(|| black_box(&aia).short_name())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
