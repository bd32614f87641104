//! The literal two-sine decoder demo: a search, in background chunks, for
//! a frequency w and phase φ such that sin(w·u_i + φ) hits the scaled
//! corrections of a few cells, where u_i = sin(k_i + 1) is the code of
//! cell k_i.

use wasm_bindgen::prelude::wasm_bindgen;
use web_sys::Element;

use crate::grid::Grid;
use crate::network::{cell_code, LiteralCell, LiteralDecoder, LiteralDecoderSearch, SearchStatus};
use crate::picture::scale::subscript;

use super::super::dom;
use super::super::page::Page;
use super::super::panels::psi;
use super::super::render::short;
use super::super::report::grouped;

/// Smallest and largest number of cells the demo offers.
const CELL_RANGE: (u32, u32) = (2, 5);

/// Tolerance ε on the scaled targets in [−1, 1].
const TOLERANCE: f64 = 0.01;

/// Frequencies tried at most. With ε = 0.01 a search over m cells needs of
/// the order of 100^(m−1) trials, so five cells may exhaust it.
const MAX_TRIALS: u64 = 50_000_000;

/// Frequencies tried between two checks of the clock.
const TRIALS_PER_STEP: u64 = 5_000;

/// A search in progress or finished, and what it was started for.
pub struct LiteralRun {
    search: LiteralDecoderSearch,
    cells: Vec<LiteralCell>,
    level: u32,
    started_at: f64,
    elapsed_ms: f64,
    finished: bool,
}

/// Picks `count` cells for the demo: cells 0..count of the selected level,
/// or of the first level with at least `count` cells when the selected one
/// has fewer. Returns the level and the cells' flat indices, or `None` when
/// no level up to `depth` has enough cells.
fn demo_level(d: usize, n: u32, depth: u32, selected: u32, count: u32) -> Option<u32> {
    let enough = |level: u32| {
        Grid::new(d, n, level).is_ok_and(|grid| grid.cell_count() >= u128::from(count))
    };
    if enough(selected) {
        return Some(selected);
    }
    (1..=depth).find(|&level| enough(level))
}

fn set_text(root: &Element, id: &str, text: &str) {
    if let Some(element) = dom::find::<Element>(root, id) {
        dom::set_text(&element, text);
    }
}

#[wasm_bindgen]
impl Page {
    /// Starts a literal decoder search over `cells` cells (the text of the
    /// `#literal-cells` field, 2 to 5) of the current target. Returns
    /// whether it started; otherwise `#literal-progress` shows why not.
    #[wasm_bindgen(js_name = literalStart)]
    pub fn literal_start(&mut self, cells: &str) -> bool {
        let count = match cells.trim().parse::<u32>() {
            Ok(count) if (CELL_RANGE.0..=CELL_RANGE.1).contains(&count) => count,
            _ => {
                self.literal = None;
                set_text(
                    &self.root,
                    "literal-progress",
                    &format!(
                        "The number of cells must be a whole number from {} to {}, not \
                         \u{201c}{}\u{201d}.",
                        CELL_RANGE.0,
                        CELL_RANGE.1,
                        cells.chars().take(20).collect::<String>()
                    ),
                );
                return false;
            }
        };
        let view = self.view_state();
        let Some(computed) = self.computed.as_ref() else {
            set_text(
                &self.root,
                "literal-progress",
                "There is no valid target to take cell values from; fix the expression first.",
            );
            return false;
        };
        let Some(level) = demo_level(view.d, view.n, view.depth, view.level, count) else {
            set_text(
                &self.root,
                "literal-progress",
                &format!(
                    "No level up to {} has {count} cells; lower the number of cells or raise \
                     the depth.",
                    view.depth
                ),
            );
            return false;
        };

        let analysis = &computed.analysis;
        let sampler = analysis.sampler();
        let readouts = analysis.readouts();
        let Ok(grid) = Grid::new(view.d, view.n, level) else {
            return false;
        };
        let cells: Vec<LiteralCell> = (0..u64::from(count))
            .map(|index| {
                let (lo, hi) = grid.cell_box(grid.cell_at(index as usize));
                let centre = [0.5 * (lo[0] + hi[0]), 0.5 * (lo[1] + hi[1])];
                let mean = readouts.value(sampler, level, centre);
                let parent = readouts.value(sampler, level - 1, centre);
                LiteralCell {
                    index,
                    correction: mean - parent,
                }
            })
            .collect();
        match LiteralDecoderSearch::new(&cells, TOLERANCE, MAX_TRIALS) {
            Ok(search) => {
                self.literal = Some(LiteralRun {
                    search,
                    cells,
                    level,
                    started_at: dom::now(),
                    elapsed_ms: 0.0,
                    finished: false,
                });
                set_text(&self.root, "literal-result", "");
                set_text(
                    &self.root,
                    "literal-progress",
                    &format!("Searching over {count} cells of level {level}…"),
                );
                true
            }
            Err(error) => {
                self.literal = None;
                set_text(
                    &self.root,
                    "literal-progress",
                    &format!("The search cannot start: {error}."),
                );
                false
            }
        }
    }

