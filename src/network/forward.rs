//! The forward pass: every ReLU and the encoder evaluated literally in f64,
//! layer by layer, with the decoder replaced by its table.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::grid::{Grid, Point};

use super::decoder::{cell_code, Decoder, Lookup};
use super::wiring::{Activation, Layer, Network};
use super::NetworkError;

/// Replaces a non-finite coordinate by the end of [0, 1] that `Grid` maps it
/// to: NaN and −∞ by 0, +∞ by 1.
fn finite_input(value: f64) -> f64 {
    if value.is_finite() {
        value
    } else if value == f64::INFINITY {
        1.0
    } else {
        0.0
    }
}

/// What the forward pass produced for one level.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LevelTrace {
    /// Digit D_{ℓ,i} of each coordinate (the second is 0 in 1D): the sum of
    /// its ramps, an integer in 0..N outside strips.
    pub digits: [f64; 2],
    /// Index K_{ℓ,i} = N·K_{ℓ−1,i} + D_{ℓ,i} of each coordinate, read from
    /// its accumulator.
    pub indices: [f64; 2],
    /// Flat index k_ℓ = Σ_i N^{ℓ·(i−1)}·K_{ℓ,i}: the encoder's argument
    /// minus 1.
    pub flat_index: f64,
    /// Encoder output u_ℓ = sin(k_ℓ + 1).
    pub code: f64,
    /// Whether a digit of this level was fractional (a ramp mid-way, so
    /// the point lies in a strip of this level or its earlier digits were
    /// already wrong).
    pub fractional: bool,
    /// Whether `code` was found exactly in the decoder table.
    pub decoder_hit: bool,
    /// Readout Φ_ℓ, read after hidden layer ℓ + 2.
    pub readout: f64,
}

/// The record of one forward pass. `NetworkModel::forward_into` overwrites
/// it and reuses its buffers.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    /// Φ_0, the mean of f.
    pub constant: f64,
    /// Levels 1..=L, at index ℓ − 1.
    pub levels: Vec<LevelTrace>,
    /// Largest |value| of any hidden neuron.
    pub max_abs_activation: f64,
    /// Whether every hidden neuron's value was finite.
    pub all_finite: bool,
    current: Vec<f64>,
    next: Vec<f64>,
    /// Per level, the bits of the last code looked up and its result, so
    /// that a pass whose code repeats the previous pass's (a neighbouring
    /// point of the same cell) skips the search. Bit-equal codes give the
    /// same lookup, so this changes no result.
    last_lookups: Vec<Option<(u64, Lookup)>>,
    /// Per hidden layer, the bits of the encoder's last pre-activation and
    /// its sine, kept for the same reason as `last_lookups`.
    last_codes: Vec<Option<(u64, f64)>>,
    /// `NetworkModel::id` of the model whose lookups `last_lookups` and
    /// `last_codes` contain.
    lookups_model: u64,
}

impl Trace {
    /// Φ_level, with Φ_0 the constant; NaN past the last level.
    pub fn readout(&self, level: u32) -> f64 {
        match level {
            0 => self.constant,
            _ => self
                .levels
                .get(level as usize - 1)
                .map_or(f64::NAN, |trace| trace.readout),
        }
    }

    /// Φ_0, …, Φ_L.
    pub fn readouts(&self) -> Vec<f64> {
        let mut readouts = vec![self.constant];
        readouts.extend(self.levels.iter().map(|trace| trace.readout));
        readouts
    }

    /// The first level with a fractional digit, if any: from there on the
    /// digits, the index and the code may be wrong.
    pub fn first_fractional_level(&self) -> Option<u32> {
        self.levels
            .iter()
            .position(|trace| trace.fractional)
            .map(|index| index as u32 + 1)
    }
}

/// Source of `NetworkModel::id`. It starts at 1, so that a new `Trace`
/// (model id 0) matches no model.
static NEXT_MODEL_ID: AtomicU64 = AtomicU64::new(1);

