//! A fast, constant-time RSA private-key operation for signing (TLS
//! handshakes and `crypto::sign`), in safe Rust on `u64` limbs.
//!
//! # How it works
//!
//! * [`mont`]: Montgomery multiplication (fused CIOS, `u128` intermediates),
//!   specialised at compile time for primes of 4–64 limbs (256–4096 bits;
//!   other sizes use the next limb count up, with zero high limbs); for
//!   16-limb primes (RSA-2048) [`comba`]'s straight-line product scanning.
//! * [`pow`]: fixed-window (5-bit) exponentiation over the full limb width of
//!   the prime, the window table read in full for every lookup.
//! * [`crt`]: `m1 = c^dP mod p`, `m2 = c^dQ mod q`, Garner recombination.
//! * [`pad`]: EMSA-PKCS1-v1_5 and EMSA-PSS (RFC 8017 §9).
//!
//! # Side-channel and fault measures
//!
//! Like OpenSSL and BoringSSL (and unlike `rsa` 0.10, which blinds the
//! exponent with a random multiple of φ and the modulus with a random factor
//! and rebuilds Montgomery parameters on every call), this module relies on:
//!
//! 1. **Constant-time arithmetic.** Multiplication, reduction, the final
//!    subtraction, modular add/sub and the CRT recombination have no branches
//!    or memory indices that depend on secret values; the exponentiation does
//!    the same sequence of operations for every exponent of a given key size
//!    (the loop bound is the limb width of `p`, not the bit length of `dP`),
//!    and table lookups scan every entry with masks.
//! 2. **Base blinding.** The input is multiplied by `A = r^e mod n` and the
//!    result by `Ai = r⁻¹ mod n`, so the exponentiations see a value the
//!    attacker does not know. The pair is kept per key behind a mutex, squared
//!    on each use (`(r²)^e`, `r⁻²`) and regenerated from fresh
//!    [`crate::rand`] output every [`BLINDING_REUSE`] uses; `r⁻¹` comes from
//!    crypto-bigint's constant-time inversion.
//! 3. **Fault check.** Before a signature leaves this module, `s^e mod n` is
//!    compared with the encoded message; a mismatch (a corrupted CRT
//!    parameter, a computation fault) returns [`RsaError::Fault`], never the
//!    faulty signature that would leak a prime (Bellcore attack).
//!
//! There is no exponent blinding: the exponentiation is constant time, which
//! is what exponent blinding protects against in variable-time code.
//! Intermediate secrets are zeroized after use and the key on drop. Keys that
//! do not fit (more than two primes, primes over 4096 bits) are handled by the
//! caller with the `rsa` crate.

mod comba;
#[rustfmt::skip]
mod comba16;
mod crt;
mod mont;
mod pad;
mod pow;

use std::sync::Mutex;

use crypto_bigint::{BoxedUint, NonZero, Odd};
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use zeroize::{Zeroize, Zeroizing};

use crate::crypto::MessageDigest;
use crt::AnyCrt;
use mont::ModulusVec;

/// Uses of one blinding pair (squared in between) before a fresh one.
pub(crate) const BLINDING_REUSE: u32 = 32;

/// Why a private-key operation failed.
#[derive(Debug)]
pub(crate) enum RsaError {
    /// The hash is not the digest's length.
    HashLength {
        /// The digest's length.
        expected: usize,
        /// The length given.
        got: usize,
    },
    /// The encoded message does not fit the modulus.
    KeyTooSmall,
    /// The input is not below the modulus.
    InputTooLarge,
    /// The random generator failed.
    Rng(crate::rand::Error),
    /// Eight random blinding values in a row had no inverse (a bad key).
    NoBlinding,
    /// `s^e mod n` did not give the input back: a fault or a bad key.
    Fault,
}

impl PartialEq for RsaError {
    /// Equal variants with equal fields; two RNG failures are equal when
    /// their texts are.
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (
                RsaError::HashLength {
                    expected: a,
                    got: b,
                },
                RsaError::HashLength {
                    expected: c,
                    got: d,
                },
            ) => a == c && b == d,
            (RsaError::Rng(a), RsaError::Rng(b)) => a.to_string() == b.to_string(),
            (a, b) => {
                !matches!(a, RsaError::HashLength { .. } | RsaError::Rng(_))
                    && std::mem::discriminant(a) == std::mem::discriminant(b)
            }
        }
    }
}

impl std::fmt::Display for RsaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RsaError::HashLength { expected, got } => {
                write!(f, "hash of {got} bytes given, the digest has {expected}")
            }
            RsaError::KeyTooSmall => f.write_str("digest too big for the RSA key"),
            RsaError::InputTooLarge => f.write_str("input not below the RSA modulus"),
            RsaError::Rng(e) => write!(f, "random generator failed: {e}"),
            RsaError::NoBlinding => f.write_str("no invertible blinding value after 8 tries"),
            RsaError::Fault => f.write_str(
                "RSA private-key operation failed its consistency check \
                 (inconsistent CRT parameters or a computation fault)",
            ),
        }
    }
}

impl std::error::Error for RsaError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RsaError::Rng(e) => Some(e),
            _ => None,
        }
    }
}

