//! [`Error`]: pyOpenSSL's `SSL.Error` family as one enum.

use std::fmt;
use std::io;

/// One entry of an OpenSSL-style error queue: `(library, function, reason)`.
///
/// OpenSSL 3 leaves the function part empty, and so does puressl.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorEntry {
    /// The library, e.g. `"SSL routines"` or `"x509 certificate routines"`.
    pub lib: String,
    /// The function (empty, as OpenSSL 3 reports it).
    pub func: String,
    /// The reason text, e.g. `"key values mismatch"`.
    pub reason: String,
}

/// The error list pyOpenSSL's `SSL.Error` carries as `[(lib, func, reason), …]`,
/// with the underlying error (a `rustls::Error`, a [`crypto::Error`](crate::crypto::Error),
/// an `io::Error`) reachable through [`std::error::Error::source`].
#[derive(Debug)]
pub struct ErrorStack {
    entries: Vec<ErrorEntry>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl ErrorStack {
    /// A one-entry stack with no underlying error.
    pub(crate) fn new(lib: &str, reason: impl Into<String>) -> Self {
        ErrorStack {
            entries: vec![ErrorEntry {
                lib: lib.to_string(),
                func: String::new(),
                reason: reason.into(),
            }],
            source: None,
        }
    }

    /// A one-entry stack whose reason is `source`'s text, keeping `source`.
    pub(crate) fn with_source<E>(lib: &str, source: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        let reason = source.to_string();
        Self::caused_by(lib, reason, source)
    }

    /// A one-entry stack saying `reason`, keeping `source`.
    pub(crate) fn caused_by<E>(lib: &str, reason: impl Into<String>, source: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        let mut stack = Self::new(lib, reason);
        stack.source = Some(Box::new(source));
        stack
    }

    /// OpenSSL's error for a peer certificate that failed verification with
    /// the `X509_V_ERR_*` code `code`: ("SSL routines", "certificate verify
    /// failed"), then ("x509 certificate routines", the code's text), with
    /// the rustls error as source.
    pub(crate) fn verify_failed(code: i32, source: rustls::Error) -> Self {
        let mut stack = Self::new("SSL routines", "certificate verify failed");
        stack.entries.push(ErrorEntry {
            lib: "x509 certificate routines".to_string(),
            func: String::new(),
            reason: crate::crypto::X509VerifyError::from_code(code)
                .message()
                .to_string(),
        });
        stack.source = Some(Box::new(source));
        stack
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> &[ErrorEntry] {
        &self.entries
    }

    /// The entries as pyOpenSSL's `(lib, func, reason)` triples.
    pub fn triples(&self) -> Vec<(&str, &str, &str)> {
        self.entries
            .iter()
            .map(|e| (e.lib.as_str(), e.func.as_str(), e.reason.as_str()))
            .collect()
    }
}

impl fmt::Display for ErrorStack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.entries.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}:{}:{}", e.lib, e.func, e.reason)?;
        }
        Ok(())
    }
}

impl std::error::Error for ErrorStack {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Errors of the [`ssl`](crate::ssl) module: pyOpenSSL's `SSL.Error` and its
/// subclasses.
///
/// `Connection<S>` also implements [`io::Read`]/[`io::Write`]; there the
/// variants map as follows (see also `From<Error> for io::Error`):
///
/// | `Error` | in `io::Read` | in `io::Write` |
/// |---|---|---|
/// | `ZeroReturn` | `Ok(0)` | `BrokenPipe` |
/// | `WantRead` / `WantWrite` | `WouldBlock` | `WouldBlock` |
/// | `SysCall` | errno as OS error, −1 as `UnexpectedEof` | same |
/// | `Ssl` | `InvalidData` | `InvalidData` |
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The peer sent close_notify: the TLS connection is closed cleanly.
    /// pyOpenSSL `SSL.ZeroReturnError`.
    #[doc(alias = "ZeroReturnError")]
    ZeroReturn,
    /// More ciphertext is needed from the peer (a socket would block, or the
    /// [`Memory`](crate::ssl::Memory) BIO is empty). pyOpenSSL `SSL.WantReadError`.
    #[doc(alias = "WantReadError")]
    WantRead,
    /// Ciphertext could not be flushed (a socket would block on write).
    /// pyOpenSSL `SSL.WantWriteError`.
    #[doc(alias = "WantWriteError")]
    WantWrite,
    /// pyOpenSSL `SSL.WantX509LookupError`. Kept for parity only: the rustls
    /// backend never suspends a handshake for a certificate lookup, so this is
    /// never produced.
    #[doc(alias = "WantX509LookupError")]
    WantX509Lookup,
    /// The underlying stream failed, or the peer vanished without close_notify
    /// (`errno == -1`, `message == "Unexpected EOF"`, as pyOpenSSL reports it).
    /// pyOpenSSL `SSL.SysCallError(errno, message)`.
    #[doc(alias = "SysCallError")]
    SysCall {
        /// The OS error number, or −1 for an unexpected EOF.
        errno: i32,
        /// The error text.
        message: String,
    },
    /// A TLS or certificate error, as pyOpenSSL's `SSL.Error([(lib, func, reason), …])`.
    Ssl(ErrorStack),
}

