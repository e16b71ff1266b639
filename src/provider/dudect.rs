//! dudect-style timing-leak checks (Reparaz, Balasch, Verbauwhede 2017) for
//! the two hand-written constant-time engines: the provider's P-256 ECDSA
//! signer and the RSA-CRT private operation. Two input classes (one fixed
//! input, fresh random inputs) are measured in random interleaved order;
//! Welch's t-test on the timings must stay below 4.5 in absolute value
//! (dudect's threshold), both on all samples and on the samples below the
//! 90th percentile (cropping preemption outliers, as dudect does).
//!
//! Ignored by default (minutes of CPU); run and record in SECURITY.md:
//! `taskset -c 1 cargo test --release --lib provider::dudect -- --ignored --nocapture --test-threads 1`
//! (`PURESSL_DUDECT_SAMPLES` overrides the sample count).

use std::time::Instant;

use super::nistp256::ecdsa::SigningKey;
use crate::crypto::pkey::rsa_private::RsaPrivate;

/// Samples per check: `PURESSL_DUDECT_SAMPLES` or `default`.
fn samples(default: usize) -> usize {
    std::env::var("PURESSL_DUDECT_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// Welch's t statistic of two samples.
fn welch_t(a: &[f64], b: &[f64]) -> f64 {
    fn mean_var(x: &[f64]) -> (f64, f64) {
        let n = x.len() as f64;
        let m = x.iter().sum::<f64>() / n;
        let v = x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1.0);
        (m, v)
    }
    let (ma, va) = mean_var(a);
    let (mb, vb) = mean_var(b);
    (ma - mb) / (va / a.len() as f64 + vb / b.len() as f64).sqrt()
}

/// Runs `n` measurements; `prepare(class)` builds the input outside the
/// timed region, `op` is timed. Prints and returns (t on all samples, t on
/// samples under the 90th percentile, means in ns).
fn measure<I>(
    label: &str,
    n: usize,
    mut prepare: impl FnMut(bool) -> I,
    mut op: impl FnMut(&I),
) -> (f64, f64) {
    let mut classes = vec![0u8; n];
    crate::rand::fill(&mut classes);
    let mut times = Vec::with_capacity(n);
    for c in &classes {
        let fixed = c & 1 == 0;
        let input = prepare(fixed);
        let t = Instant::now();
        op(&input);
        times.push((fixed, t.elapsed().as_nanos() as f64));
    }
    let split = |limit: f64| -> (Vec<f64>, Vec<f64>) {
        let fixed = times.iter().filter(|(f, t)| *f && *t <= limit).map(|x| x.1);
        let random = times
            .iter()
            .filter(|(f, t)| !*f && *t <= limit)
            .map(|x| x.1);
        (fixed.collect(), random.collect())
    };
    let (fa, ra) = split(f64::MAX);
    let mut sorted: Vec<f64> = times.iter().map(|x| x.1).collect();
    sorted.sort_by(f64::total_cmp);
    let p90 = sorted[sorted.len() * 9 / 10];
    let (fc, rc) = split(p90);
    let (t_all, t_crop) = (welch_t(&fa, &ra), welch_t(&fc, &rc));
    let mean = |x: &[f64]| x.iter().sum::<f64>() / x.len() as f64;
    println!(
        "dudect {label}: {n} samples ({} fixed / {} random), t = {t_all:.2} (all), {t_crop:.2} (< p90 = {p90:.0} ns); means {:.0} / {:.0} ns",
        fa.len(),
        ra.len(),
        mean(&fa),
        mean(&ra)
    );
    (t_all, t_crop)
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    crate::rand::fill(&mut b);
    b
}

fn check(label: &str, (t_all, t_crop): (f64, f64)) {
    assert!(
        t_all.abs() < 4.5 && t_crop.abs() < 4.5,
        "{label}: timing depends on the input class (t = {t_all:.2} / {t_crop:.2})"
    );
}

/// P-256 signing, fixed vs random message digest (same key).
#[test]
#[ignore = "timing-leak check: minutes of CPU"]
fn dudect_p256_sign_digest() {
    let key = SigningKey::from_bytes(&random_bytes::<32>()).expect("key");
    let fixed = [0x5au8; 32];
    let r = measure(
        "P-256 sign, fixed vs random digest",
        samples(200_000),
        |f| if f { fixed } else { random_bytes::<32>() },
        |d| {
            std::hint::black_box(key.sign_prehash_hedged(d).expect("sign"));
        },
    );
    check("P-256 digest", r);
}

/// P-256 signing, fixed low-weight key (d = 1) vs random keys, fixed digest.
#[test]
#[ignore = "timing-leak check: minutes of CPU"]
fn dudect_p256_sign_key() {
    let mut one = [0u8; 32];
    one[31] = 1;
    let fixed = SigningKey::from_bytes(&one).expect("key");
    let pool: Vec<SigningKey> = (0..256)
        .map(|_| SigningKey::from_bytes(&random_bytes::<32>()).expect("key"))
        .collect();
    let digest = [0x5au8; 32];
    let r = measure(
        "P-256 sign, key d = 1 vs random keys",
        samples(200_000),
        |f| {
            if f {
                None
            } else {
                Some(usize::from(random_bytes::<1>()[0]))
            }
        },
        |i| {
            let k = i.map_or(&fixed, |i| &pool[i]);
            std::hint::black_box(k.sign_prehash_hedged(&digest).expect("sign"));
        },
    );
    check("P-256 key", r);
}

/// RSA-2048 CRT private operation, fixed vs random input below n.
#[test]
#[ignore = "timing-leak check: minutes of CPU"]
fn dudect_rsa2048_private_op() {
    use pkcs8::DecodePrivateKey;
    let pem = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/provider/rsa2048.key"
    ))
    .expect("key file");
    let key = RsaPrivate::new(&rsa::PrivateKey::from_pkcs8_pem(&pem).expect("key")).expect("crt");
    // Inputs with a zero top byte are below the 2048-bit modulus.
    let mut fixed = [0x01u8; 256];
    fixed[0] = 0;
    let r = measure(
        "RSA-2048 CRT private op, fixed vs random input",
        samples(100_000),
        |f| {
            if f {
                fixed
            } else {
                let mut m = [0u8; 256];
                crate::rand::fill(&mut m[1..]);
                m
            }
        },
        |m| {
            std::hint::black_box(key.private_op(m).expect("private op"));
        },
    );
    check("RSA-2048", r);
}
