//! Two-dimensional panels: a field as a heatmap over [0,1]², optionally
//! with axes and a colour bar.

use super::axis::TickedAxis;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{DrawError, PlotArea, Surface};
use crate::picture::colormap::ColorMap;
use crate::picture::raster::{colorize, colour_bar, evaluate, Shade};
use crate::picture::scale::{format_tick, nice_ticks, ValueRange};
use crate::picture::strips::{axis_coverage, opacity, StripSpec};
use crate::web::style::{Scale, FRAME, INK, MUTED, PAPER, STRIP};

/// Choice of the colour range of a heatmap.
#[derive(Clone, Copy, Debug)]
pub enum Range {
    /// A fixed range, shared with other panels.
    Fixed(ValueRange),
    /// Symmetric about zero, fitted to the values drawn.
    Symmetric,
}

/// Content of a 2D panel.
pub struct HeatmapPanel<'a> {
    /// Device pixel ratio and derived sizes.
    pub scale: Scale,
    /// The values at each pixel.
    pub shade: Shade<'a>,
    /// Colour map.
    pub map: &'a ColorMap,
    /// Colour range.
    pub range: Range,
    /// Labelled axes and a colour bar (focus panels), or the bare image
    /// (small panels).
    pub axes: bool,
    /// The network's strips to overlay, in network mode.
    pub strips: Option<StripSpec>,
}

/// Draws `panel` over the whole `surface`; returns its plotting area and
/// the colour range used.
pub fn draw_heatmap(
    surface: &Surface,
    panel: &HeatmapPanel<'_>,
) -> Result<(PlotArea, ValueRange), DrawError> {
    let scale = panel.scale;
    let root = surface.backend()?.into_drawing_area();
    root.fill(&PAPER)?;

    let bar_width = if panel.axes { scale.px(58.0) } else { 0 };
    let (image_area, bar_area) = root.split_horizontally(surface.width.saturating_sub(bar_width));

    let mut builder = ChartBuilder::on(&image_area);
    if panel.axes {
        builder
            .margin_top(scale.px(8.0))
            .margin_right(scale.px(6.0))
            .x_label_area_size(scale.px(24.0))
            .y_label_area_size(scale.px(30.0));
    } else {
        builder.margin(scale.px(2.0));
    }
    let ticks = vec![0.0, 0.5, 1.0];
    let mut chart = builder.build_cartesian_2d(
        TickedAxis::new(0.0, 1.0, ticks.clone()),
        TickedAxis::new(0.0, 1.0, ticks),
    )?;
    let (x_range, y_range) = chart.plotting_area().get_pixel_range();
    let area = PlotArea {
        left: f64::from(x_range.start),
        top: f64::from(y_range.start),
        right: f64::from(x_range.end),
        bottom: f64::from(y_range.end),
    };

    let width = (x_range.end - x_range.start).max(1) as usize;
    let height = (y_range.end - y_range.start).max(1) as usize;
    let values = evaluate(panel.shade, width, height);
    let range = match panel.range {
        Range::Fixed(range) => range,
        Range::Symmetric => ValueRange::symmetric(&values),
    };
    let mut bytes = colorize(&values, width, panel.map, &range);
    drop(values);
    if let Some(spec) = &panel.strips {
        overlay_strips(&mut bytes, width, height, spec);
    }
    surface.put_rgba(&bytes, width as u32, area.left, area.top)?;

    if panel.axes {
        let format = |v: &f64| format_tick(*v, 0.5);
        chart
            .configure_mesh()
            .disable_mesh()
            .axis_style(scale.stroke(MUTED, 1.0))
            .label_style(scale.text(11.0, INK))
            .x_label_formatter(&format)
            .y_label_formatter(&format)
            .set_tick_mark_size(LabelAreaPosition::Left, scale.coord(3.0))
            .set_tick_mark_size(LabelAreaPosition::Bottom, scale.coord(3.0))
            .draw()?;
        draw_colour_bar(surface, &bar_area, &area, panel, &range)?;
    } else {
        let frame = Rectangle::new(
            [(0.0, 0.0), (1.0, 1.0)],
            ShapeStyle::from(FRAME).stroke_width(1),
        );
        chart.draw_series(std::iter::once(frame))?;
    }
    root.present()?;
    Ok((area, range))
}

