//! PKCS#12: every vector gives the values in expected.json; files we write
//! are read by `openssl pkcs12 -info` with the same key, certificates and
//! friendly names; load → export → load round trips.

use std::process::Command;

use puressl::crypto::{
    dump_certificate, load_certificate, load_pkcs12, Error, FileType, KeyType, PKey, Pkcs12,
    Pkcs12Format, X509,
};
use serde_json::Value;

use crate::support::tools;
use crate::support::vectors;
use tools::*;
use vectors::*;

fn cert_hash(c: &X509) -> String {
    sha256_hex(&dump_certificate(FileType::Asn1, c).unwrap())
}

fn key_hash(k: &PKey) -> String {
    sha256_hex(&k.public_key_to_der().unwrap())
}

fn password_of(f: &Value) -> Vec<u8> {
    unhex(f["password_hex"].as_str().unwrap())
}

fn check(path: &str, p: &Pkcs12, f: &Value) {
    match f["certificate"].as_object() {
        Some(c) => assert_eq!(
            cert_hash(p.certificate().unwrap()),
            c["der_sha256"].as_str().unwrap(),
            "{path} certificate"
        ),
        None => assert!(p.certificate().is_none(), "{path}: no certificate"),
    }
    match f["privatekey"].as_object() {
        Some(k) => {
            let key = p.privatekey().unwrap();
            assert!(key.is_private());
            assert_eq!(
                key_hash(key),
                k["spki_sha256"].as_str().unwrap(),
                "{path} key"
            );
            assert_eq!(key.key_type().name(), k["type"].as_str().unwrap());
            assert_eq!(u64::from(key.bits()), k["bits"].as_u64().unwrap());
        }
        None => assert!(p.privatekey().is_none(), "{path}: no key"),
    }
    match f["ca_certificates"].as_array() {
        Some(list) => {
            let got: Vec<String> = p.ca_certificates().unwrap().iter().map(cert_hash).collect();
            let want: Vec<&str> = list
                .iter()
                .map(|c| c["der_sha256"].as_str().unwrap())
                .collect();
            assert_eq!(got, want, "{path} ca_certificates");
        }
        None => assert!(p.ca_certificates().is_none(), "{path}: no CA list"),
    }
    match f["friendlyname_hex"].as_str() {
        Some(h) => assert_eq!(
            p.friendly_name(),
            Some(&unhex(h)[..]),
            "{path} friendly name"
        ),
        None => assert_eq!(p.friendly_name(), None, "{path}: no friendly name"),
    }
}

#[test]
fn every_pkcs12_vector() {
    let exp = expected();
    let entries = entries_of_kind(&exp, "pkcs12");
    assert_eq!(entries.len(), 6);
    for (path, f) in &entries {
        let data = read_vector(path);
        let p = load_pkcs12(&data, Some(&password_of(f))).unwrap_or_else(|e| panic!("{path}: {e}"));
        check(path, &p, f);
        let others = &f["load_with_other_passwords"];
        for (name, pass) in [
            ("wrong", Some(&b"definitely wrong"[..])),
            ("none", None),
            ("empty", Some(&b""[..])),
        ] {
            let got = load_pkcs12(&data, pass);
            let want = others[name].as_str().unwrap();
            assert_eq!(
                got.is_ok(),
                want == "ok",
                "{path} with {name} password: {got:?}"
            );
            if let Ok(p) = got {
                check(path, &p, f);
            }
        }
        if others["wrong"] == "error" && f["password"] != "" {
            // A wrong password is reported as the MAC not verifying.
            let e = load_pkcs12(&data, Some(b"definitely wrong")).unwrap_err();
            assert!(matches!(e, Error::MacVerifyFailure), "{path}: {e}");
            assert!(e.to_string().contains("mac verify failure"));
        }
    }
}

#[test]
fn bad_inputs_say_what_and_where() {
    let e = load_pkcs12(&read_vector("bad/truncated.p12"), Some(b"p12-Default-2024")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid PKCS#12 PFX: length runs past the end of the data at byte offset 0"
    );
    assert!(load_pkcs12(b"", None).is_err());
    assert!(load_pkcs12(&read_vector("bad/garbage.bin"), None).is_err());
    // A certificate is not a PFX.
    let e = load_pkcs12(&read_vector("certs/leaf.der"), None).unwrap_err();
    assert!(e.to_string().starts_with("invalid PKCS#12 PFX"), "{e}");
    // Plain-text file without a MAC, opened with a password.
    let e = load_pkcs12(&read_vector("pkcs12/plain-nomac.p12"), Some(b"x")).unwrap_err();
    assert!(e.to_string().contains("no MAC"), "{e}");
}

