//! The ideal readouts Φ_ℓ = E_ℓ f: on each cell of the level-ℓ grid, the
//! mean of f over that cell. Φ_0 is the mean of f over [0,1]^d.
//!
//! Cell means of coarse levels are tabulated. A level with more cells than
//! `TABULATE_MAX_CELLS` is never allocated, and its means are computed per
//! point, on demand. The correction ψ_ℓ = Φ_ℓ − Φ_{ℓ−1} has zero mean on
//! every level-(ℓ−1) cell because each parent mean is the average of its
//! N^d children.

use crate::grid::{Grid, Point};
use crate::quadrature::{gauss_mean, integrate, rule_cost, Adaptive};
use crate::sampler::Sampler;

/// Largest number of cells of a tabulated level.
pub const TABULATE_MAX_CELLS: u128 = 100_000;

/// Rule that computes a cell mean.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MeanRule {
    /// The target's closed form, else a 3-point Gauss rule per axis. Cheap;
    /// for drawing and for draft numbers.
    Draft,
    /// The target's closed form, else adaptive Gauss–Kronrod with absolute
    /// error about 1e-12·`scale` on the mean.
    Accurate {
        /// Typical magnitude of f.
        scale: f64,
    },
}

/// Relative accuracy of `MeanRule::Accurate`.
const ACCURATE_MEAN_TOLERANCE: f64 = 1e-12;

/// Evaluation cap for one accurate cell mean: 3,000 (1D) or 20,000 (2D)
/// evaluations of a target of unit cost 1, divided by the unit cost of a
/// costlier one but at least one Gauss–Kronrod rule. So one mean, and one
/// refinement item made of means, costs a bounded number of cost units
/// whatever the target.
fn accurate_mean_budget(d: usize, unit_cost: u64) -> u64 {
    let evaluations = if d == 1 { 3_000 } else { 20_000 };
    (evaluations / unit_cost.max(1)).max(rule_cost(d))
}

/// Volume of the box `[lo, hi]` in dimension `d`.
pub fn volume(d: usize, lo: Point, hi: Point) -> f64 {
    if d == 1 {
        hi[0] - lo[0]
    } else {
        (hi[0] - lo[0]) * (hi[1] - lo[1])
    }
}

/// Mean of f over the box `[lo, hi]`.
pub fn box_mean(sampler: &Sampler, lo: Point, hi: Point, rule: MeanRule) -> f64 {
    if let Some(exact) = sampler.target().box_mean(lo, hi) {
        return exact;
    }
    let d = sampler.dim();
    let mut f = |points: &[Point], out: &mut [f64]| sampler.eval_many(points, out);
    match rule {
        MeanRule::Draft => gauss_mean(d, lo, hi, 3, &mut f),
        MeanRule::Accurate { scale } => {
            let size = volume(d, lo, hi);
            if size <= 0.0 {
                return sampler.eval(lo);
            }
            let settings = Adaptive {
                tolerance: ACCURATE_MEAN_TOLERANCE * scale.max(f64::MIN_POSITIVE) * size,
                relative: 0.0,
                max_evaluations: accurate_mean_budget(d, sampler.target().cost()),
            };
            let seeds = sampler.seeds();
            integrate(d, lo, hi, seeds, &mut f, settings).value / size
        }
    }
}

/// Means of every cell of `grid`, row-major with x fastest.
///
/// The caller keeps `grid` at or below `TABULATE_MAX_CELLS` cells.
pub fn tabulate(sampler: &Sampler, grid: &Grid, rule: MeanRule) -> Vec<f64> {
    if let Some(means) = sampler.target().grid_means(grid) {
        return means;
    }
    let count = grid.cell_count() as usize;
    (0..count)
        .map(|index| {
            let (lo, hi) = grid.cell_box(grid.cell_at(index));
            box_mean(sampler, lo, hi, rule)
        })
        .collect()
}

/// Deepest level in 0..=depth whose grid has at most `max_cells` cells.
pub fn finest_level_within(d: usize, n: u32, depth: u32, max_cells: u128) -> Option<u32> {
    (0..=depth)
        .rev()
        .find(|&level| Grid::new(d, n, level).is_ok_and(|g| g.cell_count() <= max_cells))
}

