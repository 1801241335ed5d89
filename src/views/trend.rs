//! Trends rendered: a bar chart on a terminal, CSV, JSON, and an SVG line
//! chart for a paper.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::style::Style;
use super::terminal::quoted;
use crate::search::trend::{ALL, Trend, TrendBy};

/// `trend --json`: `{query, queries, by, unit, documents, without_year,
/// series: {name: {year: n}}}`, and with `--share` `shares` (same shape,
/// fractions) and `base` (every document per year).
#[derive(Serialize)]
pub struct TrendJson<'a> {
    pub query: String,
    pub queries: &'a [String],
    pub by: &'static str,
    pub unit: &'static str,
    /// Matching documents per query, each once.
    pub documents: Vec<u64>,
    /// Of those, the ones without a year (in no bucket).
    pub without_year: Vec<u64>,
    pub series: BTreeMap<&'a String, BTreeMap<String, u64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shares: Option<BTreeMap<&'a String, BTreeMap<String, f64>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<BTreeMap<String, u64>>,
}

impl<'a> TrendJson<'a> {
    pub fn new(trend: &'a Trend) -> Self {
        let buckets = trend.buckets();
        TrendJson {
            query: trend.query_text(),
            queries: &trend.queries,
            by: trend.by_name(),
            unit: trend.unit(),
            documents: trend.matched.iter().map(|m| m.documents).collect(),
            without_year: trend.matched.iter().map(|m| m.without_year).collect(),
            series: trend
                .series
                .keys()
                .map(|name| {
                    (
                        name,
                        buckets
                            .iter()
                            .map(|b| (b.to_string(), trend.count(name, *b)))
                            .collect(),
                    )
                })
                .collect(),
            shares: trend.base.as_ref().map(|_| {
                trend
                    .series
                    .keys()
                    .map(|name| {
                        (
                            name,
                            buckets
                                .iter()
                                .map(|b| (b.to_string(), trend.share(name, *b).unwrap_or(0.0)))
                                .collect(),
                        )
                    })
                    .collect()
            }),
            base: trend.base.as_ref().map(|base| {
                buckets
                    .iter()
                    .map(|b| (b.to_string(), base.get(b).copied().unwrap_or(0)))
                    .collect()
            }),
        }
    }
}

/// A count, or with `--share` the share as a percentage.
fn value(trend: &Trend, series: &str, bucket: u64) -> String {
    match trend.share(series, bucket) {
        Some(share) => format!("{:.1}%", share * 100.0),
        None => trend.count(series, bucket).to_string(),
    }
}

pub fn write_csv(out: &mut dyn Write, trend: &Trend) -> io::Result<()> {
    let names = trend.series_names();
    let header: Vec<String> = names.iter().map(|n| csv_field(n)).collect();
    writeln!(out, "{},{}", trend.by_name(), header.join(","))?;
    for b in trend.buckets() {
        let row: Vec<String> = names
            .iter()
            .map(|n| match trend.share(n, b) {
                Some(share) => format!("{share:.6}"),
                None => trend.count(n, b).to_string(),
            })
            .collect();
        writeln!(out, "{b},{}", row.join(","))?;
    }
    Ok(())
}

