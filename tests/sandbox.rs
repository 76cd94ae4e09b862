//! The sandbox server over real HTTP on 127.0.0.1, driven with reqwest.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use base64::Engine as _;
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use trackline::sandbox::{
    Content, DEMO_EMAIL, DEMO_PASSWORD, Faults, GUIDE_DOC_ID, GUIDE_PROCESS_ID, HOSTILE_PROCESS_ID, LARGE_DOC_ID,
    LARGE_PROCESS_ID, MANY_DOCS_COUNT, MANY_DOCS_PROCESS_ID, MINIMAL_PROCESS_ID, MISSING_ATTACHMENT_ID,
    NUMERIC_PROCESS_ID, SHARED_NAME, Sandbox, SandboxOptions, sample_data,
};

const METADATA: &str = "/track-line/ext/track-path/metadata";
const FILE: &str = "/track-line/ext/attachment/file";

async fn start_with(faults: Faults) -> Sandbox {
    Sandbox::start(SandboxOptions {
        faults,
        ..SandboxOptions::default()
    })
    .await
    .expect("sandbox starts")
}

async fn start() -> Sandbox {
    start_with(Faults::default()).await
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn login(sandbox: &Sandbox) -> String {
    let response = client()
        .post(format!("{}/login", sandbox.base_url()))
        .json(&json!({ "email": DEMO_EMAIL, "password": DEMO_PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    body["token"].as_str().unwrap().to_owned()
}

async fn metadata(sandbox: &Sandbox, token: &str, query: &[(&str, &str)]) -> reqwest::Response {
    client()
        .get(format!("{}{METADATA}", sandbox.base_url()))
        .bearer_auth(token)
        .query(query)
        .send()
        .await
        .unwrap()
}

async fn download(
    sandbox: &Sandbox,
    token: &str,
    doc_id: &str,
    headers: &[(header::HeaderName, &str)],
) -> reqwest::Response {
    let mut request = client()
        .get(format!("{}{FILE}", sandbox.base_url()))
        .bearer_auth(token)
        .query(&[("attachment_id", doc_id)]);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    request.send().await.unwrap()
}

async fn message(response: reqwest::Response) -> String {
    let body: Value = response.json().await.unwrap();
    body["message"].as_str().unwrap().to_owned()
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> String {
    headers
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

fn jwt_claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

#[tokio::test]
async fn demo_login_returns_a_jwt_for_the_demo_user_that_lives_token_ttl() {
    let sandbox = Sandbox::start(SandboxOptions {
        token_ttl: Duration::from_secs(600),
        ..SandboxOptions::default()
    })
    .await
    .unwrap();
    let token = login(&sandbox).await;
    let claims = jwt_claims(&token);
    assert_eq!(claims["sub"], DEMO_EMAIL);
    let (iat, exp) = (claims["iat"].as_u64().unwrap(), claims["exp"].as_u64().unwrap());
    assert_eq!(exp - iat, 600);
    assert_eq!(sandbox.login_count(), 1);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn wrong_credentials_get_401_and_a_malformed_body_400() {
    let sandbox = start().await;
    let url = format!("{}/login", sandbox.base_url());
    let wrong = client()
        .post(&url)
        .json(&json!({ "email": DEMO_EMAIL, "password": "nope" }))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(message(wrong).await, "Invalid email or password");

    let malformed = client().post(&url).body("{not json").send().await.unwrap();
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    let missing_field = client()
        .post(&url)
        .json(&json!({ "email": DEMO_EMAIL }))
        .send()
        .await
        .unwrap();
    assert_eq!(missing_field.status(), StatusCode::BAD_REQUEST);
    assert_eq!(sandbox.login_count(), 3);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_guides_example_process_comes_back_by_id() {
    let sandbox = start().await;
    let token = login(&sandbox).await;
    let response = metadata(&sandbox, &token, &[("process_id", GUIDE_PROCESS_ID)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({
            "process_id": "12345",
            "name": "Odoo Billing Process",
            "status": "In Progress",
            "created_at": "2024-02-09T10:30:00Z",
            "documents": [
                { "doc_id": "98765", "doc_name": "Invoice_001.pdf", "doc_type": "Invoice" }
            ]
        })
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_unique_name_answers_an_object_and_a_shared_name_an_array() {
    let sandbox = start().await;
    let token = login(&sandbox).await;

    let unique: Value = metadata(&sandbox, &token, &[("process_name", "Odoo Billing Process")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(unique["process_id"], GUIDE_PROCESS_ID);

    let shared: Value = metadata(&sandbox, &token, &[("process_name", SHARED_NAME)])
        .await
        .json()
        .await
        .unwrap();
    let shared = shared.as_array().expect("an array for a shared name");
    assert_eq!(shared.len(), 2);
    assert!(shared.iter().all(|p| p["name"] == SHARED_NAME));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn ids_can_be_json_numbers_and_fields_can_be_missing_or_extra() {
    let sandbox = start().await;
    let token = login(&sandbox).await;

    let numeric: Value = metadata(&sandbox, &token, &[("process_id", NUMERIC_PROCESS_ID)])
        .await
        .json()
        .await
        .unwrap();
    assert!(numeric["process_id"].is_number());
    assert!(numeric["documents"][0]["doc_id"].is_number());

    let minimal: Value = metadata(&sandbox, &token, &[("process_id", MINIMAL_PROCESS_ID)])
        .await
        .json()
        .await
        .unwrap();
    assert!(minimal.get("name").is_none() && minimal.get("status").is_none());
    assert!(minimal["documents"][0].get("doc_type").is_none());

    let extra: Value = metadata(&sandbox, &token, &[("process_id", "12346")])
        .await
        .json()
        .await
        .unwrap();
    assert!(extra["tags"].is_array());
    assert!(extra["approval"].is_object());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn processes_come_in_every_status() {
    let statuses: Vec<&str> = sample_data()
        .processes()
        .iter()
        .filter_map(|p| p["status"].as_str())
        .collect();
    for status in [
        "In Progress",
        "Completed",
        "Pending",
        "Failed",
        "Error",
        "Cancelled",
        "On Hold",
    ] {
        assert!(statuses.contains(&status), "no process is {status}");
    }
}

#[tokio::test]
async fn unknown_processes_get_404_and_bad_queries_400() {
    let sandbox = start().await;
    let token = login(&sandbox).await;
    let unknown = metadata(&sandbox, &token, &[("process_id", "999999")]).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(message(unknown).await, "Process not found");
    let unknown_name = metadata(&sandbox, &token, &[("process_name", "No such process")]).await;
    assert_eq!(unknown_name.status(), StatusCode::NOT_FOUND);

    let neither = metadata(&sandbox, &token, &[]).await;
    assert_eq!(neither.status(), StatusCode::BAD_REQUEST);
    let both = metadata(
        &sandbox,
        &token,
        &[
            ("process_id", GUIDE_PROCESS_ID),
            ("process_name", "Odoo Billing Process"),
        ],
    )
    .await;
    assert_eq!(both.status(), StatusCode::BAD_REQUEST);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn calls_without_a_valid_token_get_401() {
    let sandbox = start().await;
    let other = start().await;
    let url = format!("{}{METADATA}?process_id={GUIDE_PROCESS_ID}", sandbox.base_url());

    let missing = client().get(&url).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    assert!(!message(missing).await.is_empty());

    // Signed by another sandbox: what a token from an earlier run looks like.
    let foreign = login(&other).await;
    let expired = sandbox.issue_token_expiring_at(unix_now() - 60).unwrap();
    for (token, expected) in [
        (foreign.as_str(), "Invalid token"),
        ("not.a.jwt", "Invalid token"),
        (expired.as_str(), "Token expired"),
    ] {
        let response = metadata(&sandbox, token, &[("process_id", GUIDE_PROCESS_ID)]).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{expected}");
        assert_eq!(message(response).await, expected);
        let file = download(&sandbox, token, GUIDE_DOC_ID, &[]).await;
        assert_eq!(file.status(), StatusCode::UNAUTHORIZED);
    }

    let fresh = sandbox.issue_token_expiring_at(unix_now() + 60).unwrap();
    let ok = metadata(&sandbox, &fresh, &[("process_id", GUIDE_PROCESS_ID)]).await;
    assert_eq!(ok.status(), StatusCode::OK);
    sandbox.shutdown().await;
    other.shutdown().await;
}

#[tokio::test]
async fn every_embedded_file_downloads_with_the_expected_bytes_and_headers() {
    let sandbox = start().await;
    let token = login(&sandbox).await;
    let data = sample_data();
    let documents = data
        .documents()
        .iter()
        .filter(|d| matches!(d.content, Content::Embedded { .. }));
    let mut count = 0;
    for document in documents {
        let response = download(&sandbox, &token, &document.doc_id, &[]).await;
        assert_eq!(response.status(), StatusCode::OK, "{}", document.doc_id);
        let headers = response.headers().clone();
        assert_eq!(header_text(&headers, header::CONTENT_TYPE), document.content_type());
        assert_eq!(
            header_text(&headers, header::CONTENT_LENGTH),
            data.document_len(&document.doc_id).unwrap().to_string()
        );
        assert_eq!(header_text(&headers, header::ACCEPT_RANGES), "bytes");
        assert!(header_text(&headers, header::ETAG).starts_with('"'));
        assert!(!header_text(&headers, header::LAST_MODIFIED).is_empty());
        let body = response.bytes().await.unwrap();
        assert_eq!(
            hex::encode(Sha256::digest(&body)),
            data.document_sha256(&document.doc_id).unwrap(),
            "{}",
            document.doc_id
        );
        count += 1;
    }
    assert!(count > 20, "only {count} embedded documents");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_guides_invoice_is_a_real_pdf_and_other_formats_are_real_too() {
    let sandbox = start().await;
    let token = login(&sandbox).await;
    for (doc_id, content_type, magic) in [
        (GUIDE_DOC_ID, "application/pdf", &b"%PDF-"[..]),
        ("98766", "application/xml", &b"<?xml"[..]),
        ("98767", "application/zip", &b"PK\x03\x04"[..]),
        ("98768", "image/jpeg", &b"\xff\xd8\xff"[..]),
    ] {
        let response = download(&sandbox, &token, doc_id, &[]).await;
        assert_eq!(header_text(response.headers(), header::CONTENT_TYPE), content_type);
        let body = response.bytes().await.unwrap();
        assert!(body.starts_with(magic), "{doc_id} does not start like {content_type}");
    }
    let invoice = download(&sandbox, &token, GUIDE_DOC_ID, &[]).await;
    assert_eq!(
        header_text(invoice.headers(), header::CONTENT_DISPOSITION),
        "attachment; filename=\"Invoice_001.pdf\"; filename*=UTF-8''Invoice_001.pdf"
    );
    assert!(invoice.bytes().await.unwrap().ends_with(b"%%EOF\n"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn unknown_and_missing_attachments_get_404_and_no_id_400() {
    let sandbox = start().await;
    let token = login(&sandbox).await;
    let missing = download(&sandbox, &token, MISSING_ATTACHMENT_ID, &[]).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let unknown = download(&sandbox, &token, "424242", &[]).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(message(unknown).await, "Attachment not found");
    let no_id = client()
        .get(format!("{}{FILE}", sandbox.base_url()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(no_id.status(), StatusCode::BAD_REQUEST);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn range_requests_resume_and_if_range_mismatch_sends_the_whole_file() {
    let sandbox = start().await;
    let token = login(&sandbox).await;
    let whole = sample_data().document_bytes(GUIDE_DOC_ID).unwrap();
    let len = whole.len();

    let tail = download(&sandbox, &token, GUIDE_DOC_ID, &[(header::RANGE, "bytes=100-")]).await;
    assert_eq!(tail.status(), StatusCode::PARTIAL_CONTENT);
    let etag = header_text(tail.headers(), header::ETAG);
    assert_eq!(
        header_text(tail.headers(), header::CONTENT_RANGE),
        format!("bytes 100-{}/{len}", len - 1)
    );
    assert_eq!(
        header_text(tail.headers(), header::CONTENT_LENGTH),
        (len - 100).to_string()
    );
    assert_eq!(tail.bytes().await.unwrap(), whole[100..]);

    let middle = download(&sandbox, &token, GUIDE_DOC_ID, &[(header::RANGE, "bytes=10-19")]).await;
    assert_eq!(middle.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(middle.bytes().await.unwrap(), whole[10..20]);

    let same = download(
        &sandbox,
        &token,
        GUIDE_DOC_ID,
        &[(header::RANGE, "bytes=100-"), (header::IF_RANGE, &etag)],
    )
    .await;
    assert_eq!(same.status(), StatusCode::PARTIAL_CONTENT);

    let changed = download(
        &sandbox,
        &token,
        GUIDE_DOC_ID,
        &[(header::RANGE, "bytes=100-"), (header::IF_RANGE, "\"something-else\"")],
    )
    .await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_eq!(changed.bytes().await.unwrap(), whole[..]);

    let beyond = download(
        &sandbox,
        &token,
        GUIDE_DOC_ID,
        &[(header::RANGE, &format!("bytes={len}-"))],
    )
    .await;
    assert_eq!(beyond.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(
        header_text(beyond.headers(), header::CONTENT_RANGE),
        format!("bytes */{len}")
    );

    let recorded = sandbox.requests();
    let ranged: Vec<_> = recorded.iter().filter_map(|r| r.range.as_deref()).collect();
    assert_eq!(ranged[0], "bytes=100-");
    assert!(
        recorded
            .iter()
            .filter(|r| r.path.ends_with(FILE))
            .all(|r| r.authorization)
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn with_no_range_every_download_is_a_whole_200() {
    let sandbox = start_with(Faults {
        no_range: true,
        ..Faults::default()
    })
    .await;
    let token = login(&sandbox).await;
    let response = download(&sandbox, &token, GUIDE_DOC_ID, &[(header::RANGE, "bytes=100-")]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get(header::ACCEPT_RANGES).is_none());
    assert_eq!(
        response.bytes().await.unwrap(),
        sample_data().document_bytes(GUIDE_DOC_ID).unwrap()
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn drop_after_bytes_cuts_the_first_download_only() {
    let sandbox = start_with(Faults {
        drop_after_bytes: Some(100),
        ..Faults::default()
    })
    .await;
    let token = login(&sandbox).await;
    let whole = sample_data().document_bytes(GUIDE_DOC_ID).unwrap();

    let mut first = download(&sandbox, &token, GUIDE_DOC_ID, &[]).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.content_length(), Some(whole.len() as u64));
    let mut received = Vec::new();
    let outcome = loop {
        match first.chunk().await {
            Ok(Some(chunk)) => received.extend_from_slice(&chunk),
            Ok(None) => break Ok(()),
            Err(error) => break Err(error),
        }
    };
    assert!(outcome.is_err(), "the cut body must end in an error");
    assert_eq!(received, whole[..100], "exactly the bytes before the cut arrive");

    let second = download(&sandbox, &token, GUIDE_DOC_ID, &[]).await;
    assert_eq!(second.bytes().await.unwrap(), whole);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn over_the_rate_limit_requests_get_429_with_retry_after() {
    let sandbox = start_with(Faults {
        rate_limit: Some(1),
        ..Faults::default()
    })
    .await;
    let url = format!("{}{METADATA}?process_id={GUIDE_PROCESS_ID}", sandbox.base_url());
    let mut limited = None;
    for _ in 0..20 {
        let response = client().get(&url).send().await.unwrap();
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(response);
            break;
        }
    }
    let limited = limited.expect("a 429 within 20 requests at 1 per second");
    assert_eq!(header_text(limited.headers(), header::RETRY_AFTER), "1");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn failures_follow_the_seed() {
    async fn statuses(seed: u64) -> Vec<u16> {
        let sandbox = start_with(Faults {
            fail_rate: 0.5,
            seed,
            ..Faults::default()
        })
        .await;
        let url = format!("{}/login", sandbox.base_url());
        let mut statuses = Vec::new();
        for _ in 0..16 {
            let response = client()
                .post(&url)
                .json(&json!({ "email": DEMO_EMAIL, "password": DEMO_PASSWORD }))
                .send()
                .await
                .unwrap();
            statuses.push(response.status().as_u16());
        }
        sandbox.shutdown().await;
        statuses
    }
    let first = statuses(42).await;
    assert_eq!(first, statuses(42).await);
    assert!(first.contains(&503) && first.contains(&200), "{first:?}");
}

#[tokio::test]
async fn hostile_names_are_sent_as_they_are_in_filename_star() {
    let sandbox = start().await;
    let token = login(&sandbox).await;
    let process: Value = metadata(&sandbox, &token, &[("process_id", HOSTILE_PROCESS_ID)])
        .await
        .json()
        .await
        .unwrap();
    assert!(process["name"].as_str().unwrap().contains("\u{1b}[2J"));
    let names: Vec<&str> = process["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["doc_name"].as_str())
        .collect();
    for expected in ["../../x", "/etc/passwd", "invoice\u{202e}fdp.exe"] {
        assert!(names.contains(&expected), "{expected:?} missing");
    }
    assert!(names.iter().any(|n| n.len() == 300));
    assert!(names.iter().any(|n| n.contains('\u{9b}')));
    assert!(names.iter().any(|n| n.contains("\u{1b}]52;c;")));

    for doc_id in ["66601", "66602", "66605", "66606", "66609", "66610"] {
        let name = sample_data().document(doc_id).unwrap().doc_name.clone().unwrap();
        let response = download(&sandbox, &token, doc_id, &[]).await;
        assert_eq!(response.status(), StatusCode::OK);
        let disposition = header_text(response.headers(), header::CONTENT_DISPOSITION);
        let encoded = disposition.split("filename*=UTF-8''").nth(1).unwrap();
        let decoded = percent_encoding::percent_decode_str(encoded).decode_utf8().unwrap();
        assert_eq!(decoded, name, "{disposition}");
        assert!(disposition.starts_with("attachment; filename=\""));
    }
    let traversal = download(&sandbox, &token, "66606", &[]).await;
    assert!(header_text(traversal.headers(), header::CONTENT_DISPOSITION).contains("filename*=UTF-8''..%2F..%2Fx"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_process_has_ten_thousand_documents_that_download() {
    let sandbox = start().await;
    let token = login(&sandbox).await;
    let process: Value = metadata(&sandbox, &token, &[("process_id", MANY_DOCS_PROCESS_ID)])
        .await
        .json()
        .await
        .unwrap();
    let documents = process["documents"].as_array().unwrap();
    assert_eq!(documents.len(), MANY_DOCS_COUNT as usize);
    for document in [&documents[0], &documents[4321], &documents[documents.len() - 1]] {
        let doc_id = document["doc_id"].as_str().unwrap();
        let body = download(&sandbox, &token, doc_id, &[]).await.bytes().await.unwrap();
        assert_eq!(Some(body.to_vec()), sample_data().document_bytes(doc_id));
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_large_file_is_a_gibibyte_and_answers_ranges_anywhere() {
    let data = sample_data();
    let len = data.document_len(LARGE_DOC_ID).unwrap();
    assert!(len >= 1 << 30);

    let sandbox = start().await;
    let token = login(&sandbox).await;
    let process: Value = metadata(&sandbox, &token, &[("process_id", LARGE_PROCESS_ID)])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(process["documents"][0]["doc_id"], LARGE_DOC_ID);

    let near_end = len - 100_000;
    let tail = download(
        &sandbox,
        &token,
        LARGE_DOC_ID,
        &[(header::RANGE, &format!("bytes={near_end}-"))],
    )
    .await;
    assert_eq!(tail.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        header_text(tail.headers(), header::CONTENT_RANGE),
        format!("bytes {near_end}-{}/{len}", len - 1)
    );
    let body = tail.bytes().await.unwrap();
    assert_eq!(body.len(), 100_000);
    assert_eq!(
        Some(body.to_vec()),
        data.document_range(LARGE_DOC_ID, near_end, 100_000)
    );

    // Unaligned, across a chunk boundary.
    let middle = download(&sandbox, &token, LARGE_DOC_ID, &[(header::RANGE, "bytes=65531-65547")])
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(Some(middle.to_vec()), data.document_range(LARGE_DOC_ID, 65531, 17));

    // A full GET announces the whole length; read only its first chunk.
    let mut full = download(&sandbox, &token, LARGE_DOC_ID, &[]).await;
    assert_eq!(full.content_length(), Some(len));
    let first = full.chunk().await.unwrap().unwrap();
    assert_eq!(
        Some(first.to_vec()),
        data.document_range(LARGE_DOC_ID, 0, first.len() as u64)
    );
    drop(full);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_stopped_sandbox_refuses_connections() {
    let sandbox = start().await;
    let url = format!("{}/login", sandbox.base_url());
    sandbox.shutdown().await;
    assert!(client().post(&url).body("{}").send().await.is_err());
}

/// Every sample process is listed, with what it shows, in the sandbox's
/// banner's list and in the README; the list names no process the data lacks.
#[test]
fn every_sample_process_is_listed_in_the_banner_list_and_the_readme() {
    let data = trackline::sandbox::sample_data();
    let ids: Vec<String> = data
        .processes()
        .iter()
        .map(|p| match &p["process_id"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    let listed: Vec<&str> = trackline::sandbox::SAMPLES.iter().map(|(id, _)| *id).collect();
    let mut sorted_ids = ids.clone();
    sorted_ids.sort();
    let mut sorted_listed: Vec<String> = listed.iter().map(|s| s.to_string()).collect();
    sorted_listed.sort();
    assert_eq!(sorted_ids, sorted_listed, "SAMPLES and the sample data disagree");
    let readme = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for (id, shows) in trackline::sandbox::SAMPLES {
        let row = format!("| `{id}` | {} |", shows.replace("\\\"", "\""));
        assert!(readme.contains(&row), "the README lacks {row}");
    }
}

/// `trackline sandbox` says where it listens, the demo login, and the samples.
#[test]
fn the_sandbox_banner_lists_the_sample_processes() {
    use std::io::{BufRead, BufReader};
    let home = tempfile::TempDir::new().unwrap();
    let mut child = common::isolated(env!("CARGO_BIN_EXE_trackline"), home.path())
        .args(["sandbox", "--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let banner: Vec<String> = BufReader::new(stdout)
        .lines()
        .map(Result::unwrap)
        .take(3 + trackline::sandbox::SAMPLES.len())
        .collect();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        banner[0].starts_with("Trackline sandbox listening on http://127.0.0.1:"),
        "{banner:?}"
    );
    assert!(banner[1].contains("demo@trackline.local"), "{banner:?}");
    assert_eq!(banner[2], "Sample processes:");
    assert!(
        banner
            .iter()
            .any(|l| l.contains("12345") && l.contains("Odoo Billing Process")),
        "{banner:?}"
    );
}
