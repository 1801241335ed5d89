//! Fields read from a document's address or path: a `[[source]]` may give a
//! regular expression with named groups (`fields`), a title made of them
//! (`title`), a document symbol for citations (`symbol`, e.g. the UN's
//! `S/RES/1325 (2000)`), and for fetched documents a file name made of them
//! (`save_as`).
//! A group named `year` gives the document's year, before anything the
//! document says of itself: a resolution's symbol names its year, while its
//! PDF's date may be that of a later scan.
//!
//! The expression is tried on a fetched document's address first (what was
//! asked for, e.g. `https://undocs.org/S/RES/1325(2000)`), then on its path
//! in the sources folder (`S_RES_1325_2000.pdf`).

use regex::Regex;

/// Names a group may not have: the query language's own fields (`year`
/// is a group's name on purpose: it sets the year).
const RESERVED_NAMES: &[&str] = &[
    "title", "body", "text", "source", "topic", "lang", "id", "field",
];

/// A group's name as queries write it: `country`, `session_2`.
pub fn is_field_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A source's `fields`, `title` and `save_as`, checked.
#[derive(Debug, Clone)]
pub struct FieldRule {
    pattern: Regex,
    title: Option<Template>,
    save_as: Option<Template>,
    symbol: Option<Template>,
}

impl PartialEq for FieldRule {
    fn eq(&self, other: &Self) -> bool {
        self.pattern.as_str() == other.pattern.as_str()
            && self.title == other.title
            && self.save_as == other.save_as
            && self.symbol == other.symbol
    }
}

impl Eq for FieldRule {}

/// Named values read by a [`FieldRule`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldValues(Vec<(String, String)>);

impl FieldValues {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every name and value, in the expression's order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The values that become a document's keyword fields: all but `year`,
    /// which sets its year, and empty ones.
    pub fn keywords(&self) -> impl Iterator<Item = (&str, &str)> {
        self.iter().filter(|(n, v)| *n != "year" && !v.is_empty())
    }

    /// The year the values name, when there is a plausible one.
    pub fn year(&self) -> Option<i16> {
        self.get("year")?
            .parse()
            .ok()
            .filter(|y| (1800..=2100).contains(y))
    }
}

/// A text with `{name}` placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template(String);

impl Template {
    /// Checks that every placeholder names a group of `pattern`.
    fn parse(text: &str, pattern: &Regex, key: &str) -> Result<Template, String> {
        let groups: Vec<&str> = pattern.capture_names().flatten().collect();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                return Err(format!("`{key}` has a '{{' that is never closed"));
            };
            let name = &rest[open + 1..open + close];
            if !groups.contains(&name) {
                return Err(format!(
                    "`{key}` names {{{name}}}, but `fields` has no group of that name (its groups: {})",
                    if groups.is_empty() {
                        "none".to_string()
                    } else {
                        groups.join(", ")
                    }
                ));
            }
            rest = &rest[open + close + 1..];
        }
        Ok(Template(text.to_string()))
    }

    pub fn fill(&self, values: &FieldValues) -> String {
        let mut out = self.0.clone();
        for (name, value) in &values.0 {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }
}

/// A regex error on one line: the regex crate draws the pattern with a
/// caret under the fault, on several lines, which a one-line error message
/// would print as escapes. "unclosed character class at character 13".
fn regex_error_line(error: &regex::Error) -> String {
    let regex::Error::Syntax(text) = error else {
        return error.to_string();
    };
    let lines: Vec<&str> = text.lines().collect();
    let what = lines
        .iter()
        .find_map(|l| l.strip_prefix("error: "))
        .unwrap_or("cannot be read");
    // The pattern is drawn indented by four spaces (a pattern may itself
    // start with ^), the caret line below it: carets and dashes only.
    let at = lines
        .iter()
        .skip(2)
        .find(|l| {
            let mark = l.trim();
            !mark.is_empty() && mark.chars().all(|c| c == '^' || c == '-')
        })
        .and_then(|l| l.find('^'))
        .map(|column| column.saturating_sub(4) + 1);
    match at {
        Some(at) => format!("{what} at character {at}"),
        None => what.to_string(),
    }
}

