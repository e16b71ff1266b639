//! Tests of `puressl::rand`: keystream vectors, statistics, process separation, mixing,
//! seed files, the EGD protocol and concurrency.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use puressl::rand::{self, DeterministicRng, Error};
use sha2::{Digest, Sha256};

use crate::support::vectors;
use vectors::{hex, unhex};

/// A fresh directory for one test, removed by the caller.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("puressl-rand-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

// ---------------------------------------------------------------- keystream vectors

const RFC8439_A1_1: &str = "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7\
                            da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586";
const RFC8439_2_3_2: &str = "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e\
                             d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e";

fn key_0_to_31() -> [u8; 32] {
    std::array::from_fn(|i| i as u8)
}

const NONCE_2_3_2: [u8; 12] = [0, 0, 0, 9, 0, 0, 0, 0x4a, 0, 0, 0, 0];

#[test]
fn rfc8439_a1_test_vector_1() {
    let mut rng = DeterministicRng::from_seed([0u8; 32]);
    let mut block = [0u8; 64];
    rng.fill(&mut block);
    assert_eq!(hex(&block), RFC8439_A1_1);
}

#[test]
fn rfc8439_section_2_3_2_block() {
    let mut rng = DeterministicRng::from_key_nonce(key_0_to_31(), NONCE_2_3_2, 1);
    let mut block = [0u8; 64];
    rng.fill(&mut block);
    assert_eq!(hex(&block), RFC8439_2_3_2);
}

#[test]
fn deterministic_rng_is_reproducible_through_rand_core() {
    use rand_core::Rng as _;
    let mut a = DeterministicRng::from_seed([7u8; 32]);
    let mut b = DeterministicRng::from_seed([7u8; 32]);
    assert_eq!(a.next_u64(), b.next_u64());
    let (mut x, mut y) = ([0u8; 100], [0u8; 100]);
    a.fill_bytes(&mut x);
    b.fill(&mut y);
    assert_eq!(x, y);
}

