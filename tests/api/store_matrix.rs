//! The verification matrix: for every case, X509StoreContext reports the
//! same result, error code and depth as `openssl verify -attime` on the
//! same files, and its callback sees the same errors in the same order
//! as the CLI's callback (which lets some errors pass).

use puressl::crypto::{X509StoreFlags, X509};

use crate::support::pki;
use pki::*;

struct Pki {
    root: Ca,
    inter: Ca,
    leaf: Ca,
}

/// A root → intermediate → leaf chain with `kind` keys.
fn chain(kind: &str, digest: &str) -> Pki {
    let (rk, ik, lk) = match kind {
        "rsa" => (key("rsa2048"), key("rsa1024"), key("rsa2048")),
        "ec" => (key("ec-p384"), key("ec-p256"), key("ec-p256")),
        "ed25519" => (key("ed25519"), key("ed25519"), key("ed25519")),
        "dsa" => (key("dsa2048"), key("dsa2048"), key("dsa2048")),
        _ => unreachable!(),
    };
    let root = make(&Spec::ca("Matrix Root", 1).digest(digest), &rk, None);
    let inter = make(
        &Spec::ca("Matrix Inter", 2).digest(digest),
        &ik,
        Some(&root),
    );
    let leaf = make(
        &Spec::new("leaf.example.com", 3).digest(digest).ext(
            "subjectAltName",
            false,
            "DNS:leaf.example.com",
        ),
        &lk,
        Some(&inter),
    );
    Pki { root, inter, leaf }
}

fn check(dir: &TempDir, case: &Case<'_>) {
    let cli = openssl_verify(dir, case);
    let ours = puressl_verify(case);
    assert_eq!(ours.0, cli.0, "{}: first error (code, depth)", case.name);
    assert_eq!(ours.1, cli.1, "{}: errors seen by the callback", case.name);
}

#[test]
fn good_chains_of_every_key_type() {
    let dir = TempDir::new("matrix-good");
    for (kind, digest) in [
        ("rsa", "sha256"),
        ("ec", "sha384"),
        ("ed25519", ""),
        ("dsa", "sha256"),
    ] {
        let p = chain(kind, digest);
        let name = format!("good-{kind}");
        let case = Case::new(&name, &p.leaf.cert, vec![&p.root.cert], vec![&p.inter.cert]);
        check(&dir, &case);
        assert_eq!(puressl_verify(&case).0, None, "{kind}");
        // Intermediate trusted too, root trusted only, reversed order.
        let case = Case::new(
            &name,
            &p.leaf.cert,
            vec![&p.inter.cert, &p.root.cert],
            vec![],
        );
        check(&dir, &case);
    }
}

#[test]
fn validity_periods_at_each_depth() {
    let dir = TempDir::new("matrix-time");
    let rk = key("ec-p384");
    let k = key("ec-p256");
    let expired = ("20200101000000Z", "20251201000000Z");
    let future = ("20260201000000Z", "20300101000000Z");
    for (label, (nb, na)) in [("expired", expired), ("notyet", future)] {
        for depth in 0..3 {
            let t = |d: usize| {
                if d == depth {
                    (nb, na)
                } else {
                    ("20200101000000Z", "20400101000000Z")
                }
            };
            let root = make(&Spec::ca("T Root", 1).times(t(2).0, t(2).1), &rk, None);
            let inter = make(
                &Spec::ca("T Inter", 2).times(t(1).0, t(1).1),
                &k,
                Some(&root),
            );
            let leaf = make(
                &Spec::new("t.example.com", 3).times(t(0).0, t(0).1),
                &k,
                Some(&inter),
            );
            let name = format!("{label}-{depth}");
            let case = Case::new(&name, &leaf.cert, vec![&root.cert], vec![&inter.cert]);
            check(&dir, &case);
            let first = puressl_verify(&case).0.unwrap();
            assert_eq!(
                first,
                (if label == "expired" { 10 } else { 9 }, depth as u32)
            );
        }
    }
    // NO_CHECK_TIME ignores the periods.
    let root = make(
        &Spec::ca("T Root", 1).times(expired.0, expired.1),
        &rk,
        None,
    );
    let leaf = make(&Spec::new("t2.example.com", 3), &k, Some(&root));
    let mut case = Case::new("no-check-time", &leaf.cert, vec![&root.cert], vec![]);
    case.flags = X509StoreFlags::NO_CHECK_TIME;
    check(&dir, &case);
}

