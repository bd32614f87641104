//! A standalone SVG figure of one state, for the command-line tool: the
//! readout Φ_ℓ against f on the left, the error panel on the right.
//!
//! The figure is plain SVG text (lines, polylines, rectangles and text
//! elements), so no font or image library is needed. Viewers render the
//! labels with their own sans-serif font.

use std::fmt::Write;

use crate::analysis::Analysis;
use crate::picture::colormap::ColorMap;
use crate::picture::curve::field_runs;
use crate::picture::errors::{error_chart, ChartPoint, Placement};
use crate::picture::scale::{format_tick, nice_ticks, power_of_ten_label, ValueRange};
use crate::picture::{Field, Picture};

/// Width of the figure in SVG units (pixels at 100 %).
const WIDTH: f64 = 1000.0;
/// Height of the figure.
const HEIGHT: f64 = 440.0;
/// Maximum number of rectangles per axis of a 2D heatmap, which keeps files
/// small.
const HEATMAP_CELLS: usize = 80;

/// Colours of the measured error, the estimated and certified bounds, the
/// reference rate and f.
const MEASURED: &str = "#1f5fd1";
const BOUND: &str = "#c2410c";
const CERTIFIED: &str = "#15803d";
const REFERENCE: &str = "#6b7280";
const TARGET: &str = "#1f2937";

/// One heatmap of the 2D figure: its label, its raster values (None when
/// not drawn), its colour map and its value range.
type HeatmapPanel<'a> = (String, Option<Vec<f64>>, &'a ColorMap, Option<ValueRange>);

/// A rectangle of the figure where one panel is drawn.
#[derive(Clone, Copy)]
struct Frame {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
}

impl Frame {
    fn x(&self, t: f64) -> f64 {
        self.left + t * self.width
    }

    fn y(&self, t: f64) -> f64 {
        self.top + (1.0 - t) * self.height
    }
}

/// Renders the SVG figure of `analysis` (final or draft numbers, as they
/// stand) with the readout of `level` on the left.
pub fn render_svg(analysis: &Analysis, picture: &Picture, level: u32, title: &str) -> String {
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">"#
    );
    svg.push_str(r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
    text(&mut svg, 24.0, 28.0, "start", 15.0, title);

    let readout_frame = Frame {
        left: 60.0,
        top: 60.0,
        width: 470.0,
        height: 320.0,
    };
    let error_frame = Frame {
        left: 640.0,
        top: 60.0,
        width: 330.0,
        height: 320.0,
    };
    if picture.d == 1 {
        draw_curves(&mut svg, picture, level, readout_frame);
    } else {
        draw_heatmaps(&mut svg, picture, level, readout_frame);
    }
    draw_errors(&mut svg, analysis, error_frame);
    svg.push_str("</svg>\n");
    svg
}

/// 1D: f and Φ_ℓ on shared axes.
fn draw_curves(svg: &mut String, picture: &Picture, level: u32, frame: Frame) {
    let range = picture.range.padded(0.05);
    axes(svg, frame, (0.0, 1.0), (range.lo, range.hi), "x", "");
    let pixels = frame.width as usize;

    let mut legend = Vec::new();
    if let Some(f) = &picture.f {
        polyline_runs(svg, frame, f, pixels, range, TARGET, 1.2);
        legend.push((TARGET, "f".to_string()));
    }
    if let Some(readout) = picture.level(level) {
        polyline_runs(svg, frame, readout, pixels, range, MEASURED, 2.0);
        legend.push((MEASURED, format!("Φ_{level}")));
    }
    draw_legend(svg, frame.left + 8.0, frame.top - 14.0, &legend);
}

