//! Colours, fonts and sizes of the canvases, in CSS pixels scaled by the
//! device pixel ratio so that lines and text stay crisp on HiDPI screens.

use plotters::style::{FontDesc, IntoFont, RGBColor, ShapeStyle, TextStyle};

/// Font stack of every canvas label; the page's CSS uses the same.
pub const FONT_FAMILY: &str = "system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif";

/// Text and axes.
pub const INK: RGBColor = RGBColor(0x1f, 0x29, 0x33);
/// Secondary text, reference lines.
pub const MUTED: RGBColor = RGBColor(0x61, 0x6e, 0x7c);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(0xe4, 0xe7, 0xeb);
/// Panel frames.
pub const FRAME: RGBColor = RGBColor(0xcb, 0xd2, 0xd9);
/// Background of the panels.
pub const PAPER: RGBColor = RGBColor(0xff, 0xff, 0xff);
/// The target f in one-dimensional panels.
pub const TARGET: RGBColor = RGBColor(0x3e, 0x4c, 0x59);
/// The target f behind a readout in the small panels.
pub const TARGET_FAINT: RGBColor = RGBColor(0xb8, 0xc2, 0xcc);
/// The readout Φ_ℓ, and the measured error.
pub const READOUT: RGBColor = RGBColor(0x25, 0x63, 0xeb);
/// The network's readout Φ_ℓ^net, and its error, in network mode.
pub const NETWORK: RGBColor = RGBColor(0x7c, 0x3a, 0xed);
/// The ideal readout E_ℓ f behind the network's in network mode.
pub const READOUT_FAINT: RGBColor = RGBColor(0x9d, 0xbb, 0xf5);
/// Shading of the strips where a digit of the network is fractional.
pub const STRIP: RGBColor = RGBColor(0xea, 0x58, 0x0c);
/// The correction ψ_ℓ.
pub const CORRECTION: RGBColor = RGBColor(0xc2, 0x41, 0x0c);
/// The bound with the estimated ω_p.
pub const ESTIMATED: RGBColor = RGBColor(0xd9, 0x77, 0x06);
/// The certified bound from the analytic majorant.
pub const CERTIFIED: RGBColor = RGBColor(0x04, 0x78, 0x57);
/// The requested accuracy ε.
pub const ACCURACY: RGBColor = RGBColor(0xb9, 0x1c, 0x1c);
/// Shading of intervals where f is not finite.
pub const NON_FINITE_SHADE: RGBColor = RGBColor(0xd4, 0xd4, 0xd4);

/// Sizes for one canvas at device pixel ratio `ratio`.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    /// Device pixels per CSS pixel.
    pub ratio: f64,
}

impl Scale {
    /// `css` CSS pixels in device pixels, rounded.
    pub fn px(&self, css: f64) -> u32 {
        (css * self.ratio).round().max(0.0) as u32
    }

    /// `css` CSS pixels in device pixels, as a signed coordinate.
    pub fn coord(&self, css: f64) -> i32 {
        (css * self.ratio).round() as i32
    }

    /// Returns a stroke of `css` CSS pixels (at least one device pixel).
    pub fn stroke(&self, colour: RGBColor, css: f64) -> ShapeStyle {
        ShapeStyle::from(colour).stroke_width(self.px(css).max(1))
    }

    /// Returns the label font at `css` CSS pixels.
    pub fn font(&self, css: f64) -> FontDesc<'static> {
        (FONT_FAMILY, css * self.ratio).into_font()
    }

    /// Returns the label text style at `css` CSS pixels in `colour`.
    pub fn text(&self, css: f64, colour: RGBColor) -> TextStyle<'static> {
        self.font(css).color(&colour)
    }
}
