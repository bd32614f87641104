//! Sentences about the per-level table: the certified and estimated depth,
//! the ratio check, errors at the level of floating-point rounding, and
//! values of f that are not finite. The page writes them under its table
//! and the command-line tool prints the notes to standard error, so both
//! state the same facts in the same words.
//!
//! Notation: Φℓ and Eℓ for the readout of level ℓ, ω for the Lᵖ modulus of
//! continuity ω(f, t), and t for the cell side N^(−ℓ). Unicode sub- and
//! superscripts are used where every character has one (Φ₂, Lᵖ, [0, 1]ᵈ),
//! and `^(…)` otherwise, as in the expression box.

use crate::analysis::{LevelRow, ROUNDING_RELATIVE_ERROR};
use crate::picture::errors::{ratios_above_one, CERTIFIED_DEPTH_SEARCH};
use crate::sampler::NonFinite;

/// One paragraph under the table, with the CSS class that marks its kind:
/// `certified`, `estimated`, `warning`, or empty for a plain note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// CSS class of the paragraph.
    pub class: &'static str,
    /// The text.
    pub text: String,
}

/// Facts that the sentences under the table report.
pub struct TableFacts<'a> {
    /// Requested accuracy ε, as the controls show it.
    pub eps_text: String,
    /// Whether the family has an analytic majorant of ω.
    pub has_majorant: bool,
    /// Certified depth for ε, if any level up to the search limit has it.
    pub certified_depth: Option<u32>,
    /// Estimated depth for ε among the levels shown.
    pub estimated_depth: Option<u32>,
    /// Number of levels L shown.
    pub depth: u32,
    /// Largest depth that the state allows for this d, N and mode
    /// (`state::max_depth`).
    pub max_depth: u32,
    /// The table rows.
    pub rows: &'a [LevelRow],
    /// Size of f that rounding-level errors are measured against
    /// (`Analysis::magnitude`).
    pub magnitude: f64,
    /// Values of f that were not finite, if any.
    pub non_finite: Option<NonFinite>,
}

/// Title of every number cell of the table while f has values that are
/// not finite.
pub const NON_FINITE_CELL_TITLE: &str =
    "f is not finite at some evaluations, and this number treats those values as 0";

/// Composes the paragraphs under the table, in order: certified depth,
/// estimated depth, then the warnings and notes that apply.
pub fn table_sentences(facts: &TableFacts<'_>) -> Vec<Sentence> {
    let mut sentences = vec![
        Sentence {
            class: "certified",
            text: certified_sentence(facts),
        },
        Sentence {
            class: "estimated",
            text: estimated_sentence(facts),
        },
    ];
    if let Some(text) = ratio_warning(facts.rows) {
        sentences.push(Sentence {
            class: "warning",
            text,
        });
    }
    if let Some(text) = rounding_note(facts.rows, facts.magnitude) {
        sentences.push(Sentence { class: "", text });
    }
    if let Some(found) = facts.non_finite {
        sentences.push(Sentence {
            class: "warning",
            text: non_finite_table_note(&found),
        });
    }
    sentences
}

fn certified_sentence(facts: &TableFacts<'_>) -> String {
    let eps = &facts.eps_text;
    match (facts.has_majorant, facts.certified_depth) {
        (false, _) => "No certified depth: this target has no known majorant of ω, \
                       so no bound here is proven."
            .to_string(),
        (true, Some(level)) => {
            let beyond = if level > facts.max_depth {
                format!(
                    ", beyond the deepest level the page draws here ({})",
                    facts.max_depth
                )
            } else {
                String::new()
            };
            format!(
                "Certified depth for ε = {eps}: ℓ = {level}{beyond}. It is the first level \
                 whose cell side t has (2d+1)·majorant(t) ≤ ε, with a majorant that provably \
                 bounds ω for this family."
            )
        }
        (true, None) => format!(
            "No certified depth for ε = {eps}: even level {CERTIFIED_DEPTH_SEARCH} has \
             (2d+1)·majorant(t) above ε."
        ),
    }
}

fn estimated_sentence(facts: &TableFacts<'_>) -> String {
    let eps = &facts.eps_text;
    match facts.estimated_depth {
        Some(level) => format!(
            "Estimated depth: ℓ = {level}. It is the first level shown whose bound \
             (2d+1)·ω ≤ ε with the sampled ω, which can fall short of the true ω, \
             so this is an estimate, not a proof."
        ),
        None if facts.depth < facts.max_depth => format!(
            "Estimated depth: none of the {} levels shown has an estimated bound ≤ ε = {eps}. \
             Add levels (up to {} here) or raise ε.",
            facts.depth, facts.max_depth
        ),
        None => format!(
            "Estimated depth: none of the {} levels shown has an estimated bound ≤ ε = {eps}, \
             and {} is the deepest level the page draws here, so raise ε.",
            facts.depth, facts.max_depth
        ),
    }
}

