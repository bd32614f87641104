//! Network mode: a network of fixed width W = 2dN + d + 2, built as explicit
//! layers and evaluated literally in f64, whose readouts Φ_ℓ approximate the
//! cell means E_ℓ f.
//!
//! The wiring is this project's reconstruction of one network that meets the
//! width exactly; it is not taken from a published construction. Per
//! coordinate i and hidden layer there are 2(N−1) ReLU ramp neurons, 2 ReLU
//! clamp neurons and 1 ReLU index accumulator, and 2 sine neurons (encoder
//! and decoder) are shared by all coordinates. `wiring` documents every
//! weight, `forward` the evaluation and `decoder` the table that replaces
//! the decoder neuron in the forward pass.
//!
//! Digits are exact except in the "strips": where N·t lies in (j − η, j)
//! for a local coordinate t and j = 1..N−1, a ramp is mid-way and the digit
//! is fractional. At level ℓ the strips of one coordinate cover η(N−1)/N of
//! [0,1], so the points hit at some level 1..L cover at most L·η·(N−1)/N
//! per coordinate. Outside the strips every digit, index and code is exact,
//! so the network's readout equals E_ℓ f up to the rounding of the summed
//! corrections.

mod analysis;
mod decoder;
mod forward;
mod literal;
mod wiring;

use std::fmt;

use serde::Serialize;

use crate::state::{ETA_RANGE, MAX_CELLS_PER_AXIS_LOG2, N_RANGE, P_RANGE};
use crate::target::TargetError;

pub use analysis::{NetworkAnalysis, NetworkLevelRow, NetworkSummary, NETWORK_ERROR_SEED};
pub use decoder::{cell_code, Decoder, DecoderBuilder, DecoderTable, Lookup};
pub use forward::{LevelTrace, NetworkModel, Trace};
pub use literal::{
    literal_cells, LiteralCell, LiteralDecoder, LiteralDecoderSearch, LiteralError, SearchStatus,
    LITERAL_MAX_CELLS, LITERAL_MIN_CELLS,
};
pub use wiring::{Activation, Head, Layer, Layout, Network};

/// Largest decoder table of one level, in entries (cells). A level with
/// more cells is not available in network mode. Tables of all levels up to
/// this cap hold at most about 2^20 · N^d/(N^d − 1) entries of 16 bytes.
pub const DECODER_MAX_ENTRIES: u64 = 1 << 20;

/// Largest number of cells N^{dℓ} of any level in network mode: 2^40, so
/// that the flat cell index, which the encoder receives as a double, is an
/// exact integer with room to spare below 2^53.
pub const FLAT_INDEX_MAX_CELLS: u64 = 1 << MAX_CELLS_PER_AXIS_LOG2;

// The decoder cap must be the tighter one, so that every decodable level
// also has an exact flat index.
const _: () = assert!(DECODER_MAX_ENTRIES <= FLAT_INDEX_MAX_CELLS);

/// Limit on the depth that network mode offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DepthLimit {
    /// Every requested level is available.
    None,
    /// The next level would need a decoder table of more than
    /// `DECODER_MAX_ENTRIES` entries.
    DecoderTable,
    /// The next level would have more than `FLAT_INDEX_MAX_CELLS` cells, so
    /// its flat cell index would not be an exact double.
    FlatIndex,
}

/// The deepest level that network mode can offer, and what limits it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Availability {
    /// Dimension d.
    pub d: usize,
    /// Grid base N.
    pub n: u32,
    /// Terminal depth requested.
    pub requested: u32,
    /// Deepest available level: at most `requested`, at least 1.
    pub available: u32,
    /// Limit that keeps `available` below `requested` (`None` when it is
    /// not below).
    pub limit: DepthLimit,
}

impl Availability {
    /// Computes the deepest available level for dimension `d`, base `n` and
    /// a requested depth of at least 1.
    pub fn new(d: usize, n: u32, requested: u32) -> Availability {
        let mut available = 0;
        let mut limit = DepthLimit::None;
        while available < requested {
            let cells = cell_count(d, n, available + 1);
            if cells > u128::from(FLAT_INDEX_MAX_CELLS) {
                limit = DepthLimit::FlatIndex;
                break;
            }
            if cells > u128::from(DECODER_MAX_ENTRIES) {
                limit = DepthLimit::DecoderTable;
                break;
            }
            available += 1;
        }
        Availability {
            d,
            n,
            requested,
            available,
            limit,
        }
    }

    /// Formats the available depth as a sentence for the page, with the
    /// limit when it is below the requested depth.
    pub fn explanation(&self) -> String {
        let next = self.available + 1;
        match self.limit {
            DepthLimit::None => format!(
                "all {} requested levels are available in network mode",
                self.requested
            ),
            DepthLimit::DecoderTable => format!(
                "network mode stops at level {}: level {next} has {} cells, more than the \
                 {DECODER_MAX_ENTRIES} entries allowed for one decoder table",
                self.available,
                cell_count(self.d, self.n, next)
            ),
            DepthLimit::FlatIndex => format!(
                "network mode stops at level {}: level {next} has {} cells, more than 2^40, \
                 so its flat cell index would not be an exact double",
                self.available,
                cell_count(self.d, self.n, next)
            ),
        }
    }
}