#[test]
fn chain_building_errors() {
    let dir = TempDir::new("matrix-build");
    let p = chain("ec", "sha256");
    let cases = [
        Case::new("missing-inter", &p.leaf.cert, vec![&p.root.cert], vec![]),
        Case::new(
            "untrusted-root",
            &p.leaf.cert,
            vec![],
            vec![&p.inter.cert, &p.root.cert],
        ),
        Case::new("nothing-trusted", &p.leaf.cert, vec![], vec![&p.inter.cert]),
        Case::new(
            "inter-only-trusted",
            &p.leaf.cert,
            vec![&p.inter.cert],
            vec![],
        ),
        Case::new(
            "self-signed-leaf",
            &p.root.cert,
            vec![&p.inter.cert],
            vec![],
        ),
        Case::new("root-alone", &p.root.cert, vec![&p.root.cert], vec![]),
        Case::new("inter-alone", &p.inter.cert, vec![&p.root.cert], vec![]),
    ];
    let expect = [
        Some((20, 0)),
        Some((19, 2)),
        Some((20, 1)),
        Some((2, 1)),
        Some((18, 0)),
        None,
        None,
    ];
    for (case, want) in cases.iter().zip(expect) {
        check(&dir, case);
        assert_eq!(puressl_verify(case).0, want, "{}", case.name);
    }
    // Partial chain: the trusted intermediate ends the chain.
    let mut case = Case::new("partial", &p.leaf.cert, vec![&p.inter.cert], vec![]);
    case.flags = X509StoreFlags::PARTIAL_CHAIN;
    check(&dir, &case);
    assert_eq!(puressl_verify(&case).0, None);
    let mut case = Case::new("partial-leaf", &p.leaf.cert, vec![&p.leaf.cert], vec![]);
    case.flags = X509StoreFlags::PARTIAL_CHAIN;
    check(&dir, &case);
    // Depth limit.
    for depth in 0..3 {
        let name = format!("depth-{depth}");
        let mut case = Case::new(&name, &p.leaf.cert, vec![&p.root.cert], vec![&p.inter.cert]);
        case.depth = Some(depth);
        check(&dir, &case);
    }
}

