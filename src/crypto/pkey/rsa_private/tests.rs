//! Tests of the fast RSA private operation: byte-identical PKCS#1 v1.5
//! signatures against the `rsa` crate and `openssl dgst`, PSS verified by
//! both, the fault check and the blinding refresh.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use pkcs8::DecodePrivateKey;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};

use super::*;

const DATA: &[u8] = b"puressl fast RSA signing test message";

fn tmp(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("puressl-rsafast-{}-{n}-{name}", std::process::id()))
}

fn openssl(args: &[&str]) -> std::process::Output {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A PKCS#8 PEM key file and the key loaded by the `rsa` crate.
struct TestKey {
    path: PathBuf,
    key: rsa::PrivateKey,
}

fn load(path: &Path) -> TestKey {
    let pem = std::fs::read_to_string(path).expect("key file");
    TestKey {
        path: path.to_path_buf(),
        key: rsa::PrivateKey::from_pkcs8_pem(&pem).expect("PKCS#8 RSA key"),
    }
}

fn data_key(name: &str) -> TestKey {
    load(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/provider")
            .join(name),
    )
}

/// Keys of other sizes, generated once by `openssl genpkey` per test binary.
fn generated(bits: usize) -> &'static TestKey {
    static KEYS: OnceLock<Vec<(usize, TestKey)>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        std::thread::scope(|s| {
            let jobs: Vec<_> = [1536usize, 2047, 3072, 4096]
                .into_iter()
                .map(|b| {
                    s.spawn(move || {
                        let path = tmp(&format!("rsa{b}.pem"));
                        let bits = format!("rsa_keygen_bits:{b}");
                        let out = path.to_str().expect("utf-8 path");
                        openssl(&[
                            "genpkey",
                            "-algorithm",
                            "RSA",
                            "-pkeyopt",
                            &bits,
                            "-out",
                            out,
                        ]);
                        (b, load(&path))
                    })
                })
                .collect();
            jobs.into_iter()
                .map(|j| j.join().expect("keygen"))
                .collect()
        })
    });
    &keys
        .iter()
        .find(|(b, _)| *b == bits)
        .expect("generated size")
        .1
}

fn all_keys() -> Vec<&'static TestKey> {
    static FILES: OnceLock<[TestKey; 2]> = OnceLock::new();
    let files = FILES.get_or_init(|| [data_key("rsa1024.key"), data_key("rsa2048.key")]);
    let mut keys: Vec<&TestKey> = files.iter().collect();
    keys.extend([1536, 2047, 3072, 4096].map(generated));
    keys
}

fn openssl_sign(key: &TestKey, md: &str, extra: &[&str]) -> Vec<u8> {
    let data = tmp("data");
    std::fs::write(&data, DATA).expect("write data");
    let mut args = vec!["dgst", md, "-sign", key.path.to_str().expect("path")];
    args.extend_from_slice(extra);
    args.push(data.to_str().expect("path"));
    let out = openssl(&args);
    let _ = std::fs::remove_file(&data);
    out.stdout
}

fn openssl_verify_pss(key: &TestKey, md: &str, salt: usize, sig: &[u8]) -> bool {
    let (data, sigf) = (tmp("data"), tmp("sig"));
    std::fs::write(&data, DATA).expect("write data");
    std::fs::write(&sigf, sig).expect("write sig");
    let salt = format!("rsa_pss_saltlen:{salt}");
    let out = Command::new("openssl")
        .args(["dgst", md, "-prverify", key.path.to_str().expect("path")])
        .args(["-sigopt", "rsa_padding_mode:pss", "-sigopt", &salt])
        .args([
            "-signature",
            sigf.to_str().expect("path"),
            data.to_str().expect("path"),
        ])
        .output()
        .expect("run openssl");
    let _ = std::fs::remove_file(&data);
    let _ = std::fs::remove_file(&sigf);
    out.status.success() && out.stdout.starts_with(b"Verified OK")
}

