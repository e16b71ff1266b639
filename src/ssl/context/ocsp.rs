//! OCSP stapling: the server callback that gives the DER OCSP response to
//! staple, the client callback that judges what was stapled, and the
//! per-handshake-step state that carries both through rustls.
//!
//! rustls calls its certificate resolver (server) and its certificate
//! verifier (client) synchronously inside the handshake step that reads
//! the peer's message, on the calling thread. So, as with the verified
//! chain in `observe.rs`, the connection puts what that step needs in a
//! thread-local slot around the step ([`scope`]): the response a server
//! staples, and whether a client asked for status
//! ([`Connection::request_ocsp`](crate::ssl::Connection::request_ocsp));
//! the client's verifier leaves the callback's error there for the
//! connection to return.

use std::cell::RefCell;
use std::sync::Arc;

use rustls::pki_types::{CertificateDer, ServerName};

use super::Context;
use crate::crypto::X509;
use crate::ssl::{Error, HelloConnection};

/// The server callback of [`Context::set_ocsp_server_callback`]: the DER
/// OCSP response to staple, or an empty vector for none.
pub type OcspServerFn = dyn Fn(&mut HelloConnection<'_>) -> Result<Vec<u8>, Error> + Send + Sync;

/// The client callback of [`Context::set_ocsp_client_callback`]:
/// `(connection, stapled response) -> accept?`.
pub type OcspClientFn = dyn Fn(&OcspConnection<'_>, &[u8]) -> Result<bool, Error> + Send + Sync;

/// The start of the rustls error a client's OCSP callback error becomes
/// (rustls answers it with `handshake_failure`).
pub(crate) const CALLBACK_FAILED: &str = "OCSP callback failure";

/// OpenSSL's reason when the client's OCSP callback says no
/// (`SSL_R_INVALID_STATUS_RESPONSE`).
const INVALID_STATUS_RESPONSE: &str = "invalid status response";

/// The client connection as the OCSP client callback sees it, while rustls
/// checks the server's certificate: the name it asked for and the
/// certificates the server sent (pyOpenSSL passes the `Connection`, on
/// which a callback usually reads the peer's certificate to match the
/// response against).
pub struct OcspConnection<'a> {
    server_name: &'a ServerName<'a>,
    end_entity: &'a CertificateDer<'a>,
    intermediates: &'a [CertificateDer<'a>],
}

impl std::fmt::Debug for OcspConnection<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OcspConnection")
            .field("servername", &self.servername())
            .finish_non_exhaustive()
    }
}

impl OcspConnection<'_> {
    /// The host name the client set with
    /// [`set_tlsext_host_name`](crate::ssl::Connection::set_tlsext_host_name)
    /// (a DNS name or an IP address), `None` when it set none.
    /// pyOpenSSL `Connection.get_servername`.
    #[doc(alias = "get_servername")]
    pub fn servername(&self) -> Option<String> {
        match self.server_name {
            ServerName::DnsName(n) => Some(n.as_ref().to_string()),
            ServerName::IpAddress(ip) => {
                let ip = std::net::IpAddr::from(*ip);
                (ip != std::net::IpAddr::V4(crate::ssl::verify::NO_PEER)).then(|| ip.to_string())
            }
            _ => None,
        }
    }

    /// The server's certificate. pyOpenSSL `Connection.get_peer_certificate`.
    #[doc(alias = "get_peer_certificate")]
    pub fn peer_certificate(&self) -> Result<X509, Error> {
        Ok(X509::from_der(self.end_entity)?)
    }

    /// The certificates the server sent, its own first.
    /// pyOpenSSL `Connection.get_peer_cert_chain` (client side).
    #[doc(alias = "get_peer_cert_chain")]
    pub fn peer_cert_chain(&self) -> Result<Vec<X509>, Error> {
        std::iter::once(self.end_entity)
            .chain(self.intermediates)
            .map(|c| X509::from_der(c).map_err(Error::from))
            .collect()
    }
}

/// What one handshake step of a connection needs to know, and what the
/// client's verifier leaves behind.
#[derive(Default)]
struct Step {
    /// A client connection asked for status (`request_ocsp`).
    requested: bool,
    /// The response a server staples.
    staple: Option<Arc<[u8]>>,
    /// The error the client's OCSP check failed the handshake with.
    failure: Option<Error>,
}

thread_local! {
    static STEP: RefCell<Option<Step>> = const { RefCell::new(None) };
}

/// Runs `f` (a handshake step) with `requested` and `staple` as this
/// connection's OCSP state; returns what `f` returned and the error the
/// client's OCSP check failed with, if it did.
pub(crate) fn scope<R>(
    requested: bool,
    staple: Option<Arc<[u8]>>,
    f: impl FnOnce() -> R,
) -> (R, Option<Error>) {
    let step = Step {
        requested,
        staple,
        failure: None,
    };
    let outer = STEP.with(|s| s.replace(Some(step)));
    let r = f();
    let failure = STEP
        .with(|s| s.replace(outer))
        .and_then(|step| step.failure);
    (r, failure)
}

/// The response the server of the running step staples, if any.
pub(crate) fn staple() -> Option<Arc<[u8]>> {
    STEP.with(|s| s.borrow().as_ref().and_then(|step| step.staple.clone()))
}

fn requested() -> bool {
    STEP.with(|s| s.borrow().as_ref().is_some_and(|step| step.requested))
}

