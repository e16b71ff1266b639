//! Arithmetic in the P-256 base field GF(p), p = 2^256 - 2^224 + 2^192 + 2^96 - 1,
//! on fiat-crypto's formally verified `p256_64` (Montgomery domain, four
//! 64-bit limbs, every operation constant time).

use core::ops::{Add, Mul, Neg, Sub};

use fiat::fiat_p256_montgomery_domain_field_element as Mont;
use fiat::fiat_p256_non_montgomery_domain_field_element as Plain;
use fiat_crypto::p256_64 as fiat;
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq, CtOption};

/// p as little-endian limbs.
const P: [u64; 4] = [
    0xffff_ffff_ffff_ffff,
    0x0000_0000_ffff_ffff,
    0x0000_0000_0000_0000,
    0xffff_ffff_0000_0001,
];

/// p as an odd crypto-bigint integer, for the safegcd inversion.
const P_ODD: crypto_bigint::Odd<crypto_bigint::U256> =
    crypto_bigint::Odd::<crypto_bigint::U256>::from_be_hex(
        "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
    );

/// `a^-1 mod m` (zero when `a` has no inverse) for little-endian limbs
/// `a < m`, in variable time: crypto-bigint's safegcd. The result is `< m`.
/// Goes through little-endian bytes so it does not depend on
/// crypto-bigint's word size.
pub(crate) fn invert_limbs_vartime(
    a: &[u64; 4],
    m: &crypto_bigint::Odd<crypto_bigint::U256>,
) -> [u64; 4] {
    let mut bytes = [0u8; 32];
    for (chunk, limb) in bytes.chunks_exact_mut(8).zip(a) {
        chunk.copy_from_slice(&limb.to_le_bytes());
    }
    let inv: Option<crypto_bigint::U256> = crypto_bigint::U256::from_le_slice(&bytes)
        .invert_odd_mod_vartime(m)
        .into();
    let mut out = [0u64; 4];
    if let Some(inv) = inv {
        let le = inv.to_le_bytes();
        for (limb, chunk) in out.iter_mut().zip(le.as_ref().chunks_exact(8)) {
            let mut w = [0u8; 8];
            w.copy_from_slice(chunk);
            *limb = u64::from_le_bytes(w);
        }
    }
    out
}

/// An element of GF(p), always fully reduced, kept in the Montgomery domain.
#[derive(Clone, Copy)]
pub(crate) struct Fe(Mont);

impl core::fmt::Debug for Fe {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Fe(0x")?;
        for b in self.to_bytes() {
            write!(f, "{b:02x}")?;
        }
        write!(f, ")")
    }
}

/// Big-endian bytes to little-endian limbs.
pub(crate) const fn limbs_from_be(bytes: &[u8; 32]) -> [u64; 4] {
    let mut limbs = [0u64; 4];
    let mut i = 0;
    while i < 4 {
        let mut w = 0u64;
        let mut j = 0;
        while j < 8 {
            w = (w << 8) | bytes[32 - 8 * (i + 1) + j] as u64;
            j += 1;
        }
        limbs[i] = w;
        i += 1;
    }
    limbs
}

/// Little-endian limbs to big-endian bytes.
pub(crate) fn limbs_to_be(limbs: &[u64; 4]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (chunk, limb) in out.rchunks_exact_mut(8).zip(limbs) {
        chunk.copy_from_slice(&limb.to_be_bytes());
    }
    out
}

/// Whether `a < m` for little-endian limbs, in constant time: the borrow
/// out of `a - m`.
pub(crate) fn limbs_lt(a: &[u64; 4], m: &[u64; 4]) -> Choice {
    let mut borrow = 0u8;
    for (x, y) in a.iter().zip(m) {
        let (mut out, mut b) = (0u64, 0u8);
        fiat::fiat_p256_subborrowx_u64(&mut out, &mut b, borrow, *x, *y);
        borrow = b;
    }
    Choice::from(borrow)
}

impl Fe {
    /// Zero.
    pub(crate) const ZERO: Fe = Fe(Mont([0; 4]));
    /// One (R mod p in the Montgomery domain).
    pub(crate) const ONE: Fe = Fe::from_u64(1);

    /// A field element from little-endian limbs of a value `< p`
    /// (compile-time constants only: the caller guarantees the bound).
    pub(crate) const fn from_canonical_limbs(limbs: [u64; 4]) -> Fe {
        let mut out = Mont([0; 4]);
        fiat::fiat_p256_to_montgomery(&mut out, &Plain(limbs));
        Fe(out)
    }

    /// A small constant.
    pub(crate) const fn from_u64(v: u64) -> Fe {
        Fe::from_canonical_limbs([v, 0, 0, 0])
    }

    /// A constant from big-endian hex bytes `< p` (compile time only).
    pub(crate) const fn from_be_const(bytes: &[u8; 32]) -> Fe {
        Fe::from_canonical_limbs(limbs_from_be(bytes))
    }

