//! Characters → tokens: parentheses, operators, and terms (words, quoted
//! phrases, `field:value`, `*`), each with the character it starts at.

use super::{Node, TextScope};
use crate::error::QueryError;
use crate::text::{LangCode, SourceId, TopicId, YearRange};

/// A token; `at` counts characters from 1, as error messages do.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    LParen { negated: bool, at: usize },
    RParen { at: usize },
    And { at: usize },
    Or { at: usize },
    Not { at: usize },
    Term { negated: bool, node: Node },
}

/// A proximity wider than this is refused: no real question needs it, and
/// each match looks this far.
pub const MAX_SLOP: u32 = 1_000;

/// Curly and angle quotes, as Word, PDFs and theses write them, made the
/// query language's `"`: “ ” „ ‟ « » always; ‘ ’ only where they pair
/// around words (the apostrophe in NATO’s stays an apostrophe).
pub(super) fn straight_quotes(text: &str) -> String {
    let mut chars: Vec<char> = text
        .chars()
        .map(|c| match c {
            '“' | '”' | '„' | '‟' | '«' | '»' => '"',
            other => other,
        })
        .collect();
    let boundary = |c: Option<&char>| c.is_none_or(|c| c.is_whitespace() || matches!(c, '(' | ')'));
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '‘' && boundary(i.checked_sub(1).and_then(|p| chars.get(p))) {
            let close =
                (i + 1..chars.len()).find(|&j| chars[j] == '’' && boundary(chars.get(j + 1)));
            if let Some(j) = close {
                chars[i] = '"';
                chars[j] = '"';
                i = j;
            }
        }
        i += 1;
    }
    chars.into_iter().collect()
}

pub(super) fn lex(text: &str) -> Result<Vec<Tok>, QueryError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c.is_control() {
            i += 1;
            continue;
        }
        let start = i;
        match c {
            '(' => {
                tokens.push(Tok::LParen {
                    negated: false,
                    at: i + 1,
                });
                i += 1;
                continue;
            }
            ')' => {
                tokens.push(Tok::RParen { at: i + 1 });
                i += 1;
                continue;
            }
            _ => {}
        }
        // A leading '-' negates, a leading '+' is accepted and ignored, when
        // followed by something to apply to.
        let mut negated = false;
        if (c == '-' || c == '+')
            && chars
                .get(i + 1)
                .is_some_and(|n| !n.is_whitespace() && *n != ')')
        {
            negated = c == '-';
            i += 1;
            if chars[i] == '(' {
                tokens.push(Tok::LParen { negated, at: i + 1 });
                i += 1;
                continue;
            }
        }
        if chars[i] == '"' {
            let (phrase, next) = read_phrase(&chars, i)?;
            let (slop, next) = read_slop(&chars, next)?;
            tokens.push(Tok::Term {
                negated,
                node: phrase_node(TextScope::TitleOrBody, phrase, slop),
            });
            i = next;
            continue;
        }
        let word_start = i;
        while i < chars.len() && !chars[i].is_whitespace() && !matches!(chars[i], '(' | ')' | '"') {
            i += 1;
        }
        let word: String = chars[word_start..i].iter().collect();
        if !negated && start == word_start {
            let at = start + 1;
            match word.as_str() {
                "AND" | "&&" => {
                    tokens.push(Tok::And { at });
                    continue;
                }
                "OR" | "||" => {
                    tokens.push(Tok::Or { at });
                    continue;
                }
                "NOT" => {
                    tokens.push(Tok::Not { at });
                    continue;
                }
                _ => {}
            }
        }
        if let Some((name, value)) = field_prefix(&word) {
            let at = word_start + 1;
            let (value, quoted, slop) = if value.is_empty() && chars.get(i) == Some(&'"') {
                let (phrase, next) = read_phrase(&chars, i)?;
                let (slop, next) = read_slop(&chars, next)?;
                i = next;
                (phrase, true, slop)
            } else if value.is_empty() && !is_field(&name) {
                // "Human security: a new concept": the colon made a field
                // of a word.
                // (The index's keyword fields are told apart where the
                // index is known: `KnownValues::colon_error`.)
                return Err(QueryError::ColonMadeAField {
                    word: word.trim_end_matches(':').to_string(),
                    at,
                    others: String::new(),
                });
            } else if value.is_empty() {
                return Err(QueryError::MissingValue {
                    example: field_example(&name).to_string(),
                    field: name,
                    at,
                });
            } else {
                (value.to_string(), false, None)
            };
            let node = field_node(&name, value, quoted, slop, at)?;
            tokens.push(Tok::Term { negated, node });
            continue;
        }
        if word == "*" || word == "*:*" {
            tokens.push(Tok::Term {
                negated,
                node: Node::All,
            });
            continue;
        }
        let at = word_start + 1;
        tokens.push(Tok::Term {
            negated,
            node: word_node(TextScope::TitleOrBody, word, at)?,
        });
    }
    Ok(tokens)
}

