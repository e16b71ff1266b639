#!/usr/bin/env python3
"""Run the project's examples/inspect over a vectors corpus and compare with expected.json.

Run from the repository root, e.g.
  cargo build --release --example inspect
  python3 scripts/inspect_check.py tests/vectors x509,csr,private_key,public_key,pkcs12,pkcs7,spkac,crl,verify,bad

usage: inspect_check.py CORPUS_DIR KIND[,KIND...] [--min PCT] [--report FILE]
KIND: x509 csr private_key public_key pkcs12 pkcs7 spkac crl bad verify
Prints per-kind field counts; exits 0 when every kind reaches --min percent (default 100).
"""
import json, os, subprocess, sys

NAME_FIELDS = ["components", "components_raw_hex", "asn1_types", "oids", "attrs", "der_hex",
               "hash", "hash_old", "oneline", "rfc4514"]
KEY_FIELDS = ["type", "type_id", "bits", "spki_sha256", "rsa_e", "rsa_n_sha256", "curve"]
EXT_FIELDS = ["short_name", "oid", "critical", "str", "data_hex"]
TOP = {
    "x509": ["version", "serial", "serial_der_hex", "not_before", "not_after", "not_before_asn1_type",
             "not_after_asn1_type", "has_expired", "digest", "subject_name_hash", "subject_name_hash_old",
             "issuer_name_hash", "issuer_name_hash_old", "subject", "issuer", "pubkey",
             "signature_algorithm", "signature_algorithm_oid", "extension_count", "extensions", "der_sha256"],
    "csr": ["version", "subject", "pubkey", "verify", "signature_algorithm", "signature_algorithm_oid",
            "extensions", "challenge_password", "der_sha256"],
    "private_key": KEY_FIELDS + ["check"],
    "public_key": KEY_FIELDS,
    "pkcs12": ["certificate", "privatekey", "ca_certificates", "friendlyname"],
    "pkcs7": ["type_name", "type_is_signed", "type_is_enveloped", "type_is_signedAndEnveloped",
              "type_is_data", "certificates"],
    "spkac": ["challenge", "pubkey", "signature_algorithm", "verify"],
    "crl": ["version", "issuer", "last_update", "next_update", "signature_algorithm", "revoked_count",
            "revoked", "der_sha256"],
}
LOADER_KIND = {"load_certificate": "x509", "load_privatekey": "private_key", "load_publickey": "public_key",
               "load_certificate_request": "csr", "load_crl": "crl", "load_pkcs7_data": "pkcs7",
               "load_pkcs12": "pkcs12"}


class Tally:
    def __init__(self):
        self.ok = 0
        self.total = 0
        self.misses = []

    def eq(self, where, exp, got):
        self.total += 1
        if exp == got:
            self.ok += 1
        else:
            self.misses.append(f"{where}: expected {json.dumps(exp)[:160]} got {json.dumps(got)[:160]}")


def cmp_name(t, where, exp, got):
    got = got if isinstance(got, dict) else {}
    for f in NAME_FIELDS:
        if f in exp and not (f == "rfc4514" and exp[f] is None):
            t.eq(f"{where}.{f}", exp[f], got.get(f))


def cmp_key(t, where, exp, got):
    got = got if isinstance(got, dict) else {}
    for f in KEY_FIELDS:
        if f in exp:
            t.eq(f"{where}.{f}", exp[f], got.get(f))


def cmp_exts(t, where, exp, got):
    got = got if isinstance(got, list) else []
    t.eq(f"{where}.len", len(exp), len(got))
    for i, e in enumerate(exp):
        g = got[i] if i < len(got) and isinstance(got[i], dict) else {}
        for f in EXT_FIELDS:
            if f in e:
                t.eq(f"{where}[{i}].{f}", e[f], g.get(f))


