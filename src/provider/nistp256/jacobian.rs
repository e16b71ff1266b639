//! Jacobian points: the constant-time mixed addition of the fixed-base
//! comb ([`super::table`]), and variable-time double-scalar multiplication
//! u1·G + u2·Q for signature verification, where every input is public.
//!
//! Jacobian coordinates (x = X/Z^2, y = Y/Z^3) with the formulas of the
//! Explicit-Formulas Database (Bernstein and Lange,
//! <https://hyperelliptic.org/EFD/g1p/auto-shortw-jacobian-3.html>):
//! `dbl-2001-b` (3M + 5S), `madd-2007-bl` (7M + 4S) and `add-2007-bl`
//! (11M + 5S). Their exceptional cases (equal or opposite inputs, the
//! identity) are handled by branches, which is fine for public data only.
//!
//! u2·Q uses a width-5 NAF (Solinas; Hankerson, Menezes and Vanstone,
//! "Guide to Elliptic Curve Cryptography", Algorithms 3.35 and 3.36) over
//! the odd multiples Q, 3Q, .., 15Q; u1·G adds the comb table rows of
//! [`super::table`] without doublings.

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

use super::field::Fe;
use super::point::Affine;
use super::scalar::Scalar;
use super::table::{base_table, recode};

/// A point in Jacobian coordinates; Z = 0 is the identity.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Jacobian {
    pub(crate) x: Fe,
    pub(crate) y: Fe,
    pub(crate) z: Fe,
}

impl ConditionallySelectable for Jacobian {
    fn conditional_select(a: &Jacobian, b: &Jacobian, choice: Choice) -> Jacobian {
        Jacobian {
            x: Fe::conditional_select(&a.x, &b.x, choice),
            y: Fe::conditional_select(&a.y, &b.y, choice),
            z: Fe::conditional_select(&a.z, &b.z, choice),
        }
    }
}

impl Jacobian {
    pub(crate) const IDENTITY: Jacobian = Jacobian {
        x: Fe::ONE,
        y: Fe::ONE,
        z: Fe::ZERO,
    };

    fn is_identity(&self) -> bool {
        bool::from(self.z.is_zero())
    }

    fn neg(&self) -> Jacobian {
        Jacobian {
            x: self.x,
            y: -self.y,
            z: self.z,
        }
    }