/// The `rsa` crate's (unblinded, deterministic) PKCS#1 v1.5 signature.
fn reference_pkcs1(key: &rsa::PrivateKey, md: MessageDigest, hash: &[u8]) -> Vec<u8> {
    use rsa::Pkcs1v15Sign;
    let padding = match md {
        MessageDigest::Md5 => Pkcs1v15Sign::new::<md5::Md5>(),
        MessageDigest::Sha1 => Pkcs1v15Sign::new::<sha1::Sha1>(),
        MessageDigest::Sha224 => Pkcs1v15Sign::new::<sha2::Sha224>(),
        MessageDigest::Sha256 => Pkcs1v15Sign::new::<sha2::Sha256>(),
        MessageDigest::Sha384 => Pkcs1v15Sign::new::<sha2::Sha384>(),
        MessageDigest::Sha512 => Pkcs1v15Sign::new::<sha2::Sha512>(),
    };
    key.sign(padding, hash).expect("rsa crate signs")
}

/// The `rsa` crate's PSS verification with salt length `salt`.
fn reference_pss_verify(
    key: &rsa::PublicKey,
    md: MessageDigest,
    salt: usize,
    hash: &[u8],
    sig: &[u8],
) -> bool {
    use rsa::pss::Pss;
    match md {
        MessageDigest::Sha256 => key.verify(Pss::<sha2::Sha256>::new_with_salt(salt), hash, sig),
        MessageDigest::Sha384 => key.verify(Pss::<sha2::Sha384>::new_with_salt(salt), hash, sig),
        MessageDigest::Sha512 => key.verify(Pss::<sha2::Sha512>::new_with_salt(salt), hash, sig),
        _ => return false,
    }
    .is_ok()
}

fn fast(key: &TestKey) -> RsaPrivate {
    RsaPrivate::new(&key.key).expect("two-prime key")
}

#[test]
fn pkcs1v15_identical_to_rsa_crate_and_openssl() {
    for tk in all_keys() {
        let k = fast(tk);
        assert_eq!(k.bits(), tk.key.n().bit_width_vartime() as usize);
        for md in MessageDigest::ALL {
            let hash = md.hash(DATA);
            let ours = k.sign_pkcs1v15(md, &hash).expect("sign");
            let theirs = reference_pkcs1(&tk.key, md, &hash);
            assert_eq!(ours, theirs, "{} bits, {md}", k.bits());
            if md == MessageDigest::Sha256 || md == MessageDigest::Sha1 {
                let want = openssl_sign(tk, &format!("-{}", md.name()), &[]);
                assert_eq!(ours, want, "openssl {} bits, {md}", k.bits());
            }
        }
    }
}

#[test]
fn pss_verifies_with_rsa_crate_and_openssl() {
    for tk in all_keys() {
        let k = fast(tk);
        let public = tk.key.to_public_key();
        for md in [
            MessageDigest::Sha256,
            MessageDigest::Sha384,
            MessageDigest::Sha512,
        ] {
            let hash = md.hash(DATA);
            let salt = md.size();
            if k.size() < 2 * md.size() + 2 {
                assert_eq!(k.sign_pss(md, &hash, salt), Err(RsaError::KeyTooSmall));
                continue;
            }
            let sig = k.sign_pss(md, &hash, salt).expect("sign");
            assert_eq!(sig.len(), k.size());
            assert!(
                reference_pss_verify(&public, md, salt, &hash, &sig),
                "rsa crate PSS verify {} bits {md}",
                k.bits()
            );
            let name = format!("-{}", md.name());
            assert!(
                openssl_verify_pss(tk, &name, salt, &sig),
                "openssl PSS verify {} bits {md}",
                k.bits()
            );
            // Two signatures differ (random salt) and a wrong salt length fails.
            assert_ne!(sig, k.sign_pss(md, &hash, salt).expect("sign"));
            assert!(!openssl_verify_pss(tk, &name, salt + 1, &sig));
        }
        // Salt lengths other than the hash length (crypto::sign's new_with_salt).
        let hash = MessageDigest::Sha256.hash(DATA);
        for salt in [0, 20, 64] {
            let sig = k
                .sign_pss(MessageDigest::Sha256, &hash, salt)
                .expect("sign");
            assert!(reference_pss_verify(
                &public,
                MessageDigest::Sha256,
                salt,
                &hash,
                &sig
            ));
        }
    }
}

