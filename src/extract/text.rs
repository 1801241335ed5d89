//! Plain text and Markdown: the text is the document; its title is the first
//! non-empty line (without Markdown's heading marks).

/// Titles longer than this are cut at a word boundary: a first line can be a
/// whole paragraph.
const MAX_TITLE_CHARS: usize = 160;

pub fn title_from_text(text: &str) -> Option<String> {
    let line = text
        .lines()
        .map(|l| l.trim().trim_start_matches('#').trim())
        .find(|l| !l.is_empty() && !is_markdown_rule(l))?;
    Some(shorten(line, MAX_TITLE_CHARS))
}

/// A title from the first line only when it reads as one: a speech whose
/// first line is "My" or "At the outset, I" (a sentence broken across
/// lines), or a whole paragraph, has no title of its own, and its file name
/// (`THA_54_1999.txt`) says more.
pub fn title_like_first_line(text: &str) -> Option<String> {
    let mut lines = text
        .lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty() || is_markdown_rule(l));
    let first = lines.next()?;
    // A Markdown heading says it is one.
    let heading = first.starts_with('#');
    let first = first.trim_start_matches('#').trim();
    let next = lines.next().unwrap_or("");
    (heading && !first.is_empty() || is_title_like(first, next))
        .then(|| shorten(first, MAX_TITLE_CHARS))
}

/// Words a line does not end on when it is whole: articles, prepositions,
/// conjunctions, pronouns.
const FRAGMENT_ENDINGS: &[&str] = &[
    "a", "an", "the", "of", "and", "or", "but", "to", "in", "on", "at", "by", "for", "with",
    "from", "that", "which", "who", "as", "is", "are", "was", "were", "i", "we", "my", "our",
    "this", "its", "their", "his", "her", "be", "has", "have",
];

fn is_title_like(first: &str, next: &str) -> bool {
    let words: Vec<&str> = first.split_whitespace().collect();
    let Some(last) = words.last() else {
        return false;
    };
    let last = last.trim_matches(|c: char| !c.is_alphanumeric());
    if FRAGMENT_ENDINGS.contains(&last.to_lowercase().as_str()) {
        return false;
    }
    // One or two words are a heading only when they stand alone, capitalised,
    // above a blank line ("Resolution 1244"); otherwise they begin a sentence
    // that the text wraps ("My / delegation…").
    if words.len() < 3 {
        let capital = first
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric());
        return capital && next.is_empty();
    }
    if first.ends_with([',', ';', ':', '-', '–']) {
        return false;
    }
    // A sentence that goes on in the next line, which the text wraps.
    let ends_sentence = first.ends_with(['.', '!', '?', '"', '”', ')']);
    if !ends_sentence && next.chars().next().is_some_and(char::is_lowercase) {
        return false;
    }
    // A paragraph: a long sentence, or several.
    let sentences = first.matches(". ").count() + usize::from(first.ends_with('.'));
    !(words.len() > 14 && sentences >= 1 || sentences >= 2 && words.len() > 8)
}

fn is_markdown_rule(line: &str) -> bool {
    line.len() >= 3
        && line
            .chars()
            .all(|c| matches!(c, '-' | '=' | '*' | '_' | ' '))
}

/// Cuts `text` to at most `max` characters, at a word boundary, with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > max / 2 => &cut[..space],
        _ => &cut,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_non_empty_line() {
        assert_eq!(
            title_from_text("\n\n  MILITARY STAFF COMMITTEE\n\nbody").unwrap(),
            "MILITARY STAFF COMMITTEE"
        );
        assert_eq!(
            title_from_text("# Women, peace and security\ntext").unwrap(),
            "Women, peace and security"
        );
        assert_eq!(title_from_text("---\n## Heading\n").unwrap(), "Heading");
        assert_eq!(title_from_text(" \n\t\n"), None);
    }

    #[test]
    fn first_lines_that_are_no_titles() {
        for text in [
            "My\ncountry thanks you.",
            "At the outset, I\nwish to congratulate you.",
            "On behalf of the\nGovernment and people of Thailand, I extend",
            "At the resumption of the first session of the General Assembly, the Argentine delegation wishes to state its views on a number of questions.\nPolitics are determined by circumstances.",
            "Mr. President, allow me\nto begin by thanking you.",
            "Mr. President\nOn behalf of my delegation.",
            "Peacebuilding\nrésolution",
        ] {
            assert_eq!(title_like_first_line(text), None, "{text}");
        }
        for (text, title) in [
            (
                "MILITARY STAFF COMMITTEE\n\nbody",
                "MILITARY STAFF COMMITTEE",
            ),
            (
                "# Women, peace and security\ntext",
                "Women, peace and security",
            ),
            (
                "Protection of civilians in armed conflict\n\nThe Council…",
                "Protection of civilians in armed conflict",
            ),
            (
                "Resolution 1244\n\nThe situation in Kosovo.",
                "Resolution 1244",
            ),
            ("Peacebuilding\n\nA report.", "Peacebuilding"),
            (
                "Resolution 1325 (2000)\nAdopted by the Security Council",
                "Resolution 1325 (2000)",
            ),
        ] {
            assert_eq!(
                title_like_first_line(text).as_deref(),
                Some(title),
                "{text}"
            );
        }
    }

    #[test]
    fn long_first_lines_are_shortened() {
        let long = "word ".repeat(100);
        let title = title_from_text(&long).unwrap();
        assert!(title.chars().count() <= MAX_TITLE_CHARS + 1);
        assert!(title.ends_with('…'));
    }
}
