//! Splitting the source text into tokens.
//!
//! Positions are 0-based indices into the source's chars (Unicode scalar
//! values), because error messages count characters, not bytes.

use super::ParseError;

/// A token and the range of chars it covers.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Token {
    pub(crate) kind: TokenKind,
    /// Index of the first char.
    pub(crate) start: usize,
    /// Index one past the last char.
    pub(crate) end: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TokenKind {
    Number(f64),
    /// A name made of ASCII letters, digits and underscores, starting with
    /// a letter or underscore. Upper case is accepted here so that the
    /// parser can reject `Sin` or `X` with a "names are lower case" hint.
    Name(String),
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    EqualEqual,
    NotEqual,
    OpenParen,
    CloseParen,
    Comma,
    End,
}

/// Splits `chars` into tokens ending with `TokenKind::End`.
///
/// On an invalid character or number literal, returns the tokens before it
/// together with the error. The parser reports that error only when it
/// reaches the end of those tokens, so that an earlier syntax error wins
/// and every report names the leftmost problem.
pub(crate) fn tokenize(chars: &[char]) -> (Vec<Token>, Option<ParseError>) {
    let mut tokens = Vec::new();
    let mut position = 0;
    while position < chars.len() {
        let c = chars[position];
        if c.is_whitespace() {
            position += 1;
            continue;
        }
        let start = position;
        let kind = if c.is_ascii_digit() || c == '.' {
            match lex_number(chars, start) {
                Ok((value, end)) => {
                    position = end;
                    TokenKind::Number(value)
                }
                Err(error) => return (tokens, Some(error)),
            }
        } else if c.is_ascii_alphabetic() || c == '_' {
            while position < chars.len()
                && (chars[position].is_ascii_alphanumeric() || chars[position] == '_')
            {
                position += 1;
            }
            TokenKind::Name(chars[start..position].iter().collect())
        } else {
            let next = chars.get(position + 1).copied();
            let (kind, length) = match (c, next) {
                ('<', Some('=')) => (TokenKind::LessEqual, 2),
                ('>', Some('=')) => (TokenKind::GreaterEqual, 2),
                ('=', Some('=')) => (TokenKind::EqualEqual, 2),
                ('!', Some('=')) => (TokenKind::NotEqual, 2),
                ('*', Some('*')) => {
                    let error = ParseError::new(
                        start,
                        "'**' is not an operator; use ^ for powers: write x^2",
                    );
                    return (tokens, Some(error));
                }
                ('+', _) => (TokenKind::Plus, 1),
                ('-', _) => (TokenKind::Minus, 1),
                ('*', _) => (TokenKind::Star, 1),
                ('/', _) => (TokenKind::Slash, 1),
                ('^', _) => (TokenKind::Caret, 1),
                ('<', _) => (TokenKind::Less, 1),
                ('>', _) => (TokenKind::Greater, 1),
                ('(', _) => (TokenKind::OpenParen, 1),
                (')', _) => (TokenKind::CloseParen, 1),
                (',', _) => (TokenKind::Comma, 1),
                _ => return (tokens, Some(unexpected_character(c, start))),
            };
            position += length;
            kind
        };
        tokens.push(Token {
            kind,
            start,
            end: position,
        });
    }
    tokens.push(Token {
        kind: TokenKind::End,
        start: chars.len(),
        end: chars.len(),
    });
    (tokens, None)
}

