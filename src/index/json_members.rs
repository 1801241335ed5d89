//! The members of a JSON object as byte ranges of its text, without parsing
//! their values: what [`super::search_directory`] needs to give `meta.json`
//! back without its schema. A general parser (serde_json's `RawValue`) spent
//! a tenth of a search that finds nothing scanning the schema it then threw
//! away; this passes over it by its brackets and quotes.
//!
//! It follows structure (strings, brackets that pair up, members and their
//! commas), not scalars: a number or literal is passed over to what ends
//! it, and whoever uses the members has them parsed (tantivy parses the
//! file or the copy without its schema).
//! Anything it does not follow (a key with an escape, which could spell
//! another key, or text after the object) gives `None`, and the caller
//! falls back to the whole file.

use std::ops::Range;

/// One member: its key's text, quotes included, and its value's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub key: Range<usize>,
    pub value: Range<usize>,
}

impl Member {
    /// The key without its quotes.
    pub fn name<'a>(&self, text: &'a [u8]) -> &'a [u8] {
        &text[self.key.start + 1..self.key.end - 1]
    }
}

/// The members of the object `text` is, in order; `None` if it is not one
/// object, or a key holds an escape.
pub fn object_members(text: &[u8]) -> Option<Vec<Member>> {
    object_members_knowing(text, None)
}

/// The same, told that the member named `known.0` may have the value
/// `known.1` (a whole JSON value): where its value starts with those bytes,
/// they are its value and are not scanned again.
pub fn object_members_knowing(text: &[u8], known: Option<(&[u8], &[u8])>) -> Option<Vec<Member>> {
    let mut at = skip_space(text, 0);
    if text.get(at) != Some(&b'{') {
        return None;
    }
    at = skip_space(text, at + 1);
    let mut members = Vec::new();
    if text.get(at) == Some(&b'}') {
        return (skip_space(text, at + 1) == text.len()).then_some(members);
    }
    loop {
        let key_end = string_end(text, at)?;
        if text[at..key_end].contains(&b'\\') {
            return None;
        }
        let key = at..key_end;
        at = skip_space(text, key_end);
        if text.get(at) != Some(&b':') {
            return None;
        }
        at = skip_space(text, at + 1);
        let value_end = match known {
            Some((name, value))
                if &text[key.start + 1..key.end - 1] == name && text[at..].starts_with(value) =>
            {
                at + value.len()
            }
            _ => value_end(text, at)?,
        };
        members.push(Member {
            key,
            value: at..value_end,
        });
        at = skip_space(text, value_end);
        match text.get(at) {
            Some(b',') => at = skip_space(text, at + 1),
            Some(b'}') => break,
            _ => return None,
        }
    }
    (skip_space(text, at + 1) == text.len()).then_some(members)
}

fn skip_space(text: &[u8], mut at: usize) -> usize {
    while text
        .get(at)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        at += 1;
    }
    at
}

/// Where the string starting at `at` (its opening quote) ends, after its
/// closing quote.
fn string_end(text: &[u8], at: usize) -> Option<usize> {
    if text.get(at) != Some(&b'"') {
        return None;
    }
    let mut from = at + 1;
    loop {
        let found = from + memchr::memchr2(b'"', b'\\', text.get(from..)?)?;
        if text[found] == b'"' {
            return Some(found + 1);
        }
        // An escape: the character after the backslash is never the end.
        from = found + 2;
    }
}

/// Where the value starting at `at` ends.
fn value_end(text: &[u8], at: usize) -> Option<usize> {
    match *text.get(at)? {
        b'"' => string_end(text, at),
        b'{' | b'[' => {
            // The closing bracket each open one waits for: brackets must
            // pair up, as JSON's do, or the text is not followed.
            let mut open: Vec<u8> = Vec::new();
            let mut i = at;
            while let Some(&b) = text.get(i) {
                match b {
                    b'"' => {
                        i = string_end(text, i)?;
                        continue;
                    }
                    b'{' => open.push(b'}'),
                    b'[' => open.push(b']'),
                    b'}' | b']' => {
                        if open.pop() != Some(b) {
                            return None;
                        }
                        if open.is_empty() {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            None
        }
        _ => {
            // A number, true, false or null: up to what ends a value.
            let len = text[at..]
                .iter()
                .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(text.len() - at);
            (len > 0).then_some(at + len)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Option<Vec<(String, String)>> {
        let bytes = text.as_bytes();
        object_members(bytes).map(|members| {
            members
                .iter()
                .map(|m| {
                    (
                        String::from_utf8_lossy(m.name(bytes)).into_owned(),
                        text[m.value.clone()].to_string(),
                    )
                })
                .collect()
        })
    }

    #[test]
    fn members_are_found_past_nested_values_and_quoted_brackets() {
        let text = r#" {"a": {"b": [1, "]}", {"c": "\"}"}]}, "schema" : [ ] ,"n":-1.5e3,"t":true, "s":"x\\"}
"#;
        assert_eq!(
            names(text).unwrap(),
            [
                ("a", r#"{"b": [1, "]}", {"c": "\"}"}]}"#),
                ("schema", "[ ]"),
                ("n", "-1.5e3"),
                ("t", "true"),
                ("s", r#""x\\""#),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string()))
        );
        assert_eq!(names("{}").unwrap(), []);
    }

    #[test]
    fn what_it_does_not_follow_is_none() {
        for text in [
            "",
            "[1]",
            "{",
            r#"{"a":1"#,
            r#"{"a":[1}"#,
            r#"{"a":"1}"#,
            r#"{"a" 1}"#,
            r#"{"a":1,}"#,
            r#"{"a":1} x"#,
            r#"{"a":}"#,
            r#"{"sch\u0065ma":[]}"#,
            r#"{"a":[[]]]}"#,
            r#"{"a":[}]}"#,
            r#"{"a":{]}"#,
            r#"{"a":[1}"#,
        ] {
            assert_eq!(names(text), None, "{text}");
        }
    }
}
