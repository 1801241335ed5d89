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
    fn long_first_lines_are_shortened() {
        let long = "word ".repeat(100);
        let title = title_from_text(&long).unwrap();
        assert!(title.chars().count() <= MAX_TITLE_CHARS + 1);
        assert!(title.ends_with('…'));
    }
}
