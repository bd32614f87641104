//! The texts of network mode's panels: titles and badges of the small
//! panels, the focus heading and captions, and the hover read-out, which
//! runs the forward pass at the pointer.

use crate::network::Trace;
use crate::picture::strips::StripSpec;
use crate::picture::PICTURE_BUDGET;
use crate::state::State;

use super::super::page::Computed;
use super::super::panels::{cells_text, phi, psi, Badge};
use super::super::render::short;
use super::super::report::grouped;
use super::NetworkView;
use crate::picture::scale::subscript;

/// Φ with a subscript level and a superscript "net": Φ₃ⁿᵉᵗ.
pub fn phi_net(level: u32) -> String {
    format!("{}ⁿᵉᵗ", phi(level))
}

/// ψ of the network: ψ₃ⁿᵉᵗ = Φ₃ⁿᵉᵗ − Φ₂ⁿᵉᵗ.
fn psi_net(level: u32) -> String {
    format!("{}ⁿᵉᵗ", psi(level))
}

/// Content of a level's panel in network mode.
pub enum PanelContent {
    /// The network's readout.
    Drawn,
    /// Not drawn yet: the decoder table of this level is being built.
    Pending,
    /// Beyond the depth that network mode offers.
    Unavailable,
    /// Not drawn because the picture budget allows no sample point.
    Skipped,
}

/// Returns what the panel of `level` (1-based) shows.
pub fn shown_level(view: &NetworkView, level: u32) -> PanelContent {
    if level > view.available() {
        return PanelContent::Unavailable;
    }
    if view.drawing.plan.per_axis == 0 {
        return PanelContent::Skipped;
    }
    match view.drawing.picture.level(level) {
        Some(_) => PanelContent::Drawn,
        None => PanelContent::Pending,
    }
}

/// Returns the strips to shade at `level`, or `None` past the available
/// depth.
pub fn strips(view: &NetworkView, level: u32) -> Option<StripSpec> {
    let spec = view.analysis.spec();
    (level <= spec.depth()).then(|| StripSpec {
        n: spec.base(),
        eta: spec.eta(),
        level,
    })
}

/// The texts of the panels of one view.
pub struct Titles {
    /// Title and badge of each small panel Φ_1 … Φ_L.
    pub thumbs: Vec<(String, Option<Badge>)>,
    /// Heading of the focus card.
    pub heading: String,
    /// Caption of the 2D readout panel.
    pub phi_caption: String,
    /// Caption of the 2D residual panel.
    pub residual_caption: String,
    /// Caption and legend label of the correction.
    pub psi_caption: String,
    /// Legend label of the readout.
    pub phi_label: String,
}

/// Composes the titles of network mode for `view_state`, whose level is
/// the selected one.
pub fn thumb_titles(computed: &Computed, view: &NetworkView, view_state: &State) -> Titles {
    let rows = computed.analysis.rows();
    let (n, d) = (view_state.n, view_state.d as u32);
    let cells = |level: u32| -> String {
        let count = rows.get(level as usize - 1).map_or(0, |row| row.cells);
        cells_text(n, d * level, count)
    };
    let availability = view.analysis.spec().availability().explanation();
    let thumbs = (1..=view_state.depth)
        .map(|level| {
            let title = format!("{} · {}", phi_net(level), cells(level));
            let badge = match shown_level(view, level) {
                PanelContent::Drawn if view.drawing.plan.reduced => Some(Badge {
                    label: "reduced",
                    note: reduced_note(view, view_state.d),
                }),
                PanelContent::Drawn => None,
                PanelContent::Pending => Some(Badge {
                    label: "pending",
                    note: format!(
                        "{} is drawn once the decoder table of level {level} is built.",
                        phi_net(level)
                    ),
                }),
                PanelContent::Unavailable => Some(Badge {
                    label: "unavailable",
                    note: sentence_case(&availability),
                }),
                PanelContent::Skipped => Some(Badge {
                    label: "reduced",
                    note: reduced_note(view, view_state.d),
                }),
            };
            (title, badge)
        })
        .collect();

    let level = view_state.level;
    let heading = match shown_level(view, level) {
        PanelContent::Unavailable => format!(
            "Level ℓ = {level} of {}: not available in network mode ({availability})",
            view_state.depth
        ),
        _ => format!(
            "Level ℓ = {level} of {}: {}, the network's readout after hidden layer {}, on {}",
            view_state.depth,
            phi_net(level),
            level + 2,
            cells(level)
        ),
    };
    let status = match shown_level(view, level) {
        PanelContent::Pending => " (pending: decoder table being built)",
        PanelContent::Unavailable => " (unavailable)",
        _ => "",
    };
    Titles {
        thumbs,
        heading,
        phi_caption: format!("{}, network, strips shaded{status}", phi_net(level)),
        residual_caption: format!("residual f − {}", phi_net(level)),
        psi_caption: format!(
            "correction {} = {} − Φ{}ⁿᵉᵗ",
            psi_net(level),
            phi_net(level),
            subscript(level - 1)
        ),
        phi_label: format!("{} (network){status}", phi_net(level)),
    }
}

