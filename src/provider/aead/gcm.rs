//! AES-GCM (NIST SP 800-38D) for 96-bit nonces and 128-bit tags, built from
//! the `aes` block cipher and the `polyval` universal hash.
//!
//! Why not the `aes-gcm` crate: its GHASH is `ghash`, a wrapper that
//! byte-reverses every block into POLYVAL's order through generic array
//! copies (a third of the time of a 16 KiB record on an AVX-512 machine,
//! BENCHMARKS.md "AES-128-GCM: where the time goes"), and it runs the
//! counter mode and the hash as two separate passes over the record. Here:
//!
//! - GHASH is POLYVAL over byte-reversed blocks (RFC 8452, Appendix A):
//!   `GHASH(H, X…) = rev(POLYVAL(mulX_POLYVAL(rev(H)), rev(X)…))`. The
//!   reversal is one `u128::swap_bytes` per block, fused with the keystream
//!   XOR.
//! - Counter blocks, the AES rounds, the XOR and the reversal of one batch
//!   (the AES backend's parallel width: 64 blocks with VAES/AVX-512, 8 with
//!   AES-NI) run inside the AES backend's closure, so they are compiled with
//!   the backend's target features, and each batch is hashed while it is
//!   still in L1.
//! - Opening hashes a batch of ciphertext before decrypting it; if the tag
//!   does not match, the whole buffer is wiped, so no unauthenticated
//!   plaintext is ever handed out.
//!
//! Everything is safe Rust; the hardware paths (AES-NI/VAES, PCLMULQDQ) and
//! their run-time detection are the `aes` and `polyval` crates'. Both key
//! schedules (AES round keys, POLYVAL's powers of H) are zeroized on drop
//! (their `zeroize` features).

use aes::cipher::array::Array;
use aes::cipher::consts::U16;
use aes::cipher::typenum::Unsigned;
use aes::cipher::{
    BlockCipherEncBackend, BlockCipherEncClosure, BlockCipherEncrypt, BlockSizeUser, KeyInit,
    ParBlocks,
};
use polyval::universal_hash::UniversalHash;
use polyval::Polyval;
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use super::{Cipher, TAG_LEN};
use rustls::crypto::cipher::{AeadKey, Iv, NONCE_LEN};
use rustls::ConnectionTrafficSecrets;

/// One 16-byte block.
type Block = Array<u8, U16>;

/// The longest plaintext GCM allows: 2^39 − 256 bits (SP 800-38D §5.2.1.1).
/// Also what keeps the 32-bit block counter from wrapping.
const P_MAX: u64 = (1 << 36) - 32;

/// The longest additional data: 2^64 − 1 bits.
const A_MAX: u64 = (1 << 61) - 1;

/// AES-GCM with block cipher `A` (AES-128 or AES-256).
pub(crate) struct AesGcm<A> {
    aes: A,
    /// POLYVAL keyed with `mulX_POLYVAL(rev(H))`, accumulator at zero; cloned
    /// for each record.
    hash: Polyval,
}

/// AES-128-GCM.
pub(crate) type Aes128Gcm = AesGcm<aes::Aes128>;
/// AES-256-GCM.
pub(crate) type Aes256Gcm = AesGcm<aes::Aes256>;

/// A block in POLYVAL's byte order: GHASH's block reversed.
#[inline(always)]
fn rev(b: [u8; 16]) -> Block {
    Array(u128::from_be_bytes(b).to_le_bytes())
}

/// [`rev`] for code compiled with SSSE3 or wider (inside the VAES backends,
/// which enable AVX2/AVX-512): spelled out, it is one byte shuffle
/// (`vpshufb`), where [`rev`] is two scalar `bswap`s and register moves.
/// With SSE2 only (the AES-NI backend) the spelled-out form is ~17
/// instructions a block, [`rev`] ~6.
#[inline(always)]
fn rev_shuffle(b: [u8; 16]) -> Block {
    Array([
        b[15], b[14], b[13], b[12], b[11], b[10], b[9], b[8], b[7], b[6], b[5], b[4], b[3], b[2],
        b[1], b[0],
    ])
}

