//! One-dimensional panels: f and the readouts as curves over [0, 1].

use super::axis::TickedAxis;
use plotters::prelude::*;

use super::{DrawError, PlotArea, Surface};
use crate::picture::curve::Run;
use crate::picture::scale::{format_tick, nice_ticks, ValueRange};
use crate::picture::strips::{axis_coverage, shading_runs, StripSpec};
use crate::web::style::{Scale, FRAME, GRID, INK, MUTED, NON_FINITE_SHADE, PAPER, STRIP};

/// One curve: its connected runs, colour and width in CSS pixels.
pub struct CurveLine {
    /// Connected pieces in data coordinates.
    pub runs: Vec<Run>,
    /// Stroke colour.
    pub colour: RGBColor,
    /// Stroke width in CSS pixels.
    pub width: f64,
}

/// Content of a 1D panel.
pub struct CurvePanel {
    /// Device pixel ratio and derived sizes.
    pub scale: Scale,
    /// Range of the value axis.
    pub range: ValueRange,
    /// Labelled axes (the focus panel) or a bare frame (small panels).
    pub axes: bool,
    /// Curves, drawn in order (later ones on top).
    pub curves: Vec<CurveLine>,
    /// Intervals of x where f is not finite, shaded grey.
    pub shaded: Vec<(f64, f64)>,
    /// The network's strips to shade, in network mode.
    pub strips: Option<StripSpec>,
    /// Whether to draw the line y = 0 (for corrections).
    pub zero_line: bool,
}

/// Draws `panel` over the whole `surface` and returns its plotting area.
pub fn draw_curves(surface: &Surface, panel: &CurvePanel) -> Result<PlotArea, DrawError> {
    let scale = panel.scale;
    let root = surface.backend()?.into_drawing_area();
    root.fill(&PAPER)?;

    let (lo, hi) = (panel.range.lo, panel.range.hi);
    let (y_ticks, y_step) = nice_ticks(lo, hi, if panel.axes { 5 } else { 3 });
    let x_ticks = vec![0.0, 0.25, 0.5, 0.75, 1.0];

    let mut builder = ChartBuilder::on(&root);
    if panel.axes {
        builder
            .margin_top(scale.px(10.0))
            .margin_right(scale.px(14.0))
            .margin_bottom(scale.px(4.0))
            .margin_left(scale.px(4.0))
            .x_label_area_size(scale.px(26.0))
            .y_label_area_size(scale.px(52.0));
    } else {
        builder.margin(scale.px(3.0));
    }
    let mut chart = builder.build_cartesian_2d(
        TickedAxis::new(0.0, 1.0, x_ticks),
        TickedAxis::new(lo, hi, y_ticks),
    )?;

    if panel.axes {
        let x_format = |x: &f64| format_tick(*x, 0.25);
        let y_format = |y: &f64| format_tick(*y, y_step);
        chart
            .configure_mesh()
            .bold_line_style(scale.stroke(GRID, 1.0))
            .light_line_style(TRANSPARENT)
            .axis_style(scale.stroke(MUTED, 1.0))
            .label_style(scale.text(12.0, INK))
            .x_label_formatter(&x_format)
            .y_label_formatter(&y_format)
            .set_tick_mark_size(LabelAreaPosition::Left, scale.coord(4.0))
            .set_tick_mark_size(LabelAreaPosition::Bottom, scale.coord(4.0))
            .draw()?;
    }

    for &(start, end) in &panel.shaded {
        let rectangle = Rectangle::new(
            [(start.max(0.0), hi), (end.min(1.0), lo)],
            NON_FINITE_SHADE.filled(),
        );
        chart.draw_series(std::iter::once(rectangle))?;
    }
    if let Some(spec) = &panel.strips {
        let (x_range, _) = chart.plotting_area().get_pixel_range();
        let pixels = (x_range.end - x_range.start).max(1) as usize;
        for (start, end, opacity) in shading_runs(&axis_coverage(spec, pixels)) {
            let rectangle = Rectangle::new([(start, hi), (end, lo)], STRIP.mix(opacity).filled());
            chart.draw_series(std::iter::once(rectangle))?;
        }
    }
    if panel.zero_line && lo < 0.0 && hi > 0.0 {
        let style = scale.stroke(MUTED, 1.0);
        chart.draw_series(LineSeries::new([(0.0, 0.0), (1.0, 0.0)], style))?;
    }

    for curve in &panel.curves {
        let style = scale.stroke(curve.colour, curve.width);
        for run in &curve.runs {
            let points = run.iter().map(|&(x, y)| (x, y.clamp(lo, hi)));
            chart.draw_series(LineSeries::new(points, style))?;
        }
    }

    let (x_range, y_range) = chart.plotting_area().get_pixel_range();
    if !panel.axes {
        let frame = Rectangle::new(
            [(0.0, lo), (1.0, hi)],
            ShapeStyle::from(FRAME).stroke_width(1),
        );
        chart.draw_series(std::iter::once(frame))?;
    }
    root.present()?;

    Ok(PlotArea {
        left: f64::from(x_range.start),
        top: f64::from(y_range.start),
        right: f64::from(x_range.end),
        bottom: f64::from(y_range.end),
    })
}
