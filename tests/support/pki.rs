//! Test PKI helpers: certificates and CRLs made with puressl's API from the
//! vector keys, and `openssl verify` run on the same files as an oracle.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use puressl::crypto::{
    FileType, PKey, Purpose, Revoked, X509Crl, X509Extension, X509Store, X509StoreContext,
    X509StoreFlags, X509,
};

/// The verification time of the matrix: 2026-01-01T00:00:00Z.
pub const AT: &str = "20260101000000Z";
pub const AT_UNIX: i64 = 1_767_225_600;

pub fn key(name: &str) -> PKey {
    let path = format!(
        "{}/tests/vectors/keys/{name}.pkcs8.pem",
        env!("CARGO_MANIFEST_DIR")
    );
    let block = pem::parse(std::fs::read(path).unwrap()).unwrap();
    PKey::private_key_from_pkcs8_der(block.contents()).unwrap()
}

/// A certificate with its key.
#[derive(Clone)]
pub struct Ca {
    pub cert: X509,
    pub key: PKey,
}

/// What to put into a certificate.
pub struct Spec<'a> {
    pub cn: &'a str,
    pub serial: u64,
    pub not_before: &'a str,
    pub not_after: &'a str,
    pub exts: Vec<(&'a str, bool, &'a str)>,
    pub digest: &'a str,
    /// Add subjectKeyIdentifier and authorityKeyIdentifier.
    pub key_ids: bool,
    /// More subject attributes after the CN: `(short name, value)`.
    pub subject: Vec<(&'a str, &'a str)>,
}

impl<'a> Spec<'a> {
    pub fn new(cn: &'a str, serial: u64) -> Self {
        Spec {
            cn,
            serial,
            not_before: "20250101000000Z",
            not_after: "20350101000000Z",
            exts: Vec::new(),
            digest: "sha256",
            key_ids: true,
            subject: Vec::new(),
        }
    }

    pub fn ca(cn: &'a str, serial: u64) -> Self {
        let mut s = Self::new(cn, serial);
        s.exts = vec![
            ("basicConstraints", true, "CA:TRUE"),
            ("keyUsage", true, "keyCertSign, cRLSign"),
        ];
        s
    }

    pub fn ext(mut self, name: &'a str, critical: bool, value: &'a str) -> Self {
        self.exts.push((name, critical, value));
        self
    }

    pub fn times(mut self, nb: &'a str, na: &'a str) -> Self {
        self.not_before = nb;
        self.not_after = na;
        self
    }

    pub fn subject_entry(mut self, attr: &'a str, value: &'a str) -> Self {
        self.subject.push((attr, value));
        self
    }

    pub fn digest(mut self, d: &'a str) -> Self {
        self.digest = d;
        self
    }
}

/// Makes a certificate for `key`, issued by `issuer` (self-signed when None).
pub fn make(spec: &Spec<'_>, key: &PKey, issuer: Option<&Ca>) -> Ca {
    let mut c = X509::new();
    c.set_version(2).unwrap();
    c.set_serial_number(spec.serial);
    if !spec.cn.is_empty() {
        c.subject_mut().set("CN", spec.cn).unwrap();
    }
    for (attr, value) in &spec.subject {
        c.subject_mut().add(attr, value).unwrap();
    }
    match issuer {
        Some(i) => c.set_issuer(i.cert.subject()),
        None => c.set_issuer(&c.subject().clone()),
    }
    c.set_not_before(spec.not_before).unwrap();
    c.set_not_after(spec.not_after).unwrap();
    c.set_pubkey(key).unwrap();
    let mut exts = Vec::new();
    for (n, crit, v) in &spec.exts {
        exts.push(X509Extension::new(n, *crit, v).unwrap());
    }
    if spec.key_ids {
        exts.push(
            X509Extension::with_subject_issuer(
                "subjectKeyIdentifier",
                false,
                "hash",
                Some(&c),
                None,
            )
            .unwrap(),
        );
    }
    c.add_extensions(exts);
    let issuer_has_ski =
        issuer.is_none_or(|i| i.cert.extensions().iter().any(|e| e.oid() == "2.5.29.14"));
    if spec.key_ids && issuer_has_ski {
        let aki = match issuer {
            Some(i) => X509Extension::with_subject_issuer(
                "authorityKeyIdentifier",
                false,
                "keyid",
                None,
                Some(&i.cert),
            ),
            None => X509Extension::with_subject_issuer(
                "authorityKeyIdentifier",
                false,
                "keyid:always",
                None,
                Some(&c),
            ),
        }
        .unwrap();
        c.add_extensions([aki]);
    }
    let signer = issuer.map_or(key, |i| &i.key);
    let digest = if signer.key_type() == puressl::crypto::KeyType::Ed25519 {
        ""
    } else {
        spec.digest
    };
    c.sign(signer, digest).unwrap();
    Ca {
        cert: c,
        key: key.clone(),
    }
}

