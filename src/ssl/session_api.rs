//! Client sessions: the public [`Session`] handle and the client session
//! store every client configuration of a context uses.
//!
//! rustls 0.23 keeps a client's resumption state in
//! `Tls12ClientSessionValue` / `Tls13ClientSessionValue`, which it neither
//! encodes nor decodes through its public API (its codec is private) and,
//! for TLS 1.3, does not even let be cloned. So a [`Session`] lives in the
//! process that made it: it cannot be written to bytes and read back in a
//! new process without a change to rustls (a public encoding of those two
//! types, bound to the configuration's verifier). puressl's store keeps
//! each server's values in one slot shared with the [`Session`] handles of
//! the connections that made them, so a session handed to
//! [`Connection::set_session`](crate::ssl::Connection::set_session) draws
//! on the very tickets rustls stored.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use rustls::client::{ClientSessionStore, Tls12ClientSessionValue, Tls13ClientSessionValue};
use rustls::pki_types::ServerName;
use rustls::NamedGroup;

use super::ProtoVersion;

/// TLS 1.3 tickets kept per server (newest used first), as rustls's own
/// cache keeps.
const TICKETS: usize = 8;
/// Servers whose sessions a client context keeps (rustls's default).
const SERVERS: usize = 256;

#[derive(Default)]
struct Values {
    kx_hint: Option<NamedGroup>,
    tls12: Option<Tls12ClientSessionValue>,
    tls13: VecDeque<Tls13ClientSessionValue>,
}

/// One server's resumption state.
#[derive(Default)]
pub(crate) struct Slot(Mutex<Values>);

impl Slot {
    fn with<R>(&self, f: impl FnOnce(&mut Values) -> R) -> Option<R> {
        self.0.lock().ok().map(|mut v| f(&mut v))
    }
}

/// A client's TLS session, to resume with another connection of the same
/// context: [`Connection::session`](crate::ssl::Connection::session) then
/// [`Connection::set_session`](crate::ssl::Connection::set_session).
/// pyOpenSSL `SSL.Session`.
///
/// When it is ready: TLS 1.2 at the end of the handshake (session ID or
/// ticket); TLS 1.3 only once the server's NewSessionTicket messages have
/// been read, which happens after the handshake, with the first
/// [`recv`](crate::ssl::Connection::recv) that reads the server's data
/// (pyOpenSSL issue #1291): call `session()` after reading.
///
/// A TLS 1.3 ticket is used once (RFC 8446 §C.4): each resumption takes
/// one of the tickets the server sent (OpenSSL sends two, puressl servers
/// as many as `set_num_tickets`); when none is left the next handshake is
/// a full one, which brings new tickets. The handle shares the tickets
/// with the context's own client cache for that server.
///
/// Not serialisable (no `to_bytes`/`from_bytes`; pyOpenSSL has none
/// either, OpenSSL has `i2d_SSL_SESSION`): in rustls 0.23 (checked in
/// 0.23.46) a client session is a `Tls12ClientSessionValue` or
/// `Tls13ClientSessionValue`, which
///
/// * have no public encoding or constructor: the only codec in rustls's
///   `msgs::persist` is the server's, and it is crate-private;
/// * hold `Weak` references to the configuration's `ServerCertVerifier`
///   and `ResolvesClientCert`, and rustls resumes a session only when
///   those are the very same objects (pointer equality), so even a
///   decoded session could not be tied to a configuration of a new
///   process;
/// * for TLS 1.3, are not even `Clone`.
///
/// So a client session does not survive the process. Making it do so
/// needs a rustls change (a public encoding bound to the configuration
/// that decodes it); puressl will not fake one.
///
/// A session made under one client context resumes only with the same
/// context (or a clone that changed no setting): rustls binds it to the
/// verifier that checked the server; elsewhere the handshake is a full one.
#[derive(Clone)]
pub struct Session(pub(crate) Arc<Slot>);

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("protocol_version", &self.protocol_version())
            .field("tickets", &self.tickets())
            .finish()
    }
}

impl Session {
    /// The version of the session: TLS 1.3 when it holds tickets, else
    /// TLS 1.2 when it holds a TLS 1.2 session, else `None` (used up).
    pub fn protocol_version(&self) -> Option<ProtoVersion> {
        self.0
            .with(|v| {
                if !v.tls13.is_empty() {
                    Some(ProtoVersion::Tls1_3)
                } else {
                    v.tls12.as_ref().map(|_| ProtoVersion::Tls1_2)
                }
            })
            .flatten()
    }

    /// How many unused TLS 1.3 tickets it holds.
    pub fn tickets(&self) -> usize {
        self.0.with(|v| v.tls13.len()).unwrap_or(0)
    }

