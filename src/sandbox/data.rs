//! The sandbox's sample data: processes from `assets/sandbox/processes.json`,
//! files from `assets/sandbox/files/` (embedded in the binary), and two
//! processes made in code: one with 10,000 documents and one with a 1 GiB file
//! whose bytes are computed from their offset, so it is never stored.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The guides' example process.
pub const GUIDE_PROCESS_ID: &str = "12345";
/// The guides' example document (`Invoice_001.pdf`, a real PDF).
pub const GUIDE_DOC_ID: &str = "98765";
/// A process whose name `SHARED_NAME` is shared by two processes.
pub const SHARED_NAME: &str = "Month-End Close";
/// Every sample process and what it shows, for the sandbox's banner and the
/// README (a test keeps the three in step with the data).
pub const SAMPLES: &[(&str, &str)] = &[
    (
        "12345",
        "the guides' example: Odoo Billing Process, In Progress, Invoice_001.pdf (98765)",
    ),
    (
        "12346",
        "Completed, nested additional data (customer, approval), a PDF, an XML e-invoice, a ZIP, a photo",
    ),
    (
        "12347",
        "Pending: a contract, and a document whose file is gone (98771: not found)",
    ),
    ("12348", "Failed, with an error message and a retry count"),
    ("12349", "Error, with an error code"),
    ("12350", "Cancelled, who and why"),
    ("12351", "On Hold"),
    ("12352", "Draft, no documents"),
    ("12353", "Awaiting Approval, an amount and tags"),
    ("12360", "\"Month-End Close\" (Completed): a name two processes share"),
    ("12361", "\"Month-End Close\" (In Progress): the other one"),
    ("31337", "Payroll Export: ids sent as JSON numbers"),
    ("54321", "the guides' minimal example: no name, status or date"),
    ("54323", "documents without names"),
    (
        "66666",
        "hostile: escape sequences, ../ paths, very long names, 20 documents",
    ),
    ("70001", "Cyrillic names"),
    ("70002", "Japanese names"),
    ("70003", "Arabic names (right to left)"),
    (
        "15000",
        "e-invoices of every format for inspect: UBL, CII, Factur-X PDF, Facturae (IRPF, signed), CFDI, FatturaPA; credit notes",
    ),
    (
        "15001",
        "a document of every other kind for inspect: a scan, photos (one rotated), PNG, GIF, WebP, a nested ZIP, CSV, JSON, UTF-16 and Latin-1 text",
    ),
    ("10000", "10,000 documents"),
    ("10001", "1,000 small receipts (benchmarks)"),
    ("20000", "a 1 GiB file"),
    ("20001", "three 1 GiB copies and a 1 MiB file (benchmarks)"),
];

/// A process whose `process_id` (and its documents' `doc_id`s) are JSON numbers.
pub const NUMERIC_PROCESS_ID: &str = "31337";
/// The guides' minimal example: no name, status or created_at; a document without doc_type.
pub const MINIMAL_PROCESS_ID: &str = "54321";
/// A document listed in a process whose file the server does not have (download answers 404).
pub const MISSING_ATTACHMENT_ID: &str = "98771";
/// The process with hostile names (escape sequences, `../`, bidi, long, non-Latin).
pub const HOSTILE_PROCESS_ID: &str = "66666";
/// The process of sample e-invoices, one per format (and credit notes, several
/// rates, a Facturae withholding, signed files), for `inspect`.
pub const INVOICES_PROCESS_ID: &str = "15000";
/// The process of documents of every other kind a preview reads.
pub const PREVIEWS_PROCESS_ID: &str = "15001";
/// The process with 10,000 documents, made in code.
pub const MANY_DOCS_PROCESS_ID: &str = "10000";
/// How many documents [`MANY_DOCS_PROCESS_ID`] has.
pub const MANY_DOCS_COUNT: u32 = 10_000;
/// The process holding the large generated file.
pub const LARGE_PROCESS_ID: &str = "20000";
/// The large generated file's document id.
pub const LARGE_DOC_ID: &str = "77777";
/// The large generated file's length: 1 GiB.
pub const LARGE_LEN: u64 = 1 << 30;
/// The process with exactly 1,000 small receipts (a copy of the first 1,000 of
/// [`MANY_DOCS_PROCESS_ID`]), for timing bulk exports.
pub const BENCH_RECEIPTS_PROCESS_ID: &str = "10001";
/// How many documents [`BENCH_RECEIPTS_PROCESS_ID`] has.
pub const BENCH_RECEIPTS_COUNT: u32 = 1_000;
/// The process holding the 1 MiB generated file and three copies of the
/// large one (to time three large downloads at once).
pub const MEDIUM_PROCESS_ID: &str = "20001";
/// The 1 MiB generated file's document id (the first MiB of the large file).
pub const MEDIUM_DOC_ID: &str = "77778";
/// The 1 MiB generated file's length.
pub const MEDIUM_LEN: u64 = 1 << 20;
/// The document ids of the three copies of the large file in [`MEDIUM_PROCESS_ID`].
pub const LARGE_COPY_IDS: [&str; 3] = ["77779", "77780", "77781"];

