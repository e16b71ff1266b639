//! Lookups in OpenSSL's object table (NID, short name, long name, OID).

use std::collections::HashMap;
use std::sync::OnceLock;

use super::objects_table::OBJECTS;

/// One object OpenSSL knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Obj {
    /// OpenSSL's NID.
    pub(crate) nid: u32,
    /// Short name (`CN`).
    pub(crate) sn: &'static str,
    /// Long name (`commonName`).
    pub(crate) ln: &'static str,
    /// Dotted OID.
    pub(crate) oid: &'static str,
}

fn obj(t: &(u32, &'static str, &'static str, &'static str)) -> Obj {
    Obj {
        nid: t.0,
        sn: t.1,
        ln: t.2,
        oid: t.3,
    }
}

struct Index {
    oid: HashMap<&'static str, usize>,
    sn: HashMap<&'static str, usize>,
    ln: HashMap<&'static str, usize>,
}

/// Hash indexes over the table, built once. The first entry wins when two
/// objects share a key (as OpenSSL's sorted tables resolve to one NID).
fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut ix = Index {
            oid: HashMap::with_capacity(OBJECTS.len()),
            sn: HashMap::with_capacity(OBJECTS.len()),
            ln: HashMap::with_capacity(OBJECTS.len()),
        };
        for (i, t) in OBJECTS.iter().enumerate() {
            ix.oid.entry(t.3).or_insert(i);
            ix.sn.entry(t.1).or_insert(i);
            ix.ln.entry(t.2).or_insert(i);
        }
        ix
    })
}

fn at(i: Option<&usize>) -> Option<Obj> {
    i.and_then(|&i| OBJECTS.get(i)).map(obj)
}

/// The object with this dotted OID (`OBJ_obj2nid`).
pub(crate) fn by_oid(oid: &str) -> Option<Obj> {
    at(index().oid.get(oid))
}

/// `OBJ_txt2nid`: short name, then long name, then dotted OID of a known object.
pub(crate) fn by_name(text: &str) -> Option<Obj> {
    let ix = index();
    at(ix.sn.get(text))
        .or_else(|| at(ix.ln.get(text)))
        .or_else(|| at(ix.oid.get(text)))
}

/// OpenSSL's short name for an OID, or `UNDEF`.
pub(crate) fn short_name(oid: &str) -> &'static str {
    by_oid(oid).map_or("UNDEF", |o| o.sn)
}

/// OpenSSL's long name for an OID, or `undefined`.
pub(crate) fn long_name(oid: &str) -> &'static str {
    by_oid(oid).map_or("undefined", |o| o.ln)
}

/// `OBJ_obj2txt(.., 0)`: the long name if known, else the dotted OID.
pub(crate) fn long_name_or_oid(oid: &str) -> String {
    by_oid(oid).map_or_else(|| oid.to_owned(), |o| o.ln.to_owned())
}

/// The short name if known, else the dotted OID (`i2t_ASN1_OBJECT` for names).
pub(crate) fn short_name_or_oid(oid: &str) -> String {
    by_oid(oid).map_or_else(|| oid.to_owned(), |o| o.sn.to_owned())
}

/// The OID accessors of an attribute kept as `oid: String` (dotted, the
/// object table's key) and `id: Oid`: one definition for `NameEntry` and
/// `ReqAttribute`. The arguments are the examples their docs show.
macro_rules! attribute_oid_accessors {
    (oid: $oid:literal, short: $sn:literal, long: $ln:literal) => {
        #[doc = concat!("The attribute's OID (", $oid, ").")]
        pub fn oid(&self) -> $crate::crypto::asn1::oid::Oid {
            self.id.clone()
        }

        /// The attribute's OID as dotted text.
        pub(crate) fn dotted(&self) -> &str {
            &self.oid
        }

        /// The attribute's OID, borrowed.
        pub(crate) fn id(&self) -> &$crate::crypto::asn1::oid::Oid {
            &self.id
        }

        #[doc = concat!("OpenSSL's short name (", $sn, "), or `UNDEF` for an OID OpenSSL does not know.")]
        pub fn short_name(&self) -> &'static str {
            $crate::crypto::asn1::objects::short_name(&self.oid)
        }

        #[doc = concat!("OpenSSL's long name (", $ln, "), or `undefined`.")]
        pub fn long_name(&self) -> &'static str {
            $crate::crypto::asn1::objects::long_name(&self.oid)
        }
    };
}
pub(crate) use attribute_oid_accessors;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert_eq!(by_name("CN").unwrap().oid, "2.5.4.3");
        assert_eq!(by_name("commonName").unwrap().sn, "CN");
        assert_eq!(by_name("2.5.4.3").unwrap().ln, "commonName");
        assert_eq!(by_name("UID").unwrap().oid, "0.9.2342.19200300.100.1.1");
        assert_eq!(short_name("1.3.6.1.4.1.311.60.2.1.3"), "jurisdictionC");
        assert_eq!(short_name("1.3.6.1.4.1.55555.7"), "UNDEF");
        assert_eq!(long_name("1.2.840.113549.1.1.10"), "rsassaPss");
        assert_eq!(long_name("1.3.101.112"), "ED25519");
        assert!(by_name("nonsense").is_none());
        assert!(OBJECTS.len() > 1000);
    }
}
