//! Panic capture: the first panic message goes to the browser console
//! (through `console_error_panic_hook`) and into the page's `#message`
//! alert with a button that reloads the same URL.
//!
//! A panic on wasm32 aborts, and an exported object whose method panicked
//! stays borrowed forever, so every later call on it fails with "recursive
//! use of an object detected", which hides the cause. The page script
//! therefore stops calling into the module once `data-panic` is set on the
//! root element, and the message shown is always the first one.

use std::cell::RefCell;

use wasm_bindgen::prelude::wasm_bindgen;

use super::dom;

thread_local! {
    static FIRST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs the hook. Safe to call more than once.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        record_panic(&info.to_string());
    }));
}

/// Returns the first panic message recorded, if any.
#[wasm_bindgen]
pub fn panic_message() -> Option<String> {
    FIRST_PANIC.with(|first| first.borrow().clone())
}

/// Records `message` as a panic: keeps it if it is the first, shows the
/// first message in `#message` with a "Reload" button
/// (`data-action="reload"`, which the page script handles), and sets
/// `data-panic="true"` on the root element.
pub fn record_panic(message: &str) {
    let first = FIRST_PANIC.with(|first| {
        let mut first = first.borrow_mut();
        first.get_or_insert_with(|| message.to_string()).clone()
    });
    show(&first);
}

fn show(message: &str) {
    let Some(document) = dom::document() else {
        return;
    };
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("data-panic", "true");
    }
    let Some(alert) = document.get_element_by_id("message") else {
        return;
    };

    alert.set_text_content(None);
    let _ = alert.set_attribute("class", "message panic");
    let Some(paragraph) = dom::append(&alert, "p", "message-item error") else {
        return;
    };
    paragraph.set_text_content(Some(&format!(
        "The page stopped because of an internal error: {message}. \
         Reload to start again from the same link; the state is kept in the URL."
    )));
    if let Some(button) = dom::append(&alert, "button", "reload") {
        let _ = button.set_attribute("type", "button");
        let _ = button.set_attribute("data-action", "reload");
        button.set_text_content(Some("Reload"));
    }
}
