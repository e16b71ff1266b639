//! [`Method`] (pyOpenSSL's `*_METHOD` constants) and [`Options`] (`OP_*`).

use super::Error;

/// The protocol method a [`Context`](crate::ssl::Context) is created with.
///
/// Only TLS 1.2 and TLS 1.3 exist in this backend (rustls); the methods for
/// SSL 2, SSL 3, TLS 1.0 and TLS 1.1 are named so that code ported from
/// pyOpenSSL compiles, and [`Method::versions`] refuses them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// Any supported version (TLS 1.2 or 1.3). pyOpenSSL `TLS_METHOD`.
    #[doc(alias = "TLS_METHOD")]
    Tls,
    /// Same as [`Method::Tls`]. pyOpenSSL `SSLv23_METHOD`.
    #[doc(alias = "SSLv23_METHOD")]
    SslV23,
    /// TLS 1.2 only. pyOpenSSL `TLSv1_2_METHOD`.
    #[doc(alias = "TLSv1_2_METHOD")]
    TlsV1_2,
    /// TLS 1.3 only (no pyOpenSSL constant; `TLS_METHOD` with a minimum of 1.3).
    TlsV1_3,
    /// SSL 2: not supported. pyOpenSSL `SSLv2_METHOD`.
    #[doc(alias = "SSLv2_METHOD")]
    SslV2,
    /// SSL 3: not supported. pyOpenSSL `SSLv3_METHOD`.
    #[doc(alias = "SSLv3_METHOD")]
    SslV3,
    /// TLS 1.0: not supported. pyOpenSSL `TLSv1_METHOD`.
    #[doc(alias = "TLSv1_METHOD")]
    TlsV1,
    /// TLS 1.1: not supported. pyOpenSSL `TLSv1_1_METHOD`.
    #[doc(alias = "TLSv1_1_METHOD")]
    TlsV1_1,
}

impl Method {
    /// The `(min, max)` protocol versions of this method, or an error for a
    /// protocol this backend does not implement.
    ///
    /// ```
    /// use puressl::ssl::{Method, ProtoVersion};
    /// assert_eq!(Method::SslV23.versions().unwrap(), (ProtoVersion::Tls1_2, ProtoVersion::Tls1_3));
    /// assert!(Method::SslV3.versions().is_err());
    /// ```
    pub fn versions(self) -> Result<(ProtoVersion, ProtoVersion), Error> {
        match self {
            Method::Tls | Method::SslV23 => Ok((ProtoVersion::Tls1_2, ProtoVersion::Tls1_3)),
            Method::TlsV1_2 => Ok((ProtoVersion::Tls1_2, ProtoVersion::Tls1_2)),
            Method::TlsV1_3 => Ok((ProtoVersion::Tls1_3, ProtoVersion::Tls1_3)),
            Method::SslV2 => Err(unsupported("SSLv2")),
            Method::SslV3 => Err(unsupported("SSLv3")),
            Method::TlsV1 => Err(unsupported("TLSv1")),
            Method::TlsV1_1 => Err(unsupported("TLSv1.1")),
        }
    }
}

fn unsupported(name: &str) -> Error {
    Error::ssl(format!(
        "{name} is not supported (this backend implements TLS 1.2 and TLS 1.3 only)"
    ))
}

/// A TLS protocol version, for
/// [`Context::set_min_proto_version`](crate::ssl::Context::set_min_proto_version).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum ProtoVersion {
    /// TLS 1.2 (`TLS1_2_VERSION`, 0x0303).
    #[doc(alias = "TLS1_2_VERSION")]
    Tls1_2,
    /// TLS 1.3 (`TLS1_3_VERSION`, 0x0304).
    #[doc(alias = "TLS1_3_VERSION")]
    Tls1_3,
}

impl ProtoVersion {
    /// OpenSSL's name, as pyOpenSSL's `get_protocol_version_name()` returns it.
    pub fn name(self) -> &'static str {
        match self {
            ProtoVersion::Tls1_2 => "TLSv1.2",
            ProtoVersion::Tls1_3 => "TLSv1.3",
        }
    }

    /// The wire value (0x0303, 0x0304).
    pub fn code(self) -> u16 {
        match self {
            ProtoVersion::Tls1_2 => 0x0303,
            ProtoVersion::Tls1_3 => 0x0304,
        }
    }
}

