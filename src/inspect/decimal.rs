//! Amounts as exact decimals, never floats: parsed from the document's text,
//! printed as decimal strings (`"1234.56"`).

use rust_decimal::Decimal;
use std::fmt;

/// An exact decimal amount, rate or quantity from a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Amount(pub Decimal);

impl Amount {
    /// Zero.
    pub const ZERO: Amount = Amount(Decimal::ZERO);

    /// Parses a decimal as XML schemas write it (`-12.50`, `+3`, `.5`); no
    /// exponent, no thousands separator. `None` for anything else.
    pub fn parse(text: &str) -> Option<Amount> {
        let text = text.trim();
        let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
        let well_formed = !unsigned.is_empty()
            && unsigned.chars().all(|c| c.is_ascii_digit() || c == '.')
            && unsigned.chars().filter(|&c| c == '.').count() <= 1
            && unsigned.chars().any(|c| c.is_ascii_digit());
        if !well_formed {
            return None;
        }
        let text = text.strip_prefix('+').unwrap_or(text);
        Decimal::from_str_exact(text).ok().map(Amount)
    }

    /// The absolute value.
    pub fn abs(self) -> Amount {
        Amount(self.0.abs())
    }

    /// `self + other`, `None` on overflow.
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        self.0.checked_add(other.0).map(Amount)
    }

    /// `self - other`, `None` on overflow.
    pub fn checked_sub(self, other: Amount) -> Option<Amount> {
        self.0.checked_sub(other.0).map(Amount)
    }

    /// `self × other`, `None` on overflow.
    pub fn checked_mul(self, other: Amount) -> Option<Amount> {
        self.0.checked_mul(other.0).map(Amount)
    }

    /// `self ÷ other`, `None` for zero or on overflow.
    pub fn checked_div(self, other: Amount) -> Option<Amount> {
        self.0.checked_div(other.0).map(Amount)
    }

    /// A whole number.
    pub fn from_int(n: i64) -> Amount {
        Amount(Decimal::from(n))
    }

    /// `n` hundredths (`cents(1)` is 0.01).
    pub fn cents(n: i64) -> Amount {
        Amount(Decimal::new(n, 2))
    }

    /// Whether `self` and `other` differ by at most `tolerance`.
    pub fn near(self, other: Amount, tolerance: Amount) -> bool {
        self.checked_sub(other).is_some_and(|d| d.abs() <= tolerance)
    }

    /// The sum of `amounts`, `None` on overflow.
    pub fn sum<'a>(amounts: impl IntoIterator<Item = &'a Amount>) -> Option<Amount> {
        amounts.into_iter().try_fold(Amount::ZERO, |acc, a| acc.checked_add(*a))
    }

    /// As a rate: no trailing zeros (`19`, `5.5`).
    pub fn rate_string(self) -> String {
        self.0.normalize().to_string()
    }
}

/// An amount: trailing zeros past the cents dropped, at least two decimals
/// (`1234.56`, `82.996`, `100.00`).
impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = self.0.normalize();
        if d.scale() < 2 {
            d.rescale(2);
        }
        write!(f, "{d}")
    }
}

impl serde::Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn amounts_print_with_cents_and_no_noise() {
        let show = |s: &str| Amount::parse(s).map(|a| a.to_string());
        assert_eq!(show("1234.56").as_deref(), Some("1234.56"));
        assert_eq!(show("100.000000").as_deref(), Some("100.00"));
        assert_eq!(show("+82.9960").as_deref(), Some("82.996"));
        assert_eq!(show("-5").as_deref(), Some("-5.00"));
        assert_eq!(show(" .5 ").as_deref(), Some("0.50"));
        for bad in ["", "1e5", "1,000.00", "12.3.4", "abc", "-", "."] {
            assert_eq!(Amount::parse(bad), None, "{bad}");
        }
        assert_eq!(Amount::parse("19.00").map(Amount::rate_string).as_deref(), Some("19"));
        assert_eq!(
            Amount::parse("0.160000").map(Amount::rate_string).as_deref(),
            Some("0.16")
        );
    }

    #[test]
    fn sums_are_exact() {
        let tenth = Amount::parse("0.1");
        let total = Amount::sum([tenth, tenth, tenth].iter().flatten());
        assert_eq!(total, Amount::parse("0.3"));
    }

    proptest! {
        #[test]
        fn printed_amounts_parse_back_to_the_same_value(units in -10_000_000_000i64..10_000_000_000, scale in 0u32..7) {
            let amount = Amount(Decimal::new(units, scale));
            let printed = amount.to_string();
            prop_assert_eq!(Amount::parse(&printed), Some(amount));
            prop_assert!(printed.split('.').nth(1).is_some_and(|d| d.len() >= 2));
        }
    }
}
