//! The index against real files in a temp dir.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::api::model::parse_processes;
use crate::api::{Document, Id, Process};
use std::path::Path;
use time::OffsetDateTime;

fn at(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_700_000_000 + seconds).unwrap()
}

fn guide(status: &str) -> Process {
    let body = format!(
        r#"{{"process_id": "12345", "name": "Odoo Billing Process", "status": "{status}",
            "created_at": "2024-02-09T10:30:00Z", "customer": "ACME", "tags": ["urgent"],
            "documents": [
              {{"doc_id": "98765", "doc_name": "Invoice_001.pdf", "doc_type": "Invoice"}},
              {{"doc_id": 98766, "doc_name": "XRechnung_2024_0042.xml", "doc_type": "E-Invoice", "pages": 3}}
            ]}}"#
    );
    parse_processes(body.as_bytes()).unwrap().remove(0)
}

fn process(id: &str, name: &str, docs: &[(&str, &str)]) -> Process {
    Process {
        process_id: Id::new(id),
        name: Some(name.to_string()),
        status: Some("Completed".to_string()),
        created_at: None,
        documents: docs
            .iter()
            .map(|(doc_id, doc_name)| Document {
                doc_id: Id::new(*doc_id),
                doc_name: Some(doc_name.to_string()),
                doc_type: Some("Invoice".to_string()),
                extra: Default::default(),
            })
            .collect(),
        extra: Default::default(),
    }
}

fn open(dir: &Path) -> Index {
    Index::open(&Index::path_for(dir, "default").unwrap()).unwrap().index
}

#[test]
fn a_process_comes_back_as_last_seen_with_its_history() {
    let dir = tempfile::tempdir().unwrap();
    let index = open(dir.path());
    let first = index.record_processes(&[guide("In Progress")], at(0)).unwrap();
    assert_eq!(first.new_processes, 1);
    let seen_once = index.cached_process("12345").unwrap().unwrap();
    assert_eq!(seen_once.status_changed_at, None, "one status seen: no change known");
    index.record_processes(&[guide("In Progress")], at(60)).unwrap();
    let changed = index.record_processes(&[guide("Completed")], at(120)).unwrap();
    assert_eq!(changed.status_changes, 1);

    let cached = index.cached_process("12345").unwrap().unwrap();
    assert_eq!(cached.process, guide("Completed"));
    assert_eq!(cached.first_seen, at(0));
    assert_eq!(cached.last_seen, at(120));
    assert_eq!(cached.status_changed_at, Some(at(120)));
    let history = index.history("12345").unwrap().unwrap();
    let statuses: Vec<_> = history.iter().map(|c| (c.at, c.status.clone().unwrap())).collect();
    assert_eq!(
        statuses,
        [(at(0), "In Progress".to_string()), (at(120), "Completed".to_string())]
    );
    assert!(index.history("99999").unwrap().is_none());
    assert!(index.cached_process("99999").unwrap().is_none());
    assert_eq!(index.counts().unwrap(), (1, 2));
}

#[test]
fn a_watched_status_is_recorded_without_touching_the_documents() {
    let dir = tempfile::tempdir().unwrap();
    let index = open(dir.path());
    assert!(index.record_status("777", None, Some("Queued"), at(0)).unwrap());
    index.record_processes(&[guide("In Progress")], at(10)).unwrap();
    assert!(!index.record_status("12345", None, Some("In Progress"), at(20)).unwrap());
    assert!(
        index
            .record_status("12345", Some("Renamed"), Some("Completed"), at(30))
            .unwrap()
    );

    let cached = index.cached_process("12345").unwrap().unwrap();
    assert_eq!(cached.process.documents, guide("Completed").documents);
    assert_eq!(cached.process.name.as_deref(), Some("Renamed"));
    assert_eq!(cached.last_seen, at(30));
    let statuses: Vec<_> = index
        .history("12345")
        .unwrap()
        .unwrap()
        .into_iter()
        .map(|c| c.status.unwrap())
        .collect();
    assert_eq!(statuses, ["In Progress", "Completed"]);
    let queued = index.history("777").unwrap().unwrap();
    assert_eq!((queued[0].at, queued[0].status.as_deref()), (at(0), Some("Queued")));
}

