//! OpenSSL's cipher-string syntax (`ciphers(1)`) for `set_cipher_list`,
//! over the TLS 1.2 suites puressl has: elements separated by `:`, ` `,
//! `,` or `;`; aliases (`DEFAULT`, `ALL`, `HIGH`, `ECDHE`, `aRSA`,
//! `AESGCM`, …) and suite names, joined by `+` for an intersection;
//! prefixes `!` (remove for good), `-` (remove, may come back), `+` (move
//! to the end); `@STRENGTH` and `@SECLEVEL=n`. Unknown words match
//! nothing, as in OpenSSL.

use rustls::SupportedCipherSuite;

use crate::provider::cipher_suite as cs;

/// A TLS 1.2 suite with the attributes OpenSSL's aliases select on.
struct Suite {
    name: &'static str,
    suite: &'static SupportedCipherSuite,
    /// `aECDSA` (else `aRSA`).
    ecdsa: bool,
    /// `AES128`, `AES256` or `CHACHA20`.
    enc: &'static str,
    bits: u32,
}

/// In OpenSSL 3's `ALL` order (strongest first, ECDSA before RSA).
const SUITES: [Suite; 6] = [
    Suite {
        name: "ECDHE-ECDSA-AES256-GCM-SHA384",
        suite: &cs::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        ecdsa: true,
        enc: "AES256",
        bits: 256,
    },
    Suite {
        name: "ECDHE-RSA-AES256-GCM-SHA384",
        suite: &cs::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        ecdsa: false,
        enc: "AES256",
        bits: 256,
    },
    Suite {
        name: "ECDHE-ECDSA-CHACHA20-POLY1305",
        suite: &cs::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        ecdsa: true,
        enc: "CHACHA20",
        bits: 256,
    },
    Suite {
        name: "ECDHE-RSA-CHACHA20-POLY1305",
        suite: &cs::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ecdsa: false,
        enc: "CHACHA20",
        bits: 256,
    },
    Suite {
        name: "ECDHE-ECDSA-AES128-GCM-SHA256",
        suite: &cs::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        ecdsa: true,
        enc: "AES128",
        bits: 128,
    },
    Suite {
        name: "ECDHE-RSA-AES128-GCM-SHA256",
        suite: &cs::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        ecdsa: false,
        enc: "AES128",
        bits: 128,
    },
];

/// Whether the alias or suite name `word` selects `s` (`None`: unknown).
fn matches(word: &str, s: &Suite) -> Option<bool> {
    Some(match word {
        // Every puressl TLS 1.2 suite is an ECDHE AEAD suite of the
        // HIGH class, in DEFAULT.
        "ALL" | "DEFAULT" | "HIGH" | "ECDHE" | "EECDH" | "kECDHE" | "kEECDH" | "ECDH"
        | "TLSv1.2" => true,
        "COMPLEMENTOFDEFAULT"
        | "COMPLEMENTOFALL"
        | "MEDIUM"
        | "LOW"
        | "aNULL"
        | "eNULL"
        | "NULL"
        | "RSA"
        | "kRSA"
        | "DHE"
        | "EDH"
        | "kDHE"
        | "kEDH"
        | "DH"
        | "ADH"
        | "AECDH"
        | "PSK"
        | "kPSK"
        | "SRP"
        | "3DES"
        | "DES"
        | "RC4"
        | "MD5"
        | "SHA1"
        | "SHA"
        | "SHA256"
        | "SHA384"
        | "CBC"
        | "CAMELLIA"
        | "ARIA"
        | "SEED"
        | "IDEA"
        | "RC2"
        | "EXP"
        | "EXPORT"
        | "SSLv3"
        | "TLSv1"
        | "TLSv1.0"
        | "aDSS"
        | "DSS"
        | "aPSK"
        | "aGOST"
        | "kGOST"
        | "GOST"
        | "aECDH"
        | "kECDH" => false,
        "aRSA" => !s.ecdsa,
        "aECDSA" | "ECDSA" => s.ecdsa,
        "AES" | "AESGCM" => s.enc != "CHACHA20",
        "AES128" => s.enc == "AES128",
        "AES256" => s.enc == "AES256",
        "CHACHA20" => s.enc == "CHACHA20",
        _ if SUITES.iter().any(|x| x.name == word) => word == s.name,
        _ => return None,
    })
}

