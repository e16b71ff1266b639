//! Differential test against pyOpenSSL 23.2: the scenarios of
//! tests/pyopenssl/scenarios.py (failed handshakes and every call after
//! them, the alert a failed verification sends, chain completion, the
//! server's `peer_cert_chain`, `recv(0)`, send sizes, context defaults,
//! OCSP stapling callbacks) run
//! through puressl over memory BIOs, and the normalised outcomes compared
//! with what the script prints.
//!
//! The Python is `$PURESSL_PYOPENSSL_PYTHON`, else
//! `target/pyopenssl-venv/bin/python` (`.ci/run` creates that venv with
//! pyOpenSSL 23.2 and cryptography < 42). Without it the test is skipped,
//! except under CI (`CI=true`), where that is a failure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use puressl::crypto::{FileType, X509StoreFlags, X509};
use puressl::ssl::{Connection, Context, Error, Memory, Method, Options, ProtoVersion, VerifyMode};
use serde_json::{json, Value};

use crate::support::pki;
use crate::support::ssl;
use ssl::{outcome, pair, pump};

/// Where each scenario is known to differ: (scenario, index or `None` for
/// the whole value, pyOpenSSL's value, puressl's value, why).
const KNOWN: &[(&str, Option<usize>, &str, &str)] = &[
    // A bad certificate signature: OpenSSL's error queue starts with the
    // EVP error of the failed check, then "certificate verify failed";
    // puressl reports the latter first (the alert is the same).
    (
        "alert.1.2.bad_signature",
        Some(0),
        "Error(EVP lib)",
        "Error(certificate verify failed)",
    ),
    (
        "alert.1.3.bad_signature",
        Some(0),
        "Error(EVP lib)",
        "Error(certificate verify failed)",
    ),
    // FAIL_IF_NO_PEER_CERT on TLS 1.2: rustls's server sends
    // certificate_required (a TLS 1.3 alert) where OpenSSL sends
    // handshake_failure; puressl cannot choose that alert.
    (
        "fail.1.2.no_client_cert.client",
        Some(0),
        "Error(sslv3 alert handshake failure)",
        "Error(tlsv13 alert certificate required)",
    ),
    // OpenSSL: SSL_read(0) returns 0 with data buffered, which pyOpenSSL
    // reports as SysCallError(-1); puressl returns Ok(0).
    ("recv0.1.2", Some(1), "SysCall(-1, Unexpected EOF)", "ok"),
    ("recv0.1.3", Some(1), "SysCall(-1, Unexpected EOF)", "ok"),
    // A verify callback that says no: OpenSSL 3 sends internal_error
    // (X509_V_ERR_UNSPECIFIED); rustls sends handshake_failure for any
    // verifier error that is not a CertificateError.
    (
        "fail.1.2.callback_false.server",
        Some(0),
        "Error(tlsv1 alert internal error)",
        "Error(sslv3 alert handshake failure)",
    ),
    (
        "fail.1.3.callback_false.server",
        Some(0),
        "Error(tlsv1 alert internal error)",
        "Error(sslv3 alert handshake failure)",
    ),
    (
        "alert.1.2.callback_false",
        Some(1),
        "Error(tlsv1 alert internal error)",
        "Error(sslv3 alert handshake failure)",
    ),
    (
        "alert.1.3.callback_false",
        Some(1),
        "Error(tlsv1 alert internal error)",
        "Error(sslv3 alert handshake failure)",
    ),
    // The OCSP client callback raises: the same (the verifier's error
    // that is not a certificate error gets handshake_failure).
    (
        "ocsp.1.2.client_raises",
        Some(1),
        "Error(tlsv1 alert internal error)",
        "Error(sslv3 alert handshake failure)",
    ),
    (
        "ocsp.1.3.client_raises",
        Some(1),
        "Error(tlsv1 alert internal error)",
        "Error(sslv3 alert handshake failure)",
    ),
    // Without request_ocsp, OpenSSL's client sends no status_request, so
    // the server's callback is not called; rustls's ClientHello always
    // carries status_request, so it is (the client's callback is not, in
    // both).
    ("ocsp.1.2.not_requested", Some(2), "", "server"),
    ("ocsp.1.3.not_requested", Some(2), "", "server"),
];