impl<A> Cipher for AesGcm<A>
where
    A: BlockCipherEncrypt + BlockSizeUser<BlockSize = U16> + KeyInit + Send + Sync + 'static,
{
    const KEY_LEN: usize = A::KeySize::USIZE;

    /// The keyed cipher, or `None` for a key of the wrong length.
    fn new(key: &[u8]) -> Option<Self> {
        let aes = A::new_from_slice(key).ok()?;
        // H = E_K(0^128); POLYVAL's key is mulX_POLYVAL(rev(H)).
        let mut h = Block::default();
        aes.encrypt_block(&mut h);
        let mut v = u128::from_be_bytes(h.0);
        let top = v >> 127;
        v = (v << 1) ^ top ^ (top << 127) ^ (top << 126) ^ (top << 121);
        let mut key = Array(v.to_le_bytes());
        let hash = Polyval::new(&key);
        h.0.zeroize();
        v.zeroize();
        key.0.zeroize();
        Some(Self { aes, hash })
    }

    /// Encrypts `buf` in place; returns the tag (`None` past GCM's limits).
    #[inline]
    fn seal(&self, nonce: &[u8; NONCE_LEN], aad: &[u8], buf: &mut [u8]) -> Option<[u8; TAG_LEN]> {
        if buf.len() as u64 > P_MAX || aad.len() as u64 > A_MAX {
            return None;
        }
        Some(self.crypt(nonce, aad, buf, false))
    }

    /// Decrypts `buf` in place if `tag` authenticates it (compared in
    /// constant time); otherwise wipes `buf` and returns `false`.
    #[inline]
    fn open(&self, nonce: &[u8; NONCE_LEN], aad: &[u8], buf: &mut [u8], tag_in: &[u8]) -> bool {
        if buf.len() as u64 > P_MAX || aad.len() as u64 > A_MAX || tag_in.len() != TAG_LEN {
            return false;
        }
        let want = self.crypt(nonce, aad, buf, true);
        if bool::from(want.ct_eq(tag_in)) {
            true
        } else {
            buf.zeroize();
            false
        }
    }

    /// AES-128-GCM or AES-256-GCM by key length.
    fn secrets(key: AeadKey, iv: Iv) -> ConnectionTrafficSecrets {
        match Self::KEY_LEN {
            16 => ConnectionTrafficSecrets::Aes128Gcm { key, iv },
            _ => ConnectionTrafficSecrets::Aes256Gcm { key, iv },
        }
    }
}

impl<A: BlockCipherEncrypt + BlockSizeUser<BlockSize = U16>> AesGcm<A> {
    /// The pass both directions share: GHASH over the AAD, then counter mode
    /// over `buf` with GHASH over the ciphertext (read before decrypting when
    /// `open`, after encrypting otherwise); returns the computed tag.
    fn crypt(
        &self,
        nonce: &[u8; NONCE_LEN],
        aad: &[u8],
        buf: &mut [u8],
        open: bool,
    ) -> [u8; TAG_LEN] {
        let mut ghash = self.hash.clone();
        hash_padded(&mut ghash, aad);
        let mut mask = Block::default();
        self.aes.encrypt_with_backend(Ctr {
            nonce,
            buf: &mut *buf,
            ghash: &mut ghash,
            mask: &mut mask,
            open,
        });
        tag(ghash, aad.len(), buf.len(), &mask)
    }
}

/// Feeds the length block and returns `GHASH ⊕ E_K(J0)`.
fn tag(mut ghash: Polyval, aad_len: usize, ct_len: usize, mask: &Block) -> [u8; TAG_LEN] {
    let mut lens = [0u8; 16];
    lens[..8].copy_from_slice(&(aad_len as u64 * 8).to_be_bytes());
    lens[8..].copy_from_slice(&(ct_len as u64 * 8).to_be_bytes());
    ghash.update(&[rev(lens)]);
    let s = ghash.finalize();
    (u128::from_le_bytes(s.0) ^ u128::from_be_bytes(mask.0)).to_be_bytes()
}

/// Blocks reversed per POLYVAL call in [`hash_padded`].
const HASH_BATCH: usize = 16;

/// Hashes `data`, its last block zero-padded (GHASH's treatment of the AAD
/// and of a ciphertext's last partial block).
#[inline(always)]
fn hash_padded(ghash: &mut Polyval, data: &[u8]) {
    let mut batch = [Block::default(); HASH_BATCH];
    let (blocks, tail) = data.as_chunks::<16>();
    for group in blocks.chunks(HASH_BATCH) {
        for (t, b) in batch.iter_mut().zip(group) {
            *t = rev(*b);
        }
        ghash.update(&batch[..group.len()]);
    }
    if !tail.is_empty() {
        let mut last = [0u8; 16];
        last[..tail.len()].copy_from_slice(tail);
        ghash.update(&[rev(last)]);
    }
}

