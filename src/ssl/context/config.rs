//! The settings of a [`Context`](super::Context) and the rustls client and
//! server configurations built from them, once per change of the settings.

use std::sync::{Arc, OnceLock};

use rustls::client::{ResolvesClientCert, Resumption, Tls12Resumption};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls::{
    CipherSuite, ClientConfig, DistinguishedName, ServerConfig, SignatureScheme,
    SupportedCipherSuite, SupportedProtocolVersion,
};

use super::groups::Group;
use super::suite_name;
use crate::crypto::{PKey, X509Store, X509StoreContext, X509};
use crate::provider;
use crate::ssl::session::{ScopedStore, ServerCache, TicketKey, Ticketer};
use crate::ssl::session_api::ClientCache;
use crate::ssl::verify::{StoreVerifier, VerifyCallback};
use crate::ssl::{Error, Options, ProtoVersion, VerifyMode};

/// Everything a rustls configuration is built from. Changing any of it goes
/// through [`Context`](super::Context)'s setters, which drop the built
/// configurations. Cloned (by `Arc::make_mut`) only when a context edits
/// settings it shares with a clone; the trust store stays shared until it
/// is changed too.
#[derive(Clone)]
pub(crate) struct Settings {
    pub(crate) min: ProtoVersion,
    pub(crate) max: ProtoVersion,
    pub(crate) cert: Option<X509>,
    pub(crate) key: Option<PKey>,
    pub(crate) extra_chain: Vec<X509>,
    pub(crate) store: Arc<X509Store>,
    pub(crate) verify_mode: VerifyMode,
    pub(crate) verify_depth: i32,
    pub(crate) callback: Option<VerifyCallback>,
    pub(crate) timeout: i64,
    pub(crate) options: Options,
    pub(crate) tls12_suites: Option<Vec<SupportedCipherSuite>>,
    pub(crate) tls13_suites: Option<Vec<SupportedCipherSuite>>,
    pub(crate) alpn: Vec<Vec<u8>>,
    /// DER of each name, outer SEQUENCE included.
    pub(crate) client_ca: Vec<Vec<u8>>,
    pub(crate) sid_ctx: Vec<u8>,
    /// The key-log hook (`set_keylog_callback`), on both sides.
    pub(crate) keylog: Option<Arc<dyn rustls::KeyLog>>,
    /// The key-exchange groups offered, most preferred first (`None`: all
    /// of the provider's, in its order).
    pub(crate) groups: Option<Vec<Group>>,
    /// TLS 1.3 tickets a server sends after a full handshake.
    pub(crate) num_tickets: usize,
    /// The client's OCSP callback (`set_ocsp_client_callback`).
    pub(crate) ocsp_client: Option<Arc<super::OcspClientFn>>,
    /// `set_session_cache_mode`.
    pub(crate) cache_mode: super::SessionCacheMode,
}

/// State that outlives any one configuration: the session caches and the
/// ticket key. A clone shares them.
#[derive(Debug, Clone)]
pub(crate) struct Sessions {
    pub(crate) server: Arc<ServerCache>,
    pub(crate) ticket_key: Arc<TicketKey>,
    pub(crate) client: Arc<crate::ssl::session_api::ClientStore>,
}

impl Sessions {
    pub(crate) fn new() -> Result<Self, Error> {
        Ok(Sessions {
            server: Arc::default(),
            ticket_key: Arc::new(TicketKey::generate()?),
            // OpenSSL's client side keeps no automatic cache; 256 servers'
            // worth of tickets is rustls's default.
            client: Arc::default(),
        })
    }
}

/// The configurations built from the current settings (empty until first
/// asked for, emptied by every change).
#[derive(Debug, Default)]
pub(crate) struct Built {
    client: OnceLock<Arc<ClientConfig>>,
    server: OnceLock<Arc<ServerConfig>>,
    certified: OnceLock<Option<Arc<CertifiedKey>>>,
}

