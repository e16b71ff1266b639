//! Arithmetic modulo the P-256 group order n, on fiat-crypto's formally
//! verified `p256_scalar_64` (Montgomery domain, constant time).

use core::ops::{Add, Mul, Neg};

use fiat::fiat_p256_scalar_montgomery_domain_field_element as Mont;
use fiat::fiat_p256_scalar_non_montgomery_domain_field_element as Plain;
use fiat_crypto::p256_scalar_64 as fiat;
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq, CtOption};
use zeroize::Zeroize;

use super::field::{invert_limbs_vartime, limbs_from_be, limbs_lt, limbs_to_be};

/// n as little-endian limbs.
pub(crate) const N: [u64; 4] = [
    0xf3b9_cac2_fc63_2551,
    0xbce6_faad_a717_9e84,
    0xffff_ffff_ffff_ffff,
    0xffff_ffff_0000_0000,
];

/// n as an odd crypto-bigint integer, for the safegcd inversion.
const N_ODD: crypto_bigint::Odd<crypto_bigint::U256> =
    crypto_bigint::Odd::<crypto_bigint::U256>::from_be_hex(
        "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
    );

/// An integer modulo n, always fully reduced, kept in the Montgomery domain.
#[derive(Clone, Copy)]
pub(crate) struct Scalar(Mont);

impl core::fmt::Debug for Scalar {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Scalars may be secret: never print them.
        f.write_str("Scalar(..)")
    }
}

impl Scalar {
    /// Zero.
    #[cfg(test)]
    pub(crate) const ZERO: Scalar = Scalar(Mont([0; 4]));
    /// One.
    #[cfg(test)]
    pub(crate) const ONE: Scalar = Scalar::from_canonical_limbs([1, 0, 0, 0]);

    /// From little-endian limbs of a value `< n` (the caller guarantees it).
    const fn from_canonical_limbs(limbs: [u64; 4]) -> Scalar {
        let mut out = Mont([0; 4]);
        fiat::fiat_p256_scalar_to_montgomery(&mut out, &Plain(limbs));
        Scalar(out)
    }

    /// Parses 32 big-endian bytes; none unless the value is below n.
    pub(crate) fn from_bytes(bytes: &[u8; 32]) -> CtOption<Scalar> {
        let limbs = limbs_from_be(bytes);
        let ok = limbs_lt(&limbs, &N);
        let safe = <[u64; 4]>::conditional_select(&[0; 4], &limbs, ok);
        CtOption::new(Scalar::from_canonical_limbs(safe), ok)
    }

    /// Any 256-bit big-endian integer reduced modulo n (one conditional
    /// subtraction suffices: 2^256 < 2n). Constant time.
    pub(crate) fn reduce_bytes(bytes: &[u8; 32]) -> Scalar {
        let limbs = limbs_from_be(bytes);
        let mut diff = [0u64; 4];
        let mut borrow = 0u8;
        for ((d, a), m) in diff.iter_mut().zip(&limbs).zip(&N) {
            let mut b = 0u8;
            fiat::fiat_p256_scalar_subborrowx_u64(d, &mut b, borrow, *a, *m);
            borrow = b;
        }
        // borrow = 1: limbs < n, keep them; otherwise take limbs - n.
        let reduced = <[u64; 4]>::conditional_select(&diff, &limbs, Choice::from(borrow));
        Scalar::from_canonical_limbs(reduced)
    }

    /// The canonical value as little-endian limbs.
    pub(crate) fn to_limbs(self) -> [u64; 4] {
        let mut out = Plain([0; 4]);
        fiat::fiat_p256_scalar_from_montgomery(&mut out, &self.0);
        out.0
    }

    /// The canonical 32-byte big-endian encoding.
    pub(crate) fn to_bytes(self) -> [u8; 32] {
        limbs_to_be(&self.to_limbs())
    }

    /// Whether this is zero.
    pub(crate) fn is_zero(self) -> Choice {
        let mut nz = 0u64;
        fiat::fiat_p256_scalar_nonzero(&mut nz, &self.0 .0);
        nz.ct_eq(&0)
    }

    /// `self^-1` (zero for zero) as `self^(n-2)` (Fermat), with a fixed
    /// 4-bit window over the public exponent: constant time in `self`.
    /// Signing uses [`Scalar::invert_blinded`]; this stays as the
    /// reference the tests check the fast inversions against.
    #[cfg(test)]
    pub(crate) fn invert(self) -> Scalar {
        let mut table = [Scalar::ONE; 16];
        for i in 1..16 {
            table[i] = table[i - 1] * self;
        }
        let mut e = N;
        e[0] -= 2; // n - 2; the low limb of n is far above 2
        let mut acc = Scalar::ONE;
        for limb in e.iter().rev() {
            for shift in (0..16).rev() {
                for _ in 0..4 {
                    acc = acc.square();
                }
                // The exponent is public: indexing by its digits is fine.
                let nibble = ((limb >> (4 * shift)) & 0xf) as usize;
                if let Some(t) = table.get(nibble).filter(|_| nibble != 0) {
                    acc = acc * *t;
                }
            }
        }
        for t in table.iter_mut() {
            t.zeroize();
        }
        acc
    }
}

impl Scalar {
    /// `self^-1` (zero for zero) in variable time: crypto-bigint's safegcd
    /// (Bernstein–Yang) inversion of the canonical integer. Public inputs
    /// only, or inputs blinded by a secret random factor (see
    /// [`Scalar::invert_blinded`]).
    pub(crate) fn invert_vartime(self) -> Scalar {
        Scalar::from_canonical_limbs(invert_limbs_vartime(&self.to_limbs(), &N_ODD))
    }

