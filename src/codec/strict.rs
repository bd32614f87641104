//! Strict setters for the command line: a value is accepted as it is or
//! rejected with an error, never rounded, clamped or replaced.

use super::keys::Key;
use super::message::{echo, quote, MAX_ECHOED_KEY_CHARS, MAX_ECHOED_VALUE_CHARS};
use super::values::{
    any_depth_bounds, depth_bounds, format_number, is_forbidden_in_expr, level_bounds,
    parse_number, parse_switch, read_float, read_integer, IntegerBounds,
};
use super::InvalidValue;
use crate::state::{
    Family, Mode, State, ALPHA_RANGE, EPS_RANGE, ETA_RANGE, FORMAT_VERSION, MAX_EXPR_CHARS,
    N_RANGE, P_RANGE,
};

/// Sets the field `key` (a fragment key without `--`, such as `n`) of
/// `state` from the command-line text `value`.
///
/// Accepts exactly the values that are in range on their own:
///
/// - `d`, `n`, `depth`, `level`: integers in range, read as doubles first,
///   so `3`, `+3` and `3.0` are all 3;
/// - `alpha`, `p`, `eta`, `eps`: finite numbers in range, in `1e-3` or
///   `0.001` form;
/// - `target`, `mode`: the exact lower-case ids;
/// - `psi`: `0`, `1`, `true` or `false`;
/// - `expr`: a non-empty text of at most `MAX_EXPR_CHARS` characters without
///   control characters.
///
/// `depth` and `level` are checked here only against the largest depth of
/// any dimension, so that options can come in any order. `check_strict`
/// checks them against `max_depth(d, n, mode)` and the depth afterwards.
///
/// Setting `expr` does not change `target`. On error `state` is unchanged,
/// and the message names the option as `--key`, the value and the accepted
/// values. `v` is not an option, because the format version is fixed.
pub fn set_strict(state: &mut State, key: &str, value: &str) -> Result<(), InvalidValue> {
    let Some(parsed_key) = Key::from_name(key) else {
        return Err(unknown_option(key));
    };

    match parsed_key {
        Key::V => {
            return Err(InvalidValue {
                key: key.to_string(),
                message: format!(
                    "invalid option --v: the format version is fixed at {FORMAT_VERSION} and cannot be set"
                ),
            });
        }
        Key::D => state.d = strict_integer(Key::D, value, &IntegerBounds::plain(1, 2))? as usize,
        Key::N => {
            let bounds = IntegerBounds::plain(N_RANGE.0, N_RANGE.1);
            state.n = strict_integer(Key::N, value, &bounds)?;
        }
        Key::Depth => state.depth = strict_integer(Key::Depth, value, &any_depth_bounds())?,
        Key::Level => state.level = strict_integer(Key::Level, value, &any_depth_bounds())?,
        Key::Target => {
            let ids = Family::ALL.map(Family::id);
            state.target = Family::from_id(value)
                .ok_or_else(|| invalid(Key::Target, value, expected_one_of(&ids)))?;
        }
        Key::Mode => {
            let ids = [Mode::Ideal.id(), Mode::Network.id()];
            state.mode = Mode::from_id(value)
                .ok_or_else(|| invalid(Key::Mode, value, expected_one_of(&ids)))?;
        }
        Key::Alpha => state.alpha = strict_float(Key::Alpha, value, ALPHA_RANGE)?,
        Key::P => state.p = strict_float(Key::P, value, P_RANGE)?,
        Key::Eta => state.eta = strict_float(Key::Eta, value, ETA_RANGE)?,
        Key::Eps => state.eps = strict_float(Key::Eps, value, EPS_RANGE)?,
        Key::Psi => {
            state.psi = parse_switch(value).ok_or_else(|| {
                invalid(Key::Psi, value, "expected 0, 1, true or false".to_string())
            })?;
        }
        Key::Expr => {
            if value.is_empty() {
                let expected = format!(
                    "expected a non-empty expression of at most {MAX_EXPR_CHARS} characters"
                );
                return Err(invalid(Key::Expr, value, expected));
            }
            check_expr(value)?;
            state.expr = value.to_string();
        }
    }
    Ok(())
}

