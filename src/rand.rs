//! The crate's one CSPRNG: pyOpenSSL's `OpenSSL.rand`.
//!
//! Every key, nonce, salt, IV and TLS random puressl makes comes from one
//! process-wide generator:
//!
//! - **ChaCha20** (the `chacha20` crate's RNG), keyed with 32 bytes from the
//!   operating system (`getrandom`) at first use, behind a mutex (`Send + Sync`).
//! - **Fast key erasure**: every 256-byte batch of keystream begins with the next key
//!   and the key that made it is dropped; small requests are served from the rest of
//!   the batch, wiping bytes as they go, and a large request re-keys right after. A
//!   later look at the state does not reveal output already handed out.
//! - **Reseeding**: 32 fresh OS bytes are mixed in after every [`RESEED_INTERVAL`]
//!   (1 MiB) of output, checked before each request.
//! - **Fork safety**: every call compares [`std::process::id()`] with the PID the state
//!   was made in. A child of `fork()` sees a different PID, and re-keys from the OS
//!   (mixed with its PID and the clock) before it gives a single byte, so parent and
//!   child never share output. (A forked child whose PID equals the PID its
//!   inherited state was made in — possible only if that process died and its PID was
//!   reused by a descendant that never drew a byte since — is not detected.)
//! - **Mixing**: [`add`] hashes the input and sets the key to
//!   SHA-256(old key ‖ SHA-256(input) ‖ 32 fresh output bytes). Because the old key is
//!   hashed in, known or hostile input never makes the output more predictable.
//! - **Entropy estimate**: 32 bytes (256 bits) after OS seeding, plus what
//!   [`add`] callers claim. [`status`] is true at 32 bytes or more.
//!
//! If the operating system's generator fails, the state is keyed from the PID, the
//! clock and a counter, with an estimate of **zero**: [`status`] reports `false`,
//! [`try_fill`] returns [`Error::Unseeded`] and [`fill`] panics, until the OS
//! recovers or at least 32 bytes of entropy are added with [`add`], [`seed`],
//! [`load_file`] or [`egd`].
//!
//! ```
//! use puressl::rand;
//! rand::seed(b"some application secret");
//! assert!(rand::status());
//! let nonce = rand::bytes(12);
//! assert_eq!(nonce.len(), 12);
//! ```

use std::sync::{Mutex, MutexGuard};

use sha2::{Digest, Sha256};

mod deterministic;
mod egd;
mod error;
mod file;
mod generator;

pub use deterministic::DeterministicRng;
pub use egd::{egd, EGD_TIMEOUT};
pub use error::Error;
pub use file::{load_file, write_file, NON_REGULAR_DEFAULT, SEED_FILE_LEN};
pub use generator::RESEED_INTERVAL;

use generator::Generator;

static STATE: Mutex<Option<Generator>> = Mutex::new(None);

/// Runs `f` on the process-wide generator, creating it on first use and re-keying it
/// first if this is a forked child.
fn with_generator<T>(f: impl FnOnce(&mut Generator) -> T) -> T {
    #[cfg(test)]
    if let Some(mut g) = broken_os::take() {
        let out = f(&mut g);
        broken_os::put(g);
        return out;
    }
    let mut guard = lock();
    let pid = std::process::id();
    let generator = guard.get_or_insert_with(|| Generator::new(pid));
    generator.check_fork(pid);
    f(generator)
}

fn lock() -> MutexGuard<'static, Option<Generator>> {
    STATE.lock().unwrap_or_else(|poisoned| {
        // A thread panicked while holding the state: do not trust it, start afresh.
        STATE.clear_poison();
        let mut guard = poisoned.into_inner();
        *guard = None;
        guard
    })
}

/// Mixes an input digest into the generator with an entropy credit already clamped.
fn mix_digest(digest: &[u8; 32], entropy: f64) {
    with_generator(|g| g.add(digest, entropy));
}