/// Counter mode with the hash folded in, run by the AES backend.
struct Ctr<'a> {
    nonce: &'a [u8; NONCE_LEN],
    buf: &'a mut [u8],
    ghash: &'a mut Polyval,
    /// Out: `E_K(J0)`, the tag mask.
    mask: &'a mut Block,
    /// Hash the input (opening) rather than the output (sealing).
    open: bool,
}

impl BlockSizeUser for Ctr<'_> {
    type BlockSize = U16;
}

/// Fills `ks` with the counter blocks `nonce ‖ ctr+i` (GCM's inc32); `j0`
/// holds the nonce and zeros.
#[inline(always)]
fn counters(ks: &mut [Block], j0: &[u8; 16], ctr: u32) {
    for (i, k) in (0u32..).zip(ks.iter_mut()) {
        let mut b = *j0;
        b[NONCE_LEN..].copy_from_slice(&ctr.wrapping_add(i).to_be_bytes());
        k.0 = b;
    }
}

impl BlockCipherEncClosure for Ctr<'_> {
    #[inline(always)]
    fn call<B: BlockCipherEncBackend<BlockSize = U16>>(self, backend: &B) {
        let Ctr {
            nonce,
            buf,
            ghash,
            mask,
            open,
        } = self;
        // J0 = nonce ‖ 0^31 ‖ 1; the data starts at inc32(J0).
        let mut j0 = [0u8; 16];
        j0[..NONCE_LEN].copy_from_slice(nonce);
        counters(core::slice::from_mut(mask), &j0, 1);
        backend.encrypt_block_inplace(mask);

        let par = B::ParBlocksSize::USIZE;
        // The `aes` crate's VAES backends batch 32 or 64 blocks, AES-NI 8.
        let rev = if par > 8 { rev_shuffle } else { rev };
        let mut ctr: u32 = 2;
        let mut ks: ParBlocks<B> = Default::default();
        let mut reversed: ParBlocks<B> = Default::default();
        let mut chunks = buf.chunks_exact_mut(16 * par);
        for chunk in &mut chunks {
            counters(&mut ks, &j0, ctr);
            // `par` ≤ 64 and the length was checked against P_MAX: no wrap.
            ctr = ctr.wrapping_add(par as u32);
            backend.encrypt_par_blocks_inplace(&mut ks);
            let (blocks, _) = chunk.as_chunks_mut::<16>();
            if open {
                for (r, d) in reversed.iter_mut().zip(blocks.iter()) {
                    *r = rev(*d);
                }
                ghash.update(&reversed);
                for (d, k) in blocks.iter_mut().zip(ks.iter()) {
                    *d = (u128::from_ne_bytes(*d) ^ u128::from_ne_bytes(k.0)).to_ne_bytes();
                }
            } else {
                for (d, k) in blocks.iter_mut().zip(ks.iter()) {
                    *d = (u128::from_ne_bytes(*d) ^ u128::from_ne_bytes(k.0)).to_ne_bytes();
                }
                for (r, d) in reversed.iter_mut().zip(blocks.iter()) {
                    *r = rev(*d);
                }
                ghash.update(&reversed);
            }
        }
        let rest = chunks.into_remainder();
        if rest.is_empty() {
            return;
        }
        counters(&mut ks, &j0, ctr);
        let n = rest.len().div_ceil(16);
        if n > 4 {
            // One parallel batch beats n serial blocks.
            backend.encrypt_par_blocks_inplace(&mut ks);
        } else {
            backend.encrypt_tail_blocks_inplace(&mut ks[..n]);
        }
        if open {
            hash_padded(ghash, rest);
        }
        for (d, k) in rest.chunks_mut(16).zip(ks.iter()) {
            for (a, b) in d.iter_mut().zip(k.iter()) {
                *a ^= b;
            }
        }
        if !open {
            hash_padded(ghash, rest);
        }
    }
}

#[cfg(test)]
mod tests {
    //! Differential checks against the `aes-gcm` crate on every length
    //! around the batch edges (the known answers and Wycheproof sets run
    //! through `aead::Cipher` in `aead.rs` and `wycheproof.rs`).
    use super::*;
    use aes_gcm::aead::{AeadInOut, Nonce};

    fn data(len: usize, seed: u8) -> Vec<u8> {
        (0..len)
            .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
            .collect()
    }

