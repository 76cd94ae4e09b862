//! The watched set in the index (schema 2) and the migration of a schema 1 file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::store::WatchedEntry;
use rusqlite::Connection;
use std::path::Path;
use time::OffsetDateTime;

fn entry(id: &str, status: Option<&str>, changed_at: Option<i64>) -> WatchedEntry {
    WatchedEntry {
        name: Some(format!("Process {id}")),
        status: status.map(str::to_string),
        changed_at,
        ..WatchedEntry::new(id)
    }
}

fn at(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_700_000_000 + seconds).unwrap()
}

/// A file as trackline wrote it before schema 2: the schema 1 tables, one
/// process with two statuses seen, a saved copy.
fn write_v1(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let conn = Connection::open(path).unwrap();
    conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get::<_, String>(0))
        .unwrap();
    conn.execute_batch(open::SCHEMA_V1).unwrap();
    conn.execute_batch(
        "INSERT INTO process (process_id, name, status, first_seen, last_seen)
             VALUES ('12345', 'Odoo Billing Process', 'Completed', 1700000000, 1700000060);
         INSERT INTO status_change (process, at, status) VALUES (1, 1700000000, 'Pending'), (1, 1700000060, 'Completed');
         INSERT INTO document (process, position, doc_id, name, type) VALUES (1, 0, '98765', 'Invoice_001.pdf', 'Invoice');
         INSERT INTO saved (attachment_id, path, bytes, sha256, at) VALUES ('98765', '/tmp/x.pdf', 3, x'00', 1700000000);
         PRAGMA user_version = 1;",
    )
    .unwrap();
}

fn user_version(path: &Path) -> i64 {
    Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap()
}

#[test]
fn a_schema_1_file_is_migrated_in_place_and_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let path = Index::path_for(dir.path(), "default").unwrap();
    write_v1(&path);
    let index = Index::open(&path).unwrap();
    assert!(index.notice.is_none(), "a migration is no repair");
    let index = index.index;
    assert_eq!(user_version(&path), 2);
    let cached = index.cached_process("12345").unwrap().unwrap();
    assert_eq!(cached.process.name.as_deref(), Some("Odoo Billing Process"));
    assert_eq!(cached.process.documents.len(), 1);
    let history = index.history("12345").unwrap().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(index.saved_copies("98765").unwrap().len(), 1);
    assert!(index.watched().unwrap().is_empty());
    index.save_watched(&[entry("12345", Some("Completed"), None)]).unwrap();
    drop(index);
    // Opened again it is not migrated twice and keeps the set.
    let index = Index::open(&path).unwrap().index;
    assert_eq!(index.watched().unwrap(), [entry("12345", Some("Completed"), None)]);
}

#[test]
fn the_set_comes_back_in_the_order_it_was_watched_with_what_was_last_seen() {
    let dir = tempfile::tempdir().unwrap();
    let path = Index::path_for(dir.path(), "default").unwrap();
    let index = Index::open(&path).unwrap().index;
    assert!(index.watched().unwrap().is_empty());
    // Ids that sort the other way round, to tell the order kept from a sorted one.
    let set = vec![
        entry("9", Some("Pending"), Some(1_700_000_100)),
        entry("12353", None, None),
        entry("100", Some("Completed"), None),
    ];
    index.save_watched(&set).unwrap();
    assert_eq!(index.watched().unwrap(), set);
    let fewer = vec![set[2].clone(), set[0].clone()];
    index.save_watched(&fewer).unwrap();
    assert_eq!(index.watched().unwrap(), fewer);
    drop(index);
    let index = Index::open(&path).unwrap().index;
    assert_eq!(index.watched().unwrap(), fewer, "kept across opens");

    // Adding keeps the rows there and appends the new ones in their order.
    let added = index
        .add_watched(&[
            entry("100", Some("Failed"), None),
            entry("7", None, None),
            entry("8", None, None),
        ])
        .unwrap();
    assert_eq!(added, 2);
    let ids: Vec<String> = index.watched().unwrap().into_iter().map(|e| e.process_id).collect();
    assert_eq!(ids, ["100", "9", "7", "8"]);
    assert_eq!(index.watched().unwrap()[0].status.as_deref(), Some("Completed"));
}

