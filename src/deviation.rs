//! Integrals of |f − Φ_ℓ|^p: the p-th power of the L^p error of a readout.
//!
//! Two methods:
//!
//! - Quadrature, cell by cell: on each cell Φ_ℓ is the constant cell mean c,
//!   so the error integral is Σ_cells ∫_cell |f − c|^p. Targets with a closed
//!   form (the jump) give it exactly; otherwise adaptive Gauss–Kronrod
//!   splits where f − c changes sign or f is not smooth.
//! - Randomised quasi-Monte-Carlo over [0,1]^d, with a standard error from
//!   independent random shifts, for levels with too many cells and for
//!   targets too rough for quadrature.

use crate::crossing::crossing_deviation;
use crate::grid::Point;
use crate::qmc;
use crate::quadrature::{integrate, Adaptive, Quadrature};
use crate::readout::Readouts;
use crate::sampler::Sampler;

/// `|value|^p`, with the common integer exponents computed exactly.
pub fn abs_pow(value: f64, p: f64) -> f64 {
    let magnitude = value.abs();
    if p == 1.0 {
        magnitude
    } else if p == 2.0 {
        magnitude * magnitude
    } else {
        libm::pow(magnitude, p)
    }
}

/// ∫ over the box `[lo, hi]` of |f − centre|^p.
pub fn box_deviation(
    sampler: &Sampler,
    lo: Point,
    hi: Point,
    centre: f64,
    p: f64,
    settings: Adaptive,
) -> Quadrature {
    if let Some(exact) = sampler.target().box_deviation(lo, hi, centre, p) {
        return Quadrature {
            value: exact,
            error: 0.0,
            evaluations: 0,
            converged: true,
        };
    }
    let seeds = sampler.target().seeds();
    if uses_crossing_rule(sampler.dim(), lo, hi, p, &seeds) {
        let evaluations_before = sampler.evaluations();
        let value = crossing_deviation(sampler, lo, hi, centre, p);
        return Quadrature {
            value,
            error: 0.0,
            evaluations: sampler.evaluations() - evaluations_before,
            converged: true,
        };
    }
    let mut integrand = |points: &[Point], out: &mut [f64]| {
        sampler.eval_many(points, out);
        for value in out.iter_mut() {
            *value = abs_pow(*value - centre, p);
        }
    };
    integrate(sampler.dim(), lo, hi, &seeds, &mut integrand, settings)
}

/// Whether a 2D cell goes to the sign-change-aware rule of `crossing`: when
/// p is not an even integer (else |f − c|^p is smooth) and no non-smooth
/// seed point lies in the closed cell (those cells refine adaptively).
fn uses_crossing_rule(d: usize, lo: Point, hi: Point, p: f64, seeds: &[Point]) -> bool {
    if d != 2 {
        return false;
    }
    let even = p.fract() == 0.0 && (p as u64) % 2 == 0;
    if even {
        return false;
    }
    !seeds
        .iter()
        .any(|s| s[0] >= lo[0] && s[0] <= hi[0] && s[1] >= lo[1] && s[1] <= hi[1])
}

/// Seed of the random shifts used for the error of `level`.
pub fn error_seed(level: u32) -> u64 {
    0x5EED_0000 + u64::from(level)
}

/// Number of independent random shifts of every Monte Carlo error.
pub const ERROR_SHIFTS: usize = 8;

/// Accumulates one randomised quasi-Monte-Carlo estimate of ∫|f − Φ_ℓ|^p
/// for several levels at once, sharing the samples of f.
///
/// Shift r uses points 0..`points_per_shift` of the R_d sequence rotated by
/// the r-th shift of `error_seed(level)`; with several levels the shifts of
/// the first level are used for all of them.
#[derive(Clone, Debug)]
pub struct MonteCarloError {
    levels: Vec<u32>,
    p: f64,
    points_per_shift: u64,
    shifts: Vec<Point>,
    /// `sums[level_index][shift]`: running sums of |f − Φ_ℓ|^p.
    sums: Vec<Vec<f64>>,
    next_shift: usize,
    next_point: u64,
}

/// A finished Monte Carlo estimate of an L^p error.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ErrorEstimate {
    /// ‖f − Φ_ℓ‖_p.
    pub error: f64,
    /// Standard error of `error` (delta method on the p-th power), or 0 for
    /// a quadrature result.
    pub standard_error: f64,
}

impl MonteCarloError {
    /// Prepares the estimate for `levels` (at least one).
    pub fn new(levels: Vec<u32>, p: f64, points_per_shift: u64) -> MonteCarloError {
        let first = levels.first().copied().unwrap_or(1);
        let shifts = qmc::shifts(error_seed(first), ERROR_SHIFTS);
        let sums = vec![vec![0.0; ERROR_SHIFTS]; levels.len()];
        MonteCarloError {
            levels,
            p,
            points_per_shift,
            shifts,
            sums,
            next_shift: 0,
            next_point: 0,
        }
    }

    /// Whether every point has been processed.
    pub fn is_done(&self) -> bool {
        self.next_shift >= self.shifts.len()
    }

    /// Processes up to `max_points` further points.
    pub fn advance(&mut self, sampler: &Sampler, readouts: &Readouts, max_points: u64) {
        let d = sampler.dim();
        let mut remaining = max_points;
        let mut points = Vec::new();
        let mut values = Vec::new();

        while remaining > 0 && !self.is_done() {
            let batch = remaining.min(self.points_per_shift - self.next_point).min(256);
            let shift = self.shifts[self.next_shift];

            points.clear();
            for k in self.next_point..self.next_point + batch {
                points.push(qmc::point(d, shift, k, [0.0, 0.0], [1.0, 1.0]));
            }
            values.resize(points.len(), 0.0);
            sampler.eval_many(&points, &mut values);

            for (level_index, &level) in self.levels.iter().enumerate() {
                let sum = &mut self.sums[level_index][self.next_shift];
                for (point, value) in points.iter().zip(&values) {
                    let readout = readouts.value(sampler, level, *point);
                    *sum += abs_pow(value - readout, self.p);
                }
            }

            self.next_point += batch;
            remaining -= batch;
            if self.next_point == self.points_per_shift {
                self.next_point = 0;
                self.next_shift += 1;
            }
        }
    }

    /// The estimates, one per level, once `is_done`.
    pub fn estimates(&self) -> Vec<ErrorEstimate> {
        self.sums
            .iter()
            .map(|sums| {
                let means: Vec<f64> = sums
                    .iter()
                    .map(|sum| sum / self.points_per_shift as f64)
                    .collect();
                let combined = qmc::combine(&means);
                to_error(combined.mean, combined.standard_error, self.p)
            })
            .collect()
    }
}

/// ‖·‖_p and its standard error from the p-th-power integral and its
/// standard error, by the delta method: d(I^{1/p}) = I^{1/p − 1} dI / p.
pub fn to_error(integral: f64, standard_error: f64, p: f64) -> ErrorEstimate {
    let integral = integral.max(0.0);
    let error = root(integral, p);
    let standard_error = if integral > 0.0 {
        error / integral * standard_error / p
    } else {
        0.0
    };
    ErrorEstimate {
        error,
        standard_error,
    }
}

/// `value^{1/p}` for non-negative values.
pub fn root(value: f64, p: f64) -> f64 {
    if p == 1.0 {
        value
    } else if p == 2.0 {
        value.sqrt()
    } else {
        libm::pow(value, 1.0 / p)
    }
}