/// 2D: f, Φ_ℓ and the residual f − Φ_ℓ as heatmaps.
fn draw_heatmaps(svg: &mut String, picture: &Picture, level: u32, frame: Frame) {
    let gap = 16.0;
    let side = ((frame.width - 2.0 * gap) / 3.0).min(frame.height - 40.0);
    let sequential = ColorMap::viridis();
    let diverging = ColorMap::diverging();
    let readout = picture.level(level);

    let residual: Option<Vec<f64>> = match (&picture.f, readout) {
        (Some(f), Some(readout)) => Some(
            raster_points(HEATMAP_CELLS)
                .map(|point| f.value_at(point) - readout.value_at(point))
                .collect(),
        ),
        _ => None,
    };
    let residual_range = residual.as_deref().map(ValueRange::symmetric);

    let panels: [HeatmapPanel; 3] = [
        (
            "f".to_string(),
            picture.f.as_ref().map(sampled),
            &sequential,
            Some(picture.range),
        ),
        (
            format!("Φ_{level}"),
            readout.map(sampled),
            &sequential,
            Some(picture.range),
        ),
        (
            format!("f − Φ_{level}"),
            residual,
            &diverging,
            residual_range,
        ),
    ];
    for (index, (label, values, map, range)) in panels.iter().enumerate() {
        let left = frame.left + index as f64 * (side + gap);
        let panel = Frame {
            left,
            top: frame.top + 20.0,
            width: side,
            height: side,
        };
        text(svg, left, frame.top + 10.0, "start", 13.0, label);
        let (Some(values), Some(range)) = (values, range) else {
            text(
                svg,
                left + 8.0,
                panel.top + 20.0,
                "start",
                12.0,
                "not drawn",
            );
            continue;
        };
        heatmap(svg, panel, values, map, *range);
        let caption = format!(
            "{} to {}",
            format_tick(range.lo, (range.hi - range.lo) / 4.0),
            format_tick(range.hi, (range.hi - range.lo) / 4.0)
        );
        text(svg, left, panel.top + side + 16.0, "start", 11.0, &caption);
    }
}

/// Draws the error panel: measured error, estimated and certified bounds,
/// reference rate, and ε, on a log scale over levels 1..=L.
fn draw_errors(svg: &mut String, analysis: &Analysis, frame: Frame) {
    let rows = analysis.rows();
    let chart = error_chart(&rows, analysis.eps());
    let (low, high) = chart.y_range;
    let depth = f64::from(chart.depth.max(1));
    let x_of = |level: u32| {
        if chart.depth <= 1 {
            0.5
        } else {
            (f64::from(level) - 1.0) / (depth - 1.0)
        }
    };
    let y_of = |log10: f64| (log10 - low) / (high - low).max(f64::MIN_POSITIVE);

    frame_box(svg, frame);
    for exponent in (low.ceil() as i32)..=(high.floor() as i32) {
        let y = frame.y(y_of(f64::from(exponent)));
        grid_line(svg, frame.left, y, frame.left + frame.width, y);
        text(
            svg,
            frame.left - 6.0,
            y + 4.0,
            "end",
            11.0,
            &power_of_ten_label(exponent),
        );
    }
    for level in 1..=chart.depth {
        let x = frame.x(x_of(level));
        text(
            svg,
            x,
            frame.top + frame.height + 16.0,
            "middle",
            11.0,
            &level.to_string(),
        );
    }
    text(
        svg,
        frame.left + frame.width / 2.0,
        frame.top + frame.height + 34.0,
        "middle",
        12.0,
        "level ℓ",
    );

    let eps_y = frame.y(y_of(chart.eps_log10));
    if (frame.top..=frame.top + frame.height).contains(&eps_y) {
        let _ = write!(
            svg,
            r##"<line x1="{:.1}" y1="{eps_y:.1}" x2="{:.1}" y2="{eps_y:.1}" stroke="#9ca3af" stroke-dasharray="2 3"/>"##,
            frame.left,
            frame.left + frame.width
        );
        text(
            svg,
            frame.left + frame.width - 4.0,
            eps_y - 4.0,
            "end",
            10.0,
            "ε",
        );
    }

    let place = |point: &ChartPoint| (frame.x(x_of(point.level)), frame.y(y_of(point.log10)));
    series(svg, &chart.reference, &place, REFERENCE, "1", "4 3", false);
    series(
        svg,
        &chart.certified,
        &place,
        CERTIFIED,
        "1.5",
        "1 3",
        false,
    );
    series(svg, &chart.bound, &place, BOUND, "1.5", "6 3", false);
    for point in &chart.measured {
        if let Some((band_low, band_high)) = point.band {
            let x = frame.x(x_of(point.level));
            let _ = write!(
                svg,
                r#"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="{MEASURED}" stroke-width="1"/>"#,
                frame.y(y_of(band_low)),
                frame.y(y_of(band_high))
            );
        }
    }
    series(svg, &chart.measured, &place, MEASURED, "2", "", true);

    let mut legend = vec![
        (MEASURED, "error ‖f − Φ_ℓ‖_p".to_string()),
        (BOUND, "(2d+1)·ω_p, estimated".to_string()),
    ];
    if !chart.certified.is_empty() {
        legend.push((CERTIFIED, "(2d+1)·majorant, certified".to_string()));
    }
    legend.push((REFERENCE, "reference rate".to_string()));
    draw_legend(svg, frame.left + 8.0, frame.top + 14.0, &legend);
}

