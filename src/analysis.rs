//! The per-level computation for one state, done progressively.
//!
//! `Analysis::new` computes draft numbers within a fixed work budget: cell
//! means by closed forms or a 3-point Gauss rule, errors and moduli by
//! small quasi-Monte-Carlo samples. `refine` then replaces them, in chunks
//! of bounded work, by final numbers: errors by adaptive quadrature for
//! levels with at most `QUADRATURE_MAX_CELLS` cells of piecewise-smooth
//! targets, otherwise by randomised quasi-Monte-Carlo with a standard
//! error; moduli by adaptive quadrature per shift, or quasi-Monte-Carlo for
//! the rough lacunary target. The command-line tool runs exactly the same
//! steps to completion, so the page's final table equals its output.

use std::collections::VecDeque;

use crate::deviation::{box_deviation, to_error, Effort, ErrorEstimate, MonteCarloError};
use crate::grid::{Grid, Point};
use crate::modulus::{
    modulus_seed, monotone_envelope, norm_from_integral, shift_integral_monte_carlo,
    shift_integral_quadrature, shift_set, SHIFTS_PER_SCALE,
};
use crate::parallel;
use crate::qmc;
use crate::quadrature::Adaptive;
use crate::readout::{
    aggregate, box_mean, finest_level_within, volume, MeanRule, Readouts, TABULATE_MAX_CELLS,
};
use crate::sampler::{NonFinite, Sampler};
use crate::state::State;
use crate::target::{build_target, Sampling, Target, TargetError};

/// Levels with at most this many cells get quadrature errors (for
/// piecewise-smooth targets); finer levels get quasi-Monte-Carlo.
pub const QUADRATURE_MAX_CELLS: u128 = 100_000;

/// Work budget of the draft, in cost units (evaluations × unit cost).
pub const DRAFT_BUDGET: u64 = 400_000;

/// Points per random shift of a final Monte Carlo error (8 shifts).
pub const FINAL_ERROR_POINTS: u64 = 8192;

/// Points of a final Monte Carlo modulus integral, per sampled shift.
pub const FINAL_OMEGA_POINTS: u64 = 1024;

/// Cells tabulated for the draft readouts at most.
const DRAFT_TABULATE_MAX_CELLS: u128 = 4096;

/// Work of one batch of Monte Carlo points in a refinement step, in cost
/// units.
const ITEM_WORK: u64 = 50_000;

/// Errors of at most this fraction of the size of f
/// (`Analysis::magnitude`) are floating-point rounding. A constant f, whose
/// exact errors are 0, measures at most about 4e-15 times |f| (1D and 2D,
/// N from 2 to 16, p from 1 to 10). The smallest real errors the grids
/// reach are measured well above this: f = x with N = 16 gives 2.62546e-13
/// at level 10, against the exact 2.62549e-13.
pub const ROUNDING_RELATIVE_ERROR: f64 = 1e-13;

/// Target relative accuracy of quadrature error integrals.
const QUADRATURE_RELATIVE_TOLERANCE: f64 = 1e-6;

/// Evaluation caps of the adaptive steps, by dimension.
struct Caps {
    /// Relative accuracy asked of each modulus integral. The estimate of
    /// ω_p is a maximum over sampled shifts anyway, so 2D settles for less.
    omega_tolerance: f64,
    cell: u64,
    level: u64,
    shift: u64,
}

fn caps(d: usize) -> Caps {
    if d == 1 {
        Caps {
            cell: 2_000,
            level: 2_000_000,
            shift: 4_000,
            omega_tolerance: 1e-6,
        }
    } else {
        Caps {
            cell: 10_000,
            level: 6_000_000,
            shift: 6_000,
            omega_tolerance: 1e-3,
        }
    }
}

/// Method behind a number in the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Adaptive quadrature or a closed form.
    Quadrature,
    /// Randomised quasi-Monte-Carlo.
    MonteCarlo,
}

