//! The state behind the process-wide generator: a ChaCha20 key, an entropy
//! estimate, and the bookkeeping for fork detection and periodic reseeding.

use chacha20::ChaCha20Rng;
use rand_core::{Rng as _, SeedableRng};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use super::Error;

/// Bytes of output (1 MiB) after which the generator mixes in 32 fresh bytes from the
/// operating system. Checked before each request, so one request larger than this
/// is served from a single key (ChaCha20 allows 2⁶⁴ blocks per key).
pub const RESEED_INTERVAL: u64 = 1 << 20;

/// Entropy, in bytes, the generator must hold before it gives output (256 bits).
pub(crate) const FULL_ENTROPY: f64 = 32.0;

/// Keystream bytes kept for small requests: with the 32 bytes of the next key they
/// make one 256-byte batch of the ChaCha20 generator.
const SPARE: usize = 224;

/// One ChaCha20 generator with its entropy estimate.
///
/// Fast key erasure: each batch of keystream starts with the next key, and the key
/// that made it is dropped at once; bytes are wiped from the spare buffer as they are
/// handed out, and a large request re-keys right after. So the state never holds
/// anything that reproduces bytes already handed out.
pub(crate) struct Generator {
    /// Keyed with a key from which nothing has been handed out yet.
    rng: ChaCha20Rng,
    /// Keystream of an earlier key, not yet handed out: `spare[spare_pos..]`.
    spare: Zeroizing<[u8; SPARE]>,
    spare_pos: usize,
    /// The process the state belongs to; another PID means we are in a forked child.
    pid: u32,
    /// Bytes produced since the last successful OS reseed.
    since_reseed: u64,
    /// Entropy estimate in bytes.
    entropy: f64,
    /// The last failure of the OS generator, kept to report it.
    os_error: Option<getrandom::Error>,
    /// The OS generator (`getrandom::fill`; replaceable in tests).
    os: OsSource,
}

type OsSource = fn(&mut [u8]) -> Result<(), getrandom::Error>;

impl Generator {
    /// A generator keyed from the operating system; if that fails, keyed from
    /// process-local material with an entropy estimate of zero.
    pub(crate) fn new(pid: u32) -> Self {
        Self::with_source(pid, getrandom::fill)
    }

    /// Unit tests only: a generator whose OS source always fails.
    #[cfg(test)]
    pub(crate) fn without_os(pid: u32) -> Self {
        fn broken(_: &mut [u8]) -> Result<(), getrandom::Error> {
            Err(getrandom::Error::UNSUPPORTED)
        }
        Self::with_source(pid, broken)
    }

    fn with_source(pid: u32, os: OsSource) -> Self {
        let mut key = Zeroizing::new([0u8; 32]);
        let (entropy, os_error) = match os(&mut key[..]) {
            Ok(()) => (FULL_ENTROPY, None),
            Err(e) => {
                *key = fallback_material(pid);
                (0.0, Some(e))
            }
        };
        Generator {
            rng: ChaCha20Rng::from_seed(*key),
            spare: Zeroizing::new([0u8; SPARE]),
            spare_pos: SPARE,
            pid,
            since_reseed: 0,
            entropy,
            os_error,
            os,
        }
    }

    /// Fork detection: if `pid` is not the PID the state was made in, this is a
    /// copy inherited through `fork()` that the parent also holds. Re-key from the
    /// OS (mixed with the PID and the clock) before anything else is done. Should
    /// the OS fail here, the parent knows everything but the PID and the clock, so
    /// the estimate drops to zero and output is refused until entropy is added.
    pub(crate) fn check_fork(&mut self, pid: u32) {
        if pid == self.pid {
            return;
        }
        self.pid = pid;
        self.mix(b"puressl rand fork", &fallback_material(pid));
        if !self.reseed_from_os() {
            self.entropy = 0.0;
        }
    }

    /// Mixes 32 OS bytes into the key; returns whether the OS delivered them.
    /// Never lowers the estimate.
    pub(crate) fn reseed_from_os(&mut self) -> bool {
        let mut fresh = Zeroizing::new([0u8; 32]);
        match (self.os)(&mut fresh[..]) {
            Ok(()) => {
                self.mix(b"puressl rand reseed", &fresh);
                self.entropy = self.entropy.max(FULL_ENTROPY);
                self.since_reseed = 0;
                self.os_error = None;
                true
            }
            Err(e) => {
                self.os_error = Some(e);
                false
            }
        }
    }

