//! Language codes: what `--lang`, `lang:`, the `lang` facet and a source's
//! `lang` setting speak.
//!
//! Codes are ISO 639-1 where the language has one (`en`, `fr`, `zh`), so that
//! `--lang fr` means what a reader expects; `und` (undetermined, as in BCP 47)
//! when neither a declaration nor the text tells. A [`LangCode`] is two or
//! three lower-case ASCII letters, held inline: it is copied into every
//! document, hit and facet count.

use std::fmt;

use serde::{Serialize, Serializer};
use tantivy::schema::Facet;
use whatlang::Lang;

/// A normalised language code: `en`, `fr`, `zh`, a three-letter code where
/// a language has no two-letter one, or [`LangCode::UNDETERMINED`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LangCode([u8; 3]);

impl LangCode {
    /// A document whose language could not be told.
    pub const UNDETERMINED: LangCode = LangCode(*b"und");
    pub const ENGLISH: LangCode = LangCode(*b"en\0");

    /// A language tag as documents and settings write it: `fr`, `FR-ca`,
    /// `fr_FR`, `fra` → `fr`; `nb`, `nn` → `no` (they stem as Norwegian).
    /// Anything that is not a language tag, and the tags that name no
    /// language (`und`, `mul`, `zxx`), → `None`.
    pub fn from_tag(value: &str) -> Option<LangCode> {
        let primary = value.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_lowercase()) {
            return None;
        }
        if matches!(primary.as_str(), "und" | "mul" | "zxx") {
            return None;
        }
        if primary.len() == 3 {
            // Three-letter codes the detector knows map to two letters.
            return Some(match Lang::from_code(&primary) {
                Some(lang) => LangCode::of(lang),
                None => LangCode::inline(&primary),
            });
        }
        Some(match primary.as_str() {
            "nb" | "nn" => LangCode::inline("no"),
            _ => LangCode::inline(&primary),
        })
    }

    /// A code as a reader filters by it: any tag [`LangCode::from_tag`]
    /// accepts, and `und` for documents whose language was not told.
    pub fn from_filter(value: &str) -> Option<LangCode> {
        if value.trim().eq_ignore_ascii_case("und") {
            return Some(LangCode::UNDETERMINED);
        }
        LangCode::from_tag(value)
    }

    /// The code of a language whatlang detects.
    pub fn of(lang: Lang) -> LangCode {
        LangCode::inline(
            LANGS
                .iter()
                .find(|(l, _)| *l == lang)
                .map_or(lang.code(), |(_, code)| code),
        )
    }

    /// Two or three lower-case ASCII letters, checked by the callers.
    fn inline(code: &str) -> LangCode {
        let mut bytes = [0u8; 3];
        for (slot, b) in bytes.iter_mut().zip(code.bytes()) {
            *slot = b;
        }
        LangCode(bytes)
    }

    pub fn as_str(&self) -> &str {
        let len = if self.0[2] == 0 { 2 } else { 3 };
        // Only ASCII letters are ever stored.
        std::str::from_utf8(&self.0[..len]).unwrap_or("und")
    }

    /// The code as the `lang` facet holds it.
    pub fn facet(&self) -> Facet {
        Facet::from_path([self.as_str()])
    }

    /// The code a facet read back from the index names (`und` if it names
    /// none: the index only ever holds codes).
    pub fn from_facet(facet: &Facet) -> LangCode {
        facet
            .to_path()
            .first()
            .and_then(|code| LangCode::from_filter(code))
            .unwrap_or(LangCode::UNDETERMINED)
    }

    /// The code a stored facet value (`\0fr`) names.
    pub fn from_encoded(encoded: &str) -> LangCode {
        LangCode::from_filter(&crate::text::ids::facet_text(encoded))
            .unwrap_or(LangCode::UNDETERMINED)
    }

    /// Chinese, Japanese or Korean: written without spaces between words.
    pub fn is_cjk(&self) -> bool {
        matches!(self.as_str(), "zh" | "ja" | "ko")
    }

    pub fn is_undetermined(&self) -> bool {
        *self == LangCode::UNDETERMINED
    }

    /// The language's English name, where known.
    pub fn name(&self) -> Option<&'static str> {
        LANGS
            .iter()
            .find(|(_, c)| *c == self.as_str())
            .map(|(lang, _)| lang.eng_name())
    }
}

impl fmt::Display for LangCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for LangCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LangCode({})", self.as_str())
    }
}

