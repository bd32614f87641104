//! The network-mode computation for one state, done progressively: the
//! decoder tables, then ‖f − Φ_ℓ^net‖_p by randomised quasi-Monte-Carlo
//! with a standard error, the fraction of sample points that fell in
//! strips, and the decoder misses.
//!
//! Each sample point is evaluated three ways: f through the counted
//! `Sampler`, the network's forward pass, and the tables' E_ℓ f at the
//! point's cell (`NetworkModel::table_readouts`). So the network error, the
//! ideal error and the gap between the two readouts come from the same
//! points, and their differences show the strips alone.

use serde::Serialize;

use crate::analysis::FINAL_ERROR_POINTS;
use crate::deviation::{abs_pow, to_error, ErrorEstimate, ERROR_SHIFTS};
use crate::grid::{Grid, Point};
use crate::qmc;
use crate::readout::Readouts;
use crate::sampler::Sampler;
use crate::state::{State, P_RANGE};
use crate::target::{build_target, Target};

use super::decoder::{Decoder, DecoderBuilder};
use super::forward::{NetworkModel, Trace};
use super::wiring::Network;
use super::{DepthLimit, NetworkError, NetworkSpec};

/// Seed of the random shifts of every network-mode error estimate.
pub const NETWORK_ERROR_SEED: u64 = 0x4E45_7457;

/// Sample points evaluated per bounded step.
const POINT_CHUNK: u64 = 256;

/// Decoder cells added per bounded step. Small, because a cell of a level
/// that `Readouts` does not tabulate may cost a quadrature.
const TABLE_CHUNK: u64 = 256;

/// Cost units charged per cell of decoder-table work (one entry's code,
/// correction and readout, or `DecoderBuilder`'s merge of several entries).
const TABLE_ENTRY_COST: u64 = 1;

/// Non-zero parameters whose multiply-adds count as one cost unit, the
/// cost of one evaluation of a simple closed-form target.
///
/// NOTE: this is an estimate, not a measurement of every target; it only
/// sizes the bounded steps of `refine`.
const PARAMETERS_PER_COST_UNIT: u64 = 16;

/// One level's network-mode numbers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetworkLevelRow {
    /// Level ℓ.
    pub level: u32,
    /// Number of cells N^{dℓ}.
    pub cells: u128,
    /// ‖f − Φ_ℓ^net‖_p.
    pub error: f64,
    /// Standard error of `error`.
    pub error_standard_error: f64,
    /// ‖f − E_ℓ f‖_p on the same sample points.
    pub ideal_error: f64,
    /// Standard error of `ideal_error`.
    pub ideal_error_standard_error: f64,
    /// ‖Φ_ℓ^net − E_ℓ f‖_p on the same sample points: what the strips cost.
    pub readout_gap: f64,
    /// Fraction of sample points with a fractional digit at some level
    /// 1..=ℓ.
    pub strip_fraction: f64,
    /// Standard error of `strip_fraction` over the random shifts.
    pub strip_fraction_standard_error: f64,
    /// Bound ℓ·η·(N−1)/N of the strip fraction of one coordinate.
    pub strip_bound_per_axis: f64,
    /// Bound 1 − (1 − ℓ·η·(N−1)/N)^d of the strip fraction.
    pub strip_bound: f64,
    /// Sample points whose level-ℓ code was not in the table.
    pub decoder_misses: u64,
    /// Of those, points with no fractional digit at levels 1..=ℓ (0 unless
    /// exactness fails).
    pub misses_outside_strips: u64,
    /// Sample points evaluated so far.
    pub samples: u64,
    /// Whether every sample point has been evaluated.
    pub is_final: bool,
}

