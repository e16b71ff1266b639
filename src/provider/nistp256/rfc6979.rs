//! Deterministic ECDSA nonces, RFC 6979 section 3.2 (HMAC-DRBG with
//! HMAC-SHA-256), with the optional additional data `k'` of section 3.6
//! appended to the seed: hedged signing passes 32 fresh random bytes there,
//! as the `ecdsa` crate's `sign_prehash_with_rng` does, so the nonces equal
//! that crate's for the same key, hash and randomness.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::scalar::Scalar;

/// The HMAC-DRBG state (K, V) of RFC 6979 section 3.2.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(crate) struct NonceGen {
    k: [u8; 32],
    v: [u8; 32],
}

impl NonceGen {
    /// Steps a-f of RFC 6979 section 3.2: `x` is int2octets(private key),
    /// `h` is bits2octets(H(m)), `extra` the additional data (may be empty).
    pub(crate) fn new(x: &[u8; 32], h: &[u8; 32], extra: &[u8]) -> NonceGen {
        let mut g = NonceGen {
            k: [0; 32],
            v: [1; 32],
        };
        g.update(&[x, h, extra]);
        g
    }

    fn hmac(&self, parts: &[&[u8]]) -> [u8; 32] {
        // A 32-byte key is always a valid HMAC key.
        let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(&self.k) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC accepts keys of any length"),
        };
        for p in parts {
            mac.update(p);
        }
        mac.finalize().into_bytes().into()
    }

    /// K = HMAC_K(V || 0x00 || data), V = HMAC_K(V), and again with 0x01
    /// when data was given (steps d-g, and the retry step h.3 when empty).
    fn update(&mut self, data: &[&[u8]]) {
        for (round, sep) in [0u8, 1].into_iter().enumerate() {
            if round == 1 && data.is_empty() {
                break;
            }
            let mut parts: Vec<&[u8]> = Vec::with_capacity(2 + data.len());
            let v = self.v;
            parts.push(&v);
            let sep = [sep];
            parts.push(&sep);
            parts.extend_from_slice(data);
            self.k = self.hmac(&parts);
            self.v = self.hmac(&[&self.v]);
        }
    }

    /// Step h: the next candidate in [1, n-1].
    pub(crate) fn next(&mut self) -> Scalar {
        loop {
            self.v = self.hmac(&[&self.v]);
            let mut t = self.v;
            self.update(&[]);
            let candidate = Scalar::from_bytes(&t);
            t.zeroize();
            if let Some(k) = Option::<Scalar>::from(candidate) {
                if !bool::from(k.is_zero()) {
                    return k;
                }
            }
        }
    }
}
