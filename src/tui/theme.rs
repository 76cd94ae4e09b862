//! Colours and styles: dark, light and high-contrast themes, and a monochrome one
//! for `NO_COLOR` that marks selection with bold and reverse video only.

use crate::config::Colors;
pub use crate::config::ThemeName;
use ratatui::style::{Color, Modifier, Style};

/// The styles every view draws with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Whether colours are off (`NO_COLOR`).
    pub monochrome: bool,
    /// Plain text.
    pub text: Style,
    /// Secondary text: labels, hints, empty states.
    pub muted: Style,
    /// A pane's border when it does not have the focus.
    pub border: Style,
    /// The focused pane's border.
    pub border_focused: Style,
    /// A pane title.
    pub title: Style,
    /// The focused pane's title.
    pub title_focused: Style,
    /// The selected row of a focused list.
    pub selected: Style,
    /// The selected row of a list without focus.
    pub selected_unfocused: Style,
    /// The top bar.
    pub top_bar: Style,
    /// The app name in the top bar.
    pub brand: Style,
    /// A key in the hint line and help.
    pub key: Style,
    /// Errors.
    pub error: Style,
    /// Warnings and queued or pending things.
    pub warn: Style,
    /// Success.
    pub ok: Style,
    /// Things in progress.
    pub info: Style,
    /// Table headers.
    pub header: Style,
    /// A marked document.
    pub marked: Style,
    /// The filled part of a progress bar.
    pub gauge: Style,
    /// The empty part of a progress bar.
    pub gauge_empty: Style,
    /// The text being typed in a focused box.
    pub input: Style,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::named(ThemeName::Dark)
    }
}

impl Theme {
    /// The theme for a config name and the `NO_COLOR` setting (`NO_COLOR` wins).
    pub fn new(name: ThemeName, no_color: bool) -> Theme {
        if no_color {
            Theme::no_color()
        } else {
            Theme::named(name)
        }
    }

    /// The theme of the settings: the named theme with the config's `[colors]`
    /// over it, or no colour at all when `no_color` is set (it wins over both).
    pub fn from_settings(name: ThemeName, colors: &Colors, no_color: bool) -> Theme {
        if no_color {
            Theme::no_color()
        } else {
            Theme::named(name).with_colors(colors)
        }
    }

    /// This theme with the colours of a `[colors]` table over it; `accent`
    /// applies first, so a specific name beats it. A monochrome theme stays so.
    pub fn with_colors(mut self, colors: &Colors) -> Theme {
        if self.monochrome {
            return self;
        }
        for (name, color) in colors.given() {
            if name == "accent" {
                let Some(accent) = color.fg.or(color.bg) else { continue };
                for style in [
                    &mut self.border_focused,
                    &mut self.title_focused,
                    &mut self.key,
                    &mut self.brand,
                    &mut self.gauge,
                ] {
                    style.fg = Some(accent);
                }
                self.selected.bg = Some(accent);
            } else if let Some(style) = self.slot(name) {
                if color.fg.is_some() {
                    style.fg = color.fg;
                }
                if color.bg.is_some() {
                    style.bg = color.bg;
                }
            }
        }
        self
    }

    /// The style a `[colors]` name paints.
    fn slot(&mut self, name: &str) -> Option<&mut Style> {
        Some(match name {
            "text" => &mut self.text,
            "muted" => &mut self.muted,
            "border" => &mut self.border,
            "border_focused" => &mut self.border_focused,
            "title" => &mut self.title,
            "title_focused" => &mut self.title_focused,
            "selected" => &mut self.selected,
            "selected_unfocused" => &mut self.selected_unfocused,
            "top_bar" => &mut self.top_bar,
            "brand" => &mut self.brand,
            "key" => &mut self.key,
            "error" => &mut self.error,
            "warn" => &mut self.warn,
            "ok" => &mut self.ok,
            "info" => &mut self.info,
            "header" => &mut self.header,
            "marked" => &mut self.marked,
            "gauge" => &mut self.gauge,
            "gauge_empty" => &mut self.gauge_empty,
            "input" => &mut self.input,
            _ => return None,
        })
    }

