//! Command-line tool over the layerwise engine.

use layerwise::analysis::Analysis;
use layerwise::report::to_csv;
use layerwise::state::{Family, State};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut state = State::default();
    let mut i = 1;
    while i + 1 < args.len() {
        let v = &args[i + 1];
        match args[i].as_str() {
            "--d" => state.d = v.parse().unwrap(),
            "--n" => state.n = v.parse().unwrap(),
            "--depth" => state.depth = v.parse().unwrap(),
            "--p" => state.p = v.parse().unwrap(),
            "--alpha" => state.alpha = v.parse().unwrap(),
            "--target" => state.target = Family::from_id(v).unwrap(),
            _ => {}
        }
        i += 2;
    }
    let t0 = std::time::Instant::now();
    let mut analysis = Analysis::new(&state).unwrap();
    let t1 = t0.elapsed();
    eprintln!("draft: {:?}, work {}", t1, analysis.draft_work());
    print!("{}", to_csv(&analysis.rows()));
    analysis.finish();
    eprintln!("final: {:?}, evaluations {}", t0.elapsed(), analysis.evaluations());
    print!("{}", to_csv(&analysis.rows()));
    for note in analysis.notes() { eprintln!("{note}"); }
}
