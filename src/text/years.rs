//! Ranges of years, as `--year` and `year:` take them.

use std::fmt;

/// An inclusive range of years; either end may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearRange {
    pub start: Option<u64>,
    pub end: Option<u64>,
}

/// Why a text is not a range of years; the caller says where it was typed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YearRangeError {
    #[error("'{0}' is not a 4-digit year")]
    NotAYear(String),
    #[error("a range needs at least one end")]
    NoEnd,
    #[error("the first year comes after the last")]
    Reversed,
}

impl YearRange {
    /// The forms a reader is shown, for error messages.
    pub const FORMS: &'static str = "2022, 1999..2008, 2015.. or ..1999";

    /// Parses `2022`, `1999..2008`, `2015..` or `..1999`.
    pub fn parse(value: &str) -> Result<Self, YearRangeError> {
        let year = |s: &str| -> Result<Option<u64>, YearRangeError> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(YearRangeError::NotAYear(s.to_string()));
            }
            s.parse()
                .map(Some)
                .map_err(|_| YearRangeError::NotAYear(s.to_string()))
        };
        let range = match value.trim().split_once("..") {
            None => {
                let y = year(value)?.ok_or_else(|| YearRangeError::NotAYear(String::new()))?;
                YearRange {
                    start: Some(y),
                    end: Some(y),
                }
            }
            Some((start, end)) => YearRange {
                start: year(start)?,
                end: year(end)?,
            },
        };
        match (range.start, range.end) {
            (None, None) => Err(YearRangeError::NoEnd),
            (Some(s), Some(e)) if s > e => Err(YearRangeError::Reversed),
            _ => Ok(range),
        }
    }

    pub fn contains(&self, year: u64) -> bool {
        self.start.is_none_or(|s| year >= s) && self.end.is_none_or(|e| year <= e)
    }
}

impl fmt::Display for YearRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.start, self.end) {
            (Some(s), Some(e)) if s == e => write!(f, "{s}"),
            (s, e) => {
                if let Some(s) = s {
                    write!(f, "{s}")?;
                }
                f.write_str("..")?;
                if let Some(e) = e {
                    write!(f, "{e}")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_ranges() {
        for (text, start, end) in [
            ("2022", Some(2022), Some(2022)),
            ("2015..", Some(2015), None),
            ("..1999", None, Some(1999)),
            ("1999..2008", Some(1999), Some(2008)),
        ] {
            let range = YearRange::parse(text).unwrap();
            assert_eq!((range.start, range.end), (start, end), "{text}");
            assert_eq!(range.to_string(), text);
        }
        for bad in ["..", "99", "abcd", "1999..20x8", "2001-2003", "", "19999"] {
            assert!(YearRange::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            YearRange::parse("2008..1999"),
            Err(YearRangeError::Reversed)
        );
        assert!(
            YearRange::parse("19x9")
                .unwrap_err()
                .to_string()
                .contains("'19x9' is not a 4-digit year")
        );
    }
}
