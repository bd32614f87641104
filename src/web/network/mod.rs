//! Network mode in the page: the network analysis and pictures of the
//! current state, their background refinement, and what the panels,
//! tables, messages and the "Network" box show about them.

mod draw;
mod literal;
mod report;

use crate::analysis::Analysis;
use crate::network::{NetworkAnalysis, NetworkModel};
use crate::picture::network::{network_readouts, NetworkDrawing};
use crate::picture::Picture;
use crate::state::{Mode, State};

use super::messages::Message;
use super::page::Computed;
use super::report::grouped;

pub(super) use draw::{hover_text, strips, thumb_titles};
pub(super) use literal::LiteralRun;
pub(super) use report::{network_csv, set_network_visible, update_network_numbers};

/// The network analysis and pictures of one ramp width.
pub(super) struct NetworkView {
    /// Ramp width η of the state (before the engine rounds its slope).
    pub eta: f64,
    /// The analysis: decoder tables, then errors and strip fractions.
    pub analysis: NetworkAnalysis,
    /// The network's readouts at the sample points.
    pub drawing: NetworkDrawing,
}

impl NetworkView {
    /// Returns the model the pictures were drawn from, if any.
    pub fn model(&self) -> Option<&NetworkModel> {
        self.drawing.model(&self.analysis)
    }

    /// Deepest level that network mode offers for this state.
    pub fn available(&self) -> u32 {
        self.analysis.spec().depth()
    }
}

/// Returns the network view that the page shows: the one of `computed` when
/// `state` is in network mode.
pub(super) fn shown<'a>(computed: &'a Computed, state: &State) -> Option<&'a NetworkView> {
    if state.mode == Mode::Network {
        computed.network.as_ref()
    } else {
        None
    }
}

/// Makes the pictures and network view of `computed` match the mode and η
/// of `state`, rebuilding only what changed.
///
/// A new η reuses the previous view's cell means and, when complete, its
/// decoder tables, which do not depend on η. Returns the error message
/// when the network cannot be built; the pictures then stay as they were.
pub(super) fn ensure_mode(computed: &mut Computed, state: &State) -> Result<(), String> {
    if state.mode == Mode::Ideal {
        if computed.picture_mode != Mode::Ideal {
            computed.picture = Picture::build(&computed.analysis);
            computed.picture_mode = Mode::Ideal;
        }
        return Ok(());
    }

    if let Some(view) = computed
        .network
        .as_ref()
        .filter(|view| view.eta == state.eta)
    {
        if computed.picture_mode != Mode::Network {
            let plan = view.drawing.ideal_plan.clone();
            computed.picture = Picture::build_with_plan(&computed.analysis, plan);
            computed.picture_mode = Mode::Network;
        }
        return Ok(());
    }

    // The ideal picture does not depend on η, so it stays unless its plan
    // changes.
    let previous = computed.network.take();
    let previous_plan = previous
        .as_ref()
        .filter(|_| computed.picture_mode == Mode::Network)
        .map(|view| view.drawing.ideal_plan.clone());
    let view = start(&computed.analysis, &computed.key, state, previous)?;
    if previous_plan.as_ref() != Some(&view.drawing.ideal_plan) {
        computed.picture = view.drawing.ideal_picture(&computed.analysis);
    }
    computed.picture_mode = Mode::Network;
    computed.network = Some(view);
    Ok(())
}

/// Builds the network view of `state` (its η) for the ideal `analysis`
/// of `key`; `NetworkDrawing::ideal_picture` builds the ideal picture
/// beside it. A `previous` view of the same key lends its cell means and,
/// when complete, its decoder tables.
pub(super) fn start(
    analysis: &Analysis,
    key: &State,
    state: &State,
    previous: Option<NetworkView>,
) -> Result<NetworkView, String> {
    let (readouts, spent, decoder) = match previous {
        Some(view) => {
            let readouts = view.analysis.readouts().clone();
            (readouts, 0, view.analysis.into_decoder())
        }
        None => {
            let (readouts, spent) = network_readouts(analysis);
            (readouts, spent, None)
        }
    };
    let network_state = State {
        mode: Mode::Network,
        eta: state.eta,
        ..key.clone()
    };
    let mut network =
        NetworkAnalysis::new(&network_state, readouts).map_err(|error| error.to_string())?;
    let drawing = NetworkDrawing::build(analysis, &mut network, decoder, spent);
    Ok(NetworkView {
        eta: state.eta,
        analysis: network,
        drawing,
    })
}

/// Redraws the network's readouts from the complete decoder tables once
/// the analysis has built them. Returns whether it redrew.
pub(super) fn upgrade_drawing(computed: &mut Computed) -> bool {
    match computed.network.as_mut() {
        Some(view) => view.drawing.upgrade(&view.analysis),
        None => false,
    }
}

/// Writes "Levels a–b" or "Level a".
fn levels_text(first: u32, last: u32) -> String {
    if first == last {
        format!("Level {first}")
    } else {
        format!("Levels {first}–{last}")
    }
}

/// Returns `text` with its first letter in upper case.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Messages about network mode: levels that are unavailable or still
/// waiting for their decoder tables, and the network's sample resolution.
pub(super) fn messages(view: &NetworkView, requested: u32, d: usize) -> Vec<Message> {
    let mut messages = Vec::new();
    let available = view.available();
    if available < requested {
        let availability = view.analysis.spec().availability();
        messages.push(Message::notice(format!(
            "{}. {} {} shown as unavailable.",
            sentence(&availability.explanation()),
            levels_text(available + 1, requested),
            if available + 1 == requested {
                "is"
            } else {
                "are"
            }
        )));
    }
    let drawn = view.drawing.picture.drawn_levels();
    if view.drawing.plan.per_axis > 0 && drawn < available {
        messages.push(Message::notice(format!(
            "{} of the network {} pending: their decoder tables (one entry per cell) are \
             being built in the background, and the panels fill in when they are done.",
            levels_text(drawn + 1, available),
            if drawn + 1 == available { "is" } else { "are" }
        )));
    }
    let plan = &view.drawing.plan;
    if plan.per_axis == 0 {
        messages.push(Message::notice(format!(
            "The network's readouts are not drawn: even the fewest sample points exceed the \
             picture budget of {} cost units.",
            grouped(crate::picture::PICTURE_BUDGET)
        )));
    } else if plan.reduced {
        let grid = if d == 1 {
            format!("{}", plan.per_axis)
        } else {
            format!("{0}×{0}", plan.per_axis)
        };
        messages.push(Message::notice(format!(
            "The network is evaluated at {grid} sample points (marked \u{201c}reduced\u{201d}) \
             to keep the picture within its budget of {} cost units: one forward pass costs \
             about {} units.",
            grouped(crate::picture::PICTURE_BUDGET),
            grouped(view.drawing.cost.point_cost)
        )));
    }
    messages
}
