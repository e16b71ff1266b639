//! Product-scanning ("Comba") Montgomery multiplication and squaring,
//! written out in straight lines for 16-limb (1024-bit) primes: the CRT
//! halves of an RSA-2048 key, where a TLS server spends its time.
//!
//! The generic loops of [`super::mont`] scan operands row by row: every
//! product goes through a `t[i+j] + a·b + carry` chain, about ten
//! instructions per 64×64-bit product. Product scanning computes one
//! output word (column) at a time and sums that column's products in a
//! three-word accumulator ([`Acc`]); the Montgomery reduction is folded in
//! (FIPS order: column `k < N` fixes the reduction multiplier `u[k]`), and
//! the square sums each cross product once, then doubles the column. Its
//! inner bounds change with the column, so LLVM keeps loops with index
//! arithmetic; written out, it compiles to about eight instructions per
//! product with no loop overhead (callgrind: 20 % fewer instructions per
//! 1024-bit exponentiation, ≈ 18 % less CPU time; BENCHMARKS.md).
//!
//! The straight-line code is in `comba16.rs`, produced by `render` in this
//! module's tests; the test `comba16_is_what_render_writes` keeps the file
//! and its generator in step (`PURESSL_REGENERATE_COMBA=1 cargo test --lib
//! comba16_is_what_render_writes` rewrites the file).
//!
//! Constant time: the code has no branches and no memory indices at all
//! beyond fixed positions; the final subtraction is masked. Like the
//! generic loops' scratch space, the stack temporaries (reduction
//! multipliers `u`) are overwritten by the next call rather than wiped on
//! every call: wiping them cost about 10 % here.

/// All ones if `bit` is 1, zero if it is 0, hidden from the optimiser so it
/// cannot turn the masked selections that follow into branches. (Here, in
/// the leaf kernel module, so that `mont` → `comba16` → `comba` has no way
/// back.)
#[inline(always)]
pub(super) fn mask_from_bit(bit: u64) -> u64 {
    core::hint::black_box(0u64.wrapping_sub(bit & 1))
}

/// A column sum: three little-endian words.
#[derive(Default, Clone, Copy)]
pub(super) struct Acc {
    pub(super) lo: u64,
    pub(super) mid: u64,
    pub(super) hi: u64,
}

impl Acc {
    /// `self += a·b`.
    #[inline(always)]
    pub(super) fn add(&mut self, a: u64, b: u64) {
        let p = u128::from(a) * u128::from(b);
        let t = u128::from(self.lo) + u128::from(p as u64);
        self.lo = t as u64;
        let t2 = u128::from(self.mid) + (p >> 64) + (t >> 64);
        self.mid = t2 as u64;
        self.hi = self.hi.wrapping_add((t2 >> 64) as u64);
    }

    /// `self += 2·s` (`s` below `2^191`: at most a column of products).
    #[inline(always)]
    pub(super) fn add_doubled(&mut self, s: &Acc) {
        let hi = (s.hi << 1) | (s.mid >> 63);
        let mid = (s.mid << 1) | (s.lo >> 63);
        let lo = s.lo << 1;
        let t = u128::from(self.lo) + u128::from(lo);
        self.lo = t as u64;
        let t2 = u128::from(self.mid) + u128::from(mid) + (t >> 64);
        self.mid = t2 as u64;
        self.hi = self.hi.wrapping_add(hi).wrapping_add((t2 >> 64) as u64);
    }

    /// Takes the low word out (the column's result), moving on a column.
    #[inline(always)]
    pub(super) fn shift(&mut self) -> u64 {
        let lo = self.lo;
        self.lo = self.mid;
        self.mid = self.hi;
        self.hi = 0;
        lo
    }

    /// Reduction step of a low column: `u = lo·(−m⁻¹) mod 2⁶⁴`, adds
    /// `u·m0` (which clears the low word) and moves on; returns `u`.
    #[inline(always)]
    pub(super) fn reduce_step(&mut self, m0: u64, m0inv: u64) -> u64 {
        let u = self.lo.wrapping_mul(m0inv);
        self.add(u, m0);
        self.shift();
        u
    }
}