fn python() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PURESSL_PYOPENSSL_PYTHON") {
        return Some(PathBuf::from(p));
    }
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/pyopenssl-venv/bin/python");
    p.exists().then_some(p)
}

/// `recv`'s outcome with the bytes read, as the script shows them.
fn data(conn: &mut Connection<Memory>, n: usize, peek: bool) -> String {
    let mut buf = vec![0u8; n];
    let r = if peek {
        conn.recv_peek(&mut buf)
    } else {
        conn.recv(&mut buf)
    };
    match r {
        Ok(k) => format!("ok:{}", String::from_utf8_lossy(&buf[..k])),
        e => outcome(e),
    }
}

fn flag(r: Result<bool, Error>) -> String {
    match r {
        Ok(true) => "ok:True".into(),
        Ok(false) => "ok:False".into(),
        e => outcome(e),
    }
}

fn py_bool(b: bool) -> String {
    if b { "True" } else { "False" }.into()
}

fn count(r: Result<usize, Error>) -> String {
    match r {
        Ok(n) => format!("ok:{n}"),
        e => outcome(e),
    }
}

/// The test PKI, also written to `dir` for the script.
struct Pki {
    chain: pki::TlsChain,
    other: puressl::crypto::PKey,
    leaves: BTreeMap<&'static str, X509>,
    crl: puressl::crypto::X509Crl,
}

fn make_pki(dir: &pki::TempDir) -> Pki {
    let chain = pki::tls_chain();
    let key = chain.leaf.key.clone();
    let leaf = |spec: pki::Spec<'_>, issuer: &pki::Ca| {
        let spec = spec.ext("subjectAltName", false, "DNS:localhost");
        pki::make(&spec, &key, Some(issuer)).cert
    };
    // The root's name and key id, another EC key's signature.
    let forger = pki::Ca {
        cert: chain.root.cert.clone(),
        key: pki::key("ec-p256"),
    };
    let mut leaves = BTreeMap::new();
    leaves.insert("leaf.pem", chain.leaf.cert.clone());
    leaves.insert("root.pem", chain.root.cert.clone());
    leaves.insert("inter.pem", chain.inter.cert.clone());
    let root = &chain.root;
    let l = pki::Spec::new;
    leaves.insert(
        "expired.pem",
        leaf(
            l("localhost", 10).times("20200101000000Z", "20210101000000Z"),
            root,
        ),
    );
    leaves.insert(
        "notyet.pem",
        leaf(
            l("localhost", 11).times("20400101000000Z", "20410101000000Z"),
            root,
        ),
    );
    leaves.insert("forged.pem", leaf(l("localhost", 12), &forger));
    leaves.insert(
        "purpose.pem",
        leaf(
            l("localhost", 13).ext("extendedKeyUsage", false, "clientAuth"),
            root,
        ),
    );
    leaves.insert("revoked.pem", leaf(l("localhost", 14), root));
    let crl = pki::crl(root, &[14], "20250101000000Z", "20990101000000Z");
    for (name, c) in &leaves {
        pki::write_certs(&dir.path(name), &[c]);
    }
    std::fs::write(dir.path("crl.pem"), crl.to_pem().unwrap()).unwrap();
    let pem = |k: &puressl::crypto::PKey| {
        puressl::crypto::dump_privatekey(FileType::Pem, k, None).unwrap()
    };
    std::fs::write(dir.path("leaf.key"), pem(&chain.leaf.key)).unwrap();
    let other = pki::key("ec-p384");
    std::fs::write(dir.path("other.key"), pem(&other)).unwrap();
    Pki {
        chain,
        other,
        leaves,
        crl,
    }
}

/// What a context of a scenario has (as `context()` in scenarios.py).
#[derive(Default)]
struct Spec<'a> {
    leaf: Option<&'a str>,
    store: &'a [&'a str],
    verify: VerifyMode,
    refuse: bool,
    extra: &'a [&'a str],
}

