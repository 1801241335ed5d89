//! `dossier topics` on a terminal: the tree indented, with document counts.

use std::io::{self, Write};

use super::escape::one_line;
use super::style::Style;
use crate::search::topic_tree::TopicNode;

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
            let name = one_line(node.id.leaf());
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
        style.label(&format!(
            "{:>9}  topic (taxonomy: {})",
            "documents",
            one_line(origin)
        ))
    )?;
    walk(out, nodes, 0, style)
}
