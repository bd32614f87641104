//! The L^p modulus of continuity
//!
//! ω_p(f, t) = sup over |h| ≤ t of ‖f(· + h) − f‖_{L^p(Ω_h)},
//! Ω_h = {x ∈ [0,1]^d : x + h ∈ [0,1]^d}, |h| Euclidean,
//!
//! estimated as a maximum over `SHIFTS_PER_SCALE` sampled shifts. A maximum
//! over samples can only miss the supremum, so the estimate is a lower
//! estimate, and the page calls it "estimated". Certified statements use
//! the analytic majorants of `Target::modulus_majorant` instead.
//!
//! Shifts h and −h give the same value: substituting y = x + h maps
//! ∫_{Ω_h} |f(x+h) − f(x)|^p dx onto ∫_{Ω_{−h}} |f(y) − f(y−h)|^p dy. So the
//! sampled shifts cover a half-ball, and each of them also stands for its
//! negative; in particular ±t along every axis is always included.

use crate::deviation::{abs_pow, root};
use crate::grid::Point;
use crate::qmc;
use crate::quadrature::{integrate, Adaptive, Quadrature};
use crate::sampler::Sampler;

/// Number of sampled shifts per scale t (each also standing for −h).
pub const SHIFTS_PER_SCALE: usize = 64;

/// Returns the sampled shifts for scale `t`.
///
/// 1D: h = t·j/64 for j = 1..64. 2D: radii t, 3t/4, t/2, t/4 times the 16
/// directions at angles πk/16, k = 0..15, which include +t along x (k = 0)
/// and along y (k = 8).
pub fn shift_set(d: usize, t: f64) -> Vec<Point> {
    if d == 1 {
        return (1..=SHIFTS_PER_SCALE)
            .map(|j| [t * j as f64 / SHIFTS_PER_SCALE as f64, 0.0])
            .collect();
    }
    let mut shifts = Vec::with_capacity(SHIFTS_PER_SCALE);
    for radius in [1.0, 0.75, 0.5, 0.25] {
        for k in 0..16 {
            let angle = std::f64::consts::PI * f64::from(k) / 16.0;
            let (sin, cos) = match k {
                0 => (0.0, 1.0),
                8 => (1.0, 0.0),
                _ => angle.sin_cos(),
            };
            shifts.push([radius * t * cos, radius * t * sin]);
        }
    }
    shifts
}

/// Returns the box Ω_h = {x ∈ [0,1]^d : x + h ∈ [0,1]^d} as `(lo, hi)`.
pub fn shifted_domain(d: usize, h: Point) -> (Point, Point) {
    let mut lo = [0.0, 0.0];
    let mut hi = [1.0, 0.0];
    if d == 2 {
        hi[1] = 1.0;
    }
    for axis in 0..d {
        lo[axis] = (-h[axis]).max(0.0);
        hi[axis] = (1.0 - h[axis]).min(1.0);
    }
    (lo, hi)
}

/// ∫ over Ω_h of |f(x + h) − f(x)|^p by closed form or adaptive quadrature.
///
/// The quadrature cuts Ω_h at the target's non-smooth points s and at s − h,
/// where the shifted copy is not smooth.
pub fn shift_integral_quadrature(
    sampler: &Sampler,
    h: Point,
    p: f64,
    settings: Adaptive,
) -> Quadrature {
    let d = sampler.dim();
    let (lo, hi) = shifted_domain(d, h);
    if hi[0] <= lo[0] || (d == 2 && hi[1] <= lo[1]) {
        return Quadrature {
            converged: true,
            ..Quadrature::default()
        };
    }
    if let Some(exact) = sampler.target().shift_deviation(lo, hi, h, p) {
        return Quadrature {
            value: exact,
            error: 0.0,
            evaluations: 0,
            converged: true,
        };
    }

    let mut seeds = sampler.seeds().to_vec();
    let moved: Vec<Point> = seeds.iter().map(|s| [s[0] - h[0], s[1] - h[1]]).collect();
    seeds.extend(moved);

    let mut shifted = Vec::new();
    let mut shifted_values = Vec::new();
    let mut integrand = |points: &[Point], out: &mut [f64]| {
        shifted.clear();
        shifted.extend(points.iter().map(|x| [x[0] + h[0], x[1] + h[1]]));
        shifted_values.resize(points.len(), 0.0);
        sampler.eval_many(points, out);
        sampler.eval_many(&shifted, &mut shifted_values);
        for (value, moved) in out.iter_mut().zip(&shifted_values) {
            *value = abs_pow(moved - *value, p);
        }
    };
    integrate(d, lo, hi, &seeds, &mut integrand, settings)
}