/// `openssl pkcs12 -info -nodes` on `der`: (success, stdout+stderr as text, raw stdout).
fn openssl_info(der: &[u8], pass: &[u8], legacy: bool) -> (bool, String, Vec<u8>) {
    let path = tmp_path("out.p12");
    std::fs::write(&path, der).unwrap();
    let mut passin = b"pass:".to_vec();
    passin.extend_from_slice(pass);
    let mut cmd = Command::new("openssl");
    cmd.args(["pkcs12", "-info", "-nodes", "-in"]).arg(&path);
    use std::os::unix::ffi::OsStrExt;
    cmd.arg("-passin").arg(std::ffi::OsStr::from_bytes(&passin));
    if legacy {
        cmd.arg("-legacy");
    }
    let out = cmd.output().unwrap();
    std::fs::remove_file(&path).ok();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text, out.stdout)
}

/// The PEM blocks with `label` in `text`, decoded.
fn pem_blocks(text: &str, label: &str) -> Vec<Vec<u8>> {
    pem::parse_many(text.as_bytes())
        .unwrap()
        .into_iter()
        .filter(|p| p.tag() == label)
        .map(|p| p.into_contents())
        .collect()
}

fn assert_openssl_reads(der: &[u8], pass: &[u8], legacy: bool, p: &Pkcs12, expect: &[&str]) {
    let (ok, text, raw) = openssl_info(der, pass, legacy);
    assert!(ok, "openssl pkcs12 -info failed:\n{text}");
    for e in expect {
        assert!(text.contains(e), "missing {e:?} in:\n{text}");
    }
    // Same certificates, in order: the main one first, then the CAs.
    let mut want: Vec<Vec<u8>> = p
        .certificate()
        .into_iter()
        .chain(p.ca_certificates().unwrap_or(&[]))
        .map(|c| dump_certificate(FileType::Asn1, c).unwrap())
        .collect();
    let got = pem_blocks(&text, "CERTIFICATE");
    assert_eq!(got.len(), want.len());
    // openssl prints the bags in file order: certificate safe first.
    assert_eq!(got, std::mem::take(&mut want));
    // Same key.
    let keys = pem_blocks(&text, "PRIVATE KEY");
    match p.privatekey() {
        Some(k) => {
            assert_eq!(keys.len(), 1);
            let back = PKey::private_key_from_pkcs8_der(&keys[0]).unwrap();
            assert_eq!(&back, k);
        }
        None => assert!(keys.is_empty()),
    }
    // Friendly name on the key bag and the certificate bag, localKeyID on both.
    if let (Some(name), Some(_), Some(_)) = (p.friendly_name(), p.certificate(), p.privatekey()) {
        // OpenSSL 3.0 prints the BMPString's characters as Latin-1 bytes.
        let mut line = b"friendlyName: ".to_vec();
        line.extend(std::str::from_utf8(name).unwrap().chars().map(|c| c as u8));
        let count = raw.windows(line.len()).filter(|w| *w == &line[..]).count();
        assert_eq!(count, 2, "{text}");
        assert_eq!(text.matches("localKeyID:").count(), 2, "{text}");
    }
}

#[test]
fn exports_are_read_by_openssl_and_round_trip() {
    let exp = expected();
    let f = &exp["files"]["pkcs12/default.p12"];
    let p = load_pkcs12(&read_vector("pkcs12/default.p12"), Some(&password_of(f))).unwrap();

    let modern = p.export(Some(b"new pass"), 2048, Some(2048)).unwrap();
    assert_openssl_reads(
        &modern,
        b"new pass",
        false,
        &p,
        &[
            "MAC: sha256, Iteration 2048",
            "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256",
            "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256",
        ],
    );
    check(
        "modern export",
        &load_pkcs12(&modern, Some(b"new pass")).unwrap(),
        f,
    );

    let legacy = p.export_legacy(Some(b"new pass"), 2048, Some(1)).unwrap();
    let legacy_info = [
        "MAC: sha1, Iteration 1",
        "Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048",
        "PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048",
    ];
    assert_openssl_reads(&legacy, b"new pass", true, &p, &legacy_info);
    // 3DES needs no legacy provider: OpenSSL 3 reads pyOpenSSL's form as is.
    assert_openssl_reads(&legacy, b"new pass", false, &p, &legacy_info);
    check(
        "legacy export",
        &load_pkcs12(&legacy, Some(b"new pass")).unwrap(),
        f,
    );

    let rc2 = p
        .export_as(
            Pkcs12Format::OpenSslLegacy,
            Some(b"new pass"),
            1000,
            Some(1000),
        )
        .unwrap();
    assert_openssl_reads(
        &rc2,
        b"new pass",
        true,
        &p,
        &[
            "MAC: sha1, Iteration 1000",
            "PKCS7 Encrypted data: pbeWithSHA1And40BitRC2-CBC, Iteration 1000",
        ],
    );
    check(
        "rc2 export",
        &load_pkcs12(&rc2, Some(b"new pass")).unwrap(),
        f,
    );
}

