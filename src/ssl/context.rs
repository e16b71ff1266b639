//! [`Context`]: pyOpenSSL's `SSL.Context`.

mod cache_mode;
mod callbacks;
mod cipher_string;
mod client;
mod config;
mod dh;
mod groups;
mod ocsp;
mod suites;

use std::any::Any;
use std::path::Path;
use std::sync::{Arc, Mutex};

use rustls::{ClientConfig, ServerConfig};
use zeroize::Zeroizing;

use super::error::ErrorStack;
use super::info::{ConnectionInfo, InfoFn, InfoState, InfoWhere};
use super::session::MAX_SID_CTX_LENGTH;
use super::verify::{VerifyCallback, VerifyFn};
use super::{Error, Method, Options, ProtoVersion, VerifyMode};
use crate::crypto::{FileType, PKey, Passphrase, X509Name, X509Store, X509};
pub use cache_mode::SessionCacheMode;
use callbacks::Callbacks;
pub use callbacks::{AlpnSelect, AlpnSelectFn, KeylogFn, ServernameFn};
use config::{Built, Sessions, Settings};
pub use groups::Group;
pub(crate) use ocsp::{
    check_client as check_ocsp_client, scope as ocsp_scope, CALLBACK_FAILED as OCSP_CALLBACK_FAILED,
};
pub use ocsp::{OcspClientFn, OcspConnection, OcspServerFn};
pub(crate) use suites::suite_name;

/// The passphrase callback of [`Context::set_passwd_cb`], userdata bound.
type PasswdCallback = Arc<Mutex<dyn FnMut(usize, bool) -> Vec<u8> + Send>>;

/// The longest passphrase a passphrase callback may return (pyOpenSSL's
/// `maxlen`); longer answers are truncated, as pyOpenSSL does.
pub const PASSWD_MAX_LEN: usize = 1024;

/// Settings shared by the connections made from it: certificate and key,
/// trust store, verification mode and callback, versions, suites, ALPN,
/// session resumption, the info and passphrase callbacks.
/// pyOpenSSL `SSL.Context`.
///
/// The rustls client and server configurations are built from these
/// settings the first time a [`Connection`](crate::ssl::Connection) needs
/// them, and then shared by every later connection until a setter changes
/// a setting (a setter of the timeout, the session-id context or the
/// client CA names drops only the server's). A connection keeps the
/// configuration it was created with, so changes affect only connections
/// created later, as with pyOpenSSL. An error in the settings (such as a
/// server side without a certificate) surfaces when a connection picks
/// that side.
///
/// State that outlives the configurations: the server's session cache and
/// session-ticket key, and the client's session cache (a second connection
/// from the same client context to the same server resumes, unless
/// [`set_session_cache_mode`](Context::set_session_cache_mode) turned the
/// `CLIENT` bit off; sessions are
/// filed under the SNI name, and all servers reached without SNI share one
/// entry, so such a server may be offered another's session, which it
/// cannot use: the handshake is then a full one). rustls resumes a client
/// session only under the client configuration that made it, so a change
/// to the client's settings makes its later connections start afresh.
///
/// Cloning is cheap (a few reference counts) and gives a handle that acts
/// like OpenSSL's `SSL_CTX` shared by its connections: the clone shares the
/// session caches and ticket key, the callbacks, the app data, and the
/// settings with their built configurations until one side changes
/// something (that side then gets its own copy of the settings, the trust
/// store still shared until it too is changed, and builds new
/// configurations). [`Connection`](crate::ssl::Connection) keeps such a
/// clone as its [`context`](crate::ssl::Connection::context), so a new
/// connection reuses the cached configurations and resumes sessions of
/// earlier connections.
///
/// ```
/// use puressl::ssl::{Context, Method, VerifyMode};
/// let mut ctx = Context::new(Method::Tls).unwrap();
/// ctx.set_verify(VerifyMode::PEER, None);
/// assert_eq!(ctx.verify_mode(), VerifyMode::PEER);
/// assert_eq!(ctx.verify_depth(), None);
/// assert_eq!(ctx.timeout(), std::time::Duration::from_secs(7200));
/// ```
#[doc(alias = "ContextType")]
#[derive(Clone)]
pub struct Context {
    /// Shared with clones until one side changes it (copy on edit).
    settings: Arc<Settings>,
    /// The configurations built from `settings`: shared with the clones
    /// that share `settings`, replaced by an empty cache on every edit.
    built: Arc<Built>,
    /// Shared with every clone, whatever it changes (as connections share
    /// their `SSL_CTX`'s caches in OpenSSL).
    sessions: Sessions,
    passwd_cb: Option<PasswdCallback>,
    info_cb: Option<Arc<InfoFn>>,
    app_data: Option<Arc<dyn Any + Send + Sync>>,
    /// The ClientHello callbacks (server name, ALPN select, OCSP stapling).
    callbacks: Callbacks,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = &self.settings;
        f.debug_struct("Context")
            .field("min", &s.min)
            .field("max", &s.max)
            .field("verify_mode", &s.verify_mode)
            .field("options", &s.options)
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
    ///
    /// **Warning: as in pyOpenSSL, a client made from this context does not
    /// verify the server** (`VERIFY_NONE`, an empty trust store, no host
    /// name check): any certificate is accepted. For a client that
    /// verifies, use [`Context::verified_client`] (system roots) or
    /// [`Context::verified_client_with_ca`], or call
    /// [`set_verify`](Context::set_verify) with [`VerifyMode::PEER`], load
    /// trust anchors and set the host name on each connection.
    pub fn new(method: Method) -> Result<Self, Error> {
        let (min, max) = method.versions()?;
        Ok(Context {
            settings: Arc::new(Settings {
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
                options: Options::NO_COMPRESSION | Options::ENABLE_MIDDLEBOX_COMPAT,
                tls12_suites: None,
                tls13_suites: None,
                alpn: Vec::new(),
                client_ca: Vec::new(),
                sid_ctx: Vec::new(),
                keylog: None,
                groups: None,
                num_tickets: 2,
                ocsp_client: None,
                cache_mode: SessionCacheMode::default(),
            }),
            built: Arc::default(),
            sessions: Sessions::new()?,
            passwd_cb: None,
            info_cb: None,
            app_data: None,
            callbacks: Callbacks::default(),
        })
    }

