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