/// A word, or a prefix when it ends with `*` (`kosov*`): at least two
/// letters or digits before the star, and no star elsewhere.
fn word_node(scope: TextScope, word: String, at: usize) -> Result<Node, QueryError> {
    if !word.contains('*') {
        return Ok(Node::Word(scope, word));
    }
    let stem = word.trim_end_matches('*');
    if stem.contains('*') {
        return Err(QueryError::StarInsideWord { word, at });
    }
    if stem.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
        return Err(QueryError::ShortPrefix { word, at });
    }
    Ok(Node::Prefix(scope, stem.to_string()))
}

/// A quoted phrase, or a proximity when `~N` followed it.
fn phrase_node(scope: TextScope, phrase: String, slop: Option<u32>) -> Node {
    match slop {
        Some(slop) => Node::Near(scope, phrase, slop),
        None => Node::Phrase(scope, phrase),
    }
}

/// `~N` right after a closing quote: the proximity's slop, and the index
/// after it.
fn read_slop(chars: &[char], at: usize) -> Result<(Option<u32>, usize), QueryError> {
    if chars.get(at) != Some(&'~') {
        return Ok((None, at));
    }
    let mut end = at + 1;
    while chars.get(end).is_some_and(char::is_ascii_digit) {
        end += 1;
    }
    let digits: String = chars[at + 1..end].iter().collect();
    let followed_by_word = chars
        .get(end)
        .is_some_and(|c| !c.is_whitespace() && !matches!(c, '(' | ')'));
    if digits.is_empty() || followed_by_word {
        return Err(QueryError::BadSlop { at: at + 1 });
    }
    match digits.parse::<u32>() {
        Ok(slop) if slop <= MAX_SLOP => Ok((Some(slop), end)),
        _ => Err(QueryError::SlopTooLarge {
            at: at + 1,
            max: MAX_SLOP,
        }),
    }
}

/// Reads a quoted phrase starting at the quote at `open`; returns its text and
/// the index after the closing quote.
fn read_phrase(chars: &[char], open: usize) -> Result<(String, usize), QueryError> {
    let mut end = open + 1;
    while end < chars.len() && chars[end] != '"' {
        end += 1;
    }
    if end >= chars.len() {
        return Err(QueryError::UnclosedQuote { at: open + 1 });
    }
    Ok((chars[open + 1..end].iter().collect(), end + 1))
}

/// `name:value` where `name` looks like a field name.
fn field_prefix(word: &str) -> Option<(String, &str)> {
    let (name, value) = word.split_once(':')?;
    let first_ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    if !first_ok || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    Some((name.to_ascii_lowercase(), value))
}

fn is_field(name: &str) -> bool {
    matches!(
        name,
        "title" | "body" | "text" | "source" | "topic" | "year" | "lang" | "id"
    )
}

fn field_example(name: &str) -> &'static str {
    match name {
        "year" => "1999..2008",
        "source" => "un-security-council",
        "topic" => "human-security",
        "lang" => "fr",
        "id" => "\"un-security-council/S_RES_0688_1991_EN_GOLD.txt\"",
        _ => "kosovo",
    }
}

/// The node of `name:value`; `at` is where the field's name starts.
fn field_node(
    name: &str,
    value: String,
    quoted: bool,
    slop: Option<u32>,
    at: usize,
) -> Result<Node, QueryError> {
    let text_node = |scope| {
        if quoted {
            Ok(phrase_node(scope, value.clone(), slop))
        } else {
            word_node(scope, value.clone(), at)
        }
    };
    let bad_id = |field: &'static str| QueryError::BadId {
        field,
        at,
        example: field_example(field),
    };
    Ok(match name {
        "title" => text_node(TextScope::Title)?,
        "body" | "text" => text_node(TextScope::Body)?,
        "source" => Node::Source(SourceId::parse(&value).map_err(|_| bad_id("source"))?),
        "topic" => Node::Topic(TopicId::parse(&value).map_err(|_| bad_id("topic"))?),
        "year" => Node::Year(
            YearRange::parse(&value).map_err(|reason| QueryError::BadYears { at, reason })?,
        ),
        "lang" => Node::Lang(LangCode::from_filter(&value).ok_or(QueryError::BadLanguage { at })?),
        "id" => Node::Id(value),
        // A source's keyword field, or no field at all: the index says.
        other => Node::Field {
            name: other.to_string(),
            value,
            at,
        },
    })
}
