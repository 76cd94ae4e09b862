//! Page 1 of a PDF drawn for the preview pane (`inspect::render`): the
//! sandbox's PDFs come out at their page's aspect with ink where the page
//! has text; hostile PDFs (objects that loop, a MediaBox of 30,000 points
//! square, a truncated file, garbage, a picture or a stream too large)
//! give an image within the cap or a clear error, never a panic. Random
//! bytes and damaged samples, as properties.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers

mod documents;

use documents::{pdf_of, sample};
use proptest::prelude::*;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use trackline::inspect::render::{MAX_PAGE_PIXELS, PageError, first_page};
use trackline::inspect::{Budget, InspectError, Options};

fn stream(dict: &str, content: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dict} /Length {} >>\nstream\n", content.len()).into_bytes();
    out.extend_from_slice(content);
    out.extend_from_slice(b"\nendstream");
    out
}

/// A one-page PDF of `media_box` with `content` and Helvetica as /F1, and `extra` objects from 5 on.
fn one_page(media_box: &str, content: &[u8], resources: &str, extra: Vec<Vec<u8>>) -> Vec<u8> {
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [{media_box}] /Contents 4 0 R \
             /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> {resources} >> >>"
        )
        .into_bytes(),
        stream("", content),
    ];
    objects.extend(extra);
    pdf_of(&objects)
}

/// The share of pixels that are not (near) white.
fn ink(image: &image::RgbaImage) -> f64 {
    let dark = image.pixels().filter(|p| p.0[..3].iter().any(|&c| c < 200)).count();
    dark as f64 / (f64::from(image.width()) * f64::from(image.height()))
}

/// The width / height of page 1's MediaBox, as lopdf reads it.
fn aspect_of(bytes: &[u8]) -> f64 {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let (_, &page) = doc.get_pages().iter().next().unwrap();
    let media = doc.get_dictionary(page).unwrap().get(b"MediaBox").unwrap();
    let n: Vec<f64> = media
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            o.as_float()
                .map(f64::from)
                .or_else(|_| o.as_i64().map(|i| i as f64))
                .unwrap()
        })
        .collect();
    (n[2] - n[0]) / (n[3] - n[1])
}

#[test]
fn the_sample_pdfs_are_drawn_at_their_aspect_with_ink_where_they_have_text() {
    for name in ["Invoice_001.pdf", "Supplier_Contract.pdf", "Factur-X_2024-0099.pdf"] {
        let bytes = sample(name);
        let page = first_page(&bytes, (300, 400), &Options::default()).unwrap();
        assert!(
            page.width() <= 300 && page.height() <= 400,
            "{name}: {}×{}",
            page.width(),
            page.height()
        );
        assert!(
            page.width() == 300 || page.height() == 400,
            "{name} fills its box on one side"
        );
        let drawn = f64::from(page.width()) / f64::from(page.height());
        let want = aspect_of(&bytes);
        assert!((drawn - want).abs() < 0.01, "{name}: drawn {drawn}, page {want}");
        let share = ink(&page);
        assert!(share > 0.001, "{name}: no ink ({share})");
        assert!(share < 0.5, "{name}: mostly ink ({share})");
        // The top corner is the page's white margin.
        assert_eq!(page.get_pixel(0, 0).0, [255, 255, 255, 255], "{name}");
    }
    // The scan is drawn too (its picture, no text layer).
    let scan = first_page(&sample("Scan_2024-03.pdf"), (300, 400), &Options::default()).unwrap();
    assert!(scan.width() > 0 && scan.height() > 0);
}

#[test]
fn text_drawn_in_a_standard_font_leaves_ink_and_a_blank_page_none() {
    let text = one_page("0 0 595 842", b"BT /F1 48 Tf 72 700 Td (HELLO WORLD) Tj ET", "", vec![]);
    let page = first_page(&text, (595, 842), &Options::default()).unwrap();
    assert_eq!((page.width(), page.height()), (595, 842));
    assert!(ink(&page) > 0.002, "{}", ink(&page));
    let blank = one_page("0 0 595 842", b"", "", vec![]);
    assert_eq!(ink(&first_page(&blank, (595, 842), &Options::default()).unwrap()), 0.0);
}

