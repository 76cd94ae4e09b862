//! `index`: fill the local index by looking processes up (nothing is
//! downloaded), or forget it. The lookups record themselves (see
//! [`crate::engine::lookup`]); this command only schedules them.

use super::CliError;
use super::args::IndexArgs;
use super::context::Context;
use super::download::Stop;
use super::ids::read_ids_file;
use crate::api::{ApiError, ProcessQuery};
use crate::engine::lookup;
use crate::exit;
use crate::i18n::Lang;
use crate::text::safe_line;
use crate::tr;
use futures_util::{StreamExt, stream};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// `trackline index --ids-from FILE [--jobs N]` and `trackline index --clear`.
pub(super) async fn index(context: &Context, args: &IndexArgs) -> Result<u8, CliError> {
    let profile = context.settings.profile.clone();
    let lang = context.settings.lang;
    let Some(ids_file) = &args.ids_from else {
        return clear(context, &profile).await;
    };
    let ids = read_ids_file(lang, ids_file)?;
    if ids.is_empty() {
        eprintln!("{}", tr!(lang, "index-no-ids", path = ids_file.display().to_string()));
        return Ok(exit::OK);
    }
    let book = context.index_book();
    let check = book.clone();
    let name = profile.clone();
    tokio::task::spawn_blocking(move || check.open_blocking(&name))
        .await
        .map_err(|e| CliError::Other(tr!(lang, "index-cannot-open", reason = e.to_string())))?
        .map_err(|e| CliError::Other(e.localized(lang)))?;
    let session = context.signed_in().await?;
    let stop = Stop::on_signals();
    let bar = progress(lang, ids.len());
    let jobs = usize::from(args.jobs).max(1);
    let mut lookups = stream::iter(ids.iter())
        .map(|id| {
            let session = &session;
            async move {
                let query = ProcessQuery::Id(id.clone());
                (id, lookup::process(session, &query, None).await)
            }
        })
        .buffer_unordered(jobs);
    let (mut processes, mut documents, mut not_found) = (0usize, 0usize, 0usize);
    let mut errors: Vec<ApiError> = Vec::new();
    loop {
        let next = tokio::select! {
            biased;
            () = stop.token.cancelled() => {
                bar.finish_and_clear();
                eprintln!("{}", tr!(lang, "index-stopped", processes = processes));
                return Ok(stop.exit_code());
            }
            next = lookups.next() => next,
        };
        let Some((id, result)) = next else { break };
        bar.inc(1);
        match result {
            Ok(found) => {
                processes += found.len();
                documents += found.iter().map(|p| p.documents.len()).sum::<usize>();
            }
            Err(error) => {
                if matches!(error, ApiError::NotFound { .. }) {
                    not_found += 1;
                }
                let line = tr!(
                    lang,
                    "index-process-error",
                    id = safe_line(id, 100),
                    message = error.localized(lang)
                );
                if bar.is_hidden() {
                    eprintln!("{line}");
                } else {
                    bar.println(line);
                }
                errors.push(error);
            }
        }
    }
    drop(lookups);
    bar.finish_and_clear();
    let failed = errors.len() - not_found;
    eprintln!(
        "{}",
        tr!(
            lang,
            "index-summary",
            processes = processes,
            documents = documents,
            profile = safe_line(&profile, 100),
            not_found = not_found,
            failed = failed
        )
    );
    if errors.is_empty() {
        Ok(exit::OK)
    } else if processes > 0 {
        Ok(exit::PARTIAL)
    } else {
        Err(CliError::AlreadyReported(errors.remove(0).exit_code()))
    }
}

async fn clear(context: &Context, profile: &str) -> Result<u8, CliError> {
    let lang = context.settings.lang;
    let book = context.index_book();
    let path = book.path(profile).map_err(|e| CliError::Usage(e.localized(lang)))?;
    if !path.exists() {
        eprintln!("{}", tr!(lang, "index-none", profile = safe_line(profile, 100)));
        return Ok(exit::OK);
    }
    let watched = book.watched(profile).await.map_or(0, |set| set.len());
    let (processes, documents) = book
        .clear(profile)
        .await
        .map_err(|e| CliError::Other(e.localized(lang)))?;
    eprintln!(
        "{}",
        tr!(
            lang,
            "index-forgot",
            profile = safe_line(profile, 100),
            processes = processes,
            documents = documents,
            watched = watched
        )
    );
    Ok(exit::OK)
}

/// A bar of lookups done on stderr when it is a terminal; hidden otherwise.
fn progress(lang: Lang, total: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    bar.set_style(super::progress::with_durations(
        lang,
        ProgressStyle::with_template(&format!(
            "{{msg}} [{{bar:30}}] {{pos}}/{{len}} {}, {{elapsed}}",
            tr!(lang, "progress-processes")
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    ));
    bar.set_message(tr!(lang, "progress-looking-up"));
    bar
}