#[test]
fn non_ascii_password_and_friendly_name() {
    let exp = expected();
    let f = &exp["files"]["pkcs12/utf8pass.p12"];
    let p = load_pkcs12(&read_vector("pkcs12/utf8pass.p12"), Some(&password_of(f))).unwrap();
    assert_eq!(p.friendly_name(), Some("Schlüssel für www".as_bytes()));
    let pass = "Pässwörd-ÄÖÜ €".as_bytes();
    for der in [
        p.export(Some(pass), 100, Some(100)).unwrap(),
        p.export_legacy(Some(pass), 100, Some(1)).unwrap(),
    ] {
        assert_openssl_reads(&der, pass, true, &p, &[]);
        check("utf8 export", &load_pkcs12(&der, Some(pass)).unwrap(), f);
        assert!(matches!(
            load_pkcs12(&der, Some(b"P")),
            Err(Error::MacVerifyFailure)
        ));
    }
}

#[test]
fn no_password_empty_password_and_no_mac() {
    let exp = expected();
    let f = &exp["files"]["pkcs12/nopass.p12"];
    let p = load_pkcs12(&read_vector("pkcs12/nopass.p12"), None).unwrap();
    // Written without a password: opens with None and with b"" (OpenSSL
    // tries both encodings); openssl reads it with an empty -passin.
    for pass in [None, Some(&b""[..])] {
        let der = p.export(pass, 10, Some(10)).unwrap();
        assert_openssl_reads(&der, b"", false, &p, &["MAC: sha256, Iteration 10"]);
        check("nopass", &load_pkcs12(&der, None).unwrap(), f);
        check("nopass", &load_pkcs12(&der, Some(b"")).unwrap(), f);
        assert!(load_pkcs12(&der, Some(b"x")).is_err());
    }
    // Without a MAC (pyOpenSSL maciter=-1): opens only without a password.
    let der = p.export(Some(b""), 10, None).unwrap();
    check("nomac", &load_pkcs12(&der, None).unwrap(), f);
    assert!(load_pkcs12(&der, Some(b"x")).is_err());
}