#[test]
fn a_mediabox_of_thirty_thousand_points_square_is_drawn_within_the_cap() {
    let huge = one_page(
        "0 0 30000 30000",
        b"BT /F1 3000 Tf 1000 20000 Td (BIG) Tj ET",
        "",
        vec![],
    );
    let page = first_page(&huge, (u32::MAX, u32::MAX), &Options::default()).unwrap();
    assert!(u64::from(page.width()) * u64::from(page.height()) <= MAX_PAGE_PIXELS);
    assert_eq!(page.width(), page.height());
}

#[test]
fn objects_that_loop_truncated_files_and_garbage_give_an_error_or_a_page() {
    // A page tree that lists itself and contents that refer to themselves.
    let looping = pdf_of(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [2 0 R 3 0 R 2 0 R] /Count 3 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources 5 0 R >>".to_vec(),
        b"4 0 R".to_vec(),
        b"<< /XObject << /X 6 0 R >> >>".to_vec(),
        stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources 5 0 R",
            b"/X Do",
        ),
    ]);
    let _ = first_page(&looping, (300, 400), &Options::default());
    // A form that draws itself forever.
    let recursive = one_page(
        "0 0 595 842",
        b"/X Do",
        "/XObject << /X 5 0 R >>",
        vec![stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /X 5 0 R >> >>",
            b"0 0 10 10 re f /X Do",
        )],
    );
    let _ = first_page(&recursive, (300, 400), &Options::default());
    let invoice = sample("Invoice_001.pdf");
    for cut in [10, invoice.len() / 3, invoice.len() / 2, invoice.len() - 40] {
        let _ = first_page(&invoice[..cut], (300, 400), &Options::default());
    }
    let garbage: Vec<u8> = (0..5000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert!(matches!(
        first_page(&garbage, (300, 400), &Options::default()),
        Err(PageError::Unreadable)
    ));
    assert!(first_page(b"%PDF-1.7\n", (300, 400), &Options::default()).is_err());
}

#[test]
fn a_picture_claiming_thirty_thousand_squared_pixels_or_an_inflation_bomb_is_refused() {
    let claimed = one_page(
        "0 0 595 842",
        b"q 500 0 0 500 0 0 cm /Im Do Q",
        "/XObject << /Im 5 0 R >>",
        vec![stream(
            "/Type /XObject /Subtype /Image /Width 30000 /Height 30000 /ColorSpace /DeviceGray /BitsPerComponent 8",
            &[0u8; 64],
        )],
    );
    let error = first_page(&claimed, (300, 400), &Options::default()).unwrap_err();
    assert!(
        matches!(&error, PageError::TooLarge(what) if what == "30000 × 30000"),
        "{error}"
    );

    let mut bomb = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..40 {
        bomb.write_all(&zeros).unwrap();
    }
    let bomb = one_page(
        "0 0 595 842",
        b"",
        "/XObject << /Im 5 0 R >>",
        vec![stream("/Filter /FlateDecode", &bomb.finish().unwrap())],
    );
    assert!(matches!(
        first_page(&bomb, (300, 400), &Options::default()),
        Err(PageError::TooLarge(_))
    ));
}

#[test]
fn a_cancelled_budget_draws_nothing() {
    let options = Options {
        budget: Budget::default().with_cancel(Arc::new(AtomicBool::new(true))),
        ..Options::default()
    };
    assert!(matches!(
        first_page(&sample("Invoice_001.pdf"), (300, 400), &options),
        Err(PageError::Stopped(InspectError::Cancelled))
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_bytes_behind_the_pdf_magic_draw_or_fail_cleanly(tail in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let bytes = [&b"%PDF-1.7\n"[..], &tail].concat();
        if let Ok(page) = first_page(&bytes, (200, 200), &Options::default()) {
            prop_assert!(page.width() <= 200 && page.height() <= 200);
        }
    }

    #[test]
    fn a_damaged_sample_draws_or_fails_cleanly(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..24),
    ) {
        let mut bytes = sample("Invoice_001.pdf");
        for (at, byte) in flips {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        if let Ok(page) = first_page(&bytes, (200, 200), &Options::default()) {
            prop_assert!(page.width() <= 200 && page.height() <= 200);
        }
    }
}
