//! Drawing data of network mode: the readouts Φ_ℓ^net of the constructed
//! network at the sample centres, from its forward pass evaluated
//! literally, within the picture's work budget.
//!
//! One forward pass gives every level's readout, so the network costs one
//! pass per sample point whatever the depth. The passes need the decoder
//! tables, which `NetworkAnalysis` builds in the background and which take
//! long for levels of many cells. Until they are complete, the picture
//! uses the network of the first L' levels, whose tables fit in what is
//! left of the budget. Its readouts are those of the full network bit for
//! bit, because a readout reads only the layers up to its own level (the
//! tests check this), and deeper levels are shown as pending.

use crate::analysis::Analysis;
use crate::network::{
    Decoder, DecoderBuilder, Network, NetworkAnalysis, NetworkModel, NetworkSpec,
};
use crate::readout::{MeanRule, Readouts};

use super::budget::{plan_network_within, NetworkCost, NetworkPlan, Plan, PICTURE_BUDGET};
use super::field::{Field, Samples};
use super::{capabilities, Picture};

/// Non-zero parameters of the network per cost unit of a forward pass.
const PARAMETERS_PER_UNIT: u64 = 4;

/// Cost units per halving of a decoder table in one lookup.
const LOOKUP_STEP_COST: u64 = 2;

/// Largest number of decoder entries the picture builds for itself before
/// the analysis's tables are complete.
pub const PREFIX_MAX_ENTRIES: u64 = 16_384;

/// Estimates the cost of one full forward pass of `network` in cost units:
/// the multiply-adds of its non-zero parameters plus the decoder lookups.
///
/// NOTE: an estimate, fitted so that one unit takes about as long as one
/// unit of a target evaluation (native timings of `forward_grid` and of the
/// Weierstrass target, about 5 ns per unit on the machine that fitted it).
/// Networks of large N are overestimated up to about 2 times.
pub fn forward_cost(network: &Network) -> u64 {
    1 + network.nonzero_parameter_count() / PARAMETERS_PER_UNIT + lookup_cost(network.spec())
}

/// Estimates the cost of one point of a 2D grid in `forward_grid`, where
/// the coordinates' neurons are copied and only the encoder, decoder and
/// heads are computed: per hidden layer about (dN + 6)/4 units, plus the
/// decoder lookups.
pub fn grid_point_cost(network: &Network) -> u64 {
    let spec = network.spec();
    let per_layer = (spec.dim() as u64 * u64::from(spec.base()) + 6) / PARAMETERS_PER_UNIT;
    1 + network.hidden_layers() as u64 * per_layer + lookup_cost(spec)
}

/// Estimated cost of the decoder lookups of one pass: one per level, in a
/// table of N^{dℓ} codes, counted as a binary search although
/// `DecoderTable::position` usually needs fewer probes.
fn lookup_cost(spec: &NetworkSpec) -> u64 {
    let cells_per_level = u64::from(spec.base()).pow(spec.dim() as u32);
    let mut entries = 1u64;
    let mut cost = 0;
    for _ in 1..=spec.depth() {
        entries = entries.saturating_mul(cells_per_level);
        let steps = u64::from(64 - (entries - 1).leading_zeros());
        cost += steps * LOOKUP_STEP_COST;
    }
    cost
}

/// Estimates the costs of network mode's forward passes for the picture
/// plan: full passes in 1D, grid points and lines in 2D.
pub fn network_cost(network: &Network, ideal_levels: bool) -> NetworkCost {
    if network.spec().dim() == 1 {
        NetworkCost {
            point_cost: forward_cost(network),
            line_cost: 0,
            ideal_levels,
        }
    } else {
        NetworkCost {
            point_cost: grid_point_cost(network),
            line_cost: forward_cost(network),
            ideal_levels,
        }
    }
}

/// Returns the cell means a network analysis of `analysis`'s state starts
/// from, with the work spent on them in cost units.
///
/// They are the analysis's tables with `MeanRule::Draft` for the levels it
/// does not tabulate, so that the decoder tables of fine levels cost a
/// closed form or a 3-point Gauss rule per cell, never an adaptive
/// quadrature. The network needs the N^d means of level 1. The analysis's
/// draft leaves them out for a costly target, so they are then computed
/// here through the analysis's sampler.
pub fn network_readouts(analysis: &Analysis) -> (Readouts, u64) {
    let readouts = analysis.readouts();
    let (d, n) = (readouts.dim(), readouts.base());
    let mut tables: Vec<Option<Vec<f64>>> = (0..=readouts.depth())
        .map(|level| readouts.table(level).map(<[f64]>::to_vec))
        .collect();
    let mut work = 0;
    if tables.get(1).is_none_or(Option::is_none) {
        let sampler = analysis.sampler();
        let before = sampler.work();
        let cells = u128::from(n).pow(d as u32);
        let coarse = Readouts::new(sampler, n, 1, MeanRule::Draft, cells);
        work = sampler.work() - before;
        tables.resize(tables.len().max(2), None);
        tables[0] = coarse.table(0).map(<[f64]>::to_vec);
        tables[1] = coarse.table(1).map(<[f64]>::to_vec);
    }
    (Readouts::from_tables(d, n, MeanRule::Draft, tables), work)
}

