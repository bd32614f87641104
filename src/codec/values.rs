//! Validators shared by the lenient link decoder and the strict
//! command-line setters. Each one reports what is wrong with a value, and
//! the caller either repairs it with a notice or rejects it.

use crate::state::{
    max_depth, Mode, MAX_CELLS_PER_AXIS_LOG2, MAX_DEPTH_1D, MAX_DEPTH_2D, MAX_EXPR_CHARS,
};

/// Reason that a text is not a usable number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumberError {
    /// Empty, or not in the syntax of Rust's `f64` parser.
    NotANumber,
    /// NaN or an infinity.
    NotFinite,
}

impl NumberError {
    /// Returns the problem as the end of a sentence that starts with the
    /// value.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            NumberError::NotANumber => "is not a number",
            NumberError::NotFinite => "is not a finite number",
        }
    }
}

/// Parses `text` as a finite double, in the syntax of Rust's `f64` parser
/// (`3`, `+3`, `0.5`, `.5`, `1e-3`). Surrounding spaces, hex and digit
/// separators are not accepted.
pub(crate) fn parse_number(text: &str) -> Result<f64, NumberError> {
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value),
        Ok(_) => Err(NumberError::NotFinite),
        Err(_) => Err(NumberError::NotANumber),
    }
}

/// Bound that a value crossed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    Below,
    Above,
}

/// Inclusive range of an integer key, with the reason for its maximum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IntegerBounds {
    pub min: u32,
    pub max: u32,
    /// Words that follow the maximum in a message, such as
    /// " for n=16 in 1D (n^depth must stay ≤ 2^40)", or empty.
    pub max_reason: String,
}

impl IntegerBounds {
    /// Bounds whose maximum needs no explanation.
    pub(crate) fn plain(min: u32, max: u32) -> IntegerBounds {
        IntegerBounds {
            min,
            max,
            max_reason: String::new(),
        }
    }
}

/// A finite double read as an integer within bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct IntegerReading {
    /// The value rounded to the nearest integer (halves away from zero) and
    /// then clamped to the bounds.
    pub value: u32,
    /// Whether the double was not an integer.
    pub rounded: bool,
    /// The bound that the rounded value crossed, if any.
    pub clamped: Option<Side>,
}

/// Reads the finite double `number` as an integer within `bounds`.
pub(crate) fn read_integer(number: f64, bounds: &IntegerBounds) -> IntegerReading {
    let rounded_number = number.round();
    let rounded = rounded_number != number;

    let (value, clamped) = if rounded_number < f64::from(bounds.min) {
        (bounds.min, Some(Side::Below))
    } else if rounded_number > f64::from(bounds.max) {
        (bounds.max, Some(Side::Above))
    } else {
        // The rounded number is an integer within u32 bounds here, so the
        // conversion is exact.
        (rounded_number as u32, None)
    };

    IntegerReading {
        value,
        rounded,
        clamped,
    }
}

/// Clamps the finite double `number` to `min..=max`, and reports the bound
/// that it crossed, if any.
pub(crate) fn read_float(number: f64, (min, max): (f64, f64)) -> (f64, Option<Side>) {
    if number < min {
        (min, Some(Side::Below))
    } else if number > max {
        (max, Some(Side::Above))
    } else {
        (number, None)
    }
}

/// Bounds of `depth` for the given dimension, grid base and mode: from 1 to
/// `max_depth(d, n, mode)`, with the cap that sets the maximum.
pub(crate) fn depth_bounds(d: usize, n: u32, mode: Mode) -> IntegerBounds {
    let max = max_depth(d, n, mode);
    let fixed_cap = if d >= 2 { MAX_DEPTH_2D } else { MAX_DEPTH_1D };
    let dimension = if d >= 2 { 2 } else { 1 };

    let max_reason = if max >= fixed_cap {
        format!(" in {dimension}D")
    } else if mode == Mode::Network && dimension == 2 {
        format!(
            " for n={n} in 2D network mode (n^(2·depth) must stay ≤ 2^{MAX_CELLS_PER_AXIS_LOG2})"
        )
    } else {
        format!(" for n={n} in {dimension}D (n^depth must stay ≤ 2^{MAX_CELLS_PER_AXIS_LOG2})")
    };

    IntegerBounds {
        min: 1,
        max,
        max_reason,
    }
}

/// Bounds of `level`: from 1 to the depth.
pub(crate) fn level_bounds(depth: u32) -> IntegerBounds {
    IntegerBounds {
        min: 1,
        max: depth,
        max_reason: " (the depth)".to_string(),
    }
}

/// Bounds of `depth` and `level` before the other keys are known: the
/// largest fixed depth cap of any dimension.
pub(crate) fn any_depth_bounds() -> IntegerBounds {
    IntegerBounds::plain(1, MAX_DEPTH_1D.max(MAX_DEPTH_2D))
}

/// Parses the `psi` switch: `0` or `false` is off, `1` or `true` is on.
pub(crate) fn parse_switch(text: &str) -> Option<bool> {
    match text {
        "0" | "false" => Some(false),
        "1" | "true" => Some(true),
        _ => None,
    }
}

/// Returns whether `c` is a control character that an expression may not
/// contain:
/// U+0000 to U+001F and U+007F.
pub(crate) fn is_forbidden_in_expr(c: char) -> bool {
    c <= '\u{1F}' || c == '\u{7F}'
}