#[test]
fn signature_and_extension_errors() {
    let dir = TempDir::new("matrix-ext");
    let rk = key("rsa2048");
    let k = key("ec-p256");
    let other = key("ec-p384");
    let root = make(&Spec::ca("X Root", 1), &rk, None);
    let inter = make(&Spec::ca("X Inter", 2), &k, Some(&root));
    // Wrong signature: same issuer name, other key, no key identifiers.
    let forged_issuer = Ca {
        cert: inter.cert.clone(),
        key: other.clone(),
    };
    let mut spec = Spec::new("forged.example.com", 9);
    spec.key_ids = false;
    let forged = make(&spec, &k, Some(&forged_issuer));
    // Intermediate without CA:TRUE.
    let not_ca = make(
        &Spec::new("Not CA", 4).ext("basicConstraints", true, "CA:FALSE"),
        &k,
        Some(&root),
    );
    let under_not_ca = make(&Spec::new("u.example.com", 5), &k, Some(&not_ca));
    // Intermediate with keyUsage but no keyCertSign.
    let no_certsign = make(
        &Spec::new("No CertSign", 6)
            .ext("basicConstraints", true, "CA:TRUE")
            .ext("keyUsage", true, "digitalSignature"),
        &k,
        Some(&root),
    );
    let under_no_certsign = make(&Spec::new("k.example.com", 7), &k, Some(&no_certsign));
    // pathlen exceeded: root -> i1 (pathlen:0) -> i2 -> leaf.
    let i1 = make(
        &Spec::new("PL Inter 1", 10)
            .ext("basicConstraints", true, "CA:TRUE, pathlen:0")
            .ext("keyUsage", true, "keyCertSign, cRLSign"),
        &k,
        Some(&root),
    );
    let i2 = make(&Spec::ca("PL Inter 2", 11), &k, Some(&i1));
    let pl_leaf = make(&Spec::new("pl.example.com", 12), &k, Some(&i2));
    // Unknown critical extension on the leaf.
    let crit = make(
        &Spec::new("crit.example.com", 13).ext("1.2.3.4.5", true, "DER:0c0178"),
        &k,
        Some(&inter),
    );
    // Critical extension on the intermediate.
    let crit_inter = make(
        &Spec::ca("Crit Inter", 14).ext("1.2.3.4.6", true, "DER:0500"),
        &k,
        Some(&root),
    );
    let under_crit_inter = make(&Spec::new("ci.example.com", 15), &k, Some(&crit_inter));
    // MD5- and SHA-1-signed intermediates.
    let md5_inter = make(&Spec::ca("MD5 Inter", 16).digest("md5"), &k, Some(&root));
    let under_md5 = make(&Spec::new("md5.example.com", 17), &k, Some(&md5_inter));
    let sha1_inter = make(&Spec::ca("SHA1 Inter", 18).digest("sha1"), &k, Some(&root));
    let under_sha1 = make(&Spec::new("sha1.example.com", 19), &k, Some(&sha1_inter));
    // Root with keyUsage lacking keyCertSign.
    let bad_root = make(
        &Spec::new("Bad Root", 20)
            .ext("basicConstraints", true, "CA:TRUE")
            .ext("keyUsage", true, "cRLSign"),
        &rk,
        None,
    );
    let under_bad_root = make(&Spec::new("br.example.com", 21), &k, Some(&bad_root));
    let cases: Vec<(Case<'_>, Option<(i32, u32)>)> = vec![
        (
            Case::new(
                "bad-signature",
                &forged.cert,
                vec![&root.cert],
                vec![&inter.cert],
            ),
            Some((7, 0)),
        ),
        (
            Case::new(
                "not-ca",
                &under_not_ca.cert,
                vec![&root.cert],
                vec![&not_ca.cert],
            ),
            Some((79, 1)),
        ),
        (
            Case::new(
                "no-certsign",
                &under_no_certsign.cert,
                vec![&root.cert],
                vec![&no_certsign.cert],
            ),
            Some((79, 1)),
        ),
        (
            Case::new(
                "pathlen",
                &pl_leaf.cert,
                vec![&root.cert],
                vec![&i1.cert, &i2.cert],
            ),
            Some((25, 2)),
        ),
        (
            Case::new(
                "critical-leaf",
                &crit.cert,
                vec![&root.cert],
                vec![&inter.cert],
            ),
            Some((34, 0)),
        ),
        (
            Case::new(
                "critical-inter",
                &under_crit_inter.cert,
                vec![&root.cert],
                vec![&crit_inter.cert],
            ),
            Some((34, 1)),
        ),
        (
            Case::new(
                "md5-inter",
                &under_md5.cert,
                vec![&root.cert],
                vec![&md5_inter.cert],
            ),
            None,
        ),
        (
            Case::new(
                "sha1-inter",
                &under_sha1.cert,
                vec![&root.cert],
                vec![&sha1_inter.cert],
            ),
            None,
        ),
        (
            Case::new(
                "bad-root-ku",
                &under_bad_root.cert,
                vec![&bad_root.cert],
                vec![],
            ),
            Some((79, 1)),
        ),
    ];
    for (case, want) in &cases {
        check(&dir, case);
        if let Some(w) = want {
            assert_eq!(puressl_verify(case).0, Some(*w), "{}", case.name);
        }
    }
    let mut case = Case::new(
        "ignore-critical",
        &crit.cert,
        vec![&root.cert],
        vec![&inter.cert],
    );
    case.flags = X509StoreFlags::IGNORE_CRITICAL;
    check(&dir, &case);
    assert_eq!(puressl_verify(&case).0, None);
    for c in [&under_md5, &under_sha1, &pl_leaf] {
        let chain: Vec<&X509> = vec![&md5_inter.cert, &sha1_inter.cert, &i1.cert, &i2.cert];
        let mut case = Case::new("strict", &c.cert, vec![&root.cert], chain);
        case.flags = X509StoreFlags::X509_STRICT;
        check(&dir, &case);
    }
    let mut case = Case::new("check-ss-sig", &inter.cert, vec![&root.cert], vec![]);
    case.flags = X509StoreFlags::CHECK_SS_SIGNATURE;
    check(&dir, &case);
}

