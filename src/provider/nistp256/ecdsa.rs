//! ECDSA over P-256 (FIPS 186-5 section 6.4, SEC 1 section 4.1): signing
//! with hedged RFC 6979 nonces and DER signatures, the same bytes the
//! `ecdsa`/`p256` crates produce; verification of DER signatures against
//! SEC1 public keys with the checks of p256's `VerifyingKey`.

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::der;
use super::field::Fe;
use super::jacobian::{mul_double_vartime, x_equals_mod_n};
use super::point::{Affine, B};
use super::rfc6979::NonceGen;
use super::scalar::Scalar;
use super::table::mul_base;

/// Why a P-256 key or signature was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Error(pub(crate) &'static str);

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Error {}

/// The hash as an integer modulo n (SEC 1 section 4.1.3 step 5, as the
/// `ecdsa` crate's `bits2field`): a hash of 256 bits or more gives its
/// leftmost 256 bits, reduced once; a shorter one (SHA-1, SHA-224) is
/// used whole, as a big-endian integer (zero-extended on the left), which
/// is already below n.
fn hash_to_scalar(prehash: &[u8]) -> Scalar {
    let mut head = [0u8; 32];
    match prehash.get(..32) {
        Some(h) => head.copy_from_slice(h),
        None => head[32 - prehash.len()..].copy_from_slice(prehash),
    }
    Scalar::reduce_bytes(&head)
}

/// Fresh uniformly random nonzero blinds for one signature: one modulo n
/// (for k^-1) and one modulo p (for the Z^-1 of k·G), by rejection
/// sampling of 32-byte strings from [`crate::rand`] (a rejection happens
/// with probability below 2^-31 and reveals nothing about the key or k).
fn random_blinds() -> Result<(Scalar, Fe), Error> {
    loop {
        let mut buf = [0u8; 64];
        crate::rand::try_fill(&mut buf).map_err(|_| Error("no randomness for signing"))?;
        let (a, b) = buf.split_at(32);
        let parse = |a: &[u8]| -> Option<(Scalar, Fe)> {
            let a: &[u8; 32] = a.try_into().ok()?;
            let b: &[u8; 32] = b.try_into().ok()?;
            let s = Option::<Scalar>::from(Scalar::from_bytes(a))
                .filter(|s| !bool::from(s.is_zero()))?;
            let f = Option::<Fe>::from(Fe::from_bytes(b)).filter(|f| !bool::from(f.is_zero()))?;
            Some((s, f))
        };
        let blinds = parse(a);
        buf.zeroize();
        if let Some(blinds) = blinds {
            return Ok(blinds);
        }
    }
}

/// A P-256 ECDSA private key; the scalar is wiped on drop.
pub(crate) struct SigningKey {
    d: Scalar,
    /// int2octets(d), the RFC 6979 seed.
    d_bytes: [u8; 32],
    /// d·G, computed when first asked for (signing does not need it).
    public: std::sync::OnceLock<Affine>,
}

impl core::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SigningKey").finish_non_exhaustive()
    }
}

impl Drop for SigningKey {
    fn drop(&mut self) {
        self.d.zeroize();
        self.d_bytes.zeroize();
    }
}

impl ZeroizeOnDrop for SigningKey {}

impl SigningKey {
    /// From the 32-byte big-endian private scalar, which must be in [1, n-1].
    pub(crate) fn from_bytes(bytes: &[u8; 32]) -> Result<SigningKey, Error> {
        // d in [1, n-1] makes d·G a finite point.
        let d = Option::<Scalar>::from(Scalar::from_bytes(bytes))
            .filter(|d| !bool::from(d.is_zero()))
            .ok_or(Error("P-256 private key out of range"))?;
        Ok(SigningKey {
            d,
            d_bytes: *bytes,
            public: std::sync::OnceLock::new(),
        })
    }

    /// The public key as an uncompressed SEC1 point.
    pub(crate) fn public_key(&self) -> [u8; 65] {
        let public = self
            .public
            .get_or_init(|| match mul_base(&self.d).to_affine() {
                Some(p) => p,
                // d is in [1, n-1] (checked by from_bytes), so d·G is finite.
                None => unreachable!("d·G is the identity for d in [1, n-1]"),
            });
        public.to_uncompressed()
    }

    /// Signs a message hash, returning (r, s) as 32-byte big-endian
    /// integers; `extra` is RFC 6979's additional data (empty for plain
    /// deterministic signatures).
    ///
    /// Mirrors `ecdsa::hazmat::sign_prehashed_rfc6979` for P-256 (which
    /// applies no low-s normalisation): the nonce comes from HMAC-DRBG over
    /// (d, bits2octets(h), extra); a nonce giving r = 0 or s = 0 is
    /// replaced by the generator's next one.
    pub(crate) fn sign_prehash(
        &self,
        prehash: &[u8],
        extra: &[u8],
    ) -> Result<([u8; 32], [u8; 32]), Error> {
        let z = hash_to_scalar(prehash);
        let mut nonces = NonceGen::new(&self.d_bytes, &z.to_bytes(), extra);
        loop {
            let mut k = nonces.next();
            let (mut k_blind, z_blind) = random_blinds()?;
            // R = k·G (constant time), r = x(R) mod n.
            let x = mul_base(&k).affine_x_blinded(z_blind);
            let r = Scalar::reduce_bytes(&x.to_bytes());
            // s = k^-1 (z + r·d)
            let mut k_inv = k.invert_blinded(k_blind);
            k_blind.zeroize();
            let s = k_inv * (z + r * self.d);
            k.zeroize();
            k_inv.zeroize();
            if !bool::from(r.is_zero() | s.is_zero()) {
                return Ok((r.to_bytes(), s.to_bytes()));
            }
        }
    }

