//! The panel elements: the row of small panels (f, then Φ_1 … Φ_L) and the
//! focus panels of the selected level, created when the dimension, depth
//! or ψ switch changes, and their titles.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlCanvasElement};

use super::dom;
use crate::picture::scale::{subscript, superscript};

/// Settings that decide which panel elements exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Dimension d.
    pub d: usize,
    /// Number of levels L.
    pub depth: u32,
    /// Whether the focus shows ψ_ℓ.
    pub psi: bool,
}

/// Names of the focus panels, also their canvases' `data-panel` values.
pub const FOCUS_F: &str = "focus-f";
/// Φ_ℓ in 2D.
pub const FOCUS_PHI: &str = "focus-phi";
/// f − Φ_ℓ in 2D.
pub const FOCUS_RESIDUAL: &str = "focus-residual";
/// f and Φ_ℓ overlaid in 1D.
pub const FOCUS_MAIN: &str = "focus-main";
/// ψ_ℓ in 1D or 2D.
pub const FOCUS_PSI: &str = "focus-psi";
/// The error chart.
pub const ERROR_CHART: &str = "error-chart";

/// `data-panel` of the small panel of level ℓ (0 for f).
pub fn thumb_name(level: u32) -> String {
    if level == 0 {
        "thumb-f".to_string()
    } else {
        format!("thumb-{level}")
    }
}

/// Φ with a subscript level: Φ₁₂.
pub fn phi(level: u32) -> String {
    format!("Φ{}", subscript(level))
}

/// ψ with a subscript level.
pub fn psi(level: u32) -> String {
    format!("ψ{}", subscript(level))
}

/// Returns a cell count for titles: `27 cells`, `59,049 cells`, and from 10^7 on
/// `N^k` with a superscript (`3¹⁶ cells`).
pub fn cells_text(n: u32, exponent: u32, count: u128) -> String {
    if count < 10_000_000 {
        let digits = count.to_string();
        let mut grouped = String::new();
        for (index, c) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let noun = if count == 1 { "cell" } else { "cells" };
        return format!("{grouped} {noun}");
    }
    let power: String = exponent.to_string().chars().map(superscript).collect();
    format!("{n}{power} cells")
}

/// Creates the small panels and focus panels for `layout` under `root`,
/// replacing any earlier ones.
pub fn build(root: &Element, layout: Layout) {
    if let Some(thumbs) = dom::find::<Element>(root, "thumbs") {
        thumbs.set_text_content(None);
        dom::toggle_class(&thumbs, "two-d", layout.d == 2);
        if let Some(figure) = dom::append(&thumbs, "figure", "thumb thumb-f") {
            append_canvas(&figure, &thumb_name(0), "The target f");
            dom::append_text(&figure, "figcaption", "thumb-title", "f");
        }
        for level in 1..=layout.depth {
            let Some(button) = dom::append(&thumbs, "button", "thumb") else {
                continue;
            };
            let _ = button.set_attribute("type", "button");
            let _ = button.set_attribute("data-level", &level.to_string());
            let _ = button.set_attribute("aria-pressed", "false");
            append_canvas(
                &button,
                &thumb_name(level),
                &format!("Readout {}", phi(level)),
            );
            dom::append_text(&button, "span", "thumb-title", &phi(level));
            if let Some(badge) = dom::append_text(&button, "span", "badge", "reduced") {
                dom::set_hidden(&badge, true);
            }
        }
    }

    if let Some(focus) = dom::find::<Element>(root, "focus") {
        focus.set_text_content(None);
        dom::toggle_class(&focus, "two-d", layout.d == 2);
        dom::toggle_class(&focus, "with-psi", layout.psi);
        let names: Vec<&str> = match (layout.d, layout.psi) {
            (1, false) => vec![FOCUS_MAIN],
            (1, true) => vec![FOCUS_MAIN, FOCUS_PSI],
            (_, false) => vec![FOCUS_F, FOCUS_PHI, FOCUS_RESIDUAL],
            (_, true) => vec![FOCUS_F, FOCUS_PHI, FOCUS_RESIDUAL, FOCUS_PSI],
        };
        for name in names {
            let Some(figure) = dom::append(&focus, "figure", &format!("focus-panel {name}")) else {
                continue;
            };
            dom::append(&figure, "figcaption", "focus-caption");
            append_canvas(&figure, name, "");
        }
    }
}

fn append_canvas(parent: &Element, name: &str, label: &str) {
    if let Some(canvas) = dom::append(parent, "canvas", "panel-canvas") {
        let _ = canvas.set_attribute("data-panel", name);
        if !label.is_empty() {
            let _ = canvas.set_attribute("role", "img");
            let _ = canvas.set_attribute("aria-label", label);
        }
    }
}

/// Returns the canvas with `data-panel` equal to `name` under `root`.
pub fn canvas(root: &Element, name: &str) -> Option<HtmlCanvasElement> {
    let selector = format!("canvas[data-panel=\"{name}\"]");
    root.query_selector(&selector)
        .ok()
        .flatten()?
        .dyn_into::<HtmlCanvasElement>()
        .ok()
}

/// Sets the caption of the focus panel whose canvas is `name`.
pub fn set_caption(root: &Element, name: &str, text: &str) {
    let selector = format!("figure.{name} figcaption");
    if let Ok(Some(caption)) = root.query_selector(&selector) {
        dom::set_text(&caption, text);
    }
}

/// A small panel's badge: a short label and the sentence that explains
/// it (the badge's tooltip).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Badge {
    /// Text of the badge, such as "reduced".
    pub label: &'static str,
    /// The explanation.
    pub note: String,
}

/// Marks the small panel of `selected` as pressed and the others not, and
/// sets each panel's title and badge.
pub fn update_thumbs(root: &Element, selected: u32, titles: &[(String, Option<Badge>)]) {
    let Some(thumbs) = dom::find::<Element>(root, "thumbs") else {
        return;
    };
    let buttons = thumbs.children();
    let mut index = 0;
    for position in 0..buttons.length() {
        let Some(button) = buttons.item(position) else {
            continue;
        };
        if button.tag_name() != "BUTTON" {
            continue;
        }
        index += 1;
        let level = index;
        let pressed = if level == selected { "true" } else { "false" };
        dom::set_attribute(&button, "aria-pressed", pressed);
        let Some((title, badge)) = titles.get(level as usize - 1) else {
            continue;
        };
        if let Ok(Some(span)) = button.query_selector(".thumb-title") {
            dom::set_text(&span, title);
        }
        if let Ok(Some(span)) = button.query_selector(".badge") {
            match badge {
                Some(badge) => {
                    dom::set_text(&span, badge.label);
                    dom::set_attribute(&span, "title", &badge.note);
                    dom::set_hidden(&span, false);
                }
                None => dom::set_hidden(&span, true),
            }
        }
    }
}