#[test]
fn documents_follow_the_last_lookup() {
    let dir = tempfile::tempdir().unwrap();
    let index = open(dir.path());
    index
        .record_processes(&[process("1", "One", &[("10", "a.pdf"), ("11", "b.pdf")])], at(0))
        .unwrap();
    index
        .record_processes(&[process("1", "One", &[("11", "b.pdf"), ("12", "c.pdf")])], at(1))
        .unwrap();
    let docs: Vec<String> = index
        .cached_process("1")
        .unwrap()
        .unwrap()
        .process
        .documents
        .iter()
        .map(|d| d.doc_id.to_string())
        .collect();
    assert_eq!(docs, ["11", "12"]);
}

#[cfg(unix)]
#[test]
fn the_file_and_its_folder_are_private() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let index = open(dir.path());
    index.record_processes(&[guide("Pending")], at(0)).unwrap();
    let folder = dir.path().join("index");
    assert_eq!(std::fs::metadata(&folder).unwrap().permissions().mode() & 0o777, 0o700);
    let mut files = 0;
    for entry in std::fs::read_dir(&folder).unwrap() {
        let entry = entry.unwrap();
        let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{:?}", entry.file_name());
        files += 1;
    }
    assert!(files >= 1);
}

#[test]
fn a_file_that_is_not_an_index_is_moved_aside_and_a_new_one_started() {
    let dir = tempfile::tempdir().unwrap();
    let path = Index::path_for(dir.path(), "default").unwrap();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let garbage = b"these are not the bytes of a database, but they are the user's".repeat(100);
    std::fs::write(&path, &garbage).unwrap();
    let opened = Index::open(&path).unwrap();
    let notice = opened.notice.expect("a notice about the repair").to_string();
    assert!(notice.contains("moved to"), "{notice}");
    opened.index.record_processes(&[guide("Pending")], at(0)).unwrap();
    let aside: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".damaged-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(std::fs::read(&aside[0]).unwrap(), garbage, "the old bytes are kept");
    assert!(notice.contains(&aside[0].display().to_string()), "{notice}");
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_is_read_as_it_is_and_refuses_writes() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let path = Index::path_for(dir.path(), "default").unwrap();
    {
        let index = Index::open(&path).unwrap().index;
        index.record_processes(&[guide("Pending")], at(0)).unwrap();
    }
    let folder = path.parent().unwrap();
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o500)).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
    if std::fs::File::create(folder.join("probe")).is_ok() {
        return; // running as root: permissions do not stop writes
    }
    assert!(matches!(Index::open(&path), Err(IndexError::ReadOnly { .. })));
    let opened = Index::open_to_read(&path).unwrap().unwrap();
    assert!(!opened.index.is_writable());
    assert!(opened.index.cached_process("12345").unwrap().is_some());
    let query = SearchQuery::parse("odoo").unwrap();
    assert_eq!(opened.index.search(&query, 5).unwrap().hits.len(), 1);
    assert!(matches!(
        opened.index.record_processes(&[guide("Failed")], at(1)),
        Err(IndexError::ReadOnly { .. })
    ));
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700)).unwrap();
}

#[test]
fn a_saved_copy_is_remembered_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let index = open(dir.path());
    let file = dir.path().join("Invoice_001.pdf");
    std::fs::write(&file, b"%PDF-1.4 tiny").unwrap();
    let saved = SavedFile {
        attachment_id: "98765".to_string(),
        path: file.clone(),
        bytes: 13,
        sha256: "8a2a1d0f4c7e42d8f2a5b0c3f1a7e9d6b4c2e0f8a6d4b2c0e8f6a4d2b0c8e6f4".to_string(),
        at: at(0),
    };
    index.record_saved(&saved).unwrap();
    let copies = index.saved_copies("98765").unwrap();
    assert_eq!(copies, std::slice::from_ref(&saved));
    assert!(!copies[0].is_intact(), "the hash does not match the bytes");
    use sha2::{Digest, Sha256};
    let right = SavedFile {
        sha256: hex::encode(Sha256::digest(b"%PDF-1.4 tiny")),
        ..saved
    };
    index.record_saved(&right).unwrap();
    assert!(index.saved_copies("98765").unwrap()[0].is_intact());
    assert_eq!(index.saved_files(&["98765", "1"]).unwrap().len(), 1);
    std::fs::remove_file(&file).unwrap();
    assert!(!right.is_intact());
    assert!(index.saved_files(&["98765"]).unwrap().is_empty());
    index.forget_saved("98765", &file).unwrap();
    assert!(index.saved_copies("98765").unwrap().is_empty());
}

