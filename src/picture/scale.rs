//! Value ranges of colour maps and axes, tick positions, and tick labels.

/// Fraction of the finite values cut off at each end when a few extreme
/// values would otherwise squeeze the rest of the colour map.
const OUTLIER_FRACTION: f64 = 0.005;

/// A full range wider than this many times the range between the
/// `OUTLIER_FRACTION` quantiles counts as dominated by outliers.
const OUTLIER_SPREAD: f64 = 10.0;

/// The interval of values that a colour map or an axis spans.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ValueRange {
    /// Value at the low end.
    pub lo: f64,
    /// Value at the high end, always greater than `lo`.
    pub hi: f64,
    /// Whether some finite values lie outside [lo, hi] (they are drawn in
    /// the end colours).
    pub clipped: bool,
}

impl ValueRange {
    /// Returns the range of the finite values in `values`, or [0, 1] if
    /// there is none.
    ///
    /// When the extreme 0.5 % at either end stretch the range more than
    /// tenfold (a pole such as 1/x), the range is the one between the
    /// 0.5 % and 99.5 % quantiles instead, and `clipped` is set. A constant
    /// field gets a unit-wide range around its value.
    pub fn of_values(values: &[f64]) -> ValueRange {
        let mut finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        if finite.is_empty() {
            return ValueRange::widened(0.0, 1.0, false);
        }
        let lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);

        let count = finite.len();
        let cut = ((count as f64) * OUTLIER_FRACTION).floor() as usize;
        if cut > 0 {
            let (_, low, _) = finite.select_nth_unstable_by(cut, f64::total_cmp);
            let q_lo = *low;
            let (_, high, _) = finite.select_nth_unstable_by(count - 1 - cut, f64::total_cmp);
            let q_hi = *high;
            if q_hi > q_lo && hi - lo > OUTLIER_SPREAD * (q_hi - q_lo) {
                return ValueRange::widened(q_lo, q_hi, true);
            }
        }
        ValueRange::widened(lo, hi, false)
    }

    /// Returns the range [−m, m] with m the largest finite |value| (m = 1 when all
    /// are zero), for diverging maps centred at zero. `clipped` is set
    /// when outliers were cut off as in `of_values`.
    pub fn symmetric(values: &[f64]) -> ValueRange {
        let magnitudes: Vec<f64> = values.iter().map(|v| v.abs()).collect();
        let range = ValueRange::of_values(&magnitudes);
        let largest = if range.clipped {
            range.hi
        } else {
            magnitudes
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .fold(0.0, f64::max)
        };
        let largest = if largest > 0.0 { largest } else { 1.0 };
        ValueRange {
            lo: -largest,
            hi: largest,
            clipped: range.clipped,
        }
    }

    /// Widens a degenerate range [v, v] to a range of positive width.
    fn widened(lo: f64, hi: f64, clipped: bool) -> ValueRange {
        if hi > lo {
            return ValueRange { lo, hi, clipped };
        }
        let half = if lo == 0.0 { 0.5 } else { 0.5 * lo.abs() };
        ValueRange {
            lo: lo - half,
            hi: hi + half,
            clipped,
        }
    }

    /// Position of `value` in the range: 0 at `lo`, 1 at `hi`, unclamped.
    pub fn position(&self, value: f64) -> f64 {
        (value - self.lo) / (self.hi - self.lo)
    }

    /// The range grown by `fraction` of its width at both ends, for axes
    /// that should not touch the curve.
    pub fn padded(&self, fraction: f64) -> ValueRange {
        let margin = (self.hi - self.lo) * fraction;
        ValueRange {
            lo: self.lo - margin,
            hi: self.hi + margin,
            clipped: self.clipped,
        }
    }
}

/// Returns tick positions at multiples of 1, 2 or 5 times a power of ten inside
/// [lo, hi], at most `max_count` of them (and at least two when the range
/// has positive width). Returns the ticks and their step.
pub fn nice_ticks(lo: f64, hi: f64, max_count: usize) -> (Vec<f64>, f64) {
    if !lo.is_finite() || !hi.is_finite() || hi <= lo {
        return (vec![lo], 0.0);
    }
    let max_count = max_count.max(2);
    let rough = (hi - lo) / (max_count - 1) as f64;
    let magnitude = 10f64.powf(rough.log10().floor());

    // Candidate steps from a tenth of the magnitude to ten times it. The
    // step with the most ticks, from 2 to `max_count`, wins; if none has
    // that many, the one with the fewest ticks above 1.
    let mut best: Option<(f64, usize)> = None;
    let mut fallback: Option<(f64, usize)> = None;
    for scale in [0.1, 1.0, 10.0] {
        for factor in [1.0, 2.0, 5.0] {
            let step = magnitude * scale * factor;
            let count = ticks_with_step(lo, hi, step).len();
            if (2..=max_count).contains(&count) && best.is_none_or(|(_, c)| count > c) {
                best = Some((step, count));
            }
            if count >= 2 && fallback.is_none_or(|(_, c)| count < c) {
                fallback = Some((step, count));
            }
        }
    }
    let step = best.or(fallback).map_or(hi - lo, |(step, _)| step);
    (ticks_with_step(lo, hi, step), step)
}

