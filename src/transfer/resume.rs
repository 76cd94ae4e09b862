//! Finding and claiming the `.part` file of an interrupted download, so the
//! next attempt (a retry in the same run, or a later run) can resume it.
//!
//! The final name of a download comes from the server's answer, so it is not
//! known before the request. Each unfinished download therefore leaves a small
//! JSON record beside its `.part` file, named after the attachment id:
//! `<dir>/.trackline-<id>.resume.json`, holding the attachment id, the `.part`
//! file's name, and the validator (a strong `ETag`, else `Last-Modified`) of
//! the answer that filled it. A new download of the same attachment into the
//! same folder reads the record, locks the `.part` (an advisory lock held
//! while it writes, so two downloads never append to one file, and released by
//! the operating system if the process dies), re-hashes the bytes already
//! there, and asks for the rest with `Range` and `If-Range`.
//!
//! The record is written atomically (a temporary file, then a rename) as soon
//! as the body starts, kept when a download breaks or is cancelled, and
//! removed when the file is saved. A record whose `.part` is gone is stale
//! and simply replaced. A `.part` with no record is never touched.

use sha2::{Digest, Sha256};
use std::io::{self, SeekFrom};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::fs::{File, OpenOptions};
use tokio::io::{AsyncReadExt, AsyncSeekExt};

use super::naming::PART_SUFFIX;

/// The start of every resume record's file name.
const RECORD_PREFIX: &str = ".trackline-";

/// The end of every resume record's file name.
const RECORD_SUFFIX: &str = ".resume.json";

/// The read buffer used to re-hash the bytes already in a `.part` file.
const REHASH_BUFFER_BYTES: usize = 256 * 1024;

/// The longest attachment id used as is in a record's name.
const MAX_PLAIN_ID_CHARS: usize = 64;

/// What a resume record holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Record {
    attachment_id: String,
    part: String,
    validator: Option<String>,
}

/// The resume record of `attachment_id` in `dir`.
pub fn record_path(dir: &Path, attachment_id: &str) -> PathBuf {
    dir.join(format!("{RECORD_PREFIX}{}{RECORD_SUFFIX}", id_key(attachment_id)))
}

/// Whether `name` is the file name of a resume record.
pub fn is_record_name(name: &str) -> bool {
    name.starts_with(RECORD_PREFIX) && name.ends_with(RECORD_SUFFIX)
}

/// The attachment id as it appears in a record's name: itself when it is
/// short and plain, else a hash of it.
fn id_key(attachment_id: &str) -> String {
    let plain = !attachment_id.is_empty()
        && attachment_id.chars().count() <= MAX_PLAIN_ID_CHARS
        && attachment_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if plain {
        attachment_id.to_string()
    } else {
        let digest = Sha256::digest(attachment_id.as_bytes());
        format!("h{}", hex::encode(&digest[..12]))
    }
}

/// A `.part` file that this download holds the lock of.
#[derive(Debug)]
pub(crate) struct Part {
    /// The file's path.
    pub(crate) path: PathBuf,
    /// The open, locked file, positioned at its end.
    pub(crate) file: File,
    /// The bytes already in it.
    pub(crate) offset: u64,
    /// SHA-256 of those bytes.
    pub(crate) hasher: Sha256,
    /// The validator of the answer that wrote them, if the server sent one.
    pub(crate) validator: Option<String>,
}

impl Part {
    /// Empties the file, to be written again from the first byte.
    pub(crate) async fn truncate(&mut self) -> io::Result<()> {
        self.file.set_len(0).await?;
        self.file.seek(SeekFrom::Start(0)).await?;
        self.offset = 0;
        self.hasher = Sha256::new();
        Ok(())
    }
}

/// What [`find`] found.
#[derive(Debug)]
pub(crate) enum Found {
    /// Nothing to resume.
    Nothing,
    /// A `.part` file exists, but another download is writing it.
    Busy,
    /// A `.part` file to resume, now locked by this download.
    Part(Box<Part>),
}

