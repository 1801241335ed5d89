//! The second PDF reader, pdf_oxide, for what the first (pdf-extract) cannot
//! read. Measured on `../shared/pdfs` (docs/pdf.md): pdf-extract leaves
//! CJK text with predefined CMaps, CID fonts without a ToUnicode map and
//! Urdu/Arabic CID fonts empty or reversed, which pdf_oxide reads; but
//! pdf_oxide loses the spaces of some Latin pages and reads nothing of
//! others that pdf-extract reads well. So neither replaces the other: a page
//! takes the second reader's text only when that has clearly more to search
//! ([`better_page`]).
//!
//! It runs where the first does: in the bounded child process, after the
//! first reader's size checks, so the PDF-bomb guard covers both.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

/// The text of the pages `wanted` says (by index) as pdf_oxide reads them
/// (`None` for a page it fails on or was not asked for), or `None` when it
/// cannot open the document at all. Stops, leaving the remaining pages
/// `None`, once `deadline` passes or the text read passes
/// [`super::MAX_TEXT_BYTES`].
pub fn read_pages(
    bytes: &[u8],
    wanted: impl Fn(usize) -> bool,
    deadline: Instant,
) -> Option<Vec<Option<String>>> {
    let opened = catch_unwind(|| pdf_oxide::PdfDocument::from_bytes(bytes.to_vec()));
    let doc = match opened {
        Ok(Ok(doc)) => doc,
        _ => return None,
    };
    let count = match catch_unwind(AssertUnwindSafe(|| doc.page_count())) {
        Ok(Ok(count)) => count,
        _ => return None,
    };
    let mut pages = Vec::with_capacity(count.min(super::MAX_PAGES));
    let mut bytes_read = 0usize;
    for index in 0..count.min(super::MAX_PAGES) {
        if !wanted(index) {
            pages.push(None);
            continue;
        }
        // Past the deadline or the text cap, the rest stays unread.
        if Instant::now() > deadline || bytes_read > super::MAX_TEXT_BYTES {
            pages.push(None);
            continue;
        }
        let text = catch_unwind(AssertUnwindSafe(|| doc.extract_text(index)));
        pages.push(match text {
            Ok(Ok(text)) => {
                bytes_read += text.len();
                Some(text)
            }
            _ => None,
        });
    }
    Some(pages)
}

/// Characters worth searching: letters and digits that carry a meaning
/// (not U+FFFD, not private use).
pub fn searchable_chars(text: &str) -> usize {
    text.chars()
        .filter(|&c| c.is_alphanumeric() && !crate::extract::without_meaning(c))
        .count()
}

/// Fewer than [`crate::extract::MIN_WORDS_PER_PAGE`] words: a page the
/// first reader may have read badly (see `reader::Glyphs`). A page read well
/// is not read again: the second reader costs as much as the first, and on
/// forms with one blank page it read every page (a 1.3 s file, two thirds
/// of it in the second reader). Counted only as far as needed: pages run to
/// megabytes.
pub fn is_short(text: &str) -> bool {
    crate::extract::words(text)
        .take(crate::extract::MIN_WORDS_PER_PAGE)
        .count()
        < crate::extract::MIN_WORDS_PER_PAGE
}

/// More than one character in ten without a meaning (U+FFFD, private use)
/// for each searchable one; one pass over the characters.
pub fn mostly_without_meaning(text: &str) -> bool {
    let (mut meaningless, mut searchable) = (0usize, 0usize);
    for c in text.chars() {
        if crate::extract::without_meaning(c) {
            meaningless += 1;
        } else if c.is_alphanumeric() {
            searchable += 1;
        }
    }
    meaningless * 10 > searchable
}

/// Whether the second reader's page is clearly better than the first's: it
/// has at least a third more searchable characters, and at least 20 more,
/// or the first has none.
/// On ties the first reader wins: its spacing and reading order were
/// measured the better of the two on Latin text.
pub fn better_page(first: Option<&str>, second: &str) -> bool {
    let theirs = searchable_chars(second);
    match first {
        None => theirs > 0,
        Some(first) => {
            let ours = searchable_chars(first);
            // Anything beats nothing; else clearly more.
            (ours == 0 && theirs > 0) || (theirs >= ours + 20 && theirs * 3 >= ours * 4)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_reader_wins_ties_and_small_gains() {
        let latin = "Lorem ipsum dolor sit amet, consetetur sadipscing elitr";
        assert!(!better_page(Some(latin), latin));
        assert!(!better_page(Some(latin), &format!("{latin} sed diam")));
        assert!(better_page(
            Some("   \n  "),
            "公司深度短期借款交易性金融负债经营性应付款公司深度短期借款"
        ));
        assert!(better_page(None, "x"));
        assert!(better_page(Some(" \n "), "Hello World"));
        assert!(!better_page(None, " \u{FFFD}\u{E000} "));
    }

    #[test]
    fn only_pages_read_badly_are_read_again() {
        let page = "Protection of civilians in armed conflict is a duty of every \
                    party to the conflict, and the Security Council has said so \
                    in many resolutions since the year nineteen ninety nine";
        assert!(!is_short(page) && !mostly_without_meaning(page));
        assert!(is_short("Annex  2"));
        let unmapped = format!("{page} {}", "\u{FFFD}".repeat(30));
        assert!(mostly_without_meaning(&unmapped));
    }

    #[test]
    fn replacement_and_private_use_characters_are_not_searchable() {
        assert_eq!(searchable_chars("ab\u{FFFD}\u{E001} 12"), 4);
    }

    #[test]
    fn what_is_not_a_pdf_is_no_document() {
        let far = Instant::now() + std::time::Duration::from_secs(5);
        assert!(read_pages(b"not a pdf at all", |_| true, far).is_none_or(|p| p.is_empty()));
    }
}