fn sentence_case(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// Explains the network's reduced resolution, for a badge.
fn reduced_note(view: &NetworkView, d: usize) -> String {
    let per_axis = view.drawing.plan.per_axis;
    if per_axis == 0 {
        return format!(
            "Not drawn: even the fewest forward passes exceed the picture budget of {} cost \
             units.",
            grouped(PICTURE_BUDGET)
        );
    }
    let grid = if d == 1 {
        format!("{per_axis}")
    } else {
        format!("{per_axis}×{per_axis}")
    };
    format!(
        "The network is evaluated at {grid} sample points to stay within the picture budget \
         of {} cost units.",
        grouped(PICTURE_BUDGET)
    )
}

/// Composes the hover read-out of network mode at `point` for `level` (0
/// for f): f, the network's readout from a forward pass at the point, the
/// ideal E_ℓ f, the residual, and whether the point lies in a strip.
pub fn hover_text(
    computed: &Computed,
    view: &NetworkView,
    d: usize,
    level: u32,
    point: [f64; 2],
    with_psi: bool,
) -> String {
    let analysis = &computed.analysis;
    let sampler = analysis.sampler();
    let mut f = [0.0];
    sampler.eval_grid_raw(&[point[0]], &[point[1]], &mut f);
    let f = f[0];

    let mut parts = vec![if d == 1 {
        format!("x = {}", short(point[0]))
    } else {
        format!("x = {}, y = {}", short(point[0]), short(point[1]))
    }];
    parts.push(format!("f = {}", short(f)));
    if level == 0 {
        return parts.join("   ");
    }
    let ideal = analysis.readouts().value(sampler, level, point);
    let model = view
        .model()
        .filter(|model| model.network().depth() >= level);
    let Some(model) = model else {
        parts.push(format!("{} = {}", phi(level), short(ideal)));
        let reason = match shown_level(view, level) {
            PanelContent::Unavailable => "unavailable",
            _ => "pending",
        };
        parts.push(format!("{}: {reason}", phi_net(level)));
        return parts.join("   ");
    };

    let mut trace = Trace::default();
    model.forward_into(point, &mut trace);
    let network = trace.readout(level);
    parts.push(format!("{} = {}", phi_net(level), short(network)));
    parts.push(format!("E{} f = {}", subscript(level), short(ideal)));
    parts.push(format!("f − {} = {}", phi_net(level), short(f - network)));
    if with_psi {
        let previous = trace.readout(level - 1);
        parts.push(format!(
            "{} = {}",
            psi_net(level),
            short(network - previous)
        ));
    }
    if trace
        .first_fractional_level()
        .is_some_and(|first| first <= level)
    {
        parts.push("in a strip: a digit is fractional".to_string());
    }
    parts.join("   ")
}
