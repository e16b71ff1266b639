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

use super::{Error, SessionCacheMode};

/// OpenSSL's default server session cache size (`SSL_SESSION_CACHE_MAX_SIZE_DEFAULT`).
pub(crate) const CACHE_SIZE: usize = 1024 * 20;
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
    /// The session-id context's timeout when it was stored.
    timeout: i64,
    /// Its place in the use order: the `order` item with the same number
    /// is the live one, any older item for the key is stale.
    used: u64,
    value: Zeroizing<Vec<u8>>,
}

/// A hash map with least-recently-used order: `order` lists keys by last
/// use (oldest first) with a use number each; using a key pushes a new
/// item and leaves the old one stale, to be skipped when it reaches the
/// front. Every operation is O(1) amortised (stale items are dropped when
/// they outnumber the live ones).
struct Cache {
    map: HashMap<Vec<u8>, Entry>,
    order: VecDeque<(u64, Vec<u8>)>,
    next: u64,
    /// The most sessions kept; 0: no limit (OpenSSL's meaning).
    limit: usize,
}

impl Default for Cache {
    fn default() -> Self {
        Cache {
            map: HashMap::new(),
            order: VecDeque::new(),
            next: 0,
            limit: CACHE_SIZE,
        }
    }
}

impl Cache {
    /// Records a use of `k` (which must be in the map).
    fn touch(&mut self, k: &[u8]) {
        let used = self.next;
        self.next += 1;
        if let Some(e) = self.map.get_mut(k) {
            e.used = used;
            self.order.push_back((used, k.to_vec()));
        }
        if self.order.len() > 2 * self.map.len() + 64 {
            let map = &self.map;
            self.order
                .retain(|(n, k)| map.get(k).is_some_and(|e| e.used == *n));
        }
    }

    /// Drops the least recently used session; `false` when there is none.
    fn evict_oldest(&mut self) -> bool {
        while let Some((n, k)) = self.order.pop_front() {
            if self.map.get(&k).is_some_and(|e| e.used == n) {
                self.map.remove(&k);
                return true;
            }
        }
        false
    }

    /// Evicts down to the limit, leaving room for one more when `adding`.
    fn trim(&mut self, adding: bool) {
        if self.limit == 0 {
            return;
        }
        let room = usize::from(adding);
        while self.map.len() + room > self.limit && self.evict_oldest() {}
    }

    /// Drops expired sessions at the old end of the order (those that were
    /// not used for longest), so that a busy cache does not keep dead ones.
    fn drop_expired_front(&mut self) {
        while let Some((n, k)) = self.order.front() {
            match self.map.get(k) {
                Some(e) if e.used == *n => {
                    if !expired(e.made, e.timeout) {
                        return;
                    }
                    self.map.remove(k);
                }
                _ => {}
            }
            self.order.pop_front();
        }
    }
}

/// The server-side session cache of one context; entries are keyed by
/// session-id context and session ID, and wiped when dropped. Bounded
/// ([`CACHE_SIZE`] by default) with least-recently-used eviction, as
/// OpenSSL's; lookups are hash-map lookups.
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
    pub(crate) fn len(&self) -> usize {
        self.inner.lock().map(|c| c.map.len()).unwrap_or(0)
    }

    /// The most sessions kept (0: no limit).
    pub(crate) fn limit(&self) -> usize {
        self.inner.lock().map(|c| c.limit).unwrap_or(CACHE_SIZE)
    }

    /// Sets the most sessions kept (0: no limit), evicting the least
    /// recently used ones above it; returns the previous limit.
    pub(crate) fn set_limit(&self, limit: usize) -> usize {
        let Ok(mut c) = self.inner.lock() else {
            return CACHE_SIZE;
        };
        let old = std::mem::replace(&mut c.limit, limit);
        c.trim(false);
        old
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
    /// The context's session cache mode (store, look up, auto-clear).
    pub(crate) mode: SessionCacheMode,
}

impl ScopedStore {
    fn lookup(&self, key: &[u8], remove: bool) -> Option<Vec<u8>> {
        if !self.mode.server_looks_up() {
            return None;
        }
        let k = scoped(&self.sid_ctx, key);
        let mut c = self.inner_lock()?;
        let fresh = c.map.get(&k).map(|e| !expired(e.made, self.timeout))?;
        if !fresh || remove {
            // Its `order` item goes stale.
            let e = c.map.remove(&k);
            return e.filter(|_| fresh).map(|e| e.value.to_vec());
        }
        c.touch(&k);
        c.map.get(&k).map(|e| e.value.to_vec())
    }

    fn inner_lock(&self) -> Option<std::sync::MutexGuard<'_, Cache>> {
        self.cache.inner.lock().ok()
    }
}