/// Seed of the point rotation used for shift `index` of `level`.
pub fn modulus_seed(level: u32, index: usize) -> u64 {
    0x0E6A_0000 + u64::from(level) * SHIFTS_PER_SCALE as u64 + index as u64
}

/// ∫ over Ω_h of |f(x + h) − f(x)|^p by quasi-Monte-Carlo: `points` points
/// of the R_d sequence rotated by the shift drawn from `seed`, mapped into
/// Ω_h, times the volume of Ω_h.
pub fn shift_integral_monte_carlo(
    sampler: &Sampler,
    h: Point,
    p: f64,
    points: u64,
    seed: u64,
) -> f64 {
    let d = sampler.dim();
    let (lo, hi) = shifted_domain(d, h);
    let volume = if d == 1 {
        hi[0] - lo[0]
    } else {
        (hi[0] - lo[0]) * (hi[1] - lo[1])
    };
    if volume <= 0.0 || points == 0 {
        return 0.0;
    }
    if let Some(exact) = sampler.target().shift_deviation(lo, hi, h, p) {
        return exact;
    }

    let rotation = qmc::shifts(seed, 1)[0];
    let base: Vec<Point> = (0..points)
        .map(|k| qmc::point(d, rotation, k, lo, hi))
        .collect();
    let moved: Vec<Point> = base.iter().map(|x| [x[0] + h[0], x[1] + h[1]]).collect();
    let mut values = vec![0.0; base.len()];
    let mut moved_values = vec![0.0; base.len()];
    sampler.eval_many(&base, &mut values);
    sampler.eval_many(&moved, &mut moved_values);

    let sum: f64 = values
        .iter()
        .zip(&moved_values)
        .map(|(value, moved)| abs_pow(moved - value, p))
        .sum();
    volume * sum / points as f64
}

/// Converts a p-th-power integral into its L^p norm.
pub fn norm_from_integral(integral: f64, p: f64) -> f64 {
    root(integral.max(0.0), p)
}

/// Running maximum from the finest scale to the coarsest: ω is
/// non-decreasing in t, and a shift sampled for a small t is also a shift
/// of every larger t. `raw[i]` belongs to level i + 1 (scale N^{-(i+1)}).
///
/// NaN values are skipped. An infinite value (a modulus integral that
/// overflowed) makes the envelope infinite from its level to the coarsest,
/// so that an overflow shows instead of reading as ω = 0.
pub fn monotone_envelope(raw: &[f64]) -> Vec<f64> {
    let mut envelope = raw.to_vec();
    let mut running = 0.0_f64;
    for value in envelope.iter_mut().rev() {
        if !value.is_nan() {
            running = running.max(*value);
        }
        *value = running;
    }
    envelope
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shift_sets_have_64_members_and_axis_shifts() {
        let t = 0.1;
        let one = shift_set(1, t);
        assert_eq!(one.len(), SHIFTS_PER_SCALE);
        assert!(one.contains(&[t, 0.0]));
        assert!(one.iter().all(|h| h[0] > 0.0 && h[0] <= t));

        let two = shift_set(2, t);
        assert_eq!(two.len(), SHIFTS_PER_SCALE);
        assert!(two.contains(&[t, 0.0]));
        assert!(two.contains(&[0.0, t]));
        assert!(two.iter().all(|h| h[0].hypot(h[1]) <= t * (1.0 + 1e-15)));
    }

    #[test]
    fn shifted_domain_keeps_shift_inside() {
        let (lo, hi) = shifted_domain(2, [0.25, -0.5]);
        assert_eq!(lo, [0.0, 0.5]);
        assert_eq!(hi, [0.75, 1.0]);
    }

    #[test]
    fn envelope_is_running_maximum() {
        let raw = [0.5, 0.7, 0.2, 0.3];
        assert_eq!(monotone_envelope(&raw), vec![0.7, 0.7, 0.3, 0.3]);
    }

    #[test]
    fn envelope_keeps_overflow_and_skips_nan() {
        let raw = [0.5, f64::INFINITY, f64::NAN, 0.3];
        let envelope = monotone_envelope(&raw);
        assert_eq!(envelope[0], f64::INFINITY);
        assert_eq!(envelope[1], f64::INFINITY);
        assert_eq!(envelope[2], 0.3);
        assert_eq!(envelope[3], 0.3);
    }
}