/// The neurons of one coordinate's block (ramp and clamp pairs, then the
/// accumulator) in every hidden layer, from a pass at one value of that
/// coordinate.
struct AxisBlock {
    /// Block values, layer by layer, 2N + 1 per layer.
    values: Vec<f64>,
    /// Largest |value| among them.
    max_abs: f64,
    /// Whether all of them are finite.
    all_finite: bool,
}

/// The blocks that a pass copies instead of computing, one per coordinate.
struct SharedBlocks<'a> {
    blocks: [&'a AxisBlock; 2],
}

/// A network together with the decoder tables its forward pass reads.
#[derive(Clone, Debug)]
pub struct NetworkModel {
    network: Network,
    decoder: Decoder,
    grids: Vec<Grid>,
    /// Distinguishes models for the lookups a `Trace` remembers; a clone
    /// keeps the id, because it has the same tables.
    id: u64,
}

impl NetworkModel {
    /// Pairs `network` with `decoder`, which must have a table for every
    /// level of the network.
    pub fn new(network: Network, decoder: Decoder) -> Result<NetworkModel, NetworkError> {
        if decoder.depth() < network.depth() {
            return Err(NetworkError::DecoderDepth {
                network: network.depth(),
                decoder: decoder.depth(),
            });
        }
        let spec = network.spec();
        let grids = (0..=network.depth())
            .filter_map(|level| Grid::new(spec.dim(), spec.base(), level).ok())
            .collect();
        Ok(NetworkModel {
            network,
            decoder,
            grids,
            id: NEXT_MODEL_ID.fetch_add(1, Ordering::Relaxed),
        })
    }

    /// The network.
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// The decoder tables.
    pub fn decoder(&self) -> &Decoder {
        &self.decoder
    }

    /// Consumes the model and returns its decoder tables.
    pub fn into_decoder(self) -> Decoder {
        self.decoder
    }

    /// Runs the forward pass at `x`.
    pub fn forward(&self, x: Point) -> Trace {
        let mut trace = Trace::default();
        self.forward_into(x, &mut trace);
        trace
    }

    /// Runs the forward pass at every point.
    pub fn forward_many(&self, points: &[Point]) -> Vec<Trace> {
        points.iter().map(|point| self.forward(*point)).collect()
    }

    /// Φ_level of the network at every point: `out[i]` for `points[i]`.
    pub fn readouts_many(&self, level: u32, points: &[Point], out: &mut [f64]) {
        let mut trace = Trace::default();
        for (point, value) in points.iter().zip(out.iter_mut()) {
            self.forward_into(*point, &mut trace);
            *value = trace.readout(level);
        }
    }

    /// Runs the forward pass at `x` into `trace`, reusing its buffers.
    ///
    /// Every neuron's pre-activation is its pair-ordered weighted sum plus
    /// its bias (see `wiring` for why the order matters), followed by its
    /// activation. The decoder neuron of level ℓ looks its input, the
    /// encoder output u_ℓ, up in the table of level ℓ.
    ///
    /// Inputs are meant to lie in [0,1]^d. Finite coordinates outside it
    /// reach the nearest cell through the saturating ramps and the clamps,
    /// as `Grid` assigns it (tested for coordinates in [−1, 2]). NaN and −∞
    /// are replaced by 0 and +∞ by 1 before layer 1, because a zero weight
    /// times a non-finite input would spread NaN to the other coordinate.
    pub fn forward_into(&self, x: Point, trace: &mut Trace) {
        self.run_pass(x, trace, None, None);
    }

