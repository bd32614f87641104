//! Argument parsing of the command-line tool. The option names are the
//! state keys of the page's links (`--n 3` is `n=3`), validated strictly:
//! a value out of range is an error, never clamped.

use std::fmt;

use crate::codec::{check_strict, set_strict};
use crate::state::{Family, Mode, State};

/// Output format of the `table` command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `level,cells,error,omega,bound,ratio` with one line per level.
    Csv,
    /// The same rows with more detail, pretty-printed.
    Json,
}

/// A parsed command.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Print the per-level table.
    Table {
        /// The state to compute.
        state: State,
        /// Output format.
        format: Format,
    },
    /// Write an SVG figure: Φ_level beside f, and the error panel.
    Figure {
        /// The state to compute; `level` selects the readout drawn.
        state: State,
        /// Path of the SVG file to write.
        out: String,
    },
    /// Print the usage text.
    Help,
}

/// A command-line error: one line naming the argument and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Usage text printed by `help` and `--help`.
pub const USAGE: &str = "\
layerwise: errors of the layer-wise readouts Φ_ℓ = E_ℓ f and the bound (2d+1)·ω_p(f, N^-ℓ)

Usage:
  layerwise table [OPTIONS]              print one row per level 1..depth
  layerwise figure --out FILE [OPTIONS]  write an SVG figure of the state
  layerwise help                         print this text

Options (the same names as the page's link keys):
  --d 1|2              dimension of the domain [0,1]^d            (default 1)
  --n N                grid base, 2..16                             (default 3)
  --depth L            number of levels: 1..12 in 1D, 1..8 in 2D,
                       and n^depth ≤ 2^40                           (default 5)
  --target FAMILY      weierstrass, cusp, jump, kink, sine, cone, custom
                                                                    (default weierstrass)
  --expr EXPR          expression in x (and y in 2D); sets --target custom
  --alpha A            smoothness exponent, 0.05..1                 (default 0.5)
  --p P                exponent of the L^p norm, 1..10              (default 2)
  --eps E              requested accuracy for the certified depth,
                       1e-8..1 (JSON output only)                   (default 0.01)
  --format csv|json    output format of table                       (default csv)
  --level L            level drawn by figure, 1..depth              (default 3)
  --out FILE           SVG file written by figure

CSV columns: level, cells (N^(d·level)), error ‖f − Φ_ℓ‖_p, omega (estimated
ω_p(f, N^-ℓ)), bound (2d+1)·omega, ratio error/bound.

The computation uses every core (at most 8); set LAYERWISE_THREADS=1 to use
one. The numbers do not depend on the number of threads.
";

/// Parses the arguments after the program name.
pub fn parse_args<I, S>(args: I) -> Result<Command, UsageError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let args: Vec<String> = args.into_iter().map(|a| a.as_ref().to_string()).collect();
    let Some(command) = args.first() else {
        return Err(UsageError(
            "missing command: use 'layerwise table [OPTIONS]' or 'layerwise help'".to_string(),
        ));
    };
    let figure = match command.as_str() {
        "help" | "--help" | "-h" => return Ok(Command::Help),
        "table" => false,
        "figure" => true,
        other => {
            return Err(UsageError(format!(
                "unknown command '{}': use 'table', 'figure' or 'help'",
                shorten(other)
            )))
        }
    };

    let mut state = State::default();
    let mut format = Format::Csv;
    let mut out: Option<String> = None;
    let mut level_given = false;
    let mut target_given = false;
    let mut expr_given = false;
    let mut rest = args[1..].iter();

    while let Some(arg) = rest.next() {
        if arg == "--help" || arg == "-h" {
            return Ok(Command::Help);
        }
        let Some(option) = arg.strip_prefix("--") else {
            return Err(UsageError(format!(
                "unexpected argument '{}': options look like --n 3",
                shorten(arg)
            )));
        };
        let (key, value) = match option.split_once('=') {
            Some((key, value)) => (key.to_string(), value.to_string()),
            None => {
                let Some(value) = rest.next() else {
                    return Err(UsageError(format!(
                        "missing value for --{}",
                        shorten(option)
                    )));
                };
                (option.to_string(), value.clone())
            }
        };

        match key.as_str() {
            "format" if !figure => format = parse_format(&value)?,
            "out" if figure => out = Some(value),
            "v" => {
                return Err(UsageError(
                    "--v is the link format version and cannot be set here".to_string(),
                ))
            }
            "mode" if value != Mode::Ideal.id() => {
                return Err(UsageError(format!(
                    "invalid value '{}' for --mode: the table command computes the ideal readout only; use --mode ideal",
                    shorten(&value)
                )))
            }
            _ => {
                set_strict(&mut state, &key, &value).map_err(|error| UsageError(error.message))?;
                target_given |= key == "target";
                expr_given |= key == "expr";
                level_given |= key == "level";
            }
        }
    }

    if expr_given {
        if target_given && state.target != Family::Custom {
            return Err(UsageError(format!(
                "--expr conflicts with --target {}: give one of them",
                state.target.id()
            )));
        }
        state.target = Family::Custom;
    }
    if state.level > state.depth && !level_given {
        state.level = state.depth;
    }
    check_strict(&state).map_err(|error| UsageError(error.message))?;
    if !figure {
        return Ok(Command::Table { state, format });
    }
    let Some(out) = out else {
        return Err(UsageError(
            "missing --out FILE: figure writes an SVG file".to_string(),
        ));
    };
    Ok(Command::Figure { state, out })
}

