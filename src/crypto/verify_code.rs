//! OpenSSL's certificate verification results (`X509_V_OK`,
//! `X509_V_ERR_*`) with OpenSSL 3's message texts.
//!
//! A leaf module (it uses nothing of `crypto`): [`crypto::Error`](super::Error)
//! names a verification failure by this code, without depending on the
//! store (see `store/errors.rs`).

use std::fmt;

/// An OpenSSL certificate verification result code (`X509_V_OK` or one of
/// the `X509_V_ERR_*` numbers), with OpenSSL 3.0's message text.
///
/// The associated constants are named as OpenSSL names them, without the
/// `X509_V_ERR_` prefix (`X509_V_OK` is [`OK`](Self::OK)).
///
/// ```
/// use puressl::crypto::X509VerifyError;
/// let e = X509VerifyError::CERT_HAS_EXPIRED;
/// assert_eq!(e.code(), 10);
/// assert_eq!(e.message(), "certificate has expired");
/// assert_eq!(e.name(), "X509_V_ERR_CERT_HAS_EXPIRED");
/// assert_eq!(X509VerifyError::from_code(20), X509VerifyError::UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
/// ```
#[doc(alias = "X509_V_OK")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct X509VerifyError(i32);

macro_rules! codes {
    ($(($id:ident, $n:expr, $c:expr, $m:expr),)*) => {
        impl X509VerifyError {
            $(
                #[doc = concat!("`", $c, "` (", stringify!($n), "): \"", $m, "\".")]
                #[doc(alias = $c)]
                pub const $id: X509VerifyError = X509VerifyError($n);
            )*

            const TABLE: &'static [(i32, &'static str, &'static str)] = &[$(($n, $c, $m),)*];
        }
    };
}

