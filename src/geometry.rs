//! Areas of rectangles cut by straight lines, for the targets whose level
//! sets are lines (the 2D jump and kink).

use crate::grid::Point;

/// A convex polygon's area and centroid.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AreaCentroid {
    /// Area (0 for an empty polygon).
    pub area: f64,
    /// Centroid; meaningless when the area is 0.
    pub centroid: Point,
}

/// Area and centroid of the part of the rectangle `[lo, hi]` where
/// `lower ≤ normal·x ≤ upper` (use ±∞ for a one-sided strip).
///
/// Coordinates are taken relative to `lo` before clipping, so that tiny
/// rectangles far from the origin keep their relative precision.
pub fn clip_rectangle(lo: Point, hi: Point, normal: Point, lower: f64, upper: f64) -> AreaCentroid {
    let width = hi[0] - lo[0];
    let height = hi[1] - lo[1];
    let shift = normal[0] * lo[0] + normal[1] * lo[1];
    let mut polygon = vec![[0.0, 0.0], [width, 0.0], [width, height], [0.0, height]];

    if lower.is_finite() {
        polygon = clip_half_plane(&polygon, normal, lower - shift, 1.0);
    }
    if upper.is_finite() {
        polygon = clip_half_plane(&polygon, normal, upper - shift, -1.0);
    }

    let local = area_centroid(&polygon);
    AreaCentroid {
        area: local.area,
        centroid: [local.centroid[0] + lo[0], local.centroid[1] + lo[1]],
    }
}

/// Keeps the part of `polygon` where `sign·(normal·x − offset) ≥ 0`
/// (Sutherland–Hodgman against one edge).
fn clip_half_plane(polygon: &[Point], normal: Point, offset: f64, sign: f64) -> Vec<Point> {
    let side = |p: &Point| sign * (normal[0] * p[0] + normal[1] * p[1] - offset);
    let mut result = Vec::with_capacity(polygon.len() + 1);
    for (i, current) in polygon.iter().enumerate() {
        let next = &polygon[(i + 1) % polygon.len()];
        let s_current = side(current);
        let s_next = side(next);
        if s_current >= 0.0 {
            result.push(*current);
        }
        if (s_current >= 0.0) != (s_next >= 0.0) {
            let t = s_current / (s_current - s_next);
            result.push([
                current[0] + t * (next[0] - current[0]),
                current[1] + t * (next[1] - current[1]),
            ]);
        }
    }
    result
}

/// Shoelace area and centroid of a simple polygon.
fn area_centroid(polygon: &[Point]) -> AreaCentroid {
    if polygon.len() < 3 {
        return AreaCentroid {
            area: 0.0,
            centroid: [0.0, 0.0],
        };
    }
    let mut twice_area = 0.0;
    let mut cx = 0.0;
    let mut cy = 0.0;
    for (i, a) in polygon.iter().enumerate() {
        let b = &polygon[(i + 1) % polygon.len()];
        let cross = a[0] * b[1] - b[0] * a[1];
        twice_area += cross;
        cx += (a[0] + b[0]) * cross;
        cy += (a[1] + b[1]) * cross;
    }
    let area = 0.5 * twice_area;
    if area.abs() == 0.0 {
        return AreaCentroid {
            area: 0.0,
            centroid: polygon[0],
        };
    }
    AreaCentroid {
        area: area.abs(),
        centroid: [cx / (6.0 * area), cy / (6.0 * area)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagonal_halves_unit_square() {
        let normal = [std::f64::consts::FRAC_1_SQRT_2; 2];
        let cut = clip_rectangle([0.0, 0.0], [1.0, 1.0], normal, normal[0], f64::INFINITY);
        assert!((cut.area - 0.5).abs() < 1e-15);
        assert!((cut.centroid[0] - 2.0 / 3.0).abs() < 1e-15);
        assert!((cut.centroid[1] - 2.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn strip_area_in_tiny_far_cell() {
        // A vertical strip 0.3·side wide inside a cell of side 1e-9 near (0.7, 0.7).
        let side = 1e-9;
        let lo = [0.7, 0.7];
        let hi = [0.7 + side, 0.7 + side];
        let lower = 0.7 + 0.2 * side;
        let upper = 0.7 + 0.5 * side;
        let cut = clip_rectangle(lo, hi, [1.0, 0.0], lower, upper);
        let expected = 0.3 * side * side;
        assert!(((cut.area - expected) / expected).abs() < 1e-6);
    }

    #[test]
    fn empty_and_full_clips() {
        let full = clip_rectangle([0.0, 0.0], [2.0, 1.0], [1.0, 0.0], -1.0, 5.0);
        assert!((full.area - 2.0).abs() < 1e-15);
        let empty = clip_rectangle([0.0, 0.0], [2.0, 1.0], [1.0, 0.0], 3.0, f64::INFINITY);
        assert_eq!(empty.area, 0.0);
    }
}
