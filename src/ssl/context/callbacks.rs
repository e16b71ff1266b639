//! The callbacks a server runs at ClientHello time (server name, ALPN
//! select; OCSP stapling is in `ocsp.rs`) and the key-log hook.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use rustls::ServerConfig;

use super::Context;
use crate::ssl::{Error, HelloConnection};

/// The server-name callback of [`Context::set_tlsext_servername_callback`].
pub type ServernameFn = dyn Fn(&mut HelloConnection<'_>) -> Result<(), Error> + Send + Sync;

/// The ALPN select callback of [`Context::set_alpn_select_callback`]:
/// `(connection, protocols the client offered) -> choice`.
pub type AlpnSelectFn =
    dyn Fn(&mut HelloConnection<'_>, &[&[u8]]) -> Result<AlpnSelect, Error> + Send + Sync;

/// The key-log callback of [`Context::set_keylog_callback`]: one NSS
/// key-log line, without its newline.
pub type KeylogFn = dyn Fn(&[u8]) + Send + Sync;

/// What an ALPN select callback chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlpnSelect {
    /// Agree on this protocol (1 to 255 bytes; normally one the client
    /// offered: a protocol it did not offer fails the handshake with
    /// `no_application_protocol`, as rustls checks the overlap).
    Protocol(Vec<u8>),
    /// Go on without ALPN: the server answers with no protocol.
    /// pyOpenSSL `NO_OVERLAPPING_PROTOCOLS`.
    #[doc(alias = "NO_OVERLAPPING_PROTOCOLS")]
    NoOverlappingProtocols,
}

/// The most ALPN-specific server configurations a context keeps.
const ALPN_CONFIGS: usize = 64;

/// Server configurations derived from one base configuration, one per ALPN
/// choice (`None`: no ALPN), so that a connection reuses them instead of
/// cloning the configuration each time.
#[derive(Default)]
struct AlpnConfigs {
    base: Option<Arc<ServerConfig>>,
    by_choice: HashMap<Option<Vec<u8>>, Arc<ServerConfig>>,
}

/// The ClientHello callbacks of a context (shared by its clones until one
/// of them sets another).
#[derive(Clone, Default)]
pub(crate) struct Callbacks {
    servername: Option<Arc<ServernameFn>>,
    alpn_select: Option<Arc<AlpnSelectFn>>,
    alpn_configs: Arc<Mutex<AlpnConfigs>>,
    /// The OCSP stapling callback (`set_ocsp_server_callback`).
    pub(super) ocsp_server: Option<Arc<super::ocsp::OcspServerFn>>,
    /// A client connection must name the server (`verified_client`).
    pub(super) require_host_name: bool,
}

/// rustls's key-log hook calling the user's callback with NSS lines.
pub(crate) struct KeyLogLines(Arc<KeylogFn>);

impl std::fmt::Debug for KeyLogLines {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyLogLines")
    }
}

fn hex(out: &mut Vec<u8>, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)]);
        out.push(DIGITS[usize::from(b & 15)]);
    }
}

impl rustls::KeyLog for KeyLogLines {
    fn log(&self, label: &str, client_random: &[u8], secret: &[u8]) {
        let mut line = zeroize::Zeroizing::new(Vec::with_capacity(
            label.len() + 2 + 2 * (client_random.len() + secret.len()),
        ));
        line.extend_from_slice(label.as_bytes());
        line.push(b' ');
        hex(&mut line, client_random);
        line.push(b' ');
        hex(&mut line, secret);
        (self.0)(&line);
    }
}

impl Error {
    /// The error a callback returns to abort the handshake: an
    /// [`Error::Ssl`] with one `("SSL routines", "", reason)` entry, which
    /// `do_handshake` then returns.
    pub fn callback(reason: impl Into<String>) -> Self {
        Error::ssl(reason)
    }
}

