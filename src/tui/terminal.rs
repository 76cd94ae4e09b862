//! The terminal's lifecycle in one guard: raw mode, the alternate screen and
//! bracketed paste on entry; all of it undone on drop, on suspend, and by a
//! panic hook before the panic message prints.

use super::runtime::TerminalHost;
use crossterm::cursor::Show;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{
    BeginSynchronizedUpdate, Clear, ClearType, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
    disable_raw_mode, enable_raw_mode,
};
use crossterm::{execute, queue};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{self, Stdout, Write};
use std::sync::Once;

/// The real terminal the TUI draws on.
pub type CrosstermTerminal = Terminal<CrosstermBackend<Stdout>>;

/// Owns the terminal's modes while the TUI runs; dropping it restores the
/// terminal. As the [`TerminalHost`] of the real terminal it suspends to the
/// shell and wraps each frame in a synchronized update.
#[derive(Debug)]
pub struct TerminalGuard {
    _entered: (),
}

impl TerminalGuard {
    /// Enters raw mode and the alternate screen, and installs the panic hook.
    pub fn enter() -> io::Result<TerminalGuard> {
        install_panic_hook();
        setup()?;
        Ok(TerminalGuard { _entered: () })
    }

    /// A terminal on stdout to draw on; its buffers start empty, so its first
    /// draw paints every cell.
    pub fn open_terminal(&self) -> io::Result<CrosstermTerminal> {
        Terminal::new(CrosstermBackend::new(io::stdout()))
    }
}

impl TerminalHost<CrosstermBackend<Stdout>> for TerminalGuard {
    /// Ctrl-Z: gives the terminal back to the shell and stops the process;
    /// when `fg` resumes it, takes the terminal again and forces a full redraw.
    fn suspend(&mut self, terminal: &mut CrosstermTerminal) -> io::Result<()> {
        restore();
        stop_self();
        setup()?;
        // A fresh terminal has empty buffers, so the next draw paints every
        // cell; `Terminal::clear` would ask the terminal for the cursor
        // position, which not every terminal answers.
        execute!(io::stdout(), Clear(ClearType::All))?;
        *terminal = self.open_terminal()?;
        Ok(())
    }

    /// Starts a synchronized update (DEC mode 2026), so a terminal that
    /// supports it shows the whole frame at once, never half of it.
    fn begin_frame(&mut self) -> io::Result<()> {
        queue!(io::stdout(), BeginSynchronizedUpdate)
    }

    /// Ends the synchronized update and flushes the frame.
    fn end_frame(&mut self) -> io::Result<()> {
        execute!(io::stdout(), EndSynchronizedUpdate)
    }

    /// Writes `text` as an OSC 52 clipboard sequence, which the terminal (or
    /// tmux with `set-clipboard on`, or the terminal at the far end of SSH) takes.
    fn copy(&mut self, text: &str) -> io::Result<()> {
        let mut stdout = io::stdout();
        stdout.write_all(osc52(text).as_bytes())?;
        stdout.flush()
    }

    fn bell(&mut self) -> io::Result<()> {
        let mut stdout = io::stdout();
        stdout.write_all(b"\x07")?;
        stdout.flush()
    }
}

/// The OSC 52 sequence that puts `text` on the clipboard: base64, so no byte
/// of the text can end it early or reach the terminal as a control.
pub(crate) fn osc52(text: &str) -> String {
    use base64::Engine;
    format!(
        "\x1b]52;c;{}\x07",
        base64::engine::general_purpose::STANDARD.encode(text.as_bytes())
    )
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

fn setup() -> io::Result<()> {
    enable_raw_mode()?;
    if let Err(error) = execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste) {
        restore();
        return Err(error);
    }
    Ok(())
}

/// Leaves the alternate screen, shows the cursor and ends raw mode. Safe to
/// call more than once.
pub fn restore() {
    let _ = execute!(io::stdout(), DisableBracketedPaste, LeaveAlternateScreen, Show);
    let _ = disable_raw_mode();
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // A reader that catches its own panic (a hostile PDF) keeps the screen.
            if crate::inspect::render::panic_is_caught() {
                tracing::warn!(%info, "a document reader panicked; caught");
                return;
            }
            restore();
            previous(info);
        }));
    });
}

#[cfg(unix)]
fn stop_self() {
    use rustix::process::{Signal, getpid, kill_process};
    if let Err(error) = kill_process(getpid(), Signal::TSTP) {
        tracing::warn!(%error, "cannot suspend");
    }
}

#[cfg(not(unix))]
fn stop_self() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_carries_the_text_in_base64() {
        assert_eq!(osc52("12345"), "\x1b]52;c;MTIzNDU=\x07");
        let hostile = osc52("a\x07b\x1b]0;x\x07");
        assert_eq!(hostile.matches('\x07').count(), 1, "only the end: {hostile:?}");
        assert_eq!(hostile.matches('\x1b').count(), 1, "only the start: {hostile:?}");
    }
}
