//! sin(πr) and cos(πr) with exact argument reduction.
//!
//! The lacunary targets evaluate cos(2^k π x) for k up to 20. Multiplying x
//! by 2^k is exact, and so is reducing r = 2^k x modulo 2 and folding it into
//! [0, 1/4]; only the final multiplication by π rounds. A Taylor polynomial
//! of degree 16/17 on |z| ≤ π/4 is then accurate to about one unit in the
//! last place, faster than a general sin or cos, and gives the same bits
//! natively and on wasm32.

use std::f64::consts::PI;

/// Returns (sin(πr), cos(πr)) for any finite r; NaN for non-finite r.
pub fn sin_cos_pi(r: f64) -> (f64, f64) {
    if !r.is_finite() {
        return (f64::NAN, f64::NAN);
    }

    // r mod 2 in [0, 2), exact.
    let mut u = r - 2.0 * (r * 0.5).floor();
    if u >= 2.0 {
        u = 0.0;
    }

    // sin(π(u+1)) = −sin(πu), cos(π(u+1)) = −cos(πu): fold into [0, 1).
    let mut sin_sign = 1.0;
    let mut cos_sign = 1.0;
    if u >= 1.0 {
        u -= 1.0;
        sin_sign = -1.0;
        cos_sign = -1.0;
    }

    // sin(π(1−u)) = sin(πu), cos(π(1−u)) = −cos(πu): fold into [0, 1/2].
    if u > 0.5 {
        u = 1.0 - u;
        cos_sign = -cos_sign;
    }

    // sin(π(1/2−u)) = cos(πu): fold into [0, 1/4] and swap.
    let (sin_value, cos_value) = if u > 0.25 {
        let z = PI * (0.5 - u);
        (cos_poly(z), sin_poly(z))
    } else {
        let z = PI * u;
        (sin_poly(z), cos_poly(z))
    };
    (sin_sign * sin_value, cos_sign * cos_value)
}

/// sin(πr) and cos(πr) for every r of a slice, into `sines` and `cosines`.
///
/// The same exact reduction as `sin_cos_pi`, written without data-dependent
/// branches so that the compiler can vectorise the loop: r is reduced
/// modulo 2 and split as r = q/2 + z/π with q the nearest integer to 2r and
/// |z| ≤ π/4 (the subtraction is exact), both polynomials are evaluated,
/// and q mod 4 only swaps them and picks signs. Results agree with
/// `sin_cos_pi` to within an ulp or two; non-finite r gives NaN.
pub fn sin_cos_pi_many(rs: &[f64], sines: &mut [f64], cosines: &mut [f64]) {
    let outputs = sines.iter_mut().zip(cosines.iter_mut());
    for (r, (sine, cosine)) in rs.iter().zip(outputs) {
        let u = r - 2.0 * (r * 0.5).floor();
        let quadrant = (2.0 * u + 0.5).floor();
        let z = PI * (u - 0.5 * quadrant);
        let (sin_z, cos_z) = (sin_poly(z), cos_poly(z));

        // For q mod 4 = 0, 1, 2, 3: sin = (s, c, −s, −c), cos = (c, −s, −c, s).
        // Only float arithmetic and selects, which vectorise.
        let q = quadrant - 4.0 * (quadrant * 0.25).floor();
        let swapped = q == 1.0 || q == 3.0;
        let sin_sign = if q >= 2.0 { -1.0 } else { 1.0 };
        let cos_sign = if q == 1.0 || q == 2.0 { -1.0 } else { 1.0 };
        let first = if swapped { cos_z } else { sin_z };
        let second = if swapped { sin_z } else { cos_z };
        *sine = sin_sign * first;
        *cosine = cos_sign * second;
    }
}

/// cos(πr).
pub fn cos_pi(r: f64) -> f64 {
    sin_cos_pi(r).1
}

/// sin(πr).
pub fn sin_pi(r: f64) -> f64 {
    sin_cos_pi(r).0
}

/// sin(πz)/(πz) with the limit 1 at z = 0.
pub fn sinc_pi(z: f64) -> f64 {
    if z == 0.0 {
        return 1.0;
    }
    sin_pi(z) / (PI * z)
}

