//! The literal two-sine decoder for a handful of cells: a live search for a
//! frequency w and phase φ such that sin(w·u_i + φ) hits every cell's
//! target y_i within a tolerance ε.
//!
//! Cell i has the code u_i = sin(k_i + 1) of its flat index k_i (the
//! encoder, the first sine). Its correction c_i is scaled into [−1, 1] by
//! the affine head c = α·y + β with β = (max c + min c)/2 and
//! α = (max c − min c)/2, so the target of the decoder (the second sine) is
//! y_i = (c_i − β)/α. The codes are distinct and rationally independent,
//! so by Kronecker's theorem frequencies that hit every target within any
//! ε exist, but the first one grows very fast with the number of cells:
//! the search below needs of the order of ε^{-(m−1)} trials for m cells.
//!
//! The search scans w = 0, Δw, 2Δw, … For each w it solves the phase from
//! the first cell, φ = asin(y_0) − w·u_0 or φ = π − asin(y_0) − w·u_0
//! (reduced to [0, 2π)), and checks the other cells. With φ re-solved from
//! the first cell, moving w by δ moves the argument of cell i by
//! δ·(u_i − u_0), and sin is 1-Lipschitz. So with
//! Δw = ε / max_i |u_i − u_0|, a frequency that hits every target exactly
//! has a scanned neighbour, at most Δw/2 away, that hits every target
//! within ε/2.

use std::f64::consts::{PI, TAU};
use std::fmt;

use super::decoder::{cell_code, Decoder};

/// Minimum number of cells of the demo.
pub const LITERAL_MIN_CELLS: usize = 2;
/// Maximum number of cells of the demo. Beyond six the expected number of
/// trials is out of reach for any useful tolerance.
pub const LITERAL_MAX_CELLS: usize = 6;

/// One cell of the demo: its flat index and its correction ψ_ℓ.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LiteralCell {
    /// Flat index k of the cell; its code is sin(k + 1).
    pub index: u64,
    /// The correction ψ_ℓ the decoder and head must produce on the cell.
    pub correction: f64,
}

/// Invalid input to a literal decoder search.
#[derive(Clone, Debug, PartialEq)]
pub enum LiteralError {
    /// The number of cells is outside 2..=6.
    CellCount(usize),
    /// Two cells have the same index.
    DuplicateIndex(u64),
    /// A correction is NaN or infinite.
    NonFiniteCorrection(u64),
    /// The tolerance is not a number in (0, 1).
    Tolerance(f64),
}

impl fmt::Display for LiteralError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LiteralError::CellCount(count) => write!(
                f,
                "{count} cells given; the literal decoder demo takes \
                 {LITERAL_MIN_CELLS} to {LITERAL_MAX_CELLS}"
            ),
            LiteralError::DuplicateIndex(index) => {
                write!(f, "cell {index} is given twice; give distinct cells")
            }
            LiteralError::NonFiniteCorrection(index) => {
                write!(f, "the correction of cell {index} is not a finite number")
            }
            LiteralError::Tolerance(tolerance) => write!(
                f,
                "tolerance {tolerance} is invalid; use a number between 0 and 1 (exclusive)"
            ),
        }
    }
}

impl std::error::Error for LiteralError {}

/// A frequency and phase with the error they achieve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LiteralDecoder {
    /// Frequency w of the decoder sine.
    pub frequency: f64,
    /// Phase φ in [0, 2π).
    pub phase: f64,
    /// Head slope α.
    pub alpha: f64,
    /// Head offset β.
    pub beta: f64,
    /// Frequencies tried up to and including this one.
    pub trials: u64,
    /// max_i |sin(w·u_i + φ) − y_i|, measured with the reported w and φ.
    pub max_error: f64,
    /// The same error on the corrections after the head: α·`max_error`.
    pub max_correction_error: f64,
}

