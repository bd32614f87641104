//! The layers of the network, built as explicit affine maps with one
//! activation per neuron.
//!
//! Neurons of every hidden layer, in this order (W = 2dN + d + 2):
//!
//! - per coordinate i (block of 2N neurons): N−1 ramp pairs, then the clamp
//!   pair. Ramp j (1..N−1) is the pair σ(g·(z_j/η + 1)), σ(g·z_j/η) with
//!   z_j = N·t − j, whose difference is g·s_η(z_j); the clamp pair is σ(t),
//!   σ(t − 1), whose difference is t clamped to [0, 1];
//! - one index accumulator per coordinate;
//! - the encoder sine, then the decoder sine.
//!
//! Schedule for L levels (H = L + 2 hidden layers; layer m is 1-based):
//!
//! - layer m ≤ L contains the ramps of digit m, reading the local coordinate
//!   t_{m−1} (t_0 = x_i; for m ≥ 2, t_{m−1} = N·c_{m−1} − D_{m−1}, a linear
//!   function of layer m−1, where c_{m−1} is that layer's clamp);
//! - layer m ≤ L − 1 contains the clamp c_m = clamp(t_{m−1});
//! - layer m in 2..=L+1 contains the accumulator of level m−1 and the encoder
//!   u_{m−1} = sin(k_{m−1} + 1) of the flat index k_{m−1};
//! - layer m in 3..=L+2 contains the decoder of level m−2;
//! - head ℓ reads the decoder of layer ℓ+2, and Φ_ℓ is the sum of heads
//!   1..=ℓ. The mean c_0 = Φ_0 is the bias of head 1.
//!
//! Unused neurons (for example the ramps of layer L+1) have all-zero rows,
//! so the width stays W in every layer.
//!
//! Where the ramps sit: ramp j rises over N·t ∈ [j − η, j], just left of
//! the grid line j, and is fully on from j onward. So at N·t = j exactly
//! the digit is already j, which matches the half-open cells
//! [k/N^ℓ, (k+1)/N^ℓ), and x = 1 (N·t = N, beyond the last ramp) gets the
//! digit N−1 of the closed last cell at every level. The strips where a
//! digit is fractional are (j − η, j) in N·t.
//!
//! Exactness in floating point, outside the strips:
//!
//! - The slope s = 1/η is an integer and the ramps of level ℓ, coordinate i
//!   carry the integer scale g = N^{ℓ·i} (1 for the first coordinate). Both
//!   ReLUs of a ramp share every weight, so they share the float P of their
//!   weighted sum, and their biases g(1 − s·j) and −g·s·j are integers.
//!   When the ramp is on (P ≥ g·s·j), subtracting an integer no larger than
//!   P from P is exact (the integer is a multiple of the unit in the last
//!   place of P < 2^53), so the pair is exactly (P − g·s·j + g, P − g·s·j)
//!   and differs by exactly g. When it is off, both ReLUs are 0.
//! - Pre-activations are summed over aligned neuron pairs first
//!   (w_{2r}·h_{2r} + w_{2r+1}·h_{2r+1}), then pair by pair in order, then
//!   plus the bias. The accumulator and the encoder weigh a ramp pair by +1
//!   and −1, so each pair contributes exactly 0 or g before anything else
//!   is added, and all further terms are integers below 2^53.
//! - The accumulator of coordinate i stores N^{ℓ·i}·K_{ℓ,i}, its term of the
//!   flat index k_ℓ = Σ_i N^{ℓ·i}·K_{ℓ,i}, so the encoder reads it with
//!   the integer weight N^{i+1} and needs no non-integer weight.
//!
//! Inside a strip, with ramp j at the fraction φ ∈ (0, 1), the next local
//! coordinate N·t − D = (1 − φ)(1 − η) still lies in [0, 1]. So the clamp
//! guards against rounding and against inputs outside [0,1]^d, which it
//! maps to the nearest cell as `Grid` does.
//!
//! The local coordinate itself is not exact: the next ramps read it with
//! weights ±s·N^{i+1} on values near g·s·N, so it carries a relative
//! rounding error of about s·N·2^-52 per level, amplified N-fold per level.
//! By this estimate the strip edges move by up to about N^L·s·N·2^-52 in
//! units of N·t (4·10^-8 for N = 4, L = 6, s = 10^4), and every digit
//! outside the moved strips stays exact.