/// Plans the pictures of network mode for `analysis` and the network of
/// `network` within `budget` cost units: the ideal picture's plan (its
/// levels are omitted in 2D, where the view does not show them) and the
/// network's.
pub fn plan_pictures(analysis: &Analysis, network: &Network, budget: u64) -> (Plan, NetworkPlan) {
    let cost = network_cost(network, analysis.dim() == 1);
    plan_network_within(&capabilities(analysis), &cost, budget)
}

/// The network's readouts at the sample centres.
#[derive(Clone, Debug)]
pub struct NetworkPicture {
    /// Dimension d.
    pub d: usize,
    /// Samples per axis (0 when not drawn).
    pub per_axis: usize,
    /// Φ_ℓ^net for ℓ = 1..=`levels.len()`, at index ℓ − 1.
    pub levels: Vec<Field>,
    /// Φ_0, the network's constant.
    pub constant: f64,
    /// Samples with a fractional digit at some level of the model.
    pub strip_samples: usize,
    /// Forward passes run.
    pub evaluations: u64,
    /// Work in cost units, as `NetworkCost::work` estimates it.
    pub work: u64,
}

impl NetworkPicture {
    /// Runs the forward pass of `model` at `per_axis` sample centres per
    /// axis (row-major, x fastest, as f's samples) with
    /// `NetworkModel::forward_grid` and keeps every level's readout, with
    /// the work that `cost` estimates for it.
    pub fn build(model: &NetworkModel, per_axis: usize, cost: &NetworkCost) -> NetworkPicture {
        let d = model.network().spec().dim();
        let levels = model.network().depth() as usize;
        let constant = model.network().constant();
        if per_axis == 0 {
            return NetworkPicture::empty(d, constant);
        }

        let centres = Samples::centres(per_axis);
        let ys = if d == 1 { vec![0.0] } else { centres.clone() };
        let count = ys.len() * per_axis;
        let mut values: Vec<Vec<f64>> = vec![Vec::with_capacity(count); levels];
        let mut strip_samples = 0;
        model.forward_grid(&centres, &ys, |_, _, trace| {
            for (level, level_values) in values.iter_mut().enumerate() {
                level_values.push(trace.levels[level].readout);
            }
            if trace.first_fractional_level().is_some() {
                strip_samples += 1;
            }
        });

        let fields = values
            .into_iter()
            .filter_map(|level_values| Samples::new(d, per_axis, level_values).map(Field::Samples))
            .collect();
        NetworkPicture {
            d,
            per_axis,
            levels: fields,
            constant,
            strip_samples,
            evaluations: count as u64,
            work: cost.work(d, per_axis),
        }
    }

    /// Returns a picture with no level drawn.
    pub fn empty(d: usize, constant: f64) -> NetworkPicture {
        NetworkPicture {
            d,
            per_axis: 0,
            levels: Vec::new(),
            constant,
            strip_samples: 0,
            evaluations: 0,
            work: 0,
        }
    }

    /// Φ_ℓ^net, or None when level ℓ is not drawn.
    pub fn level(&self, level: u32) -> Option<&Field> {
        let index = (level as usize).checked_sub(1)?;
        self.levels.get(index)
    }

    /// Number of levels drawn.
    pub fn drawn_levels(&self) -> u32 {
        self.levels.len() as u32
    }
}

/// The network part of a network-mode picture, and the model it was drawn
/// from.
pub struct NetworkDrawing {
    /// The plan of the ideal picture drawn beside the network's.
    pub ideal_plan: Plan,
    /// The plan of the forward passes.
    pub plan: NetworkPlan,
    /// Costs charged for the forward passes.
    pub cost: NetworkCost,
    /// The readouts drawn.
    pub picture: NetworkPicture,
    /// The network of the first L' levels, while the analysis's tables are
    /// incomplete.
    pub prefix: Option<NetworkModel>,
    /// Work of the cell means and decoder tables built for the picture
    /// (`spent` included), in cost units.
    pub table_work: u64,
}

