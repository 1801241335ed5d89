//! JSON that escapes every control character: serde_json escapes C0 as
//! `\u001b`, but writes DEL and the C1 range (U+007F–U+009F, which some
//! terminals obey) raw. `--json` output and exports are read in terminals
//! too (`dossier search x --json | less`), so these become `\u009b`.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};

/// serde_json's compact formatting, with DEL and C1 escaped.
#[derive(Debug, Clone, Copy, Default)]
pub struct EscapingFormatter;

impl Formatter for EscapingFormatter {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (at, c) in fragment.char_indices() {
            if ('\u{7f}'..='\u{9f}').contains(&c) {
                writer.write_all(&fragment.as_bytes()[start..at])?;
                write!(writer, "\\u{:04x}", c as u32)?;
                start = at + c.len_utf8();
            }
        }
        CompactFormatter.write_string_fragment(writer, &fragment[start..])
    }
}

/// Writes `value` as one line of JSON (no newline), every control escaped.
pub fn to_writer<W: Write + ?Sized>(writer: &mut W, value: &impl Serialize) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(writer, EscapingFormatter);
    value.serialize(&mut serializer).map_err(io::Error::from)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_control_is_escaped() {
        let mut out = Vec::new();
        super::to_writer(&mut out, &"a\u{1b}[2J\u{9b}31m\u{7f}é").unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, r#""a\u001b[2J\u009b31m\u007fé""#);
        let back: String = serde_json::from_str(&text).unwrap();
        assert_eq!(back, "a\u{1b}[2J\u{9b}31m\u{7f}é");
    }
}
