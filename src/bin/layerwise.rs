//! Command-line tool over the layerwise engine: prints the per-level table
//! of errors, estimated moduli and bounds as CSV or JSON.

use std::io::Write;
use std::process::ExitCode;

use layerwise::analysis::Analysis;
use layerwise::cli::{parse_args, Command, Format, USAGE};
use layerwise::figure::render_svg;
use layerwise::picture::Picture;
use layerwise::report::{all_notes, to_csv, to_json};
use layerwise::summary::non_finite_note;

/// What the command writes.
enum Output {
    /// The table on standard output.
    Table(Format),
    /// An SVG figure at this path.
    Figure(String),
}

fn main() -> ExitCode {
    let command = match parse_args(std::env::args().skip(1)) {
        Ok(command) => command,
        Err(error) => {
            eprintln!("layerwise: {error}");
            return ExitCode::from(2);
        }
    };

    let (state, output) = match command {
        Command::Help => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Command::Table { state, format } => (state, Output::Table(format)),
        Command::Figure { state, out } => (state, Output::Figure(out)),
    };

    let mut analysis = match Analysis::new(&state) {
        Ok(analysis) => analysis,
        Err(error) => {
            eprintln!("layerwise: {error}");
            return ExitCode::from(2);
        }
    };
    analysis.finish();

    let text = match &output {
        Output::Table(Format::Csv) => to_csv(&analysis.rows()),
        Output::Table(Format::Json) => to_json(&state, &analysis) + "\n",
        Output::Figure(path) => {
            let picture = Picture::build(&analysis);
            let title = format!(
                "f = {}, d = {}, N = {}, p = {}, level {} of {}",
                analysis.sampler().target().formula(),
                state.d,
                state.n,
                state.p,
                state.level,
                state.depth
            );
            let svg = render_svg(&analysis, &picture, state.level, &title);
            if let Err(error) = std::fs::write(path, svg) {
                eprintln!("layerwise: failed to write {path}: {error}");
                return ExitCode::from(1);
            }
            String::new()
        }
    };
    if let Some(found) = analysis.non_finite() {
        eprintln!(
            "layerwise: warning: {}",
            non_finite_note(&found, analysis.dim())
        );
    }
    for note in all_notes(&analysis) {
        eprintln!("layerwise: note: {note}");
    }

    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(text.as_bytes()).is_err() {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
