//! Trends rendered: a bar chart on a terminal, CSV, JSON, and an SVG line
//! chart for a paper.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::style::Style;
use super::terminal::quoted;
use crate::search::trend::{ALL, Trend, TrendBy};

/// `trend --json`: `{query, by, unit, series: {name: {year: n}}}`.
#[derive(Serialize)]
pub struct TrendJson<'a> {
    pub query: &'a str,
    pub by: &'static str,
    pub unit: &'static str,
    pub series: BTreeMap<&'a String, BTreeMap<String, u64>>,
}

impl<'a> TrendJson<'a> {
    pub fn new(trend: &'a Trend) -> Self {
        TrendJson {
            query: &trend.query,
            by: trend.by_name(),
            unit: trend.unit(),
            series: trend
                .series
                .iter()
                .map(|(name, years)| {
                    (
                        name,
                        years.iter().map(|(y, n)| (y.to_string(), *n)).collect(),
                    )
                })
                .collect(),
        }
    }
}

pub fn write_csv(out: &mut dyn Write, trend: &Trend) -> io::Result<()> {
    let names = trend.series_names();
    let header: Vec<String> = names.iter().map(|n| csv_field(n)).collect();
    writeln!(out, "{},{}", trend.by_name(), header.join(","))?;
    for b in trend.buckets() {
        let row: Vec<String> = names
            .iter()
            .map(|n| trend.count(n, b).to_string())
            .collect();
        writeln!(out, "{b},{}", row.join(","))?;
    }
    Ok(())
}

/// A bar per year; with a split, the counts per series and a bar for the total.
pub fn write_chart(out: &mut dyn Write, trend: &Trend, top: usize, style: Style) -> io::Result<()> {
    const BAR: usize = 50;
    let names = trend.chart_series(top);
    let buckets = trend.buckets();
    let totals: Vec<u64> = buckets
        .iter()
        .map(|b| names.iter().map(|n| trend.count(n, *b)).sum())
        .collect();
    let max = totals.iter().copied().max().unwrap_or(0).max(1);
    let split = !(names.len() == 1 && names[0] == ALL);
    let widths: Vec<usize> = names.iter().map(|n| n.chars().count().max(4)).collect();
    if split {
        let header: Vec<String> = names
            .iter()
            .zip(&widths)
            .map(|(n, w)| format!("{n:>w$}"))
            .collect();
        writeln!(
            out,
            "{}  {}",
            style.label(&format!("{:<6}", trend.by_name())),
            style.label(&header.join("  "))
        )?;
    }
    for (b, total) in buckets.iter().zip(&totals) {
        let label = if trend.by == TrendBy::Decade {
            format!("{b}s")
        } else {
            b.to_string()
        };
        let length = ((*total as f64 / max as f64) * BAR as f64).round() as usize;
        let bar = "█".repeat(length.max(usize::from(*total > 0)));
        if split {
            let cells: Vec<String> = names
                .iter()
                .zip(&widths)
                .map(|(n, w)| format!("{:>w$}", trend.count(n, *b)))
                .collect();
            writeln!(
                out,
                "{label:<6}  {}  {} {total}",
                cells.join("  "),
                style.label(&bar)
            )?;
        } else {
            writeln!(out, "{label:<6}  {} {total}", style.label(&bar))?;
        }
    }
    let grand: u64 = totals.iter().sum();
    writeln!(
        out,
        "{grand} {} matching {} by {}",
        trend.unit(),
        quoted(&trend.query),
        trend.by_name()
    )
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
    let max = names
        .iter()
        .flat_map(|n| buckets.iter().map(|b| trend.count(n, *b)))
        .max()
        .unwrap_or(0)
        .max(1);
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
    let y = |v: u64| TOP + plot_h - plot_h * v as f64 / top as f64;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{H}\" viewBox=\"0 0 {w} {H}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"{LEFT}\" y=\"24\" font-size=\"15\" font-weight=\"bold\">{}</text>\n",
        xml_escape(&format!(
            "{} per {} matching {}",
            capitalize(trend.unit()),
            trend.by_name(),
            trend.query
        ))
    );
    let mut tick = 0;
    while tick <= top {
        let ty = y(tick);
        svg.push_str(&format!(
            "<line x1=\"{LEFT}\" y1=\"{ty:.1}\" x2=\"{:.1}\" y2=\"{ty:.1}\" stroke=\"#ddd\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{tick}</text>\n",
            LEFT + plot_w,
            LEFT - 8.0,
            ty + 4.0
        ));
        tick += step;
    }
    let label_every = buckets.len().div_ceil(16).max(1);
    for (i, b) in buckets.iter().enumerate() {
        // Every n-th label; the last one too unless it would touch its neighbour.
        let last = i + 1 == buckets.len() && i % label_every > label_every / 2;
        if i % label_every == 0 || last {
            let label = if trend.by == TrendBy::Decade {
                format!("{b}s")
            } else {
                b.to_string()
            };
            svg.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{label}</text>\n",
                x(i),
                TOP + plot_h + 20.0
            ));
        }
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
        capitalize(trend.unit())
    ));
    for (s, name) in names.iter().enumerate() {
        let colour = COLOURS[s % COLOURS.len()];
        let points: Vec<String> = buckets
            .iter()
            .enumerate()
            .map(|(i, b)| format!("{:.1},{:.1}", x(i), y(trend.count(name, *b))))
            .collect();
        svg.push_str(&format!(
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"/>\n",
            points.join(" ")
        ));
        for (i, b) in buckets.iter().enumerate() {
            svg.push_str(&format!(
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"{colour}\"><title>{} {b}: {}</title></circle>\n",
                x(i),
                y(trend.count(name, *b)),
                xml_escape(name),
                trend.count(name, *b)
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

/// A tick step of 1, 2 or 5 × 10^k giving about five ticks, and the axis top.
fn nice_axis(max: u64) -> (u64, u64) {
    let raw = (max as f64 / 5.0).max(1.0);
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude) as u64;
    let step = step.max(1);
    (step, max.div_ceil(step) * step)
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
            query: "q".into(),
            by,
            occurrences: false,
            series: series
                .iter()
                .map(|(n, ys)| (n.to_string(), ys.iter().copied().collect()))
                .collect(),
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
        assert_eq!(nice_axis(1), (1, 1));
        assert_eq!(nice_axis(26), (10, 30));
        assert_eq!(nice_axis(295), (100, 300));
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