    fn same_as_crate<A, R>(key: &[u8])
    where
        A: BlockCipherEncrypt + BlockSizeUser<BlockSize = U16> + KeyInit + Send + Sync + 'static,
        R: AeadInOut + KeyInit,
    {
        let ours = AesGcm::<A>::new(key).expect("key");
        let theirs = R::new_from_slice(key).expect("key");
        let nonce = [0x5au8; NONCE_LEN];
        let their_nonce = Nonce::<R>::try_from(&nonce[..]).expect("nonce");
        let lens = [
            0usize, 1, 15, 16, 17, 63, 64, 65, 127, 128, 129, 255, 256, 1023, 1024, 1025, 1040,
            1041, 1100, 2048, 4095, 16383, 16384, 16385, 16401,
        ];
        for len in lens {
            for aad_len in [0usize, 1, 13, 16, 17, 300] {
                let pt = data(len, 7);
                let aad = data(aad_len, 3);
                let mut want = pt.clone();
                let want_tag = theirs
                    .encrypt_inout_detached(&their_nonce, &aad, want.as_mut_slice().into())
                    .expect("seal");
                let mut got = pt.clone();
                let got_tag = ours.seal(&nonce, &aad, &mut got).expect("seal");
                assert_eq!(got, want, "ciphertext, len {len} aad {aad_len}");
                assert_eq!(&got_tag[..], &want_tag[..], "tag, len {len} aad {aad_len}");
                assert!(ours.open(&nonce, &aad, &mut got, &got_tag));
                assert_eq!(got, pt, "len {len} aad {aad_len}");
                // Any flipped bit — tag, ciphertext, AAD — is refused, and
                // the buffer is wiped rather than left half-decrypted.
                let mut bad_tag = want_tag.to_vec();
                bad_tag[len % TAG_LEN] ^= 0x20;
                let mut ct = want.clone();
                assert!(!ours.open(&nonce, &aad, &mut ct, &bad_tag));
                assert!(ct.iter().all(|&b| b == 0));
                if len > 0 {
                    let mut ct = want.clone();
                    ct[len / 2] ^= 1;
                    assert!(!ours.open(&nonce, &aad, &mut ct, &want_tag));
                }
                if aad_len > 0 {
                    let mut aad = aad.clone();
                    aad[0] ^= 0x80;
                    let mut ct = want.clone();
                    assert!(!ours.open(&nonce, &aad, &mut ct, &want_tag));
                }
            }
        }
    }

    #[test]
    fn aes_128_gcm_matches_the_aes_gcm_crate() {
        same_as_crate::<aes::Aes128, aes_gcm::Aes128Gcm>(&data(16, 1));
    }

    #[test]
    fn aes_256_gcm_matches_the_aes_gcm_crate() {
        same_as_crate::<aes::Aes256, aes_gcm::Aes256Gcm>(&data(32, 9));
    }

    #[test]
    fn wrong_key_and_tag_lengths_are_refused() {
        assert!(Aes128Gcm::new(&[0u8; 15]).is_none());
        assert!(Aes128Gcm::new(&[0u8; 32]).is_none());
        assert!(Aes256Gcm::new(&[0u8; 16]).is_none());
        let c = Aes128Gcm::new(&[0u8; 16]).expect("key");
        let nonce = [0u8; NONCE_LEN];
        let mut buf = *b"some plaintext";
        let tag = c.seal(&nonce, b"", &mut buf).expect("seal");
        let mut copy = buf;
        assert!(!c.open(&nonce, b"", &mut copy, &tag[..15]));
        assert!(c.open(&nonce, b"", &mut buf, &tag));
        assert_eq!(&buf, b"some plaintext");
    }

    /// The 32-bit counter starts at 2 and the mask uses 1, whatever the
    /// nonce's last bytes: a nonce ending in ff ff ff ff must not carry
    /// into the nonce (the crate agrees on a multi-batch message).
    #[test]
    fn counter_does_not_carry_into_the_nonce() {
        let key = data(16, 5);
        let ours = Aes128Gcm::new(&key).expect("key");
        let theirs = aes_gcm::Aes128Gcm::new_from_slice(&key).expect("key");
        let nonce = [0xffu8; NONCE_LEN];
        let mut a = data(5000, 1);
        let mut b = a.clone();
        let t1 = ours.seal(&nonce, b"x", &mut a).expect("seal");
        let t2 = theirs
            .encrypt_inout_detached(&nonce.into(), b"x", b.as_mut_slice().into())
            .expect("seal");
        assert_eq!((a, &t1[..]), (b, &t2[..]));
    }
}
