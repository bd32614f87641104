//! The numbers of network mode: the error table with the network's error,
//! the table of network-specific numbers, and the "Network" box.

use web_sys::Element;

use crate::analysis::LevelRow;
use crate::network::{NetworkLevelRow, NetworkSummary};
use crate::report::{format_number, CSV_HEADER};
use crate::state::ETA_RANGE;

use super::super::controls::display_number;
use super::super::dom;
use super::super::render::short;
use super::super::report::grouped;
use super::NetworkView;

/// Ids of the elements that only network mode shows.
const NETWORK_ONLY: [&str; 3] = ["network", "network-table-wrap", "legend-network"];

/// Shows or hides the elements that belong to network mode.
pub fn set_network_visible(root: &Element, visible: bool) {
    for id in NETWORK_ONLY {
        if let Some(element) = dom::find::<Element>(root, id) {
            dom::set_hidden(&element, !visible);
        }
    }
}

/// Formats the six fields of `#error-table` for one level in network mode:
/// the ideal row's level, cells, omega and bound, with the network's error
/// and the ratio error/bound. Error and ratio are empty for a level that
/// network mode does not offer or has not estimated yet.
fn error_fields(row: &LevelRow, network: Option<&NetworkLevelRow>) -> [String; 6] {
    let error = network.map_or(f64::NAN, |network| network.error);
    let (error_text, ratio_text) = if error.is_nan() {
        (String::new(), String::new())
    } else {
        let ratio = if row.bound > 0.0 {
            error / row.bound
        } else if error == 0.0 {
            0.0
        } else {
            f64::INFINITY
        };
        (format_number(error), format_number(ratio))
    };
    [
        row.level.to_string(),
        row.cells.to_string(),
        error_text,
        format_number(row.omega),
        format_number(row.bound),
        ratio_text,
    ]
}

/// Writes the error table of network mode as CSV, in the command-line
/// tool's format: `CSV_HEADER`, then one line per level, with the network's
/// error (empty where there is none).
pub fn network_csv(rows: &[LevelRow], network_rows: &[NetworkLevelRow]) -> String {
    let mut text = String::from(CSV_HEADER);
    text.push('\n');
    for row in rows {
        let network = network_rows.get(row.level as usize - 1);
        text.push_str(&error_fields(row, network).join(","));
        text.push('\n');
    }
    text
}

/// Redraws the tables and the "Network" box of network mode from the
/// ideal analysis's `rows` (final when `ideal_final`) and `view`.
pub fn update_network_numbers(
    root: &Element,
    rows: &[LevelRow],
    ideal_final: bool,
    view: &NetworkView,
) {
    let network_rows = view.analysis.rows();
    let network_final = view.analysis.is_final();
    let all_final = ideal_final && network_final;
    update_error_table(root, rows, &network_rows, all_final, view);
    update_network_table(root, &network_rows, network_final);
    update_summary_box(root, &view.analysis.summary(), view);
    note_errors_above_bound(root, rows, &network_rows, &view.analysis.summary());
}

/// Adds an entry to `#network-summary` when the network's error exceeds
/// the bound (2d+1)·ω at some level. The bound is the theorem's for the
/// ideal readout, while the network's error also carries the strips where
/// its digits are fractional, whose measure shrinks with η.
fn note_errors_above_bound(
    root: &Element,
    rows: &[LevelRow],
    network_rows: &[NetworkLevelRow],
    summary: &NetworkSummary,
) {
    let above: Vec<String> = rows
        .iter()
        .zip(network_rows)
        .filter(|(row, network)| network.error.is_finite() && network.error > row.bound)
        .map(|(row, network)| format!("ℓ = {} (ratio {:.3})", row.level, network.error / row.bound))
        .collect();
    if above.is_empty() {
        return;
    }
    let Some(list) = dom::find::<Element>(root, "network-summary") else {
        return;
    };
    // At the smallest η the slider allows, only fewer levels (a smaller
    // strip measure) or a smaller p (less weight on large values) help.
    let advice = if summary.requested_eta <= ETA_RANGE.0 * (1.0 + 1e-9) {
        "η is at its smallest here; fewer levels or a smaller p reduce the strips' share."
    } else {
        "Lower η to see it."
    };
    entry(
        &list,
        "Above the bound",
        "network-above-bound",
        &format!(
            "the network's error exceeds (2d+1)·ω at {}. On the strips (measure up to {} \
             here) a digit is fractional and the readout can be far from Eℓ f; the \
             strips shrink with η, and the network's error approaches the ideal one as \
             η → 0. {advice}",
            above.join(", "),
            short(summary.strip_bound)
        ),
    );
}

