//! Hostile documents get a summary or a clear error, never a hang, a crash
//! or a flood of memory: an archive bomb, an entry that lies about its size,
//! an XML entity bomb, deep nesting, a PDF whose objects loop, a picture
//! that claims 30,000 × 30,000 pixels. And the budget: a cancelled or spent
//! inspection stops. Properties of each reader, over random input.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers

mod documents;

use documents::{claimed_png, sample};
use proptest::prelude::*;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;
use trackline::inspect::{Body, Budget, InspectError, Kind, Options, archive, image, inspect_bytes};

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            zip.start_file(*name, options).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap();
    }
    buf.into_inner()
}

fn lines(body: &Body) -> usize {
    match body {
        Body::Empty => 0,
        Body::Lines(lines) => lines.len(),
        Body::Table(rows) => rows.len(),
    }
}

#[test]
fn an_archive_bomb_is_listed_but_never_unpacked() {
    let zeros = vec![0u8; 40 << 20];
    let bomb = zip_of(&[("zeros.bin", &zeros)]);
    assert!(bomb.len() < 200 << 10, "the bomb packs small: {}", bomb.len());
    let options = Options::default();
    let report = inspect_bytes(&bomb, &options).unwrap();
    assert_eq!(report.kind, Kind::Archive);
    let entries = &report.archive.as_ref().unwrap().entries;
    assert_eq!(entries[0].bytes, 40 << 20);
    assert!(
        report.warnings.iter().any(|w| w.contains("archive bomb")),
        "{:?}",
        report.warnings
    );
    let refused = archive::read_entry(&bomb, 0, &options).unwrap_err();
    assert!(refused.to_string().contains("MiB"), "{refused}");
}

#[test]
fn an_entry_that_unpacks_to_more_than_it_claims_is_refused() {
    let data = vec![b'a'; 64 << 10];
    let mut zip = zip_of(&[("a.txt", &data)]);
    let claimed = 1000u32.to_le_bytes();
    for (signature, offset) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
        let at = zip.windows(4).position(|w| w == signature).unwrap();
        zip[at + offset..at + offset + 4].copy_from_slice(&claimed);
    }
    let error = archive::read_entry(&zip, 0, &Options::default()).unwrap_err();
    assert!(matches!(error, InspectError::Refused(_)), "{error}");
}

#[test]
fn nested_archives_open_at_most_three_deep() {
    let options = Options::default();
    let outer = sample("E-Invoices_2024.zip");
    let inner = archive::inspect_entry(&outer, 2, &options, 0).unwrap();
    assert_eq!(inner.kind, Kind::Archive);
    let bytes = archive::read_entry(&outer, 2, &options).unwrap();
    let cfdi = archive::inspect_entry(&bytes, 0, &options, 1).unwrap();
    assert_eq!(cfdi.kind, Kind::Invoice);
    assert_eq!(cfdi.invoice.unwrap().number.as_deref(), Some("1234"));
    let too_deep = archive::inspect_entry(&bytes, 0, &options, 3).unwrap_err();
    assert!(too_deep.to_string().contains("more than 3 deep"), "{too_deep}");
}

#[test]
fn an_xml_entity_bomb_is_refused_without_expanding_anything() {
    let mut bomb = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let previous = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        bomb.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">\n",
            format!("&{previous};").repeat(10)
        ));
    }
    bomb.push_str("]>\n<lolz>&lol9;</lolz>\n");
    let report = inspect_bytes(bomb.as_bytes(), &Options::default()).unwrap();
    assert_eq!(report.kind, Kind::Xml);
    assert!(
        report.warnings.iter().any(|w| w.contains("DTD")),
        "{:?}",
        report.warnings
    );
    assert!(lines(&report.body) < 20);
}

