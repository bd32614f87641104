//! Small helpers over web-sys for finding, creating and filling elements.
//! User-supplied text only ever goes in through `textContent`.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, Window};

/// Returns the browser window, if there is one.
pub fn window() -> Option<Window> {
    web_sys::window()
}

/// Returns the document of the window, if there is one.
pub fn document() -> Option<Document> {
    window()?.document()
}

/// Milliseconds from `performance.now()`, or 0 without a `Performance`.
pub fn now() -> f64 {
    window()
        .and_then(|window| window.performance())
        .map_or(0.0, |performance| performance.now())
}

/// Returns the device pixel ratio, at least 1 and at most 4 (so that a bogus
/// value cannot allocate huge canvases).
pub fn device_pixel_ratio() -> f64 {
    let ratio = window().map_or(1.0, |window| window.device_pixel_ratio());
    if ratio.is_finite() {
        ratio.clamp(1.0, 4.0)
    } else {
        1.0
    }
}

/// Returns the element under `root` with id `id`, cast to `T`.
pub fn find<T: JsCast>(root: &Element, id: &str) -> Option<T> {
    root.query_selector(&format!("#{id}"))
        .ok()
        .flatten()?
        .dyn_into::<T>()
        .ok()
}

/// Creates a `tag` element with `class` (none when empty).
pub fn create(tag: &str, class: &str) -> Option<Element> {
    let element = document()?.create_element(tag).ok()?;
    if !class.is_empty() {
        element.set_class_name(class);
    }
    Some(element)
}

/// Creates a `tag` element with `class` and appends it to `parent`.
pub fn append(parent: &Element, tag: &str, class: &str) -> Option<Element> {
    let element = create(tag, class)?;
    parent.append_child(&element).ok()?;
    Some(element)
}

/// Creates a `tag` element holding `text` and appends it to `parent`.
pub fn append_text(parent: &Element, tag: &str, class: &str, text: &str) -> Option<Element> {
    let element = append(parent, tag, class)?;
    element.set_text_content(Some(text));
    Some(element)
}

/// Sets `textContent` unless it already equals `text` (which avoids
/// needless mutations and screen-reader announcements).
pub fn set_text(element: &Element, text: &str) {
    if element.text_content().as_deref() != Some(text) {
        element.set_text_content(Some(text));
    }
}

/// Sets or removes the `hidden` attribute.
pub fn set_hidden(element: &Element, hidden: bool) {
    if let Some(element) = element.dyn_ref::<HtmlElement>() {
        if element.hidden() != hidden {
            element.set_hidden(hidden);
        }
    }
}

/// Sets attribute `name` unless it already has `value`.
pub fn set_attribute(element: &Element, name: &str, value: &str) {
    if element.get_attribute(name).as_deref() != Some(value) {
        let _ = element.set_attribute(name, value);
    }
}

/// Adds or removes class `name`.
pub fn toggle_class(element: &Element, name: &str, on: bool) {
    let _ = element.class_list().toggle_with_force(name, on);
}
