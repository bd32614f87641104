//! Property tests of the fragment codec: no input panics or leaves the
//! range, valid states round-trip exactly, decoding is idempotent, and the
//! strict setters accept exactly the in-range values.

use layerwise::codec::{check_strict, decode_fragment, encode_fragment, set_strict};
use layerwise::state::{
    max_depth, Family, Mode, State, ALPHA_RANGE, EPS_RANGE, ETA_RANGE, MAX_DEPTH_1D, MAX_DEPTH_2D,
    MAX_EXPR_CHARS, N_RANGE, P_RANGE,
};
use proptest::prelude::*;

/// Cases per property. The codec is cheap, so many cases cost little.
const CASES: u32 = 4096;

fn is_forbidden_in_expr(c: char) -> bool {
    c <= '\u{1f}' || c == '\u{7f}'
}

/// Checks every range of `State`, independently of `check_strict`.
fn in_range(state: &State) -> bool {
    let float_ok = |value: f64, (min, max): (f64, f64)| value >= min && value <= max;
    (1..=2).contains(&state.d)
        && (N_RANGE.0..=N_RANGE.1).contains(&state.n)
        && (1..=max_depth(state.d, state.n, state.mode)).contains(&state.depth)
        && (1..=state.depth).contains(&state.level)
        && float_ok(state.alpha, ALPHA_RANGE)
        && float_ok(state.p, P_RANGE)
        && float_ok(state.eta, ETA_RANGE)
        && float_ok(state.eps, EPS_RANGE)
        && state.expr.chars().count() <= MAX_EXPR_CHARS
        && !state.expr.chars().any(is_forbidden_in_expr)
}

/// Floats within `(min, max)`: the bounds themselves, uniform values, and
/// log-uniform values so that small magnitudes such as 1e-7 appear.
fn float_in((min, max): (f64, f64)) -> impl Strategy<Value = f64> {
    let log_uniform = (min.ln()..=max.ln()).prop_map(move |log| log.exp().clamp(min, max));
    prop_oneof![Just(min), Just(max), min..=max, log_uniform]
}

/// Expression texts without control characters: short typical ones, and
/// arbitrary Unicode up to `MAX_EXPR_CHARS` characters.
fn valid_expr() -> impl Strategy<Value = String> {
    let arbitrary =
        proptest::collection::vec(any::<char>(), 0..=MAX_EXPR_CHARS).prop_map(|chars| {
            chars
                .into_iter()
                .filter(|&c| !is_forbidden_in_expr(c))
                .collect::<String>()
        });
    prop_oneof!["[-+*/^()., xy0-9a-z|&=#%]{0,40}", arbitrary,]
}

fn valid_state() -> impl Strategy<Value = State> {
    let family = proptest::sample::select(Family::ALL.to_vec());
    let mode = prop_oneof![Just(Mode::Ideal), Just(Mode::Network)];
    let grid = (1usize..=2, N_RANGE.0..=N_RANGE.1, mode).prop_flat_map(|(d, n, mode)| {
        let max = max_depth(d, n, mode);
        (Just(d), Just(n), Just(mode), 1..=max)
            .prop_flat_map(|(d, n, mode, depth)| (Just((d, n, mode, depth)), 1..=depth))
    });
    (
        grid,
        family,
        valid_expr(),
        float_in(ALPHA_RANGE),
        float_in(P_RANGE),
        float_in(ETA_RANGE),
        float_in(EPS_RANGE),
        any::<bool>(),
    )
        .prop_map(
            |(((d, n, mode, depth), level), target, expr, alpha, p, eta, eps, psi)| State {
                d,
                n,
                depth,
                level,
                target,
                expr,
                alpha,
                p,
                mode,
                eta,
                eps,
                psi,
            },
        )
}

/// Fragments made of known and unknown keys with values that are often
/// near the edge: numbers, ids, escapes and junk.
fn fragment_like() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        proptest::sample::select(vec![
            "v", "d", "n", "depth", "level", "target", "expr", "alpha", "p", "mode", "eta", "eps",
            "psi",
        ])
        .prop_map(str::to_string),
        "[a-z%0-9#]{0,6}",
    ];
    let value = prop_oneof![
        any::<f64>().prop_map(|value| value.to_string()),
        any::<i64>().prop_map(|value| value.to_string()),
        (-20.0f64..40.0).prop_map(|value| value.to_string()),
        proptest::sample::select(vec![
            "weierstrass",
            "custom",
            "network",
            "ideal",
            "true",
            "NaN",
            "inf",
            "1e-3",
            "",
        ])
        .prop_map(str::to_string),
        "[-+%0-9a-fA-F.e=#]{0,12}",
        any::<String>(),
    ];
    let separator = prop_oneof![Just("="), Just(""), Just("==")];
    let pair = (key, separator, value)
        .prop_map(|(key, separator, value)| format!("{key}{separator}{value}"));
    (any::<bool>(), proptest::collection::vec(pair, 0..16))
        .prop_map(|(hash, pairs)| format!("{}{}", if hash { "#" } else { "" }, pairs.join("&")))
}