/// What an element selects: the suites matching all its `+`-joined words
/// (none when a word is unknown).
fn selects(body: &str, s: &Suite) -> bool {
    body.split('+').all(|w| matches(w, s).unwrap_or(false))
}

/// A suite's index in [`SUITES`] and whether it is selected now.
type Entry = (usize, bool);

/// The TLS 1.2 suites `list` selects, in OpenSSL's resulting order.
pub(crate) fn parse(list: &str) -> Vec<SupportedCipherSuite> {
    // All suites, in list order, with an active flag; killed ones leave.
    let mut order: Vec<Entry> = (0..SUITES.len()).map(|i| (i, false)).collect();
    let mut min_bits = 0;
    for element in list.split([':', ' ', ',', ';']).filter(|e| !e.is_empty()) {
        if element == "@STRENGTH" {
            // Stable: strongest first among the active ones.
            let (mut active, rest): (Vec<Entry>, Vec<Entry>) =
                order.iter().copied().partition(|e| e.1);
            active.sort_by_key(|e| std::cmp::Reverse(SUITES[e.0].bits));
            order = rest.into_iter().chain(active).collect();
            continue;
        }
        if let Some(level) = element.strip_prefix("@SECLEVEL=") {
            // Levels 4 and 5 need 192 and 256 bits of security.
            min_bits = match level.parse::<u32>() {
                Ok(n) if n >= 5 => 256,
                Ok(4) => 192,
                _ => 0,
            };
            continue;
        }
        let (op, body) = match element.as_bytes()[0] {
            b'!' | b'-' | b'+' => (element.as_bytes()[0], &element[1..]),
            _ => (b' ', element),
        };
        let hit = |i: usize| selects(body, &SUITES[i]);
        match op {
            b'!' => order.retain(|e| !hit(e.0)),
            b'-' => {
                let (out, keep): (Vec<Entry>, Vec<Entry>) =
                    order.iter().copied().partition(|e| e.1 && hit(e.0));
                order = out.into_iter().map(|e| (e.0, false)).chain(keep).collect();
            }
            b'+' => {
                let (moved, keep): (Vec<Entry>, Vec<Entry>) =
                    order.iter().copied().partition(|e| e.1 && hit(e.0));
                order = keep.into_iter().chain(moved).collect();
            }
            _ => {
                let (added, keep): (Vec<Entry>, Vec<Entry>) =
                    order.iter().copied().partition(|e| !e.1 && hit(e.0));
                order = keep
                    .into_iter()
                    .chain(added.into_iter().map(|e| (e.0, true)))
                    .collect();
            }
        }
    }
    order
        .into_iter()
        .filter(|e| e.1 && SUITES[e.0].bits >= min_bits)
        .map(|e| *SUITES[e.0].suite)
        .collect()
}

/// OpenSSL's names of `suites` (for tests).
#[cfg(test)]
fn names(suites: &[SupportedCipherSuite]) -> Vec<&'static str> {
    suites
        .iter()
        .filter_map(|s| super::suite_name(*s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax() {
        assert_eq!(names(&parse("HIGH:!aNULL:!MD5")).len(), 6);
        assert_eq!(
            names(&parse("ECDHE+AESGCM:!ECDSA")),
            ["ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-GCM-SHA256"]
        );
        assert_eq!(
            names(&parse("AES128:CHACHA20:@STRENGTH")),
            [
                "ECDHE-ECDSA-CHACHA20-POLY1305",
                "ECDHE-RSA-CHACHA20-POLY1305",
                "ECDHE-ECDSA-AES128-GCM-SHA256",
                "ECDHE-RSA-AES128-GCM-SHA256"
            ]
        );
        assert_eq!(names(&parse("DEFAULT:@SECLEVEL=5")).len(), 4);
        assert!(parse("hello world:RC4-MD5:!ALL").is_empty());
        assert!(parse("bogus+AES").is_empty());
    }
}
