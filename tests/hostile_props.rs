//! Property tests of the whole native engine on random links: a fragment
//! decoded leniently goes straight into `Analysis::new`, a few `refine`
//! steps and `Picture::build`, as on the page, and in network mode into the
//! network analysis and its first frame. Nothing may panic, every number
//! must be finite or explained by the overflow note, and the work must stay
//! within the draft and picture budgets.
//!
//! Each case runs the real engine in a debug build, so there are few cases
//! (`PROPTEST_CASES` overrides the number). Failing inputs are kept in
//! proptest-regressions/hostile_props.txt and rerun first.

use layerwise::analysis::{Analysis, DRAFT_BUDGET};
use layerwise::codec::decode_fragment;
use layerwise::network::NetworkAnalysis;
use layerwise::picture::network::{network_readouts, NetworkDrawing};
use layerwise::picture::{Picture, PICTURE_BUDGET};
use layerwise::state::{Mode, State};
use layerwise::target::TargetError;
use proptest::prelude::*;

/// Cases per run, unless `PROPTEST_CASES` is set.
const CASES: u32 = 40;

/// Work requested from each refinement step, in cost units.
const REFINE_WORK: u64 = 20_000;

/// Refinement steps per case.
const REFINE_STEPS: usize = 3;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(CASES);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

/// Pieces of expressions, valid and not, that combine into formulas that
/// are often parseable and often produce NaN, infinities or huge values.
fn expression() -> impl Strategy<Value = String> {
    let piece = proptest::sample::select(vec![
        "x", "y", "1", "0", "2.5", "1e308", "1e-308", "pi", "e", "+", "-", "*", "/", "^", "(", ")",
        "sin(", "ln(", "sqrt(", "exp(", "abs(", "floor(", "tan(", "if(", "min(", ",", "<", "==",
        "0/0", "1/x", "x^x", "×", "²", " ", "%",
    ]);
    prop_oneof![
        proptest::collection::vec(piece, 1..24).prop_map(|pieces| pieces.concat()),
        "[-+*/^()., xy0-9a-z]{0,30}",
        (1usize..80).prop_map(|count| "exp(".repeat(count) + "x" + &")".repeat(count)),
    ]
}

/// Values of the numeric keys: in range, at and beyond the edges, huge,
/// non-finite and not numbers at all.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        (-20.0f64..40.0).prop_map(|value| value.to_string()),
        any::<f64>().prop_map(|value| value.to_string()),
        proptest::sample::select(vec![
            "0",
            "-0",
            "1",
            "2",
            "3",
            "8",
            "10",
            "12",
            "16",
            "17",
            "1e-4",
            "1e-8",
            "1e-9",
            "0.05",
            "0.5",
            "1e308",
            "1e999",
            "-1e308",
            "NaN",
            "Infinity",
            "-Infinity",
            "",
            "abc",
            "%zz",
            "1.5",
            "99999999999999999999",
        ])
        .prop_map(str::to_string),
    ]
}

/// Generates values for `key`, shaped like what that key takes, or junk.
fn value_for(key: &'static str) -> BoxedStrategy<String> {
    let junk = "[-+%0-9a-zA-Z.=#<>\"]{0,12}";
    match key {
        "target" => prop_oneof![
            proptest::sample::select(vec![
                "weierstrass",
                "cusp",
                "jump",
                "kink",
                "sine",
                "cone",
                "custom",
                "Custom",
            ])
            .prop_map(str::to_string),
            junk,
        ]
        .boxed(),
        "mode" => prop_oneof![
            proptest::sample::select(vec!["ideal", "network", "NETWORK"]).prop_map(str::to_string),
            junk,
        ]
        .boxed(),
        "psi" => prop_oneof![
            proptest::sample::select(vec!["0", "1", "true", "2"]).prop_map(str::to_string),
            junk,
        ]
        .boxed(),
        "expr" => expression()
            .prop_map(|text| {
                // Percent-encode everything but letters and digits, so that
                // '&', '=', '%' and '+' reach the expression as typed.
                text.bytes()
                    .map(|byte| {
                        if byte.is_ascii_alphanumeric() {
                            char::from(byte).to_string()
                        } else {
                            format!("%{byte:02X}")
                        }
                    })
                    .collect::<String>()
            })
            .boxed(),
        _ => prop_oneof![number(), junk.prop_map(|text| text.to_string())].boxed(),
    }
}