/// A bar per year; with a split or several queries, the value per series
/// and a bar for the largest, named after it (a bar alone did not say which
/// series it drew). Ends with what matched: documents, once each, and
/// those without a year.
pub fn write_chart(out: &mut dyn Write, trend: &Trend, top: usize, style: Style) -> io::Result<()> {
    const BAR: usize = 50;
    let names = trend.chart_series(top);
    let buckets = trend.buckets();
    let several = !(names.len() == 1 && names[0] == ALL);
    // The bar shows the sum of counts without a split, and the largest
    // series' value with one (a document counts in several topics).
    let value_of = |n: &str, b: u64| match trend.share(n, b) {
        Some(share) => share,
        None => trend.count(n, b) as f64,
    };
    // The series drawn for a year, the first of the largest, and its value.
    let tallest = |b: u64| -> Option<(&str, f64)> {
        names
            .iter()
            .map(|n| (n.as_str(), value_of(n, b)))
            .filter(|(_, v)| *v > 0.0)
            .fold(None, |best: Option<(&str, f64)>, (n, v)| match best {
                Some((_, top)) if top >= v => best,
                _ => Some((n, v)),
            })
    };
    let height = |b: u64| tallest(b).map_or(0.0, |(_, v)| v);
    let max = buckets.iter().map(|b| height(*b)).fold(0.0, f64::max);
    let widths: Vec<usize> = names
        .iter()
        .map(|n| n.chars().count().clamp(5, 24))
        .collect();
    if several {
        let header: Vec<String> = names
            .iter()
            .zip(&widths)
            .map(|(n, w)| format!("{:>w$}", crate::extract::text::shorten(n, *w)))
            .collect();
        writeln!(
            out,
            "{}  {}",
            style.label(&format!("{:<6}", trend.by_name())),
            style.label(&header.join("  "))
        )?;
    }
    for b in &buckets {
        let label = if trend.by == TrendBy::Decade {
            format!("{b}s")
        } else {
            b.to_string()
        };
        let h = height(*b);
        let length = if max > 0.0 {
            ((h / max) * BAR as f64).round() as usize
        } else {
            0
        };
        let bar = "█".repeat(length.max(usize::from(h > 0.0)));
        if several {
            let cells: Vec<String> = names
                .iter()
                .zip(&widths)
                .map(|(n, w)| format!("{:>w$}", value(trend, n, *b)))
                .collect();
            let drawn = tallest(*b)
                .map(|(n, _)| {
                    format!(
                        " {}",
                        super::escape::one_line(&crate::extract::text::shorten(n, 24))
                    )
                })
                .unwrap_or_default();
            writeln!(
                out,
                "{label:<6}  {}  {}{drawn}",
                cells.join("  "),
                style.label(&bar)
            )?;
        } else {
            writeln!(
                out,
                "{label:<6}  {} {}",
                style.label(&bar),
                value(trend, names[0], *b)
            )?;
        }
    }
    for (query, matched) in trend.queries.iter().zip(&trend.matched) {
        let noun = if matched.documents == 1 {
            "document matches"
        } else {
            "documents match"
        };
        let without = match matched.without_year {
            0 => String::new(),
            n => format!(" ({n} without a year, in no {})", trend.by_name()),
        };
        writeln!(
            out,
            "{} {noun} {}{without}",
            matched.documents,
            quoted(query)
        )?;
    }
    let what = match (trend.occurrences, trend.base.is_some()) {
        (true, true) => "occurrences as a share of each",
        (true, false) => "occurrences per",
        (false, true) => "matching documents as a share of each",
        (false, false) => "documents per",
    };
    writeln!(out, "{what} {}", trend.by_name())
}

