#!/usr/bin/env bash
# Scans puressl's example server with sslyze (issue 14).
#
# Builds examples/certgen and examples/server and scans the server twice, on
# a free 127.0.0.1 port each time: with a P-256 ECDSA certificate (a
# throw-away PKI from certgen) and with an RSA-2048 one (the test PKI in
# tests/data/provider/), so the ECDHE_RSA suites and ROBOT are scanned too.
# Each scan checks sslyze's findings: no SSL 2.0/3.0 or TLS 1.0/1.1, no suite
# under 128 bits, anonymous or without forward secrecy, no compression, not
# vulnerable to ROBOT, Heartbleed or CCS injection, secure renegotiation and
# no client-initiated renegotiation, TLS_FALLBACK_SCSV, extended master
# secret, no 0-RTT early data, TLS 1.2 session-ID resumption, only curves of
# 253 bits or more, a chain that verifies against the scan's CA. Exit status
# 0 when all hold.
#
# Output, per scan NAME (p256, rsa2048) in target/scan/NAME/: sslyze.json
# (the full result), sslyze.txt (sslyze's own report, including its Mozilla
# "intermediate" compliance check, which is informational here), summary.txt
# (what the checks saw) and server.log.
#
# sslyze comes from pip, into a venv (target/sslyze-venv, or $SSLYZE_VENV).
# The examples are built in the dev profile (dependencies are optimised there;
# it shares the test build), or in $SCAN_PROFILE (e.g. SCAN_PROFILE=release).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${SSLYZE_VENV:-target/sslyze-venv}
if [ ! -x "$venv/bin/sslyze" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet 'sslyze==6.3.1'
fi
profile=${SCAN_PROFILE:-dev}
cargo build --profile "$profile" --example certgen --example server
bin=target/$([ "$profile" = dev ] && echo debug || echo "$profile")/examples
out=target/scan
rm -rf "$out" && mkdir -p "$out"
"$bin/certgen" "$out/pki" >/dev/null

server=
trap '[ -z "$server" ] || kill "$server" 2>/dev/null || true' EXIT

# scan NAME CERT KEY CA: one server, one sslyze run, the checks.
scan() {
  local name=$1 cert=$2 key=$3 ca=$4 dir=$out/$1 addr=
  mkdir -p "$dir"
  "$bin/server" --port 0 --cert "$cert" --key "$key" >"$dir/server.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do
    addr=$(sed -n 's/^listening on //p' "$dir/server.log")
    [ -n "$addr" ] && break
    sleep 0.1
  done
  [ -n "$addr" ] || { echo "the server did not start:"; cat "$dir/server.log"; exit 1; }
  echo "== $name: scanning $addr"
  # sslyze exits non-zero when the Mozilla compliance check fails; the checks
  # below decide.
  timeout 600 "$venv/bin/sslyze" --json_out="$dir/sslyze.json" \
    --certinfo --certinfo_ca_file "$ca" \
    --sslv2 --sslv3 --tlsv1 --tlsv1_1 --tlsv1_2 --tlsv1_3 \
    --compression --heartbleed --openssl_ccs --robot --reneg --fallback \
    --elliptic_curves --ems --early_data --resum --resum_attempts 10 \
    --mozilla_config intermediate \
    "$addr" >"$dir/sslyze.txt" 2>&1 || true
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  server=
  python3 scripts/scan_check.py "$dir/sslyze.json" | tee "$dir/summary.txt"
}

scan p256 "$out/pki/server.pem" "$out/pki/server.key" "$out/pki/ca.pem"
scan rsa2048 tests/data/provider/rsa2048.pem tests/data/provider/rsa2048.key \
  tests/data/provider/rsa2048-ca.pem
echo "scan passed"
