//! [`Context`]: pyOpenSSL's `SSL.Context`.

use std::any::Any;
use std::path::Path;
use std::sync::{Arc, Mutex};

use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{ClientConfig, ServerConfig, SupportedCipherSuite, SupportedProtocolVersion};

use super::error::ErrorStack;
use super::verify::{StoreVerifier, VerifyCallback, VerifyFn};
use super::{Error, Method, Options, ProtoVersion, VerifyMode};
use crate::crypto::{FileType, PKey, X509Store, X509};
use crate::provider;

/// OpenSSL's names for the provider's cipher suites.
const SUITE_NAMES: &[(&str, &SupportedCipherSuite)] = &[
    (
        "TLS_AES_128_GCM_SHA256",
        &provider::cipher_suite::TLS13_AES_128_GCM_SHA256,
    ),
    (
        "TLS_AES_256_GCM_SHA384",
        &provider::cipher_suite::TLS13_AES_256_GCM_SHA384,
    ),
    (
        "TLS_CHACHA20_POLY1305_SHA256",
        &provider::cipher_suite::TLS13_CHACHA20_POLY1305_SHA256,
    ),
    (
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        &provider::cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    ),
    (
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        &provider::cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    ),
    (
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        &provider::cipher_suite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ),
    (
        "ECDHE-RSA-AES128-GCM-SHA256",
        &provider::cipher_suite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    ),
    (
        "ECDHE-RSA-AES256-GCM-SHA384",
        &provider::cipher_suite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    ),
    (
        "ECDHE-RSA-CHACHA20-POLY1305",
        &provider::cipher_suite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ),
];

/// OpenSSL's name of a negotiated suite (`None` if the provider lacks it).
pub(crate) fn suite_name(suite: SupportedCipherSuite) -> Option<&'static str> {
    SUITE_NAMES
        .iter()
        .find(|(_, s)| s.suite() == suite.suite())
        .map(|(n, _)| *n)
}

/// Settings shared by the connections made from it: certificate and key,
/// trust store, verification mode and callback, versions, suites, ALPN.
/// pyOpenSSL `SSL.Context`.
///
/// The rustls client and server configurations are built from these
/// settings by [`Connection::new`](crate::ssl::Connection::new) (an error,
/// such as a server side without a certificate, surfaces when the
/// connection picks that side), so later changes to the context affect only
/// connections created later.
///
/// ```
/// use puressl::ssl::{Context, Method, VerifyMode};
/// let mut ctx = Context::new(Method::Tls).unwrap();
/// ctx.set_verify(VerifyMode::PEER, None);
/// assert_eq!(ctx.verify_mode(), VerifyMode::PEER);
/// assert_eq!(ctx.verify_depth(), -1);
/// assert_eq!(ctx.timeout(), 7200);
/// ```
///
/// Cloning is cheap where it matters: the clone shares the verify callback,
/// the app data and (until one side changes it) the trust store with the
/// original.
#[derive(Clone)]
pub struct Context {
    min: ProtoVersion,
    max: ProtoVersion,
    cert: Option<X509>,
    key: Option<PKey>,
    extra_chain: Vec<X509>,
    /// Shared with clones until one of them changes it.
    store: Arc<X509Store>,
    verify_mode: VerifyMode,
    verify_depth: i32,
    callback: Option<VerifyCallback>,
    timeout: i64,
    options: Options,
    tls12_suites: Option<Vec<SupportedCipherSuite>>,
    tls13_suites: Option<Vec<SupportedCipherSuite>>,
    alpn: Vec<Vec<u8>>,
    app_data: Option<Arc<dyn Any + Send + Sync>>,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("min", &self.min)
            .field("max", &self.max)
            .field("verify_mode", &self.verify_mode)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

fn mismatch() -> Error {
    Error::Ssl(ErrorStack::new(
        "x509 certificate routines",
        "key values mismatch",
    ))
}

impl Context {
    /// A context for `method`; SSLv2/SSLv3/TLSv1/TLSv1.1 are refused with an
    /// error saying the protocol is not supported. pyOpenSSL `Context(method)`.
    pub fn new(method: Method) -> Result<Self, Error> {
        let (min, max) = method.versions()?;
        Ok(Context {
            min,
            max,
            cert: None,
            key: None,
            extra_chain: Vec::new(),
            store: Arc::new(X509Store::new()),
            verify_mode: VerifyMode::NONE,
            verify_depth: -1,
            callback: None,
            timeout: 7200,
            options: Options::empty(),
            tls12_suites: None,
            tls13_suites: None,
            alpn: Vec::new(),
            app_data: None,
        })
    }

