//! Drawing data for one state: what the page's panels show, computed in
//! plain Rust so that it builds and tests natively.
//!
//! A `Picture` contains f sampled at the centres of a regular grid and, for
//! every level ℓ, the readout Φ_ℓ as a piecewise-constant `Field`: the
//! exact cell means when the cells are at least one sample wide, otherwise
//! the mean of the cell under each sample. Every evaluation of f goes
//! through the analysis's counted `Sampler`, and the plan in `budget`
//! keeps the work of one picture within `PICTURE_BUDGET`.
//!
//! The colour maps, rasters, ticks and curve pieces that the browser glue
//! draws from are here too; the glue only moves them onto canvases.

pub mod budget;
pub mod colormap;
pub mod curve;
pub mod errors;
pub mod field;
pub mod network;
pub mod raster;
pub mod scale;
pub mod strips;

use crate::analysis::Analysis;
use crate::grid::{Grid, Point};
use crate::readout::{box_mean, tabulate, MeanRule};
use crate::sampler::Sampler;

pub use budget::{
    plan, plan_network, Capabilities, LevelPlan, NetworkCost, NetworkPlan, Plan, Source,
    PICTURE_BUDGET,
};
pub use field::{Field, Samples};
pub use scale::ValueRange;

/// Non-finite values of f among a picture's samples.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NonFiniteSamples {
    /// How many samples are NaN or ±∞.
    pub count: usize,
    /// The first such sample point (in row-major order, x fastest).
    pub first: Point,
}

/// The drawing data of one analysed state.
#[derive(Clone, Debug)]
pub struct Picture {
    /// Dimension d.
    pub d: usize,
    /// Grid base N.
    pub n: u32,
    /// The plan that was followed.
    pub plan: Plan,
    /// f at the sample centres, with non-finite values kept (None when the
    /// plan could not afford even the fewest samples).
    pub f: Option<Field>,
    /// Φ_ℓ for ℓ = 1..=L at index ℓ − 1 (None when not drawn).
    pub levels: Vec<Option<Field>>,
    /// Φ_0, the mean of f over [0,1]^d.
    pub overall_mean: f64,
    /// Shared colour and axis range of f and every Φ_ℓ.
    pub range: ValueRange,
    /// Non-finite samples of f, if any.
    pub non_finite: Option<NonFiniteSamples>,
    /// Evaluations of f that building the picture made, as counted by
    /// the sampler.
    pub evaluations: u64,
    /// Work spent, in cost units: `evaluations` times the unit cost, plus
    /// one unit cost per closed-form mean.
    pub work: u64,
}

impl Picture {
    /// Builds the picture of `analysis`'s state within `PICTURE_BUDGET`.
    pub fn build(analysis: &Analysis) -> Picture {
        let capabilities = capabilities(analysis);
        let plan = plan(&capabilities);
        Picture::build_with_plan(analysis, plan)
    }

    /// Builds the picture of `analysis`'s state following `plan`.
    pub fn build_with_plan(analysis: &Analysis, plan: Plan) -> Picture {
        let sampler = analysis.sampler();
        let d = analysis.dim();
        let n = analysis.base();
        let unit = sampler.target().cost().max(1);
        let evaluations_before = sampler.evaluations();
        let mut closed_form_means = 0u64;

        let (f, non_finite) = if plan.f_samples > 0 {
            let (samples, non_finite) = sample_f(sampler, plan.f_samples);
            (samples.map(Field::Samples), non_finite)
        } else {
            (None, None)
        };

        let mut levels = Vec::with_capacity(plan.levels.len());
        for level_plan in &plan.levels {
            let field = level_field(analysis, level_plan, &mut closed_form_means);
            levels.push(field);
        }

        let range = shared_range(f.as_ref(), &levels);
        let evaluations = sampler.evaluations() - evaluations_before;
        Picture {
            d,
            n,
            plan,
            f,
            levels,
            overall_mean: analysis.readouts().overall_mean(),
            range,
            non_finite,
            evaluations,
            work: (evaluations + closed_form_means) * unit,
        }
    }

    /// Φ_ℓ, or None when ℓ is out of range or was not drawn.
    pub fn level(&self, level: u32) -> Option<&Field> {
        let index = (level as usize).checked_sub(1)?;
        self.levels.get(index)?.as_ref()
    }

    /// Returns whether level ℓ is drawn with fewer samples than the full
    /// resolution, or not at all.
    pub fn level_reduced(&self, level: u32) -> bool {
        let index = (level as usize).saturating_sub(1);
        self.plan.levels.get(index).is_some_and(|plan| plan.reduced)
    }

    /// Returns whether f is drawn with fewer samples than the full
    /// resolution.
    pub fn f_reduced(&self) -> bool {
        self.plan.f_reduced()
    }
}

