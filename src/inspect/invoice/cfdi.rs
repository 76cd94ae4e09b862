//! CFDI 3.3 and 4.0, Mexico's Comprobante Fiscal Digital por Internet (SAT's
//! Anexo 20): the figures are attributes; rates (`TasaOCuota`) are fractions,
//! shown here in percent; retenciones are withholdings.

use super::super::decimal::Amount;
use super::super::xml::Node;
use super::super::xml::{Ns, attr, child, children};
use super::super::{InspectError, Options};
use super::{DocumentType, Facts, Format, Line, LineFacts, Party, TaxRate, amount, iso_date};

/// CFDI 3.3's namespace.
pub const NS_3_3: &str = "http://www.sat.gob.mx/cfd/3";
/// CFDI 4.0's namespace.
pub const NS_4_0: &str = "http://www.sat.gob.mx/cfd/4";
/// The SAT's stamp (TimbreFiscalDigital).
pub const TFD: &str = "http://www.sat.gob.mx/TimbreFiscalDigital";
/// The complement of local (state) taxes, which the total includes.
pub const IMPLOCAL: &str = "http://www.sat.gob.mx/implocal";

/// Whether a root element `name` in namespace `ns` is a CFDI.
pub fn recognises(name: &str, ns: &str) -> bool {
    name == "Comprobante" && (ns == NS_3_3 || ns == NS_4_0)
}

