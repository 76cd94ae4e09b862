//! Process lookups: by id or by name, through the session (renewed once when
//! refused). Every process found is recorded in the session's local index.

use super::session::SessionManager;
use crate::api::client::RetryHook;
use crate::api::{ApiError, Process, ProcessQuery};

/// Looks `query` up; `on_retry` hears about each retry of the request. What
/// is found is recorded in the session's index before it is returned.
pub async fn process(
    session: &SessionManager,
    query: &ProcessQuery,
    on_retry: Option<RetryHook>,
) -> Result<Vec<Process>, ApiError> {
    let result = session
        .run(|client| {
            let client = match &on_retry {
                Some(hook) => client.with_retry_hook(hook.clone()),
                None => client,
            };
            async move { client.process(query).await }
        })
        .await;
    if let (Ok(processes), Some(book)) = (&result, session.index()) {
        book.record(&session.profile().name, processes).await;
    }
    result
}
