//! The session cache mode: OpenSSL's `SSL_SESS_CACHE_*` bits and what
//! each does to puressl's server cache and client cache.

use super::Context;

bitflags::bitflags! {
    /// What a context's session caches do: pyOpenSSL's `SESS_CACHE_*`
    /// constants, OpenSSL's values. Every bit takes effect:
    ///
    /// | bit | effect |
    /// |---|---|
    /// | `SERVER` (2) | the server stores sessions in its cache and sends a session ID (without it the TLS 1.2 ServerHello has an empty session ID, as OpenSSL's, so a client can resume only with a ticket) |
    /// | `CLIENT` (1) | a client connection offers, by itself, the session the context's client cache holds for the server (see below) |
    /// | `NO_AUTO_CLEAR` (0x80) | the server's cache does not drop expired sessions as it stores new ones (they stay until evicted or looked up) |
    /// | `NO_INTERNAL_LOOKUP` (0x100) | the server never resumes from its cache (session IDs, and TLS 1.3 tickets with `OP_NO_TICKET`); it still stores |
    /// | `NO_INTERNAL_STORE` (0x200) | the server stores nothing in its cache (session IDs are still sent, as OpenSSL's, but never resume) |
    ///
    /// Stateless session tickets (the default, without
    /// [`Options::NO_TICKET`](crate::ssl::Options::NO_TICKET)) do not use
    /// the server's cache, so they resume whatever the mode, as in OpenSSL.
    /// With `OP_NO_TICKET`, a TLS 1.3 ticket is a reference into the cache:
    /// when the server does not store (`OFF`, `NO_INTERNAL_STORE`), rustls
    /// sends no ticket at all (OpenSSL sends one that cannot resume).
    ///
    /// The client side differs from OpenSSL: OpenSSL's client never looks
    /// its cache up (a session is resumed only with `set_session`), while a
    /// puressl client offers the last session of the same server by itself.
    /// That is the `CLIENT` bit, so a new context's mode is `BOTH` (3), not
    /// OpenSSL's `SERVER` (2); without it, a client resumes only the
    /// session given to [`set_session`](crate::ssl::Connection::set_session),
    /// as OpenSSL's. Sessions are kept either way, for
    /// [`Connection::session`](crate::ssl::Connection::session).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct SessionCacheMode: i64 {
        /// `SESS_CACHE_OFF` (0): no caching.
        #[doc(alias = "SESS_CACHE_OFF")]
        const OFF = 0x0;
        /// `SESS_CACHE_CLIENT` (1): client-side caching.
        #[doc(alias = "SESS_CACHE_CLIENT")]
        const CLIENT = 0x1;
        /// `SESS_CACHE_SERVER` (2): server-side caching.
        #[doc(alias = "SESS_CACHE_SERVER")]
        const SERVER = 0x2;
        /// `SESS_CACHE_BOTH` (3): both sides.
        #[doc(alias = "SESS_CACHE_BOTH")]
        const BOTH = 0x3;
        /// `SESS_CACHE_NO_AUTO_CLEAR` (0x80): expired sessions are not
        /// dropped automatically.
        #[doc(alias = "SESS_CACHE_NO_AUTO_CLEAR")]
        const NO_AUTO_CLEAR = 0x80;
        /// `SESS_CACHE_NO_INTERNAL_LOOKUP` (0x100): the server does not
        /// resume from its cache.
        #[doc(alias = "SESS_CACHE_NO_INTERNAL_LOOKUP")]
        const NO_INTERNAL_LOOKUP = 0x100;
        /// `SESS_CACHE_NO_INTERNAL_STORE` (0x200): the server does not store
        /// sessions in its cache.
        #[doc(alias = "SESS_CACHE_NO_INTERNAL_STORE")]
        const NO_INTERNAL_STORE = 0x200;
        /// `SESS_CACHE_NO_INTERNAL` (0x300): both of the above.
        #[doc(alias = "SESS_CACHE_NO_INTERNAL")]
        const NO_INTERNAL = 0x300;
    }
}

impl Default for SessionCacheMode {
    /// `BOTH`: a new context's mode (see the type's docs for why not
    /// OpenSSL's `SERVER`).
    fn default() -> Self {
        SessionCacheMode::BOTH
    }
}

impl SessionCacheMode {
    /// The server sends session IDs (and so can be resumed by one).
    pub(crate) fn server_ids(self) -> bool {
        self.contains(SessionCacheMode::SERVER)
    }

    /// The server stores sessions in its cache.
    pub(crate) fn server_stores(self) -> bool {
        self.contains(SessionCacheMode::SERVER)
            && !self.contains(SessionCacheMode::NO_INTERNAL_STORE)
    }

    /// The server resumes from its cache (as OpenSSL, whatever the
    /// `SERVER` bit: sessions stored before a change of mode are found).
    pub(crate) fn server_looks_up(self) -> bool {
        !self.contains(SessionCacheMode::NO_INTERNAL_LOOKUP)
    }

    /// The server drops expired sessions as it stores new ones.
    pub(crate) fn auto_clear(self) -> bool {
        !self.contains(SessionCacheMode::NO_AUTO_CLEAR)
    }

    /// A client offers its cached session by itself.
    pub(crate) fn client_automatic(self) -> bool {
        self.contains(SessionCacheMode::CLIENT)
    }
}

impl Context {
    /// Sets the session cache mode; returns the previous one. See
    /// [`SessionCacheMode`] for what each bit does (all take effect).
    /// Connections made afterwards follow it. pyOpenSSL
    /// `set_session_cache_mode`.
    ///
    /// ```
    /// use puressl::ssl::{Context, Method, SessionCacheMode};
    /// let mut ctx = Context::new(Method::Tls).unwrap();
    /// assert_eq!(ctx.set_session_cache_mode(SessionCacheMode::OFF), SessionCacheMode::BOTH);
    /// let old = ctx.set_session_cache_mode(SessionCacheMode::SERVER | SessionCacheMode::NO_AUTO_CLEAR);
    /// assert_eq!(old, SessionCacheMode::OFF);
    /// assert_eq!(ctx.session_cache_mode().bits(), 0x82);
    /// ```
    pub fn set_session_cache_mode(&mut self, mode: SessionCacheMode) -> SessionCacheMode {
        let old = self.settings.cache_mode;
        // The client configuration is rebuilt only when the client's bit
        // changes (a rebuilt one cannot resume the sessions of the old).
        let s = if old.client_automatic() == mode.client_automatic() {
            self.edit_server()
        } else {
            self.edit()
        };
        s.cache_mode = mode;
        old
    }

    /// The session cache mode. pyOpenSSL `get_session_cache_mode`.
    #[doc(alias = "get_session_cache_mode")]
    pub fn session_cache_mode(&self) -> SessionCacheMode {
        self.settings.cache_mode
    }
}
