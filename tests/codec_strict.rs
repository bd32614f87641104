//! Strict command-line setters and the whole-state check.

use layerwise::codec::{check_strict, set_strict, InvalidValue};
use layerwise::state::{Family, Mode, State, MAX_EXPR_CHARS};

fn set(key: &str, value: &str) -> Result<State, InvalidValue> {
    let mut state = State::default();
    set_strict(&mut state, key, value)?;
    Ok(state)
}

fn error_message(key: &str, value: &str) -> String {
    match set(key, value) {
        Ok(state) => panic!("--{key} {value:?} was accepted as {state:?}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn setters_accept_valid_values() {
    let mut state = State::default();
    let pairs = [
        ("d", "2"),
        ("n", "16"),
        ("depth", "4"),
        ("level", "2"),
        ("target", "custom"),
        ("expr", "sin(2*pi*x) + y^2"),
        ("alpha", "0.25"),
        ("p", "1e0"),
        ("mode", "network"),
        ("eta", "1e-4"),
        ("eps", "0.00000001"),
        ("psi", "true"),
    ];
    for (key, value) in pairs {
        assert_eq!(
            set_strict(&mut state, key, value),
            Ok(()),
            "--{key} {value}"
        );
    }

    assert_eq!(state.d, 2);
    assert_eq!(state.n, 16);
    assert_eq!(state.depth, 4);
    assert_eq!(state.level, 2);
    assert_eq!(state.target, Family::Custom);
    assert_eq!(state.expr, "sin(2*pi*x) + y^2");
    assert_eq!(state.alpha, 0.25);
    assert_eq!(state.p, 1.0);
    assert_eq!(state.mode, Mode::Network);
    assert_eq!(state.eta, 1e-4);
    assert_eq!(state.eps, 1e-8);
    assert!(state.psi);
    assert_eq!(check_strict(&state), Ok(()));
}

#[test]
fn setter_error_message_format() {
    assert_eq!(
        error_message("n", "17"),
        "invalid value '17' for --n: expected an integer from 2 to 16"
    );
    assert_eq!(
        error_message("alpha", "0"),
        "invalid value '0' for --alpha: expected a number from 0.05 to 1"
    );
    assert_eq!(
        error_message("eps", "1e-9"),
        "invalid value '1e-9' for --eps: expected a number from 1e-8 to 1"
    );
    assert_eq!(
        error_message("target", "Cusp"),
        "invalid value 'Cusp' for --target: expected one of weierstrass, cusp, jump, kink, sine, cone, custom"
    );
    assert_eq!(
        error_message("mode", "fast"),
        "invalid value 'fast' for --mode: expected one of ideal, network"
    );
    assert_eq!(
        error_message("psi", "yes"),
        "invalid value 'yes' for --psi: expected 0, 1, true or false"
    );
}

#[test]
fn integers_never_rounded_or_clamped() {
    for value in [
        "2.5", "1", "17", "-3", "1e300", "NaN", "inf", "", " 3", "three",
    ] {
        let error = set("n", value).expect_err(value);
        assert_eq!(error.key, "n");
        assert!(error.message.contains("--n"), "{}", error.message);
    }
    for value in ["0", "13", "1.5"] {
        assert!(set("depth", value).is_err(), "depth {value}");
        assert!(set("level", value).is_err(), "level {value}");
    }
    for value in ["0", "3", "1.5"] {
        assert!(set("d", value).is_err(), "d {value}");
    }

    assert_eq!(set("n", "3.0").map(|state| state.n), Ok(3));
    assert_eq!(set("n", "+4").map(|state| state.n), Ok(4));
}

#[test]
fn floats_never_clamped() {
    for (key, value) in [
        ("alpha", "0.04"),
        ("alpha", "1.0000001"),
        ("p", "0.999"),
        ("p", "10.5"),
        ("eta", "0.00009"),
        ("eta", "0.6"),
        ("eps", "2"),
        ("eps", "NaN"),
        ("alpha", "-inf"),
        ("p", "two"),
    ] {
        let error = set(key, value).expect_err(value);
        assert_eq!(error.key, key);
        assert!(
            error.message.contains(&format!("--{key}")),
            "{}",
            error.message
        );
    }
    assert_eq!(set("alpha", "1").map(|state| state.alpha), Ok(1.0));
    assert_eq!(set("alpha", "0.05").map(|state| state.alpha), Ok(0.05));
}

#[test]
fn version_not_settable() {
    let error = set("v", "1").expect_err("v");
    assert_eq!(error.key, "v");
    assert_eq!(
        error.message,
        "invalid option --v: the format version is fixed at 1 and cannot be set"
    );
}

#[test]
fn unknown_option_rejected() {
    let error = set("depht", "3").expect_err("depht");
    assert_eq!(error.key, "depht");
    assert_eq!(
        error.message,
        "unknown option --depht: expected one of --d, --n, --depth, --level, --target, --alpha, --p, --psi, --mode, --eta, --eps, --expr"
    );

    let hostile = set("x\u{1b}[2J", "1").expect_err("escape key");
    assert!(
        hostile.message.contains("--x\\u{1b}[2J"),
        "{}",
        hostile.message
    );
    assert!(!hostile.message.chars().any(char::is_control));
}

#[test]
fn expr_setter_limits() {
    assert!(error_message("expr", "").contains("non-empty"));
    assert!(error_message("expr", "x\ty").contains("U+0009"));
    assert!(error_message("expr", "x\u{7f}").contains("U+007F"));

    let too_long = "x".repeat(MAX_EXPR_CHARS + 1);
    let message = error_message("expr", &too_long);
    assert!(message.contains("found 1001"), "{message}");
    assert!(message.chars().count() < 200, "{message}");

    let longest = "π".repeat(MAX_EXPR_CHARS);
    assert_eq!(set("expr", &longest).map(|state| state.expr), Ok(longest));
    assert_eq!(set("expr", "√x").map(|state| state.expr), Ok("√x".into()));
}

#[test]
fn expr_setter_keeps_target() {
    let state = set("expr", "x*x").expect("valid expression");
    assert_eq!(state.target, State::default().target);
}

#[test]
fn failed_setter_leaves_state() {
    let mut state = State::default();
    for (key, value) in [
        ("n", "99"),
        ("alpha", "NaN"),
        ("target", "x"),
        ("expr", ""),
        ("v", "2"),
    ] {
        assert!(
            set_strict(&mut state, key, value).is_err(),
            "--{key} {value}"
        );
        assert_eq!(state, State::default(), "--{key} {value}");
    }
}

#[test]
fn check_strict_depth_over_cap() {
    let mut state = State::default();
    set_strict(&mut state, "depth", "12").expect("depth 12 is within the fixed cap");
    set_strict(&mut state, "n", "16").expect("n 16 is in range");

    let error = check_strict(&state).expect_err("16^12 exceeds 2^40");
    assert_eq!(error.key, "depth");
    assert_eq!(
        error.message,
        "invalid value '12' for --depth: expected an integer from 1 to 10 for n=16 in 1D (n^depth must stay ≤ 2^40)"
    );
}

#[test]
fn check_strict_level_over_depth() {
    let mut state = State::default();
    set_strict(&mut state, "level", "7").expect("level 7 is within the fixed cap");

    let error = check_strict(&state).expect_err("level 7 exceeds depth 5");
    assert_eq!(error.key, "level");
    assert_eq!(
        error.message,
        "invalid value '7' for --level: expected an integer from 1 to 5 (the depth)"
    );
}

#[test]
fn check_strict_field_ranges() {
    assert_eq!(check_strict(&State::default()), Ok(()));

    let cases = [
        (
            "d",
            State {
                d: 3,
                ..State::default()
            },
        ),
        (
            "n",
            State {
                n: 1,
                ..State::default()
            },
        ),
        (
            "depth",
            State {
                depth: 0,
                ..State::default()
            },
        ),
        (
            "alpha",
            State {
                alpha: f64::NAN,
                ..State::default()
            },
        ),
        (
            "p",
            State {
                p: f64::INFINITY,
                ..State::default()
            },
        ),
        (
            "eta",
            State {
                eta: 0.0,
                ..State::default()
            },
        ),
        (
            "eps",
            State {
                eps: 2.0,
                ..State::default()
            },
        ),
        (
            "expr",
            State {
                expr: "\u{0}".into(),
                ..State::default()
            },
        ),
        (
            "expr",
            State {
                expr: "x".repeat(MAX_EXPR_CHARS + 1),
                ..State::default()
            },
        ),
    ];
    for (key, state) in cases {
        let error = check_strict(&state).expect_err(key);
        assert_eq!(error.key, key);
        assert!(
            error.message.contains(&format!("--{key}")),
            "{}",
            error.message
        );
    }

    let empty_expr = State {
        expr: String::new(),
        ..State::default()
    };
    assert_eq!(check_strict(&empty_expr), Ok(()));
}

#[test]
fn invalid_value_displays_message() {
    let error = set("n", "0").expect_err("n 0");
    assert_eq!(format!("{error}"), error.message);
    let boxed: Box<dyn std::error::Error> = Box::new(error);
    assert!(boxed.to_string().starts_with("invalid value '0' for --n"));
}
