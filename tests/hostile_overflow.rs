//! Targets whose values are finite but so large that |f − Φ_ℓ|^p, the
//! modulus integrand or a sum of cell values overflows a double. The table
//! must then show inf or nan with a note, never a silent 0 for an error or
//! a modulus.

use layerwise::analysis::{Analysis, LevelRow};
use layerwise::state::{Family, State};

/// Custom targets that overflow, with the exponent p at which they do.
const OVERFLOWING: [(&str, f64); 4] = [
    // e^100 ≈ 2.7e43, and (2.7e43)^10 is far above 1.8e308.
    ("exp(100*x)", 10.0),
    ("1e300*x", 10.0),
    // Cell means of ±1e308 overflow when summed, so coarse means are NaN.
    ("sign(x-0.5)*1e308", 1.0),
    ("-1e308", 1.0),
];

fn custom_state(expr: &str, p: f64) -> State {
    State {
        d: 1,
        n: 3,
        depth: 3,
        level: 1,
        target: Family::Custom,
        expr: expr.to_string(),
        p,
        ..State::default()
    }
}

fn overflow_noted(analysis: &Analysis) -> bool {
    analysis
        .notes()
        .iter()
        .any(|note| note.contains("inf or nan"))
}

/// Checks that no row reports a modulus of 0 or an error of 0 for a target
/// that is far from constant, and that something is not finite.
fn assert_overflow_visible(label: &str, rows: &[LevelRow], constant: bool) {
    let any_non_finite = rows
        .iter()
        .any(|row| !row.error.is_finite() || !row.omega.is_finite());
    assert!(any_non_finite, "{label}: every number is finite: {rows:?}");
    if constant {
        return;
    }
    for row in rows {
        assert!(
            row.omega != 0.0,
            "{label}: level {} reports omega 0",
            row.level
        );
        assert!(
            row.error != 0.0,
            "{label}: level {} reports error 0",
            row.level
        );
    }
}

#[test]
fn overflow_is_explicit_in_draft() {
    for (expr, p) in OVERFLOWING {
        let label = format!("{expr} at p = {p}");
        let analysis = Analysis::new(&custom_state(expr, p)).unwrap();

        assert_overflow_visible(&label, &analysis.rows(), expr == "-1e308");
        assert!(overflow_noted(&analysis), "{label}: {:?}", analysis.notes());
    }
}

#[test]
fn overflow_is_explicit_when_final() {
    for (expr, p) in OVERFLOWING {
        let label = format!("{expr} at p = {p}");
        let mut analysis = Analysis::new(&custom_state(expr, p)).unwrap();
        analysis.finish();

        assert_overflow_visible(&label, &analysis.rows(), expr == "-1e308");
        let notes = analysis
            .notes()
            .iter()
            .filter(|note| note.contains("inf or nan"))
            .count();
        assert_eq!(notes, 1, "{label}: {:?}", analysis.notes());
    }
}

#[test]
fn large_finite_target_has_no_overflow_note() {
    // (1e100)^2 = 1e200 is still finite.
    let mut analysis = Analysis::new(&custom_state("1e100*x", 2.0)).unwrap();
    analysis.finish();

    for row in analysis.rows() {
        assert!(row.error.is_finite() && row.error > 0.0, "{row:?}");
        assert!(row.omega.is_finite() && row.omega > 0.0, "{row:?}");
    }
    assert!(!overflow_noted(&analysis), "{:?}", analysis.notes());
}
