//! The complete view state of layerwise: dimension, grid base, depth,
//! target, exponent and the display switches.
//!
//! The same keys name the URL fragment fields, the page's control ids and
//! the command-line options. This module holds the type, its ranges and its
//! defaults; `codec` turns it into and out of a URL fragment.

use serde::{Deserialize, Serialize};

/// The state format version written into every link (`v=1`).
pub const FORMAT_VERSION: u32 = 1;

/// Finest cell side allowed on any axis: the level-ℓ grid must satisfy
/// N^ℓ ≤ 2^40, because finer cells hold too few doubles for averages and
/// digit extraction multiplies rounding error by N per level.
pub const MAX_CELLS_PER_AXIS_LOG2: u32 = 40;

/// Smallest and largest grid base N.
pub const N_RANGE: (u32, u32) = (2, 16);
/// Largest depth in one dimension (before the N^L ≤ 2^40 cap).
pub const MAX_DEPTH_1D: u32 = 12;
/// Largest depth in two dimensions (before the N^L ≤ 2^40 cap).
pub const MAX_DEPTH_2D: u32 = 8;
/// Range of the smoothness exponent α.
pub const ALPHA_RANGE: (f64, f64) = (0.05, 1.0);
/// Range of the norm exponent p.
pub const P_RANGE: (f64, f64) = (1.0, 10.0);
/// Range of the ramp width η of network mode.
pub const ETA_RANGE: (f64, f64) = (1e-4, 0.5);
/// Range of the requested accuracy ε.
pub const EPS_RANGE: (f64, f64) = (1e-8, 1.0);
/// Longest accepted custom expression, in characters.
pub const MAX_EXPR_CHARS: usize = 1000;

/// Target family, with the ids used in links and on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// Lacunary cosine sum with Hölder-type exponent α.
    Weierstrass,
    /// Power α of the distance to a fixed point.
    Cusp,
    /// Unit step across a fixed point (1D) or line (2D).
    Jump,
    /// Distance to a fixed point (1D) or line (2D): 1-Lipschitz.
    Kink,
    /// sin(2πx)/(2π), or its product form in 2D: 1-Lipschitz.
    Sine,
    /// Euclidean distance to a fixed point: 1-Lipschitz.
    Cone,
    /// A user expression in x (and y).
    Custom,
}

impl Family {
    /// Every family, in the order the page lists them.
    pub const ALL: [Family; 7] = [
        Family::Weierstrass,
        Family::Cusp,
        Family::Jump,
        Family::Kink,
        Family::Sine,
        Family::Cone,
        Family::Custom,
    ];

    /// The id used in links and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Family::Weierstrass => "weierstrass",
            Family::Cusp => "cusp",
            Family::Jump => "jump",
            Family::Kink => "kink",
            Family::Sine => "sine",
            Family::Cone => "cone",
            Family::Custom => "custom",
        }
    }

    /// Parses a family id; the match is exact (lower case).
    pub fn from_id(id: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|family| family.id() == id)
    }
}

/// Which readout the page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Exact cell averages E_ℓ f.
    Ideal,
    /// The forward pass of the constructed network.
    Network,
}

impl Mode {
    /// The id used in links and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Mode::Ideal => "ideal",
            Mode::Network => "network",
        }
    }

    /// Parses a mode id; the match is exact (lower case).
    pub fn from_id(id: &str) -> Option<Mode> {
        match id {
            "ideal" => Some(Mode::Ideal),
            "network" => Some(Mode::Network),
            _ => None,
        }
    }
}

/// The whole view state. Every field is always within its range: the
/// constructors and the codec clamp or replace values before storing them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// Dimension d of the domain [0,1]^d: 1 or 2.
    pub d: usize,
    /// Grid base N: each level splits every cell side into N parts.
    pub n: u32,
    /// Number of levels L drawn and tabulated.
    pub depth: u32,
    /// Selected level ℓ in 1..=depth.
    pub level: u32,
    /// Target family.
    pub target: Family,
    /// Expression in x (and y), used when `target` is `Custom`.
    pub expr: String,
    /// Smoothness exponent α of the families that have one.
    pub alpha: f64,
    /// Exponent p of the L^p norm.
    pub p: f64,
    /// Readout shown.
    pub mode: Mode,
    /// Ramp width η of network mode.
    pub eta: f64,
    /// Requested accuracy ε for the certified depth.
    pub eps: f64,
    /// Whether the focus panel also shows the correction ψ_ℓ.
    pub psi: bool,
}

impl Default for State {
    fn default() -> Self {
        State {
            d: 1,
            n: 3,
            depth: 5,
            level: 3,
            target: Family::Weierstrass,
            expr: "abs(x - 1/3)".to_string(),
            alpha: 0.5,
            p: 2.0,
            mode: Mode::Ideal,
            eta: 1e-3,
            eps: 1e-2,
            psi: false,
        }
    }
}

/// Largest depth allowed for dimension `d` and base `n`: the fixed cap of
/// the dimension, lowered so that n^depth ≤ 2^40 and, in network mode,
/// n^(d·depth) ≤ 2^40 (the flat cell index must stay an exact double).
pub fn max_depth(d: usize, n: u32, mode: Mode) -> u32 {
    let fixed = if d >= 2 { MAX_DEPTH_2D } else { MAX_DEPTH_1D };
    let axes = match mode {
        Mode::Ideal => 1,
        Mode::Network => d.max(1) as u32,
    };
    let mut depth = 1;
    while depth < fixed && fits_cells(n, (depth + 1) * axes) {
        depth += 1;
    }
    depth
}

/// Whether n^exponent ≤ 2^40.
fn fits_cells(n: u32, exponent: u32) -> bool {
    let limit = 1u128 << MAX_CELLS_PER_AXIS_LOG2;
    let mut value: u128 = 1;
    for _ in 0..exponent {
        value *= u128::from(n);
        if value > limit {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_depth_respects_fixed_caps() {
        assert_eq!(max_depth(1, 2, Mode::Ideal), 12);
        assert_eq!(max_depth(2, 2, Mode::Ideal), 8);
    }

    #[test]
    fn max_depth_respects_double_precision() {
        // 16^10 = 2^40 fits, 16^11 does not.
        assert_eq!(max_depth(1, 16, Mode::Ideal), 10);
        // 7^12 is far below 2^40, so the fixed cap of 12 applies.
        assert_eq!(max_depth(1, 7, Mode::Ideal), 12);
        // Network mode in 2D: 16^(2·5) = 2^40 fits, 16^12 does not.
        assert_eq!(max_depth(2, 16, Mode::Network), 5);
        assert_eq!(max_depth(2, 3, Mode::Network), 8);
    }

    #[test]
    fn family_ids_round_trip() {
        for family in Family::ALL {
            assert_eq!(Family::from_id(family.id()), Some(family));
        }
        assert_eq!(Family::from_id("Weierstrass"), None);
    }
}
