//! How text becomes index terms, in every language: the analysers.
//!
//! Words come from [`super::words`]; they are lower-cased and composed
//! (NFC, [`super::normalize`]), stemmed with the Snowball stemmer of the
//! document's language ([`super::stem`]) as written, accents and all, and
//! only then folded (Latin accents, then [`super::fold`]): Snowball's
//! suffixes carry accents (French `-ées`), so a stemmer that saw folded words
//! would strip none of them. Documents and queries go through the same chain.
//!
//! Each language with a stemmer is an [`AnalysisGroup`] with its own pair of
//! ranking fields (`title_<code>`, `text_<code>`): BM25 statistics (how rare
//! a word is, how long documents are) are then per language, and a query is
//! analysed once per language the index holds. Languages without a stemmer
//! share the group [`AnalysisGroup::OTHER`], not stemmed; documents whose
//! language was not told are analysed as English. The exact fields for
//! quoted phrases are shared by all languages: exact text needs no language.

use frostem::Algorithm;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, TextAnalyzer, TokenStream,
};

use super::fold::ScriptFold;
use super::lang::LangCode;
use super::normalize::Nfc;
use super::stem::{CachedStemmer, DualStemmer, WordStemmer};
use super::words::{Segments, WordTokenizer};

/// Tokens longer than this are dropped: base64 blobs and runaway strings are
/// not words, and they bloat the term dictionary.
pub const MAX_TOKEN_BYTES: usize = 64;

/// The name the exact fields' analyser is registered under.
pub const EXACT_TOKENIZER: &str = "dossier_exact";

/// How many analysis groups there are: the stemmed languages and `other`.
pub const GROUP_COUNT: usize = 32;

/// An analysis group: the languages whose documents share ranking fields and
/// an analyser. One per stemmed language, and [`AnalysisGroup::OTHER`] for
/// the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AnalysisGroup(u8);

struct GroupInfo {
    /// ISO 639-1 code of the language, or `other`: the suffix of its fields.
    code: &'static str,
    name: &'static str,
    stemmer: Option<Algorithm>,
}

const fn group(code: &'static str, name: &'static str, stemmer: Algorithm) -> GroupInfo {
    GroupInfo {
        code,
        name,
        stemmer: Some(stemmer),
    }
}

/// Stemmed languages: the UN's (but Chinese, which has no stems), NATO's, and
/// every other language that both the detector recognises and Snowball
/// stems; then every language without a stemmer. English comes first.
const GROUPS: [GroupInfo; GROUP_COUNT] = [
    group("en", "English", Algorithm::English),
    group("fr", "French", Algorithm::French),
    group("es", "Spanish", Algorithm::Spanish),
    group("ru", "Russian", Algorithm::Russian),
    group("ar", "Arabic", Algorithm::Arabic),
    group("de", "German", Algorithm::German),
    group("it", "Italian", Algorithm::Italian),
    group("pt", "Portuguese", Algorithm::Portuguese),
    group("nl", "Dutch", Algorithm::Dutch),
    group("da", "Danish", Algorithm::Danish),
    group("no", "Norwegian", Algorithm::Norwegian),
    group("sv", "Swedish", Algorithm::Swedish),
    group("fi", "Finnish", Algorithm::Finnish),
    group("et", "Estonian", Algorithm::Estonian),
    group("lt", "Lithuanian", Algorithm::Lithuanian),
    group("hu", "Hungarian", Algorithm::Hungarian),
    group("ro", "Romanian", Algorithm::Romanian),
    group("pl", "Polish", Algorithm::Polish),
    group("cs", "Czech", Algorithm::Czech),
    group("sr", "Serbian", Algorithm::Serbian),
    group("el", "Greek", Algorithm::Greek),
    group("tr", "Turkish", Algorithm::Turkish),
    group("ca", "Catalan", Algorithm::Catalan),
    group("hy", "Armenian", Algorithm::Armenian),
    group("hi", "Hindi", Algorithm::Hindi),
    group("ne", "Nepali", Algorithm::Nepali),
    group("fa", "Persian", Algorithm::Persian),
    group("id", "Indonesian", Algorithm::Indonesian),
    group("ta", "Tamil", Algorithm::Tamil),
    group("yi", "Yiddish", Algorithm::Yiddish),
    group("eo", "Esperanto", Algorithm::Esperanto),
    GroupInfo {
        code: "other",
        name: "other languages (not stemmed)",
        stemmer: None,
    },
];

impl AnalysisGroup {
    pub const ENGLISH: AnalysisGroup = AnalysisGroup(0);
    /// Every language without a stemmer: words lower-cased and folded only.
    pub const OTHER: AnalysisGroup = AnalysisGroup(GROUP_COUNT as u8 - 1);