/// Reads the facts of a CFDI whose root is `root`.
pub(crate) fn read(root: Node<'_, '_>, options: &Options) -> Result<Facts, InspectError> {
    let q = Ns::Is(root.namespace().unwrap_or(NS_4_0));
    let mut f = Facts::new(Format::Cfdi);
    let w = &mut f.warnings;
    f.profile = attr(root, "Version").map(|v| format!("CFDI {v}"));
    let stamp = child(root, q, "Complemento").and_then(|c| child(c, Ns::Is(TFD), "TimbreFiscalDigital"));
    f.number = attr(root, "Folio")
        .or_else(|| stamp.and_then(|s| attr(s, "UUID")))
        .map(str::to_owned);
    if attr(root, "TipoDeComprobante") == Some("E") {
        f.document_type = DocumentType::CreditNote;
    }
    f.issue_date = attr(root, "Fecha").and_then(iso_date);
    f.currency = attr(root, "Moneda").map(str::to_owned);
    f.seller = party(child(root, q, "Emisor"));
    f.buyer = party(child(root, q, "Receptor"));
    f.signed = attr(root, "Sello").is_some() || stamp.is_some();
    let local = child(root, q, "Complemento").and_then(|c| child(c, Ns::Is(IMPLOCAL), "ImpuestosLocales"));
    if let Some(local) = local {
        let added = amount(attr(local, "TotaldeTraslados"), "TotaldeTraslados", w).unwrap_or_default();
        let withheld = amount(attr(local, "TotaldeRetenciones"), "TotaldeRetenciones", w).unwrap_or_default();
        f.total_extras = added.checked_sub(withheld);
    }

    let subtotal = amount(attr(root, "SubTotal"), "SubTotal", w);
    let discount = amount(attr(root, "Descuento"), "Descuento", w);
    f.line_total = subtotal;
    f.adjustment = discount.map(|d| Amount::ZERO.checked_sub(d).unwrap_or_default());
    f.net = match discount {
        Some(d) => subtotal.and_then(|s| s.checked_sub(d)),
        None => subtotal,
    };
    f.grand = amount(attr(root, "Total"), "Total", w);
    f.payable = f.grand;
    f.total_after_withholding = true;

    let mut concept_bases: Vec<(String, Amount)> = Vec::new();
    let concepts: Vec<Node<'_, '_>> = child(root, q, "Conceptos")
        .map(|c| children(c, q, "Concepto").collect())
        .unwrap_or_default();
    for (index, concept) in concepts.into_iter().enumerate() {
        if index % 1024 == 0 {
            options.budget.check()?;
        }
        let w = &mut f.warnings;
        let quantity = amount(attr(concept, "Cantidad"), "a Cantidad", w);
        let price = amount(attr(concept, "ValorUnitario"), "a ValorUnitario", w);
        let importe = amount(attr(concept, "Importe"), "an Importe", w);
        let traslados = child(concept, q, "Impuestos").and_then(|i| child(i, q, "Traslados"));
        for traslado in traslados.into_iter().flat_map(|t| children(t, q, "Traslado")) {
            if let Some(base) = amount(attr(traslado, "Base"), "a Base", w) {
                concept_bases.push((tax_key(traslado), base));
            }
        }
        f.lines.push(LineFacts {
            line: Some(Line {
                description: attr(concept, "Descripcion").map(str::to_owned),
                quantity,
                price,
                amount: importe,
            }),
            quantity,
            price,
            base_quantity: None,
            adjustment: None,
            amount: importe,
        });
    }

    let w = &mut f.warnings;
    if let Some(taxes) = child(root, q, "Impuestos") {
        f.tax = amount(attr(taxes, "TotalImpuestosTrasladados"), "TotalImpuestosTrasladados", w);
        f.withheld = amount(attr(taxes, "TotalImpuestosRetenidos"), "TotalImpuestosRetenidos", w);
        for traslado in child(taxes, q, "Traslados")
            .into_iter()
            .flat_map(|t| children(t, q, "Traslado"))
        {
            let key = tax_key(traslado);
            let base = amount(attr(traslado, "Base"), "a Base", w).or_else(|| {
                let bases: Vec<Amount> = concept_bases
                    .iter()
                    .filter(|(k, _)| *k == key)
                    .map(|(_, b)| *b)
                    .collect();
                (!bases.is_empty()).then(|| Amount::sum(bases.iter())).flatten()
            });
            f.taxes.push(TaxRate {
                rate: rate(traslado, w),
                base,
                amount: amount(attr(traslado, "Importe"), "an Importe", w),
                category: attr(traslado, "Impuesto").map(tax_name),
            });
        }
        for retencion in child(taxes, q, "Retenciones")
            .into_iter()
            .flat_map(|r| children(r, q, "Retencion"))
        {
            f.withholdings.push(TaxRate {
                rate: None,
                base: None,
                amount: amount(attr(retencion, "Importe"), "an Importe", w),
                category: attr(retencion, "Impuesto").map(tax_name),
            });
        }
    }
    if f.tax.is_none() && f.taxes.is_empty() {
        f.tax = Some(Amount::ZERO);
    }
    let lines = i64::try_from(f.lines.len()).unwrap_or(i64::MAX).max(1);
    f.rate_tolerance = Amount::cents(lines);
    Ok(f)
}

/// The percent of a `Tasa`; `None` for a `Cuota` (an amount per unit) or `Exento`.
fn rate(traslado: Node<'_, '_>, w: &mut Vec<crate::inspect::Warning>) -> Option<Amount> {
    if attr(traslado, "TipoFactor") != Some("Tasa") {
        return None;
    }
    amount(attr(traslado, "TasaOCuota"), "a TasaOCuota", w).and_then(|r| r.checked_mul(Amount::from_int(100)))
}

fn tax_key(traslado: Node<'_, '_>) -> String {
    let part = |name| attr(traslado, name).unwrap_or_default();
    format!("{}|{}|{}", part("Impuesto"), part("TipoFactor"), part("TasaOCuota"))
}

/// The SAT's tax codes (c_Impuesto).
fn tax_name(code: &str) -> String {
    match code {
        "001" => "ISR".to_owned(),
        "002" => "IVA".to_owned(),
        "003" => "IEPS".to_owned(),
        other => other.to_owned(),
    }
}

fn party(node: Option<Node<'_, '_>>) -> Party {
    let Some(n) = node else {
        return Party::default();
    };
    Party {
        name: attr(n, "Nombre").map(str::to_owned),
        tax_id: attr(n, "Rfc").map(str::to_owned),
    }
}