/// The first of the processes made on request for timing the index (not
/// listed by [`SampleData::processes`]; their documents have no files).
pub const INDEX_BENCH_FIRST_ID: u32 = 500_000;
/// How many of them there are: ids `500000`…`500999`.
pub const INDEX_BENCH_COUNT: u32 = 1_000;
/// How many documents each lists (so all of them list 200,000).
pub const INDEX_BENCH_DOCS: u32 = 200;

const LARGE_SEED: u64 = 0x7472_6163_6b6c_696e;
const FIRST_RECEIPT_ID: u32 = 1_000_000;
const FIRST_BENCH_RECEIPT_ID: u32 = 2_000_000;
const RECEIPT_TYPES: [&str; 4] = ["Receipt", "Invoice", "Credit Note", "Delivery Note"];

const PROCESSES_JSON: &str = include_str!("../../assets/sandbox/processes.json");
const ATTACHMENTS_JSON: &str = include_str!("../../assets/sandbox/attachments.json");

/// Every file in `assets/sandbox/files/`, by name.
const FILES: &[(&str, &[u8])] = &[
    (
        "Invoice_001.pdf",
        include_bytes!("../../assets/sandbox/files/Invoice_001.pdf"),
    ),
    (
        "Supplier_Contract.pdf",
        include_bytes!("../../assets/sandbox/files/Supplier_Contract.pdf"),
    ),
    (
        "XRechnung_2024_0042.xml",
        include_bytes!("../../assets/sandbox/files/XRechnung_2024_0042.xml"),
    ),
    (
        "Q1_Receipts.zip",
        include_bytes!("../../assets/sandbox/files/Q1_Receipts.zip"),
    ),
    (
        "Receipt_Photo.jpg",
        include_bytes!("../../assets/sandbox/files/Receipt_Photo.jpg"),
    ),
    ("notes.txt", include_bytes!("../../assets/sandbox/files/notes.txt")),
    ("Badge.webp", include_bytes!("../../assets/sandbox/files/Badge.webp")),
    (
        "CFDI33_NC-88.xml",
        include_bytes!("../../assets/sandbox/files/CFDI33_NC-88.xml"),
    ),
    (
        "CFDI40_F-1234.xml",
        include_bytes!("../../assets/sandbox/files/CFDI40_F-1234.xml"),
    ),
    (
        "E-Invoices_2024.zip",
        include_bytes!("../../assets/sandbox/files/E-Invoices_2024.zip"),
    ),
    (
        "Factur-X_2024-0099.pdf",
        include_bytes!("../../assets/sandbox/files/Factur-X_2024-0099.pdf"),
    ),
    (
        "Facturae_A-2024-017_signed.xml",
        include_bytes!("../../assets/sandbox/files/Facturae_A-2024-017_signed.xml"),
    ),
    (
        "Facturae_R-2024-003.xml",
        include_bytes!("../../assets/sandbox/files/Facturae_R-2024-003.xml"),
    ),
    (
        "FatturaPA_IT01234567890_00042.xml",
        include_bytes!("../../assets/sandbox/files/FatturaPA_IT01234567890_00042.xml"),
    ),
    ("Logo.png", include_bytes!("../../assets/sandbox/files/Logo.png")),
    (
        "Peppol_INV-2024-101.xml",
        include_bytes!("../../assets/sandbox/files/Peppol_INV-2024-101.xml"),
    ),
    (
        "Receipt_Rotated.jpg",
        include_bytes!("../../assets/sandbox/files/Receipt_Rotated.jpg"),
    ),
    (
        "Scan_2024-03.pdf",
        include_bytes!("../../assets/sandbox/files/Scan_2024-03.pdf"),
    ),
    ("Stamp.gif", include_bytes!("../../assets/sandbox/files/Stamp.gif")),
    (
        "XRechnung_CII_2024-0815.xml",
        include_bytes!("../../assets/sandbox/files/XRechnung_CII_2024-0815.xml"),
    ),
    (
        "XRechnung_CreditNote_CN-2024-007.xml",
        include_bytes!("../../assets/sandbox/files/XRechnung_CreditNote_CN-2024-007.xml"),
    ),
    (
        "carta_latin1.txt",
        include_bytes!("../../assets/sandbox/files/carta_latin1.txt"),
    ),
    (
        "notes_utf16.txt",
        include_bytes!("../../assets/sandbox/files/notes_utf16.txt"),
    ),
    ("orders.csv", include_bytes!("../../assets/sandbox/files/orders.csv")),
    (
        "webhook.json",
        include_bytes!("../../assets/sandbox/files/webhook.json"),
    ),
];