/// One level's numbers.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct LevelRow {
    /// Level ℓ.
    pub level: u32,
    /// Number of cells N^{dℓ}.
    pub cells: u128,
    /// Cell side t = N^{-ℓ}.
    pub side: f64,
    /// ‖f − Φ_ℓ‖_p.
    pub error: f64,
    /// Standard error of `error` (0 for quadrature).
    pub error_standard_error: f64,
    /// Method behind `error`.
    pub error_method: Method,
    /// Largest sampled ‖f(·+h) − f‖_{L^p(Ω_h)} over this level's shifts.
    pub omega_sampled: f64,
    /// Estimate of ω_p(f, t): running maximum of `omega_sampled` over this
    /// and all finer levels, so that it is non-decreasing in t.
    pub omega: f64,
    /// (2d+1)·`omega`: the theorem's bound with the estimated modulus.
    pub bound: f64,
    /// `error / bound`; 0 when both are 0, ∞ when only the bound is 0.
    pub ratio: f64,
    /// Whether `error` is positive but at most `ROUNDING_RELATIVE_ERROR`
    /// times the size of f: floating-point rounding rather than a measured
    /// error, so its ratio is not checked against 1. The number itself is
    /// kept, in the table and in the CSV.
    pub error_at_rounding_level: bool,
    /// Analytic upper bound of ω_p(f, t), when the family has one.
    pub majorant: Option<f64>,
    /// (2d+1)·`majorant`: a certified bound on the error.
    pub certified_bound: Option<f64>,
    /// Reference rate C·N^{-rℓ}, anchored at the first positive error (or
    /// at the level-1 bound when every error is 0).
    pub reference: f64,
    /// Whether `error` is final.
    pub error_final: bool,
    /// Whether `omega` and `bound` are final.
    pub omega_final: bool,
}

/// A unit of deferred work.
enum Task {
    /// Accurate means of the finest quadrature level, cell by cell.
    Means {
        grid: Grid,
        next: usize,
        means: Vec<f64>,
    },
    /// Quadrature error of one level: a first pass of one rule per cell,
    /// then adaptive refinement of the cells whose estimate is too large.
    QuadratureError {
        level: u32,
        refining: bool,
        next: usize,
        cells: Vec<(f64, f64)>,
        cell_tolerance: f64,
        spent: u64,
    },
    /// Monte Carlo error of one level.
    MonteCarloError {
        level: u32,
        estimate: MonteCarloError,
        /// Whether the cells with seeds have been integrated.
        seeded: bool,
    },
    /// Modulus at one level's scale, shift by shift.
    Omega { level: u32, next: usize, best: f64 },
}

/// Per-level values as they are refined.
#[derive(Clone, Copy, Debug)]
struct LevelState {
    error: ErrorEstimate,
    error_method: Method,
    error_final: bool,
    omega: f64,
    omega_final: bool,
}

/// The computation for one state.
pub struct Analysis {
    d: usize,
    n: u32,
    depth: u32,
    p: f64,
    eps: f64,
    sampler: Sampler,
    scale: f64,
    readouts: Readouts,
    levels: Vec<LevelState>,
    tasks: VecDeque<Task>,
    draft_work: u64,
    work_limit: u64,
    /// Threads for independent items: 1 except inside `finish`.
    threads: usize,
    evaluations_by_kind: [u64; 3],
    notes: Vec<String>,
    /// Whether `notes` already says that numbers overflowed.
    overflow_noted: bool,
}

impl Analysis {
    /// Builds the target of `state` and computes the draft numbers.
    pub fn new(state: &State) -> Result<Analysis, TargetError> {
        let target = build_target(state)?;
        Ok(Analysis::from_target(
            target,
            state.n,
            state.depth,
            state.p,
            state.eps,
        ))
    }