/// The figures the page shows about the network.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetworkSummary {
    /// Dimension d.
    pub d: usize,
    /// Grid base N.
    pub n: u32,
    /// Width, read from the built matrices.
    pub width: usize,
    /// Hidden layers L + 2.
    pub hidden_layers: usize,
    /// Weights and biases counted densely from the built matrices.
    pub dense_parameters: u64,
    /// (d+1)W + (H−1)(W+1)W + L(W+1).
    pub dense_parameter_formula: u64,
    /// Weights and biases that are not zero.
    pub nonzero_parameters: u64,
    /// Ramp width η = 1/s the network uses.
    pub eta: f64,
    /// Ramp width requested.
    pub requested_eta: f64,
    /// Ramp slope s = 1/η.
    pub ramp_slope: u32,
    /// Depth requested.
    pub requested_depth: u32,
    /// Deepest available level L.
    pub available_depth: u32,
    /// Limit on `available_depth`.
    pub depth_limit: DepthLimit,
    /// The same as a sentence.
    pub depth_explanation: String,
    /// L·η·(N−1)/N.
    pub strip_bound_per_axis: f64,
    /// 1 − (1 − L·η·(N−1)/N)^d.
    pub strip_bound: f64,
    /// Measured fraction of sample points with a fractional digit at some
    /// level 1..=L.
    pub strip_fraction: f64,
    /// Standard error of `strip_fraction`.
    pub strip_fraction_standard_error: f64,
    /// Entries over all decoder tables (0 until they are built).
    pub decoder_entries: u64,
    /// Equal codes found in the tables.
    pub decoder_collisions: u64,
    /// Table lookups made at sample points.
    pub decoder_lookups: u64,
    /// Lookups whose code was not in the table.
    pub decoder_misses: u64,
    /// Misses at points with no fractional digit up to that level.
    pub misses_outside_strips: u64,
    /// Sample points evaluated.
    pub samples: u64,
    /// Forward passes run.
    pub network_evaluations: u64,
    /// Evaluations of f.
    pub target_evaluations: u64,
    /// Work so far in cost units.
    pub work: u64,
    /// Whether every number is final.
    pub is_final: bool,
}

/// Running sums of the randomised quasi-Monte-Carlo estimates.
#[derive(Clone, Debug)]
struct ErrorSampling {
    d: usize,
    p: f64,
    levels: usize,
    points_per_shift: u64,
    shifts: Vec<Point>,
    next_shift: usize,
    next_point: u64,
    /// `[level − 1][shift]`: sums of |f − Φ_ℓ^net|^p.
    network_sums: Vec<Vec<f64>>,
    /// `[level − 1][shift]`: sums of |f − E_ℓ f|^p.
    ideal_sums: Vec<Vec<f64>>,
    /// `[level − 1][shift]`: sums of |Φ_ℓ^net − E_ℓ f|^p.
    gap_sums: Vec<Vec<f64>>,
    /// `[level − 1][shift]`: points with a fractional digit at 1..=ℓ.
    strip_counts: Vec<Vec<u64>>,
    misses: Vec<u64>,
    misses_outside_strips: Vec<u64>,
    samples: u64,
    points: Vec<Point>,
    values: Vec<f64>,
    reference: Vec<f64>,
    trace: Trace,
}

impl ErrorSampling {
    fn new(d: usize, levels: usize, p: f64, points_per_shift: u64) -> ErrorSampling {
        let per_level = vec![vec![0.0; ERROR_SHIFTS]; levels];
        ErrorSampling {
            d,
            p,
            levels,
            points_per_shift,
            shifts: qmc::shifts(NETWORK_ERROR_SEED, ERROR_SHIFTS),
            next_shift: 0,
            next_point: 0,
            network_sums: per_level.clone(),
            ideal_sums: per_level.clone(),
            gap_sums: per_level,
            strip_counts: vec![vec![0; ERROR_SHIFTS]; levels],
            misses: vec![0; levels],
            misses_outside_strips: vec![0; levels],
            samples: 0,
            points: Vec::new(),
            values: Vec::new(),
            reference: vec![0.0; levels + 1],
            trace: Trace::default(),
        }
    }

    fn is_done(&self) -> bool {
        self.next_shift >= self.shifts.len()
    }

