//! File names for downloads: read the server's name, make it one safe file
//! name, and save without ever overwriting an existing file.
//!
//! Every name the server sends is untrusted. [`safe_file_name`] turns any text
//! into a single path component that cannot climb out of the download
//! directory, hide behind a leading dot or dash, collide with a reserved
//! Windows device name, or exceed the 255-byte limit of common file systems.
//! `persist_no_clobber` moves a finished `.part` file to its final name with
//! a create-if-absent step, so two downloads racing for the same name both
//! end up saved (`Invoice_001.pdf`, `Invoice_001 (1).pdf`).

use percent_encoding::percent_decode_str;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The longest file name, in bytes, that most file systems accept.
pub(crate) const MAX_NAME_BYTES: usize = 255;

/// The name used when nothing usable is left of the server's name.
pub(crate) const DEFAULT_NAME: &str = "download";

/// The suffix of a file that is still being downloaded.
pub(crate) const PART_SUFFIX: &str = ".part";

/// The longest extension (with its dot), in bytes, that truncation keeps.
const MAX_EXT_BYTES: usize = 16;

/// How many numbered names (`name (1).ext` …) are tried before giving up.
const MAX_NUMBERED: u32 = 10_000;

/// The file name of a `Content-Disposition` header (RFC 6266), if it has one.
///
/// `filename*` (RFC 8187 / 5987: `UTF-8''%E2%82%AC.pdf`, or ISO-8859-1, with an
/// optional language tag) wins over `filename` (a quoted string with `\`
/// escapes, or a bare token). Parameter names are case-insensitive. The result
/// is the name as sent, not yet safe: pass it through [`safe_file_name`].
/// Garbage gives `None`, never a panic.
pub fn parse_content_disposition(header: &str) -> Option<String> {
    let params = parse_params(header);
    let extended = params
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("filename*"))
        .find_map(|(_, value)| decode_ext_value(value));
    extended
        .or_else(|| {
            params
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case("filename"))
                .map(|(_, value)| value.clone())
        })
        .filter(|name| !name.trim().is_empty())
}

/// The `name=value` parameters after the disposition type, values unquoted.
fn parse_params(header: &str) -> Vec<(String, String)> {
    let mut params = Vec::new();
    let mut chars = header.chars().peekable();
    // Skip the disposition type (`attachment`, `inline`, …).
    for c in chars.by_ref() {
        if c == ';' {
            break;
        }
    }
    loop {
        let mut name = String::new();
        let mut has_value = false;
        for c in chars.by_ref() {
            match c {
                '=' => {
                    has_value = true;
                    break;
                }
                ';' => break,
                _ => name.push(c),
            }
        }
        let name = name.trim().to_string();
        if !has_value {
            if chars.peek().is_none() {
                return params;
            }
            continue;
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'"').is_some() {
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => {
                        if let Some(escaped) = chars.next() {
                            value.push(escaped);
                        }
                    }
                    _ => value.push(c),
                }
            }
            // Anything between the closing quote and the next `;` is ignored.
            for c in chars.by_ref() {
                if c == ';' {
                    break;
                }
            }
        } else {
            for c in chars.by_ref() {
                if c == ';' {
                    break;
                }
                value.push(c);
            }
            value = value.trim().to_string();
        }
        if !name.is_empty() {
            params.push((name, value));
        }
        if chars.peek().is_none() {
            return params;
        }
    }
}

/// Decodes an RFC 8187 `charset'language'percent-encoded` value.
fn decode_ext_value(value: &str) -> Option<String> {
    let mut parts = value.splitn(3, '\'');
    let charset = parts.next()?.trim();
    let _language = parts.next()?;
    let encoded = parts.next()?;
    let bytes: Vec<u8> = percent_decode_str(encoded).collect();
    if charset.eq_ignore_ascii_case("utf-8") || charset.eq_ignore_ascii_case("utf8") {
        String::from_utf8(bytes).ok()
    } else if charset.eq_ignore_ascii_case("iso-8859-1") || charset.eq_ignore_ascii_case("latin1") {
        Some(bytes.iter().map(|&b| char::from(b)).collect())
    } else {
        None
    }
}