    /// The settings, for a change: drops (this side's handle on) the
    /// configurations built so far, and copies the settings first if a
    /// clone shares them.
    fn edit(&mut self) -> &mut Settings {
        self.built = Arc::default();
        Arc::make_mut(&mut self.settings)
    }

    /// [`edit`](Context::edit) for settings only a server uses: the built
    /// client configuration stays.
    fn edit_server(&mut self) -> &mut Settings {
        self.built = Arc::new(self.built.server_changed());
        Arc::make_mut(&mut self.settings)
    }

    /// Sets the certificate sent to the peer. pyOpenSSL `use_certificate`.
    ///
    /// As in OpenSSL, a private key set earlier that does not match `cert`
    /// is dropped and the certificate kept: then
    /// [`check_privatekey`](Context::check_privatekey) says "no private key
    /// assigned" until the matching key is set. (The other order is an
    /// error: [`use_privatekey`](Context::use_privatekey) refuses a key
    /// that does not match the certificate.)
    ///
    /// ```
    /// use puressl::crypto::{KeyType, PKey, X509};
    /// use puressl::ssl::{Context, Method};
    /// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/provider/");
    /// # let cert = X509::from_pem(&std::fs::read(format!("{dir}p256.pem")).unwrap()).unwrap();
    /// let mut ctx = Context::new(Method::Tls).unwrap();
    /// ctx.use_privatekey(&PKey::generate_key(KeyType::Ec, 256).unwrap()).unwrap();
    /// ctx.use_certificate(&cert).unwrap(); // another key's certificate
    /// let e = ctx.check_privatekey().unwrap_err();
    /// assert!(e.to_string().contains("no private key assigned"));
    /// ```
    pub fn use_certificate(&mut self, cert: &X509) -> Result<(), Error> {
        let keep_key = match &self.settings.key {
            Some(key) => check_pair(cert, key).is_ok(),
            None => true,
        };
        let s = self.edit();
        s.cert = Some(cert.clone());
        if !keep_key {
            s.key = None;
        }
        Ok(())
    }

