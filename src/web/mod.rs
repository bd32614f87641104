//! Browser glue: the `Page` object that the page script drives, and the
//! functions it imports from the WebAssembly module built by
//! `scripts/build.sh`.
//!
//! The glue only translates. The state comes from `codec`, the numbers
//! from `analysis` and the drawing data from `picture`, and this module
//! moves them into the document and onto canvases.

mod about;
mod backend;
mod controls;
mod dom;
mod draw;
mod edit;
mod messages;
mod network;
mod page;
mod panels;
mod panic;
mod render;
mod report;
mod style;
mod table;

use wasm_bindgen::prelude::wasm_bindgen;

pub use edit::{edit_state, percent_encode, Edit};
pub use page::Page;
pub use panic::{panic_message, record_panic};

/// Installs the panic hook, so that a panic in Rust is written to the
/// browser console with its message and shown in the page.
///
/// wasm-bindgen calls this once, when the page's `init()` finishes loading
/// the module.
#[wasm_bindgen(start)]
pub fn start() {
    panic::install();
}

/// Returns the crate version, such as `0.1.0`.
#[wasm_bindgen(js_name = engineVersion)]
pub fn engine_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
