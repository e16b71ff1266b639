//! Fixed-base scalar multiplication k·G with a precomputed comb table.
//!
//! The scalar is recoded into 64 signed radix-16 digits d_i ∈ [-8, 8) plus
//! a carry c ∈ {0, 1}: k = Σ d_i·16^i + c·2^256. Row i of the table holds
//! the affine points j·16^i·G for j = 1..8, so k·G is 64 mixed additions
//! of ±row_i[|d_i|] and no doublings (the layout of curve25519-dalek's
//! `EdwardsBasepointTable`, without the odd/even split). The table (512
//! points, 32 KiB) is computed at first use with this module's own
//! arithmetic.
//!
//! The secret-scalar path looks up every entry of a row with masked
//! selects and adds in Jacobian coordinates with branch-free formulas and
//! masked selects for the zero digit and the initial identity, so neither
//! timing nor memory access depends on the scalar.
//!
//! Why the mixed addition never meets its exceptional case (acc = ±q):
//! before row i the accumulator is S·G with S = Σ_{j<i} d_j·16^j, an
//! integer with |S| ≤ 8·(16^i - 1)/15 < 16^i, and the addend is d·16^i·G
//! with 1 ≤ |d| ≤ 8. acc = ±q would need S ∓ d·16^i ≡ 0 (mod n), but
//! 0 < |S ∓ d·16^i| < 9·16^i ≤ 9·2^252 < n. S = 0 (the identity) is
//! handled by selection. For the carry, S = k - 2^256 and acc = ±2^256·G
//! would need k ≡ 0 or k ≡ 2^257 (mod n); k ≠ 0, and 2^257 mod n ≈ 2^225
//! has no carry (a carry needs k > 2^255).

use std::sync::OnceLock;

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroize;

use super::jacobian::Jacobian;
use super::point::{batch_to_affine, Affine, Projective, G};
use super::scalar::Scalar;

/// Number of rows (radix-16 digits of a 256-bit scalar).
pub(crate) const ROWS: usize = 64;
/// Multiples per row: 1·B .. 8·B.
const PER_ROW: usize = 8;

/// The precomputed multiples of G.
pub(crate) struct BaseTable {
    /// `rows[i][j] = (j + 1)·16^i·G`.
    pub(crate) rows: Vec<[Affine; PER_ROW]>,
    /// `2^256·G`, for the recoding's carry.
    pub(crate) top: Affine,
}

/// The table, built once per process.
pub(crate) fn base_table() -> &'static BaseTable {
    static TABLE: OnceLock<BaseTable> = OnceLock::new();
    TABLE.get_or_init(build)
}

fn build() -> BaseTable {
    let mut points = Vec::with_capacity(ROWS * PER_ROW + 1);
    let mut base = Projective::from(G);
    for _ in 0..ROWS {
        let mut p = base;
        points.push(p);
        for _ in 1..PER_ROW {
            p = p.add(&base);
            points.push(p);
        }
        // p = 8·base, so 16·base = p + p.
        base = p.add(&p);
    }
    points.push(base);
    // No point here is the identity: j·16^i < n for j ≤ 8, i < 64, and
    // 2^256 is not a multiple of n.
    let affine = batch_to_affine(&points);
    let mut rows = Vec::with_capacity(ROWS);
    for chunk in affine.chunks_exact(PER_ROW) {
        let mut row = [G; PER_ROW];
        row.copy_from_slice(chunk);
        rows.push(row);
    }
    BaseTable {
        rows,
        top: affine.last().copied().unwrap_or(G),
    }
}

/// Signed radix-16 recoding: digits `d[0..64]` in [-8, 8) and `d[64]` in
/// {0, 1} with k = Σ d_i·16^i. Branch-free.
pub(crate) fn recode(k: &Scalar) -> [i8; ROWS + 1] {
    let mut bytes = k.to_bytes(); // big endian
    let mut d = [0i8; ROWS + 1];
    for (i, b) in bytes.iter().rev().enumerate() {
        d[2 * i] = (b & 0xf) as i8;
        d[2 * i + 1] = (b >> 4) as i8;
    }
    for i in 0..ROWS {
        // d[i] ∈ [0, 16]; carry = 1 iff d[i] ≥ 8.
        let carry = (d[i] + 8) >> 4;
        d[i] -= carry << 4;
        d[i + 1] += carry;
    }
    bytes.zeroize();
    d
}

impl BaseTable {
    /// `|d|·16^i·G` negated when d < 0, by scanning the whole row; the flag
    /// says d = 0 (the returned point is then meaningless).
    fn select(&self, row: &[Affine; PER_ROW], d: i8) -> (Affine, Choice) {
        let sign = (d as u8) >> 7; // 1 when negative
        let mask = 0u8.wrapping_sub(sign) as i8;
        let abs = ((d ^ mask).wrapping_sub(mask)) as u8; // |d| ∈ [0, 8]
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
            let (p, zero) = self.select(row, di);
            acc = acc.add_affine_ct(&p, zero);
        }
        acc = acc.add_affine_ct(&self.top, d[ROWS].ct_eq(&0));
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
        for seed in [0u8, 1, 0x7f, 0x80, 0xff, 0x42] {
            let k = Scalar::reduce_bytes(&[seed; 32]);
            let d = recode(&k);
            assert!(d[..ROWS].iter().all(|&x| (-8..8).contains(&x)));
            assert!(d[ROWS] == 0 || d[ROWS] == 1);
            // Σ d_i·16^i mod n, computed with scalar arithmetic.
            let sixteen = Scalar::reduce_bytes(&{
                let mut b = [0u8; 32];
                b[31] = 16;
                b
            });
            let mut acc = Scalar::ZERO;
            for &x in d.iter().rev() {
                let mut b = [0u8; 32];
                b[31] = x.unsigned_abs();
                let mut v = Scalar::reduce_bytes(&b);
                if x < 0 {
                    v = -v;
                }
                acc = acc * sixteen + v;
            }
            assert_eq!(acc.to_bytes(), k.to_bytes());
        }
    }
}
