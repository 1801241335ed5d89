//! Many languages: each document's language told (declared or detected),
//! analysed with its own stemmer, a `lang` facet and `--lang` filter, queries
//! analysed for each language present, exact phrases in every script.
//! Small fixtures written here by default; the SDG texts of
//! `../shared/corpus/sdg` (26 languages) when present.

use std::collections::BTreeMap;

use crate::common::{Workspace, shared_corpus};
use serde_json::Value;

/// Our own sentences, one document per language, on the themes of the field.
fn multilingual() -> Workspace {
    let ws = Workspace::new();
    ws.write(
        "un/en.txt",
        "Protection of civilians\n\nThe Council underlines that the protection of civilians \
         in armed conflict is the responsibility of every State, and that women and children \
         suffer most from the violence of war. It calls on all parties to respect \
         international humanitarian law and to allow humanitarian access to those in need.",
    );
    ws.write(
        "un/fr.txt",
        "Protection des civils\n\nLe Conseil souligne que la protection des civils dans les \
         conflits armés incombe à chaque État, et que les femmes et les enfants souffrent le \
         plus des violences de la guerre. Il demande à toutes les parties de respecter le droit \
         international humanitaire et de lutter contre la pauvreté des populations déplacées.",
    );
    ws.write(
        "un/es.txt",
        "Protección de los civiles\n\nEl Consejo subraya que la protección de los civiles en \
         los conflictos armados es responsabilidad de cada Estado, y que las mujeres y los niños \
         son quienes más sufren la violencia de la guerra y la pobreza de los desplazados.",
    );
    ws.write(
        "un/ru.txt",
        "Защита гражданского населения\n\nСовет подчеркивает, что защита гражданского \
         населения в вооруженных конфликтах является обязанностью каждого государства и что \
         женщины и дети больше всего страдают от насилия и нищеты во время войны.",
    );
    ws.write(
        "un/ar.txt",
        "حماية المدنيين\n\nيؤكد المجلس أن حماية المدنيين في النزاعات المسلحة هي مسؤولية كل دولة، \
         وأن النساء والأطفال هم أكثر من يعاني من العنف والفقر أثناء الحرب.",
    );
    ws.write(
        "un/zh.txt",
        "保护平民\n\n安理会强调，在武装冲突中保护平民是每个国家的责任，妇女和儿童受战争暴力和贫困之害最深。",
    );
    // Declared in the page: the declaration wins over detection.
    ws.write(
        "nato/fr-page.html",
        "<!DOCTYPE html><html lang=\"fr\"><head><title>Sécurité humaine</title></head>\
         <body><p>L'OTAN et la sécurité humaine: protection des civils.</p></body></html>",
    );
    ws.index_json();
    ws
}