/// A CRL by `issuer` revoking `serials`.
pub fn crl(issuer: &Ca, serials: &[u64], last: &str, next: &str) -> X509Crl {
    crl_with(issuer, serials, last, next, &[])
}

/// A CRL by `issuer` revoking `serials`, with CRL extensions.
pub fn crl_with(
    issuer: &Ca,
    serials: &[u64],
    last: &str,
    next: &str,
    exts: &[(&str, bool, &str)],
) -> X509Crl {
    let mut crl = X509Crl::new();
    for (n, c, v) in exts {
        crl.add_extensions([X509Extension::new(n, *c, v).unwrap()]);
    }
    crl.set_version(1).unwrap();
    for s in serials {
        let mut r = Revoked::new();
        r.set_serial(format!("{s:x}").as_bytes()).unwrap();
        r.set_rev_date(b"20250601000000Z").unwrap();
        r.set_reason(Some(b"keyCompromise")).unwrap();
        crl.add_revoked(&r);
    }
    crl.set_last_update(last).unwrap();
    crl.set_next_update(next).unwrap();
    let digest = if issuer.key.key_type() == puressl::crypto::KeyType::Ed25519 {
        ""
    } else {
        "sha256"
    };
    crl.sign(&issuer.cert, &issuer.key, digest).unwrap();
    crl
}

/// A scratch directory, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        let p = std::env::temp_dir().join(format!("puressl-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `openssl` with `args` in `dir`; panics with its stderr when it
/// fails (for what puressl's builders do not make: explicit EC parameters,
/// OCSP responses).
pub fn openssl_in(dir: &TempDir, args: &[&str]) {
    let out = Command::new("openssl")
        .current_dir(&dir.0)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn write_certs(path: &Path, certs: &[&X509]) {
    let mut out = Vec::new();
    for c in certs {
        out.extend(c.to_pem().unwrap());
    }
    std::fs::write(path, out).unwrap();
}

/// One verification case.
pub struct Case<'a> {
    pub name: &'a str,
    pub leaf: &'a X509,
    pub trusted: Vec<&'a X509>,
    pub untrusted: Vec<&'a X509>,
    pub crls: Vec<&'a X509Crl>,
    pub flags: X509StoreFlags,
    pub depth: Option<u32>,
    pub auth_level: Option<i32>,
    pub at: i64,
    /// `-purpose NAME` / `X509Store::set_purpose`.
    pub purpose: Option<Purpose>,
    /// `-verify_hostname` / `X509Store::set_host`.
    pub host: Option<&'a str>,
    /// `-verify_email` / `X509Store::set_email`.
    pub email: Option<&'a str>,
    /// `-verify_ip` / `X509Store::set_ip`.
    pub ip: Option<&'a str>,
}

impl<'a> Case<'a> {
    pub fn new(
        name: &'a str,
        leaf: &'a X509,
        trusted: Vec<&'a X509>,
        untrusted: Vec<&'a X509>,
    ) -> Self {
        Case {
            name,
            leaf,
            trusted,
            untrusted,
            crls: Vec::new(),
            flags: X509StoreFlags::empty(),
            depth: None,
            auth_level: None,
            at: AT_UNIX,
            purpose: None,
            host: None,
            email: None,
            ip: None,
        }
    }
}

/// `(first error (code, depth) or None, every reported (code, depth))`.
pub type Outcome = (Option<(i32, u32)>, Vec<(i32, u32)>);