    /// Hedged DER signature of a message hash of any length (truncated or
    /// zero-extended as [`hash_to_scalar`] says): 32 random bytes from
    /// [`crate::rand`] as RFC 6979 additional data, as the `ecdsa` crate's
    /// `sign_prehash_with_rng` does, so the same random bytes give the same
    /// signature as the `p256` crate.
    pub(crate) fn sign_prehash_hedged(&self, prehash: &[u8]) -> Result<Vec<u8>, Error> {
        let mut extra = [0u8; 32];
        crate::rand::try_fill(&mut extra).map_err(|_| Error("no randomness for signing"))?;
        let signed = self.sign_prehash(prehash, &extra);
        extra.zeroize();
        let (r, s) = signed?;
        Ok(der::encode(&r, &s))
    }

    /// Hedged DER signature of `message` with SHA-256: 32 random bytes from
    /// [`crate::rand`] as RFC 6979 additional data, exactly what
    /// `p256::ecdsa::SigningKey::try_sign_with_rng` does.
    pub(crate) fn sign_sha256_hedged(&self, message: &[u8]) -> Result<Vec<u8>, Error> {
        use sha2::Digest;
        self.sign_prehash_hedged(&sha2::Sha256::digest(message))
    }
}

/// A P-256 public key (a finite point on the curve).
#[derive(Clone, Copy, Debug)]
pub(crate) struct VerifyingKey {
    point: Affine,
}

impl VerifyingKey {
    /// Parses a SEC1 point as p256's `VerifyingKey::from_sec1_bytes` does:
    /// uncompressed (`04 x y`), compressed (`02 x`, `03 x`) or compact
    /// (`05 x`, the y of the two that is smaller as an integer).
    /// Coordinates must be below p and on the curve; the identity (`00`)
    /// is refused.
    pub(crate) fn from_sec1(bytes: &[u8]) -> Result<VerifyingKey, Error> {
        let bad = Error("invalid P-256 public key");
        let coord = |b: &[u8]| -> Result<Fe, Error> {
            let arr: &[u8; 32] = b.try_into().map_err(|_| bad)?;
            Option::<Fe>::from(Fe::from_bytes(arr)).ok_or(bad)
        };
        let point = match bytes {
            [4, rest @ ..] if rest.len() == 64 => {
                let (x, y) = rest.split_at(32);
                let p = Affine {
                    x: coord(x)?,
                    y: coord(y)?,
                };
                if !bool::from(p.is_on_curve()) {
                    return Err(bad);
                }
                p
            }
            [tag @ (2 | 3 | 5), x @ ..] if x.len() == 32 => {
                let x = coord(x)?;
                let rhs = (x.square() - Fe::from_u64(3)) * x + B;
                let y = Option::<Fe>::from(rhs.sqrt()).ok_or(bad)?;
                let y = if *tag == 5 {
                    // The smaller of y and p - y as integers.
                    let neg = -y;
                    if neg.to_bytes() < y.to_bytes() {
                        neg
                    } else {
                        y
                    }
                } else if bool::from(y.is_odd().ct_eq(&subtle::Choice::from(tag & 1))) {
                    y
                } else {
                    -y
                };
                Affine { x, y }
            }
            _ => return Err(bad),
        };
        Ok(VerifyingKey { point })
    }

    /// Verifies a DER signature over a message hash: r and s in [1, n-1],
    /// then x(u1·G + u2·Q) ≡ r (mod n) with w = s^-1, u1 = z·w, u2 = r·w.
    /// High s values are accepted (P-256 has no low-s rule).
    pub(crate) fn verify_prehash(&self, prehash: &[u8], sig_der: &[u8]) -> bool {
        let Ok((r, s)) = der::decode(sig_der) else {
            return false;
        };
        let in_range = |b: &[u8; 32]| {
            Option::<Scalar>::from(Scalar::from_bytes(b)).filter(|v| !bool::from(v.is_zero()))
        };
        let (Some(r), Some(s)) = (in_range(&r), in_range(&s)) else {
            return false;
        };
        let z = hash_to_scalar(prehash);
        let w = s.invert_vartime(); // s is public
        let p = mul_double_vartime(&(z * w), &(r * w), &self.point);
        x_equals_mod_n(&p, &r)
    }
}

/// Verifies a DER ECDSA P-256 signature over `message` hashed with SHA-256
/// against a SEC1-encoded public key.
pub(crate) fn verify_sha256(public_key: &[u8], message: &[u8], sig_der: &[u8]) -> bool {
    use sha2::Digest;
    match VerifyingKey::from_sec1(public_key) {
        Ok(key) => key.verify_prehash(&sha2::Sha256::digest(message), sig_der),
        Err(_) => false,
    }
}

/// Verifies a DER ECDSA P-256 signature over `message` hashed with SHA-384
/// (its leftmost 256 bits) against a SEC1-encoded public key.
pub(crate) fn verify_sha384(public_key: &[u8], message: &[u8], sig_der: &[u8]) -> bool {
    use sha2::Digest;
    match VerifyingKey::from_sec1(public_key) {
        Ok(key) => key.verify_prehash(&sha2::Sha384::digest(message), sig_der),
        Err(_) => false,
    }
}