/// Checks that every field of `state` is in range, then the rules between
/// fields: `depth` at most `max_depth(d, n, mode)` and `level` at most
/// `depth`.
///
/// Returns the first violation, in the key order of `encode_fragment`, as an
/// error that names the option as `--key`. An empty `expr` passes, because
/// links may carry one. Every state that `decode_fragment` returns passes.
pub fn check_strict(state: &State) -> Result<(), InvalidValue> {
    if !(1..=2).contains(&state.d) {
        let value = state.d.to_string();
        return Err(invalid(
            Key::D,
            &value,
            expected_integer(&IntegerBounds::plain(1, 2)),
        ));
    }
    check_integer_field(Key::N, state.n, &IntegerBounds::plain(N_RANGE.0, N_RANGE.1))?;

    let depth = depth_bounds(state.d, state.n, state.mode);
    check_integer_field(Key::Depth, state.depth, &depth)?;
    check_integer_field(Key::Level, state.level, &level_bounds(state.depth))?;

    check_float_field(Key::Alpha, state.alpha, ALPHA_RANGE)?;
    check_float_field(Key::P, state.p, P_RANGE)?;
    check_float_field(Key::Eta, state.eta, ETA_RANGE)?;
    check_float_field(Key::Eps, state.eps, EPS_RANGE)?;
    check_expr(&state.expr)
}

fn check_integer_field(key: Key, value: u32, bounds: &IntegerBounds) -> Result<(), InvalidValue> {
    if (bounds.min..=bounds.max).contains(&value) {
        Ok(())
    } else {
        Err(invalid(key, &value.to_string(), expected_integer(bounds)))
    }
}

fn check_float_field(key: Key, value: f64, range: (f64, f64)) -> Result<(), InvalidValue> {
    if value.is_finite() && read_float(value, range).1.is_none() {
        Ok(())
    } else {
        Err(invalid(key, &format_number(value), expected_float(range)))
    }
}

/// Checks the length and characters of an expression, which may be empty.
fn check_expr(text: &str) -> Result<(), InvalidValue> {
    if let Some(control) = text.chars().find(|&c| is_forbidden_in_expr(c)) {
        let code = u32::from(control);
        let expected = format!(
            "expected no control characters (U+0000 to U+001F, U+007F), found U+{code:04X}"
        );
        return Err(invalid(Key::Expr, text, expected));
    }

    let chars = text.chars().count();
    if chars > MAX_EXPR_CHARS {
        let expected = format!("expected at most {MAX_EXPR_CHARS} characters, found {chars}");
        return Err(invalid(Key::Expr, text, expected));
    }
    Ok(())
}

fn strict_integer(key: Key, value: &str, bounds: &IntegerBounds) -> Result<u32, InvalidValue> {
    let error = || invalid(key, value, expected_integer(bounds));
    let number = parse_number(value).map_err(|_| error())?;
    let reading = read_integer(number, bounds);
    if reading.rounded || reading.clamped.is_some() {
        return Err(error());
    }
    Ok(reading.value)
}

fn strict_float(key: Key, value: &str, range: (f64, f64)) -> Result<f64, InvalidValue> {
    let error = || invalid(key, value, expected_float(range));
    let number = parse_number(value).map_err(|_| error())?;
    match read_float(number, range) {
        (number, None) => Ok(number),
        (_, Some(_)) => Err(error()),
    }
}

fn expected_integer(bounds: &IntegerBounds) -> String {
    let IntegerBounds {
        min,
        max,
        max_reason,
    } = bounds;
    format!("expected an integer from {min} to {max}{max_reason}")
}

fn expected_float((min, max): (f64, f64)) -> String {
    let min = format_number(min);
    let max = format_number(max);
    format!("expected a number from {min} to {max}")
}

fn expected_one_of(ids: &[&str]) -> String {
    format!("expected one of {}", ids.join(", "))
}

/// Builds the error "invalid value '<value>' for --<key>: <expected>".
fn invalid(key: Key, value: &str, expected: String) -> InvalidValue {
    let name = key.name();
    let value = quote(value, MAX_ECHOED_VALUE_CHARS);
    InvalidValue {
        key: name.to_string(),
        message: format!("invalid value {value} for --{name}: {expected}"),
    }
}

fn unknown_option(key: &str) -> InvalidValue {
    let options: Vec<String> = Key::CANONICAL
        .into_iter()
        .filter(|&known| known != Key::V)
        .map(|known| format!("--{}", known.name()))
        .collect();
    let echoed_key = echo(key, MAX_ECHOED_KEY_CHARS);
    InvalidValue {
        key: key.to_string(),
        message: format!(
            "unknown option --{echoed_key}: expected one of {}",
            options.join(", ")
        ),
    }
}
