//! UBL 2.1 Invoice and CreditNote (Peppol BIS Billing 3.0, XRechnung UBL),
//! mapped as EN 16931's UBL syntax binding maps the business terms.

use super::super::xml::Node;
use super::super::xml::{Ns, attr, child, children, path, text, text_at};
use super::super::{InspectError, Options};
use super::{DocumentType, Facts, Format, LineFacts, Party, TaxRate, amount, is_credit_note_code, iso_date};

/// The Invoice document's namespace.
pub const INVOICE_NS: &str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
/// The CreditNote document's namespace.
pub const CREDIT_NOTE_NS: &str = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
/// Common aggregate components (`cac`).
pub const CAC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
/// Common basic components (`cbc`).
pub const CBC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

const A: Ns<'static> = Ns::Is(CAC);
const B: Ns<'static> = Ns::Is(CBC);

/// Whether a root element `name` in namespace `ns` is a UBL invoice or credit note.
pub fn recognises(name: &str, ns: &str) -> bool {
    (name == "Invoice" && ns == INVOICE_NS) || (name == "CreditNote" && ns == CREDIT_NOTE_NS)
}

/// Reads the facts of a UBL document whose root is `root`.
pub(crate) fn read(root: Node<'_, '_>, options: &Options) -> Result<Facts, InspectError> {
    let credit = root.name() == "CreditNote";
    let mut f = Facts::new(Format::Ubl);
    let w = &mut f.warnings;
    f.profile = text_at(root, &[(B, "CustomizationID")]);
    f.number = text_at(root, &[(B, "ID")]);
    let type_code = text_at(
        root,
        &[(
            B,
            if credit {
                "CreditNoteTypeCode"
            } else {
                "InvoiceTypeCode"
            },
        )],
    );
    f.document_type = if credit || type_code.as_deref().is_some_and(is_credit_note_code) {
        DocumentType::CreditNote
    } else {
        DocumentType::Invoice
    };
    f.issue_date = text(child(root, B, "IssueDate")).and_then(iso_date);
    f.due_date = text(child(root, B, "DueDate"))
        .or_else(|| children(root, A, "PaymentMeans").find_map(|m| text(child(m, B, "PaymentDueDate"))))
        .and_then(iso_date);
    f.currency = text_at(root, &[(B, "DocumentCurrencyCode")]);
    f.seller = party(path(root, &[(A, "AccountingSupplierParty"), (A, "Party")]));
    f.buyer = party(path(root, &[(A, "AccountingCustomerParty"), (A, "Party")]));

    let tax_totals: Vec<Node<'_, '_>> = children(root, A, "TaxTotal").collect();
    let in_currency = |t: &Node<'_, '_>| {
        let currency = child(*t, B, "TaxAmount").and_then(|a| attr(a, "currencyID"));
        currency.is_none() || currency == f.currency.as_deref()
    };
    let main_tax = tax_totals
        .iter()
        .find(|t| in_currency(t) && child(**t, A, "TaxSubtotal").is_some())
        .or_else(|| tax_totals.iter().find(|t| in_currency(t)))
        .copied();
    if let Some(total) = main_tax {
        f.tax = amount(text(child(total, B, "TaxAmount")), "the tax total", w);
        for sub in children(total, A, "TaxSubtotal") {
            let category = child(sub, A, "TaxCategory");
            let code = category.and_then(|c| text(child(c, B, "ID")));
            let scheme = category.and_then(|c| text(path(c, &[(A, "TaxScheme"), (B, "ID")])));
            f.taxes.push(TaxRate {
                rate: amount(category.and_then(|c| text(child(c, B, "Percent"))), "a tax rate", w),
                base: amount(text(child(sub, B, "TaxableAmount")), "a taxable amount", w),
                amount: amount(text(child(sub, B, "TaxAmount")), "a tax amount", w),
                category: match (scheme, code) {
                    (Some(s), Some(c)) => Some(format!("{s} {c}")),
                    (s, c) => s.or(c).map(str::to_owned),
                },
            });
        }
    }

    if let Some(totals) = child(root, A, "LegalMonetaryTotal") {
        let get = |name: &str, w: &mut Vec<crate::inspect::Warning>| amount(text(child(totals, B, name)), name, w);
        f.line_total = get("LineExtensionAmount", w);
        f.net = get("TaxExclusiveAmount", w);
        f.grand = get("TaxInclusiveAmount", w);
        f.payable = get("PayableAmount", w);
        let allowances = get("AllowanceTotalAmount", w);
        let charges = get("ChargeTotalAmount", w);
        if allowances.is_some() || charges.is_some() {
            f.adjustment = charges.unwrap_or_default().checked_sub(allowances.unwrap_or_default());
        }
        let prepaid = get("PrepaidAmount", w);
        let rounding = get("PayableRoundingAmount", w);
        if prepaid.is_some() || rounding.is_some() {
            f.payable_adjustment = rounding.unwrap_or_default().checked_sub(prepaid.unwrap_or_default());
        }
    } else {
        w.push(crate::i18n::message!("inspect-warn-no-ubl-totals"));
    }

    let line_name = if credit { "CreditNoteLine" } else { "InvoiceLine" };
    let quantity_name = if credit { "CreditedQuantity" } else { "InvoicedQuantity" };
    for (index, line) in children(root, A, line_name).enumerate() {
        if index % 1024 == 0 {
            options.budget.check()?;
        }
        f.lines.push(read_line(line, quantity_name, &mut f.warnings));
    }
    Ok(f)
}

fn read_line(line: Node<'_, '_>, quantity_name: &str, w: &mut Vec<crate::inspect::Warning>) -> LineFacts {
    let quantity = amount(text(child(line, B, quantity_name)), "a line quantity", w);
    let price = amount(text(path(line, &[(A, "Price"), (B, "PriceAmount")])), "a line price", w);
    let base_quantity = amount(
        text(path(line, &[(A, "Price"), (B, "BaseQuantity")])),
        "a base quantity",
        w,
    );
    let line_amount = amount(text(child(line, B, "LineExtensionAmount")), "a line amount", w);
    let adjustment = super::charges_minus_allowances(children(line, A, "AllowanceCharge").map(|ac| {
        let value = amount(text(child(ac, B, "Amount")), "a line allowance or charge", w).unwrap_or_default();
        (value, text(child(ac, B, "ChargeIndicator")))
    }));
    let item = child(line, A, "Item");
    let description = item
        .and_then(|i| text(child(i, B, "Name")).or_else(|| text(child(i, B, "Description"))))
        .map(str::to_owned);
    LineFacts::new(description, quantity, price, base_quantity, adjustment, line_amount)
}

/// A party's name (legal, else trading) and VAT id (else another tax id).
fn party(party: Option<Node<'_, '_>>) -> Party {
    let Some(p) = party else {
        return Party::default();
    };
    let name = text(path(p, &[(A, "PartyLegalEntity"), (B, "RegistrationName")]))
        .or_else(|| text(path(p, &[(A, "PartyName"), (B, "Name")])))
        .map(str::to_owned);
    let schemes: Vec<Node<'_, '_>> = children(p, A, "PartyTaxScheme").collect();
    let is_vat = |s: &Node<'_, '_>| {
        text(path(*s, &[(A, "TaxScheme"), (B, "ID")])).is_some_and(|id| id.eq_ignore_ascii_case("VAT"))
    };
    let tax_id = schemes
        .iter()
        .find(|s| is_vat(s))
        .or(schemes.first())
        .and_then(|s| text(child(*s, B, "CompanyID")))
        .map(str::to_owned);
    Party { name, tax_id }
}