/// Secret limbs, wiped on drop.
type Limbs = Zeroizing<Vec<u64>>;

/// The blinding pair in the Montgomery domain of `n`.
struct Blinding {
    /// `r^e · R mod n`.
    a: Vec<u64>,
    /// `r⁻¹ · R mod n`.
    ai: Vec<u64>,
    /// Uses since the pair was generated.
    uses: u32,
}

impl Drop for Blinding {
    fn drop(&mut self) {
        self.a.zeroize();
        self.ai.zeroize();
    }
}

/// An RSA private key prepared for fast signing (two-prime CRT).
pub(crate) struct RsaPrivate {
    crt: AnyCrt,
    /// `n`, zero-extended to `2N` limbs.
    n: ModulusVec,
    n_big: Odd<BoxedUint>,
    e: Vec<u64>,
    mod_bits: usize,
    blinding: Mutex<Option<Blinding>>,
}

impl std::fmt::Debug for RsaPrivate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RsaPrivate")
            .field("mod_bits", &self.mod_bits)
            .finish_non_exhaustive()
    }
}

/// Little-endian words of `x`, zero-extended or trimmed to `len` (`None` if
/// a non-zero word would be lost).
fn words(x: &BoxedUint, len: usize) -> Option<Vec<u64>> {
    let bytes = Zeroizing::new(x.to_be_bytes());
    be_to_limbs(&bytes, len)
}

impl RsaPrivate {
    /// Prepares `key`; `None` when it has no two-prime CRT form this module
    /// handles (multi-prime keys, primes over 4096 bits): use the `rsa` crate.
    pub(crate) fn new(key: &rsa::PrivateKey) -> Option<Self> {
        let [p, q] = key.primes() else {
            return None;
        };
        // The rsa crate precomputes dP, dQ and qInv at load; derive them
        // from d only when it has not.
        let d = key.d();
        let one = BoxedUint::one();
        let dp = match key.dp() {
            Some(dp) => Zeroizing::new(dp.clone()),
            None => {
                let p1 = NonZero::new(p.as_ref().wrapping_sub(&one)).into_option()?;
                Zeroizing::new(d.rem(&p1))
            }
        };
        let dq = match key.dq() {
            Some(dq) => Zeroizing::new(dq.clone()),
            None => {
                let q1 = NonZero::new(q.as_ref().wrapping_sub(&one)).into_option()?;
                Zeroizing::new(d.rem(&q1))
            }
        };
        let qinv = match key.qinv() {
            Some(qinv) => Zeroizing::new(qinv.retrieve()),
            None => {
                let q_mod_p = Zeroizing::new(q.as_ref().rem(p.as_nz_ref()));
                Zeroizing::new(Option::<BoxedUint>::from(q_mod_p.invert_odd_mod(p))?)
            }
        };
        Self::from_parts(key.n(), key.e(), p, q, &dp, &dq, &qinv)
    }

    /// Builds the key from its CRT parameters (no consistency check: a bad
    /// parameter makes every signature fail the fault check).
    pub(crate) fn from_parts(
        n: &BoxedUint,
        e: &BoxedUint,
        p: &BoxedUint,
        q: &BoxedUint,
        dp: &BoxedUint,
        dq: &BoxedUint,
        qinv: &BoxedUint,
    ) -> Option<Self> {
        let bits = p.bit_width_vartime().max(q.bit_width_vartime()) as usize;
        let limbs = bits.div_ceil(64).max(1);
        let secret = |x: &BoxedUint| words(x, limbs).map(Zeroizing::new);
        let (pw, qw) = (secret(p)?, secret(q)?);
        let (dpw, dqw, qiw) = (secret(dp)?, secret(dq)?, secret(qinv)?);
        let crt = AnyCrt::new(&pw, &qw, &dpw, &dqw, &qiw)?;
        let n_limbs = 2 * crt.limbs();
        let n_vec = ModulusVec::new(words(n, n_limbs)?)?;
        let e_words = words(e, (e.bit_width_vartime() as usize).div_ceil(64))?;
        Some(Self {
            crt,
            n: n_vec,
            n_big: Odd::new(n.clone()).into_option()?,
            e: e_words,
            mod_bits: n.bit_width_vartime() as usize,
            blinding: Mutex::new(None),
        })
    }

    /// Modulus length in bits.
    #[cfg(test)]
    pub(crate) fn bits(&self) -> usize {
        self.mod_bits
    }

    /// Modulus length in bytes (`k` of RFC 8017).
    pub(crate) fn size(&self) -> usize {
        self.mod_bits.div_ceil(8)
    }

