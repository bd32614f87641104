//! Locating the jumps and kinks of a one-dimensional target that reports
//! none.
//!
//! A typed expression such as `x >= 1/3`, `floor(5*x)/5` or `abs(x - 1/3)`
//! gives no hint of where it jumps or bends, and quadrature can step over
//! such a point, or over the thin strip where f(x + h) and f(x) differ,
//! without noticing: a Gauss–Kronrod rule whose nodes all miss the strip
//! reads a constant and reports no error. Scanning f on a fine grid finds
//! steps far larger than their neighbours (jumps, then bisected to a few
//! units in the last place) and changes of slope far larger than their
//! neighbours (kinks, then located by zooming in to about 1e-9). They serve
//! as seeds (cut points) for all later quadrature.

use crate::grid::Point;
use crate::sampler::Sampler;

/// Maximum number of intervals of the scan.
const SCAN_INTERVALS: usize = 4096;

/// Minimum number of intervals of the scan.
const MIN_SCAN_INTERVALS: usize = 256;

/// Work allowed for the scan, in cost units (evaluations times the
/// target's unit cost): an expensive expression gets a coarser scan.
pub const SCAN_WORK: u64 = 50_000;

/// Most jumps reported.
const MAX_JUMPS: usize = 64;

/// A step must exceed its neighbours by this factor to be examined.
const STEP_RATIO: f64 = 8.0;

/// Bisection steps per candidate (enough to shrink 1/256 below 1e-16).
const BISECTIONS: usize = 56;

/// Most kinks reported.
const MAX_KINKS: usize = 32;

/// Points per zoom step of a kink's location (8 intervals).
const ZOOM_POINTS: usize = 9;

/// A kink's window stops shrinking below this width.
const KINK_WIDTH: f64 = 1e-9;

/// Positions in (0, 1) where the 1D target jumps or has a kink, sorted.
pub fn detect_singularities(sampler: &Sampler) -> Vec<Point> {
    let (xs, values) = scan(sampler);
    let jumps = detect_jumps(sampler, &xs, &values);
    let mut points = detect_kinks(sampler, &xs, &values, &jumps);
    points.extend(jumps);
    points.sort_by(|a, b| a[0].total_cmp(&b[0]));
    points.dedup();
    points
}

/// Evaluates f on the scan grid, as fine as `SCAN_WORK` allows.
fn scan(sampler: &Sampler) -> (Vec<Point>, Vec<f64>) {
    let affordable = SCAN_WORK / sampler.target().cost().max(1);
    let intervals = (affordable as usize).clamp(MIN_SCAN_INTERVALS, SCAN_INTERVALS);
    let xs: Vec<Point> = (0..=intervals)
        .map(|i| [i as f64 / intervals as f64, 0.0])
        .collect();
    let mut values = vec![0.0; xs.len()];
    sampler.eval_many(&xs, &mut values);
    (xs, values)
}

/// Positions in (0, 1) where the 1D target jumps, sorted, from the scan
/// `xs`, `values`. A step that shrinks under bisection (a steep but
/// continuous stretch) is not a jump.
fn detect_jumps(sampler: &Sampler, xs: &[Point], values: &[f64]) -> Vec<Point> {
    let steps: Vec<f64> = values.windows(2).map(|w| (w[1] - w[0]).abs()).collect();

    let mut candidates: Vec<usize> = (0..steps.len())
        .filter(|&i| {
            let left = if i > 0 { steps[i - 1] } else { 0.0 };
            let right = steps.get(i + 1).copied().unwrap_or(0.0);
            steps[i] > 0.0 && steps[i] > STEP_RATIO * left.max(right)
        })
        .collect();
    candidates.sort_by(|&a, &b| steps[b].total_cmp(&steps[a]));
    candidates.truncate(MAX_JUMPS);

    let mut jumps: Vec<Point> = candidates
        .into_iter()
        .filter_map(|i| bisect_jump(sampler, xs[i][0], xs[i + 1][0], values[i], values[i + 1]))
        .map(|x| [x, 0.0])
        .collect();
    jumps.sort_by(|a, b| a[0].total_cmp(&b[0]));
    jumps.dedup();
    jumps
}

/// Bisects [a, b], keeping the half across which f changes more; returns
/// the jump position if the change survives down to adjacent doubles.
fn bisect_jump(sampler: &Sampler, mut a: f64, mut b: f64, mut fa: f64, mut fb: f64) -> Option<f64> {
    let initial = (fb - fa).abs();
    for _ in 0..BISECTIONS {
        let middle = 0.5 * (a + b);
        if middle <= a || middle >= b {
            break;
        }
        let fm = sampler.eval([middle, 0.0]);
        if (fm - fa).abs() >= (fb - fm).abs() {
            b = middle;
            fb = fm;
        } else {
            a = middle;
            fa = fm;
        }
    }
    let remaining = (fb - fa).abs();
    (remaining > 0.25 * initial).then_some(b)
}

