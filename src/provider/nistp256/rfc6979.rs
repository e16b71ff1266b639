//! Deterministic ECDSA nonces, RFC 6979 section 3.2 (HMAC-DRBG with
//! HMAC-SHA-256), with the optional additional data `k'` of section 3.6
//! appended to the seed: hedged signing passes 32 fresh random bytes there,
//! as the `ecdsa` crate's `sign_prehash_with_rng` does, so the nonces equal
//! that crate's for the same key, hash and randomness.

use std::sync::OnceLock;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroize;

use super::scalar::Scalar;

/// HMAC-SHA-256 keyed with the 32-byte key `key`.
fn keyed(key: &[u8; 32]) -> Hmac<Sha256> {
    match <Hmac<Sha256> as KeyInit>::new_from_slice(key) {
        Ok(mac) => mac,
        // A 32-byte key is always a valid HMAC key.
        Err(_) => unreachable!("HMAC accepts keys of any length"),
    }
}

/// The HMAC-DRBG state of RFC 6979 section 3.2. K is held only as an HMAC
/// instance already keyed with it (its inner and outer pads absorbed), so
/// each key is set up once and cloned for every HMAC under it; the
/// generator state wipes itself on drop (hmac's `zeroize` feature).
pub(crate) struct NonceGen {
    mac: Hmac<Sha256>,
    v: [u8; 32],
    /// Whether a candidate was handed out: the step h.3 update
    /// (K = HMAC_K(V || 0x00), V = HMAC_K(V)) is due before the next one.
    /// It is done lazily, as the first candidate is almost always used.
    pending: bool,
}

impl Drop for NonceGen {
    fn drop(&mut self) {
        self.v.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for NonceGen {}

impl NonceGen {
    /// Steps a-f of RFC 6979 section 3.2: `x` is int2octets(private key),
    /// `h` is bits2octets(H(m)), `extra` the additional data (may be empty).
    pub(crate) fn new(x: &[u8; 32], h: &[u8; 32], extra: &[u8]) -> NonceGen {
        // Step c: K = 0x00 ... 00, the same key every time.
        static ZERO_KEY: OnceLock<Hmac<Sha256>> = OnceLock::new();
        let mut g = NonceGen {
            mac: ZERO_KEY.get_or_init(|| keyed(&[0; 32])).clone(),
            v: [1; 32],
            pending: false,
        };
        g.update(&[x, h, extra]);
        g
    }

    /// HMAC_K(parts...) under the current K.
    fn hmac(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut mac = self.mac.clone();
        for p in parts {
            mac.update(p);
        }
        mac.finalize().into_bytes().into()
    }

    /// K = HMAC_K(V || 0x00 || data), V = HMAC_K(V), and again with 0x01
    /// when data was given (steps d-g, and the retry step h.3 when empty).
    fn update(&mut self, data: &[&[u8]; 3]) {
        let empty = data.iter().all(|d| d.is_empty());
        for sep in [0u8, 1] {
            if sep == 1 && empty {
                break;
            }
            let mut mac = self.mac.clone();
            mac.update(&self.v);
            mac.update(&[sep]);
            for d in data {
                mac.update(d);
            }
            let mut k: [u8; 32] = mac.finalize().into_bytes().into();
            self.mac = keyed(&k);
            k.zeroize();
            self.v = self.hmac(&[&self.v]);
        }
    }

    /// Step h: the next candidate in [1, n-1].
    pub(crate) fn next(&mut self) -> Scalar {
        loop {
            if self.pending {
                self.update(&[&[], &[], &[]]);
            }
            self.v = self.hmac(&[&self.v]);
            self.pending = true;
            let candidate = Scalar::from_bytes(&self.v);
            if let Some(k) = Option::<Scalar>::from(candidate)
                && !bool::from(k.is_zero())
            {
                return k;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6979 section 3.2 written out step by step, every HMAC keyed
    /// afresh: the reference for the lazy, key-reusing generator.
    fn reference(x: &[u8; 32], h: &[u8; 32], extra: &[u8], count: usize) -> Vec<[u8; 32]> {
        let mac = |k: &[u8; 32], parts: &[&[u8]]| -> [u8; 32] {
            let mut m = keyed(k);
            for p in parts {
                m.update(p);
            }
            m.finalize().into_bytes().into()
        };
        let (mut k, mut v) = ([0u8; 32], [1u8; 32]);
        k = mac(&k, &[&v, &[0], x, h, extra]);
        v = mac(&k, &[&v]);
        k = mac(&k, &[&v, &[1], x, h, extra]);
        v = mac(&k, &[&v]);
        let mut out = Vec::new();
        for _ in 0..count {
            v = mac(&k, &[&v]);
            out.push(v);
            k = mac(&k, &[&v, &[0]]);
            v = mac(&k, &[&v]);
        }
        out
    }

    #[test]
    fn candidates_follow_the_rfc_steps() {
        let x = [0x11; 32];
        let h = [0x22; 32];
        for extra in [&[][..], &[0x33; 32][..]] {
            let mut nonces = NonceGen::new(&x, &h, extra);
            // Successive candidates: the first, then two after step h.3.
            for want in reference(&x, &h, extra, 3) {
                assert_eq!(nonces.next().to_bytes(), want);
            }
        }
    }
}
