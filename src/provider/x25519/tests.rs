//! Known-answer tests: RFC 7748 §5.2 (two vectors, the iterated test) and
//! §6.1 (Diffie-Hellman), plus agreement of the comb-based public key with
//! the ladder and x25519-dalek on random keys. Wycheproof's X25519 set runs
//! in `tests/wycheproof.rs`.

use super::*;

/// The u-coordinate of the base point.
const BASE_POINT: [u8; 32] = {
    let mut b = [0u8; 32];
    b[0] = 9;
    b
};

/// 64 hex digits to 32 bytes (also used by the kx tests).
pub(crate) fn unhex32(s: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex");
    }
    out
}

#[test]
fn rfc7748_section_5_2_vectors() {
    let cases = [
        (
            "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
            "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
            "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
        ),
        // The u-coordinate has its top bit set: it must be ignored.
        (
            "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
            "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
            "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957",
        ),
    ];
    for (k, u, out) in cases {
        assert_eq!(x25519(&unhex32(k), &unhex32(u)), unhex32(out));
    }
}

/// The iterated test: k = u = 9, then (k, u) = (X25519(k, u), k).
fn iterate(n: u32) -> [u8; 32] {
    let (mut k, mut u) = (BASE_POINT, BASE_POINT);
    for _ in 0..n {
        let next = x25519(&k, &u);
        u = k;
        k = next;
    }
    k
}

#[test]
fn rfc7748_iterated_1_and_1000() {
    assert_eq!(
        iterate(1),
        unhex32("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079")
    );
    assert_eq!(
        iterate(1000),
        unhex32("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51")
    );
}

/// The million-iteration variant (about a minute): `cargo test --release
/// --lib x25519 -- --ignored`.
#[test]
#[ignore = "slow: one million scalar multiplications"]
fn rfc7748_iterated_1_000_000() {
    assert_eq!(
        iterate(1_000_000),
        unhex32("7c3911e0ab2586fd864497297e575e6f3bc601c0883c30df5f4dd2d24f887424")
    );
}

