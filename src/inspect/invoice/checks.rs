//! Whether an invoice adds up: its lines to their total, each line's
//! quantity × price to its amount, each rate × base to its tax, the taxes to
//! the tax total, net + tax to the grand total, and that to the amount due.
//! A check whose figures the document lacks is left out.

use super::super::decimal::Amount;
use super::Facts;
use crate::i18n::Lang;
use crate::tr;
use serde::Serialize;

/// One check of an invoice's arithmetic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// What is checked: `lines`, `line_amounts`, `net`, `tax_rates`, `tax_total`, `grand_total`, `payable`.
    pub name: String,
    /// Whether it adds up within rounding.
    pub ok: bool,
    /// The figures, in words.
    pub detail: String,
    /// [`Check::detail`] in each language of [`Lang::ALL`], in its order.
    #[serde(skip)]
    pub details: Vec<String>,
}

impl Check {
    /// [`Check::detail`] in `lang`, its figures written the way `lang` writes numbers.
    pub fn detail_in(&self, lang: Lang) -> &str {
        let at = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
        self.details.get(at).unwrap_or(&self.detail)
    }
}

/// A check whose detail `words` says in a language.
fn check(name: &str, ok: bool, words: impl Fn(Lang) -> String) -> Check {
    Check {
        name: name.to_owned(),
        ok,
        detail: words(Lang::En),
        details: Lang::ALL.iter().map(|lang| words(*lang)).collect(),
    }
}

/// `expected` against what the document says (`stated`), within `tolerance`.
fn compare(name: &str, what: impl Fn(Lang) -> String, computed: Amount, stated: Amount, tolerance: Amount) -> Check {
    let ok = computed.near(stated, tolerance);
    let off = computed.checked_sub(stated).map(Amount::abs).unwrap_or_default();
    check(name, ok, |lang| {
        if ok {
            format!("{} {}", what(lang), stated_in(lang, stated))
        } else {
            tr!(
                lang,
                "check-off",
                what = what(lang),
                computed = stated_in(lang, computed),
                stated = stated_in(lang, stated),
                off = stated_in(lang, off)
            )
        }
    })
}

/// A figure in `lang`: `1234.56` in English (as the document has it), `1.234,56` in Spanish.
fn stated_in(lang: Lang, amount: Amount) -> String {
    plain_in(lang, &amount.to_string())
}

fn plain_in(lang: Lang, plain: &str) -> String {
    match lang {
        Lang::En => plain.to_owned(),
        Lang::Es => crate::text::decimal(lang, plain),
    }
}

