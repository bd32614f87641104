//! The work budget of one picture, and the plan that keeps within it.
//!
//! Work is counted in the engine's cost units: one evaluation of f costs
//! `Target::cost()` units. A picture samples f on a regular grid and needs,
//! for every level ℓ, the cell means Φ_ℓ shows. From cheapest to dearest,
//! means come from the analysis's own table, from the target's separable
//! closed form of all cell means (`Target::grid_means`), from a closed form
//! per cell (`Target::box_mean`), or from a 3-point Gauss rule per axis
//! (3^d evaluations per mean). A closed-form mean is counted as one
//! evaluation, because it costs about as much. When the dearest choices
//! would exceed `PICTURE_BUDGET`, the plan lowers the number of samples of
//! the most expensive item, and repeats. As a last resort a level is not
//! drawn. In network mode the forward passes of the network at the sample
//! points are one more item of the same budget.

/// Work allowed for one picture, in cost units (evaluations of f times
/// `Target::cost()`). Separate from the analysis's own draft budget.
pub const PICTURE_BUDGET: u64 = 600_000;

/// Maximum number of samples of f in a one-dimensional picture.
pub const MAX_SAMPLES_1D: usize = 1024;

/// Maximum number of samples of f per axis of a two-dimensional picture.
pub const MAX_SAMPLES_2D: usize = 256;

/// Minimum number of samples that a reduced item of a one-dimensional
/// picture keeps before it is dropped.
pub const MIN_SAMPLES_1D: usize = 32;

/// Minimum number of samples per axis that a reduced item of a
/// two-dimensional picture keeps before it is dropped.
pub const MIN_SAMPLES_2D: usize = 8;

/// Maximum number of cells of a level whose means a picture stores as one
/// table (8 MiB of doubles).
pub const MAX_TABLE_CELLS: u128 = 1 << 20;

/// Cells that `Target::grid_means` combines per cost unit, on top of its
/// per-axis means: combining is one addition per cell.
const GRID_MEANS_CELLS_PER_UNIT: u64 = 8;

/// Cells per full-resolution sample (per axis) beyond which a level is
/// drawn from samples rather than from a table of all its cells.
const FINE_CELLS_PER_SAMPLE: u128 = 4;

/// Facts about a state and its analysis that the plan depends on.
#[derive(Clone, Debug, PartialEq)]
pub struct Capabilities {
    /// Dimension d.
    pub d: usize,
    /// Grid base N.
    pub n: u32,
    /// Number of levels L.
    pub depth: u32,
    /// Cost of one evaluation of f, in cost units (at least 1).
    pub unit_cost: u64,
    /// Whether the target has a closed form for the mean over a box.
    pub closed_form_means: bool,
    /// Whether the target computes all cell means of a grid at once.
    pub grid_means: bool,
    /// `tabulated[ℓ − 1]`: whether the analysis stores the means of level ℓ.
    pub tabulated: Vec<bool>,
}

/// Origin of the values of a level's picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The analysis's table of cell means (no new work).
    Table,
    /// `Target::grid_means` on the whole level grid (closed form).
    GridMeans,
    /// The mean of every cell, one at a time.
    CellMeans,
    /// The mean of the cell under each of `per_axis` samples per axis:
    /// used when cells are narrower than samples, or when computing every
    /// cell would cost too much.
    Samples {
        /// Samples per axis.
        per_axis: usize,
    },
    /// Not drawn: even the fewest samples exceed the budget.
    Skipped,
    /// Not drawn because the view does not show it (the ideal readouts of
    /// a two-dimensional picture in network mode); costs nothing and is not
    /// a reduction.
    Omitted,
}

/// The plan for one level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LevelPlan {
    /// Level ℓ.
    pub level: u32,
    /// Origin of the values.
    pub source: Source,
    /// Planned work in cost units.
    pub work: u64,
    /// Whether the level is drawn with fewer samples than the picture's
    /// full resolution, or not at all.
    pub reduced: bool,
}

/// The plan for a whole picture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Full resolution: samples per axis that unreduced items use.
    pub full_samples: usize,
    /// Samples of f per axis (0 when f is not drawn).
    pub f_samples: usize,
    /// Planned work for f, in cost units.
    pub f_work: u64,
    /// One plan per level 1..=L.
    pub levels: Vec<LevelPlan>,
}

impl Plan {
    /// Total planned work in cost units; at most `PICTURE_BUDGET`.
    pub fn work(&self) -> u64 {
        self.f_work + self.levels.iter().map(|level| level.work).sum::<u64>()
    }

    /// Returns whether f is sampled more coarsely than the full resolution.
    pub fn f_reduced(&self) -> bool {
        self.f_samples < self.full_samples
    }
}

/// Network mode's share of a picture: the forward passes at the sample
/// points, which give every level's readout Φ_ℓ^net at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetworkCost {
    /// Estimated cost of the forward pass at one sample point, in cost
    /// units.
    pub point_cost: u64,
    /// Estimated extra cost per sample column and per sample row, in cost
    /// units (the passes that a two-dimensional grid shares along a line;
    /// 0 in 1D).
    pub line_cost: u64,
    /// Whether the picture also draws the ideal readouts E_ℓ f. One
    /// dimension overlays them on the network's; two dimensions do not
    /// show them, so their levels are `Source::Omitted`.
    pub ideal_levels: bool,
}

