//! Exact integrals over a box of |φ(s)|^p, where s = n·x − offset is a
//! linear form and φ is piecewise linear in s.
//!
//! The area of the box pushed forward onto s has a piecewise-linear density
//! (uniform in 1D, a trapezoid in 2D), so the integral is one-dimensional.
//! Split at the corners of that density, at the kinks of φ and at its
//! roots, every piece is ∫ (linear) · |linear|^p ds, which has a closed form.
//! The kink family uses this for its errors and its modulus of continuity.

use crate::deviation::abs_pow;
use crate::grid::Point;
use crate::quadrature::gauss_mean;

/// A piece of the density of s: on [`start`, `end`] it runs linearly from
/// `start_density` to `end_density`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct DensityPiece {
    start: f64,
    end: f64,
    start_density: f64,
    end_density: f64,
}

/// Returns the density of `form` over the box [`lo`, `hi`], as at most
/// three linear pieces whose integral is the
/// volume of the box. The pieces are in s − origin, where origin (returned
/// first) is the smallest value of s on the box, so that the widths of a
/// tiny box far from s = 0 keep their precision.
fn density(form: &LinearForm, lo: Point, hi: Point) -> (f64, Vec<DensityPiece>) {
    let LinearForm { d, normal, offset } = *form;
    if d == 1 {
        if hi[0] <= lo[0] {
            return (0.0, Vec::new());
        }
        let piece = DensityPiece {
            start: 0.0,
            end: hi[0] - lo[0],
            start_density: 1.0,
            end_density: 1.0,
        };
        return (lo[0] - offset, vec![piece]);
    }
    debug_assert!(normal[0] != 0.0 && normal[1] != 0.0);
    let along_x = normal[0].abs() * (hi[0] - lo[0]);
    let along_y = normal[1].abs() * (hi[1] - lo[1]);
    if along_x <= 0.0 || along_y <= 0.0 {
        return (0.0, Vec::new());
    }
    // s is the sum of two independent uniform parts of widths `along_x` and
    // `along_y`; its density (per unit of s, in area) is their convolution.
    let origin = normal[0].min(0.0) * (hi[0] - lo[0])
        + normal[1].min(0.0) * (hi[1] - lo[1])
        + normal[0] * lo[0]
        + normal[1] * lo[1]
        - offset;
    let start = 0.0;
    let short = along_x.min(along_y);
    let long = along_x.max(along_y);
    let plateau = short / (normal[0] * normal[1]).abs();
    let mut pieces = vec![DensityPiece {
        start,
        end: start + short,
        start_density: 0.0,
        end_density: plateau,
    }];
    if long > short {
        pieces.push(DensityPiece {
            start: start + short,
            end: start + long,
            start_density: plateau,
            end_density: plateau,
        });
    }
    pieces.push(DensityPiece {
        start: start + long,
        end: start + short + long,
        start_density: plateau,
        end_density: 0.0,
    });
    (origin, pieces)
}

/// The linear form s = n·x − offset on [0,1]^d. In 1D, s = x − offset and
/// the normal is not used. In 2D both components of the normal must be
/// non-zero.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct LinearForm {
    /// Dimension, 1 or 2.
    pub d: usize,
    /// Normal n (2D only).
    pub normal: Point,
    /// Offset subtracted from n·x.
    pub offset: f64,
}

/// ∫ over the box [`lo`, `hi`] of |φ(s)|^p, with s given by `form`.
///
/// `phi` must be continuous and linear between consecutive points of
/// `kinks`.
pub(super) fn integral<F>(
    form: &LinearForm,
    lo: Point,
    hi: Point,
    kinks: &[f64],
    p: f64,
    phi: F,
) -> f64
where
    F: Fn(f64) -> f64,
{
    let (origin, pieces) = density(form, lo, hi);
    let local_phi = |t: f64| phi(origin + t);
    let mut total = 0.0;
    for piece in pieces {
        let width = piece.end - piece.start;
        if width <= 0.0 {
            continue;
        }
        let slope = (piece.end_density - piece.start_density) / width;
        let density_at = |s: f64| piece.start_density + slope * (s - piece.start);

        let mut cuts = vec![piece.start, piece.end];
        cuts.extend(
            kinks
                .iter()
                .map(|&kink| kink - origin)
                .filter(|&kink| kink > piece.start && kink < piece.end),
        );
        cuts.sort_by(f64::total_cmp);
        for pair in cuts.windows(2) {
            let (start, end) = (pair[0], pair[1]);
            if end <= start {
                continue;
            }
            let (at_start, at_end) = (local_phi(start), local_phi(end));
            // φ is linear here; a root inside splits the piece so that each
            // part keeps one sign.
            if at_start * at_end < 0.0 {
                let root = start + (end - start) * at_start / (at_start - at_end);
                total += linear_piece(start, root, density_at, at_start, 0.0, p);
                total += linear_piece(root, end, density_at, 0.0, at_end, p);
            } else {
                total += linear_piece(start, end, density_at, at_start, at_end, p);
            }
        }
    }
    total
}

