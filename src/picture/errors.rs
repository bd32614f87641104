//! Data of the error panel: the per-level numbers placed on a log10 axis,
//! with zeros and tiny values held at a visible floor instead of −∞, and
//! values that are not finite (inf or nan) held at a row above the top.

use crate::analysis::{LevelRow, Method};
use crate::network::NetworkLevelRow;
use crate::target::Target;

/// Levels searched for a certified depth; the engine's command-line JSON
/// searches the same range.
pub const CERTIFIED_DEPTH_SEARCH: u32 = 200;

/// Decades drawn below the smallest positive value, where the floor sits.
const FLOOR_DECADES: f64 = 1.0;

/// Floor used when no value is positive.
const DEFAULT_FLOOR_LOG10: f64 = -16.0;

/// Decades between the top of the finite values and the row where values
/// that are not finite are drawn.
const OFF_SCALE_DECADES: f64 = 0.6;

/// Position of a value on the log10 axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// At log10 of the value.
    Value,
    /// At the floor, with a "0" mark: the value is 0 or below the floor.
    Floor,
    /// At the off-scale row above the top, marked "∞": the value is +∞.
    Infinite,
    /// At the off-scale row above the top, marked "nan": the value is NaN
    /// (or −∞, which no error, modulus or bound should be).
    NotANumber,
}

impl Placement {
    /// Returns whether the value is drawn at the off-scale row.
    pub fn is_off_scale(self) -> bool {
        matches!(self, Placement::Infinite | Placement::NotANumber)
    }

    /// Returns the mark written beside an off-scale value.
    pub fn off_scale_label(self) -> Option<&'static str> {
        match self {
            Placement::Infinite => Some("∞"),
            Placement::NotANumber => Some("nan"),
            Placement::Value | Placement::Floor => None,
        }
    }
}

/// One plotted value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartPoint {
    /// Level ℓ (the x coordinate).
    pub level: u32,
    /// log10 of the value; of the floor for `Placement::Floor`, and of the
    /// off-scale row for values that are not finite.
    pub log10: f64,
    /// Position of the value on the axis.
    pub placement: Placement,
    /// Whether the value is final (drawn filled) or a draft (hollow).
    pub is_final: bool,
    /// log10 of value ∓ 2 standard errors, for Monte Carlo errors; the
    /// lower end is held at the floor when value − 2·SE ≤ 0.
    pub band: Option<(f64, f64)>,
}

/// Everything the error panel draws.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorChart {
    /// Measured ‖f − Φ_ℓ‖_p.
    pub measured: Vec<ChartPoint>,
    /// The bound (2d+1)·ω_p with the estimated modulus.
    pub bound: Vec<ChartPoint>,
    /// The certified bound (2d+1)·majorant, when the family has one.
    pub certified: Vec<ChartPoint>,
    /// Reference rate C·N^{-rℓ}, anchored at the level-1 error.
    pub reference: Vec<ChartPoint>,
    /// The network's ‖f − Φ_ℓ^net‖_p in network mode (empty otherwise),
    /// for the levels that have an estimate so far.
    pub network: Vec<ChartPoint>,
    /// log10 of the requested accuracy ε.
    pub eps_log10: f64,
    /// log10 of the floor where zeros are drawn.
    pub floor_log10: f64,
    /// log10 of the row above the finite values where values that are not
    /// finite are drawn, when there are any.
    pub off_scale_log10: Option<f64>,
    /// Bottom and top of the y axis, in log10 (whole decades).
    pub y_range: (f64, f64),
    /// Number of levels L (the x axis spans 1..=L).
    pub depth: u32,
}

/// Builds the chart data from the table rows and the requested accuracy.
pub fn error_chart(rows: &[LevelRow], eps: f64) -> ErrorChart {
    network_error_chart(rows, &[], eps)
}