#[test]
fn building_from_scratch() {
    let key_der = pem::parse(read_vector("keys/leaf-rsa2048.pkcs8.pem")).unwrap();
    let key = PKey::private_key_from_pkcs8_der(key_der.contents()).unwrap();
    let leaf = load_certificate(FileType::Pem, &read_vector("certs/leaf.pem")).unwrap();
    let inter = load_certificate(FileType::Pem, &read_vector("certs/inter_ec.pem")).unwrap();
    let root = load_certificate(FileType::Pem, &read_vector("certs/ca_rsa.pem")).unwrap();

    let mut p = Pkcs12::new();
    assert!(p.export(None, 2048, Some(1)).is_err(), "nothing to export");
    p.set_certificate(Some(leaf.clone()));
    p.set_privatekey(Some(key.clone()));
    p.set_ca_certificates(Some(vec![inter.clone(), root.clone()]));
    p.set_friendly_name(Some(b"Interop Leaf Key"));
    let der = p.export(Some(b"pw"), 2048, Some(2048)).unwrap();
    let back = load_pkcs12(&der, Some(b"pw")).unwrap();
    assert_eq!(back.certificate(), Some(&leaf));
    assert_eq!(back.privatekey(), Some(&key));
    assert_eq!(
        back.ca_certificates(),
        Some(&[inter.clone(), root.clone()][..])
    );
    assert_eq!(back.friendly_name(), Some(&b"Interop Leaf Key"[..]));

    // The certificate is found by its key even when CAs come first.
    let mut q = Pkcs12::new();
    q.set_privatekey(Some(key.clone()));
    q.set_ca_certificates(Some(vec![inter.clone(), leaf.clone()]));
    let back = load_pkcs12(&q.export(None, 1, Some(1)).unwrap(), None).unwrap();
    assert_eq!(back.certificate(), Some(&leaf));
    assert_eq!(back.ca_certificates(), Some(&[inter.clone()][..]));

    // Certificates only (like -nokeys): no certificate, all CAs.
    let mut c = Pkcs12::new();
    c.set_ca_certificates(Some(vec![leaf.clone(), inter.clone()]));
    let back = load_pkcs12(&c.export(Some(b"c"), 1, Some(1)).unwrap(), Some(b"c")).unwrap();
    assert!(back.certificate().is_none() && back.privatekey().is_none());
    assert_eq!(back.ca_certificates().map(<[X509]>::len), Some(2));

    // Mismatched key, public-only key, bad friendly names, zero iterations.
    let mut bad = p.clone();
    bad.set_privatekey(Some(PKey::generate_key(KeyType::Ec, 256).unwrap()));
    let e = bad.export(None, 1, Some(1)).unwrap_err();
    assert!(matches!(e, puressl::crypto::Error::KeyMismatch), "{e:?}");
    assert!(e.to_string().contains("key values mismatch"), "{e}");
    bad.set_privatekey(Some(key.public_key()));
    assert!(matches!(
        bad.export(None, 1, Some(1)),
        Err(Error::PublicKeyOnly)
    ));
    let mut bad = p.clone();
    bad.set_friendly_name(Some(&[0xff, 0xfe]));
    assert!(bad.export(None, 1, Some(1)).is_err());
    bad.set_friendly_name(Some("emoji 😀".as_bytes()));
    assert!(bad.export(None, 1, Some(1)).is_err());
    assert!(p.export(None, 0, Some(1)).is_err());
    assert!(p.export(None, 1, Some(0)).is_err());
}

/// Re-encodes DER as streaming BER (what Java and Windows write): every
/// constructed value gets an indefinite length, and long OCTET STRINGs and
/// `[0] IMPLICIT OCTET STRING`s are cut into constructed segments. Does not
/// look inside primitive values, so a MAC over OCTET STRING contents stays valid.
fn der_to_ber(der: &[u8]) -> Vec<u8> {
    fn one(data: &[u8], pos: &mut usize, out: &mut Vec<u8>) {
        let tag = data[*pos];
        let l0 = data[*pos + 1];
        let (len, hl) = if l0 < 0x80 {
            (l0 as usize, 2)
        } else {
            let n = (l0 & 0x7f) as usize;
            let len = data[*pos + 2..*pos + 2 + n]
                .iter()
                .fold(0usize, |a, &b| (a << 8) | b as usize);
            (len, 2 + n)
        };
        let content = &data[*pos + hl..*pos + hl + len];
        *pos += hl + len;
        if tag & 0x20 != 0 {
            out.extend_from_slice(&[tag, 0x80]);
            let mut p = 0;
            while p < content.len() {
                one(content, &mut p, out);
            }
            out.extend_from_slice(&[0, 0]);
        } else if (tag == 0x04 || tag == 0x80) && len > 300 {
            out.extend_from_slice(&[tag | 0x20, 0x80]);
            for chunk in content.chunks(250) {
                out.push(0x04);
                if chunk.len() < 0x80 {
                    out.push(chunk.len() as u8);
                } else {
                    out.extend_from_slice(&[0x81, chunk.len() as u8]);
                }
                out.extend_from_slice(chunk);
            }
            out.extend_from_slice(&[0, 0]);
        } else {
            out.extend_from_slice(&data[*pos - hl - len..*pos]);
        }
    }
    let mut out = Vec::new();
    let mut pos = 0;
    one(der, &mut pos, &mut out);
    assert_eq!(pos, der.len());
    out
}

#[test]
fn streamed_ber_pfx() {
    let exp = expected();
    for name in [
        "pkcs12/default.p12",
        "pkcs12/legacy.p12",
        "pkcs12/utf8pass.p12",
    ] {
        let f = &exp["files"][name];
        let ber = der_to_ber(&read_vector(name));
        assert_eq!(&ber[..2], &[0x30, 0x80]);
        let p = load_pkcs12(&ber, Some(&password_of(f))).unwrap_or_else(|e| panic!("{name}: {e}"));
        check(name, &p, f);
        // OpenSSL reads the BER form too (sanity check of the test's encoder).
        let (ok, text, _) = openssl_info(&ber, &password_of(f), true);
        assert!(ok, "{text}");
    }
}

