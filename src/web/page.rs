//! The page object that the script drives: it stores the state, the cached
//! analysis and picture, and draws every panel.

use wasm_bindgen::prelude::wasm_bindgen;
use web_sys::{Element, HtmlCanvasElement};

use super::draw::PlotArea;
use super::edit::edit_state;
use super::messages::{show_messages, Message};
use super::network::{self, LiteralRun, NetworkView};
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
    /// ψ, ε) and the network's (mode, η) at their defaults.
    pub key: State,
    /// The analysis: draft numbers, refined in the background.
    pub analysis: Analysis,
    /// The drawing data.
    pub picture: Picture,
    /// The mode whose plan `picture` follows: network mode shares the
    /// picture budget with the network's forward passes.
    pub picture_mode: Mode,
    /// Network mode's analysis and pictures for the last η shown, kept
    /// while the rest of the state stays the same.
    pub network: Option<NetworkView>,
    /// The error message of building network mode, if it failed.
    pub network_error: Option<String>,
}

impl Computed {
    /// Returns whether every number that `mode` shows is final.
    pub fn is_final(&self, mode: Mode) -> bool {
        let network_final = match (mode, &self.network) {
            (Mode::Network, Some(view)) => view.analysis.is_final(),
            _ => true,
        };
        self.analysis.is_final() && network_final
    }
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
    pub(super) literal: Option<LiteralRun>,
    /// Keys and values set by `set_value` since the last draw.
    pub(super) edited: Vec<(String, String)>,
}

