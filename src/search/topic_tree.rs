//! The taxonomy as a tree, with how many documents carry each topic (a
//! document counts under a topic's ancestors too): what `dossier topics`
//! shows. Topics that come only from a source's defaults, outside the
//! taxonomy, are in the tree as well.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::extract::topics::Taxonomy;
use crate::text::TopicId;

#[derive(Debug, Clone, Serialize)]
pub struct TopicNode {
    pub id: TopicId,
    pub label: String,
    pub documents: u64,
    pub children: Vec<TopicNode>,
}

pub fn topic_tree(taxonomy: &Taxonomy, counts: &BTreeMap<TopicId, u64>) -> Vec<TopicNode> {
    // Every id to show, in taxonomy order, then the others alphabetically;
    // each with its ancestors.
    let mut ids: Vec<TopicId> = Vec::new();
    let ancestors = taxonomy
        .topics
        .iter()
        .map(|t| &t.id)
        .chain(counts.keys())
        .flat_map(TopicId::with_ancestors);
    for id in ancestors {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    build_level(&ids, None, taxonomy, counts)
}

fn build_level(
    ids: &[TopicId],
    parent: Option<&TopicId>,
    taxonomy: &Taxonomy,
    counts: &BTreeMap<TopicId, u64>,
) -> Vec<TopicNode> {
    ids.iter()
        .filter(|id| id.parent().as_ref() == parent)
        .map(|id| TopicNode {
            id: id.clone(),
            label: taxonomy.label(id).unwrap_or(id.leaf()).to_string(),
            documents: counts.get(id).copied().unwrap_or(0),
            children: build_level(ids, Some(id), taxonomy, counts),
        })
        .collect()
}
