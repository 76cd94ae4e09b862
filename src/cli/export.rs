//! `export`: every document of every listed process into one folder, with a
//! manifest. A second export into the same folder skips every document whose
//! file is still there with the same size and SHA-256 (see [`super::manifest`]).

use super::CliError;
use super::args::ExportArgs;
use super::context::Context;
use super::download::{Stop, check_folder, document_request, fetch, is_cancelled, print_saved};
use super::ids::read_ids_file;
use super::manifest::{
    MANIFEST_NAME, ManifestRow, STATUS_DOWNLOADED, STATUS_FAILED, STATUS_UNCHANGED, in_folder, read_manifest,
    relative_path, still_there, write_manifest,
};
use super::progress::Bars;
use crate::api::{Process, ProcessQuery};
use crate::engine::{DownloadQueue, lookup};
use crate::exit;
use crate::text::safe_line;
use crate::tr;
use crate::transfer::{DownloadRequest, Downloaded, naming::process_folder_name};
use futures_util::{StreamExt, stream};
use std::collections::HashMap;
use std::sync::Arc;

/// `trackline export --ids-from FILE [-o DIR] [--jobs N]`.
pub(super) async fn export(context: &Context, args: &ExportArgs) -> Result<u8, CliError> {
    let lang = context.settings.lang;
    let ids = read_ids_file(lang, &args.ids_from)?;
    let dir = args
        .output_dir
        .clone()
        .unwrap_or_else(|| context.settings.download_dir.clone());
    if ids.is_empty() {
        eprintln!(
            "{}",
            tr!(lang, "export-no-ids", path = args.ids_from.display().to_string())
        );
        return Ok(exit::OK);
    }
    check_folder(lang, &dir)?;
    std::fs::create_dir_all(&dir).map_err(|e| {
        CliError::Other(tr!(
            lang,
            "export-cannot-create",
            path = dir.display().to_string(),
            reason = crate::i18n::Message::of_io(&e).text_in(lang)
        ))
    })?;
    let manifest_path = dir.join(MANIFEST_NAME);
    let previous = match read_manifest(&manifest_path) {
        Ok(rows) => rows,
        Err(error) => {
            eprintln!("{}", tr!(lang, "export-bad-manifest", reason = error.to_string()));
            Vec::new()
        }
    };
    let previous: HashMap<(String, String), ManifestRow> = previous
        .into_iter()
        .filter(|row| row.status == STATUS_DOWNLOADED || row.status == STATUS_UNCHANGED)
        .map(|row| ((row.process_id.clone(), row.doc_id.clone()), row))
        .collect();
    let jobs = usize::from(args.jobs).max(1);
    let queue = DownloadQueue::new(Arc::new(context.signed_in().await?), jobs);
    let stop = Stop::on_signals();
    let cancel = stop.token.clone();

    let lookups: Vec<(String, Result<Vec<Process>, CliError>)> = stream::iter(ids)
        .map(|id| {
            let session = queue.session();
            async move {
                let query = ProcessQuery::Id(id.clone());
                let result = lookup::process(session, &query, None).await.map_err(CliError::from);
                (id, result)
            }
        })
        .buffered(jobs)
        .collect()
        .await;

    let mut rows: Vec<ManifestRow> = Vec::new();
    let mut tasks: Vec<(usize, DownloadRequest, Option<ManifestRow>)> = Vec::new();
    let mut errors: Vec<CliError> = Vec::new();
    for (id, result) in lookups {
        let processes = match result {
            Ok(processes) => processes,
            Err(error) => {
                eprintln!("{}", tr!(lang, "cli-error", message = error.localized(lang)));
                rows.push(ManifestRow::failed_process(&id, &error));
                errors.push(error);
                continue;
            }
        };
        for process in &processes {
            let folder_name = process_folder_name(process.process_id.as_str(), process.name.as_deref());
            let folder = dir.join(&folder_name);
            for document in &process.documents {
                let row = ManifestRow::for_document(process, document);
                let earlier = previous
                    .get(&(row.process_id.clone(), row.doc_id.clone()))
                    .filter(|earlier| in_folder(&earlier.path, &folder_name))
                    .cloned();
                tasks.push((rows.len(), document_request(document, &folder), earlier));
                rows.push(row);
            }
        }
    }

    let bars = Bars::new(lang, tasks.len());
    let mut results = stream::iter(tasks)
        .map(|(index, request, earlier)| {
            let (queue, cancel, bars, dir) = (&queue, &cancel, &bars, dir.as_path());
            async move {
                if let Some(earlier) = earlier
                    && still_there(dir, &earlier).await
                {
                    bars.file_done(None);
                    return (index, Outcome::Unchanged(earlier));
                }
                let result = fetch(queue, &request, cancel, bars).await;
                (index, Outcome::Fetched(result))
            }
        })
        .buffer_unordered(jobs);
    let mut interrupted = false;
    while let Some((index, outcome)) = results.next().await {
        let Some(row) = rows.get_mut(index) else {
            continue;
        };
        match outcome {
            Outcome::Unchanged(earlier) => {
                row.path = earlier.path;
                row.bytes = earlier.bytes;
                row.sha256 = earlier.sha256;
                row.status = STATUS_UNCHANGED.to_string();
            }
            Outcome::Fetched(Ok(saved)) => {
                bars.suspend(|| print_saved(&saved, false))?;
                row.path = relative_path(&dir, &saved.path);
                row.bytes = Some(saved.bytes);
                row.sha256 = saved.sha256;
                row.status = STATUS_DOWNLOADED.to_string();
            }
            Outcome::Fetched(Err(error)) => {
                interrupted |= is_cancelled(&error);
                if !is_cancelled(&error) {
                    bars.println(&tr!(
                        lang,
                        "export-document-error",
                        process = safe_line(&row.process_id, 60),
                        document = safe_line(&row.doc_id, 60),
                        message = error.localized(lang)
                    ));
                }
                row.status = STATUS_FAILED.to_string();
                row.error = safe_line(&error.to_string(), 500);
                errors.push(error);
            }
        }
    }
    drop(results);
    bars.finish();
    write_manifest(&manifest_path, &rows).map_err(|e| {
        CliError::Other(tr!(
            lang,
            "store-write",
            path = manifest_path.display().to_string(),
            reason = crate::i18n::Message::of_io(&e).text_in(lang)
        ))
    })?;

    let count = |status: &str| rows.iter().filter(|r| r.status == status).count();
    let (downloaded, unchanged, failed) = (count(STATUS_DOWNLOADED), count(STATUS_UNCHANGED), count(STATUS_FAILED));
    eprintln!(
        "{}",
        tr!(
            lang,
            "export-summary",
            downloaded = downloaded,
            unchanged = unchanged,
            failed = failed,
            path = manifest_path.display().to_string()
        )
    );
    if interrupted {
        return Ok(stop.exit_code());
    }
    if errors.is_empty() {
        Ok(exit::OK)
    } else if downloaded + unchanged > 0 {
        Ok(exit::PARTIAL)
    } else {
        Err(errors.remove(0))
    }
}

/// What became of one document of an export.
enum Outcome {
    /// The previous export's file is still there, unchanged.
    Unchanged(ManifestRow),
    /// It was downloaded, or failed.
    Fetched(Result<Downloaded, CliError>),
}