/// N^{d·level}, saturating far above every cap.
fn cell_count(d: usize, n: u32, level: u32) -> u128 {
    let mut cells: u128 = 1;
    for _ in 0..(d as u32 * level) {
        cells = cells.saturating_mul(u128::from(n));
    }
    cells
}

/// Invalid parameters or inputs of a network.
#[derive(Clone, Debug, PartialEq)]
pub enum NetworkError {
    /// The dimension is not 1 or 2.
    Dimension(usize),
    /// The grid base is outside 2..=16.
    Base(u32),
    /// The requested depth is 0.
    Depth(u32),
    /// The ramp width η is not a finite number in 1e-4..=0.5.
    Eta(f64),
    /// The readouts were built for another dimension or base.
    ReadoutsMismatch {
        /// Dimension and base of the network.
        expected: (usize, u32),
        /// Number of level-1 cells the readouts tabulate (N^d expected).
        level_one_cells: Option<usize>,
    },
    /// The decoder tables do not cover every level of the network.
    DecoderDepth {
        /// Levels of the network.
        network: u32,
        /// Levels of the decoder.
        decoder: u32,
    },
    /// The target's dimension differs from the network's.
    TargetDimension {
        /// Dimension of the target.
        target: usize,
        /// Dimension of the network.
        network: usize,
    },
    /// The norm exponent p is not a number in 1..=10.
    Exponent(f64),
    /// The target cannot be built from the state.
    Target(TargetError),
}

impl fmt::Display for NetworkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetworkError::Dimension(d) => {
                write!(f, "dimension {d} is not supported; use 1 or 2")
            }
            NetworkError::Base(n) => write!(
                f,
                "grid base {n} is outside {}..={}; choose a base in that range",
                N_RANGE.0, N_RANGE.1
            ),
            NetworkError::Depth(depth) => {
                write!(f, "depth {depth} is invalid; request at least 1 level")
            }
            NetworkError::Eta(eta) => write!(
                f,
                "ramp width eta={eta} is outside {}..={}; choose a width in that range",
                ETA_RANGE.0, ETA_RANGE.1
            ),
            NetworkError::ReadoutsMismatch {
                expected,
                level_one_cells,
            } => write!(
                f,
                "the readouts do not match d={} n={}: they tabulate {} level-1 cells, \
                 expected {}; build them with the same dimension and base",
                expected.0,
                expected.1,
                level_one_cells.map_or("no".to_string(), |count| count.to_string()),
                cell_count(expected.0, expected.1, 1)
            ),
            NetworkError::DecoderDepth { network, decoder } => write!(
                f,
                "the decoder has tables for {decoder} levels but the network has {network}; \
                 build the decoder from the same specification"
            ),
            NetworkError::TargetDimension { target, network } => write!(
                f,
                "the target is {target}-dimensional but the network is {network}-dimensional; \
                 build both from the same dimension"
            ),
            NetworkError::Exponent(p) => write!(
                f,
                "norm exponent p={p} is outside {}..={}; choose an exponent in that range",
                P_RANGE.0, P_RANGE.1
            ),
            NetworkError::Target(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for NetworkError {}

/// The parameters of one network: dimension, base, depth and ramp width.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NetworkSpec {
    d: usize,
    n: u32,
    requested_eta: f64,
    slope: u32,
    availability: Availability,
}

impl NetworkSpec {
    /// Validates the parameters and computes the available depth.
    ///
    /// The ramp slope 1/η is rounded to the nearest integer s, and the
    /// network uses η = 1/s. Integer slopes make every ramp bias an integer,
    /// which is what makes the two ReLUs of a ramp that is fully on differ
    /// by exactly 1 in floating point (see `wiring`). For the usual widths
    /// (1e-3, 1e-4, 0.5, 0.1) 1/η already is an integer.
    pub fn new(d: usize, n: u32, depth: u32, eta: f64) -> Result<NetworkSpec, NetworkError> {
        if d != 1 && d != 2 {
            return Err(NetworkError::Dimension(d));
        }
        if !(N_RANGE.0..=N_RANGE.1).contains(&n) {
            return Err(NetworkError::Base(n));
        }
        if depth == 0 {
            return Err(NetworkError::Depth(depth));
        }
        if !(ETA_RANGE.0..=ETA_RANGE.1).contains(&eta) {
            return Err(NetworkError::Eta(eta));
        }
        let slope = (1.0 / eta).round() as u32;
        Ok(NetworkSpec {
            d,
            n,
            requested_eta: eta,
            slope,
            availability: Availability::new(d, n, depth),
        })
    }

    /// Dimension d.
    pub fn dim(&self) -> usize {
        self.d
    }

    /// Grid base N.
    pub fn base(&self) -> u32 {
        self.n
    }