fn hit_ids(json: &Value) -> Vec<String> {
    json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn each_document_has_its_language_and_a_facet_counts_them() {
    let ws = multilingual();
    let (_, json) = ws.search(&["*"]);
    let langs: BTreeMap<String, u64> =
        serde_json::from_value(json["facets"]["lang"].clone()).unwrap();
    let expected: BTreeMap<String, u64> = [
        ("ar", 1),
        ("en", 1),
        ("es", 1),
        ("fr", 2),
        ("ru", 1),
        ("zh", 1),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(langs, expected);
    for hit in json["hits"].as_array().unwrap() {
        let id = hit["id"].as_str().unwrap();
        let expected = if id == "nato/fr-page.html" {
            "fr"
        } else {
            &id[3..5]
        };
        assert_eq!(hit["lang"], expected, "{id}");
    }
    // Where the language came from, for `show`.
    let shown = ws.run(&["show", "nato/fr-page.html", "--no-text"]);
    assert!(
        shown
            .stdout
            .contains("language fr (French)  (from <html lang>)"),
        "{}",
        shown.stdout
    );
    let shown = ws.run(&["show", "un/ru.txt", "--json", "--no-text"]).json();
    assert_eq!(shown["lang"], "ru");
    assert!(
        shown["provenance"]["lang"]
            .as_str()
            .unwrap()
            .starts_with("detected")
    );
}

#[test]
fn words_are_stemmed_in_their_own_language() {
    let ws = multilingual();
    // French stems: "civil" finds "civils", "pauvretés" finds "pauvreté".
    assert_eq!(ws.ids(&["pauvretés"]), ["un/fr.txt"]);
    // Russian stems: "нищета" (nominative) finds "нищеты" (genitive).
    assert_eq!(ws.ids(&["нищета"]), ["un/ru.txt"]);
    // Spanish: "pobrezas" finds "pobreza"; Arabic with the article finds without.
    assert_eq!(ws.ids(&["pobrezas"]), ["un/es.txt"]);
    assert_eq!(ws.ids(&["الفقر"]), ["un/ar.txt"]);
    // Chinese has no spaces: the word is found as its character pairs.
    assert_eq!(ws.ids(&["贫困"]), ["un/zh.txt"]);
    // A word shared by several languages finds each, by each one's stems.
    assert_eq!(
        ws.ids(&["protection"]),
        ["nato/fr-page.html", "un/en.txt", "un/fr.txt"]
    );
    // --lang narrows to one language; lang: does the same in a query.
    assert_eq!(
        ws.ids(&["protection", "--lang", "fr"]),
        ["nato/fr-page.html", "un/fr.txt"]
    );
    assert_eq!(ws.ids(&["protection lang:en"]), ["un/en.txt"]);
    assert_eq!(
        ws.ids(&["*", "--lang", "FR-ca"]),
        ["nato/fr-page.html", "un/fr.txt"]
    );
}

#[test]
fn phrases_stay_exact_in_every_script() {
    let ws = multilingual();
    assert_eq!(
        ws.ids(&["\"protection des civils\""]),
        ["nato/fr-page.html", "un/fr.txt"]
    );
    // Not stemmed: the plural of a phrase is another phrase.
    assert_eq!(
        ws.ids(&["\"protections des civils\""]),
        Vec::<String>::new()
    );
    assert_eq!(
        ws.ids(&["\"защита гражданского населения\""]),
        ["un/ru.txt"]
    );
    assert_eq!(ws.ids(&["\"гражданского защита\""]), Vec::<String>::new());
    assert_eq!(ws.ids(&["\"حماية المدنيين\""]), ["un/ar.txt"]);
    assert_eq!(ws.ids(&["\"保护平民\""]), ["un/zh.txt"]);
    // The same characters in another order are not the phrase.
    assert_eq!(ws.ids(&["\"平民保护\""]), Vec::<String>::new());
    // Highlighted where they stand.
    let (_, json) = ws.search(&["\"保护平民\""]);
    let snippet = json["hits"][0]["snippet"].as_str().unwrap();
    let spans = json["hits"][0]["highlights"].as_array().unwrap();
    let chars: Vec<char> = snippet.chars().collect();
    let first = &spans[0];
    let (a, b) = (
        first[0].as_u64().unwrap() as usize,
        first[1].as_u64().unwrap() as usize,
    );
    assert_eq!(chars[a..b].iter().collect::<String>(), "保护平民");
}

#[test]
fn bad_language_codes_are_refused_with_a_hint() {
    let ws = multilingual();
    let run = ws.run(&["search", "x", "--lang", "french!"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("--lang \"french!\" is not a language code"),
        "{}",
        run.stderr
    );
    let run = ws.run(&["search", "lang:1"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("needs a language code such as lang:fr"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_source_may_say_its_language() {
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        "[[source]]\nid = \"nato-fr\"\nlang = \"fr-FR\"\n",
    );
    // Too short for a detector to tell.
    ws.write("nato-fr/court.txt", "Sécurité humaine\n\nProtections.");
    // A page's own declaration still wins.
    ws.write(
        "nato-fr/en.html",
        "<html lang=\"en\"><head><title>Human security</title></head><body><p>Protections.</p></body></html>",
    );
    ws.index_json();
    let shown = ws
        .run(&["show", "nato-fr/court.txt", "--json", "--no-text"])
        .json();
    assert_eq!(shown["lang"], "fr");
    assert_eq!(shown["provenance"]["lang"], "sources.toml (source nato-fr)");
    let shown = ws
        .run(&["show", "nato-fr/en.html", "--json", "--no-text"])
        .json();
    assert_eq!(shown["lang"], "en");
    // French stems: "protection" finds the plural in the French document.
    assert_eq!(
        ws.ids(&["protection", "--lang", "fr"]),
        ["nato-fr/court.txt"]
    );

    // Changing the setting re-indexes the source's documents.
    ws.write(
        "sources.toml",
        "[[source]]\nid = \"nato-fr\"\nlang = \"es\"\n",
    );
    let summary = ws.index_json();
    assert_eq!(summary["updated"], 2, "{summary}");
    let shown = ws
        .run(&["show", "nato-fr/court.txt", "--json", "--no-text"])
        .json();
    assert_eq!(shown["lang"], "es");

    // Not a language: refused, with the line.
    ws.write(
        "sources.toml",
        "[[source]]\nid = \"nato-fr\"\nlang = \"French\"\n",
    );
    let run = ws.run(&["index"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("line 3") && run.stderr.contains("not a language code"),
        "{}",
        run.stderr
    );
}

/// Folder of the SDG texts → the ISO 639-1 code dossier must tell, for the
/// languages the detector knows.
const SDG_LANGUAGES: &[(&str, &str)] = &[
    ("ar", "ar"),
    ("ca", "ca"),
    ("cs", "cs"),
    ("de", "de"),
    ("en", "en"),
    ("es", "es"),
    ("fr", "fr"),
    ("hy", "hy"),
    ("it", "it"),
    ("km", "km"),
    ("my", "my"),
    ("ne", "ne"),
    ("ro", "ro"),
    ("ru", "ru"),
    ("tk", "tk"),
    ("tr", "tr"),
    ("uk", "uk"),
    ("zh-Hans", "zh"),
];

fn sdg_workspace() -> Option<Workspace> {
    let corpus = shared_corpus()?;
    let ws = Workspace::new();
    std::fs::create_dir_all(ws.sources()).unwrap();
    std::os::unix::fs::symlink(corpus.join("sdg"), ws.sources().join("sdg")).unwrap();
    ws.index_json();
    Some(ws)
}

#[test]
fn sdg_texts_in_26_languages() {
    let Some(ws) = sdg_workspace() else {
        return;
    };
    let (_, all) = ws.search(&["*"]);
    let mut by_folder: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for hit in all["hits"].as_array().unwrap() {
        let id = hit["id"].as_str().unwrap();
        let folder = id.split('/').nth(1).unwrap().to_string();
        by_folder
            .entry(folder)
            .or_default()
            .push(hit["lang"].as_str().unwrap().to_string());
    }
    // Every file of a known language is told right.
    for (folder, code) in SDG_LANGUAGES {
        let told = &by_folder[*folder];
        assert!(!told.is_empty(), "{folder}");
        assert!(told.iter().all(|c| c == code), "{folder}: {told:?}");
    }
    // The others (Faroese, Kazakh, Kyrgyz, Lao, Montenegrin, Norwegian,
    // Swahili, Tajik, none in the detector or too close to a neighbour) are
    // reported, not guessed into a wrong group silently.
    let others: Vec<String> = by_folder
        .iter()
        .filter(|(f, _)| !SDG_LANGUAGES.iter().any(|(k, _)| k == f))
        .map(|(f, told)| format!("{f}: {told:?}"))
        .collect();
    eprintln!("languages the detector does not tell: {others:?}");

    // A query in a language finds that language's goal first.
    for (query, folder) in [
        ("pauvreté", "fr"),
        ("нищеты", "ru"),
        ("pobreza", "es"),
        ("الفقر", "ar"),
        ("贫穷", "zh-Hans"),
        ("poverty", "en"),
        ("Armut", "de"),
        ("povertà", "it"),
    ] {
        let (_, json) = ws.search(&[query, "--limit", "3"]);
        let ids = hit_ids(&json);
        assert_eq!(
            ids.first().map(String::as_str),
            Some(format!("sdg/{folder}/global_goals.yml").as_str()),
            "{query}: {ids:?}"
        );
        // For the UN's six, the next hits are in the same language too.
        if ["fr", "ru", "es", "ar", "zh-Hans", "en"].contains(&folder) {
            assert!(
                ids.iter()
                    .all(|id| id.starts_with(&format!("sdg/{folder}/"))),
                "{query}: {ids:?}"
            );
        }
    }
}

/// White space folded, lower-cased: what a phrase's words in order look like.
fn normalised(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[test]
fn sdg_phrases_are_exact_in_every_language() {
    let Some(ws) = sdg_workspace() else {
        return;
    };
    let corpus = shared_corpus().unwrap().join("sdg");
    for (phrase, unspaced) in [
        ("sous toutes ses formes", false),
        ("во всех ее формах", false),
        ("en todas sus formas", false),
        ("بجميع أشكاله", false),
        ("可持续发展", true),
        ("in all its forms", false),
    ] {
        // Independently: the files whose text holds the phrase (white space
        // folded; Chinese is written without spaces, so the bare text).
        let mut expected = Vec::new();
        for lang in std::fs::read_dir(&corpus).unwrap() {
            let lang = lang.unwrap().path();
            if !lang.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(&lang).unwrap() {
                let file = file.unwrap().path();
                let text = std::fs::read_to_string(&file).unwrap();
                let holds = if unspaced {
                    text.replace(char::is_whitespace, "").contains(phrase)
                } else {
                    normalised(&text).contains(phrase)
                };
                if holds {
                    expected.push(format!(
                        "sdg/{}/{}",
                        lang.file_name().unwrap().to_string_lossy(),
                        file.file_name().unwrap().to_string_lossy()
                    ));
                }
            }
        }
        expected.sort();
        assert!(!expected.is_empty(), "{phrase}");
        assert_eq!(ws.ids(&[&format!("\"{phrase}\"")]), expected, "{phrase}");
    }
}

/// The pairs of `tests/fixtures/inflections.tsv` (language, typed, written).
fn inflections() -> Vec<(String, String, String)> {
    String::from_utf8(crate::common::fixture("inflections.tsv"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            (cells[0].into(), cells[1].into(), cells[2].into())
        })
        .collect()
}

/// Forms a reader types find the SDG file of their language that writes
/// another form of the word: the stemmer sees words as written (composed,
/// accents and all) and folding comes after, for documents and queries
/// alike; snippets and kwic stem the same way. Phrases stay exact.
#[test]
fn inflected_forms_find_the_sdg_texts_of_their_language() {
    let Some(ws) = sdg_workspace() else {
        return;
    };
    let corpus = shared_corpus().unwrap().join("sdg");
    let mut checked = 0;
    for (code, typed, written) in inflections() {
        let Some((folder, _)) = SDG_LANGUAGES.iter().find(|(_, c)| *c == code) else {
            continue;
        };
        // The written form is in the folder's text (composed, lower case).
        let mut text = String::new();
        for file in std::fs::read_dir(corpus.join(folder)).unwrap() {
            text.push_str(&std::fs::read_to_string(file.unwrap().path()).unwrap());
        }
        let composed: String = unicode_normalization::UnicodeNormalization::nfc(text.as_str())
            .collect::<String>()
            .to_lowercase();
        assert!(
            composed.contains(&written.to_lowercase()),
            "{code}: {written}"
        );

        let ids = ws.ids(&[&typed, "--lang", &code]);
        assert!(!ids.is_empty(), "{code}: {typed} finds nothing");
        assert!(
            ids.iter()
                .all(|id| id.starts_with(&format!("sdg/{folder}/"))),
            "{code}: {typed}: {ids:?}"
        );
        let kwic = ws.run(&["kwic", &typed, "--lang", &code, "--json"]).json();
        assert!(kwic["total"].as_u64().unwrap() > 0, "{code}: kwic {typed}");
        checked += 1;
    }
    assert!(checked >= 30, "{checked} pairs checked");
    // Words find the inflections; a phrase stays the words as typed.
    assert!(!ws.ids(&["pauvretés éliminées", "--lang", "fr"]).is_empty());
    assert!(ws.ids(&["\"pauvretés éliminées\""]).is_empty());
}

/// A word typed with its accents finds the document that writes it without
/// (capitals drop them), and the reverse; Turkish capital İ and Greek
/// capitals (final sigma, no tonos) find the lower-case text; kwic counts
/// what search finds.
#[test]
fn accents_capitals_and_scripts_find_each_other() {
    let ws = Workspace::new();
    ws.write(
        "sources.toml",
        "[[source]]\nid = \"fr\"\nlang = \"fr\"\n[[source]]\nid = \"tr\"\nlang = \"tr\"\n[[source]]\nid = \"el\"\nlang = \"el\"\n",
    );
    ws.write(
        "fr/accents.txt",
        "La sécurité alimentaire et l'égalité des réfugiés.",
    );
    ws.write(
        "fr/capitales.txt",
        "LA SECURITE ALIMENTAIRE ET L'EGALITE DES REFUGIES.",
    );
    ws.write(
        "tr/lower.txt",
        "Her ülkenin kalkınma planı değişikliği ve etkileriyle.",
    );
    ws.write(
        "tr/upper.txt",
        "HER ÜLKENİN KALKINMA PLANI DEĞİŞİKLİĞİ VE ETKİLERİYLE.",
    );
    ws.write("el/lower.txt", "Η ειρήνη της χώρας και η ανάπτυξη.");
    ws.write("el/upper.txt", "Η ΕΙΡΗΝΗ ΤΗΣ ΧΩΡΑΣ ΚΑΙ Η ΑΝΑΠΤΥΞΗ.");
    ws.index_json();
    for (query, lang) in [
        ("sécurité", "fr"),
        ("securite", "fr"),
        ("réfugiés", "fr"),
        ("\"sécurité alimentaire\"", "fr"),
        ("ÜLKENİN", "tr"),
        ("ülkenin", "tr"),
        ("ETKİLERİYLE", "tr"),
        ("χώρας", "el"),
        ("ΧΩΡΑΣ", "el"),
        ("\"της χώρας\"", "el"),
    ] {
        let ids = ws.ids(&[query, "--lang", lang]);
        assert_eq!(ids.len(), 2, "{query}: {ids:?}");
        let kwic = ws.run(&["kwic", query, "--lang", lang, "--json"]).json();
        assert_eq!(kwic["total"], 2, "{query}: kwic {kwic}");
    }
}
