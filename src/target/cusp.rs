//! Power α of the distance to a point: rough at one point only.

use super::weierstrass::trim_number;
use super::{Target, POINT_CENTRE};
use crate::grid::Point;

/// f(x) = |x − c|^α with c = `POINT_CENTRE` (Euclidean distance in 2D).
///
/// Its L^p modulus is of order t^min(1, α + d/p), better than the pointwise
/// Hölder exponent α: the rate follows ω_p, not pointwise smoothness. The
/// certified majorant is the crude t^α, from ||a|^α − |b|^α| ≤ |a − b|^α.
#[derive(Clone, Debug)]
pub struct Cusp {
    d: usize,
    alpha: f64,
}

impl Cusp {
    /// The cusp with exponent `alpha` in dimension `d`.
    pub fn new(d: usize, alpha: f64) -> Cusp {
        Cusp { d, alpha }
    }
}

impl Target for Cusp {
    fn dim(&self) -> usize {
        self.d
    }

    fn eval(&self, point: Point) -> f64 {
        let dx = point[0] - POINT_CENTRE[0];
        let distance = if self.d == 1 {
            dx.abs()
        } else {
            dx.hypot(point[1] - POINT_CENTRE[1])
        };
        libm::pow(distance, self.alpha)
    }

    fn seeds(&self) -> Vec<Point> {
        vec![POINT_CENTRE]
    }

    fn modulus_majorant(&self, t: f64, _p: f64) -> Option<f64> {
        Some(libm::pow(t, self.alpha))
    }

    fn rate_exponent(&self, p: f64) -> f64 {
        (self.alpha + self.d as f64 / p).min(1.0)
    }

    fn cost(&self) -> u64 {
        2
    }

    fn formula(&self) -> String {
        let alpha = trim_number(self.alpha);
        if self.d == 1 {
            format!("|x − {}|^{alpha}", POINT_CENTRE[0])
        } else {
            format!(
                "‖(x, y) − ({}, {})‖^{alpha}",
                POINT_CENTRE[0], POINT_CENTRE[1]
            )
        }
    }
}
