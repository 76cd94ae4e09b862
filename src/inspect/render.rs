//! Page 1 of a PDF drawn as a picture, for the preview pane of a terminal
//! that shows pictures. The drawing is hayro's (pure Rust, the 14 standard
//! fonts built in); the guards around it are ours.
//!
//! A PDF is hostile until drawn. Before hayro sees it, lopdf reads it and
//! every stream is measured: a picture claiming more than
//! [`Limits::max_pixels`](super::Limits::max_pixels), or a stream inflating to
//! more than [`Limits::max_entry`](super::Limits::max_entry), is refused, so
//! the drawing never holds more than the page's pixels and what those caps
//! allow. The page is drawn into at most the pixels asked for, whatever its
//! MediaBox claims, and a panic inside either library becomes an error.
//! The [`Budget`](super::Budget) is checked between the steps; the drawing
//! itself is one step, so a caller that must not wait (the TUI's worker)
//! also bounds it by time from outside.

use super::{InspectError, Options};
use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_interpret::util::TransformExt;
use hayro::hayro_syntax::Pdf;
use hayro::kurbo::Affine;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::vello_cpu::{Pixmap, RasterizerSettings, RenderContext, Resources, TargetInit};
use hayro::{RenderCache, RenderSettings};
use image::RgbaImage;
use lopdf::{Document, Object};
use std::cell::Cell;
use std::io::Read;
use std::panic::AssertUnwindSafe;

/// The most pixels a drawn page has, whatever size is asked for.
pub const MAX_PAGE_PIXELS: u64 = 4_000_000;

/// Why page 1 was not drawn.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// The PDF has no page to draw.
    #[error("the PDF has no pages")]
    NoPages,
    /// The PDF cannot be parsed (or is encrypted).
    #[error("the PDF cannot be read")]
    Unreadable,
    /// The page's size is zero, negative or not a number.
    #[error("the page has no size")]
    NoSize,
    /// Something in the PDF exceeds a safety cap.
    #[error("{0}")]
    TooLarge(String),
    /// A library panicked on it.
    #[error("the PDF is malformed")]
    Malformed,
    /// The budget ran out or the caller moved on.
    #[error(transparent)]
    Stopped(#[from] InspectError),
}

impl PageError {
    /// The reason in `lang`, for the pane's "page 1 could not be drawn" line.
    pub fn localized(&self, lang: crate::i18n::Lang) -> String {
        match self {
            PageError::NoPages => crate::tr!(lang, "page-no-pages"),
            PageError::Unreadable => crate::tr!(lang, "page-unreadable"),
            PageError::NoSize => crate::tr!(lang, "page-no-size"),
            PageError::TooLarge(what) => crate::tr!(lang, "page-too-large", what = what.as_str()),
            PageError::Malformed => crate::tr!(lang, "page-malformed"),
            PageError::Stopped(InspectError::OutOfTime { seconds }) => {
                crate::tr!(lang, "page-out-of-time", seconds = seconds.to_string())
            }
            PageError::Stopped(other) => other.localized(lang),
        }
    }
}

