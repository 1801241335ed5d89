//! Control characters: what a document may not carry into dossier, and what
//! dossier never prints raw.
//!
//! A page titled `Evil \x1b]0;OWNED\x07\x1b[2J` would retitle the reader's
//! window and clear the screen if printed as it came; OSC 52 writes the
//! clipboard. So control characters (C0 but tab and newline, DEL, and the C1
//! range U+0080–U+009F, which some terminals also obey) never enter the
//! stored text: each becomes a space ([`strip_controls`]). Form feed stays in
//! a body as dossier's own page separator. And whatever dossier prints of a
//! document, a file name or an address is escaped first ([`escape_controls`]),
//! so an index built before this rule, or a file name, cannot reach the
//! terminal raw either.

use std::borrow::Cow;
use std::fmt::Write;

/// A control character a terminal may act on.
pub fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// A character that reorders the text around it where a terminal draws
/// right-to-left text: the explicit embeddings, overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069; "Trojan Source", CVE-2021-42574). A title
/// holding U+202E prints its tail reversed. Stored text keeps them (a
/// right-to-left document may need them); printing escapes them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// What text may keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Nothing: a title, an address, a name (one line).
    Nothing,
    /// Tab and newline: text.
    Lines,
    /// Tab, newline and form feed: a document's body, whose pages form
    /// feeds separate.
    Pages,
}

fn kept(c: char, keep: Keep) -> bool {
    match keep {
        Keep::Nothing => false,
        Keep::Lines => matches!(c, '\t' | '\n'),
        Keep::Pages => matches!(c, '\t' | '\n' | '\u{c}'),
    }
}

/// Whether `text` holds a control character it may not keep. Its bytes are
/// read first, a block at a time (what the compiler turns into vector
/// instructions): a control is a byte below 0x20, 0x7f, or a C1 character
/// (0xc2 then 0x80–0x9f), and text without such bytes, nearly all text,
/// needs no character-by-character look. Printing a concordance escapes
/// every context, and the look by character was a twentieth of its time.
fn holds_control(text: &str, keep: Keep) -> bool {
    const BLOCK: usize = 32;
    let suspect = |b: u8| b < 0x20 || b == 0x7f || b == 0xc2;
    let bytes = text.as_bytes();
    let mut blocks = bytes.chunks_exact(BLOCK);
    let clean = blocks.all(|block| !block.iter().fold(false, |any, &b| any | suspect(b)))
        && !blocks.remainder().iter().any(|&b| suspect(b));
    !clean && text.chars().any(|c| is_control(c) && !kept(c, keep))
}

