//! What a PDF's drawn glyphs give, turned into text people search: forms
//! that only exist for drawing folded (ligatures, Arabic presentation forms),
//! right-to-left lines drawn in visual order put back in reading order, and
//! words split at a line end joined again. PDFs draw; they do not write:
//! "ﬁ" is one glyph for two letters, an Arabic word is drawn as its
//! letters' shapes from left to right, and "inter-" / "preter" is where a
//! line happened to end. Searching for "benefits", "الفاتيكان" or
//! "interpreter" must find them.

use std::collections::HashMap;

use unicode_bidi::{BidiInfo, Level};
use unicode_normalization::UnicodeNormalization;

/// Folds the forms a font draws but a writer never types: the Latin
/// ligatures (U+FB00–FB06) and the Arabic presentation forms (U+FB50–FDFF,
/// U+FE70–FEFF) to their letters by NFKC; everything else stays as it is
/// (full NFKC would also fold superscripts, fractions and full-width forms,
/// which a reader may want as printed).
pub fn fold_drawn_forms(page: &str) -> String {
    fold_with_ligature_ends(page, 0, &mut Vec::new())
}

fn is_drawn_form(c: char) -> bool {
    matches!(c, '\u{FB00}'..='\u{FB06}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFE}')
}

/// Hebrew and Arabic presentation forms: letters drawn in a shape.
fn is_rtl_form(c: char) -> bool {
    matches!(c, '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFE}')
}

pub(super) fn is_rtl_letter(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{05FF}' | '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}')
}

/// Whether right-to-left words in this text were drawn in visual order
/// (each word's letters left to right, so reversed when read in drawing
/// order). Told by letters that belong at one end of a word: Arabic's
/// article "ال" starts words and "ة"/"ى" end them; Hebrew's final letters
/// (ך ם ן ף ץ) end them. Reversed, they show at the other end. Words are
/// told on their letters, presentation forms folded word by word: the
/// pages themselves are not copied (most PDFs have no such word). When
/// the letters tell nothing either way (a text of two words: "مرحبا
/// بالعالم" has no such letter), the drawing does: `pairs` counts letters
/// placed rightward and leftward of the one before; a page drawn in strings
/// places them rightward, in visual order.
pub fn rtl_drawn_visually<'a>(
    pages: impl IntoIterator<Item = &'a str>,
    pairs: (usize, usize),
) -> bool {
    let (mut logical, mut visual) = (0usize, 0usize);
    let candidates = pages.into_iter().flat_map(|page| {
        page.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().any(|c| is_rtl_letter(c) || is_rtl_form(c)))
    });
    for word in candidates {
        let word = fold_drawn_forms(word);
        let chars: Vec<char> = word.chars().collect();
        if chars.is_empty() {
            continue;
        }
        let (first, last) = (chars[0], chars[chars.len() - 1]);
        let final_only = |c: char| matches!(c, 'ة' | 'ى' | 'ך' | 'ם' | 'ן' | 'ף' | 'ץ');
        if final_only(last) {
            logical += 1;
        }
        if final_only(first) && chars.len() > 1 {
            visual += 1;
        }
        if chars.len() > 3 {
            if word.starts_with("ال") {
                logical += 1;
            }
            if word.ends_with("لا") {
                visual += 1;
            }
        }
    }
    if logical == 0 && visual < 2 {
        let (rightward, leftward) = pairs;
        return rightward >= 2 && rightward > 2 * leftward;
    }
    visual >= 2 && visual > 2 * logical
}

/// A line drawn in visual order, in reading order: the bidirectional
/// algorithm's reordering of a right-to-left line reverses its
/// right-to-left runs and keeps numbers and Latin words as they are, which
/// undoes the drawing's order.
pub fn visual_line_to_logical(line: &str) -> String {
    if !line.chars().any(is_rtl_letter) {
        return line.to_string();
    }
    let info = BidiInfo::new(line, Some(Level::rtl()));
    let Some(paragraph) = info.paragraphs.first() else {
        return line.to_string();
    };
    info.reorder_line(paragraph, paragraph.range.clone())
        .into_owned()
}