    /// Number of levels L the network is built for: the available depth.
    pub fn depth(&self) -> u32 {
        self.availability.available
    }

    /// The available depth and what limits it.
    pub fn availability(&self) -> Availability {
        self.availability
    }

    /// Ramp width η = 1/s that the network uses.
    pub fn eta(&self) -> f64 {
        1.0 / f64::from(self.slope)
    }

    /// Ramp width requested, before the slope was rounded.
    pub fn requested_eta(&self) -> f64 {
        self.requested_eta
    }

    /// Ramp slope s = 1/η, an integer in 2..=10^4.
    pub fn ramp_slope(&self) -> u32 {
        self.slope
    }

    /// Width 2dN + d + 2 by the formula (the built network asserts that its
    /// matrices have exactly this width).
    pub fn width(&self) -> usize {
        2 * self.d * self.n as usize + self.d + 2
    }

    /// Number of hidden layers H = L + 2.
    pub fn hidden_layers(&self) -> usize {
        self.depth() as usize + 2
    }

    /// Dense parameter count by the formula (d+1)W + (H−1)(W+1)W + L(W+1).
    pub fn dense_parameter_formula(&self) -> u64 {
        let w = self.width() as u64;
        let h = self.hidden_layers() as u64;
        let levels = u64::from(self.depth());
        (self.d as u64 + 1) * w + (h - 1) * (w + 1) * w + levels * (w + 1)
    }

    /// Upper bound ℓ·η·(N−1)/N of the fraction of one coordinate's axis
    /// whose digits are fractional at some level 1..=ℓ.
    pub fn strip_bound_per_axis(&self, level: u32) -> f64 {
        let n = f64::from(self.n);
        (f64::from(level) * self.eta() * (n - 1.0) / n).min(1.0)
    }

    /// Upper bound 1 − (1 − b)^d of the fraction of [0,1]^d with a
    /// fractional digit at some level 1..=ℓ, where b is
    /// `strip_bound_per_axis(level)`. The strips of different coordinates
    /// are products, so the points free of strips fill at least (1 − b)^d.
    pub fn strip_bound(&self, level: u32) -> f64 {
        let free = 1.0 - self.strip_bound_per_axis(level);
        1.0 - free.powi(self.d as i32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn availability_stops_at_decoder_cap() {
        let availability = Availability::new(1, 16, 10);
        assert_eq!(availability.available, 5);
        assert_eq!(availability.limit, DepthLimit::DecoderTable);
        let availability = Availability::new(2, 16, 5);
        assert_eq!(availability.available, 2);
        assert_eq!(availability.limit, DepthLimit::DecoderTable);
        let availability = Availability::new(1, 2, 12);
        assert_eq!(availability.available, 12);
        assert_eq!(availability.limit, DepthLimit::None);
        assert!(availability.explanation().contains("all 12"));
    }

    #[test]
    fn explanation_names_cell_count() {
        let text = Availability::new(2, 3, 8).explanation();
        assert!(text.contains("level 7"), "{text}");
        assert!(text.contains(&3u64.pow(14).to_string()), "{text}");
    }

    #[test]
    fn spec_rejects_invalid_parameters() {
        assert_eq!(
            NetworkSpec::new(3, 3, 2, 0.01),
            Err(NetworkError::Dimension(3))
        );
        assert_eq!(NetworkSpec::new(1, 1, 2, 0.01), Err(NetworkError::Base(1)));
        assert_eq!(
            NetworkSpec::new(1, 17, 2, 0.01),
            Err(NetworkError::Base(17))
        );
        assert_eq!(NetworkSpec::new(1, 3, 0, 0.01), Err(NetworkError::Depth(0)));
        assert!(matches!(
            NetworkSpec::new(1, 3, 2, f64::NAN),
            Err(NetworkError::Eta(_))
        ));
        assert!(matches!(
            NetworkSpec::new(1, 3, 2, 0.6),
            Err(NetworkError::Eta(_))
        ));
    }

    #[test]
    fn spec_rounds_slope() {
        let spec = NetworkSpec::new(1, 3, 2, 1e-3).unwrap();
        assert_eq!(spec.ramp_slope(), 1000);
        assert_eq!(spec.eta(), 1e-3);
        let spec = NetworkSpec::new(1, 3, 2, 0.3).unwrap();
        assert_eq!(spec.ramp_slope(), 3);
        assert_eq!(spec.requested_eta(), 0.3);
        assert_eq!(spec.eta(), 1.0 / 3.0);
    }

    #[test]
    fn strip_bounds() {
        let spec = NetworkSpec::new(2, 4, 3, 0.01).unwrap();
        let per_axis = 3.0 * 0.01 * 0.75;
        assert!((spec.strip_bound_per_axis(3) - per_axis).abs() < 1e-15);
        let both = 1.0 - (1.0 - per_axis) * (1.0 - per_axis);
        assert!((spec.strip_bound(3) - both).abs() < 1e-15);
    }
}
