//! Randomised quasi-Monte-Carlo integration.
//!
//! Points come from the Kronecker sequence of the generalised golden ratio
//! (the R_d sequence): x_k = frac(s + k·a) with a_i = φ_d^{-i}, where φ_d is
//! the positive root of φ^{d+1} = φ + 1.
//!
//! The sum is taken in 64-bit fixed point, so every point keeps 53
//! significant bits. In floating point, k·a_i for k in the thousands has an
//! error near 2^-40, which puts the points on a grid of that spacing and
//! biases sums over cells that small.
//!
//! Each independent estimate uses its
//! own random shift s (a Cranley–Patterson rotation) drawn from SplitMix64
//! with a fixed seed, so that every run gives the same numbers. The spread of
//! the independent estimates gives a standard error.
//!
//! Every operation is plain IEEE or 64-bit integer arithmetic, so the NumPy
//! reference in `benches/numpy_reference.py` reproduces the points bit for
//! bit.

use crate::grid::Point;

/// Golden ratio φ_1, root of φ² = φ + 1.
const PHI_1: f64 = 1.618_033_988_749_895;
/// Plastic number φ_2, root of φ³ = φ + 1.
const PHI_2: f64 = 1.324_717_957_244_746;

/// Step vector a of the R_d sequence for dimension `d`.
pub fn kronecker_step(d: usize) -> Point {
    if d == 1 {
        [1.0 / PHI_1, 0.0]
    } else {
        [1.0 / PHI_2, 1.0 / (PHI_2 * PHI_2)]
    }
}

/// SplitMix64: the next state and output. Used only to draw shifts.
pub fn splitmix64(state: u64) -> (u64, u64) {
    let next = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = next;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (next, z ^ (z >> 31))
}

/// Converts the top 53 bits of `bits` into a double in [0, 1).
pub fn unit_from_bits(bits: u64) -> f64 {
    (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// `count` shift vectors in [0,1)^2 drawn from `seed`.
pub fn shifts(seed: u64, count: usize) -> Vec<Point> {
    let mut state = seed;
    let mut result = Vec::with_capacity(count);
    for _ in 0..count {
        let (next, first) = splitmix64(state);
        let (next, second) = splitmix64(next);
        state = next;
        result.push([unit_from_bits(first), unit_from_bits(second)]);
    }
    result
}

/// The steps a_i of `kronecker_step` as 64-bit fractions, round(a_i·2^64),
/// for d = 1 (first entry) and d = 2.
const STEP_BITS: [[u64; 2]; 2] = [
    [0x9E37_79B9_7F4A_7C16, 0],
    [0xC13F_A9A9_02A6_328F, 0x91E1_0DA5_C79E_7B1D],
];

/// Point `k` of the shifted R_d sequence, mapped into the box `[lo, hi]`.
///
/// The shift, a multiple of 2^-53 in [0, 1) (see `shifts`), is turned into
/// a 64-bit fraction exactly, k·a is added modulo 1 in integers, and the
/// top 53 bits give the coordinate.
pub fn point(d: usize, shift: Point, k: u64, lo: Point, hi: Point) -> Point {
    let steps = STEP_BITS[d.clamp(1, 2) - 1];
    let unit = |axis: usize| {
        let start = ((shift[axis] * TWO_TO_53) as u64) << 11;
        unit_from_bits(start.wrapping_add(k.wrapping_mul(steps[axis])))
    };
    let x0 = lo[0] + (hi[0] - lo[0]) * unit(0);
    if d == 1 {
        return [x0, 0.0];
    }
    [x0, lo[1] + (hi[1] - lo[1]) * unit(1)]
}

/// 2^53, the number of steps of a double in [0, 1) from `unit_from_bits`.
const TWO_TO_53: f64 = 9_007_199_254_740_992.0;

/// Mean and standard error of independent estimates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeanEstimate {
    /// Mean of the independent estimates.
    pub mean: f64,
    /// Sample standard deviation of the estimates divided by √count.
    pub standard_error: f64,
}

/// Combines independent estimates into a mean and its standard error.
/// With fewer than two estimates the standard error is infinite.
pub fn combine(estimates: &[f64]) -> MeanEstimate {
    let count = estimates.len() as f64;
    if estimates.is_empty() {
        return MeanEstimate {
            mean: f64::NAN,
            standard_error: f64::INFINITY,
        };
    }
    let mean = estimates.iter().sum::<f64>() / count;
    if estimates.len() < 2 {
        return MeanEstimate {
            mean,
            standard_error: f64::INFINITY,
        };
    }
    let variance = estimates.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / (count - 1.0);
    MeanEstimate {
        mean,
        standard_error: (variance / count).sqrt(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden_ratios_solve_their_equations() {
        assert!((PHI_1 * PHI_1 - PHI_1 - 1.0).abs() < 1e-15);
        assert!((PHI_2.powi(3) - PHI_2 - 1.0).abs() < 1e-15);
    }

    #[test]
    fn step_bits_match_steps() {
        let scale = 2f64.powi(64);
        for d in [1, 2] {
            let steps = kronecker_step(d);
            for (axis, &bits) in STEP_BITS[d - 1].iter().enumerate().take(d) {
                let step = bits as f64 / scale;
                assert!((step - steps[axis]).abs() < 1e-15, "d={d} axis {axis}");
            }
        }
    }

    #[test]
    fn late_points_keep_full_precision() {
        // In floating point, s + k·a for k near 8000 has an error near 2^-40,
        // and every coordinate came out a multiple of 2^-40. The fixed-point
        // sum keeps bits below that.
        let shift = shifts(7, 1)[0];
        let finer = (8000..8064)
            .map(|k| point(1, shift, k, [0.0; 2], [1.0; 2])[0])
            .filter(|x| (x * 2f64.powi(40)).fract() != 0.0)
            .count();
        assert!(finer > 50, "{finer} of 64 points below the 2^-40 grid");
    }

    #[test]
    fn splitmix_known_output() {
        // First output of SplitMix64 seeded with 0, as in Vigna's reference
        // implementation.
        let (_, out) = splitmix64(0);
        assert_eq!(out, 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn points_stay_in_box() {
        let shift = shifts(7, 1)[0];
        for k in 0..10_000 {
            let p = point(2, shift, k, [0.25, 0.5], [0.75, 1.0]);
            assert!((0.25..0.75).contains(&p[0]));
            assert!((0.5..1.0).contains(&p[1]));
        }
    }

    #[test]
    fn estimates_mean_of_smooth_function() {
        // Mean of x² + y over [0,1]^2 is 1/3 + 1/2.
        let mut estimates = Vec::new();
        for shift in shifts(1, 8) {
            let count = 4096;
            let sum: f64 = (0..count)
                .map(|k| {
                    let p = point(2, shift, k, [0.0, 0.0], [1.0, 1.0]);
                    p[0] * p[0] + p[1]
                })
                .sum();
            estimates.push(sum / count as f64);
        }
        let estimate = combine(&estimates);
        assert!((estimate.mean - 5.0 / 6.0).abs() < 1e-3);
        assert!(estimate.standard_error < 1e-3);
        assert!((estimate.mean - 5.0 / 6.0).abs() < 6.0 * estimate.standard_error + 1e-6);
    }
}