/// Hands rustls the context's one certificate chain and key (server side),
/// if the key can sign with a scheme the client offered.
///
/// When none fits, there is no certificate: rustls refuses before its
/// ServerHello (the connection layer turns its `access_denied` alert into
/// OpenSSL's `handshake_failure`, see `connection/guard.rs`), instead of
/// failing at CertificateVerify after it.
#[derive(Debug)]
struct ServerCert {
    key: Arc<CertifiedKey>,
    /// The TLS 1.2 suites this server may negotiate (empty when TLS 1.2 is
    /// off): a client offering none of them can only get TLS 1.3.
    tls12: Vec<CipherSuite>,
}

impl ServerCert {
    fn new(key: Arc<CertifiedKey>, provider: &CryptoProvider, tls12_on: bool) -> Self {
        let tls12 = provider
            .cipher_suites
            .iter()
            .filter(|s| tls12_on && s.tls13().is_none())
            .map(|s| s.suite())
            .collect();
        ServerCert { key, tls12 }
    }
}

/// RFC 8446 §4.2.3: the schemes a TLS 1.3 CertificateVerify may use
/// (no PKCS#1 v1.5, no SHA-1 or SHA-224, no DSA).
fn tls13_scheme(s: &SignatureScheme) -> bool {
    matches!(
        s,
        SignatureScheme::ECDSA_NISTP256_SHA256
            | SignatureScheme::ECDSA_NISTP384_SHA384
            | SignatureScheme::ECDSA_NISTP521_SHA512
            | SignatureScheme::RSA_PSS_SHA256
            | SignatureScheme::RSA_PSS_SHA384
            | SignatureScheme::RSA_PSS_SHA512
            | SignatureScheme::ED25519
            | SignatureScheme::ED448
    )
}

impl ResolvesServerCert for ServerCert {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let offered = hello.signature_schemes();
        // rustls does not tell the resolver the version; it is certainly
        // TLS 1.3 when no TLS 1.2 suite can be agreed on.
        let tls13_only = !hello.cipher_suites().iter().any(|c| self.tls12.contains(c));
        let usable: Vec<SignatureScheme> = offered
            .iter()
            .copied()
            .filter(|s| !tls13_only || tls13_scheme(s))
            .collect();
        self.key.key.choose_scheme(&usable)?;
        // The response the OCSP server callback gave this connection.
        Some(match super::ocsp::staple() {
            Some(response) => {
                let mut key = CertifiedKey::clone(&self.key);
                key.ocsp = Some(response.to_vec());
                Arc::new(key)
            }
            None => Arc::clone(&self.key),
        })
    }
}

/// Hands rustls the context's one certificate chain and key (client side).
#[derive(Debug)]
struct ClientCert(Arc<CertifiedKey>);

impl ResolvesClientCert for ClientCert {
    fn resolve(
        &self,
        _root_hint_subjects: &[&[u8]],
        sigschemes: &[SignatureScheme],
    ) -> Option<Arc<CertifiedKey>> {
        self.0
            .key
            .choose_scheme(sigschemes)
            .map(|_| Arc::clone(&self.0))
    }

    fn has_certs(&self) -> bool {
        true
    }
}

impl Settings {
    /// The provider with the suites of `set_tls13_ciphersuites` then those
    /// of `set_cipher_list`, each in the order its string gave (OpenSSL's
    /// order: the list's, `@STRENGTH` applied); unset, the provider's own.
    /// That order is what a client offers and what a server with
    /// `OP_CIPHER_SERVER_PREFERENCE` prefers.
    fn crypto_provider(&self) -> CryptoProvider {
        let mut p = provider::provider();
        let tls13 = |s: &SupportedCipherSuite| matches!(s, SupportedCipherSuite::Tls13(_));
        let own: Vec<SupportedCipherSuite> = p.cipher_suites.clone();
        let pick = |list: &Option<Vec<SupportedCipherSuite>>, want13: bool| match list {
            Some(l) => l.clone(),
            None => own.iter().copied().filter(|s| tls13(s) == want13).collect(),
        };
        let mut suites = pick(&self.tls13_suites, true);
        suites.extend(pick(&self.tls12_suites, false));
        p.cipher_suites = suites;
        if let Some(groups) = &self.groups {
            p.kx_groups = groups.iter().map(|g| g.kx()).collect();
        }
        p
    }

