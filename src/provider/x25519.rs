//! X25519 (RFC 7748 §5) on fiat-crypto's curve25519 field, with a
//! constant-time Montgomery ladder of our own.
//!
//! * [`field`]: GF(2^255 - 19), fiat-crypto `curve25519_64`;
//! * [`x25519`]: clamping, the ladder (one constant-time conditional swap of
//!   both projective points per scalar bit, no secret-dependent branch or
//!   index), and the final inversion (Fermat, constant time);
//! * [`public_key`]: the fixed-base case, through curve25519-dalek's
//!   constant-time Edwards comb with precomputed tables, which is faster than
//!   a ladder on the base point (the result is the same u-coordinate).
//!
//! The secret scalar lives in [`Secret`], zeroized on drop.

mod field;
#[cfg(test)]
pub(crate) mod tests;

use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop};

use field::Fe;

/// A 32-byte X25519 private key (unclamped, as generated or given),
/// zeroized on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct Secret([u8; 32]);

impl Secret {
    /// Wraps raw key bytes (clamping happens in each scalar multiplication);
    /// for known-answer tests.
    #[cfg(test)]
    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// A fresh key from the crate's CSPRNG (an error when it cannot be
    /// seeded).
    pub(crate) fn random() -> Result<Self, rustls::Error> {
        let mut key = Self([0u8; 32]);
        crate::rand::try_fill(&mut key.0).map_err(|_| rustls::Error::FailedToGetRandomBytes)?;
        Ok(key)
    }

    /// Our public key, `X25519(k, 9)`.
    pub(crate) fn public_key(&self) -> [u8; 32] {
        public_key(&self.0)
    }

    /// The shared secret `X25519(k, peer)`, or `None` when it is all zero
    /// (the peer sent a point of small order: RFC 7748 §6.1, RFC 8446
    /// §7.4.2 require the check).
    pub(crate) fn diffie_hellman(&self, peer: &[u8; 32]) -> Option<[u8; 32]> {
        let shared = x25519(&self.0, peer);
        let zero: Choice = shared.ct_eq(&[0u8; 32]);
        if bool::from(zero) {
            None
        } else {
            Some(shared)
        }
    }
}

/// RFC 7748 §5 clamping: clear the three low bits and bit 255, set bit 254.
fn clamp(k: &[u8; 32]) -> [u8; 32] {
    let mut s = *k;
    s[0] &= 248;
    s[31] &= 127;
    s[31] |= 64;
    s
}

/// The X25519 function of RFC 7748 §5: `k` is clamped, `u` decoded with its
/// top bit masked; constant time in `k` (and in `u`).
pub(crate) fn x25519(k: &[u8; 32], u: &[u8; 32]) -> [u8; 32] {
    let mut scalar = clamp(k);
    let x1 = Fe::from_bytes(u);
    let (mut x2, mut z2) = (Fe::ONE, Fe::ZERO);
    let (mut x3, mut z3) = (x1, Fe::ONE);
    let mut swap = 0u8;
    for t in (0..255).rev() {
        let bit = (scalar[t >> 3] >> (t & 7)) & 1;
        let choice = Choice::from(swap ^ bit);
        Fe::conditional_swap(&mut x2, &mut x3, choice);
        Fe::conditional_swap(&mut z2, &mut z3, choice);
        swap = bit;
        // One differential addition and doubling (RFC 7748 §5, with the
        // equivalent z_2 = E·(BB + 121666·E) for z_2 = E·(AA + 121665·E)).
        let a = x2.add(z2);
        let aa = a.square();
        let b = x2.sub(z2);
        let bb = b.square();
        let e = aa.sub(bb);
        let c = x3.add(z3);
        let d = x3.sub(z3);
        let da = d.mul(a);
        let cb = c.mul(b);
        x3 = da.add(cb).square();
        z3 = x1.mul(da.sub(cb).square());
        x2 = aa.mul(bb);
        z2 = e.mul(bb.add(e.mul_121666()));
    }
    let choice = Choice::from(swap);
    Fe::conditional_swap(&mut x2, &mut x3, choice);
    Fe::conditional_swap(&mut z2, &mut z3, choice);
    scalar.zeroize();
    x2.mul(z2.invert()).to_bytes()
}

/// `X25519(k, 9)`: the public key for the private key `k`. Computed as the
/// Edwards fixed-base multiplication of curve25519-dalek (constant-time comb
/// over precomputed tables, then the birational map to the u-coordinate),
/// which equals the ladder's result; its copy of the key is zeroized on drop.
pub(crate) fn public_key(k: &[u8; 32]) -> [u8; 32] {
    let secret = x25519_dalek::StaticSecret::from(*k);
    x25519_dalek::PublicKey::from(&secret).to_bytes()
}
