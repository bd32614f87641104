//! The browser glue in `layerwise::web`, run in headless Chromium by
//! wasm-bindgen-test (`cargo test --target wasm32-unknown-unknown --test
//! web`, driven by `scripts/test.sh`).

#![cfg(target_arch = "wasm32")]

use layerwise::codec::decode_fragment;
use layerwise::report::CSV_HEADER;
use layerwise::target::build_target;
use layerwise::web::{engine_version, table_csv};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const KINK_FRAGMENT: &str = "#v=1&d=1&n=2&depth=3&target=kink&p=2&level=1";

/// A custom target whose expression has an unclosed parenthesis.
const INVALID_EXPRESSION_FRAGMENT: &str = "#v=1&d=1&target=custom&expr=(x%20%2B%201";

#[wasm_bindgen_test]
fn engine_version_is_crate_version() {
    let version = engine_version();
    assert!(!version.is_empty());
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn table_csv_kink_has_header_and_rows() {
    let csv = table_csv(KINK_FRAGMENT);
    let lines: Vec<&str> = csv.lines().collect();

    assert_eq!(lines.len(), 4, "expected a header and 3 rows in {csv:?}");
    assert_eq!(lines[0], CSV_HEADER);
    for (index, line) in lines[1..].iter().enumerate() {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields.len(), 6, "row {line:?}");

        let level = index as u32 + 1;
        assert_eq!(fields[0], level.to_string(), "level in row {line:?}");
        assert_eq!(
            fields[1],
            2u32.pow(level).to_string(),
            "cells in row {line:?}"
        );

        let error: f64 = fields[2].parse().expect("error is a number");
        assert!(error.is_finite(), "error in row {line:?}");
        assert!(error > 0.0, "error in row {line:?}");
    }
}

#[wasm_bindgen_test]
fn table_csv_accepts_fragment_without_hash() {
    let without_hash = KINK_FRAGMENT.strip_prefix('#').unwrap();
    assert_eq!(table_csv(without_hash), table_csv(KINK_FRAGMENT));
}

#[wasm_bindgen_test]
fn table_csv_invalid_expression_returns_message() {
    let message = table_csv(INVALID_EXPRESSION_FRAGMENT);
    assert!(
        message.starts_with("invalid expression:"),
        "message {message:?}"
    );
    assert!(!message.contains(CSV_HEADER), "message {message:?}");

    let state = decode_fragment(INVALID_EXPRESSION_FRAGMENT).state;
    let error = build_target(&state).err().expect("expression is invalid");
    assert_eq!(message, error.to_string());
}
