//! `X509StoreFlags`: OpenSSL's `X509_V_FLAG_*` verification flags.

use bitflags::bitflags;

use crate::crypto::{Error, Result};

bitflags! {
    /// Verification flags with OpenSSL's `X509_V_FLAG_*` values
    /// (pyOpenSSL's `X509StoreFlags`).
    ///
    /// Every flag is listed so that values coming from OpenSSL code keep
    /// their meaning, but [`X509Store::set_flags`](crate::crypto::X509Store::set_flags)
    /// refuses the ones puressl does not implement (see
    /// [`UNSUPPORTED`](Self::UNSUPPORTED)) instead of ignoring them.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct X509StoreFlags: u64 {
        /// `X509_V_FLAG_USE_CHECK_TIME`: verify at the time given to `set_time` (set by it).
        const USE_CHECK_TIME = 0x2;
        /// `X509_V_FLAG_CRL_CHECK`: check the leaf against the CRLs of the store.
        const CRL_CHECK = 0x4;
        /// `X509_V_FLAG_CRL_CHECK_ALL`: with `CRL_CHECK`, check every certificate of the chain.
        const CRL_CHECK_ALL = 0x8;
        /// `X509_V_FLAG_IGNORE_CRITICAL`: accept unhandled critical extensions.
        const IGNORE_CRITICAL = 0x10;
        /// `X509_V_FLAG_X509_STRICT`: the RFC 5280 conformance checks of OpenSSL's strict mode.
        const X509_STRICT = 0x20;
        /// `X509_V_FLAG_ALLOW_PROXY_CERTS` (not implemented).
        const ALLOW_PROXY_CERTS = 0x40;
        /// `X509_V_FLAG_POLICY_CHECK` (not implemented).
        const POLICY_CHECK = 0x80;
        /// `X509_V_FLAG_EXPLICIT_POLICY` (not implemented).
        const EXPLICIT_POLICY = 0x100;
        /// `X509_V_FLAG_INHIBIT_ANY` (not implemented).
        const INHIBIT_ANY = 0x200;
        /// `X509_V_FLAG_INHIBIT_MAP` (not implemented).
        const INHIBIT_MAP = 0x400;
        /// `X509_V_FLAG_NOTIFY_POLICY` (not implemented).
        const NOTIFY_POLICY = 0x800;
        /// `X509_V_FLAG_EXTENDED_CRL_SUPPORT` (not implemented: indirect CRLs, reason partitions).
        const EXTENDED_CRL_SUPPORT = 0x1000;
        /// `X509_V_FLAG_USE_DELTAS` (not implemented: delta CRLs).
        const USE_DELTAS = 0x2000;
        /// `X509_V_FLAG_CHECK_SS_SIGNATURE`: also check the signature of a self-signed trust anchor.
        const CHECK_SS_SIGNATURE = 0x4000;
        /// `X509_V_FLAG_TRUSTED_FIRST`: look for issuers in the store before the
        /// untrusted chain (always on in OpenSSL ≥ 1.1.0 and in puressl).
        const TRUSTED_FIRST = 0x8000;
        /// `X509_V_FLAG_SUITEB_128_LOS_ONLY` (not implemented).
        const SUITEB_128_LOS_ONLY = 0x10000;
        /// `X509_V_FLAG_SUITEB_192_LOS` (not implemented).
        const SUITEB_192_LOS = 0x20000;
        /// `X509_V_FLAG_SUITEB_128_LOS` (not implemented).
        const SUITEB_128_LOS = 0x30000;
        /// `X509_V_FLAG_PARTIAL_CHAIN`: a trusted certificate that is not self-signed ends the chain.
        const PARTIAL_CHAIN = 0x80000;
        /// `X509_V_FLAG_NO_ALT_CHAINS`: do not retry with alternative chains
        /// (puressl never does, with trusted-first building).
        const NO_ALT_CHAINS = 0x100000;
        /// `X509_V_FLAG_NO_CHECK_TIME`: skip validity period checks.
        const NO_CHECK_TIME = 0x200000;
    }
}

impl Default for X509StoreFlags {
    /// No flags.
    fn default() -> Self {
        X509StoreFlags::empty()
    }
}

impl X509StoreFlags {
    /// The flags puressl does not implement: setting one is an error.
    pub const UNSUPPORTED: X509StoreFlags = X509StoreFlags::ALLOW_PROXY_CERTS
        .union(X509StoreFlags::POLICY_CHECK)
        .union(X509StoreFlags::EXPLICIT_POLICY)
        .union(X509StoreFlags::INHIBIT_ANY)
        .union(X509StoreFlags::INHIBIT_MAP)
        .union(X509StoreFlags::NOTIFY_POLICY)
        .union(X509StoreFlags::EXTENDED_CRL_SUPPORT)
        .union(X509StoreFlags::USE_DELTAS)
        .union(X509StoreFlags::SUITEB_128_LOS);

    /// Flags from OpenSSL's integer value; unknown bits are an error.
    pub fn from_openssl(bits: u64) -> Result<Self> {
        Self::from_bits(bits).ok_or_else(|| {
            Error::unknown(
                "X509_V_FLAG bits",
                format!("0x{:x}", bits & !Self::all().bits()),
                "",
            )
        })
    }

    /// `Err` naming the flags that are set but not implemented.
    pub(crate) fn check_supported(self) -> Result<()> {
        let bad = self & Self::UNSUPPORTED;
        if bad.is_empty() {
            Ok(())
        } else {
            let names: Vec<&str> = bad.iter_names().map(|(n, _)| n).collect();
            Err(Error::NotImplemented {
                feature: format!("verification flag(s) {}", names.join(" | ")),
            })
        }
    }
}