    /// Makes sure the generator may give output: reseeds when due, and when the
    /// estimate is below 256 bits tries the OS once more before refusing.
    pub(crate) fn ready(&mut self) -> Result<(), Error> {
        if self.since_reseed >= RESEED_INTERVAL || self.entropy < FULL_ENTROPY {
            // A failed periodic reseed keeps the current (full-entropy) key.
            self.reseed_from_os();
        }
        if self.entropy < FULL_ENTROPY {
            return Err(Error::Unseeded {
                os: self.os_error.unwrap_or(getrandom::Error::UNEXPECTED),
                entropy: self.entropy,
            });
        }
        Ok(())
    }

    /// Fills `buf`: small requests from the spare keystream, large ones straight
    /// from the generator followed by a re-key.
    pub(crate) fn generate(&mut self, buf: &mut [u8]) {
        if buf.len() > SPARE {
            self.rng.fill_bytes(buf);
            self.rekey(false);
        } else {
            if buf.len() > SPARE - self.spare_pos {
                self.rekey(true);
            }
            let end = self.spare_pos + buf.len();
            if let Some(src) = self.spare.get_mut(self.spare_pos..end) {
                buf.copy_from_slice(src);
                src.zeroize();
            }
            self.spare_pos = end;
        }
        let produced = u64::try_from(buf.len()).unwrap_or(u64::MAX);
        self.since_reseed = self.since_reseed.saturating_add(produced);
    }

    /// Replaces the key with the next 32 keystream bytes; with `refill`, the spare
    /// buffer is refilled from the same batch first.
    fn rekey(&mut self, refill: bool) {
        let mut next = Zeroizing::new([0u8; 32]);
        self.rng.fill_bytes(&mut next[..]);
        if refill {
            self.rng.fill_bytes(&mut self.spare[..]);
            self.spare_pos = 0;
        }
        self.rng = ChaCha20Rng::from_seed(*next);
    }

    /// Mixes the SHA-256 digest of some input into the key and credits `entropy`
    /// bytes (already clamped by the caller).
    pub(crate) fn add(&mut self, input_digest: &[u8; 32], entropy: f64) {
        self.mix(b"puressl rand add", input_digest);
        self.entropy += entropy;
    }

    /// new key = SHA-256(tag ‖ old key ‖ input ‖ 32 fresh output bytes).
    ///
    /// The old key is an input of the hash, so whatever `input` is — known, constant
    /// or chosen by an attacker — the new key is as unpredictable as the old one.
    fn mix(&mut self, tag: &[u8], input: &[u8; 32]) {
        let old_key = Zeroizing::new(self.rng.get_seed());
        let mut fresh = Zeroizing::new([0u8; 32]);
        self.rng.fill_bytes(&mut fresh[..]);
        let mut h = Sha256::new();
        h.update(tag);
        h.update(&old_key[..]);
        h.update(input);
        h.update(&fresh[..]);
        let key = Zeroizing::new(<[u8; 32]>::from(h.finalize()));
        self.rng = ChaCha20Rng::from_seed(*key);
        // Spare keystream predates the input: drop it, so what follows depends on it.
        self.spare.zeroize();
        self.spare_pos = SPARE;
    }

    /// A byte-for-byte copy, as `fork()` would make (for tests).
    #[cfg(test)]
    fn duplicate(&self) -> Generator {
        Generator {
            rng: ChaCha20Rng::deserialize_state(&self.rng.serialize_state()),
            spare: self.spare.clone(),
            spare_pos: self.spare_pos,
            pid: self.pid,
            since_reseed: self.since_reseed,
            entropy: self.entropy,
            os_error: self.os_error,
            os: self.os,
        }
    }
}

