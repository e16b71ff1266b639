use std::fmt;

use super::{FileType, X509VerifyError};

/// A foreign error kept as the [`source`](std::error::Error::source) of a
/// puressl error.
type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Errors of the [`crypto`](crate::crypto) module: pyOpenSSL's
/// `OpenSSL.crypto.Error` (and the `ValueError`/`TypeError` cases it raises
/// for bad arguments).
///
/// Every variant says what was wrong with the input; none is ever produced by a
/// panic. Foreign errors stay reachable through [`std::error::Error::source`].
///
/// `?` converts an [`std::io::Error`] and an
/// [`X509StoreContextError`](super::X509StoreContextError) into
/// this type; this type converts into [`ssl::Error`](crate::ssl::Error) and
/// [`std::io::Error`]:
///
/// ```
/// use puressl::crypto::{self, FileType};
/// fn load(path: &str) -> Result<crypto::X509, crypto::Error> {
///     let pem = std::fs::read(path)?; // io::Error → crypto::Error::Io
///     crypto::load_certificate(FileType::Pem, &pem)
/// }
/// fn load_io(path: &str) -> std::io::Result<crypto::X509> {
///     Ok(load(path)?) // crypto::Error → io::Error
/// }
/// let e = load_io("/nonexistent").unwrap_err();
/// assert_eq!(e.kind(), std::io::ErrorKind::NotFound);
/// ```
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
    Pem(PemError),
    /// A PEM header of an encrypted key (`Proc-Type`, `DEK-Info`) is missing
    /// or wrong.
    PemHeader {
        /// The header, e.g. `DEK-Info`.
        header: &'static str,
        /// What was wrong.
        reason: String,
    },
    /// The DER (or BER) encoding is malformed: truncated, bad tag, bad length,
    /// or an unexpected structure, as the `der` crate reports it.
    Der(DerError),
    /// A decoded structure is not what its format prescribes: a certificate,
    /// request, CRL, PKCS#7, PKCS#12 or SPKAC part with a wrong tag, a
    /// missing field, a bad version, a bad length.
    Malformed {
        /// The structure or field concerned, e.g. `PKCS#12 PFX` or `TBSCertificate`.
        what: String,
        /// What was wrong.
        reason: String,
        /// The decoder's own error, when there is one.
        source: Option<Source>,
    },
    /// A complete object was decoded but bytes were left over.
    TrailingData {
        /// What was being decoded.
        what: &'static str,
        /// Offset of the first byte after the object.
        offset: usize,
    },
    /// A time is not valid: not `YYYYMMDDhhmmssZ` (or its UTCTime form and
    /// offsets), an impossible date, or out of range.
    InvalidTime {
        /// The text that was given or decoded.
        text: String,
        /// What was wrong.
        reason: String,
    },
    /// An extension value in OpenSSL's configuration syntax could not be
    /// parsed or built (pyOpenSSL: `crypto.Error` from `X509Extension`).
    InvalidExtensionValue {
        /// The extension, e.g. `basicConstraints`.
        extension: String,
        /// What was wrong, naming the offending token.
        reason: String,
    },
    /// OpenSSL cannot print this extension (`X509V3_EXT_print` fails):
    /// pyOpenSSL's `str(extension)` raises.
    ExtensionNotPrintable {
        /// The extension's dotted OID.
        oid: String,
        /// Its OpenSSL short name (`UNDEF` for an unknown OID).
        name: &'static str,
    },
    /// A text field holds something its string type cannot: a friendly name
    /// that is not UTF-16/UTF-8, a challenge that is not ASCII, a name value
    /// that has no text form.
    InvalidString {
        /// The field, e.g. `PKCS#12 friendlyName`.
        field: String,
        /// What was wrong.
        reason: String,
        /// The decoder's own error (UTF-8, UTF-16, IA5String), when there is one.
        source: Option<Source>,
    },
    /// An input asks for more work or memory than puressl allows (key
    /// derivation iteration counts, scrypt memory, nesting depth).
    LimitExceeded {
        /// The parameter, e.g. `PBKDF2 iteration count`.
        what: String,
        /// The value and the limit.
        reason: String,
    },
    /// An object lacks a part the operation needs: a certificate without a
    /// public key or validity period, a request or SPKI without a public
    /// key, a CRL without lastUpdate, a PKCS#12 file without a MAC.
    MissingField {
        /// The object, e.g. `certificate`.
        object: String,
        /// The missing part, e.g. `public key`.
        field: String,
    },
    /// The object has no signature (it was never signed, or was changed
    /// after signing): call its `sign` first.
    NotSigned {
        /// The object: `certificate`, `certificate request`, `CRL`, `SPKI`.
        object: &'static str,
    },
    /// A number outside what the operation accepts: a version, a key size,
    /// an iteration count, an index.
    OutOfRange {
        /// What the number is, e.g. `RSA key size`.
        what: &'static str,
        /// The value given.
        value: i64,
        /// What is accepted, e.g. `512 to 16384 bits`.
        expected: String,
    },
    /// A name that is none of the known ones: an extension, a name
    /// attribute, a certificate purpose, a revocation reason, a
    /// verification flag.
    UnknownName {
        /// The kind of name, e.g. `extension name`.
        kind: &'static str,
        /// The name given.
        name: String,
        /// The accepted names or a hint, or empty.
        expected: String,
    },
    /// The operation does not take this [`FileType`] (text is output only;
    /// only PEM keys are encrypted).
    UnsupportedFileType {
        /// The operation, e.g. `load_certificate`.
        operation: &'static str,
        /// The file type given.
        file_type: FileType,
    },
    /// A feature puressl does not implement (a certificate purpose, a
    /// verification flag).
    NotImplemented {
        /// The feature, e.g. `certificate purpose codesign`.
        feature: String,
    },
    /// The private key does not belong to the certificate (OpenSSL: "key
    /// values mismatch").
    KeyMismatch,
    /// A signing, key-generation or encryption step of the algorithm
    /// failed (an RSA key too small for the digest, a PBES2 parameter the
    /// cipher refuses); the algorithm's own error is the `source`.
    OperationFailed {
        /// The operation, e.g. `RSA signing`, `PBES2 encryption`.
        operation: &'static str,
        /// What was wrong.
        reason: String,
        /// The algorithm's own error, when there is one.
        source: Option<Source>,
    },
    /// An unknown or unsupported digest name (pyOpenSSL: `ValueError("No such digest method")`).
    UnknownDigest(String),
    /// An unknown or unsupported cipher name (pyOpenSSL: `ValueError("Invalid cipher name")`).
    UnknownCipher(String),
    /// An algorithm (key type, curve, signature, encryption scheme) that puressl
    /// does not support, named by OID or name; the decoder's error that
    /// showed it is unsupported, when there is one, is the `source`.
    UnsupportedAlgorithm {
        /// The algorithm, e.g. `elliptic curve 1.2.3.4` or `multi-prime RSA`.
        algorithm: String,
        /// The decoder's own error, when there is one.
        source: Option<Source>,
    },
    /// The key is encrypted and no passphrase was given.
    PassphraseRequired,
    /// Decryption failed: wrong passphrase or corrupt ciphertext (OpenSSL: "bad decrypt").
    BadDecrypt,
    /// A passphrase (or a passphrase callback's answer) is longer than 1024 bytes.
    PassphraseTooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// The key material is invalid or inconsistent (e.g. RSA `check()`
    /// failed); the key decoder's or checker's error is the `source`.
    InvalidKey {
        /// What was wrong.
        reason: String,
        /// The decoder's or checker's own error, when there is one.
        source: Option<Source>,
    },
    /// The operation needs a private key but the key is public only.
    PublicKeyOnly,
    /// The operation is not defined for this key type (pyOpenSSL raises `TypeError`).
    KeyTypeMismatch(String),
    /// A signature did not verify (OpenSSL: "bad signature").
    BadSignature,
    /// An argument is out of range or not allowed (pyOpenSSL raises `ValueError`).
    InvalidArgument(String),
    /// An I/O error while reading or writing a file.
    Io(std::io::Error),
    /// The PKCS#12 MAC did not verify: wrong password or a modified file
    /// (OpenSSL: "mac verify failure").
    MacVerifyFailure,
    /// A certificate failed verification (converted from an
    /// [`X509StoreContextError`](super::X509StoreContextError), e.g. by
    /// `?`). The store's error, with the failing certificate, is the
    /// [`source`](std::error::Error::source); get it back with
    /// [`Error::verify_error`].
    Verify {
        /// OpenSSL's verification result.
        error: X509VerifyError,
        /// Depth of the failing certificate in the chain (0 = the leaf).
        depth: u32,
        /// The store's error (an `X509StoreContextError`).
        source: Source,
    },
    /// The operating system's random number generator failed.
    Rng(crate::rand::Error),
}