    /// Computes the draft numbers for any target, with grid base `n`,
    /// levels 1..=`depth`, exponent `p` and requested accuracy `eps`.
    /// The caller keeps `n^depth` ≤ 2^40.
    pub fn from_target(target: Box<dyn Target>, n: u32, depth: u32, p: f64, eps: f64) -> Analysis {
        let sampler = Sampler::new(target);
        let d = sampler.dim();
        let scale = typical_magnitude(&sampler);
        let readouts = Readouts::new(
            &sampler,
            n,
            depth,
            MeanRule::Draft,
            draft_table_cells(&sampler),
        );

        let mut analysis = Analysis {
            d,
            n,
            depth,
            p,
            eps,
            sampler,
            scale,
            readouts,
            levels: Vec::new(),
            tasks: VecDeque::new(),
            draft_work: 0,
            work_limit: 0,
            threads: 1,
            evaluations_by_kind: [0; 3],
            notes: Vec::new(),
            overflow_noted: false,
        };
        analysis.compute_draft();
        analysis.note_overflow();
        analysis.draft_work = analysis.sampler.work();
        analysis.plan_final();
        analysis
    }

    /// Dimension d.
    pub fn dim(&self) -> usize {
        self.d
    }

    /// Grid base N.
    pub fn base(&self) -> u32 {
        self.n
    }

    /// Number of levels L.
    pub fn depth(&self) -> u32 {
        self.depth
    }

    /// Exponent p.
    pub fn p(&self) -> f64 {
        self.p
    }

    /// Returns the counted target.
    pub fn sampler(&self) -> &Sampler {
        &self.sampler
    }

    /// Returns the current readouts: draft means until the accurate ones
    /// are done.
    pub fn readouts(&self) -> &Readouts {
        &self.readouts
    }

    /// Largest |f| seen among the first samples (1 if f vanishes there).
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// Size of f that rounding-level errors are measured against: the
    /// larger of `scale` and |mean of f|, leaving out a mean that
    /// overflowed.
    pub fn magnitude(&self) -> f64 {
        let mean = self.readouts.overall_mean().abs();
        if mean.is_finite() {
            self.scale.max(mean)
        } else {
            self.scale
        }
    }

    /// Work spent on the draft, in cost units.
    pub fn draft_work(&self) -> u64 {
        self.draft_work
    }

    /// Evaluations of f so far.
    pub fn evaluations(&self) -> u64 {
        self.sampler.evaluations()
    }

    /// Non-finite values of f met so far.
    pub fn non_finite(&self) -> Option<NonFinite> {
        self.sampler.non_finite()
    }

    /// Remarks about the computation (budgets reached), in plain sentences.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Returns whether every number is final.
    pub fn is_final(&self) -> bool {
        self.tasks.is_empty()
    }

    /// Does about `work` cost units of refinement and returns whether every
    /// number is now final. Work is checked between items (one cell, one
    /// shift, or one batch of points), so a call does at least one item
    /// and overshoots by at most one item, whose cost is capped.
    pub fn refine(&mut self, work: u64) -> bool {
        self.work_limit = self.sampler.work().saturating_add(work);
        while let Some(task) = self.tasks.pop_front() {
            if let Some(unfinished) = self.step(task) {
                self.tasks.push_front(unfinished);
            }
            if self.out_of_work() {
                break;
            }
        }
        self.note_overflow();
        self.is_final()
    }

    /// Adds a note, once, when an error or a sampled modulus is not finite.
    /// The sampler has replaced non-finite values of f by 0, so this means
    /// that |f − Φ_ℓ|^p or |f(x + h) − f(x)|^p overflowed, or that cell
    /// means did.
    fn note_overflow(&mut self) {
        if self.overflow_noted {
            return;
        }
        let overflowed = self
            .levels
            .iter()
            .any(|level| !level.error.error.is_finite() || !level.omega.is_finite());
        if overflowed {
            self.overflow_noted = true;
            self.notes.push(format!(
                "Some numbers are inf or nan because a p-th power or a sum of values of f \
                 exceeds the largest double (about 1.8e308) at p = {}. Lower p or scale f down",
                self.p
            ));
        }
    }

    /// Returns whether the current `refine` call has spent its work.
    fn out_of_work(&self) -> bool {
        self.sampler.work() >= self.work_limit
    }

    /// Converts a per-item cap in work units into evaluations, so that an
    /// expensive target gets fewer evaluations per item.
    fn item_cap(&self, work_units: u64, floor: u64) -> u64 {
        (work_units / self.sampler.target().cost().max(1)).max(floor)
    }

