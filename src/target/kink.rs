//! Distance to a point (1D) or to a line (2D): a 1-Lipschitz kink.

use super::linear_form::{integral, LinearForm};
use super::{
    line_at_abscissa, line_at_height, mean_abs_linear, Target, BREAK_1D, LINE_NORMAL, LINE_OFFSET,
};
use crate::geometry::clip_rectangle;
use crate::grid::Point;

/// f(x) = |x − 1/3| in 1D and f(x, y) = |0.6x + 0.8y − 0.5| in 2D (the
/// distance to that line, since (0.6, 0.8) is a unit vector).
#[derive(Clone, Debug)]
pub struct Kink {
    d: usize,
}

impl Kink {
    /// The kink in dimension `d`.
    pub fn new(d: usize) -> Kink {
        Kink { d }
    }

    /// The form s whose absolute value is f: x − 1/3, or the signed
    /// distance to the line.
    fn form(&self) -> LinearForm {
        if self.d == 1 {
            LinearForm {
                d: 1,
                normal: [1.0, 0.0],
                offset: BREAK_1D,
            }
        } else {
            LinearForm {
                d: 2,
                normal: LINE_NORMAL,
                offset: LINE_OFFSET,
            }
        }
    }

    fn signed(point: Point) -> f64 {
        LINE_NORMAL[0] * point[0] + LINE_NORMAL[1] * point[1] - LINE_OFFSET
    }
}

impl Target for Kink {
    fn dim(&self) -> usize {
        self.d
    }

    fn eval(&self, point: Point) -> f64 {
        if self.d == 1 {
            return (point[0] - BREAK_1D).abs();
        }
        Kink::signed(point).abs()
    }

    /// In 2D the box splits along the line into two convex pieces on which
    /// f is linear, so each piece contributes area × f(centroid).
    fn box_mean(&self, lo: Point, hi: Point) -> Option<f64> {
        if self.d == 1 {
            return Some(mean_abs_linear(lo[0], hi[0], BREAK_1D));
        }
        let area = (hi[0] - lo[0]) * (hi[1] - lo[1]);
        if area <= 0.0 {
            return Some(self.eval(lo));
        }
        let above = clip_rectangle(lo, hi, LINE_NORMAL, LINE_OFFSET, f64::INFINITY);
        let below = clip_rectangle(lo, hi, LINE_NORMAL, f64::NEG_INFINITY, LINE_OFFSET);
        let mut integral = 0.0;
        if above.area > 0.0 {
            integral += above.area * Kink::signed(above.centroid).abs();
        }
        if below.area > 0.0 {
            integral += below.area * Kink::signed(below.centroid).abs();
        }
        Some(integral / area)
    }

    /// f = |s| for the linear form s, so |f − centre| = ||s| − centre| is
    /// a function of s alone, integrated exactly along s.
    fn box_deviation(&self, lo: Point, hi: Point, centre: f64, p: f64) -> Option<f64> {
        let phi = |s: f64| s.abs() - centre;
        Some(integral(&self.form(), lo, hi, &[0.0], p, phi))
    }

    /// f(x + h) − f(x) = |s + δ| − |s| with δ the change of s under the
    /// shift h, again a function of s alone.
    fn shift_deviation(&self, lo: Point, hi: Point, h: Point, p: f64) -> Option<f64> {
        let delta = if self.d == 1 {
            h[0]
        } else {
            LINE_NORMAL[0] * h[0] + LINE_NORMAL[1] * h[1]
        };
        let phi = |s: f64| (s + delta).abs() - s.abs();
        Some(integral(&self.form(), lo, hi, &[0.0, -delta], p, phi))
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

    fn modulus_majorant(&self, t: f64, _p: f64) -> Option<f64> {
        Some(t)
    }

    fn rate_exponent(&self, _p: f64) -> f64 {
        1.0
    }

    fn formula(&self) -> String {
        if self.d == 1 {
            "|x − 1/3|".to_string()
        } else {
            "|0.6x + 0.8y − 0.5|".to_string()
        }
    }
}