#[test]
fn name_constraints() {
    let dir = TempDir::new("matrix-nc");
    let rk = key("rsa2048");
    let k = key("ec-p256");
    let root = make(&Spec::ca("NC Root", 1), &rk, None);
    let inter = make(
        &Spec::ca("NC Inter", 2).ext(
            "nameConstraints",
            true,
            "permitted;DNS:example.com, permitted;email:example.com, permitted;IP:10.0.0.0/255.0.0.0, excluded;DNS:bad.example.com",
        ),
        &k,
        Some(&root),
    );
    let leaves = [
        (
            "nc-ok",
            "DNS:www.example.com, email:a@example.com, IP:10.1.2.3",
            "www.example.com",
        ),
        ("nc-permitted", "DNS:www.example.org", "x"),
        ("nc-excluded", "DNS:x.bad.example.com", "x"),
        ("nc-ip", "IP:192.168.1.1", "x"),
        ("nc-email", "email:a@example.net", "x"),
        ("nc-cn", "", "host.example.net"),
        ("nc-cn-ok", "", "host.example.com"),
    ];
    for (i, (name, san, cn)) in leaves.iter().enumerate() {
        let mut spec = Spec::new(cn, 10 + i as u64);
        if !san.is_empty() {
            spec = spec.ext("subjectAltName", false, san);
        }
        let leaf = make(&spec, &k, Some(&inter));
        let case = Case::new(name, &leaf.cert, vec![&root.cert], vec![&inter.cert]);
        check(&dir, &case);
        let want = match *name {
            "nc-ok" | "nc-cn-ok" => None,
            "nc-excluded" => Some((48, 0)),
            _ => Some((47, 0)),
        };
        assert_eq!(puressl_verify(&case).0, want, "{name}");
    }
}

#[test]
fn crl_checks() {
    let dir = TempDir::new("matrix-crl");
    let p = chain("ec", "sha256");
    let revoking = crl(&p.inter, &[3, 99], "20250101000000Z", "20270101000000Z");
    let clean = crl(&p.inter, &[99], "20250101000000Z", "20270101000000Z");
    let expired = crl(&p.inter, &[99], "20250101000000Z", "20251201000000Z");
    let future = crl(&p.inter, &[99], "20260201000000Z", "20270101000000Z");
    let root_crl = crl(&p.root, &[], "20250101000000Z", "20270101000000Z");
    let root_revokes_inter = crl(&p.root, &[2], "20250101000000Z", "20270101000000Z");
    // A CRL with the intermediate's name but signed by another key.
    let forged_ca = Ca {
        cert: p.inter.cert.clone(),
        key: key("ec-p384"),
    };
    // Without an AKI (puressl's CRLs have none) the forged CRL is a candidate.
    let forged = crl(&forged_ca, &[99], "20250101000000Z", "20270101000000Z");
    let check_all = X509StoreFlags::CRL_CHECK | X509StoreFlags::CRL_CHECK_ALL;
    type CrlCase<'a> = (
        &'a str,
        Vec<&'a puressl::crypto::X509Crl>,
        X509StoreFlags,
        Option<(i32, u32)>,
    );
    let cases: Vec<CrlCase<'_>> = vec![
        (
            "revoked",
            vec![&revoking],
            X509StoreFlags::CRL_CHECK,
            Some((23, 0)),
        ),
        ("not-revoked", vec![&clean], X509StoreFlags::CRL_CHECK, None),
        (
            "missing-crl",
            vec![],
            X509StoreFlags::CRL_CHECK,
            Some((3, 0)),
        ),
        (
            "crl-expired",
            vec![&expired],
            X509StoreFlags::CRL_CHECK,
            Some((12, 0)),
        ),
        (
            "crl-not-yet-valid",
            vec![&future],
            X509StoreFlags::CRL_CHECK,
            Some((11, 0)),
        ),
        (
            "crl-bad-signature",
            vec![&forged],
            X509StoreFlags::CRL_CHECK,
            Some((8, 0)),
        ),
        (
            "check-all-missing-root-crl",
            vec![&clean],
            check_all,
            Some((3, 1)),
        ),
        ("check-all", vec![&clean, &root_crl], check_all, None),
        (
            "check-all-inter-revoked",
            vec![&clean, &root_revokes_inter],
            check_all,
            Some((23, 1)),
        ),
        ("no-flag", vec![&revoking], X509StoreFlags::empty(), None),
    ];
    for (name, crls, flags, want) in cases {
        let mut case = Case::new(name, &p.leaf.cert, vec![&p.root.cert], vec![&p.inter.cert]);
        case.crls = crls;
        case.flags = flags;
        check(&dir, &case);
        assert_eq!(puressl_verify(&case).0, want, "{name}");
    }
}

