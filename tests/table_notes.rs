//! The table's notes on targets at the edges: constants, whose
//! measured errors are floating-point rounding, and targets that are not
//! finite at some or all evaluations.

use layerwise::analysis::Analysis;
use layerwise::picture::errors::ratios_above_one;
use layerwise::picture::Picture;
use layerwise::report::all_notes;
use layerwise::state::{Family, State};

fn custom_state(d: usize, n: u32, depth: u32, expr: &str) -> State {
    State {
        d,
        n,
        depth,
        level: 1,
        target: Family::Custom,
        expr: expr.to_string(),
        ..State::default()
    }
}

fn finished(state: &State) -> Analysis {
    let mut analysis = Analysis::new(state).unwrap();
    analysis.finish();
    analysis
}

#[test]
fn constant_errors_are_rounding() {
    for (d, n, depth, expr) in [(1, 3, 4, "pi"), (1, 3, 6, "1"), (2, 2, 5, "pi")] {
        let label = format!("{expr} in {d}D");
        let analysis = finished(&custom_state(d, n, depth, expr));
        let rows = analysis.rows();

        for row in &rows {
            assert_eq!(row.omega, 0.0, "{label}: {row:?}");
            let rounding = row.error == 0.0 || row.error_at_rounding_level;
            assert!(rounding, "{label}: {row:?}");
        }
        assert_eq!(ratios_above_one(&rows), vec![], "{label}");
        let notes = all_notes(&analysis);
        if rows.iter().any(|row| row.error > 0.0) {
            let rounding_notes = notes
                .iter()
                .filter(|note| note.contains("floating-point rounding"))
                .count();
            assert_eq!(rounding_notes, 1, "{label}: {notes:?}");
        }
    }
}

#[test]
fn measurable_errors_are_not_rounding() {
    let analysis = finished(&custom_state(1, 3, 5, "x"));
    for row in analysis.rows() {
        assert!(!row.error_at_rounding_level, "{row:?}");
    }
    let notes = all_notes(&analysis);
    assert!(
        notes.iter().all(|note| !note.contains("rounding")),
        "{notes:?}"
    );
}

#[test]
fn non_finite_share_counts_same_evaluations() {
    // The page builds a picture, whose raw samples of f count as work but
    // are not checked for NaN and ±∞: they must be in neither count.
    for expr in ["1/0", "sqrt(x-0.5)"] {
        let analysis = finished(&custom_state(1, 3, 4, expr));
        let before = analysis.non_finite().unwrap();
        let picture = Picture::build(&analysis);
        assert!(picture.evaluations > 0, "{expr}");
        let after = analysis.non_finite().unwrap();

        assert!(after.evaluations <= analysis.evaluations(), "{expr}");
        assert!(
            after.evaluations < analysis.evaluations(),
            "{expr}: the raw picture samples are counted"
        );
        assert!(after.count >= before.count, "{expr}");
        if expr == "1/0" {
            assert_eq!(before.count, before.evaluations, "{expr}");
            assert_eq!(after.count, after.evaluations, "{expr}");
        }
    }
}

#[test]
fn notes_start_with_capital() {
    // exp(100*x) overflows at p = 10, which adds the overflow note.
    let mut state = custom_state(1, 3, 3, "exp(100*x)");
    state.p = 10.0;
    let analysis = finished(&state);
    let notes = all_notes(&analysis);
    assert!(!notes.is_empty(), "no note for an overflow");
    for note in notes {
        assert!(note.starts_with(char::is_uppercase), "{note}");
    }
}
