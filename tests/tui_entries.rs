//! Choosing an entry of a ZIP in the preview (`e`, Enter, Esc) with the real
//! app, worker and sandbox, at 80×24 and 120×36: a nested ZIP opened in turn,
//! an entry's e-invoice summary, and the way back up.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::inprocess::TuiRig;
use crossterm::event::KeyCode;

async fn into_the_nested_zip(cols: u16, rows: u16) {
    let mut rig = TuiRig::start(cols, rows).await;
    rig.log_in().await;
    rig.preview_the_sample_zip().await;
    rig.wait_for("the key that chooses an entry", |s| s.contains("e choose an entry"))
        .await;
    rig.press(KeyCode::Char('e'));
    rig.press(KeyCode::Down);
    rig.press(KeyCode::Down);
    rig.press(KeyCode::Enter);
    rig.wait_for("the nested ZIP's entries", |s| {
        s.contains("▸ mexico.zip") && s.contains("CFDI40_F-1234.xml") && !s.contains("README.txt")
    })
    .await;
    rig.press(KeyCode::Enter);
    rig.wait_for("the CFDI inside the nested ZIP", |s| {
        s.contains("CFDI40_F-1234.xml") && s.contains("CFDI invoice")
    })
    .await;
    rig.press(KeyCode::Esc);
    rig.wait_for("back in the nested ZIP", |s| {
        s.contains("▸ mexico.zip") && !s.contains("CFDI invoice")
    })
    .await;
    rig.press(KeyCode::Esc);
    rig.wait_for("back at the top", |s| {
        s.contains("Preview E-Invoices_2024.zip") && s.contains("README.txt") && !s.contains("▸")
    })
    .await;
    // Esc leaves the entries: ↑ moves the documents again.
    rig.press(KeyCode::Esc);
    rig.press(KeyCode::Up);
    rig.wait_for("the document above previewed", |s| {
        !s.contains("Preview E-Invoices_2024.zip")
    })
    .await;
    let downloads = rig.downloads();
    rig.press(KeyCode::Char('q'));
    assert_eq!(rig.exit_code().await, 0);
    assert!(std::fs::read_dir(&downloads).map_or(true, |mut d| d.next().is_none()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nested_zips_entry_is_previewed_at_80x24() {
    into_the_nested_zip(80, 24).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nested_zips_entry_is_previewed_at_120x36() {
    into_the_nested_zip(120, 36).await;
}