codes! {
    (OK, 0, "X509_V_OK", "ok"),
    (UNSPECIFIED, 1, "X509_V_ERR_UNSPECIFIED", "unspecified certificate verification error"),
    (UNABLE_TO_GET_ISSUER_CERT, 2, "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT", "unable to get issuer certificate"),
    (UNABLE_TO_GET_CRL, 3, "X509_V_ERR_UNABLE_TO_GET_CRL", "unable to get certificate CRL"),
    (UNABLE_TO_DECRYPT_CERT_SIGNATURE, 4, "X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE", "unable to decrypt certificate's signature"),
    (UNABLE_TO_DECRYPT_CRL_SIGNATURE, 5, "X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE", "unable to decrypt CRL's signature"),
    (UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY, 6, "X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY", "unable to decode issuer public key"),
    (CERT_SIGNATURE_FAILURE, 7, "X509_V_ERR_CERT_SIGNATURE_FAILURE", "certificate signature failure"),
    (CRL_SIGNATURE_FAILURE, 8, "X509_V_ERR_CRL_SIGNATURE_FAILURE", "CRL signature failure"),
    (CERT_NOT_YET_VALID, 9, "X509_V_ERR_CERT_NOT_YET_VALID", "certificate is not yet valid"),
    (CERT_HAS_EXPIRED, 10, "X509_V_ERR_CERT_HAS_EXPIRED", "certificate has expired"),
    (CRL_NOT_YET_VALID, 11, "X509_V_ERR_CRL_NOT_YET_VALID", "CRL is not yet valid"),
    (CRL_HAS_EXPIRED, 12, "X509_V_ERR_CRL_HAS_EXPIRED", "CRL has expired"),
    (ERROR_IN_CERT_NOT_BEFORE_FIELD, 13, "X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD", "format error in certificate's notBefore field"),
    (ERROR_IN_CERT_NOT_AFTER_FIELD, 14, "X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD", "format error in certificate's notAfter field"),
    (ERROR_IN_CRL_LAST_UPDATE_FIELD, 15, "X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD", "format error in CRL's lastUpdate field"),
    (ERROR_IN_CRL_NEXT_UPDATE_FIELD, 16, "X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD", "format error in CRL's nextUpdate field"),
    (OUT_OF_MEM, 17, "X509_V_ERR_OUT_OF_MEM", "out of memory"),
    (DEPTH_ZERO_SELF_SIGNED_CERT, 18, "X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate"),
    (SELF_SIGNED_CERT_IN_CHAIN, 19, "X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN", "self-signed certificate in certificate chain"),
    (UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 20, "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "unable to get local issuer certificate"),
    (UNABLE_TO_VERIFY_LEAF_SIGNATURE, 21, "X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate"),
    (CERT_CHAIN_TOO_LONG, 22, "X509_V_ERR_CERT_CHAIN_TOO_LONG", "certificate chain too long"),
    (CERT_REVOKED, 23, "X509_V_ERR_CERT_REVOKED", "certificate revoked"),
    (NO_ISSUER_PUBLIC_KEY, 24, "X509_V_ERR_NO_ISSUER_PUBLIC_KEY", "issuer certificate doesn't have a public key"),
    (PATH_LENGTH_EXCEEDED, 25, "X509_V_ERR_PATH_LENGTH_EXCEEDED", "path length constraint exceeded"),
    (INVALID_PURPOSE, 26, "X509_V_ERR_INVALID_PURPOSE", "unsuitable certificate purpose"),
    (CERT_UNTRUSTED, 27, "X509_V_ERR_CERT_UNTRUSTED", "certificate not trusted"),
    (CERT_REJECTED, 28, "X509_V_ERR_CERT_REJECTED", "certificate rejected"),
    (SUBJECT_ISSUER_MISMATCH, 29, "X509_V_ERR_SUBJECT_ISSUER_MISMATCH", "subject issuer mismatch"),
    (AKID_SKID_MISMATCH, 30, "X509_V_ERR_AKID_SKID_MISMATCH", "authority and subject key identifier mismatch"),
    (AKID_ISSUER_SERIAL_MISMATCH, 31, "X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH", "authority and issuer serial number mismatch"),
    (KEYUSAGE_NO_CERTSIGN, 32, "X509_V_ERR_KEYUSAGE_NO_CERTSIGN", "key usage does not include certificate signing"),
    (UNABLE_TO_GET_CRL_ISSUER, 33, "X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER", "unable to get CRL issuer certificate"),
    (UNHANDLED_CRITICAL_EXTENSION, 34, "X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION", "unhandled critical extension"),
    (KEYUSAGE_NO_CRL_SIGN, 35, "X509_V_ERR_KEYUSAGE_NO_CRL_SIGN", "key usage does not include CRL signing"),
    (UNHANDLED_CRITICAL_CRL_EXTENSION, 36, "X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION", "unhandled critical CRL extension"),
    (INVALID_NON_CA, 37, "X509_V_ERR_INVALID_NON_CA", "invalid non-CA certificate (has CA markings)"),
    (PROXY_PATH_LENGTH_EXCEEDED, 38, "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED", "proxy path length constraint exceeded"),
    (KEYUSAGE_NO_DIGITAL_SIGNATURE, 39, "X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE", "key usage does not include digital signature"),
    (PROXY_CERTIFICATES_NOT_ALLOWED, 40, "X509_V_ERR_PROXY_CERTIFICATES_NOT_ALLOWED", "proxy certificates not allowed, please set the appropriate flag"),
    (INVALID_EXTENSION, 41, "X509_V_ERR_INVALID_EXTENSION", "invalid or inconsistent certificate extension"),
    (INVALID_POLICY_EXTENSION, 42, "X509_V_ERR_INVALID_POLICY_EXTENSION", "invalid or inconsistent certificate policy extension"),
    (NO_EXPLICIT_POLICY, 43, "X509_V_ERR_NO_EXPLICIT_POLICY", "no explicit policy"),
    (DIFFERENT_CRL_SCOPE, 44, "X509_V_ERR_DIFFERENT_CRL_SCOPE", "different CRL scope"),
    (UNSUPPORTED_EXTENSION_FEATURE, 45, "X509_V_ERR_UNSUPPORTED_EXTENSION_FEATURE", "unsupported extension feature"),
    (UNNESTED_RESOURCE, 46, "X509_V_ERR_UNNESTED_RESOURCE", "RFC 3779 resource not subset of parent's resources"),
    (PERMITTED_VIOLATION, 47, "X509_V_ERR_PERMITTED_VIOLATION", "permitted subtree violation"),
    (EXCLUDED_VIOLATION, 48, "X509_V_ERR_EXCLUDED_VIOLATION", "excluded subtree violation"),
    (SUBTREE_MINMAX, 49, "X509_V_ERR_SUBTREE_MINMAX", "name constraints minimum and maximum not supported"),
    (APPLICATION_VERIFICATION, 50, "X509_V_ERR_APPLICATION_VERIFICATION", "application verification failure"),
    (UNSUPPORTED_CONSTRAINT_TYPE, 51, "X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE", "unsupported name constraint type"),
    (UNSUPPORTED_CONSTRAINT_SYNTAX, 52, "X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX", "unsupported or invalid name constraint syntax"),
    (UNSUPPORTED_NAME_SYNTAX, 53, "X509_V_ERR_UNSUPPORTED_NAME_SYNTAX", "unsupported or invalid name syntax"),
    (CRL_PATH_VALIDATION_ERROR, 54, "X509_V_ERR_CRL_PATH_VALIDATION_ERROR", "CRL path validation error"),
    (PATH_LOOP, 55, "X509_V_ERR_PATH_LOOP", "path loop"),
    (SUITE_B_INVALID_VERSION, 56, "X509_V_ERR_SUITE_B_INVALID_VERSION", "Suite B: certificate version invalid"),
    (SUITE_B_INVALID_ALGORITHM, 57, "X509_V_ERR_SUITE_B_INVALID_ALGORITHM", "Suite B: invalid public key algorithm"),
    (SUITE_B_INVALID_CURVE, 58, "X509_V_ERR_SUITE_B_INVALID_CURVE", "Suite B: invalid ECC curve"),
    (SUITE_B_INVALID_SIGNATURE_ALGORITHM, 59, "X509_V_ERR_SUITE_B_INVALID_SIGNATURE_ALGORITHM", "Suite B: invalid signature algorithm"),
    (SUITE_B_LOS_NOT_ALLOWED, 60, "X509_V_ERR_SUITE_B_LOS_NOT_ALLOWED", "Suite B: curve not allowed for this LOS"),
    (SUITE_B_CANNOT_SIGN_P_384_WITH_P_256, 61, "X509_V_ERR_SUITE_B_CANNOT_SIGN_P_384_WITH_P_256", "Suite B: cannot sign P-384 with P-256"),
    (HOSTNAME_MISMATCH, 62, "X509_V_ERR_HOSTNAME_MISMATCH", "hostname mismatch"),
    (EMAIL_MISMATCH, 63, "X509_V_ERR_EMAIL_MISMATCH", "email address mismatch"),
    (IP_ADDRESS_MISMATCH, 64, "X509_V_ERR_IP_ADDRESS_MISMATCH", "IP address mismatch"),
    (DANE_NO_MATCH, 65, "X509_V_ERR_DANE_NO_MATCH", "no matching DANE TLSA records"),
    (EE_KEY_TOO_SMALL, 66, "X509_V_ERR_EE_KEY_TOO_SMALL", "EE certificate key too weak"),
    (CA_KEY_TOO_SMALL, 67, "X509_V_ERR_CA_KEY_TOO_SMALL", "CA certificate key too weak"),
    (CA_MD_TOO_WEAK, 68, "X509_V_ERR_CA_MD_TOO_WEAK", "CA signature digest algorithm too weak"),
    (INVALID_CALL, 69, "X509_V_ERR_INVALID_CALL", "invalid certificate verification context"),
    (STORE_LOOKUP, 70, "X509_V_ERR_STORE_LOOKUP", "issuer certificate lookup error"),
    (NO_VALID_SCTS, 71, "X509_V_ERR_NO_VALID_SCTS", "Certificate Transparency required, but no valid SCTs found"),
    (PROXY_SUBJECT_NAME_VIOLATION, 72, "X509_V_ERR_PROXY_SUBJECT_NAME_VIOLATION", "proxy subject name violation"),
    (OCSP_VERIFY_NEEDED, 73, "X509_V_ERR_OCSP_VERIFY_NEEDED", "OCSP verification needed"),
    (OCSP_VERIFY_FAILED, 74, "X509_V_ERR_OCSP_VERIFY_FAILED", "OCSP verification failed"),
    (OCSP_CERT_UNKNOWN, 75, "X509_V_ERR_OCSP_CERT_UNKNOWN", "OCSP unknown cert"),
    (UNSUPPORTED_SIGNATURE_ALGORITHM, 76, "X509_V_ERR_UNSUPPORTED_SIGNATURE_ALGORITHM", "Cannot find certificate signature algorithm"),
    (SIGNATURE_ALGORITHM_MISMATCH, 77, "X509_V_ERR_SIGNATURE_ALGORITHM_MISMATCH", "subject signature algorithm and issuer public key algorithm mismatch"),
    (SIGNATURE_ALGORITHM_INCONSISTENCY, 78, "X509_V_ERR_SIGNATURE_ALGORITHM_INCONSISTENCY", "cert info signature and signature algorithm mismatch"),
    (INVALID_CA, 79, "X509_V_ERR_INVALID_CA", "invalid CA certificate"),
    (PATHLEN_INVALID_FOR_NON_CA, 80, "X509_V_ERR_PATHLEN_INVALID_FOR_NON_CA", "Path length invalid for non-CA cert"),
    (PATHLEN_WITHOUT_KU_KEY_CERT_SIGN, 81, "X509_V_ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN", "Path length given without key usage keyCertSign"),
    (KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA, 82, "X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA", "Key usage keyCertSign invalid for non-CA cert"),
    (ISSUER_NAME_EMPTY, 83, "X509_V_ERR_ISSUER_NAME_EMPTY", "Issuer name empty"),
    (SUBJECT_NAME_EMPTY, 84, "X509_V_ERR_SUBJECT_NAME_EMPTY", "Subject name empty"),
    (MISSING_AUTHORITY_KEY_IDENTIFIER, 85, "X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER", "Missing Authority Key Identifier"),
    (MISSING_SUBJECT_KEY_IDENTIFIER, 86, "X509_V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER", "Missing Subject Key Identifier"),
    (EMPTY_SUBJECT_ALT_NAME, 87, "X509_V_ERR_EMPTY_SUBJECT_ALT_NAME", "Empty Subject Alternative Name extension"),
    (EMPTY_SUBJECT_SAN_NOT_CRITICAL, 88, "X509_V_ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL", "Subject empty and Subject Alt Name extension not critical"),
    (CA_BCONS_NOT_CRITICAL, 89, "X509_V_ERR_CA_BCONS_NOT_CRITICAL", "Basic Constraints of CA cert not marked critical"),
    (AUTHORITY_KEY_IDENTIFIER_CRITICAL, 90, "X509_V_ERR_AUTHORITY_KEY_IDENTIFIER_CRITICAL", "Authority Key Identifier marked critical"),
    (SUBJECT_KEY_IDENTIFIER_CRITICAL, 91, "X509_V_ERR_SUBJECT_KEY_IDENTIFIER_CRITICAL", "Subject Key Identifier marked critical"),
    (CA_CERT_MISSING_KEY_USAGE, 92, "X509_V_ERR_CA_CERT_MISSING_KEY_USAGE", "CA cert does not include key usage extension"),
    (EXTENSIONS_REQUIRE_VERSION_3, 93, "X509_V_ERR_EXTENSIONS_REQUIRE_VERSION_3", "Using cert extension requires at least X509v3"),
    (EC_KEY_EXPLICIT_PARAMS, 94, "X509_V_ERR_EC_KEY_EXPLICIT_PARAMS", "Certificate public key has explicit ECC parameters"),
}

impl X509VerifyError {
    /// The value for an OpenSSL code (unknown codes are kept as they are).
    pub fn from_code(code: i32) -> Self {
        Self(code)
    }

    /// The OpenSSL number.
    pub fn code(self) -> i32 {
        self.0
    }

    /// OpenSSL 3's text for the code (`X509_verify_cert_error_string`);
    /// an unknown code gives "unknown certificate verification error".
    pub fn message(self) -> &'static str {
        Self::TABLE
            .iter()
            .find(|(n, _, _)| *n == self.0)
            .map_or("unknown certificate verification error", |(_, _, m)| m)
    }

    /// The C name (`X509_V_ERR_CERT_HAS_EXPIRED`), or `""` for an unknown code.
    pub fn name(self) -> &'static str {
        Self::TABLE
            .iter()
            .find(|(n, _, _)| *n == self.0)
            .map_or("", |(_, c, _)| c)
    }
}

impl fmt::Display for X509VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}
