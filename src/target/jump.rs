//! Unit step across a point (1D) or a line (2D).

use super::{line_at_abscissa, line_at_height, Target, BREAK_1D, LINE_NORMAL, LINE_OFFSET};
use crate::geometry::clip_rectangle;
use crate::grid::Point;

/// f = 1[x ≥ 1/3] in 1D and f = 1[0.6x + 0.8y ≥ 0.5] in 2D.
///
/// f is piecewise constant, so every integral the engine needs is an exact
/// length or area: cell means, ∫|f − c|^p and ∫|f(x+h) − f(x)|^p. Its L^p
/// modulus grows like t^{1/p}, and the certified majorant is t^{1/p} in 1D
/// and (√2·t)^{1/p} in 2D, because the shifted indicators differ only on a
/// strip of width at most t, whose part inside the unit square has area at
/// most √2·t.
#[derive(Clone, Debug)]
pub struct Jump {
    d: usize,
}

impl Jump {
    /// The jump in dimension `d`.
    pub fn new(d: usize) -> Jump {
        Jump { d }
    }

    /// Length or area of the part of the box where f = 1.
    fn measure_on(&self, lo: Point, hi: Point) -> f64 {
        if self.d == 1 {
            return (hi[0] - lo[0].max(BREAK_1D)).max(0.0);
        }
        clip_rectangle(lo, hi, LINE_NORMAL, LINE_OFFSET, f64::INFINITY).area
    }

    fn volume(&self, lo: Point, hi: Point) -> f64 {
        if self.d == 1 {
            hi[0] - lo[0]
        } else {
            (hi[0] - lo[0]) * (hi[1] - lo[1])
        }
    }
}

impl Target for Jump {
    fn dim(&self) -> usize {
        self.d
    }

    fn eval(&self, point: Point) -> f64 {
        let on = if self.d == 1 {
            point[0] >= BREAK_1D
        } else {
            LINE_NORMAL[0] * point[0] + LINE_NORMAL[1] * point[1] >= LINE_OFFSET
        };
        if on {
            1.0
        } else {
            0.0
        }
    }

    fn box_mean(&self, lo: Point, hi: Point) -> Option<f64> {
        let volume = self.volume(lo, hi);
        if volume <= 0.0 {
            return Some(self.eval(lo));
        }
        Some((self.measure_on(lo, hi) / volume).clamp(0.0, 1.0))
    }

    fn box_deviation(&self, lo: Point, hi: Point, centre: f64, p: f64) -> Option<f64> {
        let volume = self.volume(lo, hi);
        let on = self.measure_on(lo, hi).clamp(0.0, volume);
        let off = volume - on;
        Some(on * (1.0 - centre).abs().powf(p) + off * centre.abs().powf(p))
    }

    /// f(x + h) ≠ f(x) exactly on the strip between the line and its copy
    /// moved by −h; that strip's measure inside the box is computed directly.
    fn shift_deviation(&self, lo: Point, hi: Point, h: Point, _p: f64) -> Option<f64> {
        if self.d == 1 {
            let (start, end) = if h[0] >= 0.0 {
                (BREAK_1D - h[0], BREAK_1D)
            } else {
                (BREAK_1D, BREAK_1D - h[0])
            };
            return Some((end.min(hi[0]) - start.max(lo[0])).max(0.0));
        }
        let moved = LINE_NORMAL[0] * h[0] + LINE_NORMAL[1] * h[1];
        let (lower, upper) = if moved >= 0.0 {
            (LINE_OFFSET - moved, LINE_OFFSET)
        } else {
            (LINE_OFFSET, LINE_OFFSET - moved)
        };
        Some(clip_rectangle(lo, hi, LINE_NORMAL, lower, upper).area)
    }

    fn seeds(&self) -> Vec<Point> {
        if self.d == 1 {
            vec![[BREAK_1D, 0.0]]
        } else {
            Vec::new()
        }
    }

    fn row_breaks(&self, y: f64) -> Vec<f64> {
        line_at_height(y)
    }

    fn column_breaks(&self, x: f64) -> Vec<f64> {
        line_at_abscissa(x)
    }

    fn modulus_majorant(&self, t: f64, p: f64) -> Option<f64> {
        let width = if self.d == 1 {
            t
        } else {
            std::f64::consts::SQRT_2 * t
        };
        Some(width.powf(1.0 / p))
    }

    fn rate_exponent(&self, p: f64) -> f64 {
        1.0 / p
    }

    fn formula(&self) -> String {
        if self.d == 1 {
            "1[x ≥ 1/3]".to_string()
        } else {
            "1[0.6x + 0.8y ≥ 0.5]".to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shift_deviation_is_strip_measure() {
        let jump = Jump::new(1);
        let strip = jump
            .shift_deviation([0.0, 0.0], [0.9, 0.0], [0.1, 0.0], 2.0)
            .unwrap();
        assert!((strip - 0.1).abs() < 1e-15);
        let jump2 = Jump::new(2);
        // A shift along the line changes nothing.
        let along = jump2
            .shift_deviation([0.0, 0.0], [0.9, 0.8], [0.08, -0.06], 1.0)
            .unwrap();
        assert!(along < 1e-15);
    }

    #[test]
    fn deviation_matches_piecewise_constant() {
        let jump = Jump::new(1);
        // On [0, 1] with centre 2/3: 1/3 of length at |0 − 2/3|^2, 2/3 at |1 − 2/3|^2.
        let value = jump
            .box_deviation([0.0, 0.0], [1.0, 0.0], 2.0 / 3.0, 2.0)
            .unwrap();
        let expected = (1.0 / 3.0) * (4.0 / 9.0) + (2.0 / 3.0) * (1.0 / 9.0);
        assert!((value - expected).abs() < 1e-15);
    }
}