impl Error {
    /// The unexpected-EOF case of [`Error::SysCall`]: `(-1, "Unexpected EOF")`.
    pub(crate) fn unexpected_eof() -> Self {
        Error::SysCall {
            errno: -1,
            message: "Unexpected EOF".to_string(),
        }
    }

    /// An [`Error::Ssl`] with one `("SSL routines", "", reason)` entry.
    pub(crate) fn ssl(reason: impl Into<String>) -> Self {
        Error::Ssl(ErrorStack::new("SSL routines", reason))
    }

    /// An `("SSL routines", "", reason)` error keeping `source`.
    pub(crate) fn ssl_by<E>(reason: impl Into<String>, source: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        Error::Ssl(ErrorStack::caused_by("SSL routines", reason, source))
    }

    /// Maps an error of the underlying stream: `WouldBlock` becomes `want`
    /// (`WantRead` or `WantWrite`, by the direction that blocked),
    /// `UnexpectedEof` becomes `SysCall(-1, "Unexpected EOF")`.
    pub(crate) fn from_io(e: io::Error, want: Error) -> Self {
        match e.kind() {
            io::ErrorKind::WouldBlock => want,
            io::ErrorKind::UnexpectedEof => Error::unexpected_eof(),
            _ => Error::SysCall {
                errno: e.raw_os_error().unwrap_or(0),
                message: e.to_string(),
            },
        }
    }

    /// The errno of a [`Error::SysCall`] (−1 for an unexpected EOF), else `None`.
    pub fn errno(&self) -> Option<i32> {
        match self {
            Error::SysCall { errno, .. } => Some(*errno),
            _ => None,
        }
    }

    /// `true` for `WantRead`/`WantWrite`/`WantX509Lookup`: retry the call later.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Error::WantRead | Error::WantWrite | Error::WantX509Lookup
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::ZeroReturn => f.write_str("TLS connection closed by peer (close_notify)"),
            Error::WantRead => f.write_str("operation would block: want read"),
            Error::WantWrite => f.write_str("operation would block: want write"),
            Error::WantX509Lookup => f.write_str("operation would block: want X509 lookup"),
            Error::SysCall { errno, message } => write!(f, "({errno}, {message:?})"),
            Error::Ssl(stack) => write!(f, "{stack}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Ssl(stack) => Some(stack),
            _ => None,
        }
    }
}

impl From<crate::crypto::Error> for Error {
    /// pyOpenSSL raises `SSL.Error` from `Context` methods that fail on a
    /// certificate or key; the crypto error stays reachable via `source()`.
    fn from(e: crate::crypto::Error) -> Self {
        Error::Ssl(ErrorStack::with_source("crypto routines", e))
    }
}

impl From<crate::crypto::X509StoreContextError> for Error {
    /// A failed certificate verification as OpenSSL's error queue has it:
    /// ("x509 certificate routines", the verify error's text), with the store
    /// error as the source.
    fn from(e: crate::crypto::X509StoreContextError) -> Self {
        Error::Ssl(ErrorStack::with_source("x509 certificate routines", e))
    }
}

