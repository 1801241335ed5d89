//! Finding a query's words and phrases in a document's text, with byte offsets.
//! The text is analysed with the index's own analysers, so a highlight means
//! exactly what a match means: a quoted phrase is highlighted only where its
//! words stand in order, an unquoted word wherever its stem appears.
//! Snippets and the concordance use it.

use rustc_hash::FxHashMap;

use super::compiler::Highlights;
use super::near::near_matches;
use tantivy::tokenizer::TextAnalyzer;

use crate::text::analysis::{for_each_exact_token, stem_word};
use crate::text::words::is_word;
use crate::text::{AnalysisGroup, LangCode};

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
    /// The analysed (exact) form, as a range of the token buffer.
    exact: (usize, usize),
    /// Which highlighted stem this word has, if any.
    stem_term: Option<usize>,
}

/// Every occurrence of the highlighted words and phrases, in text order, in
/// documents of one language (words match by that language's stems).
pub struct Matcher {
    highlights: Highlights,
    /// The stems of the highlighted words, in the language's analysis: as
    /// written, and folded first when that differs (see
    /// [`crate::text::analysis::QueryStems`]).
    stems: Vec<Vec<String>>,
    /// The group's chain for one word: stems as the index made them.
    words: TextAnalyzer,
    /// In English, a word can have a highlighted stem only if it starts with
    /// that stem less its last two letters (see [`stem_prefix`]): other words
    /// are not stemmed at all. Other languages stem every word.
    stem_prefixes: Option<Vec<String>>,
    /// Word → the highlighted stem it has (if any), kept across the documents
    /// of one result page: each distinct word is stemmed once, and stemming
    /// is the costliest step of a snippet.
    stem_terms: FxHashMap<String, Option<usize>>,
    /// The exact forms of the current text's tokens, end to end: one
    /// allocation per document rather than one per token.
    buffer: String,
    /// The current text in ASCII lower case, where candidate words are
    /// searched: kept from one document to the next, as `buffer` is (a new
    /// copy of every text was a tenth of a concordance's time).
    lower: Vec<u8>,
}

impl Matcher {
    /// A matcher for documents in language `lang`.
    pub fn new(highlights: Highlights, lang: LangCode) -> Self {
        let group = AnalysisGroup::of(lang);
        let mut analyzer = group.query_stems();
        let stems: Vec<Vec<String>> = highlights
            .words
            .iter()
            .filter_map(|w| analyzer.of(w))
            .collect();
        Matcher {
            stem_prefixes: (group == AnalysisGroup::ENGLISH)
                .then(|| stems.iter().flatten().map(|s| stem_prefix(s)).collect()),
            stems,
            highlights,
            words: group.word_analyzer(),
            stem_terms: FxHashMap::default(),
            buffer: String::new(),
            lower: Vec::new(),
        }
    }

    /// The tokens of `text`; stems are looked up only when the query
    /// highlights stemmed words (a phrase-only query needs none).
    fn tokens(&mut self, text: &str) -> Vec<Token> {
        let with_stems = !self.stems.is_empty();
        self.buffer.clear();
        let mut out = Vec::new();
        let (buffer, stem_terms, words, stems) = (
            &mut self.buffer,
            &mut self.stem_terms,
            &mut self.words,
            &self.stems,
        );
        let prefixes = &self.stem_prefixes;
        for_each_exact_token(text, |start, end, position, word| {
            let could_match = prefixes
                .as_ref()
                .is_none_or(|p| p.iter().any(|p| word.starts_with(p.as_str())));
            let stem_term = if with_stems && could_match {
                // Stems come from the word as written (the stemmer sees
                // accents), so the cache is keyed by it.
                let raw = &text[start..end];
                match stem_terms.get(raw) {
                    Some(term) => *term,
                    None => {
                        // A word may have two stems (as written, folded
                        // first): either may be the query's.
                        let term = stem_word(words, raw)
                            .iter()
                            .find_map(|st| stems.iter().position(|s| s.contains(st)));
                        stem_terms.insert(raw.to_string(), term);
                        term
                    }
                }
            } else {
                None
            };
            let at = buffer.len();
            buffer.push_str(word);
            out.push(Token {
                start,
                end,
                position,
                exact: (at, buffer.len()),
                stem_term,
            });
        });
        out
    }