use super::NetworkSpec;

/// Activation of one neuron.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// σ(z) = max(z, 0); NaN gives 0.
    Relu,
    /// sin(z), evaluated by `libm::sin` so that native and wasm32 builds
    /// agree bit for bit.
    Sine,
    /// The decoder sin(w_ℓ·z + φ_ℓ) of `level`. The forward pass replaces it
    /// by the decoder table of that level, keyed by z = u_ℓ; the stored row
    /// passes u_ℓ unchanged (weight 1, bias 0).
    DecoderTable {
        /// Level ℓ whose correction the decoder produces.
        level: u32,
    },
}

/// Positions of the neurons within one hidden layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    d: usize,
    n: usize,
}

impl Layout {
    /// The layout for dimension `d` and base `n`.
    pub fn new(d: usize, n: u32) -> Layout {
        Layout { d, n: n as usize }
    }

    /// Number of neurons, 2dN + d + 2.
    pub fn width(&self) -> usize {
        2 * self.d * self.n + self.d + 2
    }

    /// Positions of σ(g·(z_j/η + 1)) and σ(g·z_j/η), the two ReLUs of ramp
    /// `j` (1..N−1) of coordinate `axis` (0-based).
    pub fn ramp_pair(&self, axis: usize, j: usize) -> (usize, usize) {
        let first = axis * 2 * self.n + 2 * (j - 1);
        (first, first + 1)
    }

    /// Positions of σ(t) and σ(t − 1), the clamp pair of coordinate `axis`.
    pub fn clamp_pair(&self, axis: usize) -> (usize, usize) {
        let first = axis * 2 * self.n + 2 * (self.n - 1);
        (first, first + 1)
    }

    /// Position of the index accumulator of coordinate `axis`.
    pub fn accumulator(&self, axis: usize) -> usize {
        2 * self.d * self.n + axis
    }

    /// Position of the encoder sine.
    pub fn encoder(&self) -> usize {
        2 * self.d * self.n + self.d
    }

    /// Position of the decoder sine.
    pub fn decoder(&self) -> usize {
        2 * self.d * self.n + self.d + 1
    }
}

/// The non-zero weights of each row, grouped by aligned input pairs
/// (2r, 2r+1), in increasing r. A pair is kept when either weight is
/// non-zero.
#[derive(Clone, Debug, Default, PartialEq)]
struct PairRows {
    starts: Vec<usize>,
    pairs: Vec<usize>,
    weights: Vec<[f64; 2]>,
}

impl PairRows {
    fn from_dense(rows: usize, inputs: usize, dense: &[f64]) -> PairRows {
        let mut result = PairRows {
            starts: vec![0],
            ..PairRows::default()
        };
        for row in 0..rows {
            let weights = &dense[row * inputs..(row + 1) * inputs];
            for pair in 0..inputs.div_ceil(2) {
                let even = weights[2 * pair];
                let odd = weights.get(2 * pair + 1).copied().unwrap_or(0.0);
                if even != 0.0 || odd != 0.0 {
                    result.pairs.push(pair);
                    result.weights.push([even, odd]);
                }
            }
            result.starts.push(result.pairs.len());
        }
        result
    }

    /// Σ_r (w_{2r}·h_{2r} + w_{2r+1}·h_{2r+1}) over the kept pairs, summed in
    /// order of r. `input` has even length (padded with a zero). Skipped
    /// pairs would add exactly 0, because every input is finite.
    #[inline]
    fn dot(&self, row: usize, input: &[f64]) -> f64 {
        let entries = self.starts[row]..self.starts[row + 1];
        let pairs = &self.pairs[entries.clone()];
        let weights = &self.weights[entries];
        let mut sum = 0.0;
        for (&pair, &[even, odd]) in pairs.iter().zip(weights) {
            sum += even * input[2 * pair] + odd * input[2 * pair + 1];
        }
        sum
    }
}

