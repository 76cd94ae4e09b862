//! The corpus of the search-as-you-type benchmarks: 10,000 processes of 100
//! documents with realistic names (vendors, topics, kinds, years and a serial
//! number each), the same for `benches/index_search.rs` and
//! `examples/index_keystrokes.rs`.

use trackline::api::{Document, Id, Process};

/// How many processes the corpus has.
pub(crate) const PROCESSES: usize = 10_000;
/// How many documents each process has.
pub(crate) const DOCUMENTS_EACH: usize = 100;

/// What a user types, one keystroke at a time.
pub(crate) const TYPED: [&str; 4] = [
    "odoo billing",
    "invoice 2023 globex",
    "credit_note 0042",
    "nordlict payrol",
];

const VENDORS: [&str; 12] = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Nordlicht",
    "Soylent",
    "Wonka",
    "Odoo",
    "Stark",
    "Wayne",
    "Tyrell",
];
const TOPICS: [&str; 6] = [
    "Billing",
    "Payroll",
    "VAT Filing",
    "Procurement",
    "Travel Expenses",
    "Audit",
];
const KINDS: [&str; 5] = ["Invoice", "Receipt", "Credit_Note", "Delivery_Note", "Contract"];

/// The `p`-th process of the corpus, with its documents.
pub(crate) fn process(p: usize) -> Process {
    let documents = (0..DOCUMENTS_EACH)
        .map(|d| {
            let serial = p * DOCUMENTS_EACH + d;
            Document {
                doc_id: Id::new((10_000_000 + serial).to_string()),
                doc_name: Some(format!(
                    "{}_{}_{serial:07}_{}.pdf",
                    KINDS[d % KINDS.len()],
                    2019 + serial % 6,
                    VENDORS[(serial / 7) % VENDORS.len()]
                )),
                doc_type: Some(KINDS[d % KINDS.len()].replace('_', " ")),
                extra: Default::default(),
            }
        })
        .collect();
    let mut extra = serde_json::Map::new();
    extra.insert("customer".into(), VENDORS[(p + 5) % VENDORS.len()].into());
    Process {
        process_id: Id::new((400_000 + p).to_string()),
        name: Some(format!(
            "{} {} {}",
            VENDORS[p % VENDORS.len()],
            TOPICS[(p / VENDORS.len()) % TOPICS.len()],
            2019 + p % 6
        )),
        status: Some(["Completed", "In Progress", "Pending", "On Hold"][p % 4].to_string()),
        created_at: Some("2024-03-01T09:00:00Z".to_string()),
        documents,
        extra,
    }
}
