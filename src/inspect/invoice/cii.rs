//! UN/CEFACT Cross Industry Invoice D16B (XRechnung CII, Factur-X and
//! ZUGFeRD 2.x), mapped as EN 16931's CII syntax binding maps the business terms.

use super::super::xml::Node;
use super::super::xml::{Ns, attr, child, children, path, text, text_at};
use super::super::{InspectError, Options};
use super::{DocumentType, Facts, Format, LineFacts, Party, TaxRate, amount, is_credit_note_code, iso_date};

/// The CrossIndustryInvoice message (`rsm`).
pub const RSM: &str = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";
/// Reusable aggregate business information entities (`ram`).
pub const RAM: &str = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";
/// Unqualified data types (`udt`).
pub const UDT: &str = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100";

const M: Ns<'static> = Ns::Is(RSM);
const R: Ns<'static> = Ns::Is(RAM);
const U: Ns<'static> = Ns::Is(UDT);

/// Whether a root element `name` in namespace `ns` is a CII invoice.
pub fn recognises(name: &str, ns: &str) -> bool {
    name == "CrossIndustryInvoice" && ns == RSM
}

/// Reads the facts of a CII document whose root is `root`.
pub(crate) fn read(root: Node<'_, '_>, options: &Options) -> Result<Facts, InspectError> {
    let mut f = Facts::new(Format::Cii);
    let w = &mut f.warnings;
    f.profile = text_at(
        root,
        &[
            (M, "ExchangedDocumentContext"),
            (R, "GuidelineSpecifiedDocumentContextParameter"),
            (R, "ID"),
        ],
    );
    let document = child(root, M, "ExchangedDocument");
    f.number = document.and_then(|d| text(child(d, R, "ID"))).map(str::to_owned);
    let type_code = document.and_then(|d| text(child(d, R, "TypeCode")));
    if type_code.is_some_and(is_credit_note_code) {
        f.document_type = DocumentType::CreditNote;
    }
    f.issue_date = document
        .and_then(|d| text(path(d, &[(R, "IssueDateTime"), (U, "DateTimeString")])))
        .and_then(iso_date);
    let Some(transaction) = child(root, M, "SupplyChainTradeTransaction") else {
        w.push(crate::i18n::message!("inspect-warn-no-cii-transaction"));
        return Ok(f);
    };
    if let Some(agreement) = child(transaction, R, "ApplicableHeaderTradeAgreement") {
        f.seller = party(child(agreement, R, "SellerTradeParty"));
        f.buyer = party(child(agreement, R, "BuyerTradeParty"));
    }
    if let Some(settlement) = child(transaction, R, "ApplicableHeaderTradeSettlement") {
        f.currency = text(child(settlement, R, "InvoiceCurrencyCode")).map(str::to_owned);
        f.due_date = children(settlement, R, "SpecifiedTradePaymentTerms")
            .find_map(|t| text(path(t, &[(R, "DueDateDateTime"), (U, "DateTimeString")])))
            .and_then(iso_date);
        for tax in children(settlement, R, "ApplicableTradeTax") {
            let kind = text(child(tax, R, "TypeCode"));
            let category = text(child(tax, R, "CategoryCode"));
            f.taxes.push(TaxRate {
                rate: amount(text(child(tax, R, "RateApplicablePercent")), "a tax rate", w),
                base: amount(text(child(tax, R, "BasisAmount")), "a taxable amount", w),
                amount: amount(text(child(tax, R, "CalculatedAmount")), "a tax amount", w),
                category: match (kind, category) {
                    (Some(k), Some(c)) => Some(format!("{k} {c}")),
                    (k, c) => k.or(c).map(str::to_owned),
                },
            });
        }
        if let Some(sum) = child(settlement, R, "SpecifiedTradeSettlementHeaderMonetarySummation") {
            let get = |name: &str, w: &mut Vec<crate::inspect::Warning>| amount(text(child(sum, R, name)), name, w);
            f.line_total = get("LineTotalAmount", w);
            f.net = get("TaxBasisTotalAmount", w);
            let currency = f.currency.as_deref();
            let tax_totals: Vec<Node<'_, '_>> = children(sum, R, "TaxTotalAmount").collect();
            let main = tax_totals
                .iter()
                .find(|t| attr(**t, "currencyID").is_none_or(|c| Some(c) == currency))
                .or(tax_totals.first());
            f.tax = amount(main.and_then(|t| text(Some(*t))), "TaxTotalAmount", w);
            f.grand = get("GrandTotalAmount", w);
            f.payable = get("DuePayableAmount", w);
            let allowances = get("AllowanceTotalAmount", w);
            let charges = get("ChargeTotalAmount", w);
            if allowances.is_some() || charges.is_some() {
                f.adjustment = charges.unwrap_or_default().checked_sub(allowances.unwrap_or_default());
            }
            let prepaid = get("TotalPrepaidAmount", w);
            let rounding = get("RoundingAmount", w);
            if prepaid.is_some() || rounding.is_some() {
                f.payable_adjustment = rounding.unwrap_or_default().checked_sub(prepaid.unwrap_or_default());
            }
        }
    }
    for (index, item) in children(transaction, R, "IncludedSupplyChainTradeLineItem").enumerate() {
        if index % 1024 == 0 {
            options.budget.check()?;
        }
        f.lines.push(read_line(item, &mut f.warnings));
    }
    Ok(f)
}

