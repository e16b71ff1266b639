//! What the connection negotiated and where it stands: peer certificates,
//! cipher, version, ALPN, exporter, state string, `want_read`/`want_write`.

use std::io::{Read, Write};

use super::{no_side, Connection, Want};
use crate::crypto::X509;
use crate::ssl::context::suite_name;
use crate::ssl::{Error, Group};

impl<S: Read + Write> Connection<S> {
    /// The peer's certificate, once received. pyOpenSSL `get_peer_certificate`.
    #[doc(alias = "get_peer_certificate")]
    pub fn peer_certificate(&self) -> Result<Option<X509>, Error> {
        let Some(certs) = self.tls.as_ref().and_then(|t| t.peer_certificates()) else {
            return Ok(None);
        };
        match certs.first() {
            Some(c) => Ok(Some(X509::from_der(c)?)),
            None => Ok(None),
        }
    }

    /// The certificates the peer sent, as OpenSSL's
    /// `SSL_get_peer_cert_chain` gives them. pyOpenSSL `get_peer_cert_chain`.
    ///
    /// The two sides differ, as in OpenSSL (and so pyOpenSSL):
    /// - client side: the server's certificates, leaf first;
    /// - server side: the client's chain **without its own certificate**
    ///   (that is [`peer_certificate`](Connection::peer_certificate)):
    ///   `[root]` when the client sent leaf and root, `[]` when it sent only
    ///   its leaf, and `[]` too when the server asked for a certificate
    ///   ([`VerifyMode::PEER`](crate::ssl::VerifyMode::PEER)) and the client
    ///   sent none; `None` when the server did not ask.
    ///
    /// `None` before the peer's certificates arrived.
    #[doc(alias = "get_peer_cert_chain")]
    pub fn peer_cert_chain(&self) -> Result<Option<Vec<X509>>, Error> {
        let Some(tls) = self.tls.as_ref() else {
            return Ok(None);
        };
        let certs = match (tls, tls.peer_certificates()) {
            (rustls::Connection::Client(_), Some(certs)) => certs,
            (rustls::Connection::Server(_), Some(certs)) => certs.get(1..).unwrap_or_default(),
            (rustls::Connection::Server(_), None)
                if !tls.is_handshaking()
                    && self
                        .context
                        .verify_mode()
                        .contains(crate::ssl::VerifyMode::PEER) =>
            {
                &[]
            }
            _ => return Ok(None),
        };
        let chain = certs
            .iter()
            .map(|c| X509::from_der(c))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(chain))
    }

    /// OpenSSL's name of the negotiated suite. pyOpenSSL `get_cipher_name`.
    #[doc(alias = "get_cipher_name")]
    pub fn cipher_name(&self) -> Option<&'static str> {
        self.tls
            .as_ref()
            .and_then(|t| t.negotiated_cipher_suite())
            .and_then(suite_name)
    }

    /// The negotiated suite's key size in bits. pyOpenSSL `get_cipher_bits`.
    #[doc(alias = "get_cipher_bits")]
    pub fn cipher_bits(&self) -> Option<u32> {
        self.cipher_name()
            .map(|n| if n.contains("128") { 128 } else { 256 })
    }

    /// The suites this connection offers (client) or accepts (server), by
    /// OpenSSL's names, most preferred first: the context's
    /// [`set_cipher_list`](crate::ssl::Context::set_cipher_list) and
    /// [`set_tls13_ciphersuites`](crate::ssl::Context::set_tls13_ciphersuites)
    /// choices in their strings' order, limited to the protocol versions it
    /// allows. pyOpenSSL `get_cipher_list`.
    ///
    /// ```
    /// use puressl::ssl::{Connection, Context, Memory, Method};
    /// let mut ctx = Context::new(Method::TlsV1_2).unwrap();
    /// ctx.set_cipher_list("ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384")
    ///     .unwrap();
    /// let conn = Connection::new(&ctx, Memory::default());
    /// assert_eq!(
    ///     conn.cipher_list(),
    ///     ["ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384"]
    /// );
    /// ```
    #[doc(alias = "get_cipher_list")]
    pub fn cipher_list(&self) -> Vec<&'static str> {
        self.context.cipher_names()
    }

    /// `"TLSv1.2"` or `"TLSv1.3"` once negotiated.
    /// pyOpenSSL `get_protocol_version_name`.
    #[doc(alias = "get_protocol_version_name")]
    pub fn protocol_version_name(&self) -> Option<&'static str> {
        match self.tls.as_ref().and_then(|t| t.protocol_version()) {
            Some(rustls::ProtocolVersion::TLSv1_2) => Some("TLSv1.2"),
            Some(rustls::ProtocolVersion::TLSv1_3) => Some("TLSv1.3"),
            _ => None,
        }
    }

    /// OpenSSL's name of the negotiated key-exchange group (such as
    /// `"X25519MLKEM768"`, `"X25519"`, `"secp256r1"`; see
    /// [`Group::name`]), once known; `None` before the handshake has got
    /// that far and for a TLS 1.3 resumption without a key exchange.
    /// pyOpenSSL `get_group_name`.
    #[doc(alias = "get_group_name")]
    pub fn group_name(&self) -> Option<&'static str> {
        self.group().map(Group::name)
    }

    /// The negotiated key-exchange group, once known (see
    /// [`group_name`](Connection::group_name)).
    pub fn group(&self) -> Option<Group> {
        let kx = self.tls.as_ref()?.negotiated_key_exchange_group()?;
        Group::from_named(kx.name())
    }

    /// The outcome of verifying the peer's certificate, as OpenSSL's
    /// `SSL_get_verify_result`: [`X509VerifyError::OK`](crate::crypto::X509VerifyError::OK)
    /// (code 0, also before any
    /// verification and when the verify callback overrode the errors) or
    /// the `X509_V_ERR_*` code that stopped it. Under `VERIFY_NONE` the
    /// handshake goes on and this tells what verification found. A
    /// resumed handshake verifies nothing and leaves 0 (OpenSSL restores
    /// the value kept in the session instead).
    #[doc(alias = "SSL_get_verify_result")]
    pub fn verify_result(&self) -> crate::crypto::X509VerifyError {
        crate::crypto::X509VerifyError::from_code(self.verify_result)
    }

    /// `true` when the handshake resumed a session (rustls
    /// `HandshakeKind::Resumed`). OpenSSL `SSL_session_reused`.
    #[doc(alias = "SSL_session_reused")]
    pub fn session_reused(&self) -> bool {
        self.tls.as_ref().and_then(|t| t.handshake_kind()) == Some(rustls::HandshakeKind::Resumed)
    }

    /// The ALPN protocol agreed on. pyOpenSSL `get_alpn_proto_negotiated`.
    #[doc(alias = "get_alpn_proto_negotiated")]
    pub fn alpn_proto_negotiated(&self) -> Option<Vec<u8>> {
        self.tls
            .as_ref()
            .and_then(|t| t.alpn_protocol())
            .map(<[u8]>::to_vec)
    }

    /// RFC 5705 / RFC 8446 §7.5 exporter. pyOpenSSL `export_keying_material`.
    pub fn export_keying_material(
        &self,
        label: &[u8],
        olen: usize,
        context: Option<&[u8]>,
    ) -> Result<Vec<u8>, Error> {
        let tls = self.tls.as_ref().ok_or_else(no_side)?;
        Ok(tls.export_keying_material(vec![0u8; olen], label, context)?)
    }

    /// Where the connection stands, in OpenSSL's words
    /// (`SSL_state_string_long`). pyOpenSSL `state_string` (later
    /// `get_state_string`).
    ///
    /// rustls does not expose its handshake states, so the middle of the
    /// handshake is told from what has moved, in the words OpenSSL 3.0 shows
    /// where it waits at that point (as `openssl s_server -state` /
    /// `s_client -state` print them):
    ///
    /// | situation | string |
    /// |---|---|
    /// | no side yet, or no TLS byte moved | `before SSL initialization` |
    /// | client: ClientHello written, nothing read | `SSLv3/TLS write client hello` |
    /// | client, TLS 1.2: server flight read, Finished written | `SSLv3/TLS write finished` |
    /// | client, TLS 1.3: part of the server's flight read | `SSLv3/TLS read server hello` |
    /// | server: ClientHello read, nothing written | `SSLv3/TLS read client hello` |
    /// | server, TLS 1.3: flight written, waiting for Finished | `TLSv1.3 early data` |
    /// | server, TLS 1.2: flight written, waiting | `SSLv3/TLS write server done` |
    /// | handshake done (also after shutdown, as in OpenSSL) | `SSL negotiation finished successfully` |
    /// | a fatal TLS error happened | `error` |
    ///
    /// ```
    /// use puressl::ssl::{Connection, Context, Memory, Method};
    /// let ctx = Context::new(Method::Tls).unwrap();
    /// let mut conn = Connection::new(&ctx, Memory::default());
    /// assert_eq!(conn.state_string(), "before SSL initialization");
    /// conn.set_connect_state().unwrap();
    /// assert!(conn.do_handshake().unwrap_err().is_retryable());
    /// assert_eq!(conn.state_string(), "SSLv3/TLS write client hello");
    /// ```
    #[doc(alias = "get_state_string")]
    pub fn state_string(&self) -> &'static str {
        let Some(tls) = &self.tls else {
            // A server that failed on the ClientHello (a callback refused it).
            if self.failed.is_some() {
                return "error";
            }
            return "before SSL initialization";
        };
        if self.failed.is_some() {
            return "error";
        }
        if !tls.is_handshaking() {
            return "SSL negotiation finished successfully";
        }
        match tls {
            rustls::Connection::Client(_) if self.tls_out == 0 => "before SSL initialization",
            rustls::Connection::Client(_) if self.tls_in == 0 => "SSLv3/TLS write client hello",
            rustls::Connection::Client(c) => match c.protocol_version() {
                Some(rustls::ProtocolVersion::TLSv1_2) => "SSLv3/TLS write finished",
                _ => "SSLv3/TLS read server hello",
            },
            rustls::Connection::Server(_) if self.tls_in == 0 => "before SSL initialization",
            rustls::Connection::Server(_) if self.tls_out == 0 => "SSLv3/TLS read client hello",
            rustls::Connection::Server(s) => match s.protocol_version() {
                Some(rustls::ProtocolVersion::TLSv1_2) => "SSLv3/TLS write server done",
                _ => "TLSv1.3 early data",
            },
        }
    }

    /// `true` when the last `do_handshake`/`send`/`recv`/`shutdown` stopped
    /// because it needs ciphertext from the peer (it returned `WantRead`):
    /// OpenSSL's `SSL_want_read`. pyOpenSSL `want_read`.
    pub fn want_read(&self) -> bool {
        self.want == Some(Want::Read)
    }

    /// `true` when ciphertext waits to be written to the stream: the last
    /// call returned `WantWrite`, or rustls holds records the stream has not
    /// taken yet. OpenSSL's `SSL_want_write`. pyOpenSSL `want_write`.
    pub fn want_write(&self) -> bool {
        self.want == Some(Want::Write) || self.tls.as_ref().is_some_and(|t| t.wants_write())
    }
}