/// Looks for an unfinished download of `attachment_id` in `dir`; tells
/// `on_verify` the size of a `.part` it is about to hash again.
pub(crate) async fn find(dir: &Path, attachment_id: &str, on_verify: impl FnOnce(u64)) -> Found {
    let Some(record) = read_record(dir, attachment_id).await else {
        return Found::Nothing;
    };
    let path = dir.join(&record.part);
    let file = match OpenOptions::new().read(true).write(true).open(&path).await {
        Ok(file) => file,
        Err(_) => return Found::Nothing,
    };
    let file = match lock(file).await {
        Ok(Some(file)) => file,
        Ok(None) => return Found::Busy,
        Err(error) => {
            tracing::debug!(part = %path.display(), %error, "cannot lock a .part file; not resuming it");
            return Found::Nothing;
        }
    };
    if let Ok(meta) = file.metadata().await
        && meta.len() > 0
    {
        on_verify(meta.len());
    }
    match rehash(file).await {
        Ok((file, offset, hasher)) => Found::Part(Box::new(Part {
            path,
            file,
            offset,
            hasher,
            validator: record.validator,
        })),
        Err(error) => {
            tracing::debug!(part = %path.display(), %error, "cannot read a .part file; not resuming it");
            Found::Nothing
        }
    }
}

/// Whether a record for `attachment_id` in `dir` names a `.part` that exists.
#[cfg(test)]
pub(crate) async fn has_live_record(dir: &Path, attachment_id: &str) -> bool {
    match read_record(dir, attachment_id).await {
        Some(record) => tokio::fs::symlink_metadata(dir.join(record.part)).await.is_ok(),
        None => false,
    }
}

async fn read_record(dir: &Path, attachment_id: &str) -> Option<Record> {
    let bytes = tokio::fs::read(record_path(dir, attachment_id)).await.ok()?;
    let record: Record = serde_json::from_slice(&bytes).ok()?;
    (record.attachment_id == attachment_id && is_part_name(&record.part)).then_some(record)
}

/// A plain file name in the same folder that ends in `.part`: a record can
/// never point anywhere else.
fn is_part_name(name: &str) -> bool {
    let mut components = Path::new(name).components();
    matches!(components.next(), Some(Component::Normal(_)))
        && components.next().is_none()
        && !name.contains(['/', '\\'])
        && name.len() > PART_SUFFIX.len()
        && name.ends_with(PART_SUFFIX)
}

/// Takes the advisory lock of `file` without waiting: `None` when another
/// download holds it.
async fn lock(file: File) -> io::Result<Option<File>> {
    let file = file.into_std().await;
    match fs4::FileExt::try_lock(&file) {
        Ok(()) => Ok(Some(File::from_std(file))),
        Err(fs4::TryLockError::WouldBlock) => Ok(None),
        Err(fs4::TryLockError::Error(error)) => Err(error),
    }
}

/// Reads the whole file through a fixed buffer into a hasher; leaves the
/// file positioned at its end.
async fn rehash(mut file: File) -> io::Result<(File, u64, Sha256)> {
    file.seek(SeekFrom::Start(0)).await?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; REHASH_BUFFER_BYTES];
    let mut offset = 0u64;
    loop {
        let n = file.read(&mut buffer).await?;
        if n == 0 {
            break;
        }
        hasher.update(buffer.get(..n).unwrap_or_default());
        offset += n as u64;
    }
    file.seek(SeekFrom::Start(offset)).await?;
    Ok((file, offset, hasher))
}

/// Records that `part` (in `dir`) holds the unfinished download of
/// `attachment_id`, written by an answer with `validator`.
pub(crate) async fn write_record(
    dir: &Path,
    attachment_id: &str,
    part: &Path,
    validator: Option<&str>,
) -> io::Result<()> {
    let name = part
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "a .part file has no name"))?;
    let record = Record {
        attachment_id: attachment_id.to_string(),
        part: name,
        validator: validator.map(str::to_string),
    };
    let bytes = serde_json::to_vec(&record).map_err(io::Error::other)?;
    let target = record_path(dir, attachment_id);
    let temp = dir.join(format!("{}.tmp-{}", target_name(&target), unique_suffix()));
    if let Err(error) = tokio::fs::write(&temp, &bytes).await {
        let _ = tokio::fs::remove_file(&temp).await;
        return Err(error);
    }
    tokio::fs::rename(&temp, &target).await.inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

