//! `load_tmp_dh`: finite-field Diffie-Hellman parameters are read (so a bad
//! file is reported as such) and then refused, because rustls with the
//! puressl provider negotiates ECDHE and ML-KEM groups only.

use der::asn1::{AnyRef, UintRef};
use der::{Decode, Tag, Tagged};

use crate::ssl::error::ErrorStack;
use crate::ssl::Error;

/// The PEM labels OpenSSL writes for DH parameters (PKCS#3 and X9.42).
const LABELS: [&str; 2] = ["DH PARAMETERS", "X9.42 DH PARAMETERS"];

fn dh_error(reason: impl Into<String>) -> Error {
    Error::Ssl(ErrorStack::new("DH lib", reason))
}

/// A DH parameter error saying `reason`, with the decoder's error as the
/// [`source`](std::error::Error::source).
fn dh_error_by<E>(reason: impl Into<String>, source: E) -> Error
where
    E: std::error::Error + Send + Sync + 'static,
{
    Error::Ssl(ErrorStack::caused_by("DH lib", reason, source))
}

/// The size in bits of the prime of the first DH parameter block in `pem`:
/// PKCS#3 `DHParameter ::= SEQUENCE { prime, base, privateValueLength OPTIONAL }`
/// or X9.42 `DomainParameters ::= SEQUENCE { p, g, q, … }`.
pub(crate) fn prime_bits(pem_text: &[u8]) -> Result<usize, Error> {
    let blocks =
        pem::parse_many(pem_text).map_err(|e| dh_error_by("not a PEM file of DH parameters", e))?;
    let block = blocks
        .iter()
        .find(|b| LABELS.contains(&b.tag()))
        .ok_or_else(|| dh_error("no start line: no BEGIN DH PARAMETERS block"))?;
    let fields: Vec<AnyRef<'_>> =
        Vec::from_der(block.contents()).map_err(|e| dh_error_by("bad DH parameters", e))?;
    let int = |i: usize, name: &str| -> Result<UintRef<'_>, Error> {
        let any = fields
            .get(i)
            .filter(|a| a.tag() == Tag::Integer)
            .ok_or_else(|| dh_error(format!("bad DH parameters: no {name} INTEGER")))?;
        any.decode_as::<UintRef<'_>>()
            .map_err(|e| dh_error_by(format!("bad DH parameters: {name}"), e))
    };
    let p = int(0, "prime")?;
    let g = int(1, "generator")?;
    if g.as_bytes().iter().all(|b| *b == 0) {
        return Err(dh_error("bad DH parameters: generator is 0"));
    }
    let bytes = p.as_bytes();
    let first = bytes
        .first()
        .ok_or_else(|| dh_error("bad DH parameters: prime is 0"))?;
    Ok(bytes.len() * 8 - first.leading_zeros() as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    // `openssl genpkey -genparam -algorithm DH -pkeyopt dh_param:ffdhe2048`
    // has this body; the test builds a small one by hand instead.
    #[test]
    fn reads_pkcs3_and_rejects_garbage() {
        // SEQUENCE { INTEGER 0x00FF11, INTEGER 2 }
        let der = [0x30, 0x08, 0x02, 0x03, 0x00, 0xFF, 0x11, 0x02, 0x01, 0x02];
        let pem = pem::encode(&pem::Pem::new("DH PARAMETERS", der.to_vec()));
        assert_eq!(prime_bits(pem.as_bytes()).unwrap(), 16);
        let e = prime_bits(b"hello").unwrap_err();
        assert_eq!(
            e.to_string(),
            "DH lib::no start line: no BEGIN DH PARAMETERS block"
        );
        let bad = pem::encode(&pem::Pem::new(
            "DH PARAMETERS",
            vec![0x30, 0x03, 0x01, 0x01, 0xff],
        ));
        assert!(prime_bits(bad.as_bytes())
            .unwrap_err()
            .to_string()
            .contains("no prime INTEGER"));
    }
}
