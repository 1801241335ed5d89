//! Which language a document is written in: the one it declares, else the
//! one whatlang detects from its text.
//!
//! Codes are ISO 639-1 where the language has one (`en`, `fr`, `zh`), so that
//! `--lang fr` means what a reader expects; `und` (undetermined, as in BCP 47)
//! when neither a declaration nor the text tells.
//!
//! Detection reads a sample of the text, not all of it: whatlang costs about
//! 100 µs a call however short the text, and most of a large corpus is
//! English, so text that is plainly English (its commonest words make up a
//! large share of the sample) is taken as English without the trigram model.

use whatlang::Lang;

/// Bytes of text detection reads (from the start of title and body).
const SAMPLE_BYTES: usize = 2_000;

/// The code for documents whose language cannot be told.
pub const UNDETERMINED: &str = "und";

/// A language and where it came from (for `dossier show`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    pub code: String,
    pub from: String,
    /// The document named its language itself.
    pub declared: bool,
}

/// The language of a document: `declared` (an HTML `lang` attribute or
/// similar, with where it was found) when it names a language, else
/// detected from `title` and `body`.
pub fn language(title: &str, body: &str, declared: Option<(&str, &str)>) -> Detected {
    if let Some((value, from)) = declared
        && let Some(code) = normalise_code(value)
    {
        return Detected {
            code,
            from: from.to_string(),
            declared: true,
        };
    }
    detect(title, body)
}

fn detect(title: &str, body: &str) -> Detected {
    let mut sample = String::with_capacity(SAMPLE_BYTES + title.len() + 1);
    sample.push_str(title);
    sample.push('\n');
    let mut end = body.len().min(SAMPLE_BYTES);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    sample.push_str(&body[..end]);
    if plainly_english(&sample) {
        return Detected {
            code: "en".into(),
            from: "detected (common English words)".into(),
            declared: false,
        };
    }
    match whatlang::detect(&sample) {
        Some(info) if info.is_reliable() => Detected {
            code: iso_639_1(info.lang()).to_string(),
            from: format!("detected (confidence {:.2})", info.confidence()),
            declared: false,
        },
        Some(info) => Detected {
            code: UNDETERMINED.into(),
            from: format!(
                "not told: the text looks most like {} but too little to be sure",
                info.lang().eng_name()
            ),
            declared: false,
        },
        None => Detected {
            code: UNDETERMINED.into(),
            from: "not told: too little text".into(),
            declared: false,
        },
    }
}

/// Words that make up about a fifth of any English prose and are rare as
/// words in other languages written in Latin letters.
const ENGLISH_MARKERS: &[&str] = &[
    "the", "of", "and", "to", "that", "is", "for", "with", "this", "are", "which", "have", "by",
    "be", "it", "as", "its", "has", "was", "were", "their", "been", "from", "we",
];

/// At least 40 words, "the" among them at least twice in a hundred, and the
/// markers a seventh of them: English. Real English prose is well above
/// (about a quarter); French, Spanish, German or Dutch prose is below a
/// twentieth, since only "is", "as", "be" or "we" can occur as their words.
fn plainly_english(sample: &str) -> bool {
    let mut words = 0usize;
    let mut markers = 0usize;
    let mut the = 0usize;
    for word in sample.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        if !word.is_ascii() {
            return false;
        }
        words += 1;
        if word.len() <= 5 && ENGLISH_MARKERS.iter().any(|m| m.eq_ignore_ascii_case(word)) {
            markers += 1;
            if word.eq_ignore_ascii_case("the") {
                the += 1;
            }
        }
    }
    words >= 40 && the * 50 >= words && markers * 7 >= words
}