/// Every line of `page` with right-to-left letters in reading order.
pub fn page_to_logical(page: &str) -> String {
    page.split('\n')
        .map(visual_line_to_logical)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The document's words, lower-cased, with how often each occurs: what a
/// split word is checked against.
fn words_of(text: &str) -> HashMap<String, usize> {
    let mut words = HashMap::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if !word.is_empty() {
            *words.entry(word.to_lowercase()).or_insert(0) += 1;
        }
    }
    words
}

/// Joins words split at a line end by a hyphen ("inter-" / "preter") when
/// the document also has the joined word without the hyphen, or when either
/// piece is no word the document uses elsewhere (German "Entde-" / "ckung",
/// "Ge-" / "burt": syllables, not words); a hyphen between two words the
/// document uses on their own ("well-" / "known", with no "wellknown") is
/// a real one and stays. Only within a page: a word joined across a page
/// break would move to the wrong page.
pub fn join_line_end_hyphens(text: &str) -> String {
    if !text.contains("-\n") && !text.contains("\u{AD}\n") {
        return text.to_string();
    }
    let words = words_of(text);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['-', '\u{AD}']) {
        let hyphen_len = rest[at..].chars().next().map_or(1, char::len_utf8);
        let (before, after_hyphen) = (&rest[..at], &rest[at + hyphen_len..]);
        out.push_str(before);
        let joined = after_hyphen.strip_prefix('\n').and_then(|next_line| {
            let left = trailing_word(&out);
            let indent = next_line.len() - next_line.trim_start_matches([' ', '\t']).len();
            let right_start = &next_line[indent..];
            let right = leading_word(right_start);
            (!left.is_empty()
                && (joins_a_known_word(&words, left, right) || splits_a_word(&words, left, right)))
            .then_some((right, &right_start[right.len()..]))
        });
        match joined {
            Some((right, after)) => {
                out.push_str(right);
                // The line still ends, after the joined word.
                rest = match after.strip_prefix(' ') {
                    Some(after) => {
                        out.push('\n');
                        after
                    }
                    None => after,
                };
            }
            None => {
                out.push_str(&rest[at..at + hyphen_len]);
                rest = after_hyphen;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The letters and digits that start `text`.
fn leading_word(text: &str) -> &str {
    let len = text
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(text.len());
    &text[..len]
}

/// Whether `left` and `right` make one word the document has: `right`
/// starts in lower case (a capital starts a new word or a name).
fn joins_a_known_word(words: &HashMap<String, usize>, left: &str, right: &str) -> bool {
    right.chars().next().is_some_and(char::is_lowercase)
        && words.contains_key(&format!("{left}{right}").to_lowercase())
}

/// Whether a line-end hyphen between `left` and `right` splits a word:
/// `right` starts in lower case and one of the two pieces occurs only here
/// (each is counted once where it stands).
fn splits_a_word(words: &HashMap<String, usize>, left: &str, right: &str) -> bool {
    let elsewhere = |piece: &str| words.get(&piece.to_lowercase()).copied().unwrap_or(0) > 1;
    right.chars().next().is_some_and(char::is_lowercase)
        && right.chars().all(char::is_alphabetic)
        && left.chars().all(char::is_alphabetic)
        && !(elsewhere(left) && elsewhere(right))
}

/// The letters and digits that end `text`.
fn trailing_word(text: &str) -> &str {
    let start = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric())
        .last()
        .map_or(text.len(), |(i, _)| i);
    &text[start..]
}

/// Joins a word that a ligature's glyph split with a space after it
/// ("beneﬁ ts", folded to "benefi ts") when the document has the joined
/// word elsewhere. `ligature_ends` are the byte offsets just after each
/// folded ligature in `text`.
pub fn join_after_ligatures(text: &str, ligature_ends: &[usize]) -> String {
    if ligature_ends.is_empty() {
        return text.to_string();
    }
    let words = words_of(text);
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for &end in ligature_ends {
        if end < copied || !text[end..].starts_with(' ') {
            continue;
        }
        let left = trailing_word(&text[..end]);
        let right = leading_word(&text[end + 1..]);
        if joins_a_known_word(&words, left, right) {
            out.push_str(&text[copied..end]);
            copied = end + 1;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// [`fold_drawn_forms`], also saying where each folded ligature ended in
/// the output (for [`join_after_ligatures`]).
pub fn fold_with_ligature_ends(page: &str, offset: usize, ends: &mut Vec<usize>) -> String {
    if !page.chars().any(is_drawn_form) {
        return page.to_string();
    }
    let mut out = String::with_capacity(page.len());
    for c in page.chars() {
        if is_drawn_form(c) {
            out.extend(std::iter::once(c).nfkc());
            if ('\u{FB00}'..='\u{FB06}').contains(&c) {
                ends.push(offset + out.len());
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ligatures_and_arabic_presentation_forms_are_folded() {
        assert_eq!(fold_drawn_forms("ﬁnal ﬂow ¹ ５"), "final flow ¹ ５");
        assert_eq!(fold_drawn_forms("ﺔﻴﺑﺮﻌﻟا"), "ةيبرعلا");
    }

    #[test]
    fn arabic_drawn_left_to_right_is_read_right_to_left() {
        // "أنواع الخطوط العربية" as pdf-extract gives it: each word reversed.
        let drawn = "ﺔﻴﺑﺮﻌﻟا طﻮﻄﳋا عاﻮﻧا";
        assert!(rtl_drawn_visually(
            [fold_drawn_forms(drawn).as_str()],
            (0, 0)
        ));
        // Reordered before folding: "ﳋ" is one glyph for two letters.
        assert_eq!(
            fold_drawn_forms(&page_to_logical(drawn)),
            "انواع الخطوط العربية"
        );
        // Already in reading order: left alone.
        assert!(!rtl_drawn_visually(
            ["انواع الخطوط العربية والمكتبة"],
            (0, 0)
        ));
        // The letters win over the drawing when they tell.
        assert!(!rtl_drawn_visually(
            ["انواع الخطوط العربية والمكتبة"],
            (20, 0)
        ));
        // When they tell nothing, the drawing decides.
        assert!(rtl_drawn_visually(["ملاعلاب ابحرم"], (10, 0)));
        assert!(!rtl_drawn_visually(["ملاعلاب ابحرم"], (0, 10)));
        assert!(!rtl_drawn_visually(["ملاعلاب ابحرم"], (0, 0)));
    }

    #[test]
    fn numbers_keep_their_order_in_a_reversed_line() {
        assert_eq!(visual_line_to_logical("2024 ةنس"), "سنة 2024");
        assert_eq!(visual_line_to_logical("plain Latin 12"), "plain Latin 12");
    }

    #[test]
    fn hebrew_final_letters_tell_the_order() {
        assert!(rtl_drawn_visually(["םולש םלוע םיבר"], (0, 0)));
        assert!(!rtl_drawn_visually(["שלום עולם רבים"], (0, 0)));
    }

    #[test]
    fn line_end_hyphens_join_words_the_document_knows() {
        let text = "the inter-\npreter said\nan interpreter is well-\nknown as well known";
        assert_eq!(
            join_line_end_hyphens(text),
            "the interpreter\nsaid\nan interpreter is well-\nknown as well known"
        );
        // A syllable that is no word of the document: a split word.
        let text = "die Entde-\nckung des Kosmos, die Ge-\nburt";
        assert_eq!(
            join_line_end_hyphens(text),
            "die Entdeckung\ndes Kosmos, die Geburt"
        );
        // Not across a page break, and not a capitalised next line.
        let text = "inter-\x0cpreter interpreter Anti-\nWar antiwar";
        assert_eq!(join_line_end_hyphens(text), text);
        assert_eq!(join_line_end_hyphens("a -\nb ab"), "a -\nb ab");
    }

    #[test]
    fn a_space_after_a_ligature_is_dropped_inside_a_known_word() {
        let mut ends = Vec::new();
        let text = fold_with_ligature_ends("beneﬁ ts and benefits; ﬁ sh", 0, &mut ends);
        assert_eq!(text, "benefi ts and benefits; fi sh");
        assert_eq!(
            join_after_ligatures(&text, &ends),
            "benefits and benefits; fi sh"
        );
    }
}