/// A line chart for a paper: one line per series, labelled axes, a legend.
pub fn svg(trend: &Trend, top: usize) -> String {
    const PLOT_W: f64 = 640.0;
    const H: f64 = 420.0;
    const LEFT: f64 = 64.0;
    const LEGEND_CHARS: usize = 40;
    const TOP: f64 = 48.0;
    const BOTTOM: f64 = 56.0;
    // Okabe–Ito: distinguishable with colour-blindness and in grey print.
    const COLOURS: [&str; 8] = [
        "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
    ];
    let buckets = trend.buckets();
    let names = trend.chart_series(top);
    let legend: Vec<String> = names
        .iter()
        .map(|n| crate::extract::text::shorten(n, LEGEND_CHARS))
        .collect();
    let longest = legend.iter().map(|l| l.chars().count()).max().unwrap_or(4);
    // Room for the legend: line sample, gap, and about 7 px per character.
    let right = 60.0 + 7.0 * longest as f64;
    let w = LEFT + PLOT_W + right;
    // Counts, or with --share percentages of each bucket's documents.
    let plotted = |name: &str, b: u64| -> f64 {
        match trend.share(name, b) {
            Some(share) => share * 100.0,
            None => trend.count(name, b) as f64,
        }
    };
    let max = names
        .iter()
        .flat_map(|n| buckets.iter().map(|b| plotted(n, *b)))
        .fold(0.0, f64::max);
    let (step, top) = nice_axis(max);
    let plot_w = PLOT_W;
    let plot_h = H - TOP - BOTTOM;
    let x = |i: usize| {
        LEFT + if buckets.len() > 1 {
            plot_w * i as f64 / (buckets.len() - 1) as f64
        } else {
            plot_w / 2.0
        }
    };
    let y = |v: f64| TOP + plot_h - plot_h * v / top;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{H}\" viewBox=\"0 0 {w} {H}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"{LEFT}\" y=\"24\" font-size=\"15\" font-weight=\"bold\">{}</text>\n",
        xml_escape(&if trend.base.is_some() {
            format!(
                "Share of each {}'s documents matching {}",
                trend.by_name(),
                trend.query_text()
            )
        } else {
            format!(
                "{} per {} matching {}",
                capitalize(trend.unit()),
                trend.by_name(),
                trend.query_text()
            )
        })
    );
    let percent = if trend.base.is_some() { "%" } else { "" };
    let mut ticks = 0;
    while ticks as f64 * step <= top + step / 1e6 {
        let value = ticks as f64 * step;
        let ty = y(value);
        svg.push_str(&format!(
            "<line x1=\"{LEFT}\" y1=\"{ty:.1}\" x2=\"{:.1}\" y2=\"{ty:.1}\" stroke=\"#ddd\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}{percent}</text>\n",
            LEFT + plot_w,
            LEFT - 8.0,
            ty + 4.0,
            tick_label(value, step)
        ));
        ticks += 1;
    }
    let labels: Vec<String> = buckets
        .iter()
        .map(|b| {
            if trend.by == TrendBy::Decade {
                format!("{b}s")
            } else {
                b.to_string()
            }
        })
        .collect();
    for i in labelled(&labels, &x) {
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n",
            x(i),
            TOP + plot_h + 20.0,
            labels[i]
        ));
    }
    svg.push_str(&format!(
        "<line x1=\"{LEFT}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#333\"/>\n<line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{:.1}\" stroke=\"#333\"/>\n",
        TOP + plot_h,
        LEFT + plot_w,
        TOP + plot_h,
        TOP + plot_h
    ));
    svg.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n<text transform=\"translate(16 {:.1}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
        LEFT + plot_w / 2.0,
        H - 12.0,
        capitalize(trend.by_name()),
        TOP + plot_h / 2.0,
        if trend.base.is_some() {
            format!("Share of the {}'s documents", trend.by_name())
        } else {
            capitalize(trend.unit())
        }
    ));
    for (s, name) in names.iter().enumerate() {
        let colour = COLOURS[s % COLOURS.len()];
        let points: Vec<String> = buckets
            .iter()
            .enumerate()
            .map(|(i, b)| format!("{:.1},{:.1}", x(i), y(plotted(name, *b))))
            .collect();
        svg.push_str(&format!(
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"/>\n",
            points.join(" ")
        ));
        for (i, b) in buckets.iter().enumerate() {
            svg.push_str(&format!(
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"{colour}\"><title>{} {b}: {}</title></circle>\n",
                x(i),
                y(plotted(name, *b)),
                xml_escape(name),
                value(trend, name, *b)
            ));
        }
        let ly = TOP + 8.0 + 20.0 * s as f64;
        svg.push_str(&format!(
            "<line x1=\"{:.1}\" y1=\"{ly:.1}\" x2=\"{:.1}\" y2=\"{ly:.1}\" stroke=\"{colour}\" stroke-width=\"3\"/>\n<text x=\"{:.1}\" y=\"{:.1}\">{}</text>\n",
            LEFT + plot_w + 16.0,
            LEFT + plot_w + 36.0,
            LEFT + plot_w + 42.0,
            ly + 4.0,
            xml_escape(&legend[s])
        ));
    }
    svg.push_str("</svg>\n");
    svg
}