/// Picks one of `values`.
fn one_of(values: &[&'static str]) -> BoxedStrategy<String> {
    proptest::sample::select(values.to_vec())
        .prop_map(str::to_string)
        .boxed()
}

/// Fragments that give most keys a value at or beyond an edge of its
/// range, so that deep grids, large bases and extreme exponents are
/// common. A depth or level of 99 is clamped to the cap.
fn edge_fragment() -> impl Strategy<Value = String> {
    let target = prop_oneof![
        3 => Just("custom".to_string()),
        1 => one_of(&["weierstrass", "cusp", "jump", "kink", "sine", "cone"]),
    ];
    let fields = (
        one_of(&["1", "2", "2", "1.5", "0", "3"]),
        one_of(&["2", "3", "16", "16", "1e308", "-3", "7"]),
        one_of(&["99", "99", "12", "8", "1", "0", "abc"]),
        one_of(&["99", "1", "-0", "4"]),
        target,
        one_of(&["1", "10", "0", "1e9", "2.5", "NaN"]),
        one_of(&["0.05", "1", "0", "0.5"]),
        one_of(&["ideal", "network"]),
        one_of(&["1e-4", "0.5", "1e-9", "5"]),
        value_for("expr"),
    );
    fields.prop_map(|(d, n, depth, level, target, p, alpha, mode, eta, expr)| {
        format!(
            "d={d}&n={n}&depth={depth}&level={level}&target={target}&p={p}&alpha={alpha}\
             &mode={mode}&eta={eta}&expr={expr}"
        )
    })
}

/// Fragments of known keys (several times at most), unknown keys and
/// malformed pairs, usually with a custom target so that expressions count.
fn chaotic_fragment() -> impl Strategy<Value = String> {
    let key = proptest::sample::select(vec![
        "v", "d", "n", "depth", "level", "target", "expr", "alpha", "p", "mode", "eta", "eps",
        "psi",
    ]);
    let known =
        key.prop_flat_map(|key| value_for(key).prop_map(move |value| format!("{key}={value}")));
    let other = prop_oneof!["[a-z%0-9]{1,6}=[a-z0-9%]{0,6}", "[a-z&=%#]{0,4}",];
    let pair = prop_oneof![8 => known, 1 => other];
    (any::<bool>(), proptest::collection::vec(pair, 0..14)).prop_map(|(custom, pairs)| {
        let mut text = pairs.join("&");
        if custom {
            text.insert_str(0, "target=custom&");
        }
        text
    })
}

/// Runs the engine on `fragment` and checks every property.
fn check_fragment(fragment: &str) -> Result<(), TestCaseError> {
    let state = decode_fragment(fragment).state;
    let mut analysis = match Analysis::new(&state) {
        Ok(analysis) => analysis,
        Err(TargetError::Expression(error)) => {
            let chars = state.expr.chars().count();
            prop_assert!(error.position <= chars, "{error:?} for {chars} characters");
            prop_assert!(!error.message.is_empty());
            return Ok(());
        }
    };
    prop_assert!(
        analysis.draft_work() <= DRAFT_BUDGET,
        "draft work {}",
        analysis.draft_work()
    );

    for _ in 0..REFINE_STEPS {
        let before = analysis.sampler().work();
        let finished = analysis.refine(REFINE_WORK);
        let spent = analysis.sampler().work() - before;
        prop_assert!(spent <= DRAFT_BUDGET, "one refinement step spent {spent}");
        if finished {
            break;
        }
    }

    let overflow_noted = analysis
        .notes()
        .iter()
        .any(|note| note.contains("inf or nan"));
    let rows = analysis.rows();
    prop_assert_eq!(rows.len(), state.depth as usize);
    for row in &rows {
        prop_assert!(
            row.error.is_finite() && row.omega.is_finite() && row.bound.is_finite()
                || overflow_noted,
            "level {}: error {}, omega {}, bound {} without a note",
            row.level,
            row.error,
            row.omega,
            row.bound
        );
        // NaN passes here: the check above requires the overflow note for it.
        prop_assert!(
            row.error.is_nan() || row.error >= 0.0,
            "negative error {}",
            row.error
        );
        prop_assert!(
            row.omega.is_nan() || row.omega >= 0.0,
            "negative omega {}",
            row.omega
        );
    }

    let unit = analysis.sampler().target().cost();
    let picture = Picture::build(&analysis);
    prop_assert!(
        picture.work <= PICTURE_BUDGET,
        "picture work {}",
        picture.work
    );
    prop_assert!(
        picture.evaluations * unit <= PICTURE_BUDGET,
        "{} picture evaluations at unit cost {unit}",
        picture.evaluations
    );
    prop_assert_eq!(picture.levels.len(), state.depth as usize);
    let range = picture.range;
    prop_assert!(
        range.lo.is_finite() && range.hi.is_finite() && range.lo < range.hi,
        "picture range {range:?}"
    );

    if state.mode == Mode::Network {
        check_network(&state, &analysis)?;
    }
    Ok(())
}

/// Starts network mode as the page does, and checks its first frame and
/// first refinement steps against the budgets.
fn check_network(state: &State, analysis: &Analysis) -> Result<(), TestCaseError> {
    let (readouts, spent) = network_readouts(analysis);
    let Ok(mut network) = NetworkAnalysis::new(state, readouts) else {
        return Ok(());
    };
    let mut drawing = NetworkDrawing::build(analysis, &mut network, None, spent);
    let picture = drawing.ideal_picture(analysis);
    let first_frame = picture.work + drawing.picture.work + drawing.table_work;
    prop_assert!(
        first_frame <= PICTURE_BUDGET,
        "network first frame work {first_frame}"
    );

    for _ in 0..REFINE_STEPS {
        let before = network.work();
        let finished = network.refine(REFINE_WORK);
        let spent = network.work() - before;
        prop_assert!(spent <= DRAFT_BUDGET, "one network step spent {spent}");
        if finished {
            break;
        }
    }
    drawing.upgrade(&network);
    for row in network.rows() {
        prop_assert!(
            row.error.is_nan() || row.error >= 0.0,
            "negative network error {}",
            row.error
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn edge_links_stay_bounded(fragment in edge_fragment()) {
        check_fragment(&fragment)?;
    }

    #[test]
    fn chaotic_links_stay_bounded(fragment in chaotic_fragment()) {
        check_fragment(&fragment)?;
    }
}

/// Fragments that once broke a property, rerun on every test run.
const REGRESSIONS: [&str; 4] = [
    // The modulus overflowed to +∞ and the table showed ω = 0.
    "target=custom&expr=exp(100*x)&p=10",
    // Cell means of ±1e308 overflowed, and NaN errors became 0.
    "target=custom&expr=sign(x-0.5)*1e308&p=1",
    // The draft of this 124-unit expression overran its budget.
    "target=custom&n=3&depth=12&p=1&expr=x%5Ex%5Ex%5Ex%5Ex%2Bx%5Ex%5Ex%5Ex%5Ex%2Bx",
    // Accurate means of a costly 2D target overran a refinement step.
    "target=custom&d=2&n=2&depth=8&p=1&expr=x%5Ey%5Ex%5Ey%5Ex%2Bx%5Ey%5Ex%5Ey%5Ex%2Bx",
];

#[test]
fn known_hostile_links_stay_bounded() {
    for fragment in REGRESSIONS {
        if let Err(error) = check_fragment(fragment) {
            panic!("{fragment}: {error}");
        }
    }
}
