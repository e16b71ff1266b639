//! House rule 3: bad input is an `Err`, never a panic.
//!
//! Every vector file is fed, truncated at every length up to 600 bytes (and
//! at a sample of longer lengths), with single-byte mutations at a
//! deterministic sample of positions and with a byte removed or inserted,
//! to every public loader that takes bytes. Loaded objects are also printed
//! and walked (text dumps, extension text, name components), since that code
//! reads the same untrusted bytes.
//! Only "returns without panicking" is asserted; the panicking input is
//! named (file, length / position, byte) in the failure message.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

use puressl::crypto::{
    dump_certificate_request, dump_crl, dump_privatekey, load_certificate,
    load_certificate_request, load_crl, load_pkcs12, load_pkcs7_data, load_privatekey,
    load_publickey, Error, FileType, NetscapeSpki, Passphrase, X509Name,
};

use crate::support::vectors;
// The fuzz targets' walkers: everything a loaded object offers to read.
use crate::harness;
use harness::{walk_cert, walk_name};
use vectors::*;

/// Deterministic pseudo-random numbers (64-bit LCG, Knuth's constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// Runs every loader on `data`; `password` is the vector's own one (if any).
fn exercise(data: &[u8], password: Option<&[u8]>, pkcs12: bool) {
    for ft in [FileType::Pem, FileType::Asn1] {
        if let Ok(c) = load_certificate(ft, data) {
            walk_cert(&c);
        }
        if let Ok(r) = load_certificate_request(ft, data) {
            let _ = dump_certificate_request(FileType::Text, &r);
            for e in r.extensions().unwrap_or_default() {
                let _ = e.to_text();
            }
            for a in r.attributes() {
                for i in 0..a.value_count() {
                    let _ = a.value_text(i);
                }
            }
            walk_name(r.subject());
        }
        if let Ok(k) = load_privatekey(ft, data, None) {
            let _ = dump_privatekey(FileType::Text, &k, None);
        }
        let pw = password.unwrap_or(b"wrong passphrase");
        if !pkcs12 && let Ok(k) = load_privatekey(ft, data, Some(Passphrase::from(pw))) {
            let _ = dump_privatekey(FileType::Text, &k, None);
        }
        let _ = load_publickey(ft, data);
        if let Ok(crl) = load_crl(ft, data) {
            let _ = dump_crl(FileType::Text, &crl);
            walk_name(crl.issuer());
            for r in crl.revoked() {
                let _ = (r.serial(), r.reason(), r.rev_date());
            }
        }
        if let Ok(p) = load_pkcs7_data(ft, data) {
            for c in p.certificates().unwrap_or(&[]) {
                walk_cert(c);
            }
        }
    }
    if pkcs12 {
        if let Ok(p) = load_pkcs12(data, password)
            && let Some(c) = p.certificate()
        {
            walk_cert(c);
        }
    } else {
        let _ = load_pkcs12(data, None);
    }
    if let Ok(s) = NetscapeSpki::from_b64(data) {
        let _ = s.pubkey();
        let _ = s.signature_algorithm();
    }
    if let Ok(n) = X509Name::from_der(data) {
        walk_name(&n);
    }
}

thread_local! {
    /// Where the last panic inside `check` happened (set by the hook).
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A panic hook that, on threads inside `check`, records the panic's
/// message and location instead of printing it; other panics (the final
/// assertion) go to the default hook.
fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let recorded = LAST_PANIC.with(|p| {
                let mut p = p.borrow_mut();
                if p.is_some() {
                    *p = Some(info.to_string());
                    true
                } else {
                    false
                }
            });
            if !recorded {
                default(info);
            }
        }));
    });
}

fn check(what: String, data: &[u8], password: Option<&[u8]>, pkcs12: bool, bad: &mut Vec<String>) {
    LAST_PANIC.with(|p| *p.borrow_mut() = Some(String::new()));
    let r = catch_unwind(AssertUnwindSafe(|| exercise(data, password, pkcs12)));
    let msg = LAST_PANIC
        .with(|p| p.borrow_mut().take())
        .unwrap_or_default();
    if r.is_err() {
        bad.push(format!("{what}: {msg}"));
    }
}

