//! Make untrusted text (anything a server sent) safe to show on a terminal.
//!
//! Every view and every error message that carries server text goes through
//! [`safe_text`]: control characters (C0, C1, DEL) become visible `�`-free
//! escapes, bidi overrides and other invisible format characters are dropped,
//! and the result is bounded in length.

/// The longest text, in characters, that [`safe_text`] returns by default.
pub const DEFAULT_MAX_CHARS: usize = 500;

/// Returns `input` made safe to print on a terminal: its first `max_chars`
/// characters, and an ellipsis after them when there were more.
///
/// - C0 controls (including ESC, CR, LF, TAB), DEL and C1 controls
///   (U+0080–U+009F) are replaced by a visible escape such as `\x1b`;
/// - bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069),
///   zero-width and other format characters that could hide or reorder text are
///   replaced by `\u{…}`;
/// - nothing else changes, so non-Latin names stay readable.
pub fn safe_text(input: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(input.len().min(max_chars * 4));
    for (count, ch) in input.chars().enumerate() {
        if count >= max_chars {
            out.push('…');
            return out;
        }
        if is_control(ch) {
            out.push_str(&format!("\\x{:02x}", ch as u32));
        } else if is_invisible_format(ch) {
            out.push_str(&format!("\\u{{{:x}}}", ch as u32));
        } else {
            out.push(ch);
        }
    }
    out
}

/// [`safe_text`] with [`DEFAULT_MAX_CHARS`].
pub fn safe(input: &str) -> String {
    safe_text(input, DEFAULT_MAX_CHARS)
}

/// Like [`safe_text`], but a line break or tab becomes a single space, for
/// one-line fields such as names in a table.
pub fn safe_line(input: &str, max_chars: usize) -> String {
    let flattened: String = input
        .chars()
        .map(|c| if matches!(c, '\n' | '\r' | '\t') { ' ' } else { c })
        .collect();
    safe_text(&flattened, max_chars)
}

/// A time relative to `now` in words: "just now", "5 minutes ago",
/// "3 days ago", "in 2 hours".
pub fn relative_time(at: time::OffsetDateTime, now: time::OffsetDateTime) -> String {
    relative_time_in(Lang::En, at, now)
}

/// [`relative_time`] in `lang`: "hace 3 días", "dentro de 2 horas".
pub fn relative_time_in(lang: Lang, at: time::OffsetDateTime, now: time::OffsetDateTime) -> String {
    let seconds = (at - now).whole_seconds();
    let magnitude = seconds.unsigned_abs();
    if magnitude < 60 {
        return crate::tr!(lang, "time-just-now");
    }
    let (n, unit) = match magnitude {
        0..=3_599 => (magnitude / 60, "unit-minute"),
        3_600..=86_399 => (magnitude / 3_600, "unit-hour"),
        86_400..=2_591_999 => (magnitude / 86_400, "unit-day"),
        2_592_000..=31_535_999 => (magnitude / 2_592_000, "unit-month"),
        _ => (magnitude / 31_536_000, "unit-year"),
    };
    let mut args = crate::i18n::Args::new();
    args.set("n", n);
    let unit = lang.t_args(unit, &args);
    if seconds < 0 {
        crate::tr!(lang, "time-ago", n = n, unit = unit)
    } else {
        crate::tr!(lang, "time-in", n = n, unit = unit)
    }
}

/// `digits` (an optional `-`, then ASCII digits) grouped by thousands:
/// `1,234,567` in English, `1.234.567` in Spanish.
pub fn group_digits(lang: Lang, digits: &str) -> String {
    let (sign, digits) = match digits.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", digits),
    };
    let separator = match lang {
        Lang::En => ',',
        Lang::Es => '.',
    };
    let count = digits.chars().count();
    let mut out = String::with_capacity(digits.len() + count / 3 + 1);
    out.push_str(sign);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (count - i) % 3 == 0 {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// A decimal number written with `.` (`1234.56`, `-7`) in `lang`'s way:
/// `1,234.56` in English, `1.234,56` in Spanish.
pub fn decimal(lang: Lang, plain: &str) -> String {
    let (whole, fraction) = match plain.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (plain, None),
    };
    let mut out = group_digits(lang, whole);
    if let Some(fraction) = fraction {
        out.push(match lang {
            Lang::En => '.',
            Lang::Es => ',',
        });
        out.push_str(fraction);
    }
    out
}

/// A date and time in `lang`'s words: `9 Feb 2024, 10:30`, `9 feb 2024, 10:30`.
pub fn date_time(lang: Lang, t: time::OffsetDateTime) -> String {
    format!("{}, {:02}:{:02}", date(lang, t.date()), t.hour(), t.minute())
}