/// Where a document's bytes come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// A file embedded from `assets/sandbox/files/`.
    Embedded {
        /// The file's name in `assets/sandbox/files/` (its extension gives the Content-Type).
        file: &'static str,
        /// The file's bytes.
        bytes: &'static [u8],
    },
    /// A small text receipt of the 10,000-document process, made from its number.
    Receipt(u32),
    /// The large file, computed from each byte's offset.
    Generated {
        /// Its length in bytes.
        len: u64,
    },
    /// Listed in a process, but the server has no file for it.
    Missing,
}

/// One document of the sample data, with where its bytes come from.
#[derive(Debug, Clone)]
pub struct SampleDocument {
    /// The id of the process that lists it.
    pub process_id: String,
    /// Its `doc_id`, as text.
    pub doc_id: String,
    /// Its `doc_name`, when the process lists one.
    pub doc_name: Option<String>,
    /// Its `doc_type`, when the process lists one.
    pub doc_type: Option<String>,
    /// Where its bytes come from.
    pub content: Content,
}

impl SampleDocument {
    /// The file's length, or `None` when the server has no file for it.
    pub fn file_len(&self) -> Option<u64> {
        match self.content {
            Content::Embedded { bytes, .. } => Some(bytes.len() as u64),
            Content::Receipt(n) => Some(receipt_text(n).len() as u64),
            Content::Generated { len } => Some(len),
            Content::Missing => None,
        }
    }

    /// The Content-Type the server sends, from the stored file's extension.
    pub fn content_type(&self) -> String {
        let file = match self.content {
            Content::Embedded { file, .. } => file,
            Content::Receipt(_) => "receipt.txt",
            Content::Generated { .. } | Content::Missing => "data.bin",
        };
        if file.ends_with(".xml") {
            // mime_guess says text/xml; e-invoices are served as application/xml.
            return "application/xml".to_owned();
        }
        mime_guess::from_path(file)
            .first_or_octet_stream()
            .essence_str()
            .to_owned()
    }
}

/// All processes and documents the sandbox serves.
#[derive(Debug, Default)]
pub struct SampleData {
    processes: Vec<Value>,
    process_index: HashMap<String, usize>,
    documents: Vec<SampleDocument>,
    document_index: HashMap<String, usize>,
    etags: HashMap<&'static str, String>,
    large_sha256: OnceLock<String>,
}