    /// Refines until every number is final.
    ///
    /// In the native build the independent items (cells, shifts, random
    /// shifts of the error estimates) are spread over the machine's cores;
    /// the numbers are the same as those of a sequential run.
    pub fn finish(&mut self) {
        self.threads = parallel::available_threads();
        while !self.refine(u64::MAX) {}
        self.threads = 1;
    }

    /// Returns the table, one row per level 1..=L.
    pub fn rows(&self) -> Vec<LevelRow> {
        let target = self.sampler.target();
        let factor = (2 * self.d + 1) as f64;
        let raw: Vec<f64> = self.levels.iter().map(|level| level.omega).collect();
        let envelope = monotone_envelope(&raw);
        let rate = target.rate_exponent(self.p);
        // The reference line starts at the first positive error (a target
        // reproduced exactly from level 1 has none), else at the bound.
        let first_bound = raw.first().map_or(1.0, |omega| factor * omega);
        let (anchor_level, anchor) = self
            .levels
            .iter()
            .enumerate()
            .find(|(_, level)| level.error.error > 0.0 && level.error.error.is_finite())
            .map_or((1, first_bound), |(index, level)| {
                (index as u32 + 1, level.error.error)
            });
        let omega_final = self.levels.iter().all(|level| level.omega_final);
        let rounding = ROUNDING_RELATIVE_ERROR * self.magnitude();

        let mut rows = Vec::with_capacity(self.levels.len());
        for (index, level_state) in self.levels.iter().enumerate() {
            let level = index as u32 + 1;
            let grid = Grid::new(self.d, self.n, level).ok();
            let side = grid.map_or(f64::NAN, |g| g.side());
            let cells = grid.map_or(0, |g| g.cell_count());
            let omega = envelope[index];
            let bound = factor * omega;
            let error = level_state.error.error;
            let ratio = if bound > 0.0 {
                error / bound
            } else if error == 0.0 {
                0.0
            } else {
                f64::INFINITY
            };
            let majorant = target.modulus_majorant(side, self.p);
            rows.push(LevelRow {
                level,
                cells,
                side,
                error,
                error_standard_error: level_state.error.standard_error,
                error_method: level_state.error_method,
                omega_sampled: level_state.omega,
                omega,
                bound,
                ratio,
                error_at_rounding_level: error.is_finite() && error > 0.0 && error <= rounding,
                majorant,
                certified_bound: majorant.map(|m| factor * m),
                reference: anchor
                    * (self.n as f64).powf(-rate * (f64::from(level) - f64::from(anchor_level))),
                error_final: level_state.error_final,
                omega_final,
            });
        }
        rows
    }

    /// Smallest level whose certified bound (2d+1)·majorant is at most ε,
    /// searched up to level 200; `None` without a majorant.
    pub fn certified_depth(&self) -> Option<u32> {
        let target = self.sampler.target();
        let factor = (2 * self.d + 1) as f64;
        (1..=200u32).find(|&level| {
            let side = (self.n as f64).powi(-(level as i32));
            target
                .modulus_majorant(side, self.p)
                .is_some_and(|m| factor * m <= self.eps)
        })
    }

    /// Smallest level 1..=L whose estimated bound is at most ε.
    pub fn estimated_depth(&self) -> Option<u32> {
        self.rows()
            .iter()
            .find(|row| row.bound <= self.eps)
            .map(|row| row.level)
    }

    /// Requested accuracy ε.
    pub fn eps(&self) -> f64 {
        self.eps
    }