#[wasm_bindgen]
impl Page {
    /// Tries a typed expression that was rejected (one with `y` while
    /// d = 1, say) again after another control changed, so that switching
    /// d to 2 applies it. If it is still invalid, its new error is shown.
    fn retry_expression(&mut self, rejected: ExpressionError) {
        let retry = edit_state(&self.state, "expr", &rejected.text);
        match build_target(&retry.state) {
            Ok(_) => {
                self.state = retry.state;
                self.notices.extend(retry.notices);
            }
            Err(TargetError::Expression(parse)) => {
                self.expression_error = Some(ExpressionError {
                    text: rejected.text,
                    message: parse.to_string(),
                    position: parse.position,
                });
            }
        }
    }

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
            literal: None,
            edited: Vec::new(),
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
    /// `#message` and the drawing keeps the last valid state. When the
    /// expression is invalid already (a link carried it), other keys are
    /// applied, so that nothing the user sets is lost while the error
    /// stays on show.
    #[wasm_bindgen(js_name = setValue)]
    pub fn set_value(&mut self, key: &str, value: &str) {
        self.edited.push((key.to_string(), value.to_string()));
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
                let already_invalid =
                    self.state.target == Family::Custom && build_target(&self.state).is_err();
                if key != "expr" && already_invalid {
                    self.state = edit.state;
                } else if key != "expr" {
                    self.notices.push(unchanged_notice(&self.state, key, value));
                }
                return;
            }
        }
        let rejected = self.expression_error.take();
        self.notices = edit.notices;
        self.state = edit.state;
        if key != "expr" && self.state.target == Family::Custom {
            if let Some(rejected) = rejected.filter(|r| r.text != self.state.expr) {
                self.retry_expression(rejected);
            }
        }
    }

    /// Computes what the state needs (reusing the cached analysis and
    /// picture when only the level, ψ or ε changed) and draws every panel,
    /// the table and the messages: `compute`, then `draw`.
    pub fn render(&mut self) {
        self.compute();
        self.draw();
    }

    /// Computes the analysis and picture that the state needs, unless the
    /// cached ones fit it (when only the level, ψ or ε changed).
    pub fn compute(&mut self) {
        self.ensure_computed();
    }

    /// Draws every panel, the table and the messages from what `compute`
    /// left. Sets `data-ready` and `data-render-count` on the document
    /// element when done.
    pub fn draw(&mut self) {
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

    /// Runs the work of one render again without changing what is on show.
    /// The page calls it a few times in idle time after loading.
    ///
    /// Chromium (V8) first compiles WebAssembly with a fast baseline
    /// compiler and optimises a function only after it has run often. In
    /// the page's benchmark the first slider moves after a load took up to
    /// twice as long as later ones. Computing the draft analysis and picture
    /// of the current state (then dropping them) and redrawing the same
    /// panels makes this code hot before the first move. The state, the
    /// link, the cached analysis and the render count stay as they were.
    /// In network mode only the ideal part is warmed.
    #[wasm_bindgen(js_name = warmUp)]
    pub fn warm_up(&mut self) {
        if let Ok(analysis) = Analysis::new(&self.state) {
            drop(Picture::build(&analysis));
        }
        if self.computed.is_some() {
            render::render_all(self);
        }
    }

    /// Refines the numbers for about `slice_ms` milliseconds (at least one
    /// bounded step), and redraws the error panel and table when they are
    /// due. Returns true when every number is final.
    pub fn refine(&mut self, slice_ms: f64) -> bool {
        let mode = self.state.mode;
        let Some(computed) = self.computed.as_mut() else {
            return true;
        };
        if computed.is_final(mode) {
            if self.numbers_pending {
                report::draw_numbers(self);
            }
            return true;
        }

        let start = dom::now();
        let mut turn = 0u32;
        loop {
            let ideal_done = computed.analysis.is_final();
            let network = match mode {
                Mode::Network => computed.network.as_mut().filter(|v| !v.analysis.is_final()),
                Mode::Ideal => None,
            };
            // Alternate, so that the network's decoder tables, which the
            // pictures wait for, and the ideal numbers both progress.
            match network {
                Some(view) if ideal_done || turn % 2 == 0 => {
                    view.analysis.refine(1);
                }
                _ if !ideal_done => {
                    computed.analysis.refine(1);
                }
                _ => break,
            }
            turn += 1;
            if dom::now() - start >= slice_ms {
                break;
            }
        }
        let redrawn = mode == Mode::Network && network::upgrade_drawing(computed);
        self.numbers_pending = true;
        let done = computed.is_final(mode);
        if redrawn {
            render::render_all(self);
            return done;
        }
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
    /// In network mode the error column is the network's.
    #[wasm_bindgen(js_name = tableCsv)]
    pub fn table_csv(&self) -> String {
        let Some(computed) = &self.computed else {
            return String::new();
        };
        let rows = computed.analysis.rows();
        match network::shown(computed, &self.state) {
            Some(view) => network::network_csv(&rows, &view.analysis.rows()),
            None => to_csv(&rows),
        }
    }

    /// Returns whether every number of the current tables is final.
    #[wasm_bindgen(js_name = isFinal)]
    pub fn is_final(&self) -> bool {
        self.computed
            .as_ref()
            .is_none_or(|computed| computed.is_final(self.state.mode))
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
    /// Returns the state with the view-only keys and the network's keys
    /// reset, which identifies the ideal analysis. Mode and η select the
    /// picture plan and the network view (see `network::ensure_mode`).
    fn analysis_key(state: &State) -> State {
        let defaults = State::default();
        State {
            level: 1,
            psi: false,
            eps: defaults.eps,
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

    /// Recomputes the analysis and pictures when the state needs new ones.
    /// When the state's target cannot be built, the previous results stay.
    fn ensure_computed(&mut self) {
        let key = Page::analysis_key(&self.state);
        if self.computed.as_ref().is_some_and(|c| c.key == key) {
            self.analysis_error = None;
            self.ensure_mode();
            return;
        }
        match Analysis::new(&self.state) {
            Ok(analysis) => {
                let started = match self.state.mode {
                    Mode::Ideal => Err(None),
                    Mode::Network => {
                        network::start(&analysis, &key, &self.state, None).map_err(Some)
                    }
                };
                let (picture, picture_mode, network, network_error) = match started {
                    Ok(view) => {
                        let picture = view.drawing.ideal_picture(&analysis);
                        (picture, Mode::Network, Some(view), None)
                    }
                    Err(error) => (Picture::build(&analysis), Mode::Ideal, None, error),
                };
                self.computed = Some(Computed {
                    key,
                    analysis,
                    picture,
                    picture_mode,
                    network,
                    network_error,
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

    /// Makes the pictures and network view match the state's mode and η.
    fn ensure_mode(&mut self) {
        let Some(computed) = self.computed.as_mut() else {
            return;
        };
        let changed = computed.picture_mode != self.state.mode
            || (self.state.mode == Mode::Network
                && computed
                    .network
                    .as_ref()
                    .is_none_or(|v| v.eta != self.state.eta));
        computed.network_error = network::ensure_mode(computed, &self.state).err();
        if changed {
            self.numbers_drawn_at = f64::NEG_INFINITY;
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

/// Says that the change of `key` to `value` was not applied because the
/// expression would not be valid with it, and which value `key` keeps.
fn unchanged_notice(state: &State, key: &str, value: &str) -> String {
    let fragment = encode_fragment(state);
    let current = fragment
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| *name == key)
        .map_or("unchanged", |(_, current)| current);
    let value: String = value.chars().take(40).collect();
    format!(
        "{key} stays {current}: with {key} = {value} the expression would not be valid (see the \
         expression's message). Change the expression first."
    )
}
