//! How text becomes index terms, in every language.
//!
//! One word splitter serves all languages: runs of letters, digits and
//! combining marks are words, and scripts written without spaces between
//! words (Chinese, Japanese kana, Thai, Lao, Khmer, Burmese) become
//! overlapping pairs of characters, as Lucene's CJK analyser does: without a
//! dictionary, a pair is the smallest unit that still finds a word, and a
//! quoted phrase is then its pairs in order, so phrases stay exact in every
//! language. Words are lower-cased and folded (Latin accents, combining
//! marks, Arabic vowel marks and letter variants, Cyrillic ё), then stemmed
//! with the document's language's Snowball stemmer.
//!
//! Each language with a stemmer has its own pair of ranking fields
//! (`title_<code>`, `text_<code>`): BM25 statistics (how rare a word is, how
//! long documents are) are then per language, and a query is analysed once
//! per language the index holds. Languages without a stemmer share
//! `title_other` and `text_other`, not stemmed; documents whose language was
//! not told are analysed as English. The exact fields for quoted phrases are
//! shared by all languages: exact text needs no language.

use frostem::Algorithm;
use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, TextAnalyzer, Token, TokenFilter,
    TokenStream, Tokenizer,
};

use super::stem_cache::{CachedStemmer, WordStemmer};
use crate::extract::lang::UNDETERMINED;

/// Tokens longer than this are dropped: base64 blobs and runaway strings are
/// not words, and they bloat the term dictionary.
pub const MAX_TOKEN_BYTES: usize = 64;

pub const EXACT_TOKENIZER: &str = "dossier_exact";

/// An analysis group: the languages whose documents share ranking fields and
/// an analyser. One per stemmed language, and [`OTHER`] for the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group {
    /// ISO 639-1 code of the language, or `other`.
    pub code: &'static str,
    pub name: &'static str,
    pub stemmer: Option<Algorithm>,
}

impl Group {
    pub fn tokenizer_name(&self) -> String {
        format!("dossier_stem_{}", self.code)
    }

    /// The stemmed analyser of this group's ranking fields.
    pub fn analyzer(&self) -> TextAnalyzer {
        let builder = TextAnalyzer::builder(WordTokenizer)
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(ScriptFold);
        match self.stemmer {
            Some(algorithm) => builder.filter(CachedStemmer::new(algorithm)).build(),
            None => builder.build(),
        }
    }
}

/// Stemmed languages: the UN's (but Chinese, which has no stems), NATO's, and
/// every other language that both the detector recognises and Snowball stems.
pub const GROUPS: &[Group] = &[
    group("en", "English", Some(Algorithm::English)),
    group("fr", "French", Some(Algorithm::French)),
    group("es", "Spanish", Some(Algorithm::Spanish)),
    group("ru", "Russian", Some(Algorithm::Russian)),
    group("ar", "Arabic", Some(Algorithm::Arabic)),
    group("de", "German", Some(Algorithm::German)),
    group("it", "Italian", Some(Algorithm::Italian)),
    group("pt", "Portuguese", Some(Algorithm::Portuguese)),
    group("nl", "Dutch", Some(Algorithm::Dutch)),
    group("da", "Danish", Some(Algorithm::Danish)),
    group("no", "Norwegian", Some(Algorithm::Norwegian)),
    group("sv", "Swedish", Some(Algorithm::Swedish)),
    group("fi", "Finnish", Some(Algorithm::Finnish)),
    group("et", "Estonian", Some(Algorithm::Estonian)),
    group("lt", "Lithuanian", Some(Algorithm::Lithuanian)),
    group("hu", "Hungarian", Some(Algorithm::Hungarian)),
    group("ro", "Romanian", Some(Algorithm::Romanian)),
    group("pl", "Polish", Some(Algorithm::Polish)),
    group("cs", "Czech", Some(Algorithm::Czech)),
    group("sr", "Serbian", Some(Algorithm::Serbian)),
    group("el", "Greek", Some(Algorithm::Greek)),
    group("tr", "Turkish", Some(Algorithm::Turkish)),
    group("ca", "Catalan", Some(Algorithm::Catalan)),
    group("hy", "Armenian", Some(Algorithm::Armenian)),
    group("hi", "Hindi", Some(Algorithm::Hindi)),
    group("ne", "Nepali", Some(Algorithm::Nepali)),
    group("fa", "Persian", Some(Algorithm::Persian)),
    group("id", "Indonesian", Some(Algorithm::Indonesian)),
    group("ta", "Tamil", Some(Algorithm::Tamil)),
    group("yi", "Yiddish", Some(Algorithm::Yiddish)),
    group("eo", "Esperanto", Some(Algorithm::Esperanto)),
    OTHER,
];