/// Returns the warning for levels whose ratio error/bound exceeds 1, if any.
fn ratio_warning(rows: &[LevelRow]) -> Option<String> {
    let above = ratios_above_one(rows);
    if above.is_empty() {
        return None;
    }
    let levels: Vec<String> = above
        .iter()
        .map(|(level, ratio)| format!("ℓ = {level} (ratio {ratio:.3})"))
        .collect();
    Some(format!(
        "The ratio error/bound exceeds 1 at {}. The theorem guarantees a ratio of at most 1 \
         with the true ω, so there the sampled ω is too low: it estimates a supremum from below.",
        levels.join(", ")
    ))
}

/// Returns the note for errors at the level of floating-point rounding
/// (`LevelRow::error_at_rounding_level`), if any row has one. `magnitude`
/// is the size of f that they were compared with.
pub fn rounding_note(rows: &[LevelRow], magnitude: f64) -> Option<String> {
    let levels: Vec<u32> = rows
        .iter()
        .filter(|row| row.error_at_rounding_level)
        .map(|row| row.level)
        .collect();
    if levels.is_empty() {
        return None;
    }
    let largest = rows
        .iter()
        .filter(|row| row.error_at_rounding_level)
        .map(|row| row.error)
        .fold(0.0, f64::max);
    let (noun, verb) = if levels.len() == 1 {
        ("error", "is")
    } else {
        ("errors", "are")
    };
    Some(format!(
        "The {noun} at {} {verb} at most {}, below {ROUNDING_RELATIVE_ERROR:e} times the size of \
         f ({}). Errors this small are floating-point rounding, not errors of Φℓ that can be \
         measured, so their ratios to the bound are not checked against 1.",
        level_list(&levels),
        short_number(largest),
        short_number(magnitude)
    ))
}

/// Returns the note that f is not finite at some evaluations: how often,
/// where first, and what the numbers do with those values.
pub fn non_finite_note(found: &NonFinite, d: usize) -> String {
    format!(
        "f is not finite (NaN or ±∞) at {} of {} evaluations, first at {}. The numbers treat \
         those values as 0, so they describe f with its non-finite values replaced by 0, \
         not f itself.",
        found.count,
        found.evaluations,
        point_text(d, found.first)
    )
}

/// Returns the paragraph under the table that flags every row while f has
/// values that are not finite.
///
/// The numbers are kept rather than replaced by NaN, because the count
/// cannot tell a few points (ln(x) at x = 0, where the integrals are those
/// of f) from a set of positive measure (1/0, where they are not).
fn non_finite_table_note(found: &NonFinite) -> String {
    let share = if found.count == found.evaluations {
        "every evaluation".to_string()
    } else {
        format!("{} of {} evaluations", found.count, found.evaluations)
    };
    format!(
        "Every number in this table treats the values of f that are not finite ({share}) as 0, \
         so these are the errors of f with those values replaced by 0, not the errors of f."
    )
}

/// Writes levels as `ℓ = 2`, `ℓ = 1, 3` or, for consecutive levels,
/// `ℓ = 1 to 4`.
fn level_list(levels: &[u32]) -> String {
    let consecutive = levels.windows(2).all(|pair| pair[1] == pair[0] + 1);
    match levels {
        [] => String::new(),
        [single] => format!("ℓ = {single}"),
        [first, .., last] if consecutive && levels.len() > 2 => {
            format!("ℓ = {first} to {last}")
        }
        _ => {
            let list: Vec<String> = levels.iter().map(u32::to_string).collect();
            format!("ℓ = {}", list.join(", "))
        }
    }
}

/// Writes a point of [0, 1]ᵈ as `x = 0.5` in 1D and `(x, y) = (0.5, 0.25)`
/// in 2D.
pub fn point_text(d: usize, point: [f64; 2]) -> String {
    if d == 1 {
        format!("x = {}", short_number(point[0]))
    } else {
        format!(
            "(x, y) = ({}, {})",
            short_number(point[0]),
            short_number(point[1])
        )
    }
}