#[test]
fn authentication_security_levels() {
    let dir = TempDir::new("matrix-level");
    let rk = key("rsa2048");
    let weak = key("rsa1024");
    let k = key("ec-p256");
    let root = make(&Spec::ca("L Root", 1), &rk, None);
    let md5_inter = make(&Spec::ca("L MD5 Inter", 2).digest("md5"), &k, Some(&root));
    let under_md5 = make(&Spec::new("l1.example.com", 3), &k, Some(&md5_inter));
    let sha1_inter = make(&Spec::ca("L SHA1 Inter", 4).digest("sha1"), &k, Some(&root));
    let under_sha1 = make(&Spec::new("l2.example.com", 5), &k, Some(&sha1_inter));
    let weak_inter = make(&Spec::ca("L Weak Inter", 6), &weak, Some(&root));
    let under_weak = make(&Spec::new("l3.example.com", 7), &k, Some(&weak_inter));
    let weak_leaf = make(&Spec::new("l4.example.com", 8), &weak, Some(&root));
    let sha1_leaf = make(
        &Spec::new("l5.example.com", 9).digest("sha1"),
        &k,
        Some(&root),
    );
    let ed_root = make(&Spec::ca("L Ed Root", 10), &key("ed25519"), None);
    let under_ed = make(&Spec::new("l6.example.com", 11), &k, Some(&ed_root));
    let cases = [
        ("md5", &under_md5, &root, Some(&md5_inter)),
        ("sha1", &under_sha1, &root, Some(&sha1_inter)),
        ("weak-inter", &under_weak, &root, Some(&weak_inter)),
        ("weak-leaf", &weak_leaf, &root, None),
        ("sha1-leaf", &sha1_leaf, &root, None),
        ("ed25519", &under_ed, &ed_root, None),
    ];
    for (name, leaf, anchor, inter) in cases {
        for level in [0, 1, 2, 3, 4] {
            let label = format!("{name}-level{level}");
            let untrusted: Vec<&X509> = inter.iter().map(|c| &c.cert).collect();
            let mut case = Case::new(&label, &leaf.cert, vec![&anchor.cert], untrusted);
            case.auth_level = Some(level);
            check(&dir, &case);
        }
    }
    // The codes themselves.
    let mut case = Case::new(
        "md5-1",
        &under_md5.cert,
        vec![&root.cert],
        vec![&md5_inter.cert],
    );
    case.auth_level = Some(1);
    assert_eq!(puressl_verify(&case).0, Some((68, 1)));
    let mut case = Case::new(
        "weak-2",
        &under_weak.cert,
        vec![&root.cert],
        vec![&weak_inter.cert],
    );
    case.auth_level = Some(2);
    assert_eq!(puressl_verify(&case).0, Some((67, 1)));
    let mut case = Case::new("weak-leaf-2", &weak_leaf.cert, vec![&root.cert], vec![]);
    case.auth_level = Some(2);
    assert_eq!(puressl_verify(&case).0, Some((66, 0)));
}

