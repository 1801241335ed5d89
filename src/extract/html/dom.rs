//! Reading html2text's DOM: element names, attributes, every element in
//! document order, and the text inside an element.

use html2text::{Element, Handle, RcDom};

/// The element's local name (`title`, `meta`), or `None` for other nodes.
pub fn element_name(node: &Handle) -> Option<&str> {
    match &node.data {
        Element { name, .. } => Some(&*name.local),
        _ => None,
    }
}

/// An attribute's value, decoded (the parser has resolved its entities).
pub fn attribute(node: &Handle, wanted: &str) -> Option<String> {
    match &node.data {
        Element { attrs, .. } => attrs
            .borrow()
            .iter()
            .find(|a| &*a.name.local == wanted)
            .map(|a| a.value.to_string()),
        _ => None,
    }
}

/// The first of `wanted` attributes the element has, in the order the tag
/// writes them.
pub fn first_attribute(node: &Handle, wanted: &[&str]) -> Option<String> {
    match &node.data {
        Element { attrs, .. } => attrs
            .borrow()
            .iter()
            .find(|a| wanted.contains(&&*a.name.local))
            .map(|a| a.value.to_string()),
        _ => None,
    }
}

/// Every element in document order, walked without recursion: pages nested
/// thousands of levels deep must not overflow the stack.
pub fn elements(root: &Handle) -> Vec<Handle> {
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(node) = stack.pop() {
        if element_name(&node).is_some() {
            out.push(node.clone());
        }
        let children = node.children.borrow();
        stack.extend(children.iter().rev().cloned());
    }
    out
}

/// Whether `node` lies inside `ancestor`.
pub fn is_inside(node: &Handle, ancestor: &Handle) -> bool {
    let mut current = node.parent.take();
    node.parent.set(current.clone());
    while let Some(weak) = current {
        let Some(parent) = weak.upgrade() else {
            return false;
        };
        if std::rc::Rc::ptr_eq(&parent, ancestor) {
            return true;
        }
        current = parent.parent.take();
        parent.parent.set(current.clone());
    }
    false
}

/// The text inside an element (a title, a heading), white space folded: the
/// element rendered on its own by html2text, which reads text nodes the way
/// it reads the page's.
pub fn text_of(element: &Handle) -> String {
    let dom = RcDom {
        document: element.clone(),
        ..RcDom::default()
    };
    // The trivial decorator: the literal text, without the `#` a plain
    // rendering puts before a heading.
    let config = html2text::config::with_decorator(html2text::render::TrivialDecorator::new())
        .raw_mode(true);
    let rendered = config
        .dom_to_render_tree(&dom)
        .and_then(|tree| config.render_to_string(tree, usize::MAX / 4))
        .unwrap_or_default();
    rendered.split_whitespace().collect::<Vec<_>>().join(" ")
}
