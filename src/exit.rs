//! The exit codes of SPEC.md, like curl's, so that scripts can branch.

/// Done.
pub const OK: u8 = 0;
/// Any other error.
pub const OTHER: u8 = 1;
/// Bad usage or a bad config file.
pub const USAGE: u8 = 2;
/// Not logged in, wrong credentials, or a session that cannot be renewed.
pub const AUTH: u8 = 3;
/// No such process or attachment.
pub const NOT_FOUND: u8 = 4;
/// Server or network unavailable after retries.
pub const UNAVAILABLE: u8 = 5;
/// Some files of a bulk download failed; the others are saved.
pub const PARTIAL: u8 = 6;
/// The server's certificate is not trusted or does not match its name.
pub const TLS: u8 = 7;
/// Ended by Ctrl-C (128 + SIGINT), as shells report it.
pub const INTERRUPTED: u8 = 130;

/// The exit code of a command ended by signal number `signal`: 128 + it.
pub fn from_signal(signal: u8) -> u8 {
    128u8.saturating_add(signal)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_signal_ends_with_128_plus_its_number() {
        assert_eq!(super::from_signal(2), super::INTERRUPTED);
        assert_eq!(super::from_signal(15), 143);
        assert_eq!(super::from_signal(200), 255);
    }
}