fn read_line(item: Node<'_, '_>, w: &mut Vec<crate::inspect::Warning>) -> LineFacts {
    let net_price = path(
        item,
        &[(R, "SpecifiedLineTradeAgreement"), (R, "NetPriceProductTradePrice")],
    );
    let price = amount(
        net_price.and_then(|p| text(child(p, R, "ChargeAmount"))),
        "a line price",
        w,
    );
    let base_quantity = amount(
        net_price.and_then(|p| text(child(p, R, "BasisQuantity"))),
        "a base quantity",
        w,
    );
    let quantity = amount(
        text(path(item, &[(R, "SpecifiedLineTradeDelivery"), (R, "BilledQuantity")])),
        "a line quantity",
        w,
    );
    let settlement = child(item, R, "SpecifiedLineTradeSettlement");
    let line_amount = amount(
        settlement.and_then(|s| {
            text(path(
                s,
                &[
                    (R, "SpecifiedTradeSettlementLineMonetarySummation"),
                    (R, "LineTotalAmount"),
                ],
            ))
        }),
        "a line amount",
        w,
    );
    let adjustment = super::charges_minus_allowances(
        settlement
            .into_iter()
            .flat_map(|s| children(s, R, "SpecifiedTradeAllowanceCharge"))
            .map(|ac| {
                let value =
                    amount(text(child(ac, R, "ActualAmount")), "a line allowance or charge", w).unwrap_or_default();
                (value, text(path(ac, &[(R, "ChargeIndicator"), (U, "Indicator")])))
            }),
    );
    let description = text(path(item, &[(R, "SpecifiedTradeProduct"), (R, "Name")])).map(str::to_owned);
    LineFacts::new(description, quantity, price, base_quantity, adjustment, line_amount)
}

/// A trade party's name and VAT id (scheme `VA`), else its tax number (`FC`).
fn party(party: Option<Node<'_, '_>>) -> Party {
    let Some(p) = party else {
        return Party::default();
    };
    let registrations: Vec<Node<'_, '_>> = children(p, R, "SpecifiedTaxRegistration")
        .filter_map(|r| child(r, R, "ID"))
        .collect();
    let tax_id = registrations
        .iter()
        .find(|id| attr(**id, "schemeID") == Some("VA"))
        .or(registrations.first())
        .and_then(|id| text(Some(*id)))
        .map(str::to_owned);
    Party {
        name: text(child(p, R, "Name")).map(str::to_owned),
        tax_id,
    }
}
