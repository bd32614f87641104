//! The controls: showing the state in the `<input>` and `<select>`
//! elements whose ids are the state keys, their `<output>` read-outs and
//! the notes beside them.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};

use super::dom;
use crate::state::{max_depth, Family, Mode, State};

/// Returns whether the smoothness α changes the family's target (the custom
/// target only uses it for the reference rate line).
pub fn family_uses_alpha(family: Family) -> bool {
    matches!(family, Family::Weierstrass | Family::Cusp | Family::Custom)
}

/// Returns a number as the controls show it: shortest round-trip decimal, or
/// e-notation below 10⁻³.
pub fn display_number(value: f64) -> String {
    if value != 0.0 && value.abs() < 1e-3 {
        let text = format!("{value:e}");
        return text;
    }
    format!("{value}")
}

/// Writes `state` into every control under `root`. A text field that has
/// the focus keeps what the user is typing, except the ε field right after
/// its text was applied (`edited` contains the key and text set since the last
/// draw). When the engine clamped or replaced that value, the field shows
/// the ε in use, unless the user has typed on since: then the field text
/// differs from the applied text and is left alone.
pub fn sync_controls(root: &Element, state: &State, edited: &[(String, String)]) {
    let focused = dom::document()
        .and_then(|document| document.active_element())
        .map(|element| element.id());
    let is_focused = |id: &str| focused.as_deref() == Some(id);

    set_select(root, "d", &state.d.to_string());
    set_range(root, "n", &state.n.to_string(), None, &state.n.to_string());
    let depth_max = max_depth(state.d, state.n, state.mode).to_string();
    set_range(
        root,
        "depth",
        &state.depth.to_string(),
        Some(&depth_max),
        &state.depth.to_string(),
    );
    set_range(
        root,
        "level",
        &state.level.to_string(),
        Some(&state.depth.to_string()),
        &state.level.to_string(),
    );
    set_select(root, "target", state.target.id());
    if !is_focused("expr") {
        set_input(root, "expr", &state.expr);
    }
    // The expression is kept while a built-in family is shown (typing in
    // the field selects it again); the field then looks inactive.
    if let Some(input) = dom::find::<Element>(root, "expr") {
        let inactive = state.target != Family::Custom;
        dom::set_attribute(
            &input,
            "data-inactive",
            if inactive { "true" } else { "false" },
        );
    }

    let alpha = display_number(state.alpha);
    set_range(root, "alpha", &alpha, None, &alpha);
    let uses_alpha = family_uses_alpha(state.target);
    set_disabled(root, "alpha", !uses_alpha);
    if let Some(note) = dom::find::<Element>(root, "alpha-note") {
        let text = match state.target {
            Family::Custom => {
                "For a typed expression, α only sets the slope of the reference rate line."
            }
            family if !family_uses_alpha(family) => {
                "This family has a fixed smoothness, so α does not apply."
            }
            _ => "",
        };
        dom::set_text(&note, text);
    }

    let p = display_number(state.p);
    set_range(root, "p", &p, None, &p);
    let applied_text = edited
        .iter()
        .rev()
        .find(|(key, _)| key == "eps")
        .map(|(_, text)| text);
    let field_text = dom::find::<HtmlInputElement>(root, "eps").map(|input| input.value());
    let eps_replaced = applied_text.is_some()
        && applied_text == field_text.as_ref()
        && !reads_as(root, "eps", state.eps);
    if !is_focused("eps") || eps_replaced {
        set_input(root, "eps", &display_number(state.eps));
    }
    if let Some(psi) = dom::find::<HtmlInputElement>(root, "psi") {
        if psi.checked() != state.psi {
            psi.set_checked(state.psi);
        }
    }
    set_select(root, "mode", state.mode.id());
    // The slider's value is log10 η, in the slider's steps of 0.01.
    let eta = display_number(state.eta);
    let position = (state.eta.log10() * 100.0).round() / 100.0;
    set_range(root, "eta", &format!("{position}"), None, &eta);
    set_disabled(root, "eta", state.mode == Mode::Ideal);
}

fn set_select(root: &Element, id: &str, value: &str) {
    if let Some(select) = dom::find::<HtmlSelectElement>(root, id) {
        if select.value() != value {
            select.set_value(value);
        }
    }
}

/// Returns whether the text of input `id` parses as exactly `value`.
fn reads_as(root: &Element, id: &str, value: f64) -> bool {
    let parsed =
        dom::find::<HtmlInputElement>(root, id).and_then(|input| input.value().parse::<f64>().ok());
    parsed == Some(value)
}

fn set_input(root: &Element, id: &str, value: &str) {
    if let Some(input) = dom::find::<HtmlInputElement>(root, id) {
        if input.value() != value {
            input.set_value(value);
        }
    }
}

/// Sets a range input (its `max` first, so that the value fits) and the
/// `<output>` with id `{id}-output`.
fn set_range(root: &Element, id: &str, value: &str, max: Option<&str>, shown: &str) {
    if let Some(input) = dom::find::<HtmlInputElement>(root, id) {
        if let Some(max) = max {
            if input.max() != max {
                input.set_max(max);
            }
        }
        if input.value() != value {
            input.set_value(value);
        }
        dom::set_attribute(&input, "aria-valuetext", shown);
    }
    if let Some(output) = dom::find::<Element>(root, &format!("{id}-output")) {
        dom::set_text(&output, shown);
    }
}

fn set_disabled(root: &Element, id: &str, disabled: bool) {
    let Some(element) = dom::find::<Element>(root, id) else {
        return;
    };
    if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
        if input.disabled() != disabled {
            input.set_disabled(disabled);
        }
    }
}