/// State of a search.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SearchStatus {
    /// The budget is not spent and nothing was found yet.
    Running {
        /// Frequencies tried so far.
        trials: u64,
    },
    /// A frequency and phase within the tolerance.
    Found(LiteralDecoder),
    /// The budget ran out; `best` is the smallest error seen.
    Exhausted {
        /// Frequencies tried.
        trials: u64,
        /// The best frequency and phase seen.
        best: LiteralDecoder,
    },
}

/// A resumable search for the decoder's frequency and phase.
#[derive(Clone, Debug)]
pub struct LiteralDecoderSearch {
    codes: Vec<f64>,
    targets: Vec<f64>,
    alpha: f64,
    beta: f64,
    tolerance: f64,
    frequency_step: f64,
    max_trials: u64,
    trials: u64,
    best: Option<LiteralDecoder>,
    found: Option<LiteralDecoder>,
}

impl LiteralDecoderSearch {
    /// Prepares a search over `cells` (2..=6, distinct indices) for a
    /// maximum error `tolerance` on the scaled targets in [−1, 1], trying at
    /// most `max_trials` frequencies.
    pub fn new(
        cells: &[LiteralCell],
        tolerance: f64,
        max_trials: u64,
    ) -> Result<LiteralDecoderSearch, LiteralError> {
        if !(LITERAL_MIN_CELLS..=LITERAL_MAX_CELLS).contains(&cells.len()) {
            return Err(LiteralError::CellCount(cells.len()));
        }
        for (position, cell) in cells.iter().enumerate() {
            if cells[..position]
                .iter()
                .any(|other| other.index == cell.index)
            {
                return Err(LiteralError::DuplicateIndex(cell.index));
            }
            if !cell.correction.is_finite() {
                return Err(LiteralError::NonFiniteCorrection(cell.index));
            }
        }
        if !(tolerance > 0.0 && tolerance < 1.0) {
            return Err(LiteralError::Tolerance(tolerance));
        }

        let lowest = cells
            .iter()
            .map(|c| c.correction)
            .fold(f64::INFINITY, f64::min);
        let highest = cells
            .iter()
            .map(|c| c.correction)
            .fold(f64::NEG_INFINITY, f64::max);
        let beta = 0.5 * (highest + lowest);
        let half_range = 0.5 * (highest - lowest);
        // Equal corrections need no decoder: every target is 0.
        let alpha = if half_range > 0.0 { half_range } else { 1.0 };
        let targets = cells
            .iter()
            .map(|cell| ((cell.correction - beta) / alpha).clamp(-1.0, 1.0))
            .collect();
        let codes: Vec<f64> = cells.iter().map(|cell| cell_code(cell.index)).collect();
        let spread = codes
            .iter()
            .map(|code| (code - codes[0]).abs())
            .fold(0.0, f64::max);

        Ok(LiteralDecoderSearch {
            codes,
            targets,
            alpha,
            beta,
            tolerance,
            frequency_step: tolerance / spread,
            max_trials,
            trials: 0,
            best: None,
            found: None,
        })
    }

    /// Codes u_i = sin(k_i + 1) of the cells.
    pub fn codes(&self) -> &[f64] {
        &self.codes
    }

    /// Targets y_i in [−1, 1].
    pub fn targets(&self) -> &[f64] {
        &self.targets
    }

    /// Head slope α.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// Head offset β.
    pub fn beta(&self) -> f64 {
        self.beta
    }

    /// Spacing Δw of the scanned frequencies.
    pub fn frequency_step(&self) -> f64 {
        self.frequency_step
    }

    /// max_i |sin(w·u_i + φ) − y_i| for frequency `frequency` and phase
    /// `phase`.
    pub fn max_error(&self, frequency: f64, phase: f64) -> f64 {
        self.codes
            .iter()
            .zip(&self.targets)
            .map(|(code, target)| (libm::sin(frequency * code + phase) - target).abs())
            .fold(0.0, f64::max)
    }