#[test]
fn each_profile_has_its_own_set_and_clearing_forgets_it() {
    let dir = tempfile::tempdir().unwrap();
    let work = Index::open(&Index::path_for(dir.path(), "work").unwrap())
        .unwrap()
        .index;
    let home = Index::open(&Index::path_for(dir.path(), "home").unwrap())
        .unwrap()
        .index;
    work.save_watched(&[entry("1", None, None)]).unwrap();
    assert!(home.watched().unwrap().is_empty());
    home.save_watched(&[entry("2", None, None)]).unwrap();
    assert_eq!(work.watched().unwrap(), [entry("1", None, None)]);
    work.record_status("1", None, Some("Pending"), at(0)).unwrap();
    work.clear().unwrap();
    assert!(work.watched().unwrap().is_empty());
    assert_eq!(
        home.watched().unwrap(),
        [entry("2", None, None)],
        "another profile keeps its set"
    );
}

#[cfg(unix)]
#[test]
fn a_read_only_file_of_either_schema_is_read_and_refuses_to_save_the_set() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let old = Index::path_for(dir.path(), "old").unwrap();
    write_v1(&old);
    let new = Index::path_for(dir.path(), "new").unwrap();
    Index::open(&new)
        .unwrap()
        .index
        .save_watched(&[entry("5", None, None)])
        .unwrap();
    let folder = old.parent().unwrap();
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o500)).unwrap();
    if std::fs::File::create(folder.join("probe")).is_ok() {
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700)).unwrap();
        return; // running as root: permissions do not stop writes
    }
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o400)).unwrap();
    std::fs::set_permissions(&new, std::fs::Permissions::from_mode(0o400)).unwrap();

    let old_index = Index::open_to_read(&old).unwrap().unwrap().index;
    assert!(!old_index.is_writable());
    assert!(
        old_index.cached_process("12345").unwrap().is_some(),
        "schema 1 read as it is"
    );
    assert!(old_index.watched().unwrap().is_empty());
    assert!(matches!(
        old_index.save_watched(&[entry("5", None, None)]),
        Err(IndexError::ReadOnly { .. })
    ));
    let new_index = Index::open_to_read(&new).unwrap().unwrap().index;
    assert_eq!(new_index.watched().unwrap(), [entry("5", None, None)]);
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700)).unwrap();
}

#[test]
fn a_file_read_as_it_is_may_be_of_schema_1_or_2_and_takes_no_writes() {
    let dir = tempfile::tempdir().unwrap();
    let old = Index::path_for(dir.path(), "old").unwrap();
    write_v1(&old);
    let index = Index::read_as_it_is(&old).unwrap();
    assert!(index.cached_process("12345").unwrap().is_some());
    assert!(index.watched().unwrap().is_empty(), "schema 1 has no watched set");
    assert!(matches!(
        index.save_watched(&[entry("5", None, None)]),
        Err(IndexError::ReadOnly { .. })
    ));
    drop(index);
    assert_eq!(user_version(&old), 1, "not migrated");

    let new = Index::path_for(dir.path(), "new").unwrap();
    Index::open(&new)
        .unwrap()
        .index
        .save_watched(&[entry("5", None, None)])
        .unwrap();
    let index = Index::read_as_it_is(&new).unwrap();
    assert_eq!(index.watched().unwrap(), [entry("5", None, None)]);

    Connection::open(&old)
        .unwrap()
        .execute_batch("PRAGMA user_version = 3;")
        .unwrap();
    let error = Index::read_as_it_is(&old).unwrap_err();
    assert!(matches!(error, IndexError::Newer { .. }), "{error:?}");
}

#[test]
fn a_file_of_a_newer_schema_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = Index::path_for(dir.path(), "default").unwrap();
    write_v1(&path);
    Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA user_version = 3;")
        .unwrap();
    let error = Index::open(&path).unwrap_err();
    assert!(matches!(error, IndexError::Newer { .. }), "{error:?}");
    assert_eq!(user_version(&path), 3);
    let IndexError::Newer { reason, .. } = &error else {
        unreachable!()
    };
    assert_eq!(
        reason.as_str(),
        "it has schema 3, this trackline reads 2: update trackline"
    );
    assert_eq!(
        reason.text_in(crate::i18n::Lang::Es),
        "tiene el esquema 3 y este trackline lee el 2: actualice trackline"
    );
    assert!(
        error
            .to_string()
            .ends_with("(it has schema 3, this trackline reads 2: update trackline)"),
        "{error}"
    );
}