/// One hidden layer: a dense affine map followed by one activation per
/// neuron.
#[derive(Clone, Debug, PartialEq)]
pub struct Layer {
    inputs: usize,
    weights: Vec<f64>,
    biases: Vec<f64>,
    activations: Vec<Activation>,
    pairs: PairRows,
}

impl Layer {
    fn new(
        inputs: usize,
        weights: Vec<f64>,
        biases: Vec<f64>,
        activations: Vec<Activation>,
    ) -> Layer {
        let pairs = PairRows::from_dense(biases.len(), inputs, &weights);
        Layer {
            inputs,
            weights,
            biases,
            activations,
            pairs,
        }
    }

    /// Number of neurons (rows of the weight matrix).
    pub fn rows(&self) -> usize {
        self.biases.len()
    }

    /// Number of inputs (columns of the weight matrix).
    pub fn inputs(&self) -> usize {
        self.inputs
    }

    /// Weight from input `column` to neuron `row`.
    pub fn weight(&self, row: usize, column: usize) -> f64 {
        self.weights[row * self.inputs + column]
    }

    /// The weight matrix, row-major (`rows() × inputs()`).
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// The bias of every neuron.
    pub fn biases(&self) -> &[f64] {
        &self.biases
    }

    /// The activation of every neuron.
    pub fn activations(&self) -> &[Activation] {
        &self.activations
    }

    /// Weights and biases counted densely: rows × (inputs + 1).
    pub fn dense_parameter_count(&self) -> u64 {
        (self.rows() * (self.inputs + 1)) as u64
    }

    /// Weights and biases that are not zero.
    pub fn nonzero_parameter_count(&self) -> u64 {
        let weights = self.weights.iter().filter(|w| **w != 0.0).count();
        let biases = self.biases.iter().filter(|b| **b != 0.0).count();
        (weights + biases) as u64
    }

    /// Pre-activation of neuron `row`: the pair-ordered weighted sum of
    /// `input` (padded to even length) plus the bias.
    #[inline]
    pub(super) fn pre_activation(&self, row: usize, input: &[f64]) -> f64 {
        self.pairs.dot(row, input) + self.biases[row]
    }

    /// Computes the same pre-activation from the dense matrix, zeros
    /// included, in the same pair order. Only tests use it, to show that skipping zero
    /// weights changes no bit.
    #[cfg(test)]
    fn dense_pre_activation(&self, row: usize, input: &[f64]) -> f64 {
        let weights = &self.weights[row * self.inputs..(row + 1) * self.inputs];
        let mut sum = 0.0;
        for pair in 0..self.inputs.div_ceil(2) {
            let odd = weights.get(2 * pair + 1).copied().unwrap_or(0.0);
            sum += weights[2 * pair] * input[2 * pair] + odd * input[2 * pair + 1];
        }
        sum + self.biases[row]
    }
}

/// An affine readout head α_ℓ·v_ℓ + β_ℓ that reads one whole hidden layer.
#[derive(Clone, Debug, PartialEq)]
pub struct Head {
    layer: usize,
    weights: Vec<f64>,
    bias: f64,
    pairs: PairRows,
}

impl Head {
    /// The hidden layer it reads (1-based).
    pub fn layer(&self) -> usize {
        self.layer
    }

    /// Its weights, one per neuron of that layer.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Its bias.
    pub fn bias(&self) -> f64 {
        self.bias
    }

    /// Computes the head's value on a hidden layer's output (padded to even
    /// length).
    #[inline]
    pub(super) fn evaluate(&self, hidden: &[f64]) -> f64 {
        self.pairs.dot(0, hidden) + self.bias
    }
}

/// The network: hidden layers and one readout head per level.
#[derive(Clone, Debug, PartialEq)]
pub struct Network {
    spec: NetworkSpec,
    layout: Layout,
    layers: Vec<Layer>,
    heads: Vec<Head>,
}