/// Turns any text into one safe file name, never empty.
///
/// - path separators (`/`, `\`), control characters (C0, DEL, C1), bidi
///   overrides and other invisible format characters, and `<>:"|?*` each
///   become `_`, so `../../x` gives `_.._x` and can never leave a directory;
/// - leading dots, dashes and spaces are dropped (no hidden files, no names
///   that read as command-line options, never `.` or `..`), and so are
///   trailing dots and spaces (Windows drops them silently);
/// - reserved Windows device names (`CON`, `NUL.txt`, `com1.pdf`, …) get a
///   leading `_`;
/// - at most `MAX_NAME_BYTES` (255) bytes, cut on a character boundary while
///   keeping the extension (`.pdf`);
/// - letters of any script are kept; nothing usable left gives `DEFAULT_NAME` ("download").
pub fn safe_file_name(name: &str) -> String {
    sanitize(name).unwrap_or_else(|| DEFAULT_NAME.to_string())
}

/// [`safe_file_name`], or `None` when nothing usable is left.
fn sanitize(name: &str) -> Option<String> {
    let replaced: String = name.chars().map(|c| if is_unsafe_char(c) { '_' } else { c }).collect();
    let trimmed = trim_edges(&replaced);
    if trimmed.is_empty() {
        return None;
    }
    let mut name = trimmed.to_string();
    if is_windows_reserved(&name) {
        name.insert(0, '_');
    }
    let fitted = fit_with_suffix(&name, "", MAX_NAME_BYTES);
    Some(fitted).filter(|n| !n.is_empty())
}

fn trim_edges(name: &str) -> &str {
    name.trim_start_matches(|c: char| c == '.' || c == '-' || c.is_whitespace())
        .trim_end_matches(|c: char| c == '.' || c.is_whitespace())
}

fn is_unsafe_char(c: char) -> bool {
    matches!(c, '/' | '\\' | '<' | '>' | ':' | '"' | '|' | '?' | '*') || is_control(c) || is_invisible_format(c)
}

fn is_control(c: char) -> bool {
    let c = c as u32;
    c < 0x20 || c == 0x7f || (0x80..=0x9f).contains(&c)
}

fn is_invisible_format(c: char) -> bool {
    matches!(c as u32,
        0x00ad            // soft hyphen
        | 0x061c          // Arabic letter mark
        | 0x180e          // Mongolian vowel separator
        | 0x200b..=0x200f // zero-width characters, LRM, RLM
        | 0x2028..=0x202e // line/paragraph separators, bidi embeddings and overrides
        | 0x2060..=0x2069 // word joiner, invisible operators, bidi isolates
        | 0xfeff          // byte order mark
        | 0xfff9..=0xfffb // interlinear annotations
    )
}

/// Whether Windows treats `name` as a device (`CON`, `nul.txt`, `COM1 .pdf`).
fn is_windows_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end().to_ascii_uppercase();
    match stem.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$" => true,
        _ => {
            let (Some(prefix), Some(digit)) = (stem.get(..3), stem.get(3..)) else {
                return false;
            };
            (prefix == "COM" || prefix == "LPT")
                && matches!(
                    digit,
                    "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"
                )
        }
    }
}

/// Splits `name` into stem and extension (with its dot) when the extension is
/// short enough to be worth keeping through a cut.
fn split_extension(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(dot) if dot > 0 && name.len() - dot <= MAX_EXT_BYTES && !name[dot..].contains(char::is_whitespace) => {
            name.split_at(dot)
        }
        _ => (name, ""),
    }
}

/// `name` with `suffix` inserted before its extension (`a.pdf` + ` (1)` →
/// `a (1).pdf`), the stem cut on a character boundary so the whole fits in
/// `max_bytes`. Trailing dots and spaces left by a cut at the very end are dropped.
fn fit_with_suffix(name: &str, suffix: &str, max_bytes: usize) -> String {
    let (stem, ext) = split_extension(name);
    let (stem, ext) = if ext.len() + suffix.len() >= max_bytes {
        (name, "")
    } else {
        (stem, ext)
    };
    let budget = max_bytes.saturating_sub(ext.len() + suffix.len());
    let mut cut = stem.len().min(budget);
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut stem = &stem[..cut];
    if cut < name.len() && suffix.is_empty() && ext.is_empty() {
        stem = stem.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    }
    format!("{stem}{suffix}{ext}")
}

/// The `n`-th candidate for `name`: `name` itself, then `name (1).ext`, …
fn numbered(name: &str, n: u32) -> String {
    if n == 0 {
        name.to_string()
    } else {
        fit_with_suffix(name, &format!(" ({n})"), MAX_NAME_BYTES)
    }
}