/// Collects the facts about `analysis` that the budget plan depends on.
pub fn capabilities(analysis: &Analysis) -> Capabilities {
    let target = analysis.sampler().target();
    let d = analysis.dim();
    let n = analysis.base();
    let depth = analysis.depth();
    let grid_means = Grid::new(d, n, 1).is_ok_and(|grid| target.grid_means(&grid).is_some());
    Capabilities {
        d,
        n,
        depth,
        unit_cost: target.cost(),
        closed_form_means: target.box_mean([0.0; 2], [1.0; 2]).is_some(),
        grid_means,
        tabulated: (1..=depth)
            .map(|level| analysis.readouts().table(level).is_some())
            .collect(),
    }
}

/// f at `per_axis` sample centres per axis, through the counted sampler,
/// with non-finite values kept as they are.
fn sample_f(sampler: &Sampler, per_axis: usize) -> (Option<Samples>, Option<NonFiniteSamples>) {
    let d = sampler.dim();
    let centres = Samples::centres(per_axis);
    let count = if d == 1 {
        per_axis
    } else {
        per_axis * per_axis
    };
    let mut values = vec![0.0; count];
    sampler.eval_grid_raw(&centres, &centres, &mut values);

    let mut non_finite: Option<NonFiniteSamples> = None;
    for (index, value) in values.iter().enumerate() {
        if value.is_finite() {
            continue;
        }
        match non_finite.as_mut() {
            Some(found) => found.count += 1,
            None => {
                let point = [centres[index % per_axis], centres[index / per_axis]];
                let first = if d == 1 { [point[0], 0.0] } else { point };
                non_finite = Some(NonFiniteSamples { count: 1, first });
            }
        }
    }

    (Samples::new(d, per_axis, values), non_finite)
}

/// Builds the field of one level, following its plan. Closed-form means
/// computed one by one are added to `closed_form_means`.
fn level_field(
    analysis: &Analysis,
    plan: &LevelPlan,
    closed_form_means: &mut u64,
) -> Option<Field> {
    let sampler = analysis.sampler();
    let d = analysis.dim();
    let grid = Grid::new(d, analysis.base(), plan.level).ok()?;
    let closed_form = sampler.target().box_mean([0.0; 2], [1.0; 2]).is_some();

    match plan.source {
        Source::Table => {
            let means = analysis.readouts().table(plan.level)?.to_vec();
            Some(Field::Cells { grid, means })
        }
        Source::GridMeans | Source::CellMeans => {
            let means = tabulate(sampler, &grid, MeanRule::Draft);
            if plan.source == Source::CellMeans && closed_form {
                *closed_form_means += means.len() as u64;
            }
            Some(Field::Cells { grid, means })
        }
        Source::Samples { per_axis } => {
            let values = sampled_means(sampler, &grid, per_axis);
            if closed_form {
                *closed_form_means += values.len() as u64;
            }
            Samples::new(d, per_axis, values).map(Field::Samples)
        }
        Source::Skipped | Source::Omitted => None,
    }
}

/// Computes the mean of the `grid` cell under each of `per_axis` sample
/// centres per axis, by the target's closed form or a 3-point Gauss rule.
fn sampled_means(sampler: &Sampler, grid: &Grid, per_axis: usize) -> Vec<f64> {
    let d = sampler.dim();
    let centres = Samples::centres(per_axis);
    let bounds: Vec<(f64, f64)> = centres
        .iter()
        .map(|&x| grid.axis_bounds(grid.axis_index(x)))
        .collect();

    let (mut los, mut his) = (Vec::new(), Vec::new());
    let rows = if d == 1 { 1 } else { per_axis };
    for row in 0..rows {
        for column in 0..per_axis {
            let (x0, x1) = bounds[column];
            let (y0, y1) = if d == 1 { (0.0, 0.0) } else { bounds[row] };
            los.push([x0, y0]);
            his.push([x1, y1]);
        }
    }

    let mut values = vec![0.0; los.len()];
    if sampler.target().box_mean_many(&los, &his, &mut values) {
        return values;
    }
    for ((lo, hi), value) in los.iter().zip(&his).zip(values.iter_mut()) {
        *value = box_mean(sampler, *lo, *hi, MeanRule::Draft);
    }
    values
}

/// Computes the range shared by f and every Φ_ℓ: that of f's samples
/// (with outliers cut as `ValueRange::of_values` does), widened to the
/// finite means of the levels unless outliers were cut.
fn shared_range(f: Option<&Field>, levels: &[Option<Field>]) -> ValueRange {
    let level_values = levels.iter().flatten().flat_map(|field| field.values());
    let Some(f) = f else {
        let values: Vec<f64> = level_values.copied().collect();
        return ValueRange::of_values(&values);
    };

    let mut range = ValueRange::of_values(f.values());
    if range.clipped {
        return range;
    }
    for &value in level_values {
        if value.is_finite() {
            range.lo = range.lo.min(value);
            range.hi = range.hi.max(value);
        }
    }
    range
}