/// A DER length.
fn der_len(len: usize) -> Vec<u8> {
    if len < 0x80 {
        return vec![len as u8];
    }
    let bytes = len.to_be_bytes();
    let skip = bytes.iter().take_while(|&&b| b == 0).count();
    let mut out = vec![0x80 | (bytes.len() - skip) as u8];
    out.extend_from_slice(&bytes[skip..]);
    out
}

/// `EncryptedData.encryptedContent [0] IMPLICIT OCTET STRING` in the
/// constructed BER form (250-octet segments, indefinite lengths): OpenSSL
/// 3.0 reads it, and so does puressl. A `der`-derived
/// `EncryptedContentInfo` (`Option<OctetString>` under `[0] IMPLICIT`)
/// refuses the constructed form (`bags.rs`'s unit test
/// `constructed_encrypted_content_needs_the_hand_decoder`), which is why
/// `parse_encrypted_data` reads that field by hand. The file comes from
/// `openssl pkcs12 -export -nomac -certpbe AES-256-CBC -passout pass:`:
/// without a MAC the authenticated safe can be re-encoded (and puressl
/// reads a file without a MAC only without a password; PBES2 takes the
/// empty one).
#[test]
fn constructed_encrypted_content_reads_as_in_openssl() {
    use der::asn1::{Any, ObjectIdentifier, OctetString};
    use der::{Decode, Reader, SliceReader};
    let path = tmp_path("nomac.p12");
    let out = Command::new("openssl")
        .args(["pkcs12", "-export", "-nomac", "-certpbe", "AES-256-CBC"])
        .args(["-passout", "pass:", "-in"])
        .arg(vector_path("certs/leaf.pem"))
        .arg("-inkey")
        .arg(vector_path("keys/leaf-rsa2048.pkcs8.pem"))
        .arg("-out")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let der = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).ok();
    // PFX { version, authSafe ContentInfo { id-data, [0] { OCTET STRING } } }
    let pfx = Any::from_der(&der).unwrap();
    let mut r = SliceReader::new(pfx.value()).unwrap();
    let _version: Any = r.decode().unwrap();
    let auth_safe: Any = r.decode().unwrap();
    let mut r = SliceReader::new(auth_safe.value()).unwrap();
    let data_oid: ObjectIdentifier = r.decode().unwrap();
    let wrapped: Any = r.decode().unwrap();
    let safes = OctetString::from_der(wrapped.value()).unwrap();
    // The safes re-encoded as BER: the encrypted safe's [0] IMPLICIT
    // content (the certificate, > 300 octets) becomes constructed.
    let safes_ber = der_to_ber(safes.as_bytes());
    assert!(
        safes_ber
            .windows(5)
            .any(|w| w == [0xa0, 0x80, 0x04, 0x81, 0xfa]),
        "no constructed [0] in the re-encoded safes"
    );
    let mut ber = vec![0x30, 0x80, 0x02, 0x01, 0x03, 0x30, 0x80];
    ber.extend(der::Encode::to_der(&data_oid).unwrap());
    ber.extend([0xa0, 0x80, 0x04]);
    ber.extend(der_len(safes_ber.len()));
    ber.extend(&safes_ber);
    ber.extend([0; 6]);
    let (ok, text, _) = openssl_info(&ber, b"", false);
    assert!(ok, "OpenSSL refuses the constructed form: {text}");
    assert!(text.contains("PKCS7 Encrypted data"), "{text}");
    let p = load_pkcs12(&ber, None).unwrap();
    let leaf = load_certificate(FileType::Pem, &read_vector("certs/leaf.pem")).unwrap();
    assert_eq!(
        p.certificate().unwrap().to_der().unwrap(),
        leaf.to_der().unwrap()
    );
    assert!(p.privatekey().is_some());
}

