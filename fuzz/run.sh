#!/usr/bin/env bash
# Builds puressl's fuzz targets and runs each in turn (one fuzzer at a time,
# niced), with seed corpora from tests/vectors and from puressl itself.
#
#   fuzz/run.sh [seconds per target (600)] [target ...]   (default: all)
#
# FUZZ_CPU=1 makes the seconds CPU seconds (the fuzzer's user + system time,
# read from /proc every 5 s; it is stopped with SIGUSR1, libFuzzer's graceful
# exit with the final stats: a script's background job ignores SIGINT) instead of wall-clock seconds, so a run on a busy machine still gets
# its share. FUZZ_NICE sets the nice level (default 19; root may go below 0).
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain
# (`rustup toolchain install nightly`). Corpora grow in fuzz/corpus/<target>,
# crashes land in fuzz/artifacts/<target>/, logs in fuzz/logs/<target>.log.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(tls_records tls_server tls_client load_certificate_der verify_certificate
    load_privatekey load_pkcs12 load_crl load_pkcs7_data load_certificate_request
    load_publickey x509_extension netscape_spki load_certificate_pem
    load_privatekey_passphrase set_cipher_list)
fi
# Release build with debug assertions and overflow checks; no sanitizer (the
# crate forbids unsafe code; the findings sought are panics, and ASan would
# halve the executions per second on this shared machine).
flags=(-O -a -s none)
# FUZZ_NO_BUILD=1 runs the binaries already built.
[ -n "${FUZZ_NO_BUILD:-}" ] || cargo +nightly fuzz build "${flags[@]}"
bin=target/x86_64-unknown-linux-gnu/release
v=../tests/vectors

# Vector files as seeds. Passphrase targets get "<len><passphrase><file>".
seed() {
  local t=$1 dir=corpus/$1
  mkdir -p "$dir"
  case $t in
    load_certificate_pem) cp $v/certs/*.pem $v/bad/*.pem "$dir" ;;
    load_certificate_der) cp $v/certs/*.der $v/bad/*.der "$dir" ;;
    load_certificate_request) cp $v/csr/* "$dir" ;;
    load_privatekey) cp $v/keys/*.trad.* $v/keys/*.pkcs8.* $v/bad/truncated_key.pem "$dir" ;;
    load_publickey) cp $v/keys/*.pub.* $v/keys/*.rsapub.pem "$dir" ;;
    load_crl) cp $v/crl/* "$dir" ;;
    load_pkcs7_data) cp $v/pkcs7/*.p7* "$dir" ;;
    netscape_spki) for f in $v/spkac/*; do sed 's/^SPKAC=//' "$f" >"$dir/$(basename "$f")"; done ;;
    load_pkcs12 | load_privatekey_passphrase)
      python3 - "$t" "$v" "$dir" <<'PY'
import json, os, sys
t, v, d = sys.argv[1:]
files = json.load(open(os.path.join(v, "expected.json")))["files"]
for path, meta in files.items():
    is_p12 = path.endswith(".p12")
    if is_p12 != (t == "load_pkcs12") or not os.path.exists(os.path.join(v, path)):
        continue
    pw = meta.get("password_hex")
    if pw is None and not is_p12:
        continue
    data = open(os.path.join(v, path), "rb").read()
    prefix = bytes([255]) if pw is None else bytes([len(bytes.fromhex(pw))]) + bytes.fromhex(pw)
    open(os.path.join(d, os.path.basename(path)), "wb").write(prefix + data)
PY
      ;;
  esac
  # The target writes its own seeds (harness::seeds) when asked.
  PURESSL_FUZZ_SEED_DIR="$dir" "$bin/$t" -runs=0 "$dir" >/dev/null 2>&1 || true
}

mkdir -p logs
for t in "${targets[@]}"; do
  seed "$t"
  mkdir -p "artifacts/$t"
  echo "== $t: $(ls "corpus/$t" | wc -l) seeds, ${secs}s, $(date -u +%FT%TZ)"
  if [ -n "${FUZZ_CPU:-}" ]; then
    # Wall-clock limit only as a backstop; the CPU watch below ends the run.
    nice -n "${FUZZ_NICE:-19}" "$bin/$t" "corpus/$t" -artifact_prefix="artifacts/$t/" \
      -max_total_time=$((secs * 20)) -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
      >"logs/$t.log" 2>&1 &
    pid=$! ticks=0
    while kill -0 "$pid" 2>/dev/null; do
      sleep 5
      now=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null) || break
      ticks=${now:-$ticks}
      [ "$ticks" -lt $((secs * $(getconf CLK_TCK))) ] || kill -USR1 "$pid" 2>/dev/null
    done
    status=0
    wait "$pid" || status=$?
    [ $status -eq 0 ] || echo "   $t stopped with status $status (see logs/$t.log)"
    echo "   CPU: $((ticks / $(getconf CLK_TCK))) s"
  else
    nice -n "${FUZZ_NICE:-19}" "$bin/$t" "corpus/$t" -artifact_prefix="artifacts/$t/" \
      -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
      >"logs/$t.log" 2>&1 || echo "   $t stopped with status $? (see logs/$t.log)"
  fi
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)|^Done|^#[0-9]+ +DONE' "logs/$t.log" | tr '\n' ' ' || true
  echo
done
