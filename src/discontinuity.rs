//! Locating the jumps of a one-dimensional target that reports none.
//!
//! A typed expression such as `x >= 1/3` or `floor(5*x)/5` gives no hint
//! of where it jumps, and quadrature can step over a jump, or over the
//! thin strip where f(x + h) and f(x) differ, without noticing. Scanning f
//! on a fine grid and bisecting every step that is far larger than its
//! neighbours finds such jumps to within a few units in the last place;
//! they then serve as seeds (cut points) for all later quadrature.

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

/// Positions in (0, 1) where the 1D target jumps, sorted. A step that
/// shrinks under bisection (a steep but continuous stretch) is not a jump.
pub fn detect_jumps(sampler: &Sampler) -> Vec<Point> {
    let affordable = SCAN_WORK / sampler.target().cost().max(1);
    let intervals = (affordable as usize).clamp(MIN_SCAN_INTERVALS, SCAN_INTERVALS);
    let xs: Vec<Point> = (0..=intervals)
        .map(|i| [i as f64 / intervals as f64, 0.0])
        .collect();
    let mut values = vec![0.0; xs.len()];
    sampler.eval_many(&xs, &mut values);
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