    /// Evaluates up to `max_points` further points; returns how many.
    fn advance(&mut self, model: &NetworkModel, sampler: &Sampler, max_points: u64) -> u64 {
        if self.is_done() || max_points == 0 {
            return 0;
        }
        let batch = max_points.min(self.points_per_shift - self.next_point);
        let shift = self.shifts[self.next_shift];
        let whole = ([0.0, 0.0], [1.0, 1.0]);

        self.points.clear();
        for k in self.next_point..self.next_point + batch {
            self.points
                .push(qmc::point(self.d, shift, k, whole.0, whole.1));
        }
        self.values.resize(self.points.len(), 0.0);
        sampler.eval_many(&self.points, &mut self.values);

        for (point, value) in self.points.iter().zip(&self.values) {
            model.forward_into(*point, &mut self.trace);
            model.table_readouts(*point, &mut self.reference);
            let first_fractional = self.trace.first_fractional_level();
            for index in 0..self.levels {
                let level = index as u32 + 1;
                let network = self.trace.levels[index].readout;
                let ideal = self.reference[index + 1];
                self.network_sums[index][self.next_shift] += abs_pow(value - network, self.p);
                self.ideal_sums[index][self.next_shift] += abs_pow(value - ideal, self.p);
                self.gap_sums[index][self.next_shift] += abs_pow(network - ideal, self.p);
                let in_strip = first_fractional.is_some_and(|first| first <= level);
                if in_strip {
                    self.strip_counts[index][self.next_shift] += 1;
                }
                if !self.trace.levels[index].decoder_hit {
                    self.misses[index] += 1;
                    if !in_strip {
                        self.misses_outside_strips[index] += 1;
                    }
                }
            }
        }

        self.samples += batch;
        self.next_point += batch;
        if self.next_point == self.points_per_shift {
            self.next_point = 0;
            self.next_shift += 1;
        }
        batch
    }

    /// Combines the completed shifts of `sums` into an L^p estimate.
    fn estimate(&self, sums: &[f64]) -> ErrorEstimate {
        if self.next_shift == 0 {
            return ErrorEstimate {
                error: f64::NAN,
                standard_error: f64::INFINITY,
            };
        }
        let means: Vec<f64> = sums[..self.next_shift]
            .iter()
            .map(|sum| sum / self.points_per_shift as f64)
            .collect();
        let combined = qmc::combine(&means);
        to_error(combined.mean, combined.standard_error, self.p)
    }

    /// Combines the completed shifts into the strip fraction of level index
    /// `index`.
    fn strip_fraction(&self, index: usize) -> qmc::MeanEstimate {
        let fractions: Vec<f64> = self.strip_counts[index][..self.next_shift]
            .iter()
            .map(|count| *count as f64 / self.points_per_shift as f64)
            .collect();
        qmc::combine(&fractions)
    }
}

/// The network-mode computation for one state.
pub struct NetworkAnalysis {
    spec: NetworkSpec,
    sampler: Sampler,
    readouts: Readouts,
    building: Option<(Network, DecoderBuilder)>,
    model: Option<NetworkModel>,
    sampling: ErrorSampling,
    network_evaluations: u64,
    /// Decoder-table work so far, in cells (see `DecoderBuilder::step`).
    table_work: u64,
    forward_cost: u64,
}

impl NetworkAnalysis {
    /// Builds the target and the network of `state` (its dimension, base,
    /// depth, η and p), with cell means from `readouts`, which must have
    /// been built for the same target, dimension and base.
    ///
    /// NOTE: decoder tables go up to 2^20 cells per level, beyond the 10^5
    /// that `Readouts` tabulates. Finer levels take their means from
    /// `Readouts::values`, which for a target without closed-form means
    /// costs one quadrature of the readouts' `MeanRule` per cell: cheap with
    /// `MeanRule::Draft`, up to thousands of evaluations per cell with
    /// `MeanRule::Accurate`.
    pub fn new(state: &State, readouts: Readouts) -> Result<NetworkAnalysis, NetworkError> {
        let target = build_target(state).map_err(NetworkError::Target)?;
        let spec = NetworkSpec::new(state.d, state.n, state.depth, state.eta)?;
        NetworkAnalysis::from_target(target, readouts, spec, state.p, FINAL_ERROR_POINTS)
    }