/// Truncations and mutations of the vector files under `dir`.
fn run_dir(dir: &str) {
    let exp = expected();
    let mut files: Vec<String> = std::fs::read_dir(vector_path(dir))
        .unwrap()
        .map(|e| format!("{dir}/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    files.sort();
    // Panics are reported once, at the end, with the input that caused them.
    install_hook();
    let mut bad = Vec::new();
    for path in &files {
        let data = read_vector(path);
        let password = exp["files"][path.as_str()]["password_hex"]
            .as_str()
            .map(unhex);
        let pw = password.as_deref();
        let pkcs12 = path.ends_with(".p12");
        // Inputs that reach a slow key derivation are mutated fewer times.
        let slow =
            pkcs12 || (pw.is_some() && !path.contains(".pkcs8.") && !path.contains(".trad."));
        let mut rng = Lcg(data.len() as u64 ^ 0x5eed);
        let trunc_step = if slow { 7 } else { 1 };
        for len in (0..data.len().min(600)).step_by(trunc_step) {
            check(
                format!("{path} truncated to {len}"),
                &data[..len],
                pw,
                pkcs12,
                &mut bad,
            );
        }
        for _ in 0..if slow { 8 } else { 40 } {
            if data.len() <= 600 {
                break;
            }
            let len = 600 + (rng.next() as usize) % (data.len() - 600);
            check(
                format!("{path} truncated to {len}"),
                &data[..len],
                pw,
                pkcs12,
                &mut bad,
            );
        }
        if data.is_empty() {
            continue;
        }
        const BYTES: [u8; 8] = [0x00, 0xff, 0x80, 0x81, 0x84, 0x7f, 0x30, 0x01];
        for i in 0..if slow { 30 } else { 120 } {
            let pos = (rng.next() as usize) % data.len();
            let byte = if i % 2 == 0 {
                BYTES[(rng.next() as usize) % BYTES.len()]
            } else {
                rng.next() as u8
            };
            let mut m = data.clone();
            m[pos] = byte;
            check(
                format!("{path} byte {pos} set to {byte:#04x}"),
                &m,
                pw,
                pkcs12,
                &mut bad,
            );
        }
        // A byte removed or inserted shifts everything after it.
        for i in 0..if slow { 10 } else { 40 } {
            let pos = (rng.next() as usize) % data.len();
            let mut m = data.clone();
            let what = if i % 2 == 0 {
                m.remove(pos);
                format!("{path} byte {pos} removed")
            } else {
                let byte = BYTES[(rng.next() as usize) % BYTES.len()];
                m.insert(pos, byte);
                format!("{path} byte {byte:#04x} inserted at {pos}")
            };
            check(what, &m, pw, pkcs12, &mut bad);
        }
    }
    assert!(
        bad.is_empty(),
        "{} inputs panicked:\n{}",
        bad.len(),
        bad.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn certs() {
    run_dir("certs");
}

#[test]
fn csr() {
    run_dir("csr");
}

#[test]
fn keys() {
    run_dir("keys");
}

#[test]
fn pkcs12() {
    run_dir("pkcs12");
}

#[test]
fn pkcs7() {
    run_dir("pkcs7");
}

#[test]
fn spkac() {
    run_dir("spkac");
}

#[test]
fn crl() {
    run_dir("crl");
}

#[test]
fn bad() {
    run_dir("bad");
}

/// DER TLV with a definite length.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else if n < 0x100 {
        out.extend_from_slice(&[0x81, n as u8]);
    } else {
        out.extend_from_slice(&[0x82, (n >> 8) as u8, n as u8]);
    }
    out.extend_from_slice(content);
    out
}

/// A minimal DER INTEGER for a non-negative value.
fn int(v: u64) -> Vec<u8> {
    let bytes = v.to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count().min(7);
    let mut c = bytes[skip..].to_vec();
    if c[0] & 0x80 != 0 {
        c.insert(0, 0);
    }
    tlv(0x02, &c)
}

const OID_PBES2: [u8; 11] = [
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d,
];
const OID_PBKDF2: [u8; 11] = [
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c,
];
const OID_SCRYPT: [u8; 11] = [
    0x06, 0x09, 0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x04, 0x0b,
];
const OID_AES256_CBC: [u8; 11] = [
    0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a,
];

/// PBES2 AlgorithmIdentifier with the given KDF (OID + parameters).
fn pbes2(kdf_oid: &[u8], kdf_params: &[u8]) -> Vec<u8> {
    let kdf = tlv(0x30, &[kdf_oid, kdf_params].concat());
    let enc = tlv(0x30, &[&OID_AES256_CBC[..], &tlv(0x04, &[7; 16])].concat());
    tlv(
        0x30,
        &[&OID_PBES2[..], &tlv(0x30, &[kdf, enc].concat())].concat(),
    )
}

fn scrypt(n: u64, r: u64, p: u64) -> Vec<u8> {
    pbes2(
        &OID_SCRYPT,
        &tlv(0x30, &[tlv(0x04, &[1; 8]), int(n), int(r), int(p)].concat()),
    )
}

fn pbkdf2(iterations: u64) -> Vec<u8> {
    pbes2(
        &OID_PBKDF2,
        &tlv(0x30, &[tlv(0x04, &[1; 8]), int(iterations)].concat()),
    )
}

/// EncryptedPrivateKeyInfo with algorithm `alg` and 32 bytes of ciphertext.
fn epki(alg: &[u8]) -> Vec<u8> {
    tlv(0x30, &[alg, &tlv(0x04, &[9; 32])].concat())
}

/// A PFX without MAC holding one pkcs8ShroudedKeyBag encrypted with `alg`.
fn pfx_with_key(alg: &[u8]) -> Vec<u8> {
    const OID_DATA: [u8; 11] = [
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01,
    ];
    const OID_SHROUDED: [u8; 13] = [
        0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x02,
    ];
    let data_ci = |content: &[u8]| {
        tlv(
            0x30,
            &[&OID_DATA[..], &tlv(0xa0, &tlv(0x04, content))].concat(),
        )
    };
    let bag = tlv(0x30, &[&OID_SHROUDED[..], &tlv(0xa0, &epki(alg))].concat());
    let safe = data_ci(&tlv(0x30, &bag));
    let auth = data_ci(&tlv(0x30, &safe));
    tlv(0x30, &[int(3), auth].concat())
}

/// Hostile key-derivation parameters: each must be refused quickly, with an
/// error, in PKCS#8 and in PKCS#12. scrypt with N = 0 used to panic inside
/// the pkcs5 crate; huge PBKDF2 iteration counts and scrypt `p` values used
/// to run for minutes (pkcs5 only caps them when writing).
#[test]
fn hostile_kdf_parameters() {
    let cases = [
        ("scrypt N=0", scrypt(0, 8, 1)),
        ("scrypt N=3", scrypt(3, 8, 1)),
        ("scrypt r=0", scrypt(16384, 0, 1)),
        ("scrypt 1 GiB", scrypt(1 << 20, 8, 1)),
        ("scrypt p=65535", scrypt(16384, 8, 65535)),
        ("PBKDF2 2^32-1 iterations", pbkdf2(u64::from(u32::MAX))),
        ("PBKDF2 100000001 iterations", pbkdf2(100_000_001)),
    ];
    // Control: sane parameters reach the decryption (and fail there).
    for alg in [scrypt(1024, 8, 1), pbkdf2(1000)] {
        let e = load_pkcs12(&pfx_with_key(&alg), None).err();
        assert!(matches!(e, Some(Error::BadDecrypt)), "{e:?}");
        let e = load_privatekey(FileType::Asn1, &epki(&alg), Some("pw".into())).err();
        assert!(matches!(e, Some(Error::BadDecrypt)), "{e:?}");
    }
    for (what, alg) in &cases {
        let start = std::time::Instant::now();
        let key = epki(alg);
        let r = catch_unwind(|| load_privatekey(FileType::Asn1, &key, Some("pw".into())));
        assert!(matches!(r, Ok(Err(_))), "PKCS#8 {what}: {r:?}");
        let p12 = pfx_with_key(alg);
        let r = catch_unwind(|| load_pkcs12(&p12, None));
        assert!(
            matches!(r, Ok(Err(_))),
            "PKCS#12 {what}: {:?}",
            r.map(|r| r.err())
        );
        let t = start.elapsed();
        assert!(t.as_secs() < 5, "{what} took {t:?}");
    }
}

/// DSA numbers wider than p (a mutated leading zero of p, or a y/g longer
/// than p) reached crypto-bigint's Montgomery form at mismatched precision
/// and panicked on its debug assertion; they are now key errors.
#[test]
fn dsa_component_precision() {
    let cases: [(&str, usize, u8); 4] = [
        ("keys/dsa2048.trad.der", 11, 0x01),
        ("keys/dsa2048.trad.der", 516, 0x84),
        ("keys/dsa2048.pub.der", 108, 0x84),
        ("keys/dsa2048.pub.der", 440, 0x1b),
    ];
    for (path, pos, byte) in cases {
        let mut d = read_vector(path);
        d[pos] = byte;
        let r = catch_unwind(|| {
            (
                load_privatekey(FileType::Asn1, &d, None).err(),
                load_publickey(FileType::Asn1, &d).err(),
            )
        });
        let (a, b) = r.unwrap_or_else(|_| panic!("{path} byte {pos} = {byte:#04x} panicked"));
        assert!(a.is_some() || b.is_some(), "{path} byte {pos}: {a:?} {b:?}");
    }
    let mut cert = read_vector("certs/dsa.der");
    cert[903] = 0x52;
    let r = catch_unwind(|| load_certificate(FileType::Asn1, &cert).map(|c| c.pubkey().err()));
    assert!(r.is_ok(), "certs/dsa.der byte 903 = 0x52 panicked");
}
