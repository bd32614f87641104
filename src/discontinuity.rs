//! Locating the jumps and kinks of a target that reports none.
//!
//! A typed expression such as `x >= 1/3`, `floor(5*x)/5` or `abs(x - 1/3)`
//! gives no hint of where it jumps or bends, and quadrature can step over
//! such a point, or over the thin strip where f(x + h) and f(x) differ,
//! without noticing. A Gauss–Kronrod rule whose nodes all miss the strip
//! reads a constant and reports no error.
//!
//! Scanning f on a fine grid finds steps far larger than their neighbours
//! (jumps), which are then bisected to a few units in the last place. It
//! also finds changes of slope far larger than their neighbours (kinks),
//! which are then located by zooming in to about 1e-9. Both serve as seeds
//! (cut points) for all later quadrature. In 2D only lines
//! parallel to an axis are found this way.

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

/// Scan lines per axis of a 2D target.
const LINES_2D: usize = 8;

/// Minimum number of intervals of a 2D scan line. A target too costly for
/// that many is not scanned.
const MIN_SCAN_INTERVALS_2D: u64 = 64;

/// Positions found on different scan lines that agree to within this are
/// one line of the target.
const LINE_TOLERANCE: f64 = 1e-7;

/// A 2D target's jump or kink counts as a line across the square when it
/// is found at the same position on at least this many scan lines.
const MIN_LINE_HITS: usize = 2;

/// The line of the square along which f is scanned: `axis` varies over
/// [0, 1] and the other coordinate is `at`.
#[derive(Clone, Copy, Debug)]
struct Line {
    axis: usize,
    at: f64,
}

impl Line {
    fn point(&self, t: f64) -> Point {
        if self.axis == 0 {
            [t, self.at]
        } else {
            [self.at, t]
        }
    }
}

/// Returns the places where a target that reports no singularities jumps
/// or has a kink, as seeds for quadrature.
///
/// In 1D these are the positions in (0, 1), sorted. In 2D, f is scanned
/// along `LINES_2D` rows and as many columns, and only the positions found
/// on several of them are kept: lines x = c and y = c across the square
/// (as in `x >= 1/3` or `abs(y - 0.5)`). Each is returned as a seed whose
/// other coordinate is −1, outside the square, so that quadrature cuts
/// along that line only. Jumps and kinks along other curves give no seed.
pub fn detect_singularities(sampler: &Sampler) -> Vec<Point> {
    let work = SCAN_WORK / sampler.target().cost().max(1);
    if sampler.dim() == 1 {
        let line = Line { axis: 0, at: 0.0 };
        return detect_on_line(sampler, line, work.max(MIN_SCAN_INTERVALS as u64))
            .into_iter()
            .map(|x| [x, 0.0])
            .collect();
    }

    // Half of the work scans the lines and half locates kinks. A target
    // too costly for a useful scan gets none.
    let work_per_line = work / (4 * LINES_2D) as u64;
    if work_per_line < MIN_SCAN_INTERVALS_2D {
        return Vec::new();
    }
    let mut seeds = Vec::new();
    for axis in 0..2 {
        let mut found: Vec<f64> = (0..LINES_2D)
            .flat_map(|j| {
                let at = (j as f64 + 0.5) / LINES_2D as f64;
                detect_on_line(sampler, Line { axis, at }, work_per_line)
            })
            .collect();
        found.sort_by(f64::total_cmp);
        for position in common_positions(&found) {
            let mut seed = [-1.0, -1.0];
            seed[axis] = position;
            seeds.push(seed);
        }
    }
    seeds
}

/// Groups sorted `positions` that lie within `LINE_TOLERANCE` of their
/// neighbour and returns the median of each group of at least
/// `MIN_LINE_HITS`.
fn common_positions(positions: &[f64]) -> Vec<f64> {
    let mut common = Vec::new();
    let mut start = 0;
    for end in 1..=positions.len() {
        let split = end == positions.len() || positions[end] - positions[end - 1] > LINE_TOLERANCE;
        if split {
            if end - start >= MIN_LINE_HITS {
                common.push(positions[start + (end - start) / 2]);
            }
            start = end;
        }
    }
    common
}

/// Positions in (0, 1) along `line` where f jumps or has a kink, sorted,
/// using about `work` evaluations for the scan and as many for locating.
fn detect_on_line(sampler: &Sampler, line: Line, work: u64) -> Vec<f64> {
    let (ts, values) = scan(sampler, line, work);
    let jumps = detect_jumps(sampler, line, &ts, &values);
    let mut positions = detect_kinks(sampler, line, &ts, &values, &jumps, work);
    positions.extend(jumps);
    positions.sort_by(f64::total_cmp);
    positions.dedup();
    positions
}

/// Evaluates f along `line` on a grid as fine as `work` evaluations allow,
/// with at most `SCAN_INTERVALS` intervals.
fn scan(sampler: &Sampler, line: Line, work: u64) -> (Vec<f64>, Vec<f64>) {
    let intervals = (work as usize).clamp(1, SCAN_INTERVALS);
    let ts: Vec<f64> = (0..=intervals)
        .map(|i| i as f64 / intervals as f64)
        .collect();
    let points: Vec<Point> = ts.iter().map(|&t| line.point(t)).collect();
    let mut values = vec![0.0; points.len()];
    sampler.eval_many(&points, &mut values);
    (ts, values)
}

