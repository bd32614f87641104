//! The error panel: per-level errors and bounds on a log10 axis.

use super::axis::TickedAxis;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{DrawError, PlotArea, Surface};
use crate::picture::errors::{ChartPoint, ErrorChart, Placement};
use crate::picture::scale::{decade_ticks, power_of_ten_label};
use crate::web::style::{
    Scale, ACCURACY, CERTIFIED, ESTIMATED, GRID, INK, MUTED, NETWORK, PAPER, READOUT,
};

/// Most level labels on the x axis.
const MAX_LEVEL_LABELS: u32 = 12;

/// Draws `chart` over the whole `surface`.
pub fn draw_error_chart(
    surface: &Surface,
    chart_data: &ErrorChart,
    scale: Scale,
) -> Result<PlotArea, DrawError> {
    let root = surface.backend()?.into_drawing_area();
    root.fill(&PAPER)?;

    let depth = chart_data.depth.max(1);
    let levels: Vec<f64> = (1..=depth)
        .filter(|level| depth <= MAX_LEVEL_LABELS || level % 2 == 1)
        .map(f64::from)
        .collect();
    let (y_lo, y_hi) = chart_data.y_range;
    let decades: Vec<f64> = decade_ticks(y_lo, y_hi, 8)
        .into_iter()
        .map(f64::from)
        .collect();

    let mut chart = ChartBuilder::on(&root)
        .margin_top(scale.px(12.0))
        .margin_right(scale.px(24.0))
        .margin_bottom(scale.px(4.0))
        .x_label_area_size(scale.px(38.0))
        .y_label_area_size(scale.px(56.0))
        .build_cartesian_2d(
            TickedAxis::new(0.5, f64::from(depth) + 0.5, levels),
            TickedAxis::new(y_lo, y_hi, decades),
        )?;

    let x_format = |x: &f64| format!("{}", x.round() as i64);
    let y_format = |y: &f64| power_of_ten_label(y.round() as i32);
    chart
        .configure_mesh()
        .bold_line_style(scale.stroke(GRID, 1.0))
        .light_line_style(TRANSPARENT)
        .axis_style(scale.stroke(MUTED, 1.0))
        .label_style(scale.text(12.0, INK))
        .axis_desc_style(scale.text(12.0, MUTED))
        .x_desc("level ℓ")
        .x_label_formatter(&x_format)
        .y_label_formatter(&y_format)
        .set_tick_mark_size(LabelAreaPosition::Left, scale.coord(4.0))
        .set_tick_mark_size(LabelAreaPosition::Bottom, scale.coord(4.0))
        .draw()?;

    draw_accuracy_line(&mut chart, chart_data, depth, scale)?;
    draw_dashed(&mut chart, &chart_data.reference, MUTED, scale)?;
    draw_series(
        &mut chart,
        &chart_data.certified,
        CERTIFIED,
        Marker::Triangle,
        scale,
    )?;
    draw_series(
        &mut chart,
        &chart_data.bound,
        ESTIMATED,
        Marker::Square,
        scale,
    )?;
    draw_bands(&mut chart, &chart_data.measured, READOUT, scale)?;
    draw_series(
        &mut chart,
        &chart_data.measured,
        READOUT,
        Marker::Circle,
        scale,
    )?;
    draw_bands(&mut chart, &chart_data.network, NETWORK, scale)?;
    draw_series(
        &mut chart,
        &chart_data.network,
        NETWORK,
        Marker::Diamond,
        scale,
    )?;
    draw_floor_marks(&mut chart, chart_data, scale)?;
    draw_off_scale_marks(&mut chart, chart_data, scale)?;

    let (x_range, y_range) = chart.plotting_area().get_pixel_range();
    root.present()?;
    Ok(PlotArea {
        left: f64::from(x_range.start),
        top: f64::from(y_range.start),
        right: f64::from(x_range.end),
        bottom: f64::from(y_range.end),
    })
}

type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<TickedAxis, TickedAxis>>;

/// Marker shapes of the series.
#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
}

