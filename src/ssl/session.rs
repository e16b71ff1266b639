//! Session resumption state a [`Context`](crate::ssl::Context) keeps across
//! its connections: the server's session cache, the key of its session
//! tickets, and the client's session cache.
//!
//! OpenSSL semantics kept here:
//!
//! * a session belongs to the session-id context (`set_session_id`) it was
//!   made under; a client offering it to a server with another context gets
//!   a full handshake (OpenSSL's `sid_ctx` check);
//! * a session lives `set_timeout` seconds (default 7200), counted from the
//!   full handshake that made it;
//! * without `OP_NO_TICKET` the server issues stateless tickets (encrypted
//!   with a key of the context); with it, TLS 1.2 resumes by session ID and
//!   TLS 1.3 tickets are references into the server's cache, as OpenSSL does.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::ChaCha20Poly1305;
use rustls::server::{ProducesTickets, StoresServerSessions};
use zeroize::Zeroizing;

use super::Error;

/// OpenSSL's default server session cache size (`SSL_SESSION_CACHE_MAX_SIZE_DEFAULT`).
const CACHE_SIZE: usize = 1024 * 20;
/// Longest session-id context (`SSL_MAX_SID_CTX_LENGTH`).
pub(crate) const MAX_SID_CTX_LENGTH: usize = 32;
/// RFC 8446 §4.6.1: a ticket lifetime hint never exceeds seven days.
const MAX_TICKET_LIFETIME: i64 = 7 * 24 * 3600;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// `true` when a session made at `made` has outlived `timeout` seconds.
fn expired(made: i64, timeout: i64) -> bool {
    now().saturating_sub(made) >= timeout
}

struct Entry {
    made: i64,
    value: Zeroizing<Vec<u8>>,
}

#[derive(Default)]
struct Cache {
    map: HashMap<Vec<u8>, Entry>,
    order: VecDeque<Vec<u8>>,
}

/// The server-side session cache of one context; entries are keyed by
/// session-id context and session ID, and wiped when dropped.
#[derive(Default)]
pub(crate) struct ServerCache {
    inner: Mutex<Cache>,
}

impl std::fmt::Debug for ServerCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.inner.lock().map(|c| c.map.len()).unwrap_or(0);
        f.debug_struct("ServerCache").field("entries", &n).finish()
    }
}

impl ServerCache {
    /// How many sessions are stored now.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.inner.lock().map(|c| c.map.len()).unwrap_or(0)
    }
}

/// A key of the cache: `len(sid_ctx) || sid_ctx || id`.
fn scoped(sid_ctx: &[u8], id: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(1 + sid_ctx.len() + id.len());
    k.push(u8::try_from(sid_ctx.len()).unwrap_or(u8::MAX));
    k.extend_from_slice(sid_ctx);
    k.extend_from_slice(id);
    k
}

/// The view of a [`ServerCache`] one server configuration uses: its
/// session-id context and timeout.
#[derive(Debug)]
pub(crate) struct ScopedStore {
    pub(crate) cache: Arc<ServerCache>,
    pub(crate) sid_ctx: Vec<u8>,
    pub(crate) timeout: i64,
}

impl ScopedStore {
    fn lookup(&self, key: &[u8], remove: bool) -> Option<Vec<u8>> {
        let k = scoped(&self.sid_ctx, key);
        let mut c = self.inner_lock()?;
        let fresh = c.map.get(&k).map(|e| !expired(e.made, self.timeout))?;
        if !fresh || remove {
            let e = c.map.remove(&k);
            c.order.retain(|x| *x != k);
            return e.filter(|_| fresh).map(|e| e.value.to_vec());
        }
        c.map.get(&k).map(|e| e.value.to_vec())
    }

    fn inner_lock(&self) -> Option<std::sync::MutexGuard<'_, Cache>> {
        self.cache.inner.lock().ok()
    }
}

impl StoresServerSessions for ScopedStore {
    fn put(&self, key: Vec<u8>, value: Vec<u8>) -> bool {
        let Some(mut c) = self.inner_lock() else {
            return false;
        };
        let k = scoped(&self.sid_ctx, &key);
        while c.map.len() >= CACHE_SIZE {
            match c.order.pop_front() {
                Some(old) => {
                    c.map.remove(&old);
                }
                None => break,
            }
        }
        if c.map.contains_key(&k) {
            c.order.retain(|x| *x != k);
        }
        c.order.push_back(k.clone());
        c.map.insert(
            k,
            Entry {
                made: now(),
                value: Zeroizing::new(value),
            },
        );
        true
    }

    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.lookup(key, false)
    }

    fn take(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.lookup(key, true)
    }

    fn can_cache(&self) -> bool {
        true
    }
}

/// The secret key of a context's session tickets (ChaCha20-Poly1305).
pub(crate) struct TicketKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for TicketKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TicketKey(<secret>)")
    }
}