/// Every language without a stemmer: words lower-cased and folded only.
pub const OTHER: Group = group("other", "other languages (not stemmed)", None);

const fn group(code: &'static str, name: &'static str, stemmer: Option<Algorithm>) -> Group {
    Group {
        code,
        name,
        stemmer,
    }
}

/// The group index of a language code (`fr`, `zh`…). A document whose
/// language could not be told (`und`: most often a short one) is analysed as
/// English, the language most of a NATO and UN library is written in, as
/// every document was before languages were told apart.
pub fn group_of(lang: &str) -> usize {
    let lang = if lang == UNDETERMINED || lang.is_empty() {
        "en"
    } else {
        lang
    };
    GROUPS
        .iter()
        .position(|g| g.code == lang && g.stemmer.is_some())
        .unwrap_or(GROUPS.len() - 1)
}

/// Registers every analyser; custom tokenizers are not stored in the index,
/// so this runs each time an index is opened.
pub fn register_tokenizers(index: &Index) {
    for group in GROUPS {
        index
            .tokenizers()
            .register(&group.tokenizer_name(), group.analyzer());
    }
    index
        .tokenizers()
        .register(EXACT_TOKENIZER, exact_analyzer());
}

/// The analyser of the exact fields: the same words as every group's,
/// folded, not stemmed.
pub fn exact_analyzer() -> TextAnalyzer {
    OTHER.analyzer()
}

/// The analysed tokens of `text`, as the index sees them.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while let Some(token) = stream.next() {
        tokens.push(token.text.clone());
    }
    tokens
}

/// Characters of scripts written without spaces between words: each run is
/// indexed as overlapping pairs.
fn is_paired(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0EFF}' // Thai, Lao
        | '\u{1000}'..='\u{109F}' // Myanmar
        | '\u{1780}'..='\u{17FF}' // Khmer
        | '\u{3040}'..='\u{30FF}' // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
        | '\u{FF66}'..='\u{FF9F}' // half-width Katakana
        | '\u{20000}'..='\u{2FFFF}' // CJK extensions B–F
    )
}

/// Letters, digits, and the marks that belong inside a word (accents written
/// apart, Arabic and Hebrew vowel marks, Indic vowel signs and viramas).
pub fn is_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric()
        || matches!(c,
            '\u{0300}'..='\u{036F}'
            | '\u{0483}'..='\u{0489}'
            | '\u{0591}'..='\u{05BD}'
            | '\u{05BF}' | '\u{05C1}' | '\u{05C2}' | '\u{05C4}' | '\u{05C5}' | '\u{05C7}'
            | '\u{0610}'..='\u{061A}'
            | '\u{064B}'..='\u{065F}'
            | '\u{0670}'
            | '\u{06D6}'..='\u{06DC}'
            | '\u{06DF}'..='\u{06E4}'
            | '\u{06E7}' | '\u{06E8}'
            | '\u{06EA}'..='\u{06ED}')
        || (('\u{0900}'..='\u{0DFF}').contains(&c)
            && !matches!(c, '\u{0964}' | '\u{0965}' | '\u{0970}' | '\u{0DF4}'))
}

/// Byte ranges of the tokens of `text`, in order: words, and pairs within
/// runs of paired scripts (a run of one character is one token).
pub struct Segments<'a> {
    text: &'a str,
    at: usize,
    /// Inside a run of paired characters: where the previous one starts, and
    /// whether a pair was already given.
    run: Option<(usize, bool)>,
}

impl<'a> Segments<'a> {
    pub fn new(text: &'a str) -> Self {
        Segments {
            text,
            at: 0,
            run: None,
        }
    }
}

