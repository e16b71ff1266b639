//! Trust stores and chain verification (`X509Store`, `X509StoreContext`),
//! and certificate revocation lists (`X509Crl`, `Revoked`).
//!
//! With a [`Purpose`] set (`X509Store::set_purpose`, `openssl verify
//! -purpose`), every certificate of the chain is checked for it as OpenSSL
//! 3.0 does (error 26, `INVALID_PURPOSE`); TLS checks `sslserver` /
//! `sslclient` by default, as libssl does.
//!
//! With a host name, e-mail address or IP address set
//! ([`X509Store::set_host`], [`set_email`](X509Store::set_email),
//! [`set_ip`](X509Store::set_ip); `openssl verify -verify_hostname` ...),
//! the leaf must match it by OpenSSL 3.0's rules ([`X509::check_host`] and
//! friends): errors 62, 63, 64 at depth 0. A TLS client checks the host
//! or IP address it connects to with the same code.

pub(crate) mod cert_view;
mod crl;
mod errors;
mod flags;
mod general_name;
mod identity;
mod locations;
mod name_constraints;
mod purpose;
mod revocation;
mod revoked;
mod security;
mod verify;

use std::net::IpAddr;
use std::path::{Path, PathBuf};

pub use crl::X509Crl;
pub use errors::X509StoreContextError;
pub use flags::X509StoreFlags;
pub use identity::HostFlags;
pub use purpose::Purpose;
pub use revoked::Revoked;

use super::verify_code::X509VerifyError;
use super::{Error, Result, X509Name, X509};

/// Default maximum number of intermediate certificates (OpenSSL's 100).
const DEFAULT_DEPTH: u32 = 100;

/// A trust store: trusted certificates, CRLs, verification flags, time and
/// depth. pyOpenSSL's `X509Store`.
///
/// ```
/// use puressl::crypto::{X509Store, X509StoreFlags};
/// let mut store = X509Store::new();
/// store.set_flags(X509StoreFlags::PARTIAL_CHAIN)?;
/// store.set_time("20260101000000Z")?;
/// assert!(store.set_flags(X509StoreFlags::POLICY_CHECK).is_err());
/// # Ok::<(), puressl::crypto::Error>(())
/// ```
#[doc(alias = "X509StoreType")]
#[derive(Debug, Clone, Default)]
pub struct X509Store {
    certs: Vec<X509>,
    /// `subject_name_hash` of each certificate, for lookups by name.
    hashes: Vec<u32>,
    /// What verification derives from each certificate (extensions,
    /// flags), computed at its first use and kept: every verification
    /// against this store would compute the same.
    infos: Vec<std::sync::OnceLock<Option<std::sync::Arc<cert_view::CertInfo>>>>,
    crls: Vec<X509Crl>,
    /// Hashed directories (`c_rehash` layout), searched at verification time.
    dirs: Vec<PathBuf>,
    flags: X509StoreFlags,
    time: Option<i64>,
    depth: Option<u32>,
    auth_level: i32,
    purpose: Option<Purpose>,
    id: identity::IdParams,
}