    /// A coloured theme.
    pub fn named(name: ThemeName) -> Theme {
        let bold = Modifier::BOLD;
        match name {
            ThemeName::Dark => Theme {
                monochrome: false,
                text: Style::new().fg(Color::Gray),
                muted: Style::new().fg(Color::DarkGray),
                border: Style::new().fg(Color::DarkGray),
                border_focused: Style::new().fg(Color::Cyan),
                title: Style::new().fg(Color::Gray),
                title_focused: Style::new().fg(Color::Cyan).add_modifier(bold),
                selected: Style::new().fg(Color::Black).bg(Color::Cyan),
                selected_unfocused: Style::new().bg(Color::Indexed(237)),
                top_bar: Style::new().fg(Color::White).bg(Color::Indexed(236)),
                brand: Style::new().fg(Color::Cyan).bg(Color::Indexed(236)).add_modifier(bold),
                key: Style::new().fg(Color::Cyan).add_modifier(bold),
                error: Style::new().fg(Color::LightRed),
                warn: Style::new().fg(Color::Yellow),
                ok: Style::new().fg(Color::LightGreen),
                info: Style::new().fg(Color::LightBlue),
                header: Style::new().fg(Color::Gray).add_modifier(bold),
                marked: Style::new().fg(Color::Yellow).add_modifier(bold),
                gauge: Style::new().fg(Color::Cyan),
                gauge_empty: Style::new().fg(Color::Indexed(240)),
                input: Style::new().fg(Color::White),
            },
            ThemeName::Light => Theme {
                monochrome: false,
                text: Style::new().fg(Color::Black),
                muted: Style::new().fg(Color::Indexed(244)),
                border: Style::new().fg(Color::Indexed(250)),
                border_focused: Style::new().fg(Color::Blue),
                title: Style::new().fg(Color::Indexed(240)),
                title_focused: Style::new().fg(Color::Blue).add_modifier(bold),
                selected: Style::new().fg(Color::White).bg(Color::Blue),
                selected_unfocused: Style::new().bg(Color::Indexed(254)),
                top_bar: Style::new().fg(Color::Black).bg(Color::Indexed(253)),
                brand: Style::new().fg(Color::Blue).bg(Color::Indexed(253)).add_modifier(bold),
                key: Style::new().fg(Color::Blue).add_modifier(bold),
                error: Style::new().fg(Color::Red),
                warn: Style::new().fg(Color::Indexed(130)),
                ok: Style::new().fg(Color::Green),
                info: Style::new().fg(Color::Blue),
                header: Style::new().fg(Color::Black).add_modifier(bold),
                marked: Style::new().fg(Color::Magenta).add_modifier(bold),
                gauge: Style::new().fg(Color::Blue),
                gauge_empty: Style::new().fg(Color::Indexed(252)),
                input: Style::new().fg(Color::Black),
            },
            ThemeName::HighContrast => Theme {
                monochrome: false,
                text: Style::new().fg(Color::White),
                muted: Style::new().fg(Color::Gray),
                border: Style::new().fg(Color::White),
                border_focused: Style::new().fg(Color::LightYellow).add_modifier(bold),
                title: Style::new().fg(Color::White).add_modifier(bold),
                title_focused: Style::new()
                    .fg(Color::LightYellow)
                    .add_modifier(bold | Modifier::UNDERLINED),
                selected: Style::new().fg(Color::Black).bg(Color::LightYellow).add_modifier(bold),
                selected_unfocused: Style::new().add_modifier(Modifier::REVERSED),
                top_bar: Style::new().fg(Color::Black).bg(Color::White),
                brand: Style::new().fg(Color::Black).bg(Color::White).add_modifier(bold),
                key: Style::new().fg(Color::LightYellow).add_modifier(bold),
                error: Style::new().fg(Color::LightRed).add_modifier(bold),
                warn: Style::new().fg(Color::LightYellow),
                ok: Style::new().fg(Color::LightGreen).add_modifier(bold),
                info: Style::new().fg(Color::LightCyan),
                header: Style::new().fg(Color::White).add_modifier(bold | Modifier::UNDERLINED),
                marked: Style::new().fg(Color::LightMagenta).add_modifier(bold),
                gauge: Style::new().fg(Color::LightYellow),
                gauge_empty: Style::new().fg(Color::DarkGray),
                input: Style::new().fg(Color::White).add_modifier(bold),
            },
        }
    }

