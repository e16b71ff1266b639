//! [`VerifyMode`] and the bridge from the verify callback to rustls.

bitflags::bitflags! {
    /// pyOpenSSL's `VERIFY_*` constants, same values.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct VerifyMode: i32 {
        /// `VERIFY_NONE` (0): client: verify the server (the verify
        /// callback runs) but go on whatever the outcome, as OpenSSL does;
        /// server: do not ask for a certificate.
        #[doc(alias = "VERIFY_NONE")]
        const NONE = 0;
        /// `VERIFY_PEER` (1): verify the peer's certificate.
        #[doc(alias = "VERIFY_PEER")]
        const PEER = 1;
        /// `VERIFY_FAIL_IF_NO_PEER_CERT` (2): server only, with `PEER`: a client
        /// without a certificate fails the handshake.
        #[doc(alias = "VERIFY_FAIL_IF_NO_PEER_CERT")]
        const FAIL_IF_NO_PEER_CERT = 2;
        /// `VERIFY_CLIENT_ONCE` (4): server only, with `PEER`: do not ask again
        /// on renegotiation (always true here: there is no renegotiation).
        #[doc(alias = "VERIFY_CLIENT_ONCE")]
        const CLIENT_ONCE = 4;
    }
}

use std::cell::Cell;
use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{
    CertificateError, DigitallySignedStruct, DistinguishedName, OtherError, SignatureScheme,
};

use crate::crypto::{
    Purpose, X509Store, X509StoreContext, X509StoreContextError, X509VerifyError, X509,
};
use crate::provider::SUPPORTED_SIG_ALGS;

/// A verify callback for [`Context::set_verify`](crate::ssl::Context::set_verify):
/// `(certificate, errnum, depth, ok) -> verdict`; `errnum` is the
/// [`X509VerifyError`] (its `.code()` is OpenSSL's number, 0 for `X509_V_OK`).
pub type VerifyFn = Box<dyn FnMut(&X509, X509VerifyError, u32, bool) -> bool + Send>;

/// The shared form of a [`VerifyFn`].
pub(crate) type VerifyCallback =
    Arc<Mutex<dyn FnMut(&X509, X509VerifyError, u32, bool) -> bool + Send>>;

/// Runs [`X509StoreContext`] over the context's store with the callback, for
/// rustls's client and server sides; rustls's own checks of the handshake
/// signatures stay.
pub(crate) struct StoreVerifier {
    /// Shared with the context's settings (and their clones).
    pub(crate) store: Arc<X509Store>,
    pub(crate) mode: VerifyMode,
    pub(crate) callback: Option<VerifyCallback>,
    /// The CA names a server sends in its CertificateRequest.
    pub(crate) client_ca: Vec<DistinguishedName>,
    /// The anchors (and store intermediates) of the verified chains the
    /// connections keep, shared.
    pub(crate) shared: crate::ssl::observe::SharedDer,
    /// The client's OCSP callback, run after the chain check.
    pub(crate) ocsp_client: Option<Arc<crate::ssl::OcspClientFn>>,
}

impl std::fmt::Debug for StoreVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreVerifier")
            .field("mode", &self.mode)
            .field("callback", &self.callback.is_some())
            .field("client_ca", &self.client_ca.len())
            .finish()
    }
}

fn bad_encoding(_: crate::crypto::Error) -> rustls::Error {
    rustls::Error::InvalidCertificate(CertificateError::BadEncoding)
}

thread_local! {
    /// The outcome of the last verification on this thread, for the
    /// connection whose handshake step is running (see [`capture`]).
    static RESULT: Cell<Option<i32>> = const { Cell::new(None) };
}

/// Runs `f` (a handshake step: rustls calls the verifier synchronously
/// inside it) and returns what it verified, as OpenSSL's verify result:
/// 0 (`X509_V_OK`), or the `X509_V_ERR_*` code that stopped verification.
pub(crate) fn capture<R>(f: impl FnOnce() -> R) -> (R, Option<i32>) {
    RESULT.with(|c| c.set(None));
    let r = f();
    (r, RESULT.with(Cell::take))
}

