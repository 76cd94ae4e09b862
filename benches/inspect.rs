//! Criterion benches of `inspect`: the e-invoice summary of a 5 MB UBL
//! invoice (many lines), and the summary of a 20 MB PDF (200 pages, each
//! with text and a 100 KB picture), and page 1 of the sample PDFs and of
//! that 20 MB PDF drawn into 600 × 800 pixels for the preview pane.
//!
//! Run: `cargo bench --bench inspect` (or `scripts/bench --only criterion`).
#![allow(clippy::expect_used)] // a bench that cannot set up has nothing to measure

#[path = "../tests/documents/mod.rs"]
mod documents;

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use trackline::inspect::{Options, inspect_bytes, invoice, render};

/// A UBL invoice of about `target` bytes: lines of 1 × 10.00 at 19 %.
fn big_invoice(target: usize) -> Vec<u8> {
    let line = |n: usize| {
        format!(
            "<cac:InvoiceLine><cbc:ID>{n}</cbc:ID><cbc:InvoicedQuantity unitCode=\"C62\">1</cbc:InvoicedQuantity>\
             <cbc:LineExtensionAmount currencyID=\"EUR\">10.00</cbc:LineExtensionAmount>\
             <cac:Item><cbc:Name>Item number {n} of the benchmark invoice</cbc:Name>\
             <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent>\
             <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>\
             <cac:Price><cbc:PriceAmount currencyID=\"EUR\">10.00</cbc:PriceAmount></cac:Price></cac:InvoiceLine>\n"
        )
    };
    let count = target / line(100_000).len();
    let net = count as u64 * 1000;
    let tax = (net * 19 + 50) / 100;
    let money = |cents: u64| format!("{}.{:02}", cents / 100, cents % 100);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\" \
         xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\" \
         xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">\n\
         <cbc:ID>BENCH-1</cbc:ID><cbc:IssueDate>2024-01-31</cbc:IssueDate><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>\n\
         <cac:TaxTotal><cbc:TaxAmount currencyID=\"EUR\">{tax}</cbc:TaxAmount><cac:TaxSubtotal>\
         <cbc:TaxableAmount currencyID=\"EUR\">{net}</cbc:TaxableAmount><cbc:TaxAmount currencyID=\"EUR\">{tax}</cbc:TaxAmount>\
         <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>19</cbc:Percent></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>\n\
         <cac:LegalMonetaryTotal><cbc:LineExtensionAmount>{net}</cbc:LineExtensionAmount>\
         <cbc:TaxExclusiveAmount>{net}</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount>{grand}</cbc:TaxInclusiveAmount>\
         <cbc:PayableAmount>{grand}</cbc:PayableAmount></cac:LegalMonetaryTotal>\n",
        tax = money(tax),
        net = money(net),
        grand = money(net + tax),
    );
    for n in 1..=count {
        xml.push_str(&line(n));
    }
    xml.push_str("</Invoice>\n");
    xml.into_bytes()
}

/// A PDF of `pages` pages, each with a line of text and a `picture`-byte picture stream.
fn big_pdf(pages: usize, picture: usize) -> Vec<u8> {
    let mut objects: Vec<Vec<u8>> = vec![Vec::new(), Vec::new()];
    let mut kids = Vec::new();
    let mut state: u32 = 0x1234_5678;
    for page in 0..pages {
        let first = objects.len() + 1;
        let text = format!(
            "BT /F1 12 Tf 72 720 Td (Page {} of the benchmark PDF) Tj ET q 400 0 0 300 72 300 cm /Im1 Do Q",
            page + 1
        );
        let pixels: Vec<u8> = (0..picture)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state as u8
            })
            .collect();
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 {} 0 R >> /XObject << /Im1 {} 0 R >> >> /Contents {} 0 R >>",
                first + 1,
                first + 2,
                first + 3
            )
            .into_bytes(),
        );
        objects.push(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec());
        let mut image = format!(
            "<< /Type /XObject /Subtype /Image /Width {} /Height 100 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length {} >>\nstream\n",
            picture / 100,
            pixels.len()
        )
        .into_bytes();
        image.extend_from_slice(&pixels);
        image.extend_from_slice(b"\nendstream");
        objects.push(image);
        objects.push(format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()).into_bytes());
        kids.push(format!("{first} 0 R"));
    }
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>".to_vec();
    objects[1] = format!("<< /Type /Pages /Kids [{}] /Count {pages} >>", kids.join(" ")).into_bytes();
    documents::pdf_of(&objects)
}

fn invoice_summary(c: &mut Criterion) {
    let xml = big_invoice(5 << 20);
    let options = Options::default();
    let report = inspect_bytes(&xml, &options).expect("the bench invoice reads");
    let invoice = report.invoice.expect("an invoice");
    assert!(invoice.checks.iter().all(|c| c.ok), "{:?}", invoice.checks);
    eprintln!("inspect/invoice_5mb: {} bytes, {} lines", xml.len(), invoice.lines);
    let mut group = c.benchmark_group("inspect");
    group.sample_size(10);
    group.bench_function("invoice_5mb_summary", |b| {
        b.iter(|| invoice::from_xml_bytes(black_box(&xml), &options))
    });
    group.bench_function("invoice_5mb", |b| b.iter(|| inspect_bytes(black_box(&xml), &options)));
    group.finish();
}

fn pdf_summary(c: &mut Criterion) {
    let pdf = big_pdf(200, 100_000);
    let options = Options::default();
    let report = inspect_bytes(&pdf, &options).expect("the bench PDF reads");
    assert_eq!(report.pdf.as_ref().map(|p| p.pages), Some(200));
    eprintln!("inspect/pdf_20mb: {} bytes, 200 pages", pdf.len());
    c.benchmark_group("inspect")
        .sample_size(10)
        .bench_function("pdf_20mb", |b| b.iter(|| inspect_bytes(black_box(&pdf), &options)));
}

fn pdf_page(c: &mut Criterion) {
    let options = Options::default();
    let mut group = c.benchmark_group("pdf_page");
    group.sample_size(10);
    for name in [
        "Invoice_001.pdf",
        "Supplier_Contract.pdf",
        "Factur-X_2024-0099.pdf",
        "Scan_2024-03.pdf",
    ] {
        let bytes = documents::sample(name);
        render::first_page(&bytes, (600, 800), &options).expect("the sample draws");
        group.bench_function(name, |b| {
            b.iter(|| render::first_page(black_box(&bytes), (600, 800), &options))
        });
    }
    let pdf = big_pdf(200, 100_000);
    render::first_page(&pdf, (600, 800), &options).expect("the bench PDF draws");
    group.bench_function("pdf_20mb", |b| {
        b.iter(|| render::first_page(black_box(&pdf), (600, 800), &options))
    });
    group.finish();
}

criterion_group!(benches, invoice_summary, pdf_summary, pdf_page);
criterion_main!(benches);
