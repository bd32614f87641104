//! Text helpers for notice and error messages: safe echoes of untrusted
//! text, and plurals.

/// Maximum number of characters of a value echoed in a message.
pub(crate) const MAX_ECHOED_VALUE_CHARS: usize = 40;

/// Maximum number of characters of an unknown key echoed in a message.
pub(crate) const MAX_ECHOED_KEY_CHARS: usize = 20;

/// Writes `text` between single quotes, escaped and shortened by `echo`
/// to at most `max_chars` characters.
pub(crate) fn quote(text: &str, max_chars: usize) -> String {
    format!("'{}'", echo(text, max_chars))
}

/// Writes `text` so that a message can show it: control characters, the
/// characters that reorder or hide text (bidirectional controls, zero-width
/// characters, line and paragraph separators) and `\` are escaped as
/// `\u{..}` or `\\`.
///
/// The output has at most `max_chars` characters, the last being `…` when
/// `text` was cut. An escape is never cut in half. Reads only as much of
/// `text` as it shows.
pub(crate) fn echo(text: &str, max_chars: usize) -> String {
    let mut output = String::new();
    let mut output_chars = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let piece: String = if c == '\\' {
            "\\\\".to_string()
        } else if is_hidden_or_control(c) {
            c.escape_unicode().to_string()
        } else {
            c.to_string()
        };
        let piece_chars = piece.chars().count();

        // Keep one character free for the ellipsis unless this is the last
        // character of the text.
        let reserve = usize::from(chars.peek().is_some());
        if output_chars + piece_chars + reserve > max_chars {
            output.push('…');
            return output;
        }
        output.push_str(&piece);
        output_chars += piece_chars;
    }
    output
}

/// Returns the noun in singular or plural for `count` items, with the
/// matching form of "to be".
pub(crate) fn plural(count: usize, noun: &str) -> (String, &'static str) {
    if count == 1 {
        (noun.to_string(), "is")
    } else {
        (format!("{noun}s"), "are")
    }
}

fn is_hidden_or_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_short_text_unchanged() {
        assert_eq!(echo("abs(x - 1/3)", 40), "abs(x - 1/3)");
        assert_eq!(echo("", 40), "");
        assert_eq!(echo("π·x", 3), "π·x");
    }

    #[test]
    fn echo_cuts_long_text() {
        let text = "a".repeat(100);
        let echoed = echo(&text, 40);
        assert_eq!(echoed.chars().count(), 40);
        assert!(echoed.ends_with('…'));
        assert_eq!(echo("abcdef", 5), "abcd…");
    }

    #[test]
    fn echo_escapes_control_characters() {
        assert_eq!(echo("a\u{1b}[31mb", 40), "a\\u{1b}[31mb");
        assert_eq!(
            echo("\n\r\t\u{7f}\u{85}", 40),
            "\\u{a}\\u{d}\\u{9}\\u{7f}\\u{85}"
        );
        assert_eq!(echo("a\u{202e}b", 40), "a\\u{202e}b");
        assert_eq!(echo("a\\b", 40), "a\\\\b");
    }

    #[test]
    fn echo_never_splits_escape() {
        // The escape of U+0001 is the 5 characters `\u{1}`, so with "a" and
        // the ellipsis it needs 7 places.
        assert_eq!(echo("a\u{1}bc", 6), "a…");
        assert_eq!(echo("a\u{1}bc", 7), "a\\u{1}…");
        assert_eq!(echo("a\u{1}bc", 8), "a\\u{1}bc");
    }

    #[test]
    fn quote_wraps_in_single_quotes() {
        assert_eq!(quote("abc", 40), "'abc'");
        assert_eq!(quote("", 40), "''");
    }
}