def compare(t, path, kind, exp, got):
    for f in TOP[kind]:
        if f not in exp:
            continue
        w = f"{path}:{f}"
        e, g = exp[f], got.get(f)
        if f in ("subject", "issuer") and isinstance(e, dict):
            cmp_name(t, w, e, g)
        elif f == "pubkey" and isinstance(e, dict):
            cmp_key(t, w, e, g)
        elif f == "privatekey":
            if e is None:
                t.eq(w, None, g)
            else:
                cmp_key(t, w, e, g)
        elif f == "extensions" and isinstance(e, list):
            cmp_exts(t, w, e, g)
        elif f == "check":
            t.eq(w, True if e is True else (False if e is False else None), g)
        elif f == "certificate":
            t.eq(w, None if e is None else e.get("der_sha256"), (g or {}).get("der_sha256") if isinstance(g, dict) else g)
        elif f == "ca_certificates":
            t.eq(w, None if e is None else [c["der_sha256"] for c in e],
                 None if not isinstance(g, list) else [c.get("der_sha256") if isinstance(c, dict) else c for c in g])
        elif f == "revoked" and isinstance(e, list):
            g = g if isinstance(g, list) else []
            t.eq(f"{w}.len", len(e), len(g))
            for i, r in enumerate(e):
                gr = g[i] if i < len(g) and isinstance(g[i], dict) else {}
                for rf in ("serial_hex", "serial", "rev_date", "reason"):
                    if rf in r:
                        t.eq(f"{w}[{i}].{rf}", r[rf], gr.get(rf))
        else:
            t.eq(w, e, g)


def run(binary, args, cwd):
    try:
        p = subprocess.run([binary] + args, cwd=cwd, capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return None, "timeout", ""
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def pw_args(v):
    if v.get("password_hex"):
        return ["--password-hex", v["password_hex"]]
    if v.get("password") is not None and v.get("password") != "":
        return ["--password", v["password"]]
    return []


def main():
    corpus, kinds = sys.argv[1], sys.argv[2].split(",")
    minpct = float(sys.argv[sys.argv.index("--min") + 1]) if "--min" in sys.argv else 100.0
    report = sys.argv[sys.argv.index("--report") + 1] if "--report" in sys.argv else None
    binary = os.path.abspath("target/release/examples/inspect")
    if not os.path.exists(binary):
        print("no target/release/examples/inspect: build with cargo build --release --example inspect")
        return 1
    exp_all = json.load(open(os.path.join(corpus, "expected.json")))
    files = exp_all["files"]
    tallies = {k: Tally() for k in kinds}
    for path, v in sorted(files.items()):
        kind = v["kind"]
        if kind == "bad" and "bad" in kinds:
            for ld in v["loads"]:
                k = LOADER_KIND.get(ld["function"])
                if not k or ld.get("expected") != "error":
                    continue
                rc, out, err = run(binary, ["--kind", k] + pw_args(v) + [path], corpus)
                tallies["bad"].eq(f"{path} as {k}", "exit 1", "exit 1" if rc == 1 else f"exit {rc}")
            continue
        if kind == "x509" and "verify" in kinds and "verify" in v:
            vb = v["verify"]
            args = ["--kind", "x509", "--verify-at", vb["at"]]
            for tr in vb.get("trusted", []):
                args += ["--trusted", tr]
            for un in vb.get("untrusted", []):
                args += ["--untrusted", un]
            rc, out, err = run(binary, args + [path], corpus)
            try:
                got = json.loads(out).get("verify") or {}
            except Exception:
                got = {}
            for f in ("result", "error_code", "error_depth", "error_message"):
                if f in vb:
                    tallies["verify"].eq(f"{path}:verify.{f}", vb[f], got.get(f))
        if kind not in kinds:
            continue
        rc, out, err = run(binary, ["--kind", kind] + pw_args(v) + [path], corpus)
        t = tallies[kind]
        if rc != 0:
            t.eq(f"{path}:load", "exit 0", f"exit {rc}: {err.strip()[:120]}")
            t.total += len([f for f in TOP[kind] if f in v])  # every field counts as missed
            continue
        try:
            got = json.loads(out)
        except Exception as e:
            t.eq(f"{path}:json", "valid json", str(e)[:80])
            continue
        compare(t, path, kind, v, got)
    ok = True
    lines = []
    for k, t in tallies.items():
        pct = 100.0 * t.ok / t.total if t.total else 0.0
        ok &= t.total > 0 and pct >= minpct
        lines.append(f"{k} {t.ok}/{t.total}")
    if report:
        with open(report, "w") as fh:
            for k, t in tallies.items():
                fh.write(f"## {k}: {t.ok}/{t.total}\n" + "\n".join(t.misses) + "\n")
    for k, t in tallies.items():
        for m in t.misses[:3]:
            print("  miss", m)
    print("inspect vs expected.json: " + ", ".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