impl Error {
    /// An [`Error::InvalidKey`] without a source.
    pub(crate) fn invalid_key(reason: impl Into<String>) -> Self {
        Error::InvalidKey {
            reason: reason.into(),
            source: None,
        }
    }

    /// An [`Error::InvalidKey`] saying `reason`, keeping `source`.
    pub(crate) fn invalid_key_by<E>(reason: impl Into<String>, source: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        Error::InvalidKey {
            reason: reason.into(),
            source: Some(Box::new(source)),
        }
    }

    /// An [`Error::OperationFailed`] saying `reason`, keeping `source`.
    pub(crate) fn failed_by<E>(
        operation: &'static str,
        reason: impl Into<String>,
        source: E,
    ) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        Error::OperationFailed {
            operation,
            reason: reason.into(),
            source: Some(Box::new(source)),
        }
    }

    /// An [`Error::UnsupportedAlgorithm`] without a source.
    pub(crate) fn unsupported(algorithm: impl Into<String>) -> Self {
        Error::UnsupportedAlgorithm {
            algorithm: algorithm.into(),
            source: None,
        }
    }

    /// An [`Error::UnsupportedAlgorithm`] naming `algorithm`, keeping `source`.
    pub(crate) fn unsupported_by<E>(algorithm: impl Into<String>, source: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        Error::UnsupportedAlgorithm {
            algorithm: algorithm.into(),
            source: Some(Box::new(source)),
        }
    }

    /// An [`Error::InvalidString`] without a source.
    pub(crate) fn invalid_string(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidString {
            field: field.into(),
            reason: reason.into(),
            source: None,
        }
    }

    /// An [`Error::InvalidString`] saying `reason`, keeping `source`.
    pub(crate) fn invalid_string_by<E>(
        field: impl Into<String>,
        reason: impl Into<String>,
        source: E,
    ) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        Error::InvalidString {
            field: field.into(),
            reason: reason.into(),
            source: Some(Box::new(source)),
        }
    }

    /// An [`Error::MissingField`].
    pub(crate) fn missing(object: impl Into<String>, field: impl Into<String>) -> Self {
        Error::MissingField {
            object: object.into(),
            field: field.into(),
        }
    }

    /// An [`Error::OutOfRange`].
    pub(crate) fn out_of_range(
        what: &'static str,
        value: impl TryInto<i64>,
        expected: impl Into<String>,
    ) -> Self {
        Error::OutOfRange {
            what,
            value: value.try_into().unwrap_or(i64::MAX),
            expected: expected.into(),
        }
    }

    /// An [`Error::UnknownName`].
    pub(crate) fn unknown(
        kind: &'static str,
        name: impl Into<String>,
        expected: impl Into<String>,
    ) -> Self {
        Error::UnknownName {
            kind,
            name: name.into(),
            expected: expected.into(),
        }
    }

    /// A [`Error::Malformed`] without a source.
    pub(crate) fn malformed(what: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Malformed {
            what: what.into(),
            reason: reason.into(),
            source: None,
        }
    }

    /// A [`Error::Malformed`] saying `reason`, keeping `source`.
    pub(crate) fn malformed_with<E>(
        what: impl Into<String>,
        reason: impl Into<String>,
        source: E,
    ) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        Error::Malformed {
            what: what.into(),
            reason: reason.into(),
            source: Some(Box::new(source)),
        }
    }

    /// A [`Error::Malformed`] whose reason is `source`'s text, keeping `source`.
    pub(crate) fn malformed_by<E>(what: impl Into<String>, source: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        Error::malformed_with(what, source.to_string(), source)
    }
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
            Error::PemHeader { header, reason } => write!(f, "invalid {header}: {reason}"),
            Error::Der(e) => write!(f, "malformed DER: {e}"),
            Error::Malformed { what, reason, .. } => write!(f, "invalid {what}: {reason}"),
            Error::TrailingData { what, offset } => {
                write!(f, "trailing data after {what} at byte offset {offset}")
            }
            Error::InvalidTime { text, reason } => write!(f, "invalid time: {text:?}: {reason}"),
            Error::InvalidExtensionValue { extension, reason } => {
                write!(f, "invalid {extension} extension value: {reason}")
            }
            Error::ExtensionNotPrintable { oid, name } => write!(
                f,
                "invalid extension {oid}: OpenSSL cannot print this {name} extension \
                 (X509V3_EXT_print fails)"
            ),
            Error::InvalidString { field, reason, .. } => write!(f, "invalid {field}: {reason}"),
            Error::LimitExceeded { what, reason } => write!(f, "invalid {what}: {reason}"),
            Error::MissingField { object, field } => write!(f, "the {object} has no {field}"),
            Error::NotSigned { object } => write!(
                f,
                "the {object} is not signed (sign it first, and again after a change)"
            ),
            Error::OutOfRange {
                what,
                value,
                expected,
            } => write!(f, "{what} {value} is out of range: {expected}"),
            Error::UnknownName {
                kind,
                name,
                expected,
            } => {
                write!(f, "unknown {kind} {name:?}")?;
                if !expected.is_empty() {
                    write!(f, " ({expected})")?;
                }
                Ok(())
            }
            Error::UnsupportedFileType {
                operation,
                file_type,
            } => {
                let name = match file_type {
                    FileType::Pem => "FILETYPE_PEM",
                    FileType::Asn1 => "FILETYPE_ASN1",
                    FileType::Text => "FILETYPE_TEXT",
                };
                write!(f, "{operation} does not support {name}")?;
                match file_type {
                    FileType::Text => write!(f, " (only FILETYPE_PEM and FILETYPE_ASN1)"),
                    _ => write!(f, " (only FILETYPE_PEM key format supports encryption)"),
                }
            }
            Error::NotImplemented { feature } => {
                write!(f, "{feature} is not implemented by puressl")
            }
            Error::KeyMismatch => write!(
                f,
                "key values mismatch: the private key does not belong to the certificate"
            ),
            Error::OperationFailed {
                operation, reason, ..
            } => write!(f, "{operation} failed: {reason}"),
            Error::UnknownDigest(n) => write!(f, "no such digest method: {n:?}"),
            Error::UnknownCipher(n) => write!(f, "invalid cipher name: {n:?}"),
            Error::UnsupportedAlgorithm { algorithm, .. } => {
                write!(f, "unsupported algorithm: {algorithm}")
            }
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
            Error::InvalidKey { reason, .. } => write!(f, "invalid key: {reason}"),
            Error::PublicKeyOnly => write!(f, "the key is public only; a private key is needed"),
            Error::KeyTypeMismatch(r) => write!(f, "wrong key type: {r}"),
            Error::BadSignature => write!(f, "bad signature"),
            Error::InvalidArgument(r) => write!(f, "invalid argument: {r}"),
            Error::Io(e) => write!(f, "I/O error: {e}"),
            Error::MacVerifyFailure => write!(
                f,
                "mac verify failure: the PKCS#12 MAC did not verify (wrong password or corrupt file)"
            ),
            Error::Verify { error, .. } => write!(f, "certificate verify failed: {error}"),
            Error::Rng(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Pem(e) => Some(e),
            Error::Der(e) => Some(e),
            Error::Malformed {
                source: Some(e), ..
            } => Some(&**e),
            Error::InvalidKey {
                source: Some(e), ..
            }
            | Error::InvalidString {
                source: Some(e), ..
            }
            | Error::UnsupportedAlgorithm {
                source: Some(e), ..
            }
            | Error::OperationFailed {
                source: Some(e), ..
            } => Some(&**e),
            Error::Io(e) => Some(e),
            Error::Verify { source, .. } => Some(&**source),
            Error::Rng(e) => Some(e),
            _ => None,
        }
    }
}