#[test]
fn rfc7748_section_6_1_diffie_hellman() {
    let alice = Secret::from_bytes(unhex32(
        "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
    ));
    let bob = Secret::from_bytes(unhex32(
        "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
    ));
    let alice_pub = unhex32("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    let bob_pub = unhex32("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    assert_eq!(alice.public_key(), alice_pub);
    assert_eq!(bob.public_key(), bob_pub);
    // The ladder on the base point gives the same public keys.
    assert_eq!(x25519(&alice.0, &BASE_POINT), alice_pub);
    assert_eq!(x25519(&bob.0, &BASE_POINT), bob_pub);
    let shared = unhex32("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    assert_eq!(alice.diffie_hellman(&bob_pub), Some(shared));
    assert_eq!(bob.diffie_hellman(&alice_pub), Some(shared));
}

#[test]
fn random_keys_agree_with_the_ladder_and_dalek() {
    for _ in 0..32 {
        let a = Secret::random().expect("rng");
        let b = Secret::random().expect("rng");
        let a_pub = a.public_key();
        assert_eq!(x25519(&a.0, &BASE_POINT), a_pub);
        let shared = b.diffie_hellman(&a_pub).expect("contributory");
        assert_eq!(a.diffie_hellman(&b.public_key()), Some(shared));
        let dalek = x25519_dalek::StaticSecret::from(b.0)
            .diffie_hellman(&x25519_dalek::PublicKey::from(a_pub));
        assert_eq!(dalek.as_bytes(), &shared);
    }
}

#[test]
fn small_order_points_give_no_secret() {
    let k = Secret::random().expect("rng");
    // u = 0, u = 1, u = p - 1 (order 4 / 1 / 2 points), and p + 1 (= 1,
    // non-canonical): every one makes the shared secret zero.
    let mut p_minus_1 = [0xffu8; 32];
    p_minus_1[0] = 0xec;
    p_minus_1[31] = 0x7f;
    let mut p_plus_1 = p_minus_1;
    p_plus_1[0] = 0xee;
    let mut one = [0u8; 32];
    one[0] = 1;
    for u in [[0u8; 32], one, p_minus_1, p_plus_1] {
        assert_eq!(x25519(&k.0, &u), [0u8; 32]);
        assert_eq!(k.diffie_hellman(&u), None);
    }
}

#[test]
fn non_canonical_u_reduces_mod_p() {
    // u = p + 9 (< 2^255) is the base point again.
    let mut p_plus_9 = [0xffu8; 32];
    p_plus_9[0] = 0xf6;
    p_plus_9[31] = 0x7f;
    let k = Secret::random().expect("rng");
    assert_eq!(x25519(&k.0, &p_plus_9), k.public_key());
    // And the top bit is ignored.
    let mut high = BASE_POINT;
    high[31] |= 0x80;
    assert_eq!(x25519(&k.0, &high), k.public_key());
}

/// Interleaved A/B, best of 30 rounds of 200 calls, wall time per call:
/// the ladder against x25519-dalek's, and the two ways to a public key.
/// `taskset -c 1 cargo test --release --lib x25519::tests::timing -- --ignored --nocapture`
#[test]
#[ignore = "timing only"]
fn timing_ladder_and_keygen() {
    use std::time::Instant;
    fn best(mut f: impl FnMut()) -> f64 {
        let t = Instant::now();
        for _ in 0..200 {
            f();
        }
        t.elapsed().as_secs_f64() * 1e6 / 200.0
    }
    let k = Secret::random().expect("rng");
    let peer = Secret::random().expect("rng").public_key();
    let dk = x25519_dalek::StaticSecret::from(k.0);
    let dpeer = x25519_dalek::PublicKey::from(peer);
    let mut r = [f64::MAX; 4];
    for _ in 0..30 {
        r[0] = r[0].min(best(|| {
            std::hint::black_box(x25519(std::hint::black_box(&k.0), &peer));
        }));
        r[1] = r[1].min(best(|| {
            std::hint::black_box(std::hint::black_box(&dk).diffie_hellman(&dpeer));
        }));
        r[2] = r[2].min(best(|| {
            std::hint::black_box(x25519(std::hint::black_box(&k.0), &BASE_POINT));
        }));
        r[3] = r[3].min(best(|| {
            std::hint::black_box(public_key(std::hint::black_box(&k.0)));
        }));
    }
    println!(
        "X25519 DH: fiat ladder {:.1} us, x25519-dalek {:.1} us; keygen: ladder on 9 {:.1} us, Edwards comb {:.1} us",
        r[0], r[1], r[2], r[3]
    );
}

#[inline(never)]
fn cg_ours(k: &[u8; 32], u: &[u8; 32]) -> [u8; 32] {
    x25519(k, u)
}
#[inline(never)]
fn cg_dalek(k: &x25519_dalek::StaticSecret, u: &x25519_dalek::PublicKey) -> [u8; 32] {
    k.diffie_hellman(u).to_bytes()
}
#[inline(never)]
fn cg_comb(k: &[u8; 32]) -> [u8; 32] {
    public_key(k)
}

/// For `valgrind --tool=callgrind` (inclusive instruction counts of the
/// `cg_*` functions): 10 calls of each.
#[test]
#[ignore = "instruction counts only"]
fn callgrind_x25519() {
    let k = Secret::random().expect("rng");
    let peer = Secret::random().expect("rng").public_key();
    let dk = x25519_dalek::StaticSecret::from(k.0);
    let dpeer = x25519_dalek::PublicKey::from(peer);
    for _ in 0..10 {
        std::hint::black_box(cg_ours(std::hint::black_box(&k.0), &peer));
        std::hint::black_box(cg_dalek(std::hint::black_box(&dk), &dpeer));
        std::hint::black_box(cg_comb(std::hint::black_box(&k.0)));
    }
}
