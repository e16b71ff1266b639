//! `SerialNumber`: an arbitrary-size signed integer with decimal `Display`.

use std::fmt;
use std::str::FromStr;

use super::{Error, Result};

/// A certificate serial number (or any ASN.1 INTEGER): arbitrary size and
/// sign, as OpenSSL allows. `Display` is decimal (what Python prints for
/// pyOpenSSL's `get_serial_number()`), `{:x}`/`{:X}` give hex of the magnitude with a
/// leading `-` for negative values.
///
/// ```
/// use puressl::crypto::SerialNumber;
/// let s: SerialNumber = "340282366920938463463374607431768211457".parse().unwrap(); // 2^128 + 1
/// assert_eq!(s.to_string(), "340282366920938463463374607431768211457");
/// assert_eq!(SerialNumber::from(-1i64).to_der_content(), [0xff]);
/// assert_eq!(format!("{:x}", SerialNumber::from(255u64)), "ff");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SerialNumber {
    negative: bool,
    /// Big-endian magnitude without leading zeros (empty for zero).
    magnitude: Vec<u8>,
}

impl SerialNumber {
    /// Zero.
    pub fn zero() -> Self {
        Self {
            negative: false,
            magnitude: Vec::new(),
        }
    }

    /// A value from its sign and big-endian magnitude.
    pub fn from_sign_magnitude(negative: bool, magnitude: &[u8]) -> Self {
        let skip = magnitude.iter().take_while(|&&b| b == 0).count();
        let magnitude = magnitude.get(skip..).unwrap_or(&[]).to_vec();
        let negative = negative && !magnitude.is_empty();
        Self {
            negative,
            magnitude,
        }
    }

    /// Reads INTEGER content octets (two's complement, big-endian). DER
    /// requires the minimal form: a redundant leading `00`/`ff` octet or an
    /// empty value is an error.
    pub fn from_der_content(bytes: &[u8]) -> Result<Self> {
        let err = |r: &str| Error::malformed("INTEGER", r);
        match bytes {
            [] => return Err(err("empty INTEGER")),
            [0, b, ..] if b & 0x80 == 0 => return Err(err("non-minimal INTEGER encoding")),
            [0xff, b, ..] if b & 0x80 != 0 => return Err(err("non-minimal INTEGER encoding")),
            _ => {}
        }
        let negative = bytes.first().is_some_and(|b| b & 0x80 != 0);
        if !negative {
            return Ok(Self::from_sign_magnitude(false, bytes));
        }
        // Two's complement negation: invert and add one.
        let mut mag: Vec<u8> = bytes.iter().map(|b| !b).collect();
        for b in mag.iter_mut().rev() {
            let (v, carry) = b.overflowing_add(1);
            *b = v;
            if !carry {
                break;
            }
        }
        Ok(Self::from_sign_magnitude(true, &mag))
    }

    /// INTEGER content octets: minimal two's complement, big-endian.
    pub fn to_der_content(&self) -> Vec<u8> {
        if self.magnitude.is_empty() {
            return vec![0];
        }
        if !self.negative {
            let mut v = Vec::with_capacity(self.magnitude.len() + 1);
            if self.magnitude.first().is_some_and(|b| b & 0x80 != 0) {
                v.push(0);
            }
            v.extend_from_slice(&self.magnitude);
            return v;
        }
        let mut v = vec![0u8];
        v.extend_from_slice(&self.magnitude);
        let mut twos: Vec<u8> = v.iter().map(|b| !b).collect();
        for b in twos.iter_mut().rev() {
            let (x, carry) = b.overflowing_add(1);
            *b = x;
            if !carry {
                break;
            }
        }
        // Strip redundant leading 0xff octets.
        while twos.len() > 1
            && twos.first() == Some(&0xff)
            && twos.get(1).is_some_and(|b| b & 0x80 != 0)
        {
            twos.remove(0);
        }
        twos
    }

    /// Whether the value is below zero.
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// The big-endian magnitude without leading zeros (empty for zero).
    pub fn magnitude(&self) -> &[u8] {
        &self.magnitude
    }

    /// The value as `i128`, if it fits.
    pub fn to_i128(&self) -> Option<i128> {
        if self.magnitude.len() > 16 {
            return None;
        }
        let mut m: u128 = 0;
        for &b in &self.magnitude {
            m = (m << 8) | u128::from(b);
        }
        if self.negative {
            if m <= i128::MAX as u128 + 1 {
                Some((m as i128).wrapping_neg())
            } else {
                None
            }
        } else {
            i128::try_from(m).ok()
        }
    }