fn uri_dp_der(uri: &str) -> String {
    let u = uri.as_bytes();
    let mut gn = vec![0x86, u.len() as u8];
    gn.extend_from_slice(u);
    let mut full = vec![0xa0, gn.len() as u8];
    full.extend(gn);
    let mut dp = vec![0xa0, full.len() as u8];
    dp.extend(full);
    let mut seq = vec![0x30, dp.len() as u8];
    seq.extend(dp);
    let hex: String = seq.iter().map(|b| format!("{b:02x}")).collect();
    format!("DER:{hex}")
}

#[test]
fn crl_scope_and_distribution_points() {
    let dir = TempDir::new("matrix-crl-scope");
    let rk = key("ec-p384");
    let k = key("ec-p256");
    let root = make(&Spec::ca("S Root", 1), &rk, None);
    let inter = make(&Spec::ca("S Inter", 2), &k, Some(&root));
    let leaf = make(
        &Spec::new("s.example.com", 3).ext(
            "crlDistributionPoints",
            false,
            "URI:http://crl.example.com/a.crl",
        ),
        &k,
        Some(&inter),
    );
    let plain_leaf = make(&Spec::new("p.example.com", 4), &k, Some(&inter));
    let (lu, nu) = ("20250101000000Z", "20270101000000Z");
    let dp_a = uri_dp_der("http://crl.example.com/a.crl");
    let dp_b = uri_dp_der("http://crl.example.com/b.crl");
    let crls = [
        (
            "only-user",
            crl_with(
                &inter,
                &[3, 4],
                lu,
                nu,
                &[("issuingDistributionPoint", true, "DER:30038101ff")],
            ),
        ),
        (
            "only-ca",
            crl_with(
                &inter,
                &[3, 4],
                lu,
                nu,
                &[("issuingDistributionPoint", true, "DER:30038201ff")],
            ),
        ),
        (
            "indirect",
            crl_with(
                &inter,
                &[3, 4],
                lu,
                nu,
                &[("issuingDistributionPoint", true, "DER:30038401ff")],
            ),
        ),
        (
            "dp-a",
            crl_with(
                &inter,
                &[3, 4],
                lu,
                nu,
                &[("issuingDistributionPoint", true, &dp_a)],
            ),
        ),
        (
            "dp-b",
            crl_with(
                &inter,
                &[3, 4],
                lu,
                nu,
                &[("issuingDistributionPoint", true, &dp_b)],
            ),
        ),
        (
            "critical-unknown",
            crl_with(&inter, &[99], lu, nu, &[("1.2.3.4.7", true, "DER:0500")]),
        ),
        (
            "crl-number",
            crl_with(&inter, &[99], lu, nu, &[("crlNumber", false, "DER:020107")]),
        ),
    ];
    for (name, c) in &crls {
        for (lname, l) in [("dp-leaf", &leaf), ("plain-leaf", &plain_leaf)] {
            let label = format!("{name}-{lname}");
            let mut case = Case::new(&label, &l.cert, vec![&root.cert], vec![&inter.cert]);
            case.crls = vec![c];
            case.flags = X509StoreFlags::CRL_CHECK;
            check(&dir, &case);
            if lname == "dp-leaf" {
                let want = match *name {
                    "only-user" | "dp-a" => Some((23, 0)),
                    "only-ca" | "dp-b" => Some((44, 0)),
                    "indirect" => Some((3, 0)),
                    "critical-unknown" => Some((36, 0)),
                    _ => None,
                };
                assert_eq!(puressl_verify(&case).0, want, "{label}");
            }
        }
    }
    // Two CRLs: the valid one wins over an expired one, whatever the order.
    let old = crl(&inter, &[], "20240101000000Z", "20250101000000Z");
    let new = crl(&inter, &[3], lu, nu);
    for (label, list) in [("old-new", vec![&old, &new]), ("new-old", vec![&new, &old])] {
        let mut case = Case::new(label, &leaf.cert, vec![&root.cert], vec![&inter.cert]);
        case.crls = list;
        case.flags = X509StoreFlags::CRL_CHECK;
        check(&dir, &case);
        assert_eq!(puressl_verify(&case).0, Some((23, 0)));
    }
}

