//! P-256 points: affine coordinates, and homogeneous projective coordinates
//! with the complete addition formulas of Renes, Costello and Batina,
//! "Complete addition formulas for prime order elliptic curves"
//! (EUROCRYPT 2016, <https://eprint.iacr.org/2015/1060>), specialised to
//! a = -3. Complete means no exceptional inputs (P = Q, P = -Q, identity),
//! which keeps building the comb table simple.

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

use super::field::Fe;

/// The curve constant b of y^2 = x^3 - 3x + b.
pub(crate) const B: Fe = Fe::from_be_const(&[
    0x5a, 0xc6, 0x35, 0xd8, 0xaa, 0x3a, 0x93, 0xe7, 0xb3, 0xeb, 0xbd, 0x55, 0x76, 0x98, 0x86, 0xbc,
    0x65, 0x1d, 0x06, 0xb0, 0xcc, 0x53, 0xb0, 0xf6, 0x3b, 0xce, 0x3c, 0x3e, 0x27, 0xd2, 0x60, 0x4b,
]);

/// The base point G (SEC 2, secp256r1).
pub(crate) const G: Affine = Affine {
    x: Fe::from_be_const(&[
        0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5, 0x63, 0xa4, 0x40,
        0xf2, 0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98,
        0xc2, 0x96,
    ]),
    y: Fe::from_be_const(&[
        0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb, 0x4a, 0x7c, 0x0f, 0x9e,
        0x16, 0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce, 0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf,
        0x51, 0xf5,
    ]),
};

/// A finite point (x, y) on the curve. The identity has no affine form;
/// code that may meet it carries a separate flag.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Affine {
    pub(crate) x: Fe,
    pub(crate) y: Fe,
}

impl Affine {
    /// Whether (x, y) satisfies y^2 = x^3 - 3x + b.
    pub(crate) fn is_on_curve(&self) -> Choice {
        let x = self.x;
        let rhs = (x.square() - Fe::from_u64(3)) * x + B;
        self.y.square().ct_eq(&rhs)
    }

    /// The point with the same x and the y-coordinate negated.
    pub(crate) fn neg(&self) -> Affine {
        Affine {
            x: self.x,
            y: -self.y,
        }
    }

    /// Negates in place when `choice` is set, in constant time.
    pub(crate) fn conditional_negate(&mut self, choice: Choice) {
        let neg = -self.y;
        self.y.conditional_assign(&neg, choice);
    }

    /// Uncompressed SEC1 encoding: `04 || x || y`.
    pub(crate) fn to_uncompressed(self) -> [u8; 65] {
        let mut out = [0u8; 65];
        out[0] = 4;
        out[1..33].copy_from_slice(&self.x.to_bytes());
        out[33..].copy_from_slice(&self.y.to_bytes());
        out
    }
}

impl ConditionallySelectable for Affine {
    fn conditional_select(a: &Affine, b: &Affine, choice: Choice) -> Affine {
        Affine {
            x: Fe::conditional_select(&a.x, &b.x, choice),
            y: Fe::conditional_select(&a.y, &b.y, choice),
        }
    }
}

/// A point (X : Y : Z) in homogeneous projective coordinates,
/// x = X/Z, y = Y/Z; the identity is (0 : 1 : 0).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Projective {
    pub(crate) x: Fe,
    pub(crate) y: Fe,
    pub(crate) z: Fe,
}

impl Projective {
    /// `self + other`: RCB16 Algorithm 4 (complete projective addition,
    /// a = -3), 12M + 2m_b + 29a. Valid for all inputs, including equal
    /// points, opposite points and the identity.
    pub(crate) fn add(&self, other: &Projective) -> Projective {
        let (x1, y1, z1) = (self.x, self.y, self.z);
        let (x2, y2, z2) = (other.x, other.y, other.z);
        let mut t0 = x1 * x2; // 1
        let mut t1 = y1 * y2; // 2
        let mut t2 = z1 * z2; // 3
        let mut t3 = x1 + y1; // 4
        let mut t4 = x2 + y2; // 5
        t3 = t3 * t4; // 6
        t4 = t0 + t1; // 7
        t3 = t3 - t4; // 8
        t4 = y1 + z1; // 9
        let mut x3 = y2 + z2; // 10
        t4 = t4 * x3; // 11
        x3 = t1 + t2; // 12
        t4 = t4 - x3; // 13
        x3 = x1 + z1; // 14
        let mut y3 = x2 + z2; // 15
        x3 = x3 * y3; // 16
        y3 = t0 + t2; // 17
        y3 = x3 - y3; // 18
        let mut z3 = B * t2; // 19
        x3 = y3 - z3; // 20
        z3 = x3 + x3; // 21
        x3 = x3 + z3; // 22
        z3 = t1 - x3; // 23
        x3 = t1 + x3; // 24
        y3 = B * y3; // 25
        t1 = t2 + t2; // 26
        t2 = t1 + t2; // 27
        y3 = y3 - t2; // 28
        y3 = y3 - t0; // 29
        t1 = y3 + y3; // 30
        y3 = t1 + y3; // 31
        t1 = t0 + t0; // 32
        t0 = t1 + t0; // 33
        t0 = t0 - t2; // 34
        t1 = t4 * y3; // 35
        t2 = t0 * y3; // 36
        y3 = x3 * z3; // 37
        y3 = y3 + t2; // 38
        x3 = x3 * t3; // 39
        x3 = x3 - t1; // 40
        z3 = t4 * z3; // 41
        t1 = t3 * t0; // 42
        z3 = z3 + t1; // 43
        Projective {
            x: x3,
            y: y3,
            z: z3,
        }
    }
}

impl From<Affine> for Projective {
    fn from(p: Affine) -> Projective {
        Projective {
            x: p.x,
            y: p.y,
            z: Fe::ONE,
        }
    }
}

/// Converts many projective points (none the identity) to affine with one
/// inversion (Montgomery's simultaneous inversion trick).
pub(crate) fn batch_to_affine(points: &[Projective]) -> Vec<Affine> {
    let mut prefix = Vec::with_capacity(points.len());
    let mut acc = Fe::ONE;
    for p in points {
        prefix.push(acc);
        acc = acc * p.z;
    }
    let mut inv = acc.invert();
    let mut out = vec![G; points.len()];
    for ((p, pre), slot) in points.iter().zip(&prefix).zip(out.iter_mut()).rev() {
        let zinv = inv * *pre;
        inv = inv * p.z;
        *slot = Affine {
            x: p.x * zinv,
            y: p.y * zinv,
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_on_curve_and_group_law() {
        assert!(bool::from(G.is_on_curve()));
        let g = Projective::from(G);
        let two = g.add(&g);
        let three = two.add(&g);
        let batch = batch_to_affine(&[two, three, g]);
        assert!(bool::from(batch[0].is_on_curve() & batch[1].is_on_curve()));
        // x(2G) = 7cf27b18...
        assert_eq!(batch[0].x.to_bytes()[..4], [0x7c, 0xf2, 0x7b, 0x18]);
        assert_eq!(batch[2].to_uncompressed(), G.to_uncompressed());
        // P + (-P) has Z = 0, and complete addition handles the identity.
        let zero = g.add(&Projective::from(G.neg()));
        assert!(bool::from(zero.z.is_zero()));
        let back = batch_to_affine(&[zero.add(&g)]);
        assert_eq!(back[0].to_uncompressed(), G.to_uncompressed());
    }
}