/// Means of the parent grid from the means of `grid`: each parent mean is
/// the plain average of its N^d children, so nesting is exact up to
/// rounding.
pub fn aggregate(grid: &Grid, means: &[f64]) -> Vec<f64> {
    let Some(parent) = grid.parent() else {
        return means.to_vec();
    };
    let n = u64::from(grid.base());
    let children = n.pow(grid.dim() as u32) as f64;
    let mut sums = vec![0.0; parent.cell_count() as usize];
    for (index, mean) in means.iter().enumerate() {
        let cell = grid.cell_at(index);
        let parent_cell = [cell[0] / n, cell[1] / n];
        sums[parent.flat_index(parent_cell)] += mean;
    }
    for sum in sums.iter_mut() {
        *sum /= children;
    }
    sums
}

/// The readouts Φ_0 … Φ_L of one target: tabulated means where the level
/// is small enough, and on-demand means elsewhere.
#[derive(Clone, Debug)]
pub struct Readouts {
    d: usize,
    n: u32,
    rule: MeanRule,
    /// `tables[ℓ]`: the means of level ℓ when tabulated.
    tables: Vec<Option<Vec<f64>>>,
}

impl Readouts {
    /// Tabulates the levels 0..=depth that have at most `max_cells` cells
    /// (capped at `TABULATE_MAX_CELLS`). The finest tabulated level is
    /// computed with `rule`; coarser levels are aggregated from it, which
    /// keeps them exactly nested. Other levels use `rule` per point.
    pub fn new(sampler: &Sampler, n: u32, depth: u32, rule: MeanRule, max_cells: u128) -> Readouts {
        let d = sampler.dim();
        let mut tables: Vec<Option<Vec<f64>>> = vec![None; depth as usize + 1];
        let max_cells = max_cells.min(TABULATE_MAX_CELLS);

        let finest = finest_level_within(d, n, depth, max_cells);
        if let Some(finest) = finest {
            let Ok(mut grid) = Grid::new(d, n, finest) else {
                return Readouts { d, n, rule, tables };
            };
            let mut means = tabulate(sampler, &grid, rule);
            loop {
                let level = grid.level() as usize;
                let next = grid
                    .parent()
                    .map(|parent| (parent, aggregate(&grid, &means)));
                tables[level] = Some(means);
                let Some((parent, parent_means)) = next else {
                    break;
                };
                grid = parent;
                means = parent_means;
            }
        }
        Readouts { d, n, rule, tables }
    }

    /// Builds readouts from already computed tables (index = level).
    pub fn from_tables(
        d: usize,
        n: u32,
        rule: MeanRule,
        tables: Vec<Option<Vec<f64>>>,
    ) -> Readouts {
        Readouts { d, n, rule, tables }
    }

    /// Returns the dimension d.
    pub fn dim(&self) -> usize {
        self.d
    }

    /// Returns the grid base N.
    pub fn base(&self) -> u32 {
        self.n
    }

    /// Φ_0, the mean of f over [0,1]^d.
    pub fn overall_mean(&self) -> f64 {
        self.tables
            .first()
            .and_then(|table| table.as_ref())
            .and_then(|table| table.first().copied())
            .unwrap_or(f64::NAN)
    }

    /// Returns the tabulated means of `level`, if that level is tabulated.
    pub fn table(&self, level: u32) -> Option<&[f64]> {
        self.tables.get(level as usize)?.as_deref()
    }

    /// Deepest level held.
    pub fn depth(&self) -> u32 {
        self.tables.len().saturating_sub(1) as u32
    }

