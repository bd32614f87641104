//! Drawing the panels of a page from its cached picture, composing its
//! messages, and the hover read-out.

use web_sys::{Element, HtmlCanvasElement};

use super::controls::sync_controls;
use super::draw::curves::{draw_curves, CurveLine, CurvePanel};
use super::draw::heatmap::{draw_heatmap, HeatmapPanel, Range};
use super::draw::{DrawError, PlotArea, Surface};
use super::messages::{caret_detail, Message};
use super::network::{self, NetworkView};
use super::page::{Computed, Page};
use super::panels::{self, cells_text, phi, psi, Badge, Layout};
use super::style::{Scale, CORRECTION, NETWORK, READOUT, READOUT_FAINT, TARGET, TARGET_FAINT};
use super::{about, dom, report};
use crate::picture::budget::PICTURE_BUDGET;
use crate::picture::colormap::ColorMap;
use crate::picture::curve::{decimate, field_runs, non_finite_intervals, sample_runs};
use crate::picture::raster::{evaluate, Operand, Shade};
use crate::picture::{Field, Picture, Samples, Source, ValueRange};
use crate::state::State;
use crate::summary::{non_finite_note, point_text, short_number};

/// CSS size of a canvas that has no layout box (detached or hidden).
const FALLBACK_SIZE: (f64, f64) = (320.0, 200.0);

/// Fraction of the value range added above and below 1D curves.
const CURVE_PADDING: f64 = 0.06;

/// Draws everything that depends on the state: controls, panels, numbers
/// and messages.
pub fn render_all(page: &mut Page) {
    let view = page.view_state();
    let edited = std::mem::take(&mut page.edited);
    sync_controls(&page.root, &page.state, &edited);

    let layout = Layout {
        d: view.d,
        depth: view.depth,
        psi: view.psi,
    };
    if page.layout != Some(layout) {
        panels::build(&page.root, layout);
        page.layout = Some(layout);
        page.areas.clear();
    }

    let scale = Scale {
        ratio: dom::device_pixel_ratio(),
    };
    let mut areas: Vec<(String, PlotArea)> = Vec::new();
    let mut failures: Vec<DrawError> = Vec::new();
    if let Some(computed) = &page.computed {
        let network = network::shown(computed, &view);
        draw_thumbs(
            page,
            computed,
            network,
            &view,
            scale,
            &mut areas,
            &mut failures,
        );
        draw_focus(
            page,
            computed,
            network,
            &view,
            scale,
            &mut areas,
            &mut failures,
        );
    }
    for (name, area) in areas {
        page.set_area(&name, area);
    }

    // The error chart reads its layout size, so the text of the titles and
    // table is written after it: a write before that read would force a
    // second layout of the page.
    report::draw_numbers(page);
    if let Some(computed) = &page.computed {
        write_titles(&page.root, computed, network::shown(computed, &view), &view);
    }
    about::write_families(&page.root);
    let messages = compose_messages(page, &failures);
    page.show(&messages);
}

/// Returns the CSS size of `canvas` from its layout box, or a fallback.
fn css_size(canvas: &HtmlCanvasElement) -> (f64, f64) {
    let rect = canvas.get_bounding_client_rect();
    if rect.width() >= 1.0 && rect.height() >= 1.0 {
        (rect.width(), rect.height())
    } else {
        FALLBACK_SIZE
    }
}

/// Returns a surface for the canvas named `name`, sized to its layout box.
pub(super) fn surface(page: &Page, name: &str, scale: Scale) -> Option<Result<Surface, DrawError>> {
    let canvas = page.canvas(name)?;
    let (width, height) = css_size(&canvas);
    Some(Surface::prepare(&canvas, width, height, scale.ratio))
}

/// Returns Φ_ℓ as the panels draw it: the network's readout in network mode,
/// else the ideal one.
fn readout_field<'a>(
    picture: &'a Picture,
    network: Option<&'a NetworkView>,
    level: u32,
) -> Option<&'a Field> {
    match network {
        Some(view) => view.drawing.picture.level(level),
        None => picture.level(level),
    }
}