    fn compute_draft(&mut self) {
        let plan = self.plan_draft();
        let levels: Vec<u32> = (1..=self.depth).collect();

        let mut estimate = MonteCarloError::new(levels.clone(), self.p, plan.error_points);
        estimate.advance(&self.sampler, &self.readouts, u64::MAX);
        let errors = estimate.estimates();

        for (index, &level) in levels.iter().enumerate() {
            let side = (self.n as f64).powi(-(level as i32));
            let shifts = shift_set(self.d, side);
            let mut best = 0.0_f64;
            for j in longest_first(&shifts).into_iter().take(plan.shifts) {
                let integral = shift_integral_monte_carlo(
                    &self.sampler,
                    shifts[j],
                    self.p,
                    plan.omega_points,
                    modulus_seed(level, j),
                );
                best = best.max(norm_from_integral(integral, self.p));
            }
            self.levels.push(LevelState {
                error: errors[index],
                error_method: Method::MonteCarlo,
                error_final: false,
                omega: best,
                omega_final: false,
            });
        }
    }

    /// ‖f(· + h) − f‖_{L^p(Ω_h)} for shift `index` of `level`, by
    /// quasi-Monte-Carlo for the lacunary target and adaptive quadrature
    /// otherwise.
    fn shift_norm(&self, level: u32, index: usize, h: Point) -> f64 {
        let caps = caps(self.d);
        let integral = match self.sampler.target().sampling() {
            Sampling::MonteCarlo => shift_integral_monte_carlo(
                &self.sampler,
                h,
                self.p,
                FINAL_OMEGA_POINTS,
                modulus_seed(level, index),
            ),
            Sampling::Quadrature => {
                let settings = Adaptive {
                    tolerance: (1e-15 * self.scale).powf(self.p),
                    relative: caps.omega_tolerance,
                    max_evaluations: self.item_cap(caps.shift, 200),
                };
                shift_integral_quadrature(&self.sampler, h, self.p, settings).value
            }
        };
        norm_from_integral(integral, self.p)
    }

    /// Evaluations needed for Φ_level at one point: 0 when the level is
    /// tabulated, 1 with a closed-form mean, else one per node of the mean
    /// rule in use (3^d for the draft rule, up to 49 for an accurate one).
    fn lazy_mean_evaluations(&self, level: u32) -> u64 {
        if self.readouts.table(level).is_some() {
            return 0;
        }
        if self.sampler.target().box_mean([0.0; 2], [1.0; 2]).is_some() {
            return 1;
        }
        crate::quadrature::rule_cost(self.d)
    }

    /// Chooses the draft's samples so that their estimated work fits what
    /// is left of `DRAFT_BUDGET`. The points per shift of the error and
    /// modulus estimates are halved from (64, 16) down to (4, 1). For a
    /// costly target, the shifts per scale are then halved down to 1 and
    /// the error points down to 1, the fewest the draft can use.
    fn plan_draft(&self) -> DraftPlan {
        let unit = self.sampler.target().cost();
        let left = DRAFT_BUDGET.saturating_sub(self.sampler.work());
        let lazy_levels = (1..=self.depth)
            .filter(|&level| self.readouts.table(level).is_none())
            .count() as u64;
        let has_mean = self.sampler.target().box_mean([0.0; 2], [1.0; 2]).is_some();
        let mean_cost = if has_mean { 1 } else { 3u64.pow(self.d as u32) };

        let mut plan = DraftPlan {
            error_points: 64,
            omega_points: 16,
            shifts: SHIFTS_PER_SCALE,
        };
        loop {
            let error_work = 8 * plan.error_points * (1 + lazy_levels * mean_cost);
            let omega_work = u64::from(self.depth) * plan.shifts as u64 * plan.omega_points * 2;
            if (error_work + omega_work) * unit <= left {
                return plan;
            }
            if plan.error_points > 4 {
                plan.error_points /= 2;
                plan.omega_points = (plan.omega_points / 2).max(1);
            } else if plan.shifts > 1 {
                plan.shifts /= 2;
            } else if plan.error_points > 1 {
                plan.error_points /= 2;
            } else {
                return plan;
            }
        }
    }

