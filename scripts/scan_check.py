"""Checks one sslyze JSON result (scripts/scan.sh): prints what it saw and
exits non-zero, naming each problem, when a check fails."""
import json
import sys

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
        if cs["key_size"] < 128 or cs["is_anonymous"]:
            problems.append(f"weak suite {cs['name']}")
        if proto == "tls_1_2" and "ECDHE" not in cs["name"] and "DHE" not in cs["name"]:
            problems.append(f"suite without forward secrecy {cs['name']}")

# The curves sslyze may see: all of at least 253 bits.
STRONG_CURVES = {"X25519", "X448", "secp256r1", "secp384r1", "secp521r1"}
checks = {
    "tls_compression": lambda x: not x["supports_compression"],
    "heartbleed": lambda x: not x["is_vulnerable_to_heartbleed"],
    "openssl_ccs_injection": lambda x: not x["is_vulnerable_to_ccs_injection"],
    "robot": lambda x: x["robot_result"] in ("NOT_VULNERABLE_NO_ORACLE", "NOT_VULNERABLE_RSA_NOT_SUPPORTED"),
    "session_renegotiation": lambda x: x["supports_secure_renegotiation"]
    and not x["is_vulnerable_to_client_renegotiation_dos"],
    "tls_fallback_scsv": lambda x: x["supports_fallback_scsv"],
    "tls_extended_master_secret": lambda x: x["supports_ems_extension"],
    "tls_1_3_early_data": lambda x: not x["supports_early_data"],
    # Tickets are not checked: sslyze counts a ticket resumption only when the
    # server sends no new ticket, and rustls renews the ticket on each one
    # (SECURITY.md, "Scanner (sslyze)").
    "session_resumption": lambda x: x["session_id_resumption_result"] == "FULLY_SUPPORTED",
    "elliptic_curves": lambda x: {c["name"] for c in x["supported_curves"]} <= STRONG_CURVES,
}
for name, ok in checks.items():
    x = result(name)
    if name == "elliptic_curves":
        shown = {"supported_curves": [c["name"] for c in x["supported_curves"]]}
    else:
        shown = {k: v for k, v in x.items() if not isinstance(v, (list, dict))}
    lines.append(f"{name}: {shown}")
    if not ok(x):
        problems.append(f"{name}: {shown}")

deployment = result("certificate_info")["certificate_deployments"][0]
trusted = [p["trust_store"]["name"] for p in deployment["path_validation_results"] if p["was_validation_successful"]]
leaf = deployment["received_certificate_chain"][0]
lines.append(f"certificate: {leaf['subject']['rfc4514_string']} key {leaf['public_key']['algorithm']}"
             f" {leaf['public_key']['key_size']} bits; verifies with: {', '.join(trusted) or 'nothing'}")
if "Supplied CA file" not in trusted:
    problems.append("the certificate chain does not verify against the scan's CA")

print("\n".join(lines))
if problems:
    sys.exit("FAILED:\n  " + "\n  ".join(problems))
print("checks passed")
