//! A plotters axis over an f64 interval with ticks chosen by the page, so
//! that tick positions and their labels come from `picture::scale`.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

/// The interval [lo, hi] with the given ticks (all drawn as bold grid
/// lines; there are no light ones).
#[derive(Clone, Debug)]
pub struct TickedAxis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl TickedAxis {
    /// Returns an axis from `lo` to `hi` with `ticks` (those outside are dropped).
    pub fn new(lo: f64, hi: f64, ticks: Vec<f64>) -> TickedAxis {
        let ticks = ticks
            .into_iter()
            .filter(|tick| (lo.min(hi)..=hi.max(lo)).contains(tick))
            .collect();
        TickedAxis { lo, hi, ticks }
    }
}

impl Ranged for TickedAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        if self.hi == self.lo {
            return (limit.0 + limit.1) / 2;
        }
        let fraction = (value - self.lo) / (self.hi - self.lo);
        let length = f64::from(limit.1 - limit.0);
        let position = f64::from(limit.0) + length * fraction;
        // Far-off values (a clamped pole) must not overflow i32.
        position.clamp(-1e6, 1e6).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        self.ticks.clone()
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}