    /// `self^-1` (zero for zero) for a secret `self` (the ECDSA nonce), by
    /// blinding: with `blind` uniformly random in [1, n-1] and independent
    /// of `self`, the product `self·blind` is uniformly distributed over
    /// [1, n-1] for every nonzero `self` (n is prime, so multiplication by
    /// a nonzero `self` permutes the nonzero residues), so the variable-time
    /// inversion of the product leaks nothing about `self`; then
    /// `(self·blind)^-1 · blind = self^-1`. This is the standard
    /// multiplicative blinding countermeasure for nonce inversion in ECDSA
    /// (OpenSSL's `ecdsa_sign_setup` blinds k the same way). The caller must
    /// use a fresh blind for every inversion.
    pub(crate) fn invert_blinded(self, blind: Scalar) -> Scalar {
        (self * blind).invert_vartime() * blind
    }
}

impl Scalar {
    /// `self^2`.
    #[cfg(test)]
    fn square(self) -> Scalar {
        let mut out = Mont([0; 4]);
        fiat::fiat_p256_scalar_square(&mut out, &self.0);
        Scalar(out)
    }
}

impl Zeroize for Scalar {
    fn zeroize(&mut self) {
        self.0 .0.zeroize();
    }
}

impl ConstantTimeEq for Scalar {
    fn ct_eq(&self, other: &Scalar) -> Choice {
        self.0 .0.ct_eq(&other.0 .0)
    }
}

impl ConditionallySelectable for Scalar {
    fn conditional_select(a: &Scalar, b: &Scalar, choice: Choice) -> Scalar {
        let mut out = [0u64; 4];
        fiat::fiat_p256_scalar_selectznz(&mut out, choice.unwrap_u8(), &a.0 .0, &b.0 .0);
        Scalar(Mont(out))
    }
}

impl Add for Scalar {
    type Output = Scalar;
    fn add(self, rhs: Scalar) -> Scalar {
        let mut out = Mont([0; 4]);
        fiat::fiat_p256_scalar_add(&mut out, &self.0, &rhs.0);
        Scalar(out)
    }
}

impl Mul for Scalar {
    type Output = Scalar;
    fn mul(self, rhs: Scalar) -> Scalar {
        let mut out = Mont([0; 4]);
        fiat::fiat_p256_scalar_mul(&mut out, &self.0, &rhs.0);
        Scalar(out)
    }
}

impl Neg for Scalar {
    type Output = Scalar;
    fn neg(self) -> Scalar {
        let mut out = Mont([0; 4]);
        fiat::fiat_p256_scalar_opp(&mut out, &self.0);
        Scalar(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reduce_and_range() {
        let n = limbs_to_be(&N);
        assert!(bool::from(Scalar::from_bytes(&n).is_none()));
        assert_eq!(Scalar::reduce_bytes(&n).to_bytes(), [0u8; 32]);
        let mut n1 = n;
        n1[31] += 1;
        let mut one = [0u8; 32];
        one[31] = 1;
        assert_eq!(Scalar::reduce_bytes(&n1).to_bytes(), one);
        // 2^256 - 1 - n = 0x00000000ffffffff00000000000000004319055258e8617b0c46353d039cdaae
        let r = Scalar::reduce_bytes(&[0xff; 32]).to_bytes();
        assert_eq!(r[..8], [0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(r[24..], [0x0c, 0x46, 0x35, 0x3d, 0x03, 0x9c, 0xda, 0xae]);
    }

    #[test]
    fn invert() {
        let mut x = Scalar::reduce_bytes(&[0x5a; 32]);
        for _ in 0..50 {
            assert_eq!((x.invert() * x).to_bytes(), Scalar::ONE.to_bytes());
            assert_eq!(x.invert_vartime().to_bytes(), x.invert().to_bytes());
            x = x * x + Scalar::ONE;
        }
        assert!(bool::from(Scalar::ZERO.invert().is_zero()));
        let n_minus_1 = -Scalar::ONE;
        assert_eq!(n_minus_1.invert().to_bytes(), n_minus_1.to_bytes());
        assert_eq!(n_minus_1.invert_vartime().to_bytes(), n_minus_1.to_bytes());
        assert_eq!(
            Scalar::ONE.invert_vartime().to_bytes(),
            Scalar::ONE.to_bytes()
        );
        assert!(bool::from(Scalar::ZERO.invert_vartime().is_zero()));
    }

    #[test]
    fn blinded_inversion() {
        let two = Scalar::ONE + Scalar::ONE;
        // (n + 1) / 2 is the inverse of 2.
        let mut half = [0u8; 32];
        for (i, b) in half.iter_mut().enumerate() {
            *b = u8::from_str_radix(
                &"7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a9"
                    [2 * i..2 * i + 2],
                16,
            )
            .expect("hex");
        }
        let half = Scalar::from_bytes(&half).expect("canonical");
        assert_eq!(two.invert_vartime().to_bytes(), half.to_bytes());
        let n_minus_1 = -Scalar::ONE;
        let mut blind = Scalar::reduce_bytes(&[0xa5; 32]);
        for v in [Scalar::ONE, two, n_minus_1, half] {
            assert_eq!(v.invert_blinded(blind).to_bytes(), v.invert().to_bytes());
            assert_eq!(
                v.invert_blinded(n_minus_1).to_bytes(),
                v.invert().to_bytes()
            );
        }
        let mut x = Scalar::reduce_bytes(&[0x3c; 32]);
        for _ in 0..50 {
            let inv = x.invert_blinded(blind);
            assert_eq!((inv * x).to_bytes(), Scalar::ONE.to_bytes());
            assert_eq!(inv.to_bytes(), x.invert().to_bytes());
            x = x * x + Scalar::ONE;
            blind = blind * x + Scalar::ONE;
        }
        assert!(bool::from(Scalar::ZERO.invert_blinded(blind).is_zero()));
    }
}