    /// Every group, in the order of the schema's ranking fields.
    pub fn all() -> impl Iterator<Item = AnalysisGroup> {
        (0..GROUP_COUNT as u8).map(AnalysisGroup)
    }

    /// The group of a language. A document whose language could not be told
    /// (`und`: most often a short one) is analysed as English, the language
    /// most of a NATO and UN library is written in.
    pub fn of(lang: LangCode) -> AnalysisGroup {
        if lang.is_undetermined() {
            return AnalysisGroup::ENGLISH;
        }
        GROUPS
            .iter()
            .position(|g| g.stemmer.is_some() && g.code == lang.as_str())
            .map_or(AnalysisGroup::OTHER, |i| AnalysisGroup(i as u8))
    }

    /// Its place among [`AnalysisGroup::all`]: where the schema keeps its fields.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    fn info(self) -> &'static GroupInfo {
        &GROUPS[self.index()]
    }

    /// The language code, or `other`: the suffix of the group's field names.
    pub fn code(self) -> &'static str {
        self.info().code
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn stemmer(self) -> Option<WordStemmer> {
        self.info().stemmer.map(WordStemmer::new)
    }

    pub fn tokenizer_name(self) -> String {
        format!("dossier_stem_{}", self.code())
    }

    /// The analyser of this group's ranking fields, for documents: each
    /// word's stem as written, and where it differs, its stem folded first
    /// (see [`DualStemmer`]).
    pub fn analyzer(self) -> TextAnalyzer {
        self.chain(Self::words(), true)
    }

    /// The analyser of a query's words: each word's stem as written, one
    /// token a word, which the index holds whichever way a document wrote it.
    pub fn query_analyzer(self) -> TextAnalyzer {
        self.chain(Self::words(), false)
    }

    /// The stems a query word may have in this group's fields: see
    /// [`QueryStems`].
    pub fn query_stems(self) -> QueryStems {
        let folded_first = self.info().stemmer.map(|algorithm| {
            Self::words()
                .filter_dynamic(LowerCaser)
                .filter_dynamic(Nfc)
                .filter_dynamic(AsciiFoldingFilter)
                .filter_dynamic(ScriptFold)
                .filter_dynamic(CachedStemmer::new(algorithm))
                .build()
        });
        QueryStems {
            as_written: self.query_analyzer(),
            folded_first,
        }
    }

    /// The document chain for one word already cut out of a text (kwic and
    /// snippets find the words with [`for_each_exact_token`], then stem
    /// each as the index did).
    pub fn word_analyzer(self) -> TextAnalyzer {
        self.chain(
            TextAnalyzer::builder(RawTokenizer::default()).dynamic(),
            true,
        )
    }

    fn words() -> tantivy::tokenizer::TextAnalyzerBuilder {
        TextAnalyzer::builder(WordTokenizer)
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .dynamic()
    }

    /// Lower-case and compose, stem the word as written (for documents, also
    /// folded first), then fold.
    fn chain(self, words: tantivy::tokenizer::TextAnalyzerBuilder, both: bool) -> TextAnalyzer {
        let composed = words.filter_dynamic(LowerCaser).filter_dynamic(Nfc);
        match self.info().stemmer {
            // The dual stemmer folds its stems itself.
            Some(algorithm) if both => composed.filter_dynamic(DualStemmer::new(algorithm)).build(),
            Some(algorithm) => composed
                .filter_dynamic(CachedStemmer::new(algorithm))
                .filter_dynamic(AsciiFoldingFilter)
                .filter_dynamic(ScriptFold)
                .build(),
            None => composed
                .filter_dynamic(AsciiFoldingFilter)
                .filter_dynamic(ScriptFold)
                .build(),
        }
    }
}

/// A query word's stems in one group: as written, and folded first when
/// that differs. Documents hold a word's as-written stem, and its
/// folded-first stem when that differs; a query typed with accents
/// (`sécurité`: `secur`) must still find a document written without them
/// (`SECURITE`: `securit`), and one typed without (`securite`) the document
/// with them. A search takes the better of the two, a highlight either.
pub struct QueryStems {
    as_written: TextAnalyzer,
    folded_first: Option<TextAnalyzer>,
}

impl QueryStems {
    /// The stems of `word` (one or two, as written first); `None` when the
    /// analysers split it into several tokens or none.
    pub fn of(&mut self, word: &str) -> Option<Vec<String>> {
        let mut stems = analyze(&mut self.as_written, word);
        if stems.len() != 1 {
            return None;
        }
        if let Some(folded_first) = &mut self.folded_first
            && !word.is_ascii()
            && let [other] = analyze(folded_first, word).as_slice()
            && *other != stems[0]
        {
            stems.push(other.clone());
        }
        Some(stems)
    }
}