/// Returns a number with five significant digits for read-outs and
/// messages: `0.33333`, `1.2346e-7`, `inf`.
pub fn short_number(value: f64) -> String {
    if value == 0.0 {
        return "0".to_string();
    }
    if !value.is_finite() {
        return format!("{value}");
    }
    let magnitude = value.abs().log10().floor();
    if !(-4.0..6.0).contains(&magnitude) {
        return format!("{value:.4e}");
    }
    let places = (4.0 - magnitude).max(0.0) as usize;
    let text = format!("{value:.places$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Method;

    fn row(level: u32, error: f64, bound: f64) -> LevelRow {
        LevelRow {
            level,
            cells: 3u128.pow(level),
            side: 3f64.powi(-(level as i32)),
            error,
            error_standard_error: 0.0,
            error_method: Method::Quadrature,
            omega_sampled: bound / 3.0,
            omega: bound / 3.0,
            bound,
            ratio: if bound > 0.0 {
                error / bound
            } else {
                f64::INFINITY
            },
            error_at_rounding_level: false,
            majorant: Some(bound / 3.0),
            certified_bound: Some(bound),
            reference: 0.1,
            error_final: true,
            omega_final: true,
        }
    }

    fn facts(rows: &[LevelRow]) -> TableFacts<'_> {
        TableFacts {
            eps_text: "0.01".to_string(),
            has_majorant: true,
            certified_depth: Some(3),
            estimated_depth: Some(2),
            depth: rows.len() as u32,
            max_depth: 12,
            rows,
            magnitude: 1.0,
            non_finite: None,
        }
    }

    fn text_of(sentences: &[Sentence], class: &str) -> String {
        sentences
            .iter()
            .filter(|sentence| sentence.class == class)
            .map(|sentence| sentence.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn ratio_above_one_is_warned() {
        let rows = [row(1, 0.1, 0.3), row(2, 0.2, 0.1)];
        let sentences = table_sentences(&facts(&rows));
        let warning = text_of(&sentences, "warning");
        assert!(
            warning.contains("exceeds 1 at ℓ = 2 (ratio 2.000)"),
            "{warning}"
        );
    }

    #[test]
    fn rounding_errors_get_note_not_warning() {
        // A constant f: ω = 0, so the bound is 0 and the ratio is ∞.
        let mut rows = [row(1, 4.4e-16, 0.0), row(2, 4.4e-16, 0.0)];
        for row in &mut rows {
            row.error_at_rounding_level = true;
        }
        let sentences = table_sentences(&facts(&rows));
        let warning = text_of(&sentences, "warning");
        assert!(!warning.contains("exceeds 1"), "{warning}");
        let note = text_of(&sentences, "");
        assert!(note.contains("errors at ℓ = 1, 2"), "{note}");
        assert!(note.contains("at most 4.4000e-16"), "{note}");
        assert!(note.contains("floating-point rounding"), "{note}");
    }

    #[test]
    fn certified_depth_beyond_cap_is_named() {
        let rows = [row(1, 0.1, 0.3)];
        let mut beyond = facts(&rows);
        beyond.certified_depth = Some(13);
        let text = text_of(&table_sentences(&beyond), "certified");
        assert!(text.contains("ℓ = 13, beyond the deepest level"), "{text}");
        assert!(text.contains("here (12)"), "{text}");

        let within = facts(&rows);
        let text = text_of(&table_sentences(&within), "certified");
        assert!(!text.contains("beyond"), "{text}");
    }

    #[test]
    fn estimated_depth_advice_follows_cap() {
        let rows: Vec<LevelRow> = (1..=12).map(|level| row(level, 0.1, 0.3)).collect();
        let mut at_cap = facts(&rows);
        at_cap.estimated_depth = None;
        let text = text_of(&table_sentences(&at_cap), "estimated");
        assert!(!text.contains("Add levels"), "{text}");
        assert!(text.contains("12 is the deepest level"), "{text}");
        assert!(text.contains("raise ε"), "{text}");

        let mut below_cap = facts(&rows[..5]);
        below_cap.estimated_depth = None;
        let text = text_of(&table_sentences(&below_cap), "estimated");
        assert!(text.contains("Add levels (up to 12 here)"), "{text}");
    }

    #[test]
    fn non_finite_values_flag_table() {
        let rows = [row(1, 0.0, 0.0)];
        let mut with_non_finite = facts(&rows);
        let found = NonFinite {
            count: 23803,
            evaluations: 23803,
            first: [0.0, 0.0],
        };
        with_non_finite.non_finite = Some(found);
        let warning = text_of(&table_sentences(&with_non_finite), "warning");
        assert!(warning.contains("every evaluation"), "{warning}");
        assert!(warning.contains("not the errors of f"), "{warning}");

        let note = non_finite_note(&found, 1);
        assert!(note.contains("at 23803 of 23803 evaluations"), "{note}");
        assert!(note.contains("first at x = 0."), "{note}");
    }

    #[test]
    fn sentences_use_unicode_notation() {
        let mut rows = [row(1, 4.4e-16, 0.0), row(2, 0.2, 0.1)];
        rows[0].error_at_rounding_level = true;
        let mut all = facts(&rows);
        all.non_finite = Some(NonFinite {
            count: 1,
            evaluations: 10,
            first: [0.0, 0.0],
        });
        for variant in [Some(3), Some(13), None] {
            all.certified_depth = variant;
            all.estimated_depth = variant;
            for sentence in table_sentences(&all) {
                let text = sentence.text;
                assert!(!text.contains('_'), "{text}");
                assert!(!text.contains("^-"), "{text}");
                assert!(text.starts_with(char::is_uppercase), "{text}");
            }
        }
    }

    #[test]
    fn points_print_by_dimension() {
        assert_eq!(point_text(1, [0.5, 0.0]), "x = 0.5");
        assert_eq!(point_text(2, [0.5, 0.25]), "(x, y) = (0.5, 0.25)");
    }

    #[test]
    fn levels_print_as_ranges() {
        assert_eq!(level_list(&[2]), "ℓ = 2");
        assert_eq!(level_list(&[1, 3]), "ℓ = 1, 3");
        assert_eq!(level_list(&[1, 2]), "ℓ = 1, 2");
        assert_eq!(level_list(&[1, 2, 3, 4]), "ℓ = 1 to 4");
    }
}