    /// No colours at all: selection is reversed, focus and headers are bold.
    pub fn no_color() -> Theme {
        let plain = Style::new();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        Theme {
            monochrome: true,
            text: plain,
            muted: plain,
            border: plain,
            border_focused: bold,
            title: plain,
            title_focused: bold.add_modifier(Modifier::UNDERLINED),
            selected: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            selected_unfocused: Style::new().add_modifier(Modifier::REVERSED),
            top_bar: Style::new().add_modifier(Modifier::REVERSED),
            brand: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            key: bold,
            error: bold,
            warn: plain,
            ok: plain,
            info: plain,
            header: bold.add_modifier(Modifier::UNDERLINED),
            marked: bold,
            gauge: plain,
            gauge_empty: plain,
            input: bold,
        }
    }

    /// The style of a process status, by what its words mean.
    pub fn status(&self, status: &str) -> Style {
        match status_kind(status) {
            StatusKind::Done => self.ok,
            StatusKind::Active => self.info,
            StatusKind::Waiting => self.warn,
            StatusKind::Failed => self.error,
            StatusKind::Other => self.text,
        }
        .add_modifier(Modifier::BOLD)
    }
}

/// What a status text means, roughly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StatusKind {
    /// Finished well: completed, done, paid, approved.
    Done,
    /// Going on: in progress, running, processing, open.
    Active,
    /// Waiting: pending, on hold, draft, new, queued.
    Waiting,
    /// Gone wrong: failed, error, cancelled, rejected, overdue.
    Failed,
    /// Anything else.
    Other,
}

/// Classifies a status text by its words.
pub(crate) fn status_kind(status: &str) -> StatusKind {
    let s = status.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| s.contains(w));
    if has(&[
        "fail", "error", "cancel", "reject", "overdue", "declin", "abort", "expired",
    ]) {
        StatusKind::Failed
    } else if has(&[
        "complete", "done", "closed", "success", "paid", "approved", "finished", "archived",
    ]) {
        StatusKind::Done
    } else if has(&[
        "progress",
        "running",
        "processing",
        "active",
        "open",
        "started",
        "review",
    ]) {
        StatusKind::Active
    } else if has(&["pending", "wait", "hold", "draft", "new", "queued", "scheduled"]) {
        StatusKind::Waiting
    } else {
        StatusKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_classified_by_meaning() {
        assert_eq!(status_kind("In Progress"), StatusKind::Active);
        assert_eq!(status_kind("COMPLETED"), StatusKind::Done);
        assert_eq!(status_kind("Pending approval"), StatusKind::Waiting);
        assert_eq!(status_kind("Failed"), StatusKind::Failed);
        assert_eq!(status_kind("Cancelled"), StatusKind::Failed);
        assert_eq!(status_kind("Blue"), StatusKind::Other);
    }

    #[test]
    fn no_color_uses_no_colours() {
        let t = Theme::new(ThemeName::Dark, true);
        assert!(t.monochrome);
        for style in [t.text, t.selected, t.error, t.status("Failed"), t.top_bar, t.gauge] {
            assert_eq!(style.fg, None);
            assert_eq!(style.bg, None);
        }
        assert!(t.selected.add_modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn every_colors_name_paints_something() {
        let mut theme = Theme::default();
        for name in Colors::NAMES.iter().filter(|n| **n != "accent") {
            assert!(theme.slot(name).is_some(), "{name}");
        }
    }

    #[test]
    fn colors_override_the_theme_and_accent_comes_first() {
        let colors: Colors = toml::from_str(
            "accent = \"#ff8800\"\nerror = \"red\"\nkey = \"blue\"\nselected = { fg = \"black\", bg = \"white\" }\n",
        )
        .unwrap();
        let t = Theme::named(ThemeName::Dark).with_colors(&colors);
        assert_eq!(t.border_focused.fg, Some(Color::Rgb(0xff, 0x88, 0)));
        assert_eq!(t.gauge.fg, Some(Color::Rgb(0xff, 0x88, 0)));
        assert_eq!(t.error.fg, Some(Color::Red));
        assert_eq!(t.key.fg, Some(Color::Blue));
        assert_eq!((t.selected.fg, t.selected.bg), (Some(Color::Black), Some(Color::White)));
        assert_eq!(t.text, Theme::named(ThemeName::Dark).text);
        let mono = Theme::from_settings(ThemeName::Dark, &colors, true);
        assert_eq!(mono, Theme::no_color());
    }
}