impl NetworkDrawing {
    /// Plans the pictures of network mode, the ideal picture of `analysis`
    /// (built by `ideal_picture`) and the network's readouts, within what is
    /// left of `PICTURE_BUDGET` after `spent` cost units (the work of
    /// `network_readouts`, say), and draws the network's readouts.
    ///
    /// `reuse` is the decoder tables of an earlier analysis of the same
    /// cell means, built for another η, which `network` adopts. Otherwise, when
    /// the tables of every level fit in the budget left over, they are
    /// built now and handed to `network`; when only those of the first L'
    /// levels fit, they are built for the picture alone.
    pub fn build(
        analysis: &Analysis,
        network: &mut NetworkAnalysis,
        reuse: Option<Decoder>,
        spent: u64,
    ) -> NetworkDrawing {
        let budget = PICTURE_BUDGET.saturating_sub(spent);
        let (plan, network_plan) = plan_pictures(analysis, network.network(), budget);
        let cost = network_cost(network.network(), analysis.dim() == 1);
        let left = budget.saturating_sub(plan.work() + network_plan.work);

        if let Some(decoder) = reuse {
            network.adopt_decoder(decoder);
        }
        let mut prefix = None;
        let mut table_work = 0;
        if network.model().is_none() {
            let spec = *network.spec();
            let levels = prefix_depth(&spec, network, left);
            if levels > 0 {
                let (model, work) = prefix_model(&spec, levels, network);
                table_work = work;
                if levels == spec.depth() {
                    let decoder = model.decoder().clone();
                    network.adopt_decoder(decoder);
                } else {
                    prefix = Some(model);
                }
            }
        }

        let model = network.model().or(prefix.as_ref());
        let drawn = match model {
            Some(model) => NetworkPicture::build(model, network_plan.per_axis, &cost),
            None => NetworkPicture::empty(analysis.dim(), network.network().constant()),
        };
        NetworkDrawing {
            ideal_plan: plan,
            plan: network_plan,
            cost,
            picture: drawn,
            prefix,
            table_work: table_work + spent,
        }
    }

    /// Builds the ideal picture of `analysis` that is drawn beside the
    /// network's readouts, following `ideal_plan`.
    pub fn ideal_picture(&self, analysis: &Analysis) -> Picture {
        Picture::build_with_plan(analysis, self.ideal_plan.clone())
    }

    /// Returns the model the readouts were drawn from: the prefix network
    /// while there is one, else the analysis's.
    pub fn model<'a>(&'a self, network: &'a NetworkAnalysis) -> Option<&'a NetworkModel> {
        match &self.prefix {
            Some(prefix) => Some(prefix),
            None => network.model(),
        }
    }

    /// Redraws the readouts from the analysis's model once its tables are
    /// complete and the picture still shows a prefix. Returns whether it
    /// redrew.
    pub fn upgrade(&mut self, network: &NetworkAnalysis) -> bool {
        let Some(model) = network.model() else {
            return false;
        };
        if self.prefix.is_none() && self.picture.drawn_levels() == network.spec().depth() {
            return false;
        }
        self.picture = NetworkPicture::build(model, self.plan.per_axis, &self.cost);
        self.prefix = None;
        true
    }
}

/// Deepest level L' whose decoder tables of levels 1..=L' hold at most
/// `PREFIX_MAX_ENTRIES` entries and cost at most `budget` units: one per
/// entry, plus a cell mean per entry of a level the readouts do not
/// tabulate. 0 when level 1 does not fit.
fn prefix_depth(spec: &NetworkSpec, network: &NetworkAnalysis, budget: u64) -> u32 {
    let target = network.sampler().target();
    let unit = target.cost().max(1);
    let mean_cost = if target.box_mean([0.0; 2], [1.0; 2]).is_some() {
        unit
    } else {
        3u64.pow(spec.dim() as u32) * unit
    };
    let cells_per_level = u64::from(spec.base()).pow(spec.dim() as u32);
    let mut entries = 0u64;
    let mut work = 0u64;
    let mut cells = 1u64;
    let mut depth = 0;
    for level in 1..=spec.depth() {
        cells = cells.saturating_mul(cells_per_level);
        let tabulated = network.readouts().table(level).is_some();
        let level_work = if tabulated {
            cells
        } else {
            cells.saturating_mul(1 + mean_cost)
        };
        entries = entries.saturating_add(cells);
        work = work.saturating_add(level_work);
        if entries > PREFIX_MAX_ENTRIES || work > budget {
            break;
        }
        depth = level;
    }
    depth
}

/// Builds the network of the first `levels` levels of `spec` with its
/// decoder tables from `network`'s readouts. Returns it with the work
/// spent in cost units.
fn prefix_model(spec: &NetworkSpec, levels: u32, network: &NetworkAnalysis) -> (NetworkModel, u64) {
    let prefix_spec = NetworkSpec::new(spec.dim(), spec.base(), levels, spec.requested_eta())
        .expect("a shallower network of a valid specification is valid");
    let readouts = network.readouts();
    let sampler = network.sampler();
    let constant = readouts.overall_mean();
    let work_before = sampler.work();
    let decoder = DecoderBuilder::new(&prefix_spec, constant).build(sampler, readouts);

    let target = sampler.target();
    let closed_form = target.box_mean([0.0; 2], [1.0; 2]).is_some();
    let untabulated: u64 = (1..=levels)
        .filter(|&level| readouts.table(level).is_none())
        .filter_map(|level| decoder.table(level))
        .map(|table| table.len() as u64)
        .sum();
    let closed_form_work = if closed_form {
        untabulated * target.cost().max(1)
    } else {
        0
    };
    let work = decoder.entries() + (sampler.work() - work_before) + closed_form_work;
    let model = NetworkModel::new(Network::new(&prefix_spec, constant), decoder)
        .expect("the decoder was built for the same levels");
    (model, work)
}