    /// Queues the final steps.
    fn plan_final(&mut self) {
        let sampling = self.sampler.target().sampling();
        let quadrature_levels: Vec<u32> = (1..=self.depth)
            .filter(|&level| {
                sampling == Sampling::Quadrature
                    && Grid::new(self.d, self.n, level)
                        .is_ok_and(|g| g.cell_count() <= QUADRATURE_MAX_CELLS)
            })
            .collect();

        // Accurate tables for quadrature levels (and every level up to the
        // tabulation limit of piecewise-smooth targets). The lacunary target
        // has closed-form means, which its draft tables and lazy means use.
        if sampling == Sampling::Quadrature {
            let finest = finest_level_within(self.d, self.n, self.depth, TABULATE_MAX_CELLS);
            if let Some(Ok(grid)) = finest.map(|level| Grid::new(self.d, self.n, level)) {
                self.tasks.push_back(Task::Means {
                    grid,
                    next: 0,
                    means: Vec::with_capacity(grid.cell_count() as usize),
                });
            }
        }

        for level in 1..=self.depth {
            if quadrature_levels.contains(&level) {
                self.tasks.push_back(Task::QuadratureError {
                    level,
                    refining: false,
                    next: 0,
                    cells: Vec::new(),
                    cell_tolerance: 0.0,
                    spent: 0,
                });
            } else {
                self.tasks.push_back(Task::MonteCarloError {
                    level,
                    estimate: MonteCarloError::new(vec![level], self.p, FINAL_ERROR_POINTS),
                    seeded: false,
                });
            }
        }
        for level in (1..=self.depth).rev() {
            self.tasks.push_back(Task::Omega {
                level,
                next: 0,
                best: 0.0,
            });
        }
    }

    /// Runs one bounded step of `task`; returns it if unfinished.
    fn step(&mut self, task: Task) -> Option<Task> {
        let kind = match task {
            Task::Means { .. } => 0,
            Task::QuadratureError { .. } | Task::MonteCarloError { .. } => 1,
            Task::Omega { .. } => 2,
        };
        let before = self.sampler.evaluations();
        let unfinished = self.run(task);
        self.evaluations_by_kind[kind] += self.sampler.evaluations() - before;
        unfinished
    }

    /// Evaluations spent after the draft on cell means, error integrals and
    /// modulus integrals, in that order.
    pub fn evaluations_by_kind(&self) -> [u64; 3] {
        self.evaluations_by_kind
    }

    fn run(&mut self, task: Task) -> Option<Task> {
        match task {
            Task::Means { grid, next, means } => self.step_means(grid, next, means),
            Task::QuadratureError {
                level,
                refining,
                next,
                cells,
                cell_tolerance,
                spent,
            } => self.step_quadrature_error(level, refining, next, cells, cell_tolerance, spent),
            Task::MonteCarloError {
                level,
                mut estimate,
                seeded,
            } => {
                if !seeded {
                    let settings = Adaptive {
                        tolerance: 0.0,
                        relative: 1e-9,
                        max_evaluations: self.item_cap(caps(self.d).cell, 20),
                    };
                    estimate.integrate_seed_cells(&self.sampler, &self.readouts, settings);
                    if self.out_of_work() {
                        return Some(Task::MonteCarloError {
                            level,
                            estimate,
                            seeded: true,
                        });
                    }
                }
                let per_point =
                    self.sampler.target().cost() * (1 + self.lazy_mean_evaluations(level));
                let points = (ITEM_WORK / per_point.max(1)).clamp(16, 4096);
                if self.threads > 1 {
                    estimate.complete(&self.sampler, &self.readouts, self.threads);
                }
                while !estimate.is_done() {
                    estimate.advance(&self.sampler, &self.readouts, points);
                    if self.out_of_work() {
                        break;
                    }
                }
                if !estimate.is_done() {
                    return Some(Task::MonteCarloError {
                        level,
                        estimate,
                        seeded: true,
                    });
                }
                let slot = &mut self.levels[level as usize - 1];
                slot.error = estimate.estimates()[0];
                slot.error_method = Method::MonteCarlo;
                slot.error_final = true;
                None
            }
            Task::Omega { level, next, best } => self.step_omega(level, next, best),
        }
    }