/// `openssl enc -chacha20` as the oracle: its IV is the 32-bit counter (little endian)
/// followed by the 96-bit nonce. 1000 bytes cross several 64-byte blocks.
#[test]
fn keystream_matches_openssl_enc_chacha20() {
    let counter = 7u32;
    let mut iv = counter.to_le_bytes().to_vec();
    iv.extend_from_slice(&NONCE_2_3_2);
    let mut child = Command::new("openssl")
        .args([
            "enc",
            "-chacha20",
            "-K",
            &hex(&key_0_to_31()),
            "-iv",
            &hex(&iv),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run openssl");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&[0u8; 1000])
        .expect("write zeros");
    let out = child.wait_with_output().expect("openssl output");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut ours = vec![0u8; 1000];
    DeterministicRng::from_key_nonce(key_0_to_31(), NONCE_2_3_2, counter).fill(&mut ours);
    assert_eq!(hex(&ours), hex(&out.stdout));
}

// ---------------------------------------------------------------- statistics

/// Pearson's chi-square of byte frequencies against the uniform distribution.
fn chi_square(data: &[u8]) -> f64 {
    let mut counts = [0u64; 256];
    for &b in data {
        counts[usize::from(b)] += 1;
    }
    let expected = data.len() as f64 / 256.0;
    counts
        .iter()
        .map(|&c| (c as f64 - expected).powi(2) / expected)
        .sum()
}

fn assert_looks_random(data: &[u8]) {
    assert_eq!(data.len(), 1 << 20);
    // 255 degrees of freedom: mean 255, standard deviation about 22.6. The bounds are
    // more than 4.5 standard deviations out (a false alarm about once in 10^5 runs).
    let chi = chi_square(data);
    assert!((150.0..380.0).contains(&chi), "chi-square {chi}");
    let blocks: HashSet<&[u8]> = data.chunks_exact(16).collect();
    assert_eq!(blocks.len(), data.len() / 16, "a 16-byte block repeated");
}

#[test]
fn one_mebibyte_in_one_request_looks_random() {
    assert_looks_random(&rand::bytes(1 << 20));
}

#[test]
fn one_mebibyte_in_32_byte_requests_looks_random() {
    let mut data = vec![0u8; 1 << 20];
    for chunk in data.chunks_mut(32) {
        rand::fill(chunk);
    }
    assert_looks_random(&data);
}

#[test]
fn chi_square_detects_bias() {
    // The check itself works: a keystream with every byte's top bit cleared fails it.
    let mut data = vec![0u8; 1 << 20];
    DeterministicRng::from_seed([1u8; 32]).fill(&mut data);
    assert!((150.0..380.0).contains(&chi_square(&data)));
    data.iter_mut().for_each(|b| *b &= 0x7f);
    assert!(chi_square(&data) > 1e5);
}

// ---------------------------------------------------------------- other processes

const CHILD_ENV: &str = "PURESSL_RAND_CHILD";

/// Not a test of its own: the body of the child process that the tests below start
/// by running this test binary again with `PURESSL_RAND_CHILD` set.
#[test]
fn child_helper() {
    let Ok(mode) = std::env::var(CHILD_ENV) else {
        return;
    };
    if mode == "zeros" {
        rand::add(&[0u8; 64], 1e12);
    }
    println!("RAND_CHILD_OUTPUT:{}", hex(&rand::bytes(32)));
}

fn child_bytes(mode: &str) -> Vec<u8> {
    let exe = std::env::current_exe().expect("test binary path");
    // The test's full name in this binary: its module path without the crate.
    let name = match module_path!().split_once("::") {
        Some((_, module)) => format!("{module}::child_helper"),
        None => "child_helper".to_string(),
    };
    let out = Command::new(exe)
        .args([name.as_str(), "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, mode)
        .stdin(Stdio::null())
        .output()
        .expect("run child");
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.split_once("RAND_CHILD_OUTPUT:"))
        .map(|(_, hex)| hex.get(..64).unwrap_or(hex))
        .expect("child printed its bytes");
    unhex(line)
}

#[test]
fn two_processes_draw_different_bytes() {
    let before = rand::bytes(32);
    let child = child_bytes("plain");
    let after = rand::bytes(32);
    assert_eq!(child.len(), 32);
    assert_ne!(child, before);
    assert_ne!(child, after);
    assert_ne!(child_bytes("plain"), child);
}

#[test]
fn zeros_with_a_huge_entropy_claim_do_not_make_output_predictable() {
    let zeros = [0u8; 64];
    rand::add(&zeros, 1e12);
    assert!(rand::status());
    let out = rand::bytes(32);

    // Generators that saw only the zeros, keyed from them in the obvious ways.
    let mut candidates = Vec::new();
    for key in [[0u8; 32], Sha256::digest(zeros).into()] {
        let mut b = [0u8; 32];
        DeterministicRng::from_seed(key).fill(&mut b);
        candidates.push(b.to_vec());
    }
    // Another process that also saw only the zeros with the same claim.
    candidates.push(child_bytes("zeros"));
    candidates.push(child_bytes("zeros"));
    for c in &candidates {
        assert_ne!(&out, c);
    }
    assert_ne!(candidates[2], candidates[3]);
}

#[test]
fn add_and_seed_keep_status_and_output_fresh() {
    rand::add(b"", 100.0);
    rand::add(b"abc", -5.0);
    rand::add(b"abc", f64::NAN);
    rand::seed(b"0123456789abcdef0123456789abcdef");
    assert!(rand::status());
    assert_ne!(rand::bytes(32), rand::bytes(32));
}

#[test]
fn cleanup_forgets_and_reseeds() {
    let a = rand::bytes(32);
    rand::cleanup();
    assert!(rand::status());
    let b = rand::bytes(32);
    assert_ne!(a, b);
}

#[test]
fn rng_serves_rustcrypto_apis() {
    fn draw<R: rand_core::TryCryptoRng + ?Sized>(r: &mut R) -> [u8; 32]
    where
        R::Error: std::fmt::Debug,
    {
        let mut b = [0u8; 32];
        r.try_fill_bytes(&mut b).expect("the generator is seeded");
        b
    }
    let mut rng = rand::Rng;
    assert_ne!(draw(&mut rng), draw(&mut rng));
    // An API that wants an infallible CryptoRng takes rand_core's adapter.
    let mut rng = puressl::rand_core::UnwrapErr(rand::Rng);
    let key = ed25519_dalek::SigningKey::generate(&mut rng);
    let other = ed25519_dalek::SigningKey::generate(&mut rng);
    assert_ne!(key.to_bytes(), other.to_bytes());
}

// ---------------------------------------------------------------- seed files

#[test]
fn write_file_then_load_file() {
    let dir = temp_dir("seedfile");
    let path = dir.join("seed");
    assert_eq!(rand::write_file(&path).expect("write"), 1024);
    let first = std::fs::read(&path).expect("read back");
    assert_eq!(first.len(), 1024);
    assert_eq!(rand::load_file(&path, None).expect("load all"), 1024);
    assert_eq!(rand::load_file(&path, Some(100)).expect("load 100"), 100);
    assert_eq!(rand::load_file(&path, Some(0)).expect("load 0"), 0);
    assert_eq!(rand::load_file(&path, Some(5000)).expect("load max"), 1024);
    assert_eq!(rand::write_file(&path).expect("rewrite"), 1024);
    assert_ne!(std::fs::read(&path).expect("read back"), first);
    let empty = dir.join("empty");
    std::fs::write(&empty, b"").expect("empty file");
    assert_eq!(rand::load_file(&empty, None).expect("load empty"), 0);
    std::fs::remove_dir_all(&dir).expect("clean up");
}

#[cfg(unix)]
#[test]
fn write_file_uses_mode_0600_even_over_an_existing_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("mode");
    let fresh = dir.join("fresh");
    rand::write_file(&fresh).expect("write");
    let mode = |p: &Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode(&fresh), 0o600);
    let existing = dir.join("existing");
    std::fs::write(&existing, b"old").expect("create");
    std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    rand::write_file(&existing).expect("overwrite");
    assert_eq!(mode(&existing), 0o600);
    assert_eq!(std::fs::metadata(&existing).expect("stat").len(), 1024);
    std::fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn load_file_missing_is_an_error() {
    let dir = temp_dir("missing");
    let path = dir.join("does-not-exist");
    match rand::load_file(&path, None) {
        Err(Error::Io {
            path: p, source, ..
        }) => {
            assert_eq!(p, path);
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected an Io error, got {other:?}"),
    }
    let msg = rand::load_file(&path, Some(10))
        .expect_err("missing")
        .to_string();
    assert!(
        msg.starts_with("opening seed file ") && msg.contains("does-not-exist"),
        "{msg}"
    );
    std::fs::remove_dir_all(&dir).expect("clean up");
}

#[cfg(unix)]
#[test]
fn devices_default_to_256_bytes_and_are_never_overwritten() {
    assert_eq!(rand::load_file("/dev/urandom", None).expect("urandom"), 256);
    assert_eq!(
        rand::load_file("/dev/urandom", Some(10)).expect("urandom"),
        10
    );
    assert!(matches!(
        rand::write_file("/dev/null"),
        Err(Error::NotRegularFile { .. })
    ));
    let dir = temp_dir("dir");
    assert!(matches!(
        rand::write_file(&dir),
        Err(Error::NotRegularFile { .. })
    ));
    std::fs::remove_dir_all(&dir).expect("clean up");
}

// ---------------------------------------------------------------- EGD

#[cfg(unix)]
mod egd {
    use super::*;
    use std::os::unix::net::UnixListener;
    use std::thread::JoinHandle;

    /// How a test daemon answers one `0x01 n` request: `Some(bytes)` sends the count
    /// byte and then `bytes`, `None` closes the connection.
    type Script = Vec<Option<(u8, Vec<u8>)>>;

    /// Serves one connection on a fresh socket with `script`, recording the requests.
    fn daemon(name: &str, script: Script) -> (PathBuf, PathBuf, JoinHandle<Vec<[u8; 2]>>) {
        let dir = temp_dir(name);
        let path = dir.join("egd.sock");
        let listener = UnixListener::bind(&path).expect("bind");
        let handle = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().expect("accept");
            s.set_read_timeout(Some(Duration::from_secs(10)))
                .expect("timeout");
            let mut requests = Vec::new();
            for step in script {
                let mut req = [0u8; 2];
                if s.read_exact(&mut req).is_err() {
                    break;
                }
                requests.push(req);
                match step {
                    Some((count, data)) => {
                        // The client may hang up first (it refuses bad answers).
                        if s.write_all(&[count]).and(s.write_all(&data)).is_err() {
                            break;
                        }
                    }
                    None => break,
                }
            }
            requests
        });
        (dir, path, handle)
    }

    fn full(n: u8) -> Option<(u8, Vec<u8>)> {
        Some((n, vec![0xa5; usize::from(n)]))
    }

    #[test]
    fn default_request_is_255_bytes() {
        let (dir, path, h) = daemon("egd-default", vec![full(255)]);
        assert_eq!(rand::egd(&path, None).expect("egd"), 255);
        assert_eq!(h.join().expect("daemon"), vec![[1, 255]]);
        std::fs::remove_dir_all(&dir).expect("clean up");
    }

    #[test]
    fn large_requests_are_split_and_short_answers_continued() {
        let script = vec![full(255), full(100), full(245)];
        let (dir, path, h) = daemon("egd-split", script);
        assert_eq!(rand::egd(&path, Some(600)).expect("egd"), 600);
        assert_eq!(
            h.join().expect("daemon"),
            vec![[1, 255], [1, 255], [1, 245]]
        );
        std::fs::remove_dir_all(&dir).expect("clean up");
    }

    #[test]
    fn a_dry_daemon_stops_the_read() {
        let (dir, path, h) = daemon("egd-dry", vec![full(40), Some((0, vec![]))]);
        assert_eq!(rand::egd(&path, Some(100)).expect("egd"), 40);
        assert_eq!(h.join().expect("daemon"), vec![[1, 100], [1, 60]]);
        let (dir2, path2, h2) = daemon("egd-empty", vec![Some((0, vec![]))]);
        assert!(matches!(
            rand::egd(&path2, Some(10)),
            Err(Error::EgdEmpty { .. })
        ));
        h2.join().expect("daemon");
        std::fs::remove_dir_all(&dir).expect("clean up");
        std::fs::remove_dir_all(&dir2).expect("clean up");
    }

    #[test]
    fn a_daemon_closing_early_is_an_error() {
        // Announces 255 bytes, sends 10, hangs up.
        let (dir, path, h) = daemon("egd-close", vec![Some((255, vec![1; 10]))]);
        match rand::egd(&path, None) {
            Err(Error::EgdClosed { received, .. }) => assert_eq!(received, 0),
            other => panic!("expected EgdClosed, got {other:?}"),
        }
        h.join().expect("daemon");
        // Hangs up without answering at all, after one good chunk.
        let (dir2, path2, h2) = daemon("egd-close2", vec![full(255), None]);
        let err = rand::egd(&path2, Some(300)).expect_err("closed");
        assert!(
            matches!(err, Error::EgdClosed { received: 255, .. }),
            "{err:?}"
        );
        assert!(
            err.to_string().contains("closed the connection early"),
            "{err}"
        );
        h2.join().expect("daemon");
        std::fs::remove_dir_all(&dir).expect("clean up");
        std::fs::remove_dir_all(&dir2).expect("clean up");
    }

    #[test]
    fn a_daemon_announcing_too_much_is_an_error() {
        let (dir, path, h) = daemon("egd-bad", vec![full(50)]);
        match rand::egd(&path, Some(10)) {
            Err(Error::EgdBadCount {
                requested,
                announced,
                ..
            }) => assert_eq!((requested, announced), (10, 50)),
            other => panic!("expected EgdBadCount, got {other:?}"),
        }
        h.join().expect("daemon");
        std::fs::remove_dir_all(&dir).expect("clean up");
    }

    #[test]
    fn no_daemon_is_an_error() {
        let dir = temp_dir("egd-none");
        let path = dir.join("nobody.sock");
        assert!(matches!(
            rand::egd(&path, None),
            Err(Error::Io {
                action: "connecting to EGD socket",
                ..
            })
        ));
        // A socket file whose listener is gone.
        drop(UnixListener::bind(&path).expect("bind"));
        assert!(rand::egd(&path, None).is_err());
        std::fs::remove_dir_all(&dir).expect("clean up");
    }
}

// ---------------------------------------------------------------- threads

#[test]
fn eight_threads_draw_distinct_bytes_without_deadlock() {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let outputs: Vec<Vec<[u8; 32]>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|t| {
                    s.spawn(move || {
                        (0..2000)
                            .map(|i| {
                                if i % 500 == 0 {
                                    rand::add(&[t as u8; 8], 1.0);
                                    assert!(rand::status());
                                }
                                let mut b = [0u8; 32];
                                rand::fill(&mut b);
                                b
                            })
                            .collect()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("thread"))
                .collect()
        });
        let _ = tx.send(outputs);
    });
    let outputs = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("threads finished (no deadlock)");
    let all: HashSet<[u8; 32]> = outputs.iter().flatten().copied().collect();
    assert_eq!(all.len(), 8 * 2000);
}
