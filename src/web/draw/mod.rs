//! Drawing on canvases: curves (1D panels), heatmaps (2D panels) and the
//! error chart. Axes, ticks, labels and curves go through plotters; the
//! heatmaps are RGBA buffers from `picture::raster` put with
//! `putImageData`.

pub mod axis;
pub mod curves;
pub mod errors;
pub mod heatmap;

use std::fmt;

use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use super::backend::MeasuredCanvas;

/// The plotting rectangle of a panel, in device pixels of its canvas, and
/// what it shows; the hover read-out maps pointer positions through it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlotArea {
    /// Left edge (x = 0 in data).
    pub left: f64,
    /// Top edge (y = 1 in 2D data, the top of the value axis in 1D).
    pub top: f64,
    /// Right edge (x = 1).
    pub right: f64,
    /// Bottom edge.
    pub bottom: f64,
}

impl PlotArea {
    /// Returns the data point under canvas pixel (`x`, `y`): x in [0,1] across, and
    /// in 2D y in [0,1] upwards; `None` outside the rectangle.
    pub fn point_at(&self, x: f64, y: f64) -> Option<[f64; 2]> {
        let width = self.right - self.left;
        let height = self.bottom - self.top;
        if width <= 0.0 || height <= 0.0 {
            return None;
        }
        let u = (x - self.left) / width;
        let v = 1.0 - (y - self.top) / height;
        let inside = (0.0..=1.0).contains(&u) && (0.0..=1.0).contains(&v);
        inside.then_some([u, v])
    }
}

/// A failure to draw: no 2D context, or an error from the canvas.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawError(pub String);

impl fmt::Display for DrawError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "drawing failed: {}", self.0)
    }
}

impl<E: fmt::Debug> From<plotters::drawing::DrawingAreaErrorKind<E>> for DrawError
where
    E: std::error::Error + Send + Sync,
{
    fn from(error: plotters::drawing::DrawingAreaErrorKind<E>) -> Self {
        DrawError(error.to_string())
    }
}

/// A canvas sized for drawing, with its context and plotters backend.
pub struct Surface {
    /// The canvas.
    pub canvas: HtmlCanvasElement,
    /// Its 2D context.
    pub context: CanvasRenderingContext2d,
    /// Backing width in device pixels.
    pub width: u32,
}

impl Surface {
    /// Sets the backing size of `canvas` to `css_width` × `css_height` CSS
    /// pixels times `ratio` (only when it changed, since resizing clears
    /// the canvas) and returns it with its 2D context.
    pub fn prepare(
        canvas: &HtmlCanvasElement,
        css_width: f64,
        css_height: f64,
        ratio: f64,
    ) -> Result<Surface, DrawError> {
        let width = (css_width * ratio).round().clamp(1.0, 8192.0) as u32;
        let height = (css_height * ratio).round().clamp(1.0, 8192.0) as u32;
        if canvas.width() != width {
            canvas.set_width(width);
        }
        if canvas.height() != height {
            canvas.set_height(height);
        }
        let context = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|context| context.dyn_into::<CanvasRenderingContext2d>().ok())
            .ok_or_else(|| DrawError("the canvas has no 2D context".to_string()))?;
        Ok(Surface {
            canvas: canvas.clone(),
            context,
            width,
        })
    }

    /// Returns a plotters backend drawing on this surface.
    pub fn backend(&self) -> Result<MeasuredCanvas, DrawError> {
        MeasuredCanvas::new(&self.canvas, &self.context)
            .ok_or_else(|| DrawError("the canvas has no 2D context".to_string()))
    }

    /// Puts RGBA `bytes` of a `width`-pixel-wide image at (`x`, `y`).
    ///
    /// The `ImageData` is a view over WebAssembly memory, so it is created
    /// here right before `putImageData`, with no allocation in between that
    /// could grow (and so detach) the memory.
    pub fn put_rgba(&self, bytes: &[u8], width: u32, x: f64, y: f64) -> Result<(), DrawError> {
        if width == 0 || bytes.is_empty() {
            return Ok(());
        }
        let height = (bytes.len() / 4) as u32 / width;
        let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(bytes), width, height)
            .map_err(|_| DrawError("the image data was rejected".to_string()))?;
        self.context
            .put_image_data(&image, x, y)
            .map_err(|_| DrawError("putImageData failed".to_string()))
    }
}
