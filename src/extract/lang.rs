//! Which language a document is written in: the one it declares, else the
//! one whatlang detects from its text, as a [`LangCode`] (`und` when neither
//! tells).
//!
//! Detection reads a sample of the text, not all of it: whatlang costs about
//! 100 µs a call however short the text, and most of a large corpus is
//! English, so text that is plainly English (its commonest words make up a
//! large share of the sample) is taken as English without the trigram model.

use crate::text::LangCode;

/// Bytes of text detection reads (from the start of title and body).
const SAMPLE_BYTES: usize = 2_000;

/// A language and where it came from (for `dossier show`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    pub code: LangCode,
    pub from: String,
    /// The document named its language itself.
    pub declared: bool,
}

/// The language of a document: `declared` (an HTML `lang` attribute or
/// similar, with where it was found) when it names a language, else
/// detected from `title` and `body`.
pub fn language(title: &str, body: &str, declared: Option<(&str, &str)>) -> Detected {
    if let Some((value, from)) = declared
        && let Some(code) = LangCode::from_tag(value)
    {
        return Detected {
            code,
            from: from.to_string(),
            declared: true,
        };
    }
    detect(title, body)
}

/// Fewer letters than this are too little text to name a likely language.
const MIN_GUESS_LETTERS: usize = 20;

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
            code: LangCode::ENGLISH,
            from: "detected (common English words)".into(),
            declared: false,
        };
    }
    // A guess from a few letters (an empty file's name as its title) is
    // no guess worth saying.
    let letters = sample
        .chars()
        .filter(|c| c.is_alphabetic())
        .take(MIN_GUESS_LETTERS)
        .count();
    let guess =
        whatlang::detect(&sample).filter(|info| info.is_reliable() || letters >= MIN_GUESS_LETTERS);
    match guess {
        Some(info) if info.is_reliable() => Detected {
            code: LangCode::of(info.lang()),
            from: format!("detected (confidence {:.2})", info.confidence()),
            declared: false,
        },
        Some(info) => Detected {
            code: LangCode::UNDETERMINED,
            from: format!(
                "not told: the text looks most like {} but too little to be sure",
                info.lang().eng_name()
            ),
            declared: false,
        },
        None => Detected {
            code: LangCode::UNDETERMINED,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An empty file, whose title is its name, is not said to look like
    /// a language.
    #[test]
    fn a_few_letters_name_no_likely_language() {
        assert_eq!(detect("a", "").from, "not told: too little text");
        assert_eq!(detect("notes", "").from, "not told: too little text");
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
            LangCode::ENGLISH
        );
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
            assert_eq!(language("", text, None).code.as_str(), code, "{text}");
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
