//! What a DOM of a page would cost, measured in one linear pass before any
//! parser runs. html5ever's tree builder walks the stack of open elements
//! for many tags, so a page nested 26,000 levels deep took minutes of CPU
//! (quadratic); and its DOM takes about 300 times the page's size in memory
//! when the page is all tiny elements (4 MB of `<b>x</b>` took 1.2 GB). A
//! page past either bound is read without a DOM (its tags stripped).

/// Pages nested deeper than this are read without a DOM.
pub const MAX_DOM_DEPTH: usize = 1_000;

/// Pages with more elements than this are read without a DOM: the largest
/// real pages seen have a few thousand (the UN library's tables, 2,600).
pub const MAX_DOM_ELEMENTS: usize = 100_000;

/// Elements that never have a closing tag.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements that a second one of their name closes when it directly
/// follows (`<p>a<p>b`, `<li>a<li>b`), as a parser does.
const SELF_CLOSING_SIBLINGS: &[&str] = &["p", "li", "dt", "dd", "option", "tr", "td", "th"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// The deepest nesting of elements.
    pub depth: usize,
    /// Opening tags.
    pub elements: usize,
}

impl Shape {
    /// Whether a DOM of the page costs a bounded time and memory.
    pub fn fits_a_dom(self) -> bool {
        self.depth <= MAX_DOM_DEPTH && self.elements <= MAX_DOM_ELEMENTS
    }
}

/// The page's shape, as a parser would nest it: a closing tag closes the
/// open element of its name and those inside it, and one with no open
/// element of its name is ignored (`<div></span>` nests as deeply as
/// `<div>`: counting every closing tag as one level up was fooled by it).
pub fn shape(source: &str) -> Shape {
    let bytes = source.as_bytes();
    let mut open: Vec<String> = Vec::new();
    let mut open_by_name: std::collections::HashMap<String, usize> = Default::default();
    let (mut deepest, mut elements) = (0usize, 0usize);
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|b| *b == b'<') {
        let start = i + offset + 1;
        i = start;
        let closing = bytes.get(start) == Some(&b'/');
        let name_start = if closing { start + 1 } else { start };
        if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_end = bytes[name_start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |n| name_start + n);
        let name = source[name_start..name_end].to_ascii_lowercase();
        if closing {
            if open_by_name.get(&name).is_some_and(|n| *n > 0) {
                while let Some(top) = open.pop() {
                    if let Some(n) = open_by_name.get_mut(&top) {
                        *n -= 1;
                    }
                    if top == name {
                        break;
                    }
                }
            }
            continue;
        }
        elements += 1;
        let tag_end = bytes[name_end..].iter().position(|b| *b == b'>');
        let self_closed = tag_end.is_some_and(|n| n > 0 && bytes[name_end + n - 1] == b'/');
        if VOID_ELEMENTS.contains(&name.as_str()) || self_closed {
            continue;
        }
        if SELF_CLOSING_SIBLINGS.contains(&name.as_str()) && open.last() == Some(&name) {
            open.pop();
        } else {
            *open_by_name.entry(name.clone()).or_default() += 1;
        }
        open.push(name);
        deepest = deepest.max(open.len());
    }
    Shape {
        depth: deepest,
        elements,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_as_a_parser_nests() {
        let s = shape("<html><body><div><p>a<br>b<img/></p></div></body></html>");
        assert_eq!(
            s,
            Shape {
                depth: 4,
                elements: 6
            }
        );
        // A closing tag with no open element of its name closes nothing.
        assert_eq!(shape(&"<div></span>".repeat(50)).depth, 50);
        // Nor does one of another name: `</b>` closes up to the open `<b>`.
        assert_eq!(shape("<b><i><u>x</b><p>y</p>").depth, 3);
        // Paragraphs and items close their open sibling.
        assert_eq!(shape(&"<p>para".repeat(5000)).depth, 1);
        assert_eq!(
            shape(&format!("<ul>{}</ul>", "<li>item".repeat(5000))).depth,
            2
        );
        assert!(!shape(&"<div>".repeat(2000)).fits_a_dom());
        assert!(!shape(&"<b>x</b>".repeat(MAX_DOM_ELEMENTS + 1)).fits_a_dom());
        assert!(shape(&"<b>x</b>".repeat(1000)).fits_a_dom());
    }
}
