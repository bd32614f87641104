//! Lacunary cosine sum, a Weierstrass-type function of Hölder exponent α.

use super::{Sampling, Target};
use crate::grid::{Grid, Point};
use crate::trig::{cos_pi, sinc_pi};

/// Frequency ratio b of consecutive terms. With b = 2 the products 2^k·x
/// are exact in floating point, so each cosine argument reduces exactly.
pub const WEIERSTRASS_BASE: f64 = 2.0;

/// Index K of the last term. Fixed, so that moving the depth never changes
/// f; the finest frequency 2^20·π resolves scales down to about 1e-6, and
/// below that f is smooth and errors fall like N^{-ℓ}.
pub const WEIERSTRASS_TERMS: usize = 20;

/// g(x) = (1/S) Σ_{k=0..K} 2^{-αk} cos(2^k π x) with S = Σ_k 2^{-αk}, so
/// that |g| ≤ 1 and g(0) = 1. In two dimensions f(x, y) = (g(x) + g(y))/2.
#[derive(Clone, Debug)]
pub struct Weierstrass {
    d: usize,
    alpha: f64,
    /// Normalised amplitudes 2^{-αk}/S.
    weights: [f64; WEIERSTRASS_TERMS + 1],
}

impl Weierstrass {
    /// The sum with exponent `alpha` in dimension `d`.
    pub fn new(d: usize, alpha: f64) -> Weierstrass {
        let mut weights = [0.0; WEIERSTRASS_TERMS + 1];
        let mut total = 0.0;
        for (k, weight) in weights.iter_mut().enumerate() {
            *weight = WEIERSTRASS_BASE.powf(-alpha * k as f64);
            total += *weight;
        }
        for weight in weights.iter_mut() {
            *weight /= total;
        }
        Weierstrass { d, alpha, weights }
    }

    /// The one-dimensional sum g(x).
    pub fn g(&self, x: f64) -> f64 {
        let mut sum = 0.0;
        let mut scaled = x;
        for weight in &self.weights {
            sum += weight * cos_pi(scaled);
            scaled *= WEIERSTRASS_BASE;
        }
        sum
    }

    /// Exact mean of g over [a, b]: each term averages to
    /// cos(2^k π m)·sinc(2^k (b − a)/2) with m the midpoint, a form that
    /// stays accurate for tiny intervals.
    pub fn g_mean(&self, a: f64, b: f64) -> f64 {
        let mid = 0.5 * (a + b);
        let half_width = 0.5 * (b - a);
        let mut sum = 0.0;
        let mut scale = 1.0;
        for weight in &self.weights {
            sum += weight * cos_pi(scale * mid) * sinc_pi(scale * half_width);
            scale *= WEIERSTRASS_BASE;
        }
        sum
    }

    /// Means of g over the cells of one axis of `grid`.
    fn axis_means(&self, grid: &Grid) -> Vec<f64> {
        (0..grid.per_axis())
            .map(|k| {
                let (a, b) = grid.axis_bounds(k);
                self.g_mean(a, b)
            })
            .collect()
    }
}

impl Target for Weierstrass {
    fn dim(&self) -> usize {
        self.d
    }

    fn eval(&self, point: Point) -> f64 {
        if self.d == 1 {
            return self.g(point[0]);
        }
        0.5 * (self.g(point[0]) + self.g(point[1]))
    }

    fn eval_grid(&self, xs: &[f64], ys: &[f64], out: &mut [f64]) {
        let gx: Vec<f64> = xs.iter().map(|&x| self.g(x)).collect();
        if self.d == 1 {
            out[..gx.len()].copy_from_slice(&gx);
            return;
        }
        for (j, &y) in ys.iter().enumerate() {
            let gy = self.g(y);
            for (i, value) in gx.iter().enumerate() {
                out[j * xs.len() + i] = 0.5 * (value + gy);
            }
        }
    }