fn parse_format(value: &str) -> Result<Format, UsageError> {
    match value {
        "csv" => Ok(Format::Csv),
        "json" => Ok(Format::Json),
        other => Err(UsageError(format!(
            "invalid value '{}' for --format: expected csv or json",
            shorten(other)
        ))),
    }
}

/// At most 40 characters of user text, for messages.
fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        short.push('…');
    }
    short.escape_debug().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(args: &[&str]) -> Result<(State, Format), UsageError> {
        let mut full = vec!["table"];
        full.extend_from_slice(args);
        match parse_args(full)? {
            Command::Table { state, format } => Ok((state, format)),
            other => panic!("unexpected command {other:?}"),
        }
    }

    #[test]
    fn expression_selects_custom_target() {
        let (state, format) = table(&["--d", "1", "--n", "2", "--expr", "abs(x-1/3)"]).unwrap();
        assert_eq!(state.target, Family::Custom);
        assert_eq!(state.expr, "abs(x-1/3)");
        assert_eq!(format, Format::Csv);
    }

    #[test]
    fn equals_form_and_json() {
        let (state, format) = table(&["--n=4", "--depth=10", "--format=json"]).unwrap();
        assert_eq!(state.n, 4);
        assert_eq!(state.depth, 10);
        assert_eq!(format, Format::Json);
    }

    #[test]
    fn level_follows_smaller_depth() {
        let (state, _) = table(&["--depth", "2"]).unwrap();
        assert_eq!(state.level, 2);
    }

    #[test]
    fn rejections_name_the_option() {
        let cases: [(&[&str], &str); 8] = [
            (&["--n", "17"], "--n"),
            (&["--depth", "13"], "--depth"),
            (&["--n", "16", "--depth", "11"], "depth"),
            (&["--p", "0.5"], "--p"),
            (&["--target", "banana"], "--target"),
            (&["--format", "xml"], "--format"),
            (&["--n"], "--n"),
            (&["--target", "jump", "--expr", "x"], "--expr"),
        ];
        for (args, word) in cases {
            let error = table(args).unwrap_err();
            assert!(error.0.contains(word), "{args:?}: {}", error.0);
            assert!(!error.0.contains('\n'), "{args:?}: message is not one line");
        }
    }

    #[test]
    fn figure_needs_an_output_file() {
        let parsed = parse_args(["figure", "--out", "f.svg", "--level", "2"]).unwrap();
        let Command::Figure { state, out } = parsed else {
            panic!("expected a figure command");
        };
        assert_eq!(out, "f.svg");
        assert_eq!(state.level, 2);
        let missing = parse_args(["figure", "--level", "2"]).unwrap_err();
        assert!(missing.0.contains("--out"));
        let too_deep = parse_args(["figure", "--out", "f.svg", "--depth", "2", "--level", "4"]);
        assert!(too_deep.is_err());
    }

    #[test]
    fn missing_and_unknown_commands() {
        assert!(parse_args(Vec::<String>::new()).is_err());
        assert!(parse_args(["plot"]).is_err());
        assert_eq!(parse_args(["help"]), Ok(Command::Help));
        assert_eq!(parse_args(["table", "--help"]), Ok(Command::Help));
    }
}
