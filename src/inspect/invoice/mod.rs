//! E-invoices: which standard a document follows (its root element's local
//! name and namespace URI, whatever the prefix), the summary the issue asks
//! for, and checks that its lines, taxes and totals add up.
//!
//! Each format maps its own fields onto EN 16931's business terms (BT-xx):
//! - [`ubl`]: UBL 2.1 Invoice and CreditNote (Peppol BIS 3, XRechnung UBL);
//! - [`cii`]: UN/CEFACT CII D16B (XRechnung CII, Factur-X / ZUGFeRD 2.x);
//! - [`facturae`]: Facturae 3.2, 3.2.1, 3.2.2 (Spain), withholdings included;
//! - [`cfdi`]: CFDI 3.3 and 4.0 (Mexico);
//! - [`fatturapa`]: FatturaPA 1.2 (Italy).

pub mod cfdi;
mod checks;
pub mod cii;
pub mod facturae;
pub mod fatturapa;
pub mod ubl;

pub use checks::Check;

use super::decimal::Amount;
use super::{InspectError, Options, xml};
use serde::Serialize;

/// The standards an e-invoice may follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Format {
    /// OASIS UBL 2.1.
    #[serde(rename = "UBL")]
    Ubl,
    /// UN/CEFACT Cross Industry Invoice.
    #[serde(rename = "CII")]
    Cii,
    /// Spain's Facturae.
    Facturae,
    /// Mexico's CFDI.
    #[serde(rename = "CFDI")]
    Cfdi,
    /// Italy's FatturaPA.
    FatturaPA,
}

impl Format {
    /// The name SPEC.md gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Ubl => "UBL",
            Format::Cii => "CII",
            Format::Facturae => "Facturae",
            Format::Cfdi => "CFDI",
            Format::FatturaPA => "FatturaPA",
        }
    }
}

/// An invoice, or a credit note (a document that reduces what is owed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    /// An invoice (or a debit note).
    Invoice,
    /// A credit note, or a corrective invoice that credits.
    CreditNote,
}

/// The seller or the buyer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Party {
    /// The registered or trading name.
    pub name: Option<String>,
    /// The VAT or tax id (with its country prefix when the document has one).
    pub tax_id: Option<String>,
}

/// One tax rate: its base, its rate in percent, and the tax.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaxRate {
    /// The rate in percent (`"19"`), `null` for an exempt or fixed-amount tax.
    #[serde(serialize_with = "rate_string")]
    pub rate: Option<Amount>,
    /// The taxable amount.
    pub base: Option<Amount>,
    /// The tax.
    pub amount: Option<Amount>,
    /// The tax's name or category code (`VAT S`, `IVA`, `IRPF`, `002`…).
    pub category: Option<String>,
}

fn rate_string<S: serde::Serializer>(rate: &Option<Amount>, serializer: S) -> Result<S::Ok, S::Error> {
    match rate {
        Some(rate) => serializer.serialize_str(&rate.rate_string()),
        None => serializer.serialize_none(),
    }
}

/// One invoice line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// The item's name or description.
    pub description: Option<String>,
    /// The quantity invoiced.
    pub quantity: Option<Amount>,
    /// The net price of one unit (of the base quantity).
    pub price: Option<Amount>,
    /// The line's net amount.
    pub amount: Option<Amount>,
}

/// The summary of an e-invoice (SPEC.md's `invoice` object).
#[derive(Debug, Clone, Serialize)]
pub struct Invoice {
    /// The standard.
    pub format: Format,
    /// The customization or guideline id (BT-24), or the format's version.
    pub profile: Option<String>,
    /// Invoice or credit note.
    pub document_type: DocumentType,
    /// The invoice number (BT-1).
    pub number: Option<String>,
    /// The issue date (BT-2), `YYYY-MM-DD`.
    pub issue_date: Option<String>,
    /// The payment due date (BT-9), `YYYY-MM-DD`.
    pub due_date: Option<String>,
    /// The invoice currency (BT-5).
    pub currency: Option<String>,
    /// The seller (BT-27, BT-31).
    pub seller: Party,
    /// The buyer (BT-44, BT-48).
    pub buyer: Party,
    /// The total without tax (BT-109).
    pub net_total: Option<Amount>,
    /// The tax total (BT-110), withholdings not subtracted.
    pub tax_total: Option<Amount>,
    /// The total with tax (BT-112).
    pub grand_total: Option<Amount>,
    /// The amount due for payment (BT-115).
    pub payable: Option<Amount>,
    /// The taxes, one per rate.
    pub taxes: Vec<TaxRate>,
    /// Taxes withheld by the buyer (Spain's IRPF, Mexico's retenciones, Italy's ritenuta).
    pub withholdings: Vec<TaxRate>,
    /// The total withheld, `null` when nothing is.
    pub withheld_total: Option<Amount>,
    /// How many lines the invoice has.
    pub lines: usize,
    /// The lines: description, quantity, price, amount (at most [`MAX_LINE_ITEMS`]).
    pub line_items: Vec<Line>,
    /// Whether the lines, taxes and totals add up.
    pub checks: Vec<Check>,
    /// Whether the document carries an XML signature or a tax authority's seal (not verified).
    pub signed: bool,
}