impl FieldRule {
    /// Checks a source's keys; an error says which key and why.
    pub fn parse(
        fields: &str,
        title: Option<&str>,
        save_as: Option<&str>,
    ) -> Result<FieldRule, String> {
        let pattern = Regex::new(fields).map_err(|e| {
            format!(
                "`fields` is not a regular expression: {}",
                regex_error_line(&e)
            )
        })?;
        if pattern.capture_names().flatten().next().is_none() {
            return Err(
                "`fields` has no named group: write one as (?P<name>...), e.g. (?P<year>\\d{4})"
                    .into(),
            );
        }
        for name in pattern.capture_names().flatten() {
            if RESERVED_NAMES.contains(&name) {
                return Err(format!(
                    "`fields` has a group named `{name}`, a field dossier has already: give it another name"
                ));
            }
            if !is_field_name(name) {
                return Err(format!(
                    "`fields` has a group named `{name}`: a group's name is a field of queries (`{}:…`), so lower-case letters, digits and '_', starting with a letter",
                    name.to_lowercase()
                ));
            }
        }
        Ok(FieldRule {
            title: title
                .map(|t| Template::parse(t, &pattern, "title"))
                .transpose()?,
            save_as: save_as
                .map(|t| Template::parse(t, &pattern, "save_as"))
                .transpose()?,
            symbol: None,
            pattern,
        })
    }

    /// The rule with a `symbol` template, checked against its groups.
    pub fn with_symbol(mut self, symbol: Option<&str>) -> Result<FieldRule, String> {
        self.symbol = symbol
            .map(|t| Template::parse(t, &self.pattern, "symbol"))
            .transpose()?;
        Ok(self)
    }

    pub fn symbol(&self) -> Option<&Template> {
        self.symbol.as_ref()
    }

    /// The values read from the first of `texts` the expression matches.
    pub fn read<'a>(&self, texts: impl IntoIterator<Item = &'a str>) -> Option<FieldValues> {
        texts.into_iter().find_map(|text| {
            let captures = self.pattern.captures(text)?;
            Some(FieldValues(
                self.pattern
                    .capture_names()
                    .flatten()
                    .filter_map(|name| {
                        Some((name.to_string(), captures.name(name)?.as_str().to_string()))
                    })
                    .collect(),
            ))
        })
    }

    pub fn title(&self) -> Option<&Template> {
        self.title.as_ref()
    }

    pub fn save_as(&self) -> Option<&Template> {
        self.save_as.as_ref()
    }

    /// A fingerprint of the rule, for the index to tell when it changed.
    pub fn key(&self) -> String {
        format!(
            "{}\u{0}{}\u{0}{}",
            self.pattern.as_str(),
            self.title.as_ref().map_or("", |t| t.0.as_str()),
            self.save_as.as_ref().map_or("", |t| t.0.as_str())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_symbol_gives_title_year_and_name() {
        let rule = FieldRule::parse(
            r"S/RES/(?P<number>\d+)\s*\((?P<year>\d{4})\)",
            Some("S/RES/{number} ({year})"),
            Some("S_RES_{number}_{year}"),
        )
        .unwrap();
        let values = rule
            .read(["https://undocs.org/S/RES/1325(2000)", "unsc/x.pdf"])
            .unwrap();
        assert_eq!(values.year(), Some(2000));
        assert_eq!(rule.title().unwrap().fill(&values), "S/RES/1325 (2000)");
        assert_eq!(rule.save_as().unwrap().fill(&values), "S_RES_1325_2000");
        assert!(rule.read(["https://undocs.org/A/78/1"]).is_none());
    }

    #[test]
    fn a_bad_expression_is_said_on_one_line_with_its_place() {
        let err = FieldRule::parse("(?P<country>[A-Z", None, None).unwrap_err();
        assert_eq!(
            err,
            "`fields` is not a regular expression: unclosed character class at character 13"
        );
        let err = FieldRule::parse("^(?P<n>\\d+)(", None, None).unwrap_err();
        assert!(err.ends_with("at character 12"), "{err}");
    }

    #[test]
    fn bad_rules_say_which_key() {
        for (fields, title, says) in [
            ("(", None, "`fields` is not a regular expression"),
            (r"\d+", None, "no named group"),
            (r"(?P<n>\d+)", Some("{m}"), "`title` names {m}"),
            (r"(?P<n>\d+)", Some("{n"), "never closed"),
        ] {
            let err = FieldRule::parse(fields, title, None).unwrap_err();
            assert!(err.contains(says), "{err}");
            assert!(!err.contains('\n'), "one line: {err}");
        }
    }
}
