//! The forward pass: every ReLU and the encoder evaluated literally in f64,
//! layer by layer, with the decoder replaced by its table.

use crate::grid::{Grid, Point};

use super::decoder::{cell_code, Decoder};
use super::wiring::{Activation, Network};
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

/// A network together with the decoder tables its forward pass reads.
#[derive(Clone, Debug)]
pub struct NetworkModel {
    network: Network,
    decoder: Decoder,
    grids: Vec<Grid>,
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

        let mut running_readout = 0.0;
        for (index, layer) in self.network.layers().iter().enumerate() {
            let m = index + 1;
            for row in 0..width {
                let pre = layer.pre_activation(row, &trace.current);
                let value = match layer.activations()[row] {
                    Activation::Relu => {
                        if pre > 0.0 {
                            pre
                        } else {
                            0.0
                        }
                    }
                    Activation::Sine => libm::sin(pre),
                    Activation::DecoderTable { level } => {
                        let lookup = self.decoder.lookup(level, pre);
                        trace.levels[level as usize - 1].decoder_hit = lookup.hit;
                        lookup.value
                    }
                };
                if row == layout.encoder() && (2..=levels + 1).contains(&m) {
                    trace.levels[m - 2].flat_index = pre - 1.0;
                }
                if !value.is_finite() {
                    trace.all_finite = false;
                }
                trace.max_abs_activation = trace.max_abs_activation.max(value.abs());
                trace.next[row] = value;
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
