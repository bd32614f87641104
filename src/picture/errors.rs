//! Data of the error panel: the per-level numbers placed on a log10 axis,
//! with zeros and tiny values held at a visible floor instead of −∞.

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

/// One plotted value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartPoint {
    /// Level ℓ (the x coordinate).
    pub level: u32,
    /// log10 of the value, or of the floor when `at_floor`.
    pub log10: f64,
    /// Whether the value is 0 (or below the floor) and is drawn at the
    /// floor with a mark.
    pub at_floor: bool,
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

    let place = |value: f64| -> (f64, bool) {
        if value.is_finite() && value > 0.0 && value.log10() >= floor_log10 {
            (value.log10(), false)
        } else {
            (floor_log10, true)
        }
    };

    let mut measured = Vec::new();
    let mut bound = Vec::new();
    let mut certified = Vec::new();
    let mut reference = Vec::new();
    for row in rows {
        let (log10, at_floor) = place(row.error);
        let band =
            (row.error_method == Method::MonteCarlo && row.error_standard_error > 0.0).then(|| {
                let low = place(row.error - 2.0 * row.error_standard_error).0;
                let high = place(row.error + 2.0 * row.error_standard_error).0;
                (low, high)
            });
        measured.push(ChartPoint {
            level: row.level,
            log10,
            at_floor,
            is_final: row.error_final,
            band,
        });
        if row.bound.is_finite() {
            let (log10, at_floor) = place(row.bound);
            bound.push(plain_point(row.level, log10, at_floor, row.omega_final));
        }
        if let Some(value) = row.certified_bound.filter(|v| v.is_finite()) {
            let (log10, at_floor) = place(value);
            certified.push(plain_point(row.level, log10, at_floor, true));
        }
        if row.reference.is_finite() && row.reference > 0.0 {
            let (log10, at_floor) = place(row.reference);
            reference.push(plain_point(row.level, log10, at_floor, row.error_final));
        }
    }

    let network = network_rows
        .iter()
        .filter(|row| !row.error.is_nan())
        .map(|row| {
            let (log10, at_floor) = place(row.error);
            let band = (row.error_standard_error > 0.0 && row.error_standard_error.is_finite())
                .then(|| {
                    let low = place(row.error - 2.0 * row.error_standard_error).0;
                    let high = place(row.error + 2.0 * row.error_standard_error).0;
                    (low, high)
                });
            ChartPoint {
                level: row.level,
                log10,
                at_floor,
                is_final: row.is_final,
                band,
            }
        })
        .collect();

    let (eps_log10, _) = place(eps);
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
    ErrorChart {
        measured,
        bound,
        certified,
        reference,
        network,
        eps_log10,
        floor_log10,
        y_range: (floor_log10 - 0.25, top + 0.05),
        depth: rows.len() as u32,
    }
}

fn plain_point(level: u32, log10: f64, at_floor: bool, is_final: bool) -> ChartPoint {
    ChartPoint {
        level,
        log10,
        at_floor,
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
/// for the true ω_p: there the sampled ω_p is too low.
pub fn ratios_above_one(rows: &[LevelRow]) -> Vec<(u32, f64)> {
    rows.iter()
        .filter(|row| row.ratio > 1.0)
        .map(|row| (row.level, row.ratio))
        .collect()
}
