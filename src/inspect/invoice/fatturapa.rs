//! FatturaPA 1.2 (FPA12 and FPR12), Italy's e-invoice for the Sistema di
//! Interscambio: unqualified children, VAT summarised per rate in
//! DatiRiepilogo, withholdings (ritenuta) in DatiRitenuta.

use super::super::decimal::Amount;
use super::super::xml::Node;
use super::super::xml::{Ns, attr, child, children, path, text};
use super::super::{InspectError, Options};
use super::{DocumentType, Facts, Format, Line, LineFacts, Party, TaxRate, amount, iso_date};

/// FatturaPA 1.2's namespace (all its 1.2.x specifications keep it).
pub const NS: &str = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2";

/// Whether a root element `name` in namespace `ns` is a FatturaPA.
pub fn recognises(name: &str, ns: &str) -> bool {
    name == "FatturaElettronica"
        && (ns == NS || ns.starts_with("http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1."))
}

/// Reads the facts of a FatturaPA (its first body) whose root is `root`.
pub(crate) fn read(root: Node<'_, '_>, options: &Options) -> Result<Facts, InspectError> {
    let q = Ns::OrNone(root.namespace().unwrap_or(NS));
    let t = |node: Node<'_, '_>, steps: &[&str]| -> Option<String> {
        let steps: Vec<(Ns<'_>, &str)> = steps.iter().map(|s| (q, *s)).collect();
        text(path(node, &steps)).map(str::to_owned)
    };
    let mut f = Facts::new(Format::FatturaPA);
    let header = child(root, q, "FatturaElettronicaHeader");
    f.profile = attr(root, "versione")
        .map(str::to_owned)
        .or_else(|| header.and_then(|h| t(h, &["DatiTrasmissione", "FormatoTrasmissione"])));
    if let Some(h) = header {
        f.seller = party(child(h, q, "CedentePrestatore"), q);
        f.buyer = party(child(h, q, "CessionarioCommittente"), q);
    }
    let bodies: Vec<Node<'_, '_>> = children(root, q, "FatturaElettronicaBody").collect();
    let Some(&body) = bodies.first() else {
        f.warnings.push(crate::i18n::message!("inspect-warn-no-fattura-body"));
        return Ok(f);
    };
    if bodies.len() > 1 {
        f.warnings
            .push(crate::i18n::message!("inspect-warn-many-bodies", count = bodies.len()));
    }
    let general = path(body, &[(q, "DatiGenerali"), (q, "DatiGeneraliDocumento")]);
    let w = &mut f.warnings;
    if let Some(g) = general {
        f.number = t(g, &["Numero"]);
        f.issue_date = t(g, &["Data"]).and_then(|d| iso_date(&d));
        f.currency = t(g, &["Divisa"]);
        if matches!(t(g, &["TipoDocumento"]).as_deref(), Some("TD04" | "TD08")) {
            f.document_type = DocumentType::CreditNote;
        }
        f.grand = amount(
            t(g, &["ImportoTotaleDocumento"]).as_deref(),
            "ImportoTotaleDocumento",
            w,
        );
        for r in children(g, q, "DatiRitenuta") {
            f.withholdings.push(TaxRate {
                rate: amount(t(r, &["AliquotaRitenuta"]).as_deref(), "AliquotaRitenuta", w),
                base: None,
                amount: amount(t(r, &["ImportoRitenuta"]).as_deref(), "ImportoRitenuta", w),
                category: t(r, &["TipoRitenuta"]),
            });
        }
        let mut extras = amount(t(g, &["Arrotondamento"]).as_deref(), "Arrotondamento", w);
        for sm in children(g, q, "ScontoMaggiorazione") {
            if let Some(importo) = amount(t(sm, &["Importo"]).as_deref(), "a ScontoMaggiorazione", w) {
                let signed = if t(sm, &["Tipo"]).as_deref() == Some("SC") {
                    Amount::ZERO.checked_sub(importo)
                } else {
                    Some(importo)
                };
                extras = extras.unwrap_or_default().checked_add(signed.unwrap_or_default());
            }
        }
        f.total_extras = extras;
    }
    let withheld: Vec<Amount> = f.withholdings.iter().filter_map(|r| r.amount).collect();
    f.withheld = (!withheld.is_empty()).then(|| Amount::sum(withheld.iter())).flatten();

    let goods = child(body, q, "DatiBeniServizi");
    let mut split_payment_tax = Amount::ZERO;
    let mut adjustment: Option<Amount> = None;
    for summary in goods.into_iter().flat_map(|g| children(g, q, "DatiRiepilogo")) {
        let tax = amount(t(summary, &["Imposta"]).as_deref(), "an Imposta", w);
        if t(summary, &["EsigibilitaIVA"]).as_deref() == Some("S") {
            split_payment_tax = split_payment_tax
                .checked_add(tax.unwrap_or_default())
                .unwrap_or_default();
        }
        for extra in ["SpeseAccessorie", "Arrotondamento"] {
            if let Some(value) = amount(t(summary, &[extra]).as_deref(), extra, w) {
                adjustment = adjustment.unwrap_or_default().checked_add(value);
            }
        }
        f.taxes.push(TaxRate {
            rate: amount(t(summary, &["AliquotaIVA"]).as_deref(), "an AliquotaIVA", w),
            base: amount(t(summary, &["ImponibileImporto"]).as_deref(), "an ImponibileImporto", w),
            amount: tax,
            category: t(summary, &["Natura"]).or_else(|| Some("IVA".to_owned())),
        });
    }
    if let Some(g) = general {
        for cassa in children(g, q, "DatiCassaPrevidenziale") {
            if let Some(value) = amount(
                t(cassa, &["ImportoContributoCassa"]).as_deref(),
                "ImportoContributoCassa",
                w,
            ) {
                adjustment = adjustment.unwrap_or_default().checked_add(value);
            }
        }
    }
    f.adjustment = adjustment;
    let bases: Option<Vec<Amount>> = f.taxes.iter().map(|t| t.base).collect();
    f.net = bases.and_then(|b| Amount::sum(b.iter()));
    let taxes: Option<Vec<Amount>> = f.taxes.iter().map(|t| t.amount).collect();
    f.tax = taxes.and_then(|b| Amount::sum(b.iter()));
    // SDI accepts lines within a euro of their rate's taxable amount (error 00422).
    f.net_tolerance = Amount::from_int(1);

    // The stamp duty is in the total when the seller charges it on.
    let stamp = general.and_then(|g| amount(t(g, &["DatiBollo", "ImportoBollo"]).as_deref(), "ImportoBollo", w));
    if let (Some(stamp), Some(net), Some(tax), Some(grand)) = (stamp, f.net, f.tax, f.grand) {
        let without = net
            .checked_add(tax)
            .and_then(|v| v.checked_add(f.total_extras.unwrap_or_default()));
        if without.is_some_and(|v| v != grand && v.checked_add(stamp) == Some(grand)) {
            f.total_extras = f.total_extras.unwrap_or_default().checked_add(stamp);
        }
    }
    let payment = child(body, q, "DatiPagamento");
    let details: Vec<Node<'_, '_>> = payment
        .map(|p| children(p, q, "DettaglioPagamento").collect())
        .unwrap_or_default();
    f.due_date = details
        .iter()
        .find_map(|d| t(*d, &["DataScadenzaPagamento"]))
        .and_then(|d| iso_date(&d));
    let paid: Vec<Amount> = details
        .iter()
        .filter_map(|d| amount(t(*d, &["ImportoPagamento"]).as_deref(), "an ImportoPagamento", w))
        .collect();
    if !paid.is_empty() {
        f.payable = Amount::sum(paid.iter());
        let less = f
            .withheld
            .unwrap_or_default()
            .checked_add(split_payment_tax)
            .unwrap_or_default();
        f.payable_adjustment = Amount::ZERO.checked_sub(less);
    }

    for (index, line) in goods
        .into_iter()
        .flat_map(|g| children(g, q, "DettaglioLinee"))
        .enumerate()
    {
        if index % 1024 == 0 {
            options.budget.check()?;
        }
        f.lines.push(read_line(line, &t, q, &mut f.warnings));
    }
    Ok(f)
}

fn read_line(
    line: Node<'_, '_>,
    t: &dyn Fn(Node<'_, '_>, &[&str]) -> Option<String>,
    q: Ns<'_>,
    w: &mut Vec<crate::inspect::Warning>,
) -> LineFacts {
    let quantity = amount(t(line, &["Quantita"]).as_deref(), "a Quantita", w);
    let price = amount(t(line, &["PrezzoUnitario"]).as_deref(), "a PrezzoUnitario", w);
    let total = amount(t(line, &["PrezzoTotale"]).as_deref(), "a PrezzoTotale", w);
    let mut effective = price;
    for sm in children(line, q, "ScontoMaggiorazione") {
        let discount = t(sm, &["Tipo"]).as_deref() == Some("SC");
        let percent = amount(t(sm, &["Percentuale"]).as_deref(), "a Percentuale", w);
        let importo = amount(t(sm, &["Importo"]).as_deref(), "an Importo", w);
        effective = effective.and_then(|p| match (percent, importo) {
            (Some(pc), _) => {
                let change = p.checked_mul(pc)?.checked_div(Amount::from_int(100))?;
                if discount {
                    p.checked_sub(change)
                } else {
                    p.checked_add(change)
                }
            }
            (None, Some(value)) => {
                if discount {
                    p.checked_sub(value)
                } else {
                    p.checked_add(value)
                }
            }
            (None, None) => Some(p),
        });
    }
    let units = quantity.unwrap_or(Amount::from_int(1));
    let adjustment = match (price, effective) {
        (Some(p), Some(e)) if p != e => e.checked_sub(p).and_then(|d| d.checked_mul(units)),
        _ => None,
    };
    LineFacts {
        line: Some(Line {
            description: t(line, &["Descrizione"]),
            quantity,
            price,
            amount: total,
        }),
        quantity: Some(units),
        price,
        base_quantity: None,
        adjustment,
        amount: total,
    }
}

/// A party's VAT id (country and code) or fiscal code, and its name.
fn party(node: Option<Node<'_, '_>>, q: Ns<'_>) -> Party {
    let Some(data) = node.and_then(|n| child(n, q, "DatiAnagrafici")) else {
        return Party::default();
    };
    let vat = child(data, q, "IdFiscaleIVA").and_then(|v| {
        let country = text(child(v, q, "IdPaese")).unwrap_or_default();
        text(child(v, q, "IdCodice")).map(|code| format!("{country}{code}"))
    });
    let tax_id = vat.or_else(|| text(child(data, q, "CodiceFiscale")).map(str::to_owned));
    let registry = child(data, q, "Anagrafica");
    let name = registry.and_then(|a| {
        text(child(a, q, "Denominazione")).map(str::to_owned).or_else(|| {
            let parts: Vec<&str> = ["Nome", "Cognome"]
                .iter()
                .filter_map(|n| text(child(a, q, n)))
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        })
    });
    Party { name, tax_id }
}