/// The identity setters shared by [`X509Store`] and [`X509StoreContext`].
macro_rules! identity_setters {
    ($what:literal) => {
        #[doc = concat!("Verification also checks that the leaf is valid for host name `host` (", $what, ", ")]
        /// `openssl verify -verify_hostname`), with the rules of
        /// [`X509::check_host`] and the flags of
        /// [`set_host_flags`](Self::set_host_flags): a mismatch is error 62
        /// (`X509_V_ERR_HOSTNAME_MISMATCH`) at depth 0, reported to the
        /// verify callback after the chain-building, extension and
        /// security-level errors and before the revocation, signature and
        /// validity-period ones, as OpenSSL 3.0 does. Replaces the hosts set
        /// before; `""` removes them.
        ///
        /// # Errors
        /// A host name with a NUL byte.
        pub fn set_host(&mut self, host: &str) -> Result<()> {
            self.id.set_host(host)
        }

        /// Adds one more acceptable host name (`X509_VERIFY_PARAM_add1_host`,
        /// `openssl verify` with `-verify_hostname` given several times):
        /// the leaf must match one of them.
        ///
        /// # Errors
        /// An empty host name or one with a NUL byte.
        #[doc(alias = "X509_VERIFY_PARAM_add1_host")]
        pub fn add_host(&mut self, host: &str) -> Result<()> {
            self.id.add_host(host)
        }

        /// How host names are matched (`X509_VERIFY_PARAM_set_hostflags`;
        /// `openssl verify -no_wildcards` is [`HostFlags::NO_WILDCARDS`]).
        #[doc(alias = "X509_VERIFY_PARAM_set_hostflags")]
        pub fn set_host_flags(&mut self, flags: HostFlags) {
            self.id.host_flags = Some(flags);
        }

        /// Verification also checks that the leaf is valid for e-mail
        /// address `email` (`X509_VERIFY_PARAM_set1_email`,
        /// `openssl verify -verify_email`; the rules of [`X509::check_email`]):
        /// a mismatch is error 63 (`X509_V_ERR_EMAIL_MISMATCH`) at depth 0,
        /// reported right after the host check.
        ///
        /// # Errors
        /// An empty address or one with a NUL byte.
        #[doc(alias = "X509_VERIFY_PARAM_set1_email")]
        pub fn set_email(&mut self, email: &str) -> Result<()> {
            self.id.set_email(email)
        }

        /// Verification also checks that the leaf is valid for IP address
        /// `ip` (`X509_VERIFY_PARAM_set1_ip`, `openssl verify -verify_ip`;
        /// the rules of [`X509::check_ip`]): a mismatch is error 64
        /// (`X509_V_ERR_IP_ADDRESS_MISMATCH`) at depth 0, reported right
        /// after the e-mail check.
        #[doc(alias = "X509_VERIFY_PARAM_set1_ip")]
        #[doc(alias = "X509_VERIFY_PARAM_set1_ip_asc")]
        pub fn set_ip(&mut self, ip: IpAddr) {
            self.id.ip = Some(ip);
        }
    };
}

impl X509Store {
    identity_setters!("`X509_VERIFY_PARAM_set1_host` on the store's parameters");

    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a trusted certificate. Adding the same certificate twice is
    /// fine (OpenSSL ≥ 1.1.0); an unsigned certificate is an error.
    pub fn add_cert(&mut self, cert: &X509) -> Result<()> {
        cert.to_der()?;
        let hash = cert.subject_name_hash();
        let known = self
            .certs
            .iter()
            .zip(&self.hashes)
            .any(|(c, h)| *h == hash && c == cert);
        if !known {
            self.certs.push(cert.clone());
            self.hashes.push(hash);
            self.infos.push(std::sync::OnceLock::new());
        }
        Ok(())
    }

    /// Adds a CRL, used when the flags ask for CRL checks.
    pub fn add_crl(&mut self, crl: &X509Crl) -> Result<()> {
        crl.to_der()?;
        self.crls.push(crl.clone());
        Ok(())
    }

    /// Adds verification flags (OpenSSL ORs them in, as here). A flag
    /// puressl does not implement is an error and nothing is changed.
    pub fn set_flags(&mut self, flags: X509StoreFlags) -> Result<()> {
        flags.check_supported()?;
        self.flags |= flags;
        Ok(())
    }

    /// Removes verification flags.
    pub fn clear_flags(&mut self, flags: X509StoreFlags) {
        self.flags.remove(flags);
    }

    /// The flags in force.
    pub fn flags(&self) -> X509StoreFlags {
        self.flags
    }

    /// Verifies at `when` (an [`Asn1Time`](crate::crypto::Asn1Time), a
    /// `SystemTime`, or text `YYYYMMDDhhmmssZ` or with a `±hhmm` offset)
    /// instead of now. pyOpenSSL `set_time(datetime)`.
    pub fn set_time(&mut self, when: impl crate::crypto::IntoAsn1Time) -> Result<()> {
        self.set_time_unix(when.into_asn1_time()?.unix());
        Ok(())
    }

    /// Verifies at `unix` seconds since 1970 instead of now.
    pub fn set_time_unix(&mut self, unix: i64) {
        self.time = Some(unix);
        self.flags |= X509StoreFlags::USE_CHECK_TIME;
    }