    /// OpenSSL's names of the suites offered, most preferred first (empty
    /// when no protocol version is left).
    pub(crate) fn cipher_names(&self) -> Vec<&'static str> {
        let Ok(versions) = self.versions() else {
            return Vec::new();
        };
        self.crypto_provider()
            .cipher_suites
            .into_iter()
            .filter(|s| versions.iter().any(|v| v.version == s.version().version))
            .filter_map(suite_name)
            .collect()
    }

    fn versions(&self) -> Result<Vec<&'static SupportedProtocolVersion>, Error> {
        let mut v = Vec::new();
        if self.min <= ProtoVersion::Tls1_2
            && self.max >= ProtoVersion::Tls1_2
            && !self.options.contains(Options::NO_TLSV1_2)
        {
            v.push(&rustls::version::TLS12);
        }
        if self.max >= ProtoVersion::Tls1_3 && !self.options.contains(Options::NO_TLSV1_3) {
            v.push(&rustls::version::TLS13);
        }
        if v.is_empty() {
            return Err(Error::ssl("no protocols available"));
        }
        Ok(v)
    }

    fn verifier(&self) -> Arc<StoreVerifier> {
        Arc::new(StoreVerifier {
            store: Arc::clone(&self.store),
            mode: self.verify_mode,
            callback: self.callback.clone(),
            client_ca: self
                .client_ca
                .iter()
                .map(|n| DistinguishedName::from(n.clone()))
                .collect(),
            shared: Default::default(),
            ocsp_client: self.ocsp_client.clone(),
        })
    }

    /// The certificates sent after `cert`, as OpenSSL's
    /// `ssl_add_cert_chain` picks them: the extra chain certificates when
    /// any were added; otherwise the chain built from the trust store
    /// (OpenSSL's automatic chain: `X509_verify_cert` over the store, its
    /// errors ignored, everything it found sent, root included), so a
    /// server with only its leaf set and the intermediate and root in its
    /// verify store sends leaf, intermediate and root.
    fn chain_after(&self, cert: &X509) -> Vec<X509> {
        if !self.extra_chain.is_empty() {
            return self.extra_chain.clone();
        }
        let mut ctx = X509StoreContext::new(&self.store, cert, None);
        // Every error is overridden: only the chain found matters here.
        ctx.set_verify_callback(|_, _, _, _| true);
        match ctx.verify_certificate() {
            Ok(chain) => chain.into_iter().skip(1).collect(),
            Err(_) => Vec::new(),
        }
    }

    /// The chain and signing key, when both are set. The key goes to the
    /// provider as a borrowed PKCS#8 DER that is wiped right after: no
    /// copy of it is left with rustls.
    fn certified_key(&self) -> Result<Option<Arc<CertifiedKey>>, Error> {
        let (Some(cert), Some(key)) = (&self.cert, &self.key) else {
            return Ok(None);
        };
        let mut chain = vec![CertificateDer::from(cert.to_der()?)];
        for c in self.chain_after(cert) {
            chain.push(CertificateDer::from(c.to_der()?));
        }
        let der = key.private_key_to_pkcs8_der()?;
        let signing = provider::any_supported_type(&PrivateKeyDer::Pkcs8(
            PrivatePkcs8KeyDer::from(der.as_slice()),
        ))?;
        Ok(Some(Arc::new(CertifiedKey::new(chain, signing))))
    }
}

impl Built {
    /// The cache after a change of server-only settings (timeout,
    /// session-id context, client CA names): the client configuration is
    /// kept, and with it the client's sessions, which rustls resumes only
    /// under the verifier that made them.
    pub(crate) fn server_changed(&self) -> Built {
        let b = Built::default();
        if let Some(c) = self.client.get() {
            let _ = b.client.set(Arc::clone(c));
        }
        if let Some(k) = self.certified.get() {
            let _ = b.certified.set(k.clone());
        }
        b
    }

