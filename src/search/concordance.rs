//! The concordance (key word in context): every occurrence of a query with
//! the words around it, or occurrences per document. Rendering the lines
//! aligned on the match is `views::kwic`'s job.

use serde::Serialize;

use super::SearchRequest;
use super::occurrences::for_each_match;
use super::pages::PageBreaks;
use crate::Result;
use crate::index::DossierIndex;

/// The order of concordance lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KwicSort {
    /// By document id, then position in the document.
    #[default]
    Document,
    /// By year (unknown last), then document.
    Year,
    /// By the words just left of the match, nearest first.
    Left,
    /// By the words just right of the match.
    Right,
}

#[derive(Debug, Clone, Serialize)]
pub struct KwicLine {
    pub id: String,
    pub year: Option<u64>,
    pub page: Option<u32>,
    pub left: String,
    #[serde(rename = "match")]
    pub matched: String,
    pub right: String,
    /// Byte offset of the match in the document, for ordering.
    #[serde(skip)]
    pub offset: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentCount {
    pub id: String,
    pub count: usize,
}

/// All concordance lines of a request, sorted.
pub fn concordance(
    index: &DossierIndex,
    request: &SearchRequest,
    width: usize,
    sort: KwicSort,
) -> Result<Vec<KwicLine>> {
    let mut per_document = for_each_match(index, request, |occ| {
        let body = occ.document.body;
        let pages = PageBreaks::new(body);
        occ.matches
            .iter()
            .map(|m| KwicLine {
                id: occ.document.id.clone(),
                year: occ.document.year,
                page: pages.page_at(m.start),
                left: left_context(&body[..m.start], width),
                matched: fold_whitespace(&body[m.start..m.end]),
                right: right_context(&body[m.end..], width),
                offset: m.start,
            })
            .collect::<Vec<_>>()
    })?;
    if sort == KwicSort::Document {
        // Each document's lines come in text order: ordering the documents
        // leaves the sort below one pass over lines already in order.
        per_document.sort_by(|a, b| a.first().map(|l| &l.id).cmp(&b.first().map(|l| &l.id)));
    }
    let mut lines = Vec::with_capacity(per_document.iter().map(Vec::len).sum());
    lines.extend(per_document.into_iter().flatten());
    match sort {
        KwicSort::Document => lines.sort_by(|a, b| (&a.id, a.offset).cmp(&(&b.id, b.offset))),
        KwicSort::Year => lines.sort_by(|a, b| {
            (a.year.unwrap_or(u64::MAX), &a.id, a.offset).cmp(&(
                b.year.unwrap_or(u64::MAX),
                &b.id,
                b.offset,
            ))
        }),
        KwicSort::Left => {
            lines.sort_by_cached_key(|l| (left_sort_key(&l.left), l.id.clone(), l.offset))
        }
        KwicSort::Right => {
            lines.sort_by_cached_key(|l| (l.right.to_lowercase(), l.id.clone(), l.offset))
        }
    }
    Ok(lines)
}

/// Occurrences per document, most first.
pub fn counts(index: &DossierIndex, request: &SearchRequest) -> Result<Vec<DocumentCount>> {
    let mut counts: Vec<DocumentCount> = for_each_match(index, request, |occ| DocumentCount {
        id: occ.document.id,
        count: occ.matches.len(),
    })?
    .into_iter()
    .filter(|c| c.count > 0)
    .collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then(a.id.cmp(&b.id)));
    Ok(counts)
}

/// The words left of a match, nearest first, lower case, punctuation left
/// out: "the Council, (" sorts under "council" as a reader expects, not
/// before every word because of its bracket.
fn left_sort_key(left: &str) -> Vec<String> {
    left.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .rev()
        .map(str::to_lowercase)
        .collect()
}

/// `text` with each run of white space one space, ends trimmed: one pass,
/// one allocation (a concordance folds three pieces of every line).
fn fold_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// How far from a match its context is looked for: `width` characters of
/// up to four bytes, and some white space to fold.
fn reach(width: usize) -> usize {
    width * 4 + 16
}