/// SHA-256 of what the process can see without the OS generator: the PID, the
/// clocks, a stack address and a counter. Credited with no entropy at all; it only
/// keeps two such states from being equal.
fn fallback_material(pid: u32) -> [u8; 32] {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = Sha256::new();
    h.update(b"puressl rand fallback");
    h.update(pid.to_le_bytes());
    h.update(COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    if let Ok(d) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.update(d.as_nanos().to_le_bytes());
    }
    let local = 0u8;
    h.update((std::ptr::addr_of!(local) as usize).to_le_bytes());
    h.update(format!("{:?}", std::thread::current().id()).as_bytes());
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draw(g: &mut Generator, pid: u32) -> [u8; 32] {
        let mut out = [0u8; 32];
        g.check_fork(pid);
        assert!(g.ready().is_ok());
        g.generate(&mut out);
        out
    }

    fn broken_os(_: &mut [u8]) -> Result<(), getrandom::Error> {
        Err(getrandom::Error::UNSUPPORTED)
    }

    #[test]
    fn without_the_os_output_waits_for_added_entropy() {
        let mut g = Generator::with_source(7, broken_os);
        assert_eq!(g.entropy, 0.0);
        assert!(matches!(
            g.ready(),
            Err(Error::Unseeded { os, entropy }) if os == getrandom::Error::UNSUPPORTED && entropy == 0.0
        ));
        g.add(&[1u8; 32], 20.0);
        assert!(g.ready().is_err());
        g.add(&[2u8; 32], 12.0);
        assert!(g.ready().is_ok());
        // Two such generators are keyed apart even without the OS.
        let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
        g.generate(&mut a);
        Generator::with_source(7, broken_os).generate(&mut b);
        assert_ne!(a, b);
    }

    #[test]
    fn fork_without_the_os_refuses_output() {
        let mut parent = Generator::new(7);
        parent.os = broken_os;
        let mut child = parent.duplicate();
        child.check_fork(8);
        assert_eq!(child.entropy, 0.0);
        assert!(child.ready().is_err());
        // The parent keeps its (full) estimate; a failed periodic reseed keeps the key.
        parent.since_reseed = RESEED_INTERVAL;
        assert!(parent.ready().is_ok());
    }

    #[test]
    fn copy_without_pid_change_repeats_output() {
        // Shows that `duplicate` is a faithful copy, so the next test means something.
        let mut parent = Generator::new(1000);
        let mut copy = parent.duplicate();
        assert_eq!(draw(&mut parent, 1000), draw(&mut copy, 1000));
    }

    #[test]
    fn forked_copy_rekeys() {
        let mut parent = Generator::new(1000);
        let mut child = parent.duplicate();
        let p = draw(&mut parent, 1000);
        let c = draw(&mut child, 1001);
        assert_ne!(p, c);
        assert_eq!(child.pid, 1001);
        assert!(child.entropy >= FULL_ENTROPY);
    }

    #[test]
    fn reseeds_after_interval() {
        let mut g = Generator::new(7);
        let mut big = vec![0u8; usize::try_from(RESEED_INTERVAL).unwrap_or(1 << 20)];
        g.generate(&mut big);
        assert!(g.since_reseed >= RESEED_INTERVAL);
        let mut copy = g.duplicate();
        assert!(g.ready().is_ok());
        assert_eq!(g.since_reseed, 0);
        // The reseed changed the key: the copy that was not reseeded disagrees.
        let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
        g.generate(&mut a);
        copy.generate(&mut b);
        assert_ne!(a, b);
    }

    #[test]
    fn handed_out_bytes_leave_no_trace() {
        let mut g = Generator::new(7);
        let first_key = g.rng.get_seed();
        let mut small = [0u8; 100];
        g.generate(&mut small);
        // The batch was made by the first key, which is gone; served bytes are wiped.
        assert_ne!(first_key, g.rng.get_seed());
        assert_eq!(g.spare_pos, 100);
        assert!(g.spare.iter().take(100).all(|&b| b == 0));
        assert!(g.spare.iter().skip(100).any(|&b| b != 0));
        // A large request re-keys right after it.
        let key = g.rng.get_seed();
        g.generate(&mut [0u8; 1000]);
        assert_ne!(key, g.rng.get_seed());
        // Small requests are served in order from the batch, then a new batch.
        let mut copy = g.duplicate();
        let mut a = [0u8; 300];
        for chunk in a.chunks_mut(30) {
            g.generate(chunk);
        }
        // 124 spare bytes left: four chunks fit, the fifth starts a new batch.
        let mut b = [0u8; 124];
        copy.generate(&mut b);
        assert_eq!(a.get(..120), b.get(..120));
        assert_ne!(a.get(120..124), b.get(120..124));
    }

    #[test]
    fn mixing_drops_spare_keystream() {
        let mut g = Generator::new(7);
        g.generate(&mut [0u8; 10]);
        let mut copy = g.duplicate();
        g.add(&[0u8; 32], 0.0);
        assert_eq!(g.spare_pos, SPARE);
        let (mut a, mut b) = ([0u8; 16], [0u8; 16]);
        g.generate(&mut a);
        copy.generate(&mut b);
        assert_ne!(a, b);
    }

    #[test]
    fn add_keeps_strength_and_credits() {
        let mut g = Generator::new(7);
        let mut copy = g.duplicate();
        g.add(&[0u8; 32], 5.0);
        assert_eq!(g.entropy, FULL_ENTROPY + 5.0);
        let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
        g.generate(&mut a);
        copy.generate(&mut b);
        assert_ne!(a, b);
    }
}
