//! Colour maps for heatmaps: a perceptually uniform sequential map for
//! values of f and Φ_ℓ, a blue–white–red diverging map for signed
//! differences, and the pattern that marks values that are not finite.

/// An sRGB colour.
pub type Rgb = [u8; 3];

/// Number of entries of a colour table.
const TABLE_SIZE: usize = 256;

/// The ten colours of matplotlib's viridis at t = 0, 1/9, …, 1, as R's
/// `viridis(10)` lists them.
const VIRIDIS_STOPS: [Rgb; 10] = [
    [0x44, 0x01, 0x54],
    [0x48, 0x28, 0x78],
    [0x3e, 0x4a, 0x89],
    [0x31, 0x68, 0x8e],
    [0x26, 0x82, 0x8e],
    [0x1f, 0x9e, 0x89],
    [0x35, 0xb7, 0x79],
    [0x6d, 0xcd, 0x59],
    [0xb4, 0xde, 0x2c],
    [0xfd, 0xe7, 0x25],
];

/// ColorBrewer's nine-class RdBu, from blue (negative) through near-white
/// (zero) to red (positive).
const DIVERGING_STOPS: [Rgb; 9] = [
    [0x21, 0x66, 0xac],
    [0x43, 0x93, 0xc3],
    [0x92, 0xc5, 0xde],
    [0xd1, 0xe5, 0xf0],
    [0xf7, 0xf7, 0xf7],
    [0xfd, 0xdb, 0xc7],
    [0xf4, 0xa5, 0x82],
    [0xd6, 0x60, 0x4d],
    [0xb2, 0x18, 0x2b],
];

/// The two greys of the diagonal hatch that marks non-finite values.
pub const NON_FINITE_COLOURS: [Rgb; 2] = [[0x9a, 0x9a, 0x9a], [0xd4, 0xd4, 0xd4]];

/// Width in pixels of one stripe of the non-finite hatch.
pub const HATCH_STRIPE: usize = 3;

/// A colour map: 256 colours interpolated linearly (in sRGB) between
/// evenly spaced stops.
#[derive(Clone, Debug, PartialEq)]
pub struct ColorMap {
    table: Vec<Rgb>,
}

impl ColorMap {
    /// Returns the sequential map viridis, dark violet (low) to yellow
    /// (high).
    pub fn viridis() -> ColorMap {
        ColorMap::from_stops(&VIRIDIS_STOPS)
    }

    /// Returns the diverging map RdBu: blue below the centre, white at it,
    /// red above.
    pub fn diverging() -> ColorMap {
        ColorMap::from_stops(&DIVERGING_STOPS)
    }

    fn from_stops(stops: &[Rgb]) -> ColorMap {
        let last = (stops.len() - 1) as f64;
        let table = (0..TABLE_SIZE)
            .map(|index| {
                let position = index as f64 / (TABLE_SIZE - 1) as f64 * last;
                let lower = (position.floor() as usize).min(stops.len() - 2);
                let weight = position - lower as f64;
                let mix = |channel: usize| {
                    let a = f64::from(stops[lower][channel]);
                    let b = f64::from(stops[lower + 1][channel]);
                    (a + (b - a) * weight).round() as u8
                };
                [mix(0), mix(1), mix(2)]
            })
            .collect();
        ColorMap { table }
    }

    /// Returns the colour at position `t` in [0, 1]. A `t` outside is
    /// clamped, and NaN gives the lowest colour, so callers mark non-finite
    /// values themselves (see `NON_FINITE_COLOURS`).
    pub fn at(&self, t: f64) -> Rgb {
        self.table[self.table_index(t)]
    }

    /// Returns the table entry for position `t`, clamped to [0, 1].
    pub fn table_index(&self, t: f64) -> usize {
        if t.is_nan() || t <= 0.0 {
            return 0;
        }
        let scaled = (t * TABLE_SIZE as f64) as usize;
        scaled.min(TABLE_SIZE - 1)
    }

    /// Returns all 256 colours, from position 0 to 1.
    pub fn table(&self) -> &[Rgb] {
        &self.table
    }

    /// Returns the colour at `t` as a CSS `rgb(r, g, b)` string.
    pub fn css(&self, t: f64) -> String {
        let [r, g, b] = self.at(t);
        format!("rgb({r}, {g}, {b})")
    }
}
