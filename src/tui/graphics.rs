//! Which pictures the terminal can show (kitty, sixel, iTerm2, or
//! halfblocks, which every terminal can), asked once before the event loop
//! starts.
//!
//! ratatui-image's own query leaves a thread reading stdin when the terminal
//! does not answer, which would eat the first keys; this one writes the same
//! query (wrapped for tmux), reads only the bytes that arrive before a short
//! deadline, and stops at the answer to the status request every terminal
//! answers.

use ratatui_image::picker::Picker;
#[cfg(unix)]
use ratatui_image::picker::ProtocolType;
use std::time::Duration;

/// How long the terminal has to answer: every terminal answers the status
/// request at once, so the wait is the link's round trip (SSH included).
pub const QUERY_TIMEOUT: Duration = Duration::from_millis(1000);

/// The same inside tmux, which drops the whole (wrapped) query unless
/// `allow-passthrough` is on: then nothing answers and the wait is whole.
pub const TMUX_QUERY_TIMEOUT: Duration = Duration::from_millis(400);

/// The picture protocol and cell size of the terminal on stdin/stdout, which
/// must be in raw mode; halfblocks when it does not answer in time
/// ([`QUERY_TIMEOUT`], [`TMUX_QUERY_TIMEOUT`] in tmux).
pub fn detect() -> Picker {
    let fallback = Picker::halfblocks();
    #[cfg(unix)]
    {
        let tmux = fallback.tmux_detected();
        let timeout = if tmux { TMUX_QUERY_TIMEOUT } else { QUERY_TIMEOUT };
        match query(tmux, timeout) {
            Some((protocol, font)) => {
                #[allow(deprecated)]
                let mut picker = Picker::from_fontsize(font.unwrap_or((10, 20)).into());
                // An answer is better than what the environment hints.
                if let Some(protocol) = protocol {
                    picker.set_protocol_type(protocol);
                }
                picker
            }
            None => fallback,
        }
    }
    #[cfg(not(unix))]
    {
        fallback
    }
}

/// What the terminal answered: the best protocol it has beside halfblocks,
/// and its cell size in pixels.
#[cfg(unix)]
type Answer = (Option<ProtocolType>, Option<(u16, u16)>);

/// Writes the query and reads the answers; `None` without an answer.
#[cfg(unix)]
fn query(is_tmux: bool, timeout: Duration) -> Option<Answer> {
    use ratatui_image::picker::cap_parser::{Parser, QueryStdioOptions, Response};
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    use std::io::Write;
    use std::time::Instant;

    let mut stdout = std::io::stdout();
    stdout
        .write_all(Parser::query(is_tmux, QueryStdioOptions::default()).as_bytes())
        .ok()?;
    stdout.flush().ok()?;
    let stdin = std::io::stdin();
    let deadline = Instant::now() + timeout;
    let mut parser = Parser::new();
    let (mut kitty, mut sixel, mut font) = (false, false, None);
    loop {
        let left = deadline.checked_duration_since(Instant::now())?;
        let wait = Timespec::try_from(left).ok()?;
        let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
        if poll(&mut fds, Some(&wait)).ok()? == 0 {
            return None;
        }
        let mut buf = [0u8; 256];
        let n = rustix::io::read(&stdin, &mut buf).ok()?;
        if n == 0 {
            return None;
        }
        for byte in buf.get(..n).unwrap_or_default() {
            for response in parser.push(char::from(*byte)) {
                match response {
                    Response::Kitty => kitty = true,
                    Response::Sixel => sixel = true,
                    Response::CellSize(Some(size)) => font = Some(size),
                    Response::Status => {
                        let protocol = if kitty {
                            Some(ProtocolType::Kitty)
                        } else if sixel {
                            Some(ProtocolType::Sixel)
                        } else {
                            None
                        };
                        return Some((protocol, font));
                    }
                    _ => {}
                }
            }
        }
    }
}
