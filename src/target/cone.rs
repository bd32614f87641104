//! Euclidean distance to a point: a 1-Lipschitz cone.

use super::{mean_abs_linear, Target, POINT_CENTRE};
use crate::grid::Point;

/// f(x) = |x − c| with c = `POINT_CENTRE` (Euclidean distance in 2D).
#[derive(Clone, Debug)]
pub struct Cone {
    d: usize,
}

impl Cone {
    /// The cone in dimension `d`.
    pub fn new(d: usize) -> Cone {
        Cone { d }
    }
}

impl Target for Cone {
    fn dim(&self) -> usize {
        self.d
    }

    fn eval(&self, point: Point) -> f64 {
        let dx = point[0] - POINT_CENTRE[0];
        if self.d == 1 {
            return dx.abs();
        }
        dx.hypot(point[1] - POINT_CENTRE[1])
    }

    fn box_mean(&self, lo: Point, hi: Point) -> Option<f64> {
        if self.d == 1 {
            return Some(mean_abs_linear(lo[0], hi[0], POINT_CENTRE[0]));
        }
        None
    }

    fn seeds(&self) -> Vec<Point> {
        vec![POINT_CENTRE]
    }

    fn modulus_majorant(&self, t: f64, _p: f64) -> Option<f64> {
        Some(t)
    }

    fn rate_exponent(&self, _p: f64) -> f64 {
        1.0
    }

    fn formula(&self) -> String {
        if self.d == 1 {
            format!("|x − {}|", POINT_CENTRE[0])
        } else {
            format!("‖(x, y) − ({}, {})‖", POINT_CENTRE[0], POINT_CENTRE[1])
        }
    }
}