/// Builds the chart data of network mode: that of `error_chart` with the
/// network's errors of `network_rows` beside the ideal ones, on an axis
/// that spans both. Levels whose network error is not estimated yet (NaN)
/// are left out.
pub fn network_error_chart(
    rows: &[LevelRow],
    network_rows: &[NetworkLevelRow],
    eps: f64,
) -> ErrorChart {
    let network_values = network_rows.iter().flat_map(|row| {
        [
            row.error,
            row.error - 2.0 * row.error_standard_error,
            row.error + 2.0 * row.error_standard_error,
        ]
    });
    let values: Vec<f64> = rows
        .iter()
        .flat_map(|row| {
            let band_low = row.error - 2.0 * row.error_standard_error;
            [
                row.error,
                row.bound,
                row.certified_bound.unwrap_or(f64::NAN),
                row.reference,
                band_low,
                eps,
            ]
        })
        .chain(network_values)
        .collect();
    let smallest_positive = values
        .iter()
        .copied()
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold(f64::INFINITY, f64::min);
    let floor_log10 = if smallest_positive.is_finite() {
        smallest_positive.log10().floor() - FLOOR_DECADES
    } else {
        DEFAULT_FLOOR_LOG10
    };

    let highest = values
        .iter()
        .copied()
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold(f64::NEG_INFINITY, f64::max);
    let top = if highest.is_finite() {
        highest.log10().ceil().max(floor_log10 + 1.0)
    } else {
        floor_log10 + 1.0
    };
    let off_scale = top + OFF_SCALE_DECADES;

    let place = |value: f64| -> (f64, Placement) {
        if value.is_nan() || value == f64::NEG_INFINITY {
            (off_scale, Placement::NotANumber)
        } else if value == f64::INFINITY {
            (off_scale, Placement::Infinite)
        } else if value > 0.0 && value.log10() >= floor_log10 {
            (value.log10(), Placement::Value)
        } else {
            (floor_log10, Placement::Floor)
        }
    };
    // The ends of a ±2 SE band: an infinite end is clipped to the top.
    let band_end = |value: f64| -> f64 {
        match place(value) {
            (log10, Placement::Value | Placement::Floor) => log10,
            _ => top,
        }
    };

    let mut measured = Vec::new();
    let mut bound = Vec::new();
    let mut certified = Vec::new();
    let mut reference = Vec::new();
    for row in rows {
        let (log10, placement) = place(row.error);
        let band = (row.error_method == Method::MonteCarlo
            && row.error.is_finite()
            && row.error_standard_error > 0.0)
            .then(|| {
                let low = band_end(row.error - 2.0 * row.error_standard_error);
                let high = band_end(row.error + 2.0 * row.error_standard_error);
                (low, high)
            });
        measured.push(ChartPoint {
            level: row.level,
            log10,
            placement,
            is_final: row.error_final,
            band,
        });
        let (log10, placement) = place(row.bound);
        bound.push(plain_point(row.level, log10, placement, row.omega_final));
        if let Some(value) = row.certified_bound {
            let (log10, placement) = place(value);
            certified.push(plain_point(row.level, log10, placement, true));
        }
        // The reference rate is a guide line, not a measured value, so a
        // level where it is not finite or not positive is left out.
        if row.reference.is_finite() && row.reference > 0.0 {
            let (log10, placement) = place(row.reference);
            reference.push(plain_point(row.level, log10, placement, row.error_final));
        }
    }

    let network = network_rows
        .iter()
        .filter(|row| !row.error.is_nan())
        .map(|row| {
            let (log10, placement) = place(row.error);
            let band = (row.error.is_finite()
                && row.error_standard_error > 0.0
                && row.error_standard_error.is_finite())
            .then(|| {
                let low = band_end(row.error - 2.0 * row.error_standard_error);
                let high = band_end(row.error + 2.0 * row.error_standard_error);
                (low, high)
            });
            ChartPoint {
                level: row.level,
                log10,
                placement,
                is_final: row.is_final,
                band,
            }
        })
        .collect();

    let (eps_log10, _) = place(eps);
    let any_off_scale = [&measured, &bound, &certified, &network]
        .iter()
        .any(|series| series.iter().any(|point| point.placement.is_off_scale()));
    let off_scale_log10 = any_off_scale.then_some(off_scale);
    let y_top = if any_off_scale {
        off_scale + 0.3
    } else {
        top + 0.05
    };
    ErrorChart {
        measured,
        bound,
        certified,
        reference,
        network,
        eps_log10,
        floor_log10,
        off_scale_log10,
        y_range: (floor_log10 - 0.25, y_top),
        depth: rows.len() as u32,
    }
}

fn plain_point(level: u32, log10: f64, placement: Placement, is_final: bool) -> ChartPoint {
    ChartPoint {
        level,
        log10,
        placement,
        is_final,
        band: None,
    }
}

/// Smallest level whose certified bound (2d+1)·majorant(N^{-ℓ}) is at
/// most `eps`, searched up to `CERTIFIED_DEPTH_SEARCH`; `None` when the
/// family has no majorant or no level qualifies. Equals
/// `Analysis::certified_depth` for the analysis's own ε, and lets the page
/// report the depth for a new ε without recomputing the analysis.
pub fn certified_depth(target: &dyn Target, n: u32, p: f64, eps: f64) -> Option<u32> {
    let factor = (2 * target.dim() + 1) as f64;
    (1..=CERTIFIED_DEPTH_SEARCH).find(|&level| {
        let side = (n as f64).powi(-(level as i32));
        target
            .modulus_majorant(side, p)
            .is_some_and(|majorant| factor * majorant <= eps)
    })
}

/// Smallest level among `rows` whose estimated bound is at most `eps`.
pub fn estimated_depth(rows: &[LevelRow], eps: f64) -> Option<u32> {
    rows.iter()
        .find(|row| row.bound <= eps)
        .map(|row| row.level)
}

/// Levels whose ratio error/bound exceeds 1, which the theorem rules out
/// for the true ω: there the sampled ω is too low. Errors at the level of
/// floating-point rounding are left out, because they are not measured
/// errors (a constant f has ω = 0 and errors of about 1e-16).
pub fn ratios_above_one(rows: &[LevelRow]) -> Vec<(u32, f64)> {
    rows.iter()
        .filter(|row| row.ratio > 1.0 && !row.error_at_rounding_level)
        .map(|row| (row.level, row.ratio))
        .collect()
}