fn version(v: &str) -> ProtoVersion {
    if v == "1.2" {
        ProtoVersion::Tls1_2
    } else {
        ProtoVersion::Tls1_3
    }
}

fn context(p: &Pki, v: &str, spec: Spec<'_>) -> Context {
    let mut ctx = Context::new(Method::Tls).unwrap();
    ctx.set_min_proto_version(Some(version(v)));
    ctx.set_max_proto_version(Some(version(v)));
    if let Some(leaf) = spec.leaf {
        ctx.use_certificate(&p.leaves[leaf]).unwrap();
        ctx.use_privatekey(&p.chain.leaf.key).unwrap();
    }
    for c in spec.extra {
        ctx.add_extra_chain_cert(&p.leaves[c]);
    }
    for c in spec.store {
        ctx.cert_store_mut().add_cert(&p.leaves[c]).unwrap();
    }
    let callback: Option<puressl::ssl::VerifyFn> = if spec.refuse {
        Some(Box::new(|_: &X509, _, _, _| false))
    } else {
        None
    };
    ctx.set_verify(spec.verify, callback);
    ctx
}

/// Client then server, ten rounds: each side's first outcome that is not
/// WantRead.
fn step_handshakes(c: &mut Connection<Memory>, s: &mut Connection<Memory>) -> [Option<String>; 2] {
    let mut first = [None, None];
    for _ in 0..10 {
        for (i, conn) in [&mut *c, &mut *s].into_iter().enumerate() {
            if first[i].is_none() {
                let r = outcome(conn.do_handshake());
                if r != "WantRead" {
                    first[i] = Some(r);
                }
            }
        }
        pump(c, s);
        pump(s, c);
    }
    first
}

fn firsts(first: [Option<String>; 2]) -> Vec<Value> {
    first.into_iter().map(|f| json!(f)).collect()
}

fn later_calls(conn: &mut Connection<Memory>, first: Option<String>) -> Value {
    let mut v = vec![first.clone().unwrap_or_default()];
    if first.as_deref() == Some("ok") {
        v.push(outcome(conn.recv(&mut [0; 8])));
    }
    v.push(outcome(conn.do_handshake()));
    v.push(outcome(conn.recv(&mut [0; 8])));
    v.push(outcome(conn.recv(&mut [])));
    v.push(count(conn.send(b"x")));
    v.push(count(conn.sendall(b"x")));
    v.push(outcome(conn.shutdown()));
    v.push(conn.shutdown_state().bits().to_string());
    v.push(conn.state_string().to_string());
    json!(v)
}

fn cns(chain: Option<Vec<X509>>) -> Value {
    match chain {
        None => Value::Null,
        Some(c) => json!(c
            .iter()
            .map(|x| x.subject().get("CN").unwrap().unwrap_or_default())
            .collect::<Vec<_>>()),
    }
}

/// The OCSP cases of scenarios.py: (kind, the server callback's answer,
/// the client callback's verdict, `request_ocsp`).
type OcspCase = (
    &'static str,
    Result<&'static [u8], &'static str>,
    Result<bool, &'static str>,
    bool,
);
const OCSP_CASES: [OcspCase; 6] = [
    ("staple", Ok(b"fake ocsp"), Ok(true), true),
    ("empty", Ok(b""), Ok(true), true),
    ("not_requested", Ok(b"fake ocsp"), Ok(true), false),
    ("client_false", Ok(b"fake ocsp"), Ok(false), true),
    ("client_raises", Ok(b"fake ocsp"), Err("no good"), true),
    ("server_raises", Err("no response"), Ok(true), true),
];

