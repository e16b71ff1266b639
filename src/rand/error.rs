//! The error type of [`crate::rand`].

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// What went wrong in a [`crate::rand`] operation (pyOpenSSL's `rand.Error`).
#[doc(alias = "rand.Error")]
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A file or socket operation failed.
    Io {
        /// What puressl was doing, e.g. `"reading seed file"`.
        action: &'static str,
        /// The file or socket path.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
    },
    /// [`write_file`](super::write_file) refuses to overwrite something that is not a
    /// regular file (a device, a directory, a FIFO), as OpenSSL does.
    NotRegularFile {
        /// The offending path.
        path: PathBuf,
    },
    /// The EGD daemon closed the connection before sending the bytes it announced.
    EgdClosed {
        /// The socket path.
        path: PathBuf,
        /// Bytes received in total before the connection ended.
        received: usize,
    },
    /// The EGD daemon announced more bytes than were asked for in one request.
    EgdBadCount {
        /// The socket path.
        path: PathBuf,
        /// Bytes asked for (at most 255 per request).
        requested: u8,
        /// Bytes the daemon announced.
        announced: u8,
    },
    /// The EGD daemon answered but had no entropy to give.
    EgdEmpty {
        /// The socket path.
        path: PathBuf,
    },
    /// The generator holds less than 256 bits of entropy and the operating system's
    /// generator failed, so no secure output can be produced. Add entropy with
    /// [`add`](super::add), [`seed`](super::seed), [`load_file`](super::load_file) or
    /// [`egd`](super::egd) to recover.
    Unseeded {
        /// The operating system generator's error.
        os: getrandom::Error,
        /// The entropy estimate, in bytes (below 32).
        entropy: f64,
    },
    /// The operation does not exist on this platform.
    Unsupported(&'static str),
}

impl Error {
    /// Makes [`Error::Io`] for `action` on `path` from the operating
    /// system's error (for `map_err`).
    pub(super) fn io<'p>(
        action: &'static str,
        path: &'p Path,
    ) -> impl FnOnce(io::Error) -> Self + 'p {
        move |source| Error::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io {
                action,
                path,
                source,
            } => write!(f, "{action} {}: {source}", path.display()),
            Error::NotRegularFile { path } => {
                write!(f, "{} is not a regular file", path.display())
            }
            Error::EgdClosed { path, received } => write!(
                f,
                "EGD daemon at {} closed the connection early (after {received} bytes)",
                path.display()
            ),
            Error::EgdBadCount {
                path,
                requested,
                announced,
            } => write!(
                f,
                "EGD daemon at {} announced {announced} bytes for a request of {requested}",
                path.display()
            ),
            Error::EgdEmpty { path } => {
                write!(f, "EGD daemon at {} had no entropy to give", path.display())
            }
            Error::Unseeded { os, entropy } => write!(
                f,
                "PRNG not seeded: {entropy} of 32 bytes of entropy and the OS generator failed: {os}"
            ),
            Error::Unsupported(what) => write!(f, "not supported on this platform: {what}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Unseeded { os, .. } => Some(os),
            _ => None,
        }
    }
}