impl Network {
    /// Builds the network of `spec` for its available depth L, with
    /// readout constant Φ_0 = `constant` (the mean of f).
    ///
    /// Panics if a built layer does not have the width 2dN + d + 2, which
    /// would be a bug in the wiring.
    pub fn new(spec: &NetworkSpec, constant: f64) -> Network {
        let layout = Layout::new(spec.dim(), spec.base());
        let width = spec.width();
        assert_eq!(layout.width(), width, "layout width differs from 2dN+d+2");

        let layers: Vec<Layer> = (1..=spec.hidden_layers())
            .map(|m| build_layer(spec, &layout, m))
            .collect();
        for (index, layer) in layers.iter().enumerate() {
            assert_eq!(
                layer.rows(),
                width,
                "hidden layer {} has {} neurons, expected 2dN+d+2 = {width}",
                index + 1,
                layer.rows()
            );
        }

        let heads = (1..=spec.depth() as usize)
            .map(|level| {
                let mut weights = vec![0.0; width];
                weights[layout.decoder()] = 1.0;
                let pairs = PairRows::from_dense(1, width, &weights);
                Head {
                    layer: level + 2,
                    weights,
                    bias: if level == 1 { constant } else { 0.0 },
                    pairs,
                }
            })
            .collect();

        Network {
            spec: *spec,
            layout,
            layers,
            heads,
        }
    }

    /// The parameters the network was built from.
    pub fn spec(&self) -> &NetworkSpec {
        &self.spec
    }

    /// Positions of the neurons in each hidden layer.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The hidden layers, first to last.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// The readout heads, level 1 to L.
    pub fn heads(&self) -> &[Head] {
        &self.heads
    }

    /// Φ_0: the readout before any level, the bias of head 1.
    pub fn constant(&self) -> f64 {
        self.heads.first().map_or(0.0, |head| head.bias)
    }

    /// Number of levels L.
    pub fn depth(&self) -> u32 {
        self.heads.len() as u32
    }

    /// Width, read from the built matrices (every layer has the same).
    pub fn width(&self) -> usize {
        self.layers.first().map_or(0, Layer::rows)
    }

    /// Number of hidden layers, L + 2.
    pub fn hidden_layers(&self) -> usize {
        self.layers.len()
    }

    /// Weights and biases counted densely from the built matrices and heads.
    pub fn dense_parameter_count(&self) -> u64 {
        let layers: u64 = self.layers.iter().map(Layer::dense_parameter_count).sum();
        let heads: u64 = self
            .heads
            .iter()
            .map(|head| head.weights.len() as u64 + 1)
            .sum();
        layers + heads
    }

    /// Weights and biases that are not zero, counted from the built matrices
    /// and heads. The decoder rows are the stand-in's (weight 1, bias 0). A
    /// literal decoder would have its own w_ℓ and φ_ℓ instead, so it would
    /// have one more non-zero per level where φ_ℓ ≠ 0.
    pub fn nonzero_parameter_count(&self) -> u64 {
        let layers: u64 = self.layers.iter().map(Layer::nonzero_parameter_count).sum();
        let heads: u64 = self
            .heads
            .iter()
            .map(|head| {
                let weights = head.weights.iter().filter(|w| **w != 0.0).count() as u64;
                weights + u64::from(head.bias != 0.0)
            })
            .sum();
        layers + heads
    }

    /// A priori bound on |value| of every ReLU and encoder neuron for any
    /// input in [0,1]^d, inside strips too. Each clamp output lies in
    /// [0, 1] and each digit in [0, N−1], so every local coordinate that a
    /// ramp reads lies in [−(N−1), N] and a ramp ReLU stays below
    /// g·(s·N² + 1); an accumulator stays below N^{dL}.
    pub fn activation_bound(&self) -> f64 {
        let n = f64::from(self.spec.base());
        let levels = self.spec.depth() as i32;
        let largest_scale = n.powi(levels * (self.spec.dim() as i32 - 1));
        let ramp = largest_scale * (f64::from(self.spec.ramp_slope()) * n * n + 1.0);
        let accumulator = n.powi(levels * self.spec.dim() as i32);
        ramp.max(accumulator).max(n)
    }
}

/// N^{level·axis}: the scale of the ramps of `level` for coordinate `axis`,
/// an integer of at most 2^20 under the decoder cap.
fn ramp_scale(n: u32, level: usize, axis: usize) -> f64 {
    f64::from(n).powi((level * axis) as i32)
}

