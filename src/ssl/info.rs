//! The info callback ([`Context::set_info_callback`](crate::ssl::Context::set_info_callback)):
//! OpenSSL's `SSL_CB_*` "where" values and what puressl reports.
//!
//! rustls has no state-machine callbacks, so puressl reports the events it
//! can see from outside the handshake, with OpenSSL's values:
//!
//! | event | `where` | `ret` |
//! |---|---|---|
//! | the first [`do_handshake`](crate::ssl::Connection::do_handshake) (or `send`/`recv` that starts the handshake) | `HANDSHAKE_START` | 1 |
//! | the handshake finished | `HANDSHAKE_DONE`, then `CONNECT_EXIT`/`ACCEPT_EXIT` | 1, 1 |
//! | a handshake call returns an error (including `WantRead`/`WantWrite`, as OpenSSL) | `CONNECT_EXIT`/`ACCEPT_EXIT` | −1 |
//! | an alert arrived: the peer's close_notify, or a fatal alert | `READ_ALERT` | `level << 8 \| description` (close_notify: 0x100; e.g. fatal bad_certificate: 0x22A) |
//! | we sent close_notify ([`shutdown`](crate::ssl::Connection::shutdown)) | `WRITE_ALERT` | 0x100 |
//! | we sent a fatal alert for a certificate error, or for no common ALPN protocol | `WRITE_ALERT` | `0x200 \| description` |
//!
//! Not reported: the per-message `CONNECT_LOOP`/`ACCEPT_LOOP` steps
//! (OpenSSL's state names do not exist in rustls), OpenSSL's TLS 1.3
//! `HANDSHAKE_START`/`HANDSHAKE_DONE` pair around each post-handshake
//! NewSessionTicket or KeyUpdate, `READ`/`WRITE` bits, and alerts rustls
//! sends for other errors (protocol violations it detects internally:
//! their description is not exposed).

use std::sync::Arc;

use rustls::AlertDescription;

use super::Error;
use crate::crypto::X509;
#[cfg(test)]
use rustls::CertificateError;

bitflags::bitflags! {
    /// The `where` argument of the info callback: OpenSSL's `SSL_CB_*` and
    /// `SSL_ST_*` bits, same values (pyOpenSSL exports them as
    /// `SSL_CB_LOOP`, `SSL_CB_HANDSHAKE_START`, …).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct InfoWhere: i32 {
        /// `SSL_ST_CONNECT` (0x1000): the client side.
        #[doc(alias = "SSL_ST_CONNECT")]
        const ST_CONNECT = 0x1000;
        /// `SSL_ST_ACCEPT` (0x2000): the server side.
        #[doc(alias = "SSL_ST_ACCEPT")]
        const ST_ACCEPT = 0x2000;
        /// `SSL_CB_LOOP` (0x01): a handshake state change (not reported).
        #[doc(alias = "SSL_CB_LOOP")]
        const LOOP = 0x01;
        /// `SSL_CB_EXIT` (0x02): a handshake call returns.
        #[doc(alias = "SSL_CB_EXIT")]
        const EXIT = 0x02;
        /// `SSL_CB_READ` (0x04).
        #[doc(alias = "SSL_CB_READ")]
        const READ = 0x04;
        /// `SSL_CB_WRITE` (0x08).
        #[doc(alias = "SSL_CB_WRITE")]
        const WRITE = 0x08;
        /// `SSL_CB_ALERT` (0x4000).
        #[doc(alias = "SSL_CB_ALERT")]
        const ALERT = 0x4000;
        /// `SSL_CB_READ_ALERT` (0x4004): an alert arrived.
        #[doc(alias = "SSL_CB_READ_ALERT")]
        const READ_ALERT = 0x4004;
        /// `SSL_CB_WRITE_ALERT` (0x4008): an alert was sent.
        #[doc(alias = "SSL_CB_WRITE_ALERT")]
        const WRITE_ALERT = 0x4008;
        /// `SSL_CB_ACCEPT_LOOP` (0x2001).
        #[doc(alias = "SSL_CB_ACCEPT_LOOP")]
        const ACCEPT_LOOP = 0x2001;
        /// `SSL_CB_ACCEPT_EXIT` (0x2002).
        #[doc(alias = "SSL_CB_ACCEPT_EXIT")]
        const ACCEPT_EXIT = 0x2002;
        /// `SSL_CB_CONNECT_LOOP` (0x1001).
        #[doc(alias = "SSL_CB_CONNECT_LOOP")]
        const CONNECT_LOOP = 0x1001;
        /// `SSL_CB_CONNECT_EXIT` (0x1002).
        #[doc(alias = "SSL_CB_CONNECT_EXIT")]
        const CONNECT_EXIT = 0x1002;
        /// `SSL_CB_HANDSHAKE_START` (0x10).
        #[doc(alias = "SSL_CB_HANDSHAKE_START")]
        const HANDSHAKE_START = 0x10;
        /// `SSL_CB_HANDSHAKE_DONE` (0x20).
        #[doc(alias = "SSL_CB_HANDSHAKE_DONE")]
        const HANDSHAKE_DONE = 0x20;
    }
}

