//! What `dossier update` prints for people: per source, what was fetched,
//! what was current, and what failed with its reason; `--dry-run`'s plan.

use std::io::{self, Write};

use super::escape::one_line as shown;
use super::style::Style;
use crate::fetch::SourcePlan;
use crate::fetch::SourceReport;

/// Failures listed one by one up to this many per source; the rest counted.
const MAX_LISTED: usize = 20;

pub fn write_plan(out: &mut dyn Write, plan: &[SourcePlan], style: Style) -> io::Result<()> {
    for source in plan {
        writeln!(out, "{} ({})", style.title(&source.id), shown(&source.name))?;
        writeln!(out, "   into      {}", shown(&source.folder))?;
        for start in &source.start {
            writeln!(out, "   start     {}", shown(start))?;
        }
        if source.follow.is_empty() {
            writeln!(out, "   follow    (no links: the start pages only)")?;
        }
        for follow in &source.follow {
            writeln!(out, "   follow    {}", shown(follow))?;
        }
        if source.sitemaps {
            writeln!(
                out,
                "   sitemaps  the start hosts' sitemaps, filtered by `follow`"
            )?;
        }
        writeln!(
            out,
            "   limits    depth {}, at most {} requests, {} ms between requests to a host (robots.txt may ask for more)",
            source.max_depth, source.max_pages, source.delay_ms
        )?;
        writeln!(
            out,
            "   kept      {} documents from earlier updates",
            source.kept
        )?;
        writeln!(out)?;
    }
    writeln!(out, "dry run: nothing was fetched or written")
}

pub fn write_report(out: &mut dyn Write, reports: &[SourceReport], style: Style) -> io::Result<()> {
    for r in reports {
        let unchanged = r.not_modified.len() + r.same_content.len() + r.unchanged_in_sitemap.len();
        let mut line = format!(
            "{}: {} new, {} changed, {} unchanged ({} × 304, {} same content, {} by sitemap date), {} failed, {} not tried",
            style.title(&r.id),
            r.new.len(),
            r.changed.len(),
            unchanged,
            r.not_modified.len(),
            r.same_content.len(),
            r.unchanged_in_sitemap.len(),
            r.failed.len(),
            r.not_tried.len()
        );
        if !r.disallowed.is_empty() {
            line.push_str(&format!(
                ", {} disallowed by robots.txt",
                r.disallowed.len()
            ));
        }
        if !r.gone.is_empty() {
            line.push_str(&format!(", {} gone upstream", r.gone.len()));
        }
        writeln!(out, "{line}")?;
        if r.holds.documents() > 0 {
            writeln!(
                out,
                "   holds   {} documents: {} pages ({} near empty), {} PDFs",
                r.holds.documents(),
                r.holds.pages,
                r.holds.near_empty_pages,
                r.holds.pdfs
            )?;
        }
        for warning in &r.warnings {
            writeln!(out, "   {}  {}", style.title("warning"), shown(warning))?;
        }
        let mut notes = Vec::new();
        if r.sitemap_requests > 0 {
            notes.push(format!("{} sitemap requests", r.sitemap_requests));
        }
        if r.out_of_scope > 0 {
            notes.push(format!("{} links outside `follow`", r.out_of_scope));
        }
        if r.without_words > 0 {
            notes.push(format!(
                "{} links without the words `follow` asks for",
                r.without_words
            ));
        }
        if r.too_deep > 0 {
            notes.push(format!("{} links beyond max_depth", r.too_deep));
        }
        if r.over_page_cap > 0 {
            notes.push(format!(
                "{} pages left for the next update (max_pages reached)",
                r.over_page_cap
            ));
        }
        if !notes.is_empty() {
            writeln!(out, "   {}", style.dim(&notes.join(" · ")))?;
        }
        let saved: Vec<_> = r.new.iter().chain(&r.changed).collect();
        for saved in saved.iter().take(MAX_LISTED) {
            writeln!(
                out,
                "   saved   {} → {}",
                shown(&saved.url),
                shown(&saved.file)
            )?;
        }
        if saved.len() > MAX_LISTED {
            writeln!(
                out,
                "   … and {} more saved (--json lists all)",
                saved.len() - MAX_LISTED
            )?;
        }
        for failure in r.failed.iter().take(MAX_LISTED) {
            writeln!(
                out,
                "   failed  {}: {}",
                shown(&failure.url),
                shown(&failure.reason.to_string())
            )?;
        }
        if r.failed.len() > MAX_LISTED {
            writeln!(
                out,
                "   … and {} more failures (--json lists all)",
                r.failed.len() - MAX_LISTED
            )?;
        }
        for blocked in r.disallowed.iter().take(MAX_LISTED) {
            writeln!(
                out,
                "   robots  {}: {}",
                shown(&blocked.url),
                shown(&blocked.reason.to_string())
            )?;
        }
        for gone in &r.gone {
            let what = if gone.pruned {
                "deleted (--prune)"
            } else {
                "kept; --prune deletes it"
            };
            writeln!(
                out,
                "   gone    {} answers {}: {} {what}",
                shown(&gone.url),
                gone.status,
                shown(&gone.file)
            )?;
        }
    }
    Ok(())
}