/// The analyser of the exact fields: the same words as every group's,
/// folded, not stemmed.
pub fn exact_analyzer() -> TextAnalyzer {
    AnalysisGroup::OTHER.analyzer()
}

/// The stems the index holds for one word of a text (`raw`, as the text
/// writes it): the document chain on that word alone; one, or two when the
/// word stems differently folded first; none when it folds to nothing
/// (combining marks alone).
pub fn stem_word(word_analyzer: &mut TextAnalyzer, raw: &str) -> Vec<String> {
    analyze(word_analyzer, raw)
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

/// Calls `f(start, end, position, word)` for each token the exact analyser
/// gives for `text`, in order, with the same words, byte offsets and
/// positions, several times faster: ASCII words (most of them) are
/// lower-cased in place of running the filter chain, and other words are
/// folded once per thread ([`ExactWords`]). Snippets, the concordance, topic
/// tagging and the common-pair field scan whole documents with it.
pub fn for_each_exact_token(text: &str, mut f: impl FnMut(usize, usize, usize, &str)) {
    let mut words = ExactWords::new(text);
    while let Some((from, to, position)) = words.next_word() {
        f(from, to, position, words.word());
    }
}

/// The exact analyser's tokens of a text, one at a time, without its chain
/// of filters: see [`for_each_exact_token`].
pub struct ExactWords<'a> {
    text: &'a str,
    segments: std::iter::Enumerate<Segments<'a>>,
    word: String,
}

impl<'a> ExactWords<'a> {
    pub fn new(text: &'a str) -> Self {
        ExactWords {
            text,
            segments: Segments::new(text).enumerate(),
            word: String::new(),
        }
    }

    /// The next token's start and end in the text and its position; its
    /// text is [`ExactWords::word`] until the next call.
    pub fn next_word(&mut self) -> Option<(usize, usize, usize)> {
        loop {
            let (position, (from, to)) = self.segments.next()?;
            let token = &self.text[from..to];
            if token.len() > MAX_TOKEN_BYTES {
                continue;
            }
            if token.is_ascii() {
                self.word.clear();
                self.word
                    .extend(token.bytes().map(|b| b.to_ascii_lowercase() as char));
                return Some((from, to, position));
            }
            if fold_exact(token, &mut self.word) {
                return Some((from, to, position));
            }
            // Folded to nothing (marks alone): the index has no token
            // here, but the position is used, as in the analyser.
        }
    }

    /// The current token.
    pub fn word(&self) -> &str {
        &self.word
    }
}

/// Words remembered per thread by [`fold_exact`] before it starts over.
const MAX_FOLDED_WORDS: usize = 100_000;

/// The exact analyser, and the words beyond ASCII it has folded.
struct FoldCache {
    analyzer: TextAnalyzer,
    words: rustc_hash::FxHashMap<Box<str>, Option<Box<str>>>,
}

thread_local! {
    static FOLDED: std::cell::RefCell<Option<FoldCache>> = const { std::cell::RefCell::new(None) };
}