/// `t ← t − m` if `top·2^(64N) + t ≥ m`, else `t` (the input is below
/// `2m`): the difference is always computed and kept or dropped by mask.
#[inline(always)]
pub(super) fn final_sub<const N: usize>(t: &mut [u64; N], top: u64, m: &[u64; N]) {
    let mut d = [0u64; N];
    let mut borrow = 0u64;
    for ((d, &x), &y) in d.iter_mut().zip(t.iter()).zip(m) {
        let w = u128::from(x)
            .wrapping_sub(u128::from(y))
            .wrapping_sub(u128::from(borrow));
        *d = w as u64;
        borrow = (w >> 127) as u64;
    }
    // Keep t exactly when t < m and nothing overflowed.
    let keep = mask_from_bit(borrow & !top);
    for (x, &y) in t.iter_mut().zip(&d) {
        *x = (*x & keep) | (y & !keep);
    }
}

#[cfg(test)]
mod tests {
    use super::super::comba16;
    use super::super::mont::Modulus;

    /// The source of `comba16.rs` for `n` limbs.
    fn render(n: usize) -> String {
        let mut s = String::new();
        let mut line = |l: &str| {
            s.push_str(l);
            s.push('\n');
        };
        let products = |terms: &[(String, String)], acc: &str| -> String {
            let calls: Vec<String> = terms
                .iter()
                .map(|(x, y)| format!("{acc}.add({x}, {y});"))
                .collect();
            format!("    {}", calls.join(" "))
        };
        let reduction_terms = |k: usize| -> Vec<(String, String)> {
            let range = if k < n { 0..k } else { k + 1 - n..n };
            range
                .map(|i| (format!("u[{i}]"), format!("m[{}]", k - i)))
                .collect()
        };
        let column_end = |k: usize| {
            if k < n {
                format!("    u[{k}] = acc.reduce_step(m[0], m0inv);")
            } else {
                format!("    t[{}] = acc.shift();", k - n)
            }
        };
        line(&format!(
            "//! Montgomery multiplication and squaring for {n}-limb moduli, written\n\
             //! out column by column (see `comba.rs`). Generated by `render({n})` in\n\
             //! `comba.rs`'s tests: do not edit by hand.\n\
             \n\
             use super::comba::{{final_sub, Acc}};\n\
             \n\
             /// `a·b·R⁻¹ mod m` (`a < R`, `b < m`), fully reduced.\n\
             #[inline(never)]\n\
             pub(super) fn mul(a: &[u64; {n}], b: &[u64; {n}], m: &[u64; {n}], m0inv: u64) -> [u64; {n}] {{\n\
             \x20   let mut u = [0u64; {n}];\n\
             \x20   let mut t = [0u64; {n}];\n\
             \x20   let mut acc = Acc::default();"
        ));
        for k in 0..2 * n - 1 {
            let lo = (k + 1).saturating_sub(n);
            let ab: Vec<(String, String)> = (lo..=k.min(n - 1))
                .map(|i| (format!("a[{i}]"), format!("b[{}]", k - i)))
                .collect();
            let um = reduction_terms(k);
            let mut terms = Vec::new();
            for x in 0..ab.len().max(um.len()) {
                terms.extend(ab.get(x).cloned());
                terms.extend(um.get(x).cloned());
            }
            line(&products(&terms, "acc"));
            line(&column_end(k));
        }
        let tail = format!(
            "    t[{}] = acc.lo;\n    final_sub(&mut t, acc.mid, m);\n    t\n}}",
            n - 1
        );
        line(&tail);
        line(&format!(
            "\n/// `a²·R⁻¹ mod m` (`a < m`), fully reduced.\n\
             #[inline(never)]\n\
             pub(super) fn sqr(a: &[u64; {n}], m: &[u64; {n}], m0inv: u64) -> [u64; {n}] {{\n\
             \x20   let mut u = [0u64; {n}];\n\
             \x20   let mut t = [0u64; {n}];\n\
             \x20   let mut acc = Acc::default();"
        ));
        for k in 0..2 * n - 1 {
            let lo = (k + 1).saturating_sub(n);
            let cross: Vec<(String, String)> = (lo..=k.min(n - 1))
                .filter(|&i| i < k - i)
                .map(|i| (format!("a[{i}]"), format!("a[{}]", k - i)))
                .collect();
            if !cross.is_empty() {
                line(&format!(
                    "    let mut s = Acc::default(); {} acc.add_doubled(&s);",
                    products(&cross, "s").trim_start()
                ));
            }
            if k % 2 == 0 {
                line(&format!("    acc.add(a[{0}], a[{0}]);", k / 2));
            }
            let um = reduction_terms(k);
            if !um.is_empty() {
                line(&products(&um, "acc"));
            }
            line(&column_end(k));
        }
        line(&tail);
        s
    }

