//! Fixed-base scalar multiplication k·G with a precomputed comb table.
//!
//! The scalar is recoded into 52 signed radix-32 digits, d_i ∈ [-16, 16)
//! for i < 51 and d_51 ∈ {0, 1, 2}: k = Σ d_i·32^i. Row i of the table
//! holds the affine points j·32^i·G for j = 1..16, so k·G is 52 mixed
//! additions of ±row_i[|d_i|] and no doublings (the layout of
//! curve25519-dalek's `EdwardsBasepointTable`, one row per digit). The
//! table (832 points, 52 KiB) is computed at first use with this module's
//! own arithmetic.
//!
//! The secret-scalar path looks up every entry of a row with masked
//! selects and adds in Jacobian coordinates with branch-free formulas and
//! masked selects for the zero digit and the initial identity, so neither
//! timing nor memory access depends on the scalar.
//!
//! Why the mixed addition never meets its exceptional case (acc = ±q):
//! before row i the accumulator is S·G with S = Σ_{j<i} d_j·32^j, an
//! integer with |S| ≤ 16·(32^i - 1)/31 < 32^i, and the addend is
//! d·32^i·G with 1 ≤ |d| ≤ 16. acc = ±q needs S ∓ d·32^i ≡ 0 (mod n).
//! For i ≤ 50, 0 < |S ∓ d·32^i| < 17·32^i ≤ 17·2^250 < n: impossible.
//! For i = 51 (d ∈ {1, 2}), S = k - d·2^255, so it needs k ≡ 0 or
//! k ≡ d·2^256 (mod n); k ≠ 0, and d·2^256 mod n < 2^226 has top digit 0
//! (a nonzero top digit needs k ≥ 2^255 - 16·(32^51 - 1)/31 > 2^253).
//! S = 0 (the identity) is handled by selection.

use std::sync::OnceLock;

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroize;

use super::jacobian::Jacobian;
use super::point::{batch_to_affine, Affine, Projective, G};
use super::scalar::Scalar;

/// Number of rows (radix-32 digits of a 256-bit scalar).
pub(crate) const ROWS: usize = 52;
/// Multiples per row: 1·B .. 16·B.
const PER_ROW: usize = 16;

/// The precomputed multiples of G.
pub(crate) struct BaseTable {
    /// `rows[i][j] = (j + 1)·32^i·G`.
    pub(crate) rows: Vec<[Affine; PER_ROW]>,
}

/// The table, built once per process.
pub(crate) fn base_table() -> &'static BaseTable {
    static TABLE: OnceLock<BaseTable> = OnceLock::new();
    TABLE.get_or_init(build)
}

fn build() -> BaseTable {
    let mut points = Vec::with_capacity(ROWS * PER_ROW);
    let mut base = Projective::from(G);
    for _ in 0..ROWS {
        let mut p = base;
        points.push(p);
        for _ in 1..PER_ROW {
            p = p.add(&base);
            points.push(p);
        }
        // p = 16·base, so 32·base = p + p.
        base = p.add(&p);
    }
    // No point here is the identity: j·32^i < n for j ≤ 16, i < 52.
    let affine = batch_to_affine(&points);
    let rows = affine
        .chunks_exact(PER_ROW)
        .map(|chunk| {
            let mut row = [G; PER_ROW];
            row.copy_from_slice(chunk);
            row
        })
        .collect();
    BaseTable { rows }
}

/// Signed radix-32 recoding: `d[0..51]` in [-16, 16), `d[51]` in {0, 1, 2},
/// k = Σ d_i·32^i. Branch-free; positions are public.
pub(crate) fn recode(k: &Scalar) -> [i8; ROWS] {
    let mut limbs = k.to_limbs();
    let mut d = [0i8; ROWS];
    for (i, digit) in d.iter_mut().enumerate() {
        let bit = 5 * i;
        let (limb, off) = (bit / 64, bit % 64);
        let mut w = limbs[limb] >> off;
        if off > 59 && limb < 3 {
            w |= limbs[limb + 1] << (64 - off);
        }
        *digit = (w & 31) as i8;
    }
    for i in 0..ROWS - 1 {
        // d[i] ∈ [0, 32]; carry = 1 iff d[i] ≥ 16.
        let carry = (d[i] + 16) >> 5;
        d[i] -= carry << 5;
        d[i + 1] += carry;
    }
    // d[51] holds bit 255 plus a carry: at most 2, no further carry.
    limbs.zeroize();
    d
}

impl BaseTable {
    /// `|d|·32^i·G` negated when d < 0, by scanning the whole row; the flag
    /// says d = 0 (the returned point is then meaningless).
    fn select(row: &[Affine; PER_ROW], d: i8) -> (Affine, Choice) {
        let sign = (d as u8) >> 7; // 1 when negative
        let mask = 0u8.wrapping_sub(sign) as i8;
        let abs = ((d ^ mask).wrapping_sub(mask)) as u8; // |d| ∈ [0, 16]
        let mut out = row[0];
        for (j, p) in row.iter().enumerate() {
            out.conditional_assign(p, abs.ct_eq(&(j as u8 + 1)));
        }
        out.conditional_negate(Choice::from(sign));
        (out, abs.ct_eq(&0))
    }

    /// k·G in constant time.
    pub(crate) fn mul(&self, k: &Scalar) -> Jacobian {
        let mut d = recode(k);
        let mut acc = Jacobian::IDENTITY;
        for (row, &di) in self.rows.iter().zip(d.iter()) {
            let (p, zero) = Self::select(row, di);
            acc = acc.add_affine_ct(&p, zero);
        }
        d.zeroize();
        acc
    }
}

/// k·G in constant time with the shared table.
pub(crate) fn mul_base(k: &Scalar) -> Jacobian {
    base_table().mul(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recode_reconstructs_the_scalar() {
        let n_minus_1 = -Scalar::ONE;
        let mut scalars = vec![Scalar::ONE, n_minus_1];
        for seed in [0u8, 1, 0x7f, 0x80, 0xff, 0x42, 0x84, 0x21] {
            scalars.push(Scalar::reduce_bytes(&[seed; 32]));
        }
        let thirty_two = Scalar::reduce_bytes(&{
            let mut b = [0u8; 32];
            b[31] = 32;
            b
        });
        for k in scalars {
            let d = recode(&k);
            assert!(d[..ROWS - 1].iter().all(|&x| (-16..16).contains(&x)));
            assert!((0..=2).contains(&d[ROWS - 1]));
            // Σ d_i·32^i mod n, computed with scalar arithmetic.
            let mut acc = Scalar::ZERO;
            for &x in d.iter().rev() {
                let mut b = [0u8; 32];
                b[31] = x.unsigned_abs();
                let mut v = Scalar::reduce_bytes(&b);
                if x < 0 {
                    v = -v;
                }
                acc = acc * thirty_two + v;
            }
            assert_eq!(acc.to_bytes(), k.to_bytes());
        }
    }
}