    /// `2·self`: EFD `dbl-2001-b` (a = -3).
    fn double(&self) -> Jacobian {
        if self.is_identity() {
            return *self;
        }
        let delta = self.z.square();
        let gamma = self.y.square();
        let beta = self.x * gamma;
        let t = (self.x - delta) * (self.x + delta);
        let alpha = t.double() + t;
        let beta4 = beta.double().double();
        let x3 = alpha.square() - beta4.double();
        let z3 = (self.y + self.z).square() - gamma - delta;
        let gamma2_8 = gamma.square().double().double().double();
        let y3 = alpha * (beta4 - x3) - gamma2_8;
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// `self + q`, or `self` when `skip` is set, in constant time: EFD
    /// `madd-2007-bl` computed without branches, then the identity case
    /// (`self` = O gives q) and `skip` chosen by masked selects.
    ///
    /// The formula is wrong for `self` = ±q; the caller must rule that out
    /// (the comb of [`super::table`] proves it cannot happen there).
    pub(crate) fn add_affine_ct(&self, q: &Affine, skip: Choice) -> Jacobian {
        let z1z1 = self.z.square();
        let u2 = q.x * z1z1;
        let s2 = q.y * self.z * z1z1;
        let h = u2 - self.x;
        let hh = h.square();
        let i = hh.double().double();
        let j = h * i;
        let r = (s2 - self.y).double();
        let v = self.x * i;
        let x3 = r.square() - j - v.double();
        let y3 = r * (v - x3) - (self.y * j).double();
        let z3 = (self.z + h).square() - z1z1 - hh;
        let sum = Jacobian {
            x: x3,
            y: y3,
            z: z3,
        };
        let lifted = Jacobian {
            x: q.x,
            y: q.y,
            z: Fe::ONE,
        };
        let sum = Jacobian::conditional_select(&sum, &lifted, self.z.is_zero());
        Jacobian::conditional_select(&sum, self, skip)
    }

    /// The affine form, `None` for the identity; the inversion is
    /// constant time, only the identity check branches.
    pub(crate) fn to_affine(self) -> Option<Affine> {
        if self.is_identity() {
            return None;
        }
        let zi = self.z.invert();
        let zi2 = zi.square();
        Some(Affine {
            x: self.x * zi2,
            y: self.y * zi2 * zi,
        })
    }

    /// The affine x-coordinate (zero for the identity) of a secret point:
    /// Z is inverted with the multiplicative blind `blind`, which must be
    /// fresh, uniformly random and nonzero (see [`Fe::invert_blinded`]).
    pub(crate) fn affine_x_blinded(self, blind: Fe) -> Fe {
        self.x * self.z.invert_blinded(blind).square()
    }

    /// `self + q` for a finite affine q: EFD `madd-2007-bl`.
    fn add_affine(&self, q: &Affine) -> Jacobian {
        if self.is_identity() {
            return Jacobian {
                x: q.x,
                y: q.y,
                z: Fe::ONE,
            };
        }
        let z1z1 = self.z.square();
        let u2 = q.x * z1z1;
        let s2 = q.y * self.z * z1z1;
        let h = u2 - self.x;
        let r = (s2 - self.y).double();
        if bool::from(h.is_zero()) {
            return if bool::from(r.is_zero()) {
                self.double()
            } else {
                Jacobian::IDENTITY
            };
        }
        let hh = h.square();
        let i = hh.double().double();
        let j = h * i;
        let v = self.x * i;
        let x3 = r.square() - j - v.double();
        let y3 = r * (v - x3) - (self.y * j).double();
        let z3 = (self.z + h).square() - z1z1 - hh;
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// `self + q`: EFD `add-2007-bl`.
    fn add(&self, q: &Jacobian) -> Jacobian {
        if self.is_identity() {
            return *q;
        }
        if q.is_identity() {
            return *self;
        }
        let z1z1 = self.z.square();
        let z2z2 = q.z.square();
        let u1 = self.x * z2z2;
        let u2 = q.x * z1z1;
        let s1 = self.y * q.z * z2z2;
        let s2 = q.y * self.z * z1z1;
        let h = u2 - u1;
        let r = (s2 - s1).double();
        if bool::from(h.is_zero()) {
            return if bool::from(r.is_zero()) {
                self.double()
            } else {
                Jacobian::IDENTITY
            };
        }
        let i = h.double().square();
        let j = h * i;
        let v = u1 * i;
        let x3 = r.square() - j - v.double();
        let y3 = r * (v - x3) - (s1 * j).double();
        let z3 = ((self.z + q.z).square() - z1z1 - z2z2) * h;
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }
}

/// Width-w NAF of a scalar, least significant digit first: odd digits in
/// (-2^(w-1), 2^(w-1)), at most one nonzero digit in any w consecutive ones.
fn wnaf(k: &Scalar, w: u32) -> [i8; 257] {
    let mut limbs = k.to_limbs();
    let mut out = [0i8; 257];
    let window = 1u64 << w;
    let mut i = 0;
    while limbs.iter().any(|&l| l != 0) && i < out.len() {
        if limbs[0] & 1 == 1 {
            let m = (limbs[0] & (window - 1)) as i64;
            let d = if m >= (window / 2) as i64 {
                m - window as i64
            } else {
                m
            };
            out[i] = d as i8;
            // limbs -= d (d odd, |d| < 2^(w-1)); no borrow past the top as
            // the value stays non-negative.
            if d > 0 {
                sub_small(&mut limbs, d as u64);
            } else {
                add_small(&mut limbs, d.unsigned_abs());
            }
        }
        shr1(&mut limbs);
        i += 1;
    }
    out
}

fn sub_small(l: &mut [u64; 4], v: u64) {
    let mut borrow = v;
    for x in l.iter_mut() {
        let (r, b) = x.overflowing_sub(borrow);
        *x = r;
        borrow = u64::from(b);
    }
}

/// Adds `v`; no carry leaves the top limb as the value stays below
/// n + 16 < 2^256.
fn add_small(l: &mut [u64; 4], v: u64) {
    let mut carry = v;
    for x in l.iter_mut() {
        let (r, c) = x.overflowing_add(carry);
        *x = r;
        carry = u64::from(c);
    }
}

fn shr1(l: &mut [u64; 4]) {
    for i in 0..4 {
        let hi = l.get(i + 1).map_or(0, |n| n << 63);
        l[i] = (l[i] >> 1) | hi;
    }
}

/// `u1·G + u2·Q` in variable time (public inputs only).
pub(crate) fn mul_double_vartime(u1: &Scalar, u2: &Scalar, q: &Affine) -> Jacobian {
    // Odd multiples Q, 3Q, .., 15Q.
    let q1 = Jacobian {
        x: q.x,
        y: q.y,
        z: Fe::ONE,
    };
    let q2 = q1.double();
    let mut odd = [q1; 8];
    for i in 1..8 {
        odd[i] = odd[i - 1].add(&q2);
    }
    let naf = wnaf(u2, 5);
    let mut acc = Jacobian::IDENTITY;
    let top = naf.iter().rposition(|&d| d != 0).unwrap_or(0);
    for &d in naf[..=top].iter().rev() {
        acc = acc.double();
        if d > 0 {
            acc = acc.add(&odd[(d as usize) / 2]);
        } else if d < 0 {
            acc = acc.add(&odd[(d.unsigned_abs() as usize) / 2].neg());
        }
    }
    // u1·G from the comb table.
    let table = base_table();
    let digits = recode(u1);
    for (row, &d) in table.rows.iter().zip(digits.iter()) {
        if d > 0 {
            acc = acc.add_affine(&row[d as usize - 1]);
        } else if d < 0 {
            acc = acc.add_affine(&row[d.unsigned_abs() as usize - 1].neg());
        }
    }
    acc
}

/// Whether the affine x-coordinate of `p`, reduced modulo n, equals `r`,
/// without an inversion: x ≡ r (mod n) with x < p < 2n means x = r or
/// x = r + n (when r + n < p); compare X with those times Z^2.
pub(crate) fn x_equals_mod_n(p: &Jacobian, r: &Scalar) -> bool {
    if p.is_identity() {
        return false;
    }
    let r_bytes = r.to_bytes();
    let z2 = p.z.square();
    // r < n < p, so r is a field element.
    let Some(rf) = Option::<Fe>::from(Fe::from_bytes(&r_bytes)) else {
        return false;
    };
    if bool::from((rf * z2).ct_eq(&p.x)) {
        return true;
    }
    // r + n as a 257-bit integer; a field element only when below p.
    let mut sum = super::field::limbs_from_be(&r_bytes);
    let mut carry = 0u64;
    for (s, n) in sum.iter_mut().zip(super::scalar::N) {
        let (a, c1) = s.overflowing_add(n);
        let (b, c2) = a.overflowing_add(carry);
        *s = b;
        carry = u64::from(c1) + u64::from(c2);
    }
    if carry != 0 {
        return false;
    }
    let bytes = super::field::limbs_to_be(&sum);
    match Option::<Fe>::from(Fe::from_bytes(&bytes)) {
        Some(rn) => bool::from((rn * z2).ct_eq(&p.x)),
        None => false,
    }
}