    /// Continues the search for about `slice_ms` milliseconds and updates
    /// the progress line. Returns true when the search has finished (found,
    /// exhausted, or none running).
    #[wasm_bindgen(js_name = literalStep)]
    pub fn literal_step(&mut self, slice_ms: f64) -> bool {
        let Some(run) = self.literal.as_mut() else {
            return true;
        };
        if run.finished {
            return true;
        }
        let start = dom::now();
        let mut status = run.search.status();
        while matches!(status, SearchStatus::Running { .. }) && dom::now() - start < slice_ms {
            status = run.search.step(TRIALS_PER_STEP);
        }
        run.elapsed_ms = dom::now() - run.started_at;
        match status {
            SearchStatus::Running { trials } => {
                let reach = trials as f64 * run.search.frequency_step();
                let text = format!(
                    "Searching over {} cells of level {}: {} frequencies tried (w up to {}) in \
                     {:.1} s…",
                    run.cells.len(),
                    run.level,
                    grouped(trials),
                    short(reach),
                    run.elapsed_ms / 1000.0
                );
                set_text(&self.root, "literal-progress", &text);
                false
            }
            SearchStatus::Found(found) => {
                run.finished = true;
                let text = format!(
                    "Found after {} frequencies in {:.1} s.",
                    grouped(found.trials),
                    run.elapsed_ms / 1000.0
                );
                set_text(&self.root, "literal-progress", &text);
                write_result(&self.root, run, &found, true);
                true
            }
            SearchStatus::Exhausted { trials, best } => {
                run.finished = true;
                let text = format!(
                    "The trial budget ran out: no frequency among the first {} (w up to {}) \
                     hits every cell within ε = {TOLERANCE}, in {:.1} s.",
                    grouped(trials),
                    short(trials as f64 * run.search.frequency_step()),
                    run.elapsed_ms / 1000.0
                );
                set_text(&self.root, "literal-progress", &text);
                write_result(&self.root, run, &best, false);
                true
            }
        }
    }

    /// Stops the running search, if any, and reports it in
    /// `#literal-progress`.
    #[wasm_bindgen(js_name = literalCancel)]
    pub fn literal_cancel(&mut self) {
        let Some(run) = self.literal.take() else {
            return;
        };
        if run.finished {
            self.literal = Some(run);
            return;
        }
        let trials = match run.search.status() {
            SearchStatus::Running { trials } => trials,
            _ => 0,
        };
        set_text(
            &self.root,
            "literal-progress",
            &format!("Search canceled after {} frequencies.", grouped(trials)),
        );
    }
}

/// Writes the frequency, phase and error of `decoder` and a table of the
/// cells into `#literal-result`. `found` is whether the error meets ε.
fn write_result(root: &Element, run: &LiteralRun, decoder: &LiteralDecoder, found: bool) {
    let Some(result) = dom::find::<Element>(root, "literal-result") else {
        return;
    };
    result.set_text_content(None);
    let heading = if found {
        format!(
            "w = {}, φ = {} rad: max |sin(w·u_i + φ) − y_i| = {} ≤ ε = {TOLERANCE} \
             (after the head α·v + β: {} on the corrections).",
            short(decoder.frequency),
            short(decoder.phase),
            short(decoder.max_error),
            short(decoder.max_correction_error)
        )
    } else {
        format!(
            "Best seen: w = {}, φ = {} rad with max |sin(w·u_i + φ) − y_i| = {} > ε = \
             {TOLERANCE}.",
            short(decoder.frequency),
            short(decoder.phase),
            short(decoder.max_error)
        )
    };
    if let Some(paragraph) = dom::append_text(&result, "p", "literal-found", &heading) {
        paragraph.set_id("literal-frequency");
        dom::set_attribute(&paragraph, "data-frequency", &decoder.frequency.to_string());
    }

    let Some(table) = dom::append(&result, "table", "literal-table") else {
        return;
    };
    if let Some(head) = dom::append(&table, "thead", "") {
        if let Some(row) = dom::append(&head, "tr", "") {
            let correction = format!("{} (cell)", psi(run.level));
            let decoded = "α·sin(w·u + φ) + β".to_string();
            for text in ["cell k", "code u = sin(k + 1)", &correction, &decoded] {
                dom::append_text(&row, "th", "", text);
            }
        }
    }
    let Some(body) = dom::append(&table, "tbody", "") else {
        return;
    };
    for cell in &run.cells {
        let code = cell_code(cell.index);
        let decoded =
            decoder.alpha * libm::sin(decoder.frequency * code + decoder.phase) + decoder.beta;
        if let Some(row) = dom::append(&body, "tr", "") {
            for text in [
                cell.index.to_string(),
                short(code),
                short(cell.correction),
                short(decoded),
            ] {
                dom::append_text(&row, "td", "", &text);
            }
        }
    }
    let caption = format!(
        "Level {} cells, corrections ψ{} = E{} f − E{} f on each cell.",
        run.level,
        subscript(run.level),
        subscript(run.level),
        subscript(run.level - 1)
    );
    dom::append_text(&result, "p", "hint", &caption);
}
