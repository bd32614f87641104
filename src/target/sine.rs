//! The 1-Lipschitz sine target.

use super::Target;
use crate::grid::{Grid, Point};
use crate::trig::{sin_pi, sinc_pi};

/// f(x) = sin(2πx)/(2π) in 1D and f(x, y) = sin(2πx)·sin(2πy)/(2π) in 2D.
///
/// Both are 1-Lipschitz: in 2D |∇f|² = cos²a·sin²b + sin²a·cos²b ≤ 1 with
/// a = 2πx, b = 2πy. With N = 2 the level-2 readout equals the level-1
/// readout, so the correction ψ_2 vanishes.
#[derive(Clone, Debug)]
pub struct Sine {
    d: usize,
}

impl Sine {
    /// The sine target in dimension `d`.
    pub fn new(d: usize) -> Sine {
        Sine { d }
    }

    /// Mean of sin(2πx) over [a, b], as sin(2πm)·sinc(b − a) with m the
    /// midpoint, accurate for tiny intervals.
    fn axis_mean(a: f64, b: f64) -> f64 {
        sin_pi(a + b) * sinc_pi(b - a)
    }

    fn axis_means(grid: &Grid) -> Vec<f64> {
        (0..grid.per_axis())
            .map(|k| {
                let (a, b) = grid.axis_bounds(k);
                Sine::axis_mean(a, b)
            })
            .collect()
    }
}

const TWO_PI: f64 = 2.0 * std::f64::consts::PI;

impl Target for Sine {
    fn dim(&self) -> usize {
        self.d
    }

    fn eval(&self, point: Point) -> f64 {
        let first = sin_pi(2.0 * point[0]);
        if self.d == 1 {
            return first / TWO_PI;
        }
        first * sin_pi(2.0 * point[1]) / TWO_PI
    }

    fn eval_grid(&self, xs: &[f64], ys: &[f64], out: &mut [f64]) {
        let sx: Vec<f64> = xs.iter().map(|&x| sin_pi(2.0 * x)).collect();
        if self.d == 1 {
            for (value, s) in out.iter_mut().zip(&sx) {
                *value = s / TWO_PI;
            }
            return;
        }
        for (j, &y) in ys.iter().enumerate() {
            let sy = sin_pi(2.0 * y);
            for (i, s) in sx.iter().enumerate() {
                out[j * xs.len() + i] = s * sy / TWO_PI;
            }
        }
    }

    fn box_mean(&self, lo: Point, hi: Point) -> Option<f64> {
        let first = Sine::axis_mean(lo[0], hi[0]);
        if self.d == 1 {
            return Some(first / TWO_PI);
        }
        Some(first * Sine::axis_mean(lo[1], hi[1]) / TWO_PI)
    }

    fn grid_means(&self, grid: &Grid) -> Option<Vec<f64>> {
        let axis = Sine::axis_means(grid);
        if self.d == 1 {
            return Some(axis.iter().map(|m| m / TWO_PI).collect());
        }
        let mut means = Vec::with_capacity(axis.len() * axis.len());
        for my in &axis {
            means.extend(axis.iter().map(|mx| mx * my / TWO_PI));
        }
        Some(means)
    }

    fn modulus_majorant(&self, t: f64, _p: f64) -> Option<f64> {
        Some(t)
    }

    fn rate_exponent(&self, _p: f64) -> f64 {
        1.0
    }

    fn formula(&self) -> String {
        if self.d == 1 {
            "sin(2πx)/(2π)".to_string()
        } else {
            "sin(2πx)·sin(2πy)/(2π)".to_string()
        }
    }
}