    /// Prepares the computation for any target: the network of `spec`,
    /// cell means from `readouts`, errors in L^p with `points_per_shift`
    /// points for each of the `ERROR_SHIFTS` random shifts.
    pub fn from_target(
        target: Box<dyn Target>,
        readouts: Readouts,
        spec: NetworkSpec,
        p: f64,
        points_per_shift: u64,
    ) -> Result<NetworkAnalysis, NetworkError> {
        if target.dim() != spec.dim() {
            return Err(NetworkError::TargetDimension {
                target: target.dim(),
                network: spec.dim(),
            });
        }
        let level_one_cells = readouts.table(1).map(<[f64]>::len);
        let expected_cells = (spec.base() as usize).pow(spec.dim() as u32);
        if level_one_cells != Some(expected_cells) {
            return Err(NetworkError::ReadoutsMismatch {
                expected: (spec.dim(), spec.base()),
                level_one_cells,
            });
        }
        if !(P_RANGE.0..=P_RANGE.1).contains(&p) {
            return Err(NetworkError::Exponent(p));
        }

        let sampler = Sampler::new(target);
        let constant = readouts.overall_mean();
        let network = Network::new(&spec, constant);
        let forward_cost = 1 + network.nonzero_parameter_count() / PARAMETERS_PER_COST_UNIT;
        let builder = DecoderBuilder::new(&spec, constant);
        let sampling = ErrorSampling::new(
            spec.dim(),
            spec.depth() as usize,
            p,
            points_per_shift.max(1),
        );
        Ok(NetworkAnalysis {
            spec,
            sampler,
            readouts,
            building: Some((network, builder)),
            model: None,
            sampling,
            network_evaluations: 0,
            table_work: 0,
            forward_cost,
        })
    }

    /// The parameters of the network.
    pub fn spec(&self) -> &NetworkSpec {
        &self.spec
    }

    /// The network (available before its decoder tables are built).
    pub fn network(&self) -> &Network {
        match (&self.model, &self.building) {
            (Some(model), _) => model.network(),
            (None, Some((network, _))) => network,
            (None, None) => unreachable!("a network analysis always holds its network"),
        }
    }

    /// The network with its decoder, once every table is built.
    pub fn model(&self) -> Option<&NetworkModel> {
        self.model.as_ref()
    }

    /// The counted target.
    pub fn sampler(&self) -> &Sampler {
        &self.sampler
    }

    /// The cell means the decoder tables are built from.
    pub fn readouts(&self) -> &Readouts {
        &self.readouts
    }

    /// Forward passes run so far.
    pub fn network_evaluations(&self) -> u64 {
        self.network_evaluations
    }

    /// Work so far in cost units: target work, plus one unit per cell of
    /// decoder-table work, plus an estimated cost per forward pass of one
    /// unit per 16 non-zero parameters (plus one).
    pub fn work(&self) -> u64 {
        self.sampler.work()
            + self.table_work * TABLE_ENTRY_COST
            + self.network_evaluations * self.forward_cost
    }

    /// Whether every number is final.
    pub fn is_final(&self) -> bool {
        self.model.is_some() && self.sampling.is_done()
    }

    /// Does up to about `work` cost units of the remaining computation (at
    /// least one bounded step). Returns whether every number is now final.
    pub fn refine(&mut self, work: u64) -> bool {
        let start = self.work();
        loop {
            if let Some((_, builder)) = self.building.as_mut() {
                self.table_work += builder.step(&self.sampler, &self.readouts, TABLE_CHUNK);
                if builder.is_done() {
                    self.install_decoder();
                }
            } else if let Some(model) = self.model.as_ref() {
                if self.sampling.is_done() {
                    break;
                }
                let points = self.sampling.advance(model, &self.sampler, POINT_CHUNK);
                self.network_evaluations += points;
            }
            if self.work() - start >= work {
                break;
            }
        }
        self.is_final()
    }

    /// Runs the computation to the end.
    pub fn finish(&mut self) {
        while !self.refine(u64::MAX) {}
    }

    /// Installs decoder tables built earlier, in place of building them,
    /// and returns whether they were taken. The tables depend on the cell
    /// means, dimension, base and depth but not on η, so the page reuses
    /// them when only η changes. The caller must pass tables built from
    /// the same readouts as this analysis's. Tables are refused (and the
    /// analysis builds its own) when their depth differs from the
    /// network's or when this analysis's tables are already complete.
    pub fn adopt_decoder(&mut self, decoder: Decoder) -> bool {
        if decoder.depth() != self.spec.depth() {
            return false;
        }
        let Some((network, _)) = self.building.take() else {
            return false;
        };
        let model = NetworkModel::new(network, decoder)
            .expect("the decoder has a table for every level of the network");
        self.model = Some(model);
        true
    }