/// An expression text made valid for the state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ExprReading {
    /// The text without control characters, cut to `MAX_EXPR_CHARS`
    /// characters.
    pub text: String,
    /// Number of control characters removed.
    pub removed_controls: usize,
    /// Number of characters after the removal, when more than
    /// `MAX_EXPR_CHARS` so that the text was cut.
    pub cut_from_chars: Option<usize>,
}

/// Removes the control characters of `text` and cuts it to
/// `MAX_EXPR_CHARS` characters.
pub(crate) fn read_expr(text: &str) -> ExprReading {
    let mut cleaned = String::with_capacity(text.len().min(4 * MAX_EXPR_CHARS));
    let mut cleaned_chars = 0;
    let mut removed_controls = 0;
    for c in text.chars() {
        if is_forbidden_in_expr(c) {
            removed_controls += 1;
            continue;
        }
        if cleaned_chars < MAX_EXPR_CHARS {
            cleaned.push(c);
        }
        cleaned_chars += 1;
    }

    ExprReading {
        text: cleaned,
        removed_controls,
        cut_from_chars: (cleaned_chars > MAX_EXPR_CHARS).then_some(cleaned_chars),
    }
}

/// Writes a double in the shortest form that parses back to the same bits:
/// plain decimal (`0.5`, `0.001`, `2`), or exponent form (`1e-8`) below
/// 1e-4 and from 1e16 on, where the decimal form gets long.
pub(crate) fn format_number(value: f64) -> String {
    let magnitude = value.abs();
    if value != 0.0 && !(1e-4..1e16).contains(&magnitude) {
        format!("{value:e}")
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_number_accepts_float_syntax() {
        assert_eq!(parse_number("3"), Ok(3.0));
        assert_eq!(parse_number("+3"), Ok(3.0));
        assert_eq!(parse_number("-0.5"), Ok(-0.5));
        assert_eq!(parse_number(".5"), Ok(0.5));
        assert_eq!(parse_number("1e-3"), Ok(1e-3));
        assert_eq!(parse_number("1E300"), Ok(1e300));
    }

    #[test]
    fn parse_number_rejects_non_numbers() {
        for text in ["", " 3", "3 ", "abc", "0x10", "1_000", "1,5", "--1"] {
            assert_eq!(parse_number(text), Err(NumberError::NotANumber), "{text}");
        }
        for text in ["NaN", "nan", "inf", "-inf", "Infinity", "1e999"] {
            assert_eq!(parse_number(text), Err(NumberError::NotFinite), "{text}");
        }
    }

    #[test]
    fn read_integer_rounds_and_clamps() {
        let bounds = IntegerBounds::plain(2, 16);
        let exact = read_integer(5.0, &bounds);
        assert_eq!(exact.value, 5);
        assert!(!exact.rounded);
        assert_eq!(exact.clamped, None);

        let rounded = read_integer(2.5, &bounds);
        assert_eq!(rounded.value, 3);
        assert!(rounded.rounded);
        assert_eq!(rounded.clamped, None);

        let below = read_integer(-0.4, &bounds);
        assert_eq!(below.value, 2);
        assert!(below.rounded);
        assert_eq!(below.clamped, Some(Side::Below));

        let above = read_integer(1e300, &bounds);
        assert_eq!(above.value, 16);
        assert!(!above.rounded);
        assert_eq!(above.clamped, Some(Side::Above));
    }

    #[test]
    fn depth_bounds_name_binding_cap() {
        let fixed = depth_bounds(1, 3, Mode::Ideal);
        assert_eq!(fixed.max, MAX_DEPTH_1D);
        assert_eq!(fixed.max_reason, " in 1D");

        let precision = depth_bounds(1, 16, Mode::Ideal);
        assert_eq!(precision.max, 10);
        assert_eq!(
            precision.max_reason,
            " for n=16 in 1D (n^depth must stay ≤ 2^40)"
        );

        let network = depth_bounds(2, 16, Mode::Network);
        assert_eq!(network.max, 5);
        assert!(network.max_reason.contains("n^(2·depth)"));

        let fixed_2d = depth_bounds(2, 16, Mode::Ideal);
        assert_eq!(fixed_2d.max, MAX_DEPTH_2D);
        assert_eq!(fixed_2d.max_reason, " in 2D");
    }

    #[test]
    fn read_expr_removes_controls() {
        let reading = read_expr("x\u{0}+\t1\u{7f}\u{85}");
        assert_eq!(reading.text, "x+1\u{85}");
        assert_eq!(reading.removed_controls, 3);
        assert_eq!(reading.cut_from_chars, None);
    }

    #[test]
    fn read_expr_cuts_long_text() {
        let text = "π".repeat(MAX_EXPR_CHARS + 5);
        let reading = read_expr(&text);
        assert_eq!(reading.text.chars().count(), MAX_EXPR_CHARS);
        assert_eq!(reading.cut_from_chars, Some(MAX_EXPR_CHARS + 5));

        let exact = read_expr(&"x".repeat(MAX_EXPR_CHARS));
        assert_eq!(exact.cut_from_chars, None);
    }

    #[test]
    fn format_number_round_trips() {
        assert_eq!(format_number(0.5), "0.5");
        assert_eq!(format_number(0.001), "0.001");
        assert_eq!(format_number(1e-4), "0.0001");
        assert_eq!(format_number(1e-8), "1e-8");
        assert_eq!(format_number(2.0), "2");
        assert_eq!(format_number(0.1 + 0.2), "0.30000000000000004");
        for value in [1e-8, 3.3e-5, 0.1 + 0.2, 1.0 / 3.0, 9.999999999999998, 1e300] {
            assert_eq!(format_number(value).parse::<f64>(), Ok(value));
        }
    }
}