#[test]
fn clearing_forgets_everything() {
    let dir = tempfile::tempdir().unwrap();
    let index = open(dir.path());
    index.record_processes(&[guide("Pending")], at(0)).unwrap();
    assert_eq!(index.clear().unwrap(), (1, 2));
    assert_eq!(index.counts().unwrap(), (0, 0));
    assert!(index.history("12345").unwrap().is_none());
}

/// A few hundred processes with realistic names, and some known ones.
fn corpus() -> Vec<Process> {
    let vendors = ["Acme GmbH", "Globex", "Initech", "Umbrella", "Hooli", "Nordlicht"];
    let kinds = ["Invoice", "Receipt", "Credit_Note", "Delivery_Note"];
    let mut processes: Vec<Process> = (0..300)
        .map(|p| {
            let docs: Vec<(String, String)> = (0..20)
                .map(|d| {
                    (
                        format!("{}", 5_000_000 + p * 100 + d),
                        format!("{}_{}_{:05}.pdf", kinds[d % 4], 2020 + p % 5, p * 20 + d),
                    )
                })
                .collect();
            let docs: Vec<(&str, &str)> = docs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            process(
                &format!("{}", 400_000 + p),
                &format!("{} Batch {p}", vendors[p % 6]),
                &docs,
            )
        })
        .collect();
    processes.push(guide("In Progress"));
    processes.push(process("777", "Quarterly VAT Filing Q1", &[("1", "Summary.pdf")]));
    processes
}

#[test]
fn the_file_search_and_the_memory_search_rank_alike() {
    let dir = tempfile::tempdir().unwrap();
    let index = open(dir.path());
    let processes = corpus();
    for (i, chunk) in processes.chunks(50).enumerate() {
        index.record_processes(chunk, at(i as i64)).unwrap();
    }
    let memory = index.search_index().unwrap();
    assert_eq!(memory.len(), index.counts().unwrap());
    let broad = SearchQuery::parse("invoice").unwrap();
    let stopped = memory.search(&broad, 5);
    assert_eq!(stopped.total, None, "enough hits score the most a document can");
    assert_eq!(stopped.hits, index.search(&broad, 5).unwrap().hits);
    for text in [
        "odo biling",
        "invoice 2021",
        "acme",
        "12345",
        "urgent",
        "xrechnung",
        "bilxing",
        "quarterly vat",
        "i",
        "zzzz",
    ] {
        let query = SearchQuery::parse(text).unwrap();
        let from_file = index.search(&query, 15).unwrap();
        let from_memory = memory.search(&query, 15);
        assert_eq!(from_file.hits, from_memory.hits, "{text}");
        assert!(from_file.total.is_some());
        if from_memory.total.is_some() {
            assert_eq!(from_file.total, from_memory.total, "{text}");
        }
    }
}

#[test]
fn typed_words_find_what_they_name() {
    let memory = SearchIndex::new();
    memory.record(&corpus(), at(0));
    let best = |text: &str| {
        let results = memory.search(&SearchQuery::parse(text).unwrap(), 5);
        results.hits.first().cloned()
    };
    let odoo = best("odo biling").unwrap();
    assert_eq!(odoo.kind, HitKind::Process);
    assert_eq!(odoo.process_name.as_deref(), Some("Odoo Billing Process"));
    assert_eq!(best("Odoo Bilxing").unwrap().process_id, "12345", "a typo");
    assert_eq!(best("12345").unwrap().process_id, "12345");
    assert_eq!(
        best("acme urgent").unwrap().process_id,
        "12345",
        "additional data is searched"
    );
    let invoice = best("invoice_001").unwrap();
    assert_eq!(invoice.kind, HitKind::Document);
    assert_eq!(invoice.doc_id.as_deref(), Some("98765"));
    assert_eq!(invoice.doc_name.as_deref(), Some("Invoice_001.pdf"));
    let in_process = best("odoo xrechnung").unwrap();
    assert_eq!(
        in_process.doc_id.as_deref(),
        Some("98766"),
        "a document found with its process's words"
    );
    assert!(best("qqqqzzzz").is_none());
    let all_odoo = memory.search(&SearchQuery::parse("odoo").unwrap(), 100);
    assert_eq!(
        all_odoo.total,
        Some(1),
        "a process's documents are not listed for the process's name alone"
    );
}