    /// Runs the forward pass at every point (`xs[i]`, `ys[j]`) of a tensor
    /// grid, row by row (`ys` outer, `xs` inner), and calls
    /// `visit(i, j, trace)` after each. In 1D `ys` only sets the number of
    /// rows, and every row repeats the same passes.
    ///
    /// The traces equal those of `forward_into` bit for bit (the tests
    /// check this), with less work in 2D. The neurons of one coordinate's
    /// block (its ramps, clamp and accumulator) read only that block of the
    /// layer before, so their values depend on that coordinate alone. They
    /// are computed once per column or row, by a pass at the grid's first
    /// row or column. The passes at the other points copy them and compute
    /// only the shared encoder and decoder neurons. A network whose blocks
    /// read other neurons gets full passes at every point.
    pub fn forward_grid(
        &self,
        xs: &[f64],
        ys: &[f64],
        mut visit: impl FnMut(usize, usize, &Trace),
    ) {
        let mut trace = Trace::default();
        let d = self.network.spec().dim();
        if d == 1 || xs.is_empty() || ys.is_empty() || !self.blocks_are_separate() {
            for (j, &y) in ys.iter().enumerate() {
                for (i, &x) in xs.iter().enumerate() {
                    self.forward_into([x, y], &mut trace);
                    visit(i, j, &trace);
                }
            }
            return;
        }

        let mut recorded = Vec::new();
        let mut record_block = |point: Point, axis: usize, trace: &mut Trace| {
            self.run_pass(point, trace, None, Some(&mut recorded));
            self.extract_block(&recorded, axis)
        };
        let columns: Vec<AxisBlock> = xs
            .iter()
            .map(|&x| record_block([x, ys[0]], 0, &mut trace))
            .collect();
        let rows: Vec<AxisBlock> = ys
            .iter()
            .map(|&y| record_block([xs[0], y], 1, &mut trace))
            .collect();

        for (j, (&y, row_block)) in ys.iter().zip(&rows).enumerate() {
            for (i, (&x, column_block)) in xs.iter().zip(&columns).enumerate() {
                let shared = SharedBlocks {
                    blocks: [column_block, row_block],
                };
                self.run_pass([x, y], &mut trace, Some(&shared), None);
                visit(i, j, &trace);
            }
        }
    }

    /// For every neuron of a hidden layer, its coordinate and position in
    /// that coordinate's block (ramp and clamp pairs, then the
    /// accumulator), or `None` for the shared encoder and decoder.
    fn block_positions(&self) -> Vec<Option<(usize, usize)>> {
        let layout = self.network.layout();
        let spec = self.network.spec();
        let n = spec.base() as usize;
        let mut positions = vec![None; self.network.width()];
        for axis in 0..spec.dim() {
            for offset in 0..2 * n {
                positions[axis * 2 * n + offset] = Some((axis, offset));
            }
            positions[layout.accumulator(axis)] = Some((axis, 2 * n));
        }
        positions
    }

    /// Whether every neuron of a coordinate's block has non-zero weights
    /// only from that coordinate's block (or, in layer 1, that input).
    fn blocks_are_separate(&self) -> bool {
        let positions = self.block_positions();
        self.network
            .layers()
            .iter()
            .enumerate()
            .all(|(index, layer)| {
                (0..layer.rows()).all(|row| {
                    let Some((axis, _)) = positions[row] else {
                        return true;
                    };
                    (0..layer.inputs()).all(|column| {
                        let own = if index == 0 {
                            column == axis
                        } else {
                            positions[column].is_some_and(|(other, _)| other == axis)
                        };
                        own || layer.weight(row, column) == 0.0
                    })
                })
            })
    }

    /// Copies the block of coordinate `axis` out of every layer of a
    /// recorded pass (`layers × width` values, layer by layer).
    fn extract_block(&self, recorded: &[f64], axis: usize) -> AxisBlock {
        let width = self.network.width();
        let n = self.network.spec().base() as usize;
        let accumulator = self.network.layout().accumulator(axis);
        let mut values = Vec::with_capacity(self.network.hidden_layers() * (2 * n + 1));
        for layer in recorded.chunks(width) {
            values.extend_from_slice(&layer[axis * 2 * n..(axis + 1) * 2 * n]);
            values.push(layer[accumulator]);
        }
        let max_abs = values
            .iter()
            .fold(0.0_f64, |max, value| max.max(value.abs()));
        let all_finite = values.iter().all(|value| value.is_finite());
        AxisBlock {
            values,
            max_abs,
            all_finite,
        }
    }

