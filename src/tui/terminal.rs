//! The terminal's lifecycle in one guard: raw mode, the alternate screen and
//! bracketed paste on entry; all of it undone on drop, on suspend, and by a
//! panic hook before the panic message prints.

use crossterm::cursor::Show;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{self, Stdout};
use std::sync::Once;

/// The terminal the TUI draws on.
pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Owns the terminal while the TUI runs; dropping it restores the terminal.
pub struct TerminalGuard {
    terminal: Tui,
}

impl TerminalGuard {
    /// Enters raw mode and the alternate screen, and installs the panic hook.
    pub fn enter() -> io::Result<TerminalGuard> {
        install_panic_hook();
        setup()?;
        let terminal = match Terminal::new(CrosstermBackend::new(io::stdout())) {
            Ok(terminal) => terminal,
            Err(error) => {
                restore();
                return Err(error);
            }
        };
        Ok(TerminalGuard { terminal })
    }

    /// The terminal, to draw on.
    pub fn terminal(&mut self) -> &mut Tui {
        &mut self.terminal
    }

    /// Ctrl-Z: gives the terminal back to the shell and stops the process;
    /// when `fg` resumes it, takes the terminal again and forces a full redraw.
    pub fn suspend(&mut self) -> io::Result<()> {
        restore();
        stop_self();
        setup()?;
        // A fresh terminal has empty buffers, so the next draw paints every
        // cell; `Terminal::clear` would ask the terminal for the cursor
        // position, which not every terminal answers.
        execute!(io::stdout(), Clear(ClearType::All))?;
        self.terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        Ok(())
    }
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