#[test]
fn deep_nesting_is_cut_at_its_cap() {
    let depth = 100_000;
    let xml = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
    let options = Options::default();
    let report = inspect_bytes(xml.as_bytes(), &options).unwrap();
    assert_eq!(report.kind, Kind::Xml);
    assert!(
        report.warnings.iter().any(|w| w.contains("deeper than 4096")),
        "{:?}",
        report.warnings
    );
    let shallow = format!("{}{}", "<a>".repeat(300), "</a>".repeat(300));
    let report = inspect_bytes(shallow.as_bytes(), &options).unwrap();
    assert!(
        report.warnings.iter().any(|w| w.contains("nested deeper than 256")),
        "{:?}",
        report.warnings
    );
    let json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let report = inspect_bytes(json.as_bytes(), &options).unwrap();
    assert_eq!(report.kind, Kind::Json);
    assert!(
        report.warnings.iter().any(|w| w.contains("nested too deeply")),
        "{:?}",
        report.warnings
    );
}

/// A PDF whose page tree lists itself, whose page's contents refer to
/// themselves, and whose name tree loops.
fn looping_pdf() -> Vec<u8> {
    let objects: [&[u8]; 5] = [
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 5 0 R >> >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R 2 0 R] /Count 3 >>",
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
        b"4 0 R",
        b"<< /Kids [5 0 R] >>",
    ];
    documents::pdf_whose_xref_loops(&objects.map(<[u8]>::to_vec))
}

#[test]
fn a_pdf_whose_objects_loop_is_summarised() {
    let report = inspect_bytes(&looping_pdf(), &Options::default()).unwrap();
    assert_eq!(report.kind, Kind::Pdf);
    let pdf = report.pdf.expect("a summary");
    assert_eq!(pdf.pages, 1);
    assert!(
        report.warnings.iter().any(|w| w.contains("refers back to itself")),
        "{:?}",
        report.warnings
    );
}

#[test]
fn a_picture_claiming_thirty_thousand_squared_pixels_is_summarised_never_decoded() {
    let png = claimed_png(30_000, 30_000);
    let options = Options::default();
    let report = inspect_bytes(&png, &options).unwrap();
    let summary = report.image.expect("the header is read");
    assert_eq!((summary.width, summary.height), (30_000, 30_000));
    assert!(
        report.warnings.iter().any(|w| w.contains("megapixels")),
        "{:?}",
        report.warnings
    );
    let refused = image::upright(&png, &options, 1 << 20).unwrap_err();
    assert!(matches!(refused, InspectError::Refused(_)), "{refused}");
}

#[test]
fn a_receipt_photo_is_turned_upright_and_bounded() {
    let options = Options::default();
    let picture = image::upright(&sample("Receipt_Rotated.jpg"), &options, 1 << 20).unwrap();
    assert_eq!((picture.width(), picture.height()), (200, 320));
    let small = image::upright(&sample("Receipt_Photo.jpg"), &options, 6_400).unwrap();
    assert!(u64::from(small.width()) * u64::from(small.height()) <= 6_400);
    assert!(small.width() > small.height(), "the aspect is kept");
}

#[test]
fn a_cancelled_or_spent_budget_stops_the_work() {
    let flag = Arc::new(AtomicBool::new(true));
    let cancelled = Options {
        budget: Budget::default().with_cancel(flag),
        ..Options::default()
    };
    let pdf = sample("Invoice_001.pdf");
    assert!(matches!(inspect_bytes(&pdf, &cancelled), Err(InspectError::Cancelled)));
    let spent = Options {
        budget: Budget::within(Duration::ZERO),
        ..Options::default()
    };
    assert!(matches!(
        inspect_bytes(&pdf, &spent),
        Err(InspectError::OutOfTime { .. })
    ));
}

#[test]
fn a_file_larger_than_the_input_cap_gets_its_type_only() {
    let options = Options {
        limits: trackline::inspect::Limits {
            max_input: 1024,
            ..Default::default()
        },
        ..Options::default()
    };
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("big.pdf");
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.resize(10_000, b' ');
    std::fs::write(&path, &bytes).unwrap();
    let report = trackline::inspect::inspect_file(&path, &options).unwrap();
    assert_eq!(report.bytes, 10_000);
    assert_eq!(report.media_type, "application/pdf");
    assert!(
        report.warnings[0].contains("only its type is shown"),
        "{:?}",
        report.warnings
    );
}

