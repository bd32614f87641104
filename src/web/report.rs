//! The numbers of the page: the error chart, the table, the sentences
//! under it and the evaluation counts, redrawn as refinement proceeds.

use web_sys::Element;

use super::controls::display_number;
use super::draw::errors::draw_error_chart;
use super::page::Page;
use super::panels;
use super::style::Scale;
use super::table::{update_summary, update_table};
use super::{dom, network, render};
use crate::picture::errors::{certified_depth, error_chart, estimated_depth, network_error_chart};
use crate::state::max_depth;
use crate::summary::TableFacts;

/// Redraws the error chart, the table and the sentences under it from the
/// analysis's current rows.
pub fn draw_numbers(page: &mut Page) {
    page.numbers_drawn_at = dom::now();
    page.numbers_pending = false;
    let Some(computed) = &page.computed else {
        return;
    };
    let analysis = &computed.analysis;
    let rows = analysis.rows();
    let eps = page.state.eps;
    let target = analysis.sampler().target();

    let scale = Scale {
        ratio: dom::device_pixel_ratio(),
    };
    let network = network::shown(computed, &page.state);
    let network_rows = network.map(|view| view.analysis.rows());
    let chart = match &network_rows {
        Some(network_rows) => network_error_chart(&rows, network_rows, eps),
        None => error_chart(&rows, eps),
    };
    let area = render::surface(page, panels::ERROR_CHART, scale)
        .map(|surface| surface.and_then(|surface| draw_error_chart(&surface, &chart, scale)));

    network::set_network_visible(&page.root, network.is_some());
    match network {
        Some(view) => {
            network::update_network_numbers(&page.root, &rows, analysis.is_final(), view);
        }
        None => update_table(&page.root, &rows, analysis.non_finite().is_some()),
    }
    let has_majorant = rows.first().is_some_and(|row| row.majorant.is_some());
    let facts = TableFacts {
        eps_text: display_number(eps),
        has_majorant,
        certified_depth: certified_depth(target, analysis.base(), analysis.p(), eps),
        estimated_depth: estimated_depth(&rows, eps),
        depth: analysis.depth(),
        max_depth: max_depth(page.state.d, page.state.n, page.state.mode),
        rows: &rows,
        magnitude: analysis.magnitude(),
        non_finite: analysis.non_finite(),
    };
    update_summary(&page.root, &facts);

    if let Some(item) = dom::find::<Element>(&page.root, "legend-certified") {
        dom::set_hidden(&item, !has_majorant);
    }
    if let Some(line) = dom::find::<Element>(&page.root, "evaluations") {
        let text = format!(
            "f was evaluated {} times for these numbers so far and {} times for the pictures \
             (unit cost {} per evaluation).",
            grouped(analysis.evaluations() - computed.picture.evaluations),
            grouped(computed.picture.evaluations),
            target.cost()
        );
        dom::set_text(&line, &text);
    }

    match area {
        Some(Ok(area)) => page.set_area(panels::ERROR_CHART, area),
        Some(Err(error)) => web_sys::console::error_1(&error.to_string().into()),
        None => {}
    }
}

/// Writes `1234567` as `1,234,567`.
pub(super) fn grouped(count: u64) -> String {
    let digits = count.to_string();
    let mut text = String::new();
    for (index, c) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            text.push(',');
        }
        text.push(c);
    }
    text
}