    /// The maximum number of intermediate certificates (OpenSSL's
    /// `X509_STORE_set_depth`; the default is 100). A chain has at most
    /// `depth + 2` certificates: the leaf and the trust anchor do not count.
    pub fn set_depth(&mut self, depth: u32) {
        self.depth = Some(depth);
    }

    /// The authentication security level (`X509_VERIFY_PARAM_set_auth_level`;
    /// `openssl verify -auth_level`). At level 1 or more, keys of issuers
    /// weaker than the level's bits (80, 112, 128, 192, 256) fail with
    /// `CA_KEY_TOO_SMALL` (the leaf's with `EE_KEY_TOO_SMALL`), and
    /// signatures below them on every certificate but the trust anchor fail
    /// with `CA_MD_TOO_WEAK` — MD5 (39 bits) and SHA-1 (63 bits) among them,
    /// as OpenSSL 3 counts them. The default, as for pyOpenSSL's
    /// `X509StoreContext`, is no level (0 or less); a TLS context uses its
    /// security level (1 by default). Levels above 5 count as 5.
    pub fn set_auth_level(&mut self, level: i32) {
        self.auth_level = level;
    }

    /// Checks every certificate of the chain for `purpose`
    /// (`X509_STORE_set_purpose`; `openssl verify -purpose`): a certificate
    /// that does not fit fails with `INVALID_PURPOSE` (26) at its depth. By
    /// default no purpose is checked, except in TLS, where a client checks
    /// the server for [`Purpose::SslServer`] and a server its clients for
    /// [`Purpose::SslClient`] unless the context's store sets one. A purpose
    /// puressl does not implement ([`Purpose::CodeSign`]) is an error.
    ///
    /// ```
    /// use puressl::crypto::{Purpose, X509Store};
    /// let mut store = X509Store::new();
    /// store.set_purpose(Purpose::from_name("sslclient")?)?;
    /// assert_eq!(store.purpose(), Some(Purpose::SslClient));
    /// assert!(store.set_purpose(Purpose::CodeSign).is_err());
    /// # Ok::<(), puressl::crypto::Error>(())
    /// ```
    #[doc(alias = "X509_STORE_set_purpose")]
    pub fn set_purpose(&mut self, purpose: Purpose) -> Result<()> {
        purpose.check_supported()?;
        self.purpose = Some(purpose);
        Ok(())
    }

    /// The purpose set with [`set_purpose`](Self::set_purpose), if any.
    pub fn purpose(&self) -> Option<Purpose> {
        self.purpose
    }

    /// Loads trusted certificates (and CRLs) from `cafile`, a PEM file, and
    /// adds `capath`, a directory in `c_rehash` layout (`HASH.N` files for
    /// certificates, `HASH.rN` for CRLs, with the modern or the old MD5
    /// name hash) searched when an issuer is needed. pyOpenSSL
    /// `load_locations`. Both `None`, a missing file, a file without a
    /// certificate or CRL, or a missing directory is an error.
    pub fn load_locations(&mut self, cafile: Option<&Path>, capath: Option<&Path>) -> Result<()> {
        if cafile.is_none() && capath.is_none() {
            return Err(Error::InvalidArgument(
                "load_locations needs a CA file or a CA directory".into(),
            ));
        }
        if let Some(file) = cafile {
            let (certs, crls) = locations::load_file(file)?;
            for c in &certs {
                self.add_cert(c)?;
            }
            self.crls.extend(crls);
        }
        if let Some(dir) = capath {
            if !dir.is_dir() {
                return Err(Error::Io(std::io::Error::new(
                    std::io::ErrorKind::NotADirectory,
                    format!("{} is not a directory", dir.display()),
                )));
            }
            self.dirs.push(dir.to_path_buf());
        }
        Ok(())
    }