/// Taylor polynomial of sin on |z| ≤ π/4 (terms to z^17).
fn sin_poly(z: f64) -> f64 {
    let z2 = z * z;
    let mut acc = -1.0 / 355_687_428_096_000.0; // −1/17!
    acc = acc * z2 + 1.0 / 1_307_674_368_000.0; // 1/15!
    acc = acc * z2 - 1.0 / 6_227_020_800.0; // −1/13!
    acc = acc * z2 + 1.0 / 39_916_800.0; // 1/11!
    acc = acc * z2 - 1.0 / 362_880.0; // −1/9!
    acc = acc * z2 + 1.0 / 5040.0; // 1/7!
    acc = acc * z2 - 1.0 / 120.0; // −1/5!
    acc = acc * z2 + 1.0 / 6.0; // 1/3!
    z - z * z2 * acc
}

/// Taylor polynomial of cos on |z| ≤ π/4 (terms to z^16).
fn cos_poly(z: f64) -> f64 {
    let z2 = z * z;
    let mut acc = 1.0 / 20_922_789_888_000.0; // 1/16!
    acc = acc * z2 - 1.0 / 87_178_291_200.0; // −1/14!
    acc = acc * z2 + 1.0 / 479_001_600.0; // 1/12!
    acc = acc * z2 - 1.0 / 3_628_800.0; // −1/10!
    acc = acc * z2 + 1.0 / 40_320.0; // 1/8!
    acc = acc * z2 - 1.0 / 720.0; // −1/6!
    acc = acc * z2 + 1.0 / 24.0; // 1/4!
    acc = acc * z2 - 0.5; // −1/2!
    1.0 + z2 * acc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_libm_over_many_periods() {
        let mut worst: f64 = 0.0;
        for i in -20_000..20_000 {
            let r = f64::from(i) * 0.000_731 + 0.000_3;
            let (s, c) = sin_cos_pi(r);
            worst = worst.max((s - libm::sin(PI * r)).abs());
            worst = worst.max((c - libm::cos(PI * r)).abs());
        }
        // libm's own reduction of π·r rounds, so allow a few ulps of 1 plus
        // the rounding of π·r for |r| ≤ 15.
        assert!(worst < 1e-14, "worst difference {worst}");
    }

    #[test]
    fn exact_at_special_points() {
        assert_eq!(cos_pi(0.0), 1.0);
        assert_eq!(cos_pi(1.0), -1.0);
        assert_eq!(cos_pi(2.0), 1.0);
        assert_eq!(sin_pi(1.0), 0.0);
        assert_eq!(cos_pi(0.5), 0.0);
        assert_eq!(sin_pi(0.5), 1.0);
        assert_eq!(cos_pi(1e15), 1.0);
    }

    #[test]
    fn large_dyadic_arguments_reduce_exactly() {
        // 2^20 · 0.3 mod 2 computed exactly, then compared with the direct
        // value at the reduced argument.
        let x: f64 = 0.3;
        let r = x * (1u64 << 20) as f64;
        let reduced = r - 2.0 * (r * 0.5).floor();
        assert_eq!(cos_pi(r), cos_pi(reduced));
        assert!((cos_pi(r) - libm::cos(PI * reduced)).abs() < 1e-15);
    }

    #[test]
    fn slice_version_matches_scalar() {
        let rs: Vec<f64> = (-5000..5000)
            .map(|i| f64::from(i) * 0.001_37 + 0.000_2)
            .collect();
        let mut sines = vec![0.0; rs.len()];
        let mut cosines = vec![0.0; rs.len()];
        sin_cos_pi_many(&rs, &mut sines, &mut cosines);
        for ((r, sine), cosine) in rs.iter().zip(&sines).zip(&cosines) {
            let (s, c) = sin_cos_pi(*r);
            assert!((sine - s).abs() < 4e-16, "sin at {r}");
            assert!((cosine - c).abs() < 4e-16, "cos at {r}");
        }
        let special = [0.0, 0.5, 1.0, 1.5, 2.0, -0.5, 1e15];
        let mut sines = [0.0; 7];
        let mut cosines = [0.0; 7];
        sin_cos_pi_many(&special, &mut sines, &mut cosines);
        assert_eq!(sines, [0.0, 1.0, 0.0, -1.0, 0.0, -1.0, 0.0]);
        assert_eq!(cosines, [1.0, 0.0, -1.0, 0.0, 1.0, 0.0, 1.0]);
    }

    #[test]
    fn sinc_limits() {
        assert_eq!(sinc_pi(0.0), 1.0);
        assert!((sinc_pi(1e-9) - 1.0).abs() < 1e-15);
        assert!(sinc_pi(1.0).abs() < 1e-16);
        assert!((sinc_pi(0.5) - 2.0 / PI).abs() < 1e-15);
    }

    #[test]
    fn non_finite_gives_nan() {
        assert!(cos_pi(f64::INFINITY).is_nan());
        assert!(sin_pi(f64::NAN).is_nan());
    }
}
