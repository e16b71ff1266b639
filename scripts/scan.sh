#!/usr/bin/env bash
# Scans puressl's example server with sslyze (issue 14).
#
# Builds examples/certgen and examples/server (release), makes a throw-away
# PKI, starts the server on a free 127.0.0.1 port, runs sslyze against it and
# checks its findings: no SSL 2.0/3.0 or TLS 1.0/1.1, no suite under 128
# bits or without forward secrecy, no compression, not vulnerable to ROBOT,
# Heartbleed or CCS injection, secure renegotiation. Exit status 0 when all
# hold. The full sslyze JSON is left in target/scan/sslyze.json.
#
# sslyze comes from pip, into a venv (target/sslyze-venv, or $SSLYZE_VENV).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${SSLYZE_VENV:-target/sslyze-venv}
if [ ! -x "$venv/bin/sslyze" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet 'sslyze==6.3.1'
fi
cargo build --release --example certgen --example server
out=target/scan
rm -rf "$out" && mkdir -p "$out"
target/release/examples/certgen "$out/pki" >/dev/null
target/release/examples/server --port 0 --cert "$out/pki/server.pem" --key "$out/pki/server.key" \
  >"$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
addr=
for _ in $(seq 100); do
  addr=$(sed -n 's/^listening on //p' "$out/server.log")
  [ -n "$addr" ] && break
  sleep 0.1
done
[ -n "$addr" ] || { echo "the server did not start:"; cat "$out/server.log"; exit 1; }
echo "scanning $addr"
timeout 600 "$venv/bin/sslyze" --json_out="$out/sslyze.json" "$addr" >"$out/sslyze.txt" 2>&1 || true
python3 - "$out/sslyze.json" <<'PY'
import json, sys
scan = json.load(open(sys.argv[1]))["server_scan_results"][0]
if scan["scan_status"] != "COMPLETED":
    sys.exit(f"sslyze could not scan: {scan.get('connectivity_error_trace')}")
r = scan["scan_result"]
def result(name):
    entry = r[name]
    if entry["status"] != "COMPLETED":
        sys.exit(f"{name}: {entry['status']} {entry.get('error_reason')} {entry.get('error_trace')}")
    return entry["result"]
problems, lines = [], []
for proto in ["ssl_2_0", "ssl_3_0", "tls_1_0", "tls_1_1", "tls_1_2", "tls_1_3"]:
    suites = result(f"{proto}_cipher_suites")["accepted_cipher_suites"]
    names = [s["cipher_suite"]["name"] for s in suites]
    lines.append(f"{proto}: {len(names)} suites {' '.join(names)}")
    if proto not in ("tls_1_2", "tls_1_3") and names:
        problems.append(f"{proto} accepted")
    for s in suites:
        cs = s["cipher_suite"]
        kx = (s.get("ephemeral_key") or {}).get("type_name") or ""
        if cs["key_size"] < 128 or cs["is_anonymous"]:
            problems.append(f"weak suite {cs['name']}")
        if proto == "tls_1_2" and "ECDHE" not in cs["name"] and "DHE" not in cs["name"]:
            problems.append(f"suite without forward secrecy {cs['name']}")
checks = {
    "tls_compression": lambda x: not x["supports_compression"],
    "heartbleed": lambda x: not x["is_vulnerable_to_heartbleed"],
    "openssl_ccs_injection": lambda x: not x["is_vulnerable_to_ccs_injection"],
    "robot": lambda x: x["robot_result"] in ("NOT_VULNERABLE_NO_ORACLE", "NOT_VULNERABLE_RSA_NOT_SUPPORTED"),
    "session_renegotiation": lambda x: not x["is_vulnerable_to_client_renegotiation_dos"],
    "tls_fallback_scsv": lambda x: x["supports_fallback_scsv"],
}
for name, ok in checks.items():
    x = result(name)
    shown = {k: v for k, v in x.items() if not isinstance(v, (list, dict))}
    lines.append(f"{name}: {shown}")
    if not ok(x):
        problems.append(f"{name}: {shown}")
print("\n".join(lines))
if problems:
    sys.exit("FAILED:\n  " + "\n  ".join(problems))
print("scan passed")
PY
