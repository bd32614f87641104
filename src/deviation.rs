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
//!   targets too rough for quadrature. A cell that contains a seed (a
//!   point where f jumps or bends) can be integrated by quadrature instead
//!   and left out of the sampling. At fine levels the samples land in such
//!   a cell rarely or never, so they would miss all of its error.

use crate::crossing::{crossing_deviation, Mode};
use crate::grid::{Grid, Point};
use crate::parallel;
use crate::qmc;
use crate::quadrature::{integrate, rule_cost, Adaptive, Quadrature};
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

/// How much work a cell's deviation integral gets.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Effort {
    /// One fixed rule per piece (adaptive only for cells that contain a
    /// seed), with an error estimate where the target may hide
    /// non-smooth points.
    First,
    /// Adaptive refinement to the given tolerance and budget.
    Refine(Adaptive),
}

/// Evaluation cap of a first-pass cell that contains a seed.
const SEEDED_CELL_BUDGET: u64 = 20_000;

/// ∫ over the box `[lo, hi]` of |f − centre|^p.
///
/// For an even integer p the integrand is as smooth as f, and tensor
/// Gauss–Kronrod rules are used. Otherwise the cell is integrated by the
/// sign-change-aware rules of `crossing`.
pub fn box_deviation(
    sampler: &Sampler,
    lo: Point,
    hi: Point,
    centre: f64,
    p: f64,
    effort: Effort,
) -> Quadrature {
    if let Some(exact) = sampler.target().box_deviation(lo, hi, centre, p) {
        return Quadrature {
            value: exact,
            error: 0.0,
            evaluations: 0,
            converged: true,
        };
    }

    let d = sampler.dim();
    let seeds: Vec<Point> = sampler
        .seeds()
        .iter()
        .copied()
        .filter(|s| contains(d, lo, hi, *s))
        .collect();
    // A fixed rule is unreliable next to a singular point as well: its error
    // falls only like (size / distance)^10.
    let near_seed = sampler
        .seeds()
        .iter()
        .any(|s| distance_to_box(d, lo, hi, *s) <= NEAR_SEED_SIZES * box_size(d, lo, hi));
    let seeded_effort = Adaptive {
        tolerance: 0.0,
        relative: 1e-9,
        max_evaluations: SEEDED_CELL_BUDGET,
    };

    if is_even_integer(p) {
        let settings = match effort {
            Effort::Refine(settings) => settings,
            Effort::First if near_seed => seeded_effort,
            Effort::First => Adaptive {
                tolerance: f64::INFINITY,
                relative: 0.0,
                max_evaluations: rule_cost(d),
            },
        };
        let mut integrand = |points: &[Point], out: &mut [f64]| {
            sampler.eval_many(points, out);
            for value in out.iter_mut() {
                *value = abs_pow(*value - centre, p);
            }
        };
        return integrate(d, lo, hi, &seeds, &mut integrand, settings);
    }

    let mode = match effort {
        Effort::Refine(settings) => Mode::Adaptive(settings),
        Effort::First if near_seed => Mode::Adaptive(seeded_effort),
        // The outer integral can meet a turning point of the zero curve (a
        // closed level curve around an extremum), so it is always checked.
        // Rows are checked too in 1D and for targets that may hide
        // non-smooth points.
        Effort::First => Mode::Fixed {
            estimate_outer: true,
            estimate_inner: d == 1 || !sampler.target().reports_singularities(),
        },
    };
    crossing_deviation(sampler, lo, hi, centre, p, &seeds, mode)
}

/// Cells within this many cell sizes of a seed count as near it.
const NEAR_SEED_SIZES: f64 = 4.0;

/// Largest side of the box.
fn box_size(d: usize, lo: Point, hi: Point) -> f64 {
    let width = hi[0] - lo[0];
    if d == 1 {
        width
    } else {
        width.max(hi[1] - lo[1])
    }
}

/// Euclidean distance from `point` to the closed box (0 inside).
fn distance_to_box(d: usize, lo: Point, hi: Point, point: Point) -> f64 {
    let dx = (lo[0] - point[0]).max(point[0] - hi[0]).max(0.0);
    if d == 1 {
        return dx;
    }
    let dy = (lo[1] - point[1]).max(point[1] - hi[1]).max(0.0);
    dx.hypot(dy)
}

/// Returns whether the closed box `[lo, hi]` contains `point`.
fn contains(d: usize, lo: Point, hi: Point, point: Point) -> bool {
    let along_x = point[0] >= lo[0] && point[0] <= hi[0];
    along_x && (d == 1 || (point[1] >= lo[1] && point[1] <= hi[1]))
}