/// Positions where the slope of f changes far more than nearby, from the
/// scan `xs`, `values`, away from the `jumps`.
///
/// A kink between nodes shows as a change of slope at a node that is a
/// local maximum and exceeds the changes two nodes away by `STEP_RATIO`.
/// Smooth curvature changes the slope about equally at neighbouring nodes.
/// Each candidate is then located by `locate_kink`.
fn detect_kinks(sampler: &Sampler, xs: &[Point], values: &[f64], jumps: &[Point]) -> Vec<Point> {
    let changes = slope_changes(values);
    let largest = values.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    // Changes at the level of rounding are not kinks.
    let floor = 1e-8 * largest;
    let spacing = xs.get(1).map_or(1.0, |x| x[0]);

    let mut candidates: Vec<usize> = (1..changes.len().saturating_sub(1))
        .filter(|&i| {
            let change = changes[i];
            let far = changes
                .get(i.wrapping_sub(2))
                .copied()
                .unwrap_or(0.0)
                .max(changes.get(i + 2).copied().unwrap_or(0.0));
            change > floor
                && change >= changes[i - 1]
                && change > changes[i + 1]
                && change > STEP_RATIO * far
        })
        .filter(|&i| {
            jumps
                .iter()
                .all(|jump| (jump[0] - xs[i][0]).abs() > 2.5 * spacing)
        })
        .collect();
    candidates.sort_by(|&a, &b| changes[b].total_cmp(&changes[a]));
    candidates.truncate(MAX_KINKS);

    let mut allowed_evaluations = SCAN_WORK / sampler.target().cost().max(1);
    candidates
        .into_iter()
        .filter_map(|i| {
            locate_kink(
                sampler,
                xs[i - 1][0],
                xs[i + 1][0],
                &mut allowed_evaluations,
            )
        })
        .map(|x| [x, 0.0])
        .collect()
}

/// Changes of slope at each node: entry i is |Δv_i − Δv_(i−1)| for the
/// interior nodes, and 0 at both ends.
fn slope_changes(values: &[f64]) -> Vec<f64> {
    let mut changes = vec![0.0; values.len()];
    for i in 1..values.len().saturating_sub(1) {
        changes[i] = ((values[i + 1] - values[i]) - (values[i] - values[i - 1])).abs();
    }
    changes
}

/// Narrows [`start`, `end`], which contains a kink, by evaluating f on 9
/// points and keeping the two intervals around the node of largest change
/// of slope, until it is `KINK_WIDTH` wide; returns its centre. Returns
/// `None` when the window stops looking like a kink (the largest change
/// no longer stands out, so the stretch is smooth but curved) or the
/// evaluations in `allowed` run out.
fn locate_kink(sampler: &Sampler, mut start: f64, mut end: f64, allowed: &mut u64) -> Option<f64> {
    let mut points = [[0.0; 2]; ZOOM_POINTS];
    let mut values = [0.0; ZOOM_POINTS];
    while end - start > KINK_WIDTH {
        if *allowed < ZOOM_POINTS as u64 {
            return None;
        }
        *allowed -= ZOOM_POINTS as u64;
        let step = (end - start) / (ZOOM_POINTS - 1) as f64;
        for (k, point) in points.iter_mut().enumerate() {
            *point = [start + step * k as f64, 0.0];
        }
        sampler.eval_many(&points, &mut values);
        let changes = slope_changes(&values);
        let (node, &largest) = changes
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))?;
        let others = changes
            .iter()
            .enumerate()
            .filter(|&(k, _)| k + 1 < node || k > node + 1)
            .fold(0.0_f64, |m, (_, c)| m.max(*c));
        if largest <= STEP_RATIO * others || largest == 0.0 {
            return None;
        }
        start = points[node - 1][0];
        end = points[node + 1][0];
    }
    Some(0.5 * (start + end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Family, State};
    use crate::target::build_target;

    fn sampler(expr: &str) -> Sampler {
        let state = State {
            d: 1,
            target: Family::Custom,
            expr: expr.to_string(),
            ..State::default()
        };
        Sampler::new(build_target(&state).unwrap())
    }

    #[test]
    fn finds_a_jump() {
        let seeds = sampler("x >= 1/3").seeds().to_vec();
        assert_eq!(seeds.len(), 1, "{seeds:?}");
        assert!((seeds[0][0] - 1.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn finds_kinks() {
        let seeds = sampler("abs(x - 1/3) + 2*max(x - 0.71, 0)")
            .seeds()
            .to_vec();
        assert_eq!(seeds.len(), 2, "{seeds:?}");
        assert!((seeds[0][0] - 1.0 / 3.0).abs() < 1e-9, "{seeds:?}");
        assert!((seeds[1][0] - 0.71).abs() < 1e-9, "{seeds:?}");
    }

    #[test]
    fn finds_a_kink_at_a_scan_node() {
        let seeds = sampler("abs(x - 0.5)").seeds().to_vec();
        assert_eq!(seeds.len(), 1, "{seeds:?}");
        assert!((seeds[0][0] - 0.5).abs() < 1e-9, "{seeds:?}");
    }

    #[test]
    fn smooth_curves_have_no_seeds() {
        for expr in ["sin(40*x)", "exp(3*x)", "x^2", "sqrt(x + 0.001)"] {
            let seeds = sampler(expr).seeds().to_vec();
            assert!(seeds.is_empty(), "{expr}: {seeds:?}");
        }
    }
}