/// Draws a line through the points of one series with a marker at each: filled
/// when the value is final, hollow (white inside) while it is a draft. The
/// line breaks at values that are not finite, which
/// `draw_off_scale_marks` marks instead.
fn draw_series<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    points: &[ChartPoint],
    colour: RGBColor,
    marker: Marker,
    scale: Scale,
) -> Result<(), DrawError>
where
    DB::ErrorType: 'static,
{
    for run in points.split(|point| point.placement.is_off_scale()) {
        let line = run.iter().map(|p| (f64::from(p.level), p.log10));
        chart.draw_series(LineSeries::new(line, scale.stroke(colour, 1.75)))?;
    }

    let size = scale.coord(4.0).max(2);
    let outline = scale.stroke(colour, 1.5);
    for point in points.iter().filter(|p| !p.placement.is_off_scale()) {
        let at = (f64::from(point.level), point.log10);
        let fill = if point.is_final {
            colour.filled()
        } else {
            PAPER.filled()
        };
        match marker {
            Marker::Circle => {
                chart.draw_series(std::iter::once(Circle::new(at, size, fill)))?;
                chart.draw_series(std::iter::once(Circle::new(at, size, outline)))?;
            }
            Marker::Square => {
                let corners = [(-size, -size), (size, size)];
                chart.draw_series(std::iter::once(
                    EmptyElement::at(at) + Rectangle::new(corners, fill),
                ))?;
                chart.draw_series(std::iter::once(
                    EmptyElement::at(at) + Rectangle::new(corners, outline),
                ))?;
            }
            Marker::Diamond => {
                let reach = size + 1;
                let corners = vec![(0, -reach), (reach, 0), (0, reach), (-reach, 0)];
                chart.draw_series(std::iter::once(
                    EmptyElement::at(at) + Polygon::new(corners.clone(), fill),
                ))?;
                let mut closed = corners;
                closed.push(closed[0]);
                chart.draw_series(std::iter::once(
                    EmptyElement::at(at) + PathElement::new(closed, outline),
                ))?;
            }
            Marker::Triangle => {
                let corners = vec![(0, -size - 1), (size + 1, size), (-size - 1, size)];
                chart.draw_series(std::iter::once(
                    EmptyElement::at(at) + Polygon::new(corners.clone(), fill),
                ))?;
                let mut closed = corners;
                closed.push(closed[0]);
                chart.draw_series(std::iter::once(
                    EmptyElement::at(at) + PathElement::new(closed, outline),
                ))?;
            }
        }
    }
    Ok(())
}

/// Error bars of ±2 standard errors for Monte Carlo values, in `colour`.
fn draw_bands<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    points: &[ChartPoint],
    colour: RGBColor,
    scale: Scale,
) -> Result<(), DrawError>
where
    DB::ErrorType: 'static,
{
    let style = scale.stroke(colour, 1.25);
    let cap = scale.coord(4.0);
    for point in points {
        let Some((low, high)) = point.band else {
            continue;
        };
        let x = f64::from(point.level);
        chart.draw_series(LineSeries::new([(x, low), (x, high)], style))?;
        for y in [low, high] {
            chart.draw_series(std::iter::once(
                EmptyElement::at((x, y)) + PathElement::new(vec![(-cap, 0), (cap, 0)], style),
            ))?;
        }
    }
    Ok(())
}

/// Draws a dashed line through the points (the reference rate).
fn draw_dashed<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    points: &[ChartPoint],
    colour: RGBColor,
    scale: Scale,
) -> Result<(), DrawError>
where
    DB::ErrorType: 'static,
{
    if points.len() < 2 {
        return Ok(());
    }
    let line = points.iter().map(|p| (f64::from(p.level), p.log10));
    chart.draw_series(DashedLineSeries::new(
        line,
        scale.coord(6.0),
        scale.coord(4.0),
        scale.stroke(colour, 1.25),
    ))?;
    Ok(())
}

/// Draws the horizontal line at ε, labelled at its right end.
fn draw_accuracy_line<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    chart_data: &ErrorChart,
    depth: u32,
    scale: Scale,
) -> Result<(), DrawError>
where
    DB::ErrorType: 'static,
{
    let y = chart_data.eps_log10;
    let right = f64::from(depth) + 0.5;
    chart.draw_series(DashedLineSeries::new(
        [(0.5, y), (right, y)],
        scale.coord(2.0),
        scale.coord(3.0),
        scale.stroke(ACCURACY, 1.5),
    ))?;
    let style = scale
        .text(12.0, ACCURACY)
        .pos(Pos::new(HPos::Right, VPos::Bottom));
    chart.draw_series(std::iter::once(
        EmptyElement::at((right, y))
            + Text::new("ε", (-scale.coord(3.0), -scale.coord(2.0)), style),
    ))?;
    Ok(())
}