/// The last `width` characters before a match, white space folded (each run
/// one space; one kept at the end, none at the start), within
/// [`reach`] bytes of it. Walked back from the match, character by
/// character, only as far as the context goes: folding the whole reach and
/// cutting it was a tenth of a concordance's time.
fn left_context(before: &str, width: usize) -> String {
    let mut start = before.len().saturating_sub(reach(width));
    while !before.is_char_boundary(start) {
        start -= 1;
    }
    let window = &before[start..];
    let mut chars = window.chars().rev().peekable();
    // White space just before the match is one space, if a word precedes it.
    let mut trailing = false;
    while chars.next_if(|c| c.is_whitespace()).is_some() {
        trailing = true;
    }
    if width == 0 || chars.peek().is_none() {
        return String::new();
    }
    let wanted = width - usize::from(trailing);
    let mut reversed: Vec<char> = Vec::with_capacity(width);
    let mut space = false;
    for c in chars {
        if reversed.len() == wanted {
            break;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            reversed.push(' ');
            space = false;
            if reversed.len() == wanted {
                break;
            }
        }
        reversed.push(c);
    }
    let mut out: String = reversed.iter().rev().collect();
    if trailing {
        out.push(' ');
    }
    out
}

/// The first `width` characters after a match, white space folded, within
/// [`reach`] bytes of it.
fn right_context(after: &str, width: usize) -> String {
    let mut end = after.len().min(reach(width));
    while !after.is_char_boundary(end) {
        end -= 1;
    }
    let mut chars = after[..end].chars().peekable();
    let mut leading = false;
    while chars.next_if(|c| c.is_whitespace()).is_some() {
        leading = true;
    }
    if width == 0 || chars.peek().is_none() {
        return String::new();
    }
    let mut out = String::with_capacity(width + 8);
    let mut count = 0;
    if leading {
        out.push(' ');
        count += 1;
    }
    let mut space = false;
    for c in chars {
        if count == width {
            break;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
            count += 1;
            if count == width {
                break;
            }
        }
        out.push(c);
        count += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_left_sort_reads_words_not_punctuation() {
        assert_eq!(left_sort_key("in the Council, ("), ["council", "the", "in"]);
        assert_eq!(left_sort_key("— «"), Vec::<String>::new());
        let mut lefts = ["said (", "about", "the Council,"];
        lefts.sort_by_key(|l| left_sort_key(l));
        assert_eq!(lefts, ["about", "the Council,", "said ("]);
    }

    /// The contexts as first written: fold the whole reach, then cut.
    fn folded_then_cut(before: &str, after: &str, width: usize) -> (String, String) {
        let mut start = before.len().saturating_sub(reach(width));
        while !before.is_char_boundary(start) {
            start -= 1;
        }
        let mut left = fold_whitespace(&before[start..]);
        if before[start..].ends_with(char::is_whitespace) && !left.is_empty() {
            left.push(' ');
        }
        let left = match left.char_indices().rev().nth(width.saturating_sub(1)) {
            Some((at, _)) if width > 0 => left.split_off(at),
            Some(_) => String::new(),
            None => left,
        };
        let mut end = after.len().min(reach(width));
        while !after.is_char_boundary(end) {
            end -= 1;
        }
        let mut right = fold_whitespace(&after[..end]);
        if after.starts_with(char::is_whitespace) && !right.is_empty() {
            right.insert(0, ' ');
        }
        if let Some((at, _)) = right.char_indices().nth(width) {
            right.truncate(at);
        }
        (left, right)
    }

    #[test]
    fn contexts_walked_from_the_match_are_those_folded_whole() {
        // Words, runs of white space of every kind, characters of two to
        // four bytes, texts longer and shorter than the reach.
        let pieces = [
            "a", "Council", " ", "  ", "\n\n", "\t", "\u{a0}", "é", "中文", "😀", ",", "\u{c}",
        ];
        let mut next = crate::search::test_random(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let text: String = (0..next(60)).map(|_| pieces[next(pieces.len())]).collect();
            let width = next(14);
            let expected = folded_then_cut(&text, &text, width);
            assert_eq!(
                (left_context(&text, width), right_context(&text, width)),
                expected,
                "{text:?} {width}"
            );
        }
    }

    #[test]
    fn contexts_fold_and_cut() {
        assert_eq!(left_context("one two\n\nthree   ", 10), "two three ");
        assert_eq!(right_context(" four\nfive six", 9), " four fiv");
        assert_eq!(left_context("", 5), "");
        assert_eq!(left_context("é".repeat(50).as_str(), 3), "ééé");
        assert_eq!(left_context("abc", 0), "");
        assert_eq!(left_context("ab", 5), "ab");
        assert_eq!(right_context("abc", 0), "");
        assert_eq!(right_context(" ab", 5), " ab");
        assert_eq!(right_context("éèê", 2), "éè");
    }
}
