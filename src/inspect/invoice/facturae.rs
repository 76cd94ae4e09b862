//! Facturae 3.2, 3.2.1 and 3.2.2, Spain's e-invoice (the schema of the
//! Ministerio de Hacienda): taxes output and withheld (IRPF), equivalence
//! surcharge, totals down to the executable amount. The children of the root
//! are unqualified.

use super::super::decimal::Amount;
use super::super::xml::Node;
use super::super::xml::{Ns, child, children, path, text};
use super::super::{InspectError, Options};
use super::{DocumentType, Facts, Format, Line, LineFacts, Party, TaxRate, amount, iso_date};

/// Facturae 3.2's namespace.
pub const NS_3_2: &str = "http://www.facturae.es/Facturae/2009/v3.2/Facturae";
/// Facturae 3.2.1's namespace.
pub const NS_3_2_1: &str = "http://www.facturae.es/Facturae/2014/v3.2.1/Facturae";
/// Facturae 3.2.2's namespace.
pub const NS_3_2_2: &str = "http://www.facturae.gob.es/formato/Versiones/Facturaev3_2_2.xml";

/// Whether a root element `name` in namespace `ns` is a Facturae file.
pub fn recognises(name: &str, ns: &str) -> bool {
    name == "Facturae"
        && (ns == NS_3_2
            || ns == NS_3_2_1
            || ns == NS_3_2_2
            || ns.starts_with("http://www.facturae.es/Facturae/")
            || ns.starts_with("http://www.facturae.gob.es/formato/Versiones/Facturaev3_2"))
}

