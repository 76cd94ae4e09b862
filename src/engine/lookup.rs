//! Process lookups: by id or by name, through the session (renewed once when refused).

use super::session::SessionManager;
use crate::api::client::RetryHook;
use crate::api::{ApiError, Process, ProcessQuery};

/// Looks `query` up; `on_retry` hears about each retry of the request.
pub async fn process(
    session: &SessionManager,
    query: &ProcessQuery,
    on_retry: Option<RetryHook>,
) -> Result<Vec<Process>, ApiError> {
    session
        .run(|client| {
            let client = match &on_retry {
                Some(hook) => client.with_retry_hook(hook.clone()),
                None => client,
            };
            async move { client.process(query).await }
        })
        .await
}
