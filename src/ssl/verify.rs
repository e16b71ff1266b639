//! [`VerifyMode`] and the bridge from the verify callback to rustls.

bitflags::bitflags! {
    /// pyOpenSSL's `VERIFY_*` constants, same values.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct VerifyMode: i32 {
        /// `VERIFY_NONE` (0): do not verify the peer (client), do not ask
        /// for a certificate (server).
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

use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{
    CertificateError, DigitallySignedStruct, DistinguishedName, OtherError, SignatureScheme,
};

use crate::crypto::{X509Store, X509StoreContext, X509};
use crate::provider::SUPPORTED_SIG_ALGS;

/// A verify callback for [`Context::set_verify`](crate::ssl::Context::set_verify):
/// `(certificate, errnum, depth, ok) -> verdict`.
pub type VerifyFn = Box<dyn FnMut(&X509, i32, u32, bool) -> bool + Send>;

/// The shared form of a [`VerifyFn`].
pub(crate) type VerifyCallback = Arc<Mutex<dyn FnMut(&X509, i32, u32, bool) -> bool + Send>>;

/// Runs [`X509StoreContext`] over the context's store with the callback, for
/// rustls's client and server sides; rustls's own checks of the handshake
/// signatures stay.
pub(crate) struct StoreVerifier {
    pub(crate) store: X509Store,
    pub(crate) mode: VerifyMode,
    pub(crate) callback: Option<VerifyCallback>,
}

impl std::fmt::Debug for StoreVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreVerifier")
            .field("mode", &self.mode)
            .field("callback", &self.callback.is_some())
            .finish()
    }
}

fn bad_encoding(_: crate::crypto::Error) -> rustls::Error {
    rustls::Error::InvalidCertificate(CertificateError::BadEncoding)
}

impl StoreVerifier {
    fn verify_chain(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
    ) -> Result<(), rustls::Error> {
        let leaf = X509::from_der(end_entity).map_err(bad_encoding)?;
        let chain = intermediates
            .iter()
            .map(|c| X509::from_der(c))
            .collect::<Result<Vec<_>, _>>()
            .map_err(bad_encoding)?;
        let mut ctx = X509StoreContext::new(&self.store, &leaf, Some(&chain));
        if let Some(cb) = &self.callback {
            let cb = Arc::clone(cb);
            ctx.set_verify_callback(move |cert, errnum, depth, ok| match cb.lock() {
                Ok(mut f) => f(cert, errnum, depth, ok),
                Err(_) => false,
            });
        }
        match ctx.verify_certificate() {
            Ok(_) => Ok(()),
            Err(e) => Err(rustls::Error::InvalidCertificate(CertificateError::Other(
                OtherError(Arc::new(e)),
            ))),
        }
    }
}

/// OpenSSL's `X509_V_ERR_HOSTNAME_MISMATCH`.
const HOSTNAME_MISMATCH: i32 = 62;

impl StoreVerifier {
    /// Checks the leaf against the SNI name; a mismatch goes to the callback
    /// as `(leaf, 62, 0, false)`, which may override it.
    fn verify_host(
        &self,
        end_entity: &CertificateDer<'_>,
        server_name: &ServerName<'_>,
    ) -> Result<(), rustls::Error> {
        let parsed = rustls::server::ParsedCertificate::try_from(end_entity)?;
        let Err(e) = rustls::client::verify_server_name(&parsed, server_name) else {
            return Ok(());
        };
        let leaf = X509::from_der(end_entity).map_err(bad_encoding)?;
        let overridden = match &self.callback {
            Some(cb) => cb
                .lock()
                .map(|mut f| f(&leaf, HOSTNAME_MISMATCH, 0, false))
                .unwrap_or(false),
            None => false,
        };
        if overridden {
            Ok(())
        } else {
            Err(e)
        }
    }
}

impl ServerCertVerifier for StoreVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self.mode.contains(VerifyMode::PEER) {
            self.verify_chain(end_entity, intermediates)?;
            // A host name is only known when the client set SNI.
            if let ServerName::DnsName(_) = server_name {
                self.verify_host(end_entity, server_name)?;
            }
        }
        Ok(ServerCertVerified::assertion())
    }

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
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        self.verify_chain(end_entity, intermediates)?;
        Ok(ClientCertVerified::assertion())
    }

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
}