/// A UBL invoice of `lines` (quantity, price in cents) at 19 %, its totals computed.
fn ubl(lines: &[(u32, u32)]) -> String {
    let amounts: Vec<i64> = lines.iter().map(|(q, p)| i64::from(*q) * i64::from(*p)).collect();
    let net: i64 = amounts.iter().sum();
    let tax = (net * 19 + 50) / 100;
    let money = |cents: i64| format!("{}.{:02}", cents / 100, cents % 100);
    let mut xml = String::from(
        r#"<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>P-1</cbc:ID><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>"#,
    );
    xml.push_str(&format!(
        "<cac:TaxTotal><cbc:TaxAmount>{}</cbc:TaxAmount><cac:TaxSubtotal><cbc:TaxableAmount>{}</cbc:TaxableAmount><cbc:TaxAmount>{}</cbc:TaxAmount><cac:TaxCategory><cbc:Percent>19</cbc:Percent></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>",
        money(tax), money(net), money(tax)
    ));
    xml.push_str(&format!(
        "<cac:LegalMonetaryTotal><cbc:LineExtensionAmount>{0}</cbc:LineExtensionAmount><cbc:TaxExclusiveAmount>{0}</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount>{1}</cbc:TaxInclusiveAmount><cbc:PayableAmount>{1}</cbc:PayableAmount></cac:LegalMonetaryTotal>",
        money(net), money(net + tax)
    ));
    for ((quantity, price), amount) in lines.iter().zip(&amounts) {
        xml.push_str(&format!(
            "<cac:InvoiceLine><cbc:InvoicedQuantity>{quantity}</cbc:InvoicedQuantity><cbc:LineExtensionAmount>{}</cbc:LineExtensionAmount><cac:Item><cbc:Name>x</cbc:Name></cac:Item><cac:Price><cbc:PriceAmount>{}</cbc:PriceAmount></cac:Price></cac:InvoiceLine>",
            money(*amount), money(i64::from(*price))
        ));
    }
    xml.push_str("</Invoice>");
    xml
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_bytes_get_a_bounded_summary(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let options = Options::default();
        let report = inspect_bytes(&bytes, &options).unwrap();
        prop_assert_eq!(report.bytes, bytes.len() as u64);
        prop_assert!(lines(&report.body) <= options.limits.max_lines + 1);
    }

    #[test]
    fn any_bytes_behind_a_magic_number_get_a_summary(
        magic in prop::sample::select(vec![&b"%PDF-1.7\n"[..], b"PK\x03\x04", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"GIF89a", b"<?xml version=\"1.0\"?>"]),
        tail in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let bytes = [magic, &tail].concat();
        let report = inspect_bytes(&bytes, &Options::default()).unwrap();
        prop_assert!(report.warnings.len() <= 64);
    }

    #[test]
    fn a_generated_invoice_reads_back_and_adds_up(lines in proptest::collection::vec((1u32..1000, 1u32..1_000_000), 1..40)) {
        let xml = ubl(&lines);
        let report = inspect_bytes(xml.as_bytes(), &Options::default()).unwrap();
        let invoice = report.invoice.expect("an invoice");
        prop_assert_eq!(invoice.lines, lines.len());
        prop_assert!(invoice.checks.iter().all(|c| c.ok), "{:?}", invoice.checks);
        prop_assert!(invoice.checks.len() >= 5);
    }

    #[test]
    fn archive_entries_read_back_as_written(entries in proptest::collection::vec(("[a-z]{1,12}\\.txt", proptest::collection::vec(any::<u8>(), 0..512)), 1..8)) {
        let mut unique = entries.clone();
        unique.sort_by(|a, b| a.0.cmp(&b.0));
        unique.dedup_by(|a, b| a.0 == b.0);
        let borrowed: Vec<(&str, &[u8])> = unique.iter().map(|(n, d)| (n.as_str(), d.as_slice())).collect();
        let zip = zip_of(&borrowed);
        let options = Options::default();
        let report = inspect_bytes(&zip, &options).unwrap();
        let listed = report.archive.expect("entries").entries;
        prop_assert_eq!(listed.len(), unique.len());
        for (index, ((name, data), entry)) in unique.iter().zip(&listed).enumerate() {
            prop_assert_eq!(&entry.name, name);
            prop_assert_eq!(entry.bytes, data.len() as u64);
            prop_assert_eq!(&archive::read_entry(&zip, index, &options).unwrap(), data);
        }
    }
}
