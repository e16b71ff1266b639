//! GF(2^255 - 19) on fiat-crypto's formally verified `curve25519_64`: five
//! 51-bit limbs, every operation constant time. fiat-crypto tracks two limb
//! bounds: "tight" (the output of a multiplication, squaring or carry) and
//! "loose" (the output of an addition or subtraction, accepted as the input of
//! a multiplication); the types here follow that split so no bound is broken.

use fiat::fiat_25519_loose_field_element as LooseLimbs;
use fiat::fiat_25519_tight_field_element as TightLimbs;
use fiat_crypto::curve25519_64 as fiat;
use subtle::{Choice, ConditionallySelectable};

/// A field element with tight limb bounds.
#[derive(Clone, Copy)]
pub(crate) struct Fe(TightLimbs);

/// A field element with loose limb bounds (a sum or a difference).
#[derive(Clone, Copy)]
pub(crate) struct Loose(LooseLimbs);

impl Fe {
    /// Zero.
    pub(crate) const ZERO: Fe = Fe(TightLimbs([0; 5]));
    /// One.
    pub(crate) const ONE: Fe = Fe(TightLimbs([1, 0, 0, 0, 0]));

    /// Decodes 32 little-endian bytes as RFC 7748 §5 does: the top bit is
    /// ignored and values in [p, 2^255) are accepted (they reduce mod p).
    pub(crate) fn from_bytes(bytes: &[u8; 32]) -> Fe {
        let mut b = *bytes;
        b[31] &= 0x7f;
        let mut out = TightLimbs([0; 5]);
        fiat::fiat_25519_from_bytes(&mut out, &b);
        Fe(out)
    }

    /// The canonical (fully reduced) little-endian encoding.
    pub(crate) fn to_bytes(self) -> [u8; 32] {
        let mut out = [0u8; 32];
        fiat::fiat_25519_to_bytes(&mut out, &self.0);
        out
    }

    /// The element with loose bounds (tight bounds are within loose ones).
    #[inline(always)]
    pub(crate) fn relax(self) -> Loose {
        let mut out = LooseLimbs([0; 5]);
        fiat::fiat_25519_relax(&mut out, &self.0);
        Loose(out)
    }

    /// `self + rhs`.
    #[inline(always)]
    pub(crate) fn add(self, rhs: Fe) -> Loose {
        let mut out = LooseLimbs([0; 5]);
        fiat::fiat_25519_add(&mut out, &self.0, &rhs.0);
        Loose(out)
    }

    /// `self - rhs`.
    #[inline(always)]
    pub(crate) fn sub(self, rhs: Fe) -> Loose {
        let mut out = LooseLimbs([0; 5]);
        fiat::fiat_25519_sub(&mut out, &self.0, &rhs.0);
        Loose(out)
    }

    /// `self * rhs`.
    #[inline(always)]
    pub(crate) fn mul(self, rhs: Fe) -> Fe {
        self.relax().mul(rhs.relax())
    }

    /// `self^2`.
    #[inline(always)]
    pub(crate) fn square(self) -> Fe {
        self.relax().square()
    }

    /// `self^(2^k)`: `k` squarings.
    pub(crate) fn pow2k(self, k: u32) -> Fe {
        let mut x = self;
        for _ in 0..k {
            x = x.square();
        }
        x
    }

    /// `self^(p-2) = self^-1` (zero for zero), by Fermat in constant time:
    /// the usual addition chain, 254 squarings and 11 multiplications.
    pub(crate) fn invert(self) -> Fe {
        let z2 = self.square(); // 2
        let z9 = z2.pow2k(2).mul(self); // 9
        let z11 = z9.mul(z2); // 11
        let z2_5_0 = z11.square().mul(z9); // 2^5 - 1
        let z2_10_0 = z2_5_0.pow2k(5).mul(z2_5_0);
        let z2_20_0 = z2_10_0.pow2k(10).mul(z2_10_0);
        let z2_40_0 = z2_20_0.pow2k(20).mul(z2_20_0);
        let z2_50_0 = z2_40_0.pow2k(10).mul(z2_10_0);
        let z2_100_0 = z2_50_0.pow2k(50).mul(z2_50_0);
        let z2_200_0 = z2_100_0.pow2k(100).mul(z2_100_0);
        let z2_250_0 = z2_200_0.pow2k(50).mul(z2_50_0);
        z2_250_0.pow2k(5).mul(z11) // 2^255 - 32 + 11 = p - 2
    }

    /// Swaps `a` and `b` when `swap` is set, in constant time.
    #[inline(always)]
    pub(crate) fn conditional_swap(a: &mut Fe, b: &mut Fe, swap: Choice) {
        for (x, y) in a.0 .0.iter_mut().zip(b.0 .0.iter_mut()) {
            u64::conditional_swap(x, y, swap);
        }
    }
}

impl Loose {
    /// `self * rhs`, carried back to tight bounds.
    #[inline(always)]
    pub(crate) fn mul(self, rhs: Loose) -> Fe {
        let mut out = TightLimbs([0; 5]);
        fiat::fiat_25519_carry_mul(&mut out, &self.0, &rhs.0);
        Fe(out)
    }

    /// `self^2`, carried back to tight bounds.
    #[inline(always)]
    pub(crate) fn square(self) -> Fe {
        let mut out = TightLimbs([0; 5]);
        fiat::fiat_25519_carry_square(&mut out, &self.0);
        Fe(out)
    }

    /// `121666 · self` ((A + 2) / 4 for Curve25519's A = 486662).
    #[inline(always)]
    pub(crate) fn mul_121666(self) -> Fe {
        let mut out = TightLimbs([0; 5]);
        fiat::fiat_25519_carry_scmul_121666(&mut out, &self.0);
        Fe(out)
    }
}