/// Returns whether p is 2, 4, 6, …, for which |g|^p = g^p is smooth.
fn is_even_integer(p: f64) -> bool {
    p.fract() == 0.0 && (p as u64) % 2 == 0
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
/// the r-th shift of `error_seed(level)`. With several levels, the shifts
/// of the first level serve all of them.
#[derive(Clone, Debug)]
pub struct MonteCarloError {
    levels: Vec<u32>,
    p: f64,
    points_per_shift: u64,
    shifts: Vec<Point>,
    /// `sums[level_index][shift]`: running sums of |f − Φ_ℓ|^p.
    sums: Vec<Vec<f64>>,
    /// `seed_cells[level_index]`: cells integrated by quadrature instead.
    seed_cells: Vec<SeedCells>,
    next_shift: usize,
    next_point: u64,
}

/// Maximum number of seed cells per level integrated by quadrature.
const MAX_SEED_CELLS: usize = 16;

/// The cells of one level that contain a seed, and ∫ |f − Φ_ℓ|^p over them.
#[derive(Clone, Debug, Default)]
struct SeedCells {
    grid: Option<Grid>,
    /// Per-axis indices, sorted.
    cells: Vec<[u64; 2]>,
    integral: f64,
}

impl SeedCells {
    /// Returns whether `point` lies in one of the cells.
    fn contains(&self, point: Point) -> bool {
        match &self.grid {
            Some(grid) if !self.cells.is_empty() => {
                self.cells.binary_search(&grid.cell_of(point)).is_ok()
            }
            _ => false,
        }
    }
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
        let seed_cells = vec![SeedCells::default(); levels.len()];
        MonteCarloError {
            levels,
            p,
            points_per_shift,
            shifts,
            sums,
            seed_cells,
            next_shift: 0,
            next_point: 0,
        }
    }

    /// Integrates the cells that contain one of the sampler's seeds (at
    /// most `MAX_SEED_CELLS` per level) by quadrature with `settings`, and
    /// leaves them out of the sampling. Call it before any point is
    /// processed. Seeds with a coordinate outside [0, 1] (lines found by
    /// scanning a 2D target) are not cells and are skipped.
    pub fn integrate_seed_cells(
        &mut self,
        sampler: &Sampler,
        readouts: &Readouts,
        settings: Adaptive,
    ) {
        debug_assert!(self.next_shift == 0 && self.next_point == 0);
        let d = sampler.dim();
        let inside = |seed: &Point| (0..d).all(|axis| (0.0..=1.0).contains(&seed[axis]));
        for (level_index, &level) in self.levels.iter().enumerate() {
            let Ok(grid) = Grid::new(d, readouts.base(), level) else {
                continue;
            };
            let mut cells: Vec<[u64; 2]> = sampler
                .seeds()
                .iter()
                .filter(|seed| inside(seed))
                .map(|&seed| grid.cell_of(seed))
                .collect();
            cells.sort_unstable();
            cells.dedup();
            cells.truncate(MAX_SEED_CELLS);

            let mut integral = 0.0;
            for &cell in &cells {
                let (lo, hi) = grid.cell_box(cell);
                let centre = [0.5 * (lo[0] + hi[0]), 0.5 * (lo[1] + hi[1])];
                let mut readout = [0.0];
                readouts.values(sampler, level, &[centre], &mut readout);
                integral += box_deviation(
                    sampler,
                    lo,
                    hi,
                    readout[0],
                    self.p,
                    Effort::Refine(settings),
                )
                .value;
            }
            self.seed_cells[level_index] = SeedCells {
                grid: Some(grid),
                cells,
                integral,
            };
        }
    }

    /// Returns whether every point has been processed.
    pub fn is_done(&self) -> bool {
        self.next_shift >= self.shifts.len()
    }

    /// Processes up to `max_points` further points.
    pub fn advance(&mut self, sampler: &Sampler, readouts: &Readouts, max_points: u64) {
        let d = sampler.dim();
        let mut remaining = max_points;
        let mut points = Vec::new();
        let mut values = Vec::new();
        let mut readout_values = Vec::new();

        while remaining > 0 && !self.is_done() {
            let batch = remaining
                .min(self.points_per_shift - self.next_point)
                .min(1024);
            let shift = self.shifts[self.next_shift];

            points.clear();
            for k in self.next_point..self.next_point + batch {
                points.push(qmc::point(d, shift, k, [0.0, 0.0], [1.0, 1.0]));
            }
            values.resize(points.len(), 0.0);
            sampler.eval_many(&points, &mut values);

            readout_values.resize(points.len(), 0.0);
            for (level_index, &level) in self.levels.iter().enumerate() {
                readouts.values(sampler, level, &points, &mut readout_values);
                let seed_cells = &self.seed_cells[level_index];
                let sum = &mut self.sums[level_index][self.next_shift];
                add_sampled(sum, &values, &readout_values, &points, seed_cells, self.p);
            }

            self.next_point += batch;
            remaining -= batch;
            if self.next_point == self.points_per_shift {
                self.next_point = 0;
                self.next_shift += 1;
            }
        }
    }

    /// Processes every remaining point, spreading whole shifts over up to
    /// `threads` threads. The sums are the same as those of `advance`,
    /// which also adds the points of a shift one by one in order.
    pub fn complete(&mut self, sampler: &Sampler, readouts: &Readouts, threads: usize) {
        if self.next_point > 0 {
            let rest = self.points_per_shift - self.next_point;
            self.advance(sampler, readouts, rest);
        }
        let first = self.next_shift;
        let remaining = self.shifts.len().saturating_sub(first);
        let results = parallel::map(remaining, threads, |offset| {
            self.shift_sums(sampler, readouts, first + offset)
        });
        for (offset, sums) in results.into_iter().enumerate() {
            for (level_sums, sum) in self.sums.iter_mut().zip(sums) {
                level_sums[first + offset] = sum;
            }
        }
        self.next_shift = self.shifts.len();
        self.next_point = 0;
    }

    /// Sums of |f − Φ_ℓ|^p over every point of one shift, per level.
    fn shift_sums(&self, sampler: &Sampler, readouts: &Readouts, shift_index: usize) -> Vec<f64> {
        let d = sampler.dim();
        let shift = self.shifts[shift_index];
        let mut sums = vec![0.0; self.levels.len()];
        let mut points = Vec::with_capacity(1024);
        let mut values = vec![0.0; 1024];
        let mut readout_values = vec![0.0; 1024];
        let mut start = 0;
        while start < self.points_per_shift {
            let end = (start + 1024).min(self.points_per_shift);
            points.clear();
            points.extend((start..end).map(|k| qmc::point(d, shift, k, [0.0, 0.0], [1.0, 1.0])));
            let count = points.len();
            sampler.eval_many(&points, &mut values[..count]);
            for ((sum, &level), seed_cells) in
                sums.iter_mut().zip(&self.levels).zip(&self.seed_cells)
            {
                readouts.values(sampler, level, &points, &mut readout_values[..count]);
                add_sampled(
                    sum,
                    &values[..count],
                    &readout_values[..count],
                    &points,
                    seed_cells,
                    self.p,
                );
            }
            start = end;
        }
        sums
    }

    /// Returns the estimates, one per level, once `is_done`: the sampled
    /// integral over the cells without seeds plus the seed cells' integral.
    pub fn estimates(&self) -> Vec<ErrorEstimate> {
        self.sums
            .iter()
            .zip(&self.seed_cells)
            .map(|(sums, seed_cells)| {
                let means: Vec<f64> = sums
                    .iter()
                    .map(|sum| sum / self.points_per_shift as f64)
                    .collect();
                let combined = qmc::combine(&means);
                let integral = combined.mean + seed_cells.integral;
                to_error(integral, combined.standard_error, self.p)
            })
            .collect()
    }
}

/// Adds |f − Φ_ℓ|^p at each of `points` outside `seed_cells` to `sum`, one
/// point after the other (so that any split into batches gives the same
/// sum), from the values of f and of the readout there.
fn add_sampled(
    sum: &mut f64,
    values: &[f64],
    readouts: &[f64],
    points: &[Point],
    seed_cells: &SeedCells,
    p: f64,
) {
    let pairs = values.iter().zip(readouts);
    let mut total = *sum;
    if seed_cells.cells.is_empty() {
        for (value, readout) in pairs {
            total += abs_pow(value - readout, p);
        }
    } else {
        for ((value, readout), point) in pairs.zip(points) {
            if !seed_cells.contains(*point) {
                total += abs_pow(value - readout, p);
            }
        }
    }
    *sum = total;
}

/// ‖·‖_p and its standard error from the p-th-power integral and its
/// standard error, by the delta method: d(I^{1/p}) = I^{1/p − 1} dI / p.
///
/// A negative integral (rounding) counts as 0. A NaN integral (readouts
/// that overflowed to ±∞) gives a NaN error rather than 0.
pub fn to_error(integral: f64, standard_error: f64, p: f64) -> ErrorEstimate {
    let integral = if integral < 0.0 { 0.0 } else { integral };
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
