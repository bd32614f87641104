//! Final numbers do not depend on how the work was split: refinement in
//! small chunks (as the page does it) and `finish` (as the command-line
//! tool does it, spreading items over threads) give identical rows.

use layerwise::analysis::Analysis;
use layerwise::state::{Family, State};

fn rows_by_chunks(state: &State, chunk: u64) -> Vec<layerwise::analysis::LevelRow> {
    let mut analysis = Analysis::new(state).unwrap();
    while !analysis.refine(chunk) {}
    analysis.rows()
}

fn rows_by_finish(state: &State) -> Vec<layerwise::analysis::LevelRow> {
    let mut analysis = Analysis::new(state).unwrap();
    analysis.finish();
    analysis.rows()
}

#[test]
fn chunked_and_finished_rows_agree() {
    let states = [
        State {
            n: 4,
            depth: 8,
            ..State::default()
        },
        State {
            d: 2,
            n: 3,
            depth: 4,
            target: Family::Cone,
            p: 1.0,
            ..State::default()
        },
        State {
            d: 1,
            n: 2,
            depth: 9,
            target: Family::Custom,
            expr: "abs(x - 0.3)^0.6 + (x > 0.7)".to_string(),
            p: 1.5,
            ..State::default()
        },
        State {
            d: 2,
            n: 2,
            depth: 5,
            target: Family::Sine,
            p: 3.0,
            ..State::default()
        },
    ];
    for state in states {
        let finished = rows_by_finish(&state);
        for chunk in [5_000, 200_000] {
            let chunked = rows_by_chunks(&state, chunk);
            assert_eq!(
                chunked, finished,
                "{:?} {}D with chunks of {chunk}",
                state.target, state.d
            );
        }
        assert!(finished
            .iter()
            .all(|row| row.error_final && row.omega_final));
    }
}