#[test]
fn corrupted_crt_parameter_fails_the_fault_check() {
    let tk = data_key("rsa2048.key");
    let key = &tk.key;
    let [p, q] = key.primes() else {
        panic!("two primes")
    };
    let one = BoxedUint::one();
    let p1 = NonZero::new(p.as_ref().wrapping_sub(&one)).expect("p > 1");
    let q1 = NonZero::new(q.as_ref().wrapping_sub(&one)).expect("q > 1");
    let dp = key.d().rem(&p1);
    let dq = key.d().rem(&q1);
    let qinv = q
        .as_ref()
        .rem(p.as_nz_ref())
        .invert_odd_mod(p)
        .expect("coprime");
    let hash = MessageDigest::Sha256.hash(DATA);
    let good = RsaPrivate::from_parts(key.n(), key.e(), p, q, &dp, &dq, &qinv).expect("key");
    let want = reference_pkcs1(key, MessageDigest::Sha256, &hash);
    assert_eq!(good.sign_pkcs1v15(MessageDigest::Sha256, &hash), Ok(want));

    let bad_dp = dp.wrapping_add(BoxedUint::from(2u64));
    let bad = RsaPrivate::from_parts(key.n(), key.e(), p, q, &bad_dp, &dq, &qinv).expect("key");
    assert_eq!(
        bad.sign_pkcs1v15(MessageDigest::Sha256, &hash),
        Err(RsaError::Fault)
    );
    let bad_qinv = qinv.wrapping_add(&one);
    let bad = RsaPrivate::from_parts(key.n(), key.e(), p, q, &dp, &dq, &bad_qinv).expect("key");
    assert_eq!(
        bad.sign_pss(MessageDigest::Sha256, &hash, 32),
        Err(RsaError::Fault)
    );
    assert!(RsaError::Fault.to_string().contains("consistency check"));
}

#[test]
fn blinding_refresh_keeps_signatures_right() {
    let tk = data_key("rsa1024.key");
    let k = fast(&tk);
    let hash = MessageDigest::Sha256.hash(DATA);
    let want = reference_pkcs1(&tk.key, MessageDigest::Sha256, &hash);
    // Three full generations of the blinding pair, squared in between.
    for i in 0..3 * BLINDING_REUSE + 5 {
        assert_eq!(
            k.sign_pkcs1v15(MessageDigest::Sha256, &hash).as_ref(),
            Ok(&want),
            "use {i}"
        );
    }
}

#[test]
fn bad_inputs_are_errors() {
    let tk = data_key("rsa1024.key");
    let k = fast(&tk);
    let n = tk.key.n().to_be_bytes_trimmed_vartime();
    assert_eq!(k.private_op(&n), Err(RsaError::InputTooLarge));
    assert_eq!(k.private_op(&[0xff; 129]), Err(RsaError::InputTooLarge));
    assert_eq!(k.private_op(&[0xff; 200]), Err(RsaError::InputTooLarge));
    assert_eq!(
        k.sign_pkcs1v15(MessageDigest::Sha256, &[0; 31]),
        Err(RsaError::HashLength {
            expected: 32,
            got: 31
        })
    );
    assert_eq!(
        k.sign_pss(MessageDigest::Sha512, &[0; 64], 64),
        Err(RsaError::KeyTooSmall)
    );
    // 0 and 1 are their own d-th powers.
    assert_eq!(k.private_op(&[0]).expect("zero")[127], 0);
    let one = k.private_op(&[1]).expect("one");
    assert_eq!(one[127], 1);
    assert!(one[..127].iter().all(|&b| b == 0));
}

#[test]
fn limb_conversions_round_trip() {
    let bytes: Vec<u8> = (1..=21).collect();
    let limbs = be_to_limbs(&bytes, 3).expect("fits");
    assert_eq!(limbs_to_be(&limbs, 21), bytes);
    assert_eq!(be_to_limbs(&bytes, 2), None);
    assert!(less_than(&[1, 2], &[2, 2]));
    assert!(!less_than(&[2, 2], &[2, 2]));
    assert!(!less_than(&[0, 3], &[5, 2]));
}