/// Runs `openssl verify` on the case.
pub fn openssl_verify(dir: &TempDir, case: &Case<'_>) -> Outcome {
    let leaf = dir.path(&format!("{}-leaf.pem", case.name));
    write_certs(&leaf, &[case.leaf]);
    let mut cmd = Command::new("openssl");
    cmd.arg("verify")
        .arg("-attime")
        .arg(case.at.to_string())
        .args(["-no-CApath", "-no-CAstore"]);
    if case.trusted.is_empty() {
        cmd.arg("-no-CAfile");
    } else {
        let p = dir.path(&format!("{}-trusted.pem", case.name));
        write_certs(&p, &case.trusted);
        cmd.arg("-CAfile").arg(p);
    }
    if !case.untrusted.is_empty() {
        let p = dir.path(&format!("{}-untrusted.pem", case.name));
        write_certs(&p, &case.untrusted);
        cmd.arg("-untrusted").arg(p);
    }
    if !case.crls.is_empty() {
        let p = dir.path(&format!("{}-crls.pem", case.name));
        let mut out = Vec::new();
        for c in &case.crls {
            out.extend(c.to_pem().unwrap());
        }
        std::fs::write(&p, out).unwrap();
        cmd.arg("-CRLfile").arg(p);
    }
    let f = case.flags;
    for (flag, opt) in [
        (X509StoreFlags::CRL_CHECK, "-crl_check"),
        (X509StoreFlags::PARTIAL_CHAIN, "-partial_chain"),
        (X509StoreFlags::X509_STRICT, "-x509_strict"),
        (X509StoreFlags::IGNORE_CRITICAL, "-ignore_critical"),
        (X509StoreFlags::CHECK_SS_SIGNATURE, "-check_ss_sig"),
        (X509StoreFlags::NO_CHECK_TIME, "-no_check_time"),
    ] {
        if f.contains(flag)
            && !(flag == X509StoreFlags::CRL_CHECK && f.contains(X509StoreFlags::CRL_CHECK_ALL))
        {
            cmd.arg(opt);
        }
    }
    if f.contains(X509StoreFlags::CRL_CHECK_ALL) {
        cmd.arg("-crl_check_all");
    }
    if let Some(d) = case.depth {
        cmd.arg("-verify_depth").arg(d.to_string());
    }
    if let Some(l) = case.auth_level {
        cmd.arg("-auth_level").arg(l.to_string());
    }
    if let Some(p) = case.purpose {
        cmd.arg("-purpose").arg(p.name());
    }
    for (opt, v) in [
        ("-verify_hostname", case.host),
        ("-verify_email", case.email),
        ("-verify_ip", case.ip),
    ] {
        if let Some(v) = v {
            cmd.arg(opt).arg(v);
        }
    }
    cmd.arg(&leaf);
    let out = cmd.output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    let mut errors = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("error ") else {
            continue;
        };
        let mut it = rest.split_whitespace();
        let (Some(code), Some("at"), Some(depth)) = (it.next(), it.next(), it.next()) else {
            continue;
        };
        if let (Ok(c), Ok(d)) = (code.parse(), depth.parse()) {
            errors.push((c, d));
        }
    }
    let first = if out.status.success() {
        assert!(errors.is_empty(), "{}: {text}", case.name);
        None
    } else {
        Some(
            *errors
                .first()
                .unwrap_or_else(|| panic!("{}: {text}", case.name)),
        )
    };
    (first, errors)
}

/// The error codes `openssl verify`'s callback lets pass (apps/verify.c).
pub const CLI_TOLERATED: &[i32] = &[
    10, 18, 79, 37, 25, 26, 12, 11, 34, 80, 81, 89, 92, 82, 83, 84, 88, 87, 78, 90, 91, 85, 86, 93,
];

/// Runs puressl on the case: the plain result, and the errors reported to
/// a callback that tolerates what the CLI's callback tolerates.
pub fn puressl_verify(case: &Case<'_>) -> Outcome {
    let mut store = X509Store::new();
    for t in &case.trusted {
        store.add_cert(t).unwrap();
    }
    for c in &case.crls {
        store.add_crl(c).unwrap();
    }
    store.set_flags(case.flags).unwrap();
    store.set_time_unix(case.at);
    if let Some(d) = case.depth {
        store.set_depth(d);
    }
    if let Some(l) = case.auth_level {
        store.set_auth_level(l);
    }
    if let Some(p) = case.purpose {
        store.set_purpose(p).unwrap();
    }
    if let Some(h) = case.host {
        store.set_host(h).unwrap();
    }
    if let Some(e) = case.email {
        store.set_email(e).unwrap();
    }
    if let Some(ip) = case.ip {
        store.set_ip(ip.parse().unwrap());
    }
    let chain: Vec<X509> = case.untrusted.iter().map(|c| (*c).clone()).collect();
    let mut ctx = X509StoreContext::new(&store, case.leaf, Some(&chain));
    let first = match ctx.verify_certificate() {
        Ok(_) => None,
        Err(e) => Some((e.code(), e.depth())),
    };
    let mut errors = Vec::new();
    let mut ctx = X509StoreContext::new(&store, case.leaf, Some(&chain));
    ctx.set_verify_callback(|_c, err, depth, ok| {
        let code = err.code();
        if ok {
            return true;
        }
        errors.push((code, depth));
        CLI_TOLERATED.contains(&code)
    });
    let _ = ctx.verify_certificate();
    drop(ctx);
    (first, errors)
}

pub fn pem_of(c: &X509) -> Vec<u8> {
    puressl::crypto::dump_certificate(FileType::Pem, c).unwrap()
}

/// A three-level P-256/P-384 PKI for TLS: root, intermediate, and a
/// `localhost` leaf (SAN DNS:localhost, IP:127.0.0.1) usable by servers and
/// clients.
pub struct TlsChain {
    pub root: Ca,
    pub inter: Ca,
    pub leaf: Ca,
}

pub fn tls_chain() -> TlsChain {
    let root = make(&Spec::ca("puressl chain root", 1), &key("ec-p384"), None);
    let inter = make(
        &Spec::ca("puressl chain intermediate", 2),
        &key("ee-p256"),
        Some(&root),
    );
    let leaf = make(
        &Spec::new("localhost", 3)
            .ext("basicConstraints", true, "CA:FALSE")
            .ext("extendedKeyUsage", false, "serverAuth, clientAuth")
            .ext("subjectAltName", false, "DNS:localhost, IP:127.0.0.1"),
        &key("ec-p256"),
        Some(&inter),
    );
    TlsChain { root, inter, leaf }
}
