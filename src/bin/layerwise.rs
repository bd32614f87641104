//! Command-line tool over the layerwise engine: prints the per-level table
//! of errors, estimated moduli and bounds as CSV or JSON.

use std::io::Write;
use std::process::ExitCode;

use layerwise::analysis::Analysis;
use layerwise::cli::{parse_args, Command, Format, USAGE};
use layerwise::report::{to_csv, to_json};

fn main() -> ExitCode {
    let command = match parse_args(std::env::args().skip(1)) {
        Ok(command) => command,
        Err(error) => {
            eprintln!("layerwise: {error}");
            return ExitCode::from(2);
        }
    };

    let (state, format) = match command {
        Command::Help => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Command::Table { state, format } => (state, format),
    };

    let mut analysis = match Analysis::new(&state) {
        Ok(analysis) => analysis,
        Err(error) => {
            eprintln!("layerwise: {error}");
            return ExitCode::from(2);
        }
    };
    analysis.finish();

    let text = match format {
        Format::Csv => to_csv(&analysis.rows()),
        Format::Json => to_json(&state, &analysis) + "\n",
    };
    if let Some(non_finite) = analysis.non_finite() {
        eprintln!(
            "layerwise: warning: f is not finite at {} of {} evaluations, first at x = {:?}; those values count as 0",
            non_finite.count,
            analysis.evaluations(),
            non_finite.first
        );
    }
    for note in analysis.notes() {
        eprintln!("layerwise: note: {note}");
    }

    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(text.as_bytes()).is_err() {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
