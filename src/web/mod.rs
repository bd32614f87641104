//! Browser glue: the functions that the page imports from the WebAssembly
//! module built by `scripts/build.sh`.
//!
//! This is a placeholder that lets the build, the wasm-bindgen tests and the
//! Playwright tests run end to end. The real page replaces most of it.

use wasm_bindgen::prelude::wasm_bindgen;

use crate::analysis::Analysis;
use crate::codec::decode_fragment;
use crate::report::to_csv;

/// Installs the panic hook, so that a panic in Rust is written to the
/// browser console with its message instead of a bare `unreachable`.
///
/// wasm-bindgen calls this once, when the page's `init()` finishes loading
/// the module.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Returns the crate version, such as `0.1.0`.
#[wasm_bindgen]
pub fn engine_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Computes the final per-level table for a URL fragment and returns it as
/// CSV, formatted by `report::to_csv`.
///
/// The fragment is decoded leniently, with or without its leading `#`, so
/// any text yields a valid state. If the state's custom expression does not
/// parse, the function returns the error message (starting with
/// `invalid expression:`) in place of the table.
///
/// NOTE: this runs the whole computation synchronously on the calling
/// thread, so a deep or two-dimensional state blocks the page until it is
/// done.
#[wasm_bindgen]
pub fn table_csv(fragment: &str) -> String {
    let decoded = decode_fragment(fragment);
    match Analysis::new(&decoded.state) {
        Ok(mut analysis) => {
            analysis.finish();
            to_csv(&analysis.rows())
        }
        Err(error) => error.to_string(),
    }
}
