//! The `'` and `"` text operators, which pdf-extract does not know.

use lopdf::content::{Content, Operation};
use lopdf::{Document, ObjectId};

/// pdf-extract does not know the `'` and `"` text operators (move to the next
/// line, then show a string), which Ghostscript writes for every line after
/// the first: without this, a Ghostscript PDF gives one line per page (the
/// PDF quality benchmark found it: 2% of the words came back). They are
/// rewritten as the `T*`/`Tj` (and `Tw`/`Tc`) sequences they stand for.
pub fn expand(doc: &mut Document, page_id: ObjectId) {
    let Ok(bytes) = doc.get_page_content(page_id) else {
        return;
    };
    if !may_have_quote_operators(&bytes) {
        return;
    }
    let Ok(content) = Content::decode(&bytes) else {
        return;
    };
    if !content
        .operations
        .iter()
        .any(|op| op.operator == "'" || op.operator == "\"")
    {
        return;
    }
    let mut operations = Vec::with_capacity(content.operations.len() * 2);
    for op in content.operations {
        match (op.operator.as_str(), op.operands.len()) {
            ("'", 1) => {
                operations.push(Operation::new("T*", vec![]));
                operations.push(Operation::new("Tj", op.operands));
            }
            ("\"", 3) => {
                let mut operands = op.operands.into_iter();
                let (Some(word_spacing), Some(char_spacing), Some(string)) =
                    (operands.next(), operands.next(), operands.next())
                else {
                    continue;
                };
                operations.push(Operation::new("Tw", vec![word_spacing]));
                operations.push(Operation::new("Tc", vec![char_spacing]));
                operations.push(Operation::new("T*", vec![]));
                operations.push(Operation::new("Tj", vec![string]));
            }
            _ => operations.push(op),
        }
    }
    if let Ok(encoded) = (Content { operations }).encode() {
        let _ = doc.change_page_content(page_id, encoded);
    }
}

/// Whether `content` may use the `'` or `"` operator: a quick pass over its
/// tokens that skips strings, hex strings and comments, so that a page whose
/// only quotes are apostrophes in its text ("(DFID's)") is not parsed twice
/// (on `../shared/pdfs`, 116 pages were, for one that used the operator).
/// An inline image's data, or a string still open at the end, may hide
/// anything: the answer is then yes, and the full parse decides.
fn may_have_quote_operators(content: &[u8]) -> bool {
    let mut i = 0;
    while let Some(&byte) = content.get(i) {
        match byte {
            b'(' => {
                // A literal string: balanced parentheses, backslash escapes.
                let mut depth = 1usize;
                i += 1;
                while depth > 0 {
                    match content.get(i) {
                        None => return true,
                        Some(b'\\') => i += 1,
                        Some(b'(') => depth += 1,
                        Some(b')') => depth -= 1,
                        Some(_) => {}
                    }
                    i += 1;
                }
                continue;
            }
            // `<<` and `>>` delimit a dictionary (marked-content
            // properties, whose strings may hold `>` and `%`): two bytes
            // each, so that what they hold is read token by token.
            b'<' | b'>' if content.get(i + 1) == Some(&byte) => i += 1,
            b'<' => match memchr::memchr(b'>', &content[i..]) {
                Some(end) => i += end,
                None => return true,
            },
            b'%' => match memchr::memchr2(b'\n', b'\r', &content[i..]) {
                Some(end) => i += end,
                None => return false,
            },
            b'\'' | b'"' => return true,
            b'I' if content.get(i + 1) == Some(&b'D')
                && (i == 0 || is_separator(content[i - 1]))
                && content.get(i + 2).is_none_or(|&c| is_separator(c)) =>
            {
                return true;
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// White space or a delimiter: what ends a token.
fn is_separator(byte: u8) -> bool {
    byte.is_ascii_whitespace() || b"()<>[]{}/%".contains(&byte) || byte == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apostrophes_in_strings_are_not_operators() {
        assert!(!may_have_quote_operators(
            b"BT /F1 12 Tf (DFID's \\(own\\) \"results\") Tj ET"
        ));
        assert!(!may_have_quote_operators(
            b"BT <0027> Tj % it's a comment\n(a) Tj ET"
        ));
        assert!(!may_have_quote_operators(b"BT (a (nested) it's) Tj ET"));
        assert!(!may_have_quote_operators(
            b"/Span <</Alt (it's)>> BDC (a) Tj EMC"
        ));
    }

    #[test]
    fn the_operators_are_found() {
        assert!(may_have_quote_operators(
            b"BT (line one) Tj (line two) ' ET"
        ));
        assert!(may_have_quote_operators(b"BT 1 2 (line two)\" ET"));
        assert!(may_have_quote_operators(b"BT (open string never closed ET"));
        // An inline image's data may hold anything.
        assert!(may_have_quote_operators(b"BI /W 1 /H 1 ID \x00(\xff EI"));
        assert!(!may_have_quote_operators(b"BT (IDEA) Tj ET"));
        // A dictionary's string with `>` and `%` hides nothing after it.
        assert!(may_have_quote_operators(
            b"BT /Span <</ActualText (x>5%)>> BDC (one) Tj (two) ' EMC ET"
        ));
    }
}