/// Positions along `line` where f jumps, sorted, from the scan `ts`,
/// `values`. A step that shrinks under bisection (a steep but continuous
/// stretch) is not a jump.
fn detect_jumps(sampler: &Sampler, line: Line, ts: &[f64], values: &[f64]) -> Vec<f64> {
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

    let mut jumps: Vec<f64> = candidates
        .into_iter()
        .filter_map(|i| {
            let ends = (ts[i], ts[i + 1]);
            bisect_jump(sampler, line, ends, (values[i], values[i + 1]))
        })
        .collect();
    jumps.sort_by(f64::total_cmp);
    jumps.dedup();
    jumps
}

/// Bisects the interval `ends` of `line`, where f takes the values
/// `values`, keeping the half across which f changes more. Returns the
/// jump position if the change survives down to adjacent doubles.
fn bisect_jump(sampler: &Sampler, line: Line, ends: (f64, f64), values: (f64, f64)) -> Option<f64> {
    let ((mut a, mut b), (mut fa, mut fb)) = (ends, values);
    let initial = (fb - fa).abs();
    for _ in 0..BISECTIONS {
        let middle = 0.5 * (a + b);
        if middle <= a || middle >= b {
            break;
        }
        let fm = sampler.eval(line.point(middle));
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

/// Positions along `line` where the slope of f changes far more than
/// nearby, from the scan `ts`, `values`, away from the `jumps`, locating
/// them with at most `work` evaluations in all.
///
/// A kink between nodes shows as a change of slope at a node that is a
/// local maximum and exceeds the changes two nodes away by `STEP_RATIO`.
/// Smooth curvature changes the slope about equally at neighbouring nodes.
/// Each candidate is then located by `locate_kink`.
fn detect_kinks(
    sampler: &Sampler,
    line: Line,
    ts: &[f64],
    values: &[f64],
    jumps: &[f64],
    work: u64,
) -> Vec<f64> {
    let changes = slope_changes(values);
    let largest = values.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    // Changes at the level of rounding are not kinks.
    let floor = 1e-8 * largest;
    let spacing = ts.get(1).copied().unwrap_or(1.0);

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
                .all(|jump| (jump - ts[i]).abs() > 2.5 * spacing)
        })
        .collect();
    candidates.sort_by(|&a, &b| changes[b].total_cmp(&changes[a]));
    candidates.truncate(MAX_KINKS);

    let mut allowed = work;
    candidates
        .into_iter()
        .filter_map(|i| locate_kink(sampler, line, (ts[i - 1], ts[i + 1]), &mut allowed))
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

/// Narrows the interval `window` of `line`, which contains a kink, by
/// evaluating f on 9 points and keeping the two intervals around the node
/// of largest change of slope, until it is `KINK_WIDTH` wide. Returns its
/// centre. Returns `None` when the window stops looking like a kink, or
/// when the evaluations in `allowed` run out. A window stops looking like a
/// kink when its largest change is not `STEP_RATIO` times the others: the
/// stretch is then smooth but curved.
fn locate_kink(
    sampler: &Sampler,
    line: Line,
    window: (f64, f64),
    allowed: &mut u64,
) -> Option<f64> {
    let (mut start, mut end) = window;
    let mut ts = [0.0; ZOOM_POINTS];
    let mut points = [[0.0; 2]; ZOOM_POINTS];
    let mut values = [0.0; ZOOM_POINTS];
    while end - start > KINK_WIDTH {
        if *allowed < ZOOM_POINTS as u64 {
            return None;
        }
        *allowed -= ZOOM_POINTS as u64;
        let step = (end - start) / (ZOOM_POINTS - 1) as f64;
        for k in 0..ZOOM_POINTS {
            ts[k] = start + step * k as f64;
            points[k] = line.point(ts[k]);
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
        if largest == 0.0 || largest <= STEP_RATIO * others {
            return None;
        }
        start = ts[node - 1];
        end = ts[node + 1];
    }
    Some(0.5 * (start + end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Family, State};
    use crate::target::build_target;

    fn sampler(expr: &str) -> Sampler {
        sampler_in(1, expr)
    }

    fn sampler_in(d: usize, expr: &str) -> Sampler {
        let state = State {
            d,
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

    #[test]
    fn finds_axis_lines_in_2d() {
        let seeds = sampler_in(2, "(x >= 1/3) + abs(y - 0.7)").seeds().to_vec();
        assert_eq!(seeds.len(), 2, "{seeds:?}");
        assert!((seeds[0][0] - 1.0 / 3.0).abs() < 1e-15, "{seeds:?}");
        assert_eq!(seeds[0][1], -1.0);
        assert_eq!(seeds[1][0], -1.0);
        assert!((seeds[1][1] - 0.7).abs() < 1e-9, "{seeds:?}");
    }

    #[test]
    fn slanted_lines_give_no_seeds_in_2d() {
        let seeds = sampler_in(2, "abs(0.6*x + 0.8*y - 0.5)").seeds().to_vec();
        assert!(seeds.is_empty(), "{seeds:?}");
    }
}