fn draw_thumbs(
    page: &Page,
    computed: &Computed,
    network: Option<&NetworkView>,
    view: &State,
    scale: Scale,
    areas: &mut Vec<(String, PlotArea)>,
    failures: &mut Vec<DrawError>,
) {
    let picture = &computed.picture;
    let viridis = ColorMap::viridis();
    let colour = if network.is_some() { NETWORK } else { READOUT };
    for level in 0..=view.depth {
        let name = panels::thumb_name(level);
        let Some(surface) = surface(page, &name, scale) else {
            continue;
        };
        let result = surface.and_then(|surface| {
            let field = if level == 0 {
                picture.f.as_ref()
            } else {
                readout_field(picture, network, level)
            };
            if view.d == 1 {
                let pixels = surface.width as usize;
                let mut curves = Vec::new();
                if level > 0 {
                    curves.extend(f_curve(picture, TARGET_FAINT, 1.0, pixels));
                }
                match (level, field) {
                    (0, _) => curves.extend(f_curve(picture, TARGET, 1.25, pixels)),
                    (_, Some(field)) => curves.push(CurveLine {
                        runs: field_runs(field, surface.width as usize),
                        colour,
                        width: 1.5,
                    }),
                    (_, None) => {}
                }
                let panel = CurvePanel {
                    scale,
                    range: picture.range.padded(CURVE_PADDING),
                    axes: false,
                    curves,
                    shaded: f_shading(picture),
                    strips: None,
                    zero_line: false,
                };
                draw_curves(&surface, &panel)
            } else {
                let shade = match field {
                    Some(field) => Shade::Value(Operand::Field(field)),
                    None => Shade::Value(Operand::Constant(f64::NAN)),
                };
                let panel = HeatmapPanel {
                    scale,
                    shade,
                    map: &viridis,
                    range: Range::Fixed(picture.range),
                    axes: false,
                    strips: None,
                };
                draw_heatmap(&surface, &panel).map(|(area, _)| area)
            }
        });
        match result {
            Ok(area) => areas.push((name, area)),
            Err(error) => failures.push(error),
        }
    }
}

/// Returns the curve of f's samples on a panel `pixels` wide, if f was drawn.
fn f_curve(
    picture: &Picture,
    colour: plotters::style::RGBColor,
    width: f64,
    pixels: usize,
) -> Option<CurveLine> {
    let f = picture.f.as_ref()?;
    let centres = Samples::centres(f.per_axis());
    Some(CurveLine {
        runs: decimate(sample_runs(&centres, f.values()), pixels),
        colour,
        width,
    })
}

/// Intervals where f's samples are not finite.
fn f_shading(picture: &Picture) -> Vec<(f64, f64)> {
    match &picture.f {
        Some(f) if picture.non_finite.is_some() => {
            non_finite_intervals(&Samples::centres(f.per_axis()), f.values())
        }
        _ => Vec::new(),
    }
}

