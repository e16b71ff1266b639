//! The crate's one CSPRNG: pyOpenSSL's `OpenSSL.rand`.
//!
//! Every key, nonce, salt, IV and TLS random puressl makes comes from here.
//! (Today this is the operating system's generator; the seedable ChaCha20
//! generator of the rand issue replaces it behind the same functions.)

/// Fills `buf` with cryptographically secure random bytes.
///
/// ```
/// let mut b = [0u8; 16];
/// puressl::rand::fill(&mut b);
/// ```
pub fn fill(buf: &mut [u8]) {
    if getrandom::fill(buf).is_err() {
        // The OS generator failing is not recoverable and must not yield
        // predictable bytes.
        panic!("the operating system's random number generator failed");
    }
}

/// Returns `n` random bytes (pyOpenSSL `rand.bytes`).
pub fn bytes(n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    fill(&mut v);
    v
}

/// puressl's generator as a `rand_core` RNG, to hand to RustCrypto APIs
/// (key generation, signing nonces, padding).
#[derive(Debug, Default, Clone, Copy)]
pub struct Rng;

impl rand_core::TryRng for Rng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        fill(&mut b);
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        fill(&mut b);
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        fill(dst);
        Ok(())
    }
}

impl rand_core::TryCryptoRng for Rng {}
