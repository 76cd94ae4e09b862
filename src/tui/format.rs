//! Small formatters for sizes, rates, durations and dates.

use crate::i18n::Lang;
use time::{Duration, OffsetDateTime, UtcOffset};

/// A byte count for people: `512 B`, `1.2 kB`, `3.4 MB` (powers of 1000).
#[cfg(test)]
pub(crate) fn bytes(n: u64) -> String {
    bytes_in(Lang::En, n)
}

/// [`bytes`] in `lang`: `1,2 MB` in Spanish.
pub(crate) fn bytes_in(lang: Lang, n: u64) -> String {
    const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.95 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    let number = if value < 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    };
    match lang {
        Lang::En => format!("{number} {}", UNITS[unit]),
        Lang::Es => format!("{} {}", number.replace('.', ","), UNITS[unit]),
    }
}

/// A count with thousands separators: `10,000`.
#[cfg(test)]
pub(crate) fn thousands(n: usize) -> String {
    thousands_in(Lang::En, n)
}

/// [`thousands`] in `lang`: `10.000` in Spanish.
pub(crate) fn thousands_in(lang: Lang, n: usize) -> String {
    crate::text::group_digits(lang, &n.to_string())
}

/// A transfer rate: `1.2 MB/s`.
#[cfg(test)]
pub(crate) fn rate(bytes_per_sec: f64) -> String {
    rate_in(Lang::En, bytes_per_sec)
}

/// [`rate`] in `lang`: `1,2 MB/s` in Spanish.
pub(crate) fn rate_in(lang: Lang, bytes_per_sec: f64) -> String {
    format!("{}/s", bytes_in(lang, bytes_per_sec.max(0.0).round() as u64))
}

/// How long ago `at` was, at most four columns: `12s`, `3m`, `2h`, `4d`
/// (`0s` for a time after `now`).
pub(crate) fn ago(at: OffsetDateTime, now: OffsetDateTime) -> String {
    let secs = (now - at).whole_seconds().max(0);
    match secs {
        0..=59 => format!("{secs}s"),
        60..=3599 => format!("{}m", secs / 60),
        3600..=86_399 => format!("{}h", secs / 3600),
        _ => format!("{}d", (secs / 86_400).min(999)),
    }
}

/// A short duration: `45s`, `3m 05s`, `2h 10m`, `3d 4h`.
pub(crate) fn duration(d: Duration) -> String {
    let secs = d.whole_seconds().max(0);
    match secs {
        0..=59 => format!("{secs}s"),
        60..=3599 => format!("{}m {:02}s", secs / 60, secs % 60),
        3600..=86_399 => format!("{}h {:02}m", secs / 3600, (secs % 3600) / 60),
        _ => format!("{}d {}h", secs / 86_400, (secs % 86_400) / 3600),
    }
}

/// A coarse time left, for the session: `45s`, `58m`, `2h 05m`, `3d 4h`.
pub(crate) fn remaining(d: Duration) -> String {
    let secs = d.whole_seconds().max(0);
    match secs {
        0..=59 => format!("{secs}s"),
        60..=3599 => format!("{}m", secs / 60),
        _ => duration(d),
    }
}

/// A date and time in the given offset: `2024-02-09 11:30` in English,
/// `9 feb 2024, 11:30` in Spanish.
pub(crate) fn local_time_in(lang: Lang, t: OffsetDateTime, offset: UtcOffset) -> String {
    if lang == Lang::Es {
        return crate::text::date_time(lang, t.to_offset(offset));
    }
    let t = t.to_offset(offset);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{datetime, offset};

    #[test]
    fn sizes_read_well() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(1_200), "1.2 kB");
        assert_eq!(bytes(45_000), "45 kB");
        assert_eq!(bytes(2_500_000), "2.5 MB");
        assert_eq!(bytes(999_999), "1.0 MB");
        assert_eq!(bytes(u64::MAX), "18447 PB");
        assert_eq!(rate(1_500_000.0), "1.5 MB/s");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(duration(Duration::seconds(5)), "5s");
        assert_eq!(duration(Duration::seconds(185)), "3m 05s");
        assert_eq!(duration(Duration::minutes(130)), "2h 10m");
        assert_eq!(duration(Duration::hours(76)), "3d 4h");
        assert_eq!(duration(Duration::seconds(-5)), "0s");
        assert_eq!(remaining(Duration::seconds(3479)), "57m");
        assert_eq!(remaining(Duration::seconds(3700)), "1h 01m");
    }

    #[test]
    fn local_time_uses_the_offset() {
        let t = datetime!(2024-02-09 10:30 UTC);
        assert_eq!(local_time_in(Lang::En, t, offset!(+1)), "2024-02-09 11:30");
        assert_eq!(local_time_in(Lang::En, t, UtcOffset::UTC), "2024-02-09 10:30");
        assert_eq!(local_time_in(Lang::Es, t, offset!(+1)), "9 feb 2024, 11:30");
    }

    #[test]
    fn spanish_numbers_use_a_comma_and_dots() {
        assert_eq!(bytes_in(Lang::Es, 1_200_000), "1,2 MB");
        assert_eq!(bytes_in(Lang::Es, 45_000), "45 kB");
        assert_eq!(thousands_in(Lang::Es, 1_234_567), "1.234.567");
        assert_eq!(thousands_in(Lang::Es, 999), "999");
    }
}