/// The sample data, parsed once. Empty if the embedded assets are broken,
/// which `tests` catch; [`super::Sandbox::start`] refuses to start then.
pub fn sample_data() -> &'static SampleData {
    static DATA: OnceLock<SampleData> = OnceLock::new();
    DATA.get_or_init(|| match SampleData::load() {
        Ok(data) => data,
        Err(error) => {
            tracing::error!("sandbox sample data is broken: {error}");
            SampleData::default()
        }
    })
}

impl SampleData {
    /// Parses the embedded assets and adds the generated processes.
    fn load() -> Result<SampleData, String> {
        let mut processes: Vec<Value> =
            serde_json::from_str(PROCESSES_JSON).map_err(|e| format!("processes.json: {e}"))?;
        let attachments: HashMap<String, String> =
            serde_json::from_str(ATTACHMENTS_JSON).map_err(|e| format!("attachments.json: {e}"))?;
        processes.push(many_documents_process());
        processes.push(large_process());
        processes.push(bench_receipts_process());
        processes.push(medium_process());

        let mut data = SampleData {
            etags: FILES.iter().map(|(name, bytes)| (*name, etag_of(bytes))).collect(),
            ..SampleData::default()
        };
        for (index, process) in processes.iter().enumerate() {
            let process_id = process
                .get("process_id")
                .and_then(id_text)
                .ok_or_else(|| format!("process #{index} has no process_id"))?;
            if data.process_index.insert(process_id.clone(), index).is_some() {
                return Err(format!("process id {process_id} appears twice"));
            }
            let documents = process.get("documents").and_then(Value::as_array);
            for document in documents.into_iter().flatten() {
                let doc_id = document
                    .get("doc_id")
                    .and_then(id_text)
                    .ok_or_else(|| format!("a document of {process_id} has no doc_id"))?;
                let content = content_for(&doc_id, &attachments)?;
                let text = |key: &str| document.get(key).and_then(Value::as_str).map(String::from);
                let entry = SampleDocument {
                    process_id: process_id.clone(),
                    doc_name: text("doc_name"),
                    doc_type: text("doc_type"),
                    doc_id: doc_id.clone(),
                    content,
                };
                if data
                    .document_index
                    .insert(doc_id.clone(), data.documents.len())
                    .is_some()
                {
                    return Err(format!("doc id {doc_id} appears twice"));
                }
                data.documents.push(entry);
            }
        }
        data.processes = processes;
        Ok(data)
    }

    /// Every process, as the server sends it (the two generated ones last).
    pub fn processes(&self) -> &[Value] {
        &self.processes
    }

    /// The process with this id, as the server sends it.
    pub fn process(&self, process_id: &str) -> Option<&Value> {
        self.process_index.get(process_id).and_then(|&i| self.processes.get(i))
    }

    /// Every process whose `name` is exactly `name`, in file order.
    pub fn processes_named(&self, name: &str) -> Vec<&Value> {
        self.processes
            .iter()
            .filter(|p| p.get("name").and_then(Value::as_str) == Some(name))
            .collect()
    }

    /// Every document of every process.
    pub fn documents(&self) -> &[SampleDocument] {
        &self.documents
    }

    /// The document with this `doc_id`.
    pub fn document(&self, doc_id: &str) -> Option<&SampleDocument> {
        self.document_index.get(doc_id).and_then(|&i| self.documents.get(i))
    }

    /// The length of the document's file, or `None` when there is no such file.
    pub fn document_len(&self, doc_id: &str) -> Option<u64> {
        self.document(doc_id)?.file_len()
    }

    /// The bytes of a small document's file; `None` for the large generated
    /// file (use [`SampleData::document_sha256`]) and for unknown ids.
    pub fn document_bytes(&self, doc_id: &str) -> Option<Vec<u8>> {
        match self.document(doc_id)?.content {
            Content::Embedded { bytes, .. } => Some(bytes.to_vec()),
            Content::Receipt(n) => Some(receipt_text(n).into_bytes()),
            Content::Generated { .. } | Content::Missing => None,
        }
    }