    /// One forward pass at `x` into `trace`. Neurons that `shared` covers
    /// take their values from it instead of being computed. When `record`
    /// is given, it receives every hidden layer's values, layer by layer.
    fn run_pass(
        &self,
        x: Point,
        trace: &mut Trace,
        shared: Option<&SharedBlocks<'_>>,
        mut record: Option<&mut Vec<f64>>,
    ) {
        let spec = self.network.spec();
        let layout = *self.network.layout();
        let d = spec.dim();
        let levels = spec.depth() as usize;
        let width = self.network.width();
        let n = f64::from(spec.base());

        trace.constant = self.network.constant();
        trace.levels.clear();
        trace.levels.resize(levels, LevelTrace::default());
        trace.max_abs_activation = 0.0;
        trace.all_finite = true;
        trace.current.clear();
        trace
            .current
            .extend(x[..d].iter().map(|&value| finite_input(value)));
        if d % 2 == 1 {
            trace.current.push(0.0);
        }
        trace.next.clear();
        trace.next.resize(width + width % 2, 0.0);
        if trace.lookups_model != self.id {
            trace.last_lookups.clear();
            trace.last_codes.clear();
            trace.lookups_model = self.id;
        }
        trace.last_lookups.resize(levels, None);
        trace.last_codes.resize(self.network.hidden_layers(), None);
        if let Some(record) = record.as_deref_mut() {
            record.clear();
        }

        let mut running_readout = 0.0;
        let n_usize = spec.base() as usize;
        let block_len = 2 * n_usize + 1;
        if let Some(shared) = shared {
            // f64::max ignores NaN and all values are compared by |value|,
            // so the maximum over the blocks first and the shared neurons
            // after equals the maximum in neuron order.
            for block in &shared.blocks[..d] {
                trace.max_abs_activation = trace.max_abs_activation.max(block.max_abs);
                trace.all_finite &= block.all_finite;
            }
        }
        for (index, layer) in self.network.layers().iter().enumerate() {
            let m = index + 1;
            // Local accumulators: updating the trace's fields per neuron
            // would chain every neuron through memory.
            let mut max_abs = trace.max_abs_activation;
            let mut all_finite = trace.all_finite;
            match shared {
                Some(shared) => {
                    for (axis, block) in shared.blocks[..d].iter().enumerate() {
                        let values = &block.values[index * block_len..(index + 1) * block_len];
                        trace.next[axis * 2 * n_usize..(axis + 1) * 2 * n_usize]
                            .copy_from_slice(&values[..2 * n_usize]);
                        trace.next[layout.accumulator(axis)] = values[2 * n_usize];
                    }
                    for row in [layout.encoder(), layout.decoder()] {
                        let value = self.neuron(layer, row, m, trace);
                        all_finite &= value.is_finite();
                        max_abs = max_abs.max(value.abs());
                        trace.next[row] = value;
                    }
                }
                None => {
                    for row in 0..width {
                        let value = self.neuron(layer, row, m, trace);
                        all_finite &= value.is_finite();
                        max_abs = max_abs.max(value.abs());
                        trace.next[row] = value;
                    }
                }
            }
            trace.max_abs_activation = max_abs;
            trace.all_finite = all_finite;
            if let Some(record) = record.as_deref_mut() {
                record.extend_from_slice(&trace.next[..width]);
            }

            if m <= levels {
                let level_trace = &mut trace.levels[m - 1];
                for axis in 0..d {
                    let scale = n.powi((m * axis) as i32);
                    let mut digit = 0.0;
                    for j in 1..spec.base() as usize {
                        let (shifted, base) = layout.ramp_pair(axis, j);
                        let ramp = trace.next[shifted] - trace.next[base];
                        if ramp != 0.0 && ramp != scale {
                            level_trace.fractional = true;
                        }
                        digit += ramp;
                    }
                    level_trace.digits[axis] = digit / scale;
                }
            }
            if (2..=levels + 1).contains(&m) {
                let level = m - 1;
                let level_trace = &mut trace.levels[level - 1];
                for axis in 0..d {
                    let scale = n.powi((level * axis) as i32);
                    level_trace.indices[axis] = trace.next[layout.accumulator(axis)] / scale;
                }
                level_trace.code = trace.next[layout.encoder()];
            }
            if (3..=levels + 2).contains(&m) {
                let level = m - 2;
                running_readout += self.network.heads()[level - 1].evaluate(&trace.next);
                trace.levels[level - 1].readout = running_readout;
            }

            std::mem::swap(&mut trace.current, &mut trace.next);
            trace.next.resize(width + width % 2, 0.0);
        }
    }