    fn certified(&self, s: &Settings) -> Result<Option<Arc<CertifiedKey>>, Error> {
        if let Some(k) = self.certified.get() {
            return Ok(k.clone());
        }
        let k = s.certified_key()?;
        Ok(self.certified.get_or_init(|| k).clone())
    }

    /// The client configuration, built on first use.
    pub(crate) fn client(
        &self,
        s: &Settings,
        sessions: &Sessions,
    ) -> Result<Arc<ClientConfig>, Error> {
        if let Some(c) = self.client.get() {
            return Ok(Arc::clone(c));
        }
        let builder = ClientConfig::builder_with_provider(Arc::new(s.crypto_provider()))
            .with_protocol_versions(&s.versions()?)?
            .dangerous()
            .with_custom_certificate_verifier(s.verifier());
        let mut config = match self.certified(s)? {
            Some(k) => builder.with_client_cert_resolver(Arc::new(ClientCert(k))),
            None => builder.with_no_client_auth(),
        };
        config.alpn_protocols = s.alpn.clone();
        config.key_log = Arc::new(crate::ssl::observe::Observer(s.keylog.clone()));
        let mut resumption = Resumption::store(Arc::new(ClientCache {
            store: Arc::clone(&sessions.client),
            automatic: s.cache_mode.client_automatic(),
        }));
        if s.options.contains(Options::NO_TICKET) {
            resumption = resumption.tls12_resumption(Tls12Resumption::SessionIdOnly);
        }
        config.resumption = resumption;
        Ok(Arc::clone(self.client.get_or_init(|| Arc::new(config))))
    }

