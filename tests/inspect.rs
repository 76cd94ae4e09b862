//! `trackline inspect` end to end: the real binary against the real sandbox
//! for attachments, and the sample files on disk; every sample e-invoice's
//! figures and checks, every other kind's summary, the cache, exit codes,
//! the JSON's keys and the human output's width.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers

mod common;

use common::{Rig, bare_cmd};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/sandbox/files")
        .join(name)
}

fn inspect_json(cmd: &mut assert_cmd::Command) -> Value {
    let output = cmd.arg("--json").output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "one JSON object on one line: {text}");
    serde_json::from_str(&text).unwrap()
}

fn inspect_file(name: &str) -> Value {
    let home = tempfile::TempDir::new().unwrap();
    inspect_json(bare_cmd(home.path()).arg("inspect").arg("--file").arg(sample(name)))
}

/// What a sample invoice must say: format, type, number, net, tax, total, payable, and its rates.
struct Expected {
    doc_id: &'static str,
    format: &'static str,
    credit: bool,
    number: &'static str,
    totals: [&'static str; 4],
    taxes: &'static [(&'static str, &'static str, &'static str)],
    lines: u64,
}

const INVOICES: &[Expected] = &[
    Expected {
        doc_id: "15101",
        format: "UBL",
        credit: false,
        number: "INV-2024-101",
        totals: ["804.60", "137.87", "942.47", "842.47"],
        taxes: &[("19", "679.60", "129.12"), ("7", "125.00", "8.75")],
        lines: 3,
    },
    Expected {
        doc_id: "15102",
        format: "UBL",
        credit: true,
        number: "CN-2024-007",
        totals: ["149.90", "28.48", "178.38", "178.38"],
        taxes: &[("19", "149.90", "28.48")],
        lines: 1,
    },
    Expected {
        doc_id: "15103",
        format: "CII",
        credit: false,
        number: "2024-0815",
        totals: ["1049.70", "190.48", "1240.18", "1240.18"],
        taxes: &[("19", "975.00", "185.25"), ("7", "74.70", "5.23")],
        lines: 2,
    },
    Expected {
        doc_id: "15104",
        format: "CII",
        credit: false,
        number: "2024-0099",
        totals: ["250.00", "50.00", "300.00", "300.00"],
        taxes: &[("20", "250.00", "50.00")],
        lines: 1,
    },
    Expected {
        doc_id: "15105",
        format: "Facturae",
        credit: false,
        number: "2024-017",
        totals: ["850.00", "178.50", "901.00", "901.00"],
        taxes: &[("21", "850.00", "178.50")],
        lines: 2,
    },
    Expected {
        doc_id: "15106",
        format: "Facturae",
        credit: true,
        number: "R-2024-003",
        totals: ["-75.00", "-14.10", "-89.10", "-89.10"],
        taxes: &[("21", "-60.00", "-12.60"), ("10", "-15.00", "-1.50")],
        lines: 2,
    },
    Expected {
        doc_id: "15107",
        format: "CFDI",
        credit: false,
        number: "1234",
        totals: ["12250.00", "1960.00", "12985.00", "12985.00"],
        taxes: &[("16", "12250.00", "1960.00")],
        lines: 2,
    },
    Expected {
        doc_id: "15108",
        format: "CFDI",
        credit: true,
        number: "88",
        totals: ["300.00", "48.00", "348.00", "348.00"],
        taxes: &[("16", "300.00", "48.00")],
        lines: 1,
    },
    Expected {
        doc_id: "15109",
        format: "FatturaPA",
        credit: false,
        number: "2024/042",
        totals: ["650.00", "137.00", "787.00", "667.00"],
        taxes: &[("22", "600.00", "132.00"), ("10", "50.00", "5.00")],
        lines: 2,
    },
];

#[test]
fn every_sample_e_invoice_says_its_figures_and_adds_up() {
    let rig = Rig::new();
    rig.login();
    for expected in INVOICES {
        let report = inspect_json(rig.cmd().args(["inspect", expected.doc_id]));
        assert_eq!(report["kind"], "invoice", "{}", expected.doc_id);
        let invoice = &report["invoice"];
        let id = expected.doc_id;
        assert_eq!(invoice["format"], expected.format, "{id}");
        let document_type = if expected.credit { "credit_note" } else { "invoice" };
        assert_eq!(invoice["document_type"], document_type, "{id}");
        assert_eq!(invoice["number"], expected.number, "{id}");
        let keys = ["net_total", "tax_total", "grand_total", "payable"];
        for (key, value) in keys.iter().zip(expected.totals) {
            assert_eq!(invoice[key], value, "{id} {key}");
        }
        let taxes: Vec<(String, String, String)> = invoice["taxes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let s = |k: &str| t[k].as_str().unwrap().to_owned();
                (s("rate"), s("base"), s("amount"))
            })
            .collect();
        let want: Vec<(String, String, String)> = expected
            .taxes
            .iter()
            .map(|(r, b, a)| (r.to_string(), b.to_string(), a.to_string()))
            .collect();
        assert_eq!(taxes, want, "{id}");
        assert_eq!(invoice["lines"], expected.lines, "{id}");
        let checks = invoice["checks"].as_array().unwrap();
        assert!(checks.len() >= 5, "{id}: {checks:?}");
        for check in checks {
            assert_eq!(check["ok"], true, "{id}: {check}");
        }
    }
}

