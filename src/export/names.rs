//! Names a search cluster accepts: index names for `_bulk`, and keyword
//! values no longer than a keyword token may be.

/// An index name that both Elasticsearch (lower case; none of
/// `\ / * ? " < > | , # :` or a space; no leading `_`, `-` or `+`; at most 255
/// bytes) and Quickwit (`^[a-zA-Z][a-zA-Z0-9-_\.]{2,254}$`) accept: a lower-case
/// letter, then lower-case letters, digits, `-`, `_` or `.`, 3 to 255 in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkIndex(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "not an index name both Elasticsearch and Quickwit accept: a lower-case letter, then lower-case letters, digits, '-', '_' or '.', 3 to 255 characters"
)]
pub struct BulkIndexError;

impl BulkIndex {
    pub fn parse(name: &str) -> Result<BulkIndex, BulkIndexError> {
        let mut chars = name.chars();
        let valid = chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')
            })
            && (3..=255).contains(&name.len());
        if valid {
            Ok(BulkIndex(name.to_string()))
        } else {
            Err(BulkIndexError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The longest keyword token a cluster indexes: Quickwit's `raw` tokenizer
/// and tantivy drop longer tokens silently (the value is stored, never found).
pub const MAX_KEYWORD_BYTES: usize = 255;

/// A keyword value as exported: unchanged up to [`MAX_KEYWORD_BYTES`], else
/// its start, cut at a character boundary, then `…#` and 16 hex digits of
/// the BLAKE3 of the whole value: still unique, still searchable, and marked
/// as shortened. (`path` keeps a document's whole name.)
pub fn keyword(value: String) -> String {
    if value.len() <= MAX_KEYWORD_BYTES {
        return value;
    }
    let hash = blake3::hash(value.as_bytes()).to_hex();
    let marker = format!("…#{}", &hash.as_str()[..16]);
    let mut cut = MAX_KEYWORD_BYTES - marker.len();
    while !value.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{marker}", &value[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_both_clusters_accept() {
        for good in ["dossier", "un-docs_1945.v2", "abc"] {
            assert!(BulkIndex::parse(good).is_ok(), "{good}");
        }
        // The names an adversarial run passed, and the rules' edges.
        for bad in [
            "Dossier", "_x", "un docs", "my/idx", "ab", "", "-abc", "+abc", "1abc", "a*b", "a?bc",
            "a\"bc", "a<bc", "a|bc", "a,bc", "a#bc", "a:bc", "déjà",
        ] {
            assert_eq!(BulkIndex::parse(bad), Err(BulkIndexError), "{bad}");
        }
        assert!(BulkIndex::parse(&"a".repeat(255)).is_ok());
        assert!(BulkIndex::parse(&"a".repeat(256)).is_err());
    }

    #[test]
    fn long_keywords_are_shortened_uniquely_with_a_marker() {
        assert_eq!(keyword("nato/page.html".into()), "nato/page.html");
        let exact = "x".repeat(255);
        assert_eq!(keyword(exact.clone()), exact);
        let a = keyword(format!("{}a", "é".repeat(200)));
        let b = keyword(format!("{}b", "é".repeat(200)));
        assert_ne!(a, b);
        for k in [&a, &b] {
            assert!(k.len() <= MAX_KEYWORD_BYTES, "{}", k.len());
            assert!(k.contains("…#"));
        }
    }
}
