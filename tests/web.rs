//! The browser glue in `layerwise::web`, run in headless Chromium by
//! wasm-bindgen-test (`cargo test --target wasm32-unknown-unknown --test
//! web`, driven by `scripts/test.sh`).
//!
//! The tests run a debug build of the engine, so they use small states.

#![cfg(target_arch = "wasm32")]

use layerwise::codec::decode_fragment;
use layerwise::state::{Family, MAX_EXPR_CHARS};
use layerwise::web::{edit_state, engine_version, panic_message, record_panic, Page};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

const KINK_FRAGMENT: &str = "#v=1&d=1&n=2&depth=3&target=kink&p=2&level=2";

/// The elements that the page script's HTML gives the `Page`, without
/// styling: controls, the message alert, panel containers and the table.
const SKELETON: &str = r#"
<select id="d"><option value="1">1</option><option value="2">2</option></select>
<input id="n" type="range" min="2" max="16"><output id="n-output"></output>
<input id="depth" type="range" min="1" max="12"><output id="depth-output"></output>
<input id="level" type="range" min="1" max="12"><output id="level-output"></output>
<select id="target">
  <option value="weierstrass">w</option><option value="cusp">c</option>
  <option value="jump">j</option><option value="kink">k</option>
  <option value="sine">s</option><option value="cone">c</option>
  <option value="custom">c</option>
</select>
<input id="expr" type="text">
<input id="alpha" type="range" min="0.05" max="1" step="0.01"><output id="alpha-output"></output>
<p id="alpha-note"></p>
<input id="p" type="range" min="1" max="10" step="0.1"><output id="p-output"></output>
<input id="eps" type="number"><input id="psi" type="checkbox">
<select id="mode"><option value="ideal">i</option><option value="network">n</option></select>
<input id="eta" type="range" min="-4" max="-0.3" step="0.01"><output id="eta-output"></output>
<div id="message" class="message" role="alert"></div>
<p id="formula"></p>
<div id="thumbs"></div>
<h2 id="focus-title"></h2>
<div id="focus"></div>
<p id="readout"></p>
<canvas id="error-chart" data-panel="error-chart"></canvas>
<table id="error-table"><thead><tr><th>level</th></tr></thead><tbody></tbody></table>
<div id="network-table-wrap" hidden>
  <table id="network-table"><thead><tr><th>level</th></tr></thead><tbody></tbody></table>
</div>
<p id="table-status"></p>
<div id="depth-summary"></div>
<p id="evaluations"></p>
<dl id="families"></dl>
<section id="network" hidden>
  <dl id="network-summary"></dl>
  <p id="literal-progress"></p>
  <div id="literal-result"></div>
</section>
"#;

/// Returns a detached element holding `SKELETON`, so that nothing is laid out and
/// every canvas is off-screen.
fn detached_root() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    root.set_inner_html(SKELETON);
    root
}

fn text_of(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .and_then(|element| element.text_content())
        .unwrap_or_default()
}

fn canvas(root: &Element, panel: &str) -> HtmlCanvasElement {
    root.query_selector(&format!("canvas[data-panel=\"{panel}\"]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no canvas for panel {panel}"))
        .dyn_into::<HtmlCanvasElement>()
        .unwrap()
}

/// Returns the RGBA bytes of `canvas`.
fn pixels(canvas: &HtmlCanvasElement) -> Vec<u8> {
    let context = canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into::<CanvasRenderingContext2d>()
        .unwrap();
    let (width, height) = (f64::from(canvas.width()), f64::from(canvas.height()));
    context
        .get_image_data(0.0, 0.0, width, height)
        .unwrap()
        .data()
        .to_vec()
}

/// Counts pixels of `canvas` that are not the white background.
fn inked_pixels(canvas: &HtmlCanvasElement) -> usize {
    pixels(canvas)
        .chunks(4)
        .filter(|pixel| pixel[0] < 250 || pixel[1] < 250 || pixel[2] < 250)
        .count()
}