/// Draws a "0" label under every measured value held at the floor, and
/// one in the bound's colour above every bound held there (a bound of 0,
/// as for a constant f, whose ω is 0).
fn draw_floor_marks<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    chart_data: &ErrorChart,
    scale: Scale,
) -> Result<(), DrawError>
where
    DB::ErrorType: 'static,
{
    let below = scale.text(11.0, INK).pos(Pos::new(HPos::Center, VPos::Top));
    let above = scale
        .text(11.0, ESTIMATED)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    let at_floor = |point: &&ChartPoint| point.placement == Placement::Floor;
    let marks = [
        (&chart_data.measured, below, scale.coord(6.0)),
        (&chart_data.bound, above, -scale.coord(6.0)),
    ];
    for (points, style, offset) in marks {
        for point in points.iter().filter(at_floor) {
            let at = (f64::from(point.level), point.log10);
            chart.draw_series(std::iter::once(
                EmptyElement::at(at) + Text::new("0", (0, offset), style.clone()),
            ))?;
        }
    }
    Ok(())
}

/// Draws an up-arrow in the series colour for every value that is not
/// finite, with its tip at the off-scale row above the finite values and
/// "∞" or "nan" beside it. The arrows of one level sit side by side, the
/// measured error's on the level's grid line, so that an infinite bound
/// does not hide behind an infinite error.
fn draw_off_scale_marks<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    chart_data: &ErrorChart,
    scale: Scale,
) -> Result<(), DrawError>
where
    DB::ErrorType: 'static,
{
    let Some(row) = chart_data.off_scale_log10 else {
        return Ok(());
    };
    let head = scale.coord(4.0).max(3);
    let stem = scale.coord(9.0).max(4);
    let gap = scale.coord(10.0).max(6);

    // Each series with its colour and its horizontal offset, in gaps.
    let series = [
        (&chart_data.certified, CERTIFIED, -2),
        (&chart_data.bound, ESTIMATED, -1),
        (&chart_data.measured, READOUT, 0),
        (&chart_data.network, NETWORK, 1),
    ];
    let label_style = scale
        .text(12.0, INK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let mut labels: Vec<(u32, &'static str)> = Vec::new();

    for (points, colour, slot) in series {
        let dx = slot * gap;
        for point in points.iter().filter(|p| p.placement.is_off_scale()) {
            let at = (f64::from(point.level), row);
            let shaft = vec![(dx, head), (dx, head + stem)];
            chart.draw_series(std::iter::once(
                EmptyElement::at(at) + PathElement::new(shaft, scale.stroke(colour, 2.0)),
            ))?;
            let arrow = vec![(dx, 0), (dx + head, head + 1), (dx - head, head + 1)];
            chart.draw_series(std::iter::once(
                EmptyElement::at(at) + Polygon::new(arrow, colour.filled()),
            ))?;
            if let Some(label) = point.placement.off_scale_label() {
                if !labels.contains(&(point.level, label)) {
                    labels.push((point.level, label));
                }
            }
        }
    }

    // One mark per level and kind, right of the arrows, because an error
    // and its bound are often both ∞. A second kind ("nan" beside "∞")
    // goes one line lower.
    let line = scale.coord(13.0);
    for (index, &(level, label)) in labels.iter().enumerate() {
        let at = (f64::from(level), row);
        let network_arrow = chart_data
            .network
            .iter()
            .any(|p| p.level == level && p.placement.is_off_scale());
        let right = if network_arrow { gap } else { 0 };
        let lower = labels[..index].iter().filter(|(l, _)| *l == level).count() as i32;
        let offset = (right + head + scale.coord(3.0), head + lower * line);
        chart.draw_series(std::iter::once(
            EmptyElement::at(at) + Text::new(label, offset, label_style.clone()),
        ))?;
    }
    Ok(())
}
