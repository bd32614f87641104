//! Error messages for rejected tokens and names, with hints toward the
//! valid spelling.

use super::functions::{closest_function_names, find_function, function_names};
use super::lexer::{Token, TokenKind};
use super::ParseError;

/// Returns a token's source text.
pub(crate) fn token_text(chars: &[char], token: &Token) -> String {
    chars[token.start..token.end].iter().collect()
}

/// Returns a token's source text in quotes, or "the end of the
/// expression".
pub(crate) fn describe(chars: &[char], token: &Token) -> String {
    match token.kind {
        TokenKind::End => "the end of the expression".to_string(),
        _ => format!("'{}'", token_text(chars, token)),
    }
}

/// Returns true for the names of values: x, y (in two dimensions), pi and
/// e.
fn is_value_name(name: &str, dim: usize) -> bool {
    matches!(name, "x" | "pi" | "e") || (name == "y" && dim == 2)
}

/// Builds the error for a name that is neither a variable nor a constant
/// and is not followed by '('.
pub(crate) fn unknown_name(name: &str, position: usize, dim: usize) -> ParseError {
    if name == "y" {
        return y_in_one_dimension(position);
    }
    if let Some(function) = find_function(name) {
        return ParseError::new(
            position,
            format!(
                "function {name} needs its arguments in parentheses: write {}",
                function.example()
            ),
        );
    }
    let lower = name.to_ascii_lowercase();
    let hint = if lower != name && is_value_name(&lower, dim) {
        format!("names are lower case: write {lower}")
    } else if let Some(product) = split_into_values(name, dim) {
        format!("use * for multiplication: write {product}")
    } else if let Some(call) = split_into_call(name, dim) {
        format!("did you mean {call}?")
    } else if dim == 2 {
        "the variables are x and y, and the constants are pi and e".to_string()
    } else {
        "the only variable is x, and the constants are pi and e".to_string()
    };
    ParseError::new(position, format!("unknown name '{name}'; {hint}"))
}

pub(crate) fn y_in_one_dimension(position: usize) -> ParseError {
    ParseError::new(
        position,
        "the variable y is only available in two dimensions; use x in one dimension",
    )
}

/// Splits a name such as `xy` or `pix` into value names joined by `*`, if
/// it is a run of at least two of them.
fn split_into_values(name: &str, dim: usize) -> Option<String> {
    let mut parts = Vec::new();
    let mut rest = name;
    while !rest.is_empty() {
        let part = ["pi", "x", "y", "e"]
            .into_iter()
            .find(|part| rest.starts_with(part) && is_value_name(part, dim))?;
        parts.push(part);
        rest = &rest[part.len()..];
    }
    (parts.len() >= 2).then(|| parts.join("*"))
}

/// Splits a name such as `sinx` or `exp2` into a call such as `sin(x)`, if
/// it is a function name followed by a value name or digits.
fn split_into_call(name: &str, dim: usize) -> Option<String> {
    // Names are ASCII (see `TokenKind::Name`), so every byte index is a
    // char boundary.
    (1..name.len()).find_map(|split| {
        let (function, argument) = name.split_at(split);
        let argument_is_value =
            is_value_name(argument, dim) || argument.chars().all(|c| c.is_ascii_digit());
        (find_function(function).is_some() && argument_is_value)
            .then(|| format!("{function}({argument})"))
    })
}

/// Builds the error for `name(` where `name` is not a function.
pub(crate) fn not_a_function(name: &str, position: usize, dim: usize) -> ParseError {
    if name == "y" && dim != 2 {
        return y_in_one_dimension(position);
    }
    if is_value_name(name, dim) {
        return ParseError::new(
            position,
            format!("{name} is not a function; use * for multiplication: write {name}*(...)"),
        );
    }
    let lower = name.to_ascii_lowercase();
    let hint = if lower != name && find_function(&lower).is_some() {
        format!("names are lower case: write {lower}")
    } else if matches!(name, "log10" | "lg") {
        "log is the natural logarithm, so write ln(x)/ln(10) for base 10".to_string()
    } else if name == "log2" {
        "log is the natural logarithm, so write ln(x)/ln(2) for base 2".to_string()
    } else {
        match closest_function_names(name).as_slice() {
            [] => format!("the functions are {}", function_names()),
            [only] => format!("did you mean {only}?"),
            [all_but_last @ .., last] => {
                format!("did you mean {} or {last}?", all_but_last.join(", "))
            }
        }
    };
    ParseError::new(position, format!("unknown function '{name}'; {hint}"))
}

/// Builds the error for an operand that directly follows another, as in
/// `2x`. `previous` ends the first operand, `next` starts the second and
/// `after_next` follows it.
pub(crate) fn implicit_multiplication(
    chars: &[char],
    previous: Option<&Token>,
    next: &Token,
    after_next: Option<&Token>,
) -> ParseError {
    let left = match previous {
        Some(token) if token.kind == TokenKind::CloseParen => "(...)".to_string(),
        Some(token) => token_text(chars, token),
        None => "...".to_string(),
    };
    let next_is_call = after_next.is_some_and(|token| token.kind == TokenKind::OpenParen);
    let right = match &next.kind {
        TokenKind::OpenParen => "(...)".to_string(),
        TokenKind::Name(name) if next_is_call => format!("{name}(...)"),
        _ => token_text(chars, next),
    };
    ParseError::new(
        next.start,
        format!(
            "missing operator before {}; use * for multiplication: write {left}*{right}",
            describe(chars, next)
        ),
    )
}

/// Builds the error for a token found where an operand must start.
pub(crate) fn missing_operand(
    chars: &[char],
    previous: Option<&Token>,
    found: &Token,
) -> ParseError {
    let expected = "expected a number, variable or '('";
    let message = match previous {
        Some(previous) => format!("{expected} after {}", describe(chars, previous)),
        None => format!("{expected}, but found {}", describe(chars, found)),
    };
    ParseError::new(found.start, message)
}

/// Builds the error for a ',' outside any function call.
pub(crate) fn comma_outside_call(previous: Option<&Token>, comma: &Token) -> ParseError {
    let after_number = previous.is_some_and(|token| matches!(token.kind, TokenKind::Number(_)));
    let message = if after_number {
        "unexpected ',' outside a function call; write decimals with a point, such as 1.5"
    } else {
        "unexpected ',' outside a function call"
    };
    ParseError::new(comma.start, message)
}

pub(crate) fn nested_too_deeply(position: usize, max_depth: usize) -> ParseError {
    ParseError::new(
        position,
        format!(
            "expression is nested too deeply; at most {max_depth} levels of parentheses, \
             function calls, signs and powers are allowed"
        ),
    )
}
