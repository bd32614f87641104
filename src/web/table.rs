//! The error table and the sentences under it.

use web_sys::Element;

use super::dom;
use crate::analysis::LevelRow;
use crate::report::row_fields;
use crate::summary::{table_sentences, TableFacts, NON_FINITE_CELL_TITLE};

/// Rewrites the body of `#error-table` from `rows`, with the text of
/// `report::row_fields` (the command-line tool's CSV), and sets
/// `data-final` to whether every number is final. Cells that are still
/// drafts get the class `pending`. While f has values that are not finite
/// (`has_non_finite`), every number cell's title states that they count as 0.
pub fn update_table(root: &Element, rows: &[LevelRow], has_non_finite: bool) {
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
        for (index, (text, is_pending)) in fields.iter().zip(pending).enumerate() {
            let class = if is_pending { "pending" } else { "" };
            let mut titles = Vec::new();
            if is_pending {
                titles.push("not final yet: being refined");
            }
            // Columns from 2 on are numbers computed from values of f.
            if has_non_finite && index >= 2 {
                titles.push(NON_FINITE_CELL_TITLE);
            }
            if let Some(cell) = dom::append_text(&tr, "td", class, text) {
                if !titles.is_empty() {
                    let _ = cell.set_attribute("title", &titles.join(". "));
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

/// Rewrites `#depth-summary`: one paragraph per sentence of
/// `summary::table_sentences`.
pub fn update_summary(root: &Element, facts: &TableFacts<'_>) {
    let Some(container) = dom::find::<Element>(root, "depth-summary") else {
        return;
    };
    container.set_text_content(None);
    for sentence in table_sentences(facts) {
        dom::append_text(&container, "p", sentence.class, &sentence.text);
    }
}