/// The most lines listed one by one; [`Invoice::lines`] counts them all.
pub const MAX_LINE_ITEMS: usize = 1_000;

/// An invoice read from a document, and what could not be read of it.
#[derive(Debug, Clone)]
pub struct Found {
    /// The summary.
    pub invoice: Invoice,
    /// What was odd or missing.
    pub warnings: Vec<crate::inspect::Warning>,
}

/// A line as the checks see it: its amount and how it was reached.
#[derive(Debug, Clone, Default)]
pub(crate) struct LineFacts {
    pub(crate) line: Option<Line>,
    pub(crate) quantity: Option<Amount>,
    pub(crate) price: Option<Amount>,
    /// The quantity the price is for (BT-149), 1 when absent.
    pub(crate) base_quantity: Option<Amount>,
    /// Line charges minus line allowances.
    pub(crate) adjustment: Option<Amount>,
    pub(crate) amount: Option<Amount>,
}

impl LineFacts {
    /// The facts of a line whose net amount is `amount`, and the line shown for it.
    pub(crate) fn new(
        description: Option<String>,
        quantity: Option<Amount>,
        price: Option<Amount>,
        base_quantity: Option<Amount>,
        adjustment: Option<Amount>,
        amount: Option<Amount>,
    ) -> LineFacts {
        LineFacts {
            line: Some(Line {
                description,
                quantity,
                price,
                amount,
            }),
            quantity,
            price,
            base_quantity,
            adjustment,
            amount,
        }
    }
}

/// Charges minus allowances, from each one's amount and whether it is a
/// charge (an `xs:boolean` indicator: `true` or `1`); `None` when there are none.
pub(crate) fn charges_minus_allowances<'a>(items: impl Iterator<Item = (Amount, Option<&'a str>)>) -> Option<Amount> {
    let mut total: Option<Amount> = None;
    for (value, indicator) in items {
        let is_charge = indicator.is_some_and(|c| c.trim().eq_ignore_ascii_case("true") || c.trim() == "1");
        let signed = if is_charge {
            value
        } else {
            Amount::ZERO.checked_sub(value).unwrap_or_default()
        };
        total = total.unwrap_or_default().checked_add(signed);
    }
    total
}

/// What a format reader found, before it becomes an [`Invoice`] and its checks.
#[derive(Debug, Clone)]
pub(crate) struct Facts {
    pub(crate) format: Format,
    pub(crate) profile: Option<String>,
    pub(crate) document_type: DocumentType,
    pub(crate) number: Option<String>,
    pub(crate) issue_date: Option<String>,
    pub(crate) due_date: Option<String>,
    pub(crate) currency: Option<String>,
    pub(crate) seller: Party,
    pub(crate) buyer: Party,
    pub(crate) lines: Vec<LineFacts>,
    /// What the document says its lines add up to (BT-106), when it says.
    pub(crate) line_total: Option<Amount>,
    /// Document-level charges minus allowances (BT-108 − BT-107).
    pub(crate) adjustment: Option<Amount>,
    pub(crate) net: Option<Amount>,
    pub(crate) tax: Option<Amount>,
    pub(crate) taxes: Vec<TaxRate>,
    pub(crate) withholdings: Vec<TaxRate>,
    pub(crate) withheld: Option<Amount>,
    /// Whether the grand total is after the withholdings (Facturae, CFDI).
    pub(crate) total_after_withholding: bool,
    /// Other amounts the grand total adds (stamp duty, say).
    pub(crate) total_extras: Option<Amount>,
    pub(crate) grand: Option<Amount>,
    /// What is added to the grand total to reach the amount payable
    /// (rounding minus prepaid, say).
    pub(crate) payable_adjustment: Option<Amount>,
    pub(crate) payable: Option<Amount>,
    /// How far a total may be from the sum of what it adds up, per line of the invoice.
    pub(crate) tolerance_per_line: Amount,
    /// How far the net may be from the lines and adjustments it adds up.
    pub(crate) net_tolerance: Amount,
    /// How far each rate × base may be from its tax.
    pub(crate) rate_tolerance: Amount,
    pub(crate) signed: bool,
    pub(crate) warnings: Vec<crate::inspect::Warning>,
}