#[test]
fn recording_again_replaces_what_memory_holds() {
    let memory = SearchIndex::new();
    memory.record(&[process("1", "Alpha", &[("10", "zebra.pdf")])], at(0));
    memory.record(&[process("1", "Alpha", &[("11", "quokka.pdf")])], at(5));
    assert_eq!(memory.len(), (1, 1));
    let query = SearchQuery::parse("quokka").unwrap();
    let hit = memory.search(&query, 5).hits.remove(0);
    assert_eq!(hit.doc_id.as_deref(), Some("11"));
    assert_eq!(hit.last_seen, at(5));
    assert_eq!(memory.search(&SearchQuery::parse("zebra").unwrap(), 5).total, Some(0));
}

#[test]
fn a_word_typed_letter_by_letter_finds_what_the_whole_word_finds() {
    let memory = SearchIndex::new();
    memory.record(&corpus(), at(0));
    let word = "nordlicht";
    for end in 1..=word.len() {
        let typed = &word[..end];
        let narrowed = memory.search(&SearchQuery::parse(typed).unwrap(), 10);
        let fresh = SearchIndex::new();
        fresh.record(&corpus(), at(0));
        assert_eq!(
            narrowed,
            fresh.search(&SearchQuery::parse(typed).unwrap(), 10),
            "{typed}"
        );
    }
}

#[test]
fn a_document_costs_less_than_200_bytes_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = Index::path_for(dir.path(), "default").unwrap();
    let index = Index::open(&path).unwrap().index;
    let vendors = [
        "Acme_GmbH",
        "Globex_Corporation",
        "Initech",
        "Umbrella_Health",
        "Hooli_XYZ",
    ];
    let kinds = ["Invoice", "Receipt", "Credit Note", "Delivery Note"];
    let processes: Vec<Process> = (0..100)
        .map(|p| {
            let mut proc = process(
                &format!("{}", 400_000 + p),
                &format!("{} Billing {p}", vendors[p % 5]),
                &[],
            );
            proc.documents = (0..200)
                .map(|d| Document {
                    doc_id: Id::new(format!("{}", 40_000_000 + p * 1000 + d)),
                    doc_name: Some(format!(
                        "{}_{}_{:06}_{}.pdf",
                        kinds[d % 4].replace(' ', "_"),
                        2020 + d % 5,
                        p * 200 + d,
                        vendors[(p + d) % 5]
                    )),
                    doc_type: Some(kinds[d % 4].to_string()),
                    extra: Default::default(),
                })
                .collect();
            proc
        })
        .collect();
    for chunk in processes.chunks(10) {
        index.record_processes(chunk, at(0)).unwrap();
    }
    index.lock().execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    let bytes: u64 = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    let per_document = bytes / 20_000;
    assert!(per_document <= 200, "{per_document} bytes a document");
}