fn draw_focus(
    page: &Page,
    computed: &Computed,
    network: Option<&NetworkView>,
    view: &State,
    scale: Scale,
    areas: &mut Vec<(String, PlotArea)>,
    failures: &mut Vec<DrawError>,
) {
    let picture = &computed.picture;
    let level = view.level;
    let phi_field = readout_field(picture, network, level);
    let constant = match network {
        Some(view) => view.drawing.picture.constant,
        None => picture.overall_mean,
    };
    let previous = if level > 1 {
        readout_field(picture, network, level - 1).map(Operand::Field)
    } else {
        Some(Operand::Constant(constant))
    };
    let strips = network.and_then(|view| network::strips(view, level));
    let colour = if network.is_some() { NETWORK } else { READOUT };
    let f_operand = picture.f.as_ref().map(Operand::Field);
    let phi_operand = phi_field.map(Operand::Field);
    let missing = Operand::Constant(f64::NAN);

    let mut draw = |name: &str, result: Option<Result<PlotArea, DrawError>>| match result {
        Some(Ok(area)) => areas.push((name.to_string(), area)),
        Some(Err(error)) => failures.push(error),
        None => {}
    };

    if view.d == 1 {
        let result = surface(page, panels::FOCUS_MAIN, scale).map(|surface| {
            let surface = surface?;
            let pixels = surface.width as usize;
            let mut curves: Vec<CurveLine> = Vec::new();
            if let (Some(_), Some(ideal)) = (network, picture.level(level)) {
                curves.push(CurveLine {
                    runs: field_runs(ideal, pixels),
                    colour: READOUT_FAINT,
                    width: 2.0,
                });
            }
            curves.extend(f_curve(picture, TARGET, 1.5, pixels));
            if let Some(field) = phi_field {
                curves.push(CurveLine {
                    runs: field_runs(field, surface.width as usize),
                    colour,
                    width: 2.25,
                });
            }
            let panel = CurvePanel {
                scale,
                range: picture.range.padded(CURVE_PADDING),
                axes: true,
                curves,
                shaded: f_shading(picture),
                strips,
                zero_line: false,
            };
            draw_curves(&surface, &panel)
        });
        draw(panels::FOCUS_MAIN, result);

        if view.psi {
            let result = surface(page, panels::FOCUS_PSI, scale).map(|surface| {
                let surface = surface?;
                let pixels = surface.width as usize;
                let shade =
                    Shade::Difference(phi_operand.unwrap_or(missing), previous.unwrap_or(missing));
                let values = evaluate(shade, pixels, 1);
                let centres = Samples::centres(pixels);
                let range = ValueRange::symmetric(&values).padded(CURVE_PADDING);
                let panel = CurvePanel {
                    scale,
                    range,
                    axes: true,
                    curves: vec![CurveLine {
                        runs: sample_runs(&centres, &values),
                        colour: CORRECTION,
                        width: 2.0,
                    }],
                    shaded: Vec::new(),
                    strips: None,
                    zero_line: true,
                };
                draw_curves(&surface, &panel)
            });
            draw(panels::FOCUS_PSI, result);
        }
        return;
    }

    let viridis = ColorMap::viridis();
    let diverging = ColorMap::diverging();
    let heatmaps: Vec<(&str, Shade<'_>, &ColorMap, Range)> = {
        let mut list = vec![
            (
                panels::FOCUS_F,
                Shade::Value(f_operand.unwrap_or(missing)),
                &viridis,
                Range::Fixed(picture.range),
            ),
            (
                panels::FOCUS_PHI,
                Shade::Value(phi_operand.unwrap_or(missing)),
                &viridis,
                Range::Fixed(picture.range),
            ),
            (
                panels::FOCUS_RESIDUAL,
                Shade::Difference(f_operand.unwrap_or(missing), phi_operand.unwrap_or(missing)),
                &diverging,
                Range::Symmetric,
            ),
        ];
        if view.psi {
            list.push((
                panels::FOCUS_PSI,
                Shade::Difference(phi_operand.unwrap_or(missing), previous.unwrap_or(missing)),
                &diverging,
                Range::Symmetric,
            ));
        }
        list
    };
    for (name, shade, map, range) in heatmaps {
        let result = surface(page, name, scale).map(|surface| {
            let surface = surface?;
            let panel = HeatmapPanel {
                scale,
                shade,
                map,
                range,
                axes: true,
                strips: if name == panels::FOCUS_PHI {
                    strips
                } else {
                    None
                },
            };
            draw_heatmap(&surface, &panel).map(|(area, _)| area)
        });
        draw(name, result);
    }
}

/// Returns the side N^{-ℓ} as `1/27`, or `3⁻¹²` when N^ℓ is large.
fn side_text(n: u32, level: u32, per_axis: u128) -> String {
    if per_axis < 1_000_000 {
        return format!("1/{per_axis}");
    }
    let exponent: String = format!("-{level}")
        .chars()
        .map(crate::picture::scale::superscript)
        .collect();
    format!("{n}{exponent}")
}