/// Every check the facts allow.
pub(super) fn run(facts: &Facts) -> Vec<Check> {
    let mut checks = Vec::new();
    let count = i64::try_from(facts.lines.len()).unwrap_or(i64::MAX).max(1);
    let per_lines = facts
        .tolerance_per_line
        .checked_mul(Amount::from_int(count))
        .unwrap_or(facts.tolerance_per_line);
    let cent = Amount::cents(1);
    let line_amounts: Option<Vec<Amount>> = facts.lines.iter().map(|l| l.amount).collect();
    let line_sum = line_amounts.as_ref().and_then(|a| Amount::sum(a.iter()));
    if let (false, Some(sum)) = (facts.lines.is_empty(), line_sum) {
        let count = facts.lines.len();
        let what = |lang: Lang| tr!(lang, "check-lines-add-up", n = count);
        match (facts.line_total, facts.adjustment, facts.net) {
            (Some(stated), _, _) => checks.push(compare("lines", what, sum, stated, per_lines)),
            (None, None, Some(net)) => {
                checks.push(compare("lines", what, sum, net, per_lines.max(facts.net_tolerance)));
            }
            _ => {}
        }
    }
    if let Some(line_check) = line_prices(facts) {
        checks.push(line_check);
    }
    if let (Some(lines), Some(adjustment), Some(net)) = (facts.line_total.or(line_sum), facts.adjustment, facts.net)
        && let Some(computed) = lines.checked_add(adjustment)
    {
        let what = |lang: Lang| tr!(lang, "check-net-comes-to");
        checks.push(compare("net", what, computed, net, facts.net_tolerance));
    }
    if let Some(rates) = tax_rates(facts) {
        checks.push(rates);
    }
    // An exempt rate has no tax amount; it adds nothing.
    let tax_sum = Amount::sum(facts.taxes.iter().filter_map(|t| t.amount.as_ref()));
    if let (false, Some(sum), Some(stated)) = (facts.taxes.is_empty(), tax_sum, facts.tax) {
        let count = facts.taxes.len();
        let what = |lang: Lang| tr!(lang, "check-taxes-add-up", n = count);
        checks.push(compare("tax_total", what, sum, stated, cent));
    }
    if let (Some(net), Some(grand)) = (facts.net, facts.grand) {
        let tax = facts.tax.or(tax_sum).unwrap_or_default();
        let mut computed = net.checked_add(tax);
        let mut withheld_out = false;
        if facts.total_after_withholding
            && let Some(withheld) = facts.withheld
        {
            computed = computed.and_then(|c| c.checked_sub(withheld));
            withheld_out = true;
        }
        let extras_in = facts.total_extras.is_some();
        if let Some(extras) = facts.total_extras {
            computed = computed.and_then(|c| c.checked_add(extras));
        }
        if let Some(computed) = computed {
            let what = |lang: Lang| {
                let mut what = tr!(lang, "check-net-plus-tax");
                if withheld_out {
                    what.push_str(&tr!(lang, "check-minus-withheld"));
                }
                if extras_in {
                    what.push_str(&tr!(lang, "check-plus-charges"));
                }
                what.push_str(" =");
                what
            };
            checks.push(compare("grand_total", what, computed, grand, cent));
        }
    }
    if let (Some(grand), Some(payable)) = (facts.grand, facts.payable) {
        let adjustment = facts.payable_adjustment.unwrap_or_default();
        if let Some(computed) = grand.checked_add(adjustment) {
            let what = |lang: Lang| {
                if adjustment == Amount::ZERO {
                    tr!(lang, "check-grand-total-is")
                } else {
                    let sign = if adjustment < Amount::ZERO { "−" } else { "+" };
                    tr!(
                        lang,
                        "check-grand-total-adjusted",
                        sign = sign,
                        adjustment = stated_in(lang, adjustment.abs())
                    )
                }
            };
            checks.push(compare("payable", what, computed, payable, cent));
        }
    }
    checks
}

/// Each line's quantity × price ÷ base quantity + its charges − allowances
/// against its amount, within a cent; the first that does not is named.
fn line_prices(facts: &Facts) -> Option<Check> {
    let mut checked = 0usize;
    for (index, line) in facts.lines.iter().enumerate() {
        let (Some(quantity), Some(price), Some(amount)) = (line.quantity, line.price, line.amount) else {
            continue;
        };
        let base = line
            .base_quantity
            .filter(|b| *b != Amount::ZERO)
            .unwrap_or(Amount::from_int(1));
        let Some(computed) = quantity
            .checked_mul(price)
            .and_then(|v| v.checked_div(base))
            .and_then(|v| v.checked_add(line.adjustment.unwrap_or_default()))
        else {
            continue;
        };
        checked += 1;
        if !computed.near(amount, Amount::cents(1)) {
            let adjusted = line.adjustment.is_some();
            let detail = |lang: Lang| {
                tr!(
                    lang,
                    "check-line-off",
                    line = (index + 1).to_string(),
                    quantity = stated_in(lang, quantity),
                    price = stated_in(lang, price),
                    adjusted = if adjusted {
                        tr!(lang, "check-line-adjusted")
                    } else {
                        String::new()
                    },
                    computed = stated_in(lang, round_cents(computed)),
                    amount = stated_in(lang, amount)
                )
            };
            return Some(check("line_amounts", false, detail));
        }
    }
    let detail = |lang: Lang| tr!(lang, "check-line-amounts-ok", n = checked);
    (checked > 0).then(|| check("line_amounts", true, detail))
}