fn update_error_table(
    root: &Element,
    rows: &[LevelRow],
    network_rows: &[NetworkLevelRow],
    all_final: bool,
    view: &NetworkView,
) {
    let Some(table) = dom::find::<Element>(root, "error-table") else {
        return;
    };
    let Ok(Some(body)) = table.query_selector("tbody") else {
        return;
    };
    let unavailable = view.analysis.spec().availability().explanation();
    body.set_text_content(None);
    for row in rows {
        let Some(tr) = dom::append(&body, "tr", "") else {
            return;
        };
        let network = network_rows.get(row.level as usize - 1);
        let network_final = network.is_some_and(|network| network.is_final);
        let pending = [
            false,
            false,
            !network_final,
            !row.omega_final,
            !row.omega_final,
            !(network_final && row.omega_final),
        ];
        for (index, (text, is_pending)) in
            error_fields(row, network).iter().zip(pending).enumerate()
        {
            let missing = network.is_none() && (index == 2 || index == 5);
            let class = if missing {
                "unavailable"
            } else if is_pending {
                "pending"
            } else {
                ""
            };
            let Some(cell) = dom::append_text(&tr, "td", class, text) else {
                continue;
            };
            if missing {
                let _ = cell.set_attribute("title", &format!("not available: {unavailable}"));
            } else if is_pending {
                let _ = cell.set_attribute("title", "not final yet: being refined");
            }
        }
    }

    let final_text = if all_final { "true" } else { "false" };
    dom::set_attribute(&table, "data-final", final_text);
    if let Some(note) = dom::find::<Element>(root, "table-status") {
        // Short, because the table's column is as wide as its widest line.
        let text = if all_final {
            "All numbers are final. The error is the network's."
        } else {
            "Italic numbers are drafts. The error is the network's."
        };
        dom::set_text(&note, text);
    }
}

/// Formats the fields of `#network-table` for one level. Estimates are
/// empty until the first random shift is complete.
fn network_fields(row: &NetworkLevelRow) -> [String; 8] {
    let estimated = !row.error.is_nan();
    let number = |value: f64| {
        if estimated {
            format_number(value)
        } else {
            String::new()
        }
    };
    [
        row.level.to_string(),
        number(row.error_standard_error),
        number(row.ideal_error),
        number(row.readout_gap),
        number(row.strip_fraction),
        number(row.strip_fraction_standard_error),
        format_number(row.strip_bound),
        row.decoder_misses.to_string(),
    ]
}

fn update_network_table(root: &Element, network_rows: &[NetworkLevelRow], is_final: bool) {
    let Some(table) = dom::find::<Element>(root, "network-table") else {
        return;
    };
    let Ok(Some(body)) = table.query_selector("tbody") else {
        return;
    };
    body.set_text_content(None);
    for row in network_rows {
        let Some(tr) = dom::append(&body, "tr", "") else {
            return;
        };
        let class = if row.is_final { "" } else { "pending" };
        for (index, text) in network_fields(row).iter().enumerate() {
            // The level, bound and miss count are exact at any time.
            let cell_class = if index == 0 || index == 6 { "" } else { class };
            dom::append_text(&tr, "td", cell_class, text);
        }
    }
    let final_text = if is_final { "true" } else { "false" };
    dom::set_attribute(&table, "data-final", final_text);
}