    /// Sets the certificate sent to the peer. pyOpenSSL `use_certificate`.
    pub fn use_certificate(&mut self, cert: &X509) -> Result<(), Error> {
        if let Some(key) = &self.key {
            check_pair(cert, key)?;
        }
        self.cert = Some(cert.clone());
        Ok(())
    }

    /// Sets the private key; fails with "key values mismatch" if it does not
    /// match the certificate already set. pyOpenSSL `use_privatekey`.
    pub fn use_privatekey(&mut self, key: &PKey) -> Result<(), Error> {
        if !key.is_private() {
            return Err(Error::ssl("the key has no private part"));
        }
        if let Some(cert) = &self.cert {
            check_pair(cert, key)?;
        }
        self.key = Some(key.clone());
        Ok(())
    }

    /// Checks that the private key matches the certificate.
    /// pyOpenSSL `check_privatekey`.
    pub fn check_privatekey(&self) -> Result<(), Error> {
        match (&self.cert, &self.key) {
            (Some(c), Some(k)) => check_pair(c, k),
            (None, _) => Err(Error::ssl("no certificate assigned")),
            (_, None) => Err(Error::ssl("no private key assigned")),
        }
    }

    /// Loads the certificate from a file. pyOpenSSL `use_certificate_file`.
    pub fn use_certificate_file(
        &mut self,
        path: impl AsRef<Path>,
        kind: FileType,
    ) -> Result<(), Error> {
        let data = read(path.as_ref())?;
        let cert = crate::crypto::load_certificate(kind, &data)?;
        self.use_certificate(&cert)
    }

    /// Loads an unencrypted private key from a file. pyOpenSSL `use_privatekey_file`.
    pub fn use_privatekey_file(
        &mut self,
        path: impl AsRef<Path>,
        kind: FileType,
    ) -> Result<(), Error> {
        let data = read(path.as_ref())?;
        let key = crate::crypto::load_privatekey(kind, &data, None)?;
        self.use_privatekey(&key)
    }

    /// Loads a PEM file holding the certificate then its chain.
    /// pyOpenSSL `use_certificate_chain_file`.
    pub fn use_certificate_chain_file(&mut self, path: impl AsRef<Path>) -> Result<(), Error> {
        let data = read(path.as_ref())?;
        let mut certs = X509::stack_from_pem(&data)?.into_iter();
        let leaf = certs
            .next()
            .ok_or_else(|| Error::ssl("no certificate in the chain file"))?;
        self.use_certificate(&leaf)?;
        self.extra_chain = certs.collect();
        Ok(())
    }

    /// Appends a certificate to the chain sent after the leaf.
    /// pyOpenSSL `add_extra_chain_cert`.
    pub fn add_extra_chain_cert(&mut self, cert: &X509) {
        self.extra_chain.push(cert.clone());
    }

    /// Adds trusted certificates from a PEM file and/or a hashed directory.
    /// pyOpenSSL `load_verify_locations`.
    pub fn load_verify_locations(
        &mut self,
        cafile: Option<&Path>,
        capath: Option<&Path>,
    ) -> Result<(), Error> {
        Arc::make_mut(&mut self.store).load_locations(cafile, capath)?;
        Ok(())
    }

    /// Adds the system's default trust locations. pyOpenSSL `set_default_verify_paths`.
    pub fn set_default_verify_paths(&mut self) -> Result<(), Error> {
        Arc::make_mut(&mut self.store).set_default_verify_paths()?;
        Ok(())
    }

    /// The trust store. pyOpenSSL `get_cert_store`.
    #[doc(alias = "get_cert_store")]
    pub fn cert_store(&self) -> &X509Store {
        &self.store
    }

    /// The trust store, to add certificates, CRLs or flags. pyOpenSSL `get_cert_store`.
    pub fn cert_store_mut(&mut self) -> &mut X509Store {
        Arc::make_mut(&mut self.store)
    }