    fn step_means(&mut self, grid: Grid, mut next: usize, mut means: Vec<f64>) -> Option<Task> {
        let count = grid.cell_count() as usize;
        let rule = MeanRule::Accurate { scale: self.scale };
        if self.threads > 1 {
            let sampler = &self.sampler;
            means.extend(parallel::map(count - next, self.threads, |offset| {
                let (lo, hi) = grid.cell_box(grid.cell_at(next + offset));
                box_mean(sampler, lo, hi, rule)
            }));
            next = count;
        }
        while next < count {
            let (lo, hi) = grid.cell_box(grid.cell_at(next));
            means.push(box_mean(&self.sampler, lo, hi, rule));
            next += 1;
            if self.out_of_work() {
                break;
            }
        }
        if next < count {
            return Some(Task::Means { grid, next, means });
        }

        let mut tables: Vec<Option<Vec<f64>>> = vec![None; self.depth as usize + 1];
        let mut current = grid;
        let mut current_means = means;
        loop {
            let parent = current
                .parent()
                .map(|parent| (parent, aggregate(&current, &current_means)));
            tables[current.level() as usize] = Some(current_means);
            let Some((parent_grid, parent_means)) = parent else {
                break;
            };
            current = parent_grid;
            current_means = parent_means;
        }
        self.readouts = Readouts::from_tables(self.d, self.n, rule, tables);
        None
    }

    fn step_quadrature_error(
        &mut self,
        level: u32,
        mut refining: bool,
        mut next: usize,
        mut cells: Vec<(f64, f64)>,
        mut cell_tolerance: f64,
        mut spent: u64,
    ) -> Option<Task> {
        let Ok(grid) = Grid::new(self.d, self.n, level) else {
            return None;
        };
        let count = grid.cell_count() as usize;
        let caps = caps(self.d);
        let cell_cap = self.item_cap(caps.cell, 200);
        let level_cap = self.item_cap(caps.level, 20_000);
        let table = self.readouts.table(level)?;

        if !refining {
            if self.threads > 1 {
                let sampler = &self.sampler;
                let p = self.p;
                cells.extend(parallel::map(count - next, self.threads, |offset| {
                    let index = next + offset;
                    let (lo, hi) = grid.cell_box(grid.cell_at(index));
                    let result = box_deviation(sampler, lo, hi, table[index], p, Effort::First);
                    (result.value, result.error)
                }));
                next = count;
            }
            while next < count {
                let (lo, hi) = grid.cell_box(grid.cell_at(next));
                let result =
                    box_deviation(&self.sampler, lo, hi, table[next], self.p, Effort::First);
                cells.push((result.value, result.error));
                next += 1;
                if self.out_of_work() {
                    break;
                }
            }
            if next < count {
                return Some(self.quadrature_task(
                    level,
                    refining,
                    next,
                    cells,
                    cell_tolerance,
                    spent,
                ));
            }
            let total: f64 = cells.iter().map(|cell| cell.0).sum();
            let floor = (1e-15 * self.scale).powf(self.p);
            cell_tolerance = (QUADRATURE_RELATIVE_TOLERANCE * total).max(floor);
            refining = true;
            next = 0;
            return Some(self.quadrature_task(level, refining, next, cells, cell_tolerance, spent));
        }

        while next < count {
            let (lo, hi) = grid.cell_box(grid.cell_at(next));
            let allowed = cell_tolerance * volume(self.d, lo, hi);
            if cells[next].1 > allowed && spent < level_cap {
                let settings = Adaptive {
                    tolerance: allowed,
                    relative: 0.0,
                    max_evaluations: cell_cap.min(level_cap - spent),
                };
                let result = box_deviation(
                    &self.sampler,
                    lo,
                    hi,
                    table[next],
                    self.p,
                    Effort::Refine(settings),
                );
                spent += result.evaluations;
                cells[next] = (result.value, result.error);
            }
            next += 1;
            if self.out_of_work() {
                break;
            }
        }
        if next < count {
            return Some(self.quadrature_task(level, refining, next, cells, cell_tolerance, spent));
        }

        let total: f64 = cells.iter().map(|cell| cell.0).sum();
        let estimated_error: f64 = cells.iter().map(|cell| cell.1).sum();
        if spent >= level_cap && estimated_error > QUADRATURE_RELATIVE_TOLERANCE * total * 100.0 {
            self.notes.push(format!(
                "Level {level}: the quadrature budget of {} evaluations was reached; \
                 the error integral has an estimated relative uncertainty of {:.1e}",
                level_cap,
                estimated_error / total.max(f64::MIN_POSITIVE)
            ));
        }
        let slot = &mut self.levels[level as usize - 1];
        slot.error = to_error(total, 0.0, self.p);
        slot.error_method = Method::Quadrature;
        slot.error_final = true;
        None
    }