/// A tick step of 1, 2 or 5 × 10^k giving about five ticks, and the axis
/// top; steps below 1 only for values below 5 (shares in percent).
fn nice_axis(max: f64) -> (f64, f64) {
    let max = if max > 0.0 { max } else { 1.0 };
    let raw = max / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    // Counts are whole: no tick between two.
    let step = if max >= 5.0 { step.max(1.0) } else { step };
    (step, (max / step).ceil() * step)
}

/// A tick's value, with as many decimals as its step needs.
fn tick_label(value: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as usize
    };
    format!("{value:.decimals$}")
}

/// Which of the x-axis labels to draw: the first, then each one that stands
/// clear of the last drawn (about 7 px a character, and a gap), and the last
/// when it does too.
fn labelled(labels: &[String], x: &dyn Fn(usize) -> f64) -> Vec<usize> {
    let width = |i: usize| 7.0 * labels[i].chars().count() as f64 + 8.0;
    let mut drawn: Vec<usize> = Vec::new();
    for i in 0..labels.len() {
        let clear = drawn
            .last()
            .is_none_or(|&j| x(i) - x(j) >= (width(i) + width(j)) / 2.0);
        if clear {
            drawn.push(i);
        }
    }
    // The last bucket's label matters most: it replaces its neighbour when
    // it would not fit beside it.
    if let (Some(&last), n) = (drawn.last(), labels.len())
        && n > 1
        && last != n - 1
    {
        let fits = x(n - 1) - x(last) >= (width(n - 1) + width(last)) / 2.0;
        if !fits && drawn.len() > 1 {
            drawn.pop();
        }
        drawn.push(n - 1);
    }
    drawn
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn xml_escape(text: &str) -> String {
    super::escape::one_line(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn csv_field(text: &str) -> String {
    let text = super::escape::one_line(text);
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::search::trend::TrendBy;

    fn trend(series: &[(&str, &[(u64, u64)])], by: TrendBy) -> Trend {
        Trend {
            queries: vec!["q".into()],
            by,
            occurrences: false,
            series: series
                .iter()
                .map(|(n, ys)| (n.to_string(), ys.iter().copied().collect()))
                .collect(),
            matched: vec![Default::default()],
            base: None,
            years: None,
        }
    }

    #[test]
    fn csv_fills_gaps_with_zeros() {
        let t = trend(
            &[("nato", &[(1999, 2), (2001, 1)]), ("un", &[(2000, 5)])],
            TrendBy::Year,
        );
        let mut out = Vec::new();
        write_csv(&mut out, &t).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "year,un,nato\n1999,0,2\n2000,5,0\n2001,0,1\n"
        );
    }

    #[test]
    fn axis_ticks_are_round() {
        assert_eq!(nice_axis(1.0), (0.2, 1.0));
        assert_eq!(nice_axis(26.0), (10.0, 30.0));
        assert_eq!(nice_axis(295.0), (100.0, 300.0));
        assert_eq!(nice_axis(0.0), (0.2, 1.0));
        assert_eq!(tick_label(0.4, 0.2), "0.4");
        assert_eq!(tick_label(30.0, 10.0), "30");
    }

    #[test]
    fn axis_labels_never_overlap() {
        for n in 1..120 {
            let labels: Vec<String> = (0..n).map(|i| (1946 + i).to_string()).collect();
            let x = |i: usize| {
                64.0 + if n > 1 {
                    640.0 * i as f64 / (n - 1) as f64
                } else {
                    320.0
                }
            };
            let drawn = labelled(&labels, &x);
            assert_eq!(drawn.first(), Some(&0));
            assert_eq!(drawn.last(), Some(&(n - 1)));
            for pair in drawn.windows(2) {
                assert!(x(pair[1]) - x(pair[0]) >= 36.0, "{n}: {pair:?}");
            }
        }
    }

    #[test]
    fn svg_is_well_formed_enough() {
        let t = trend(&[("all", &[(1990, 2), (2000, 5)])], TrendBy::Decade);
        let svg = svg(&t, 8);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
        assert!(svg.contains("1990s") && svg.contains("2000s"));
        assert_eq!(svg.matches("<polyline").count(), 1);
    }
}
