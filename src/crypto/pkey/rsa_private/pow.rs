//! Constant-time modular exponentiation with a secret exponent.
//!
//! Fixed 5-bit windows over all `64·N` exponent bits (the limb width of the
//! modulus, never the exponent's own bit length): every call does the same
//! squarings and multiplications whatever the exponent. Each window's table
//! entry is fetched by reading all 32 entries and keeping the wanted one with
//! a mask, so no memory address depends on exponent bits.

use zeroize::Zeroize;

use super::comba::mask_from_bit;
use super::mont::Modulus;

/// Window width in bits.
const WINDOW: usize = 5;
/// Table entries: `x^0 … x^31`.
const TABLE: usize = 1 << WINDOW;

/// The `WINDOW` exponent bits starting at bit `pos` (public position).
#[inline(always)]
fn window<const N: usize>(exp: &[u64; N], pos: usize) -> usize {
    let limb = pos / 64;
    let shift = pos % 64;
    let mut v = exp.get(limb).map_or(0, |w| w >> shift);
    if shift + WINDOW > 64 {
        v |= exp.get(limb + 1).map_or(0, |w| w << (64 - shift));
    }
    (v as usize) & (TABLE - 1)
}

/// `table[idx]`, reading every entry (masked selection).
#[inline(always)]
fn select<const N: usize>(table: &[[u64; N]; TABLE], idx: usize) -> [u64; N] {
    let mut out = [0u64; N];
    for (i, entry) in table.iter().enumerate() {
        // 1 exactly when i == idx: (x − 1) has its top bit set only for x = 0.
        let diff = (i ^ idx) as u64;
        let mask = mask_from_bit(diff.wrapping_sub(1) >> 63);
        for (o, &e) in out.iter_mut().zip(entry) {
            *o |= e & mask;
        }
    }
    out
}

