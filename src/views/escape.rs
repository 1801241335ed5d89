//! Everything a view prints of a document, a file name, an address or what a
//! user typed goes through here: control characters are written out as
//! escapes (`\x1b`), never sent raw to a terminal (see
//! [`crate::text::controls`]).

use std::borrow::Cow;

use crate::text::controls::{Keep, escape_controls};

/// A name, an address, a title: one line, every control escaped.
pub fn one_line(text: &str) -> Cow<'_, str> {
    escape_controls(text, Keep::Nothing)
}

/// Text of several lines: tabs and newlines kept, other controls escaped.
pub fn text(text: &str) -> Cow<'_, str> {
    escape_controls(text, Keep::Lines)
}

/// A document's body as `show` prints it: its page breaks (form feeds) as
/// page markers, other controls escaped.
pub fn body(body: &str) -> String {
    if !body.contains('\u{c}') {
        return text(body).into_owned();
    }
    let mut out = String::with_capacity(body.len() + 64);
    for (i, page) in body.split('\u{c}').enumerate() {
        if i > 0 {
            out.push_str(&format!("\n--- page {} ---\n", i + 1));
        }
        out.push_str(&text(page));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_become_markers() {
        assert_eq!(body("one\u{c}two\u{1b}"), "one\n--- page 2 ---\ntwo\\x1b");
        assert_eq!(one_line("a\nb\u{9b}"), "a\\x0ab\\u{9b}");
    }
}