thread_local! {
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Whether the current thread is inside a guarded call that catches its
/// panics: a panic hook stays quiet then (the TUI keeps its screen).
pub fn panic_is_caught() -> bool {
    GUARDED.with(Cell::get)
}

/// `work`, with a panic inside it caught (and the panic hook told so).
pub(crate) fn guarded<T>(work: impl FnOnce() -> T) -> Option<T> {
    let before = GUARDED.with(|g| g.replace(true));
    let result = std::panic::catch_unwind(AssertUnwindSafe(work));
    GUARDED.with(|g| g.set(before));
    result.ok()
}

/// Page 1 of the PDF `bytes`, drawn on white to fit within `max` pixels
/// (width, height; at most [`MAX_PAGE_PIXELS`] in all) at its own aspect.
pub fn first_page(bytes: &[u8], max: (u32, u32), options: &Options) -> Result<RgbaImage, PageError> {
    options.budget.check()?;
    guarded(|| measure_streams(bytes, options)).unwrap_or(Err(PageError::Malformed))?;
    options.budget.check()?;
    let image = guarded(|| draw(bytes, max)).unwrap_or(Err(PageError::Malformed))?;
    options.budget.check()?;
    Ok(image)
}

/// Refuses a PDF with a picture or a stream larger than the caps allow.
fn measure_streams(bytes: &[u8], options: &Options) -> Result<(), PageError> {
    let doc = Document::load_mem(bytes).map_err(|_| PageError::Unreadable)?;
    if doc.is_encrypted() {
        return Err(PageError::Unreadable);
    }
    let limits = &options.limits;
    for (n, object) in doc.objects.values().enumerate() {
        if n % 64 == 0 {
            options.budget.check()?;
        }
        let Object::Stream(stream) = object else { continue };
        let number = |key: &[u8]| stream.dict.get(key).ok().and_then(|o| o.as_i64().ok());
        if stream.dict.get(b"Subtype").ok().and_then(|o| o.as_name().ok()) == Some(b"Image") {
            let (w, h) = (number(b"Width").unwrap_or(0), number(b"Height").unwrap_or(0));
            let pixels = u64::try_from(w)
                .unwrap_or(0)
                .saturating_mul(u64::try_from(h).unwrap_or(0));
            if pixels > limits.max_pixels {
                return Err(PageError::TooLarge(format!("{w} × {h}")));
            }
        }
        let filters = stream.filters().unwrap_or_default();
        if filters.iter().any(|f| *f == b"FlateDecode" || *f == b"Fl") {
            let mut inflated = flate2::read::ZlibDecoder::new(stream.content.as_slice()).take(limits.max_entry + 1);
            let size = std::io::copy(&mut inflated, &mut std::io::sink()).unwrap_or(0);
            if size > limits.max_entry {
                return Err(PageError::TooLarge(format!("> {} MiB", limits.max_entry >> 20)));
            }
        }
    }
    Ok(())
}

/// The drawing itself: the page scaled to fit `max`.
fn draw(bytes: &[u8], max: (u32, u32)) -> Result<RgbaImage, PageError> {
    let pdf = Pdf::new(bytes.to_vec()).map_err(|_| PageError::Unreadable)?;
    let pages = pdf.pages();
    let page = pages.first().ok_or(PageError::NoPages)?;
    let (w, h) = page.render_dimensions();
    let (w, h) = (f64::from(w), f64::from(h));
    if !(w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0) {
        return Err(PageError::NoSize);
    }
    let (width, height) = fit((w, h), max).ok_or(PageError::NoSize)?;
    let scale = f64::from(width) / w;
    let mut ctx = RenderContext::new(width, height);
    let transform = Affine::scale(scale) * page.initial_transform(true).to_kurbo();
    let cache = RenderCache::new();
    hayro::render_into(
        page,
        &cache,
        &InterpreterSettings::default(),
        &RenderSettings::default(),
        &mut ctx,
        transform,
    );
    ctx.flush();
    let mut pixmap = Pixmap::new(width, height);
    ctx.render_with(
        &mut pixmap,
        &mut Resources::default(),
        RasterizerSettings {
            target_init: TargetInit::Clear(WHITE),
            ..Default::default()
        },
    );
    // On an opaque white ground premultiplied and straight alpha are the same.
    RgbaImage::from_raw(u32::from(width), u32::from(height), pixmap.data_as_u8_slice().to_vec())
        .ok_or(PageError::Malformed)
}

/// The pixels (width, height) a page of `size` points is drawn into to fit
/// `max` at its aspect, capped at [`MAX_PAGE_PIXELS`]; `None` when nothing fits.
fn fit(size: (f64, f64), max: (u32, u32)) -> Option<(u16, u16)> {
    let (w, h) = size;
    if max.0 == 0 || max.1 == 0 {
        return None;
    }
    let limit = |m: u32| f64::from(m.min(u32::from(u16::MAX)));
    let mut scale = (limit(max.0) / w).min(limit(max.1) / h);
    let area = w * h * scale * scale;
    if area > MAX_PAGE_PIXELS as f64 {
        scale *= (MAX_PAGE_PIXELS as f64 / area).sqrt();
    }
    let side = |points: f64, m: u32| (points * scale).floor().clamp(1.0, limit(m));
    let (width, height) = (side(w, max.0), side(h, max.1));
    (scale.is_finite() && scale > 0.0).then_some((width as u16, height as u16))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_fits_its_box_at_its_aspect_and_a_huge_one_is_capped() {
        assert_eq!(fit((595.0, 842.0), (300, 400)), Some((282, 400)));
        assert_eq!(fit((842.0, 595.0), (300, 400)), Some((300, 211)));
        // 30,000 × 30,000 points into a large box: the cap, not the claim.
        let (w, h) = fit((30_000.0, 30_000.0), (60_000, 60_000)).unwrap_or((0, 0));
        assert!(u64::from(w) * u64::from(h) <= MAX_PAGE_PIXELS, "{w} × {h}");
        assert_eq!(w, h);
        // A sliver stays at least one pixel.
        assert_eq!(fit((1.0, 100_000.0), (300, 400)), Some((1, 400)));
        assert_eq!(fit((595.0, 842.0), (0, 400)), None);
    }

    #[test]
    fn a_panic_inside_is_caught_and_the_flag_is_cleared() {
        assert!(!panic_is_caught());
        assert_eq!(guarded(panic_is_caught), Some(true));
        let caught: Option<()> = guarded(|| panic!("a hostile PDF"));
        assert_eq!(caught, None);
        assert!(!panic_is_caught());
    }
}
