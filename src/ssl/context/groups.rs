//! [`Group`]: the key-exchange groups a [`Context`](super::Context) may
//! offer, by OpenSSL's names (`SSL_CTX_set1_groups_list`).

use std::str::FromStr;

use rustls::crypto::SupportedKxGroup;
use rustls::NamedGroup;

use crate::provider::kx_group;
use crate::ssl::Error;

/// A key-exchange group of puressl's provider, for
/// [`Context::set_groups`](super::Context::set_groups). Parsed from
/// OpenSSL's names, case-insensitively: `X25519MLKEM768`, `X25519`,
/// `P-256` / `prime256v1` / `secp256r1`, `P-384` / `secp384r1`,
/// `P-521` / `secp521r1`.
///
/// ```
/// use puressl::ssl::Group;
/// assert_eq!("prime256v1".parse::<Group>().unwrap(), Group::P256);
/// assert_eq!(Group::P256.name(), "secp256r1");
/// assert!("ffdhe2048".parse::<Group>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Group {
    /// The post-quantum hybrid ML-KEM-768 + X25519 (TLS 1.3 only).
    X25519MlKem768,
    /// X25519 (RFC 7748).
    X25519,
    /// NIST P-256 (`secp256r1`, `prime256v1`).
    P256,
    /// NIST P-384 (`secp384r1`).
    P384,
    /// NIST P-521 (`secp521r1`).
    P521,
}

impl Group {
    /// Every group, in the provider's default order of preference.
    pub const ALL: [Group; 5] = [
        Group::X25519MlKem768,
        Group::X25519,
        Group::P256,
        Group::P384,
        Group::P521,
    ];

    /// OpenSSL's name of the group, as `SSL_get0_group_name` gives it.
    /// pyOpenSSL's `Connection.get_group_name` reports the same names.
    pub fn name(self) -> &'static str {
        match self {
            Group::X25519MlKem768 => "X25519MLKEM768",
            Group::X25519 => "X25519",
            Group::P256 => "secp256r1",
            Group::P384 => "secp384r1",
            Group::P521 => "secp521r1",
        }
    }

    /// The provider's implementation.
    pub(crate) fn kx(self) -> &'static dyn SupportedKxGroup {
        match self {
            Group::X25519MlKem768 => kx_group::X25519MLKEM768,
            Group::X25519 => kx_group::X25519,
            Group::P256 => kx_group::SECP256R1,
            Group::P384 => kx_group::SECP384R1,
            Group::P521 => kx_group::SECP521R1,
        }
    }

    /// The group rustls negotiated, if it is one of ours.
    pub(crate) fn from_named(named: NamedGroup) -> Option<Group> {
        Group::ALL.into_iter().find(|g| g.kx().name() == named)
    }
}

impl std::fmt::Display for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Group {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        const NAMES: [(&str, Group); 9] = [
            ("X25519MLKEM768", Group::X25519MlKem768),
            ("X25519", Group::X25519),
            ("P-256", Group::P256),
            ("prime256v1", Group::P256),
            ("secp256r1", Group::P256),
            ("P-384", Group::P384),
            ("secp384r1", Group::P384),
            ("P-521", Group::P521),
            ("secp521r1", Group::P521),
        ];
        NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(s))
            .map(|&(_, g)| g)
            .ok_or_else(|| {
                Error::ssl(format!(
                    "unsupported group {s:?} (puressl offers X25519MLKEM768, X25519, \
                     P-256, P-384 and P-521)"
                ))
            })
    }
}

/// Checks a list of groups for [`Context::set_groups`](super::Context::set_groups):
/// not empty, no group twice (OpenSSL refuses both).
pub(crate) fn check(groups: &[Group]) -> Result<(), Error> {
    if groups.is_empty() {
        return Err(Error::ssl("the list of groups is empty"));
    }
    for (i, g) in groups.iter().enumerate() {
        if groups[..i].contains(g) {
            return Err(Error::ssl(format!("group {} is listed twice", g.name())));
        }
    }
    Ok(())
}

/// Parses OpenSSL's colon-separated list (`"X25519:P-256"`).
pub(crate) fn parse_list(list: &str) -> Result<Vec<Group>, Error> {
    let groups = list
        .split(':')
        .map(|n| n.trim().parse())
        .collect::<Result<Vec<Group>, Error>>()?;
    check(&groups)?;
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openssl_names_parse_case_insensitively() {
        assert_eq!(
            parse_list("x25519:P-256:secp384r1:X25519MLKEM768").unwrap(),
            [
                Group::X25519,
                Group::P256,
                Group::P384,
                Group::X25519MlKem768
            ]
        );
        assert_eq!(parse_list("PRIME256V1").unwrap(), [Group::P256]);
        let e = parse_list("X25519:brainpoolP256r1")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unsupported group \"brainpoolP256r1\""), "{e}");
        assert!(parse_list("").is_err());
        assert!(parse_list("X25519:").is_err());
        let e = parse_list("P-256:prime256v1").unwrap_err().to_string();
        assert!(e.contains("secp256r1 is listed twice"), "{e}");
        for g in Group::ALL {
            assert_eq!(Group::from_named(g.kx().name()), Some(g));
            assert_eq!(g.name().parse::<Group>().unwrap(), g);
        }
    }
}
