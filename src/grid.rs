//! The level-ℓ grid on [0,1]^d: N^ℓ cells per axis, N^{dℓ} cubes of side
//! N^{-ℓ}.
//!
//! Cells are half-open, `[k/N^ℓ, (k+1)/N^ℓ)` on every axis, except that the
//! last cell of an axis is closed so that x = 1 belongs to it. Points outside
//! [0,1] are mapped to the nearest cell and NaN to cell 0, so that a lookup
//! never fails.

use std::fmt;

use crate::state::MAX_CELLS_PER_AXIS_LOG2;

/// A point of the domain; in one dimension the second coordinate is unused.
pub type Point = [f64; 2];

/// Largest number of cells per axis: 2^40.
pub const MAX_CELLS_PER_AXIS: u64 = 1 << MAX_CELLS_PER_AXIS_LOG2;

/// The grid of one level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grid {
    d: usize,
    n: u32,
    level: u32,
    per_axis: u64,
}

/// Reason a grid cannot be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GridError {
    /// The dimension is not 1 or 2.
    Dimension(usize),
    /// The base is below 2.
    Base(u32),
    /// N^ℓ exceeds 2^40: cells would be too small for double precision.
    TooFine { n: u32, level: u32 },
}

impl fmt::Display for GridError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GridError::Dimension(d) => write!(f, "dimension {d} is not supported; use 1 or 2"),
            GridError::Base(n) => write!(f, "grid base {n} is too small; use at least 2"),
            GridError::TooFine { n, level } => write!(
                f,
                "level {level} with n={n} has more than 2^40 cells per axis, \
                 which is below double precision"
            ),
        }
    }
}

impl std::error::Error for GridError {}

impl Grid {
    /// Builds the level-`level` grid of base `n` on [0,1]^d. Level 0 is the
    /// single cell [0,1]^d.
    pub fn new(d: usize, n: u32, level: u32) -> Result<Grid, GridError> {
        if d != 1 && d != 2 {
            return Err(GridError::Dimension(d));
        }
        if n < 2 {
            return Err(GridError::Base(n));
        }
        let mut per_axis: u64 = 1;
        for _ in 0..level {
            per_axis = match per_axis.checked_mul(u64::from(n)) {
                Some(value) if value <= MAX_CELLS_PER_AXIS => value,
                _ => return Err(GridError::TooFine { n, level }),
            };
        }
        Ok(Grid {
            d,
            n,
            level,
            per_axis,
        })
    }

    /// Dimension d.
    pub fn dim(&self) -> usize {
        self.d
    }

    /// Base N.
    pub fn base(&self) -> u32 {
        self.n
    }

    /// Level ℓ.
    pub fn level(&self) -> u32 {
        self.level
    }

    /// Number of cells per axis, N^ℓ (at most 2^40).
    pub fn per_axis(&self) -> u64 {
        self.per_axis
    }

    /// Number of cells, N^{dℓ} (up to 2^80, hence u128).
    pub fn cell_count(&self) -> u128 {
        u128::from(self.per_axis).pow(self.d as u32)
    }

    /// Cell side N^{-ℓ}.
    pub fn side(&self) -> f64 {
        1.0 / self.per_axis as f64
    }

    /// Returns the grid one level up, or `None` at level 0.
    pub fn parent(&self) -> Option<Grid> {
        if self.level == 0 {
            return None;
        }
        Some(Grid {
            d: self.d,
            n: self.n,
            level: self.level - 1,
            per_axis: self.per_axis / u64::from(self.n),
        })
    }

    /// Index along one axis of the cell containing coordinate `x`.
    ///
    /// Half-open cells with the last one closed: `axis_index(1.0)` is
    /// N^ℓ − 1. Coordinates below 0 (and NaN) give 0, above 1 the last cell.
    pub fn axis_index(&self, x: f64) -> u64 {
        let scaled = x * self.per_axis as f64;
        if scaled.is_nan() || scaled <= 0.0 {
            return 0;
        }
        let last = self.per_axis - 1;
        if scaled >= last as f64 {
            return last;
        }
        scaled.floor() as u64
    }

    /// Bounds `(lo, hi)` along one axis of cell `k`.
    pub fn axis_bounds(&self, k: u64) -> (f64, f64) {
        let m = self.per_axis as f64;
        (k as f64 / m, (k + 1) as f64 / m)
    }

    /// Per-axis indices of the cell containing `point`.
    pub fn cell_of(&self, point: Point) -> [u64; 2] {
        let first = self.axis_index(point[0]);
        let second = if self.d == 2 {
            self.axis_index(point[1])
        } else {
            0
        };
        [first, second]
    }

    /// Lower and upper corners of the cell with per-axis indices `cell`.
    pub fn cell_box(&self, cell: [u64; 2]) -> (Point, Point) {
        let (x0, x1) = self.axis_bounds(cell[0]);
        if self.d == 1 {
            return ([x0, 0.0], [x1, 0.0]);
        }
        let (y0, y1) = self.axis_bounds(cell[1]);
        ([x0, y0], [x1, y1])
    }

    /// Row-major flat index (x fastest) of a cell, for tabulated levels.
    pub fn flat_index(&self, cell: [u64; 2]) -> usize {
        (cell[0] + cell[1] * self.per_axis) as usize
    }

    /// Per-axis indices of the cell with flat index `index`.
    pub fn cell_at(&self, index: usize) -> [u64; 2] {
        let index = index as u64;
        if self.d == 1 {
            return [index, 0];
        }
        [index % self.per_axis, index / self.per_axis]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_index_half_open_last_closed() {
        let grid = Grid::new(1, 4, 1).unwrap();
        assert_eq!(grid.axis_index(0.0), 0);
        assert_eq!(grid.axis_index(0.25), 1);
        assert_eq!(grid.axis_index(0.2499), 0);
        assert_eq!(grid.axis_index(0.75), 3);
        assert_eq!(grid.axis_index(1.0), 3);
    }

    #[test]
    fn axis_index_outside_domain() {
        let grid = Grid::new(1, 3, 2).unwrap();
        assert_eq!(grid.axis_index(-0.5), 0);
        assert_eq!(grid.axis_index(f64::NAN), 0);
        assert_eq!(grid.axis_index(7.0), 8);
        assert_eq!(grid.axis_index(f64::INFINITY), 8);
    }

    #[test]
    fn thirds_fall_into_their_cells() {
        let grid = Grid::new(1, 3, 1).unwrap();
        assert_eq!(grid.axis_index(1.0 / 3.0), 1);
        assert_eq!(grid.axis_index(2.0 / 3.0), 2);
    }

    #[test]
    fn too_fine_grid_rejected() {
        assert!(Grid::new(1, 2, 40).is_ok());
        assert_eq!(
            Grid::new(1, 2, 41),
            Err(GridError::TooFine { n: 2, level: 41 })
        );
        assert!(Grid::new(2, 16, 11).is_err());
    }

    #[test]
    fn counts_in_two_dimensions() {
        let grid = Grid::new(2, 16, 10).unwrap();
        assert_eq!(grid.per_axis(), 1 << 40);
        assert_eq!(grid.cell_count(), 1u128 << 80);
        let parent = grid.parent().unwrap();
        assert_eq!(parent.per_axis(), 1 << 36);
    }

    #[test]
    fn flat_index_round_trip() {
        let grid = Grid::new(2, 3, 2).unwrap();
        for index in 0..81 {
            assert_eq!(grid.flat_index(grid.cell_at(index)), index);
        }
    }
}