impl NetworkCost {
    /// Work of the forward passes at `per_axis` samples per axis.
    pub fn work(&self, d: usize, per_axis: usize) -> u64 {
        let points = sample_count(d, per_axis).saturating_mul(self.point_cost.max(1));
        let lines = if d == 1 { 0 } else { 2 * per_axis as u64 };
        points.saturating_add(lines.saturating_mul(self.line_cost))
    }
}

/// The plan of the network's readouts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetworkPlan {
    /// Samples per axis at which the network is evaluated (0 when even the
    /// fewest exceed the budget).
    pub per_axis: usize,
    /// Planned work in cost units: forward passes times their cost.
    pub work: u64,
    /// Whether the network is evaluated at fewer samples than the
    /// picture's full resolution, or not at all.
    pub reduced: bool,
}

/// Full resolution for base `n` in dimension `d`: the largest multiple of a
/// power of `n` that fits `MAX_SAMPLES_1D` or `MAX_SAMPLES_2D`, so that the
/// cells of the first levels cover whole numbers of samples (243 = 3^5 for
/// N = 3 in 2D, 1024 = 4^5 for N = 4 in 1D).
pub fn full_samples(d: usize, n: u32) -> usize {
    let limit = if d == 1 {
        MAX_SAMPLES_1D
    } else {
        MAX_SAMPLES_2D
    };
    let n = (n.max(2)) as usize;
    let mut power = 1;
    while power * n <= limit {
        power *= n;
    }
    (limit / power) * power
}

/// One item of the plan (f or a level) with its choices, best first.
struct Item {
    choices: Vec<(Source, u64)>,
    current: usize,
}

impl Item {
    fn work(&self) -> u64 {
        self.choices[self.current].1
    }

    fn can_lower(&self) -> bool {
        self.current + 1 < self.choices.len()
    }
}

/// Plans a picture within `PICTURE_BUDGET`.
pub fn plan(capabilities: &Capabilities) -> Plan {
    plan_within(capabilities, PICTURE_BUDGET)
}

/// Plans a picture within `budget` cost units: starts from the best choice
/// of every item and lowers the most expensive item until the total fits.
/// The result never exceeds `budget`, because every item can fall back to
/// not being drawn.
pub fn plan_within(capabilities: &Capabilities, budget: u64) -> Plan {
    plan_items(capabilities, None, budget).0
}

/// Plans a network-mode picture within `PICTURE_BUDGET`.
pub fn plan_network(capabilities: &Capabilities, network: &NetworkCost) -> (Plan, NetworkPlan) {
    plan_network_within(capabilities, network, PICTURE_BUDGET)
}

/// Plans a network-mode picture within `budget` cost units: f, the ideal
/// levels (unless `network` omits them) and the network's forward passes
/// share the budget, and the most expensive item is lowered first, as in
/// `plan_within`.
pub fn plan_network_within(
    capabilities: &Capabilities,
    network: &NetworkCost,
    budget: u64,
) -> (Plan, NetworkPlan) {
    let (plan, network_plan) = plan_items(capabilities, Some(network), budget);
    let network_plan = network_plan.expect("a network item was planned");
    (plan, network_plan)
}

fn plan_items(
    capabilities: &Capabilities,
    network: Option<&NetworkCost>,
    budget: u64,
) -> (Plan, Option<NetworkPlan>) {
    let d = capabilities.d;
    let full = full_samples(d, capabilities.n);
    let unit = capabilities.unit_cost.max(1);

    let mut items = vec![f_item(d, full, unit)];
    for level in 1..=capabilities.depth {
        if network.is_some_and(|network| !network.ideal_levels) {
            items.push(Item {
                choices: vec![(Source::Omitted, 0)],
                current: 0,
            });
        } else {
            items.push(level_item(capabilities, level, full, unit));
        }
    }
    if let Some(network) = network {
        items.push(network_item(d, full, network));
    }

    loop {
        let total: u64 = items.iter().map(Item::work).sum();
        if total <= budget {
            break;
        }
        // Lower the most expensive item that can still be lowered. On a tie
        // the finest level goes first, because f and the coarse levels show
        // the most visible structure.
        let candidate = items
            .iter()
            .enumerate()
            .filter(|(_, item)| item.can_lower())
            .max_by_key(|(index, item)| (item.work(), *index))
            .map(|(index, _)| index);
        match candidate {
            Some(index) => items[index].current += 1,
            None => break,
        }
    }

    let (f_source, f_work) = items[0].choices[items[0].current];
    let f_samples = match f_source {
        Source::Samples { per_axis } => per_axis,
        _ => 0,
    };
    let network_plan = network.map(|_| {
        let item = items.pop().expect("the network item is last");
        let (source, work) = item.choices[item.current];
        let per_axis = match source {
            Source::Samples { per_axis } => per_axis,
            _ => 0,
        };
        NetworkPlan {
            per_axis,
            work,
            reduced: per_axis < full,
        }
    });
    let levels = items[1..]
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let (source, work) = item.choices[item.current];
            let reduced = match source {
                Source::Samples { per_axis } => per_axis < full,
                Source::Skipped => true,
                _ => false,
            };
            LevelPlan {
                level: index as u32 + 1,
                source,
                work,
                reduced,
            }
        })
        .collect();

    let plan = Plan {
        full_samples: full,
        f_samples,
        f_work,
        levels,
    };
    (plan, network_plan)
}

