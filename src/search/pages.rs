//! Page numbers of matches. A PDF's text is stored with its pages joined by
//! form feeds (`\x0c`), as text converted from PDFs by `pdftotext` and the UN's
//! own text files also are: a match's page is one plus the form feeds before
//! it. A document without form feeds has no pages.

/// The offsets of a text's page breaks, for many look-ups in one document.
#[derive(Debug, Clone, Default)]
pub struct PageBreaks {
    breaks: Vec<usize>,
}

impl PageBreaks {
    pub fn new(text: &str) -> Self {
        PageBreaks {
            // memchr's vector search: this runs over the whole text of
            // every document a concordance lists.
            breaks: memchr::memchr_iter(b'\x0c', text.as_bytes()).collect(),
        }
    }

    /// The page (from 1) holding the byte at `offset`; `None` without pages.
    pub fn page_at(&self, offset: usize) -> Option<u32> {
        if self.breaks.is_empty() {
            return None;
        }
        let before = self.breaks.partition_point(|&b| b < offset);
        Some(before as u32 + 1)
    }
}

/// The page of one offset, for a single look-up.
pub fn page_at(text: &str, offset: usize) -> Option<u32> {
    let head = text.get(..offset.min(text.len())).unwrap_or(text);
    memchr::memchr(b'\x0c', text.as_bytes())?;
    Some(memchr::memchr_iter(b'\x0c', head.as_bytes()).count() as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_count_form_feeds() {
        let text = "one\x0ctwo\x0cthree";
        let breaks = PageBreaks::new(text);
        assert_eq!(breaks.page_at(0), Some(1));
        assert_eq!(breaks.page_at(text.find("two").unwrap()), Some(2));
        assert_eq!(breaks.page_at(text.find("three").unwrap()), Some(3));
        assert_eq!(page_at(text, text.find("three").unwrap()), Some(3));
        assert_eq!(PageBreaks::new("no pages").page_at(3), None);
        assert_eq!(page_at("no pages", 3), None);
    }
}
