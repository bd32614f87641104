//! Counted access to a target: every evaluation the engine makes goes
//! through a `Sampler`, which counts it (for the work budget) and replaces
//! non-finite values by 0, remembering how many there were and where the
//! first one was.

use std::cell::Cell;

use crate::discontinuity::detect_jumps;
use crate::grid::Point;
use crate::target::Target;

/// A target with an evaluation counter and a record of non-finite values.
pub struct Sampler {
    target: Box<dyn Target>,
    seeds: Vec<Point>,
    evaluations: Cell<u64>,
    non_finite: Cell<u64>,
    first_non_finite: Cell<Option<Point>>,
}

/// Non-finite values met so far: how many, and the first point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NonFinite {
    /// Number of evaluations that returned NaN or ±∞.
    pub count: u64,
    /// The first point where that happened.
    pub first: Point,
}

impl Sampler {
    /// Wraps `target` with zeroed counters. A 1D target that reports no
    /// singularities is scanned for jumps first (see `discontinuity`).
    pub fn new(target: Box<dyn Target>) -> Sampler {
        let seeds = target.seeds();
        let mut sampler = Sampler {
            target,
            seeds,
            evaluations: Cell::new(0),
            non_finite: Cell::new(0),
            first_non_finite: Cell::new(None),
        };
        if sampler.dim() == 1 && !sampler.target.reports_singularities() {
            sampler.seeds = detect_jumps(&sampler);
        }
        sampler
    }

    /// Points where f is not smooth: the target's own, or the jumps found
    /// by scanning. Quadrature cuts the domain along their coordinates.
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
        self.evaluations.get()
    }

    /// Work so far in cost units: evaluations × the target's unit cost.
    pub fn work(&self) -> u64 {
        self.evaluations.get() * self.target.cost()
    }

    /// Non-finite values met so far, if any.
    pub fn non_finite(&self) -> Option<NonFinite> {
        let count = self.non_finite.get();
        let first = self.first_non_finite.get()?;
        Some(NonFinite { count, first })
    }

    /// Adds `count` evaluations made outside `eval_many` (closed forms
    /// that stand for a quadrature are not counted; this is for callers that
    /// evaluate the target directly).
    pub fn charge(&self, count: u64) {
        self.evaluations.set(self.evaluations.get() + count);
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
    /// non-finite values kept as NaN so that pictures can mark them.
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
        for (point, value) in points.iter().zip(out.iter_mut()) {
            if !value.is_finite() {
                *value = 0.0;
                self.record_non_finite(*point);
            }
        }
    }

    /// Records a non-finite value found at `point` by a caller.
    pub fn record_non_finite(&self, point: Point) {
        self.non_finite.set(self.non_finite.get() + 1);
        if self.first_non_finite.get().is_none() {
            self.first_non_finite.set(Some(point));
        }
    }
}
