//! Opening a saved file with the user's application: the configured `opener`
//! command, else the system's default (the `open` crate).

use crate::i18n::{Message, message};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long an opener may take to say whether it worked. One still running
/// after that is taken to be the application itself, and left running.
const OPENER_GRACE: Duration = Duration::from_secs(3);

/// How often a running opener is checked during [`OPENER_GRACE`].
const OPENER_POLL: Duration = Duration::from_millis(20);

/// Opens `path` with `opener` (a command given one argument: the path), or
/// with the system's default application when `opener` is `None`.
///
/// Blocks for at most a few seconds, to learn whether the opener failed (run
/// it on a blocking thread in async code). The error says what went wrong,
/// not where the file is: the caller adds that.
pub fn open_path(path: &Path, opener: Option<&str>) -> Result<(), Message> {
    match opener.map(str::trim).filter(|o| !o.is_empty()) {
        Some(opener) => run_opener(opener, path),
        None => open::that_detached(path).map_err(|e| message!("open-no-application", error = Message::of_io(&e))),
    }
}

/// Runs the configured opener: the whole setting as one program when such a
/// file exists, else split at white space into a program and its arguments.
fn run_opener(opener: &str, path: &Path) -> Result<(), Message> {
    let quoted = format!("{opener:?}");
    let mut command = if Path::new(opener).is_file() {
        Command::new(opener)
    } else {
        let mut words = opener.split_whitespace();
        let program = words.next().unwrap_or(opener);
        let mut command = Command::new(program);
        command.args(words);
        command
    };
    let mut child = command
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| message!("open-cannot-run", opener = quoted.as_str(), error = Message::of_io(&e)))?;
    let deadline = Instant::now() + OPENER_GRACE;
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => {
                return Err(message!(
                    "open-opener-failed",
                    opener = quoted.as_str(),
                    status = Message::library_words(&status.to_string())
                ));
            }
            Ok(None) if Instant::now() >= deadline => {
                // Still running: the application itself. Reap it when it ends.
                std::thread::spawn(move || child.wait());
                return Ok(());
            }
            Ok(None) => std::thread::sleep(OPENER_POLL),
            Err(e) => {
                return Err(message!(
                    "open-cannot-watch",
                    opener = quoted.as_str(),
                    error = Message::of_io(&e)
                ));
            }
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::PermissionsExt;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn script(dir: &Path, name: &str, body: &str) -> std::io::Result<std::path::PathBuf> {
        let path = dir.join(name);
        fs::write(&path, format!("#!/bin/sh\n{body}\n"))?;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755))?;
        Ok(path)
    }

    #[test]
    fn the_opener_gets_the_path_as_its_one_argument() -> TestResult {
        let dir = tempfile::tempdir()?;
        let log = dir.path().join("opened.txt");
        let opener = script(
            dir.path(),
            "opener with space.sh",
            &format!("printf '%s\\n' \"$#:$1\" >> '{}'", log.display()),
        )?;
        let file = dir.path().join("Invoice 001.pdf");
        fs::write(&file, b"%PDF")?;
        open_path(&file, opener.to_str())?;
        assert_eq!(fs::read_to_string(&log)?, format!("1:{}\n", file.display()));
        Ok(())
    }

    #[test]
    fn a_failing_or_missing_opener_is_an_error() -> TestResult {
        let dir = tempfile::tempdir()?;
        let failing = script(dir.path(), "fail.sh", "exit 3")?;
        let file = dir.path().join("a.pdf");
        let error = open_path(&file, failing.to_str()).err().ok_or("must fail")?;
        assert!(error.contains("failed"), "{error}");
        let missing = dir.path().join("no-such-opener");
        let error = open_path(&file, missing.to_str()).err().ok_or("must fail")?;
        assert!(error.contains("cannot run"), "{error}");
        Ok(())
    }

    #[test]
    fn an_openers_failure_is_spanish_and_english_as_before() -> TestResult {
        use crate::i18n::Lang;
        let dir = tempfile::tempdir()?;
        let failing = script(dir.path(), "fail.sh", "exit 3")?;
        let file = dir.path().join("a.pdf");
        let error = open_path(&file, failing.to_str()).err().ok_or("must fail")?;
        let quoted = format!("{:?}", failing.display().to_string());
        assert_eq!(
            error.as_str(),
            ["the opener ", &quoted, " failed (exit status: 3)"].concat()
        );
        assert_eq!(
            error.text_in(Lang::Es),
            ["el programa para abrir ", &quoted, " falló ((exit status: 3))"].concat()
        );
        let missing = dir.path().join("no-such-opener");
        let error = open_path(&file, missing.to_str()).err().ok_or("must fail")?;
        let quoted = format!("{:?}", missing.display().to_string());
        assert_eq!(
            error.as_str(),
            [
                "cannot run the opener ",
                &quoted,
                ": No such file or directory (os error 2)"
            ]
            .concat()
        );
        assert_eq!(
            error.text_in(Lang::Es),
            ["no se puede ejecutar el programa para abrir ", &quoted, " (no existe)"].concat()
        );
        Ok(())
    }
}