fn record(code: i32) {
    RESULT.with(|c| c.set(Some(code)));
}

/// The verify result recorded so far by the handshake step running on this
/// thread (inside [`capture`]), without taking it.
pub(crate) fn recorded() -> Option<i32> {
    RESULT.with(Cell::get)
}

/// The text of the rustls error returned for a refusal that OpenSSL
/// answers with `handshake_failure` or `internal_error` (see [`refusal`]).
pub(crate) const REFUSED: &str = "certificate verify failed";

/// The error handed to rustls when verification fails with the OpenSSL
/// code `code`: the [`CertificateError`] variant for which rustls sends the
/// alert OpenSSL 3 sends for that code (libssl's `ssl_x509err2alert`), so
/// the peer learns why.
///
/// | codes | OpenSSL's alert | rustls error |
/// |---|---|---|
/// | 2, 3, 18–22, 24, 25, 33 (no trusted issuer, chain too long, invalid CA) | `unknown_ca` | `UnknownIssuer` |
/// | 4–6, 9, 11, 13–16, 27, 28, 62–68, 94 (not yet valid, malformed, name mismatch, weak key) | `bad_certificate` | `BadEncoding` |
/// | 7, 8 (bad signature) | `decrypt_error` | `BadSignature` |
/// | 10, 12 (expired) | `certificate_expired` | `Expired` |
/// | 23 (revoked) | `certificate_revoked` | `Revoked` |
/// | 26 (invalid purpose) | `unsupported_certificate` | `InvalidPurpose` |
/// | 50 (application verification) | `handshake_failure` | `General` |
/// | 1, 17, 69, 70 (unspecified: a verify callback said no; internal) | `internal_error` | `General`: `handshake_failure`, as rustls sends no `internal_error` for a verifier's error |
/// | any other | `certificate_unknown` | `Other` |
fn refusal(code: i32, e: X509StoreContextError) -> rustls::Error {
    let cert = match code {
        2 | 3 | 18..=22 | 24 | 25 | 33 => CertificateError::UnknownIssuer,
        4..=6 | 9 | 11 | 13..=16 | 27 | 28 | 62..=68 | 94 => CertificateError::BadEncoding,
        7 | 8 => CertificateError::BadSignature,
        10 | 12 => CertificateError::Expired,
        23 => CertificateError::Revoked,
        26 => CertificateError::InvalidPurpose,
        1 | 17 | 50 | 69 | 70 => {
            return rustls::Error::General(format!("{REFUSED}: {}", e.message()))
        }
        _ => CertificateError::Other(OtherError(Arc::new(e))),
    };
    rustls::Error::InvalidCertificate(cert)
}

/// Calls the user's callback, or gives OpenSSL's default verdict (`ok`).
fn call(
    cb: Option<&VerifyCallback>,
    cert: &X509,
    errnum: X509VerifyError,
    depth: u32,
    ok: bool,
) -> bool {
    match cb {
        Some(cb) => cb
            .lock()
            .map(|mut f| f(cert, errnum, depth, ok))
            .unwrap_or(false),
        None => ok,
    }
}