impl From<io::Error> for Error {
    /// As a failed read of the underlying stream: `WouldBlock` is
    /// [`Error::WantRead`], `UnexpectedEof` is `SysCall(-1, "Unexpected EOF")`,
    /// anything else is [`Error::SysCall`] with the OS errno (0 if none).
    fn from(e: io::Error) -> Self {
        Error::from_io(e, Error::WantRead)
    }
}

/// OpenSSL's reason text for a fatal alert read from the peer
/// (`SSL_AD_REASON_OFFSET + alert`, as `openssl errstr` prints them).
fn alert_reason(alert: rustls::AlertDescription) -> Option<&'static str> {
    Some(match u8::from(alert) {
        10 => "sslv3 alert unexpected message",
        20 => "sslv3 alert bad record mac",
        21 => "tlsv1 alert decryption failed",
        22 => "tlsv1 alert record overflow",
        30 => "sslv3 alert decompression failure",
        40 => "sslv3 alert handshake failure",
        41 => "sslv3 alert no certificate",
        42 => "sslv3 alert bad certificate",
        43 => "sslv3 alert unsupported certificate",
        44 => "sslv3 alert certificate revoked",
        45 => "sslv3 alert certificate expired",
        46 => "sslv3 alert certificate unknown",
        47 => "sslv3 alert illegal parameter",
        48 => "tlsv1 alert unknown ca",
        49 => "tlsv1 alert access denied",
        50 => "tlsv1 alert decode error",
        51 => "tlsv1 alert decrypt error",
        60 => "tlsv1 alert export restriction",
        70 => "tlsv1 alert protocol version",
        71 => "tlsv1 alert insufficient security",
        80 => "tlsv1 alert internal error",
        86 => "tlsv1 alert inappropriate fallback",
        90 => "tlsv1 alert user cancelled",
        100 => "tlsv1 alert no renegotiation",
        109 => "tlsv13 alert missing extension",
        110 => "tlsv1 unsupported extension",
        111 => "tlsv1 certificate unobtainable",
        112 => "tlsv1 unrecognized name",
        113 => "tlsv1 bad certificate status response",
        114 => "tlsv1 bad certificate hash value",
        115 => "tlsv1 alert unknown psk identity",
        116 => "tlsv13 alert certificate required",
        120 => "tlsv1 alert no application protocol",
        _ => return None,
    })
}

impl From<rustls::Error> for Error {
    /// The reason is OpenSSL's text where OpenSSL has one for the same
    /// failure (a fatal alert from the peer: "tlsv1 alert unknown ca"; a
    /// client that sent no certificate: "peer did not return a
    /// certificate"), else rustls's; the rustls error is the source.
    fn from(e: rustls::Error) -> Self {
        let reason = match &e {
            rustls::Error::AlertReceived(a) => alert_reason(*a),
            rustls::Error::NoCertificatesPresented => Some("peer did not return a certificate"),
            _ => None,
        };
        let mut stack = ErrorStack::with_source("SSL routines", e);
        if let (Some(reason), Some(entry)) = (reason, stack.entries.first_mut()) {
            entry.reason = reason.to_string();
        }
        Error::Ssl(stack)
    }
}

impl From<Error> for io::Error {
    /// The `io::Write` column of the mapping table on [`Error`].
    fn from(e: Error) -> Self {
        match e {
            Error::ZeroReturn => io::Error::new(io::ErrorKind::BrokenPipe, "TLS connection closed"),
            Error::WantRead | Error::WantWrite | Error::WantX509Lookup => {
                io::Error::new(io::ErrorKind::WouldBlock, e)
            }
            Error::SysCall { errno: -1, message } => {
                io::Error::new(io::ErrorKind::UnexpectedEof, message)
            }
            Error::SysCall { errno, message } if errno > 0 => {
                let os = io::Error::from_raw_os_error(errno);
                io::Error::new(os.kind(), message)
            }
            Error::SysCall { message, .. } => io::Error::other(message),
            Error::Ssl(s) => io::Error::new(io::ErrorKind::InvalidData, s),
        }
    }
}