/// Removes the record of `attachment_id` in `dir` if it still names `part`.
pub(crate) async fn remove_record(dir: &Path, attachment_id: &str, part: &Path) {
    let Some(record) = read_record(dir, attachment_id).await else {
        return;
    };
    if part.file_name().is_some_and(|n| n.to_string_lossy() == record.part) {
        let _ = tokio::fs::remove_file(record_path(dir, attachment_id)).await;
    }
}

fn target_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A suffix no other temporary file of this or another process has.
fn unique_suffix() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!("{}-{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn record_names_are_plain_ids_or_hashes() {
        let dir = Path::new("/d");
        assert_eq!(record_path(dir, "98765"), Path::new("/d/.trackline-98765.resume.json"));
        let hostile = record_path(dir, "../../etc/passwd");
        let name = target_name(&hostile);
        assert!(is_record_name(&name), "{name}");
        assert!(!name.contains(".."), "{name}");
        assert_eq!(hostile.parent(), Some(dir));
    }

    #[test]
    fn a_record_can_only_name_a_part_beside_it() {
        assert!(is_part_name("Invoice_001.pdf.part"));
        assert!(!is_part_name("../x.part"));
        assert!(!is_part_name("/etc/x.part"));
        assert!(!is_part_name("a/b.part"));
        assert!(!is_part_name("Invoice_001.pdf"));
        assert!(!is_part_name(".part"));
    }

    #[tokio::test]
    async fn a_recorded_part_is_found_hashed_and_locked() -> TestResult {
        let dir = tempfile::tempdir()?;
        let part = dir.path().join("a.pdf.part");
        fs::write(&part, b"hello ")?;
        write_record(dir.path(), "7", &part, Some("\"v1\"")).await?;

        let mut verified = None;
        let Found::Part(mut found) = find(dir.path(), "7", |bytes| verified = Some(bytes)).await else {
            return Err("the part must be found".into());
        };
        assert_eq!(verified, Some(6), "told how much it hashes again, before it does");
        assert_eq!(found.path, part);
        assert_eq!(found.offset, 6);
        assert_eq!(found.validator.as_deref(), Some("\"v1\""));
        assert_eq!(
            hex::encode(found.hasher.clone().finalize()),
            hex::encode(Sha256::digest(b"hello "))
        );
        assert!(matches!(find(dir.path(), "7", |_| {}).await, Found::Busy));
        assert!(matches!(find(dir.path(), "8", |_| {}).await, Found::Nothing));

        found.truncate().await?;
        assert_eq!(fs::metadata(&part)?.len(), 0);
        drop(found);
        assert!(matches!(find(dir.path(), "7", |_| {}).await, Found::Part(_)));

        remove_record(dir.path(), "7", Path::new("other.part")).await;
        assert!(record_path(dir.path(), "7").exists());
        remove_record(dir.path(), "7", &part).await;
        assert!(!record_path(dir.path(), "7").exists());
        Ok(())
    }

    #[tokio::test]
    async fn a_record_whose_part_is_gone_finds_nothing() -> TestResult {
        let dir = tempfile::tempdir()?;
        write_record(dir.path(), "7", &dir.path().join("gone.part"), None).await?;
        assert!(matches!(find(dir.path(), "7", |_| {}).await, Found::Nothing));
        assert!(!has_live_record(dir.path(), "7").await);
        Ok(())
    }

    #[tokio::test]
    async fn a_tampered_record_is_ignored() -> TestResult {
        let dir = tempfile::tempdir()?;
        fs::write(
            record_path(dir.path(), "7"),
            br#"{"attachment_id":"7","part":"../outside.part","validator":null,"total":null}"#,
        )?;
        assert!(matches!(find(dir.path(), "7", |_| {}).await, Found::Nothing));
        fs::write(record_path(dir.path(), "7"), b"not json")?;
        assert!(matches!(find(dir.path(), "7", |_| {}).await, Found::Nothing));
        Ok(())
    }
}
