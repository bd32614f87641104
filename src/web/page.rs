//! The page object that the script drives: it stores the state, the cached
//! analysis and picture, and draws every panel.

use wasm_bindgen::prelude::wasm_bindgen;
use web_sys::{Element, HtmlCanvasElement};

use super::draw::PlotArea;
use super::edit::edit_state;
use super::messages::{show_messages, Message};
use super::panels::{self, Layout};
use super::{dom, render, report};
use crate::analysis::Analysis;
use crate::codec::{decode_fragment, encode_fragment};
use crate::picture::Picture;
use crate::report::to_csv;
use crate::state::{Family, Mode, State};
use crate::target::{build_target, TargetError};

/// Time between redraws of the error panel while numbers are refined, in
/// milliseconds; the last update, when everything is final, is immediate.
const NUMBERS_REDRAW_INTERVAL_MS: f64 = 150.0;

/// The analysis and picture of one state.
pub(super) struct Computed {
    /// The state they were computed for, with the view-only keys (level,
    /// ψ, ε) at their defaults.
    pub key: State,
    /// The analysis: draft numbers, refined in the background.
    pub analysis: Analysis,
    /// The drawing data.
    pub picture: Picture,
}

/// A typed expression that does not parse.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct ExpressionError {
    /// The text as typed.
    pub text: String,
    /// The parser's message.
    pub message: String,
    /// Character position of the problem (0-based).
    pub position: usize,
}

/// The interactive page: state, computation and drawing.
///
/// Methods take `&mut self` and return quickly; the script must not call
/// them from inside each other. After a panic the script stops calling
/// them (see `panic`).
#[wasm_bindgen]
pub struct Page {
    pub(super) root: Element,
    pub(super) state: State,
    pub(super) notices: Vec<String>,
    pub(super) expression_error: Option<ExpressionError>,
    pub(super) analysis_error: Option<String>,
    pub(super) computed: Option<Computed>,
    pub(super) layout: Option<Layout>,
    pub(super) areas: Vec<(String, PlotArea)>,
    pub(super) shown_messages: Vec<Message>,
    pub(super) render_count: u32,
    pub(super) numbers_drawn_at: f64,
    pub(super) numbers_pending: bool,
}

#[wasm_bindgen]
impl Page {
    /// Creates the page for the elements under `root` and the state of
    /// `fragment` (a URL fragment, with or without `#`). Nothing is drawn
    /// until `render`.
    #[wasm_bindgen(constructor)]
    pub fn new(root: Element, fragment: &str) -> Page {
        let decoded = decode_fragment(fragment);
        let notices = decoded.notices.into_iter().map(|n| n.message).collect();
        Page {
            root,
            state: decoded.state,
            notices,
            expression_error: None,
            analysis_error: None,
            computed: None,
            layout: None,
            areas: Vec::new(),
            shown_messages: Vec::new(),
            render_count: 0,
            numbers_drawn_at: f64::NEG_INFINITY,
            numbers_pending: false,
        }
    }

    /// Replaces the state by the one of `fragment` (after the user edited
    /// the URL), with a notice for every repair.
    #[wasm_bindgen(js_name = loadFragment)]
    pub fn load_fragment(&mut self, fragment: &str) {
        let decoded = decode_fragment(fragment);
        self.notices = decoded.notices.into_iter().map(|n| n.message).collect();
        self.expression_error = None;
        self.state = decoded.state;
    }

    /// Applies a control's new `value` to state key `key`.
    ///
    /// Values are validated like a link's. An expression that does not
    /// parse, or a change that would make the current expression invalid
    /// (such as d = 1 with a `y` in it), is not applied: the error goes to
    /// `#message` and the drawing keeps the last valid state.
    #[wasm_bindgen(js_name = setValue)]
    pub fn set_value(&mut self, key: &str, value: &str) {
        let edit = edit_state(&self.state, key, value);
        if key == "expr" || edit.state.target == Family::Custom {
            if let Err(error) = build_target(&edit.state) {
                let TargetError::Expression(parse) = error;
                self.expression_error = Some(ExpressionError {
                    text: edit.state.expr.clone(),
                    message: parse.to_string(),
                    position: parse.position,
                });
                self.notices = edit.notices;
                return;
            }
        }
        self.expression_error = None;
        self.notices = edit.notices;
        self.state = edit.state;
    }

    /// Computes what the state needs (reusing the cached analysis and
    /// picture when only the level, ψ or ε changed) and draws every panel,
    /// the table and the messages. Sets `data-ready` and
    /// `data-render-count` on the document element when done.
    pub fn render(&mut self) {
        self.ensure_computed();
        render::render_all(self);
        self.render_count += 1;
        if let Some(element) = dom::document().and_then(|d| d.document_element()) {
            dom::set_attribute(
                &element,
                "data-render-count",
                &self.render_count.to_string(),
            );
            dom::set_attribute(&element, "data-ready", "true");
        }
    }