    /// A fresh blinding pair: `r` random below `n`, `r^e` and `r⁻¹`.
    fn new_blinding(&self) -> Result<Blinding, RsaError> {
        let bytes = self.size().saturating_sub(1).max(1);
        for _ in 0..8 {
            let mut buf = Zeroizing::new(vec![0u8; bytes]);
            crate::rand::try_fill(&mut buf).map_err(RsaError::Rng)?;
            let r = Zeroizing::new(BoxedUint::from_be_slice_vartime(&buf));
            let Some(ri) = Option::<BoxedUint>::from(r.invert_odd_mod(&self.n_big)) else {
                continue;
            };
            let ri = Zeroizing::new(ri);
            let len = self.n.len();
            let (Some(rw), Some(riw)) = (words(&r, len), words(&ri, len)) else {
                continue;
            };
            let (rw, riw) = (Zeroizing::new(rw), Zeroizing::new(riw));
            let a = Zeroizing::new(self.n.pow_public(&rw, &self.e));
            return Ok(Blinding {
                a: self.n.to_mont(&a),
                ai: self.n.to_mont(&riw),
                uses: 1,
            });
        }
        Err(RsaError::NoBlinding)
    }

    /// The blinding pair for this operation (`r^e·R`, `r⁻¹·R`).
    fn blinding_pair(&self) -> Result<(Limbs, Limbs), RsaError> {
        let mut guard = self.blinding.lock().unwrap_or_else(|e| e.into_inner());
        match guard.as_mut() {
            Some(b) if b.uses < BLINDING_REUSE => {
                b.a = self.n.mul(&b.a, &b.a);
                b.ai = self.n.mul(&b.ai, &b.ai);
                b.uses += 1;
            }
            _ => *guard = Some(self.new_blinding()?),
        }
        let b = guard.as_ref().ok_or(RsaError::Fault)?;
        Ok((Zeroizing::new(b.a.clone()), Zeroizing::new(b.ai.clone())))
    }

    /// The raw RSA private operation `em^d mod n` on a big-endian input of
    /// [`Self::size`] bytes or fewer, blinded and fault-checked; returns
    /// [`Self::size`] bytes.
    pub(crate) fn private_op(&self, em: &[u8]) -> Result<Vec<u8>, RsaError> {
        let len = self.n.len();
        let c = be_to_limbs(em, len).ok_or(RsaError::InputTooLarge)?;
        if !less_than(&c, self.n.modulus()) {
            return Err(RsaError::InputTooLarge);
        }
        let (a, ai) = self.blinding_pair()?;
        let blinded = Zeroizing::new(self.n.mul(&c, &a));
        let mut s = Zeroizing::new(vec![0u64; len]);
        self.crt.private_op(&blinded, &mut s);
        let s = Zeroizing::new(self.n.mul(&s, &ai));
        // Fault check against the unblinded input (public values only).
        let check = self.n.pow_public(&s, &self.e);
        if check != c {
            return Err(RsaError::Fault);
        }
        Ok(limbs_to_be(&s, self.size()))
    }

    /// RSASSA-PKCS1-v1_5 signature of a `md` hash.
    pub(crate) fn sign_pkcs1v15(
        &self,
        md: MessageDigest,
        hash: &[u8],
    ) -> Result<Vec<u8>, RsaError> {
        let em = Zeroizing::new(pad::pkcs1v15(md, hash, self.size())?);
        self.private_op(&em)
    }

    /// RSASSA-PSS signature of a `md` hash, MGF1 with `md`, a random salt of
    /// `salt_len` bytes.
    pub(crate) fn sign_pss(
        &self,
        md: MessageDigest,
        hash: &[u8],
        salt_len: usize,
    ) -> Result<Vec<u8>, RsaError> {
        if salt_len > self.size() {
            return Err(RsaError::KeyTooSmall);
        }
        let mut salt = Zeroizing::new(vec![0u8; salt_len]);
        crate::rand::try_fill(&mut salt).map_err(RsaError::Rng)?;
        let em = Zeroizing::new(pad::pss(md, hash, &salt, self.mod_bits)?);
        self.private_op(&em)
    }
}

/// Big-endian bytes to `len` little-endian limbs (`None` if too long).
fn be_to_limbs(bytes: &[u8], len: usize) -> Option<Vec<u64>> {
    let mut out = vec![0u64; len];
    for (i, chunk) in bytes.rchunks(8).enumerate() {
        let mut w = [0u8; 8];
        w[8 - chunk.len()..].copy_from_slice(chunk);
        let v = u64::from_be_bytes(w);
        match out.get_mut(i) {
            Some(o) => *o = v,
            None if v == 0 => {}
            None => return None,
        }
    }
    Some(out)
}

/// Little-endian limbs to `k` big-endian bytes (high bytes beyond `k` are
/// dropped; callers pass values below `2^(8k)`).
fn limbs_to_be(limbs: &[u64], k: usize) -> Vec<u8> {
    let mut out = vec![0u8; k];
    for (i, o) in out.iter_mut().rev().enumerate() {
        *o = limbs.get(i / 8).map_or(0, |w| (w >> (8 * (i % 8))) as u8);
    }
    out
}

/// `a < b` for equal-length limb slices (constant time).
fn less_than(a: &[u64], b: &[u64]) -> bool {
    let mut borrow = 0u64;
    for (&x, &y) in a.iter().zip(b) {
        let t = u128::from(x)
            .wrapping_sub(u128::from(y))
            .wrapping_sub(u128::from(borrow));
        borrow = (t >> 127) as u64;
    }
    borrow == 1
}

#[cfg(test)]
mod tests;
