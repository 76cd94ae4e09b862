//! Saving one answer: picks its target, opens (or continues) the `.part`
//! file, keeps the resume record while the body streams, and gives the
//! finished file its final name.

use super::error::TransferError;
use super::naming::ensure_inside;
use super::range::validator_of;
use super::resume::{self, Part};
use super::sink::write_body;
use super::target::{Target, create_part, persist};
use super::{DownloadRequest, Downloaded, Progress};
use sha2::{Digest, Sha256};
use tokio_util::sync::CancellationToken;

/// Saves the body of `response` into `part` (resumed or emptied), or a new
/// `.part` file; `claim` says whether this download keeps the resume record.
pub(super) async fn save(
    response: reqwest::Response,
    request: &DownloadRequest,
    part: Option<Part>,
    claim: bool,
    cancel: &CancellationToken,
    on_progress: &mut impl FnMut(Progress),
) -> Result<Downloaded, TransferError> {
    let target = Target::new(request, response.headers()).await?;
    let dir = target.dir().to_path_buf();
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|source| TransferError::Io {
            path: dir.clone(),
            source,
        })?;
    let part = match part {
        Some(part) => part,
        None => {
            let (path, file) = create_part(&dir, target.part_base()).await?;
            Part {
                path,
                file,
                offset: 0,
                hasher: Sha256::new(),
                validator: None,
            }
        }
    };
    if let Target::Named { name, .. } = &target {
        ensure_inside(&dir, &part.path).map_err(|source| TransferError::Io {
            path: dir.join(name),
            source,
        })?;
    }
    let Part {
        path: part_path,
        file,
        offset,
        hasher,
        ..
    } = part;
    if claim {
        let validator = validator_of(response.headers());
        if let Err(error) = resume::write_record(&dir, &request.attachment_id, &part_path, validator.as_deref()).await {
            tracing::debug!(dir = %dir.display(), %error, "cannot write the resume record");
        }
    }
    let body = match write_body(response, file, &part_path, offset, hasher, cancel, on_progress).await {
        Ok(body) => body,
        Err(error) => {
            if matches!(error, TransferError::TooLong { .. }) {
                let _ = tokio::fs::remove_file(&part_path).await;
                if claim {
                    resume::remove_record(&dir, &request.attachment_id, &part_path).await;
                }
            }
            return Err(error);
        }
    };
    let path = persist(part_path.clone(), target).await?;
    if claim {
        resume::remove_record(&dir, &request.attachment_id, &part_path).await;
    }
    Ok(Downloaded {
        attachment_id: request.attachment_id.clone(),
        path: std::path::absolute(&path).unwrap_or(path),
        bytes: body.bytes,
        sha256: body.sha256,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exit;
    use crate::transfer::target::target_dir;
    use futures_util::{StreamExt, stream};
    use std::fs;
    use std::io;
    use std::path::Path;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    /// Saves the body of `response` (status already checked, a whole file)
    /// as `request` says, into a new `.part` file, as a download whose
    /// request was answered does.
    async fn save_response(
        response: reqwest::Response,
        request: &DownloadRequest,
        cancel: &CancellationToken,
        mut on_progress: impl FnMut(Progress),
    ) -> Result<Downloaded, TransferError> {
        let claim = !resume::has_live_record(&target_dir(request), &request.attachment_id).await;
        save(response, request, None, claim, cancel, &mut on_progress).await
    }

    /// A response as reqwest would hand it over, with these headers and a
    /// body made of these chunks.
    fn response<S>(headers: &[(&str, &str)], body: S) -> Result<reqwest::Response, http::Error>
    where
        S: futures_util::Stream<Item = Result<Vec<u8>, io::Error>> + Send + Sync + 'static,
    {
        let mut builder = http::Response::builder().status(200);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        Ok(reqwest::Response::from(builder.body(reqwest::Body::wrap_stream(body))?))
    }

    fn chunks(parts: &[&[u8]]) -> impl futures_util::Stream<Item = Result<Vec<u8>, io::Error>> + Send + Sync + 'static {
        stream::iter(parts.iter().map(|p| Ok(p.to_vec())).collect::<Vec<_>>())
    }

    fn sha256_hex(bytes: &[u8]) -> String {
        hex::encode(Sha256::digest(bytes))
    }

    /// The files in `dir`, resume records left out.
    fn names_in(dir: &Path) -> io::Result<Vec<String>> {
        let mut names = fs::read_dir(dir)?
            .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
            .filter(|n| n.as_ref().map_or(true, |n| !resume::is_record_name(n)))
            .collect::<io::Result<Vec<_>>>()?;
        names.sort();
        Ok(names)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_body_past_several_writeback_windows_is_saved_whole() -> TestResult {
        // 40 MiB in 256 KiB chunks: the writer hints (and drops clean pages)
        // twice while more is written; every byte must still reach the file.
        let dir = tempfile::tempdir()?;
        let body: Vec<u8> = (0..40u32 << 20)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        let len = body.len().to_string();
        let headers = [
            ("content-disposition", "attachment; filename=big.bin"),
            ("content-length", &len),
        ];
        let parts: Vec<Vec<u8>> = body.chunks(256 << 10).map(<[u8]>::to_vec).collect();
        let stream = stream::iter(parts.into_iter().map(Ok::<_, io::Error>));
        let saved = save_response(
            response(&headers, stream)?,
            &DownloadRequest::new("1", dir.path()),
            &CancellationToken::new(),
            |_| {},
        )
        .await?;
        assert_eq!(saved.bytes, body.len() as u64);
        assert_eq!(saved.sha256, sha256_hex(&body));
        assert!(fs::read(&saved.path)? == body, "the saved bytes differ from the body");
        Ok(())
    }

    #[tokio::test]
    async fn saves_the_body_under_the_server_name() -> TestResult {
        let dir = tempfile::tempdir()?;
        let target = dir.path().join("new").join("folder");
        let headers = [
            ("content-disposition", "attachment; filename=\"Invoice_001.pdf\""),
            ("content-type", "application/pdf"),
            ("content-length", "11"),
        ];
        let mut reports = Vec::new();
        let saved = save_response(
            response(&headers, chunks(&[b"%PDF-", b"1.7\n", b"%%"]))?,
            &DownloadRequest::new("98765", &target),
            &CancellationToken::new(),
            |p| reports.push(p),
        )
        .await?;
        assert_eq!(saved.path, target.join("Invoice_001.pdf"));
        assert!(saved.path.is_absolute());
        assert_eq!(saved.bytes, 11);
        assert_eq!(saved.sha256, sha256_hex(b"%PDF-1.7\n%%"));
        assert_eq!(fs::read(&saved.path)?, b"%PDF-1.7\n%%");
        assert_eq!(names_in(&target)?, ["Invoice_001.pdf"]);
        assert_eq!(
            reports.first(),
            Some(&Progress {
                received: 0,
                total: Some(11)
            })
        );
        assert_eq!(
            reports.last(),
            Some(&Progress {
                received: 11,
                total: Some(11)
            })
        );
        Ok(())
    }

    #[tokio::test]
    async fn hostile_names_stay_in_the_directory() -> TestResult {
        let dir = tempfile::tempdir()?;
        let headers = [(
            "content-disposition",
            "attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd",
        )];
        let saved = save_response(
            response(&headers, chunks(&[b"x"]))?,
            &DownloadRequest::new("1", dir.path()),
            &CancellationToken::new(),
            |_| {},
        )
        .await?;
        assert_eq!(names_in(dir.path())?, ["_.._etc_passwd"]);
        assert_eq!(saved.path.parent(), Some(std::path::absolute(dir.path())?.as_path()));
        Ok(())
    }

    #[tokio::test]
    async fn names_fall_back_to_the_document_then_the_id() -> TestResult {
        let dir = tempfile::tempdir()?;
        let mut request = DownloadRequest::new("42", dir.path());
        request.doc_name = Some("Счёт №5.xml".into());
        save_response(
            response(&[], chunks(&[b"<a/>"]))?,
            &request,
            &CancellationToken::new(),
            |_| {},
        )
        .await?;
        request.doc_name = None;
        save_response(
            response(&[("content-type", "application/zip")], chunks(&[b"PK"]))?,
            &request,
            &CancellationToken::new(),
            |_| {},
        )
        .await?;
        assert_eq!(names_in(dir.path())?, ["attachment-42.zip", "Счёт №5.xml"]);
        Ok(())
    }

    #[tokio::test]
    async fn two_downloads_of_one_name_give_two_files() -> TestResult {
        let dir = tempfile::tempdir()?;
        let headers = [("content-disposition", "attachment; filename=\"Invoice_001.pdf\"")];
        let request = DownloadRequest::new("98765", dir.path());
        let cancel = CancellationToken::new();
        let (first, second) = tokio::join!(
            save_response(response(&headers, chunks(&[b"first"]))?, &request, &cancel, |_| {}),
            save_response(response(&headers, chunks(&[b"second"]))?, &request, &cancel, |_| {}),
        );
        let (first, second) = (first?, second?);
        assert_ne!(first.path, second.path);
        assert_eq!(names_in(dir.path())?, ["Invoice_001 (1).pdf", "Invoice_001.pdf"]);
        let mut contents = vec![fs::read(&first.path)?, fs::read(&second.path)?];
        contents.sort();
        assert_eq!(contents, [b"first".to_vec(), b"second".to_vec()]);
        Ok(())
    }

    #[tokio::test]
    async fn a_short_body_keeps_the_part_and_saves_nothing() -> TestResult {
        let dir = tempfile::tempdir()?;
        let headers = [
            ("content-disposition", "attachment; filename=a.pdf"),
            ("content-length", "10"),
        ];
        let error = save_response(
            response(&headers, chunks(&[b"12345"]))?,
            &DownloadRequest::new("1", dir.path()),
            &CancellationToken::new(),
            |_| {},
        )
        .await
        .err()
        .ok_or("a short body must fail")?;
        assert!(
            matches!(
                error,
                TransferError::Incomplete {
                    expected: 10,
                    received: 5,
                    ..
                }
            ),
            "{error}"
        );
        assert_eq!(error.exit_code(), exit::UNAVAILABLE);
        assert!(error.is_retryable());
        assert_eq!(names_in(dir.path())?, ["a.pdf.part"]);
        assert_eq!(fs::read(dir.path().join("a.pdf.part"))?, b"12345");
        assert_eq!(error.part_path(), Some(dir.path().join("a.pdf.part").as_path()));
        assert!(resume::record_path(dir.path(), "1").exists());
        Ok(())
    }

    #[tokio::test]
    async fn a_long_body_is_discarded() -> TestResult {
        let dir = tempfile::tempdir()?;
        let headers = [
            ("content-disposition", "attachment; filename=a.pdf"),
            ("content-length", "3"),
        ];
        let error = save_response(
            response(&headers, chunks(&[b"12", b"345"]))?,
            &DownloadRequest::new("1", dir.path()),
            &CancellationToken::new(),
            |_| {},
        )
        .await
        .err()
        .ok_or("a long body must fail")?;
        assert!(matches!(error, TransferError::TooLong { expected: 3 }), "{error}");
        assert_eq!(fs::read_dir(dir.path())?.count(), 0);
        Ok(())
    }

    #[tokio::test]
    async fn a_broken_stream_keeps_what_arrived() -> TestResult {
        let dir = tempfile::tempdir()?;
        let body = chunks(&[b"abc"]).chain(stream::iter([Err(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "reset",
        ))]));
        let error = save_response(
            response(&[("content-disposition", "attachment; filename=b.xml")], body)?,
            &DownloadRequest::new("1", dir.path()),
            &CancellationToken::new(),
            |_| {},
        )
        .await
        .err()
        .ok_or("a broken stream must fail")?;
        assert!(
            matches!(error, TransferError::Interrupted { received: 3, .. }),
            "{error}"
        );
        assert_eq!(names_in(dir.path())?, ["b.xml.part"]);
        assert_eq!(fs::read(dir.path().join("b.xml.part"))?, b"abc");
        Ok(())
    }

    #[tokio::test]
    async fn cancelling_stops_and_keeps_the_part() -> TestResult {
        let dir = tempfile::tempdir()?;
        let cancel = CancellationToken::new();
        let trigger = cancel.clone();
        let body = chunks(&[b"first chunk"]).chain(stream::once(async move {
            trigger.cancel();
            std::future::pending::<Result<Vec<u8>, io::Error>>().await
        }));
        let error = save_response(
            response(&[("content-disposition", "attachment; filename=c.zip")], body)?,
            &DownloadRequest::new("1", dir.path()),
            &cancel,
            |_| {},
        )
        .await
        .err()
        .ok_or("a cancelled download must fail")?;
        assert!(matches!(error, TransferError::Cancelled { part: Some(_) }), "{error}");
        assert_eq!(names_in(dir.path())?, ["c.zip.part"]);
        assert_eq!(fs::read(dir.path().join("c.zip.part"))?, b"first chunk");
        Ok(())
    }

    #[tokio::test]
    async fn output_writes_the_exact_file_and_never_overwrites() -> TestResult {
        let dir = tempfile::tempdir()?;
        let output = dir.path().join("mine.bin");
        let mut request = DownloadRequest::new("1", dir.path().join("unused"));
        request.output = Some(output.clone());
        let headers = [("content-disposition", "attachment; filename=server.pdf")];
        let saved = save_response(
            response(&headers, chunks(&[b"one"]))?,
            &request,
            &CancellationToken::new(),
            |_| {},
        )
        .await?;
        assert_eq!(saved.path, output);
        assert_eq!(fs::read(&output)?, b"one");

        let error = save_response(
            response(&headers, chunks(&[b"two"]))?,
            &request,
            &CancellationToken::new(),
            |_| {},
        )
        .await
        .err()
        .ok_or("an existing --output must fail")?;
        assert!(matches!(error, TransferError::Exists { .. }), "{error}");
        assert_eq!(fs::read(&output)?, b"one");
        assert_eq!(names_in(dir.path())?, ["mine.bin"]);
        Ok(())
    }

    #[tokio::test]
    async fn a_stale_part_file_is_left_alone() -> TestResult {
        let dir = tempfile::tempdir()?;
        fs::write(dir.path().join("d.pdf.part"), b"someone else's")?;
        let saved = save_response(
            response(
                &[("content-disposition", "attachment; filename=d.pdf")],
                chunks(&[b"mine"]),
            )?,
            &DownloadRequest::new("1", dir.path()),
            &CancellationToken::new(),
            |_| {},
        )
        .await?;
        assert_eq!(fs::read(&saved.path)?, b"mine");
        assert_eq!(fs::read(dir.path().join("d.pdf.part"))?, b"someone else's");
        assert_eq!(names_in(dir.path())?, ["d.pdf", "d.pdf.part"]);
        Ok(())
    }
}