    fn quadrature_task(
        &self,
        level: u32,
        refining: bool,
        next: usize,
        cells: Vec<(f64, f64)>,
        cell_tolerance: f64,
        spent: u64,
    ) -> Task {
        Task::QuadratureError {
            level,
            refining,
            next,
            cells,
            cell_tolerance,
            spent,
        }
    }

    fn step_omega(&mut self, level: u32, mut next: usize, mut best: f64) -> Option<Task> {
        let side = (self.n as f64).powi(-(level as i32));
        let shifts = shift_set(self.d, side);

        if self.threads > 1 {
            let norms = parallel::map(shifts.len() - next, self.threads, |offset| {
                let index = next + offset;
                self.shift_norm(level, index, shifts[index])
            });
            best = norms.into_iter().fold(best, f64::max);
            next = shifts.len();
        }
        while next < shifts.len() {
            best = best.max(self.shift_norm(level, next, shifts[next]));
            next += 1;
            if self.out_of_work() {
                break;
            }
        }
        if next < shifts.len() {
            return Some(Task::Omega { level, next, best });
        }
        let slot = &mut self.levels[level as usize - 1];
        slot.omega = best;
        slot.omega_final = true;
        None
    }
}

/// Samples of the draft estimates.
struct DraftPlan {
    /// Points per random shift of the error estimate (8 shifts).
    error_points: u64,
    /// Points per sampled shift of the modulus estimate.
    omega_points: u64,
    /// Shifts sampled per scale, the longest first: `SHIFTS_PER_SCALE`
    /// unless the target is too costly for all of them.
    shifts: usize,
}

/// Returns the indices of `shifts`, longest first (equal lengths in their
/// original order). A draft that samples only some shifts keeps the
/// longest, because ‖f(· + h) − f‖_p usually grows with |h|.
fn longest_first(shifts: &[Point]) -> Vec<usize> {
    let length = |h: Point| h[0].hypot(h[1]);
    let mut order: Vec<usize> = (0..shifts.len()).collect();
    order.sort_by(|&a, &b| length(shifts[b]).total_cmp(&length(shifts[a])));
    order
}

/// Largest number of cells tabulated for the draft: at most
/// `DRAFT_TABULATE_MAX_CELLS`, and no more than a quarter of the draft
/// budget's worth of cell means.
fn draft_table_cells(sampler: &Sampler) -> u128 {
    let target = sampler.target();
    let per_mean = if target.box_mean([0.0; 2], [1.0; 2]).is_some() {
        1
    } else {
        3u64.pow(sampler.dim() as u32)
    };
    let affordable = DRAFT_BUDGET / 4 / (per_mean * target.cost().max(1));
    u128::from(affordable).min(DRAFT_TABULATE_MAX_CELLS)
}

/// Largest finite |f| over 64 quasi-random points, or 1 if all are 0.
fn typical_magnitude(sampler: &Sampler) -> f64 {
    let d = sampler.dim();
    let rotation = qmc::shifts(0x5CA1E, 1)[0];
    let points: Vec<Point> = (0..64)
        .map(|k| qmc::point(d, rotation, k, [0.0, 0.0], [1.0, 1.0]))
        .collect();
    let mut values = vec![0.0; points.len()];
    sampler.eval_many(&points, &mut values);
    let largest = values.iter().map(|v| v.abs()).fold(0.0, f64::max);
    if largest > 0.0 {
        largest
    } else {
        1.0
    }
}