impl Iterator for Segments<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let bytes = self.text.as_bytes();
        loop {
            // ASCII outside a run: skip separators, take a word, byte by byte.
            if self.run.is_none() {
                while self.at < bytes.len()
                    && bytes[self.at] < 0x80
                    && !bytes[self.at].is_ascii_alphanumeric()
                {
                    self.at += 1;
                }
            }
            let c = self.text[self.at..].chars().next();
            if let Some((previous, paired)) = self.run {
                match c {
                    Some(c) if is_paired(c) => {
                        let end = self.at + c.len_utf8();
                        self.run = Some((self.at, true));
                        self.at = end;
                        return Some((previous, end));
                    }
                    _ => {
                        self.run = None;
                        if !paired {
                            return Some((previous, self.at));
                        }
                        continue;
                    }
                }
            }
            let c = c?;
            let start = self.at;
            self.at += c.len_utf8();
            if is_paired(c) {
                self.run = Some((start, false));
            } else if is_word(c) {
                while self.at < bytes.len() {
                    let b = bytes[self.at];
                    if b < 0x80 {
                        if !b.is_ascii_alphanumeric() {
                            break;
                        }
                        self.at += 1;
                    } else {
                        let c = self.text[self.at..].chars().next().unwrap_or(' ');
                        if !is_word(c) || is_paired(c) {
                            break;
                        }
                        self.at += c.len_utf8();
                    }
                }
                return Some((start, self.at));
            }
        }
    }
}

/// Tantivy's side of [`Segments`].
#[derive(Clone, Copy, Default)]
pub struct WordTokenizer;

pub struct WordTokenStream<'a> {
    text: &'a str,
    segments: Segments<'a>,
    token: Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        WordTokenStream {
            text,
            segments: Segments::new(text),
            token: Token::default(),
        }
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((start, end)) = self.segments.next() else {
            return false;
        };
        self.token.text.clear();
        self.token.text.push_str(&self.text[start..end]);
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.position = self.token.position.wrapping_add(1);
        self.token.position_length = 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// Folding beyond Latin accents: combining marks written apart (after ASCII
/// folding, only accents are left of them), Arabic vowel marks and tatweel,
/// the forms of alef, alef maqsura and teh marbuta (as Lucene's Arabic
/// normaliser does), and Cyrillic ё. A reader types these inconsistently, and
/// texts write them inconsistently.
#[derive(Clone, Copy, Default)]
pub struct ScriptFold;

pub fn fold_script(word: &str) -> Option<String> {
    if word.is_ascii() {
        return None;
    }
    let folded = |c: char| -> Option<Option<char>> {
        Some(match c {
            '\u{0300}'..='\u{036F}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => None,
            'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
            'ى' => Some('ي'),
            'ة' => Some('ه'),
            'ё' => Some('е'),
            _ => return None,
        })
    };
    if !word.chars().any(|c| folded(c).is_some()) {
        return None;
    }
    Some(
        word.chars()
            .filter_map(|c| folded(c).unwrap_or(Some(c)))
            .collect(),
    )
}

impl TokenFilter for ScriptFold {
    type Tokenizer<T: Tokenizer> = ScriptFoldFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> ScriptFoldFilter<T> {
        ScriptFoldFilter(tokenizer)
    }
}

#[derive(Clone)]
pub struct ScriptFoldFilter<T>(T);

impl<T: Tokenizer> Tokenizer for ScriptFoldFilter<T> {
    type TokenStream<'a> = ScriptFoldStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ScriptFoldStream(self.0.token_stream(text))
    }
}

pub struct ScriptFoldStream<T>(T);