impl Context {
    /// Sets the server-name callback: a server calls it once per
    /// ClientHello (with or without SNI; read the name with
    /// [`HelloConnection::servername`]), before it chooses its certificate.
    /// The callback may switch the connection to another context with
    /// [`HelloConnection::set_context`] (virtual hosting: each name its own
    /// certificate and key, verification, versions, suites and ALPN), or
    /// override the certificate, key or verification of this connection.
    /// An `Err` aborts the handshake with a fatal `unrecognized_name`
    /// alert, and `do_handshake` returns that error.
    /// pyOpenSSL `set_tlsext_servername_callback`.
    ///
    /// The context it switches to needs no callback of its own; if it has
    /// an ALPN select callback, that one runs next.
    ///
    /// ```
    /// use puressl::ssl::{Context, Error, Method};
    /// let mut ctx = Context::new(Method::Tls).unwrap();
    /// let vhost = Context::new(Method::Tls).unwrap(); // + its certificate and key
    /// ctx.set_tlsext_servername_callback(move |conn| match conn.servername().as_deref() {
    ///     Some("b.example") => conn.set_context(&vhost),
    ///     Some("a.example") | None => Ok(()),
    ///     Some(other) => Err(Error::callback(format!("unknown host {other}"))),
    /// });
    /// ```
    pub fn set_tlsext_servername_callback<F>(&mut self, callback: F)
    where
        F: Fn(&mut HelloConnection<'_>) -> Result<(), Error> + Send + Sync + 'static,
    {
        self.callbacks.servername = Some(Arc::new(callback));
    }

    /// Sets the ALPN select callback: when a client offers ALPN, a server
    /// calls it with the offered protocols (client order) and answers with
    /// what it returns: [`AlpnSelect::Protocol`] agrees on that protocol,
    /// [`AlpnSelect::NoOverlappingProtocols`] goes on without ALPN, an
    /// `Err` aborts the handshake with a fatal `no_application_protocol`
    /// alert. It is not called when the client offers no ALPN. It replaces
    /// the server's [`set_alpn_protos`](Context::set_alpn_protos) list for
    /// the clients that offer ALPN. pyOpenSSL `set_alpn_select_callback`.
    ///
    /// ```
    /// use puressl::ssl::{AlpnSelect, Context, Method};
    /// let mut ctx = Context::new(Method::Tls).unwrap();
    /// ctx.set_alpn_select_callback(|_conn, offered| {
    ///     Ok(match offered.iter().find(|p| **p == b"h2") {
    ///         Some(p) => AlpnSelect::Protocol(p.to_vec()),
    ///         None => AlpnSelect::NoOverlappingProtocols,
    ///     })
    /// });
    /// ```
    pub fn set_alpn_select_callback<F>(&mut self, callback: F)
    where
        F: Fn(&mut HelloConnection<'_>, &[&[u8]]) -> Result<AlpnSelect, Error>
            + Send
            + Sync
            + 'static,
    {
        self.callbacks.alpn_select = Some(Arc::new(callback));
    }

    /// Sets the key-log callback: it gets each secret of the handshakes of
    /// this context's later connections as an NSS key-log line (the
    /// `SSLKEYLOGFILE` format Wireshark reads), without its newline:
    /// `CLIENT_RANDOM <client random> <master secret>` for TLS 1.2,
    /// `CLIENT_HANDSHAKE_TRAFFIC_SECRET`, `SERVER_HANDSHAKE_TRAFFIC_SECRET`,
    /// `CLIENT_TRAFFIC_SECRET_0`, `SERVER_TRAFFIC_SECRET_0` and
    /// `EXPORTER_SECRET` lines for TLS 1.3, in lowercase hex.
    /// pyOpenSSL `set_keylog_callback` (whose callback also gets the
    /// connection; rustls's key-log hook has none to give).
    ///
    /// The lines hold the session keys: whoever reads them can decrypt the
    /// traffic. Use it for debugging only.
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use puressl::ssl::{Context, Method};
    /// let lines = Arc::new(Mutex::new(Vec::new()));
    /// let sink = Arc::clone(&lines);
    /// let mut ctx = Context::new(Method::Tls).unwrap();
    /// ctx.set_keylog_callback(move |line| sink.lock().unwrap().push(line.to_vec()));
    /// ```
    pub fn set_keylog_callback<F>(&mut self, callback: F)
    where
        F: Fn(&[u8]) + Send + Sync + 'static,
    {
        self.edit().keylog = Some(Arc::new(KeyLogLines(Arc::new(callback))));
    }

    /// Appends the key-log lines (see
    /// [`set_keylog_callback`](Context::set_keylog_callback)) to the file
    /// named by the `SSLKEYLOGFILE` environment variable, when it is set
    /// and not empty; returns whether it was. puressl never reads
    /// `SSLKEYLOGFILE` unless this is called: logging keys is an opt-in.
    /// A file that cannot be opened is an error; a line that cannot be
    /// written is dropped.
    #[doc(alias = "SSLKEYLOGFILE")]
    pub fn set_keylog_file_from_env(&mut self) -> Result<bool, Error> {
        match std::env::var_os("SSLKEYLOGFILE") {
            Some(p) if !p.is_empty() => {
                self.set_keylog_file(Path::new(&p))?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// Appends the key-log lines (see
    /// [`set_keylog_callback`](Context::set_keylog_callback)) to `path`
    /// (created if missing, owner-only on Unix).
    pub fn set_keylog_file(&mut self, path: &Path) -> Result<(), Error> {
        let mut opts = std::fs::OpenOptions::new();
        opts.create(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let file = opts.open(path).map_err(|e| Error::SysCall {
            errno: e.raw_os_error().unwrap_or(0),
            message: format!("{}: {e}", path.display()),
        })?;
        let file = Mutex::new(file);
        self.set_keylog_callback(move |line| {
            if let Ok(mut f) = file.lock() {
                let mut buf = zeroize::Zeroizing::new(Vec::with_capacity(line.len() + 1));
                buf.extend_from_slice(line);
                buf.push(b'\n');
                let _ = f.write_all(&buf);
            }
        });
        Ok(())
    }

    /// `true` when a server must read the ClientHello before it builds its
    /// rustls connection.
    pub(crate) fn has_hello_callbacks(&self) -> bool {
        self.callbacks.servername.is_some()
            || self.callbacks.alpn_select.is_some()
            || self.callbacks.ocsp_server.is_some()
    }

    /// `true` when a client connection must be given the server's name.
    pub(crate) fn requires_host_name(&self) -> bool {
        self.callbacks.require_host_name
    }

    pub(crate) fn servername_callback(&self) -> Option<Arc<ServernameFn>> {
        self.callbacks.servername.clone()
    }

    pub(crate) fn alpn_select_callback(&self) -> Option<Arc<AlpnSelectFn>> {
        self.callbacks.alpn_select.clone()
    }

    /// `base` answering ALPN with `chosen` only (or with no ALPN), built
    /// once per base configuration and choice.
    pub(crate) fn alpn_config(
        &self,
        base: &Arc<ServerConfig>,
        chosen: Option<Vec<u8>>,
    ) -> Arc<ServerConfig> {
        let derive = |chosen: &Option<Vec<u8>>| {
            let mut c = ServerConfig::clone(base);
            c.alpn_protocols = chosen.iter().cloned().collect();
            Arc::new(c)
        };
        let Ok(mut cache) = self.callbacks.alpn_configs.lock() else {
            return derive(&chosen);
        };
        if !cache.base.as_ref().is_some_and(|b| Arc::ptr_eq(b, base)) {
            cache.base = Some(Arc::clone(base));
            cache.by_choice.clear();
        }
        if let Some(c) = cache.by_choice.get(&chosen) {
            return Arc::clone(c);
        }
        let c = derive(&chosen);
        if cache.by_choice.len() < ALPN_CONFIGS {
            cache.by_choice.insert(chosen, Arc::clone(&c));
        }
        c
    }
}