/// Draws a polyline through chart points, with marks for measured values:
/// filled when final, hollow for drafts, and a triangle for values held at
/// the floor. The line breaks at values that are not finite, which get an
/// up-arrow at the off-scale row with "∞" or "nan" beside it.
fn series<P>(
    svg: &mut String,
    points: &[ChartPoint],
    place: &P,
    colour: &str,
    width: &str,
    dash: &str,
    marks: bool,
) where
    P: Fn(&ChartPoint) -> (f64, f64),
{
    for run in points.split(|point| point.placement.is_off_scale()) {
        if run.is_empty() {
            continue;
        }
        let coordinates: Vec<String> = run
            .iter()
            .map(|point| {
                let (x, y) = place(point);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ = write!(
            svg,
            r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="{width}" stroke-dasharray="{dash}"/>"#,
            coordinates.join(" ")
        );
    }
    for point in points {
        let (x, y) = place(point);
        if let Some(label) = point.placement.off_scale_label() {
            let _ = write!(
                svg,
                r#"<path d="M{x:.1},{y:.1} L{:.1},{:.1} L{:.1},{:.1} Z M{x:.1},{:.1} L{x:.1},{:.1}" fill="{colour}" stroke="{colour}" stroke-width="1.5"/>"#,
                x + 4.0,
                y + 5.0,
                x - 4.0,
                y + 5.0,
                y + 5.0,
                y + 13.0
            );
            text(svg, x + 7.0, y + 9.0, "start", 11.0, label);
            continue;
        }
        if !marks {
            continue;
        }
        let fill = if point.is_final { colour } else { "#ffffff" };
        if point.placement == Placement::Floor {
            let _ = write!(
                svg,
                r#"<path d="M{:.1},{:.1} L{:.1},{:.1} L{:.1},{:.1} Z" fill="{fill}" stroke="{colour}"/>"#,
                x,
                y - 5.0,
                x - 5.0,
                y + 4.0,
                x + 5.0,
                y + 4.0
            );
        } else {
            let _ = write!(
                svg,
                r#"<circle cx="{x:.1}" cy="{y:.1}" r="3.5" fill="{fill}" stroke="{colour}" stroke-width="1.5"/>"#
            );
        }
    }
}

/// Axes with ticks for a panel whose data spans `x_span` × `y_span`.
fn axes(
    svg: &mut String,
    frame: Frame,
    x_span: (f64, f64),
    y_span: (f64, f64),
    x_label: &str,
    y_label: &str,
) {
    frame_box(svg, frame);
    let (x_ticks, x_step) = nice_ticks(x_span.0, x_span.1, 6);
    for tick in x_ticks {
        let x = frame.x((tick - x_span.0) / (x_span.1 - x_span.0));
        grid_line(svg, x, frame.top, x, frame.top + frame.height);
        text(
            svg,
            x,
            frame.top + frame.height + 16.0,
            "middle",
            11.0,
            &format_tick(tick, x_step),
        );
    }
    let (y_ticks, y_step) = nice_ticks(y_span.0, y_span.1, 6);
    for tick in y_ticks {
        let y = frame.y((tick - y_span.0) / (y_span.1 - y_span.0));
        grid_line(svg, frame.left, y, frame.left + frame.width, y);
        text(
            svg,
            frame.left - 6.0,
            y + 4.0,
            "end",
            11.0,
            &format_tick(tick, y_step),
        );
    }
    let middle = frame.left + frame.width / 2.0;
    text(
        svg,
        middle,
        frame.top + frame.height + 34.0,
        "middle",
        12.0,
        x_label,
    );
    if !y_label.is_empty() {
        text(
            svg,
            frame.left - 40.0,
            frame.top - 8.0,
            "start",
            12.0,
            y_label,
        );
    }
}

fn polyline_runs(
    svg: &mut String,
    frame: Frame,
    field: &Field,
    pixels: usize,
    range: ValueRange,
    colour: &str,
    width: f64,
) {
    for run in field_runs(field, pixels) {
        let coordinates: Vec<String> = run
            .iter()
            .map(|(x, value)| format!("{:.1},{:.1}", frame.x(*x), frame.y(range.position(*value))))
            .collect();
        let _ = write!(
            svg,
            r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="{width}"/>"#,
            coordinates.join(" ")
        );
    }
}

/// Returns the centres of a `cells` × `cells` raster, top row first (y = 1
/// at the top), x fastest.
fn raster_points(cells: usize) -> impl Iterator<Item = [f64; 2]> {
    (0..cells).flat_map(move |row| {
        let y = 1.0 - (row as f64 + 0.5) / cells as f64;
        (0..cells).map(move |column| [(column as f64 + 0.5) / cells as f64, y])
    })
}

/// Reads a field at the raster centres.
fn sampled(field: &Field) -> Vec<f64> {
    raster_points(HEATMAP_CELLS)
        .map(|point| field.value_at(point))
        .collect()
}

/// Rectangles for the raster `values`, non-finite values in grey. Runs of
/// one colour along a row share a rectangle, which keeps files small, and
/// crisp edges avoid hairline seams between neighbours.
fn heatmap(svg: &mut String, frame: Frame, values: &[f64], map: &ColorMap, range: ValueRange) {
    let cell = frame.width / HEATMAP_CELLS as f64;
    let colour = |value: f64| {
        if value.is_finite() {
            map.css(range.position(value))
        } else {
            "rgb(180, 180, 180)".to_string()
        }
    };
    svg.push_str(r#"<g shape-rendering="crispEdges">"#);
    for (row, row_values) in values.chunks(HEATMAP_CELLS).enumerate() {
        let mut start = 0;
        while start < row_values.len() {
            let fill = colour(row_values[start]);
            let mut end = start + 1;
            while end < row_values.len() && colour(row_values[end]) == fill {
                end += 1;
            }
            let _ = write!(
                svg,
                r#"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" fill="{fill}"/>"#,
                frame.left + start as f64 * cell,
                frame.top + row as f64 * cell,
                // Overlap the neighbours slightly, since crisp edges round
                // each side to a pixel and could leave a gap.
                (end - start) as f64 * cell + 0.6,
                cell + 0.6
            );
            start = end;
        }
    }
    svg.push_str("</g>");
    frame_box(svg, frame);
}

fn draw_legend(svg: &mut String, left: f64, top: f64, entries: &[(&str, String)]) {
    let widest = entries
        .iter()
        .map(|(_, label)| label.chars().count())
        .max()
        .unwrap_or(0);
    let _ = write!(
        svg,
        r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#ffffff" fill-opacity="0.85"/>"##,
        left - 4.0,
        top - 9.0,
        widest as f64 * 6.6 + 34.0,
        entries.len() as f64 * 16.0 + 2.0
    );
    for (index, (colour, label)) in entries.iter().enumerate() {
        let y = top + index as f64 * 16.0;
        let _ = write!(
            svg,
            r#"<line x1="{left:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="{colour}" stroke-width="2"/>"#,
            left + 18.0
        );
        text(svg, left + 24.0, y + 4.0, "start", 11.0, label);
    }
}

fn frame_box(svg: &mut String, frame: Frame) {
    let _ = write!(
        svg,
        r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="none" stroke="#9ca3af"/>"##,
        frame.left, frame.top, frame.width, frame.height
    );
}

fn grid_line(svg: &mut String, x1: f64, y1: f64, x2: f64, y2: f64) {
    let _ = write!(
        svg,
        r##"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="#e5e7eb"/>"##
    );
}

/// Appends a text element. `content` is escaped, so user text (a formula)
/// cannot add markup.
fn text(svg: &mut String, x: f64, y: f64, anchor: &str, size: f64, content: &str) {
    let _ = write!(
        svg,
        r##"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" font-size="{size}" fill="#111827">{}</text>"##,
        escape(content)
    );
}

/// Escapes the characters that XML reserves.
fn escape(content: &str) -> String {
    content
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Family, State};

    fn figure(state: &State) -> String {
        let mut analysis = Analysis::new(state).unwrap();
        analysis.finish();
        let picture = Picture::build(&analysis);
        render_svg(&analysis, &picture, state.level, "test")
    }

    #[test]
    fn one_dimensional_figure_has_curves_and_chart() {
        let svg = figure(&State::default());
        assert!(svg.starts_with("<svg"));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(svg.matches("<polyline").count() >= 4);
        assert!(svg.contains("reference rate"));
    }

    #[test]
    fn two_dimensional_figure_has_heatmaps() {
        let state = State {
            d: 2,
            n: 2,
            depth: 3,
            level: 2,
            target: Family::Cone,
            ..State::default()
        };
        let svg = figure(&state);
        // One rectangle per colour run: at least one per raster row.
        assert!(svg.matches("<rect").count() >= 3 * HEATMAP_CELLS);
        assert!(svg.contains("f − Φ_2"));
    }

    #[test]
    fn user_text_is_escaped() {
        let state = State {
            target: Family::Custom,
            expr: "x < 0.5".to_string(),
            ..State::default()
        };
        let mut analysis = Analysis::new(&state).unwrap();
        analysis.finish();
        let picture = Picture::build(&analysis);
        let svg = render_svg(&analysis, &picture, 1, "f = x < 0.5 & <script>");
        assert!(svg.contains("x &lt; 0.5 &amp; &lt;script&gt;"));
        assert!(!svg.contains("<script>"));
    }
}
