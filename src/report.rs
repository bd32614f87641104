//! Text forms of the per-level table: CSV and JSON for the command line,
//! and the number format shared with the page's HTML table.

use serde::Serialize;

use crate::analysis::{Analysis, LevelRow, Method};
use crate::state::State;
use crate::summary::rounding_note;

/// Header of the CSV table.
pub const CSV_HEADER: &str = "level,cells,error,omega,bound,ratio";

/// Formats a number so that it pastes into other tools: e-notation with six
/// significant digits (`1.01080e-1`), `0` for zero, and `inf`, `-inf` or
/// `nan` for non-finite values.
pub fn format_number(value: f64) -> String {
    if value == 0.0 {
        return "0".to_string();
    }
    if value.is_nan() {
        return "nan".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    format!("{value:.5e}")
}

/// Formats the six CSV fields of one row.
pub fn row_fields(row: &LevelRow) -> [String; 6] {
    [
        row.level.to_string(),
        row.cells.to_string(),
        format_number(row.error),
        format_number(row.omega),
        format_number(row.bound),
        format_number(row.ratio),
    ]
}

/// Writes the table as CSV: `CSV_HEADER`, then one line per level.
pub fn to_csv(rows: &[LevelRow]) -> String {
    let mut text = String::from(CSV_HEADER);
    text.push('\n');
    for row in rows {
        text.push_str(&row_fields(row).join(","));
        text.push('\n');
    }
    text
}

/// Everything the JSON output holds.
#[derive(Serialize)]
struct JsonReport<'a> {
    state: &'a State,
    formula: String,
    constant: usize,
    rate_exponent: f64,
    certified_depth: Option<u32>,
    estimated_depth: Option<u32>,
    evaluations: u64,
    evaluations_for_means: u64,
    evaluations_for_errors: u64,
    evaluations_for_moduli: u64,
    non_finite_count: u64,
    notes: Vec<String>,
    rows: Vec<JsonRow>,
}

/// One row in JSON: the CSV columns under the same names, then the detail.
#[derive(Serialize)]
struct JsonRow {
    level: u32,
    cells: String,
    error: Option<f64>,
    omega: Option<f64>,
    bound: Option<f64>,
    ratio: Option<f64>,
    side: f64,
    error_standard_error: Option<f64>,
    error_method: Method,
    omega_sampled: Option<f64>,
    majorant: Option<f64>,
    certified_bound: Option<f64>,
    reference: Option<f64>,
    error_final: bool,
    omega_final: bool,
}

impl JsonRow {
    fn new(row: &LevelRow) -> JsonRow {
        JsonRow {
            level: row.level,
            cells: row.cells.to_string(),
            error: finite(row.error),
            omega: finite(row.omega),
            bound: finite(row.bound),
            ratio: finite(row.ratio),
            side: row.side,
            error_standard_error: finite(row.error_standard_error),
            error_method: row.error_method,
            omega_sampled: finite(row.omega_sampled),
            majorant: row.majorant.and_then(finite),
            certified_bound: row.certified_bound.and_then(finite),
            reference: finite(row.reference),
            error_final: row.error_final,
            omega_final: row.omega_final,
        }
    }
}

/// `Some(value)` when finite; JSON has no NaN or infinity.
fn finite(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}

/// Returns the notes that the command-line tool prints with the table: the
/// analysis's notes, then the page's note on errors at rounding level.
pub fn all_notes(analysis: &Analysis) -> Vec<String> {
    let mut notes = analysis.notes().to_vec();
    notes.extend(rounding_note(&analysis.rows(), analysis.magnitude()));
    notes
}

/// Writes the table and its context as pretty-printed JSON. Cell counts are
/// strings because they can exceed 2^53; non-finite numbers are `null`.
pub fn to_json(state: &State, analysis: &Analysis) -> String {
    let rows = analysis.rows();
    let notes = all_notes(analysis);
    let report = JsonReport {
        state,
        formula: analysis.sampler().target().formula(),
        constant: 2 * analysis.dim() + 1,
        rate_exponent: analysis.sampler().target().rate_exponent(analysis.p()),
        certified_depth: analysis.certified_depth(),
        estimated_depth: analysis.estimated_depth(),
        evaluations: analysis.evaluations(),
        evaluations_for_means: analysis.evaluations_by_kind()[0],
        evaluations_for_errors: analysis.evaluations_by_kind()[1],
        evaluations_for_moduli: analysis.evaluations_by_kind()[2],
        non_finite_count: analysis.non_finite().map_or(0, |n| n.count),
        notes,
        rows: rows.iter().map(JsonRow::new).collect(),
    };
    serde_json::to_string_pretty(&report)
        .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_six_significant_digits() {
        assert_eq!(format_number(0.101_08), "1.01080e-1");
        assert_eq!(format_number(123_456.7), "1.23457e5");
        assert_eq!(format_number(0.0), "0");
        assert_eq!(format_number(f64::INFINITY), "inf");
        assert_eq!(format_number(f64::NAN), "nan");
    }

    #[test]
    fn formatted_numbers_parse_back() {
        for value in [1e-300, 3.3e-7, 0.5, 2.0, 7.25e12] {
            let parsed: f64 = format_number(value).parse().unwrap();
            assert!(((parsed - value) / value).abs() < 1e-5);
        }
    }
}