/// A date in `lang`'s words: `9 Feb 2024`, `9 feb 2024`.
pub fn date(lang: Lang, d: time::Date) -> String {
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const ES: [&str; 12] = [
        "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic",
    ];
    let month = usize::from(u8::from(d.month())).saturating_sub(1);
    let name = match lang {
        Lang::En => EN[month],
        Lang::Es => ES[month],
    };
    format!("{} {name} {}", d.day(), d.year())
}

use crate::i18n::Lang;

fn is_control(ch: char) -> bool {
    let c = ch as u32;
    c < 0x20 || c == 0x7f || (0x80..=0x9f).contains(&c)
}

fn is_invisible_format(ch: char) -> bool {
    matches!(ch as u32,
        0x200b..=0x200f   // zero-width space/joiners, LRM, RLM
        | 0x2028..=0x2029 // line/paragraph separators
        | 0x202a..=0x202e // bidi embeddings and overrides
        | 0x2060..=0x2064 // word joiner, invisible operators
        | 0x2066..=0x2069 // bidi isolates
        | 0xfeff          // byte order mark
        | 0xfff9..=0xfffb // interlinear annotations
        | 0x061c          // Arabic letter mark
        | 0x180e          // Mongolian vowel separator
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escape_sequences_become_visible_text() {
        assert_eq!(safe("a\x1b[2Jb"), "a\\x1b[2Jb");
        assert_eq!(safe("\x1b]52;c;ZXZpbA==\x07"), "\\x1b]52;c;ZXZpbA==\\x07");
        assert_eq!(safe("x\u{9b}31m"), "x\\x9b31m");
        assert_eq!(safe("line\r\nnext"), "line\\x0d\\x0anext");
    }

    #[test]
    fn bidi_overrides_are_neutralised() {
        assert_eq!(safe("invoice\u{202e}fdp.exe"), "invoice\\u{202e}fdp.exe");
    }

    #[test]
    fn non_latin_text_is_kept() {
        assert_eq!(safe("Счёт № 5 — 請求書"), "Счёт № 5 — 請求書");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        let long = "x".repeat(1000);
        let cut = safe_text(&long, 10);
        assert_eq!(cut, format!("{}…", "x".repeat(10)));
    }

    #[test]
    fn safe_line_flattens_line_breaks() {
        assert_eq!(safe_line("a\nb\tc", 50), "a b c");
    }

    #[test]
    fn relative_times_read_naturally() {
        use time::macros::datetime;
        let now = datetime!(2026-11-28 12:00 UTC);
        let cases = [
            (datetime!(2026-11-25 12:00 UTC), "3 days ago"),
            (datetime!(2026-11-28 12:59 UTC), "in 59 minutes"),
            (datetime!(2026-11-28 11:59:30 UTC), "just now"),
            (datetime!(2024-02-09 10:30 UTC), "2 years ago"),
            (datetime!(2026-11-28 14:00 UTC), "in 2 hours"),
            (datetime!(2026-11-28 11:00 UTC), "1 hour ago"),
            (datetime!(2026-11-30 12:00 UTC), "in 2 days"),
            (datetime!(2023-01-01 0:00 UTC), "3 years ago"),
        ];
        for (then, expected) in cases {
            assert_eq!(relative_time(then, now), expected, "{then}");
        }
    }

    #[test]
    fn spanish_dates_times_and_numbers() {
        use time::macros::datetime;
        let now = datetime!(2026-11-28 12:00 UTC);
        assert_eq!(
            relative_time_in(Lang::Es, datetime!(2026-11-25 12:00 UTC), now),
            "hace 3 días"
        );
        assert_eq!(
            relative_time_in(Lang::Es, datetime!(2026-11-28 11:00 UTC), now),
            "hace 1 hora"
        );
        assert_eq!(
            relative_time_in(Lang::Es, datetime!(2026-11-28 14:00 UTC), now),
            "dentro de 2 horas"
        );
        assert_eq!(relative_time_in(Lang::Es, now, now), "ahora mismo");
        assert_eq!(
            date_time(Lang::Es, datetime!(2024-02-09 10:30 UTC)),
            "9 feb 2024, 10:30"
        );
        assert_eq!(decimal(Lang::Es, "1234.56"), "1.234,56");
        assert_eq!(decimal(Lang::En, "1234.56"), "1,234.56");
        assert_eq!(decimal(Lang::Es, "-1234567"), "-1.234.567");
    }

    proptest! {
        #[test]
        fn output_never_contains_controls_or_bidi(s in any::<String>()) {
            let out = safe_text(&s, 200);
            prop_assert!(out.chars().all(|c| !is_control(c) && !is_invisible_format(c)));
            prop_assert!(out.chars().count() <= 200 * 8 + 1);
        }
    }
}
