//! No output of dossier contains a control character that came from input:
//! any bytes, under any name (a name may itself hold escapes), extracted; the
//! stored title, body and address keep none but tab, newline and the page
//! break; and every way a view prints text (one line, several lines, a body,
//! JSON) leaves none raw. A property, not just "no panic".
#![no_main]
use dossier::text::controls::is_control;
use dossier::views::escape;
use libfuzzer_sys::fuzz_target;

fn none_but(text: &str, allowed: &[char]) -> bool {
    !text.chars().any(|c| is_control(c) && !allowed.contains(&c))
}

fuzz_target!(|data: &[u8]| {
    let split = data.first().map_or(0, |b| *b as usize).min(data.len());
    let (name, content) = data.split_at(split);
    let name = format!("src/{}.html", String::from_utf8_lossy(name).replace('/', "_"));
    if let Ok(doc) = dossier::extract::extract(content, &name) {
        assert!(none_but(&doc.title, &[]), "{:?}", doc.title);
        assert!(none_but(&doc.body, &['\t', '\n', '\u{c}']), "{:?}", doc.body);
        if let Some(url) = &doc.url {
            assert!(none_but(url, &[]), "{url:?}");
        }
    }
    let text = String::from_utf8_lossy(data);
    assert!(none_but(&escape::one_line(&text), &[]));
    assert!(none_but(&escape::text(&text), &['\t', '\n']));
    assert!(none_but(&escape::body(&text), &['\t', '\n']));
    let mut json = Vec::new();
    dossier::text::json::to_writer(&mut json, &text.as_ref()).unwrap();
    assert!(none_but(&String::from_utf8_lossy(&json), &[]));
});
