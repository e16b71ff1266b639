//! What a handshake step lets puressl see of a connection beyond rustls's
//! public getters: the chain the verifier built, and the client random
//! and TLS 1.2 master secret rustls hands its key-log hook.
//!
//! rustls calls the verifier and the key log synchronously inside the
//! handshake step (`read_tls`/`process_new_packets`, connection creation),
//! on the calling thread, so a thread-local slot filled there and taken
//! by [`capture`] around the step belongs to that connection (the same
//! pattern as the verify result in `verify.rs`).

use std::cell::RefCell;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use rustls::pki_types::CertificateDer;

use zeroize::Zeroizing;

use crate::crypto::X509;
use crate::ssl::session_api::{Session, Slot};

/// What one handshake step revealed.
#[derive(Default)]
pub(crate) struct Observed {
    /// The verified chain, leaf first.
    pub(crate) chain: Option<VerifiedChain>,
    pub(crate) client_random: Option<Vec<u8>>,
    /// The TLS 1.2 master secret (`CLIENT_RANDOM` key-log line).
    pub(crate) master_key: Option<Zeroizing<Vec<u8>>>,
    /// The client session the store filed for this connection.
    pub(crate) session: Option<Session>,
    /// The session this client connection offers (`set_session`).
    pub(crate) offered: Option<Session>,
}

thread_local! {
    static SEEN: RefCell<Option<Observed>> = const { RefCell::new(None) };
}

/// Runs `f` (a handshake step) and returns what it revealed.
pub(crate) fn capture<R>(f: impl FnOnce() -> R) -> (R, Observed) {
    let outer = SEEN.with(|s| s.replace(Some(Observed::default())));
    let r = f();
    let seen = SEEN.with(|s| s.replace(outer)).unwrap_or_default();
    (r, seen)
}

fn with(f: impl FnOnce(&mut Observed)) {
    SEEN.with(|s| {
        if let Some(o) = s.borrow_mut().as_mut() {
            f(o);
        }
    });
}

/// The chain a verifier accepted, kept small: a certificate the peer sent
/// is its position in the peer's list (which rustls keeps anyway), any
/// other (the trust anchor, an intermediate from the store) its DER shared
/// with the other connections of the verifier ([`SharedDer`]). Parsed
/// again only when asked for: an idle client connection keeps about 50
/// bytes for a two-certificate P-256 chain, where the parsed certificates
/// took about 6 KB.
#[derive(Debug, Default)]
pub(crate) struct VerifiedChain {
    links: Vec<Link>,
    parsed: OnceLock<Vec<X509>>,
}

/// Where one certificate of a [`VerifiedChain`] is.
#[derive(Debug)]
enum Link {
    /// The peer's `n`th certificate (0: the leaf).
    Peer(usize),
    Der(Arc<[u8]>),
}

impl VerifiedChain {
    fn new(chain: &[X509], peer: &[&[u8]], shared: &SharedDer) -> Self {
        let mut links = Vec::with_capacity(chain.len());
        for cert in chain {
            let Ok(der) = cert.to_der() else {
                // Not expected (each was read from DER): keep the chain
                // parsed rather than lose a certificate.
                return VerifiedChain {
                    links: Vec::new(),
                    parsed: OnceLock::from(chain.to_vec()),
                };
            };
            links.push(match peer.iter().position(|p| *p == der.as_slice()) {
                Some(n) => Link::Peer(n),
                None => Link::Der(shared.get(der)),
            });
        }
        VerifiedChain {
            links,
            parsed: OnceLock::new(),
        }
    }