/// ∫ from `start` to `end` of ρ(s)·|w(s)|^p, where ρ = `density_at` and w
/// are linear, w runs from `at_start` to `at_end` and keeps one sign.
fn linear_piece<D>(start: f64, end: f64, density_at: D, at_start: f64, at_end: f64, p: f64) -> f64
where
    D: Fn(f64) -> f64,
{
    let length = end - start;
    if length <= 0.0 {
        return 0.0;
    }
    let (start_density, end_density) = (density_at(start), density_at(end));
    let change = at_end - at_start;
    let nearest = at_start.abs().min(at_end.abs());
    if change.abs() <= 0.1 * nearest {
        // w stays far from zero relative to its change: the closed form
        // below would subtract nearly equal powers, while |w|^p is smooth
        // enough for a 7-point Gauss rule (exact for constant w).
        let mut integrand = |points: &[Point], out: &mut [f64]| {
            for (value, point) in out.iter_mut().zip(points) {
                let s = point[0];
                let w = at_start + change * (s - start) / length;
                *value = density_at(s) * abs_pow(w, p);
            }
        };
        return length * gauss_mean(1, [start, 0.0], [end, 0.0], 7, &mut integrand);
    }
    // In the variable w: ds = length / change · dw and ρ = a + b·w, and
    // F(w) = a·sign(w)|w|^(p+1)/(p+1) + b·|w|^(p+2)/(p+2) is an
    // antiderivative of (a + b·w)|w|^p for either sign of w.
    let b = (end_density - start_density) / change;
    let a = start_density - b * at_start;
    let antiderivative = |w: f64| {
        a * w.signum() * abs_pow(w, p + 1.0) / (p + 1.0) + b * abs_pow(w, p + 2.0) / (p + 2.0)
    };
    length / change * (antiderivative(at_end) - antiderivative(at_start))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KINK_LINE: LinearForm = LinearForm {
        d: 2,
        normal: [0.6, 0.8],
        offset: 0.5,
    };

    /// Midpoint sum of |φ(s)|^p over a fine grid of the box.
    fn midpoint_reference<F: Fn(f64) -> f64>(
        form: &LinearForm,
        lo: Point,
        hi: Point,
        p: f64,
        phi: F,
    ) -> f64 {
        let LinearForm { d, normal, offset } = *form;
        let steps = if d == 1 { 200_000 } else { 1_500 };
        let dx = (hi[0] - lo[0]) / steps as f64;
        if d == 1 {
            return (0..steps)
                .map(|i| {
                    let x = lo[0] + (i as f64 + 0.5) * dx;
                    abs_pow(phi(x - offset), p) * dx
                })
                .sum();
        }
        let dy = (hi[1] - lo[1]) / steps as f64;
        let mut sum = 0.0;
        for j in 0..steps {
            let y = lo[1] + (j as f64 + 0.5) * dy;
            for i in 0..steps {
                let x = lo[0] + (i as f64 + 0.5) * dx;
                sum += abs_pow(phi(normal[0] * x + normal[1] * y - offset), p);
            }
        }
        sum * dx * dy
    }

    #[test]
    fn density_integrates_to_area() {
        for (lo, hi) in [
            ([0.0, 0.0], [1.0, 1.0]),
            ([0.2, 0.1], [0.3, 0.9]),
            ([0.5, 0.5], [0.5 + 1e-7, 0.5 + 3e-7]),
        ] {
            let area = (hi[0] - lo[0]) * (hi[1] - lo[1]);
            for normal in [[0.6, 0.8], [-0.6, 0.8], [1.0, 1.0]] {
                let form = LinearForm {
                    d: 2,
                    normal,
                    offset: 0.3,
                };
                let mass: f64 = density(&form, lo, hi)
                    .1
                    .iter()
                    .map(|piece| {
                        0.5 * (piece.start_density + piece.end_density) * (piece.end - piece.start)
                    })
                    .sum();
                assert!(
                    (mass - area).abs() <= 1e-12 * area,
                    "{lo:?} {hi:?} {normal:?}: {mass} vs {area}"
                );
            }
        }
    }

    #[test]
    fn density_spans_the_corner_values() {
        let (origin, pieces) = density(
            &LinearForm {
                d: 2,
                normal: [0.6, -0.8],
                offset: 0.5,
            },
            [0.1, 0.2],
            [0.4, 0.3],
        );
        let corners = [0.6 * 0.1 - 0.8 * 0.3 - 0.5, 0.6 * 0.4 - 0.8 * 0.2 - 0.5];
        assert!((origin + pieces[0].start - corners[0]).abs() < 1e-15);
        assert!((origin + pieces.last().unwrap().end - corners[1]).abs() < 1e-15);
    }

    #[test]
    fn constant_phi_gives_volume() {
        let value = integral(&KINK_LINE, [0.1, 0.2], [0.4, 0.7], &[], 3.0, |_| 2.0);
        assert!((value - 0.15 * 8.0).abs() < 1e-13, "{value}");
    }

    #[test]
    fn linear_phi_matches_closed_form_in_1d() {
        // ∫_0^1 |x − 1/3|^p dx = ((1/3)^(p+1) + (2/3)^(p+1)) / (p + 1).
        for p in [1.0, 1.5, 2.0, 3.7, 10.0] {
            let form = LinearForm {
                d: 1,
                normal: [1.0, 0.0],
                offset: 1.0 / 3.0,
            };
            let value = integral(&form, [0.0, 0.0], [1.0, 0.0], &[], p, |s| s);
            let exact = (abs_pow(1.0 / 3.0, p + 1.0) + abs_pow(2.0 / 3.0, p + 1.0)) / (p + 1.0);
            assert!(
                (value - exact).abs() <= 1e-14 * exact,
                "p = {p}: {value} vs {exact}"
            );
        }
    }

    #[test]
    fn kinked_phi_matches_midpoint_sums_in_2d() {
        let cases = [
            ([0.0, 0.0], [1.0, 1.0], 0.2),
            ([0.3, 0.2], [0.5, 0.5], 0.05),
            ([0.62, 0.15], [0.64, 0.18], 0.01),
            ([0.0, 0.6], [0.1, 0.7], 0.3),
        ];
        for (lo, hi, centre) in cases {
            for p in [1.0, 1.5, 3.0] {
                let phi = |s: f64| s.abs() - centre;
                let value = integral(&KINK_LINE, lo, hi, &[0.0], p, phi);
                let reference = midpoint_reference(&KINK_LINE, lo, hi, p, phi);
                let scale = reference.abs().max(1e-300);
                assert!(
                    (value - reference).abs() <= 2e-5 * scale,
                    "{lo:?} {hi:?} c = {centre} p = {p}: {value} vs {reference}"
                );
            }
        }
    }

    #[test]
    fn shift_difference_matches_midpoint_sums() {
        // φ(s) = |s + δ| − |s|, the change of a kink under a shift.
        for delta in [0.07, -0.2] {
            let phi = |s: f64| (s + delta).abs() - s.abs();
            for p in [1.0, 2.5] {
                let (lo, hi) = ([0.1, 0.05], [0.9, 0.8]);
                let value = integral(&KINK_LINE, lo, hi, &[0.0, -delta], p, phi);
                let reference = midpoint_reference(&KINK_LINE, lo, hi, p, phi);
                assert!(
                    (value - reference).abs() <= 2e-5 * reference,
                    "δ = {delta} p = {p}: {value} vs {reference}"
                );
            }
        }
    }

    #[test]
    fn tiny_box_far_from_root_keeps_precision() {
        // A box of side 1e-9 where |φ| ≈ 0.1: the integral is area·0.1^p
        // to the precision of the density, with no cancellation.
        let (lo, hi) = ([0.8, 0.75], [0.8 + 1e-9, 0.75 + 1e-9]);
        let s = 0.6 * (0.8 + 5e-10) + 0.8 * (0.75 + 5e-10) - 0.5;
        let centre = s - 0.1;
        let value = integral(&KINK_LINE, lo, hi, &[0.0], 3.0, |s| s.abs() - centre);
        let expected = 1e-18 * 0.1f64.powi(3);
        assert!(
            (value - expected).abs() <= 1e-7 * expected,
            "{value} vs {expected}"
        );
    }
}