    fn decimal_magnitude(&self) -> String {
        if self.magnitude.is_empty() {
            return "0".into();
        }
        // Repeated division by 10^9 on base-256 digits.
        let mut num = self.magnitude.clone();
        let mut chunks = Vec::new();
        while !num.is_empty() {
            let mut rem: u64 = 0;
            let mut out = Vec::with_capacity(num.len());
            for &d in &num {
                let cur = (rem << 8) | u64::from(d);
                let q = cur / 1_000_000_000;
                rem = cur % 1_000_000_000;
                if !(out.is_empty() && q == 0) {
                    out.push(q as u8);
                }
            }
            chunks.push(rem);
            num = out;
        }
        let mut s = String::new();
        for (i, c) in chunks.iter().rev().enumerate() {
            if i == 0 {
                s.push_str(&c.to_string());
            } else {
                s.push_str(&format!("{c:09}"));
            }
        }
        s
    }
}

impl Default for SerialNumber {
    fn default() -> Self {
        Self::zero()
    }
}

impl fmt::Display for SerialNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.negative {
            f.write_str("-")?;
        }
        f.write_str(&self.decimal_magnitude())
    }
}

impl fmt::Debug for SerialNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SerialNumber({self})")
    }
}

impl fmt::LowerHex for SerialNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.negative {
            f.write_str("-")?;
        }
        if self.magnitude.is_empty() {
            return f.write_str("0");
        }
        let s: String = self.magnitude.iter().map(|b| format!("{b:02x}")).collect();
        f.write_str(s.trim_start_matches('0'))
    }
}

impl fmt::UpperHex for SerialNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = format!("{self:x}").to_uppercase();
        f.write_str(&s)
    }
}

impl FromStr for SerialNumber {
    type Err = Error;

    /// Parses a decimal integer, optionally signed, or hex with a `0x` prefix.
    fn from_str(s: &str) -> Result<Self> {
        let err = || Error::invalid_string("serial number", format!("{s:?} is not an integer"));
        let (neg, body) = match s.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let (radix, digits) = match body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            Some(h) => (16u32, h),
            None => (10u32, body),
        };
        if digits.is_empty() {
            return Err(err());
        }
        let mut mag: Vec<u8> = Vec::new();
        for ch in digits.chars() {
            let d = ch.to_digit(radix).ok_or_else(err)?;
            // mag = mag * radix + d
            let mut carry = d;
            for b in mag.iter_mut().rev() {
                let v = u32::from(*b) * radix + carry;
                *b = (v & 0xff) as u8;
                carry = v >> 8;
            }
            while carry > 0 {
                mag.insert(0, (carry & 0xff) as u8);
                carry >>= 8;
            }
        }
        Ok(Self::from_sign_magnitude(neg, &mag))
    }
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for SerialNumber {
            fn from(v: $t) -> Self {
                #[allow(unused_comparisons)]
                let neg = v < 0;
                // Every integer type up to i128 (for i128 itself the cast is trivial).
                #[allow(trivial_numeric_casts)]
                let mag = (v as i128).unsigned_abs().to_be_bytes();
                Self::from_sign_magnitude(neg, &mag)
            }
        }
    )*};
}
from_int!(i8, i16, i32, i64, i128, u8, u16, u32, u64, usize, isize);

impl From<u128> for SerialNumber {
    fn from(v: u128) -> Self {
        Self::from_sign_magnitude(false, &v.to_be_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for (dec, hex) in [
            ("0", "00"),
            ("1", "01"),
            ("127", "7f"),
            ("128", "0080"),
            ("-1", "ff"),
            ("-128", "80"),
            ("-129", "ff7f"),
            ("-256", "ff00"),
            ("11111822610015", "0a1b2c3d4e5f"),
            ("-311917102708983781990730508", "fefdfcfbfaf9f8f7f6f5f4f4"),
        ] {
            let s: SerialNumber = dec.parse().unwrap();
            assert_eq!(s.to_string(), dec);
            let h: String = s
                .to_der_content()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(h, hex, "{dec}");
            let bytes: Vec<u8> = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                .collect();
            assert_eq!(SerialNumber::from_der_content(&bytes).unwrap(), s);
        }
        assert!(SerialNumber::from_der_content(&[0, 1]).is_err());
        assert!(SerialNumber::from_der_content(&[0xff, 0x80]).is_err());
        assert!(SerialNumber::from_der_content(&[]).is_err());
        assert_eq!(
            SerialNumber::from(u64::MAX).to_string(),
            u64::MAX.to_string()
        );
        assert_eq!(
            SerialNumber::from(i64::MIN).to_string(),
            i64::MIN.to_string()
        );
        assert_eq!(SerialNumber::from(-5i32).to_i128(), Some(-5));
        assert!("12a".parse::<SerialNumber>().is_err());
        assert_eq!(
            "0xff".parse::<SerialNumber>().unwrap(),
            SerialNumber::from(255u8)
        );
    }
}
