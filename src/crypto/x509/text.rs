//! Text dumps: what `openssl x509 -text -noout` prints.

use crate::crypto::{Error, Result};

use super::X509;

/// `openssl x509 -text -noout` output for `cert`.
pub(crate) fn certificate_text(cert: &X509) -> Result<String> {
    let _ = cert;
    Err(Error::InvalidArgument(
        "text dump not implemented yet".into(),
    ))
}