/// An OCSP case: both handshakes' outcomes, then the callbacks' calls in
/// order (as `ocsp()` in scenarios.py).
fn ocsp(p: &Pki, v: &str, (_, answer, verdict, request): OcspCase) -> Value {
    let calls = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let mut sctx = context(
        p,
        v,
        Spec {
            leaf: Some("leaf.pem"),
            store: &["inter.pem", "root.pem"],
            ..Spec::default()
        },
    );
    let log = std::sync::Arc::clone(&calls);
    sctx.set_ocsp_server_callback(move |_| {
        log.lock().unwrap().push("server".into());
        answer.map(<[u8]>::to_vec).map_err(Error::callback)
    });
    let mut cctx = context(
        p,
        v,
        Spec {
            store: &["root.pem"],
            verify: VerifyMode::PEER,
            ..Spec::default()
        },
    );
    let log = std::sync::Arc::clone(&calls);
    cctx.set_ocsp_client_callback(move |_, response| {
        let seen = String::from_utf8_lossy(response);
        log.lock().unwrap().push(format!("client:{seen}"));
        verdict.map_err(Error::callback)
    });
    let (mut c, mut s) = pair(&cctx, &sctx);
    if request {
        c.request_ocsp().unwrap();
    }
    let mut r = firsts(step_handshakes(&mut c, &mut s));
    r.push(json!(calls.lock().unwrap().join(",")));
    json!(r)
}