#[wasm_bindgen_test]
fn engine_version_is_crate_version() {
    assert_eq!(engine_version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn page_decodes_fragment_into_state() {
    let page = Page::new(detached_root(), KINK_FRAGMENT);
    let fragment = page.fragment();
    assert!(
        fragment.starts_with("v=1&d=1&n=2&depth=3&level=2&"),
        "{fragment}"
    );
    assert!(fragment.contains("target=kink"), "{fragment}");
}

#[wasm_bindgen_test]
fn page_shows_decoding_notices() {
    let root = detached_root();
    let mut page = Page::new(root.clone(), "#v=1&n=99&depth=2&target=kink&color=red");
    page.render();

    assert!(page.fragment().contains("n=16"), "{}", page.fragment());
    let message = text_of(&root, "#message");
    assert!(message.contains("n"), "{message}");
    assert!(message.contains("16"), "{message}");
}

#[wasm_bindgen_test]
fn render_draws_offscreen_canvases() {
    let root = detached_root();
    let mut page = Page::new(root.clone(), KINK_FRAGMENT);
    page.render();

    assert_eq!(page.render_count(), 1);
    for panel in ["thumb-f", "thumb-1", "thumb-3", "focus-main", "error-chart"] {
        let canvas = canvas(&root, panel);
        assert!(canvas.width() > 0, "{panel} width");
        assert!(inked_pixels(&canvas) > 100, "{panel} is blank");
    }
    let rows = root.query_selector_all("#error-table tbody tr").unwrap();
    assert_eq!(rows.length(), 3);
    assert!(text_of(&root, "#formula").contains("|x − 1/3|"));
}

#[wasm_bindgen_test]
fn warm_up_changes_nothing_on_show() {
    let root = detached_root();
    let mut page = Page::new(root.clone(), KINK_FRAGMENT);
    page.render();
    while !page.refine(50.0) {}
    let fragment = page.fragment();
    let table = page.table_csv();
    let focus = pixels(&canvas(&root, "focus-main"));

    for _ in 0..3 {
        page.warm_up();
    }

    assert_eq!(page.render_count(), 1);
    assert_eq!(page.fragment(), fragment);
    assert_eq!(page.table_csv(), table);
    assert!(page.is_final());
    assert_eq!(pixels(&canvas(&root, "focus-main")), focus);
}

#[wasm_bindgen_test]
fn render_draws_2d_heatmaps() {
    let root = detached_root();
    let mut page = Page::new(root.clone(), "#v=1&d=2&n=2&depth=2&target=cone&psi=1");
    page.render();

    for panel in [
        "thumb-2",
        "focus-f",
        "focus-phi",
        "focus-residual",
        "focus-psi",
    ] {
        let canvas = canvas(&root, panel);
        assert!(inked_pixels(&canvas) > 1000, "{panel} is blank");
    }
}

#[wasm_bindgen_test]
fn refinement_makes_table_final() {
    let root = detached_root();
    let mut page = Page::new(root.clone(), KINK_FRAGMENT);
    page.render();

    let mut rounds = 0;
    while !page.refine(50.0) {
        rounds += 1;
        assert!(rounds < 10_000, "refinement does not finish");
    }
    let table = root.query_selector("#error-table").unwrap().unwrap();
    assert_eq!(table.get_attribute("data-final").as_deref(), Some("true"));
    assert!(page.is_final());
    assert!(page
        .table_csv()
        .starts_with("level,cells,error,omega,bound,ratio\n"));
}

#[wasm_bindgen_test]
fn invalid_expression_keeps_last_state() {
    let root = detached_root();
    let mut page = Page::new(root.clone(), KINK_FRAGMENT);
    page.render();
    let before = page.fragment();

    page.set_value("expr", "(x + 1");
    page.render();

    assert_eq!(page.fragment(), before);
    let message = text_of(&root, "#message");
    assert!(message.contains("not valid"), "{message}");
    assert!(message.contains("at character 1"), "{message}");
    assert!(text_of(&root, "#message pre").contains('^'));

    page.set_value("expr", "x^2");
    page.render();
    assert!(
        page.fragment().contains("target=custom"),
        "{}",
        page.fragment()
    );
    assert!(!text_of(&root, "#message").contains("not valid"));
}

#[wasm_bindgen_test]
fn invalid_expression_link_draws_nothing() {
    let root = detached_root();
    let mut page = Page::new(root.clone(), "#v=1&target=custom&expr=(x%20%2B%201");
    page.render();

    let message = text_of(&root, "#message");
    assert!(message.contains("not valid"), "{message}");
    assert!(message.contains("Nothing is drawn"), "{message}");
    assert_eq!(page.table_csv(), "");
}

#[wasm_bindgen_test]
fn invalid_link_expression_keeps_other_edits() {
    // The link's expression does not parse; moving another control still
    // changes the state (and the link), and the expression text survives.
    let root = detached_root();
    let mut page = Page::new(root.clone(), "#v=1&target=custom&n=3&expr=(x%20%2B%201");
    page.render();
    page.set_value("n", "5");
    page.render();
    let fragment = page.fragment();
    assert!(fragment.contains("n=5"), "{fragment}");
    assert!(fragment.contains("expr=(x%20%2B%201"), "{fragment}");
    let message = text_of(&root, "#message");
    assert!(message.contains("not valid"), "{message}");
}

#[wasm_bindgen_test]
fn rejected_dimension_keeps_old_value() {
    // d = 1 would make the expression invalid (it uses y), so d stays 2 and
    // the message states it next to the expression's error.
    let root = detached_root();
    let mut page = Page::new(root.clone(), "#v=1&d=2&n=2&depth=3&target=custom&expr=x*y");
    page.render();
    page.set_value("d", "1");
    page.render();
    assert!(page.fragment().contains("d=2"), "{}", page.fragment());
    let message = text_of(&root, "#message");
    assert!(message.contains("d stays 2"), "{message}");
}

#[wasm_bindgen_test]
fn rejected_expression_applies_after_switch_to_2d() {
    // Typed in 1D, `x*y` is rejected; switching d to 2 applies it.
    let root = detached_root();
    let mut page = Page::new(root.clone(), "#v=1&d=1&n=2&depth=3&target=custom&expr=x");
    page.render();
    page.set_value("expr", "x*y");
    page.render();
    assert!(page.fragment().ends_with("expr=x"), "{}", page.fragment());

    page.set_value("d", "2");
    page.render();
    let fragment = page.fragment();
    assert!(fragment.contains("d=2"), "{fragment}");
    assert!(fragment.ends_with("expr=x*y"), "{fragment}");
    assert!(!text_of(&root, "#message").contains("not valid"));
}

#[wasm_bindgen_test]
fn network_above_bound_advice_fits_eta() {
    // With η at the slider's minimum, the advice must not be to lower η.
    let link = "#v=1&d=1&n=2&depth=8&level=1&target=cusp&alpha=1&p=3.7&mode=network";
    for (eta, advice) in [("0.0001", "η is at its smallest"), ("0.01", "Lower η")] {
        let root = detached_root();
        let mut page = Page::new(root.clone(), &format!("{link}&eta={eta}"));
        page.render();
        while !page.refine(50.0) {}
        let note = text_of(&root, "#network-above-bound");
        assert!(note.contains(advice), "η = {eta}: {note}");
    }
}

#[wasm_bindgen_test]
fn expression_field_inactive_for_families() {
    let root = detached_root();
    let mut page = Page::new(root.clone(), KINK_FRAGMENT);
    page.render();
    let field = root.query_selector("#expr").unwrap().unwrap();
    assert_eq!(
        field.get_attribute("data-inactive").as_deref(),
        Some("true")
    );

    page.set_value("expr", "x^2");
    page.render();
    assert_eq!(
        field.get_attribute("data-inactive").as_deref(),
        Some("false")
    );
}

#[wasm_bindgen_test]
fn non_finite_target_is_reported() {
    let root = detached_root();
    let mut page = Page::new(
        root.clone(),
        "#v=1&d=1&n=2&depth=2&target=custom&expr=sqrt(x%20-%200.5)",
    );
    page.render();

    let message = text_of(&root, "#message");
    assert!(message.contains("not finite"), "{message}");
    assert!(message.contains("x = "), "{message}");
    assert!(inked_pixels(&canvas(&root, "focus-main")) > 100);
}

#[wasm_bindgen_test]
fn hover_reads_values_under_pointer() {
    let root = detached_root();
    let mut page = Page::new(root.clone(), KINK_FRAGMENT);
    page.render();

    let focus = canvas(&root, "focus-main");
    let x = f64::from(focus.width()) / 2.0;
    let y = f64::from(focus.height()) / 2.0;
    page.hover("focus-main", x, y);
    let readout = text_of(&root, "#readout");
    assert!(readout.contains("f = "), "{readout}");
    assert!(readout.contains("Φ₂ = "), "{readout}");

    page.hover("focus-main", -5.0, -5.0);
    assert_eq!(text_of(&root, "#readout"), "");

    // The error chart plots levels, not points of the domain.
    let chart = canvas(&root, "error-chart");
    let (x, y) = (
        f64::from(chart.width()) / 2.0,
        f64::from(chart.height()) / 2.0,
    );
    page.hover("error-chart", x, y);
    assert_eq!(text_of(&root, "#readout"), "");
}

#[wasm_bindgen_test]
fn raising_base_lowers_depth_with_notice() {
    let state = decode_fragment("#v=1&d=1&n=2&depth=12").state;
    let edit = edit_state(&state, "n", "16");

    assert_eq!(edit.state.n, 16);
    assert_eq!(edit.state.depth, 10);
    assert_eq!(edit.notices.len(), 1, "{:?}", edit.notices);
    assert!(
        edit.notices[0].contains("depth is now 10"),
        "{:?}",
        edit.notices
    );
}

#[wasm_bindgen_test]
fn control_value_is_clamped_with_notice() {
    let state = decode_fragment("#v=1").state;
    let edit = edit_state(&state, "eps", "5");

    assert_eq!(edit.state.eps, 1.0);
    assert_eq!(edit.notices.len(), 1, "{:?}", edit.notices);
    assert!(edit.notices[0].contains("eps"), "{:?}", edit.notices);
}

#[wasm_bindgen_test]
fn long_control_value_keeps_expression() {
    // A 20,000-digit number is a valid value of a number input. Before the
    // length check, the edited fragment outgrew the decoder's size limit, and
    // the cut dropped eps and the expression after it.
    let state = decode_fragment("#v=1&target=custom&expr=x*x").state;
    let long_number = format!("0.{}1", "0".repeat(20_000));
    let edit = edit_state(&state, "eps", &long_number);

    assert_eq!(edit.state, state);
    assert_eq!(edit.notices.len(), 1, "{:?}", edit.notices);
    assert!(edit.notices[0].contains("eps"), "{:?}", edit.notices);
    assert!(
        edit.notices[0].contains("not applied"),
        "{:?}",
        edit.notices
    );
}

#[wasm_bindgen_test]
fn overlong_expression_is_rejected() {
    let state = decode_fragment("#v=1&target=custom&expr=x*x").state;
    let edit = edit_state(&state, "expr", &"x+".repeat(2500));

    assert_eq!(edit.state.expr, "x*x");
    assert_eq!(edit.notices.len(), 1, "{:?}", edit.notices);
    assert!(
        edit.notices[0].contains("5000 characters"),
        "{:?}",
        edit.notices
    );
}

#[wasm_bindgen_test]
fn longest_expression_edit_is_applied() {
    // 1000 four-byte characters are 12,000 bytes once percent-encoded, the
    // longest expression value an edit can carry.
    let state = decode_fragment("#v=1").state;
    let text = "😀".repeat(MAX_EXPR_CHARS);
    let edit = edit_state(&state, "expr", &text);

    assert_eq!(edit.state.expr, text);
    assert_eq!(edit.state.target, Family::Custom);
    assert!(edit.notices.is_empty(), "{:?}", edit.notices);
}

#[wasm_bindgen_test]
fn panic_message_keeps_first_and_offers_reload() {
    let document = web_sys::window().unwrap().document().unwrap();
    let body = document.body().unwrap();
    let alert = document.create_element("div").unwrap();
    alert.set_id("message");
    body.append_child(&alert).unwrap();

    record_panic("first failure");
    record_panic("second failure");

    assert_eq!(panic_message().as_deref(), Some("first failure"));
    let text = alert.text_content().unwrap_or_default();
    assert!(text.contains("first failure"), "{text}");
    assert!(!text.contains("second failure"), "{text}");
    let button = alert
        .query_selector("button[data-action=\"reload\"]")
        .unwrap();
    assert!(button.is_some(), "no reload button");
    let root = document.document_element().unwrap();
    assert_eq!(root.get_attribute("data-panic").as_deref(), Some("true"));
    alert.remove();
}

#[wasm_bindgen_test]
fn network_mode_draws_and_reports_width() {
    let root = detached_root();
    let mut page = Page::new(root.clone(), KINK_FRAGMENT);
    page.render();
    page.set_value("mode", "network");
    page.render();

    assert!(
        page.fragment().contains("mode=network"),
        "{}",
        page.fragment()
    );
    for panel in ["thumb-f", "thumb-1", "thumb-3", "focus-main", "error-chart"] {
        assert!(
            inked_pixels(&canvas(&root, panel)) > 100,
            "{panel} is blank"
        );
    }
    // d = 1, N = 2: W = 2dN + d + 2 = 7.
    let width = text_of(&root, "#network-width");
    assert!(width.contains("2dN + d + 2"), "{width}");
    assert!(width.contains("= 7"), "{width}");
    let section = root.query_selector("#network").unwrap().unwrap();
    assert!(
        !section.has_attribute("hidden"),
        "the Network box is hidden"
    );
    let message = text_of(&root, "#message");
    assert!(
        !message.contains("not available in this build"),
        "{message}"
    );
}

#[wasm_bindgen_test]
fn network_mode_2d_refines_to_final() {
    let root = detached_root();
    let mut page = Page::new(
        root.clone(),
        "#v=1&d=2&n=2&depth=2&target=cone&mode=network&eta=0.01&psi=1",
    );
    page.render();

    for panel in [
        "thumb-2",
        "focus-f",
        "focus-phi",
        "focus-residual",
        "focus-psi",
    ] {
        assert!(
            inked_pixels(&canvas(&root, panel)) > 1000,
            "{panel} is blank"
        );
    }
    // d = 2, N = 2: W = 2·2·2 + 2 + 2 = 12.
    let width = text_of(&root, "#network-width");
    assert!(width.contains("= 12"), "{width}");

    let mut rounds = 0;
    while !page.refine(50.0) {
        rounds += 1;
        assert!(rounds < 10_000, "refinement does not finish");
    }
    let table = root.query_selector("#error-table").unwrap().unwrap();
    assert_eq!(table.get_attribute("data-final").as_deref(), Some("true"));
    let network_rows = root.query_selector_all("#network-table tbody tr").unwrap();
    assert_eq!(network_rows.length(), 2);
    let csv = page.table_csv();
    assert!(
        csv.starts_with("level,cells,error,omega,bound,ratio\n1,4,"),
        "{csv}"
    );
    assert!(!csv.contains("nan"), "{csv}");
}

#[wasm_bindgen_test]
fn eta_change_keeps_network_mode_working() {
    let root = detached_root();
    let mut page = Page::new(
        root.clone(),
        "#v=1&d=1&n=3&depth=3&target=kink&mode=network",
    );
    page.render();
    page.set_value("eta", "0.3");
    page.render();

    assert!(page.fragment().contains("eta=0.3"), "{}", page.fragment());
    let eta = text_of(&root, "#network-eta");
    assert!(eta.contains("requested 0.3"), "{eta}");
    assert!(eta.contains("1/3"), "{eta}");
    assert!(inked_pixels(&canvas(&root, "focus-main")) > 100);
}

#[wasm_bindgen_test]
fn literal_search_finds_two_cells() {
    let root = detached_root();
    let mut page = Page::new(
        root.clone(),
        "#v=1&d=1&n=3&depth=3&target=kink&mode=network",
    );
    page.render();

    assert!(!page.literal_start("7"));
    assert!(text_of(&root, "#literal-progress").contains("from 2 to 5"));
    assert!(page.literal_start("2"));
    let mut rounds = 0;
    while !page.literal_step(20.0) {
        rounds += 1;
        assert!(rounds < 1_000, "the search does not finish");
    }
    let result = text_of(&root, "#literal-frequency");
    assert!(result.starts_with("w = "), "{result}");
    assert!(text_of(&root, "#literal-progress").contains("Found"));
}

/// Counts the pixels of `canvas` in rows `rows` whose colour is within a
/// small distance of `colour`.
fn pixels_of_colour(
    canvas: &HtmlCanvasElement,
    rows: std::ops::Range<u32>,
    colour: [u8; 3],
) -> usize {
    let width = canvas.width() as usize;
    pixels(canvas)
        .chunks(4)
        .enumerate()
        .filter(|(index, _)| rows.contains(&((index / width) as u32)))
        .filter(|(_, pixel)| {
            pixel
                .iter()
                .zip(colour)
                .all(|(&channel, target)| channel.abs_diff(target) < 24)
        })
        .count()
}

#[wasm_bindgen_test]
fn infinite_errors_drawn_at_top() {
    let root = detached_root();
    let mut page = Page::new(
        root.clone(),
        "#v=1&d=1&n=3&depth=3&level=2&target=custom&expr=exp(1000*x)",
    );
    page.render();
    let mut rounds = 0;
    while !page.refine(50.0) {
        rounds += 1;
        assert!(rounds < 10_000, "refinement does not finish");
    }

    assert!(page.table_csv().contains(",inf,"), "{}", page.table_csv());
    let chart = canvas(&root, "error-chart");
    let height = chart.height();
    // The measured errors are drawn in the readout colour #2563eb.
    let blue = [0x25, 0x63, 0xeb];
    let top = pixels_of_colour(&chart, 0..height / 2, blue);
    let bottom = pixels_of_colour(&chart, height / 2..height, blue);
    assert!(top > 10, "{top} blue pixels in the upper half");
    assert_eq!(
        bottom, 0,
        "blue pixels in the lower half, where the floor is"
    );
}

#[wasm_bindgen_test]
fn text_uses_unicode_notation() {
    // N = 3, 1D and ε = 0.01 certify level 13, one beyond the 1D cap.
    let root = detached_root();
    let mut page = Page::new(root.clone(), "#v=1&d=1&n=3&depth=4&target=weierstrass");
    page.render();

    let summary = text_of(&root, "#depth-summary");
    assert!(
        summary.contains("ℓ = 13, beyond the deepest level"),
        "{summary}"
    );
    let families = text_of(&root, "#families");
    let formula = text_of(&root, "#formula");
    for text in [&summary, &families, &formula] {
        assert!(!text.contains("ω_"), "{text}");
        assert!(!text.contains("Φ_"), "{text}");
        assert!(!text.contains("^α"), "{text}");
        assert!(!text.contains("L^p"), "{text}");
    }
    assert!(formula.contains("S = Σₖ"), "{formula}");
}