/// One edit of a fragment, with positions taken modulo its length.
#[derive(Clone, Debug)]
enum Mutation {
    Insert(usize, char),
    Delete(usize),
    Replace(usize, char),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let interesting = prop_oneof![
        proptest::sample::select(vec![
            '&', '=', '%', '#', '+', '.', '-', 'e', '0', '9', '\u{0}'
        ]),
        any::<char>(),
    ];
    prop_oneof![
        (any::<usize>(), interesting.clone()).prop_map(|(at, c)| Mutation::Insert(at, c)),
        any::<usize>().prop_map(Mutation::Delete),
        (any::<usize>(), interesting).prop_map(|(at, c)| Mutation::Replace(at, c)),
    ]
}

fn apply_mutation(text: &str, mutation: &Mutation) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    match *mutation {
        Mutation::Insert(at, c) => chars.insert(at % (chars.len() + 1), c),
        Mutation::Delete(at) if !chars.is_empty() => {
            let at = at % chars.len();
            chars.remove(at);
        }
        Mutation::Replace(at, c) if !chars.is_empty() => {
            let at = at % chars.len();
            chars[at] = c;
        }
        Mutation::Delete(_) | Mutation::Replace(..) => {}
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn arbitrary_strings_decode_in_range(text in any::<String>()) {
        let decoded = decode_fragment(&text);
        prop_assert!(in_range(&decoded.state), "{:?}", decoded.state);
        prop_assert_eq!(check_strict(&decoded.state), Ok(()));
    }

    #[test]
    fn arbitrary_bytes_decode_in_range(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let text = String::from_utf8_lossy(&bytes);
        let decoded = decode_fragment(&text);
        prop_assert!(in_range(&decoded.state), "{:?}", decoded.state);
    }

    #[test]
    fn fragment_like_decode_in_range(text in fragment_like()) {
        let decoded = decode_fragment(&text);
        prop_assert!(in_range(&decoded.state), "{:?}", decoded.state);
        for notice in &decoded.notices {
            prop_assert!(!notice.message.chars().any(char::is_control), "{:?}", notice);
            prop_assert!(notice.message.chars().count() <= 300, "{:?}", notice);
        }
    }

    #[test]
    fn valid_states_round_trip(state in valid_state()) {
        let fragment = encode_fragment(&state);
        let decoded = decode_fragment(&fragment);
        prop_assert_eq!(&decoded.notices, &vec![]);
        prop_assert_eq!(&decoded.state, &state);
        prop_assert_eq!(decode_fragment(&format!("#{fragment}")).state, state);
    }

    #[test]
    fn decode_is_idempotent(text in prop_oneof![fragment_like(), any::<String>()]) {
        let first = decode_fragment(&text).state;
        let second = decode_fragment(&encode_fragment(&first));
        prop_assert_eq!(&second.notices, &vec![]);
        prop_assert_eq!(second.state, first);
    }

    #[test]
    fn mutated_fragments_stay_in_range(
        state in valid_state(),
        mutations in proptest::collection::vec(mutation(), 1..8),
    ) {
        let mut fragment = encode_fragment(&state);
        for mutation in &mutations {
            fragment = apply_mutation(&fragment, mutation);
        }
        let decoded = decode_fragment(&fragment);
        prop_assert!(in_range(&decoded.state), "{:?}", decoded.state);

        let again = decode_fragment(&encode_fragment(&decoded.state));
        prop_assert_eq!(&again.notices, &vec![]);
    }

    #[test]
    fn strict_integers_accept_exact_range(
        key in proptest::sample::select(vec!["d", "n", "depth", "level"]),
        number in prop_oneof![
            (-5i64..20).prop_map(|value| value as f64),
            any::<i64>().prop_map(|value| value as f64),
            -5.0f64..20.0,
            any::<f64>(),
        ],
    ) {
        let (min, max) = match key {
            "d" => (1.0, 2.0),
            "n" => (f64::from(N_RANGE.0), f64::from(N_RANGE.1)),
            _ => (1.0, f64::from(MAX_DEPTH_1D.max(MAX_DEPTH_2D))),
        };
        let expected_ok = number.fract() == 0.0 && number >= min && number <= max;

        let text = number.to_string();
        let mut state = State::default();
        let result = set_strict(&mut state, key, &text);
        prop_assert_eq!(result.is_ok(), expected_ok, "--{} {}", key, text);
        match result {
            Ok(()) => {
                let stored = match key {
                    "d" => state.d as f64,
                    "n" => f64::from(state.n),
                    "depth" => f64::from(state.depth),
                    _ => f64::from(state.level),
                };
                prop_assert_eq!(stored, number);
            }
            Err(error) => {
                prop_assert_eq!(&error.key, key);
                let option = format!("--{key}");
                prop_assert!(error.message.contains(&option), "{}", error.message);
                prop_assert_eq!(&state, &State::default());
            }
        }
    }

    #[test]
    fn strict_floats_accept_exact_range(
        key in proptest::sample::select(vec!["alpha", "p", "eta", "eps"]),
        number in prop_oneof![any::<f64>(), -1.0f64..11.0, 0.0f64..1e-3],
        exponent_form in any::<bool>(),
    ) {
        let (min, max) = match key {
            "alpha" => ALPHA_RANGE,
            "p" => P_RANGE,
            "eta" => ETA_RANGE,
            _ => EPS_RANGE,
        };
        let expected_ok = number >= min && number <= max;

        let text = if exponent_form { format!("{number:e}") } else { number.to_string() };
        let mut state = State::default();
        let result = set_strict(&mut state, key, &text);
        prop_assert_eq!(result.is_ok(), expected_ok, "--{} {}", key, text);
        match result {
            Ok(()) => {
                let stored = match key {
                    "alpha" => state.alpha,
                    "p" => state.p,
                    "eta" => state.eta,
                    _ => state.eps,
                };
                prop_assert_eq!(stored.to_bits(), number.to_bits());
            }
            Err(error) => {
                prop_assert_eq!(&error.key, key);
                let option = format!("--{key}");
                prop_assert!(error.message.contains(&option), "{}", error.message);
            }
        }
    }

    #[test]
    fn strict_texts_accept_exact_values(
        key in proptest::sample::select(vec!["target", "mode", "psi", "expr"]),
        text in prop_oneof![
            proptest::sample::select(vec![
                "weierstrass", "cusp", "jump", "kink", "sine", "cone", "custom", "ideal",
                "network", "0", "1", "true", "false", "", "Custom", "2", "x\ty",
            ]).prop_map(str::to_string),
            any::<String>(),
            "[a-z]{0,12}",
            Just("x".repeat(MAX_EXPR_CHARS)),
            Just("x".repeat(MAX_EXPR_CHARS + 1)),
        ],
    ) {
        let expected_ok = match key {
            "target" => Family::ALL.iter().any(|family| family.id() == text),
            "mode" => text == "ideal" || text == "network",
            "psi" => ["0", "1", "true", "false"].contains(&text.as_str()),
            _ => {
                !text.is_empty()
                    && text.chars().count() <= MAX_EXPR_CHARS
                    && !text.chars().any(is_forbidden_in_expr)
            }
        };

        let mut state = State::default();
        let result = set_strict(&mut state, key, &text);
        prop_assert_eq!(result.is_ok(), expected_ok, "--{} {:?}", key, text);
        match result {
            Ok(()) => {
                let stored = match key {
                    "target" => state.target.id().to_string(),
                    "mode" => state.mode.id().to_string(),
                    "psi" => state.psi.to_string(),
                    _ => state.expr.clone(),
                };
                let expected = match (key, text.as_str()) {
                    ("psi", "0") => "false".to_string(),
                    ("psi", "1") => "true".to_string(),
                    _ => text.clone(),
                };
                prop_assert_eq!(stored, expected);
            }
            Err(error) => {
                prop_assert_eq!(&error.key, key);
                let option = format!("--{key}");
                prop_assert!(error.message.contains(&option), "{}", error.message);
                prop_assert!(!error.message.chars().any(char::is_control));
            }
        }
    }

    #[test]
    fn check_strict_matches_range(state in valid_state(), depth in 0u32..16, level in 0u32..16) {
        prop_assert_eq!(check_strict(&state), Ok(()));

        let changed = State { depth, level, ..state };
        prop_assert_eq!(check_strict(&changed).is_ok(), in_range(&changed));
    }
}
