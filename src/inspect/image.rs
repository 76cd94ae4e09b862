//! Pictures (JPEG, PNG, GIF, WebP): their size and EXIF orientation from the
//! header alone, and the picture decoded, turned upright and bounded in
//! pixels for a front end to draw. A picture that claims more pixels than
//! [`Limits::max_pixels`](super::Limits) is summarised, never decoded.

use super::report::{Kind, Report};
use super::{InspectError, Options};
use crate::i18n::message;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use serde::Serialize;
use std::io::Cursor;

/// A picture's header (SPEC.md's `image` object).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageSummary {
    /// Width in pixels, as stored (before turning it upright).
    pub width: u32,
    /// Height in pixels, as stored.
    pub height: u32,
    /// `JPEG`, `PNG`, `GIF` or `WebP`.
    pub format: String,
    /// The EXIF orientation, 1 (upright) to 8; 1 when the file has none.
    pub orientation: u8,
}

/// Summarises a picture from its header.
pub(crate) fn inspect(bytes: &[u8], options: &Options, report: &mut Report) -> Result<(), InspectError> {
    report.kind = Kind::Image;
    match header(bytes) {
        Ok(summary) => {
            let pixels = u64::from(summary.width) * u64::from(summary.height);
            if pixels > options.limits.max_pixels {
                report.warnings.push(crate::i18n::message!(
                    "inspect-warn-picture-large",
                    width = summary.width,
                    height = summary.height,
                    limit = options.limits.max_pixels / 1_000_000
                ));
            }
            report.image = Some(summary);
        }
        Err(why) => report.warnings.push(crate::i18n::message!(
            "inspect-warn-picture-unreadable",
            error = why.to_string()
        )),
    }
    Ok(())
}

fn reader(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, String> {
    ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())
}

fn format_name(format: Option<ImageFormat>) -> String {
    match format {
        Some(ImageFormat::Jpeg) => "JPEG".to_owned(),
        Some(ImageFormat::Png) => "PNG".to_owned(),
        Some(ImageFormat::Gif) => "GIF".to_owned(),
        Some(ImageFormat::WebP) => "WebP".to_owned(),
        Some(other) => format!("{other:?}"),
        None => "unknown".to_owned(),
    }
}

/// The size, format and orientation, from the header alone.
pub fn header(bytes: &[u8]) -> Result<ImageSummary, String> {
    let mut reader = reader(bytes)?;
    // Only the header is read here; the pixel cap is ours, in `upright`.
    reader.no_limits();
    let format = format_name(reader.format());
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let (width, height) = decoder.dimensions();
    let orientation = decoder.orientation().map(orientation_number).unwrap_or(1);
    Ok(ImageSummary {
        width,
        height,
        format,
        orientation,
    })
}

fn orientation_number(orientation: image::metadata::Orientation) -> u8 {
    use image::metadata::Orientation as O;
    match orientation {
        O::NoTransforms => 1,
        O::FlipHorizontal => 2,
        O::Rotate180 => 3,
        O::FlipVertical => 4,
        O::Rotate90FlipH => 5,
        O::Rotate90 => 6,
        O::Rotate270FlipH => 7,
        O::Rotate270 => 8,
    }
}

/// The picture decoded (its first frame), turned upright by its EXIF
/// orientation, and scaled down to at most `max_out_pixels` pixels, for a
/// front end to draw. Refused when the file claims more than the limit.
pub fn upright(bytes: &[u8], options: &Options, max_out_pixels: u64) -> Result<DynamicImage, InspectError> {
    let unreadable = |why: String| InspectError::Refused(message!("inspect-warn-picture-unreadable", error = why));
    let undecodable =
        |e: image::ImageError| InspectError::Refused(message!("inspect-refused-picture-decode", error = e.to_string()));
    let summary = header(bytes).map_err(unreadable)?;
    let pixels = u64::from(summary.width) * u64::from(summary.height);
    let max = options.limits.max_pixels;
    if pixels > max {
        return Err(InspectError::Refused(message!(
            "inspect-warn-picture-large",
            width = summary.width,
            height = summary.height,
            limit = max / 1_000_000
        )));
    }
    options.budget.check()?;
    let mut reader = reader(bytes).map_err(unreadable)?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(max.saturating_mul(4).saturating_add(16 << 20));
    limits.max_image_width = Some(summary.width);
    limits.max_image_height = Some(summary.height);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(undecodable)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(undecodable)?;
    options.budget.check()?;
    let (w, h) = (u64::from(picture.width()), u64::from(picture.height()));
    if w * h > max_out_pixels.max(1) {
        let scale = (max_out_pixels as f64 / (w * h) as f64).sqrt();
        let new_w = ((w as f64 * scale) as u32).max(1);
        let new_h = ((h as f64 * scale) as u32).max(1);
        picture = picture.thumbnail(new_w, new_h);
    }
    picture.apply_orientation(orientation);
    Ok(picture)
}