/// `fr`, `FR-ca`, `fr_FR`, `fra` → `fr`; anything that is not a language
/// tag → `None`.
pub fn normalise_code(value: &str) -> Option<String> {
    let primary = value.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    if primary == "und" || primary == "mul" || primary == "zxx" {
        return None;
    }
    if primary.len() == 3 {
        // Three-letter codes the detector knows map to two letters.
        return Some(match Lang::from_code(&primary) {
            Some(lang) => iso_639_1(lang).to_string(),
            None => primary,
        });
    }
    // Norwegian Bokmål and Nynorsk stem as Norwegian.
    Some(match primary.as_str() {
        "nb" | "nn" => "no".to_string(),
        _ => primary,
    })
}

/// The English name of a language code, where known.
pub fn name(code: &str) -> Option<&'static str> {
    LANGS
        .iter()
        .find(|(_, c)| *c == code)
        .map(|(lang, _)| lang.eng_name())
}

fn iso_639_1(lang: Lang) -> &'static str {
    LANGS
        .iter()
        .find(|(l, _)| *l == lang)
        .map_or(lang.code(), |(_, code)| code)
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
            assert_eq!(iso_639_1(*lang).len(), 2, "{lang:?}");
        }
    }

    #[test]
    fn declared_wins_when_it_is_a_language() {
        let english = "The Council stressed the protection of civilians in armed conflict.";
        let got = language("t", english, Some(("fr-FR", "<html lang>")));
        assert_eq!(
            (got.code.as_str(), got.from.as_str()),
            ("fr", "<html lang>")
        );
        // Not a language tag: detection decides.
        assert_eq!(
            language("t", english, Some(("x", "<html lang>"))).code,
            "en"
        );
        assert_eq!(normalise_code("nb_NO").as_deref(), Some("no"));
        assert_eq!(normalise_code("fra").as_deref(), Some("fr"));
        assert_eq!(normalise_code("zh-Hans").as_deref(), Some("zh"));
        assert_eq!(normalise_code("und"), None);
    }

    #[test]
    fn detects_the_six_languages_of_the_un() {
        for (code, text) in [
            (
                "en",
                "All Member States reaffirmed their commitment to the protection of civilians and to human security.",
            ),
            (
                "fr",
                "Tous les États Membres ont réaffirmé leur attachement à la protection des civils et à la sécurité humaine.",
            ),
            (
                "es",
                "Todos los Estados Miembros reafirmaron su compromiso con la protección de los civiles y la seguridad humana.",
            ),
            (
                "ru",
                "Все государства-члены подтвердили свою приверженность защите гражданского населения и безопасности человека.",
            ),
            (
                "ar",
                "أكدت جميع الدول الأعضاء من جديد التزامها بحماية المدنيين وبالأمن البشري.",
            ),
            ("zh", "所有会员国重申致力于保护平民和人的安全。"),
        ] {
            assert_eq!(language("", text, None).code, code, "{text}");
        }
    }

    #[test]
    fn the_english_shortcut_takes_only_english() {
        let english = "The Security Council, recalling its resolutions on the protection of \
            civilians in armed conflict and on women and peace and security, which it has \
            adopted over the years, stresses that it is the responsibility of States to \
            protect the population of their territory and to end impunity for the crimes \
            that have been committed against them by all parties.";
        assert!(plainly_english(english));
        for other in [
            "Le Conseil de sécurité, rappelant ses résolutions sur la protection des civils \
             dans les conflits armés et sur les femmes et la paix et la sécurité, qu'il a \
             adoptées au fil des années, souligne qu'il incombe aux États de protéger la \
             population de leur territoire et de mettre fin à l'impunité pour les crimes.",
            "De Veiligheidsraad, herinnerend aan zijn resoluties over de bescherming van \
             burgers in gewapende conflicten en over vrouwen, vrede en veiligheid, die hij \
             door de jaren heen heeft aangenomen, benadrukt dat het de verantwoordelijkheid \
             is van staten om de bevolking van hun grondgebied te beschermen en een einde \
             te maken aan de straffeloosheid voor de misdaden die zijn begaan.",
        ] {
            assert!(!plainly_english(other), "{other}");
        }
    }
}