#[test]
fn a_search_shared_among_threads_ranks_as_the_file_does() {
    let dir = tempfile::tempdir().unwrap();
    let index = open(dir.path());
    let kinds = ["Invoice", "Receipt", "Credit_Note"];
    let processes: Vec<Process> = (0..600)
        .map(|p| {
            let docs: Vec<(String, String)> = (0..100)
                .map(|d| {
                    let serial = p * 100 + d;
                    (
                        format!("{}", 9_000_000 + serial),
                        format!("{}_{serial:06}.pdf", kinds[d % 3]),
                    )
                })
                .collect();
            let docs: Vec<(&str, &str)> = docs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            process(&format!("{}", 700_000 + p), &format!("Batch {p}"), &docs)
        })
        .collect();
    for (i, chunk) in processes.chunks(100).enumerate() {
        index.record_processes(chunk, at(i as i64 % 3)).unwrap();
    }
    let memory = index.search_index().unwrap();
    assert!(
        memory.len().1 >= 50_000,
        "large enough to be searched on several threads"
    );
    for text in ["credit 0042", "invoice", "0", "receipt 059", "batch 42 invoice"] {
        let query = SearchQuery::parse(text).unwrap();
        assert_eq!(
            memory.search(&query, 10).hits,
            index.search(&query, 10).unwrap().hits,
            "{text}"
        );
    }
}

#[test]
fn numbers_typed_digit_by_digit_rank_as_the_file_does() {
    let dir = tempfile::tempdir().unwrap();
    let index = open(dir.path());
    let processes = corpus();
    for (i, chunk) in processes.chunks(50).enumerate() {
        index.record_processes(chunk, at(i as i64)).unwrap();
    }
    let memory = index.search_index().unwrap();
    let same = |memory: &SearchIndex, text: &str| {
        let query = SearchQuery::parse(text).unwrap();
        let from_file = index.search(&query, 12).unwrap();
        let from_memory = memory.search(&query, 12);
        assert_eq!(from_memory.hits, from_file.hits, "{text}");
        if from_memory.total.is_some() {
            assert_eq!(from_memory.total, from_file.total, "{text}");
        }
    };
    for typed in ["credit_note 00042", "invoice 2021 0", "bilxing 5000", "acme 0 2"] {
        for end in 1..=typed.len() {
            same(&memory, &typed[..end]);
        }
    }
    for text in [
        "0",
        "00",
        "2024",
        "5000019",
        "99999999",
        "0 0 0",
        "credit_note 99999",
        "1 receipt",
        "xyz 0",
    ] {
        same(&memory, text);
    }
    // A lookup after the load adds numbers that are whole words (`0`) and new serials.
    let later = [
        process(
            "900001",
            "Late Batch",
            &[("910", "Receipt_0_7.pdf"), ("911", "Credit_Note_777777.pdf")],
        ),
        process("400003", "Acme GmbH Batch 3", &[("912", "Invoice_0042.pdf")]),
    ];
    index.record_processes(&later, at(99)).unwrap();
    memory.record(&later, at(99));
    for text in ["0", "7", "777777", "credit_note 77", "0042", "invoice 0042", "late 0"] {
        same(&memory, text);
    }
    let whole = memory.search(&SearchQuery::parse("0").unwrap(), 5);
    let first_document = whole.hits.iter().find(|hit| hit.kind == HitKind::Document);
    assert_eq!(
        first_document.and_then(|hit| hit.doc_id.as_deref()),
        Some("910"),
        "the document with the whole word `0` ranks first"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]

    #[test]
    fn any_numbers_rank_as_the_file_does(
        serials in proptest::collection::vec(0u32..3000, 1..60),
        queries in proptest::collection::vec("[0-9]{1,4}( (invoice|rec|x)?[0-9]{0,3})?", 1..6),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let index = open(dir.path());
        let processes: Vec<Process> = serials
            .chunks(4)
            .enumerate()
            .map(|(p, chunk)| {
                let docs: Vec<(String, String)> = chunk
                    .iter()
                    .enumerate()
                    .map(|(d, serial)| (format!("{p}{d}"), format!("{}_{serial}.pdf", ["Invoice", "Receipt"][d % 2])))
                    .collect();
                let docs: Vec<(&str, &str)> = docs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
                process(&format!("{}", 10 + p), &format!("Batch {}", p % 3), &docs)
            })
            .collect();
        index.record_processes(&processes, at(0)).unwrap();
        let memory = index.search_index().unwrap();
        for text in &queries {
            let Ok(query) = SearchQuery::parse(text) else { continue };
            proptest::prop_assert_eq!(memory.search(&query, 5).hits, index.search(&query, 5).unwrap().hits, "{}", text);
        }
    }
}
