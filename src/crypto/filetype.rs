/// The encoding of a serialized object: pyOpenSSL's `FILETYPE_*` constants.
///
/// `Text` is only valid for output (`dump_*`): it writes what the `openssl`
/// command-line tool prints with `-text -noout`.
#[doc(alias = "FILETYPE_PEM")]
#[doc(alias = "FILETYPE_ASN1")]
#[doc(alias = "FILETYPE_TEXT")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileType {
    /// PEM (base64 with `-----BEGIN ...-----` armour). pyOpenSSL `FILETYPE_PEM`.
    #[doc(alias = "FILETYPE_PEM")]
    Pem,
    /// DER (binary ASN.1). pyOpenSSL `FILETYPE_ASN1`.
    #[doc(alias = "FILETYPE_ASN1")]
    Asn1,
    /// Human-readable text as `openssl ... -text -noout` prints it (output only).
    /// pyOpenSSL `FILETYPE_TEXT`.
    #[doc(alias = "FILETYPE_TEXT")]
    Text,
}
