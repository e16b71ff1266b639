//! OpenSSL's cipher-suite names for the provider's suites, and the parser of
//! `set_cipher_list` / `set_tls13_ciphersuites` strings.

use rustls::SupportedCipherSuite;

use crate::provider;

/// OpenSSL's names for the provider's cipher suites.
const SUITE_NAMES: &[(&str, &SupportedCipherSuite)] = &[
    (
        "TLS_AES_128_GCM_SHA256",
        &provider::cipher_suite::TLS13_AES_128_GCM_SHA256,
    ),
    (
        "TLS_AES_256_GCM_SHA384",
        &provider::cipher_suite::TLS13_AES_256_GCM_SHA384,
    ),
    (
        "TLS_CHACHA20_POLY1305_SHA256",
        &provider::cipher_suite::TLS13_CHACHA20_POLY1305_SHA256,
    ),
    (
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        &provider::cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    ),
    (
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        &provider::cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    ),
    (
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        &provider::cipher_suite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ),
    (
        "ECDHE-RSA-AES128-GCM-SHA256",
        &provider::cipher_suite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    ),
    (
        "ECDHE-RSA-AES256-GCM-SHA384",
        &provider::cipher_suite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    ),
    (
        "ECDHE-RSA-CHACHA20-POLY1305",
        &provider::cipher_suite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ),
];

/// OpenSSL's name of a negotiated suite (`None` if the provider lacks it).
pub(crate) fn suite_name(suite: SupportedCipherSuite) -> Option<&'static str> {
    SUITE_NAMES
        .iter()
        .find(|(_, s)| s.suite() == suite.suite())
        .map(|(n, _)| *n)
}

/// The suites named in an OpenSSL-style list (`"A:B C,D"`), in its order,
/// keeping only TLS 1.3 suites (`tls13`) or only TLS 1.2 ones; unknown
/// names are skipped, and a name given again keeps its first place.
pub(crate) fn parse_suites(list: &str, tls13: bool) -> Vec<SupportedCipherSuite> {
    let mut out: Vec<SupportedCipherSuite> = Vec::new();
    for s in list
        .split([':', ',', ' '])
        .filter_map(|name| SUITE_NAMES.iter().find(|(n, _)| *n == name))
        .map(|(_, s)| **s)
        .filter(|s| matches!(s, SupportedCipherSuite::Tls13(_)) == tls13)
    {
        if !out.iter().any(|o| o.suite() == s.suite()) {
            out.push(s);
        }
    }
    out
}