fn fail(e: Error) {
    STEP.with(|s| {
        if let Some(step) = s.borrow_mut().as_mut() {
            step.failure = Some(e);
        }
    });
}

/// The client's check of the stapled `response` (empty: none), run by the
/// verifier after the chain: nothing unless the connection asked for
/// status; else the callback's verdict, as OpenSSL acts on it (`false`:
/// `bad_certificate_status_response`; an error: the handshake fails).
pub(crate) fn check_client(
    callback: Option<&Arc<OcspClientFn>>,
    server_name: &ServerName<'_>,
    end_entity: &CertificateDer<'_>,
    intermediates: &[CertificateDer<'_>],
    response: &[u8],
) -> Result<(), rustls::Error> {
    let Some(cb) = callback else {
        return Ok(());
    };
    if !requested() {
        return Ok(());
    }
    let conn = OcspConnection {
        server_name,
        end_entity,
        intermediates,
    };
    match cb(&conn, response) {
        Ok(true) => Ok(()),
        Ok(false) => {
            fail(Error::ssl(INVALID_STATUS_RESPONSE));
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::InvalidOcspResponse,
            ))
        }
        Err(e) => {
            let text = format!("{CALLBACK_FAILED}: {e}");
            fail(e);
            Err(rustls::Error::General(text))
        }
    }
}

impl Context {
    /// Sets the server's OCSP stapling callback: when a client's
    /// ClientHello asks for certificate status (the `status_request`
    /// extension, type OCSP), a server calls it (after the server-name and
    /// ALPN select callbacks, on the context the server-name callback
    /// left) and staples what it returns: the DER of an OCSP response
    /// (RFC 6960), sent as is (in TLS 1.2 a CertificateStatus message, in
    /// TLS 1.3 with the certificate), or an empty vector to staple
    /// nothing. An `Err` aborts the handshake with a fatal
    /// `internal_error` alert, and `do_handshake` returns that error.
    /// It is not called when the client does not ask.
    /// pyOpenSSL `set_ocsp_server_callback`.
    ///
    /// The response is not checked (as with OpenSSL): it is the server's
    /// to get right. The callback runs at ClientHello time, before rustls
    /// decides whether the handshake resumes a session: a resumed handshake
    /// sends no certificate and so nothing is stapled, though the callback
    /// ran. rustls itself staples through `CertifiedKey::ocsp` of the
    /// certificate it picks, which puressl sets from the callback's answer
    /// for this connection only.
    ///
    /// pyOpenSSL keeps one OCSP callback per context (server or client);
    /// puressl keeps one of each, so a context can serve both sides.
    ///
    /// ```
    /// use puressl::ssl::{Context, Method};
    /// let response: Vec<u8> = Vec::new(); // e.g. read from `openssl ocsp -respout`
    /// let mut ctx = Context::new(Method::Tls).unwrap();
    /// ctx.set_ocsp_server_callback(move |_conn| Ok(response.clone()));
    /// ```
    pub fn set_ocsp_server_callback<F>(&mut self, callback: F)
    where
        F: Fn(&mut HelloConnection<'_>) -> Result<Vec<u8>, Error> + Send + Sync + 'static,
    {
        self.callbacks.ocsp_server = Some(Arc::new(callback));
    }

    /// Sets the client's OCSP callback: on a connection that called
    /// [`request_ocsp`](crate::ssl::Connection::request_ocsp), it runs
    /// once the server's certificate chain has been checked, with what
    /// the server stapled (the DER OCSP response, or an empty slice when
    /// it stapled nothing). `Ok(true)` goes on; `Ok(false)` fails the
    /// handshake with a fatal `bad_certificate_status_response` alert and
    /// the error "invalid status response", as OpenSSL; an `Err` fails it
    /// and `do_handshake` returns that error. pyOpenSSL
    /// `set_ocsp_client_callback`.
    ///
    /// The stapled bytes are not checked (as with pyOpenSSL, which leaves
    /// validation to the callback). A resumed handshake checks no
    /// certificate and rustls calls no verifier then, so the callback does
    /// not run on it; OpenSSL's does not on a resumed TLS 1.2 handshake
    /// either, but does on a resumed TLS 1.3 one (with no response). On an `Err` OpenSSL sends
    /// `internal_error`; rustls sends `handshake_failure` for any error of
    /// a certificate verifier that is not a certificate error, so that is
    /// the alert the server gets here.
    ///
    /// rustls puts the `status_request` extension in every ClientHello,
    /// whether or not `request_ocsp` was called (OpenSSL sends it only
    /// after `request_ocsp`), so a server may staple to any puressl client;
    /// without `request_ocsp` the stapled bytes are ignored and the
    /// callback is not called, as in pyOpenSSL.
    ///
    /// ```
    /// use puressl::ssl::{Context, Method};
    /// let mut ctx = Context::new(Method::Tls).unwrap();
    /// ctx.set_ocsp_client_callback(|conn, response| {
    ///     // Check `response` against conn.peer_certificate()? here.
    ///     Ok(!response.is_empty())
    /// });
    /// ```
    pub fn set_ocsp_client_callback<F>(&mut self, callback: F)
    where
        F: Fn(&OcspConnection<'_>, &[u8]) -> Result<bool, Error> + Send + Sync + 'static,
    {
        self.edit().ocsp_client = Some(Arc::new(callback));
    }

    pub(crate) fn ocsp_server_callback(&self) -> Option<Arc<OcspServerFn>> {
        self.callbacks.ocsp_server.clone()
    }
}
