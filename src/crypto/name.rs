//! `X509Name`: distinguished names.
//!
//! SKELETON: the API below is fixed; it is being implemented on the `x509` branch.
#![allow(unused_variables, clippy::todo)]

use super::Result;

/// An X.509 distinguished name: pyOpenSSL's `X509Name`.
#[derive(Clone, Default)]
pub struct X509Name {
    _todo: (),
}

impl X509Name {
    /// An empty name.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads a DER-encoded `Name` (strict).
    pub fn from_der(der: &[u8]) -> Result<Self> {
        todo!()
    }

    /// The DER encoding of the name (pyOpenSSL `X509Name.der()`).
    pub fn der(&self) -> Vec<u8> {
        todo!()
    }

    /// OpenSSL's one-line form `/C=US/CN=x` (`X509_NAME_oneline`, with its
    /// escaping): the text inside pyOpenSSL's `repr(name)`.
    pub fn oneline(&self) -> String {
        todo!()
    }
}
