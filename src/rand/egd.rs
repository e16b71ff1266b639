//! The Entropy Gathering Daemon client: [`egd`].

use std::path::Path;

use super::Error;

/// How long [`egd`] waits for the daemon on each read or write.
pub const EGD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Asks the Entropy Gathering Daemon listening on the Unix socket `path` for `bytes`
/// bytes (255 when `None`) and [`add`](super::add)s them, crediting one byte of entropy
/// per byte received. Returns how many bytes were added.
///
/// The protocol is EGD's, as OpenSSL's `RAND_egd_bytes` speaks it: for each chunk of
/// at most 255 bytes the client sends command `0x01` ("read entropy, non-blocking")
/// and the chunk size; the daemon answers with one count byte and that many bytes.
/// A daemon that announces 0 bytes has run dry: the bytes so far are kept and
/// counted (an error if there were none). A missing socket, a daemon that closes
/// early or announces more than was asked for, and a daemon silent for
/// [`EGD_TIMEOUT`] are errors.
#[doc(alias = "RAND_egd_bytes")]
#[doc(alias = "RAND_egd")]
#[cfg(unix)]
pub fn egd(path: impl AsRef<Path>, bytes: Option<usize>) -> Result<usize, Error> {
    use sha2::{Digest, Sha256};
    use std::io::{ErrorKind, Read, Write};
    use std::os::unix::net::UnixStream;
    use zeroize::Zeroizing;

    let path = path.as_ref();
    let io = |action| Error::io(action, path);
    let want = bytes.unwrap_or(255);
    let mut sock = UnixStream::connect(path).map_err(io("connecting to EGD socket"))?;
    sock.set_read_timeout(Some(EGD_TIMEOUT))
        .and_then(|()| sock.set_write_timeout(Some(EGD_TIMEOUT)))
        .map_err(io("setting timeouts on EGD socket"))?;

    let mut hash = Sha256::new();
    let mut total = 0usize;
    let mut buf = Zeroizing::new([0u8; 255]);
    while total < want {
        let chunk = u8::try_from(want - total).unwrap_or(u8::MAX);
        sock.write_all(&[0x01, chunk])
            .map_err(io("writing to EGD socket"))?;
        let closed = |e: std::io::Error| match e.kind() {
            ErrorKind::UnexpectedEof => Error::EgdClosed {
                path: path.to_path_buf(),
                received: total,
            },
            _ => io("reading from EGD socket")(e),
        };
        let mut count = [0u8; 1];
        sock.read_exact(&mut count).map_err(closed)?;
        let [announced] = count;
        if announced > chunk {
            return Err(Error::EgdBadCount {
                path: path.to_path_buf(),
                requested: chunk,
                announced,
            });
        }
        if announced == 0 {
            break;
        }
        let data = buf.get_mut(..usize::from(announced)).unwrap_or_default();
        sock.read_exact(data).map_err(closed)?;
        hash.update(&*data);
        total += usize::from(announced);
    }
    if total == 0 && want > 0 {
        return Err(Error::EgdEmpty {
            path: path.to_path_buf(),
        });
    }
    super::mix_digest(&hash.finalize().into(), total as f64);
    Ok(total)
}

/// EGD needs Unix domain sockets: on this platform it always fails with
/// [`Error::Unsupported`].
#[doc(alias = "RAND_egd_bytes")]
#[doc(alias = "RAND_egd")]
#[cfg(not(unix))]
pub fn egd(path: impl AsRef<Path>, bytes: Option<usize>) -> Result<usize, Error> {
    let _ = (path.as_ref(), bytes);
    Err(Error::Unsupported("EGD needs Unix domain sockets"))
}