/// Fills `buf` with cryptographically secure random bytes, or says why it cannot.
///
/// The only error is [`Error::Unseeded`]: the OS generator failed and less than 256
/// bits of entropy were added by hand.
#[doc(alias = "RAND_bytes")]
pub fn try_fill(buf: &mut [u8]) -> Result<(), Error> {
    with_generator(|g| {
        g.ready()?;
        g.generate(buf);
        Ok(())
    })
}

/// Fills `buf` with cryptographically secure random bytes.
///
/// ```
/// let mut b = [0u8; 16];
/// puressl::rand::fill(&mut b);
/// ```
///
/// # Panics
///
/// When the generator cannot be seeded ([`try_fill`] returns [`Error::Unseeded`]):
/// handing out predictable bytes for keys would be worse.
#[doc(alias = "RAND_bytes")]
pub fn fill(buf: &mut [u8]) {
    if let Err(e) = try_fill(buf) {
        panic!("puressl::rand: {e}");
    }
}

/// Returns `n` random bytes (pyOpenSSL `rand.bytes`).
///
/// # Panics
///
/// As [`fill`].
#[doc(alias = "RAND_bytes")]
pub fn bytes(n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    fill(&mut v);
    v
}

/// Mixes `buf` into the generator's state and raises the entropy estimate by
/// `entropy` bytes (the manual's "lower bound of an estimate of how much randomness
/// is contained in string, measured in bytes").
///
/// The bytes are always mixed in; mixing never lowers the generator's strength. The
/// credit is clamped as OpenSSL clamps it: a negative or NaN claim counts as 0, and a
/// claim above `buf.len()` counts as `buf.len()`.
///
/// ```
/// puressl::rand::add(b"mouse movements", 2.5);
/// ```
#[doc(alias = "RAND_add")]
pub fn add(buf: &[u8], entropy: f64) {
    let credit = if entropy > 0.0 {
        entropy.min(buf.len() as f64)
    } else {
        0.0
    };
    mix_digest(&Sha256::digest(buf).into(), credit);
}

/// [`add`] with the entropy estimate equal to the length of `buf`.
#[doc(alias = "RAND_seed")]
pub fn seed(buf: &[u8]) {
    add(buf, buf.len() as f64);
}

/// True when the generator holds at least 256 bits (32 bytes) of entropy: right
/// after seeding from the OS, or after enough [`add`]s if the OS generator failed.
/// Seeds the generator if it is not yet seeded.
#[doc(alias = "RAND_status")]
pub fn status() -> bool {
    with_generator(|g| g.ready().is_ok())
}

/// Forgets the generator's state, including entropy added with [`add`]; the next use
/// seeds a new one from the OS.
#[doc(alias = "RAND_cleanup")]
pub fn cleanup() {
    *lock() = None;
}

/// Adds fresh entropy to the generator. Modern OpenSSL's `RAND_screen` polls the
/// operating system's entropy source instead of reading the screen, and so does this.
#[doc(alias = "RAND_screen")]
// Windows only, as in pyOpenSSL; documented on every platform.
#[cfg(any(windows, doc))]
#[cfg_attr(docsrs, doc(cfg(windows)))]
pub fn screen() -> Result<(), Error> {
    poll_os()
}

/// Mixes 32 fresh OS bytes into the generator, then reports whether it may give output.
/// (The body of `screen`, compiled and tested on every platform.)
#[cfg_attr(not(windows), allow(dead_code))]
fn poll_os() -> Result<(), Error> {
    with_generator(|g| {
        g.reseed_from_os();
        g.ready()
    })
}

/// puressl's generator as a `rand_core` RNG, to hand to RustCrypto APIs
/// (key generation, signing nonces, padding). It draws from the process-wide
/// generator; it holds no state of its own.
///
/// It is a fallible [`TryRng`](rand_core::TryRng): when the generator cannot be
/// seeded (the OS generator failed and less than 256 bits were added by
/// hand) every call returns [`Error::Unseeded`] instead of panicking, so the
/// `try_*` RustCrypto APIs report it.
///
/// ```
/// use rand_core::TryRng as _;
/// let mut rng = puressl::rand::Rng;
/// let x = rng.try_next_u64().unwrap();
/// # let _ = x;
/// ```
#[derive(Debug, Default, Clone, Copy)]
pub struct Rng;