    /// Tries up to `trials` further frequencies and returns the status.
    pub fn step(&mut self, trials: u64) -> SearchStatus {
        let first_target = libm::asin(self.targets[0]);
        let mut remaining = trials;
        while self.found.is_none() && self.trials < self.max_trials && remaining > 0 {
            let frequency = self.trials as f64 * self.frequency_step;
            self.trials += 1;
            remaining -= 1;
            for branch in [first_target, PI - first_target] {
                let phase = (branch - frequency * self.codes[0]).rem_euclid(TAU);
                let max_error = self.max_error(frequency, phase);
                let candidate = LiteralDecoder {
                    frequency,
                    phase,
                    alpha: self.alpha,
                    beta: self.beta,
                    trials: self.trials,
                    max_error,
                    max_correction_error: self.alpha * max_error,
                };
                if self.best.is_none_or(|best| max_error < best.max_error) {
                    self.best = Some(candidate);
                }
                if max_error <= self.tolerance {
                    self.found = Some(candidate);
                    break;
                }
            }
        }
        self.status()
    }

    /// The current status.
    pub fn status(&self) -> SearchStatus {
        if let Some(found) = self.found {
            return SearchStatus::Found(found);
        }
        match self.best {
            Some(best) if self.trials >= self.max_trials => SearchStatus::Exhausted {
                trials: self.trials,
                best,
            },
            _ => SearchStatus::Running {
                trials: self.trials,
            },
        }
    }
}

/// Collects the demo cells of `indices` at `level`, with corrections read
/// from the decoder tables by their codes. Returns `None` if a cell is not
/// in the tables.
pub fn literal_cells(decoder: &Decoder, level: u32, indices: &[u64]) -> Option<Vec<LiteralCell>> {
    indices
        .iter()
        .map(|&index| {
            decoder
                .correction(level, index)
                .map(|correction| LiteralCell { index, correction })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(corrections: &[f64]) -> Vec<LiteralCell> {
        corrections
            .iter()
            .enumerate()
            .map(|(index, &correction)| LiteralCell {
                index: index as u64,
                correction,
            })
            .collect()
    }

    #[test]
    fn targets_span_unit_interval() {
        let search = LiteralDecoderSearch::new(&cells(&[0.2, -0.6, 1.0]), 0.01, 10).unwrap();
        assert_eq!(search.alpha(), 0.8);
        assert!((search.beta() - 0.2).abs() < 1e-15);
        assert_eq!(search.targets()[1], -1.0);
        assert_eq!(search.targets()[2], 1.0);
    }

    #[test]
    fn equal_corrections_found_at_zero_frequency() {
        let mut search = LiteralDecoderSearch::new(&cells(&[0.5, 0.5]), 0.01, 10).unwrap();
        match search.step(10) {
            SearchStatus::Found(found) => {
                assert_eq!(found.frequency, 0.0);
                assert_eq!(found.trials, 1);
            }
            status => panic!("expected a result, got {status:?}"),
        }
    }

    #[test]
    fn invalid_searches_rejected() {
        let one = cells(&[1.0]);
        assert_eq!(
            LiteralDecoderSearch::new(&one, 0.01, 10).unwrap_err(),
            LiteralError::CellCount(1)
        );
        let seven = cells(&[0.0; 7]);
        assert_eq!(
            LiteralDecoderSearch::new(&seven, 0.01, 10).unwrap_err(),
            LiteralError::CellCount(7)
        );
        let mut twice = cells(&[0.0, 1.0]);
        twice[1].index = 0;
        assert_eq!(
            LiteralDecoderSearch::new(&twice, 0.01, 10).unwrap_err(),
            LiteralError::DuplicateIndex(0)
        );
        assert_eq!(
            LiteralDecoderSearch::new(&cells(&[0.0, f64::NAN]), 0.01, 10).unwrap_err(),
            LiteralError::NonFiniteCorrection(1)
        );
        assert_eq!(
            LiteralDecoderSearch::new(&cells(&[0.0, 1.0]), 0.0, 10).unwrap_err(),
            LiteralError::Tolerance(0.0)
        );
    }
}