    /// Parses 32 big-endian bytes; none if the value is not below p.
    pub(crate) fn from_bytes(bytes: &[u8; 32]) -> CtOption<Fe> {
        let limbs = limbs_from_be(bytes);
        let ok = limbs_lt(&limbs, &P);
        // Only reduced inputs meet fiat's precondition; others are replaced
        // by zero before the conversion and reported as none.
        let safe = <[u64; 4]>::conditional_select(&[0; 4], &limbs, ok);
        CtOption::new(Fe::from_canonical_limbs(safe), ok)
    }

    /// The canonical 32-byte big-endian encoding.
    pub(crate) fn to_bytes(self) -> [u8; 32] {
        let mut out = Plain([0; 4]);
        fiat::fiat_p256_from_montgomery(&mut out, &self.0);
        limbs_to_be(&out.0)
    }

    /// `self^2`.
    #[inline]
    pub(crate) fn square(self) -> Fe {
        let mut out = Mont([0; 4]);
        fiat::fiat_p256_square(&mut out, &self.0);
        Fe(out)
    }

    /// `self^(2^k)`.
    pub(crate) fn square_n(self, k: u32) -> Fe {
        let mut x = self;
        for _ in 0..k {
            x = x.square();
        }
        x
    }

    /// `2 * self`.
    #[inline]
    pub(crate) fn double(self) -> Fe {
        self + self
    }

    /// Whether this is zero.
    pub(crate) fn is_zero(self) -> Choice {
        let mut nz = 0u64;
        fiat::fiat_p256_nonzero(&mut nz, &self.0 .0);
        nz.ct_eq(&0)
    }

    /// Whether the canonical value is odd.
    pub(crate) fn is_odd(self) -> Choice {
        let mut out = Plain([0; 4]);
        fiat::fiat_p256_from_montgomery(&mut out, &self.0);
        Choice::from((out.0[0] & 1) as u8)
    }

    /// `self^-1` (zero for zero) by Fermat's little theorem, `self^(p-2)`,
    /// with a fixed addition chain: constant time.
    ///
    /// p - 2 = 0xffffffff 00000001 00000000 00000000 00000000 ffffffff ffffffff fffffffd.
    pub(crate) fn invert(self) -> Fe {
        let x = self;
        // x_k = x^(2^k - 1)
        let x2 = x.square() * x;
        let x3 = x2.square() * x;
        let x6 = x3.square_n(3) * x3;
        let x12 = x6.square_n(6) * x6;
        let x15 = x12.square_n(3) * x3;
        let x30 = x15.square_n(15) * x15;
        let x32 = x30.square_n(2) * x2;
        // bits 255..224: 32 ones; 223..192: 31 zeros and a one;
        // 191..96: zeros; 95..32: ones; 31..2: ones; 1..0: "01".
        let mut t = x32.square_n(32) * x;
        t = t.square_n(128) * x32;
        t = t.square_n(32) * x32;
        t = t.square_n(30) * x30;
        t.square_n(2) * x
    }

    /// `self^-1` (zero for zero) in variable time, by crypto-bigint's
    /// safegcd (Bernstein–Yang) inversion on the canonical integer. Only
    /// for public values or values blinded by a secret uniform factor
    /// (see [`Fe::invert_blinded`]).
    pub(crate) fn invert_vartime(self) -> Fe {
        let mut plain = Plain([0; 4]);
        fiat::fiat_p256_from_montgomery(&mut plain, &self.0);
        Fe::from_canonical_limbs(invert_limbs_vartime(&plain.0, &P_ODD))
    }

    /// `self^-1` (zero for zero) for a secret `self`, by blinding: with
    /// `blind` uniformly random in [1, p-1] and independent of `self`,
    /// `self·blind` is uniformly distributed over [1, p-1] for every nonzero
    /// `self`, so the variable-time inversion of the product reveals nothing
    /// about `self`; then `(self·blind)^-1 · blind = self^-1`. This is the
    /// standard multiplicative blinding countermeasure against timing side
    /// channels in modular inversion (as used for ECDSA nonce inversion in
    /// OpenSSL's `ecdsa_sign_setup` and BoringSSL). The caller must give a
    /// fresh blind for every inversion.
    pub(crate) fn invert_blinded(self, blind: Fe) -> Fe {
        (self * blind).invert_vartime() * blind
    }

    /// A square root, if one exists: p ≡ 3 (mod 4), so the candidate is
    /// `self^((p+1)/4)`, checked by squaring (constant time).
    ///
    /// (p + 1) / 4 = (2^32 - 1)·2^222 + 2^190 + 2^94.
    pub(crate) fn sqrt(self) -> CtOption<Fe> {
        let x = self;
        // x_k = x^(2^k - 1)
        let x2 = x.square() * x;
        let x4 = x2.square_n(2) * x2;
        let x8 = x4.square_n(4) * x4;
        let x16 = x8.square_n(8) * x8;
        let x32 = x16.square_n(16) * x16;
        // ((2^32 - 1)·2^32 + 1)·2^96 + 1, then ·2^94.
        let t = (x32.square_n(32) * x).square_n(96) * x;
        let t = t.square_n(94);
        CtOption::new(t, t.square().ct_eq(&self))
    }
}