impl<T: TokenStream> TokenStream for ScriptFoldStream<T> {
    fn advance(&mut self) -> bool {
        loop {
            if !self.0.advance() {
                return false;
            }
            let token = self.0.token_mut();
            if let Some(folded) = fold_script(&token.text) {
                token.text = folded;
            }
            // A token of marks alone folds to nothing: not a word.
            if !token.text.is_empty() {
                return true;
            }
        }
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

/// Calls `f(start, end, position, word)` for each token the exact analyser
/// gives for `text`, in order, with the same words, byte offsets and
/// positions, several times faster: ASCII words (most of them) are
/// lower-cased in place of running the filter chain, and only words with
/// other letters go through the analyser. Snippets, the concordance and topic
/// tagging scan whole documents with it.
pub fn for_each_exact_token(text: &str, mut f: impl FnMut(usize, usize, usize, &str)) {
    let mut analyzer: Option<TextAnalyzer> = None;
    let mut word = String::new();
    for (at, (from, to)) in Segments::new(text).enumerate() {
        let token = &text[from..to];
        if token.len() > MAX_TOKEN_BYTES {
            continue;
        }
        if token.is_ascii() {
            word.clear();
            word.extend(token.bytes().map(|b| b.to_ascii_lowercase() as char));
            f(from, to, at, &word);
        } else {
            let analyzer = analyzer.get_or_insert_with(exact_analyzer);
            let mut stream = analyzer.token_stream(token);
            if let Some(t) = stream.next() {
                f(from, to, at, &t.text);
            } else {
                // Folded to nothing (marks alone): the index has no token
                // here, but the position is used, as in the analyser.
            }
        }
    }
}

/// The stem a group's analyser gives an exact (lower-cased, folded) word:
/// the stemmer alone, since the rest of the chain already ran.
pub fn stem_exact(stemmer: Option<&WordStemmer>, word: &str) -> String {
    match stemmer {
        Some(stemmer) => stemmer.stem(word),
        None => word.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(text: &str) -> Vec<String> {
        analyze(&mut exact_analyzer(), text)
    }

    #[test]
    fn the_fast_exact_tokens_are_the_analysers() {
        let long = "x".repeat(70);
        for text in [
            "Human Security, protection-of-civilians; 1999/2000 ½ Résolution 1325 (2000)",
            "Curly ’quotes’ and “dashes” — ÆSIR Ærø straße İstanbul ǅemal ﬁne",
            &format!("before {long} after a{long}b end"),
            "",
            "   ",
            "数字 and العربية text Ⅻ ①",
            "可持续发展目标 17 个，消除贫困。法 x",
            "الأَمْنُ الإنسانيّ ـــ مجلس الأمن",
            "Ещё раз: безопасность человека",
            "e\u{301}te\u{301} \u{301} ok",
            "ລົບລ້າງຄວາມທຸກຍາກ ការលុបបំបាត់ ဆင်းရဲမှု",
        ] {
            let mut analyzer = exact_analyzer();
            let mut stream = analyzer.token_stream(text);
            let mut expected = Vec::new();
            while let Some(t) = stream.next() {
                expected.push((t.offset_from, t.offset_to, t.position, t.text.clone()));
            }
            let mut got = Vec::new();
            for_each_exact_token(text, |s, e, p, w| got.push((s, e, p, w.to_string())));
            assert_eq!(got, expected, "{text}");
        }
    }

    #[test]
    fn scripts_without_spaces_become_pairs() {
        assert_eq!(
            exact("可持续发展, 法"),
            ["可持", "持续", "续发", "发展", "法"]
        );
        assert_eq!(
            exact("Goal 1消除贫困"),
            ["goal", "1", "消除", "除贫", "贫困"]
        );
    }

    #[test]
    fn folding_beyond_latin() {
        // Vowel marks and alef forms, Cyrillic ё, accents written apart.
        assert_eq!(exact("الأَمْن"), exact("الامن"));
        assert_eq!(exact("Ещё"), ["еще"]);
        assert_eq!(exact("e\u{301}te\u{301}"), exact("été"));
        assert_eq!(exact("été"), ["ete"]);
    }

    #[test]
    fn each_language_its_stems() {
        let stems = |code: &str, text: &str| analyze(&mut GROUPS[group_of(code)].analyzer(), text);
        assert_eq!(stems("fr", "pauvreté"), stems("fr", "pauvretés"));
        assert_eq!(stems("ru", "бедности"), stems("ru", "бедность"));
        assert_eq!(stems("es", "pobreza"), stems("es", "pobrezas"));
        // "and the poverty" is "the poverty" is "poverty".
        assert_eq!(stems("ar", "والفقر"), stems("ar", "الفقر"));
        assert_eq!(stems("ar", "فالفقر"), stems("ar", "فقر"));
        assert_eq!(stems("en", "Humans securing"), ["human", "secur"]);
        // No stemmer: the words as the exact fields have them.
        assert_eq!(stems("zh", "可持续发展"), exact("可持续发展"));
        assert_eq!(group_of("uk"), GROUPS.len() - 1);
        assert_eq!(group_of("und"), group_of("en"));
    }

    #[test]
    fn stemming_an_exact_word_is_the_analysers_stem() {
        for (code, text) in [
            ("en", "Humans securing Sécurité"),
            ("fr", "Éliminer la pauvreté sous toutes ses formes"),
            ("ru", "Ликвидировать нищету во всех её формах"),
            ("ar", "القضاء على الفقر بجميع أشكاله والفقر والأطفال وفي"),
            ("es", "Poner fin a la pobreza en todas sus formas"),
        ] {
            let group = GROUPS[group_of(code)];
            let stemmer = group.stemmer.map(WordStemmer::new);
            let mut by_word = Vec::new();
            for_each_exact_token(text, |_, _, _, w| {
                by_word.push(stem_exact(stemmer.as_ref(), w))
            });
            assert_eq!(by_word, analyze(&mut group.analyzer(), text), "{code}");
        }
    }
}