    /// `len` bytes of the document's file from `offset` (fewer at its end), for
    /// any document with a file, the large one included.
    pub fn document_range(&self, doc_id: &str, offset: u64, len: u64) -> Option<Vec<u8>> {
        let document = self.document(doc_id)?;
        let file_len = document.file_len()?;
        let start = offset.min(file_len);
        let end = offset.saturating_add(len).min(file_len);
        match small_bytes(document.content) {
            Some(bytes) => bytes.get(start as usize..end as usize).map(<[u8]>::to_vec),
            None => {
                let mut buf = vec![0u8; usize::try_from(end - start).ok()?];
                fill_generated(start, &mut buf);
                Some(buf)
            }
        }
    }

    /// The SHA-256 (lower-case hex) of the document's file. For the large file
    /// it is computed by streaming its bytes once, then remembered.
    pub fn document_sha256(&self, doc_id: &str) -> Option<String> {
        let document = self.document(doc_id)?;
        match document.content {
            Content::Generated { len } if len != LARGE_LEN => {
                let mut buf = vec![0u8; usize::try_from(len).ok()?];
                fill_generated(0, &mut buf);
                Some(hex::encode(Sha256::digest(&buf)))
            }
            Content::Generated { len } => Some(
                self.large_sha256
                    .get_or_init(|| {
                        let mut hasher = Sha256::new();
                        let mut buf = vec![0u8; 1 << 20];
                        let mut offset = 0;
                        while offset < len {
                            let n = (len - offset).min(buf.len() as u64) as usize;
                            let chunk = &mut buf[..n];
                            fill_generated(offset, chunk);
                            hasher.update(&*chunk);
                            offset += n as u64;
                        }
                        hex::encode(hasher.finalize())
                    })
                    .clone(),
            ),
            _ => self
                .document_bytes(doc_id)
                .map(|bytes| hex::encode(Sha256::digest(&bytes))),
        }
    }

    /// The document's strong ETag (quoted), or `None` when there is no file.
    pub fn etag(&self, document: &SampleDocument) -> Option<String> {
        match document.content {
            Content::Embedded { file, bytes } => Some(self.etags.get(file).cloned().unwrap_or_else(|| etag_of(bytes))),
            Content::Receipt(n) => Some(etag_of(receipt_text(n).as_bytes())),
            Content::Generated { len } => Some(format!("\"generated-{LARGE_SEED:x}-{len}\"")),
            Content::Missing => None,
        }
    }
}

/// A JSON id (string or number) as text.
fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn etag_of(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    format!("\"{}\"", hex::encode(&digest[..16]))
}

fn content_for(doc_id: &str, attachments: &HashMap<String, String>) -> Result<Content, String> {
    if doc_id == LARGE_DOC_ID || LARGE_COPY_IDS.contains(&doc_id) {
        return Ok(Content::Generated { len: LARGE_LEN });
    }
    if doc_id == MEDIUM_DOC_ID {
        return Ok(Content::Generated { len: MEDIUM_LEN });
    }
    if let Some(n) = receipt_number(doc_id) {
        return Ok(Content::Receipt(n));
    }
    let Some(file) = attachments.get(doc_id) else {
        return Ok(Content::Missing);
    };
    FILES
        .iter()
        .find(|(name, _)| name == file)
        .map(|&(file, bytes)| Content::Embedded { file, bytes })
        .ok_or_else(|| format!("attachments.json names {file}, which is not embedded"))
}

fn receipt_number(doc_id: &str) -> Option<u32> {
    let id: u32 = doc_id.parse().ok()?;
    if doc_id != id.to_string() {
        return None;
    }
    if let Some(n) = id.checked_sub(FIRST_BENCH_RECEIPT_ID) {
        return (n < BENCH_RECEIPTS_COUNT).then_some(n);
    }
    let n = id.checked_sub(FIRST_RECEIPT_ID)?;
    (n < MANY_DOCS_COUNT).then_some(n)
}

