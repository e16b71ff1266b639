//! `Passphrase`: the passphrase argument of `load_privatekey` /
//! `dump_privatekey`.

use std::fmt;

use zeroize::Zeroizing;

use crate::crypto::{Error, Result};

/// Longest passphrase accepted, in bytes (pyOpenSSL's limit).
pub const MAX_PASSPHRASE_LEN: usize = 1024;

enum Source<'a> {
    Bytes(Zeroizing<Vec<u8>>),
    Callback(Box<dyn FnMut(bool) -> Vec<u8> + 'a>),
    TryCallback(Box<dyn FnMut(bool) -> Result<Vec<u8>> + 'a>),
}

/// A passphrase for an encrypted private key: bytes, or a callback.
///
/// The callback is pyOpenSSL's: it is called with `false` when a key is
/// loaded and with `true` when one is written (the writer would want it
/// typed twice). Its answer is used as is — NUL bytes included — and an
/// answer longer than 1024 bytes is [`Error::PassphraseTooLong`], never
/// truncated. Passphrase bytes are wiped from memory after use.
///
/// ```
/// use puressl::crypto::Passphrase;
/// let a = Passphrase::from("secret");
/// let b = Passphrase::from(&b"secret"[..]);
/// let c = Passphrase::from_callback(|writing| {
///     assert!(!writing);
///     b"secret".to_vec()
/// });
/// # let _ = (a, b, c);
/// ```
pub struct Passphrase<'a> {
    source: Source<'a>,
}

impl<'a> Passphrase<'a> {
    /// A fixed passphrase.
    pub fn new(bytes: impl AsRef<[u8]>) -> Passphrase<'a> {
        Passphrase {
            source: Source::Bytes(Zeroizing::new(bytes.as_ref().to_vec())),
        }
    }

    /// A passphrase asked for when it is needed: `f(writing)`.
    #[doc(alias = "passphrase callback")]
    pub fn from_callback(f: impl FnMut(bool) -> Vec<u8> + 'a) -> Passphrase<'a> {
        Passphrase {
            source: Source::Callback(Box::new(f)),
        }
    }

    /// A callback that may fail: its error is returned unchanged by the
    /// load or dump that asked (pyOpenSSL propagates the callback's exception).
    ///
    /// ```
    /// use puressl::crypto::{self, Error, FileType, KeyType, PKey, Passphrase};
    /// let key = PKey::generate_key(KeyType::Ed25519, 0).unwrap();
    /// let cb = Passphrase::try_from_callback(|_| Err(Error::InvalidArgument("cancelled".into())));
    /// let r = crypto::dump_privatekey(FileType::Pem, &key, Some(("aes-256-cbc", cb)));
    /// assert!(matches!(r, Err(Error::InvalidArgument(m)) if m == "cancelled"));
    /// ```
    pub fn try_from_callback(f: impl FnMut(bool) -> Result<Vec<u8>> + 'a) -> Passphrase<'a> {
        Passphrase {
            source: Source::TryCallback(Box::new(f)),
        }
    }

    /// The passphrase bytes (calling the callback with `writing`).
    pub(crate) fn get(&mut self, writing: bool) -> Result<Zeroizing<Vec<u8>>> {
        let bytes = match &mut self.source {
            Source::Bytes(b) => b.clone(),
            Source::Callback(f) => Zeroizing::new(f(writing)),
            Source::TryCallback(f) => Zeroizing::new(f(writing)?),
        };
        if bytes.len() > MAX_PASSPHRASE_LEN {
            return Err(Error::PassphraseTooLong { len: bytes.len() });
        }
        Ok(bytes)
    }
}

impl<'a> From<&str> for Passphrase<'a> {
    fn from(s: &str) -> Self {
        Passphrase::new(s)
    }
}

impl<'a> From<&[u8]> for Passphrase<'a> {
    fn from(b: &[u8]) -> Self {
        Passphrase::new(b)
    }
}

impl<'a, const N: usize> From<&[u8; N]> for Passphrase<'a> {
    fn from(b: &[u8; N]) -> Self {
        Passphrase::new(b)
    }
}

impl<'a> From<String> for Passphrase<'a> {
    fn from(s: String) -> Self {
        let s = Zeroizing::new(s);
        Passphrase::new(s.as_bytes())
    }
}

impl<'a> From<&String> for Passphrase<'a> {
    fn from(s: &String) -> Self {
        Passphrase::new(s.as_bytes())
    }
}

impl<'a> From<Vec<u8>> for Passphrase<'a> {
    fn from(b: Vec<u8>) -> Self {
        Passphrase {
            source: Source::Bytes(Zeroizing::new(b)),
        }
    }
}

impl fmt::Debug for Passphrase<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.source {
            Source::Bytes(_) => f.write_str("Passphrase(<bytes>)"),
            Source::Callback(_) | Source::TryCallback(_) => f.write_str("Passphrase(<callback>)"),
        }
    }
}