    /// Consumes the analysis and returns its decoder tables, if they are
    /// complete, for `adopt_decoder` of the analysis of another η.
    pub fn into_decoder(self) -> Option<Decoder> {
        self.model.map(NetworkModel::into_decoder)
    }

    fn install_decoder(&mut self) {
        let Some((network, builder)) = self.building.take() else {
            return;
        };
        let decoder = builder
            .into_decoder()
            .expect("the decoder is complete when its builder is done");
        let model = NetworkModel::new(network, decoder)
            .expect("the decoder was built for the network's own levels");
        self.model = Some(model);
    }

    /// Builds one row per level 1..=L from the shifts completed so far (NaN
    /// errors before the first shift completes).
    pub fn rows(&self) -> Vec<NetworkLevelRow> {
        let sampling = &self.sampling;
        (0..sampling.levels)
            .map(|index| {
                let level = index as u32 + 1;
                let cells = Grid::new(self.spec.dim(), self.spec.base(), level)
                    .map_or(0, |grid| grid.cell_count());
                let error = sampling.estimate(&sampling.network_sums[index]);
                let ideal = sampling.estimate(&sampling.ideal_sums[index]);
                let gap = sampling.estimate(&sampling.gap_sums[index]);
                let strips = sampling.strip_fraction(index);
                NetworkLevelRow {
                    level,
                    cells,
                    error: error.error,
                    error_standard_error: error.standard_error,
                    ideal_error: ideal.error,
                    ideal_error_standard_error: ideal.standard_error,
                    readout_gap: gap.error,
                    strip_fraction: strips.mean,
                    strip_fraction_standard_error: strips.standard_error,
                    strip_bound_per_axis: self.spec.strip_bound_per_axis(level),
                    strip_bound: self.spec.strip_bound(level),
                    decoder_misses: sampling.misses[index],
                    misses_outside_strips: sampling.misses_outside_strips[index],
                    samples: sampling.samples,
                    is_final: self.is_final(),
                }
            })
            .collect()
    }

    /// The figures about the network for the page.
    pub fn summary(&self) -> NetworkSummary {
        let network = self.network();
        let availability = self.spec.availability();
        let levels = self.spec.depth();
        let deepest = self.sampling.strip_fraction(levels as usize - 1);
        let decoder = self.model.as_ref().map(NetworkModel::decoder);
        NetworkSummary {
            d: self.spec.dim(),
            n: self.spec.base(),
            width: network.width(),
            hidden_layers: network.hidden_layers(),
            dense_parameters: network.dense_parameter_count(),
            dense_parameter_formula: self.spec.dense_parameter_formula(),
            nonzero_parameters: network.nonzero_parameter_count(),
            eta: self.spec.eta(),
            requested_eta: self.spec.requested_eta(),
            ramp_slope: self.spec.ramp_slope(),
            requested_depth: availability.requested,
            available_depth: availability.available,
            depth_limit: availability.limit,
            depth_explanation: availability.explanation(),
            strip_bound_per_axis: self.spec.strip_bound_per_axis(levels),
            strip_bound: self.spec.strip_bound(levels),
            strip_fraction: deepest.mean,
            strip_fraction_standard_error: deepest.standard_error,
            decoder_entries: decoder.map_or(0, |decoder| decoder.entries()),
            decoder_collisions: decoder.map_or(0, |decoder| decoder.collisions()),
            decoder_lookups: self.sampling.samples * u64::from(levels),
            decoder_misses: self.sampling.misses.iter().sum(),
            misses_outside_strips: self.sampling.misses_outside_strips.iter().sum(),
            samples: self.sampling.samples,
            network_evaluations: self.network_evaluations,
            target_evaluations: self.sampler.evaluations(),
            work: self.work(),
            is_final: self.is_final(),
        }
    }
}