    /// Loads the system's trust store: `$SSL_CERT_FILE` / `$SSL_CERT_DIR`
    /// if set, else the first bundle file and the certificate directory
    /// found at the usual places (`/etc/ssl/certs/ca-certificates.crt`,
    /// `/etc/pki/tls/certs/ca-bundle.crt`, `/etc/ssl/cert.pem`, ...,
    /// `/etc/ssl/certs`). Finding neither is an error.
    pub fn set_default_verify_paths(&mut self) -> Result<()> {
        let (file, dir) = locations::default_paths();
        if file.is_none() && dir.is_none() {
            return Err(Error::Io(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no system trust store found (set SSL_CERT_FILE or SSL_CERT_DIR)",
            )));
        }
        self.load_locations(file.as_deref(), dir.as_deref())
    }

    /// The trusted certificates added so far (not those of hashed directories).
    pub fn certificates(&self) -> &[X509] {
        &self.certs
    }

    /// The store's certificates whose subject is `name`, with what
    /// verification derives from each (computed once per certificate and
    /// kept); those that cannot be encoded are left out.
    pub(crate) fn infos_by_subject<'s>(
        &'s self,
        name: &'s X509Name,
    ) -> impl Iterator<Item = std::sync::Arc<cert_view::CertInfo>> + 's {
        let hash = name.hash();
        self.certs
            .iter()
            .zip(&self.hashes)
            .zip(&self.infos)
            .filter(move |((c, h), _)| **h == hash && c.subject() == name)
            .filter_map(|((c, _), info)| {
                info.get_or_init(|| cert_view::CertInfo::new(c).map(std::sync::Arc::new))
                    .clone()
            })
    }

    /// The CRLs added so far.
    pub fn crls(&self) -> &[X509Crl] {
        &self.crls
    }
}

/// The verify callback: `(certificate, error code, depth, ok) -> ok`.
type Callback<'a> = Box<dyn FnMut(&X509, X509VerifyError, u32, bool) -> bool + 'a>;

/// Verifies one certificate against an [`X509Store`], with optional
/// untrusted intermediates: pyOpenSSL's `X509StoreContext`.
///
/// ```
/// use puressl::crypto::{X509Store, X509StoreContext, X509};
/// # use puressl::crypto::{KeyType, PKey, X509Extension, X509Name};
/// # fn issue(subject: &str, ca: bool, issuer: Option<(&X509, &PKey)>) -> Result<(X509, PKey), puressl::crypto::Error> {
/// #     let key = PKey::generate_key(KeyType::Ec, 256)?;
/// #     let mut c = X509::new();
/// #     c.set_version(2)?;
/// #     c.set_serial_number(1u64);
/// #     c.subject_mut().set("CN", subject)?;
/// #     let issuer_name: X509Name = issuer.map_or_else(|| c.subject().clone(), |(i, _)| i.subject().clone());
/// #     c.set_issuer(&issuer_name);
/// #     c.set_pubkey(&key)?;
/// #     c.gmtime_adj_not_before(-60)?;
/// #     c.gmtime_adj_not_after(3600)?;
/// #     let bc = if ca { "CA:TRUE" } else { "CA:FALSE" };
/// #     c.add_extensions([X509Extension::new("basicConstraints", true, bc)?]);
/// #     c.sign(issuer.map_or(&key, |(_, k)| k), "sha256")?;
/// #     Ok((c, key))
/// # }
/// # let (root, root_key) = issue("root", true, None)?;
/// # let (intermediate, inter_key) = issue("intermediate", true, Some((&root, &root_key)))?;
/// # let (leaf, _) = issue("leaf", false, Some((&intermediate, &inter_key)))?;
/// let mut store = X509Store::new();
/// store.add_cert(&root)?;
/// let chain = [intermediate];
/// let mut ctx = X509StoreContext::new(&store, &leaf, Some(&chain));
/// match ctx.verify_certificate() {
///     Ok(verified) => assert_eq!(verified.len(), 3),
///     Err(e) => panic!("{} (code {}, depth {})", e, e.code(), e.depth()),
/// }
/// # Ok::<(), puressl::crypto::Error>(())
/// ```
pub struct X509StoreContext<'a> {
    store: &'a X509Store,
    cert: X509,
    chain: Vec<X509>,
    callback: Option<Callback<'a>>,
    verified: Option<Vec<X509>>,
    purpose: Option<Purpose>,
    id: identity::IdParams,
}