    /// Φ_level at many points: `out[i]` is the mean of f over the level
    /// cell containing `points[i]`.
    pub fn values(&self, sampler: &Sampler, level: u32, points: &[Point], out: &mut [f64]) {
        let Ok(grid) = Grid::new(self.d, self.n, level) else {
            out.iter_mut().for_each(|value| *value = f64::NAN);
            return;
        };
        if let Some(table) = self.table(level) {
            for (point, value) in points.iter().zip(out.iter_mut()) {
                *value = table[grid.flat_index(grid.cell_of(*point))];
            }
            return;
        }
        let mut los = Vec::with_capacity(points.len());
        let mut his = Vec::with_capacity(points.len());
        for point in points {
            let (lo, hi) = grid.cell_box(grid.cell_of(*point));
            los.push(lo);
            his.push(hi);
        }
        if sampler.target().box_mean_many(&los, &his, out) {
            return;
        }
        for ((lo, hi), value) in los.iter().zip(&his).zip(out.iter_mut()) {
            *value = box_mean(sampler, *lo, *hi, self.rule);
        }
    }

    /// Φ_level at `point`: the mean of f over the level cell containing it
    /// (half-open cells, last one closed).
    pub fn value(&self, sampler: &Sampler, level: u32, point: Point) -> f64 {
        let Ok(grid) = Grid::new(self.d, self.n, level) else {
            return f64::NAN;
        };
        let cell = grid.cell_of(point);
        if let Some(table) = self.table(level) {
            return table[grid.flat_index(cell)];
        }
        let (lo, hi) = grid.cell_box(cell);
        box_mean(sampler, lo, hi, self.rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Family, State};
    use crate::target::build_target;

    fn sampler(family: Family, d: usize) -> Sampler {
        let state = State {
            d,
            target: family,
            ..State::default()
        };
        Sampler::new(build_target(&state).unwrap())
    }

    #[test]
    fn corrections_have_zero_parent_means() {
        for d in [1, 2] {
            for family in [
                Family::Weierstrass,
                Family::Cone,
                Family::Cusp,
                Family::Jump,
            ] {
                let sampler = sampler(family, d);
                let readouts = Readouts::new(
                    &sampler,
                    3,
                    4,
                    MeanRule::Accurate { scale: 1.0 },
                    TABULATE_MAX_CELLS,
                );
                for level in 1..=4 {
                    let grid = Grid::new(d, 3, level).unwrap();
                    let parent = grid.parent().unwrap();
                    let fine = readouts.table(level).unwrap();
                    let coarse = readouts.table(level - 1).unwrap();
                    let mut sums = vec![0.0; coarse.len()];
                    for (index, mean) in fine.iter().enumerate() {
                        let cell = grid.cell_at(index);
                        let up = parent.flat_index([cell[0] / 3, cell[1] / 3]);
                        sums[up] += mean - coarse[up];
                    }
                    for sum in sums {
                        assert!(sum.abs() < 1e-13, "{family:?} {d}D level {level}: {sum}");
                    }
                }
            }
        }
    }

    #[test]
    fn untabulated_level_matches_closed_form() {
        let sampler = sampler(Family::Sine, 1);
        let readouts = Readouts::new(&sampler, 2, 20, MeanRule::Draft, TABULATE_MAX_CELLS);
        assert!(readouts.table(16).is_some());
        assert!(readouts.table(17).is_none());
        let x = 0.123_456;
        let grid = Grid::new(1, 2, 20).unwrap();
        let (lo, hi) = grid.cell_box(grid.cell_of([x, 0.0]));
        let expected = sampler.target().box_mean(lo, hi).unwrap();
        assert_eq!(readouts.value(&sampler, 20, [x, 0.0]), expected);
    }

    #[test]
    fn identity_readout_is_cell_midpoint() {
        let state = State {
            target: Family::Custom,
            expr: "x".to_string(),
            ..State::default()
        };
        let sampler = Sampler::new(build_target(&state).unwrap());
        let readouts = Readouts::new(
            &sampler,
            3,
            3,
            MeanRule::Accurate { scale: 1.0 },
            TABULATE_MAX_CELLS,
        );
        let table = readouts.table(3).unwrap();
        for (k, mean) in table.iter().enumerate() {
            let expected = (k as f64 + 0.5) / 27.0;
            assert!((mean - expected).abs() < 1e-14);
        }
        assert!((readouts.overall_mean() - 0.5).abs() < 1e-14);
    }
}
