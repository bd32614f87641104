//! The draft of every state stays within the fixed work budget, counted in
//! evaluations of f times the target's unit cost, for the most expensive
//! states a link can ask for.

use layerwise::analysis::{Analysis, DRAFT_BUDGET};
use layerwise::state::{max_depth, Family, Mode, State, MAX_EXPR_CHARS};

/// An expression of close to the maximum length that compiles to a long
/// program: a sum of many terms.
fn long_expression(d: usize) -> String {
    let term = if d == 2 { "sin(x*y)+" } else { "sin(x*3)+" };
    let mut expr = term.repeat(MAX_EXPR_CHARS / term.len());
    expr.push('x');
    assert!(expr.chars().count() <= MAX_EXPR_CHARS);
    expr
}

fn worst_states() -> Vec<State> {
    let mut states = Vec::new();
    for d in [1, 2] {
        for n in [2, 3, 7, 16] {
            let depth = max_depth(d, n, Mode::Ideal);
            for family in Family::ALL {
                let expr = if family == Family::Custom {
                    long_expression(d)
                } else {
                    "x".to_string()
                };
                states.push(State {
                    d,
                    n,
                    depth,
                    level: depth,
                    target: family,
                    expr,
                    alpha: 0.05,
                    p: 10.0,
                    ..State::default()
                });
            }
        }
    }
    states
}

#[test]
fn draft_work_within_budget() {
    for state in worst_states() {
        let analysis = Analysis::new(&state).unwrap();
        let label = format!(
            "{:?} {}D n={} depth={}",
            state.target, state.d, state.n, state.depth
        );
        assert!(
            analysis.draft_work() <= DRAFT_BUDGET,
            "{label}: draft work {} exceeds {DRAFT_BUDGET}",
            analysis.draft_work()
        );
        assert!(analysis.draft_work() > 0, "{label}: nothing counted");
    }
}

#[test]
fn draft_rows_exist_for_every_level() {
    for state in worst_states() {
        let analysis = Analysis::new(&state).unwrap();
        let rows = analysis.rows();
        assert_eq!(rows.len(), state.depth as usize);
        for row in rows {
            assert!(
                row.error.is_finite(),
                "{:?} level {}",
                state.target,
                row.level
            );
            assert!(
                row.omega.is_finite(),
                "{:?} level {}",
                state.target,
                row.level
            );
        }
    }
}

#[test]
fn refinement_steps_are_bounded() {
    // One refinement step may overshoot the requested work by at most one
    // chunk; a chunk is small next to the draft budget.
    let state = State {
        d: 2,
        n: 3,
        depth: 6,
        target: Family::Custom,
        expr: long_expression(2),
        p: 1.0,
        ..State::default()
    };
    let mut analysis = Analysis::new(&state).unwrap();
    for _ in 0..20 {
        let before = analysis.sampler().work();
        let finished = analysis.refine(10_000);
        let spent = analysis.sampler().work() - before;
        assert!(spent <= DRAFT_BUDGET, "one step spent {spent}");
        if finished {
            break;
        }
    }
}
