//! Progress bars on stderr for `download` and `export`.

use crate::i18n::Lang;
use crate::tr;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// Progress bars on stderr, only when it is a terminal: one per file and,
/// for more than one file, a total.
#[derive(Clone)]
pub(crate) struct Bars {
    multi: Option<MultiProgress>,
    total: Option<ProgressBar>,
    lang: Lang,
}

impl Bars {
    pub(crate) fn new(lang: Lang, files: usize) -> Bars {
        if !std::io::stderr().is_terminal() {
            return Bars {
                multi: None,
                total: None,
                lang,
            };
        }
        let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let total = (files > 1).then(|| {
            let bar = multi.add(ProgressBar::new(files as u64));
            bar.set_style(with_durations(
                lang,
                ProgressStyle::with_template(&format!(
                    "{{msg:>30}} [{{bar:30}}] {{pos}}/{{len}} {}, {{elapsed}}",
                    tr!(lang, "progress-files")
                ))
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            ));
            bar.set_message(tr!(lang, "progress-total"));
            bar
        });
        Bars {
            multi: Some(multi),
            total,
            lang,
        }
    }

    pub(crate) fn file(&self, label: &str) -> Option<ProgressBar> {
        let multi = self.multi.as_ref()?;
        let bar = ProgressBar::new(0);
        let bar = match &self.total {
            Some(total) => multi.insert_before(total, bar),
            None => multi.add(bar),
        };
        bar.set_style(file_style(self.lang));
        bar.set_message(label.to_string());
        Some(bar)
    }

    pub(crate) fn file_done(&self, bar: Option<ProgressBar>) {
        if let Some(bar) = bar {
            bar.finish_and_clear();
            if let Some(multi) = &self.multi {
                multi.remove(&bar);
            }
        }
        if let Some(total) = &self.total {
            total.inc(1);
        }
    }

    /// A line on stderr, above the bars.
    pub(crate) fn println(&self, line: &str) {
        match &self.multi {
            Some(multi) => {
                if multi.println(line).is_err() {
                    eprintln!("{line}");
                }
            }
            None => eprintln!("{line}"),
        }
    }

    /// Runs `f` (which writes to stdout) with the bars hidden.
    pub(crate) fn suspend<T>(&self, f: impl FnOnce() -> T) -> T {
        match &self.multi {
            Some(multi) => multi.suspend(f),
            None => f(),
        }
    }

    /// The language of the bars and of the lines above them.
    pub(crate) fn lang(&self) -> Lang {
        self.lang
    }

    pub(crate) fn finish(&self) {
        if let Some(total) = &self.total {
            total.finish_and_clear();
        }
        if let Some(multi) = &self.multi {
            let _ = multi.clear();
        }
    }
}

/// A file's bar: sizes and rate as indicatif writes them in English, by
/// locale otherwise (`1,2 MB / 1,1 GB 128 kB/s` in Spanish).
fn file_style(lang: crate::i18n::Lang) -> ProgressStyle {
    use crate::tui::format::{bytes_in, rate_in};
    use indicatif::ProgressState;
    let eta = tr!(lang, "progress-eta");
    if lang == crate::i18n::Lang::En {
        let template = format!("{{msg:>30}} [{{bar:30}}] {{bytes}}/{{total_bytes}} {{bytes_per_sec}} {eta} {{eta}}");
        return with_durations(
            lang,
            ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
    }
    let template = format!("{{msg:>30}} [{{bar:30}}] {{done}} / {{total}} {{rate}} {eta} {{eta}}");
    ProgressStyle::with_template(&template)
        .map(|style| {
            with_durations(lang, style)
                .with_key("done", move |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = w.write_str(&bytes_in(lang, state.pos()));
                })
                .with_key("total", move |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = w.write_str(&bytes_in(lang, state.len().unwrap_or(0)));
                })
                .with_key("rate", move |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{}", rate_in(lang, state.per_sec()));
                })
        })
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// `style` with `{eta}` and `{elapsed}` written by [`short_duration`] in `lang`.
pub(crate) fn with_durations(lang: Lang, style: ProgressStyle) -> ProgressStyle {
    use indicatif::ProgressState;
    style
        .with_key("eta", move |state: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = w.write_str(&short_duration(lang, state.eta()));
        })
        .with_key("elapsed", move |state: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = w.write_str(&short_duration(lang, state.elapsed()));
        })
}

/// A duration as indicatif writes `{eta}` and `{elapsed}`: the unit that fits
/// and the count rounded (`3s`, `2m`, `5h`, `2d`, `3w`, `1y`), the unit in
/// `lang` (`3 s`, `2 min`, `3 sem`, `1 a` in Spanish).
pub(crate) fn short_duration(lang: Lang, duration: std::time::Duration) -> String {
    let english = format!("{:#}", indicatif::HumanDuration(duration));
    let split = english.find(|c: char| !c.is_ascii_digit()).unwrap_or(english.len());
    let (count, unit) = english.split_at(split);
    let n = count.to_string();
    match unit {
        "s" => tr!(lang, "progress-time-second", n = n),
        "m" => tr!(lang, "progress-time-minute", n = n),
        "h" => tr!(lang, "progress-time-hour", n = n),
        "d" => tr!(lang, "progress-time-day", n = n),
        "w" => tr!(lang, "progress-time-week", n = n),
        "y" => tr!(lang, "progress-time-year", n = n),
        _ => english,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn english_durations_are_indicatifs() {
        let mut secs = 0u64;
        while secs < 3 * 365 * 86_400 {
            let d = Duration::from_secs(secs);
            assert_eq!(
                short_duration(Lang::En, d),
                format!("{:#}", indicatif::HumanDuration(d)),
                "{secs}"
            );
            secs = secs * 3 / 2 + 1;
        }
        assert_eq!(short_duration(Lang::En, Duration::from_secs(3)), "3s");
        assert_eq!(short_duration(Lang::En, Duration::from_secs(150)), "3m");
        assert_eq!(short_duration(Lang::En, Duration::from_secs(2 * 86_400)), "2d");
    }

    #[test]
    fn spanish_durations_have_spanish_units() {
        let es = |secs: u64| short_duration(Lang::Es, Duration::from_secs(secs));
        assert_eq!(es(0), "0 s");
        assert_eq!(es(3), "3 s");
        assert_eq!(es(150), "3 min");
        assert_eq!(es(2 * 3600), "2 h");
        assert_eq!(es(2 * 86_400), "2 d");
        assert_eq!(es(3 * 7 * 86_400), "3 sem");
        assert_eq!(es(2 * 365 * 86_400), "2 a");
    }
}
