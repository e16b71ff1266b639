//! `Purpose`: OpenSSL's `X509_PURPOSE_*` certificate purposes, and the
//! checks of `X509_check_purpose` (OpenSSL 3.0's `v3_purp.c`) that chain
//! verification runs on every certificate when a purpose is set.

use super::cert_view::{
    CertInfo, KU_CRL_SIGN, KU_DIGITAL_SIGNATURE, KU_KEY_AGREEMENT, KU_KEY_ENCIPHERMENT,
    KU_NON_REPUDIATION, NS_SMIME, NS_SMIME_CA, NS_SSL_CA, NS_SSL_CLIENT, NS_SSL_SERVER, XKU_SGC,
    XKU_SMIME, XKU_SSL_CLIENT, XKU_SSL_SERVER, XKU_TIMESTAMP,
};
use crate::crypto::{Error, Result};

/// A certificate purpose, with OpenSSL's `X509_PURPOSE_*` ids and the names
/// of `openssl verify -purpose`.
///
/// With a purpose set ([`X509Store::set_purpose`](super::X509Store::set_purpose)),
/// verification checks every certificate of the chain for it as OpenSSL
/// 3.0 does — the leaf for the purpose itself (extendedKeyUsage, keyUsage,
/// nsCertType), the others as CAs for it — and reports
/// `X509_V_ERR_INVALID_PURPOSE` (26) at the depth of a certificate that
/// does not fit.
///
/// ```
/// use puressl::crypto::Purpose;
/// assert_eq!(Purpose::from_name("sslserver")?, Purpose::SslServer);
/// assert_eq!(Purpose::SslServer.id(), 2);
/// assert_eq!(Purpose::SslServer.name(), "sslserver");
/// assert!(Purpose::from_name("bogus").is_err());
/// # Ok::<(), puressl::crypto::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Purpose {
    /// `X509_PURPOSE_SSL_CLIENT` (1), `sslclient`: a TLS client.
    #[doc(alias = "X509_PURPOSE_SSL_CLIENT")]
    SslClient = 1,
    /// `X509_PURPOSE_SSL_SERVER` (2), `sslserver`: a TLS server.
    #[doc(alias = "X509_PURPOSE_SSL_SERVER")]
    SslServer = 2,
    /// `X509_PURPOSE_NS_SSL_SERVER` (3), `nssslserver`: a TLS server whose
    /// keyUsage (if any) also allows keyEncipherment.
    #[doc(alias = "X509_PURPOSE_NS_SSL_SERVER")]
    NsSslServer = 3,
    /// `X509_PURPOSE_SMIME_SIGN` (4), `smimesign`: S/MIME signing.
    #[doc(alias = "X509_PURPOSE_SMIME_SIGN")]
    SmimeSign = 4,
    /// `X509_PURPOSE_SMIME_ENCRYPT` (5), `smimeencrypt`: S/MIME encryption.
    #[doc(alias = "X509_PURPOSE_SMIME_ENCRYPT")]
    SmimeEncrypt = 5,
    /// `X509_PURPOSE_CRL_SIGN` (6), `crlsign`: CRL signing.
    #[doc(alias = "X509_PURPOSE_CRL_SIGN")]
    CrlSign = 6,
    /// `X509_PURPOSE_ANY` (7), `any`: no check.
    #[doc(alias = "X509_PURPOSE_ANY")]
    Any = 7,
    /// `X509_PURPOSE_OCSP_HELPER` (8), `ocsphelper`: the CAs must be valid
    /// CAs; the leaf is not checked (OCSP checks it).
    #[doc(alias = "X509_PURPOSE_OCSP_HELPER")]
    OcspHelper = 8,
    /// `X509_PURPOSE_TIMESTAMP_SIGN` (9), `timestampsign`: a time-stamping
    /// authority (critical extendedKeyUsage of timeStamping only).
    #[doc(alias = "X509_PURPOSE_TIMESTAMP_SIGN")]
    TimestampSign = 9,
    /// `X509_PURPOSE_CODE_SIGN` (10), `codesign` (OpenSSL ≥ 3.2). Not
    /// implemented: setting it is an error.
    #[doc(alias = "X509_PURPOSE_CODE_SIGN")]
    CodeSign = 10,
}

const ALL: [Purpose; 10] = [
    Purpose::SslClient,
    Purpose::SslServer,
    Purpose::NsSslServer,
    Purpose::SmimeSign,
    Purpose::SmimeEncrypt,
    Purpose::CrlSign,
    Purpose::Any,
    Purpose::OcspHelper,
    Purpose::TimestampSign,
    Purpose::CodeSign,
];

impl Purpose {
    /// OpenSSL's id (`X509_PURPOSE_*`).
    pub fn id(self) -> i32 {
        self as i32
    }