impl From<der::Error> for Error {
    fn from(e: der::Error) -> Self {
        Error::Der(DerError(e))
    }
}

impl From<pem::PemError> for Error {
    fn from(e: pem::PemError) -> Self {
        Error::Pem(PemError(e))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}

impl From<crate::rand::Error> for Error {
    fn from(e: crate::rand::Error) -> Self {
        Error::Rng(e)
    }
}

impl From<Error> for std::io::Error {
    /// [`Error::Io`] gives back the `io::Error` it holds; every other variant
    /// is `InvalidData` (bad input) or `InvalidInput` (a bad argument), with
    /// the crypto error as the inner error.
    fn from(e: Error) -> Self {
        use std::io::ErrorKind;
        match e {
            Error::Io(e) => e,
            e @ (Error::InvalidArgument(_)
            | Error::OutOfRange { .. }
            | Error::UnknownName { .. }
            | Error::UnsupportedFileType { .. }
            | Error::NotImplemented { .. }
            | Error::NotSigned { .. }
            | Error::MissingField { .. }
            | Error::UnknownDigest(_)
            | Error::UnknownCipher(_)
            | Error::PassphraseTooLong { .. }
            | Error::PublicKeyOnly
            | Error::KeyTypeMismatch(_)) => std::io::Error::new(ErrorKind::InvalidInput, e),
            e => std::io::Error::new(ErrorKind::InvalidData, e),
        }
    }
}

/// Broken PEM armour (truncated, bad base64, missing END line, bad header
/// lines): the detail of [`Error::Pem`]. The PEM decoder's own error is its
/// [`source`](std::error::Error::source).
#[derive(Debug)]
pub struct PemError(pem::PemError);

impl PemError {
    /// The wrapped decoder error, for unit tests that check which one.
    #[cfg(test)]
    pub(crate) fn inner(&self) -> &pem::PemError {
        &self.0
    }
}

impl fmt::Display for PemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for PemError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// A DER decoding error: the detail of [`Error::Der`]. The decoder's own
/// error is its [`source`](std::error::Error::source).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerError(der::Error);

impl DerError {
    /// The byte offset in the input where decoding failed, when known.
    pub fn offset(&self) -> Option<usize> {
        self.0.position().map(|p| u32::from(p) as usize)
    }
}

impl fmt::Display for DerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for DerError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn foreign_errors_are_wrapped_and_chained() {
        let der = Error::from(der::Error::incomplete(der::Length::new(4)));
        let Error::Der(d) = &der else {
            panic!("{der:?}")
        };
        assert_eq!(d.offset(), Some(4));
        assert!(der.to_string().starts_with("malformed DER: "), "{der}");
        // crypto::Error → DerError → der::Error.
        let chain = der.source().and_then(|s| s.source()).expect("der::Error");
        assert!(chain.downcast_ref::<der::Error>().is_some());

        let pem = Error::from(pem::PemError::MissingEndTag);
        assert!(matches!(&pem, Error::Pem(p) if matches!(p.inner(), pem::PemError::MissingEndTag)));
        assert!(pem.source().is_some());

        let base64 = base64::DecodeError::InvalidLength(3);
        let m = Error::malformed_by("SPKAC base64", base64.clone());
        assert_eq!(m.to_string(), format!("invalid SPKAC base64: {base64}"));
        assert_eq!(
            m.source()
                .and_then(|s| s.downcast_ref::<base64::DecodeError>()),
            Some(&base64)
        );
    }

    #[test]
    fn into_io_error_keeps_kind_and_source() {
        let nf = std::io::Error::from(std::io::ErrorKind::NotFound);
        let io: std::io::Error = Error::Io(nf).into();
        assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
        let io: std::io::Error = Error::BadSignature.into();
        assert_eq!(io.kind(), std::io::ErrorKind::InvalidData);
        let inner = io.get_ref().and_then(|e| e.downcast_ref::<Error>());
        assert!(matches!(inner, Some(Error::BadSignature)));
        let io: std::io::Error = Error::UnknownDigest("x".into()).into();
        assert_eq!(io.kind(), std::io::ErrorKind::InvalidInput);
    }
}
