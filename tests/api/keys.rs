//! Key I/O against the interop vectors and the openssl CLI.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use puressl::crypto::{self, Error, FileType, KeyType, PKey, Passphrase};

use crate::support::tools;
use crate::support::vectors;
use tools::inspect_json;
use vectors::{read_vector, sha256_hex, unhex};

const VEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors");
const KEYS: [&str; 6] = [
    "rsa1024", "rsa2048", "dsa2048", "ec-p256", "ec-p384", "ed25519",
];

fn expected() -> &'static serde_json::Value {
    static E: OnceLock<serde_json::Value> = OnceLock::new();
    E.get_or_init(|| {
        let text = std::fs::read_to_string(format!("{VEC}/expected.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    })
}

fn filetype(path: &str) -> FileType {
    if path.ends_with(".der") {
        FileType::Asn1
    } else {
        FileType::Pem
    }
}

/// A scratch directory for this test binary, removed when the process ends
/// normally (names are unique per test).
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("puressl-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Runs openssl with `args`, feeding `input`; returns stdout, panics with
/// stderr on failure.
fn openssl(args: &[&str], input: &[u8]) -> Vec<u8> {
    let mut child = Command::new("openssl")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("openssl CLI");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn vector_key(name: &str) -> PKey {
    crypto::load_privatekey(
        FileType::Pem,
        &read_vector(&format!("keys/{name}.pkcs8.pem")),
        None,
    )
    .unwrap()
}

#[test]
fn every_vector_key_loads_with_its_recorded_values() {
    let files = expected()["files"].as_object().unwrap();
    let mut seen = 0;
    for (path, e) in files {
        let kind = e["kind"].as_str().unwrap();
        if kind != "private_key" && kind != "public_key" {
            continue;
        }
        seen += 1;
        let data = read_vector(path);
        let ft = filetype(path);
        let password = e["password_hex"].as_str().map(unhex);
        let key = if kind == "private_key" {
            crypto::load_privatekey(ft, &data, password.clone().map(Passphrase::from))
        } else {
            crypto::load_publickey(ft, &data)
        }
        .unwrap_or_else(|err| panic!("{path}: {err}"));
        assert_eq!(key.key_type().name(), e["type"], "{path}");
        assert_eq!(i64::from(key.id()), e["type_id"], "{path}");
        assert_eq!(i64::from(key.bits()), e["bits"], "{path}");
        let spki = crypto::dump_publickey(FileType::Asn1, &key).unwrap();
        assert_eq!(sha256_hex(&spki), e["spki_sha256"], "{path}");
        if e.get("rsa_n_sha256").is_some() {
            assert_eq!(
                sha256_hex(&key.rsa_modulus().unwrap()),
                e["rsa_n_sha256"],
                "{path}"
            );
            let ex = key
                .rsa_exponent()
                .unwrap()
                .iter()
                .fold(0u64, |a, b| (a << 8) | u64::from(*b));
            assert_eq!(ex, e["rsa_e"], "{path}");
        }
        match e.get("curve") {
            Some(c) => assert_eq!(key.curve().unwrap().short_name(), c, "{path}"),
            None => assert_eq!(key.curve(), None),
        }
        if kind == "private_key" {
            assert!(key.is_private());
            match &e["check"] {
                serde_json::Value::Bool(true) => key.check().unwrap(),
                _ => assert!(
                    matches!(key.check(), Err(Error::KeyTypeMismatch(_))),
                    "{path}"
                ),
            }
        }
        if let Some(pw) = password {
            // No passphrase: an error, no prompt. Wrong passphrase: bad decrypt.
            assert!(
                matches!(
                    crypto::load_privatekey(ft, &data, None),
                    Err(Error::PassphraseRequired)
                ),
                "{path}"
            );
            let mut wrong = pw.clone();
            wrong.push(b'!');
            assert!(
                matches!(
                    crypto::load_privatekey(ft, &data, Some(wrong.into())),
                    Err(Error::BadDecrypt)
                ),
                "{path}"
            );
        }
    }
    assert!(seen >= 60, "{seen}");
}

#[test]
fn every_bad_vector_is_an_error_for_the_key_loaders() {
    let files = expected()["files"].as_object().unwrap();
    for (path, e) in files.iter().filter(|(_, e)| e["kind"] == "bad") {
        let data = read_vector(path);
        for ld in e["loads"].as_array().unwrap() {
            let ft = if ld["filetype"] == "FILETYPE_PEM" {
                FileType::Pem
            } else {
                FileType::Asn1
            };
            match ld["function"].as_str().unwrap() {
                "load_privatekey" => {
                    let r = crypto::load_privatekey(ft, &data, Some("pw".into()));
                    assert!(r.is_err(), "{path}");
                }
                "load_publickey" => assert!(crypto::load_publickey(ft, &data).is_err(), "{path}"),
                _ => {}
            }
        }
        // Whatever the file is, no key loader panics on it.
        for ft in [FileType::Pem, FileType::Asn1] {
            let _ = crypto::load_privatekey(ft, &data, None);
            let _ = crypto::load_publickey(ft, &data);
        }
    }
    let truncated =
        crypto::load_privatekey(FileType::Pem, &read_vector("bad/truncated_key.pem"), None);
    assert!(
        matches!(truncated, Err(Error::Pem(_)) | Err(Error::Der(_))),
        "{truncated:?}"
    );
    assert!(matches!(
        crypto::load_privatekey(FileType::Pem, b"", None),
        Err(Error::NoPemBlock { .. })
    ));
    assert!(matches!(
        crypto::load_privatekey(FileType::Pem, &read_vector("certs/ca_rsa.pem"), None),
        Err(Error::WrongPemLabel { found, .. }) if found == "CERTIFICATE"
    ));
    let mut trailing = read_vector("keys/ec-p256.trad.der");
    trailing.push(0);
    assert!(crypto::load_privatekey(FileType::Asn1, &trailing, None).is_err());
    // DER-parsing PEM bytes is an error.
    assert!(crypto::load_publickey(FileType::Asn1, &read_vector("keys/ec-p256.pub.pem")).is_err());
    assert!(crypto::load_privatekey(FileType::Text, b"x", None).is_err());
}

/// Keys to write: the vector keys plus generated P-521 and RSA-512 keys.
fn write_keys() -> &'static Vec<(String, PKey)> {
    static K: OnceLock<Vec<(String, PKey)>> = OnceLock::new();
    K.get_or_init(|| {
        let mut v: Vec<(String, PKey)> = KEYS
            .iter()
            .map(|n| (n.to_string(), vector_key(n)))
            .collect();
        v.push((
            "gen-p521".into(),
            PKey::generate_key(KeyType::Ec, 521).unwrap(),
        ));
        v.push((
            "gen-rsa512".into(),
            PKey::generate_key(KeyType::Rsa, 512).unwrap(),
        ));
        v
    })
}

#[test]
fn unencrypted_output_equals_openssl_bytes() {
    for (name, key) in write_keys() {
        let pem = crypto::dump_privatekey(FileType::Pem, key, None).unwrap();
        let der = crypto::dump_privatekey(FileType::Asn1, key, None).unwrap();
        let trad = crypto::dump_privatekey_traditional(key, None).unwrap();
        let pubpem = crypto::dump_publickey(FileType::Pem, key).unwrap();
        // openssl re-encodes our own output identically.
        assert_eq!(openssl(&["pkey"], &pem), *pem, "{name}");
        assert_eq!(openssl(&["pkey", "-outform", "DER"], &pem), *der, "{name}");
        if name != "ed25519" {
            // (openssl has no traditional form for Ed25519; we write PKCS#8.)
            assert_eq!(openssl(&["pkey", "-traditional"], &pem), *trad, "{name}");
        } else {
            assert_eq!(*trad, *pem);
        }
        assert_eq!(openssl(&["pkey", "-pubout"], &pem), pubpem, "{name}");
        if KEYS.contains(&name.as_str()) {
            // And equals the vector files openssl wrote.
            assert_eq!(
                *pem,
                read_vector(&format!("keys/{name}.pkcs8.pem")),
                "{name}"
            );
            assert_eq!(
                *der,
                read_vector(&format!("keys/{name}.pkcs8.der")),
                "{name}"
            );
            assert_eq!(
                pubpem,
                read_vector(&format!("keys/{name}.pub.pem")),
                "{name}"
            );
            if name != "ed25519" {
                assert_eq!(
                    *trad,
                    read_vector(&format!("keys/{name}.trad.pem")),
                    "{name}"
                );
            }
        }
        let back = crypto::load_privatekey(FileType::Asn1, &der, None).unwrap();
        assert_eq!(back, *key);
        let public = crypto::load_publickey(FileType::Pem, &pubpem).unwrap();
        assert_eq!(
            crypto::dump_publickey(FileType::Pem, &public).unwrap(),
            pubpem
        );
    }
    let rsapub =
        crypto::load_publickey(FileType::Pem, &read_vector("keys/rsa2048.rsapub.pem")).unwrap();
    assert_eq!(rsapub, vector_key("rsa2048"));
}

const CIPHERS: [&str; 5] = [
    "aes-128-cbc",
    "aes-192-cbc",
    "aes-256-cbc",
    "des-ede3-cbc",
    "des-cbc",
];

#[test]
fn encrypted_output_is_read_by_openssl_with_the_same_public_key() {
    let pw = "pässword 1";
    for (name, key) in write_keys() {
        let spki = crypto::dump_publickey(FileType::Asn1, key).unwrap();
        for cipher in CIPHERS {
            let pkcs8 =
                crypto::dump_privatekey(FileType::Pem, key, Some((cipher, pw.into()))).unwrap();
            assert!(pkcs8.starts_with(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
            let mut outs = vec![pkcs8];
            if name != "ed25519" {
                let legacy =
                    crypto::dump_privatekey_traditional(key, Some((cipher, pw.into()))).unwrap();
                assert!(String::from_utf8_lossy(&legacy).contains("DEK-Info: "));
                outs.push(legacy);
            }
            for out in outs {
                let path = scratch(&format!("{name}-{cipher}.pem"));
                std::fs::write(&path, &*out).unwrap();
                let got = openssl_public_der(&path, pw);
                assert_eq!(got, spki, "{name} {cipher}");
                let back = crypto::load_privatekey(FileType::Pem, &out, Some(pw.into())).unwrap();
                assert_eq!(back, *key);
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

/// The DER public key `openssl pkey` (with the legacy provider) reads from
/// the encrypted key file `path`.
fn openssl_public_der(path: &std::path::Path, pass: &str) -> Vec<u8> {
    openssl(
        &[
            "pkey",
            "-provider",
            "legacy",
            "-provider",
            "default",
            "-in",
            path.to_str().unwrap(),
            "-passin",
            &format!("pass:{pass}"),
            "-pubout",
            "-outform",
            "DER",
        ],
        b"",
    )
}

#[test]
fn legacy_pem_with_older_ciphers_is_read_by_openssl() {
    let key = vector_key("rsa1024");
    let spki = crypto::dump_publickey(FileType::Asn1, &key).unwrap();
    for cipher in ["des-ede-cbc", "rc2-cbc", "rc2-64-cbc", "rc2-40-cbc"] {
        let out = crypto::dump_privatekey_traditional(&key, Some((cipher, "pw".into()))).unwrap();
        let path = scratch(&format!("legacy-{cipher}.pem"));
        std::fs::write(&path, &*out).unwrap();
        let got = openssl_public_der(&path, "pw");
        assert_eq!(got, spki, "{cipher}");
        assert_eq!(
            crypto::load_privatekey(FileType::Pem, &out, Some("pw".into())).unwrap(),
            key
        );
        let _ = std::fs::remove_file(&path);
        // PBES2 is only written with AES, DES-EDE3 and DES.
        assert!(matches!(
            crypto::dump_privatekey(FileType::Pem, &key, Some((cipher, "pw".into()))),
            Err(Error::UnsupportedAlgorithm { .. })
        ));
    }
}

#[test]
fn openssl_encrypted_keys_load() {
    // Files openssl writes with ciphers the vectors do not cover.
    let src = format!("{VEC}/keys/ec-p256.trad.pem");
    let key = vector_key("ec-p256");
    for cipher in ["-aes128", "-aes192", "-des"] {
        let out = openssl(
            &[
                "ec",
                "-provider",
                "legacy",
                "-provider",
                "default",
                "-in",
                &src,
                cipher,
                "-passout",
                "pass:pw",
            ],
            b"",
        );
        let got = crypto::load_privatekey(FileType::Pem, &out, Some("pw".into())).unwrap();
        assert_eq!(got, key, "{cipher}");
    }
    for (v2, prf) in [
        ("aes-128-cbc", "hmacWithSHA1"),
        ("des3", "hmacWithSHA512"),
        ("aes-192-cbc", "hmacWithSHA256"),
    ] {
        let out = openssl(
            &[
                "pkcs8", "-topk8", "-in", &src, "-v2", v2, "-v2prf", prf, "-passout", "pass:pw",
            ],
            b"",
        );
        let got = crypto::load_privatekey(FileType::Pem, &out, Some("pw".into())).unwrap();
        assert_eq!(got, key, "{v2} {prf}");
    }
    // PKCS#12-style PBE written by openssl in DER.
    let out = openssl(
        &[
            "pkcs8",
            "-topk8",
            "-in",
            &src,
            "-v1",
            "PBE-SHA1-3DES",
            "-outform",
            "DER",
            "-passout",
            "pass:pw",
        ],
        b"",
    );
    let got = crypto::load_privatekey(FileType::Asn1, &out, Some("pw".into())).unwrap();
    assert_eq!(got, key);
}

#[test]
fn key_types_puressl_does_not_have_are_errors() {
    for alg in ["X25519", "ED448", "X448", "RSA-PSS"] {
        let pem = openssl(&["genpkey", "-algorithm", alg], b"");
        let r = crypto::load_privatekey(FileType::Pem, &pem, None);
        assert!(
            matches!(r, Err(Error::UnsupportedAlgorithm { .. })),
            "{alg}: {r:?}"
        );
        let public = openssl(&["pkey", "-pubout"], &pem);
        let r = crypto::load_publickey(FileType::Pem, &public);
        assert!(
            matches!(r, Err(Error::UnsupportedAlgorithm { .. })),
            "{alg}: {r:?}"
        );
    }
    // An EC key on a curve puressl lacks, and one with explicit parameters.
    let k1 = openssl(
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:secp256k1",
        ],
        b"",
    );
    assert!(matches!(
        crypto::load_privatekey(FileType::Pem, &k1, None),
        Err(Error::UnsupportedAlgorithm { .. })
    ));
    let explicit = openssl(
        &[
            "ec",
            "-param_enc",
            "explicit",
            "-in",
            &format!("{VEC}/keys/ec-p256.trad.pem"),
        ],
        b"",
    );
    // The decoder's error is the source, not part of the text.
    let explicit_error = |r: Result<PKey, Error>| {
        let e = r.unwrap_err();
        assert!(
            matches!(&e, Error::UnsupportedAlgorithm { algorithm, source: Some(_) }
                if algorithm == "EC key with explicit (not named) curve parameters"),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            "unsupported algorithm: EC key with explicit (not named) curve parameters"
        );
        std::error::Error::source(&e).unwrap().to_string()
    };
    let cause = explicit_error(crypto::load_privatekey(FileType::Pem, &explicit, None));
    assert!(!cause.is_empty());
    let pkcs8 = openssl(&["pkcs8", "-topk8", "-nocrypt"], &explicit);
    let cause = explicit_error(crypto::load_privatekey(FileType::Pem, &pkcs8, None));
    assert!(!cause.is_empty());
    // A SEC1 key without its public key loads (the public key is derived).
    let no_public = openssl(
        &[
            "ec",
            "-no_public",
            "-in",
            &format!("{VEC}/keys/ec-p256.trad.pem"),
        ],
        b"",
    );
    assert_eq!(
        crypto::load_privatekey(FileType::Pem, &no_public, None).unwrap(),
        vector_key("ec-p256")
    );
}

#[test]
fn hostile_encryption_parameters_are_refused() {
    // The scrypt vector with r = 127: 266 MB of memory, over the 32 MiB limit.
    let e = &expected()["files"]["keys/ec-p256.pkcs8-scrypt.pem"];
    let pw = unhex(e["password_hex"].as_str().unwrap());
    let pem = read_vector("keys/ec-p256.pkcs8-scrypt.pem");
    let body: String = String::from_utf8(pem)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let mut der = openssl(&["base64", "-d", "-A"], body.as_bytes());
    assert_eq!(der[47..50], [0x02, 0x01, 0x08]);
    der[49] = 0x7f;
    let r = crypto::load_privatekey(FileType::Asn1, &der, Some(pw.clone().into()));
    assert!(matches!(r, Err(Error::LimitExceeded { .. })), "{r:?}");
    der[49] = 0x08;
    assert_eq!(
        crypto::load_privatekey(FileType::Asn1, &der, Some(pw.into())).unwrap(),
        vector_key("ec-p256")
    );
}

#[test]
fn dump_errors() {
    let rsa = vector_key("rsa1024");
    let dsa = vector_key("dsa2048");
    assert!(matches!(
        crypto::dump_privatekey(FileType::Pem, &rsa, Some(("blowfish-xyz", "pw".into()))),
        Err(Error::UnknownCipher(c)) if c == "blowfish-xyz"
    ));
    assert!(matches!(
        crypto::dump_privatekey(FileType::Asn1, &rsa, Some(("aes-256-cbc", "pw".into()))),
        Err(Error::UnsupportedFileType {
            file_type: FileType::Asn1,
            ..
        })
    ));
    assert!(matches!(
        crypto::dump_privatekey(FileType::Text, &dsa, None),
        Err(Error::KeyTypeMismatch(_))
    ));
    assert!(matches!(
        crypto::dump_privatekey(FileType::Pem, &rsa.public_key(), None),
        Err(Error::PublicKeyOnly)
    ));
    let e = crypto::dump_publickey(FileType::Text, &rsa).unwrap_err();
    assert!(
        matches!(
            e,
            Error::UnsupportedFileType {
                operation: "dump_publickey",
                file_type: FileType::Text
            }
        ),
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "dump_publickey does not support FILETYPE_TEXT (only FILETYPE_PEM and FILETYPE_ASN1)"
    );
    assert!(matches!(
        rsa.public_key().check(),
        Err(Error::PublicKeyOnly)
    ));
    assert!(matches!(dsa.check(), Err(Error::KeyTypeMismatch(_))));
    assert!(matches!(
        crypto::dump_privatekey_traditional(
            &vector_key("ed25519"),
            Some(("aes-128-cbc", "pw".into()))
        ),
        Err(Error::UnsupportedAlgorithm { .. })
    ));
    assert!(matches!(
        PKey::generate_key(KeyType::Dsa, 4096),
        Err(Error::OutOfRange {
            what: "DSA key size",
            value: 4096,
            ..
        })
    ));
    assert!(matches!(
        PKey::generate_key(KeyType::Rsa, 0),
        Err(Error::OutOfRange {
            what: "RSA key size",
            value: 0,
            ..
        })
    ));
}

#[test]
fn rsa_text_equals_openssl_rsa_text() {
    for name in ["rsa1024", "rsa2048"] {
        let key = vector_key(name);
        let ours = crypto::dump_privatekey(FileType::Text, &key, None).unwrap();
        let theirs = openssl(
            &[
                "rsa",
                "-text",
                "-noout",
                "-in",
                &format!("{VEC}/keys/{name}.trad.pem"),
            ],
            b"",
        );
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs),
            "{name}"
        );
    }
}

#[test]
fn passphrase_callback_semantics() {
    let key = vector_key("ec-p256");
    let mut calls = Vec::new();
    let pem = crypto::dump_privatekey(
        FileType::Pem,
        &key,
        Some((
            "aes-256-cbc",
            Passphrase::from_callback(|w| {
                calls.push(w);
                b"with\0nul".to_vec()
            }),
        )),
    )
    .unwrap();
    assert_eq!(calls, [true]);
    let mut calls = Vec::new();
    let back = crypto::load_privatekey(
        FileType::Pem,
        &pem,
        Some(Passphrase::from_callback(|w| {
            calls.push(w);
            b"with\0nul".to_vec()
        })),
    )
    .unwrap();
    assert_eq!((calls, back), (vec![false], key.clone()));
    // The NUL is part of the passphrase: the part before it does not work.
    assert!(matches!(
        crypto::load_privatekey(FileType::Pem, &pem, Some(b"with".into())),
        Err(Error::BadDecrypt)
    ));
    // Over 1024 bytes: an error, not truncated. 1024 is fine.
    let long = vec![b'x'; 1025];
    let r = crypto::dump_privatekey(
        FileType::Pem,
        &key,
        Some((
            "aes-128-cbc",
            Passphrase::from_callback(move |_| long.clone()),
        )),
    );
    assert!(matches!(r, Err(Error::PassphraseTooLong { len: 1025 })));
    let r = crypto::load_privatekey(FileType::Pem, &pem, Some(vec![b'x'; 1025].into()));
    assert!(matches!(r, Err(Error::PassphraseTooLong { len: 1025 })));
    let ok = crypto::dump_privatekey(
        FileType::Pem,
        &key,
        Some(("aes-128-cbc", vec![b'y'; 1024].into())),
    )
    .unwrap();
    assert_eq!(
        crypto::load_privatekey(FileType::Pem, &ok, Some(vec![b'y'; 1024].into())).unwrap(),
        key
    );
    // A failing callback's error comes back unchanged.
    let r = crypto::load_privatekey(
        FileType::Pem,
        &pem,
        Some(Passphrase::try_from_callback(|_| {
            Err(Error::InvalidArgument("no tty".into()))
        })),
    );
    assert!(matches!(r, Err(Error::InvalidArgument(m)) if m == "no tty"));
    // A key that is not encrypted never asks.
    let plain = read_vector("keys/ec-p256.pkcs8.pem");
    let r = crypto::load_privatekey(
        FileType::Pem,
        &plain,
        Some(Passphrase::from_callback(|_| panic!("asked"))),
    );
    assert_eq!(r.unwrap(), key);
}

#[test]
fn signatures_interoperate_with_openssl_dgst() {
    let data = b"The quick brown fox jumps over the lazy dog";
    let dir = scratch("sig");
    std::fs::create_dir_all(&dir).unwrap();
    let msg = dir.join("msg.txt");
    std::fs::write(&msg, data).unwrap();
    let msg = msg.to_str().unwrap();
    for (name, key) in write_keys() {
        let pubf = dir.join(format!("{name}.pub.pem"));
        std::fs::write(&pubf, crypto::dump_publickey(FileType::Pem, key).unwrap()).unwrap();
        let privf = dir.join(format!("{name}.key.pem"));
        std::fs::write(
            &privf,
            &*crypto::dump_privatekey(FileType::Pem, key, None).unwrap(),
        )
        .unwrap();
        let (pubf, privf) = (pubf.to_str().unwrap(), privf.to_str().unwrap());
        let digests: &[&str] = match key.key_type() {
            KeyType::Ed25519 => &["sha512"],
            _ if key.bits() == 512 => &["md5", "sha1", "sha224", "sha256"],
            _ => &["md5", "sha1", "sha224", "sha256", "sha384", "sha512"],
        };
        let public = crypto::load_publickey(FileType::Pem, &std::fs::read(pubf).unwrap()).unwrap();
        for md in digests {
            let sig = crypto::sign(key, data, md).unwrap();
            let sigf = dir.join(format!("{name}-{md}.sig"));
            std::fs::write(&sigf, &sig).unwrap();
            let sigf = sigf.to_str().unwrap();
            let theirs = if key.key_type() == KeyType::Ed25519 {
                openssl(
                    &[
                        "pkeyutl", "-verify", "-rawin", "-pubin", "-inkey", pubf, "-sigfile", sigf,
                        "-in", msg,
                    ],
                    b"",
                );
                openssl(
                    &["pkeyutl", "-sign", "-rawin", "-inkey", privf, "-in", msg],
                    b"",
                )
            } else {
                openssl(
                    &[
                        "dgst",
                        &format!("-{md}"),
                        "-verify",
                        pubf,
                        "-signature",
                        sigf,
                        msg,
                    ],
                    b"",
                );
                openssl(&["dgst", &format!("-{md}"), "-sign", privf, msg], b"")
            };
            crypto::verify(&public, &theirs, data, md)
                .unwrap_or_else(|e| panic!("{name} {md}: {e}"));
            assert!(matches!(
                crypto::verify(&public, &theirs, b"other", md),
                Err(Error::BadSignature)
            ));
        }
    }
    let key = vector_key("rsa1024");
    assert!(matches!(
        crypto::sign(&key, data, "sha3-999"),
        Err(Error::UnknownDigest(_))
    ));
    assert!(matches!(
        crypto::sign(&key.public_key(), data, "sha256"),
        Err(Error::PublicKeyOnly)
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn inconsistent_keys_are_errors() {
    use der::{Decode, Encode};
    let der = read_vector("keys/rsa1024.trad.der");
    let good: pkcs1::RsaPrivateKey<der::asn1::UintRef<'_>> =
        pkcs1::RsaPrivateKey::from_der(&der).unwrap();
    static ONE: [u8; 1] = [1];
    let tampered = |f: &dyn Fn(&mut pkcs1::RsaPrivateKey<der::asn1::UintRef<'_>>)| {
        let mut k = good.clone();
        f(&mut k);
        k.to_der().unwrap()
    };
    let cases: Vec<Vec<u8>> = vec![
        tampered(&|k| k.private_exponent = der::asn1::UintRef::new(&ONE).unwrap()),
        tampered(&|k| k.coefficient = der::asn1::UintRef::new(&ONE).unwrap()),
        tampered(&|k| k.exponent1 = der::asn1::UintRef::new(&ONE).unwrap()),
        tampered(&|k| k.prime1 = der::asn1::UintRef::new(&[3]).unwrap()),
        tampered(&|k| std::mem::swap(&mut k.prime1, &mut k.public_exponent)),
    ];
    for (i, bad) in cases.iter().enumerate() {
        let r = crypto::load_privatekey(FileType::Asn1, bad, None);
        assert!(
            matches!(r, Err(Error::InvalidKey { .. })),
            "case {i}: {r:?}"
        );
    }
    // An EC key whose embedded public key is not its own.
    let mut sec1 = read_vector("keys/ec-p256.trad.der");
    let other =
        crypto::load_publickey(FileType::Asn1, &read_vector("keys/ec-p256.pub.der")).unwrap();
    assert_eq!(other, vector_key("ec-p256"));
    let n = sec1.len();
    sec1[n - 1] ^= 1; // last byte of the point: now off the curve or another point
    assert!(matches!(
        crypto::load_privatekey(FileType::Asn1, &sec1, None),
        Err(Error::InvalidKey { .. })
    ));
    // Broken PEM armour around a good key.
    let pem = String::from_utf8(read_vector("keys/rsa1024.pkcs8.pem")).unwrap();
    let bad_b64 = pem.replacen("MII", "M*I", 1);
    assert!(matches!(
        crypto::load_privatekey(FileType::Pem, bad_b64.as_bytes(), None),
        Err(Error::Pem(_))
    ));
    let no_end = &pem[..pem.len() - 30];
    assert!(matches!(
        crypto::load_privatekey(FileType::Pem, no_end.as_bytes(), None),
        Err(Error::Pem(_))
    ));
    let lines: Vec<&str> = pem.lines().collect();
    let short_body = format!("{}\n{}\n{}\n", lines[0], lines[1], lines[lines.len() - 1]);
    assert!(matches!(
        crypto::load_privatekey(FileType::Pem, short_body.as_bytes(), None),
        Err(Error::Der(_))
    ));
}

/// The example binary next to this test binary.
fn inspect_binary() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?.parent()?;
    let bin = dir.join("examples").join("inspect");
    bin.exists().then_some(bin)
}

#[test]
fn inspect_example_agrees_with_expected_json() {
    let Some(bin) = inspect_binary() else {
        panic!("examples/inspect is not built: `cargo test` builds it (`cargo test --test api keys::` alone does not; run `cargo build --example inspect` first)");
    };
    let files = expected()["files"].as_object().unwrap();
    let fields = [
        "type",
        "type_id",
        "bits",
        "spki_sha256",
        "rsa_e",
        "rsa_n_sha256",
        "curve",
    ];
    for (path, e) in files {
        let kind = e["kind"].as_str().unwrap();
        if kind != "private_key" && kind != "public_key" {
            continue;
        }
        let mut args = vec!["--kind", kind];
        if let Some(h) = e["password_hex"].as_str() {
            args.extend(["--password-hex", h]);
        }
        let got = inspect_json(&bin, &args, path);
        for f in fields {
            assert_eq!(got.get(f), e.get(f), "{path} {f}");
        }
        if kind == "private_key" {
            let want = if e["check"] == true {
                serde_json::json!(true)
            } else {
                serde_json::Value::Null
            };
            assert_eq!(got["check"], want, "{path}");
        }
    }
    // A file that does not load: exit status 1, one line on stderr.
    let out = Command::new(&bin)
        .args([
            "--kind",
            "private_key",
            Path::new(VEC).join("bad/garbage.bin").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
}

#[test]
fn mutated_and_truncated_keys_never_panic() {
    let files = [
        "keys/ec-p256.trad.der",
        "keys/ec-p256.pub.der",
        "keys/ed25519.pkcs8.der",
        "keys/ed25519.pub.der",
        "keys/rsa1024.pub.der",
    ];
    let mut loads = 0;
    for path in files {
        let good = read_vector(path);
        for cut in 0..good.len() {
            let _ = crypto::load_privatekey(FileType::Asn1, &good[..cut], None);
            let _ = crypto::load_publickey(FileType::Asn1, &good[..cut]);
            loads += 2;
        }
        for i in 0..good.len() {
            for v in [0x00, 0x80, 0xff, good[i] ^ 0x01] {
                let mut bad = good.clone();
                bad[i] = v;
                let _ = crypto::load_privatekey(FileType::Asn1, &bad, Some("pw".into()));
                let _ = crypto::load_publickey(FileType::Asn1, &bad);
                loads += 2;
            }
        }
    }
    // PEM armour: cut anywhere.
    let pem = read_vector("keys/rsa1024.des3.pem");
    for cut in (0..pem.len()).step_by(7) {
        let _ = crypto::load_privatekey(FileType::Pem, &pem[..cut], Some("x".into()));
        loads += 1;
    }
    assert!(loads > 2000, "{loads}");
}
