//! The man page, `dossier man`: one page that holds every command.
//!
//! clap_mangen renders a page per command and lists the others as
//! `dossier-search(1)`, pages nobody installs; and it reflows the examples
//! into paragraphs. So the page is put together here from its sections:
//! the top-level options, then each command's synopsis, description,
//! options and examples as a subsection, the examples kept line for line.

use std::io::{self, Write};

use clap::CommandFactory;

/// Writes the page (roff) to `out`.
pub fn write(out: &mut dyn Write) -> io::Result<()> {
    let command = super::Cli::command();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(out)?;
    // The about line names the program already ("dossier: search ...").
    let about = command
        .get_about()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let about = about
        .trim_start_matches("dossier:")
        .trim()
        .trim_end_matches('.');
    writeln!(out, ".SH NAME\ndossier \\- {}", escaped(about))?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    writeln!(out, ".SH COMMANDS")?;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("dossier {}", sub.get_name());
        writeln!(out, ".SS \"{name}\"")?;
        let sub = sub.clone().bin_name(&name).display_name(&name);
        let page = clap_mangen::Man::new(sub.clone());
        let mut sections = Vec::new();
        page.render_synopsis_section(&mut sections)?;
        page.render_description_section(&mut sections)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            page.render_options_section(&mut sections)?;
        }
        for line in String::from_utf8_lossy(&sections).lines() {
            if line.starts_with(".ie \\n(.g") || line.starts_with(".el .ds Aq") {
                continue;
            }
            // A section of the command's own page is a paragraph here.
            match line.strip_prefix(".SH ") {
                Some(heading) => writeln!(out, ".PP\n\\fB{}\\fR\n.br", heading.trim_matches('"'))?,
                None => writeln!(out, "{line}")?,
            }
        }
        if let Some(after) = sub.get_after_help() {
            lines_as_typed(out, &after.to_string())?;
        }
    }
    if let Some(after) = command.get_after_help() {
        let after = after.to_string();
        let (examples, exit) = after.split_once("\nExit status:").unwrap_or((&after, ""));
        writeln!(out, ".SH EXAMPLES")?;
        lines_as_typed(out, examples.trim_start_matches("Examples:\n"))?;
        if !exit.is_empty() {
            writeln!(out, ".SH \"EXIT STATUS\"\n{}", escaped(exit.trim()))?;
        }
    }
    writeln!(out, ".SH VERSION\nv{}", escaped(env!("CARGO_PKG_VERSION")))
}

/// `text` in a block printed line for line (commands with their comments).
fn lines_as_typed(out: &mut dyn Write, text: &str) -> io::Result<()> {
    writeln!(out, ".PP\n.nf")?;
    for line in text.trim_end().lines() {
        writeln!(out, "{}", escaped(line))?;
    }
    writeln!(out, ".fi")
}

/// `text` as roff prints it: backslashes and dashes escaped, and a line
/// that starts with a dot or an apostrophe not taken for a request.
fn escaped(text: &str) -> String {
    let text = text.replace('\\', "\\e").replace('-', "\\-");
    if text.starts_with(['.', '\'']) {
        format!("\\&{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command is on the one page, with its own options, and no page
    /// is named that does not exist; examples keep their lines.
    #[test]
    fn one_page_holds_every_command() {
        let mut page = Vec::new();
        write(&mut page).unwrap();
        let page = String::from_utf8(page).unwrap();
        assert!(!page.contains("dossier\\-search(1)"), "names other pages");
        for (command, option) in [
            ("search", "\\-\\-plain"),
            ("kwic", "\\-\\-width"),
            ("export", "\\-\\-since"),
        ] {
            let at = page
                .find(&format!(".SS \"dossier {command}\""))
                .unwrap_or_else(|| panic!("no {command}"));
            assert!(page[at..].contains(option), "{command} {option}");
        }
        assert!(
            page.contains(".SH NAME\ndossier \\- search what NATO"),
            "{page}"
        );
        let examples = &page[page.find(".SH EXAMPLES").unwrap()..];
        assert!(examples.contains(".nf\n  dossier update"), "{examples}");
        assert!(page.contains(".SH \"EXIT STATUS\""));
    }
}
