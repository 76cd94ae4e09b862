//! `inspect`: a document's summary on stdout, readable at 80 columns, or
//! one JSON object (SPEC.md, "Reading documents").

use super::CliError;
use super::args::InspectArgs;
use super::context::Context;
use crate::engine::preview::{self, PreviewCache, PreviewError};
use crate::inspect::{Budget, Options, describe_in};
use std::io::Write;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// How long one `inspect` may read before it gives up.
const BUDGET: Duration = Duration::from_secs(30);

/// The width human output is laid out for.
const WIDTH: usize = 80;

/// `trackline inspect ATTACHMENT_ID | --file PATH [--json]`.
pub(crate) async fn inspect(context: &Context, args: &InspectArgs) -> Result<u8, CliError> {
    let options = Options {
        budget: Budget::within(BUDGET),
        ..Options::default()
    };
    let (source, report) = match (&args.file, &args.attachment_id) {
        (Some(path), _) => {
            let report = preview::inspect_path(path.clone(), options)
                .await
                .map_err(PreviewError::from)?;
            (path.clone(), report)
        }
        (None, Some(id)) if !id.trim().is_empty() => {
            let session = context.signed_in().await?;
            let cache = PreviewCache::new(
                &context.paths,
                &context.settings.base_url,
                context.settings.preview_cache_bytes,
            );
            let cancel = CancellationToken::new();
            preview::preview_attachment(&session, &cache, id.trim(), None, options, &cancel).await?
        }
        _ => return Err(CliError::Usage(crate::tr!(context.settings.lang, "inspect-no-source"))),
    };
    let mut stdout = std::io::stdout().lock();
    let written = if args.json {
        serde_json::to_writer(&mut stdout, &report)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(stdout))
    } else {
        stdout.write_all(describe_in(context.settings.lang, &report, &source.display().to_string(), WIDTH).as_bytes())
    };
    written.and_then(|()| stdout.flush()).map_err(super::stdout::error)?;
    Ok(crate::exit::OK)
}