#[test]
fn withholdings_signatures_and_profiles_are_reported() {
    let facturae = inspect_file("Facturae_A-2024-017_signed.xml");
    let invoice = &facturae["invoice"];
    assert_eq!(invoice["withheld_total"], "127.50");
    assert_eq!(invoice["withholdings"][0]["rate"], "15");
    assert_eq!(invoice["withholdings"][0]["category"], "IRPF");
    assert_eq!(invoice["signed"], true);
    assert_eq!(invoice["profile"], "3.2.2");
    assert_eq!(invoice["seller"]["name"], "María García López");
    assert_eq!(invoice["due_date"], "2024-04-30");
    let latin1 = inspect_file("Facturae_R-2024-003.xml");
    assert_eq!(latin1["invoice"]["seller"]["name"], "Papelería Muñoz S.L.");
    let cfdi = inspect_file("CFDI40_F-1234.xml");
    assert_eq!(cfdi["invoice"]["signed"], true);
    assert_eq!(cfdi["invoice"]["withheld_total"], "1225.00");
    assert_eq!(cfdi["invoice"]["buyer"]["tax_id"], "URE180429TM6");
    let peppol = inspect_file("Peppol_INV-2024-101.xml");
    assert_eq!(
        peppol["invoice"]["profile"],
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    );
    assert_eq!(peppol["invoice"]["seller"]["tax_id"], "DE123456789");
    assert_eq!(peppol["invoice"]["issue_date"], "2024-03-05");
    assert_eq!(peppol["invoice"]["line_items"][0]["description"], "Office chair Ergo 2");
    assert_eq!(peppol["invoice"]["line_items"][0]["quantity"], "4.00");
}

#[test]
fn a_factur_x_pdf_is_read_as_its_embedded_invoice() {
    let report = inspect_file("Factur-X_2024-0099.pdf");
    assert_eq!(report["kind"], "invoice");
    assert_eq!(report["media_type"], "application/pdf");
    assert_eq!(report["pdf"]["embedded"], serde_json::json!(["factur-x.xml"]));
    assert_eq!(report["pdf"]["pages"], 1);
    assert_eq!(report["pdf"]["title"], "Invoice 2024-0099");
    assert_eq!(report["invoice"]["profile"], "urn:cen.eu:en16931:2017");
    assert_eq!(report["invoice"]["seller"]["name"], "Atelier Lumière SARL");
}

#[test]
fn every_other_kind_gets_its_summary() {
    let pdf = inspect_file("Invoice_001.pdf");
    assert_eq!(pdf["kind"], "pdf");
    assert!(
        pdf["pdf"]["text"].as_str().unwrap().contains("Total due: 1,234.56 EUR"),
        "{pdf}"
    );
    let scan = inspect_file("Scan_2024-03.pdf");
    assert_eq!(scan["pdf"]["text"], "");
    assert_eq!(scan["pdf"]["producer"], "Scanner 3000");
    assert!(scan["warnings"].to_string().contains("no text layer: a scan"));
    for (name, format, width, height, orientation) in [
        ("Receipt_Photo.jpg", "JPEG", 320, 200, 1),
        ("Receipt_Rotated.jpg", "JPEG", 320, 200, 6),
        ("Logo.png", "PNG", 4, 3, 1),
        ("Stamp.gif", "GIF", 3, 2, 1),
        ("Badge.webp", "WebP", 1, 1, 1),
    ] {
        let image = inspect_file(name);
        assert_eq!(image["kind"], "image", "{name}");
        let expected =
            serde_json::json!({"width": width, "height": height, "format": format, "orientation": orientation});
        assert_eq!(image["image"], expected, "{name}");
    }
    let archive = inspect_file("E-Invoices_2024.zip");
    assert_eq!(archive["kind"], "archive");
    let entries = archive["archive"]["entries"].as_array().unwrap();
    let names: Vec<&str> = entries.iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "invoices/Peppol_INV-2024-101.xml",
            "invoices/FatturaPA_IT01234567890_00042.xml",
            "mexico.zip",
            "README.txt"
        ]
    );
    assert_eq!(entries[0]["bytes"], 5642);
    assert!(entries[0]["compressed_bytes"].as_u64().unwrap() < 5642);
    for (name, kind, media_type) in [
        ("orders.csv", "csv", "text/csv"),
        ("webhook.json", "json", "application/json"),
        ("notes_utf16.txt", "text", "text/plain"),
        ("carta_latin1.txt", "text", "text/plain"),
        ("notes.txt", "text", "text/plain"),
    ] {
        let report = inspect_file(name);
        assert_eq!(
            (report["kind"].as_str(), report["media_type"].as_str()),
            (Some(kind), Some(media_type)),
            "{name}"
        );
    }
}