bitflags::bitflags! {
    /// pyOpenSSL's `OP_*` constants, with OpenSSL 3.0's values.
    ///
    /// Honoured by this backend: `NO_TLSV1_2` and `NO_TLSV1_3` narrow the
    /// protocol range; `CIPHER_SERVER_PREFERENCE` makes a server pick the
    /// suite by its own order; `IGNORE_UNEXPECTED_EOF` turns a bare EOF into
    /// [`Error::ZeroReturn`]; `NO_TICKET` makes a server keep sessions in
    /// its cache (TLS 1.2 resumes by session ID, TLS 1.3 tickets refer to
    /// the cache) instead of issuing stateless tickets, and a client offer
    /// no TLS 1.2 ticket, as in OpenSSL; `NO_COMPRESSION`, `NO_SSLV2`,
    /// `NO_SSLV3`, `NO_TLSV1`, `NO_TLSV1_1` and `NO_RENEGOTIATION` always
    /// hold (rustls never compresses or renegotiates). The bug-workaround bits (`ALL` and its parts,
    /// `TLS_ROLLBACK_BUG`) and the DTLS bits have nothing to work around in
    /// rustls; they are recorded and reported by
    /// [`Context::options`](crate::ssl::Context::options).
    ///
    /// A new [`Context`](crate::ssl::Context) starts with OpenSSL 3's
    /// default mask, `NO_COMPRESSION | ENABLE_MIDDLEBOX_COMPAT` (0x120000),
    /// as pyOpenSSL's does. `ENABLE_MIDDLEBOX_COMPAT` always holds too: a
    /// rustls TLS 1.3 client sends a legacy session id and
    /// ChangeCipherSpec, and a server answers them. The constants OpenSSL 3
    /// keeps only for source compatibility (`EPHEMERAL_RSA`,
    /// `SINGLE_DH_USE`, the old Netscape/Microsoft bug bits, ...) are 0, as
    /// there.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct Options: u64 {
        /// `OP_NO_SSLv2` (0 since OpenSSL 1.1).
        #[doc(alias = "OP_NO_SSLv2")]
        const NO_SSLV2 = 0;
        /// `OP_EPHEMERAL_RSA` (0 since OpenSSL 1.1: no effect).
        #[doc(alias = "OP_EPHEMERAL_RSA")]
        const EPHEMERAL_RSA = 0;
        /// `OP_MICROSOFT_BIG_SSLV3_BUFFER` (0 since OpenSSL 1.1: no effect).
        #[doc(alias = "OP_MICROSOFT_BIG_SSLV3_BUFFER")]
        const MICROSOFT_BIG_SSLV3_BUFFER = 0;
        /// `OP_MICROSOFT_SESS_ID_BUG` (0 since OpenSSL 1.1: no effect).
        #[doc(alias = "OP_MICROSOFT_SESS_ID_BUG")]
        const MICROSOFT_SESS_ID_BUG = 0;
        /// `OP_MSIE_SSLV2_RSA_PADDING` (0 since OpenSSL 1.1: no effect).
        #[doc(alias = "OP_MSIE_SSLV2_RSA_PADDING")]
        const MSIE_SSLV2_RSA_PADDING = 0;
        /// `OP_NETSCAPE_CA_DN_BUG` (0 since OpenSSL 1.1: no effect).
        #[doc(alias = "OP_NETSCAPE_CA_DN_BUG")]
        const NETSCAPE_CA_DN_BUG = 0;
        /// `OP_NETSCAPE_CHALLENGE_BUG` (0 since OpenSSL 1.1: no effect).
        #[doc(alias = "OP_NETSCAPE_CHALLENGE_BUG")]
        const NETSCAPE_CHALLENGE_BUG = 0;
        /// `OP_NETSCAPE_DEMO_CIPHER_CHANGE_BUG` (0 since OpenSSL 1.1: no effect).
        #[doc(alias = "OP_NETSCAPE_DEMO_CIPHER_CHANGE_BUG")]
        const NETSCAPE_DEMO_CIPHER_CHANGE_BUG = 0;
        /// `OP_NETSCAPE_REUSE_CIPHER_CHANGE_BUG` (0 since OpenSSL 1.1: no effect).
        #[doc(alias = "OP_NETSCAPE_REUSE_CIPHER_CHANGE_BUG")]
        const NETSCAPE_REUSE_CIPHER_CHANGE_BUG = 0;
        /// `OP_PKCS1_CHECK_1` (0 since OpenSSL 1.1: no effect).
        #[doc(alias = "OP_PKCS1_CHECK_1")]
        const PKCS1_CHECK_1 = 0;
        /// `OP_PKCS1_CHECK_2` (0 since OpenSSL 1.1: no effect).
        #[doc(alias = "OP_PKCS1_CHECK_2")]
        const PKCS1_CHECK_2 = 0;
        /// `OP_SINGLE_DH_USE` (0 since OpenSSL 1.1: no effect).
        #[doc(alias = "OP_SINGLE_DH_USE")]
        const SINGLE_DH_USE = 0;
        /// `OP_SINGLE_ECDH_USE` (0 since OpenSSL 1.1: no effect).
        #[doc(alias = "OP_SINGLE_ECDH_USE")]
        const SINGLE_ECDH_USE = 0;
        /// `OP_SSLEAY_080_CLIENT_DH_BUG` (0 since OpenSSL 1.1: no effect).
        #[doc(alias = "OP_SSLEAY_080_CLIENT_DH_BUG")]
        const SSLEAY_080_CLIENT_DH_BUG = 0;
        /// `OP_SSLREF2_REUSE_CERT_TYPE_BUG` (0 since OpenSSL 1.1: no effect).
        #[doc(alias = "OP_SSLREF2_REUSE_CERT_TYPE_BUG")]
        const SSLREF2_REUSE_CERT_TYPE_BUG = 0;
        /// `OP_TLS_BLOCK_PADDING_BUG` (0 since OpenSSL 1.1: no effect).
        #[doc(alias = "OP_TLS_BLOCK_PADDING_BUG")]
        const TLS_BLOCK_PADDING_BUG = 0;
        /// `OP_TLS_D5_BUG` (0 since OpenSSL 1.1: no effect).
        #[doc(alias = "OP_TLS_D5_BUG")]
        const TLS_D5_BUG = 0;
        /// `SSL_OP_TLSEXT_PADDING`.
        const TLSEXT_PADDING = 1 << 4;
        /// `SSL_OP_SAFARI_ECDHE_ECDSA_BUG`.
        const SAFARI_ECDHE_ECDSA_BUG = 1 << 6;
        /// `OP_IGNORE_UNEXPECTED_EOF`.
        #[doc(alias = "OP_IGNORE_UNEXPECTED_EOF")]
        const IGNORE_UNEXPECTED_EOF = 1 << 7;
        /// `OP_DONT_INSERT_EMPTY_FRAGMENTS`.
        #[doc(alias = "OP_DONT_INSERT_EMPTY_FRAGMENTS")]
        const DONT_INSERT_EMPTY_FRAGMENTS = 1 << 11;
        /// `OP_NO_QUERY_MTU`.
        #[doc(alias = "OP_NO_QUERY_MTU")]
        const NO_QUERY_MTU = 1 << 12;
        /// `OP_COOKIE_EXCHANGE`.
        #[doc(alias = "OP_COOKIE_EXCHANGE")]
        const COOKIE_EXCHANGE = 1 << 13;
        /// `OP_NO_TICKET`.
        #[doc(alias = "OP_NO_TICKET")]
        const NO_TICKET = 1 << 14;
        /// `OP_NO_COMPRESSION` (on by default).
        #[doc(alias = "OP_NO_COMPRESSION")]
        const NO_COMPRESSION = 1 << 17;
        /// `SSL_OP_ENABLE_MIDDLEBOX_COMPAT` (on by default).
        #[doc(alias = "SSL_OP_ENABLE_MIDDLEBOX_COMPAT")]
        const ENABLE_MIDDLEBOX_COMPAT = 1 << 20;
        /// `OP_CIPHER_SERVER_PREFERENCE`.
        #[doc(alias = "OP_CIPHER_SERVER_PREFERENCE")]
        const CIPHER_SERVER_PREFERENCE = 1 << 22;
        /// `OP_TLS_ROLLBACK_BUG`.
        #[doc(alias = "OP_TLS_ROLLBACK_BUG")]
        const TLS_ROLLBACK_BUG = 1 << 23;
        /// `OP_NO_SSLv3`.
        #[doc(alias = "OP_NO_SSLv3")]
        const NO_SSLV3 = 1 << 25;
        /// `OP_NO_TLSv1`.
        #[doc(alias = "OP_NO_TLSv1")]
        const NO_TLSV1 = 1 << 26;
        /// `OP_NO_TLSv1_2`.
        #[doc(alias = "OP_NO_TLSv1_2")]
        const NO_TLSV1_2 = 1 << 27;
        /// `OP_NO_TLSv1_1`.
        #[doc(alias = "OP_NO_TLSv1_1")]
        const NO_TLSV1_1 = 1 << 28;
        /// `OP_NO_TLSv1_3`.
        #[doc(alias = "OP_NO_TLSv1_3")]
        const NO_TLSV1_3 = 1 << 29;
        /// `OP_NO_RENEGOTIATION`.
        #[doc(alias = "OP_NO_RENEGOTIATION")]
        const NO_RENEGOTIATION = 1 << 30;
        /// `SSL_OP_CRYPTOPRO_TLSEXT_BUG`.
        const CRYPTOPRO_TLSEXT_BUG = 1 << 31;
        /// `OP_ALL` (OpenSSL 3.0: 0x80000850).
        #[doc(alias = "OP_ALL")]
        const ALL = (1 << 31) | (1 << 11) | (1 << 4) | (1 << 6);
        // Keep any other bit a caller passes, as OpenSSL does.
        const _ = !0;
    }
}
