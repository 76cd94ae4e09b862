//! The one way trackline replaces a file it owns: a temporary file with a
//! unique name in the same folder, written, synced, then renamed over the old
//! one, so a reader (or a crash) sees the old file or the new one, never half
//! of one.

use std::fs;
use std::io::{self, Write as _};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Who may read the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// Only the user: the file is 0600 from its first byte and its folder is
    /// created 0700 (sessions, profiles, recent processes).
    Private,
    /// As the umask says (a manifest in the user's download folder).
    Shared,
}

/// Replaces `path` with `bytes` atomically, creating its folder if needed.
pub(crate) fn write(path: &Path, bytes: &[u8], access: Access) -> io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        Some(_) => Path::new("."),
        None => return Err(io::Error::other("the file has no parent directory")),
    };
    create_dir(dir, access)?;
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::other("no file name"))?
        .to_string_lossy();
    let mut attempt = 0;
    let (tmp, mut file) = loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match create_new(&tmp, access) {
            Ok(file) => break (tmp, file),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 16 => attempt += 1,
            Err(e) => return Err(e),
        }
    };
    let result = set_mode(&file, access)
        .and_then(|()| file.write_all(bytes))
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            fs::rename(&tmp, path)
        });
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(unix)]
fn create_new(path: &Path, access: Access) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    if access == Access::Private {
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(not(unix))]
fn create_new(path: &Path, _access: Access) -> io::Result<fs::File> {
    fs::OpenOptions::new().write(true).create_new(true).open(path)
}

/// Sets 0600 explicitly, so a permissive umask cannot widen a private file.
#[cfg(unix)]
fn set_mode(file: &fs::File, access: Access) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    match access {
        Access::Private => file.set_permissions(fs::Permissions::from_mode(0o600)),
        Access::Shared => Ok(()),
    }
}

#[cfg(not(unix))]
fn set_mode(_file: &fs::File, _access: Access) -> io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn create_dir(dir: &Path, access: Access) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    if access == Access::Private {
        builder.mode(0o700);
    }
    builder.create(dir)
}

#[cfg(not(unix))]
fn create_dir(dir: &Path, _access: Access) -> io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_write_replaces_the_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("recent.json");
        write(&path, b"first", Access::Private).unwrap();
        write(&path, b"second", Access::Private).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("recent.json")]);
    }

    #[test]
    fn writers_at_the_same_time_never_leave_half_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared.json");
        std::thread::scope(|scope| {
            for n in 0..8u8 {
                let path = &path;
                scope.spawn(move || {
                    for _ in 0..20 {
                        write(path, &[n; 4096], Access::Shared).unwrap();
                    }
                });
            }
        });
        let bytes = fs::read(&path).unwrap();
        assert_eq!(bytes.len(), 4096);
        assert!(bytes.iter().all(|b| *b == bytes[0]), "a mix of two writes");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_private_file_is_0600_in_a_0700_folder() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data").join("profiles.json");
        write(&path, b"{}", Access::Private).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(
            fs::metadata(path.parent().unwrap()).unwrap().permissions().mode() & 0o777,
            0o700
        );
    }
}