impl rand_core::TryRng for Rng {
    type Error = Error;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        try_fill(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        try_fill(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        try_fill(dst)
    }
}

impl rand_core::TryCryptoRng for Rng {}

/// The generator as an infallible RNG, for the few RustCrypto APIs that take
/// no fallible one (ML-KEM encapsulation). Only made by [`SeededRng::new`],
/// which fails when the generator cannot give output; once it can, it keeps
/// a full-entropy key (a failed periodic reseed keeps the current key), so
/// the [`fill`] inside does not fail afterwards.
#[derive(Debug)]
pub(crate) struct SeededRng(());

impl SeededRng {
    /// The RNG, or [`Error::Unseeded`] when the generator cannot give output.
    pub(crate) fn new() -> Result<Self, Error> {
        with_generator(Generator::ready)?;
        Ok(SeededRng(()))
    }
}

impl rand_core::TryRng for SeededRng {
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

impl rand_core::TryCryptoRng for SeededRng {}

/// Unit tests only: a generator whose OS source fails, in place of the
/// process-wide one for the current thread.
#[cfg(test)]
mod broken_os {
    use super::Generator;
    use std::cell::RefCell;

    thread_local! {
        static OVERRIDE: RefCell<Option<Generator>> = const { RefCell::new(None) };
    }

    pub(super) fn take() -> Option<Generator> {
        OVERRIDE.with(|o| o.borrow_mut().take())
    }

    pub(super) fn put(g: Generator) {
        OVERRIDE.with(|o| *o.borrow_mut() = Some(g));
    }

    /// Runs `f` with this thread's generator unable to reach the OS.
    pub(crate) fn run<T>(f: impl FnOnce() -> T) -> T {
        put(Generator::without_os(std::process::id()));
        let out = f();
        take();
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn poll_os_reseeds() {
        assert!(super::poll_os().is_ok());
        assert!(super::status());
    }

    /// When the OS generator fails (and nothing was added by hand), the
    /// rand_core RNG, the provider's random source, its key exchanges and
    /// key generation all report it as an error; none panics.
    #[test]
    fn a_failing_os_generator_is_an_error_everywhere() {
        use rand_core::TryRng as _;
        super::broken_os::run(|| {
            let mut b = [0u8; 8];
            assert!(matches!(
                super::Rng.try_fill_bytes(&mut b),
                Err(super::Error::Unseeded { os, entropy })
                    if os == getrandom::Error::UNSUPPORTED && entropy == 0.0
            ));
            assert!(super::Rng.try_next_u64().is_err());
            assert!(super::SeededRng::new().is_err());
            let provider = crate::provider::provider();
            assert!(matches!(
                provider.secure_random.fill(&mut b),
                Err(rustls::crypto::GetRandomFailed)
            ));
            for group in crate::provider::ALL_KX_GROUPS {
                assert!(
                    matches!(group.start(), Err(rustls::Error::FailedToGetRandomBytes)),
                    "{:?}",
                    group.name()
                );
            }
            for (kind, bits) in [
                (crate::crypto::KeyType::Ec, 256),
                (crate::crypto::KeyType::Ed25519, 0),
                (crate::crypto::KeyType::Rsa, 1024),
            ] {
                assert!(
                    matches!(
                        crate::crypto::PKey::generate_key(kind, bits),
                        Err(crate::crypto::Error::Rng(super::Error::Unseeded { .. }))
                    ),
                    "{kind:?}"
                );
            }
            // 256 bits added by hand make it usable again.
            super::add(&[7u8; 32], 32.0);
            assert!(super::Rng.try_fill_bytes(&mut b).is_ok());
        });
        // Other threads and later calls use the real generator.
        assert!(super::try_fill(&mut [0u8; 4]).is_ok());
    }
}