/// A read-only view of the connection the info callback is called for
/// (pyOpenSSL passes the `Connection` itself).
#[derive(Debug, Clone, Copy)]
pub struct ConnectionInfo<'a> {
    tls: &'a rustls::Connection,
    sni: Option<&'a str>,
}

impl ConnectionInfo<'_> {
    /// `true` on the server side.
    pub fn is_server(&self) -> bool {
        matches!(self.tls, rustls::Connection::Server(_))
    }

    /// `true` while the handshake is still running.
    pub fn is_handshaking(&self) -> bool {
        self.tls.is_handshaking()
    }

    /// The SNI name (the one received on the server side, the one set on
    /// the client side). pyOpenSSL `get_servername`.
    #[doc(alias = "get_servername")]
    pub fn servername(&self) -> Option<&str> {
        match self.tls {
            rustls::Connection::Server(s) => s.server_name(),
            rustls::Connection::Client(_) => self.sni,
        }
    }

    /// `"TLSv1.2"` or `"TLSv1.3"` once negotiated.
    /// pyOpenSSL `get_protocol_version_name`.
    #[doc(alias = "get_protocol_version_name")]
    pub fn protocol_version_name(&self) -> Option<&'static str> {
        match self.tls.protocol_version() {
            Some(rustls::ProtocolVersion::TLSv1_2) => Some("TLSv1.2"),
            Some(rustls::ProtocolVersion::TLSv1_3) => Some("TLSv1.3"),
            _ => None,
        }
    }

    /// OpenSSL's name of the negotiated suite. pyOpenSSL `get_cipher_name`.
    #[doc(alias = "get_cipher_name")]
    pub fn cipher_name(&self) -> Option<&'static str> {
        self.tls
            .negotiated_cipher_suite()
            .and_then(super::context::suite_name)
    }

    /// The peer's certificate, once received (`None` before, or when the
    /// peer sent none). pyOpenSSL `get_peer_certificate`.
    #[doc(alias = "get_peer_certificate")]
    pub fn peer_certificate(&self) -> Result<Option<X509>, Error> {
        match self.tls.peer_certificates().and_then(|c| c.first()) {
            Some(c) => Ok(Some(X509::from_der(c)?)),
            None => Ok(None),
        }
    }

    /// `true` once a handshake resumed a session. OpenSSL `SSL_session_reused`.
    #[doc(alias = "SSL_session_reused")]
    pub fn session_reused(&self) -> bool {
        self.tls.handshake_kind() == Some(rustls::HandshakeKind::Resumed)
    }
}

/// The info callback: `(connection, where, ret)`.
pub type InfoFn = dyn Fn(&ConnectionInfo<'_>, InfoWhere, i32) + Send + Sync;

/// Per-connection state of the info callback: the callback (if any) and
/// which one-shot events were reported already.
#[derive(Clone, Default)]
pub(crate) struct InfoState {
    callback: Option<Arc<InfoFn>>,
    started: bool,
    done: bool,
    close_read: bool,
}

impl std::fmt::Debug for InfoState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InfoState")
            .field("callback", &self.callback.is_some())
            .finish_non_exhaustive()
    }
}

/// OpenSSL's alert levels.
const WARNING: i32 = 1;
const FATAL: i32 = 2;

fn alert_ret(level: i32, desc: AlertDescription) -> i32 {
    (level << 8) | i32::from(u8::from(desc))
}

/// The alert rustls sends for `e`, where rustls lets it be known.
fn alert_sent(e: &rustls::Error) -> Option<AlertDescription> {
    match e {
        rustls::Error::InvalidCertificate(c) => Some(AlertDescription::from(c.clone())),
        // The verifier's refusal that rustls answers with handshake_failure.
        rustls::Error::General(m) if m.starts_with(crate::ssl::verify::REFUSED) => {
            Some(AlertDescription::HandshakeFailure)
        }
        // The client's OCSP callback failed: rustls's handshake_failure.
        rustls::Error::General(m) if m.starts_with(crate::ssl::context::OCSP_CALLBACK_FAILED) => {
            Some(AlertDescription::HandshakeFailure)
        }
        rustls::Error::NoApplicationProtocol => Some(AlertDescription::NoApplicationProtocol),
        _ => None,
    }
}

