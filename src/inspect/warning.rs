//! A warning of a summary (what could not be read, or was refused for
//! safety) as a catalogue key and its arguments: its English text is what
//! `inspect --json` prints, the same whatever the language; [`Warning::text_in`]
//! says it in the language of a human summary.

/// One warning: a [`Message`](crate::i18n::Message) of the catalogue.
pub type Warning = crate::i18n::Message;

#[cfg(test)]
mod tests {
    use crate::i18n::{Lang, message};

    /// The English of every warning is, word for word, what `--json` printed
    /// before warnings had keys.
    #[test]
    fn english_texts_are_the_json_strings_of_before() {
        let cases = [
            (message!("inspect-warn-not-decimal", what = "a TasaOCuota", text = "x"), "a TasaOCuota is not a decimal number: x".to_string()),
            (message!("inspect-warn-archive-many", count = 3000usize, listed = 1000usize), "the archive has 3000 entries; the first 1000 are listed".into()),
            (
                message!("inspect-warn-archive-climbing", count = 1usize),
                "1 entries have names that leave their folder (absolute or with ..); they are shown, never extracted".into(),
            ),
            (
                message!("inspect-warn-archive-claims", claimed = 4096u64, allowed = 512u64, entry = 64u64),
                "the entries claim 4096 MiB unpacked, more than the 512 MiB allowed: an archive bomb? entries larger than 64 MiB are not unpacked".into(),
            ),
            (message!("inspect-warn-archive-ratio", name = "a.txt", times = 1000u64), "a.txt unpacks 1000 times its packed size: an archive bomb? it is not unpacked".into()),
            (message!("inspect-warn-many-bodies", count = 2usize), "the file holds 2 invoices (bodies); this is the first".into()),
            (message!("inspect-warn-encoding", encoding = "Latin-1"), "the text is in Latin-1".into()),
            (
                message!("inspect-warn-picture-large", width = 20000u32, height = 20000u32, limit = 100u64),
                "20000 × 20000 pixels is more than the 100 megapixels a preview decodes".into(),
            ),
            (
                message!("inspect-warn-too-large", bytes = 300_000_000u64, limit = 256u64),
                "the file has 300000000 bytes, more than the 256 MiB that are read: only its type is shown".into(),
            ),
            (
                message!("inspect-warn-embedded-inflate", name = "x.xml", error = "corrupt deflate stream"),
                "the embedded file x.xml is not read: it does not inflate (corrupt deflate stream)".into(),
            ),
            (message!("inspect-warn-embedded-large", name = "x.xml", mib = 32u64), "the embedded file x.xml is not read: it inflates to more than 32 MiB".into()),
            (
                message!("inspect-warn-embedded-filters", name = "x.xml", filters = "LZWDecode"),
                "the embedded file x.xml is not read: its filters (LZWDecode) are not supported".into(),
            ),
            (message!("inspect-body-more-lines", max = 2000usize), "… (more than 2000 lines)".into()),
            (message!("inspect-body-bytes-in-all", bytes = 4096usize), "… (4096 bytes in all)".into()),
            (message!("inspect-refused-no-entry", index = 7usize, error = "invalid Zip archive"), "no entry 7: invalid Zip archive".into()),
            (message!("inspect-refused-encrypted"), "the entry is encrypted: it is not read".into()),
            (
                message!("inspect-refused-entry-large", mib = 40u64, max = 32u64),
                "the entry unpacks to 40 MiB, more than the 32 MiB a preview reads".into(),
            ),
            (message!("inspect-refused-entry-ratio", times = 1000u64), "the entry unpacks 1000 times its packed size: an archive bomb?".into()),
            (message!("inspect-refused-unpack", error = "e"), "the entry cannot be unpacked: e".into()),
            (message!("inspect-refused-overrun"), "the entry unpacks to more than the archive claims: it is not read".into()),
            (message!("inspect-refused-nested", depth = 3u64), "archives nested more than 3 deep are not opened".into()),
            (
                message!("inspect-refused-archive-large", mib = 80u64, max = 64u64),
                "the archive has 80 MiB, more than the 64 MiB that are read".into(),
            ),
            (message!("inspect-refused-picture-decode", error = "e"), "the picture cannot be decoded: e".into()),
            (message!("inspect-refused-stopped", error = "e"), "the preview stopped: e".into()),
            (message!("inspect-refused-cache", path = "/c/document", error = "e"), "cannot refresh the cached copy /c/document: e".into()),
            (message!("inspect-warn-archive-unreadable", error = "e"), "the archive cannot be read: e".into()),
            (message!("inspect-warn-picture-unreadable", error = "e"), "the picture cannot be read: e".into()),
            (message!("inspect-warn-xml-malformed", at = 12u64, error = "e"), "the XML is not well-formed at byte 12: e".into()),
            (message!("inspect-warn-xml-char-ref", name = "#xZZ"), "the XML has a bad character reference &#xZZ;".into()),
            (message!("inspect-warn-xml-entity", name = "nbsp"), "the XML refers to the entity &nbsp;, which nothing declares".into()),
            (message!("inspect-warn-xml-nodes", max = 50u32), "the XML has more than 50 nodes: not read".into()),
            (message!("inspect-warn-xml-deep", levels = 64usize), "elements nested deeper than 64 levels are not shown".into()),
            (message!("inspect-warning-scan"), "no text layer: a scan".into()),
        ];
        for (warning, english) in cases {
            assert_eq!(warning.as_str(), english);
            assert_eq!(
                serde_json::to_string(&warning).unwrap(),
                serde_json::to_string(&english).unwrap()
            );
            assert_ne!(warning.text_in(Lang::Es), english, "{}", warning.key());
        }
    }

    #[test]
    fn spanish_counts_choose_their_forms() {
        assert!(
            message!("inspect-warn-archive-climbing", count = 1usize)
                .text_in(Lang::Es)
                .starts_with("1 entrada tiene")
        );
        assert!(
            message!("inspect-warn-archive-climbing", count = 2usize)
                .text_in(Lang::Es)
                .starts_with("2 entradas tienen")
        );
    }
}