#[test]
fn corrupt_files_are_errors_not_panics() {
    for (name, pass) in [
        ("pkcs12/plain-nomac.p12", None),
        ("pkcs12/nopass.p12", None),
        ("pkcs12/legacy.p12", Some(&b"legacy p12"[..])),
    ] {
        let data = read_vector(name);
        let ber = der_to_ber(&data);
        for cut in (0..data.len()).step_by(3) {
            assert!(
                load_pkcs12(&data[..cut], pass).is_err(),
                "{name} cut at {cut}"
            );
        }
        let step = if data.len() > 2000 { 41 } else { 5 };
        for i in (0..data.len()).step_by(step) {
            let mut d = data.clone();
            d[i] ^= 0x41;
            let _ = load_pkcs12(&d, pass);
            let mut b = ber.clone();
            if i < b.len() {
                b[i] ^= 0x80;
                let _ = load_pkcs12(&b, pass);
            }
        }
    }
}

#[test]
fn inspect_example_agrees_with_expected_json() {
    let bin = inspect_binary();
    let exp = expected();
    for (path, f) in entries_of_kind(&exp, "pkcs12") {
        let mut args = vec!["--kind", "pkcs12"];
        let hexpw = f["password_hex"].as_str().unwrap();
        if !hexpw.is_empty() {
            args.extend(["--password-hex", hexpw]);
        }
        let got = inspect_json(&bin, &args, &path);
        assert_eq!(got["friendlyname"], f["friendlyname"], "{path}");
        assert_eq!(
            got["certificate"]["der_sha256"], f["certificate"]["der_sha256"],
            "{path}"
        );
        let cas = |v: &Value| -> Value {
            v.as_array()
                .map(|l| l.iter().map(|c| c["der_sha256"].clone()).collect())
                .unwrap_or(Value::Null)
        };
        assert_eq!(
            cas(&got["ca_certificates"]),
            cas(&f["ca_certificates"]),
            "{path}"
        );
        match f["privatekey"].as_object() {
            Some(k) => {
                for field in [
                    "type",
                    "type_id",
                    "bits",
                    "spki_sha256",
                    "rsa_e",
                    "rsa_n_sha256",
                    "curve",
                ] {
                    if let Some(v) = k.get(field) {
                        assert_eq!(&got["privatekey"][field], v, "{path}.privatekey.{field}");
                    }
                }
            }
            None => assert!(got["privatekey"].is_null()),
        }
    }
    // A truncated file: exit status 1 and one line on stderr.
    let out = Command::new(&bin)
        .current_dir(vector_path(""))
        .args([
            "--kind",
            "pkcs12",
            "--password",
            "p12-Default-2024",
            "bad/truncated.p12",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid PKCS#12 PFX"));
}

#[test]
fn openssl_made_files_with_non_utf8_and_empty_passwords() {
    use std::os::unix::ffi::OsStrExt;
    let cert = vector_path("certs/expired.pem");
    let key = vector_path("keys/ee-p256.pkcs8.pem");
    // Latin-1 bytes that are not UTF-8: OpenSSL takes them one byte per
    // character; so do we. Then the empty password.
    for pass in [&[0xe4u8, b'x', 0xfc][..], b""] {
        for legacy in [false, true] {
            let out = tmp_path("made.p12");
            let mut passout = b"pass:".to_vec();
            passout.extend_from_slice(pass);
            let mut cmd = Command::new("openssl");
            cmd.args(["pkcs12", "-export", "-name", "made by openssl", "-in"])
                .arg(&cert)
                .arg("-inkey")
                .arg(&key)
                .arg("-out")
                .arg(&out)
                .arg("-passout")
                .arg(std::ffi::OsStr::from_bytes(&passout));
            if legacy {
                cmd.arg("-legacy");
            }
            let st = cmd.output().unwrap();
            assert!(
                st.status.success(),
                "{}",
                String::from_utf8_lossy(&st.stderr)
            );
            let der = std::fs::read(&out).unwrap();
            std::fs::remove_file(&out).ok();
            let p =
                load_pkcs12(&der, Some(pass)).unwrap_or_else(|e| panic!("{pass:?} {legacy}: {e}"));
            assert_eq!(p.friendly_name(), Some(&b"made by openssl"[..]));
            assert_eq!(
                cert_hash(p.certificate().unwrap()),
                sha256_hex(&read_vector("certs/expired.der"))
            );
            if pass.is_empty() {
                assert!(load_pkcs12(&der, None).is_ok());
            } else {
                assert!(matches!(
                    load_pkcs12(&der, Some(b"x")),
                    Err(Error::MacVerifyFailure)
                ));
            }
        }
    }
}
