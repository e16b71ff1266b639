//! SHA-2 transcript hashes and HMAC for rustls, on the `sha2` and `hmac` crates.
//!
//! HKDF (TLS 1.3) and the PRF (TLS 1.2) are built by rustls on top of the
//! [`Hmac`](rustls::crypto::hmac::Hmac) implementations here.

use rustls::crypto::hash::{self, HashAlgorithm};
use rustls::crypto::hmac;
use sha2::digest::{Digest, KeyInit, Mac};

/// A SHA-2 hash for rustls' transcript hashing.
pub(crate) struct Sha2<D: 'static>(core::marker::PhantomData<fn() -> D>);

/// SHA-256 as a rustls transcript hash.
pub(crate) static SHA256: Sha2<sha2::Sha256> = Sha2(core::marker::PhantomData);
/// SHA-384 as a rustls transcript hash.
pub(crate) static SHA384: Sha2<sha2::Sha384> = Sha2(core::marker::PhantomData);

/// Which rustls algorithm a `sha2` hasher is.
pub(crate) trait Named {
    const ALGORITHM: HashAlgorithm;
}

impl Named for sha2::Sha256 {
    const ALGORITHM: HashAlgorithm = HashAlgorithm::SHA256;
}

impl Named for sha2::Sha384 {
    const ALGORITHM: HashAlgorithm = HashAlgorithm::SHA384;
}

impl<D> hash::Hash for Sha2<D>
where
    D: Digest + Clone + Named + Send + Sync + 'static,
{
    fn start(&self) -> Box<dyn hash::Context> {
        Box::new(Sha2Context(D::new()))
    }

    fn hash(&self, data: &[u8]) -> hash::Output {
        hash::Output::new(&D::digest(data))
    }

    fn output_len(&self) -> usize {
        <D as Digest>::output_size()
    }

    fn algorithm(&self) -> HashAlgorithm {
        D::ALGORITHM
    }
}

/// A running transcript hash.
struct Sha2Context<D>(D);

impl<D> hash::Context for Sha2Context<D>
where
    D: Digest + Clone + Send + Sync + 'static,
{
    fn fork_finish(&self) -> hash::Output {
        hash::Output::new(&self.0.clone().finalize())
    }

    fn fork(&self) -> Box<dyn hash::Context> {
        Box::new(Sha2Context(self.0.clone()))
    }

    fn finish(self: Box<Self>) -> hash::Output {
        hash::Output::new(&self.0.finalize())
    }

    fn update(&mut self, data: &[u8]) {
        Digest::update(&mut self.0, data);
    }
}

/// HMAC over a SHA-2 hash.
pub(crate) struct HmacSha2<D: 'static>(core::marker::PhantomData<fn() -> D>);

/// HMAC-SHA-256 for rustls' HKDF and PRF.
pub(crate) static HMAC_SHA256: HmacSha2<sha2::Sha256> = HmacSha2(core::marker::PhantomData);
/// HMAC-SHA-384 for rustls' HKDF and PRF.
pub(crate) static HMAC_SHA384: HmacSha2<sha2::Sha384> = HmacSha2(core::marker::PhantomData);

impl hmac::Hmac for HmacSha2<sha2::Sha256> {
    fn with_key(&self, key: &[u8]) -> Box<dyn hmac::Key> {
        Box::new(HmacKey(keyed::<sha2::Sha256>(key)))
    }

    fn hash_output_len(&self) -> usize {
        32
    }
}

impl hmac::Hmac for HmacSha2<sha2::Sha384> {
    fn with_key(&self, key: &[u8]) -> Box<dyn hmac::Key> {
        Box::new(HmacKey(keyed::<sha2::Sha384>(key)))
    }

    fn hash_output_len(&self) -> usize {
        48
    }
}

/// Keys an HMAC. HMAC accepts keys of every length (long keys are hashed
/// first), so this cannot fail; the fallback keeps the code panic-free.
fn keyed<D>(key: &[u8]) -> ::hmac::Hmac<D>
where
    D: ::hmac::EagerHash,
{
    match <::hmac::Hmac<D> as KeyInit>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => <::hmac::Hmac<D> as KeyInit>::new(&Default::default()),
    }
}

/// An HMAC key: the hash states after absorbing the padded key, ready to be
/// cloned per message. The hmac crate zeroizes them on drop.
struct HmacKey<M>(M);

impl<M> hmac::Key for HmacKey<M>
where
    M: Mac + Clone + Send + Sync,
{
    fn sign_concat(&self, first: &[u8], middle: &[&[u8]], last: &[u8]) -> hmac::Tag {
        let mut mac = self.0.clone();
        mac.update(first);
        for part in middle {
            mac.update(part);
        }
        mac.update(last);
        hmac::Tag::new(&mac.finalize().into_bytes())
    }

    fn tag_len(&self) -> usize {
        <M as sha2::digest::OutputSizeUser>::output_size()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::crypto::hash::Hash;
    use rustls::crypto::hmac::Hmac;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn sha256_abc() {
        assert_eq!(
            hex(SHA256.hash(b"abc").as_ref()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let mut ctx = SHA256.start();
        ctx.update(b"a");
        let fork = ctx.fork();
        ctx.update(b"bc");
        assert_eq!(ctx.fork_finish().as_ref(), SHA256.hash(b"abc").as_ref());
        assert_eq!(fork.finish().as_ref(), SHA256.hash(b"a").as_ref());
        assert_eq!(SHA384.output_len(), 48);
    }

    /// RFC 4231 test case 2 (key "Jefe").
    #[test]
    fn hmac_rfc4231_case2() {
        let k = HMAC_SHA256.with_key(b"Jefe");
        let tag = k.sign(&[b"what do ya want ", b"for nothing?"]);
        assert_eq!(
            hex(tag.as_ref()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let k = HMAC_SHA384.with_key(b"Jefe");
        let tag = k.sign_concat(b"what do ya want ", &[], b"for nothing?");
        assert_eq!(
            hex(tag.as_ref()),
            "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"
        );
    }
}
