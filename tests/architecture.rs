//! The layers `src/lib.rs` draws, checked from the code's own references:
//! a module uses its own layer and those below it, never one above; views
//! render and never compute over the index; no layer under the command line
//! names a flag.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each module and the modules it may use besides itself.
const ALLOWED: &[(&str, &[&str])] = &[
    ("text", &[]),
    ("error", &["text"]),
    ("progress", &[]),
    ("sources", &["text", "error", "progress"]),
    ("extract", &["text", "error", "progress", "sources"]),
    (
        "index",
        &["text", "error", "progress", "sources", "extract"],
    ),
    (
        "search",
        &["text", "error", "progress", "sources", "extract", "index"],
    ),
    (
        "eval",
        &["text", "error", "progress", "sources", "extract", "index"],
    ),
    // Fetching stands beside indexing: it may use what describes sources
    // and documents, never the index or what is built on it.
    (
        "fetch",
        &["text", "error", "progress", "sources", "extract"],
    ),
    (
        "views",
        &[
            "text", "error", "progress", "sources", "extract", "index", "search", "eval", "fetch",
        ],
    ),
    (
        "export",
        &[
            "text", "error", "progress", "sources", "extract", "index", "search",
        ],
    ),
    (
        "app",
        &[
            "text", "error", "progress", "sources", "extract", "index", "search", "eval", "fetch",
            "views", "export",
        ],
    ),
    (
        "cli",
        &[
            "text", "error", "progress", "sources", "extract", "index", "search", "eval", "fetch",
            "views", "export", "app",
        ],
    ),
];

/// Layers that must not name a command-line flag: below the printers.
const FLAGLESS: &[&str] = &[
    "text", "error", "progress", "sources", "extract", "index", "search", "eval", "fetch",
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/` with the top-level module it belongs to.
fn modules() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let mut stack = vec![src()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src()).unwrap();
            let first = relative.components().next().unwrap();
            let module = first
                .as_os_str()
                .to_str()
                .unwrap()
                .trim_end_matches(".rs")
                .to_string();
            out.push((module, path));
        }
    }
    out.sort();
    out
}

/// The code of a file with its comment lines blanked (doc comments may name
/// any module; only code uses one). Line numbers stay as in the file.
fn code(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| {
            if line.trim_start().starts_with("//") {
                ""
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a file's code names as `crate::<module>`.
fn used_modules(code: &str) -> Vec<String> {
    let mut used = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.starts_with(|c: char| c.is_ascii_lowercase()) {
            used.push(name);
        }
        rest = after;
    }
    used
}

#[test]
fn no_module_uses_a_layer_above_it() {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut violations = Vec::new();
    let mut checked = 0;
    for (module, path) in modules() {
        if matches!(module.as_str(), "lib" | "main" | "build") {
            continue;
        }
        let Some(may_use) = allowed.get(module.as_str()) else {
            violations.push(format!(
                "{}: module `{module}` has no layer in tests/architecture.rs",
                path.display()
            ));
            continue;
        };
        checked += 1;
        let code = code(&path);
        if code.contains("super::super") {
            violations.push(format!(
                "{}: reaches across modules with super::super (name them by crate:: so that layers can be checked)",
                path.display()
            ));
        }
        for used in used_modules(&code) {
            if used != module && !may_use.contains(&used.as_str()) {
                violations.push(format!(
                    "{}: `{module}` uses `crate::{used}`",
                    path.display()
                ));
            }
        }
    }
    assert!(checked > 50, "only {checked} files checked");
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn the_binary_only_parses_and_runs() {
    let main = code(&src().join("main.rs"));
    let used: Vec<&str> = main
        .lines()
        .filter_map(|l| l.trim().strip_prefix("use dossier::"))
        .collect();
    assert!(
        used.iter()
            .all(|u| u.starts_with("app") || u.starts_with("cli")),
        "{used:?}"
    );
}

#[test]
fn views_render_and_never_compute_over_the_index() {
    for (module, path) in modules() {
        if module != "views" {
            continue;
        }
        let code = code(&path);
        for computing in [
            "tantivy",
            "DossierIndex",
            "rayon",
            "prepare(",
            "for_each_match",
        ] {
            assert!(
                !code.contains(computing),
                "{} uses {computing}: views only render the library's data",
                path.display()
            );
        }
    }
}

#[test]
fn no_layer_below_the_command_line_names_a_flag() {
    let mut violations = Vec::new();
    for (module, path) in modules() {
        if !FLAGLESS.contains(&module.as_str()) {
            continue;
        }
        for (n, line) in code(&path).lines().enumerate() {
            // A flag in a string: `--` then a letter, inside quotes.
            let in_string = line.split('"').skip(1).step_by(2).any(|s| {
                s.match_indices("--").any(|(at, _)| {
                    s[at + 2..].starts_with(|c: char| c.is_ascii_lowercase())
                        && (at == 0 || !s[..at].ends_with(|c: char| c.is_alphanumeric()))
                })
            });
            if in_string {
                violations.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}