/// Returns the multiples of `step` inside [lo, hi].
fn ticks_with_step(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// Formats a tick value for labels: plain decimals with as many places as
/// `step` needs (`0.25`, `-3`), and e-notation (`2e-5`, `1.5e6`) when the
/// values are very small or very large. Negative zero prints as `0`.
pub fn format_tick(value: f64, step: f64) -> String {
    if value == 0.0 {
        return "0".to_string();
    }
    let magnitude = value.abs().max(step.abs());
    if !(1e-3..1e5).contains(&magnitude) || step.abs() < 1e-4 {
        return format_short_exponent(value);
    }
    let places = decimal_places(step);
    let text = format!("{value:.places$}");
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        return "0".to_string();
    }
    text
}

/// Returns the minimum number of decimal places (at most 6) that write
/// every multiple of `step` exactly: 1 for 0.5, 2 for 0.25.
fn decimal_places(step: f64) -> usize {
    if step.is_nan() || step <= 0.0 {
        return 2;
    }
    (0..6)
        .find(|&places| {
            let scaled = step * 10f64.powi(places as i32);
            (scaled - scaled.round()).abs() < 1e-9 * scaled.max(1.0)
        })
        .unwrap_or(6)
}

/// `value` in e-notation with at most three significant digits and no
/// trailing zeros: `1e-3`, `2.5e6`.
fn format_short_exponent(value: f64) -> String {
    let text = format!("{value:.2e}");
    let Some((mantissa, exponent)) = text.split_once('e') else {
        return text;
    };
    let mantissa = if mantissa.contains('.') {
        mantissa.trim_end_matches('0').trim_end_matches('.')
    } else {
        mantissa
    };
    format!("{mantissa}e{exponent}")
}

/// Returns the decade exponents k with 10^k inside [10^lo, 10^hi] (`lo`, `hi` are
/// log10 values), thinned to every second, third, … decade so that there
/// are at most `max_count`.
pub fn decade_ticks(lo: f64, hi: f64, max_count: usize) -> Vec<i32> {
    if !lo.is_finite() || !hi.is_finite() || hi < lo {
        return Vec::new();
    }
    let first = (lo - 1e-9).ceil() as i32;
    let last = (hi + 1e-9).floor() as i32;
    if last < first {
        return Vec::new();
    }
    let count = (last - first + 1) as usize;
    let stride = count.div_ceil(max_count.max(1)).max(1) as i32;
    (first..=last)
        .filter(|k| (k - last) % stride == 0)
        .collect()
}

/// Writes a power of ten with a superscript exponent: `10⁻³`, `10⁰`.
pub fn power_of_ten_label(exponent: i32) -> String {
    let mut label = String::from("10");
    for c in exponent.to_string().chars() {
        label.push(superscript(c));
    }
    label
}

/// Returns the superscript form of a digit or minus sign, and any other
/// character unchanged.
pub fn superscript(c: char) -> char {
    match c {
        '0' => '⁰',
        '1' => '¹',
        '2' => '²',
        '3' => '³',
        '4' => '⁴',
        '5' => '⁵',
        '6' => '⁶',
        '7' => '⁷',
        '8' => '⁸',
        '9' => '⁹',
        '-' => '⁻',
        other => other,
    }
}

/// Writes a number in subscript digits, for names such as Φ₁₂.
pub fn subscript(number: u32) -> String {
    number
        .to_string()
        .chars()
        .map(|c| match c {
            '0' => '₀',
            '1' => '₁',
            '2' => '₂',
            '3' => '₃',
            '4' => '₄',
            '5' => '₅',
            '6' => '₆',
            '7' => '₇',
            '8' => '₈',
            '9' => '₉',
            other => other,
        })
        .collect()
}