    /// Refines the numbers for about `slice_ms` milliseconds (at least one
    /// bounded step), and redraws the error panel and table when they are
    /// due. Returns true when every number is final.
    pub fn refine(&mut self, slice_ms: f64) -> bool {
        let Some(computed) = self.computed.as_mut() else {
            return true;
        };
        if computed.analysis.is_final() {
            if self.numbers_pending {
                report::draw_numbers(self);
            }
            return true;
        }

        let start = dom::now();
        loop {
            let done = computed.analysis.refine(1);
            if done || dom::now() - start >= slice_ms {
                break;
            }
        }
        self.numbers_pending = true;
        let done = computed.analysis.is_final();
        if done || dom::now() - self.numbers_drawn_at >= NUMBERS_REDRAW_INTERVAL_MS {
            report::draw_numbers(self);
            render::refresh_messages(self);
        }
        done
    }

    /// Shows the values at canvas pixel (`x`, `y`) of the panel named
    /// `panel` (its `data-panel`) in `#readout`, or clears it outside the
    /// plotting area.
    pub fn hover(&mut self, panel: &str, x: f64, y: f64) {
        render::hover(self, panel, x, y);
    }

    /// Clears the hover read-out.
    pub fn leave(&mut self) {
        if let Some(readout) = dom::find::<Element>(&self.root, "readout") {
            dom::set_text(&readout, "");
        }
    }

    /// Returns the canonical fragment of the state, without `#` (it starts with
    /// `v=1`).
    pub fn fragment(&self) -> String {
        encode_fragment(&self.state)
    }

    /// Returns the current table as CSV, in the command-line tool's format.
    #[wasm_bindgen(js_name = tableCsv)]
    pub fn table_csv(&self) -> String {
        match &self.computed {
            Some(computed) => to_csv(&computed.analysis.rows()),
            None => String::new(),
        }
    }

    /// Returns whether every number of the current table is final.
    #[wasm_bindgen(js_name = isFinal)]
    pub fn is_final(&self) -> bool {
        self.computed
            .as_ref()
            .is_none_or(|computed| computed.analysis.is_final())
    }

    /// Completed renders so far.
    #[wasm_bindgen(js_name = renderCount)]
    pub fn render_count(&self) -> u32 {
        self.render_count
    }

    /// Evaluations of f spent on the current picture.
    #[wasm_bindgen(js_name = pictureEvaluations)]
    pub fn picture_evaluations(&self) -> f64 {
        self.computed
            .as_ref()
            .map_or(0.0, |computed| computed.picture.evaluations as f64)
    }
}

impl Page {
    /// Returns the state with the view-only keys reset, which identifies the
    /// analysis and the picture.
    fn analysis_key(state: &State) -> State {
        let defaults = State::default();
        State {
            level: 1,
            psi: false,
            eps: defaults.eps,
            // NOTE: the engine has no network mode yet, so mode and η do
            // not change what is computed; they join the key once it has.
            mode: Mode::Ideal,
            eta: defaults.eta,
            expr: if state.target == Family::Custom {
                state.expr.clone()
            } else {
                String::new()
            },
            ..state.clone()
        }
    }

    /// Recomputes the analysis and picture when the state needs new ones.
    /// When the state's target cannot be built, the previous results stay.
    fn ensure_computed(&mut self) {
        let key = Page::analysis_key(&self.state);
        if self.computed.as_ref().is_some_and(|c| c.key == key) {
            self.analysis_error = None;
            return;
        }
        match Analysis::new(&self.state) {
            Ok(analysis) => {
                let picture = Picture::build(&analysis);
                self.computed = Some(Computed {
                    key,
                    analysis,
                    picture,
                });
                self.analysis_error = None;
                self.numbers_drawn_at = f64::NEG_INFINITY;
            }
            Err(error) => {
                self.analysis_error = Some(error.to_string());
                let TargetError::Expression(parse) = error;
                self.expression_error = Some(ExpressionError {
                    text: self.state.expr.clone(),
                    message: parse.to_string(),
                    position: parse.position,
                });
            }
        }
    }

    /// Returns the state the drawing shows: the computed one, with the current
    /// level (within its depth), ψ switch and ε.
    pub(super) fn view_state(&self) -> State {
        let Some(computed) = &self.computed else {
            return self.state.clone();
        };
        let mut view = computed.key.clone();
        view.level = self.state.level.clamp(1, view.depth);
        view.psi = self.state.psi;
        view.eps = self.state.eps;
        view.mode = self.state.mode;
        view.eta = self.state.eta;
        view
    }

    /// Returns the canvas named `name` under the root.
    pub(super) fn canvas(&self, name: &str) -> Option<HtmlCanvasElement> {
        panels::canvas(&self.root, name)
    }

    /// Records the plotting area of panel `name` for the hover read-out.
    pub(super) fn set_area(&mut self, name: &str, area: PlotArea) {
        match self.areas.iter_mut().find(|(panel, _)| panel == name) {
            Some(entry) => entry.1 = area,
            None => self.areas.push((name.to_string(), area)),
        }
    }

    /// Replaces the messages shown in `#message`.
    pub(super) fn show(&mut self, messages: &[Message]) {
        show_messages(&self.root, messages, &mut self.shown_messages);
    }
}
