//! Dates and years. A document's year drives the year facet and `--year`, so
//! where it comes from is recorded: the document's own metadata first, then a
//! year in its path (`S_RES_0001_1946_…`, `Session 01 - 1946/…`), then the first
//! full date in its text.

use std::sync::LazyLock;

use jiff::civil::Date;
use regex::Regex;

/// Years outside this range are not taken for document years: the corpora start
/// in 1945 and a resolution number such as `0001` must not read as a year.
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i16> = 1800..=2100;

/// How much of a text is searched for a first date: dates that identify a
/// document stand near its top, and the scan must stay cheap on huge files.
const DATE_SCAN_BYTES: usize = 64 * 1024;

/// The patterns use ASCII word boundaries and digits: with Unicode ones, any
/// non-ASCII byte in a text sends the regex engine from its DFA to a
/// backtracking-free but slow NFA simulation, which took 40% of a full build.
const MONTHS: &str = "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec";

static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)([0-9]{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+({MONTHS})\.?,?\s+([0-9]{{4}})(?-u:\b)"
    ))
    .expect("valid regex")
});
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)({MONTHS})\.?\s+([0-9]{{1,2}})(?:st|nd|rd|th)?,?\s+([0-9]{{4}})(?-u:\b)"
    ))
    .expect("valid regex")
});
static ISO_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?:[^0-9]|$)")
        .expect("valid regex")
});
static COMPACT_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([0-9]{4})([0-9]{2})([0-9]{2})").expect("valid regex"));
static PATH_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^0-9])([0-9]{4})(?:[^0-9]|$)").expect("valid regex"));

fn month_number(name: &str) -> Option<i8> {
    let name = name.to_ascii_lowercase();
    let n = match &name[..3.min(name.len())] {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(n)
}

fn civil_date(year: &str, month: i8, day: &str) -> Option<Date> {
    let year: i16 = year.parse().ok()?;
    let day: i8 = day.parse().ok()?;
    if !PLAUSIBLE_YEARS.contains(&year) {
        return None;
    }
    Date::new(year, month, day).ok()
}

/// Parses a date as metadata gives it: ISO 8601 with or without time
/// (`2023-03-12`, `2023-03-12T10:00:00+01:00`), `20230312`, or written out
/// (`12 March 2023`, `March 12, 2023`). The calendar date is taken as written,
/// without converting time zones.
pub fn parse_date_value(value: &str) -> Option<Date> {
    let value = value.trim();
    if let Some(c) = ISO_DATE.captures(value)
        && c.get(0)?.start() == 0
    {
        return civil_date(&c[1], c[2].parse().ok()?, &c[3]);
    }
    if let Some(c) = COMPACT_DATE.captures(value) {
        return civil_date(&c[1], c[2].parse().ok()?, &c[3]);
    }
    first_full_date(value)
}

/// The first full date (day, month and year) written in `text`.
pub fn first_full_date(text: &str) -> Option<Date> {
    let mut end = text.len().min(DATE_SCAN_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let text = &text[..end];
    let mut best: Option<(usize, Date)> = None;
    let mut consider = |start: usize, date: Option<Date>| {
        if let Some(date) = date
            && best.is_none_or(|(s, _)| start < s)
        {
            best = Some((start, date));
        }
    };
    for c in DAY_MONTH_YEAR.captures_iter(text) {
        let date = month_number(&c[2]).and_then(|m| civil_date(&c[3], m, &c[1]));
        consider(c.get(0).map_or(0, |m| m.start()), date);
        if date.is_some() {
            break;
        }
    }
    for c in MONTH_DAY_YEAR.captures_iter(text) {
        let date = month_number(&c[1]).and_then(|m| civil_date(&c[3], m, &c[2]));
        consider(c.get(0).map_or(0, |m| m.start()), date);
        if date.is_some() {
            break;
        }
    }
    for c in ISO_DATE.captures_iter(text) {
        let date = c[2].parse().ok().and_then(|m| civil_date(&c[1], m, &c[3]));
        consider(c.get(0).map_or(0, |m| m.start()), date);
        if date.is_some() {
            break;
        }
    }
    best.map(|(_, date)| date)
}

/// The year a relative path names: the last plausible 4-digit number standing
/// alone (the file name is more specific than its folders, and in
/// `S_RES_1945_2010_EN` the resolution number comes before the year).
pub fn year_from_path(relative_path: &str) -> Option<i16> {
    let mut found = None;
    let mut start = 0;
    // Overlapping matches ("1946_1947") need a manual walk: each match consumes
    // the separator after the year.
    while let Some(c) = PATH_YEAR.captures_at(relative_path, start) {
        let m = c.get(1)?;
        if let Ok(year) = m.as_str().parse::<i16>()
            && PLAUSIBLE_YEARS.contains(&year)
        {
            found = Some(year);
        }
        start = m.end();
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn metadata_dates() {
        for (value, date) in [
            ("2023-03-12", d(2023, 3, 12)),
            ("2023-03-12T10:00:00+01:00", d(2023, 3, 12)),
            ("2023/3/5", d(2023, 3, 5)),
            ("20230312", d(2023, 3, 12)),
            ("12 March 2023", d(2023, 3, 12)),
            ("March 12, 2023", d(2023, 3, 12)),
            ("Sept. 1, 2001", d(2001, 9, 1)),
        ] {
            assert_eq!(parse_date_value(value), Some(date), "{value}");
        }
        for bad in ["2023-02-30", "yesterday", "0001-01-01", ""] {
            assert_eq!(parse_date_value(bad), None, "{bad}");
        }
    }

    #[test]
    fn first_date_in_text_is_the_earliest_written() {
        let text = "Resolution of 25 January 1946\n... on 1 February 1946 ...";
        assert_eq!(first_full_date(text), Some(d(1946, 1, 25)));
        assert_eq!(
            first_full_date("Updated: June 3, 2022. Published 2021-01-01"),
            Some(d(2022, 6, 3))
        );
        assert_eq!(first_full_date("the year 1946 and 31 Foo 1999"), None);
    }

    #[test]
    fn years_in_paths() {
        for (path, year) in [
            (
                "un-security-council/S_RES_0001_1946_EN_GOLD.txt",
                Some(1946),
            ),
            (
                "un-security-council/S_RES_1945_2010_EN_GOLD.txt",
                Some(2010),
            ),
            (
                "un-general-debate/Session 01 - 1946/ARG_01_1946.txt",
                Some(1946),
            ),
            ("nato/official_texts_210907.htm", None),
            ("kfor/chronicle-2019-03.pdf", Some(2019)),
            ("notes/readme.txt", None),
        ] {
            assert_eq!(year_from_path(path), year, "{path}");
        }
    }
}