/// Dense weights, biases and activations of hidden layer `m` (1-based)
/// under construction.
struct LayerBuilder {
    layout: Layout,
    m: usize,
    n: u32,
    inputs: usize,
    weights: Vec<f64>,
    biases: Vec<f64>,
    activations: Vec<Activation>,
}

impl LayerBuilder {
    fn set(&mut self, row: usize, column: usize, weight: f64) {
        self.weights[row * self.inputs + column] = weight;
    }

    /// Adds `scale` times the local coordinate t_{m−1} of `axis` to `row`.
    /// In layer 1 t_0 = x_axis; later t_{m−1} = N·c_{m−1} − Σ_j (ramp pair
    /// j)/g_{m−1} over layer m−1. `pair_weight` = −scale/g_{m−1} is the
    /// weight on the shifted ReLU of each ramp pair (the other ReLU gets its
    /// negative), passed in so that the ramps can use the exact integer
    /// −s·N^{axis+1}.
    fn add_local_coordinate(&mut self, row: usize, axis: usize, scale: f64, pair_weight: f64) {
        if self.m == 1 {
            self.set(row, axis, scale);
            return;
        }
        let n = f64::from(self.n);
        let (clamp_low, clamp_high) = self.layout.clamp_pair(axis);
        self.set(row, clamp_low, scale * n);
        self.set(row, clamp_high, -scale * n);
        for j in 1..self.n as usize {
            let (shifted, base) = self.layout.ramp_pair(axis, j);
            self.set(row, shifted, pair_weight);
            self.set(row, base, -pair_weight);
        }
    }

    /// Adds the flat-index term N^{ℓ·axis}·K_{ℓ,axis} of level ℓ = m − 1 to
    /// `row`: the previous accumulator times N^{axis+1} plus the ramp pairs
    /// of layer m−1 weighted +1 and −1.
    fn add_index_term(&mut self, row: usize, axis: usize) {
        if self.m >= 3 {
            let carry = f64::from(self.n).powi(axis as i32 + 1);
            self.set(row, self.layout.accumulator(axis), carry);
        }
        for j in 1..self.n as usize {
            let (shifted, base) = self.layout.ramp_pair(axis, j);
            self.set(row, shifted, 1.0);
            self.set(row, base, -1.0);
        }
    }
}