impl InfoState {
    pub(crate) fn new(callback: Option<Arc<InfoFn>>) -> Self {
        InfoState {
            callback,
            ..InfoState::default()
        }
    }

    /// Takes `other`'s callback, keeping what was reported already
    /// (`Connection::set_context`).
    pub(crate) fn set_callback_of(&mut self, other: InfoState) {
        self.callback = other.callback;
    }

    fn emit(&self, tls: Option<&rustls::Connection>, sni: Option<&str>, w: InfoWhere, ret: i32) {
        if let (Some(cb), Some(tls)) = (&self.callback, tls) {
            cb(&ConnectionInfo { tls, sni }, w, ret);
        }
    }

    fn side(tls: Option<&rustls::Connection>) -> InfoWhere {
        match tls {
            Some(rustls::Connection::Server(_)) => InfoWhere::ST_ACCEPT,
            _ => InfoWhere::ST_CONNECT,
        }
    }

    /// Before a handshake call: `HANDSHAKE_START` the first time.
    pub(crate) fn handshake_start(&mut self, tls: Option<&rustls::Connection>, sni: Option<&str>) {
        if self.callback.is_none() || self.started || !tls.is_some_and(|t| t.is_handshaking()) {
            return;
        }
        self.started = true;
        self.emit(tls, sni, InfoWhere::HANDSHAKE_START, 1);
    }

    /// After a handshake call: `HANDSHAKE_DONE` + `EXIT(1)` once it is
    /// finished, `EXIT(-1)` for an error while it is not.
    pub(crate) fn handshake_end<T, E>(
        &mut self,
        tls: Option<&rustls::Connection>,
        sni: Option<&str>,
        result: &Result<T, E>,
    ) {
        if self.callback.is_none() || self.done || !self.started {
            return;
        }
        let exit = Self::side(tls) | InfoWhere::EXIT;
        match result {
            Ok(_) => {
                self.done = true;
                self.emit(tls, sni, InfoWhere::HANDSHAKE_DONE, 1);
                self.emit(tls, sni, exit, 1);
            }
            Err(_) => self.emit(tls, sni, exit, -1),
        }
    }

    /// The peer's close_notify arrived (reported once).
    pub(crate) fn close_notify_read(
        &mut self,
        tls: Option<&rustls::Connection>,
        sni: Option<&str>,
    ) {
        if self.close_read {
            return;
        }
        self.close_read = true;
        let ret = alert_ret(WARNING, AlertDescription::CloseNotify);
        self.emit(tls, sni, InfoWhere::READ_ALERT, ret);
    }

    /// We sent close_notify.
    pub(crate) fn close_notify_written(&self, tls: Option<&rustls::Connection>, sni: Option<&str>) {
        let ret = alert_ret(WARNING, AlertDescription::CloseNotify);
        self.emit(tls, sni, InfoWhere::WRITE_ALERT, ret);
    }

    /// rustls failed with `e`: the fatal alert received, or the one sent
    /// when rustls lets it be known.
    pub(crate) fn tls_error(
        &self,
        tls: Option<&rustls::Connection>,
        sni: Option<&str>,
        e: &rustls::Error,
    ) {
        match e {
            rustls::Error::AlertReceived(desc) => {
                self.emit(tls, sni, InfoWhere::READ_ALERT, alert_ret(FATAL, *desc))
            }
            _ => {
                if let Some(desc) = alert_sent(e) {
                    self.emit(tls, sni, InfoWhere::WRITE_ALERT, alert_ret(FATAL, desc));
                }
            }
        }
    }
}

/// The alert rustls sends for a certificate error (for tests of the table).
#[cfg(test)]
fn cert_alert(e: CertificateError) -> i32 {
    alert_ret(FATAL, AlertDescription::from(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alert_rets_are_openssls() {
        assert_eq!(alert_ret(WARNING, AlertDescription::CloseNotify), 0x100);
        // bad_certificate (42), unknown_ca (48), fatal.
        assert_eq!(cert_alert(CertificateError::NotValidForName), 0x22A);
        assert_eq!(cert_alert(CertificateError::UnknownIssuer), 0x230);
        assert_eq!(
            InfoWhere::CONNECT_EXIT,
            InfoWhere::ST_CONNECT | InfoWhere::EXIT
        );
        assert_eq!(InfoWhere::READ_ALERT.bits(), 0x4004);
        assert_eq!(InfoWhere::ACCEPT_LOOP.bits(), 0x2001);
    }
}