impl Facts {
    /// Facts of `format` with nothing found yet.
    pub(crate) fn new(format: Format) -> Facts {
        Facts {
            format,
            profile: None,
            document_type: DocumentType::Invoice,
            number: None,
            issue_date: None,
            due_date: None,
            currency: None,
            seller: Party::default(),
            buyer: Party::default(),
            lines: Vec::new(),
            line_total: None,
            adjustment: None,
            net: None,
            tax: None,
            taxes: Vec::new(),
            withholdings: Vec::new(),
            withheld: None,
            total_after_withholding: false,
            total_extras: None,
            grand: None,
            payable_adjustment: None,
            payable: None,
            tolerance_per_line: Amount::cents(1),
            net_tolerance: Amount::cents(1),
            rate_tolerance: Amount::cents(1),
            signed: false,
            warnings: Vec::new(),
        }
    }

    fn into_found(self) -> Found {
        let checks = checks::run(&self);
        let line_items = self
            .lines
            .iter()
            .filter_map(|l| l.line.clone())
            .take(MAX_LINE_ITEMS)
            .collect();
        Found {
            invoice: Invoice {
                format: self.format,
                profile: self.profile,
                document_type: self.document_type,
                number: self.number,
                issue_date: self.issue_date,
                due_date: self.due_date,
                currency: self.currency,
                seller: self.seller,
                buyer: self.buyer,
                net_total: self.net,
                tax_total: self.tax,
                grand_total: self.grand,
                payable: self.payable,
                taxes: self.taxes,
                withholdings: self.withholdings,
                withheld_total: self.withheld,
                lines: self.lines.len(),
                line_items,
                checks,
                signed: self.signed,
            },
            warnings: self.warnings,
        }
    }
}

/// The invoice `doc` is, if its root element is one of the standards'.
pub(crate) fn from_document(doc: &xml::Doc<'_>, options: &Options) -> Result<Option<Found>, InspectError> {
    let root = doc.root_element();
    let name = root.name();
    let ns = root.namespace().unwrap_or_default();
    let facts = if ubl::recognises(name, ns) {
        ubl::read(root, options)?
    } else if cii::recognises(name, ns) {
        cii::read(root, options)?
    } else if facturae::recognises(name, ns) {
        facturae::read(root, options)?
    } else if cfdi::recognises(name, ns) {
        cfdi::read(root, options)?
    } else if fatturapa::recognises(name, ns) {
        fatturapa::read(root, options)?
    } else {
        return Ok(None);
    };
    let mut facts = facts;
    facts.signed |= xml::has_signature(doc);
    Ok(Some(facts.into_found()))
}

/// The invoice in `bytes` (an XML file, or a PDF's embedded one), if it is one.
pub fn from_xml_bytes(bytes: &[u8], options: &Options) -> Result<Option<Found>, InspectError> {
    let Some(decoded) = super::body::decode(bytes) else {
        return Ok(None);
    };
    match xml::parse(&decoded.text, options.limits.max_xml_nodes) {
        Ok(doc) => from_document(&doc, options),
        Err(_) => Ok(None),
    }
}

/// A date as `YYYY-MM-DD`: from `YYYY-MM-DD` (a time after it is dropped)
/// or CII's format 102, `YYYYMMDD`.
pub(crate) fn iso_date(text: &str) -> Option<String> {
    let text = text.trim();
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let (y, m, d) =
        if text.len() >= 10 && text.as_bytes().get(4) == Some(&b'-') && text.as_bytes().get(7) == Some(&b'-') {
            (text.get(0..4)?, text.get(5..7)?, text.get(8..10)?)
        } else if text.len() == 8 && digits(text) {
            (text.get(0..4)?, text.get(4..6)?, text.get(6..8)?)
        } else {
            return None;
        };
    let month: u8 = m.parse().ok()?;
    let day: u8 = d.parse().ok()?;
    (digits(y) && (1..=12).contains(&month) && (1..=31).contains(&day)).then(|| format!("{y}-{m}-{d}"))
}

/// Parses an amount, with a warning naming `what` when the text is no decimal.
pub(crate) fn amount(text: Option<&str>, what: &str, warnings: &mut Vec<crate::inspect::Warning>) -> Option<Amount> {
    let text = text?;
    let parsed = Amount::parse(text);
    if parsed.is_none() {
        warnings.push(crate::i18n::message!(
            "inspect-warn-not-decimal",
            what = what,
            text = crate::text::safe_line(text, 40)
        ));
    }
    parsed
}

/// UNTDID 1001 codes of credit notes (EN 16931's list for BT-3).
pub(crate) fn is_credit_note_code(code: &str) -> bool {
    matches!(
        code.trim(),
        "81" | "83" | "261" | "262" | "296" | "308" | "381" | "396" | "420" | "458" | "532"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_iso() {
        assert_eq!(iso_date("20240209").as_deref(), Some("2024-02-09"));
        assert_eq!(iso_date("2024-02-09").as_deref(), Some("2024-02-09"));
        assert_eq!(iso_date("2024-02-09T10:30:00").as_deref(), Some("2024-02-09"));
        assert_eq!(iso_date("2024-13-09"), None);
        assert_eq!(iso_date("09.02.2024"), None);
    }
}