fn receipt_text(n: u32) -> String {
    let cents = u64::from(n) * 7919 % 100_000 + 100;
    format!(
        "Receipt {number:05} of process {MANY_DOCS_PROCESS_ID} (Receipts Archive 2023)\n\
         Type: {kind}\nAmount: {euros}.{cents:02} EUR\n",
        number = n + 1,
        kind = RECEIPT_TYPES[n as usize % RECEIPT_TYPES.len()],
        euros = cents / 100,
        cents = cents % 100,
    )
}

/// `count` receipts named `Receipt_00001.txt`… with ids from `first_id` on.
fn receipt_documents(first_id: u32, count: u32) -> Vec<Value> {
    (0..count)
        .map(|n| {
            json!({
                "doc_id": (first_id + n).to_string(),
                "doc_name": format!("Receipt_{:05}.txt", n + 1),
                "doc_type": RECEIPT_TYPES[n as usize % RECEIPT_TYPES.len()],
            })
        })
        .collect()
}

fn many_documents_process() -> Value {
    json!({
        "process_id": MANY_DOCS_PROCESS_ID,
        "name": "Receipts Archive 2023",
        "status": "Completed",
        "created_at": "2024-01-02T08:00:00Z",
        "document_count": MANY_DOCS_COUNT,
        "documents": receipt_documents(FIRST_RECEIPT_ID, MANY_DOCS_COUNT),
    })
}

fn bench_receipts_process() -> Value {
    json!({
        "process_id": BENCH_RECEIPTS_PROCESS_ID,
        "name": "Receipts sample (1,000)",
        "status": "Completed",
        "created_at": "2024-01-03T08:00:00Z",
        "documents": receipt_documents(FIRST_BENCH_RECEIPT_ID, BENCH_RECEIPTS_COUNT),
    })
}

fn medium_process() -> Value {
    json!({
        "process_id": MEDIUM_PROCESS_ID,
        "name": "Benchmark files",
        "status": "Completed",
        "created_at": "2024-02-15T05:00:00Z",
        "documents": [
            { "doc_id": LARGE_COPY_IDS[0], "doc_name": "large_copy_1.bin", "doc_type": "Export" },
            { "doc_id": LARGE_COPY_IDS[1], "doc_name": "large_copy_2.bin", "doc_type": "Export" },
            { "doc_id": LARGE_COPY_IDS[2], "doc_name": "large_copy_3.bin", "doc_type": "Export" },
            { "doc_id": MEDIUM_DOC_ID, "doc_name": "medium_export.bin", "doc_type": "Export" }
        ]
    })
}

fn large_process() -> Value {
    json!({
        "process_id": LARGE_PROCESS_ID,
        "name": "Large export",
        "status": "Completed",
        "created_at": "2024-02-15T04:00:00Z",
        "export_bytes": LARGE_LEN,
        "documents": [
            { "doc_id": LARGE_DOC_ID, "doc_name": "large_export.bin", "doc_type": "Export" }
        ]
    })
}