impl Serialize for LangCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// whatlang's languages and their ISO 639-1 codes (Mandarin is `zh`,
/// Bokmål `no`, Western Persian `fa`).
const LANGS: &[(Lang, &str)] = &[
    (Lang::Epo, "eo"),
    (Lang::Eng, "en"),
    (Lang::Rus, "ru"),
    (Lang::Cmn, "zh"),
    (Lang::Spa, "es"),
    (Lang::Por, "pt"),
    (Lang::Ita, "it"),
    (Lang::Ben, "bn"),
    (Lang::Fra, "fr"),
    (Lang::Deu, "de"),
    (Lang::Ukr, "uk"),
    (Lang::Kat, "ka"),
    (Lang::Ara, "ar"),
    (Lang::Hin, "hi"),
    (Lang::Jpn, "ja"),
    (Lang::Heb, "he"),
    (Lang::Yid, "yi"),
    (Lang::Pol, "pl"),
    (Lang::Amh, "am"),
    (Lang::Jav, "jv"),
    (Lang::Kor, "ko"),
    (Lang::Nob, "no"),
    (Lang::Dan, "da"),
    (Lang::Swe, "sv"),
    (Lang::Fin, "fi"),
    (Lang::Tur, "tr"),
    (Lang::Nld, "nl"),
    (Lang::Hun, "hu"),
    (Lang::Ces, "cs"),
    (Lang::Ell, "el"),
    (Lang::Bul, "bg"),
    (Lang::Bel, "be"),
    (Lang::Mar, "mr"),
    (Lang::Kan, "kn"),
    (Lang::Ron, "ro"),
    (Lang::Slv, "sl"),
    (Lang::Hrv, "hr"),
    (Lang::Srp, "sr"),
    (Lang::Mkd, "mk"),
    (Lang::Lit, "lt"),
    (Lang::Lav, "lv"),
    (Lang::Est, "et"),
    (Lang::Tam, "ta"),
    (Lang::Vie, "vi"),
    (Lang::Urd, "ur"),
    (Lang::Tha, "th"),
    (Lang::Guj, "gu"),
    (Lang::Uzb, "uz"),
    (Lang::Pan, "pa"),
    (Lang::Aze, "az"),
    (Lang::Ind, "id"),
    (Lang::Tel, "te"),
    (Lang::Pes, "fa"),
    (Lang::Mal, "ml"),
    (Lang::Ori, "or"),
    (Lang::Mya, "my"),
    (Lang::Nep, "ne"),
    (Lang::Sin, "si"),
    (Lang::Khm, "km"),
    (Lang::Tuk, "tk"),
    (Lang::Aka, "ak"),
    (Lang::Zul, "zu"),
    (Lang::Sna, "sn"),
    (Lang::Afr, "af"),
    (Lang::Lat, "la"),
    (Lang::Slk, "sk"),
    (Lang::Cat, "ca"),
    (Lang::Tgl, "tl"),
    (Lang::Hye, "hy"),
    (Lang::Cym, "cy"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_detected_language_has_a_two_letter_code() {
        for lang in Lang::all() {
            assert_eq!(LangCode::of(*lang).as_str().len(), 2, "{lang:?}");
        }
    }

    #[test]
    fn tags_become_codes() {
        let code = |tag: &str| LangCode::from_tag(tag).map(|c| c.to_string());
        assert_eq!(code("nb_NO").as_deref(), Some("no"));
        assert_eq!(code("fra").as_deref(), Some("fr"));
        assert_eq!(code("zh-Hans").as_deref(), Some("zh"));
        assert_eq!(code("FR-ca").as_deref(), Some("fr"));
        assert_eq!(code("tlh").as_deref(), Some("tlh"));
        for not_a_language in ["und", "x", "french!", "", "mul"] {
            assert_eq!(code(not_a_language), None, "{not_a_language}");
        }
        assert_eq!(LangCode::from_filter("UND"), Some(LangCode::UNDETERMINED));
        assert_eq!(LangCode::ENGLISH.name(), Some("English"));
        // Codes sort as their text does (facet counts are listed in this order).
        let mut codes: Vec<LangCode> = ["zh", "tlh", "en", "und", "ar", "eo"]
            .iter()
            .filter_map(|c| LangCode::from_filter(c))
            .collect();
        codes.sort();
        let texts: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
        assert_eq!(texts, ["ar", "en", "eo", "tlh", "und", "zh"]);
    }
}