    /// Sets the verification mode and callback. The callback gets
    /// `(certificate, errnum, depth, ok)` in OpenSSL's order and returns the
    /// verdict: `true` overrides an error, `false` fails the handshake.
    /// pyOpenSSL `set_verify`.
    ///
    /// ```
    /// use puressl::ssl::{Context, Method, VerifyMode};
    /// let mut ctx = Context::new(Method::Tls).unwrap();
    /// ctx.set_verify(
    ///     VerifyMode::PEER,
    ///     Some(Box::new(|_cert: &_, errnum, depth, ok| {
    ///         println!("depth {depth}: errnum {errnum}");
    ///         ok
    ///     })),
    /// );
    /// ```
    pub fn set_verify(&mut self, mode: VerifyMode, callback: Option<VerifyFn>) {
        self.verify_mode = mode;
        self.callback = callback.map(|f| Arc::new(Mutex::new(f)) as VerifyCallback);
    }

    /// The verification mode. pyOpenSSL `get_verify_mode`.
    #[doc(alias = "get_verify_mode")]
    pub fn verify_mode(&self) -> VerifyMode {
        self.verify_mode
    }

    /// Sets the maximum chain depth. pyOpenSSL `set_verify_depth`.
    pub fn set_verify_depth(&mut self, depth: u32) {
        self.verify_depth = i32::try_from(depth).unwrap_or(i32::MAX);
        Arc::make_mut(&mut self.store).set_depth(depth);
    }

    /// The maximum chain depth, −1 when unset. pyOpenSSL `get_verify_depth`.
    #[doc(alias = "get_verify_depth")]
    pub fn verify_depth(&self) -> i32 {
        self.verify_depth
    }

    /// Sets the session timeout in seconds. pyOpenSSL `set_timeout`.
    pub fn set_timeout(&mut self, seconds: i64) {
        self.timeout = seconds;
    }

    /// The session timeout in seconds (default 7200). pyOpenSSL `get_timeout`.
    #[doc(alias = "get_timeout")]
    pub fn timeout(&self) -> i64 {
        self.timeout
    }

    /// Sets the lowest version offered (`None`: TLS 1.2).
    /// pyOpenSSL `set_min_proto_version`.
    pub fn set_min_proto_version(&mut self, version: Option<ProtoVersion>) {
        self.min = version.unwrap_or(ProtoVersion::Tls1_2);
    }

    /// Sets the highest version offered (`None`: TLS 1.3).
    /// pyOpenSSL `set_max_proto_version`.
    pub fn set_max_proto_version(&mut self, version: Option<ProtoVersion>) {
        self.max = version.unwrap_or(ProtoVersion::Tls1_3);
    }

    /// Adds option bits; returns the new mask. pyOpenSSL `set_options`.
    pub fn set_options(&mut self, options: Options) -> Options {
        self.options |= options;
        self.options
    }

    /// The current option mask.
    pub fn options(&self) -> Options {
        self.options
    }

    /// Restricts the TLS 1.2 suites, OpenSSL-style (`"A:B:C"`, names such as
    /// `ECDHE-ECDSA-AES128-GCM-SHA256`). Unknown names are skipped; a list
    /// with no known name fails with "no cipher match".
    /// pyOpenSSL `set_cipher_list`.
    pub fn set_cipher_list(&mut self, list: &str) -> Result<(), Error> {
        let suites = parse_suites(list, false);
        if suites.is_empty() {
            return Err(Error::ssl("no cipher match"));
        }
        self.tls12_suites = Some(suites);
        Ok(())
    }

    /// Restricts the TLS 1.3 suites (`"TLS_AES_128_GCM_SHA256:…"`); a list
    /// with no known name fails with "no cipher match".
    /// pyOpenSSL `set_tls13_ciphersuites`.
    pub fn set_tls13_ciphersuites(&mut self, list: &str) -> Result<(), Error> {
        let suites = parse_suites(list, true);
        if suites.is_empty() {
            return Err(Error::ssl("no cipher match"));
        }
        self.tls13_suites = Some(suites);
        Ok(())
    }

    /// Sets the ALPN protocols offered (client) or accepted (server), most
    /// preferred first. pyOpenSSL `set_alpn_protos`.
    pub fn set_alpn_protos(&mut self, protos: &[&[u8]]) -> Result<(), Error> {
        if protos.iter().any(|p| p.is_empty() || p.len() > 255) {
            return Err(Error::ssl("an ALPN protocol must be 1 to 255 bytes long"));
        }
        self.alpn = protos.iter().map(|p| p.to_vec()).collect();
        Ok(())
    }

