//! Polylines of one-dimensional panels, in data coordinates (x in [0,1],
//! y the value), split where values are not finite so that gaps show.

use super::field::Field;

/// A connected piece of a curve: points in order of increasing x.
pub type Run = Vec<(f64, f64)>;

/// Builds the curve of a 1D field on a panel `pixels` wide.
///
/// When the field's boxes are at least one pixel wide, the result is the
/// exact staircase: a horizontal segment over every box, joined by
/// vertical risers. Otherwise the field is read at every pixel centre and
/// the values are joined, which is as much as the panel can show. Runs
/// break at non-finite values.
pub fn field_runs(field: &Field, pixels: usize) -> Vec<Run> {
    let per_axis = field.per_axis();
    let values = field.values();
    let mut runs = Vec::new();
    let mut run = Run::new();

    if per_axis <= pixels.max(1) {
        let width = 1.0 / per_axis as f64;
        for (index, &value) in values.iter().take(per_axis).enumerate() {
            if !value.is_finite() {
                flush(&mut runs, &mut run);
                continue;
            }
            run.push((index as f64 * width, value));
            run.push(((index + 1) as f64 * width, value));
        }
    } else {
        for pixel in 0..pixels {
            let x = (pixel as f64 + 0.5) / pixels as f64;
            let value = field.value_at([x, 0.0]);
            if !value.is_finite() {
                flush(&mut runs, &mut run);
                continue;
            }
            run.push((x, value));
        }
    }
    flush(&mut runs, &mut run);
    runs
}

/// Builds the curve through samples `(xs[i], values[i])`, broken at
/// non-finite values.
pub fn sample_runs(xs: &[f64], values: &[f64]) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut run = Run::new();
    for (&x, &value) in xs.iter().zip(values) {
        if value.is_finite() {
            run.push((x, value));
        } else {
            flush(&mut runs, &mut run);
        }
    }
    flush(&mut runs, &mut run);
    runs
}

/// Intervals of x covered by samples whose values are not finite, merged
/// where neighbours touch, for shading on a panel. Each sample stands for
/// the box of width `1/xs.len()` around it.
pub fn non_finite_intervals(xs: &[f64], values: &[f64]) -> Vec<(f64, f64)> {
    let half = 0.5 / xs.len().max(1) as f64;
    let mut intervals: Vec<(f64, f64)> = Vec::new();
    for (&x, value) in xs.iter().zip(values) {
        if value.is_finite() {
            continue;
        }
        let (start, end) = (x - half, x + half);
        match intervals.last_mut() {
            Some(last) if start <= last.1 + 1e-12 => last.1 = end,
            _ => intervals.push((start, end)),
        }
    }
    intervals
}

/// Thins runs that have more than two points per pixel of a panel
/// `pixels` wide: each pixel column keeps its lowest and highest point, in
/// their order along x, so the drawn envelope stays the same.
pub fn decimate(runs: Vec<Run>, pixels: usize) -> Vec<Run> {
    let pixels = pixels.max(1);
    runs.into_iter()
        .map(|run| {
            if run.len() <= 2 * pixels {
                return run;
            }
            let mut thinned = Run::with_capacity(2 * pixels);
            let mut column_points: Vec<(f64, f64)> = Vec::new();
            let mut column = usize::MAX;
            for point in run {
                let index = ((point.0 * pixels as f64) as usize).min(pixels - 1);
                if index != column {
                    push_extremes(&mut thinned, &column_points);
                    column_points.clear();
                    column = index;
                }
                column_points.push(point);
            }
            push_extremes(&mut thinned, &column_points);
            thinned
        })
        .collect()
}

/// Appends the lowest and highest of `points` (one point if they coincide)
/// in the order they appear.
fn push_extremes(out: &mut Run, points: &[(f64, f64)]) {
    let lowest = points
        .iter()
        .enumerate()
        .min_by(|a, b| a.1 .1.total_cmp(&b.1 .1));
    let highest = points
        .iter()
        .enumerate()
        .max_by(|a, b| a.1 .1.total_cmp(&b.1 .1));
    let (Some((low_index, low)), Some((high_index, high))) = (lowest, highest) else {
        return;
    };
    if low_index == high_index {
        out.push(*low);
    } else if low_index < high_index {
        out.extend([*low, *high]);
    } else {
        out.extend([*high, *low]);
    }
}

fn flush(runs: &mut Vec<Run>, run: &mut Run) {
    if !run.is_empty() {
        runs.push(std::mem::take(run));
    }
}