/// Process `process_id` of the index benchmark, made on request: a name, a
/// status and a customer from short lists, and [`INDEX_BENCH_DOCS`]
/// documents named like an accountant's files (`Invoice_2023_004217_Globex.pdf`).
pub fn index_bench_process(process_id: &str) -> Option<Value> {
    const VENDORS: [&str; 8] = [
        "Acme",
        "Globex",
        "Initech",
        "Umbrella",
        "Hooli",
        "Nordlicht",
        "Soylent",
        "Wonka",
    ];
    const TOPICS: [&str; 6] = [
        "Billing",
        "Payroll",
        "VAT Filing",
        "Procurement",
        "Travel Expenses",
        "Audit",
    ];
    const STATUSES: [&str; 4] = ["Completed", "In Progress", "Pending", "On Hold"];
    const KINDS: [&str; 4] = ["Invoice", "Receipt", "Credit_Note", "Delivery_Note"];
    let id: u32 = process_id.parse().ok()?;
    let n = id
        .checked_sub(INDEX_BENCH_FIRST_ID)
        .filter(|n| *n < INDEX_BENCH_COUNT)?;
    if process_id != id.to_string() {
        return None;
    }
    let pick = |list: &[&'static str], k: u32| list[k as usize % list.len()];
    let documents: Vec<Value> = (0..INDEX_BENCH_DOCS)
        .map(|d| {
            let serial = n * INDEX_BENCH_DOCS + d;
            json!({
                "doc_id": (50_000_000 + serial).to_string(),
                "doc_name": format!(
                    "{}_{}_{serial:06}_{}.pdf",
                    pick(&KINDS, d),
                    2020 + serial % 5,
                    pick(&VENDORS, serial / 7)
                ),
                "doc_type": pick(&KINDS, d).replace('_', " "),
            })
        })
        .collect();
    Some(json!({
        "process_id": process_id,
        "name": format!("{} {} {}", pick(&VENDORS, n), pick(&TOPICS, n / 8), 2020 + n % 5),
        "status": pick(&STATUSES, n),
        "created_at": "2024-03-01T09:00:00Z",
        "customer": pick(&VENDORS, n + 3),
        "documents": documents,
    }))
}

/// How often the large file's pattern repeats (each time under a new key).
const PATTERN_LEN: usize = 64 * 1024;

/// Set in the index of a repetition's key, so keys and pattern blocks differ.
const KEY_MARK: u64 = 1 << 63;

/// splitmix64 of `index`: 8 bytes that look random.
fn generated_block(index: u64) -> [u8; 8] {
    let mut z = (index ^ LARGE_SEED).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (z ^ (z >> 31)).to_le_bytes()
}

/// The first [`PATTERN_LEN`] bytes before any key: [`generated_block`] of 0, 1, 2…
fn pattern() -> &'static [u8] {
    static PATTERN: OnceLock<Vec<u8>> = OnceLock::new();
    PATTERN.get_or_init(|| (0..(PATTERN_LEN / 8) as u64).flat_map(generated_block).collect())
}

/// Fills `buf` with the large file's bytes from `offset` on.
///
/// The file is [`pattern`] over and over, each repetition XORed with an
/// 8-byte key of its own, so every byte depends on where it is (a resume from
/// the wrong offset shows) while the sandbox spends on it little more than a
/// copy: the benchmarks run it on the cores of the client they time.
pub(super) fn fill_generated(offset: u64, buf: &mut [u8]) {
    let pattern = pattern();
    let mut position = offset;
    let mut done = 0;
    while done < buf.len() {
        let repetition = position / PATTERN_LEN as u64;
        let within = (position % PATTERN_LEN as u64) as usize;
        let len = (PATTERN_LEN - within).min(buf.len() - done);
        let key = generated_block(repetition | KEY_MARK);
        // The key lined up with this piece's first byte: byte `p` takes `key[p % 8]`.
        let lined_up: [u8; 8] = std::array::from_fn(|j| key[(within + j) % 8]);
        xor_into(&mut buf[done..done + len], &pattern[within..within + len], lined_up);
        done += len;
        position += len as u64;
    }
}

/// `dst = src ^ key` with `key` repeated, 8 bytes at a time.
fn xor_into(dst: &mut [u8], src: &[u8], key: [u8; 8]) {
    let key_word = u64::from_ne_bytes(key);
    let mut dst_words = dst.chunks_exact_mut(8);
    let mut src_words = src.chunks_exact(8);
    for (d, s) in (&mut dst_words).zip(&mut src_words) {
        let word = s.try_into().map(u64::from_ne_bytes).unwrap_or_default();
        d.copy_from_slice(&(word ^ key_word).to_ne_bytes());
    }
    for ((d, s), k) in dst_words
        .into_remainder()
        .iter_mut()
        .zip(src_words.remainder())
        .zip(key)
    {
        *d = s ^ k;
    }
}