/// Samples per axis from `full` down to the minimum, halving each time.
fn sample_ladder(d: usize, full: usize) -> Vec<usize> {
    let minimum = if d == 1 {
        MIN_SAMPLES_1D
    } else {
        MIN_SAMPLES_2D
    };
    let mut ladder = vec![full];
    let mut per_axis = full;
    while per_axis / 2 >= minimum {
        per_axis /= 2;
        ladder.push(per_axis);
    }
    ladder
}

/// Number of samples of a grid with `per_axis` samples per axis.
fn sample_count(d: usize, per_axis: usize) -> u64 {
    (per_axis as u64).pow(d as u32)
}

fn f_item(d: usize, full: usize, unit: u64) -> Item {
    let mut choices: Vec<(Source, u64)> = sample_ladder(d, full)
        .into_iter()
        .map(|per_axis| {
            let work = sample_count(d, per_axis) * unit;
            (Source::Samples { per_axis }, work)
        })
        .collect();
    choices.push((Source::Skipped, 0));
    Item {
        choices,
        current: 0,
    }
}

/// Samples per axis from `full` down to the minimum in steps of about
/// √2, so that each step about halves the work of a 2D grid: the forward
/// passes are the dearest item, and halving the samples per axis would
/// quarter them.
fn fine_sample_ladder(d: usize, full: usize) -> Vec<usize> {
    let minimum = if d == 1 {
        MIN_SAMPLES_1D
    } else {
        MIN_SAMPLES_2D
    };
    let mut ladder = vec![full];
    let mut step = 1;
    loop {
        let per_axis = (full as f64 / 2f64.powf(f64::from(step) / 2.0)).round() as usize;
        if per_axis < minimum {
            break;
        }
        if ladder.last() != Some(&per_axis) {
            ladder.push(per_axis);
        }
        step += 1;
    }
    ladder
}

fn network_item(d: usize, full: usize, network: &NetworkCost) -> Item {
    let mut choices: Vec<(Source, u64)> = fine_sample_ladder(d, full)
        .into_iter()
        .map(|per_axis| (Source::Samples { per_axis }, network.work(d, per_axis)))
        .collect();
    choices.push((Source::Skipped, 0));
    Item {
        choices,
        current: 0,
    }
}

fn level_item(capabilities: &Capabilities, level: u32, full: usize, unit: u64) -> Item {
    let d = capabilities.d;
    let per_axis_cells = cells_per_axis(capabilities.n, level);
    let cells = per_axis_cells.map(|per_axis| per_axis.pow(d as u32));
    let tabulated = capabilities
        .tabulated
        .get(level as usize - 1)
        .copied()
        .unwrap_or(false);

    if tabulated {
        return Item {
            choices: vec![(Source::Table, 0)],
            current: 0,
        };
    }

    // Cells much narrower than the samples add nothing visible over the
    // full-resolution samples, which then cost less, so they are preferred.
    let very_fine =
        per_axis_cells.is_none_or(|per_axis| per_axis > FINE_CELLS_PER_SAMPLE * full as u128);
    let fits_table = cells.is_some_and(|count| count <= MAX_TABLE_CELLS);
    let mut choices = Vec::new();
    if let (true, true, false, Some(per_axis), Some(count)) = (
        capabilities.grid_means,
        fits_table,
        very_fine,
        per_axis_cells,
        cells,
    ) {
        // A separable closed form computes one mean per cell and axis, and
        // combines them with one addition per cell.
        let work = per_axis as u64 * unit + count as u64 / GRID_MEANS_CELLS_PER_UNIT;
        choices.push((Source::GridMeans, work));
    }

    let mean_cost = if capabilities.closed_form_means {
        unit
    } else {
        3u64.pow(d as u32) * unit
    };
    // Cells at least one sample wide: every cell is visible, so compute
    // them all (fewer than the samples).
    let coarse = per_axis_cells.is_some_and(|per_axis| per_axis <= full as u128);
    if let (true, Some(count)) = (coarse, cells) {
        choices.push((Source::CellMeans, count as u64 * mean_cost));
    }
    for per_axis in sample_ladder(d, full) {
        // Samples at or above the cell count per axis would repeat cells.
        if per_axis_cells.is_some_and(|cells| per_axis as u128 >= cells) {
            continue;
        }
        let work = sample_count(d, per_axis) * mean_cost;
        choices.push((Source::Samples { per_axis }, work));
    }
    choices.push((Source::Skipped, 0));
    Item {
        choices,
        current: 0,
    }
}

/// N^ℓ, or `None` beyond u128.
fn cells_per_axis(n: u32, level: u32) -> Option<u128> {
    u128::from(n).checked_pow(level)
}