impl StoresServerSessions for ScopedStore {
    fn put(&self, key: Vec<u8>, value: Vec<u8>) -> bool {
        if !self.mode.server_stores() {
            return false;
        }
        let Some(mut c) = self.inner_lock() else {
            return false;
        };
        let k = scoped(&self.sid_ctx, &key);
        if self.mode.auto_clear() {
            c.drop_expired_front();
        }
        if !c.map.contains_key(&k) {
            c.trim(true);
        }
        c.map.insert(
            k.clone(),
            Entry {
                made: now(),
                timeout: self.timeout,
                used: 0,
                value: Zeroizing::new(value),
            },
        );
        c.touch(&k);
        true
    }

    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.lookup(key, false)
    }

    fn take(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.lookup(key, true)
    }

    /// Whether rustls sends a session ID (TLS 1.2): not without the
    /// `SERVER` bit, as OpenSSL.
    fn can_cache(&self) -> bool {
        self.mode.server_ids()
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
            .map_err(|e| Error::ssl_by("no randomness for the session ticket key", e))?;
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
            mode: SessionCacheMode::default(),
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

    #[test]
    fn cache_is_bounded_and_evicts_the_least_recently_used() {
        let cache = Arc::new(ServerCache::default());
        assert_eq!(cache.limit(), 20_480);
        let s = ScopedStore {
            cache: Arc::clone(&cache),
            sid_ctx: b"ctx".to_vec(),
            timeout: 300,
            mode: SessionCacheMode::default(),
        };
        let id = |i: u32| i.to_be_bytes().to_vec();
        for i in 0..20_480 + 100 {
            assert!(s.put(id(i), id(i)));
        }
        // The first 100 went, oldest first.
        assert_eq!(cache.len(), 20_480);
        assert_eq!(s.get(&id(99)), None);
        assert_eq!(s.get(&id(100)).unwrap(), id(100));
        // Shrinking evicts by last use: 100 was just used, so it stays
        // and 101.. go.
        assert_eq!(cache.set_limit(3), 20_480);
        assert_eq!(cache.len(), 3);
        assert_eq!(s.get(&id(100)).unwrap(), id(100));
        assert_eq!(s.get(&id(20_578)).unwrap(), id(20_578));
        assert_eq!(s.get(&id(20_577)), None);
        // Used: 20_579, 100, 20_578 (oldest first). A new one evicts 20_579.
        assert!(s.put(id(7), id(7)));
        assert_eq!(s.get(&id(20_579)), None);
        assert_eq!(cache.len(), 3);
        // Replacing a key keeps one entry.
        assert!(s.put(id(7), b"again".to_vec()));
        assert_eq!(s.get(&id(7)).unwrap(), b"again");
        assert_eq!(cache.len(), 3);
        // Many uses of the same keys do not grow the order list for ever.
        for _ in 0..10_000 {
            assert!(s.get(&id(7)).is_some());
        }
        assert!(cache.inner.lock().unwrap().order.len() <= 2 * 3 + 64 + 1);
        // 0: no limit.
        assert_eq!(cache.set_limit(0), 3);
        for i in 0..1000 {
            assert!(s.put(id(1_000_000 + i), id(i)));
        }
        assert_eq!(cache.len(), 1003);
    }

    #[test]
    fn the_cache_mode_switches_storing_lookups_and_auto_clear() {
        let cache = Arc::new(ServerCache::default());
        let s = |timeout, mode| ScopedStore {
            cache: Arc::clone(&cache),
            sid_ctx: Vec::new(),
            timeout,
            mode,
        };
        let m = SessionCacheMode::SERVER;
        assert!(s(0, m).put(vec![1], vec![1]));
        // NO_AUTO_CLEAR: the expired one stays when another is stored.
        assert!(s(300, m | SessionCacheMode::NO_AUTO_CLEAR).put(vec![2], vec![2]));
        assert_eq!(cache.len(), 2);
        assert!(s(300, m).put(vec![3], vec![3]));
        assert_eq!(cache.len(), 2);
        // NO_INTERNAL_LOOKUP: stored, not found.
        let no_lookup = s(300, m | SessionCacheMode::NO_INTERNAL_LOOKUP);
        assert!(no_lookup.put(vec![4], vec![4]));
        assert_eq!(no_lookup.get(&[4]), None);
        assert_eq!(no_lookup.take(&[4]), None);
        assert_eq!(s(300, m).get(&[4]).unwrap(), [4]);
        // NO_INTERNAL_STORE and OFF: nothing stored; OFF sends no ID.
        for mode in [
            m | SessionCacheMode::NO_INTERNAL_STORE,
            SessionCacheMode::OFF,
        ] {
            assert!(!s(300, mode).put(vec![5], vec![5]));
            assert_eq!(s(300, m).get(&[5]), None);
        }
        assert!(s(300, SessionCacheMode::NO_INTERNAL_STORE | m).can_cache());
        assert!(!s(300, SessionCacheMode::OFF).can_cache());
        assert!(!s(300, SessionCacheMode::CLIENT).can_cache());
    }

    #[test]
    fn expired_sessions_at_the_old_end_are_dropped_when_storing() {
        let cache = Arc::new(ServerCache::default());
        let s = |timeout| ScopedStore {
            cache: Arc::clone(&cache),
            sid_ctx: Vec::new(),
            timeout,
            mode: SessionCacheMode::default(),
        };
        for i in 0..10u8 {
            assert!(s(0).put(vec![i], vec![i]));
        }
        // The ten stored with timeout 0 have expired: the next put drops them.
        assert!(s(300).put(vec![99], vec![99]));
        assert_eq!(cache.len(), 1);
    }
}
