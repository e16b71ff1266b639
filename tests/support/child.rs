//! A child process (the `openssl` CLI as a TLS peer) that is killed and reaped
//! however the test ends, with a bounded wait for its exit.

use std::io::Read;
use std::process::Child;
use std::thread;
use std::time::{Duration, Instant};

/// How long a test waits for the peer process, at most.
pub const WAIT: Duration = Duration::from_secs(20);

/// Kills and reaps the child when dropped (test passed, failed or panicked).
pub struct Kill(pub Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Kill {
    /// Waits for the child to exit, at most `WAIT`; returns its output.
    pub fn finish(mut self) -> (bool, String) {
        let deadline = Instant::now() + WAIT;
        loop {
            match self.0.try_wait() {
                Ok(Some(status)) => {
                    let mut out = String::new();
                    if let Some(mut o) = self.0.stdout.take() {
                        let _ = o.read_to_string(&mut out);
                    }
                    if let Some(mut e) = self.0.stderr.take() {
                        let _ = e.read_to_string(&mut out);
                    }
                    return (status.success(), out);
                }
                Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(20)),
                _ => return (false, "openssl did not exit in time".into()),
            }
        }
    }
}
