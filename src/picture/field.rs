//! Piecewise-constant fields on [0,1]^d: the values that a panel shows.
//!
//! Both kinds are constant on the boxes of a regular tensor grid with
//! `per_axis` boxes per axis, so a raster only needs one index per pixel
//! column and one per pixel row.

use crate::grid::{Grid, Point};

/// Values at the centres of a regular grid of `per_axis` boxes per axis:
/// sample i of an axis sits at (i + 0.5)/`per_axis`, and stands for the box
/// [i/`per_axis`, (i+1)/`per_axis`).
#[derive(Clone, Debug, PartialEq)]
pub struct Samples {
    d: usize,
    per_axis: usize,
    values: Vec<f64>,
}

impl Samples {
    /// Wraps `values`, row-major with x fastest (`per_axis` values in 1D,
    /// `per_axis²` in 2D). Returns `None` when the length does not match.
    pub fn new(d: usize, per_axis: usize, values: Vec<f64>) -> Option<Samples> {
        let expected = if d == 1 {
            per_axis
        } else {
            per_axis * per_axis
        };
        if per_axis == 0 || values.len() != expected {
            return None;
        }
        Some(Samples {
            d,
            per_axis,
            values,
        })
    }

    /// Sample positions along one axis: (i + 0.5)/`per_axis` for
    /// i = 0..`per_axis`.
    pub fn centres(per_axis: usize) -> Vec<f64> {
        (0..per_axis)
            .map(|i| (i as f64 + 0.5) / per_axis as f64)
            .collect()
    }

    /// Number of samples per axis.
    pub fn per_axis(&self) -> usize {
        self.per_axis
    }

    /// Returns the values, row-major with x fastest.
    pub fn values(&self) -> &[f64] {
        &self.values
    }
}

/// A piecewise-constant field: exact cell means of a level, or samples.
#[derive(Clone, Debug, PartialEq)]
pub enum Field {
    /// The mean of f on every cell of `grid`, row-major with x fastest.
    Cells {
        /// The level grid.
        grid: Grid,
        /// One mean per cell.
        means: Vec<f64>,
    },
    /// Values at sample centres.
    Samples(Samples),
}

impl Field {
    /// Dimension d.
    pub fn dim(&self) -> usize {
        match self {
            Field::Cells { grid, .. } => grid.dim(),
            Field::Samples(samples) => samples.d,
        }
    }

    /// Number of constant boxes per axis.
    pub fn per_axis(&self) -> usize {
        match self {
            Field::Cells { grid, .. } => grid.per_axis() as usize,
            Field::Samples(samples) => samples.per_axis,
        }
    }

    /// Returns the values, row-major with x fastest.
    pub fn values(&self) -> &[f64] {
        match self {
            Field::Cells { means, .. } => means,
            Field::Samples(samples) => &samples.values,
        }
    }

    /// Index along one axis of the box containing coordinate `x`, with the
    /// half-open convention of `Grid::axis_index` (the last box is closed,
    /// and coordinates outside [0,1] map to the nearest box).
    pub fn axis_index(&self, x: f64) -> usize {
        match self {
            Field::Cells { grid, .. } => grid.axis_index(x) as usize,
            Field::Samples(samples) => {
                let scaled = x * samples.per_axis as f64;
                if scaled.is_nan() || scaled <= 0.0 {
                    return 0;
                }
                (scaled.floor() as usize).min(samples.per_axis - 1)
            }
        }
    }

    /// Returns the value on the box containing `point` (y is ignored in
    /// 1D).
    pub fn value_at(&self, point: Point) -> f64 {
        let column = self.axis_index(point[0]);
        let row = if self.dim() == 2 {
            self.axis_index(point[1])
        } else {
            0
        };
        self.values()[row * self.per_axis() + column]
    }

    /// Value indices for a raster of `width` × `height` pixels whose top
    /// row is y = 1: pixel (i, j) shows the box containing its centre
    /// ((i + 0.5)/width, 1 − (j + 0.5)/height).
    pub fn raster_index(&self, width: usize, height: usize) -> RasterIndex {
        let columns = (0..width)
            .map(|i| self.axis_index((i as f64 + 0.5) / width as f64))
            .collect();
        let rows = if self.dim() == 2 {
            (0..height)
                .map(|j| self.axis_index(1.0 - (j as f64 + 0.5) / height as f64) * self.per_axis())
                .collect()
        } else {
            vec![0; height]
        };
        RasterIndex { columns, rows }
    }
}

/// Per-column and per-row offsets into a field's values: pixel (i, j) reads
/// `values[rows[j] + columns[i]]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RasterIndex {
    /// Offset of each pixel column (the box index along x).
    pub columns: Vec<usize>,
    /// Offset of each pixel row (the box index along y times the row
    /// length; 0 in 1D).
    pub rows: Vec<usize>,
}