impl std::fmt::Debug for X509StoreContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("X509StoreContext")
            .field("cert", &self.cert)
            .field("chain", &self.chain.len())
            .field("callback", &self.callback.is_some())
            .finish_non_exhaustive()
    }
}

impl<'a> X509StoreContext<'a> {
    /// A context to verify `cert` with `store`; `chain` holds untrusted
    /// intermediates (pyOpenSSL `X509StoreContext(store, cert, chain)`).
    pub fn new(store: &'a X509Store, cert: &X509, chain: Option<&[X509]>) -> Self {
        Self::owning(
            store,
            cert.clone(),
            chain.map(<[X509]>::to_vec).unwrap_or_default(),
        )
    }

    /// [`new`](Self::new) taking the certificates over (no copies).
    pub(crate) fn owning(store: &'a X509Store, cert: X509, chain: Vec<X509>) -> Self {
        Self {
            store,
            cert,
            chain,
            callback: None,
            verified: None,
            purpose: None,
            id: identity::IdParams::default(),
        }
    }

    identity_setters!(
        "`X509_VERIFY_PARAM_set1_host` on the context's parameters, over the store's"
    );

    /// Checks the chain for `purpose` instead of the store's purpose
    /// (`X509_STORE_CTX_set_purpose`); see [`X509Store::set_purpose`].
    #[doc(alias = "X509_STORE_CTX_set_purpose")]
    pub fn set_purpose(&mut self, purpose: Purpose) -> Result<()> {
        purpose.check_supported()?;
        self.purpose = Some(purpose);
        Ok(())
    }

    /// Uses another store. pyOpenSSL `set_store`.
    pub fn set_store(&mut self, store: &'a X509Store) {
        self.store = store;
    }

    /// Sets a verify callback, called as OpenSSL calls it: once per error
    /// with `ok == false` and the error's code, and once per certificate
    /// (root first, leaf last) with `ok == true` after its checks passed.
    /// Returning `true` for an error overrides it (the code is reset to 0);
    /// returning `false` stops verification with that error.
    pub fn set_verify_callback<F>(&mut self, callback: F)
    where
        F: FnMut(&X509, X509VerifyError, u32, bool) -> bool + 'a,
    {
        self.callback = Some(Box::new(callback));
    }

    /// Verifies the certificate: the verified chain, leaf first and trust
    /// anchor last, or the first error OpenSSL would report. The context
    /// can be used again. pyOpenSSL `verify_certificate`.
    pub fn verify_certificate(&mut self) -> std::result::Result<Vec<X509>, X509StoreContextError> {
        let result = self.run(self.cert.clone(), self.chain.clone());
        match result {
            Ok(chain) => {
                self.verified = Some(chain.clone());
                Ok(chain)
            }
            Err(e) => {
                self.verified = None;
                Err(e)
            }
        }
    }

    /// [`verify_certificate`](Self::verify_certificate) once: the
    /// certificates are handed to the verifier instead of copied, and the
    /// chain is not kept.
    pub(crate) fn verify_once(mut self) -> std::result::Result<Vec<X509>, X509StoreContextError> {
        let cert = std::mem::take(&mut self.cert);
        let chain = std::mem::take(&mut self.chain);
        self.run(cert, chain)
    }

    fn run(
        &mut self,
        cert: X509,
        chain: Vec<X509>,
    ) -> std::result::Result<Vec<X509>, X509StoreContextError> {
        let mut cb = self.callback.take();
        let result = verify::verify(
            self.store,
            cert,
            chain,
            self.purpose.or(self.store.purpose),
            &self.id.over(&self.store.id),
            cb.as_mut()
                .map(|b| b.as_mut() as &mut dyn FnMut(&X509, X509VerifyError, u32, bool) -> bool),
        );
        self.callback = cb;
        result
    }

    /// The chain of the last successful verification, leaf first.
    /// pyOpenSSL `get_verified_chain` verifies first; call
    /// [`verify_certificate`](Self::verify_certificate) for that.
    #[doc(alias = "get_verified_chain")]
    pub fn verified_chain(&self) -> Option<&[X509]> {
        self.verified.as_deref()
    }
}