impl StoreVerifier {
    /// Verifies the chain with the store's checks, plus the leaf against
    /// `peer` (the client's host name or IP address), by the store's own
    /// `check_id` step: a mismatch is 62 (host) or 64 (IP) at depth 0,
    /// reported to the callback where OpenSSL reports it. The chain is
    /// checked for the store's purpose, else for `purpose` (libssl's
    /// `ssl_server` / `ssl_client` defaults).
    fn verify_chain(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        peer: Option<&ServerName<'_>>,
        purpose: Purpose,
    ) -> Result<(), rustls::Error> {
        let leaf = X509::from_der(end_entity).map_err(bad_encoding)?;
        let chain = intermediates
            .iter()
            .map(|c| X509::from_der(c))
            .collect::<Result<Vec<_>, _>>()
            .map_err(bad_encoding)?;
        let mut ctx = X509StoreContext::owning(&self.store, leaf, chain);
        if self.store.purpose().is_none() {
            ctx.set_purpose(purpose)
                .map_err(|e| rustls::Error::General(format!("certificate purpose: {e}")))?;
        }
        match peer {
            Some(ServerName::DnsName(name)) => ctx
                .set_host(name.as_ref())
                .map_err(|e| rustls::Error::General(format!("host name: {e}")))?,
            Some(ServerName::IpAddress(ip)) if !is_no_peer(ip) => {
                ctx.set_ip(std::net::IpAddr::from(*ip));
            }
            _ => {}
        }
        let user = self.callback.as_ref();
        if user.is_some() {
            ctx.set_verify_callback(|cert, errnum, depth, ok| call(user, cert, errnum, depth, ok));
        }
        match ctx.verify_once() {
            Ok(chain) => {
                let peer: Vec<&[u8]> = std::iter::once(end_entity)
                    .chain(intermediates)
                    .map(|c| c.as_ref())
                    .collect();
                crate::ssl::observe::verified_chain(&chain, &peer, &self.shared);
                record(0);
                Ok(())
            }
            Err(e) => {
                record(e.code());
                Err(refusal(e.code(), e))
            }
        }
    }

    /// The client's check of the server: the chain, and the host name or
    /// IP address the client set (`set_tlsext_host_name`). Under
    /// `VERIFY_NONE` it runs all the same, callback included, and its
    /// outcome is ignored, as OpenSSL does.
    fn verify_server(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
    ) -> Result<(), rustls::Error> {
        let r = self.verify_chain(
            end_entity,
            intermediates,
            Some(server_name),
            Purpose::SslServer,
        );
        if self.mode.contains(VerifyMode::PEER) {
            r
        } else {
            Ok(())
        }
    }
}

/// The server name a client connection gets when no host was set:
/// `0.0.0.0` (rustls needs a name; an IP address is never sent as SNI).
pub(crate) const NO_PEER: std::net::Ipv4Addr = std::net::Ipv4Addr::UNSPECIFIED;

/// Whether `ip` is [`NO_PEER`], "no host to check".
fn is_no_peer(ip: &rustls::pki_types::IpAddr) -> bool {
    std::net::IpAddr::from(*ip) == std::net::IpAddr::V4(NO_PEER)
}

/// The handshake-signature half of rustls' `ServerCertVerifier` and
/// `ClientCertVerifier`, the same for both: the provider's algorithms.
macro_rules! handshake_signature_methods {
    () => {
        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls12_signature(message, cert, dss, &SUPPORTED_SIG_ALGS)
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls13_signature(message, cert, dss, &SUPPORTED_SIG_ALGS)
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            SUPPORTED_SIG_ALGS.supported_schemes()
        }
    };
}

impl ServerCertVerifier for StoreVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.verify_server(end_entity, intermediates, server_name)?;
        crate::ssl::context::check_ocsp_client(
            self.ocsp_client.as_ref(),
            server_name,
            end_entity,
            intermediates,
            ocsp_response,
        )?;
        Ok(ServerCertVerified::assertion())
    }

    handshake_signature_methods!();
}

impl ClientCertVerifier for StoreVerifier {
    fn offer_client_auth(&self) -> bool {
        self.mode.contains(VerifyMode::PEER)
    }

    fn client_auth_mandatory(&self) -> bool {
        self.mode
            .contains(VerifyMode::PEER | VerifyMode::FAIL_IF_NO_PEER_CERT)
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &self.client_ca
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        self.verify_chain(end_entity, intermediates, None, Purpose::SslClient)?;
        Ok(ClientCertVerified::assertion())
    }

    handshake_signature_methods!();
}
