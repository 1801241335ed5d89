//! Bytes → text. Real collections mix UTF-8 with and without a byte-order mark,
//! UTF-16 with one, legacy Windows-1252 files, and HTML pages that declare their
//! own charset. Text is always decoded, never dropped: a byte that fits no
//! encoding becomes U+FFFD, and the document is still indexed.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// Decoded text and the name of the encoding that was used.
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// Decodes `bytes`. `declared` is a charset the document itself names (an HTML
/// `<meta charset>`), used when the bytes are not valid UTF-8.
pub fn decode(bytes: &[u8], declared: Option<&'static Encoding>) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        let name = if encoding == UTF_8 {
            "UTF-8 (with BOM)"
        } else {
            encoding.name()
        };
        return Decoded {
            text: normalize_newlines(text.into_owned()),
            encoding: name,
        };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: normalize_newlines(text.to_string()),
            encoding: "UTF-8",
        };
    }
    // Not valid UTF-8. A declared legacy charset wins; otherwise decide between
    // mostly-UTF-8-with-damage and a legacy single-byte file by counting which
    // reading explains more of the bytes.
    let encoding = match declared {
        // A page that declares UTF-16 in a meta tag means UTF-8 (HTML spec).
        Some(enc) if enc.output_encoding() != UTF_8 => enc,
        _ if mostly_utf8(bytes) => UTF_8,
        _ => WINDOWS_1252,
    };
    let (text, _, _) = encoding.decode(bytes);
    let name = if encoding == UTF_8 {
        "UTF-8 (with invalid bytes replaced)"
    } else {
        encoding.name()
    };
    Decoded {
        text: normalize_newlines(text.into_owned()),
        encoding: name,
    }
}

/// True when valid multi-byte UTF-8 sequences outnumber invalid bytes: a UTF-8
/// file with a few stray legacy bytes, not a legacy file.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut valid_multibyte = 0usize;
    let mut invalid = 0usize;
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid_multibyte += s.bytes().filter(|b| *b >= 0xC0).count();
                break;
            }
            Err(e) => {
                let (good, after) = rest.split_at(e.valid_up_to());
                valid_multibyte += good.iter().filter(|b| **b >= 0xC0).count();
                let skip = e.error_len().unwrap_or(after.len()).max(1);
                invalid += 1;
                rest = &after[skip.min(after.len())..];
            }
        }
    }
    valid_multibyte > invalid
}

/// The General Debate corpus has CRLF line ends; offsets and context lines are
/// simpler with one convention.
/// Unix newlines, and no byte-order mark left at the start: neither a
/// stray U+FEFF nor one decoded twice (`ï»¿`, a UTF-8 mark read as
/// Windows-1252 and saved again as UTF-8), which would open the title.
fn normalize_newlines(text: String) -> String {
    let text = match text
        .strip_prefix("ï»¿")
        .or_else(|| text.strip_prefix('\u{feff}'))
    {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

/// Whether the bytes look like binary data rather than text: NUL bytes in the
/// first 8 KiB of a file without a UTF-16 byte-order mark.
pub fn looks_binary(bytes: &[u8]) -> bool {
    if matches!(Encoding::for_bom(bytes), Some((enc, _)) if enc != UTF_8) {
        return false;
    }
    bytes.iter().take(8192).any(|b| *b == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_encoding_the_corpus_has() {
        let cases: Vec<(Vec<u8>, &str, &str)> = vec![
            (b"caf\xc3\xa9".to_vec(), "café", "UTF-8"),
            (
                b"\xef\xbb\xbfcaf\xc3\xa9".to_vec(),
                "café",
                "UTF-8 (with BOM)",
            ),
            (b"\xff\xfec\0a\0f\0\xe9\0".to_vec(), "café", "UTF-16LE"),
            (b"\xfe\xff\0c\0a\0f\0\xe9".to_vec(), "café", "UTF-16BE"),
            (
                b"caf\xe9 \x93quoted\x94".to_vec(),
                "café \u{201c}quoted\u{201d}",
                "windows-1252",
            ),
            (
                b"line one\r\nline two".to_vec(),
                "line one\nline two",
                "UTF-8",
            ),
        ];
        for (bytes, text, encoding) in cases {
            let decoded = decode(&bytes, None);
            assert_eq!(decoded.text, text);
            assert_eq!(decoded.encoding, encoding);
        }
    }

    #[test]
    fn declared_charset_wins_over_guessing() {
        let koi8 = Encoding::for_label(b"koi8-r");
        let decoded = decode(b"\xf0\xd2\xc9\xd7\xc5\xd4", koi8);
        assert_eq!(decoded.text, "Привет");
    }

    #[test]
    fn mostly_utf8_keeps_its_text() {
        let decoded = decode(
            "réunion générale \u{2014} "
                .as_bytes()
                .iter()
                .copied()
                .chain([0xff])
                .collect::<Vec<u8>>()
                .as_slice(),
            None,
        );
        assert!(decoded.text.starts_with("réunion générale"));
    }
}
