//! Finding a query's words and phrases in a document's text, with byte offsets.
//! The text is analysed with the index's own analysers, so a highlight means
//! exactly what a match means: a quoted phrase is highlighted only where its
//! words stand in order, an unquoted word wherever its stem appears.
//! Snippets use this now; the concordance will count with it.

use tantivy::tokenizer::TextAnalyzer;

use super::query::Highlights;
use crate::index::schema::{exact_analyzer, stem_analyzer};

/// One occurrence: byte range in the text, and which query term it is
/// (index into stems, then phrases).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub term: usize,
}

struct Token {
    start: usize,
    end: usize,
    /// Position as the index records it: a dropped over-long token leaves a gap.
    position: usize,
    exact: String,
    stem: String,
}

fn tokens(text: &str, exact: &mut TextAnalyzer, stem: &mut TextAnalyzer) -> Vec<Token> {
    let mut out = Vec::new();
    let mut stream = exact.token_stream(text);
    while let Some(t) = stream.next() {
        out.push(Token {
            start: t.offset_from,
            end: t.offset_to,
            position: t.position,
            exact: t.text.clone(),
            stem: String::new(),
        });
    }
    // Same tokenizer and filters but the stemmer: the streams align one to one.
    let mut stream = stem.token_stream(text);
    let mut i = 0;
    while let Some(t) = stream.next() {
        if let Some(token) = out.get_mut(i) {
            token.stem = t.text.clone();
        }
        i += 1;
    }
    out
}

/// Every occurrence of the highlighted words and phrases, in text order.
pub struct Matcher {
    highlights: Highlights,
    exact: TextAnalyzer,
    stem: TextAnalyzer,
}

impl Matcher {
    pub fn new(highlights: Highlights) -> Self {
        Matcher {
            highlights,
            exact: exact_analyzer(),
            stem: stem_analyzer(),
        }
    }

    pub fn find(&mut self, text: &str) -> Vec<Match> {
        if self.highlights.is_empty() {
            return Vec::new();
        }
        let tokens = tokens(text, &mut self.exact, &mut self.stem);
        let mut matches = Vec::new();
        let stems = &self.highlights.stems;
        for (i, token) in tokens.iter().enumerate() {
            if let Some(term) = stems.iter().position(|s| *s == token.stem) {
                matches.push(Match {
                    start: token.start,
                    end: token.end,
                    term,
                });
            }
            for (p, phrase) in self.highlights.phrases.iter().enumerate() {
                let n = phrase.len();
                if n > 0
                    && i + n <= tokens.len()
                    && tokens[i..i + n]
                        .iter()
                        .zip(phrase)
                        .enumerate()
                        .all(|(k, (t, w))| t.exact == *w && t.position == token.position + k)
                {
                    matches.push(Match {
                        start: token.start,
                        end: tokens[i + n - 1].end,
                        term: stems.len() + p,
                    });
                }
            }
        }
        matches.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        matches
    }
}

/// A short passage of a document around its best matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    /// Byte ranges in `text` to highlight, in order, not overlapping.
    pub highlights: Vec<(usize, usize)>,
    /// Byte offset, in the document, of the first match shown: where the
    /// snippet's page is read.
    pub anchor: Option<usize>,
}

