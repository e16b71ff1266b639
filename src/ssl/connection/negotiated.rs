//! What the handshake produced beyond rustls's own getters: the verified
//! chain, the randoms and master key, the Finished messages, the typed
//! protocol version and the suite's version.

use std::io::{Read, Write};

use super::Connection;
use crate::crypto::X509;
use crate::ssl::observe::Observed;
use crate::ssl::{Error, ProtoVersion, Session};

impl<S: Read + Write> Connection<S> {
    /// Keeps what a handshake step revealed (see `observe.rs`).
    pub(super) fn observed(&mut self, seen: Observed) {
        if seen.chain.is_some() {
            self.observed.chain = seen.chain;
        }
        if seen.client_random.is_some() {
            self.observed.client_random = seen.client_random;
        }
        if seen.master_key.is_some() {
            self.observed.master_key = seen.master_key;
        }
        if seen.session.is_some() {
            self.observed.session = seen.session;
        }
    }

    /// The chain the peer's certificate was verified with, leaf first and
    /// ending with the trust anchor (`[leaf, intermediate, root]`), once
    /// the verifier accepted it (also when the verify callback overrode
    /// an error). `None` before, when the peer sent no certificate, and
    /// after a resumed handshake (which verifies nothing).
    /// pyOpenSSL `get_verified_chain`.
    #[doc(alias = "get_verified_chain")]
    pub fn verified_chain(&self) -> Option<&[X509]> {
        let peer = self.tls.as_ref().and_then(|t| t.peer_certificates());
        self.observed
            .chain
            .as_ref()
            .map(|chain| chain.certificates(peer.unwrap_or_default()))
    }

    /// The negotiated protocol version, once known.
    /// pyOpenSSL `get_protocol_version` (whose number is
    /// [`ProtoVersion::code`]).
    #[doc(alias = "get_protocol_version")]
    pub fn protocol_version(&self) -> Option<ProtoVersion> {
        match self.tls.as_ref().and_then(|t| t.protocol_version()) {
            Some(rustls::ProtocolVersion::TLSv1_2) => Some(ProtoVersion::Tls1_2),
            Some(rustls::ProtocolVersion::TLSv1_3) => Some(ProtoVersion::Tls1_3),
            _ => None,
        }
    }

    /// The protocol version the negotiated suite belongs to, OpenSSL's
    /// `SSL_CIPHER_get_version`: `"TLSv1.3"` for the TLS 1.3 suites,
    /// `"TLSv1.2"` for the TLS 1.2 ones (all of puressl's are AEAD suites
    /// first defined for TLS 1.2). pyOpenSSL `get_cipher_version`.
    #[doc(alias = "get_cipher_version")]
    pub fn cipher_version(&self) -> Option<&'static str> {
        let suite = self.tls.as_ref()?.negotiated_cipher_suite()?;
        Some(match suite {
            rustls::SupportedCipherSuite::Tls13(_) => "TLSv1.3",
            rustls::SupportedCipherSuite::Tls12(_) => "TLSv1.2",
        })
    }

    /// The ClientHello's 32-byte random, once the handshake has derived its
    /// first secret (rustls hands it to its key-log hook, where puressl
    /// reads it). pyOpenSSL `client_random`.
    pub fn client_random(&self) -> Option<&[u8]> {
        self.observed.client_random.as_deref()
    }

    /// The ServerHello's random: always `None`, rustls does not expose it
    /// (neither through its API nor its key log). pyOpenSSL `server_random`.
    pub fn server_random(&self) -> Option<&[u8]> {
        None
    }

    /// The TLS 1.2 master secret (48 bytes), once derived; the secret of
    /// the whole session, to handle as such. `None` for TLS 1.3, whose
    /// key schedule rustls keeps to itself (OpenSSL returns the
    /// resumption master secret there), and after a TLS 1.2 resumption
    /// (no new secret is derived; the resumed session's is not exposed).
    /// pyOpenSSL `master_key`.
    pub fn master_key(&self) -> Option<&[u8]> {
        self.observed.master_key.as_ref().map(|k| k.as_slice())
    }

    /// The body of the last Finished message this side sent: always
    /// `None`, rustls does not expose its handshake messages.
    /// pyOpenSSL `get_finished`.
    #[doc(alias = "get_finished")]
    pub fn finished(&self) -> Option<&[u8]> {
        None
    }

    /// The body of the last Finished message the peer sent: always
    /// `None`, rustls does not expose its handshake messages.
    /// pyOpenSSL `get_peer_finished`.
    #[doc(alias = "get_peer_finished")]
    pub fn peer_finished(&self) -> Option<&[u8]> {
        None
    }

    /// The client's session, to resume with
    /// [`set_session`](Connection::set_session) on another connection of
    /// the same context: after a TLS 1.2 handshake, or once the server's
    /// TLS 1.3 tickets have been read (after the handshake, with the first
    /// `recv` of the server's data; see [`Session`]). `None` before, and
    /// on the server side. pyOpenSSL `get_session`.
    ///
    /// On a server pyOpenSSL returns the `SSL_SESSION` (which has no
    /// methods in pyOpenSSL and cannot be given to a server's
    /// `set_session`); rustls keeps a server's session state only in its
    /// own encoding (private), stored in the context's cache or sealed in
    /// a ticket, and hands the server no session object, so puressl
    /// returns `None` there rather than a handle that does nothing. Use
    /// [`session_reused`](Connection::session_reused) and
    /// [`Context::session_cache_len`](crate::ssl::Context::session_cache_len)
    /// to watch a server's resumption.
    ///
    /// ```
    /// use puressl::ssl::{Connection, Context, Memory, Method};
    /// let ctx = Context::new(Method::Tls).unwrap();
    /// let conn = Connection::new(&ctx, Memory::default());
    /// assert!(conn.session().is_none());
    /// ```
    #[doc(alias = "get_session")]
    pub fn session(&self) -> Option<Session> {
        self.observed.session.clone()
    }

    /// Makes this client connection offer `session` (instead of what the
    /// context's cache has for the server name): a TLS 1.2 session ID or
    /// ticket, or one of its TLS 1.3 tickets. Allowed before the
    /// handshake starts; [`session_reused`](Connection::session_reused)
    /// tells afterwards whether the server took it. A server connection
    /// refuses it. pyOpenSSL `set_session`.
    pub fn set_session(&mut self, session: &Session) -> Result<(), Error> {
        if matches!(self.tls, Some(rustls::Connection::Server(_))) || self.accepting.is_some() {
            return Err(Error::ssl("set_session: only a client offers a session"));
        }
        self.check_settings_open("set_session")?;
        self.observed.offered = Some(session.clone());
        self.rebuild()
    }
}