    fn box_mean(&self, lo: Point, hi: Point) -> Option<f64> {
        let first = self.g_mean(lo[0], hi[0]);
        if self.d == 1 {
            return Some(first);
        }
        Some(0.5 * (first + self.g_mean(lo[1], hi[1])))
    }

    fn grid_means(&self, grid: &Grid) -> Option<Vec<f64>> {
        let axis = self.axis_means(grid);
        if self.d == 1 {
            return Some(axis);
        }
        let mut means = Vec::with_capacity(axis.len() * axis.len());
        for gy in &axis {
            means.extend(axis.iter().map(|gx| 0.5 * (gx + gy)));
        }
        Some(means)
    }

    /// |cos a − cos b| ≤ min(2, |a − b|) term by term gives
    /// |g(x + h) − g(x)| ≤ Σ_k w_k min(2, 2^k π |h|), and the 2D average of
    /// two such bounds is bounded by the same sum.
    fn modulus_majorant(&self, t: f64, _p: f64) -> Option<f64> {
        let mut sum = 0.0;
        let mut scale = std::f64::consts::PI * t;
        for weight in &self.weights {
            sum += weight * scale.min(2.0);
            scale *= WEIERSTRASS_BASE;
        }
        Some(sum)
    }

    fn rate_exponent(&self, _p: f64) -> f64 {
        self.alpha
    }

    fn sampling(&self) -> Sampling {
        Sampling::MonteCarlo
    }

    fn cost(&self) -> u64 {
        (WEIERSTRASS_TERMS as u64 + 1) / 4
    }

    fn formula(&self) -> String {
        let g = format!(
            "Σ_(k=0..{WEIERSTRASS_TERMS}) 2^(−{}k) cos(2^k π·) / S",
            trim_number(self.alpha)
        );
        if self.d == 1 {
            g.replace('·', "x")
        } else {
            format!("(g(x) + g(y))/2 with g = {}", g.replace('·', "t"))
        }
    }
}

/// Shortest decimal form of a slider value for labels.
pub(crate) fn trim_number(value: f64) -> String {
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalised_to_one_at_origin() {
        let w = Weierstrass::new(1, 0.5);
        assert!((w.g(0.0) - 1.0).abs() < 1e-15);
        assert!((w.g(1.0) - (1.0 - 2.0 * w.weights[0])).abs() < 1e-15);
    }

    #[test]
    fn mean_over_unit_interval_is_zero() {
        // Every term has mean zero over [0, 1] except none: cos(2^k π x)
        // integrates to sin(2^k π)/(2^k π) = 0.
        let w = Weierstrass::new(1, 0.3);
        assert!(w.g_mean(0.0, 1.0).abs() < 1e-15);
    }

    #[test]
    fn mean_matches_quadrature_on_short_intervals() {
        use crate::quadrature::{integrate, Adaptive};
        let w = Weierstrass::new(1, 0.4);
        for (a, b) in [(0.1, 0.1 + 1e-3), (0.7, 0.7 + 3e-4), (0.333, 0.3331)] {
            let mut f = |points: &[Point], out: &mut [f64]| {
                for (point, value) in points.iter().zip(out.iter_mut()) {
                    *value = w.g(point[0]);
                }
            };
            let settings = Adaptive {
                tolerance: 1e-14 * (b - a),
                relative: 0.0,
                max_evaluations: 1_000_000,
            };
            let numeric = integrate(1, [a, 0.0], [b, 0.0], &[], &mut f, settings).value / (b - a);
            assert!((w.g_mean(a, b) - numeric).abs() < 1e-10, "[{a}, {b}]");
        }
    }

    #[test]
    fn tiny_cell_mean_close_to_value() {
        let w = Weierstrass::new(1, 0.5);
        let a = 0.123_456_789;
        let b = a + 1e-12;
        let mean = w.g_mean(a, b);
        assert!((mean - w.g(0.5 * (a + b))).abs() < 1e-9);
    }
}