#[test]
fn cross_signed_intermediates() {
    let dir = TempDir::new("matrix-cross");
    let k = key("ec-p256");
    let old_root = make(&Spec::ca("Old Root", 1), &key("rsa2048"), None);
    let new_root = make(&Spec::ca("New Root", 2), &key("ec-p384"), None);
    let mut spec = Spec::ca("Cross Inter", 3);
    spec.key_ids = false;
    let by_old = make(&spec, &k, Some(&old_root));
    let by_new = make(&spec, &k, Some(&new_root));
    let mut leaf_spec = Spec::new("x.example.com", 4);
    leaf_spec.key_ids = false;
    let leaf = make(&leaf_spec, &k, Some(&by_new));
    let cases = [
        (
            "cross-new-first",
            vec![&new_root.cert],
            vec![&by_new.cert, &by_old.cert],
        ),
        (
            "cross-old-first",
            vec![&new_root.cert],
            vec![&by_old.cert, &by_new.cert],
        ),
        (
            "cross-old-trusted",
            vec![&old_root.cert],
            vec![&by_new.cert, &by_old.cert],
        ),
        (
            "cross-both-trusted",
            vec![&old_root.cert, &new_root.cert],
            vec![&by_old.cert],
        ),
        (
            "cross-inter-trusted",
            vec![&by_old.cert, &new_root.cert],
            vec![],
        ),
    ];
    for (name, trusted, untrusted) in cases {
        let case = Case::new(name, &leaf.cert, trusted, untrusted);
        check(&dir, &case);
    }
}

#[test]
fn strict_mode_checks() {
    let dir = TempDir::new("matrix-strict");
    let rk = key("rsa2048");
    let k = key("ec-p256");
    let root = make(&Spec::ca("St Root", 1), &rk, None);
    let mut no_ids = Spec::ca("St No Ids", 2);
    no_ids.key_ids = false;
    let no_ids = make(&no_ids, &k, Some(&root));
    let no_ku = make(
        &Spec::new("St No KU", 3).ext("basicConstraints", true, "CA:TRUE"),
        &k,
        Some(&root),
    );
    let bc_not_critical = make(
        &Spec::new("St BC", 4)
            .ext("basicConstraints", false, "CA:TRUE")
            .ext("keyUsage", true, "keyCertSign"),
        &k,
        Some(&root),
    );
    let inter = make(&Spec::ca("St Inter", 5), &k, Some(&root));
    let leaf_certsign = make(
        &Spec::new("ks.example.com", 6).ext("keyUsage", true, "digitalSignature, keyCertSign"),
        &k,
        Some(&inter),
    );
    let leaf_pathlen = make(
        &Spec::new("pl.example.com", 7).ext("basicConstraints", true, "CA:FALSE, pathlen:1"),
        &k,
        Some(&inter),
    );
    let mut nok = Spec::new("nok.example.com", 8);
    nok.key_ids = false;
    let leaf_no_ids = make(&nok, &k, Some(&inter));
    let san_only = make(
        &Spec::new("", 9).ext("subjectAltName", false, "DNS:san.example.com"),
        &k,
        Some(&inter),
    );
    let leaves = [
        (
            "under-no-ids",
            make(&Spec::new("a.example.com", 20), &k, Some(&no_ids)),
            &no_ids,
        ),
        (
            "under-no-ku",
            make(&Spec::new("b.example.com", 21), &k, Some(&no_ku)),
            &no_ku,
        ),
        (
            "under-bc",
            make(&Spec::new("c.example.com", 22), &k, Some(&bc_not_critical)),
            &bc_not_critical,
        ),
        ("leaf-certsign", leaf_certsign, &inter),
        ("leaf-pathlen", leaf_pathlen, &inter),
        ("leaf-no-ids", leaf_no_ids, &inter),
        ("san-only", san_only, &inter),
    ];
    for (name, leaf, issuer) in &leaves {
        for strict in [false, true] {
            let label = format!("{name}-{strict}");
            let mut case = Case::new(&label, &leaf.cert, vec![&root.cert], vec![&issuer.cert]);
            if strict {
                case.flags = X509StoreFlags::X509_STRICT;
            }
            check(&dir, &case);
        }
    }
}