/// Reads the facts of a Facturae file (its first invoice) whose root is `root`.
pub(crate) fn read(root: Node<'_, '_>, options: &Options) -> Result<Facts, InspectError> {
    let q = Ns::OrNone(root.namespace().unwrap_or_default());
    let t = |node: Node<'_, '_>, steps: &[&str]| -> Option<String> {
        let steps: Vec<(Ns<'_>, &str)> = steps.iter().map(|s| (q, *s)).collect();
        text(path(node, &steps)).map(str::to_owned)
    };
    let mut f = Facts::new(Format::Facturae);
    f.profile = t(root, &["FileHeader", "SchemaVersion"]).or_else(|| version_of(root));
    if let Some(parties) = child(root, q, "Parties") {
        f.seller = party(child(parties, q, "SellerParty"), q);
        f.buyer = party(child(parties, q, "BuyerParty"), q);
    }
    let invoices: Vec<Node<'_, '_>> = child(root, q, "Invoices")
        .map(|i| children(i, q, "Invoice").collect())
        .unwrap_or_default();
    let Some(&invoice) = invoices.first() else {
        f.warnings
            .push(crate::i18n::message!("inspect-warn-no-facturae-invoice"));
        return Ok(f);
    };
    if invoices.len() > 1 {
        f.warnings.push(crate::i18n::message!(
            "inspect-warn-many-invoices",
            count = invoices.len()
        ));
    }
    f.number = t(invoice, &["InvoiceHeader", "InvoiceNumber"]);
    if matches!(
        t(invoice, &["InvoiceHeader", "InvoiceClass"]).as_deref(),
        Some("OR" | "CR")
    ) {
        f.document_type = DocumentType::CreditNote;
    }
    f.issue_date = t(invoice, &["InvoiceIssueData", "IssueDate"]).and_then(|d| iso_date(&d));
    f.currency = t(invoice, &["InvoiceIssueData", "InvoiceCurrencyCode"])
        .or_else(|| t(root, &["FileHeader", "Batch", "InvoiceCurrencyCode"]));
    f.due_date = child(invoice, q, "PaymentDetails")
        .and_then(|p| children(p, q, "Installment").find_map(|i| t(i, &["InstallmentDueDate"])))
        .and_then(|d| iso_date(&d));

    let w = &mut f.warnings;
    for tax in child(invoice, q, "TaxesOutputs")
        .into_iter()
        .flat_map(|o| children(o, q, "Tax"))
    {
        let code = t(tax, &["TaxTypeCode"]);
        let base = amount(t(tax, &["TaxableBase", "TotalAmount"]).as_deref(), "a taxable base", w);
        f.taxes.push(TaxRate {
            rate: amount(t(tax, &["TaxRate"]).as_deref(), "a tax rate", w),
            base,
            amount: amount(t(tax, &["TaxAmount", "TotalAmount"]).as_deref(), "a tax amount", w),
            category: code.as_deref().map(tax_name),
        });
        if let Some(surcharge) = amount(
            t(tax, &["EquivalenceSurchargeAmount", "TotalAmount"]).as_deref(),
            "an equivalence surcharge",
            w,
        ) {
            f.taxes.push(TaxRate {
                rate: amount(
                    t(tax, &["EquivalenceSurcharge"]).as_deref(),
                    "an equivalence surcharge rate",
                    w,
                ),
                base,
                amount: Some(surcharge),
                category: Some("recargo de equivalencia".to_owned()),
            });
        }
    }
    for tax in child(invoice, q, "TaxesWithheld")
        .into_iter()
        .flat_map(|o| children(o, q, "Tax"))
    {
        f.withholdings.push(TaxRate {
            rate: amount(t(tax, &["TaxRate"]).as_deref(), "a withholding rate", w),
            base: amount(
                t(tax, &["TaxableBase", "TotalAmount"]).as_deref(),
                "a withholding base",
                w,
            ),
            amount: amount(t(tax, &["TaxAmount", "TotalAmount"]).as_deref(), "a withheld amount", w),
            category: t(tax, &["TaxTypeCode"]).as_deref().map(tax_name),
        });
    }

    if let Some(totals) = child(invoice, q, "InvoiceTotals") {
        let get = |name: &str, w: &mut Vec<crate::inspect::Warning>| amount(t(totals, &[name]).as_deref(), name, w);
        f.line_total = get("TotalGrossAmount", w);
        let discounts = get("TotalGeneralDiscounts", w);
        let surcharges = get("TotalGeneralSurcharges", w);
        if discounts.is_some() || surcharges.is_some() {
            f.adjustment = surcharges
                .unwrap_or_default()
                .checked_sub(discounts.unwrap_or_default());
        }
        f.net = get("TotalGrossAmountBeforeTaxes", w);
        f.tax = get("TotalTaxOutputs", w);
        f.withheld = get("TotalTaxesWithheld", w).filter(|a| *a != Amount::ZERO || !f.withholdings.is_empty());
        f.total_after_withholding = true;
        f.grand = get("InvoiceTotal", w);
        f.payable = get("TotalExecutableAmount", w).or(get("TotalOutstandingAmount", w));
        let subsidies = child(totals, q, "Subsidies")
            .into_iter()
            .flat_map(|s| children(s, q, "Subsidy"))
            .filter_map(|s| amount(t(s, &["SubsidyAmount"]).as_deref(), "a subsidy", w))
            .collect::<Vec<_>>();
        let retained = child(totals, q, "AmountsWithheld")
            .and_then(|a| amount(t(a, &["WithholdingAmount"]).as_deref(), "an amount withheld", w));
        let minus = [
            Amount::sum(subsidies.iter()),
            get("TotalPaymentsOnAccount", w),
            retained,
        ];
        let plus = [get("TotalReimbursableExpenses", w), get("TotalFinancialExpenses", w)];
        let subtract = Amount::sum(minus.iter().flatten()).unwrap_or_default();
        let add = Amount::sum(plus.iter().flatten()).unwrap_or_default();
        f.payable_adjustment = add.checked_sub(subtract);
    } else {
        w.push(crate::i18n::message!("inspect-warn-no-facturae-totals"));
    }

    for (index, line) in child(invoice, q, "Items")
        .into_iter()
        .flat_map(|i| children(i, q, "InvoiceLine"))
        .enumerate()
    {
        if index % 1024 == 0 {
            options.budget.check()?;
        }
        let w = &mut f.warnings;
        let quantity = amount(t(line, &["Quantity"]).as_deref(), "a line quantity", w);
        let price = amount(t(line, &["UnitPriceWithoutTax"]).as_deref(), "a unit price", w);
        let gross = amount(t(line, &["GrossAmount"]).as_deref(), "a line's gross amount", w);
        let discounts: Vec<Amount> = child(line, q, "DiscountsAndRebates")
            .into_iter()
            .flat_map(|d| children(d, q, "Discount"))
            .filter_map(|d| amount(t(d, &["DiscountAmount"]).as_deref(), "a line discount", w))
            .collect();
        let charges: Vec<Amount> = child(line, q, "Charges")
            .into_iter()
            .flat_map(|c| children(c, q, "Charge"))
            .filter_map(|c| amount(t(c, &["ChargeAmount"]).as_deref(), "a line charge", w))
            .collect();
        let adjustment = (!discounts.is_empty() || !charges.is_empty()).then(|| {
            Amount::sum(charges.iter())
                .unwrap_or_default()
                .checked_sub(Amount::sum(discounts.iter()).unwrap_or_default())
                .unwrap_or_default()
        });
        f.lines.push(LineFacts {
            line: Some(Line {
                description: t(line, &["ItemDescription"]),
                quantity,
                price,
                amount: gross,
            }),
            quantity,
            price,
            base_quantity: None,
            adjustment,
            amount: gross,
        });
    }
    let lines = i64::try_from(f.lines.len()).unwrap_or(i64::MAX).max(1);
    f.rate_tolerance = Amount::cents(lines);
    Ok(f)
}

/// The schema version a namespace names, for a file without SchemaVersion.
fn version_of(root: Node<'_, '_>) -> Option<String> {
    match root.namespace()? {
        NS_3_2 => Some("3.2".to_owned()),
        NS_3_2_1 => Some("3.2.1".to_owned()),
        NS_3_2_2 => Some("3.2.2".to_owned()),
        _ => None,
    }
}

/// A TaxTypeCode's name (the schema's TaxTypeCodeType).
fn tax_name(code: &str) -> String {
    let name = match code {
        "01" => "IVA",
        "02" => "IPSI",
        "03" => "IGIC",
        "04" => "IRPF",
        "05" => "other",
        "06" => "ITPAJD",
        "07" => "IE",
        "08" => "Ra",
        "09" => "IGTECM",
        "10" => "IECDPCAC",
        "11" => "IIIMAB",
        "12" => "ICIO",
        "13" => "IMVDN",
        "14" => "IMSN",
        "15" => "IMGSN",
        "16" => "IMPN",
        "17" => "REIVA",
        "18" => "REIGIC",
        "19" => "REIPSI",
        "20" => "IPS",
        "21" => "RLEA",
        "22" => "IVPEE",
        "23" => "IPCNG",
        "24" => "IACNG",
        "25" => "IDEC",
        "26" => "ILTCAC",
        "27" => "IGFEI",
        "28" => "IRNR",
        "29" => "ISS",
        other => return other.to_owned(),
    };
    name.to_owned()
}

/// A party's tax id and name: a company's CorporateName, or a person's name and surnames.
fn party(party: Option<Node<'_, '_>>, q: Ns<'_>) -> Party {
    let Some(p) = party else {
        return Party::default();
    };
    let tax_id = text(path(p, &[(q, "TaxIdentification"), (q, "TaxIdentificationNumber")])).map(str::to_owned);
    let name = text(path(p, &[(q, "LegalEntity"), (q, "CorporateName")]))
        .map(str::to_owned)
        .or_else(|| {
            let person = child(p, q, "Individual")?;
            let parts: Vec<&str> = ["Name", "FirstSurname", "SecondSurname"]
                .iter()
                .filter_map(|n| text(child(person, q, n)))
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        });
    Party { name, tax_id }
}
