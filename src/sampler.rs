//! Counted access to a target: every evaluation the engine makes goes
//! through a `Sampler`, which counts it (for the work budget) and replaces
//! non-finite values by 0, remembering how many there were and where the
//! first one was.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use crate::discontinuity::detect_singularities;
use crate::grid::Point;
use crate::target::Target;

/// A target with an evaluation counter and a record of non-finite values.
///
/// The counters are atomic, so that the native command-line tool can share
/// one sampler between threads; every count is the same as in a sequential
/// run.
pub struct Sampler {
    target: Box<dyn Target>,
    seeds: Vec<Point>,
    evaluations: AtomicU64,
    /// Evaluations whose values were checked for NaN and ±∞: all but those
    /// of `eval_grid_raw`.
    checked: AtomicU64,
    non_finite: AtomicU64,
    first_non_finite: Mutex<Option<Point>>,
}

/// Non-finite values met so far: how many, out of how many checked
/// evaluations, and the smallest point (by x, then y) where one occurred.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NonFinite {
    /// Number of evaluations that returned NaN or ±∞.
    pub count: u64,
    /// Number of evaluations checked for NaN and ±∞, so that `count` of
    /// `evaluations` is a share. The raw samples of `Sampler::eval_grid_raw`
    /// are in neither number.
    pub evaluations: u64,
    /// The smallest such point, by x and then y.
    pub first: Point,
}

impl Sampler {
    /// Wraps `target` with zeroed counters. A target that reports no
    /// singularities is scanned for jumps and kinks first (see
    /// `discontinuity`).
    pub fn new(target: Box<dyn Target>) -> Sampler {
        let seeds = target.seeds();
        let mut sampler = Sampler {
            target,
            seeds,
            evaluations: AtomicU64::new(0),
            checked: AtomicU64::new(0),
            non_finite: AtomicU64::new(0),
            first_non_finite: Mutex::new(None),
        };
        if !sampler.target.reports_singularities() {
            sampler.seeds = detect_singularities(&sampler);
        }
        sampler
    }

    /// Points where f is not smooth: the target's own, or the jumps and
    /// kinks found by scanning. Quadrature cuts its box along each
    /// coordinate of a seed that lies inside the box, so a seed with one
    /// coordinate outside [0, 1] marks a line along the other axis.
    pub fn seeds(&self) -> &[Point] {
        &self.seeds
    }

    /// Returns the wrapped target.
    pub fn target(&self) -> &dyn Target {
        self.target.as_ref()
    }

    /// Dimension of the target.
    pub fn dim(&self) -> usize {
        self.target.dim()
    }

    /// Evaluations of f so far.
    pub fn evaluations(&self) -> u64 {
        self.evaluations.load(Ordering::Relaxed)
    }

    /// Work so far in cost units: evaluations × the target's unit cost.
    pub fn work(&self) -> u64 {
        self.evaluations.load(Ordering::Relaxed) * self.target.cost()
    }

    /// Non-finite values met so far, if any.
    pub fn non_finite(&self) -> Option<NonFinite> {
        let count = self.non_finite.load(Ordering::Relaxed);
        let evaluations = self.checked.load(Ordering::Relaxed);
        let first = (*self.first_non_finite.lock().ok()?)?;
        Some(NonFinite {
            count,
            evaluations,
            first,
        })
    }

    /// Adds `count` evaluations made outside `eval_many` (closed forms
    /// that stand for a quadrature are not counted; this is for callers that
    /// evaluate the target directly).
    pub fn charge(&self, count: u64) {
        self.evaluations.fetch_add(count, Ordering::Relaxed);
    }

    /// f at many points; non-finite values become 0 and are recorded.
    pub fn eval_many(&self, points: &[Point], out: &mut [f64]) {
        self.target.eval_many(points, out);
        self.charge(points.len() as u64);
        self.scrub(points, out);
    }

    /// f at one point; a non-finite value becomes 0 and is recorded.
    pub fn eval(&self, point: Point) -> f64 {
        let mut value = [0.0];
        self.eval_many(&[point], &mut value);
        value[0]
    }

    /// f on the tensor grid `xs × ys` (see `Target::eval_grid`), with
    /// non-finite values kept as NaN so that pictures can mark them. These
    /// evaluations count as work but are not checked, so `non_finite`
    /// leaves them out of both of its counts.
    pub fn eval_grid_raw(&self, xs: &[f64], ys: &[f64], out: &mut [f64]) {
        self.target.eval_grid(xs, ys, out);
        let count = if self.dim() == 1 {
            xs.len()
        } else {
            xs.len() * ys.len()
        };
        self.charge(count as u64);
    }

    fn scrub(&self, points: &[Point], out: &mut [f64]) {
        self.checked
            .fetch_add(points.len() as u64, Ordering::Relaxed);
        for (point, value) in points.iter().zip(out.iter_mut()) {
            if !value.is_finite() {
                *value = 0.0;
                self.record_non_finite(*point);
            }
        }
    }

    /// Records a non-finite value found at `point` by a caller.
    pub fn record_non_finite(&self, point: Point) {
        self.non_finite.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut first) = self.first_non_finite.lock() {
            // The smallest point (by x, then y) rather than the earliest, so
            // that threaded and sequential runs report the same one.
            let earlier = first.is_some_and(|f| (f[0], f[1]) <= (point[0], point[1]));
            if !earlier {
                *first = Some(point);
            }
        }
    }
}
