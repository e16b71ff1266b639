//! [`X509StoreContextError`], the store's error, and its conversion into
//! [`crypto::Error`](crate::crypto::Error) (which does not depend on the
//! store: it holds the code, the depth and this error as its source).

use std::fmt;

use super::X509VerifyError;
use crate::crypto::{Error, X509};

/// Why [`X509StoreContext::verify_certificate`](crate::crypto::X509StoreContext::verify_certificate)
/// failed: pyOpenSSL's `X509StoreContextError`. `Display` is OpenSSL's
/// message (pyOpenSSL's `str()`); [`errors`](Self::errors) is pyOpenSSL's
/// `.errors` (`[code, depth, message]`).
#[derive(Debug, Clone)]
pub struct X509StoreContextError {
    error: X509VerifyError,
    depth: u32,
    certificate: Box<X509>,
}

impl X509StoreContextError {
    pub(crate) fn new(error: X509VerifyError, depth: u32, certificate: X509) -> Self {
        Self {
            error,
            depth,
            certificate: Box::new(certificate),
        }
    }

    /// The verification error.
    pub fn error(&self) -> X509VerifyError {
        self.error
    }

    /// The OpenSSL `X509_V_ERR_*` number.
    pub fn code(&self) -> i32 {
        self.error.code()
    }

    /// Depth of the failing certificate in the chain (0 = the leaf).
    pub fn depth(&self) -> u32 {
        self.depth
    }

    /// The certificate the error is about. pyOpenSSL's `.certificate`.
    pub fn certificate(&self) -> &X509 {
        &self.certificate
    }

    /// OpenSSL 3's message text.
    pub fn message(&self) -> &'static str {
        self.error.message()
    }

    /// pyOpenSSL's `.errors`: `(code, depth, message)`.
    pub fn errors(&self) -> (i32, u32, &'static str) {
        (self.code(), self.depth, self.message())
    }
}

impl fmt::Display for X509StoreContextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for X509StoreContextError {}

impl From<X509StoreContextError> for Error {
    /// [`Error::Verify`] with the code and depth, this error as the source.
    fn from(e: X509StoreContextError) -> Self {
        Error::Verify {
            error: e.error,
            depth: e.depth,
            source: Box::new(e),
        }
    }
}

impl Error {
    /// The store's error behind an [`Error::Verify`] (with the failing
    /// certificate), `None` for any other error.
    ///
    /// ```
    /// # use puressl::crypto::{self, X509Store, X509StoreContext};
    /// # fn check(store: &X509Store, cert: &crypto::X509) -> Result<(), crypto::Error> {
    /// X509StoreContext::new(store, cert, None).verify_certificate()?;
    /// # Ok(()) }
    /// # let cert = crypto::load_certificate(crypto::FileType::Pem,
    /// #     &std::fs::read("tests/data/provider/p256.pem").unwrap()).unwrap();
    /// let e = check(&X509Store::new(), &cert).unwrap_err();
    /// let v = e.verify_error().expect("a verification failure");
    /// assert_eq!(v.code(), 20); // unable to get local issuer certificate
    /// assert_eq!(v.certificate(), &cert);
    /// ```
    pub fn verify_error(&self) -> Option<&X509StoreContextError> {
        match self {
            Error::Verify { source, .. } => source.downcast_ref(),
            _ => None,
        }
    }
}

impl From<X509StoreContextError> for std::io::Error {
    /// `InvalidData`, with the verify error as the inner error.
    fn from(e: X509StoreContextError) -> Self {
        std::io::Error::new(std::io::ErrorKind::InvalidData, e)
    }
}
