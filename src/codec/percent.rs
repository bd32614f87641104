//! Percent-decoding of link text and percent-encoding of the expression.
//!
//! Unlike `application/x-www-form-urlencoded`, a `+` stays a literal plus,
//! so that a hand-typed `expr=x+1` keeps working.

/// Text after percent-decoding, with the problems met on the way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PercentDecoded {
    /// Decoded text.
    pub text: String,
    /// Whether a `%` was not followed by two hex digits. Each such `%` is
    /// kept as a literal `%`.
    pub stray_percent: bool,
    /// Whether the decoded bytes were not valid UTF-8. Each invalid
    /// sequence is replaced by U+FFFD.
    pub invalid_utf8: bool,
}

/// Decodes every `%XX` escape of `raw` and reads the bytes as UTF-8.
///
/// Never fails: a stray `%` is kept and invalid UTF-8 is decoded lossily,
/// and the flags of the result report both. Runs in time linear in the
/// length of `raw`.
pub(crate) fn percent_decode(raw: &str) -> PercentDecoded {
    if !raw.contains('%') {
        return PercentDecoded {
            text: raw.to_owned(),
            stray_percent: false,
            invalid_utf8: false,
        };
    }

    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut stray_percent = false;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if byte == b'%' {
            let high = bytes.get(i + 1).copied().and_then(hex_digit_value);
            let low = bytes.get(i + 2).copied().and_then(hex_digit_value);
            if let (Some(high), Some(low)) = (high, low) {
                decoded.push(high * 16 + low);
                i += 3;
                continue;
            }
            stray_percent = true;
        }
        decoded.push(byte);
        i += 1;
    }

    match String::from_utf8(decoded) {
        Ok(text) => PercentDecoded {
            text,
            stray_percent,
            invalid_utf8: false,
        },
        Err(error) => PercentDecoded {
            text: String::from_utf8_lossy(error.as_bytes()).into_owned(),
            stray_percent,
            invalid_utf8: true,
        },
    }
}

/// Encodes `text` for a link value: every byte except ASCII letters, digits
/// and `-._~()*/,` becomes `%XX` with upper-case hex digits.
///
/// The kept characters need no escape in a URL fragment, and none of them is
/// `&`, `=`, `#`, `%` or `+`, so the value decodes to exactly `text`.
pub(crate) fn percent_encode(text: &str) -> String {
    const HEX_DIGITS: &[u8; 16] = b"0123456789ABCDEF";

    let mut encoded = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if is_kept_unescaped(byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push('%');
            encoded.push(char::from(HEX_DIGITS[usize::from(byte >> 4)]));
            encoded.push(char::from(HEX_DIGITS[usize::from(byte & 0x0f)]));
        }
    }
    encoded
}

fn is_kept_unescaped(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"-._~()*/,".contains(&byte)
}

fn hex_digit_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_plain_text_unchanged() {
        let decoded = percent_decode("abs(x-1/3)");
        assert_eq!(decoded.text, "abs(x-1/3)");
        assert!(!decoded.stray_percent);
        assert!(!decoded.invalid_utf8);
    }

    #[test]
    fn decode_keeps_plus_literal() {
        assert_eq!(percent_decode("x+1").text, "x+1");
        assert_eq!(percent_decode("x%2B1").text, "x+1");
        assert_eq!(percent_decode("x%2b1").text, "x+1");
    }

    #[test]
    fn decode_multibyte_escapes() {
        let decoded = percent_decode("%CF%80%C2%B7x");
        assert_eq!(decoded.text, "π·x");
        assert!(!decoded.invalid_utf8);
    }

    #[test]
    fn decode_stray_percent_kept() {
        for raw in ["%", "50%", "%z", "%zz", "%4", "a%%41"] {
            let decoded = percent_decode(raw);
            assert!(decoded.stray_percent, "{raw}");
            assert!(!decoded.invalid_utf8, "{raw}");
        }
        assert_eq!(percent_decode("%zz").text, "%zz");
        assert_eq!(percent_decode("a%%41").text, "a%A");
        assert_eq!(percent_decode("%4").text, "%4");
    }

    #[test]
    fn decode_invalid_utf8_lossily() {
        let decoded = percent_decode("%C3%28");
        assert_eq!(decoded.text, "\u{FFFD}(");
        assert!(decoded.invalid_utf8);
        assert!(!decoded.stray_percent);

        let decoded = percent_decode("%FF%FE");
        assert_eq!(decoded.text, "\u{FFFD}\u{FFFD}");
        assert!(decoded.invalid_utf8);
    }

    #[test]
    fn encode_escapes_reserved_bytes() {
        assert_eq!(percent_encode("x+1"), "x%2B1");
        assert_eq!(percent_encode("a&b=c#d%e f"), "a%26b%3Dc%23d%25e%20f");
        assert_eq!(percent_encode("π"), "%CF%80");
        assert_eq!(percent_encode("abs(x-1/3)*2,y_~."), "abs(x-1/3)*2,y_~.");
    }

    #[test]
    fn encode_then_decode_restores_text() {
        let text = "sin(2*pi*x) + 0.5^|y| & \u{7f}\u{0} π 😀 %41 #";
        let decoded = percent_decode(&percent_encode(text));
        assert_eq!(decoded.text, text);
        assert!(!decoded.stray_percent);
        assert!(!decoded.invalid_utf8);
    }
}