    /// Attaches arbitrary data. pyOpenSSL `set_app_data`.
    pub fn set_app_data<T: Any + Send + Sync>(&mut self, data: T) {
        self.app_data = Some(Arc::new(data));
    }

    /// The attached data, if it is a `T`. pyOpenSSL `get_app_data`.
    #[doc(alias = "get_app_data")]
    pub fn app_data<T: Any + Send + Sync>(&self) -> Option<&T> {
        self.app_data.as_ref().and_then(|d| d.downcast_ref())
    }

    fn crypto_provider(&self) -> CryptoProvider {
        let mut p = provider::provider();
        p.cipher_suites.retain(|s| match s {
            SupportedCipherSuite::Tls12(_) => self
                .tls12_suites
                .as_ref()
                .is_none_or(|l| l.iter().any(|x| x.suite() == s.suite())),
            SupportedCipherSuite::Tls13(_) => self
                .tls13_suites
                .as_ref()
                .is_none_or(|l| l.iter().any(|x| x.suite() == s.suite())),
        });
        p
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
            store: X509Store::clone(&self.store),
            mode: self.verify_mode,
            callback: self.callback.clone(),
        })
    }

    fn chain_and_key(
        &self,
    ) -> Result<Option<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>)>, Error> {
        let (Some(cert), Some(key)) = (&self.cert, &self.key) else {
            return Ok(None);
        };
        let mut chain = vec![CertificateDer::from(cert.to_der()?)];
        for c in &self.extra_chain {
            chain.push(CertificateDer::from(c.to_der()?));
        }
        let der = key.private_key_to_pkcs8_der()?;
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(der.to_vec()));
        Ok(Some((chain, key)))
    }

    /// OpenSSL's names of the suites these settings offer, most preferred
    /// first (empty when no protocol version is left).
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

    /// The rustls client configuration for these settings.
    pub(crate) fn client_config(&self) -> Result<Arc<ClientConfig>, Error> {
        let builder = ClientConfig::builder_with_provider(Arc::new(self.crypto_provider()))
            .with_protocol_versions(&self.versions()?)?
            .dangerous()
            .with_custom_certificate_verifier(self.verifier());
        let mut config = match self.chain_and_key()? {
            Some((chain, key)) => builder.with_client_auth_cert(chain, key)?,
            None => builder.with_no_client_auth(),
        };
        config.alpn_protocols = self.alpn.clone();
        Ok(Arc::new(config))
    }

    /// The rustls server configuration for these settings.
    pub(crate) fn server_config(&self) -> Result<Arc<ServerConfig>, Error> {
        let builder = ServerConfig::builder_with_provider(Arc::new(self.crypto_provider()))
            .with_protocol_versions(&self.versions()?)?;
        let builder = if self.verify_mode.contains(VerifyMode::PEER) {
            builder.with_client_cert_verifier(self.verifier())
        } else {
            builder.with_no_client_auth()
        };
        let (chain, key) = self
            .chain_and_key()?
            .ok_or_else(|| Error::ssl("no certificate or private key assigned"))?;
        let mut config = builder.with_single_cert(chain, key)?;
        config.alpn_protocols = self.alpn.clone();
        config.ignore_client_order = self.options.contains(Options::CIPHER_SERVER_PREFERENCE);
        Ok(Arc::new(config))
    }
}

fn check_pair(cert: &X509, key: &PKey) -> Result<(), Error> {
    let ours = key.public_key_to_der()?;
    match cert.public_key_der() {
        Some(theirs) if theirs == ours.as_slice() => Ok(()),
        _ => Err(mismatch()),
    }
}

fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| Error::SysCall {
        errno: e.raw_os_error().unwrap_or(0),
        message: format!("{}: {e}", path.display()),
    })
}

fn parse_suites(list: &str, tls13: bool) -> Vec<SupportedCipherSuite> {
    list.split([':', ',', ' '])
        .filter_map(|name| SUITE_NAMES.iter().find(|(n, _)| *n == name))
        .map(|(_, s)| **s)
        .filter(|s| matches!(s, SupportedCipherSuite::Tls13(_)) == tls13)
        .collect()
}