/// Builds hidden layer `m` (1-based) of the network of `spec`.
fn build_layer(spec: &NetworkSpec, layout: &Layout, m: usize) -> Layer {
    let levels = spec.depth() as usize;
    let width = layout.width();
    let inputs = if m == 1 { spec.dim() } else { width };
    let n = spec.base();
    let nf = f64::from(n);
    let slope = f64::from(spec.ramp_slope());

    let mut activations = vec![Activation::Relu; width];
    activations[layout.encoder()] = Activation::Sine;
    activations[layout.decoder()] = Activation::Sine;
    let mut layer = LayerBuilder {
        layout: *layout,
        m,
        n,
        inputs,
        weights: vec![0.0; width * inputs],
        biases: vec![0.0; width],
        activations,
    };

    for axis in 0..spec.dim() {
        if m <= levels {
            // Ramps of digit m: g·s·(N·t_{m−1} − j) (+ g for the shifted ReLU).
            let scale = ramp_scale(n, m, axis);
            let pair_weight = -slope * nf.powi(axis as i32 + 1);
            for j in 1..n as usize {
                let (shifted, base) = layout.ramp_pair(axis, j);
                let offset = scale * slope * j as f64;
                for row in [shifted, base] {
                    layer.add_local_coordinate(row, axis, scale * slope * nf, pair_weight);
                }
                layer.biases[shifted] = scale - offset;
                layer.biases[base] = -offset;
            }
        }
        if m < levels {
            // Clamp of t_{m−1}, read by the ramps and the clamp of layer m+1.
            let pair_weight = if m == 1 {
                0.0
            } else {
                -1.0 / ramp_scale(n, m - 1, axis)
            };
            let (low, high) = layout.clamp_pair(axis);
            for row in [low, high] {
                layer.add_local_coordinate(row, axis, 1.0, pair_weight);
            }
            layer.biases[high] = -1.0;
        }
        if (2..=levels + 1).contains(&m) {
            layer.add_index_term(layout.accumulator(axis), axis);
        }
    }

    if (2..=levels + 1).contains(&m) {
        // Encoder of level m−1: sin(k_{m−1} + 1).
        let encoder = layout.encoder();
        for axis in 0..spec.dim() {
            layer.add_index_term(encoder, axis);
        }
        layer.biases[encoder] = 1.0;
    }
    if (3..=levels + 2).contains(&m) {
        let decoder = layout.decoder();
        layer.set(decoder, layout.encoder(), 1.0);
        layer.activations[decoder] = Activation::DecoderTable {
            level: (m - 2) as u32,
        };
    }

    Layer::new(inputs, layer.weights, layer.biases, layer.activations)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn network(d: usize, n: u32, depth: u32) -> Network {
        Network::new(&NetworkSpec::new(d, n, depth, 1e-3).unwrap(), 0.25)
    }

    #[test]
    fn layout_positions_are_distinct() {
        for (d, n) in [(1, 2), (1, 5), (2, 3), (2, 16)] {
            let layout = Layout::new(d, n);
            let mut positions = Vec::new();
            for axis in 0..d {
                for j in 1..n as usize {
                    let (a, b) = layout.ramp_pair(axis, j);
                    positions.extend([a, b]);
                    assert_eq!(a % 2, 0, "ramp pairs must start at even positions");
                }
                let (a, b) = layout.clamp_pair(axis);
                positions.extend([a, b]);
                positions.push(layout.accumulator(axis));
            }
            positions.extend([layout.encoder(), layout.decoder()]);
            positions.sort_unstable();
            let expected: Vec<usize> = (0..layout.width()).collect();
            assert_eq!(positions, expected, "d={d} n={n}");
        }
    }

    #[test]
    fn integer_weights_are_exact() {
        // The exactness argument needs integer biases everywhere and integer
        // weights into the ramps, the accumulators and the encoder.
        let net = network(2, 7, 3);
        let layout = *net.layout();
        let mut exact_rows = vec![
            layout.accumulator(0),
            layout.accumulator(1),
            layout.encoder(),
        ];
        for axis in 0..2 {
            for j in 1..7 {
                let (shifted, base) = layout.ramp_pair(axis, j);
                exact_rows.extend([shifted, base]);
            }
        }
        for (index, layer) in net.layers().iter().enumerate() {
            for bias in layer.biases() {
                assert_eq!(bias.fract(), 0.0, "layer {} bias {bias}", index + 1);
            }
            for &row in &exact_rows {
                for column in 0..layer.inputs() {
                    let weight = layer.weight(row, column);
                    assert_eq!(weight.fract(), 0.0, "layer {} row {row}", index + 1);
                }
            }
        }
    }

    #[test]
    fn sparse_matches_dense_evaluation() {
        let net = network(2, 3, 3);
        let mut input = vec![0.0; net.width() + 1];
        for (k, value) in input.iter_mut().enumerate() {
            *value = (k as f64 * 0.731).sin().abs() * 37.0;
        }
        for layer in &net.layers()[1..] {
            for row in 0..layer.rows() {
                assert_eq!(
                    layer.pre_activation(row, &input),
                    layer.dense_pre_activation(row, &input)
                );
            }
        }
    }

    #[test]
    fn decoder_rows_pass_code_through() {
        let net = network(1, 4, 3);
        let layout = *net.layout();
        for (index, layer) in net.layers().iter().enumerate() {
            let m = index + 1;
            let activation = layer.activations()[layout.decoder()];
            if m >= 3 {
                assert_eq!(
                    activation,
                    Activation::DecoderTable {
                        level: m as u32 - 2
                    }
                );
                assert_eq!(layer.weight(layout.decoder(), layout.encoder()), 1.0);
            } else {
                assert_eq!(activation, Activation::Sine);
            }
        }
        assert_eq!(net.constant(), 0.25);
        assert_eq!(net.heads()[1].bias(), 0.0);
    }
}