fn run(p: &Pki) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    let mut put = |k: String, v: Value| {
        out.insert(k, v);
    };
    let hex = |o: Options| format!("{:#x}", o.bits());
    let mut ctx = Context::new(Method::Tls).unwrap();
    put(
        "context.options_new".into(),
        json!(hex(ctx.set_options(Options::empty()))),
    );
    let mut fresh = Context::new(Method::Tls).unwrap();
    put(
        "context.options_no_ticket".into(),
        json!(hex(fresh.set_options(Options::NO_TICKET))),
    );
    let t = [
        ctx.set_timeout(std::time::Duration::from_secs(100)),
        ctx.set_timeout(std::time::Duration::from_secs(5)),
        ctx.timeout(),
    ];
    put(
        "context.set_timeout".into(),
        json!(t.map(|t| t.as_secs().to_string())),
    );
    let mut ctx = Context::new(Method::Tls).unwrap();
    ctx.use_privatekey(&p.other).unwrap();
    ctx.use_certificate(&p.chain.leaf.cert).unwrap();
    let a = outcome(ctx.check_privatekey());
    ctx.use_privatekey(&p.chain.leaf.key).unwrap();
    put(
        "context.key_then_other_cert".into(),
        json!([a, outcome(ctx.check_privatekey())]),
    );
    let mut ctx = Context::new(Method::Tls).unwrap();
    ctx.use_certificate(&p.chain.leaf.cert).unwrap();
    let a = outcome(ctx.use_privatekey(&p.other));
    put(
        "context.cert_then_other_key".into(),
        json!([a, outcome(ctx.check_privatekey())]),
    );

    let both: &[&str] = &["inter.pem", "root.pem"];
    let root: &[&str] = &["root.pem"];
    for v in ["1.2", "1.3"] {
        let ctx = |spec| context(p, v, spec);
        let server = ctx(Spec {
            leaf: Some("leaf.pem"),
            store: both,
            ..Spec::default()
        });
        let trusting = ctx(Spec {
            store: root,
            verify: VerifyMode::PEER,
            ..Spec::default()
        });
        let refusing = ctx(Spec {
            store: root,
            verify: VerifyMode::PEER,
            refuse: true,
            ..Spec::default()
        });
        let untrusting = ctx(Spec {
            verify: VerifyMode::PEER,
            ..Spec::default()
        });
        let demanding = ctx(Spec {
            leaf: Some("leaf.pem"),
            store: both,
            verify: VerifyMode::PEER | VerifyMode::FAIL_IF_NO_PEER_CERT,
            ..Spec::default()
        });
        for (kind, cctx, sctx) in [
            ("untrusted", &untrusting, &server),
            ("callback_false", &refusing, &server),
            ("no_client_cert", &trusting, &demanding),
        ] {
            let (mut c, mut s) = pair(cctx, sctx);
            let [fc, fs] = step_handshakes(&mut c, &mut s);
            put(format!("fail.{v}.{kind}.client"), later_calls(&mut c, fc));
            put(format!("fail.{v}.{kind}.server"), later_calls(&mut s, fs));
        }

        let (mut c, mut s) = pair(&trusting, &server);
        let mut chain = firsts(step_handshakes(&mut c, &mut s));
        if let Value::Array(names) = cns(c.peer_cert_chain().unwrap()) {
            chain.extend(names);
        }
        put(format!("chain.autochain.{v}"), json!(chain));
        let mut r = vec![outcome(c.recv(&mut []))];
        s.send(b"hello").unwrap();
        pump(&mut s, &mut c);
        r.push(outcome(c.recv(&mut [])));
        r.push(data(&mut c, 8, false));
        r.push(outcome(c.recv(&mut [])));
        s.shutdown().unwrap();
        pump(&mut s, &mut c);
        r.push(outcome(c.recv(&mut [])));
        put(format!("recv0.{v}"), json!(r));
        let big = vec![b'x'; 40_000];
        put(
            format!("send_sizes.{v}"),
            json!([count(c.send(&big)), count(c.sendall(&big))]),
        );

        // (a fresh client: puressl's client contexts resume sessions, OpenSSL's do not)
        let fresh = ctx(Spec {
            store: root,
            verify: VerifyMode::PEER,
            ..Spec::default()
        });
        let (mut c, mut s) = pair(&fresh, &server);
        let mut f = vec![c.state_string().to_string(), s.state_string().to_string()];
        for _ in 0..4 {
            for conn in [&mut c, &mut s] {
                f.push(outcome(conn.do_handshake()));
                f.push(conn.state_string().to_string());
                f.push(py_bool(conn.want_read()));
            }
            pump(&mut c, &mut s);
            pump(&mut s, &mut c);
        }
        f.push(c.protocol_version_name().unwrap_or_default().to_string());
        f.push(c.cipher_name().unwrap_or_default().to_string());
        f.push(c.cipher_bits().unwrap_or_default().to_string());
        s.send(b"hello world").unwrap();
        pump(&mut s, &mut c);
        f.push(data(&mut c, 5, true));
        f.push(c.pending().to_string());
        f.push(data(&mut c, 5, false));
        f.push(c.pending().to_string());
        f.push(data(&mut c, 100, false));
        f.push(c.pending().to_string());
        f.push(flag(c.shutdown()));
        f.push(c.shutdown_state().bits().to_string());
        f.push(flag(c.shutdown()));
        f.push(py_bool(c.want_read()));
        f.push(count(c.send(b"x")));
        f.push(count(c.sendall(b"x")));
        pump(&mut c, &mut s);
        f.push(data(&mut s, 10, false));
        f.push(s.shutdown_state().bits().to_string());
        f.push(flag(s.shutdown()));
        f.push(s.shutdown_state().bits().to_string());
        pump(&mut s, &mut c);
        f.push(flag(c.shutdown()));
        f.push(c.shutdown_state().bits().to_string());
        f.push(data(&mut c, 5, false));
        put(format!("flow.{v}"), json!(f));
        let (mut c, mut s) = pair(&fresh, &server);
        step_handshakes(&mut c, &mut s);
        let mut a = vec![flag(c.shutdown())];
        pump(&mut c, &mut s);
        a.extend([
            data(&mut s, 5, false),
            count(s.send(b"y")),
            flag(s.shutdown()),
        ]);
        pump(&mut s, &mut c);
        a.extend([
            flag(c.shutdown()),
            c.shutdown_state().bits().to_string(),
            data(&mut c, 5, false),
        ]);
        put(format!("data_after_close_notify.{v}"), json!(a));
        let (mut c, _) = pair(&trusting, &server);
        let mut early = vec![flag(c.shutdown()), c.shutdown_state().bits().to_string()];
        let (mut c, _) = pair(&trusting, &server);
        let _ = c.do_handshake();
        early.push(flag(c.shutdown()));
        early.push(c.shutdown_state().bits().to_string());
        put(format!("early_shutdown.{v}"), json!(early));

        let requesting = ctx(Spec {
            leaf: Some("leaf.pem"),
            store: both,
            verify: VerifyMode::PEER,
            ..Spec::default()
        });
        let sides = [
            (
                "not_requested",
                ctx(Spec {
                    leaf: Some("leaf.pem"),
                    ..Spec::default()
                }),
                &server,
            ),
            ("no_cert", ctx(Spec::default()), &requesting),
            (
                "leaf_only",
                ctx(Spec {
                    leaf: Some("leaf.pem"),
                    ..Spec::default()
                }),
                &requesting,
            ),
            (
                "extra_inter",
                ctx(Spec {
                    leaf: Some("leaf.pem"),
                    extra: &["inter.pem"],
                    ..Spec::default()
                }),
                &requesting,
            ),
            (
                "auto_chain",
                ctx(Spec {
                    leaf: Some("leaf.pem"),
                    store: both,
                    ..Spec::default()
                }),
                &requesting,
            ),
        ];
        for (kind, cctx, sctx) in sides {
            let (mut c, mut s) = pair(&cctx, sctx);
            let first = firsts(step_handshakes(&mut c, &mut s));
            put(
                format!("server_chain.{v}.{kind}"),
                json!([first, cns(s.peer_cert_chain().unwrap())]),
            );
        }

        let mut crl_checking = ctx(Spec {
            store: root,
            verify: VerifyMode::PEER,
            ..Spec::default()
        });
        crl_checking.cert_store_mut().add_crl(&p.crl).unwrap();
        crl_checking
            .cert_store_mut()
            .set_flags(X509StoreFlags::CRL_CHECK)
            .unwrap();
        let alerts = [
            ("expired", &trusting, "expired.pem"),
            ("not_yet_valid", &trusting, "notyet.pem"),
            ("untrusted", &untrusting, "leaf.pem"),
            ("revoked", &crl_checking, "revoked.pem"),
            ("bad_signature", &trusting, "forged.pem"),
            ("wrong_purpose", &trusting, "purpose.pem"),
            ("callback_false", &refusing, "leaf.pem"),
        ];
        for (kind, cctx, leaf) in alerts {
            let sctx = ctx(Spec {
                leaf: Some(leaf),
                store: both,
                ..Spec::default()
            });
            let (mut c, mut s) = pair(cctx, &sctx);
            put(
                format!("alert.{v}.{kind}"),
                json!(firsts(step_handshakes(&mut c, &mut s))),
            );
        }

        for case in OCSP_CASES {
            put(format!("ocsp.{v}.{}", case.0), ocsp(p, v, case));
        }
    }
    out
}