impl ConstantTimeEq for Fe {
    fn ct_eq(&self, other: &Fe) -> Choice {
        self.0 .0.ct_eq(&other.0 .0)
    }
}

impl ConditionallySelectable for Fe {
    fn conditional_select(a: &Fe, b: &Fe, choice: Choice) -> Fe {
        let mut out = [0u64; 4];
        fiat::fiat_p256_selectznz(&mut out, choice.unwrap_u8(), &a.0 .0, &b.0 .0);
        Fe(Mont(out))
    }
}

impl Add for Fe {
    type Output = Fe;
    #[inline]
    fn add(self, rhs: Fe) -> Fe {
        let mut out = Mont([0; 4]);
        fiat::fiat_p256_add(&mut out, &self.0, &rhs.0);
        Fe(out)
    }
}

impl Sub for Fe {
    type Output = Fe;
    #[inline]
    fn sub(self, rhs: Fe) -> Fe {
        let mut out = Mont([0; 4]);
        fiat::fiat_p256_sub(&mut out, &self.0, &rhs.0);
        Fe(out)
    }
}

impl Mul for Fe {
    type Output = Fe;
    #[inline]
    fn mul(self, rhs: Fe) -> Fe {
        let mut out = Mont([0; 4]);
        fiat::fiat_p256_mul(&mut out, &self.0, &rhs.0);
        Fe(out)
    }
}

impl Neg for Fe {
    type Output = Fe;
    #[inline]
    fn neg(self) -> Fe {
        let mut out = Mont([0; 4]);
        fiat::fiat_p256_opp(&mut out, &self.0);
        Fe(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fe(hex: &str) -> Fe {
        let mut b = [0u8; 32];
        for (i, byte) in b.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex");
        }
        Fe::from_bytes(&b).expect("canonical")
    }

    #[test]
    fn bytes_round_trip_and_range() {
        let x = fe("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296");
        assert_eq!(
            hex(&x.to_bytes()),
            "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
        );
        let p = limbs_to_be(&P);
        assert!(bool::from(Fe::from_bytes(&p).is_none()));
        let mut p_minus_1 = p;
        p_minus_1[31] -= 1;
        assert_eq!((fe_bytes(&p_minus_1) + Fe::ONE).to_bytes(), [0u8; 32]);
        assert!(bool::from(Fe::from_bytes(&[0xff; 32]).is_none()));
    }

    fn fe_bytes(b: &[u8; 32]) -> Fe {
        Fe::from_bytes(b).expect("canonical")
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn invert_and_sqrt() {
        let mut x = fe("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        for _ in 0..50 {
            let inv = x.invert();
            assert!(bool::from((inv * x).ct_eq(&Fe::ONE)));
            let sq = x.square();
            let r = sq.sqrt().expect("a square has a root");
            assert!(bool::from(r.ct_eq(&x) | r.ct_eq(&-x)));
            x = x * x + Fe::from_u64(7);
        }
        assert!(bool::from(Fe::ZERO.invert().is_zero()));
        assert!(bool::from(Fe::ZERO.invert_vartime().is_zero()));
    }

    #[test]
    fn fast_inversions_match_fermat() {
        let p_minus_1 = -Fe::ONE;
        let two = Fe::from_u64(2);
        // (p + 1) / 2 is the inverse of 2.
        let half = fe("7fffffff80000000800000000000000000000000800000000000000000000000");
        assert_eq!(two.invert_vartime().to_bytes(), half.to_bytes());
        assert_eq!(p_minus_1.invert_vartime().to_bytes(), p_minus_1.to_bytes());
        assert_eq!(Fe::ONE.invert_vartime().to_bytes(), Fe::ONE.to_bytes());
        let mut x = fe("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        let mut blind = fe("fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210");
        for v in [Fe::ONE, two, p_minus_1, half] {
            assert_eq!(v.invert_blinded(blind).to_bytes(), v.invert().to_bytes());
            assert_eq!(
                v.invert_blinded(p_minus_1).to_bytes(),
                v.invert().to_bytes()
            );
        }
        for _ in 0..50 {
            let fast = x.invert_vartime();
            assert!(bool::from((fast * x).ct_eq(&Fe::ONE)));
            assert_eq!(fast.to_bytes(), x.invert().to_bytes());
            let blinded = x.invert_blinded(blind);
            assert_eq!(blinded.to_bytes(), fast.to_bytes());
            x = x * x + Fe::from_u64(7);
            blind = blind * x + Fe::ONE;
        }
        assert!(bool::from(Fe::ZERO.invert_blinded(blind).is_zero()));
        // -1 is not a square modulo p ≡ 3 (mod 4).
        assert!(bool::from((-Fe::ONE).sqrt().is_none()));
    }
}