/// All bytes of a small document; `None` for the generated and missing ones.
pub(super) fn small_bytes(content: Content) -> Option<std::borrow::Cow<'static, [u8]>> {
    match content {
        Content::Embedded { bytes, .. } => Some(std::borrow::Cow::Borrowed(bytes)),
        Content::Receipt(n) => Some(std::borrow::Cow::Owned(receipt_text(n).into_bytes())),
        Content::Generated { .. } | Content::Missing => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_assets_load_and_every_listed_file_exists() {
        let data = SampleData::load();
        assert!(data.is_ok(), "{data:?}");
        let data = sample_data();
        assert!(data.process(GUIDE_PROCESS_ID).is_some());
        assert_eq!(data.processes_named(SHARED_NAME).len(), 2);
        assert_eq!(data.document_len(MISSING_ATTACHMENT_ID), None);
        assert!(data.document(MISSING_ATTACHMENT_ID).is_some());
        assert_eq!(data.document_len(LARGE_DOC_ID), Some(LARGE_LEN));
        assert_eq!(data.document_len(MEDIUM_DOC_ID), Some(MEDIUM_LEN));
    }

    #[test]
    fn the_bench_processes_hold_a_thousand_receipts_and_the_first_mib_of_the_large_file() {
        let data = sample_data();
        let receipts = data
            .documents()
            .iter()
            .filter(|d| d.process_id == BENCH_RECEIPTS_PROCESS_ID)
            .count();
        assert_eq!(receipts, BENCH_RECEIPTS_COUNT as usize);
        assert_eq!(data.document_bytes("2000000"), data.document_bytes("1000000"));
        assert!(data.document("2001000").is_none());
        let first_mib = data
            .document_range(LARGE_DOC_ID, 0, MEDIUM_LEN)
            .map(|b| hex::encode(Sha256::digest(b)));
        assert_eq!(data.document_sha256(MEDIUM_DOC_ID), first_mib);
    }

    #[test]
    fn generated_bytes_do_not_depend_on_where_a_read_starts() {
        // Across a repetition of the pattern, from an odd offset.
        let base = PATTERN_LEN as u64 - 29;
        let mut whole = vec![0u8; 64];
        fill_generated(base, &mut whole);
        for start in 0..64 {
            for end in start..=64 {
                let mut part = vec![0u8; end - start];
                fill_generated(base + start as u64, &mut part);
                assert_eq!(part, whole[start..end], "bytes {start}..{end}");
            }
        }
        assert_ne!(whole[..], [0u8; 64][..]);
    }

    #[test]
    fn every_repetition_of_the_pattern_has_its_own_bytes() {
        let mut first = vec![0u8; 4096];
        let mut second = vec![0u8; 4096];
        fill_generated(100, &mut first);
        fill_generated(100 + PATTERN_LEN as u64, &mut second);
        let same = first.iter().zip(&second).filter(|(a, b)| a == b).count();
        assert!(same < 64, "{same} of 4096 bytes repeat one pattern length later");
    }

    #[test]
    fn the_index_bench_processes_are_made_on_request_only() {
        let first = index_bench_process("500000").unwrap();
        assert_eq!(first["documents"].as_array().unwrap().len(), INDEX_BENCH_DOCS as usize);
        assert!(index_bench_process("500999").is_some());
        assert!(index_bench_process("501000").is_none());
        assert!(index_bench_process("0500000").is_none());
        assert!(sample_data().process("500000").is_none());
        assert_ne!(first["documents"][0]["doc_name"], first["documents"][1]["doc_name"]);
    }

    #[test]
    fn receipts_are_numbered_from_one() {
        let data = sample_data();
        let first = data.document("1000000").and_then(|d| d.doc_name.clone());
        assert_eq!(first.as_deref(), Some("Receipt_00001.txt"));
        assert!(data.document("1010000").is_none());
        assert!(data.document("01000000").is_none());
    }
}