    /// `true` when a handshake can offer it (a TLS 1.2 session or an
    /// unused TLS 1.3 ticket).
    pub fn is_resumable(&self) -> bool {
        self.protocol_version().is_some()
    }
}

thread_local! {
    /// The session a client connection being created offers
    /// (`set_session`); see [`offering`].
    static OFFER: RefCell<Option<Arc<Slot>>> = const { RefCell::new(None) };
}

/// Runs `f` (the creation of a client connection, where rustls looks up
/// the session to offer) with `session` as the one to offer.
pub(crate) fn offering<R>(session: Option<&Session>, f: impl FnOnce() -> R) -> R {
    let Some(s) = session else {
        return f();
    };
    let outer = OFFER.with(|o| o.replace(Some(Arc::clone(&s.0))));
    let r = f();
    OFFER.with(|o| o.replace(outer));
    r
}

fn offered() -> Option<Arc<Slot>> {
    OFFER.with(|o| o.borrow().clone())
}

/// The slots by server name, and the names oldest first (for eviction).
type Slots = (
    HashMap<ServerName<'static>, Arc<Slot>>,
    VecDeque<ServerName<'static>>,
);

/// The client session store of a context: one [`Slot`] per server name.
#[derive(Default)]
pub(crate) struct ClientStore {
    map: Mutex<Slots>,
}

impl std::fmt::Debug for ClientStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientStore")
    }
}

impl ClientStore {
    fn get(&self, name: &ServerName<'_>) -> Option<Arc<Slot>> {
        let m = self.map.lock().ok()?;
        m.0.get(name).cloned()
    }

    fn slot(&self, name: ServerName<'static>) -> Option<Arc<Slot>> {
        let mut m = self.map.lock().ok()?;
        if let Some(s) = m.0.get(&name) {
            return Some(Arc::clone(s));
        }
        while m.0.len() >= SERVERS {
            match m.1.pop_front() {
                Some(old) => {
                    m.0.remove(&old);
                }
                None => break,
            }
        }
        let s = Arc::new(Slot::default());
        m.1.push_back(name.clone());
        m.0.insert(name, Arc::clone(&s));
        Some(s)
    }
}

/// The client cache as one client configuration uses it: with the
/// `SESS_CACHE_CLIENT` bit (`automatic`), a connection offers the session
/// of its server by itself; without it, only the one given to
/// `set_session`. New sessions are filed either way.
#[derive(Debug)]
pub(crate) struct ClientCache {
    pub(crate) store: Arc<ClientStore>,
    pub(crate) automatic: bool,
}

impl ClientCache {
    /// The slot a connection to `name` resumes from.
    fn lookup(&self, name: &ServerName<'_>) -> Option<Arc<Slot>> {
        match offered() {
            Some(s) => Some(s),
            None if self.automatic => self.store.get(name),
            None => None,
        }
    }
}

impl ClientSessionStore for ClientCache {
    fn set_kx_hint(&self, name: ServerName<'static>, group: NamedGroup) {
        if let Some(s) = self.store.slot(name) {
            s.with(|v| v.kx_hint = Some(group));
        }
    }

    fn kx_hint(&self, name: &ServerName<'_>) -> Option<NamedGroup> {
        let s = self.lookup(name)?;
        s.with(|v| v.kx_hint).flatten()
    }

    fn set_tls12_session(&self, name: ServerName<'static>, value: Tls12ClientSessionValue) {
        if let Some(s) = self.store.slot(name) {
            s.with(|v| v.tls12 = Some(value));
            super::observe::session(&s);
        }
    }

    fn tls12_session(&self, name: &ServerName<'_>) -> Option<Tls12ClientSessionValue> {
        let s = self.lookup(name)?;
        s.with(|v| v.tls12.clone()).flatten()
    }

    fn remove_tls12_session(&self, name: &ServerName<'static>) {
        if let Some(s) = self.store.get(name) {
            s.with(|v| v.tls12 = None);
        }
    }

    fn insert_tls13_ticket(&self, name: ServerName<'static>, value: Tls13ClientSessionValue) {
        if let Some(s) = self.store.slot(name) {
            s.with(|v| {
                if v.tls13.len() >= TICKETS {
                    v.tls13.pop_front();
                }
                v.tls13.push_back(value);
            });
            super::observe::session(&s);
        }
    }

    fn take_tls13_ticket(&self, name: &ServerName<'static>) -> Option<Tls13ClientSessionValue> {
        let s = self.lookup(name)?;
        s.with(|v| v.tls13.pop_back()).flatten()
    }
}
