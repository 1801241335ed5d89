//! Prefixes: `kosov*` stands for the words of the index that start with
//! `kosov` (Kosovo, Kosova, Kosovar), found in the term dictionaries of the
//! unstemmed fields and searched as exact words, so that snippets, `kwic` and
//! counts see the same words the search matched. A prefix can stand for
//! thousands of words (`co*`): the most frequent [`MAX_EXPANSIONS`] are
//! searched, and the caller is told.

use std::collections::HashMap;

use tantivy::Searcher;
use tantivy::schema::Field;

use super::grammar::{Node, TextScope};
use crate::error::QueryError;
use crate::index::DossierIndex;
use crate::text::analysis::{analyze, exact_analyzer};
use crate::{Error, Result};

/// Words one prefix may stand for (Lucene's clause limit is 1,024).
pub const MAX_EXPANSIONS: usize = 1_000;

/// Words read from the dictionaries for one prefix, at most: beyond this a
/// prefix is too short to mean anything, and the reading stops.
const MAX_SCANNED: usize = 200_000;

/// `node` with each prefix replaced by the words it stands for; what was
/// capped goes to `notes`.
pub fn expand_prefixes(
    node: Node,
    index: &DossierIndex,
    searcher: &Searcher,
    notes: &mut Vec<String>,
) -> Result<Node> {
    Ok(match node {
        Node::Prefix(scope, typed) => expand_one(scope, &typed, index, searcher, notes)?,
        Node::And(parts) => Node::And(
            parts
                .into_iter()
                .map(|p| expand_prefixes(p, index, searcher, notes))
                .collect::<Result<_>>()?,
        ),
        Node::Or(parts) => Node::Or(
            parts
                .into_iter()
                .map(|p| expand_prefixes(p, index, searcher, notes))
                .collect::<Result<_>>()?,
        ),
        Node::Not(inner) => Node::Not(Box::new(expand_prefixes(*inner, index, searcher, notes)?)),
        other => other,
    })
}

fn expand_one(
    scope: TextScope,
    typed: &str,
    index: &DossierIndex,
    searcher: &Searcher,
    notes: &mut Vec<String>,
) -> Result<Node> {
    let fields = index.fields;
    let mut tokens = analyze(&mut exact_analyzer(), typed);
    if tokens.len() != 1 {
        return Err(Error::Query(QueryError::PrefixNotOneWord {
            word: format!("{typed}*"),
        }));
    }
    let prefix = tokens.remove(0);
    let searched: &[Field] = match scope {
        TextScope::Title => &[fields.title_exact],
        TextScope::Body => &[fields.body_exact],
        TextScope::TitleOrBody => &[fields.title_exact, fields.body_exact],
    };
    let (words, complete) = words_starting_with(index, searcher, searched, &prefix)?;
    if words.is_empty() {
        // No word starts so: the prefix as a word matches nothing.
        return Ok(Node::Phrase(scope, prefix));
    }
    let mut by_frequency: Vec<(String, u64)> = words.into_iter().collect();
    by_frequency.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if by_frequency.len() > MAX_EXPANSIONS || !complete {
        let many = if complete {
            format!("{} words", by_frequency.len())
        } else {
            format!("more than {MAX_SCANNED} words")
        };
        notes.push(format!(
            "{typed}* stands for {many} in the index; the {MAX_EXPANSIONS} most frequent were searched (a longer prefix narrows it)"
        ));
        by_frequency.truncate(MAX_EXPANSIONS);
    }
    Ok(Node::Or(
        by_frequency
            .into_iter()
            .map(|(word, _)| Node::Phrase(scope, word))
            .collect(),
    ))
}

/// The words of `fields` that start with `prefix`, with the number of
/// documents each is in (summed over segments and fields); `false` when the
/// reading stopped at [`MAX_SCANNED`].
fn words_starting_with(
    index_: &DossierIndex,
    searcher: &Searcher,
    fields: &[Field],
    prefix: &str,
) -> Result<(HashMap<String, u64>, bool)> {
    let mut words: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        for &field in fields {
            let index = segment
                .inverted_index(field)
                .map_err(|e| Error::damaged(&index_.dir, e))?;
            let mut stream = index
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .into_stream()
                .map_err(|e| Error::damaged(&index_.dir, e))?;
            while stream.advance() {
                let key = stream.key();
                if !key.starts_with(prefix.as_bytes()) {
                    break;
                }
                let Ok(word) = std::str::from_utf8(key) else {
                    continue;
                };
                if !words.contains_key(word) && words.len() >= MAX_SCANNED {
                    return Ok((words, false));
                }
                *words.entry(word.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
    Ok((words, true))
}
