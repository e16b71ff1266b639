//! The post-quantum hybrid key exchange X25519MLKEM768
//! (draft-ietf-tls-ecdhe-mlkem): ML-KEM-768 (FIPS 203, the `ml-kem` crate)
//! combined with X25519 (puressl's own, [`super::x25519`]). TLS 1.3 only.
//!
//! * client share: ML-KEM encapsulation key (1184 bytes) ‖ X25519 public key (32)
//! * server share: ML-KEM ciphertext (1088 bytes) ‖ X25519 public key (32)
//! * shared secret: ML-KEM shared key (32) ‖ X25519 shared secret (32)

use ml_kem::kem::{Decapsulate, Encapsulate, Kem, KeyExport, TryKeyInit};
use ml_kem::MlKem768;
use rustls::crypto::{ActiveKeyExchange, CompletedKeyExchange, SharedSecret, SupportedKxGroup};
use rustls::{Error, NamedGroup, PeerMisbehaved, ProtocolVersion};
use zeroize::Zeroizing;

use super::kx::{X25519Active, X25519};

/// ML-KEM-768 encapsulation key length.
const EK_LEN: usize = 1184;
/// ML-KEM-768 ciphertext length.
const CT_LEN: usize = 1088;
/// X25519 public key length.
const X25519_LEN: usize = 32;

fn bad_share() -> Error {
    Error::PeerMisbehaved(PeerMisbehaved::InvalidKeyShare)
}

/// Joins the two shared secrets (ML-KEM first) without leaving copies.
fn combine(mlkem: &[u8], x25519: &SharedSecret) -> SharedSecret {
    let mut out = Zeroizing::new(Vec::with_capacity(mlkem.len() + 32));
    out.extend_from_slice(mlkem);
    out.extend_from_slice(x25519.secret_bytes());
    SharedSecret::from(&out[..])
}

/// X25519MLKEM768 key exchange.
#[derive(Debug)]
pub(crate) struct X25519MlKem768;

impl SupportedKxGroup for X25519MlKem768 {
    fn start(&self) -> Result<Box<dyn ActiveKeyExchange>, Error> {
        let mut rng = crate::rand::SeededRng::new().map_err(|_| Error::FailedToGetRandomBytes)?;
        let (dk, ek) = MlKem768::generate_keypair_from_rng(&mut rng);
        let classical = X25519Active::new(super::x25519::Secret::random()?);
        let mut share = Vec::with_capacity(EK_LEN + X25519_LEN);
        share.extend_from_slice(&ek.to_bytes());
        share.extend_from_slice(classical.pub_key());
        Ok(Box::new(Active {
            dk,
            classical,
            share,
        }))
    }

    /// The server side: encapsulate to the client's key and do X25519.
    fn start_and_complete(&self, client_share: &[u8]) -> Result<CompletedKeyExchange, Error> {
        if client_share.len() != EK_LEN + X25519_LEN {
            return Err(bad_share());
        }
        let (ek_bytes, x_peer) = client_share.split_at(EK_LEN);
        let ek = ml_kem::EncapsulationKey::<MlKem768>::new_from_slice(ek_bytes)
            .map_err(|_| bad_share())?;
        let mut rng = crate::rand::SeededRng::new().map_err(|_| Error::FailedToGetRandomBytes)?;
        let (ct, mlkem_secret) = ek.encapsulate_with_rng(&mut rng);
        let mlkem_secret = Zeroizing::new(mlkem_secret);
        let classical = X25519.start()?;
        let mut pub_key = Vec::with_capacity(CT_LEN + X25519_LEN);
        pub_key.extend_from_slice(&ct);
        pub_key.extend_from_slice(classical.pub_key());
        let x_secret = classical.complete(x_peer)?;
        Ok(CompletedKeyExchange {
            group: NamedGroup::X25519MLKEM768,
            pub_key,
            secret: combine(&mlkem_secret, &x_secret),
        })
    }

    fn name(&self) -> NamedGroup {
        NamedGroup::X25519MLKEM768
    }

    fn usable_for_version(&self, version: ProtocolVersion) -> bool {
        version == ProtocolVersion::TLSv1_3
    }
}

/// The client's half: the ML-KEM decapsulation key (zeroized on drop) and
/// the X25519 secret, which rustls may also offer as a plain X25519 share.
struct Active {
    dk: ml_kem::DecapsulationKey<MlKem768>,
    classical: X25519Active,
    share: Vec<u8>,
}

impl ActiveKeyExchange for Active {
    fn complete(self: Box<Self>, server_share: &[u8]) -> Result<SharedSecret, Error> {
        if server_share.len() != CT_LEN + X25519_LEN {
            return Err(bad_share());
        }
        let (ct, x_peer) = server_share.split_at(CT_LEN);
        let mlkem_secret = Zeroizing::new(self.dk.decapsulate_slice(ct).map_err(|_| bad_share())?);
        let x_secret = self.classical.agree(x_peer)?;
        Ok(combine(&mlkem_secret, &x_secret))
    }

    fn hybrid_component(&self) -> Option<(NamedGroup, &[u8])> {
        Some((NamedGroup::X25519, self.classical.pub_key()))
    }

    fn complete_hybrid_component(self: Box<Self>, peer: &[u8]) -> Result<SharedSecret, Error> {
        self.classical.agree(peer)
    }

    fn pub_key(&self) -> &[u8] {
        &self.share
    }

    fn group(&self) -> NamedGroup {
        NamedGroup::X25519MLKEM768
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_and_server_agree() {
        let client = X25519MlKem768.start().expect("start");
        assert_eq!(client.pub_key().len(), EK_LEN + X25519_LEN);
        assert_eq!(
            client.hybrid_component().map(|(g, k)| (g, k.len())),
            Some((NamedGroup::X25519, 32))
        );
        let server = X25519MlKem768
            .start_and_complete(client.pub_key())
            .expect("server");
        assert_eq!(server.pub_key.len(), CT_LEN + X25519_LEN);
        let secret = client.complete(&server.pub_key).expect("client");
        assert_eq!(secret.secret_bytes().len(), 64);
        assert_eq!(secret.secret_bytes(), server.secret.secret_bytes());
    }

    #[test]
    fn bad_shares_are_errors() {
        assert!(X25519MlKem768.start_and_complete(&[0u8; 10]).is_err());
        let client = X25519MlKem768.start().expect("start");
        assert!(client.complete(&[1u8; 100]).is_err());
        // A corrupted ciphertext decapsulates to a different (implicit
        // rejection) key, so the secrets disagree instead of erroring.
        let client = X25519MlKem768.start().expect("start");
        let mut server = X25519MlKem768
            .start_and_complete(client.pub_key())
            .expect("server");
        server.pub_key[3] ^= 1;
        let secret = client.complete(&server.pub_key).expect("client");
        assert_ne!(secret.secret_bytes(), server.secret.secret_bytes());
        assert!(!X25519MlKem768.usable_for_version(ProtocolVersion::TLSv1_2));
    }
}