/// Each rate × base ÷ 100 against its tax.
fn tax_rates(facts: &Facts) -> Option<Check> {
    let mut checked = 0usize;
    for tax in &facts.taxes {
        let (Some(rate), Some(base), Some(amount)) = (tax.rate, tax.base, tax.amount) else {
            continue;
        };
        let Some(computed) = base
            .checked_mul(rate)
            .and_then(|v| v.checked_div(Amount::from_int(100)))
        else {
            continue;
        };
        checked += 1;
        if !computed.near(amount, facts.rate_tolerance) {
            let detail = |lang: Lang| {
                tr!(
                    lang,
                    "check-rate-off",
                    rate = plain_in(lang, &rate.rate_string()),
                    base = stated_in(lang, base),
                    computed = stated_in(lang, round_cents(computed)),
                    amount = stated_in(lang, amount)
                )
            };
            return Some(check("tax_rates", false, detail));
        }
    }
    let detail = |lang: Lang| tr!(lang, "check-tax-rates-ok", n = checked);
    (checked > 0).then(|| check("tax_rates", true, detail))
}

fn round_cents(amount: Amount) -> Amount {
    Amount(amount.0.round_dp(2))
}

#[cfg(test)]
mod tests {
    use super::super::{Format, LineFacts, TaxRate};
    use super::*;

    fn a(text: &str) -> Option<Amount> {
        Amount::parse(text)
    }

    fn facts() -> Facts {
        let mut f = Facts::new(Format::Ubl);
        f.lines = vec![
            LineFacts {
                quantity: a("3"),
                price: a("10.00"),
                amount: a("30.00"),
                ..LineFacts::default()
            },
            LineFacts {
                quantity: a("1"),
                price: a("70.00"),
                amount: a("70.00"),
                ..LineFacts::default()
            },
        ];
        f.line_total = a("100.00");
        f.net = a("100.00");
        f.taxes = vec![TaxRate {
            rate: a("19"),
            base: a("100.00"),
            amount: a("19.00"),
            category: None,
        }];
        f.tax = a("19.00");
        f.grand = a("119.00");
        f.payable = a("119.00");
        f
    }

    #[test]
    fn a_consistent_invoice_passes_every_check() {
        let checks = run(&facts());
        let names: Vec<&str> = checks.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "lines",
                "line_amounts",
                "tax_rates",
                "tax_total",
                "grand_total",
                "payable"
            ]
        );
        assert!(checks.iter().all(|c| c.ok), "{checks:?}");
    }

    #[test]
    fn each_detail_is_in_both_languages_and_the_english_one_is_the_json_one() {
        let mut f = facts();
        f.grand = a("1120.00");
        for check in run(&f) {
            assert_eq!(check.detail_in(Lang::En), check.detail);
            assert_ne!(check.detail_in(Lang::Es), check.detail, "{}", check.detail);
        }
        let grand = run(&f).into_iter().find(|c| c.name == "grand_total").unwrap();
        assert_eq!(
            grand.detail_in(Lang::Es),
            "base + impuestos = 119,00, pero el documento dice 1.120,00 (diferencia de 1.001,00)"
        );
    }

    #[test]
    fn a_wrong_figure_fails_its_check_and_says_by_how_much() {
        let mut f = facts();
        f.grand = a("120.00");
        let checks = run(&f);
        let grand = checks.iter().find(|c| c.name == "grand_total").unwrap();
        assert!(!grand.ok);
        assert!(grand.detail.contains("off by 1.00"), "{}", grand.detail);
        f.taxes[0].amount = a("18.50");
        let rates = run(&f).into_iter().find(|c| c.name == "tax_rates").unwrap();
        assert!(
            !rates.ok && rates.detail.contains("19% of 100.00 = 19.00"),
            "{}",
            rates.detail
        );
    }

    #[test]
    fn rounding_within_a_cent_passes() {
        let mut f = facts();
        f.taxes[0].base = a("1037.45");
        f.taxes[0].amount = a("197.12");
        let rates = run(&f).into_iter().find(|c| c.name == "tax_rates").unwrap();
        assert!(rates.ok, "{rates:?}");
    }
}
