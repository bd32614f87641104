//! The error table and the sentences under it.

use web_sys::Element;

use super::dom;
use crate::analysis::LevelRow;
use crate::picture::errors::{ratios_above_one, CERTIFIED_DEPTH_SEARCH};
use crate::report::row_fields;

/// Rewrites the body of `#error-table` from `rows`, with the text of
/// `report::row_fields` (the command-line tool's CSV), and sets
/// `data-final` to whether every number is final. Cells that are still
/// drafts get the class `pending`.
pub fn update_table(root: &Element, rows: &[LevelRow]) {
    let Some(table) = dom::find::<Element>(root, "error-table") else {
        return;
    };
    let Ok(Some(body)) = table.query_selector("tbody") else {
        return;
    };

    body.set_text_content(None);
    for row in rows {
        let Some(tr) = dom::append(&body, "tr", "") else {
            return;
        };
        let fields = row_fields(row);
        let pending = [
            false,
            false,
            !row.error_final,
            !row.omega_final,
            !row.omega_final,
            !(row.error_final && row.omega_final),
        ];
        for (text, is_pending) in fields.iter().zip(pending) {
            let class = if is_pending { "pending" } else { "" };
            if let Some(cell) = dom::append_text(&tr, "td", class, text) {
                if is_pending {
                    let _ = cell.set_attribute("title", "not final yet: being refined");
                }
            }
        }
    }

    let all_final = rows.iter().all(|row| row.error_final && row.omega_final);
    dom::set_attribute(
        &table,
        "data-final",
        if all_final { "true" } else { "false" },
    );
    if let Some(note) = dom::find::<Element>(root, "table-status") {
        let text = if all_final {
            "All numbers are final."
        } else {
            "Italic numbers are drafts, refined in the background."
        };
        dom::set_text(&note, text);
    }
}

/// Facts that the sentences under the table report.
pub struct Summary<'a> {
    /// Requested accuracy ε.
    pub eps: f64,
    /// Whether the family has an analytic majorant of ω_p.
    pub has_majorant: bool,
    /// Certified depth for ε, if any level up to the search limit has it.
    pub certified_depth: Option<u32>,
    /// Estimated depth for ε among the levels shown.
    pub estimated_depth: Option<u32>,
    /// Number of levels L.
    pub depth: u32,
    /// The table rows.
    pub rows: &'a [LevelRow],
}

/// Rewrites `#depth-summary`: one paragraph per statement.
pub fn update_summary(root: &Element, summary: &Summary<'_>) {
    let Some(container) = dom::find::<Element>(root, "depth-summary") else {
        return;
    };
    container.set_text_content(None);
    let eps = super::controls::display_number(summary.eps);

    let certified = match (summary.has_majorant, summary.certified_depth) {
        (false, _) => "No certified depth: this target has no known majorant of ω_p, \
                       so no bound here is proven."
            .to_string(),
        (true, Some(level)) => format!(
            "Certified depth for ε = {eps}: ℓ = {level}. It is the first level at which \
             (2d+1)·majorant(N^-ℓ) ≤ ε, with a majorant that provably bounds ω_p for this family."
        ),
        (true, None) => format!(
            "No certified depth for ε = {eps}: even level {CERTIFIED_DEPTH_SEARCH} has \
             (2d+1)·majorant above ε."
        ),
    };
    append_paragraph(&container, "certified", &certified);

    let estimated = match summary.estimated_depth {
        Some(level) => format!(
            "Estimated depth: ℓ = {level}. It is the first level shown whose bound \
             (2d+1)·ω_p ≤ ε with the sampled ω_p, which can fall short of the true ω_p, \
             so this is an estimate, not a proof."
        ),
        None => format!(
            "Estimated depth: none of the {} levels shown has an estimated bound ≤ ε = {eps}; \
             add levels or raise ε.",
            summary.depth
        ),
    };
    append_paragraph(&container, "estimated", &estimated);

    let above = ratios_above_one(summary.rows);
    if !above.is_empty() {
        let levels: Vec<String> = above
            .iter()
            .map(|(level, ratio)| format!("ℓ = {level} (ratio {ratio:.3})"))
            .collect();
        let text = format!(
            "The ratio error/bound exceeds 1 at {}. The theorem guarantees a ratio of at most 1 \
             with the true ω_p, so there the sampled ω_p is too low: it estimates a supremum from \
             below.",
            levels.join(", ")
        );
        append_paragraph(&container, "warning", &text);
    }
}

fn append_paragraph(container: &Element, class: &str, text: &str) {
    dom::append_text(container, "p", class, text);
}