impl TicketKey {
    /// A fresh random key.
    pub(crate) fn generate() -> Result<Self, Error> {
        let mut key = Zeroizing::new([0u8; 32]);
        crate::rand::try_fill(key.as_mut_slice())
            .map_err(|e| Error::ssl(format!("no randomness for the session ticket key: {e}")))?;
        Ok(TicketKey(key))
    }
}

/// Stateless tickets: `nonce || ChaCha20-Poly1305(made || session)` with the
/// session-id context as associated data, so a ticket made under another
/// context, or older than the timeout, does not decrypt.
#[derive(Debug)]
pub(crate) struct Ticketer {
    pub(crate) key: Arc<TicketKey>,
    pub(crate) sid_ctx: Vec<u8>,
    pub(crate) timeout: i64,
}

impl Ticketer {
    fn aad(&self) -> Vec<u8> {
        let mut aad = b"puressl ticket v1".to_vec();
        aad.extend_from_slice(&self.sid_ctx);
        aad
    }

    fn cipher(&self) -> Option<ChaCha20Poly1305> {
        ChaCha20Poly1305::new_from_slice(self.key.0.as_slice()).ok()
    }
}

impl ProducesTickets for Ticketer {
    fn enabled(&self) -> bool {
        true
    }

    fn lifetime(&self) -> u32 {
        u32::try_from(self.timeout.clamp(0, MAX_TICKET_LIFETIME)).unwrap_or(0)
    }

    fn encrypt(&self, plain: &[u8]) -> Option<Vec<u8>> {
        let mut nonce = [0u8; NONCE_LEN];
        crate::rand::try_fill(&mut nonce).ok()?;
        let mut body = Zeroizing::new(Vec::with_capacity(8 + plain.len()));
        body.extend_from_slice(&now().to_be_bytes());
        body.extend_from_slice(plain);
        let tag = self
            .cipher()?
            .encrypt_inout_detached(&nonce.into(), &self.aad(), body.as_mut_slice().into())
            .ok()?;
        let mut out = Vec::with_capacity(NONCE_LEN + body.len() + TAG_LEN);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&body);
        out.extend_from_slice(&tag);
        Some(out)
    }

    fn decrypt(&self, cipher: &[u8]) -> Option<Vec<u8>> {
        let (nonce, rest) = cipher.split_at_checked(NONCE_LEN)?;
        let (body, tag) = rest.split_at_checked(rest.len().checked_sub(TAG_LEN)?)?;
        let nonce = <[u8; NONCE_LEN]>::try_from(nonce).ok()?;
        let tag = <[u8; TAG_LEN]>::try_from(tag).ok()?;
        let mut body = Zeroizing::new(body.to_vec());
        self.cipher()?
            .decrypt_inout_detached(
                &nonce.into(),
                &self.aad(),
                body.as_mut_slice().into(),
                &tag.into(),
            )
            .ok()?;
        let (made, plain) = body.split_at_checked(8)?;
        let made = i64::from_be_bytes(<[u8; 8]>::try_from(made).ok()?);
        if expired(made, self.timeout) {
            return None;
        }
        Some(plain.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_are_bound_to_the_session_id_context_and_timeout() {
        let key = Arc::new(TicketKey::generate().unwrap());
        let t = |sid: &[u8], timeout| Ticketer {
            key: Arc::clone(&key),
            sid_ctx: sid.to_vec(),
            timeout,
        };
        let a = t(b"one", 300);
        let ticket = a.encrypt(b"session").unwrap();
        assert_eq!(ticket.len(), NONCE_LEN + 8 + 7 + TAG_LEN);
        assert_eq!(a.decrypt(&ticket).unwrap(), b"session");
        assert_eq!(t(b"two", 300).decrypt(&ticket), None);
        assert_eq!(t(b"one", 0).decrypt(&ticket), None);
        assert_eq!(a.decrypt(&ticket[..10]), None);
        let mut bad = ticket.clone();
        bad[NONCE_LEN] ^= 1;
        assert_eq!(a.decrypt(&bad), None);
        assert_eq!(a.lifetime(), 300);
        assert_eq!(t(b"", 1 << 40).lifetime(), 604_800);
    }

    #[test]
    fn cache_is_scoped_and_expires() {
        let cache = Arc::new(ServerCache::default());
        let s = |sid: &[u8], timeout| ScopedStore {
            cache: Arc::clone(&cache),
            sid_ctx: sid.to_vec(),
            timeout,
        };
        assert!(s(b"one", 300).put(b"id".to_vec(), b"value".to_vec()));
        assert_eq!(s(b"one", 300).get(b"id").unwrap(), b"value");
        assert_eq!(s(b"two", 300).get(b"id"), None);
        assert_eq!(s(b"on", 300).get(b"eid"), None);
        assert_eq!(cache.len(), 1);
        // Expired: not returned, and dropped.
        assert_eq!(s(b"one", 0).get(b"id"), None);
        assert_eq!(cache.len(), 0);
        assert!(s(b"one", 300).put(b"id".to_vec(), b"v2".to_vec()));
        assert_eq!(s(b"one", 300).take(b"id").unwrap(), b"v2");
        assert_eq!(s(b"one", 300).take(b"id"), None);
    }
}