#[test]
fn puressl_behaves_as_pyopenssl_23_2() {
    let dir = pki::TempDir::new("pyopenssl");
    let p = make_pki(&dir);
    let ours = run(&p);
    let Some(python) = python() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI: no pyOpenSSL venv (target/pyopenssl-venv, made by .ci/run)"
        );
        eprintln!("skipped: no pyOpenSSL 23.2 venv (run .ci/run, or set PURESSL_PYOPENSSL_PYTHON)");
        return;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pyopenssl/scenarios.py");
    let out = Command::new(&python)
        .arg(&script)
        .arg(&dir.0)
        .output()
        .expect("run scenarios.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: BTreeMap<String, Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        theirs.keys().collect::<Vec<_>>(),
        ours.keys().collect::<Vec<_>>(),
        "the same scenarios on both sides"
    );
    let mut diffs = Vec::new();
    for (name, want) in &theirs {
        let got = &ours[name];
        if got == want {
            continue;
        }
        let known = KNOWN.iter().any(|(k, i, py, us)| {
            let pick = |v: &Value| match i {
                Some(i) => v.get(*i).cloned(),
                None => Some(v.clone()),
            };
            let mut w = want.clone();
            let mut g = got.clone();
            if let (Some(i), Value::Array(wa), Value::Array(ga)) = (i, &mut w, &mut g) {
                wa[*i] = Value::Null;
                ga[*i] = Value::Null;
            }
            k == name
                && pick(want) == Some(json!(py))
                && pick(got) == Some(json!(us))
                && (i.is_none() || w == g)
        });
        if !known {
            diffs.push(format!("{name}:\n  pyOpenSSL {want}\n  puressl   {got}"));
        }
    }
    // Every known difference is still there (else drop it from KNOWN).
    for (k, ..) in KNOWN {
        assert_ne!(
            theirs.get(*k),
            ours.get(*k),
            "{k} now agrees: drop it from KNOWN"
        );
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}