    pub fn find(&mut self, text: &str) -> Vec<Match> {
        if self.highlights.is_empty() {
            return Vec::new();
        }
        let Some(windows) = self.candidate_windows(text) else {
            return self.find_in(text, 0);
        };
        let mut matches = Vec::new();
        for (from, to) in windows {
            matches.extend(self.find_in(&text[from..to], from));
        }
        matches.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end), m.term));
        matches.dedup();
        matches
    }

    /// The stretches of the text that can hold a match, each starting at a
    /// word that could be a phrase's first word or have a highlighted stem,
    /// and reaching as many words beyond it as the longest phrase has.
    /// Tokenizing those instead of the whole text makes snippets, the
    /// concordance and occurrence counts several times cheaper. A word could
    /// be a phrase's first word when it is that word in ASCII (whole, any
    /// case); it could have an English stem when it starts with the stem's
    /// prefix ([`stem_prefix`]); and a word with a letter beyond ASCII could
    /// be either (it may fold to one: "Sécurity", "ｓｅｃｕｒｉｔｙ"). That is
    /// a superset of the matches, which the tokenizer then checks. Proximity
    /// queries, and stems in other languages (no prefix rule), take the full
    /// scan.
    fn candidate_windows(&mut self, text: &str) -> Option<Vec<(usize, usize)>> {
        if !self.highlights.near.is_empty() {
            return None;
        }
        // (what a candidate word starts with, whether it is the whole word)
        let mut needles: Vec<(&str, bool)> = self
            .highlights
            .phrases
            .iter()
            .filter_map(|p| p.first().map(|w| (w.as_str(), true)))
            .collect();
        if !self.stems.is_empty() {
            let prefixes = self.stem_prefixes.as_ref()?;
            needles.extend(prefixes.iter().map(|p| (p.as_str(), false)));
        }
        if needles.is_empty() || needles.iter().any(|(w, _)| w.is_empty() || !w.is_ascii()) {
            return None;
        }
        let longest = self
            .highlights
            .phrases
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(1)
            .max(1);
        self.lower.clear();
        self.lower.extend_from_slice(text.as_bytes());
        self.lower.make_ascii_lowercase();
        let lower = &self.lower;
        let word_before = |at: usize| text[..at].chars().next_back().is_some_and(is_word);
        let word_after = |at: usize| text[at..].chars().next().is_some_and(is_word);
        let mut windows = Vec::new();
        for (word, whole) in needles {
            for at in memchr::memmem::find_iter(lower, word.as_bytes()) {
                if word_before(at) || (whole && word_after(at + word.len())) {
                    continue;
                }
                windows.push((at, words_end(text, at, longest)));
            }
        }
        if !text.is_ascii() {
            for start in words_beyond_ascii(text) {
                windows.push((start, words_end(text, start, longest)));
            }
        }
        windows.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(windows.len());
        for (from, to) in windows {
            match merged.last_mut() {
                Some(last) if from <= last.1 => last.1 = last.1.max(to),
                _ => merged.push((from, to)),
            }
        }
        Some(merged)
    }

    /// Matches in `text`, a stretch of the document starting at byte `base`.
    fn find_in(&mut self, text: &str, base: usize) -> Vec<Match> {
        let tokens = self.tokens(text);
        let buffer = &self.buffer;
        let word = |t: &Token| &buffer[t.exact.0..t.exact.1];
        let mut matches = Vec::new();
        let stems = self.stems.len();
        for (i, token) in tokens.iter().enumerate() {
            if let Some(term) = token.stem_term {
                matches.push(Match {
                    start: base + token.start,
                    end: base + token.end,
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
                        .all(|(k, (t, w))| word(t) == w && t.position == token.position + k)
                {
                    matches.push(Match {
                        start: base + token.start,
                        end: base + tokens[i + n - 1].end,
                        term: stems + p,
                    });
                }
            }
        }
        let phrases = self.highlights.phrases.len();
        for (n, (words, slop)) in self.highlights.near.iter().enumerate() {
            // Each slot's positions, then the matches the index counts too.
            let slots: Vec<Vec<u32>> = words
                .iter()
                .map(|w| {
                    tokens
                        .iter()
                        .filter(|t| word(t) == w)
                        .map(|t| t.position as u32)
                        .collect()
                })
                .collect();
            let slots: Vec<&[u32]> = slots.iter().map(Vec::as_slice).collect();
            for (first, last) in near_matches(&slots, *slop) {
                let at = |position: u32| {
                    tokens
                        .binary_search_by_key(&(position as usize), |t| t.position)
                        .ok()
                        .map(|i| &tokens[i])
                };
                if let (Some(a), Some(b)) = (at(first), at(last)) {
                    matches.push(Match {
                        start: base + a.start,
                        end: base + b.end,
                        term: stems + phrases + n,
                    });
                }
            }
        }
        matches.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        matches
    }
}

/// One matcher per language met, for results in several languages.
pub struct Matchers {
    highlights: Highlights,
    /// By analysis group: languages that share an analysis share a matcher.
    by_group: FxHashMap<AnalysisGroup, Matcher>,
}

impl Matchers {
    pub fn new(highlights: Highlights) -> Self {
        Matchers {
            highlights,
            by_group: FxHashMap::default(),
        }
    }

    pub fn for_lang(&mut self, lang: LangCode) -> &mut Matcher {
        self.by_group
            .entry(AnalysisGroup::of(lang))
            .or_insert_with(|| Matcher::new(self.highlights.clone(), lang))
    }
}

/// Where the word run starting at `start` (or the next one) and the
/// `words - 1` runs after it end: words as the tokenizer splits them
/// (runs of [`is_word`] characters; a run of paired script makes several
/// tokens, so the stretch is never shorter than `words` tokens).
fn words_end(text: &str, start: usize, words: usize) -> usize {
    let mut seen = 0;
    let mut in_word = false;
    for (i, c) in text[start..].char_indices() {
        let w = is_word(c);
        if in_word && !w {
            seen += 1;
            if seen == words {
                return start + i;
            }
        }
        in_word = w;
    }
    text.len()
}

/// The starts of the word runs that hold a character beyond ASCII. Found
/// from the bytes beyond ASCII (rare in most texts), not by walking every
/// character: this runs over every matching document's whole text.
fn words_beyond_ascii(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = Vec::new();
    let mut at = 0;
    while let Some(offset) = first_beyond_ascii(&bytes[at..]) {
        let wide = at + offset;
        // `wide` starts a character: `at` is always at one, and the bytes
        // before `wide` are ASCII.
        let c = text[wide..].chars().next().unwrap_or(' ');
        let mut next = wide + c.len_utf8();
        if is_word(c) {
            let start = text[..wide]
                .char_indices()
                .rev()
                .take_while(|(_, c)| is_word(*c))
                .last()
                .map_or(wide, |(i, _)| i);
            if starts.last() != Some(&start) {
                starts.push(start);
            }
            // On to the end of the run.
            next += text[next..]
                .char_indices()
                .find(|(_, c)| !is_word(*c))
                .map_or(text.len() - next, |(i, _)| i);
        }
        at = next;
    }
    starts
}

/// Where the first byte beyond ASCII is. Whole blocks of ASCII are passed
/// over with one test each (an OR of the block, which the compiler turns
/// into vector instructions): a byte-by-byte search was a fifth of a
/// concordance's time, over texts that are nearly all ASCII.
fn first_beyond_ascii(bytes: &[u8]) -> Option<usize> {
    const BLOCK: usize = 32;
    let mut blocks = bytes.chunks_exact(BLOCK);
    let mut offset = 0;
    for block in &mut blocks {
        if block.iter().fold(0, |any, &b| any | b) >= 0x80 {
            break;
        }
        offset += BLOCK;
    }
    bytes[offset..]
        .iter()
        .position(|&b| b >= 0x80)
        .map(|i| offset + i)
}

/// What every word with this English (Porter2) stem starts with: the stem
/// less its last two letters (at least one). Porter2 only removes or rewrites
/// endings (`happy` → `happi`, `cries` → `cri`, `dying` → `die`), so this
/// holds; `tests/real_corpus.rs` checks it on all 136,699 distinct words of
/// the shared corpus.
pub fn stem_prefix(stem: &str) -> String {
    let chars: Vec<char> = stem.chars().collect();
    let keep = chars.len().saturating_sub(2).max(1).min(chars.len());
    chars[..keep].iter().collect()
}

/// A short passage of a document around its best matches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
            // After the white space: it may be wider than a byte (U+0085, U+3000).
            start = text[..start]
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_whitespace())
                .map(|(i, c)| i + c.len_utf8())
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
    use crate::search::compiler::QueryCompiler;
    use crate::search::grammar::parse_query;

    #[test]
    fn the_first_byte_beyond_ascii_is_found_wherever_it_stands() {
        assert_eq!(first_beyond_ascii(b""), None);
        assert_eq!(first_beyond_ascii("a".repeat(100).as_bytes()), None);
        for length in [1, 31, 32, 33, 64, 95] {
            for at in 0..length {
                let mut text = "a".repeat(length).into_bytes();
                text[at] = 0xC3;
                if at + 1 < length {
                    text[at + 1] = 0xA9;
                }
                assert_eq!(first_beyond_ascii(&text), Some(at), "{length} {at}");
            }
        }
    }

    fn matcher(query: &str) -> Matcher {
        let (_, fields) = crate::index::schema::build_schema();
        let node = parse_query(query).unwrap();
        Matcher::new(
            QueryCompiler::new(fields, &[AnalysisGroup::ENGLISH], Default::default())
                .highlights(&node),
            LangCode::ENGLISH,
        )
    }

    #[test]
    fn a_snippet_starts_after_white_space_of_any_width() {
        // Found by fuzzing: NEL (U+0085) is white space of two bytes.
        for space in ["\u{85}", "\u{3000}", " "] {
            let text = format!("{space}{} needle after", "x".repeat(15));
            let matches = matcher("needle").find(&text);
            let snippet = make_snippet(&text, &matches, 60);
            assert!(snippet.text.contains("needle"), "{snippet:?}");
        }
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
    fn the_windowed_scan_finds_what_the_full_scan_finds() {
        // Random texts from a small vocabulary with the phrase words, case
        // changes, punctuation, long words and runs of separators.
        let words = [
            "human",
            "Human",
            "HUMAN",
            "security",
            "Security",
            "inhuman",
            "humans",
            "of",
            "protection",
            "civilians",
            "the",
            "x",
            "’",
            "—",
            "\n\n",
            ",",
            "humanity",
            "securityx",
            "hu-man",
            "human-security",
            "Sécurité",
            "SÉCURITY",
            "ｓｅｃｕｒｉｔｙ",
            "Ｈｕｍａｎ",
            "securities",
            "Secured",
            "HUMAN",
            "humans",
            "civilian",
            "naïve",
        ];
        let mut next = crate::search::test_random(0x2545_f491_u64);
        for round in 0..300 {
            let mut text = String::new();
            for _ in 0..next(400) {
                text.push_str(words[next(words.len())]);
                text.push_str([" ", "  ", "\t", ". ", " (", ") "][next(6)]);
                if next(50) == 0 {
                    text.push_str(&"y".repeat(70));
                    text.push(' ');
                }
                if next(200) == 0 {
                    text.push_str(&" ".repeat(5000));
                }
            }
            for query in [
                "\"human security\"",
                "\"protection of civilians\"",
                "\"human\" \"security\"",
                "\"of\"",
                "security",
                "human civilians",
                "securities \"human security\"",
            ] {
                let mut windowed = matcher(query);
                let mut full = matcher(query);
                assert!(windowed.candidate_windows(&text).is_some());
                let expected = {
                    let mut m = full.find_in(&text, 0);
                    m.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end), m.term));
                    m.dedup();
                    m
                };
                assert_eq!(windowed.find(&text), expected, "round {round}, {query}");
            }
        }
        // Text with letters beyond ASCII is windowed too; a proximity
        // query takes the full scan.
        assert!(
            matcher("\"human security\"")
                .candidate_windows("Sécurité human security")
                .is_some()
        );
        assert!(
            matcher("\"human security\"~3")
                .candidate_windows("human security")
                .is_none()
        );
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