    /// The short name `openssl verify -purpose` takes (`"sslserver"`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Purpose::SslClient => "sslclient",
            Purpose::SslServer => "sslserver",
            Purpose::NsSslServer => "nssslserver",
            Purpose::SmimeSign => "smimesign",
            Purpose::SmimeEncrypt => "smimeencrypt",
            Purpose::CrlSign => "crlsign",
            Purpose::Any => "any",
            Purpose::OcspHelper => "ocsphelper",
            Purpose::TimestampSign => "timestampsign",
            Purpose::CodeSign => "codesign",
        }
    }

    /// The purpose with short name `name`; an unknown name is an error.
    pub fn from_name(name: &str) -> Result<Self> {
        ALL.into_iter()
            .find(|p| p.name() == name)
            .ok_or_else(|| Error::unknown("certificate purpose", name, ""))
    }

    /// The purpose with OpenSSL id `id`; an unknown id is an error.
    pub fn from_id(id: i32) -> Result<Self> {
        ALL.into_iter()
            .find(|p| p.id() == id)
            .ok_or_else(|| Error::unknown("certificate purpose id", id.to_string(), ""))
    }

    /// `Err` for a purpose puressl does not check.
    pub(crate) fn check_supported(self) -> Result<()> {
        if self == Purpose::CodeSign {
            return Err(Error::NotImplemented {
                feature: "certificate purpose codesign".into(),
            });
        }
        Ok(())
    }

    /// `X509_check_purpose(x, purpose, require_ca)`: 1 fits, 0 does not,
    /// other values "fit, but only outside strict mode" (OpenSSL's
    /// `check_ca` answers 3–5, the S/MIME workaround's 2, or -1 for a
    /// certificate with an invalid extension).
    pub(crate) fn check(self, x: &CertInfo, require_ca: bool) -> i32 {
        if x.invalid {
            return -1;
        }
        match self {
            Purpose::SslClient => {
                if xku_reject(x, XKU_SSL_CLIENT) {
                    0
                } else if require_ca {
                    ssl_ca(x)
                } else if x.ku_reject(KU_DIGITAL_SIGNATURE | KU_KEY_AGREEMENT)
                    || ns_reject(x, NS_SSL_CLIENT)
                {
                    0
                } else {
                    1
                }
            }
            Purpose::SslServer => ssl_server(x, require_ca),
            Purpose::NsSslServer => {
                let ret = ssl_server(x, require_ca);
                if ret == 0 || require_ca {
                    ret
                } else if x.ku_reject(KU_KEY_ENCIPHERMENT) {
                    0
                } else {
                    ret
                }
            }
            Purpose::SmimeSign => {
                let ret = smime(x, require_ca);
                if ret == 0 || require_ca {
                    ret
                } else if x.ku_reject(KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION) {
                    0
                } else {
                    ret
                }
            }
            Purpose::SmimeEncrypt => {
                let ret = smime(x, require_ca);
                if ret == 0 || require_ca {
                    ret
                } else if x.ku_reject(KU_KEY_ENCIPHERMENT) {
                    0
                } else {
                    ret
                }
            }
            Purpose::CrlSign => {
                if require_ca {
                    i32::from(x.check_ca())
                } else {
                    i32::from(!x.ku_reject(KU_CRL_SIGN))
                }
            }
            Purpose::Any => 1,
            Purpose::OcspHelper => {
                if require_ca {
                    i32::from(x.check_ca())
                } else {
                    1
                }
            }
            Purpose::TimestampSign => {
                if require_ca {
                    return i32::from(x.check_ca());
                }
                let sign = KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION;
                let ku_bad = x.key_usage.is_some_and(|k| k & !sign != 0 || k & sign == 0);
                let xku_ok = x.xku == Some(XKU_TIMESTAMP) && x.xku_critical;
                i32::from(!ku_bad && xku_ok)
            }
            // Refused by `check_supported` before verification starts.
            Purpose::CodeSign => 0,
        }
    }
}

/// extendedKeyUsage present without any of `bits`.
fn xku_reject(x: &CertInfo, bits: u16) -> bool {
    x.xku.is_some_and(|k| k & bits == 0)
}

/// nsCertType present without any of `bits`.
fn ns_reject(x: &CertInfo, bits: u8) -> bool {
    x.ns_cert.is_some_and(|n| n & bits == 0)
}

/// `check_ssl_ca`: `check_ca`, and an nsCertType-only CA (answer 5) needs
/// the SSL CA bit; a plain yes or no (1 or 0), as OpenSSL 3.0.x answers.
fn ssl_ca(x: &CertInfo) -> i32 {
    let ret = x.check_ca();
    i32::from(ret != 0 && (ret != 5 || x.ns_cert.unwrap_or(0) & NS_SSL_CA != 0))
}

/// `check_purpose_ssl_server`.
fn ssl_server(x: &CertInfo, require_ca: bool) -> i32 {
    if xku_reject(x, XKU_SSL_SERVER | XKU_SGC) {
        0
    } else if require_ca {
        ssl_ca(x)
    } else if ns_reject(x, NS_SSL_SERVER)
        || x.ku_reject(KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT | KU_KEY_AGREEMENT)
    {
        0
    } else {
        1
    }
}

/// `purpose_smime`: the checks both S/MIME purposes share.
fn smime(x: &CertInfo, require_ca: bool) -> i32 {
    if xku_reject(x, XKU_SMIME) {
        return 0;
    }
    if require_ca {
        // `check_ca`'s answer itself (3–5 fail in strict mode), but an
        // nsCertType-only CA needs the S/MIME CA bit.
        let ret = x.check_ca();
        return if ret == 5 && x.ns_cert.unwrap_or(0) & NS_SMIME_CA == 0 {
            0
        } else {
            i32::from(ret)
        };
    }
    match x.ns_cert {
        Some(n) if n & NS_SMIME != 0 => 1,
        // OpenSSL's workaround for some buggy certificates.
        Some(n) if n & NS_SSL_CLIENT != 0 => 2,
        Some(_) => 0,
        None => 1,
    }
}
