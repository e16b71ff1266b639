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
use std::sync::Arc;

use zeroize::Zeroizing;

use crate::crypto::X509;
use crate::ssl::session_api::{Session, Slot};

/// What one handshake step revealed.
#[derive(Default)]
pub(crate) struct Observed {
    /// The verified chain, leaf first.
    pub(crate) chain: Option<Vec<X509>>,
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

/// The verifier built and accepted `chain` (leaf first).
pub(crate) fn verified_chain(chain: Vec<X509>) {
    with(|o| o.chain = Some(chain));
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