    #[test]
    fn comba16_is_what_render_writes() {
        let want = render(16);
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/crypto/pkey/rsa_private/comba16.rs"
        );
        if std::env::var_os("PURESSL_REGENERATE_COMBA").is_some() {
            std::fs::write(path, &want).expect("write comba16.rs");
        }
        let have = std::fs::read_to_string(path).expect("read comba16.rs");
        assert!(
            have == want,
            "comba16.rs differs from render(16): regenerate it"
        );
    }

    fn rand_limbs(seed: &mut u64) -> [u64; 16] {
        let mut out = [0u64; 16];
        for w in out.iter_mut() {
            // xorshift64*: test data only.
            *seed ^= *seed >> 12;
            *seed ^= *seed << 25;
            *seed ^= *seed >> 27;
            *w = seed.wrapping_mul(0x2545_f491_4f6c_dd1d);
        }
        out
    }

    /// The straight-line code against the generic loops, for moduli of
    /// full width, with high zero limbs (small primes padded to 16 limbs)
    /// and with all-ones high limbs, on 0, 1, m − 1, R − 1 (first factor
    /// only) and random operands.
    #[test]
    fn comba16_matches_generic_loops() {
        let mut seed = 0x0005_eed0_fc04_ba16_u64;
        for round in 0..60 {
            let mut m = rand_limbs(&mut seed);
            m[0] |= 1;
            match round % 4 {
                0 => m[15] |= 1 << 63,
                1 => m[15] = u64::MAX,
                2 => {
                    // 1023-bit, then shorter moduli with zero high limbs.
                    m[15] = (m[15] >> 1) | (1 << 62);
                }
                _ => {
                    let top = 1 + round % 15;
                    for w in m.iter_mut().skip(top) {
                        *w = 0;
                    }
                }
            }
            let md = Modulus::new(m).expect("odd modulus");
            let (m, m0inv) = (md.modulus(), md.m0inv());
            let mut m_minus_1 = *m;
            m_minus_1[0] -= 1;
            let mut one = [0u64; 16];
            one[0] = 1;
            let mut ops = vec![[0u64; 16], one, m_minus_1];
            for _ in 0..3 {
                ops.push(md.to_mont(&rand_limbs(&mut seed)));
            }
            for a in &ops {
                assert_eq!(comba16::sqr(a, m, m0inv), md.sqr_generic(a), "sqr");
                for b in &ops {
                    assert_eq!(comba16::mul(a, b, m, m0inv), md.mul_generic(a, b), "mul");
                }
                // a may be anything below R when b < m.
                let r_minus_1 = [u64::MAX; 16];
                assert_eq!(
                    comba16::mul(&r_minus_1, a, m, m0inv),
                    md.mul_generic(&r_minus_1, a),
                    "mul by R − 1"
                );
            }
        }
    }
}
