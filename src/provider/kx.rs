//! Key exchange: X25519 (puressl's own ladder, [`super::x25519`]) and the
//! NIST curves secp256r1, secp384r1 and secp521r1 (p256 / p384 / p521 ECDH).
//! Ephemeral secrets come from [`crate::rand`] and are zeroized on drop.

use rustls::crypto::{ActiveKeyExchange, SharedSecret, SupportedKxGroup};
use rustls::{Error, NamedGroup, PeerMisbehaved};
use zeroize::Zeroizing;

use super::x25519;

/// The error for a peer key share that is malformed, off the curve, or
/// produces an all-zero secret.
fn bad_share() -> Error {
    Error::PeerMisbehaved(PeerMisbehaved::InvalidKeyShare)
}

// ---------------------------------------------------------------- X25519

/// X25519 (RFC 7748) key exchange, on puressl's own ladder
/// ([`super::x25519`]).
#[derive(Debug)]
pub(crate) struct X25519;

impl SupportedKxGroup for X25519 {
    fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, Error> {
        Ok(Box::new(X25519Active::new(x25519::Secret::random()?)))
    }

    fn name(&self) -> NamedGroup {
        NamedGroup::X25519
    }
}

/// Our half of an X25519 exchange.
pub(crate) struct X25519Active {
    secret: x25519::Secret,
    public: [u8; 32],
}

impl X25519Active {
    /// Wraps a secret scalar (random in TLS; fixed in known-answer tests).
    pub(crate) fn new(secret: x25519::Secret) -> Self {
        let public = secret.public_key();
        Self { secret, public }
    }

    /// The raw Diffie-Hellman step; rejects wrong lengths and all-zero
    /// (non-contributory) results.
    pub(crate) fn agree(&self, peer: &[u8]) -> Result<SharedSecret, Error> {
        let peer: &[u8; 32] = peer.try_into().map_err(|_| bad_share())?;
        let shared = Zeroizing::new(self.secret.diffie_hellman(peer).ok_or_else(bad_share)?);
        Ok(SharedSecret::from(&shared[..]))
    }
}

impl ActiveKeyExchange for X25519Active {
    fn complete(self: Box<Self>, peer_pub_key: &[u8]) -> Result<SharedSecret, Error> {
        self.agree(peer_pub_key)
    }

    fn pub_key(&self) -> &[u8] {
        &self.public
    }

    fn group(&self) -> NamedGroup {
        NamedGroup::X25519
    }
}

// ---------------------------------------------------------------- NIST curves

macro_rules! nist_group {
    ($group:ident, $active:ident, $krate:ident, $named:expr, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug)]
        pub(crate) struct $group;

        impl SupportedKxGroup for $group {
            fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, Error> {
                use $krate::elliptic_curve::Generate;
                let secret =
                    $krate::ecdh::EphemeralSecret::try_generate_from_rng(&mut crate::rand::Rng)
                        .map_err(|_| Error::FailedToGetRandomBytes)?;
                use $krate::elliptic_curve::sec1::ToSec1Point;
                let public = secret.public_key().to_sec1_point(false).as_bytes().to_vec();
                Ok(Box::new($active { secret, public }))
            }

            fn name(&self) -> NamedGroup {
                $named
            }
        }

        /// Our half of the exchange: the secret scalar and our uncompressed point.
        struct $active {
            secret: $krate::ecdh::EphemeralSecret,
            public: Vec<u8>,
        }

        impl ActiveKeyExchange for $active {
            fn complete(self: Box<Self>, peer: &[u8]) -> Result<SharedSecret, Error> {
                // TLS only allows the uncompressed form (RFC 8446 4.2.8.2).
                if peer.len() != self.public.len() || peer.first() != Some(&0x04) {
                    return Err(bad_share());
                }
                let peer = $krate::PublicKey::from_sec1_bytes(peer).map_err(|_| bad_share())?;
                let shared = self.secret.diffie_hellman(&peer);
                Ok(SharedSecret::from(&shared.raw_secret_bytes()[..]))
            }

            fn pub_key(&self) -> &[u8] {
                &self.public
            }

            fn group(&self) -> NamedGroup {
                $named
            }
        }
    };
}

