//! Rasters: a field, or the difference of two, evaluated at every pixel of
//! a panel, and turned into an RGBA buffer for `putImageData`.

use super::colormap::{ColorMap, HATCH_STRIPE, NON_FINITE_COLOURS};
use super::field::Field;
use super::scale::ValueRange;

/// One operand of a raster: a field, or a constant such as Φ_0.
#[derive(Clone, Copy, Debug)]
pub enum Operand<'a> {
    /// A piecewise-constant field.
    Field(&'a Field),
    /// The same value everywhere.
    Constant(f64),
}

/// The quantity a raster shows at each pixel.
#[derive(Clone, Copy, Debug)]
pub enum Shade<'a> {
    /// The operand itself.
    Value(Operand<'a>),
    /// The first operand minus the second (a residual f − Φ_ℓ or a
    /// correction Φ_ℓ − Φ_{ℓ−1}).
    Difference(Operand<'a>, Operand<'a>),
}

/// Pre-computed indices of one operand for a given raster size.
enum Lookup<'a> {
    Field {
        values: &'a [f64],
        columns: Vec<usize>,
        rows: Vec<usize>,
    },
    Constant(f64),
}

impl Lookup<'_> {
    fn new(operand: Operand<'_>, width: usize, height: usize) -> Lookup<'_> {
        match operand {
            Operand::Field(field) => {
                let index = field.raster_index(width, height);
                Lookup::Field {
                    values: field.values(),
                    columns: index.columns,
                    rows: index.rows,
                }
            }
            Operand::Constant(value) => Lookup::Constant(value),
        }
    }

    fn at(&self, column: usize, row: usize) -> f64 {
        match self {
            Lookup::Field {
                values,
                columns,
                rows,
            } => values[rows[row] + columns[column]],
            Lookup::Constant(value) => *value,
        }
    }
}

/// Evaluates `shade` at every pixel of a `width` × `height` raster,
/// row-major from the top row (y = 1) down, each pixel taking the box that
/// contains its centre.
pub fn evaluate(shade: Shade<'_>, width: usize, height: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(width * height);
    match shade {
        Shade::Value(operand) => {
            let lookup = Lookup::new(operand, width, height);
            for row in 0..height {
                out.extend((0..width).map(|column| lookup.at(column, row)));
            }
        }
        Shade::Difference(first, second) => {
            let a = Lookup::new(first, width, height);
            let b = Lookup::new(second, width, height);
            for row in 0..height {
                out.extend((0..width).map(|column| a.at(column, row) - b.at(column, row)));
            }
        }
    }
    out
}

/// RGBA bytes (4 per pixel, opaque) of `values`, a `width`-wide raster,
/// coloured by `map` over `range`. Non-finite values are drawn as a
/// diagonal hatch of two greys, so that they stand out from any colour of
/// the map.
pub fn colorize(values: &[f64], width: usize, map: &ColorMap, range: &ValueRange) -> Vec<u8> {
    let table = map.table();
    let scale = 1.0 / (range.hi - range.lo);
    let mut bytes = Vec::with_capacity(values.len() * 4);
    for (index, &value) in values.iter().enumerate() {
        let colour = if value.is_finite() {
            table[map.table_index((value - range.lo) * scale)]
        } else {
            let (column, row) = (index % width.max(1), index / width.max(1));
            NON_FINITE_COLOURS[((column + row) / HATCH_STRIPE) % 2]
        };
        bytes.extend_from_slice(&[colour[0], colour[1], colour[2], 255]);
    }
    bytes
}

/// RGBA bytes of a vertical colour bar `width` × `height` pixels, with the
/// high end at the top.
pub fn colour_bar(map: &ColorMap, width: usize, height: usize) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(width * height * 4);
    for row in 0..height {
        let t = 1.0 - (row as f64 + 0.5) / height.max(1) as f64;
        let [r, g, b] = map.at(t);
        for _ in 0..width {
            bytes.extend_from_slice(&[r, g, b, 255]);
        }
    }
    bytes
}