/// The `n`-th `.part` name for `name`: `name.part`, `name (1).part`, …, each
/// within [`MAX_NAME_BYTES`].
pub(crate) fn part_name(name: &str, n: u32) -> String {
    let base = fit_with_suffix(&numbered(name, n), "", MAX_NAME_BYTES - PART_SUFFIX.len());
    format!("{base}{PART_SUFFIX}")
}

/// The name for an attachment with no usable name: `attachment-<id>.<ext>`,
/// the extension taken from the content type when it names one.
fn fallback_name(attachment_id: &str, content_type: Option<&str>) -> String {
    let id: String = attachment_id
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_'))
        .take(64)
        .collect();
    let stem = if id.is_empty() {
        "attachment".to_string()
    } else {
        format!("attachment-{id}")
    };
    match content_type.and_then(extension_for) {
        Some(ext) => safe_file_name(&format!("{stem}.{ext}")),
        None => safe_file_name(&stem),
    }
}

/// The usual extension for a content type (`application/pdf` → `pdf`).
fn extension_for(content_type: &str) -> Option<String> {
    let essence = content_type.split(';').next()?.trim().to_ascii_lowercase();
    let preferred = match essence.as_str() {
        "application/pdf" => Some("pdf"),
        "application/xml" | "text/xml" => Some("xml"),
        "application/zip" | "application/x-zip-compressed" => Some("zip"),
        "image/jpeg" | "image/jpg" | "image/pjpeg" => Some("jpg"),
        "image/png" => Some("png"),
        "text/plain" => Some("txt"),
        "text/csv" => Some("csv"),
        "application/json" => Some("json"),
        "application/octet-stream" => Some("bin"),
        _ => None,
    };
    if let Some(ext) = preferred {
        return Some(ext.to_string());
    }
    mime_guess::get_mime_extensions_str(&essence)?
        .first()
        .filter(|ext| !ext.is_empty() && ext.len() < MAX_EXT_BYTES && ext.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(|ext| ext.to_string())
}

/// The file name for a download, always safe: the `Content-Disposition`
/// name (`filename*`, then `filename`), else the document's name, else
/// [`fallback_name`].
///
/// A name ending in `.part` gets `_part` instead, so a finished file never
/// looks like an unfinished one.
pub(crate) fn choose_name(
    content_disposition: Option<&str>,
    doc_name: Option<&str>,
    attachment_id: &str,
    content_type: Option<&str>,
) -> String {
    let name = content_disposition
        .and_then(parse_content_disposition)
        .and_then(|n| sanitize(&n))
        .or_else(|| doc_name.and_then(sanitize))
        .unwrap_or_else(|| fallback_name(attachment_id, content_type));
    not_a_part_name(name)
}

fn not_a_part_name(name: String) -> String {
    let len = name.len();
    if len > PART_SUFFIX.len()
        && name.is_char_boundary(len - PART_SUFFIX.len())
        && name[len - PART_SUFFIX.len()..].eq_ignore_ascii_case(PART_SUFFIX)
    {
        format!(
            "{}_{}",
            &name[..len - PART_SUFFIX.len()],
            &name[len - PART_SUFFIX.len() + 1..]
        )
    } else {
        name
    }
}

/// Moves the finished file `part` into `dir` as `name`, or the first free
/// `name (1).ext`, `name (2).ext`, …; never replaces an existing file, even
/// when another download or program creates one at the same moment.
///
/// Each candidate is claimed atomically by a hard link (which fails if the
/// name is taken); where the file system has no hard links, by creating an
/// empty file with `create_new` and renaming `part` over it. Returns the
/// final path.
pub(crate) fn persist_no_clobber(part: &Path, dir: &Path, name: &str) -> io::Result<PathBuf> {
    for n in 0..MAX_NUMBERED {
        let candidate = dir.join(numbered(name, n));
        match claim(part, &candidate) {
            Ok(()) => return Ok(candidate),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        crate::i18n::message!("transfer-numbered-full", count = MAX_NUMBERED.to_string(), name = name),
    ))
}

/// Moves `part` to exactly `target`, failing with `AlreadyExists` if
/// `target` exists.
pub(crate) fn persist_exact(part: &Path, target: &Path) -> io::Result<()> {
    claim(part, target)
}

/// Gives `part` the name `target` if `target` is free; `AlreadyExists` if not.
fn claim(part: &Path, target: &Path) -> io::Result<()> {
    match fs::hard_link(part, target) {
        Ok(()) => {
            fs::remove_file(part)?;
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        Err(link_error) => {
            // No hard links here (FAT, some network file systems): reserve the
            // name with an empty file of our own, then rename over it.
            match fs::OpenOptions::new().write(true).create_new(true).open(target) {
                Ok(placeholder) => {
                    drop(placeholder);
                    fs::rename(part, target).inspect_err(|_| {
                        let _ = fs::remove_file(target);
                    })
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
                Err(_) => Err(link_error),
            }
        }
    }
}

/// Checks that `path` is a plain file name directly inside `dir` (after
/// resolving symlinks and `..` in both), so a name can never escape the
/// download directory.
pub(crate) fn ensure_inside(dir: &Path, path: &Path) -> io::Result<()> {
    let outside = || {
        io::Error::new(
            io::ErrorKind::PermissionDenied,
            crate::i18n::message!(
                "transfer-not-inside",
                path = path.display().to_string(),
                dir = dir.display().to_string()
            ),
        )
    };
    let file_name = path.file_name().ok_or_else(outside)?;
    if Path::new(file_name).components().count() != 1
        || !matches!(Path::new(file_name).components().next(), Some(Component::Normal(_)))
    {
        return Err(outside());
    }
    let parent = path.parent().ok_or_else(outside)?;
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    if fs::canonicalize(parent)? == fs::canonicalize(dir)? {
        Ok(())
    } else {
        Err(outside())
    }
}

/// The folder of a process's documents: `<process_id> <name>` (or just the
/// id when there is no name), made a safe file name.
pub fn process_folder_name(process_id: &str, name: Option<&str>) -> String {
    let raw = match name.map(str::trim) {
        Some(name) if !name.is_empty() => format!("{process_id} {name}"),
        _ => process_id.to_string(),
    };
    safe_file_name(&raw)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn traversal_becomes_one_name() {
        assert_eq!(safe_file_name("../../x"), "_.._x");
        assert_eq!(safe_file_name("/etc/passwd"), "_etc_passwd");
        assert_eq!(safe_file_name("..\\..\\windows\\system32"), "_.._windows_system32");
        assert_eq!(safe_file_name(".."), DEFAULT_NAME);
        assert_eq!(safe_file_name("."), DEFAULT_NAME);
        assert_eq!(safe_file_name(""), DEFAULT_NAME);
        assert_eq!(safe_file_name("   "), DEFAULT_NAME);
    }

    #[test]
    fn hidden_and_option_like_names_are_defused() {
        assert_eq!(safe_file_name(".bashrc"), "bashrc");
        assert_eq!(safe_file_name("-rf"), "rf");
        assert_eq!(safe_file_name("--help.pdf"), "help.pdf");
        assert_eq!(safe_file_name("report. . "), "report");
    }

    #[test]
    fn windows_reserved_names_get_a_prefix() {
        assert_eq!(safe_file_name("CON.txt"), "_CON.txt");
        assert_eq!(safe_file_name("con"), "_con");
        assert_eq!(safe_file_name("nul.tar.gz"), "_nul.tar.gz");
        assert_eq!(safe_file_name("COM1.pdf"), "_COM1.pdf");
        assert_eq!(safe_file_name("lpt9"), "_lpt9");
        assert_eq!(safe_file_name("CONTRACT.pdf"), "CONTRACT.pdf");
        assert_eq!(safe_file_name("COM10.pdf"), "COM10.pdf");
        assert_eq!(safe_file_name("a<b>c:d\"e|f?g*h.pdf"), "a_b_c_d_e_f_g_h.pdf");
    }

    #[test]
    fn long_names_keep_their_extension() {
        let long = format!("{}.pdf", "a".repeat(300));
        let safe = safe_file_name(&long);
        assert_eq!(safe.len(), MAX_NAME_BYTES);
        assert!(safe.ends_with("aaa.pdf"));

        let cyrillic = format!("{}.pdf", "Ж".repeat(200));
        let safe = safe_file_name(&cyrillic);
        assert!(safe.len() <= MAX_NAME_BYTES);
        assert!(safe.ends_with("ЖЖ.pdf"));
    }

    #[test]
    fn non_latin_names_are_kept() {
        assert_eq!(safe_file_name("Счёт.pdf"), "Счёт.pdf");
        assert_eq!(safe_file_name("請求書 2024.xml"), "請求書 2024.xml");
    }

    #[test]
    fn control_and_bidi_characters_are_replaced() {
        assert_eq!(safe_file_name("a\x1b[2Jb.pdf"), "a_[2Jb.pdf");
        assert_eq!(safe_file_name("x\u{9b}31m"), "x_31m");
        assert_eq!(safe_file_name("invoice\u{202e}fdp.exe"), "invoice_fdp.exe");
        assert_eq!(safe_file_name("line\r\nnext"), "line__next");
    }

    #[test]
    fn content_disposition_prefers_the_extended_name() {
        assert_eq!(
            parse_content_disposition(
                "attachment; filename=\"EURO rates.txt\"; filename*=utf-8''%e2%82%ac%20rates.txt"
            )
            .as_deref(),
            Some("€ rates.txt")
        );
        assert_eq!(
            parse_content_disposition("attachment; FILENAME*=UTF-8'ru'%D0%A1%D1%87%D1%91%D1%82.pdf").as_deref(),
            Some("Счёт.pdf")
        );
        assert_eq!(
            parse_content_disposition("attachment; filename*=iso-8859-1'en'%A3%20rates.txt").as_deref(),
            Some("£ rates.txt")
        );
    }

    #[test]
    fn content_disposition_reads_quoted_and_token_names() {
        assert_eq!(
            parse_content_disposition(r#"attachment; filename="Invoice_001.pdf""#).as_deref(),
            Some("Invoice_001.pdf")
        );
        assert_eq!(
            parse_content_disposition(r#"attachment; filename="a \"quoted\" name; x.pdf""#).as_deref(),
            Some("a \"quoted\" name; x.pdf")
        );
        assert_eq!(
            parse_content_disposition("inline;filename=plain.xml").as_deref(),
            Some("plain.xml")
        );
        assert_eq!(
            parse_content_disposition("attachment; size=3; FileName = spaced.zip ;").as_deref(),
            Some("spaced.zip")
        );
    }

    #[test]
    fn content_disposition_falls_back_when_the_extended_name_is_bad() {
        assert_eq!(
            parse_content_disposition("attachment; filename*=UTF-8''%FF%FE; filename=ok.pdf").as_deref(),
            Some("ok.pdf")
        );
        assert_eq!(
            parse_content_disposition("attachment; filename*=koi8-r''%C1; filename=ok.pdf").as_deref(),
            Some("ok.pdf")
        );
    }

    #[test]
    fn content_disposition_garbage_gives_none() {
        for garbage in [
            "",
            "attachment",
            ";;;",
            "attachment; filename=",
            "attachment; filename=\"",
            "=\"\\",
            "attachment; filename*=''",
        ] {
            assert_eq!(parse_content_disposition(garbage), None, "{garbage:?}");
        }
    }

    #[test]
    fn fallback_names_take_the_extension_from_the_type() {
        assert_eq!(fallback_name("98765", Some("application/pdf")), "attachment-98765.pdf");
        assert_eq!(fallback_name("5", Some("text/xml; charset=utf-8")), "attachment-5.xml");
        assert_eq!(fallback_name("5", Some("application/zip")), "attachment-5.zip");
        assert_eq!(fallback_name("5", Some("image/jpeg")), "attachment-5.jpg");
        assert_eq!(fallback_name("5", Some("application/octet-stream")), "attachment-5.bin");
        assert_eq!(fallback_name("5", None), "attachment-5");
        assert_eq!(fallback_name("../5", Some("nonsense")), "attachment-5");
    }

    #[test]
    fn choose_name_follows_the_order() {
        let cd = Some("attachment; filename=\"from-header.pdf\"");
        assert_eq!(choose_name(cd, Some("doc.pdf"), "1", None), "from-header.pdf");
        assert_eq!(choose_name(None, Some("../doc.pdf"), "1", None), "_doc.pdf");
        assert_eq!(
            choose_name(Some("attachment"), Some(" .. "), "1", Some("application/pdf")),
            "attachment-1.pdf"
        );
        assert_eq!(choose_name(None, Some("evil.part"), "1", None), "evil_part");
    }

    #[test]
    fn numbered_and_part_names_stay_short() {
        assert_eq!(numbered("Invoice_001.pdf", 2), "Invoice_001 (2).pdf");
        assert_eq!(numbered("README", 1), "README (1)");
        assert_eq!(part_name("Invoice_001.pdf", 0), "Invoice_001.pdf.part");
        assert_eq!(part_name("Invoice_001.pdf", 1), "Invoice_001 (1).pdf.part");
        let long = safe_file_name(&format!("{}.pdf", "я".repeat(200)));
        assert!(numbered(&long, 123).len() <= MAX_NAME_BYTES);
        assert!(numbered(&long, 123).ends_with(" (123).pdf"));
        assert!(part_name(&long, 7).len() <= MAX_NAME_BYTES);
    }

    #[test]
    fn persist_never_overwrites() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let write_part = |content: &str| -> io::Result<PathBuf> {
            let part = dir.path().join(format!("{content}.part"));
            fs::write(&part, content)?;
            Ok(part)
        };
        let first = persist_no_clobber(&write_part("one")?, dir.path(), "Invoice_001.pdf")?;
        let second = persist_no_clobber(&write_part("two")?, dir.path(), "Invoice_001.pdf")?;
        let third = persist_no_clobber(&write_part("three")?, dir.path(), "Invoice_001.pdf")?;
        assert_eq!(first, dir.path().join("Invoice_001.pdf"));
        assert_eq!(second, dir.path().join("Invoice_001 (1).pdf"));
        assert_eq!(third, dir.path().join("Invoice_001 (2).pdf"));
        assert_eq!(fs::read_to_string(&first)?, "one");
        assert_eq!(fs::read_to_string(&second)?, "two");
        assert_eq!(fs::read_to_string(&third)?, "three");
        assert!(!dir.path().join("one.part").exists());
        Ok(())
    }

    #[test]
    fn persist_exact_refuses_an_existing_file() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let part = dir.path().join("x.part");
        let target = dir.path().join("x.pdf");
        fs::write(&part, "new")?;
        fs::write(&target, "old")?;
        let err = persist_exact(&part, &target).err().map(|e| e.kind());
        assert_eq!(err, Some(io::ErrorKind::AlreadyExists));
        assert_eq!(fs::read_to_string(&target)?, "old");
        assert!(part.exists());
        Ok(())
    }

    #[test]
    fn ensure_inside_rejects_escapes() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        assert!(ensure_inside(dir.path(), &dir.path().join("a.pdf")).is_ok());
        assert!(ensure_inside(dir.path(), &dir.path().join("..").join("a.pdf")).is_err());
        assert!(ensure_inside(dir.path(), &dir.path().join("sub").join("a.pdf")).is_err());
        assert!(ensure_inside(dir.path(), &dir.path().join("..")).is_err());
        Ok(())
    }

    proptest! {
        #[test]
        fn safe_names_are_single_safe_components(input in any::<String>()) {
            let name = safe_file_name(&input);
            prop_assert!(!name.is_empty());
            prop_assert!(name.len() <= MAX_NAME_BYTES);
            prop_assert!(!name.contains('/') && !name.contains('\\'));
            prop_assert!(name.chars().all(|c| !is_control(c) && !is_invisible_format(c)));
            prop_assert!(name != "." && name != "..");
            prop_assert!(!name.starts_with('.') && !name.starts_with('-'));
            prop_assert!(!name.ends_with('.') && !name.ends_with(' '));
            prop_assert!(!is_windows_reserved(&name));
            let dir = Path::new("/downloads");
            let joined = dir.join(&name);
            prop_assert_eq!(joined.parent(), Some(dir));
            prop_assert_eq!(joined.components().count(), dir.components().count() + 1);
        }

        #[test]
        fn names_with_hostile_pieces_stay_safe(
            parts in proptest::collection::vec(prop_oneof![
                Just("..".to_string()), Just("/".to_string()), Just("\\".to_string()),
                Just("\u{202e}".to_string()), Just("\x1b".to_string()), Just("CON".to_string()),
                Just(".pdf".to_string()), Just("-".to_string()), Just(" ".to_string()),
                "[a-zЖ請]{0,80}",
            ], 0..20)
        ) {
            let name = choose_name(None, Some(&parts.concat()), "1", None);
            prop_assert!(name.len() <= MAX_NAME_BYTES);
            prop_assert!(!name.contains('/') && !name.contains('\\'));
            prop_assert!(!name.starts_with('.') && !name.starts_with('-'));
            prop_assert!(!is_windows_reserved(&name));
            prop_assert!(part_name(&name, 99).len() <= MAX_NAME_BYTES);
        }

        #[test]
        fn a_file_name_comes_back_from_either_header_form(name in any::<String>()) {
            prop_assume!(!name.trim().is_empty());
            let encoded = percent_encoding::utf8_percent_encode(&name, percent_encoding::NON_ALPHANUMERIC);
            let extended = format!("attachment; filename*=UTF-8''{encoded}");
            prop_assert_eq!(parse_content_disposition(&extended), Some(name.clone()));
            let quoted = name.replace('\\', "\\\\").replace('"', "\\\"");
            let plain = format!("attachment; filename=\"{quoted}\"");
            prop_assert_eq!(parse_content_disposition(&plain), Some(name));
        }
    }
}
