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
            tokens.push(Tok::Term {
                negated,
                node: Node::Phrase(TextScope::TitleOrBody, phrase),
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
            let (value, quoted) = if value.is_empty() && chars.get(i) == Some(&'"') {
                let (phrase, next) = read_phrase(&chars, i)?;
                i = next;
                (phrase, true)
            } else if value.is_empty() {
                return Err(QueryError::MissingValue {
                    example: field_example(&name),
                    field: name,
                    at,
                });
            } else {
                (value.to_string(), false)
            };
            let node = field_node(&name, value, quoted, at)?;
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
        tokens.push(Tok::Term {
            negated,
            node: Node::Word(TextScope::TitleOrBody, word),
        });
    }
    Ok(tokens)
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
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphabetic() || c == '_') {
        return None;
    }
    Some((name.to_ascii_lowercase(), value))
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
fn field_node(name: &str, value: String, quoted: bool, at: usize) -> Result<Node, QueryError> {
    let text_node = |scope| {
        if quoted {
            Node::Phrase(scope, value.clone())
        } else {
            Node::Word(scope, value.clone())
        }
    };
    let bad_id = |field: &'static str| QueryError::BadId {
        field,
        at,
        example: field_example(field),
    };
    Ok(match name {
        "title" => text_node(TextScope::Title),
        "body" | "text" => text_node(TextScope::Body),
        "source" => Node::Source(SourceId::parse(&value).map_err(|_| bad_id("source"))?),
        "topic" => Node::Topic(TopicId::parse(&value).map_err(|_| bad_id("topic"))?),
        "year" => Node::Year(
            YearRange::parse(&value).map_err(|reason| QueryError::BadYears { at, reason })?,
        ),
        "lang" => Node::Lang(LangCode::from_filter(&value).ok_or(QueryError::BadLanguage { at })?),
        "id" => Node::Id(value),
        other => {
            return Err(QueryError::UnknownField {
                field: other.to_string(),
                at,
            });
        }
    })
}