/// Reads a decimal literal starting at `start`: digits with an optional
/// fraction and exponent (`2`, `2.`, `.5`, `1e-3`, `2.5E+4`). Returns its
/// value and the index one past its last char.
fn lex_number(chars: &[char], start: usize) -> Result<(f64, usize), ParseError> {
    let digits_from = |mut position: usize| {
        while position < chars.len() && chars[position].is_ascii_digit() {
            position += 1;
        }
        position
    };
    let mut position = digits_from(start);
    let integer_digits = position - start;
    if chars.get(position) == Some(&'.') {
        let fraction_start = position + 1;
        position = digits_from(fraction_start);
        if integer_digits == 0 && position == fraction_start {
            return Err(ParseError::new(
                start,
                "expected a digit before or after '.'; write 0.5 or .5",
            ));
        }
    }

    // An 'e' or 'E' starts an exponent only when digits follow, possibly
    // after a sign, so that `2e` still lexes as the number 2 and the name e
    // and gets the "use * for multiplication" message.
    if matches!(chars.get(position), Some('e' | 'E')) {
        let mut exponent_digits = position + 1;
        if matches!(chars.get(exponent_digits), Some('+' | '-')) {
            exponent_digits += 1;
        }
        if chars.get(exponent_digits).is_some_and(char::is_ascii_digit) {
            position = digits_from(exponent_digits);
        }
    }

    let text: String = chars[start..position].iter().collect();
    if chars.get(position) == Some(&'.') {
        return Err(ParseError::new(
            position,
            format!(
                "unexpected '.' after the number {text}; a number has at most one decimal point"
            ),
        ));
    }
    // The text matches Rust's float grammar by construction, so parsing
    // fails only if that construction has a bug. Report it rather than
    // panic.
    let value: f64 = text
        .parse()
        .map_err(|_| ParseError::new(start, format!("invalid number {text}")))?;
    if value.is_infinite() {
        return Err(ParseError::new(
            start,
            format!("number {text} is too large; the largest finite number is about 1.8e308"),
        ));
    }
    Ok((value, position))
}

/// Builds the error for a char that starts no token, with a hint for the
/// common look-alikes of valid operators.
fn unexpected_character(c: char, position: usize) -> ParseError {
    let hint = match c {
        '×' | '·' | '⋅' | '∙' | '✕' | '∗' => "; use * for multiplication",
        '÷' | '∕' | '⁄' => "; use / for division",
        '−' | '–' | '—' => "; use the ASCII '-' for minus",
        '²' | '³' | '¹' | '⁰' | '⁴' | '⁵' | '⁶' | '⁷' | '⁸' | '⁹' => {
            "; use ^ for powers: write x^2"
        }
        'π' => "; write pi",
        '√' => "; use sqrt(...) for square roots",
        '≤' => "; use <=",
        '≥' => "; use >=",
        '≠' => "; use !=",
        '=' => "; use == to compare",
        '!' => "; use != for 'not equal'",
        '|' => "; use abs(...) for absolute values",
        '&' => "; multiply conditions for 'and', for example (x > 0)*(x < 1)",
        '[' | ']' | '{' | '}' => "; use ( and ) for grouping",
        _ if c.is_alphabetic() => "; names use only the letters a to z",
        _ => "",
    };
    // Debug formatting quotes the char and escapes invisible ones, such as
    // '\u{200b}', so the message shows what was typed.
    ParseError::new(position, format!("unexpected character {c:?}{hint}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<TokenKind> {
        let chars: Vec<char> = source.chars().collect();
        let (tokens, error) = tokenize(&chars);
        assert_eq!(error, None, "unexpected error for {source:?}");
        tokens.into_iter().map(|token| token.kind).collect()
    }

    #[test]
    fn numbers_in_every_form() {
        for (source, value) in [
            ("2", 2.0),
            ("2.", 2.0),
            (".5", 0.5),
            ("1e-3", 1e-3),
            ("2.5E+4", 2.5e4),
            ("0.125e2", 12.5),
            ("1e-999", 0.0),
        ] {
            assert_eq!(
                kinds(source),
                vec![TokenKind::Number(value), TokenKind::End],
                "{source}"
            );
        }
    }

    #[test]
    fn exponent_without_digits_is_name() {
        assert_eq!(
            kinds("2e"),
            vec![
                TokenKind::Number(2.0),
                TokenKind::Name("e".into()),
                TokenKind::End
            ]
        );
    }

    #[test]
    fn operators_and_positions() {
        let chars: Vec<char> = "×x <= 1".chars().collect();
        let (tokens, error) = tokenize(&chars);
        assert!(tokens.is_empty());
        assert_eq!(error.map(|error| error.position), Some(0));

        let chars: Vec<char> = "é <= 1".chars().collect();
        let (_, error) = tokenize(&chars);
        assert!(error.is_some());

        let chars: Vec<char> = " x<=1 ".chars().collect();
        let (tokens, error) = tokenize(&chars);
        assert_eq!(error, None);
        let spans: Vec<(usize, usize)> = tokens.iter().map(|t| (t.start, t.end)).collect();
        assert_eq!(spans, vec![(1, 2), (2, 4), (4, 5), (6, 6)]);
    }
}