/// Whether printing `text` escapes anything: a control it may not keep, or
/// a bidirectional control (UTF-8 0xe2 then 0x80 or 0x81: the byte look lets
/// through only text with such punctuation, curly quotes among it).
fn holds_escaped(text: &str, keep: Keep) -> bool {
    if holds_control(text, keep) {
        return true;
    }
    let bytes = text.as_bytes();
    memchr::memchr_iter(0xe2, bytes).any(|at| {
        matches!(
            (bytes.get(at + 1), bytes.get(at + 2)),
            (Some(0x80), Some(0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
        )
    })
}

/// `text` with each control character it may not keep turned into a space.
pub fn strip_controls(text: &str, keep: Keep) -> Cow<'_, str> {
    if !holds_control(text, keep) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if is_control(c) && !kept(c, keep) {
                    ' '
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// `text` as one line of at most `max` characters, for a message that
/// quotes something of any length (a file's first bytes, a library's error
/// text): runs of white space become one space, the rest is cut with `…`.
pub fn one_short_line(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().count() > max {
            break;
        }
    }
    if out.chars().count() > max {
        out = out.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
    }
    out
}

/// `text` with each control character it may not keep, and each
/// bidirectional control, written out as an escape: `\x1b`, `\u{9b}`,
/// `\u{202e}`. For printing names, addresses and text.
pub fn escape_controls(text: &str, keep: Keep) -> Cow<'_, str> {
    if !holds_escaped(text, keep) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if (is_control(c) && !kept(c, keep)) || is_bidi_control(c) {
            if (c as u32) < 0x80 {
                let _ = write!(out, "\\x{:02x}", c as u32);
            } else {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVIL: &str = "Evil \u{1b}]0;OWNED\u{7}\u{1b}[2J\u{8}\u{9b}31m\u{7f}";

    /// A right-to-left override, embedding or isolate is printed as an
    /// escape wherever it stands; curly quotes and other punctuation
    /// sharing its first bytes, and right-to-left letters, are not.
    #[test]
    fn bidirectional_controls_are_escaped_when_printed() {
        for c in [
            '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2069}',
        ] {
            for text in [format!("{c}"), format!("a{c}b"), format!("“{c}”")] {
                let printed = escape_controls(&text, Keep::Lines);
                assert!(!printed.contains(c), "{text:?}");
                assert!(
                    printed.contains(&format!("\\u{{{:x}}}", c as u32)),
                    "{printed}"
                );
            }
            // Stored text keeps it.
            assert_eq!(
                strip_controls(&format!("a{c}b"), Keep::Nothing),
                format!("a{c}b")
            );
        }
        for text in [
            "“quoted” – dash… ‘single’ €",
            "مرحبا بالعالم",
            "\u{2029}\u{2065}\u{206a}\u{2029}",
        ] {
            assert_eq!(escape_controls(text, Keep::Nothing), text);
        }
    }

    #[test]
    fn a_control_is_found_wherever_it_stands_and_nothing_else_is() {
        let controls = [
            '\u{0}', '\u{7}', '\u{1b}', '\u{7f}', '\u{80}', '\u{85}', '\u{9b}', '\u{9f}',
        ];
        for length in [0, 5, 31, 32, 33, 70] {
            for at in 0..=length {
                for c in controls {
                    let text: String = "é".repeat(at) + &c.to_string() + &"a".repeat(length - at);
                    assert!(holds_control(&text, Keep::Pages), "{text:?}");
                    assert_ne!(escape_controls(&text, Keep::Pages), text);
                }
                // Bytes 0x80-0x9f that continue other characters, and 0xc2
                // starting one that is not a control, are text.
                let text = "©".repeat(at) + &"\u{2019}".repeat(length - at);
                assert!(!holds_control(&text, Keep::Nothing), "{text:?}");
            }
        }
        assert!(!holds_control("a\tb\nc\u{c}d", Keep::Pages));
        assert!(holds_control("a\tb\nc\u{c}d", Keep::Lines));
        assert!(holds_control("a\tb", Keep::Nothing));
    }

    #[test]
    fn quotes_are_cut_to_one_short_line() {
        assert_eq!(one_short_line("a\n  b\tc", 10), "a b c");
        assert_eq!(one_short_line(&"x".repeat(200_000), 5), "xxxx…");
        assert_eq!(one_short_line(&"word ".repeat(100), 12), "word word w…");
    }

    #[test]
    fn stored_text_keeps_no_control_but_its_own() {
        assert_eq!(
            strip_controls(EVIL, Keep::Nothing),
            "Evil  ]0;OWNED  [2J  31m "
        );
        assert_eq!(
            strip_controls("a\tb\nc\u{c}d", Keep::Pages),
            "a\tb\nc\u{c}d"
        );
        assert_eq!(strip_controls("a\tb\nc\u{c}d", Keep::Lines), "a\tb\nc d");
        assert_eq!(strip_controls("a\tb\nc\u{c}d", Keep::Nothing), "a b c d");
        assert!(matches!(
            strip_controls("plain", Keep::Nothing),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn printed_text_shows_controls_as_escapes() {
        assert_eq!(
            escape_controls(EVIL, Keep::Nothing),
            "Evil \\x1b]0;OWNED\\x07\\x1b[2J\\x08\\u{9b}31m\\x7f"
        );
        assert_eq!(escape_controls("a\nb", Keep::Lines), "a\nb");
        assert_eq!(escape_controls("a\nb", Keep::Nothing), "a\\x0ab");
        // Nothing a terminal acts on is left.
        for c in (0u32..0x110000)
            .filter_map(char::from_u32)
            .filter(|c| is_control(*c))
        {
            let text = format!("x{c}y");
            assert!(
                !escape_controls(&text, Keep::Nothing)
                    .chars()
                    .any(is_control)
            );
            assert!(!strip_controls(&text, Keep::Nothing).chars().any(is_control));
        }
    }
}
