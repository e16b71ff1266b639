//! X25519MLKEM768 against an independent implementation: Python
//! `cryptography`'s ML-KEM-768 and X25519 (OpenSSL/BoringSSL-backed), both
//! as client and as server. OpenSSL 3.0's CLI has no ML-KEM, so this is the
//! oracle available here; the test says so and returns if it is missing.

use std::io::Write;
use std::process::{Command, Stdio};

use puressl::provider::kx_group::X25519MLKEM768;

const PY: &str = r#"
import sys
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519
from cryptography.hazmat.primitives import serialization as s
raw = (s.Encoding.Raw, s.PublicFormat.Raw)
mode, share = sys.stdin.read().split()
share = bytes.fromhex(share)
if mode == "server":
    ek, xpub = share[:1184], share[1184:]
    ss, ct = mlkem.MLKEM768PublicKey.from_public_bytes(ek).encapsulate()
    x = x25519.X25519PrivateKey.generate()
    xss = x.exchange(x25519.X25519PublicKey.from_public_bytes(xpub))
    print((ct + x.public_key().public_bytes(*raw)).hex(), (ss + xss).hex())
"#;

use crate::support::vectors;
use vectors::{hex, unhex};

fn python(script: &str, input: &str) -> Option<String> {
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("python");
    assert!(
        out.status.success(),
        "python: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).expect("utf8"))
}

/// The oracle is required: `.ci/run` installs it (`pip install cryptography`).
fn require_oracle() {
    let ok = Command::new("python3")
        .args([
            "-c",
            "from cryptography.hazmat.primitives.asymmetric import mlkem",
        ])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        ok,
        "python3 with cryptography >= 47 (ML-KEM) is needed as the oracle: pip install 'cryptography>=47'"
    );
}

/// Our client share, encapsulated to by Python: both sides get the same 64-byte secret.
#[test]
fn our_client_with_python_server() {
    require_oracle();
    let kx = X25519MLKEM768.start().expect("start");
    let out = python(PY, &format!("server {}", hex(kx.pub_key()))).expect("python");
    let mut parts = out.split_whitespace();
    let server_share = unhex(parts.next().expect("share"));
    let expected = unhex(parts.next().expect("secret"));
    assert_eq!(server_share.len(), 1088 + 32);
    let secret = kx.complete(&server_share).expect("complete");
    assert_eq!(secret.secret_bytes(), expected.as_slice());
}

/// Python's client share, answered by our server side; Python decapsulates.
#[test]
fn python_client_with_our_server() {
    require_oracle();
    // Python keeps its private keys in one process: generate, print the
    // share, read our reply, print the secret.
    let script = r#"
import sys
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519
from cryptography.hazmat.primitives import serialization as s
raw = (s.Encoding.Raw, s.PublicFormat.Raw)
k = mlkem.MLKEM768PrivateKey.generate()
x = x25519.X25519PrivateKey.generate()
print((k.public_key().public_bytes(*raw) + x.public_key().public_bytes(*raw)).hex(), flush=True)
reply = bytes.fromhex(sys.stdin.readline().strip())
ct, xpub = reply[:1088], reply[1088:]
ss = k.decapsulate(ct)
xss = x.exchange(x25519.X25519PublicKey.from_public_bytes(xpub))
print((ss + xss).hex(), flush=True)
"#;
    use std::io::{BufRead, BufReader};
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("share");
    let client_share = unhex(line.trim());
    let done = X25519MLKEM768
        .start_and_complete(&client_share)
        .expect("server side");
    let mut stdin = child.stdin.take().expect("stdin");
    writeln!(stdin, "{}", hex(&done.pub_key)).expect("reply");
    drop(stdin);
    line.clear();
    stdout.read_line(&mut line).expect("secret");
    let _ = child.wait();
    assert_eq!(unhex(line.trim()), done.secret.secret_bytes());
}