    /// The server configuration, built on first use; an error when no
    /// certificate and key are set.
    pub(crate) fn server(
        &self,
        s: &Settings,
        sessions: &Sessions,
    ) -> Result<Arc<ServerConfig>, Error> {
        if let Some(c) = self.server.get() {
            return Ok(Arc::clone(c));
        }
        let key = self
            .certified(s)?
            .ok_or_else(|| Error::ssl("no certificate or private key assigned"))?;
        let provider = s.crypto_provider();
        let versions = s.versions()?;
        let resolver = ServerCert::new(key, &provider, versions.contains(&&rustls::version::TLS12));
        let builder = ServerConfig::builder_with_provider(Arc::new(provider))
            .with_protocol_versions(&versions)?;
        let builder = if s.verify_mode.contains(VerifyMode::PEER) {
            builder.with_client_cert_verifier(s.verifier())
        } else {
            builder.with_no_client_auth()
        };
        let mut config = builder.with_cert_resolver(Arc::new(resolver));
        config.alpn_protocols = s.alpn.clone();
        config.key_log = Arc::new(crate::ssl::observe::Observer(s.keylog.clone()));
        config.ignore_client_order = s.options.contains(Options::CIPHER_SERVER_PREFERENCE);
        config.send_tls13_tickets = s.num_tickets;
        config.session_storage = Arc::new(ScopedStore {
            cache: Arc::clone(&sessions.server),
            sid_ctx: s.sid_ctx.clone(),
            timeout: s.timeout,
            mode: s.cache_mode,
        });
        if !s.options.contains(Options::NO_TICKET) {
            config.ticketer = Arc::new(Ticketer {
                key: Arc::clone(&sessions.ticket_key),
                sid_ctx: s.sid_ctx.clone(),
                timeout: s.timeout,
            });
        }
        Ok(Arc::clone(self.server.get_or_init(|| Arc::new(config))))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::crypto::{FileType, KeyType, PKey};
    use crate::ssl::{Connection, Context, Memory, Method, Options};

    #[test]
    fn configs_are_built_once_per_change() {
        let mut ctx = Context::new(Method::Tls).unwrap();
        let a = ctx.client_config().unwrap();
        assert!(Arc::ptr_eq(&a, &ctx.client_config().unwrap()));
        // No certificate: the server side is an error, every time.
        assert!(ctx.server_config().is_err());
        assert!(Arc::ptr_eq(&a, &ctx.client_config().unwrap()));
        ctx.set_options(Options::NO_TICKET);
        assert!(!Arc::ptr_eq(&a, &ctx.client_config().unwrap()));

        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/provider/");
        ctx.use_certificate_file(format!("{dir}p256.pem"), FileType::Pem)
            .unwrap();
        ctx.use_privatekey_file(format!("{dir}p256.key"), FileType::Pem)
            .unwrap();
        let s1 = ctx.server_config().unwrap();
        assert!(Arc::ptr_eq(&s1, &ctx.server_config().unwrap()));
        // NO_TICKET: the server keeps sessions (no stateless tickets).
        assert!(!s1.ticketer.enabled());
        ctx.cert_store_mut();
        let s2 = ctx.server_config().unwrap();
        assert!(!Arc::ptr_eq(&s1, &s2));
        let mut tickets = Context::new(Method::Tls).unwrap();
        tickets
            .use_certificate_file(format!("{dir}p256.pem"), FileType::Pem)
            .unwrap();
        tickets
            .use_privatekey_file(format!("{dir}p256.key"), FileType::Pem)
            .unwrap();
        tickets.set_timeout(std::time::Duration::from_secs(60));
        let t = tickets.server_config().unwrap();
        assert!(t.ticketer.enabled());
        assert_eq!(t.ticketer.lifetime(), 60);
        let mut fresh = Context::new(Method::Tls).unwrap();
        fresh
            .use_privatekey(&PKey::generate_key(KeyType::Ed25519, 0).unwrap())
            .unwrap();
        assert!(fresh.server_config().is_err());
    }

    #[test]
    fn clones_and_connections_share_the_cache_until_a_change() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/provider/");
        let mut ctx = Context::new(Method::Tls).unwrap();
        ctx.use_certificate_file(format!("{dir}p256.pem"), FileType::Pem)
            .unwrap();
        ctx.use_privatekey_file(format!("{dir}p256.key"), FileType::Pem)
            .unwrap();
        let server = ctx.server_config().unwrap();
        // A connection's snapshot uses the context's built configurations.
        let conn = Connection::new(&ctx, Memory::default());
        assert!(Arc::ptr_eq(
            &server,
            &conn.context().server_config().unwrap()
        ));
        let client = conn.context().client_config().unwrap();
        assert!(Arc::ptr_eq(&client, &ctx.client_config().unwrap()));
        // A clone shares them, its trust store and its sessions...
        let mut clone = ctx.clone();
        assert!(Arc::ptr_eq(&server, &clone.server_config().unwrap()));
        assert!(std::ptr::eq(ctx.cert_store(), clone.cert_store()));
        assert!(Arc::ptr_eq(&ctx.sessions.server, &clone.sessions.server));
        // ...until it changes something: then only its own are new.
        clone.set_timeout(std::time::Duration::from_secs(60));
        assert!(!Arc::ptr_eq(&server, &clone.server_config().unwrap()));
        assert!(Arc::ptr_eq(&server, &ctx.server_config().unwrap()));
        assert!(Arc::ptr_eq(
            &server,
            &conn.context().server_config().unwrap()
        ));
        // A server-only setting keeps the client configuration (and so the
        // client's sessions); others rebuild it.
        assert!(Arc::ptr_eq(&client, &clone.client_config().unwrap()));
        clone.set_options(Options::NO_TICKET);
        assert!(!Arc::ptr_eq(&client, &clone.client_config().unwrap()));
        assert_eq!(
            (ctx.timeout().as_secs(), clone.timeout().as_secs()),
            (7200, 60)
        );
        assert!(std::ptr::eq(ctx.cert_store(), clone.cert_store()));
        clone.cert_store_mut();
        assert!(!std::ptr::eq(ctx.cert_store(), clone.cert_store()));
        assert!(Arc::ptr_eq(
            &ctx.sessions.ticket_key,
            &clone.sessions.ticket_key
        ));
        // set_context: the connection takes the other context's configurations.
        let mut conn = Connection::new(&ctx, Memory::default());
        conn.set_accept_state().unwrap();
        conn.set_context(&clone).unwrap();
        assert!(Arc::ptr_eq(
            &clone.server_config().unwrap(),
            &conn.context().server_config().unwrap()
        ));
    }
}