    /// The certificates, leaf first (parsed on the first call); `peer` is
    /// the peer's certificate list as rustls keeps it.
    pub(crate) fn certificates(&self, peer: &[CertificateDer<'_>]) -> &[X509] {
        self.parsed.get_or_init(|| {
            // Each of these bytes was parsed before the verifier accepted
            // it, and the peer's list does not change after the handshake.
            self.links
                .iter()
                .filter_map(|link| match link {
                    Link::Peer(n) => peer.get(*n).map(|c| c.as_ref()),
                    Link::Der(der) => Some(&der[..]),
                })
                .filter_map(|der| X509::from_der(der).ok())
                .collect()
        })
    }
}

/// DER of the certificates a verifier adds to chains (trust anchors,
/// intermediates from its store), shared by the chains of its connections.
/// Bounded: past [`SharedDer::MAX`] different certificates a chain keeps
/// its own copy.
#[derive(Debug, Default)]
pub(crate) struct SharedDer(Mutex<Vec<Arc<[u8]>>>);

impl SharedDer {
    const MAX: usize = 64;

    fn get(&self, der: Vec<u8>) -> Arc<[u8]> {
        let mut known = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(k) = known.iter().find(|k| ***k == *der) {
            return Arc::clone(k);
        }
        let der: Arc<[u8]> = der.into();
        if known.len() < Self::MAX {
            known.push(Arc::clone(&der));
        }
        der
    }
}

/// The verifier built and accepted `chain` (leaf first) for the peer's
/// certificates `peer` (leaf first).
pub(crate) fn verified_chain(chain: &[X509], peer: &[&[u8]], shared: &SharedDer) {
    with(|o| o.chain = Some(VerifiedChain::new(chain, peer, shared)));
}

/// The client session store filed a session value in `slot`.
pub(crate) fn session(slot: &Arc<Slot>) {
    with(|o| o.session = Some(Session(Arc::clone(slot))));
}

/// The key-log hook of every configuration: records the client random and
/// the TLS 1.2 master secret for the connection, then passes the secret on
/// to the user's key log (`set_keylog_callback`), if any.
#[derive(Debug)]
pub(crate) struct Observer(pub(crate) Option<Arc<dyn rustls::KeyLog>>);

impl rustls::KeyLog for Observer {
    fn log(&self, label: &str, client_random: &[u8], secret: &[u8]) {
        with(|o| {
            o.client_random = Some(client_random.to_vec());
            if label == "CLIENT_RANDOM" {
                o.master_key = Some(Zeroizing::new(secret.to_vec()));
            }
        });
        if let Some(user) = &self.0 {
            user.log(label, client_random, secret);
        }
    }

    fn will_log(&self, label: &str) -> bool {
        label == "CLIENT_RANDOM"
            || label == "CLIENT_HANDSHAKE_TRAFFIC_SECRET"
            || self.0.as_ref().is_some_and(|u| u.will_log(label))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use rustls::pki_types::CertificateDer;

    use super::{Link, SharedDer, VerifiedChain};
    use crate::crypto::{load_certificate, FileType, X509};

    fn cert(pem: &[u8]) -> X509 {
        load_certificate(FileType::Pem, pem).unwrap()
    }

    #[test]
    fn a_chain_keeps_peer_positions_and_shares_the_anchor() {
        let leaf = cert(include_bytes!("../../tests/data/provider/p256.pem"));
        let ca = cert(include_bytes!("../../tests/data/provider/p256-ca.pem"));
        let (leaf_der, ca_der) = (leaf.to_der().unwrap(), ca.to_der().unwrap());
        let shared = SharedDer::default();
        let chain = [leaf.clone(), ca.clone()];
        let a = VerifiedChain::new(&chain, &[&leaf_der], &shared);
        let b = VerifiedChain::new(&chain, &[&leaf_der], &shared);
        assert!(matches!(a.links[0], Link::Peer(0)));
        // The anchor's DER is one allocation for both chains.
        match (&a.links[1], &b.links[1]) {
            (Link::Der(x), Link::Der(y)) => {
                assert!(Arc::ptr_eq(x, y));
                assert_eq!(&x[..], &ca_der[..]);
            }
            other => panic!("{other:?}"),
        }
        // Parsed again from the peer's list and the shared DER.
        let peer = [CertificateDer::from(leaf_der.clone())];
        let got: Vec<Vec<u8>> = a
            .certificates(&peer)
            .iter()
            .map(|c| c.to_der().unwrap())
            .collect();
        assert_eq!(got, [leaf_der, ca_der]);
    }
}
