//! Viewer pages: an HTML page that is only a shell around a document (the
//! UN's document viewer frames the PDF; some sites answer with a refresh or a
//! single download link). Such a page says almost nothing of its own; the
//! document behind it is what a reader wants kept and searched.

use html2text::Handle;

use super::dom::{attribute, element_name, elements};
use super::main_text::main_text;

/// A shell has fewer words of its own than this.
pub const SHELL_MAX_WORDS: usize = 50;

/// The address (as written in the page, to be resolved against the page's
/// address) of the document a viewer page shows, when the page is such a
/// shell: an `<iframe>`, `<embed>` or `<object>` source, a meta refresh, or
/// the one link of its main content when that is a PDF, with fewer than
/// [`SHELL_MAX_WORDS`] words of text. Links in navigation do not count: a
/// short page whose menu offers a PDF is still a page.
pub fn document_behind(html: &str) -> Option<String> {
    // A shell is a small page; one too deep or too large for a DOM is none
    // (and parsing it could take minutes, or gigabytes).
    if !super::shape::shape(html).fits_a_dom() {
        return None;
    }
    let dom = html2text::config::plain_no_decorate()
        .parse_html(html.as_bytes())
        .ok()?;
    let whole = elements(&dom.document);
    let shown = framed(&whole).or_else(|| refreshed(&whole));
    // Narrows the DOM to the main content, without navigation.
    let words = main_text(&dom).ok()?.split_whitespace().count();
    if words >= SHELL_MAX_WORDS {
        return None;
    }
    shown.or_else(|| single_pdf_link(&elements(&dom.document)))
}

fn framed(all: &[Handle]) -> Option<String> {
    all.iter().find_map(|node| {
        let source = match element_name(node)? {
            "iframe" | "embed" | "frame" => attribute(node, "src"),
            "object" => attribute(node, "data"),
            _ => None,
        }?;
        let source = source.trim();
        (!source.is_empty() && !source.starts_with("about:")).then(|| source.to_string())
    })
}

/// `<meta http-equiv="refresh" content="0; url=…">`.
fn refreshed(all: &[Handle]) -> Option<String> {
    all.iter().find_map(|node| {
        if element_name(node)? != "meta"
            || !attribute(node, "http-equiv")?.eq_ignore_ascii_case("refresh")
        {
            return None;
        }
        let content = attribute(node, "content")?;
        let (_, target) = content.split_once(';')?;
        let target = target.trim();
        let target = target
            .strip_prefix("url=")
            .or_else(|| target.strip_prefix("URL="))
            .or_else(|| target.strip_prefix("Url="))
            .unwrap_or(target)
            .trim_matches(['\'', '"', ' ']);
        (!target.is_empty()).then(|| target.to_string())
    })
}

/// The one link of the (main) content, when it is a PDF.
fn single_pdf_link(content: &[Handle]) -> Option<String> {
    let mut links: Vec<String> = content
        .iter()
        .filter(|n| element_name(n) == Some("a"))
        .filter_map(|n| attribute(n, "href"))
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty() && !h.starts_with('#'))
        .collect();
    links.dedup();
    match links.as_slice() {
        [only] if is_pdf_address(only) => Some(only.clone()),
        _ => None,
    }
}

fn is_pdf_address(href: &str) -> bool {
    let path = href.split(['?', '#']).next().unwrap_or("");
    path.to_ascii_lowercase().ends_with(".pdf")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_un_viewer_is_a_frame_around_the_pdf() {
        let shell = r#"<!DOCTYPE html><html><head><title>S/RES/1325(2000)</title></head>
            <body><header>Official Document System</header>
            <iframe src="https://documents.un.org/api/symbol/access?s=S/RES/1325(2000)&amp;l=en&amp;t=pdf" width="100%"></iframe>
            </body></html>"#;
        assert_eq!(
            document_behind(shell).as_deref(),
            Some("https://documents.un.org/api/symbol/access?s=S/RES/1325(2000)&l=en&t=pdf")
        );
    }

    #[test]
    fn refreshes_and_single_download_links() {
        let refresh = r#"<html><head><meta http-equiv="Refresh" content="0; URL='/files/report.pdf'"></head><body>Redirecting…</body></html>"#;
        assert_eq!(
            document_behind(refresh).as_deref(),
            Some("/files/report.pdf")
        );
        let download = r#"<html><body><p>KFOR Chronicle, June 2019</p><a href="/resources/site795/KFOR Chronicle June 2019.pdf">Download</a></body></html>"#;
        assert_eq!(
            document_behind(download).as_deref(),
            Some("/resources/site795/KFOR Chronicle June 2019.pdf")
        );
    }

    #[test]
    fn pages_with_text_of_their_own_are_not_shells() {
        let article = format!(
            "<html><body><main><p>{}</p><a href=\"/a.pdf\">the report</a></main></body></html>",
            "The Council stressed the protection of civilians. ".repeat(10)
        );
        assert_eq!(document_behind(&article), None);
        let two_pdfs = r#"<html><body><a href="a.pdf">A</a><a href="b.pdf">B</a></body></html>"#;
        assert_eq!(document_behind(two_pdfs), None);
        // A short page whose menu offers a PDF is a page.
        let menu = r#"<html><body><nav><a href="/">Home</a><a href="/c.pdf">Chronicle</a></nav><main><h1>Human security</h1><p>NATO's approach.</p></main></body></html>"#;
        assert_eq!(document_behind(menu), None);
        assert_eq!(
            document_behind("<html><body><p>Hello</p></body></html>"),
            None
        );
    }
}