fn write_titles(root: &Element, computed: &Computed, network: Option<&NetworkView>, view: &State) {
    let picture = &computed.picture;
    let rows = computed.analysis.rows();
    let (n, d) = (view.n, view.d as u32);
    let cells = |level: u32| -> String {
        let count = rows.get(level as usize - 1).map_or(0, |row| row.cells);
        cells_text(n, d * level, count)
    };

    let network_titles = network.map(|network| network::thumb_titles(computed, network, view));
    let titles: Vec<(String, Option<Badge>)> = match &network_titles {
        Some(titles) => titles.thumbs.clone(),
        None => (1..=view.depth)
            .map(|level| {
                let title = format!("{} · {}", phi(level), cells(level));
                let badge = picture.level_reduced(level).then(|| Badge {
                    label: "reduced",
                    note: reduced_note(picture, level),
                });
                (title, badge)
            })
            .collect(),
    };
    panels::update_thumbs(root, view.level, &titles);

    let level = view.level;
    let per_axis = u128::from(n).pow(level);
    let heading = match &network_titles {
        Some(titles) => titles.heading.clone(),
        None => format!(
            "Level ℓ = {level} of {}: {} = E{} f on {} of side {}",
            view.depth,
            phi(level),
            crate::picture::scale::subscript(level),
            cells(level),
            side_text(n, level, per_axis)
        ),
    };
    if let Some(title) = dom::find::<Element>(root, "focus-title") {
        dom::set_text(&title, &heading);
    }
    for id in ["legend-ideal", "legend-strips", "network-hint"] {
        if let Some(item) = dom::find::<Element>(root, id) {
            dom::set_hidden(&item, network.is_none());
        }
    }
    if let Some(label) = dom::find::<Element>(root, "legend-ideal-label") {
        dom::set_text(
            &label,
            &format!("E{} f (ideal)", crate::picture::scale::subscript(level)),
        );
    }
    let formula = computed.analysis.sampler().target().formula();
    if let Some(element) = dom::find::<Element>(root, "formula") {
        let variables = if d == 1 { "f(x)" } else { "f(x, y)" };
        dom::set_text(&element, &format!("{variables} = {formula}"));
    }
    if let Some(item) = dom::find::<Element>(root, "legend-non-finite") {
        dom::set_hidden(&item, picture.non_finite.is_none());
    }
    if let Some(legend) = dom::find::<Element>(root, "focus-legend") {
        // In 2D only network mode's strips have a legend entry.
        dom::set_hidden(&legend, d != 1 && network.is_none());
        dom::toggle_class(&legend, "two-d", d != 1);
        dom::toggle_class(&legend, "network-mode", network.is_some());
        if let Ok(Some(label)) = legend.query_selector(".legend-phi") {
            match &network_titles {
                Some(titles) => dom::set_text(&label, &titles.phi_label),
                None => dom::set_text(&label, &phi(level)),
            }
        }
        if let Ok(Some(label)) = legend.query_selector(".legend-psi") {
            let text = match &network_titles {
                Some(titles) => titles.psi_caption.clone(),
                None => format!(
                    "{} = {} − Φ{}",
                    psi(level),
                    phi(level),
                    crate::picture::scale::subscript(level - 1)
                ),
            };
            dom::set_text(&label, &text);
            if let Ok(Some(item)) = legend.query_selector(".legend-psi-item") {
                dom::set_hidden(&item, !view.psi);
            }
        }
    }

    let previous = crate::picture::scale::subscript(level - 1);
    let mut captions = [
        (panels::FOCUS_F, "f".to_string()),
        (
            panels::FOCUS_PHI,
            format!(
                "{} = E{} f",
                phi(level),
                crate::picture::scale::subscript(level)
            ),
        ),
        (
            panels::FOCUS_RESIDUAL,
            format!("residual f − {}", phi(level)),
        ),
        (
            panels::FOCUS_PSI,
            format!("correction {} = {} − Φ{previous}", psi(level), phi(level)),
        ),
        (panels::FOCUS_MAIN, String::new()),
    ];
    if let Some(titles) = &network_titles {
        captions[1].1 = titles.phi_caption.clone();
        captions[2].1 = titles.residual_caption.clone();
        captions[3].1 = titles.psi_caption.clone();
    }
    for (name, text) in captions {
        panels::set_caption(root, name, &text);
    }
}

/// Explains why level ℓ is drawn at reduced resolution, for its badge.
fn reduced_note(picture: &Picture, level: u32) -> String {
    let plan = picture.plan.levels.get(level as usize - 1);
    match plan.map(|plan| plan.source) {
        Some(Source::Samples { per_axis }) => {
            let grid = if picture.d == 1 {
                format!("{per_axis}")
            } else {
                format!("{per_axis}×{per_axis}")
            };
            format!(
                "{} is drawn from {grid} samples to stay within the picture budget of \
                 {} cost units.",
                phi(level),
                report::grouped(PICTURE_BUDGET)
            )
        }
        _ => format!(
            "{} is not drawn: even the fewest samples exceed the picture budget of \
             {} cost units.",
            phi(level),
            report::grouped(PICTURE_BUDGET)
        ),
    }
}

/// Recomposes the messages, whose counts change as refinement proceeds.
pub fn refresh_messages(page: &mut Page) {
    let messages = compose_messages(page, &[]);
    page.show(&messages);
}

fn compose_messages(page: &Page, failures: &[DrawError]) -> Vec<Message> {
    let mut messages: Vec<Message> = page.notices.iter().map(Message::notice).collect();

    if let Some(error) = &page.expression_error {
        let tail = if page.computed.is_some() {
            " The drawing still shows the last valid target."
        } else {
            " Nothing is drawn until the expression is valid."
        };
        messages.push(Message {
            severity: super::messages::Severity::Error,
            text: format!("The expression is not valid: {}.{tail}", error.message),
            detail: Some(caret_detail(&error.text, error.position)),
        });
    } else if let Some(error) = &page.analysis_error {
        messages.push(Message::error(format!("{}.", capitalised(error))));
    }

    if let Some(computed) = &page.computed {
        messages.extend(computed_messages(computed));
        if let Some(error) = &computed.network_error {
            messages.push(Message::error(format!(
                "Network mode could not be built: {error}. The panels show the ideal readout."
            )));
        }
        if let Some(view) = network::shown(computed, &page.state) {
            messages.extend(network::messages(view, page.state.depth, page.state.d));
        }
    }
    for failure in failures.iter().take(1) {
        messages.push(Message::error(format!(
            "{}.",
            capitalised(&failure.to_string())
        )));
    }
    messages
}

