//! The strips of network mode as shading: for each pixel column (or row)
//! of a panel, the fraction of it where a base-N digit of the network is
//! fractional.
//!
//! At level k, ramp j = 1..N−1 of a level-(k−1) cell [p, p + 1)/N^{k−1}
//! rises over x ∈ ((pN + j − η)/N^k, (pN + j)/N^k), just left of a grid
//! line. So level k has N^{k−1}(N−1) strips of width η·N^{−k}, which cover
//! η(N−1)/N of the axis. The shading of level ℓ shows the strips of
//! levels 1..=ℓ, where Φ_ℓ of the network may differ from E_ℓ f.

/// The strips to shade: those of levels 1..=`level` for base `n` and ramp
/// width `eta`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StripSpec {
    /// Grid base N.
    pub n: u32,
    /// Ramp width η that the network uses.
    pub eta: f64,
    /// Selected level ℓ.
    pub level: u32,
}

/// Levels with at most this many strips per pixel have each strip placed
/// exactly. Denser levels are spread evenly over the pixels, because that
/// is what their exact coverage averages to.
const EXACT_STRIPS_PER_PIXEL: u128 = 4;

/// Opacity of a pixel that strips cover completely.
pub const STRIP_MAX_OPACITY: f64 = 0.35;

/// Computes, for each of `pixels` equal intervals of [0, 1] in increasing
/// order, the fraction covered by the strips of `spec`. Strips of one level
/// never overlap each other (η ≤ 1/2 < 1), and levels are combined as if
/// independent, 1 − Π(1 − c_k), which slightly miscounts where strips of
/// different levels overlap.
pub fn axis_coverage(spec: &StripSpec, pixels: usize) -> Vec<f64> {
    let mut total = vec![0.0; pixels];
    if pixels == 0 || spec.n < 2 || spec.eta.is_nan() || spec.eta <= 0.0 {
        return total;
    }
    let n = u128::from(spec.n);
    let eta = spec.eta.min(1.0);
    let scale = pixels as f64;
    let mut level_coverage = vec![0.0; pixels];
    let mut lines: u128 = 1;
    for _ in 1..=spec.level {
        lines = lines.saturating_mul(n);
        if lines > EXACT_STRIPS_PER_PIXEL * pixels as u128 {
            let uniform = eta * (spec.n as f64 - 1.0) / spec.n as f64;
            for value in total.iter_mut() {
                *value = 1.0 - (1.0 - *value) * (1.0 - uniform);
            }
            continue;
        }
        level_coverage.iter_mut().for_each(|value| *value = 0.0);
        let spacing = 1.0 / lines as f64;
        for line in (1..lines).filter(|line| line % n != 0) {
            let end = line as f64 * spacing;
            let start = end - eta * spacing;
            add_interval(&mut level_coverage, start * scale, end * scale);
        }
        for (value, added) in total.iter_mut().zip(&level_coverage) {
            *value = 1.0 - (1.0 - *value) * (1.0 - added.min(1.0));
        }
    }
    total
}

/// Adds the overlap of [`start`, `end`) (in pixel units) with every pixel.
fn add_interval(coverage: &mut [f64], start: f64, end: f64) {
    let last = coverage.len() - 1;
    let first_pixel = (start.max(0.0).floor() as usize).min(last);
    let last_pixel = (end.max(0.0).ceil() as usize).min(coverage.len());
    for (pixel, value) in coverage
        .iter_mut()
        .enumerate()
        .take(last_pixel)
        .skip(first_pixel)
    {
        let left = start.max(pixel as f64);
        let right = end.min(pixel as f64 + 1.0);
        if right > left {
            *value += right - left;
        }
    }
}

/// Opacity of the strip shading over a pixel with strip coverage
/// `coverage`. The square root keeps strips much narrower than a pixel
/// visible, while the full-coverage opacity stays faint.
pub fn opacity(coverage: f64) -> f64 {
    STRIP_MAX_OPACITY * coverage.clamp(0.0, 1.0).sqrt()
}

/// Opacity steps merged into one run by `shading_runs`.
const OPACITY_STEPS: f64 = 64.0;

/// Merges per-pixel `coverage` into runs (x₀, x₁, opacity) over [0, 1],
/// with opacities rounded to 1/64 so that neighbouring pixels join, and
/// runs of zero opacity left out.
pub fn shading_runs(coverage: &[f64]) -> Vec<(f64, f64, f64)> {
    let pixels = coverage.len() as f64;
    let mut runs: Vec<(f64, f64, f64)> = Vec::new();
    for (pixel, value) in coverage.iter().enumerate() {
        let alpha = (opacity(*value) * OPACITY_STEPS).round() / OPACITY_STEPS;
        if alpha <= 0.0 {
            continue;
        }
        let start = pixel as f64 / pixels;
        let end = (pixel + 1) as f64 / pixels;
        match runs.last_mut() {
            Some(last) if last.2 == alpha && (last.1 - start).abs() < 1e-12 => last.1 = end,
            _ => runs.push((start, end, alpha)),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fraction of `samples` evenly spaced points with x·N^k in
    /// (m − η, m) for some level k ≤ `level` and some m not divisible by N.
    fn exact_union(spec: &StripSpec, samples: usize) -> f64 {
        let n = f64::from(spec.n);
        let inside = (0..samples)
            .filter(|&i| {
                let x = (i as f64 + 0.5) / samples as f64;
                (1..=spec.level).any(|k| {
                    let z = x * n.powi(k as i32);
                    let line = z.ceil();
                    line - z > 0.0 && line - z < spec.eta && line % n != 0.0
                })
            })
            .count();
        inside as f64 / samples as f64
    }

    #[test]
    fn coverage_averages_to_strip_union() {
        for (n, eta, level) in [(3, 0.01, 1), (4, 0.1, 3), (2, 0.5, 2), (16, 1e-3, 3)] {
            let spec = StripSpec { n, eta, level };
            let coverage = axis_coverage(&spec, 1000);
            let mean = coverage.iter().sum::<f64>() / coverage.len() as f64;
            let expected = exact_union(&spec, 2_000_000);
            assert!(
                (mean - expected).abs() < 0.05 * expected,
                "n={n} eta={eta} level={level}: mean {mean}, exact union {expected}"
            );
        }
    }

    #[test]
    fn level_one_strips_sit_left_of_grid_lines() {
        let spec = StripSpec {
            n: 2,
            eta: 0.2,
            level: 1,
        };
        // One strip, x in (0.4, 0.5): pixels 40..50 of 100.
        let coverage = axis_coverage(&spec, 100);
        for (pixel, value) in coverage.iter().enumerate() {
            let expected = if (40..50).contains(&pixel) { 1.0 } else { 0.0 };
            assert!((value - expected).abs() < 1e-9, "pixel {pixel}: {value}");
        }
    }

    #[test]
    fn runs_merge_equal_pixels() {
        let runs = shading_runs(&[0.0, 1.0, 1.0, 0.0, 0.25]);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].0, 0.2);
        assert_eq!(runs[0].1, 0.6);
        assert!((runs[0].2 - STRIP_MAX_OPACITY).abs() < 1.0 / 64.0);
        assert!((runs[1].2 - opacity(0.25)).abs() < 1.0 / 64.0);
    }
}
