//! The two-prime CRT private operation on fixed-width limbs.
//!
//! `m1 = c^dP mod p`, `m2 = c^dQ mod q` by [`pow_secret`], then Garner's
//! recombination `h = qInv·(m1 − m2) mod p`, `m = m2 + h·q`, all with
//! constant-time limb arithmetic.

use zeroize::Zeroize;

use super::mont::{add_assign, mul_wide_into, Modulus};
use super::pow::pow_secret;

/// CRT parameters for primes of at most `64·N` bits.
pub(super) struct CrtKey<const N: usize> {
    p: Modulus<N>,
    q: Modulus<N>,
    dp: [u64; N],
    dq: [u64; N],
    /// `q⁻¹ mod p` (normal form).
    qinv: [u64; N],
}

/// Copies `src` (little-endian limbs, high zero limbs allowed) into `N`
/// limbs; `None` if it does not fit.
pub(super) fn fixed<const N: usize>(src: &[u64]) -> Option<[u64; N]> {
    let mut out = [0u64; N];
    for (i, &w) in src.iter().enumerate() {
        match out.get_mut(i) {
            Some(o) => *o = w,
            None if w == 0 => {}
            None => return None,
        }
    }
    Some(out)
}

impl<const N: usize> CrtKey<N> {
    /// `None` if a prime is not an odd number > 1 or a value does not fit.
    pub(super) fn new(p: &[u64], q: &[u64], dp: &[u64], dq: &[u64], qinv: &[u64]) -> Option<Self> {
        let mut p = fixed::<N>(p)?;
        let mut q = fixed::<N>(q)?;
        let key = Self {
            p: Modulus::new(p)?,
            q: Modulus::new(q)?,
            dp: fixed(dp)?,
            dq: fixed(dq)?,
            qinv: fixed(qinv)?,
        };
        p.zeroize();
        q.zeroize();
        Some(key)
    }

    /// `c^d mod n` for `c < n` given as `2N` limbs; writes `2N` limbs.
    pub(super) fn private_op(&self, c: &[u64], out: &mut [u64]) {
        let (Some(lo), Some(hi)) = (
            c.get(..N).and_then(fixed::<N>),
            c.get(N..).and_then(fixed::<N>),
        ) else {
            return;
        };
        // m1·R mod p and m2 mod q.
        let mut cp = self.p.wide_to_mont(&lo, &hi);
        let mut m1 = pow_secret(&self.p, &cp, &self.dp);
        let mut cq = self.q.wide_to_mont(&lo, &hi);
        let mut m2r = pow_secret(&self.q, &cq, &self.dq);
        let mut m2 = self.q.leave_mont(&m2r);
        // Garner: h = qInv·(m1 − m2) mod p, with m2 (< q < R) mapped mod p.
        let mut m2p = self.p.to_mont(&m2);
        let mut diff = self.p.sub(&m1, &m2p);
        let mut h = self.p.mul(&diff, &self.qinv);
        // m = m2 + h·q  (< p·q).
        mul_wide_into(out, &h, self.q.modulus());
        add_assign(out, &m2);
        for v in [
            &mut cp, &mut m1, &mut cq, &mut m2r, &mut m2, &mut m2p, &mut diff, &mut h,
        ] {
            v.zeroize();
        }
        let mut lo = lo;
        let mut hi = hi;
        lo.zeroize();
        hi.zeroize();
    }
}

impl<const N: usize> Drop for CrtKey<N> {
    fn drop(&mut self) {
        self.dp.zeroize();
        self.dq.zeroize();
        self.qinv.zeroize();
    }
}

/// A [`CrtKey`] for one of the supported limb counts.
pub(super) enum AnyCrt {
    L4(Box<CrtKey<4>>),
    L8(Box<CrtKey<8>>),
    L12(Box<CrtKey<12>>),
    L16(Box<CrtKey<16>>),
    L24(Box<CrtKey<24>>),
    L32(Box<CrtKey<32>>),
    L48(Box<CrtKey<48>>),
    L64(Box<CrtKey<64>>),
}

impl AnyCrt {
    /// Picks the smallest supported limb count that holds both primes (the
    /// spare high limbs are zero; Montgomery arithmetic does not mind).
    /// `None` for primes over 4096 bits or invalid values.
    pub(super) fn new(p: &[u64], q: &[u64], dp: &[u64], dq: &[u64], qinv: &[u64]) -> Option<Self> {
        let used = |x: &[u64]| x.iter().rposition(|&w| w != 0).map_or(0, |i| i + 1);
        let limbs = used(p).max(used(q));
        Some(match limbs {
            0..=4 => Self::L4(Box::new(CrtKey::new(p, q, dp, dq, qinv)?)),
            5..=8 => Self::L8(Box::new(CrtKey::new(p, q, dp, dq, qinv)?)),
            9..=12 => Self::L12(Box::new(CrtKey::new(p, q, dp, dq, qinv)?)),
            13..=16 => Self::L16(Box::new(CrtKey::new(p, q, dp, dq, qinv)?)),
            17..=24 => Self::L24(Box::new(CrtKey::new(p, q, dp, dq, qinv)?)),
            25..=32 => Self::L32(Box::new(CrtKey::new(p, q, dp, dq, qinv)?)),
            33..=48 => Self::L48(Box::new(CrtKey::new(p, q, dp, dq, qinv)?)),
            49..=64 => Self::L64(Box::new(CrtKey::new(p, q, dp, dq, qinv)?)),
            _ => return None,
        })
    }

    /// Limbs per prime (`N`); values mod `n` use `2N` limbs.
    pub(super) fn limbs(&self) -> usize {
        match self {
            Self::L4(_) => 4,
            Self::L8(_) => 8,
            Self::L12(_) => 12,
            Self::L16(_) => 16,
            Self::L24(_) => 24,
            Self::L32(_) => 32,
            Self::L48(_) => 48,
            Self::L64(_) => 64,
        }
    }

    /// `c^d mod n` (`c` and `out` of `2·limbs()` limbs).
    pub(super) fn private_op(&self, c: &[u64], out: &mut [u64]) {
        match self {
            Self::L4(k) => k.private_op(c, out),
            Self::L8(k) => k.private_op(c, out),
            Self::L12(k) => k.private_op(c, out),
            Self::L16(k) => k.private_op(c, out),
            Self::L24(k) => k.private_op(c, out),
            Self::L32(k) => k.private_op(c, out),
            Self::L48(k) => k.private_op(c, out),
            Self::L64(k) => k.private_op(c, out),
        }
    }
}
