//! `dossier topics`: the taxonomy as a tree, with how many documents carry each
//! topic (a document counts under a topic's ancestors too). Topics that come
//! only from a source's defaults, outside the taxonomy, are listed as well.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::style::Style;
use crate::extract::topics::Taxonomy;

#[derive(Debug, Clone, Serialize)]
pub struct TopicNode {
    pub id: String,
    pub label: String,
    pub documents: u64,
    pub children: Vec<TopicNode>,
}

pub fn topic_tree(taxonomy: &Taxonomy, counts: &BTreeMap<String, u64>) -> Vec<TopicNode> {
    // Every id to show, in taxonomy order, then the others alphabetically;
    // each with its ancestors.
    let mut ids: Vec<String> = Vec::new();
    let push = |id: &str, ids: &mut Vec<String>| {
        let parts: Vec<&str> = id.split('/').collect();
        for depth in 1..=parts.len() {
            let prefix = parts[..depth].join("/");
            if !ids.contains(&prefix) {
                ids.push(prefix);
            }
        }
    };
    for topic in &taxonomy.topics {
        push(&topic.id, &mut ids);
    }
    for id in counts.keys() {
        push(id, &mut ids);
    }
    build_level(&ids, "", taxonomy, counts)
}

fn build_level(
    ids: &[String],
    parent: &str,
    taxonomy: &Taxonomy,
    counts: &BTreeMap<String, u64>,
) -> Vec<TopicNode> {
    ids.iter()
        .filter(|id| match id.rsplit_once('/') {
            Some((p, _)) => p == parent,
            None => parent.is_empty(),
        })
        .map(|id| TopicNode {
            id: id.clone(),
            label: taxonomy
                .label(id)
                .unwrap_or(id.rsplit('/').next().unwrap_or(id))
                .to_string(),
            documents: counts.get(id).copied().unwrap_or(0),
            children: build_level(ids, id, taxonomy, counts),
        })
        .collect()
}

pub fn write_tree(
    out: &mut dyn Write,
    nodes: &[TopicNode],
    origin: &str,
    style: Style,
) -> io::Result<()> {
    fn walk(
        out: &mut dyn Write,
        nodes: &[TopicNode],
        depth: usize,
        style: Style,
    ) -> io::Result<()> {
        for node in nodes {
            let name = node.id.rsplit('/').next().unwrap_or(&node.id);
            let indent = "  ".repeat(depth);
            let width = 44usize.saturating_sub(indent.len());
            writeln!(
                out,
                "{:>9}  {indent}{:<width$}  {}",
                node.documents,
                name,
                style.dim(&node.label)
            )?;
            walk(out, &node.children, depth + 1, style)?;
        }
        Ok(())
    }
    writeln!(
        out,
        "{}",
        style.label(&format!("{:>9}  topic (taxonomy: {origin})", "documents"))
    )?;
    walk(out, nodes, 0, style)
}