nist_group!(
    Secp256r1,
    Secp256r1Active,
    p256,
    NamedGroup::secp256r1,
    "ECDHE on NIST P-256 (secp256r1)."
);
nist_group!(
    Secp384r1,
    Secp384r1Active,
    p384,
    NamedGroup::secp384r1,
    "ECDHE on NIST P-384 (secp384r1)."
);
nist_group!(
    Secp521r1,
    Secp521r1Active,
    p521,
    NamedGroup::secp521r1,
    "ECDHE on NIST P-521 (secp521r1)."
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::x25519::tests::unhex32;

    /// RFC 7748, section 6.1: Alice and Bob.
    #[test]
    fn x25519_rfc7748_dh() {
        let alice = X25519Active::new(x25519::Secret::from_bytes(unhex32(
            "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
        )));
        let bob = X25519Active::new(x25519::Secret::from_bytes(unhex32(
            "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
        )));
        assert_eq!(
            alice.pub_key(),
            unhex32("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
        );
        assert_eq!(
            bob.pub_key(),
            unhex32("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
        );
        let shared = unhex32("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        let bob_pub = bob.pub_key().to_vec();
        assert_eq!(
            Box::new(bob)
                .complete(alice.pub_key())
                .expect("dh")
                .secret_bytes(),
            shared
        );
        assert_eq!(
            Box::new(alice)
                .complete(&bob_pub)
                .expect("dh")
                .secret_bytes(),
            shared
        );
    }

    /// RFC 7748, section 5.2: the first scalar-multiplication vector.
    #[test]
    fn x25519_rfc7748_scalarmult() {
        let k = X25519Active::new(x25519::Secret::from_bytes(unhex32(
            "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
        )));
        let out = k
            .agree(&unhex32(
                "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
            ))
            .expect("dh");
        assert_eq!(
            out.secret_bytes(),
            unhex32("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552")
        );
    }

    #[test]
    fn x25519_rejects_bad_shares() {
        let k = X25519.start().expect("start");
        assert_eq!(k.pub_key().len(), 32);
        // Wrong length, and the all-zero point (small order: zero secret).
        assert!(X25519.start().expect("start").complete(&[1u8; 31]).is_err());
        assert!(k.complete(&[0u8; 32]).is_err());
    }

    #[test]
    fn nist_round_trip_and_rejects() {
        for g in [&Secp256r1 as &dyn SupportedKxGroup, &Secp384r1, &Secp521r1] {
            let a = g.start().expect("start");
            let b = g.start().expect("start");
            assert_eq!(a.pub_key().first(), Some(&4));
            let a_pub = a.pub_key().to_vec();
            let b_pub = b.pub_key().to_vec();
            assert_ne!(a_pub, b_pub);
            let s1 = a.complete(&b_pub).expect("complete");
            let s2 = b.complete(&a_pub).expect("complete");
            let len = match g.name() {
                NamedGroup::secp256r1 => 32,
                NamedGroup::secp384r1 => 48,
                _ => 66,
            };
            assert_eq!(s1.secret_bytes().len(), len);
            assert_eq!(s1.secret_bytes(), s2.secret_bytes());
            // Compressed form, junk and the wrong length are refused.
            let mut compressed = b_pub[..1 + (b_pub.len() - 1) / 2].to_vec();
            compressed[0] = 2;
            assert!(g.start().expect("start").complete(&compressed).is_err());
            let mut junk = b_pub.clone();
            junk[5] ^= 0xff;
            assert!(g.start().expect("start").complete(&junk).is_err());
            assert!(g.start().expect("start").complete(&b_pub[1..]).is_err());
            // The point at infinity (SEC1 0x00), (0, 0), and coordinates
            // not below the field prime are refused.
            assert!(g.start().expect("start").complete(&[0]).is_err());
            let mut zero = vec![0u8; b_pub.len()];
            zero[0] = 4;
            assert!(g.start().expect("start").complete(&zero).is_err());
            let mut big = vec![0xffu8; b_pub.len()];
            big[0] = 4;
            assert!(g.start().expect("start").complete(&big).is_err());
            let err = g.start().expect("start").complete(&junk).err();
            assert_eq!(err, Some(bad_share()));
        }
    }
}
