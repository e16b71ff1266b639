//! Seed files: [`load_file`] and [`write_file`].

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::{mix_digest, try_fill, Error};

/// Bytes [`write_file`] writes, as OpenSSL does.
pub const SEED_FILE_LEN: usize = 1024;

/// Bytes [`load_file`] reads from a file that is not a regular file (a device such as
/// `/dev/urandom`, a FIFO) when no limit is given, as OpenSSL does.
pub const NON_REGULAR_DEFAULT: u64 = 256;

/// Reads up to `max_bytes` bytes of `path` (all of it when `None`, the manual's −1)
/// and [`add`](super::add)s them, crediting one byte of entropy per byte read.
/// Returns how many bytes were read.
///
/// For a file that is not a regular file (`/dev/urandom`, a pipe) `None` means
/// [`NON_REGULAR_DEFAULT`] bytes, since such a file may never end.
///
/// ```
/// let path = std::env::temp_dir().join(format!("puressl-doc-seed-{}", std::process::id()));
/// assert_eq!(puressl::rand::write_file(&path)?, 1024);
/// assert_eq!(puressl::rand::load_file(&path, Some(100))?, 100);
/// assert_eq!(puressl::rand::load_file(&path, None)?, 1024);
/// # std::fs::remove_file(&path).ok();
/// # Ok::<(), puressl::rand::Error>(())
/// ```
#[doc(alias = "RAND_load_file")]
pub fn load_file(path: impl AsRef<Path>, max_bytes: Option<u64>) -> Result<usize, Error> {
    let path = path.as_ref();
    let io = |action| Error::io(action, path);
    let file = File::open(path).map_err(io("opening seed file"))?;
    let meta = file.metadata().map_err(io("inspecting seed file"))?;
    let limit = match max_bytes {
        Some(n) => n,
        None if meta.is_file() => u64::MAX,
        None => NON_REGULAR_DEFAULT,
    };
    let mut reader = file.take(limit);
    let mut buf = Zeroizing::new([0u8; 4096]);
    let mut hash = Sha256::new();
    let mut total = 0usize;
    loop {
        let n = match reader.read(&mut buf[..]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io("reading seed file")(e)),
        };
        hash.update(buf.get(..n).unwrap_or_default());
        total = total.saturating_add(n);
    }
    mix_digest(&hash.finalize().into(), total as f64);
    Ok(total)
}

/// Writes 1024 bytes from the generator to `path` (mode 0600 on Unix, also when the
/// file already existed) for a later [`load_file`]. Returns the number of bytes written.
///
/// Refuses to write to something that exists and is not a regular file.
#[doc(alias = "RAND_write_file")]
pub fn write_file(path: impl AsRef<Path>) -> Result<usize, Error> {
    let path = path.as_ref();
    let io = |action| Error::io(action, path);
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
    {
        return Err(Error::NotRegularFile {
            path: path.to_path_buf(),
        });
    }
    let mut data = Zeroizing::new([0u8; SEED_FILE_LEN]);
    try_fill(&mut data[..])?;
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(io("creating seed file"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(io("setting mode 0600 on seed file"))?;
    }
    file.write_all(&data[..]).map_err(io("writing seed file"))?;
    Ok(SEED_FILE_LEN)
}