    /// Sets the private key; fails with "key values mismatch" if it does not
    /// match the certificate already set. pyOpenSSL `use_privatekey`.
    pub fn use_privatekey(&mut self, key: &PKey) -> Result<(), Error> {
        if !key.is_private() {
            return Err(Error::ssl("the key has no private part"));
        }
        if let Some(cert) = &self.settings.cert {
            check_pair(cert, key)?;
        }
        self.edit().key = Some(key.clone());
        Ok(())
    }

    /// Checks that the private key matches the certificate.
    /// pyOpenSSL `check_privatekey`.
    pub fn check_privatekey(&self) -> Result<(), Error> {
        match (&self.settings.cert, &self.settings.key) {
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

    /// Loads the private key from a file. An encrypted key asks the
    /// passphrase callback ([`set_passwd_cb`](Context::set_passwd_cb));
    /// without one, or with a wrong passphrase, it is an error.
    /// pyOpenSSL `use_privatekey_file`.
    pub fn use_privatekey_file(
        &mut self,
        path: impl AsRef<Path>,
        kind: FileType,
    ) -> Result<(), Error> {
        let data = Zeroizing::new(read(path.as_ref())?);
        let passphrase = self.passwd_cb.clone().map(|cb| {
            Passphrase::try_from_callback(move |writing| {
                let mut f = cb
                    .lock()
                    .map_err(|_| crate::crypto::Error::OperationFailed {
                        operation: "the passphrase callback",
                        reason: "it panicked earlier".into(),
                        source: None,
                    })?;
                let mut pw = Zeroizing::new(f(PASSWD_MAX_LEN, writing));
                if pw.is_empty() {
                    return Err(crate::crypto::Error::OperationFailed {
                        operation: "the passphrase callback",
                        reason: "it returned no passphrase".into(),
                        source: None,
                    });
                }
                pw.truncate(PASSWD_MAX_LEN);
                Ok(pw.to_vec())
            })
        });
        let key = crate::crypto::load_privatekey(kind, &data, passphrase)?;
        self.use_privatekey(&key)
    }

    /// Sets the callback asked for the passphrase of an encrypted private
    /// key loaded by [`use_privatekey_file`](Context::use_privatekey_file).
    /// It is called as `callback(maxlen, verify, &userdata)`: `maxlen` is
    /// [`PASSWD_MAX_LEN`] (1024; a longer answer is truncated), `verify` is
    /// `false` when reading. An empty answer fails the load.
    /// pyOpenSSL `set_passwd_cb(callback, userdata)`.
    ///
    /// ```
    /// use puressl::ssl::{Context, Method};
    /// let mut ctx = Context::new(Method::Tls).unwrap();
    /// ctx.set_passwd_cb(|_maxlen, _verify, secret: &String| secret.as_bytes().to_vec(), "s3cret".to_string());
    /// ```
    pub fn set_passwd_cb<F, T>(&mut self, mut callback: F, userdata: T)
    where
        F: FnMut(usize, bool, &T) -> Vec<u8> + Send + 'static,
        T: Send + 'static,
    {
        self.passwd_cb = Some(Arc::new(Mutex::new(move |maxlen, verify| {
            callback(maxlen, verify, &userdata)
        })));
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
        self.edit().extra_chain = certs.collect();
        Ok(())
    }

    /// Appends a certificate to the chain sent after the leaf.
    /// pyOpenSSL `add_extra_chain_cert`.
    pub fn add_extra_chain_cert(&mut self, cert: &X509) {
        self.edit().extra_chain.push(cert.clone());
    }

    /// Adds trusted certificates from a PEM file and/or a hashed directory.
    /// `cafile` is any path type (`&str`, `String`, `PathBuf`, …); for a
    /// directory alone write `load_verify_locations(None::<&str>, Some(dir))`.
    /// pyOpenSSL `load_verify_locations`.
    ///
    /// ```no_run
    /// use puressl::ssl::{Context, Method};
    /// let mut ctx = Context::new(Method::Tls).unwrap();
    /// ctx.load_verify_locations(Some("ca.pem"), None).unwrap();
    /// ```
    pub fn load_verify_locations<P: AsRef<Path>>(
        &mut self,
        cafile: Option<P>,
        capath: Option<&Path>,
    ) -> Result<(), Error> {
        let cafile = cafile.as_ref().map(AsRef::as_ref);
        Arc::make_mut(&mut self.edit().store).load_locations(cafile, capath)?;
        Ok(())
    }

    /// Adds the system's default trust locations. pyOpenSSL `set_default_verify_paths`.
    pub fn set_default_verify_paths(&mut self) -> Result<(), Error> {
        Arc::make_mut(&mut self.edit().store).set_default_verify_paths()?;
        Ok(())
    }

    /// The trust store. pyOpenSSL `get_cert_store`.
    #[doc(alias = "get_cert_store")]
    pub fn cert_store(&self) -> &X509Store {
        &self.settings.store
    }

    /// The trust store, to add certificates, CRLs or flags. pyOpenSSL `get_cert_store`.
    pub fn cert_store_mut(&mut self) -> &mut X509Store {
        Arc::make_mut(&mut self.edit().store)
    }

    /// Sets the verification mode and callback. The callback gets
    /// `(certificate, errnum, depth, ok)` in OpenSSL's order and returns the
    /// verdict: `true` overrides an error, `false` fails the handshake.
    ///
    /// On a client, `VERIFY_NONE` still verifies the server's chain against
    /// the store and calls the callback with the same sequence as
    /// `VERIFY_PEER`, but the handshake goes on whatever the outcome, as
    /// OpenSSL does. On a server, `VERIFY_NONE` asks for no client
    /// certificate. pyOpenSSL `set_verify`.
    ///
    /// ```
    /// use puressl::crypto::X509VerifyError;
    /// use puressl::ssl::{Context, Method, VerifyMode};
    /// let mut ctx = Context::new(Method::Tls).unwrap();
    /// ctx.set_verify(
    ///     VerifyMode::PEER,
    ///     Some(Box::new(|_cert: &_, errnum: X509VerifyError, depth, ok| {
    ///         println!("depth {depth}: error {} ({errnum})", errnum.code());
    ///         ok
    ///     })),
    /// );
    /// ```
    pub fn set_verify(&mut self, mode: VerifyMode, callback: Option<VerifyFn>) {
        let s = self.edit();
        s.verify_mode = mode;
        s.callback = callback.map(|f| Arc::new(Mutex::new(f)) as VerifyCallback);
    }

    /// The verification mode. pyOpenSSL `get_verify_mode`.
    #[doc(alias = "get_verify_mode")]
    pub fn verify_mode(&self) -> VerifyMode {
        self.settings.verify_mode
    }

    /// Sets the maximum chain depth. pyOpenSSL `set_verify_depth`.
    pub fn set_verify_depth(&mut self, depth: u32) {
        let s = self.edit();
        s.verify_depth = i32::try_from(depth).unwrap_or(i32::MAX);
        Arc::make_mut(&mut s.store).set_depth(depth);
    }

    /// The maximum chain depth set with [`set_verify_depth`](Self::set_verify_depth),
    /// `None` when unset (pyOpenSSL's −1). pyOpenSSL `get_verify_depth`.
    #[doc(alias = "get_verify_depth")]
    pub fn verify_depth(&self) -> Option<u32> {
        u32::try_from(self.settings.verify_depth).ok()
    }

    /// Sets the session timeout (whole seconds): how long a server keeps a
    /// session resumable (its cache entries and its tickets, counted from
    /// the full handshake), and the lifetime hint of its stateless tickets
    /// (at most 7 days, RFC 8446). With `OP_NO_TICKET` a TLS 1.3 ticket is
    /// a reference into the cache and carries rustls's fixed hint of one
    /// day, but the cache still refuses it after the timeout.
    /// Returns the previous timeout, as pyOpenSSL's `set_timeout` does.
    /// pyOpenSSL `set_timeout`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use puressl::ssl::{Context, Method};
    /// let mut ctx = Context::new(Method::Tls).unwrap();
    /// assert_eq!(ctx.set_timeout(Duration::from_secs(300)), Duration::from_secs(7200));
    /// assert_eq!(ctx.set_timeout(Duration::from_secs(60)).as_secs(), 300);
    /// ```
    pub fn set_timeout(&mut self, timeout: std::time::Duration) -> std::time::Duration {
        let seconds = i64::try_from(timeout.as_secs()).unwrap_or(i64::MAX);
        seconds_to_duration(std::mem::replace(&mut self.edit_server().timeout, seconds))
    }

    /// Sets how many sessions the server's cache keeps (0: no limit);
    /// returns the previous size. The default is OpenSSL's, 20,480; above
    /// it the least recently used sessions are dropped, at once when the
    /// size shrinks. The cache is shared by this context's clones and
    /// connections. OpenSSL `SSL_CTX_sess_set_cache_size`.
    ///
    /// ```
    /// use puressl::ssl::{Context, Method};
    /// let mut ctx = Context::new(Method::Tls).unwrap();
    /// assert_eq!(ctx.set_session_cache_size(1000), 20_480);
    /// assert_eq!(ctx.session_cache_size(), 1000);
    /// ```
    #[doc(alias = "sess_set_cache_size")]
    pub fn set_session_cache_size(&mut self, size: usize) -> usize {
        self.sessions.server.set_limit(size)
    }

    /// How many sessions the server's cache keeps (0: no limit).
    /// OpenSSL `SSL_CTX_sess_get_cache_size`.
    #[doc(alias = "sess_get_cache_size")]
    pub fn session_cache_size(&self) -> usize {
        self.sessions.server.limit()
    }

    /// How many sessions the server's cache holds now. OpenSSL
    /// `SSL_CTX_sess_number`.
    #[doc(alias = "sess_number")]
    pub fn session_cache_len(&self) -> usize {
        self.sessions.server.len()
    }

    /// The session timeout (default 7200 seconds). pyOpenSSL `get_timeout`.
    #[doc(alias = "get_timeout")]
    pub fn timeout(&self) -> std::time::Duration {
        seconds_to_duration(self.settings.timeout)
    }

    /// Sets the session-id context: a server resumes only sessions made
    /// under the same context (OpenSSL's `sid_ctx` check), so two
    /// contexts sharing a cache or a client cannot resume each other's
    /// sessions. At most 32 bytes. Unlike OpenSSL, a server that verifies
    /// clients resumes sessions under the empty default context too
    /// (OpenSSL fails such a resumption with "session id context
    /// uninitialized"). pyOpenSSL `set_session_id`.
    ///
    /// ```
    /// use puressl::ssl::{Context, Method};
    /// let mut ctx = Context::new(Method::Tls).unwrap();
    /// ctx.set_session_id(b"my-server").unwrap();
    /// assert!(ctx.set_session_id(&[0; 33]).is_err());
    /// ```
    pub fn set_session_id(&mut self, name: &[u8]) -> Result<(), Error> {
        if name.len() > MAX_SID_CTX_LENGTH {
            return Err(Error::ssl("ssl session id context too long"));
        }
        self.edit_server().sid_ctx = name.to_vec();
        Ok(())
    }

    /// The session-id context set by [`set_session_id`](Context::set_session_id).
    pub fn session_id(&self) -> &[u8] {
        &self.settings.sid_ctx
    }

    /// Sets the lowest version offered (`None`: TLS 1.2).
    /// pyOpenSSL `set_min_proto_version`.
    pub fn set_min_proto_version(&mut self, version: Option<ProtoVersion>) {
        self.edit().min = version.unwrap_or(ProtoVersion::Tls1_2);
    }

    /// Sets the highest version offered (`None`: TLS 1.3).
    /// pyOpenSSL `set_max_proto_version`.
    pub fn set_max_proto_version(&mut self, version: Option<ProtoVersion>) {
        self.edit().max = version.unwrap_or(ProtoVersion::Tls1_3);
    }

    /// Adds option bits; returns the new mask. A new context's mask is
    /// OpenSSL 3's default, `NO_COMPRESSION | ENABLE_MIDDLEBOX_COMPAT`
    /// (0x120000), as with pyOpenSSL. pyOpenSSL `set_options`.
    ///
    /// ```
    /// use puressl::ssl::{Context, Method, Options};
    /// let mut ctx = Context::new(Method::Tls).unwrap();
    /// assert_eq!(ctx.set_options(Options::NO_TICKET).bits(), 0x124000);
    /// ```
    pub fn set_options(&mut self, options: Options) -> Options {
        let s = self.edit();
        s.options |= options;
        s.options
    }

    /// The current option mask.
    pub fn options(&self) -> Options {
        self.settings.options
    }

    /// Restricts the TLS 1.2 suites with an OpenSSL cipher string
    /// (`ciphers(1)`): suite names (`ECDHE-ECDSA-AES128-GCM-SHA256`) and
    /// aliases (`DEFAULT`, `ALL`, `HIGH`, `ECDHE`, `aRSA`, `aECDSA`,
    /// `AESGCM`, `AES128`, `CHACHA20`, …), `+` for an intersection
    /// (`ECDHE+AESGCM`), the prefixes `!`, `-` and `+`, `@STRENGTH` and
    /// `@SECLEVEL=n` (4 and 5 drop the suites under 192 and 256 bits),
    /// selecting among the TLS 1.2 suites puressl has as OpenSSL 3 selects
    /// (`HIGH:!aNULL:!MD5` keeps them all). Unknown words are skipped; a
    /// string that leaves no suite fails with "no cipher match". The
    /// suites are in OpenSSL's resulting order (the string's, `+` moving
    /// to the end, `@STRENGTH` sorting strongest first; as `openssl
    /// ciphers` lists them): a client offers them in that order, and a
    /// server with [`Options::CIPHER_SERVER_PREFERENCE`] picks the first
    /// the client offers (without it, the client's order decides, as in
    /// OpenSSL). pyOpenSSL `set_cipher_list`.
    ///
    /// ```
    /// use puressl::ssl::{Connection, Context, Memory, Method};
    /// let mut ctx = Context::new(Method::TlsV1_2).unwrap();
    /// ctx.set_cipher_list("ECDHE-ECDSA-AES128-GCM-SHA256:CHACHA20+aECDSA").unwrap();
    /// let conn = Connection::new(&ctx, Memory::default());
    /// assert_eq!(
    ///     conn.cipher_list(),
    ///     ["ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305"]
    /// );
    /// ```
    pub fn set_cipher_list(&mut self, list: &str) -> Result<(), Error> {
        let suites = cipher_string::parse(list);
        if suites.is_empty() {
            return Err(Error::ssl("no cipher match"));
        }
        self.edit().tls12_suites = Some(suites);
        Ok(())
    }

    /// Restricts the TLS 1.3 suites (`"TLS_AES_128_GCM_SHA256:…"`), in the
    /// list's order (offered by a client in that order, preferred so by a
    /// server with [`Options::CIPHER_SERVER_PREFERENCE`]); unknown names
    /// are skipped, and a list with no known name fails with "no cipher
    /// match".
    /// pyOpenSSL `set_tls13_ciphersuites`.
    pub fn set_tls13_ciphersuites(&mut self, list: &str) -> Result<(), Error> {
        let suites = suites::parse_suites(list, true);
        if suites.is_empty() {
            return Err(Error::ssl("no cipher match"));
        }
        self.edit().tls13_suites = Some(suites);
        Ok(())
    }

    /// Sets the key-exchange groups offered (client) or accepted (server),
    /// most preferred first; by default all of [`Group::ALL`]. A client
    /// sends a key share for the first group (and, when that is
    /// X25519MLKEM768 and X25519 is listed too, one for X25519 as well);
    /// a server picks the first of its groups the client offers. An empty
    /// list, or a group listed twice, is an error. OpenSSL
    /// `SSL_CTX_set1_groups`; what pyOpenSSL's `set_tmp_ecdh(curve)` does
    /// for one curve is `set_groups(&[Group::P256])`.
    ///
    /// ```
    /// use puressl::ssl::{Context, Group, Method};
    /// let mut ctx = Context::new(Method::Tls).unwrap();
    /// ctx.set_groups(&[Group::X25519, Group::P256]).unwrap();
    /// assert_eq!(ctx.groups(), [Group::X25519, Group::P256]);
    /// assert!(ctx.set_groups(&[]).is_err());
    /// ```
    #[doc(alias = "set1_groups")]
    #[doc(alias = "set_tmp_ecdh")]
    pub fn set_groups(&mut self, groups: &[Group]) -> Result<(), Error> {
        groups::check(groups)?;
        self.edit().groups = Some(groups.to_vec());
        Ok(())
    }

    /// [`set_groups`](Context::set_groups) from OpenSSL's colon-separated
    /// names (`"X25519:P-256"`; see [`Group`] for the names, case does not
    /// matter). An unknown or unsupported name is an error naming it.
    /// OpenSSL `SSL_CTX_set1_groups_list`.
    ///
    /// ```
    /// use puressl::ssl::{Context, Group, Method};
    /// let mut ctx = Context::new(Method::Tls).unwrap();
    /// ctx.set_groups_list("prime256v1:X25519").unwrap();
    /// assert_eq!(ctx.groups(), [Group::P256, Group::X25519]);
    /// assert!(ctx.set_groups_list("X448").is_err());
    /// ```
    #[doc(alias = "set1_groups_list")]
    pub fn set_groups_list(&mut self, list: &str) -> Result<(), Error> {
        let groups = groups::parse_list(list)?;
        self.edit().groups = Some(groups);
        Ok(())
    }

    /// The key-exchange groups offered, most preferred first.
    pub fn groups(&self) -> Vec<Group> {
        self.settings
            .groups
            .clone()
            .unwrap_or_else(|| Group::ALL.to_vec())
    }

    /// Sets how many TLS 1.3 session tickets a server sends after a full
    /// handshake (default 2, as OpenSSL); 0 sends none, so clients cannot
    /// resume over TLS 1.3. TLS 1.2 is not affected (see
    /// [`Options::NO_TICKET`]). pyOpenSSL / OpenSSL `set_num_tickets`.
    ///
    /// ```
    /// use puressl::ssl::{Context, Method};
    /// let mut ctx = Context::new(Method::Tls).unwrap();
    /// assert_eq!(ctx.num_tickets(), 2);
    /// ctx.set_num_tickets(0);
    /// assert_eq!(ctx.num_tickets(), 0);
    /// ```
    pub fn set_num_tickets(&mut self, n: usize) {
        self.edit_server().num_tickets = n;
    }

    /// The number of TLS 1.3 tickets a server sends. OpenSSL
    /// `SSL_CTX_get_num_tickets`.
    #[doc(alias = "get_num_tickets")]
    pub fn num_tickets(&self) -> usize {
        self.settings.num_tickets
    }

    /// Sets the ALPN protocols offered (client) or accepted (server), most
    /// preferred first. pyOpenSSL `set_alpn_protos`.
    pub fn set_alpn_protos(&mut self, protos: &[&[u8]]) -> Result<(), Error> {
        if protos.iter().any(|p| p.is_empty() || p.len() > 255) {
            return Err(Error::ssl("an ALPN protocol must be 1 to 255 bytes long"));
        }
        self.edit().alpn = protos.iter().map(|p| p.to_vec()).collect();
        Ok(())
    }

    /// Reads the certificates of a PEM file and makes their subjects the
    /// list of CA names a server sends in its CertificateRequest (when it
    /// verifies clients, [`VerifyMode::PEER`]); replaces the list.
    /// pyOpenSSL `load_client_ca`.
    pub fn load_client_ca(&mut self, cafile: impl AsRef<Path>) -> Result<(), Error> {
        let data = read(cafile.as_ref())?;
        let certs = X509::stack_from_pem(&data)?;
        let names: Vec<X509Name> = certs.iter().map(|c| c.subject().clone()).collect();
        self.set_client_ca_list(&names);
        Ok(())
    }

    /// Replaces the list of CA names sent in the CertificateRequest.
    /// pyOpenSSL `set_client_ca_list`.
    pub fn set_client_ca_list(&mut self, names: &[X509Name]) {
        self.edit_server().client_ca = names.iter().map(X509Name::der).collect();
    }

    /// Appends `cert`'s subject to the list of CA names sent in the
    /// CertificateRequest. pyOpenSSL `add_client_ca`.
    pub fn add_client_ca(&mut self, cert: &X509) {
        self.edit_server().client_ca.push(cert.subject().der());
    }

    /// The CA names a server sends in its CertificateRequest.
    /// pyOpenSSL `get_client_ca_list` (server side).
    #[doc(alias = "get_client_ca_list")]
    pub fn client_ca_list(&self) -> Result<Vec<X509Name>, Error> {
        self.settings
            .client_ca
            .iter()
            .map(|d| X509Name::from_der(d).map_err(Error::from))
            .collect()
    }

    /// Reads Diffie-Hellman parameters (PEM `DH PARAMETERS`) and fails:
    /// finite-field DHE is not available with rustls and the puressl
    /// provider (ECDHE and ML-KEM groups only), and an option that cannot
    /// be honoured is an error. A file that is missing or holds no valid
    /// parameters gives an error that says so first. pyOpenSSL `load_tmp_dh`.
    pub fn load_tmp_dh(&mut self, dhfile: impl AsRef<Path>) -> Result<(), Error> {
        let data = read(dhfile.as_ref())?;
        let bits = dh::prime_bits(&data)?;
        Err(Error::ssl(format!(
            "finite-field Diffie-Hellman is not supported: the {bits}-bit DH parameters \
             in {} cannot be used (rustls with the puressl provider offers ECDHE and ML-KEM \
             key exchange only)",
            dhfile.as_ref().display()
        )))
    }

    /// Sets the info callback, called as `callback(connection, where, ret)`
    /// at the handshake's start and end and when an alert is sent or
    /// received; the table in [`InfoWhere`]'s module docs lists exactly
    /// what is reported (rustls has no state-machine callbacks, so the
    /// per-state `LOOP` calls of OpenSSL are not). pyOpenSSL `set_info_callback`.
    ///
    /// ```
    /// use puressl::ssl::{Context, InfoWhere, Method};
    /// let mut ctx = Context::new(Method::Tls).unwrap();
    /// ctx.set_info_callback(|conn, where_, ret| {
    ///     if where_.contains(InfoWhere::HANDSHAKE_DONE) {
    ///         println!("done: {:?} server={}", conn.protocol_version_name(), conn.is_server());
    ///     }
    ///     let _ = ret;
    /// });
    /// ```
    pub fn set_info_callback<F>(&mut self, callback: F)
    where
        F: Fn(&ConnectionInfo<'_>, InfoWhere, i32) + Send + Sync + 'static,
    {
        self.info_cb = Some(Arc::new(callback));
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

    /// The rustls client configuration for these settings (built once per
    /// change of the settings).
    pub(crate) fn client_config(&self) -> Result<Arc<ClientConfig>, Error> {
        self.built.client(&self.settings, &self.sessions)
    }

    /// The rustls server configuration for these settings (built once per
    /// change of the settings).
    pub(crate) fn server_config(&self) -> Result<Arc<ServerConfig>, Error> {
        self.built.server(&self.settings, &self.sessions)
    }

    /// OpenSSL's names of the suites these settings offer, most preferred
    /// first (empty when no protocol version is left).
    pub(crate) fn cipher_names(&self) -> Vec<&'static str> {
        self.settings.cipher_names()
    }

    /// A fresh info-callback state for a new connection.
    pub(crate) fn info_state(&self) -> InfoState {
        InfoState::new(self.info_cb.clone())
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

/// A stored timeout in seconds as a `Duration` (a negative one is zero).
fn seconds_to_duration(seconds: i64) -> std::time::Duration {
    std::time::Duration::from_secs(u64::try_from(seconds).unwrap_or(0))
}