/// `base^exp` in the Montgomery domain of `m`: `base` is `x·R mod m`, the
/// result `x^exp·R mod m`. Constant time in `base` and `exp`.
pub(super) fn pow_secret<const N: usize>(
    m: &Modulus<N>,
    base: &[u64; N],
    exp: &[u64; N],
) -> [u64; N] {
    let mut table = [[0u64; N]; TABLE];
    table[0] = *m.one();
    table[1] = *base;
    for i in 2..TABLE {
        table[i] = m.mul(&table[i - 1], base);
    }
    let bits = 64 * N;
    let windows = bits.div_ceil(WINDOW);
    let mut sel = select(&table, window(exp, (windows - 1) * WINDOW));
    let mut acc = sel;
    for w in (0..windows - 1).rev() {
        for _ in 0..WINDOW {
            acc = m.sqr(&acc);
        }
        sel = select(&table, window(exp, w * WINDOW));
        acc = m.mul(&acc, &sel);
    }
    table.zeroize();
    sel.zeroize();
    acc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
    use crypto_bigint::{BoxedUint, Odd};

    fn to_big<const N: usize>(x: &[u64; N]) -> BoxedUint {
        BoxedUint::from_words(x.iter().copied())
    }

    fn rand_limbs<const N: usize>(seed: &mut u64) -> [u64; N] {
        let mut out = [0u64; N];
        for w in out.iter_mut() {
            // xorshift64*: test data only.
            *seed ^= *seed >> 12;
            *seed ^= *seed << 25;
            *seed ^= *seed >> 27;
            *w = seed.wrapping_mul(0x2545_f491_4f6c_dd1d);
        }
        out
    }

    /// A random odd modulus of `N` limbs with its top bit set: its limbs,
    /// ours, and crypto-bigint's (with its Montgomery parameters).
    fn random_modulus<const N: usize>(
        s: &mut u64,
    ) -> ([u64; N], Modulus<N>, Odd<BoxedUint>, BoxedMontyParams) {
        let mut mlimbs: [u64; N] = rand_limbs(s);
        mlimbs[0] |= 1;
        mlimbs[N - 1] |= 1 << 63;
        let m = Modulus::new(mlimbs).expect("odd modulus");
        let big_m = Odd::new(to_big(&mlimbs)).expect("odd");
        let params = BoxedMontyParams::new(big_m.clone());
        (mlimbs, m, big_m, params)
    }

    /// Montgomery mul and pow against crypto-bigint for random and edge
    /// operands (0, 1, m − 1).
    fn differential<const N: usize>(seed: u64) {
        let mut s = seed;
        let (mlimbs, m, big_m, params) = random_modulus::<N>(&mut s);
        let mut m_minus_1 = mlimbs;
        m_minus_1[0] -= 1;
        let mut one = [0u64; N];
        one[0] = 1;
        let mut operands = vec![[0u64; N], one, m_minus_1];
        for _ in 0..4 {
            let r: [u64; N] = rand_limbs(&mut s);
            let r_big = to_big(&r).rem(big_m.as_nz_ref());
            let mut limbs = [0u64; N];
            limbs.copy_from_slice(r_big.as_words());
            operands.push(limbs);
        }
        for a in &operands {
            for b in &operands {
                // a·b mod m through the Montgomery domain.
                let prod = m.leave_mont(&m.mul(&m.to_mont(a), &m.to_mont(b)));
                let want = BoxedMontyForm::new(to_big(a), &params)
                    .mul(&BoxedMontyForm::new(to_big(b), &params))
                    .retrieve();
                assert_eq!(to_big(&prod), want, "mul N={N}");
                assert_eq!(m.sqr(a), m.mul(a, a), "sqr N={N}");
                let sub = m.sub(a, b);
                let want = to_big(a).sub_mod(&to_big(b), big_m.as_nz_ref());
                assert_eq!(to_big(&sub), want, "sub N={N}");
            }
            for e in &operands {
                let got = m.leave_mont(&pow_secret(&m, &m.to_mont(a), e));
                let want = BoxedMontyForm::new(to_big(a), &params)
                    .pow(&to_big(e))
                    .retrieve();
                assert_eq!(to_big(&got), want, "pow N={N}");
            }
        }
        // Double-width reduction: (hi·R + lo) mod m.
        let lo: [u64; N] = rand_limbs(&mut s);
        let hi = operands[4];
        let got = m.leave_mont(&m.wide_to_mont(&lo, &hi));
        let wide = BoxedUint::from_words(lo.iter().chain(hi.iter()).copied());
        let want = wide.rem(big_m.as_nz_ref());
        assert_eq!(to_big(&got), want, "wide reduction N={N}");
    }

    #[test]
    fn montgomery_matches_crypto_bigint() {
        differential::<1>(0x1234_5678_9abc_def1);
        differential::<4>(0x0f0f_1111_2222_3333);
        differential::<16>(0xdead_beef_cafe_f00d);
        differential::<24>(0x0123_4567_89ab_cdef);
    }

    /// Exponents with one bit set at each side of every window boundary,
    /// runs of ones across boundaries, the top bit alone and all ones: the
    /// window extraction (including windows that straddle two limbs) and the
    /// table scan against crypto-bigint, for the straight-line 16-limb code
    /// and the generic loops (24 limbs).
    fn window_edges<const N: usize>(seed: u64) {
        let mut s = seed;
        let (_, m, _, params) = random_modulus::<N>(&mut s);
        let mut x: [u64; N] = rand_limbs(&mut s);
        x[N - 1] >>= 1;
        let xm = m.to_mont(&x);
        let bits = 64 * N;
        let mut exps: Vec<[u64; N]> = Vec::new();
        let set = |e: &mut [u64; N], bit: usize| e[bit / 64] |= 1 << (bit % 64);
        // Windows at limb boundaries (where a window may straddle two limbs)
        // and at both ends of the exponent.
        let near_edge = |w: usize| w % 64 < WINDOW || w % 64 + WINDOW > 64 || w + WINDOW >= bits;
        for w in (0..bits).step_by(WINDOW).filter(|&w| near_edge(w)) {
            for bit in [w, w + WINDOW - 1] {
                if bit < bits {
                    let mut e = [0u64; N];
                    set(&mut e, bit);
                    exps.push(e);
                }
            }
            // Ones from the middle of one window into the next.
            let mut e = [0u64; N];
            for bit in w + 2..(w + WINDOW + 3).min(bits) {
                set(&mut e, bit);
            }
            exps.push(e);
        }
        exps.push([u64::MAX; N]);
        exps.push([0u64; N]);
        for e in &exps {
            let got = m.leave_mont(&pow_secret(&m, &xm, e));
            let want = BoxedMontyForm::new(to_big(&x), &params)
                .pow(&to_big(e))
                .retrieve();
            assert_eq!(to_big(&got), want, "pow N={N}, e={e:x?}");
        }
    }

    #[test]
    fn exponent_bits_at_window_boundaries() {
        window_edges::<16>(0x6a09_e667_f3bc_c908);
        window_edges::<24>(0xbb67_ae85_84ca_a73b);
    }

    #[test]
    fn small_modulus_with_padding_limbs() {
        // An odd modulus far below R = 2^128 (padded limbs).
        let m = Modulus::new([1_000_003u64, 0]).expect("odd");
        let x = m.to_mont(&[123_456, 0]);
        let got = m.leave_mont(&pow_secret(&m, &x, &[1_000_002, 0]));
        assert_eq!(got, [1, 0], "Fermat");
        assert!(Modulus::new([4u64, 0]).is_none());
        assert!(Modulus::new([1u64, 0]).is_none());
        assert!(Modulus::new([0u64; 2]).is_none());
    }
}

#[cfg(test)]
mod timing {
    use super::super::tests::cpu_ns;
    use super::*;

    /// `cargo test --release --lib pow::timing -- --ignored --nocapture`
    #[test]
    #[ignore = "timing only"]
    fn montgomery_timing() {
        let mut m = [0x9e37_79b9_7f4a_7c15u64; 16];
        m[0] |= 1;
        let md = Modulus::new(m).expect("odd");
        let mut x = md.to_mont(&[0x1234_5678; 16]);
        let t0 = cpu_ns();
        for _ in 0..100_000 {
            x = md.mul(&x, &x);
        }
        let per_mul = (cpu_ns() - t0) as f64 / 100_000.0;
        let e = [0xa5a5_5a5a_3c3c_c3c3u64; 16];
        let t0 = cpu_ns();
        for _ in 0..200 {
            x = pow_secret(&md, &x, &e);
        }
        let per_pow = (cpu_ns() - t0) as f64 / 200.0;
        println!(
            "16-limb mont mul {per_mul:.0} ns, 1024-bit pow {per_pow:.0} ns ({})",
            x[0] & 1
        );
    }
}