    /// Computes neuron `row` of hidden layer `m` (1-based) from the
    /// previous layer's values in `trace.current`.
    #[inline(always)]
    fn neuron(&self, layer: &Layer, row: usize, m: usize, trace: &mut Trace) -> f64 {
        let pre = layer.pre_activation(row, &trace.current);
        match layer.activations()[row] {
            Activation::Relu => {
                if pre > 0.0 {
                    pre
                } else {
                    0.0
                }
            }
            activation => self.sine_neuron(activation, pre, row, m, trace),
        }
    }

    /// Applies `activation` (a sine or the decoder table, which `neuron`
    /// sends here) to `pre`, the pre-activation of neuron `row` of hidden
    /// layer `m`, and records what the trace keeps of the encoder and
    /// decoder. Kept out of `neuron`, so that the ReLU path stays short.
    #[inline(never)]
    fn sine_neuron(
        &self,
        activation: Activation,
        pre: f64,
        row: usize,
        m: usize,
        trace: &mut Trace,
    ) -> f64 {
        let encoder = self.network.layout().encoder();
        let value = match activation {
            Activation::Sine if row == encoder => match trace.last_codes[m - 1] {
                Some((bits, code)) if bits == pre.to_bits() => code,
                _ => {
                    let code = libm::sin(pre);
                    trace.last_codes[m - 1] = Some((pre.to_bits(), code));
                    code
                }
            },
            Activation::Sine => libm::sin(pre),
            Activation::Relu => {
                if pre > 0.0 {
                    pre
                } else {
                    0.0
                }
            }
            Activation::DecoderTable { level } => {
                let index = level as usize - 1;
                let lookup = match trace.last_lookups[index] {
                    Some((bits, lookup)) if bits == pre.to_bits() => lookup,
                    _ => {
                        let lookup = self.decoder.lookup(level, pre);
                        trace.last_lookups[index] = Some((pre.to_bits(), lookup));
                        lookup
                    }
                };
                trace.levels[index].decoder_hit = lookup.hit;
                lookup.value
            }
        };
        let levels = self.network.depth() as usize;
        if row == encoder && (2..=levels + 1).contains(&m) {
            trace.levels[m - 2].flat_index = pre - 1.0;
        }
        value
    }

    /// The reference readouts E_0 f, …, E_L f at `x` as the tables hold
    /// them, found by the cell index of x on each level's grid (half-open
    /// cells, last one closed). This is what the network is compared with;
    /// the forward pass never uses it. `out` has L + 1 entries; a level
    /// whose code is missing gets NaN.
    pub fn table_readouts(&self, x: Point, out: &mut [f64]) {
        let mut running = self.network.constant();
        out[0] = running;
        for (grid, value) in self.grids.iter().skip(1).zip(out.iter_mut().skip(1)) {
            let index = grid.flat_index(grid.cell_of(x)) as u64;
            let lookup = self.decoder.lookup(grid.level(), cell_code(index));
            running = if lookup.hit {
                running + lookup.value
            } else {
                f64::NAN
            };
            *value = running;
        }
    }
}