#[test]
fn name_constraint_minimum_and_maximum() {
    let dir = TempDir::new("matrix-nc-minmax");
    let rk = key("rsa2048");
    let k = key("ec-p256");
    let root = make(&Spec::ca("MM Root", 1), &rk, None);
    let with_max = "DER:3014a0123010820b6578616d706c652e636f6d810102";
    let with_min0 = "DER:3014a0123010820b6578616d706c652e636f6d800100";
    for (label, nc) in [("max", with_max), ("min0", with_min0)] {
        let inter = make(
            &Spec::ca("MM Inter", 2).ext("nameConstraints", true, nc),
            &k,
            Some(&root),
        );
        for (i, san) in [
            "DNS:www.example.com",
            "email:a@example.org",
            "DNS:www.example.org",
        ]
        .iter()
        .enumerate()
        {
            let leaf = make(
                &Spec::new("x", 10 + i as u64).ext("subjectAltName", false, san),
                &k,
                Some(&inter),
            );
            let name = format!("{label}-{i}");
            let case = Case::new(&name, &leaf.cert, vec![&root.cert], vec![&inter.cert]);
            check(&dir, &case);
        }
    }
}

#[test]
fn rsa_pss_signatures_made_by_openssl() {
    let dir = TempDir::new("matrix-pss");
    let keys = format!("{}/tests/vectors/keys", env!("CARGO_MANIFEST_DIR"));
    let run = |args: &[&str]| {
        let out = std::process::Command::new("openssl")
            .args(args)
            .current_dir(&dir.0)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let root_key = format!("{keys}/rsa2048.pkcs8.pem");
    let inter_key = format!("{keys}/ec-p256.pkcs8.pem");
    run(&[
        "req",
        "-x509",
        "-key",
        &root_key,
        "-out",
        "root.pem",
        "-subj",
        "/CN=PSS Root",
        "-days",
        "3650",
        "-set_serial",
        "1",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    run(&[
        "req",
        "-new",
        "-key",
        &inter_key,
        "-out",
        "inter.csr",
        "-subj",
        "/CN=PSS Inter",
    ]);
    std::fs::write(
        dir.path("ext.cnf"),
        "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n",
    )
    .unwrap();
    for (name, digest, salt) in [
        ("sha256", "-sha256", "32"),
        ("sha1", "-sha1", "20"),
        ("sha512", "-sha512", "-1"),
    ] {
        let out = format!("inter-{name}.pem");
        run(&[
            "x509",
            "-req",
            "-in",
            "inter.csr",
            "-CA",
            "root.pem",
            "-CAkey",
            &root_key,
            "-set_serial",
            "2",
            "-days",
            "3650",
            digest,
            "-sigopt",
            "rsa_padding_mode:pss",
            "-sigopt",
            &format!("rsa_pss_saltlen:{salt}"),
            "-extfile",
            "ext.cnf",
            "-out",
            &out,
        ]);
        let load = |p: &str| {
            puressl::crypto::load_certificate(
                puressl::crypto::FileType::Pem,
                &std::fs::read(dir.path(p)).unwrap(),
            )
            .unwrap()
        };
        let root = load("root.pem");
        let inter = load(&out);
        assert_eq!(inter.signature_algorithm().unwrap(), "rsassaPss");
        // The CLI made these now: verify one day later.
        let at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
            + 86_400;
        for level in [0, 1, 2, 3, 4] {
            let label = format!("pss-{name}-{level}");
            let mut case = Case::new(&label, &inter, vec![&root], vec![]);
            case.auth_level = Some(level);
            case.at = at;
            check(&dir, &case);
        }
        let mut case = Case::new("pss-plain", &inter, vec![&root], vec![]);
        case.at = at;
        assert_eq!(puressl_verify(&case).0, None, "{name}");
    }
}