/// Returns `text` with its first letter in upper case, for error texts that
/// the command-line tool prints after a `layerwise:` prefix and the page
/// shows as sentences.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn computed_messages(computed: &Computed) -> Vec<Message> {
    let mut messages = Vec::new();
    let analysis = &computed.analysis;
    let picture = &computed.picture;
    let d = analysis.dim();

    if let Some(found) = analysis.non_finite() {
        messages.push(Message::error(format!(
            "{} Those points are shaded grey in the pictures.",
            non_finite_note(&found, d)
        )));
    } else if let Some(found) = picture.non_finite {
        messages.push(Message::error(format!(
            "f is not finite (NaN or ±∞) at {} of the picture's samples, first at {}. \
             Those points are shaded grey.",
            found.count,
            point_text(d, found.first)
        )));
    }

    let reduced: Vec<String> = (1..=analysis.depth())
        .filter(|&level| picture.level_reduced(level))
        .map(phi)
        .collect();
    if picture.f_reduced() || !reduced.is_empty() {
        let mut parts = Vec::new();
        if picture.f_reduced() {
            let samples = picture.plan.f_samples;
            let grid = if d == 1 {
                format!("{samples}")
            } else {
                format!("{samples}×{samples}")
            };
            parts.push(format!("f is drawn from {grid} samples"));
        }
        if !reduced.is_empty() {
            parts.push(format!(
                "{} at reduced resolution (marked \u{201c}reduced\u{201d})",
                reduced.join(", ")
            ));
        }
        messages.push(Message::notice(format!(
            "To keep each picture within its budget of {} cost units \
             (evaluations of f times their unit cost, {} here), {}.",
            report::grouped(PICTURE_BUDGET),
            analysis.sampler().target().cost(),
            parts.join(" and ")
        )));
    }
    for note in analysis.notes() {
        messages.push(Message::notice(format!("{note}.")));
    }
    messages
}

/// Returns a number with five significant digits for read-outs and messages.
pub(super) fn short(value: f64) -> String {
    short_number(value)
}

/// Shows the values under canvas pixel (`x`, `y`) of panel `name`.
pub fn hover(page: &mut Page, name: &str, x: f64, y: f64) {
    let Some(readout) = dom::find::<Element>(&page.root, "readout") else {
        return;
    };
    // The error chart's axes are levels and errors, not points of the
    // domain: it has no values of f or Φℓ to read.
    if name == panels::ERROR_CHART {
        dom::set_text(&readout, "");
        return;
    }
    let area = page
        .areas
        .iter()
        .find(|(panel, _)| panel == name)
        .map(|(_, area)| *area);
    let (Some(area), Some(computed)) = (area, page.computed.as_ref()) else {
        dom::set_text(&readout, "");
        return;
    };
    let Some(point) = area.point_at(x, y) else {
        dom::set_text(&readout, "");
        return;
    };

    let view = page.view_state();
    let level = if let Some(rest) = name.strip_prefix("thumb-") {
        rest.parse::<u32>().unwrap_or(0)
    } else {
        view.level
    };
    let point = if view.d == 1 { [point[0], 0.0] } else { point };
    let with_psi = name == panels::FOCUS_PSI;
    let text = match network::shown(computed, &view) {
        Some(network) => network::hover_text(computed, network, view.d, level, point, with_psi),
        None => hover_text(computed, view.d, level, point, with_psi),
    };
    dom::set_text(&readout, &text);
}

fn hover_text(
    computed: &Computed,
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

    let readouts = analysis.readouts();
    let value = readouts.value(sampler, level, point);
    parts.push(format!("{} = {}", phi(level), short(value)));
    parts.push(format!("f − {} = {}", phi(level), short(f - value)));
    if with_psi {
        let previous = if level > 1 {
            readouts.value(sampler, level - 1, point)
        } else {
            readouts.overall_mean()
        };
        parts.push(format!("{} = {}", psi(level), short(value - previous)));
    }
    parts.join("   ")
}