#[test]
fn keys_without_precomputed_crt_values_sign_the_same() {
    let tk = data_key("rsa2048.key");
    let hash = MessageDigest::Sha384.hash(DATA);
    let want = reference_pkcs1(&tk.key, MessageDigest::Sha384, &hash);
    let mut bare = tk.key.clone();
    bare.clear_precomputed();
    assert!(bare.dp().is_none());
    let k = RsaPrivate::new(&bare).expect("two-prime key");
    assert_eq!(k.sign_pkcs1v15(MessageDigest::Sha384, &hash), Ok(want));
}

/// This thread's CPU time in nanoseconds (Linux schedstat); also used by
/// the timing tests of `pow`.
pub(super) fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// CPU time per RSA-2048 PSS-SHA256 signature, ours and the `rsa` crate's:
/// `taskset -c 1 cargo test --release --lib rsa_private::tests::timing -- --ignored --nocapture`
#[test]
#[ignore = "timing only"]
fn timing_rsa2048_sign() {
    let tk = data_key("rsa2048.key");
    let k = fast(&tk);
    let hash = MessageDigest::Sha256.hash(DATA);
    let rounds = 200;
    let t0 = cpu_ns();
    for _ in 0..rounds {
        k.sign_pss(MessageDigest::Sha256, &hash, 32).expect("sign");
    }
    let ours = (cpu_ns() - t0) / rounds;
    let mut rng = crate::rand::Rng;
    let t0 = cpu_ns();
    for _ in 0..rounds / 4 {
        tk.key
            .sign_with_rng(&mut rng, rsa::pss::Pss::<sha2::Sha256>::new(), &hash)
            .expect("sign");
    }
    let theirs = (cpu_ns() - t0) / (rounds / 4);
    println!("RSA-2048 PSS-SHA256 sign, CPU time: puressl {ours} ns, rsa crate {theirs} ns");
}

/// `bytes − k` for a big-endian number `bytes ≥ k`.
fn sub_small(bytes: &[u8], k: u8) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let mut borrow = u16::from(k);
    for b in out.iter_mut().rev() {
        let v = u16::from(*b).wrapping_sub(borrow);
        *b = v as u8;
        borrow = u16::from(v > 0xff);
    }
    out
}

/// The raw private operation on edge inputs (0, 1, 2, n − 1, n − 2, the
/// top bit alone, all ones below the top byte) and a random one, for every
/// key size (1024, 1536, 2047, 2048, 3072, 4096 bits), against the `rsa`
/// crate's own `m^d mod n`; 0, 1 and n − 1 (= −1, d odd) map to themselves.
#[test]
fn raw_private_op_edge_inputs_match_rsa_crate() {
    for tk in all_keys() {
        let k = fast(tk);
        let size = k.size();
        let n = tk.key.n().as_ref().to_be_bytes();
        let n = &n[n.len() - size..];
        let mut top_bit = vec![0u8; size];
        top_bit[0] = 1 << ((k.bits() - 1) % 8);
        let mut ones = vec![0xffu8; size];
        ones[0] = 0;
        let mut random = vec![0u8; size];
        crate::rand::fill(&mut random[1..]);
        let inputs = [
            vec![0u8],
            vec![1u8],
            vec![2u8],
            sub_small(n, 1),
            sub_small(n, 2),
            top_bit,
            ones,
            random,
        ];
        for (i, m) in inputs.iter().enumerate() {
            let got = k.private_op(m).expect("private op");
            assert_eq!(got.len(), size);
            let c = BoxedUint::from_be_slice(m, tk.key.n().as_ref().bits_precision())
                .expect("input fits");
            let want = rsa::hazmat::rsa_decrypt(None::<&mut crate::rand::Rng>, &tk.key, &c)
                .expect("rsa crate private op")
                .to_be_bytes();
            assert_eq!(
                got[..],
                want[want.len() - size..],
                "{} bits, input {i}",
                k.bits()
            );
            if i < 2 || i == 3 {
                let mut padded = vec![0u8; size - m.len()];
                padded.extend_from_slice(m);
                assert_eq!(
                    got,
                    padded,
                    "{} bits: input {i} is its own d-th power",
                    k.bits()
                );
            }
        }
    }
}