/// Blends the strip colour into the RGBA `bytes` of a `width` × `height`
/// image whose top row is y = 1. A pixel is in a strip when its x or its y
/// is, so its coverage is 1 − (1 − c_x)(1 − c_y).
fn overlay_strips(bytes: &mut [u8], width: usize, height: usize, spec: &StripSpec) {
    let columns = axis_coverage(spec, width);
    let mut rows = axis_coverage(spec, height);
    rows.reverse();
    let strip = [f64::from(STRIP.0), f64::from(STRIP.1), f64::from(STRIP.2)];
    for (row, row_coverage) in rows.iter().enumerate() {
        for (column, column_coverage) in columns.iter().enumerate() {
            let coverage = 1.0 - (1.0 - row_coverage) * (1.0 - column_coverage);
            let alpha = opacity(coverage);
            if alpha <= 0.0 {
                continue;
            }
            let start = 4 * (row * width + column);
            for (channel, target) in bytes[start..start + 3].iter_mut().zip(strip) {
                let blended = (1.0 - alpha) * f64::from(*channel) + alpha * target;
                *channel = blended.round() as u8;
            }
        }
    }
}

/// Draws the colour bar of `panel` in `bar_area`, level with the image.
fn draw_colour_bar<DB: DrawingBackend>(
    surface: &Surface,
    bar_area: &DrawingArea<DB, plotters::coord::Shift>,
    image: &PlotArea,
    panel: &HeatmapPanel<'_>,
    range: &ValueRange,
) -> Result<(), DrawError>
where
    DB::ErrorType: 'static,
{
    let scale = panel.scale;
    let (bar_x, _) = bar_area.get_pixel_range();
    let left = f64::from(bar_x.start) + f64::from(scale.px(6.0));
    let width = scale.px(12.0).max(2);
    let top = image.top;
    let height = (image.bottom - image.top).max(2.0) as u32;

    let bytes = colour_bar(panel.map, width as usize, height as usize);
    surface.put_rgba(&bytes, width, left, top)?;

    let frame_style = ShapeStyle::from(FRAME).stroke_width(1);
    let origin = (bar_x.start, 0);
    let to_local = |x: f64, y: f64| ((x as i32) - origin.0, y as i32);
    bar_area.draw(&Rectangle::new(
        [
            to_local(left, top),
            to_local(left + f64::from(width), top + f64::from(height)),
        ],
        frame_style,
    ))?;

    let (ticks, step) = nice_ticks(range.lo, range.hi, 5);
    let label_style = scale
        .text(10.5, INK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let tick_style = ShapeStyle::from(MUTED).stroke_width(1);
    let tick_left = left + f64::from(width);
    for tick in ticks {
        let y = top + (1.0 - range.position(tick)) * f64::from(height);
        let start = to_local(tick_left, y);
        let end = to_local(tick_left + f64::from(scale.px(3.0)), y);
        bar_area.draw(&PathElement::new(vec![start, end], tick_style))?;
        let label = format_tick(tick, step);
        let at = to_local(tick_left + f64::from(scale.px(5.0)), y);
        bar_area.draw(&Text::new(label, at, label_style.clone()))?;
    }
    if range.clipped {
        let note_style = scale.text(10.0, MUTED).pos(Pos::new(HPos::Left, VPos::Top));
        let at = to_local(left, top + f64::from(height) + f64::from(scale.px(4.0)));
        bar_area.draw(&Text::new("clipped", at, note_style))?;
    }
    Ok(())
}