/// Writes one entry of the "Network" box: a term and its description.
fn entry(list: &Element, term: &str, id: &str, text: &str) {
    dom::append_text(list, "dt", "", term);
    if let Some(description) = dom::append_text(list, "dd", "", text) {
        if !id.is_empty() {
            description.set_id(id);
        }
    }
}

/// Rewrites `#network-summary`, the figures of the built network.
fn update_summary_box(root: &Element, summary: &NetworkSummary, view: &NetworkView) {
    let Some(list) = dom::find::<Element>(root, "network-summary") else {
        return;
    };
    list.set_text_content(None);
    let (d, n) = (summary.d, summary.n);

    entry(
        &list,
        "Width W",
        "network-width",
        &format!(
            "2dN + d + 2 = 2·{d}·{n} + {d} + 2 = {}, in every hidden layer (read from the \
             built matrices)",
            summary.width
        ),
    );
    entry(
        &list,
        "Hidden layers",
        "network-layers",
        &format!(
            "L + 2 = {} for L = {} levels; Φℓⁿᵉᵗ is read after hidden layer ℓ + 2",
            summary.hidden_layers, summary.available_depth
        ),
    );
    entry(
        &list,
        "Parameters",
        "network-parameters",
        &format!(
            "{} weights and biases counted densely from the built matrices and heads \
             (the formula (d+1)W + (H−1)(W+1)W + L(W+1) gives {}), of which {} are not zero",
            grouped(summary.dense_parameters),
            grouped(summary.dense_parameter_formula),
            grouped(summary.nonzero_parameters)
        ),
    );
    entry(
        &list,
        "Ramp width η",
        "network-eta",
        &format!(
            "requested {}, used {} = 1/{}: the engine rounds the ramp slope 1/η to the nearest \
             integer s = {}, so that every ramp bias is an integer and digits are exact \
             outside the strips",
            display_number(summary.requested_eta),
            short(summary.eta),
            summary.ramp_slope,
            summary.ramp_slope
        ),
    );
    let measured = if summary.strip_fraction.is_nan() {
        "not measured yet".to_string()
    } else {
        format!(
            "{} ± {} of the sample points",
            short(summary.strip_fraction),
            short(summary.strip_fraction_standard_error)
        )
    };
    entry(
        &list,
        "Strips",
        "network-strips",
        &format!(
            "measured {measured} have a fractional digit at some level from 1 to {}; the strips' \
             measure is at most 1 − (1 − L·η·(N−1)/N)ᵈ = {}, which a sampled share can \
             exceed by its sampling error",
            summary.available_depth,
            short(summary.strip_bound)
        ),
    );
    let depth_text = if summary.available_depth < summary.requested_depth {
        format!(
            "{} of the {} requested levels: {}",
            summary.available_depth, summary.requested_depth, summary.depth_explanation
        )
    } else {
        format!("all {} requested levels", summary.requested_depth)
    };
    entry(&list, "Available depth", "network-depth", &depth_text);
    let tables = if summary.decoder_entries == 0 {
        let drawn = view.drawing.picture.drawn_levels();
        format!(
            "being built in the background (the pictures use the tables of levels 1 to {drawn} \
             until then)"
        )
    } else {
        format!(
            "{} entries, one per cell and level, keyed by the code sin(k + 1) of the cell's \
             flat index k ({} equal codes); {} of {} lookups at sample points missed (all \
             inside strips: {})",
            grouped(summary.decoder_entries),
            summary.decoder_collisions,
            grouped(summary.decoder_misses),
            grouped(summary.decoder_lookups),
            if summary.misses_outside_strips == 0 {
                "yes".to_string()
            } else {
                format!("no, {} outside", summary.misses_outside_strips)
            }
        )
    };
    entry(&list, "Decoder tables", "network-tables", &tables);
    let evaluations = format!(
        "{} forward passes and {} evaluations of f for these numbers so far; {} forward \
         passes for the pictures",
        grouped(summary.network_evaluations),
        grouped(summary.target_evaluations),
        grouped(view.drawing.picture.evaluations)
    );
    entry(&list, "Work", "network-work", &evaluations);
}
