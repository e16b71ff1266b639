use std::fmt;

/// Errors of the [`crypto`](crate::crypto) module: pyOpenSSL's
/// `OpenSSL.crypto.Error` (and the `ValueError`/`TypeError` cases it raises
/// for bad arguments).
///
/// Every variant says what was wrong with the input; none is ever produced by a
/// panic. Foreign errors stay reachable through [`std::error::Error::source`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// No PEM block with an acceptable label was found (OpenSSL: "no start line").
    NoPemBlock {
        /// The label(s) that were looked for, e.g. `CERTIFICATE`.
        expected: &'static str,
    },
    /// A PEM block was found, but with a label this loader does not accept.
    WrongPemLabel {
        /// The label(s) the loader accepts.
        expected: &'static str,
        /// The label that was found.
        found: String,
    },
    /// The PEM armour or its base64 body is broken (truncated, bad base64,
    /// missing END line, bad headers).
    Pem(pem::PemError),
    /// The DER (or BER) encoding is malformed: truncated, bad tag, bad length,
    /// or an unexpected structure.
    Der(der::Error),
    /// A complete object was decoded but bytes were left over.
    TrailingData {
        /// What was being decoded.
        what: &'static str,
        /// Offset of the first byte after the object.
        offset: usize,
    },
    /// An unknown or unsupported digest name (pyOpenSSL: `ValueError("No such digest method")`).
    UnknownDigest(String),
    /// An unknown or unsupported cipher name (pyOpenSSL: `ValueError("Invalid cipher name")`).
    UnknownCipher(String),
    /// An algorithm (key type, curve, signature, encryption scheme) that puressl
    /// does not support, named by OID or name.
    UnsupportedAlgorithm(String),
    /// The key is encrypted and no passphrase was given.
    PassphraseRequired,
    /// Decryption failed: wrong passphrase or corrupt ciphertext (OpenSSL: "bad decrypt").
    BadDecrypt,
    /// A passphrase (or a passphrase callback's answer) is longer than 1024 bytes.
    PassphraseTooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// The key material is invalid or inconsistent (e.g. RSA `check()` failed).
    InvalidKey(String),
    /// The operation needs a private key but the key is public only.
    PublicKeyOnly,
    /// The operation is not defined for this key type (pyOpenSSL raises `TypeError`).
    KeyTypeMismatch(String),
    /// A signature did not verify (OpenSSL: "bad signature").
    BadSignature,
    /// An argument is out of range or not allowed (pyOpenSSL raises `ValueError`).
    InvalidArgument(String),
    /// A field has an invalid value (a name attribute, a time string, an
    /// extension value...): what was wrong and where.
    InvalidValue {
        /// The field or item concerned.
        field: String,
        /// What was wrong.
        reason: String,
    },
    /// An I/O error while reading or writing a file.
    Io(std::io::Error),
    /// The PKCS#12 MAC did not verify: wrong password or a modified file
    /// (OpenSSL: "mac verify failure").
    MacVerifyFailure,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NoPemBlock { expected } => {
                write!(f, "no PEM block found (no start line): expected {expected}")
            }
            Error::WrongPemLabel { expected, found } => {
                write!(f, "wrong PEM label {found:?}: expected {expected}")
            }
            Error::Pem(e) => write!(f, "malformed PEM: {e}"),
            Error::Der(e) => write!(f, "malformed DER: {e}"),
            Error::TrailingData { what, offset } => {
                write!(f, "trailing data after {what} at byte offset {offset}")
            }
            Error::UnknownDigest(n) => write!(f, "no such digest method: {n:?}"),
            Error::UnknownCipher(n) => write!(f, "invalid cipher name: {n:?}"),
            Error::UnsupportedAlgorithm(n) => write!(f, "unsupported algorithm: {n}"),
            Error::PassphraseRequired => {
                write!(f, "the key is encrypted and no passphrase was given")
            }
            Error::BadDecrypt => write!(f, "bad decrypt: wrong passphrase or corrupt data"),
            Error::PassphraseTooLong { len } => {
                write!(
                    f,
                    "passphrase is {len} bytes, longer than the 1024-byte maximum"
                )
            }
            Error::InvalidKey(r) => write!(f, "invalid key: {r}"),
            Error::PublicKeyOnly => write!(f, "the key is public only; a private key is needed"),
            Error::KeyTypeMismatch(r) => write!(f, "wrong key type: {r}"),
            Error::BadSignature => write!(f, "bad signature"),
            Error::InvalidArgument(r) => write!(f, "invalid argument: {r}"),
            Error::InvalidValue { field, reason } => write!(f, "invalid {field}: {reason}"),
            Error::Io(e) => write!(f, "I/O error: {e}"),
            Error::MacVerifyFailure => write!(
                f,
                "mac verify failure: the PKCS#12 MAC did not verify (wrong password or corrupt file)"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Pem(e) => Some(e),
            Error::Der(e) => Some(e),
            Error::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<der::Error> for Error {
    fn from(e: der::Error) -> Self {
        Error::Der(e)
    }
}

impl From<pem::PemError> for Error {
    fn from(e: pem::PemError) -> Self {
        Error::Pem(e)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}