/// Picks the passage of about `max_bytes` with the most distinct query terms,
/// folds its white space, and maps the matches into it. Without matches, the
/// opening of the text.
pub fn make_snippet(text: &str, matches: &[Match], max_bytes: usize) -> Snippet {
    let (start, end) = if matches.is_empty() {
        (0, floor_boundary(text, max_bytes.min(text.len())))
    } else {
        let best = best_window(matches, max_bytes);
        let anchor = matches[best].start;
        // Some context before the first match, starting at a word.
        let lead = max_bytes / 5;
        let mut start = floor_boundary(text, anchor.saturating_sub(lead));
        if start > 0 {
            start = text[..start]
                .rfind(char::is_whitespace)
                .map(|i| i + 1)
                .filter(|i| anchor - *i <= lead * 2)
                .unwrap_or(start);
        }
        let mut end = floor_boundary(text, (start + max_bytes).min(text.len()));
        if end < text.len()
            && let Some(space) = text[start..end].rfind(char::is_whitespace)
            && start + space > anchor
        {
            end = start + space;
        }
        (start, end)
    };

    let mut out = String::with_capacity(end - start + 8);
    let mut highlights = Vec::new();
    if start > 0 {
        out.push('…');
    }
    let inside: Vec<&Match> = matches
        .iter()
        .filter(|m| m.start >= start && m.end <= end)
        .collect();
    let mut open: Option<usize> = None;
    let mut covered_until = 0usize;
    let mut next = 0usize;
    let mut last_space = out.is_empty() || out.ends_with('…');
    for (offset, c) in text[start..end].char_indices() {
        let at = start + offset;
        if let Some(open_at) = open
            && at >= covered_until
        {
            highlights.push((open_at, out.trim_end().len()));
            open = None;
        }
        while next < inside.len() && inside[next].end <= at {
            next += 1;
        }
        if open.is_none() && next < inside.len() && inside[next].start == at {
            open = Some(out.len());
            covered_until = inside[next].end;
            // Overlapping matches extend the highlight.
            let mut k = next;
            while k < inside.len() && inside[k].start < covered_until {
                covered_until = covered_until.max(inside[k].end);
                k += 1;
            }
        }
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
        } else {
            out.push(c);
            last_space = false;
        }
    }
    if let Some(open_at) = open {
        highlights.push((open_at, out.trim_end().len()));
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    if end < text.len() {
        out.push('…');
    }
    Snippet {
        text: out,
        highlights,
        anchor: inside.first().map(|m| m.start),
    }
}

/// Index of the match that starts the window with the most distinct terms
/// (then the most matches).
fn best_window(matches: &[Match], max_bytes: usize) -> usize {
    let mut best = (0usize, 0usize, 0usize);
    let mut seen = Vec::new();
    for (i, m) in matches.iter().enumerate() {
        seen.clear();
        let mut count = 0;
        for other in &matches[i..] {
            if other.end > m.start + max_bytes {
                break;
            }
            count += 1;
            if !seen.contains(&other.term) {
                seen.push(other.term);
            }
        }
        if (seen.len(), count) > (best.1, best.2) {
            best = (i, seen.len(), count);
        }
    }
    best.0
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::{QueryCompiler, parse_query};

    fn matcher(query: &str) -> Matcher {
        let (_, fields) = crate::index::schema::build_schema();
        let node = parse_query(query).unwrap();
        Matcher::new(QueryCompiler::new(fields).highlights(&node))
    }

    fn matched<'a>(text: &'a str, query: &str) -> Vec<&'a str> {
        matcher(query)
            .find(text)
            .iter()
            .map(|m| &text[m.start..m.end])
            .collect()
    }

    #[test]
    fn phrases_match_exact_words_in_order() {
        let text = "Human security matters. Humans securing borders is not human\nsecurity. Security, human.";
        assert_eq!(
            matched(text, "\"human security\""),
            ["Human security", "human\nsecurity"]
        );
        assert_eq!(
            matched(text, "securing"),
            ["security", "securing", "security", "Security"]
        );
        assert_eq!(matched(text, "borders -human"), ["borders"]);
    }

    #[test]
    fn a_dropped_long_token_breaks_a_phrase_as_in_the_index() {
        let text = format!("human {} security", "x".repeat(100));
        assert!(matched(&text, "\"human security\"").is_empty());
    }

    #[test]
    fn snippet_highlights_inside_folded_text() {
        let text = format!(
            "{} The protection   of\ncivilians is central. {}",
            "filler ".repeat(80),
            "tail ".repeat(80)
        );
        let mut m = matcher("\"protection of civilians\"");
        let found = m.find(&text);
        let snippet = make_snippet(&text, &found, 120);
        assert_eq!(snippet.highlights.len(), 1);
        let (a, b) = snippet.highlights[0];
        assert_eq!(&snippet.text[a..b], "protection of civilians");
        assert!(
            snippet.text.starts_with('…') && snippet.text.ends_with('…'),
            "{}",
            snippet.text
        );
        assert!(snippet.text.len() <= 130);
    }

    #[test]
    fn snippet_without_matches_is_the_opening() {
        let snippet = make_snippet("Short text.", &[], 100);
        assert_eq!(snippet.text, "Short text.");
        assert!(snippet.highlights.is_empty());
    }
}