/// `token` (one word, not ASCII) as the exact analyser folds it, into
/// `out`; false when it folds to nothing. Text repeats its words, and the
/// analyser's chain is the costly part of scanning Arabic, Chinese or Thai:
/// each thread folds a word once.
fn fold_exact(token: &str, out: &mut String) -> bool {
    FOLDED.with(|cell| {
        let mut cell = cell.borrow_mut();
        let FoldCache { analyzer, words } = cell.get_or_insert_with(|| FoldCache {
            analyzer: exact_analyzer(),
            words: rustc_hash::FxHashMap::default(),
        });
        let folded = match words.get(token) {
            Some(folded) => folded.as_deref(),
            None => {
                if words.len() >= MAX_FOLDED_WORDS {
                    words.clear();
                }
                let folded = analyzer
                    .token_stream(token)
                    .next()
                    .map(|t| t.text.clone().into_boxed_str());
                words.entry(token.into()).or_insert(folded).as_deref()
            }
        };
        out.clear();
        match folded {
            Some(word) => {
                out.push_str(word);
                true
            }
            None => false,
        }
    })
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
            // Twice: the second time, words beyond ASCII come from the
            // thread's cache of folded words.
            for _ in 0..2 {
                let mut got = Vec::new();
                for_each_exact_token(text, |s, e, p, w| got.push((s, e, p, w.to_string())));
                assert_eq!(got, expected, "{text}");
            }
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
        // Greek final sigma; Turkish capital İ.
        assert_eq!(exact("ΧΩΡΑΣ"), exact("χώρας"));
        assert_eq!(exact("ÜLKENİN"), exact("ülkenin"));
        let turkish = AnalysisGroup::of(LangCode::from_tag("tr").unwrap());
        assert_eq!(
            analyze(&mut turkish.query_analyzer(), "ÜLKENİN"),
            analyze(&mut turkish.query_analyzer(), "ülkenin")
        );
    }

    #[test]
    fn each_language_its_stems() {
        let group = |code: &str| AnalysisGroup::of(LangCode::from_filter(code).unwrap());
        let stems = |code: &str, text: &str| analyze(&mut group(code).analyzer(), text);
        assert_eq!(stems("fr", "pauvreté"), stems("fr", "pauvretés"));
        assert_eq!(stems("ru", "бедности"), stems("ru", "бедность"));
        assert_eq!(stems("es", "pobreza"), stems("es", "pobrezas"));
        // "and the poverty" is "the poverty" is "poverty".
        assert_eq!(stems("ar", "والفقر"), stems("ar", "الفقر"));
        assert_eq!(stems("ar", "فالفقر"), stems("ar", "فقر"));
        assert_eq!(stems("en", "Humans securing"), ["human", "secur"]);
        // No stemmer: the words as the exact fields have them.
        assert_eq!(stems("zh", "可持续发展"), exact("可持续发展"));
        assert_eq!(group("uk"), AnalysisGroup::OTHER);
        assert_eq!(group("und"), AnalysisGroup::ENGLISH);
    }

    /// The pairs of `tests/fixtures/inflections.tsv`: language, a form typed,
    /// the form a text writes.
    fn inflections() -> Vec<(&'static str, &'static str, &'static str)> {
        include_str!("../../tests/fixtures/inflections.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| {
                let mut cells = l.split('\t');
                let mut next = || cells.next().expect("three cells a line");
                (next(), next(), next())
            })
            .collect()
    }

    #[test]
    fn inflections_meet_their_forms_in_every_stemmed_language() {
        let mut failed = Vec::new();
        for (code, typed, written) in inflections() {
            let group = AnalysisGroup::of(LangCode::from_tag(code).unwrap());
            assert_ne!(group, AnalysisGroup::OTHER, "{code} has a stemmer");
            // The query's one stem is among those the document's word has.
            let mut analyzer = group.analyzer();
            let a = analyze(&mut group.query_analyzer(), typed);
            let b = analyze(&mut analyzer, written);
            if a.len() != 1 || !b.contains(&a[0]) {
                failed.push(format!("{code}: {typed} {a:?} / {written} {b:?}"));
            }
            // Decomposed, as the French SDG texts write every accent.
            let decomposed: String =
                unicode_normalization::UnicodeNormalization::nfd(written).collect();
            assert_eq!(
                analyze(&mut analyzer, &decomposed),
                b,
                "{code}: {written} decomposed"
            );
        }
        assert!(failed.is_empty(), "{failed:#?}");
    }

    /// A reader who types without accents still finds the word: documents
    /// also hold each word's stem folded first.
    #[test]
    fn words_typed_without_accents_meet_them() {
        for (code, typed, written) in [
            ("fr", "securite", "sécurité"),
            ("fr", "developpement", "développement"),
            ("es", "poblacion", "población"),
            ("pt", "populacao", "população"),
            ("ro", "saracie", "sărăcie"),
        ] {
            let group = AnalysisGroup::of(LangCode::from_tag(code).unwrap());
            let query = analyze(&mut group.query_analyzer(), typed);
            let document = analyze(&mut group.analyzer(), written);
            assert!(
                document.contains(&query[0]),
                "{code}: {query:?} {document:?}"
            );
        }
    }

    #[test]
    fn stemming_each_word_is_the_analysers_stem() {
        for (code, text) in [
            ("en", "Humans securing Sécurité"),
            ("fr", "Éliminer la pauvreté sous toutes ses formes"),
            ("fr", "pauvrete\u{301}s e\u{301}limine\u{301}es"),
            ("ru", "Ликвидировать нищету во всех её формах"),
            ("ar", "القضاء على الفقر بجميع أشكاله والفقر والأطفال وفي"),
            ("es", "Poner fin a la pobreza en todas sus formas"),
        ] {
            let group = AnalysisGroup::of(LangCode::from_tag(code).unwrap());
            let mut words = group.word_analyzer();
            let mut by_word = Vec::new();
            for_each_exact_token(text, |from, to, _, _| {
                by_word.extend(stem_word(&mut words, &text[from..to]))
            });
            assert_eq!(by_word, analyze(&mut group.analyzer(), text), "{code}");
        }
    }
}
