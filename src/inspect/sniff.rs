//! What a file is, from its first bytes (magic numbers), never its name.

/// The family a file's first bytes put it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sniffed {
    /// `%PDF-` near the start.
    Pdf,
    /// A ZIP local header or an empty archive's end record.
    Zip,
    /// A picture the image reader decodes, with its media type.
    Image(&'static str),
    /// A known binary format that has no reader here, with its media type.
    Binary(&'static str),
    /// No magic number: text, XML, JSON, CSV, or unknown binary.
    Unknown,
}

const IMAGES: &[(&[u8], &str)] = &[
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
];

const BINARIES: &[(&[u8], &str)] = &[
    (b"\x1f\x8b", "application/gzip"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", "application/vnd.rar"),
    (b"BZh", "application/x-bzip2"),
    (b"\xfd7zXZ\x00", "application/x-xz"),
    (b"\x28\xb5\x2f\xfd", "application/zstd"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
    (b"\x00\x00\x01\x00", "image/vnd.microsoft.icon"),
    (b"\x7fELF", "application/x-elf"),
    (b"MZ", "application/vnd.microsoft.portable-executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
    (b"SQLite format 3\x00", "application/vnd.sqlite3"),
    (b"\x00asm", "application/wasm"),
    (b"OggS", "audio/ogg"),
    (b"fLaC", "audio/flac"),
    (b"ID3", "audio/mpeg"),
    (b"%!PS", "application/postscript"),
];

/// Sorts `bytes` by their magic number.
pub(crate) fn sniff(bytes: &[u8]) -> Sniffed {
    let head = bytes.get(..bytes.len().min(1024)).unwrap_or_default();
    if find(head, b"%PDF-").is_some() {
        return Sniffed::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Sniffed::Zip;
    }
    if let Some(&(_, media_type)) = IMAGES.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Sniffed::Image(media_type);
    }
    if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        return Sniffed::Image("image/webp");
    }
    if bytes.get(4..8) == Some(b"ftyp") {
        return Sniffed::Binary("video/mp4");
    }
    match BINARIES.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        Some(&(_, media_type)) => Sniffed::Binary(media_type),
        None => Sniffed::Unknown,
    }
}

/// The media type of `bytes` by magic number alone, if it has one.
pub(crate) fn media_type(bytes: &[u8]) -> Option<&'static str> {
    match sniff(bytes) {
        Sniffed::Pdf => Some("application/pdf"),
        Sniffed::Zip => Some("application/zip"),
        Sniffed::Image(t) | Sniffed::Binary(t) => Some(t),
        Sniffed::Unknown => None,
    }
}

/// Where `needle` first occurs in `haystack`.
pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_numbers_decide_and_names_play_no_part() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Sniffed::Pdf);
        assert_eq!(sniff(b"\r\n%PDF-1.4"), Sniffed::Pdf);
        assert_eq!(sniff(b"PK\x03\x04rest"), Sniffed::Zip);
        assert_eq!(sniff(b"\xff\xd8\xff\xe0"), Sniffed::Image("image/jpeg"));
        assert_eq!(sniff(b"RIFF\x10\x00\x00\x00WEBPVP8 "), Sniffed::Image("image/webp"));
        assert_eq!(sniff(b"RIFF\x10\x00\x00\x00WAVEfmt "), Sniffed::Unknown);
        assert_eq!(sniff(b"\x1f\x8b\x08\x00"), Sniffed::Binary("application/gzip"));
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><a/>"), Sniffed::Unknown);
        assert_eq!(sniff(b""), Sniffed::Unknown);
    }
}
