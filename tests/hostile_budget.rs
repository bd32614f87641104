//! Work budgets for the costliest states a link can reach, beyond the
//! cases of tests/budget.rs (p = 10, α = 0.05, one long sum) and
//! tests/picture.rs (a few fragments): every family at both ends of p and
//! α, d ∈ {1, 2}, N ∈ {2, 3, 16}, the depth cap of both modes, and
//! expressions of about `MAX_EXPR_CHARS` characters of every costly shape.
//!
//! For each state the draft stays within `DRAFT_BUDGET`, the picture within
//! `PICTURE_BUDGET`, and no refinement step of 10,000 cost units spends more
//! than a whole draft, so the page never blocks for long.

use layerwise::analysis::{Analysis, DRAFT_BUDGET};
use layerwise::expr::MAX_NESTING_DEPTH;
use layerwise::picture::{Picture, PICTURE_BUDGET};
use layerwise::state::{
    max_depth, Family, Mode, State, ALPHA_RANGE, ETA_RANGE, MAX_EXPR_CHARS, P_RANGE,
};

/// Work requested from each refinement step, in cost units.
const REFINE_WORK: u64 = 10_000;

/// Refinement steps checked per state: the first items of the queue,
/// accurate cell means and the errors of the coarsest levels.
const REFINE_STEPS: usize = 6;

/// Repeats `term` (which ends with an operator) as often as fits in
/// `MAX_EXPR_CHARS` characters together with `last`.
fn repeated(term: &str, last: &str) -> String {
    let count = (MAX_EXPR_CHARS - last.chars().count()) / term.chars().count();
    let text = format!("{}{last}", term.repeat(count));
    assert!(text.chars().count() <= MAX_EXPR_CHARS, "{text}");
    text
}

/// Expressions of about `MAX_EXPR_CHARS` characters that are costly or odd
/// to evaluate in dimension `d`, with a label.
fn hostile_expressions(d: usize) -> Vec<(&'static str, String)> {
    let y = if d == 2 { "y" } else { "x" };
    // Parentheses nested as deep as the parser allows, around a long sum.
    let depth = MAX_NESTING_DEPTH - 1;
    let open = "(".repeat(depth);
    let close = ")".repeat(depth);
    let inner_chars = MAX_EXPR_CHARS - 2 * depth - 1;
    let inner = format!("{}x", "x*x+".repeat(inner_chars / 4));
    vec![
        (
            "transcendental sum",
            repeated(&format!("sin(3*x)*cos(2*{y})*exp(x)+"), "x"),
        ),
        ("deepest nesting", format!("{open}{inner}{close}")),
        ("power towers", repeated(&format!("x^{y}^x^{y}^x+"), "x")),
        (
            "branches",
            repeated(&format!("if(x<0.5,sin({y}),cos(x))+"), "x"),
        ),
        ("NaN everywhere", repeated(&format!("sqrt(-1-x*{y})+"), "x")),
        ("overflow", repeated("exp(700*x)*1e300+", "x")),
        ("thousand jumps", repeated("floor(x*1000)/1000+", "x")),
        ("minimum chain", format!("min({}x)", "x,".repeat(497))),
    ]
}

/// The state of dimension `d` and base `n` at the depth cap of `mode`.
fn deepest(d: usize, n: u32, mode: Mode) -> State {
    let depth = max_depth(d, n, mode);
    State {
        d,
        n,
        depth,
        level: depth,
        mode,
        eta: ETA_RANGE.0,
        ..State::default()
    }
}

/// Every family at both ends of p and α, for N ∈ {2, 3, 16} at the depth
/// cap of both modes, each with a label.
fn family_states(d: usize) -> Vec<(String, State)> {
    let mut states = Vec::new();
    for n in [2, 3, 16] {
        for mode in [Mode::Ideal, Mode::Network] {
            let base = deepest(d, n, mode);
            for family in Family::ALL {
                for (p, alpha) in [(P_RANGE.0, ALPHA_RANGE.0), (P_RANGE.1, ALPHA_RANGE.1)] {
                    let label =
                        format!("{family:?} {d}D n={n} depth={} {mode:?} p={p}", base.depth);
                    let state = State {
                        target: family,
                        p,
                        alpha,
                        ..base.clone()
                    };
                    states.push((label, state));
                }
            }
        }
    }
    states
}

/// Every hostile expression for N ∈ {2, 3, 16} at the depth cap, at p = 1
/// (the costlier quadrature, which cuts where f − Φ changes sign) and, for
/// N = 3, also at p = 10, each with a label.
fn expression_states(d: usize) -> Vec<(String, State)> {
    let mut states = Vec::new();
    for n in [2, 3, 16] {
        let base = deepest(d, n, Mode::Ideal);
        let exponents: &[f64] = if n == 3 {
            &[P_RANGE.0, P_RANGE.1]
        } else {
            &[P_RANGE.0]
        };
        for (name, expr) in hostile_expressions(d) {
            for &p in exponents {
                let label = format!("{name} {d}D n={n} depth={} p={p}", base.depth);
                let state = State {
                    target: Family::Custom,
                    expr: expr.clone(),
                    p,
                    ..base.clone()
                };
                states.push((label, state));
            }
        }
    }
    states
}

/// Checks the draft, the picture and the first refinement steps of every
/// state against their budgets.
fn assert_within_budgets(states: Vec<(String, State)>) {
    for (label, state) in states {
        let mut analysis = Analysis::new(&state).expect("the state builds a target");
        assert!(
            analysis.draft_work() <= DRAFT_BUDGET,
            "{label}: draft work {}",
            analysis.draft_work()
        );

        let unit = analysis.sampler().target().cost();
        let picture = Picture::build(&analysis);
        assert!(
            picture.plan.work() <= PICTURE_BUDGET,
            "{label}: planned picture work {}",
            picture.plan.work()
        );
        assert!(
            picture.work <= PICTURE_BUDGET,
            "{label}: picture work {}",
            picture.work
        );
        assert!(
            picture.evaluations * unit <= PICTURE_BUDGET,
            "{label}: {} picture evaluations at unit cost {unit}",
            picture.evaluations
        );

        for step in 0..REFINE_STEPS {
            let before = analysis.sampler().work();
            let finished = analysis.refine(REFINE_WORK);
            let spent = analysis.sampler().work() - before;
            assert!(
                spent <= DRAFT_BUDGET,
                "{label}: refinement step {step} spent {spent}"
            );
            if finished {
                break;
            }
        }
    }
}

#[test]
fn hostile_expressions_parse() {
    for d in [1, 2] {
        for (name, expr) in hostile_expressions(d) {
            let state = State {
                d,
                target: Family::Custom,
                expr,
                ..State::default()
            };
            let result = Analysis::new(&state);
            assert!(result.is_ok(), "{name} in {d}D: {:?}", result.err());
        }
    }
}

#[test]
fn families_1d_within_budgets() {
    assert_within_budgets(family_states(1));
}

#[test]
fn families_2d_within_budgets() {
    assert_within_budgets(family_states(2));
}

#[test]
fn expressions_1d_within_budgets() {
    // Before the draft capped its modulus shifts for costly targets, the
    // power towers at n = 3, depth 12 needed 426,188 cost units.
    assert_within_budgets(expression_states(1));
}

#[test]
fn expressions_2d_within_budgets() {
    // Before accurate cell means capped their evaluations by unit cost, one
    // refinement step of the power towers at n = 2, depth 8 spent 2,460,780.
    assert_within_budgets(expression_states(2));
}