#[test]
fn json_has_every_key_and_null_for_what_a_document_lacks() {
    let report = inspect_file("orders.csv");
    let object = report.as_object().unwrap();
    for key in [
        "kind",
        "media_type",
        "bytes",
        "sha256",
        "warnings",
        "invoice",
        "pdf",
        "image",
        "archive",
    ] {
        assert!(object.contains_key(key), "{key} missing: {report}");
    }
    for key in ["invoice", "pdf", "image", "archive"] {
        assert!(report[key].is_null(), "{key}");
    }
    assert_eq!(report["bytes"], std::fs::metadata(sample("orders.csv")).unwrap().len());
    assert_eq!(report["sha256"], common::sha256_file(&sample("orders.csv")));
    let ubl = inspect_file("XRechnung_2024_0042.xml");
    assert!(ubl["invoice"]["buyer"]["tax_id"].is_null());
    assert!(ubl["invoice"].as_object().unwrap().contains_key("due_date"));
}

#[test]
fn human_output_is_readable_at_80_columns_and_names_the_figures() {
    let home = tempfile::TempDir::new().unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sandbox/files");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let output = bare_cmd(home.path())
            .arg("inspect")
            .arg("--file")
            .arg(&path)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", path.display());
        let text = String::from_utf8(output.stdout).unwrap();
        for line in text.lines().skip(1) {
            assert!(line.chars().count() <= 80, "{}: {line:?}", path.display());
        }
    }
    let output = bare_cmd(home.path())
        .args(["inspect", "--file"])
        .arg(sample("FatturaPA_IT01234567890_00042.xml"))
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    for expected in [
        "FatturaPA invoice",
        "Payable     667.00",
        "Withheld    120.00",
        "ok  tax_rates",
    ] {
        assert!(text.contains(expected), "{expected} missing:\n{text}");
    }
}

#[test]
fn an_attachment_not_saved_is_fetched_into_the_cache_never_the_download_dir() {
    let rig = Rig::new();
    rig.login();
    let report = inspect_json(rig.cmd().args(["inspect", "98766"]));
    assert_eq!(report["invoice"]["number"], "2024-0042");
    assert!(!rig.downloads().exists() || std::fs::read_dir(rig.downloads()).unwrap().next().is_none());
    let cache = rig.home.path().join("xdg-cache").join("trackline").join("previews");
    let cached: Vec<PathBuf> = walk(&cache);
    assert_eq!(cached.len(), 1, "{cached:?}");
    assert_eq!(common::sha256_file(&cached[0]), report["sha256"].as_str().unwrap());
    let again = inspect_json(rig.cmd().args(["inspect", "98766"]));
    assert_eq!(again["sha256"], report["sha256"]);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn exit_codes_say_what_went_wrong() {
    let rig = Rig::new();
    rig.login();
    for missing in ["99999999", "98771"] {
        let output = rig.cmd().args(["inspect", missing]).output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(4),
            "{missing}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let output = rig
        .cmd()
        .args(["inspect", "--file", "/nonexistent/invoice.xml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read /nonexistent/invoice.xml"));
    let output = rig.cmd().args(["inspect"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let home = tempfile::TempDir::new().unwrap();
    let output = bare_cmd(home.path()).args(["inspect", "98766"]).output().unwrap();
    assert_eq!(output.status.code(), Some(3), "not logged in");
}

#[test]
fn escape_sequences_in_a_document_never_reach_the_terminal() {
    let home = tempfile::TempDir::new().unwrap();
    let path = home.path().join("hostile.txt");
    std::fs::write(&path, "title\x1b]52;c;ZXZpbA==\x07\n\x1b[2Jcleared\u{202e}txt.exe\n").unwrap();
    let output = bare_cmd(home.path())
        .arg("inspect")
        .arg("--file")
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        !text.contains('\x1b') && !text.contains('\x07') && !text.contains('\u{202e}'),
        "{text:?}"
    );
    assert!(text.contains("\\x1b[2Jcleared"), "{text}");
}

#[test]
fn an_attachment_larger_than_the_preview_cache_is_refused_before_it_is_fetched() {
    let rig = Rig::new();
    rig.login();
    let config = rig.home.path().join("small-cache.toml");
    std::fs::write(&config, "preview_cache_mb = 2\n").unwrap();
    let output = rig
        .cmd()
        .arg("--config")
        .arg(&config)
        .args(["inspect", trackline::sandbox::LARGE_DOC_ID])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("more than the 2 MiB preview cache"), "{stderr}");
    assert!(stderr.contains("download it and read the saved file"), "{stderr}");
    let cache = rig.home.path().join("xdg-cache").join("trackline").join("previews");
    let kept: u64 = walk(&cache).iter().map(|p| std::fs::metadata(p).unwrap().len()).sum();
    assert!(kept <= 2 << 20, "the cache holds {kept} bytes");
    let show = rig
        .cmd()
        .arg("--config")
        .arg(&config)
        .args(["config", "show"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&show.stdout).contains("preview_cache_mb"),
        "config show names the setting"
    );
}
