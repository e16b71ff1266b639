//! A ChaCha20 generator with a caller-chosen key, for tests and reproducible runs.

use chacha20::ChaCha20Rng;
use rand_core::{Rng as _, SeedableRng};

/// A ChaCha20 keystream generator keyed by the caller: the same seed always gives the
/// same bytes.
///
/// This is **not** the process-wide generator and never touches it: use it for tests,
/// simulations and reproducible runs where the seed is known. It is cryptographically
/// strong only as long as its seed is secret and used once. Its output is the plain
/// ChaCha20 keystream of RFC 8439 (no mixing, no key erasure), so it can be checked
/// against the RFC's test vectors.
///
/// ```
/// use puressl::rand::DeterministicRng;
/// // RFC 8439 appendix A.1, test vector #1: all-zero key, nonce and counter.
/// let mut rng = DeterministicRng::from_seed([0u8; 32]);
/// let mut block = [0u8; 8];
/// rng.fill(&mut block);
/// assert_eq!(block, [0x76, 0xb8, 0xe0, 0xad, 0xa0, 0xf1, 0x3d, 0x90]);
/// ```
pub struct DeterministicRng {
    rng: ChaCha20Rng,
}

impl DeterministicRng {
    /// The keystream of ChaCha20 with key `seed`, nonce zero and block counter zero.
    pub fn from_seed(seed: [u8; 32]) -> Self {
        DeterministicRng {
            rng: ChaCha20Rng::from_seed(seed),
        }
    }

    /// The keystream of ChaCha20 with the RFC 8439 parameters: 256-bit `key`, 96-bit
    /// `nonce` and 32-bit initial block `counter`.
    ///
    /// After 2³² blocks the counter carries into the first nonce word, as in the
    /// original ChaCha layout; RFC 8439 leaves that case undefined.
    pub fn from_key_nonce(key: [u8; 32], nonce: [u8; 12], counter: u32) -> Self {
        let [n0, n1, n2, n3, s @ ..] = nonce;
        // State words 12..16 are counter ‖ nonce (RFC 8439); the generator sees word 12
        // and 13 as a 64-bit block position and words 14 and 15 as a 64-bit stream.
        let mut rng = ChaCha20Rng::from_seed(key);
        rng.set_stream(u64::from_le_bytes(s));
        rng.set_block_pos(
            u64::from(counter) | u64::from(u32::from_le_bytes([n0, n1, n2, n3])) << 32,
        );
        DeterministicRng { rng }
    }

    /// Fills `buf` with the next keystream bytes.
    pub fn fill(&mut self, buf: &mut [u8]) {
        self.rng.fill_bytes(buf);
    }
}

impl core::fmt::Debug for DeterministicRng {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("DeterministicRng { .. }")
    }
}

impl rand_core::TryRng for DeterministicRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(self.rng.next_u32())
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(self.rng.next_u64())
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        self.rng.fill_bytes(dst);
        Ok(())
    }
}

impl rand_core::TryCryptoRng for DeterministicRng {}
