//! Glyphs into lines and words: pdf-extract reports each glyph it draws with
//! its position, and this decides where a space or a line break goes
//! between them. It replaces pdf-extract's `PlainTextOutput`, which the PDF
//! quality benchmark (`docs/pdf.md`) caught in three ways:
//!
//! - rotated text (a margin line set at 90°) gave a font size of NaN, so no
//!   space or break was ever written around it: a footer "Page 1" ran into
//!   the next line as "1zen";
//! - a space glyph drawn inside the glyph before it, with the next glyph
//!   right after that one (an exporter that puts "ﬂ" where "fl" was and
//!   keeps a space in the slot it freed) split the word ("Verzweifl ung");
//! - a string drawn twice on itself for fake bold came out twice.
//!
//! Positions are measured along the text's own direction, so the same rules
//! hold for horizontal, rotated and mirrored text.

use std::collections::VecDeque;

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

/// A vertical move of more than this many font sizes starts a new line.
const NEW_LINE: f64 = 1.5;
/// A move back along the line with more than this vertical move is a new line.
const BACK_AND_DOWN: f64 = 0.5;
/// A gap of more than this many font sizes before a string is a space.
const WORD_GAP: f64 = 0.1;
/// Inside a string, glyphs follow each other with the character spacing
/// between them: letter-spaced headlines stay words, but a gap wider than
/// this many font sizes (formulas set "u × v" with a symbol drawn apart)
/// is a space.
const SPACED_GAP: f64 = 0.3;
/// A glyph this close (in font sizes) to the same glyph drawn recently may
/// be the same glyph drawn again (see [`Repeat`]).
const SAME_PLACE: f64 = 0.1;
/// A space glyph starting this far (in font sizes) inside the glyph before
/// it separates nothing.
const SPACE_INSIDE: f64 = 0.15;
/// A glyph this close (in font sizes) to the end of the glyph before a
/// doubtful space follows it with no gap: the space separated nothing.
const NO_GAP: f64 = 0.05;
/// How many recent glyphs a repeated one is looked for among.
const RECENT: usize = 64;

/// Where a glyph was drawn, in page space with y down.
#[derive(Clone, Copy)]
struct Placed {
    /// Origin.
    x: f64,
    y: f64,
    /// The end of its advance.
    end_x: f64,
    end_y: f64,
    /// The text direction, a unit vector.
    dx: f64,
    dy: f64,
    /// The font size on the page.
    size: f64,
}

/// A page's text, written to a `String` as pdf-extract draws it.
pub struct PageText<'a> {
    out: &'a mut String,
    flip: Transform,
    last: Option<Placed>,
    /// The next glyph starts a string (pdf-extract's `begin_word`): only
    /// there can a gap in the drawing stand for a space.
    string_start: bool,
    /// Recent glyphs, oldest first.
    recent: VecDeque<Seen>,
    /// How many glyphs were ever remembered: the next one's number.
    seen: u64,
    /// A string being drawn again over itself.
    repeat: Option<Repeat>,
    /// Where a space drawn inside the glyph before it was written: it is
    /// removed when the next glyph shows it separated nothing.
    suspect_space: Option<usize>,
    /// Glyphs drawn, and those that drew no letter (no Unicode for them).
    glyphs: usize,
    unmapped: usize,
    /// The last glyph, when it was a right-to-left letter.
    last_rtl: Option<Placed>,
    /// Right-to-left letters placed after the one before them: to its
    /// right (drawn in visual order, as a string shows them), or to its
    /// left (placed one by one in reading order).
    rtl_rightward: usize,
    rtl_leftward: usize,
}

impl<'a> PageText<'a> {
    pub fn new(out: &'a mut String) -> Self {
        PageText {
            out,
            flip: Transform::identity(),
            last: None,
            string_start: false,
            recent: VecDeque::with_capacity(RECENT),
            seen: 0,
            repeat: None,
            suspect_space: None,
            glyphs: 0,
            unmapped: 0,
            last_rtl: None,
            rtl_rightward: 0,
            rtl_leftward: 0,
        }
    }

    /// Pairs of right-to-left letters placed rightward and leftward of the
    /// one before ([`super::clean::rtl_drawn_visually`] weighs them when
    /// the letters themselves tell nothing).
    pub fn rtl_pairs(&self) -> (usize, usize) {
        (self.rtl_rightward, self.rtl_leftward)
    }

    /// How many glyphs the page drew.
    pub fn glyphs(&self) -> usize {
        self.glyphs
    }

    /// How many of them drew no letter: nothing, U+FFFD, a private-use or
    /// a control character (a font the reader could not map to Unicode).
    pub fn unmapped_glyphs(&self) -> usize {
        self.unmapped
    }

    /// The separator, if any, between the last glyph and one at `at`.
    fn separator(&self, at: &Placed) -> Option<char> {
        let last = self.last?;
        // A change of direction (a rotated line after a level one).
        if last.dx * at.dx + last.dy * at.dy < 0.99 {
            return Some('\n');
        }
        let size = at.size.max(last.size);
        let (gx, gy) = (at.x - last.end_x, at.y - last.end_y);
        let along = gx * last.dx + gy * last.dy;
        let across = (gy * last.dx - gx * last.dy).abs();
        if across > size * NEW_LINE || (along < 0.0 && across > size * BACK_AND_DOWN) {
            Some('\n')
        } else if along
            > size
                * if self.string_start {
                    WORD_GAP
                } else {
                    SPACED_GAP
                }
        {
            Some(' ')
        } else if self.string_start && along < -size * 2.0 {
            // Drawn out of order on the same line: words must not merge.
            Some(' ')
        } else {
            None
        }
    }

    /// The number of the latest recent glyph that is `c` drawn at this
    /// place: closer than a tenth of the font size and than half the
    /// glyph's advance (a font whose widths are too small packs "ee" closer
    /// than a tenth).
    fn same_glyph(&self, c: char, at: &Placed) -> Option<u64> {
        self.recent
            .iter()
            .rev()
            .find(|seen| seen.lies_under(c, at))
            .map(|seen| seen.number)
    }

    fn remember(&mut self, c: char, at: &Placed) {
        if self.recent.len() == RECENT {
            self.recent.pop_front();
        }
        let advance = (at.end_x - at.x).hypot(at.end_y - at.y);
        self.recent.push_back(Seen {
            c,
            x: at.x,
            y: at.y,
            advance,
            number: self.seen,
        });
        self.seen += 1;
    }

    /// Whether the glyph `c` at `at` is part of a string drawn again over
    /// itself, and so not written. One glyph on another may be chance (a
    /// form drawn where pdf-extract misplaces it, text over text); two in a
    /// row, each on the glyph after the last one's, are a repeat. The first
    /// of them is written while that is not known, and taken back when the
    /// second confirms it.
    fn repeated(&mut self, c: char, at: &Placed) -> bool {
        let matched = self.same_glyph(c, at);
        if let Some(repeat) = self.repeat.as_mut() {
            let next = repeat.matched + 1;
            if self
                .recent
                .iter()
                .any(|seen| seen.number == next && seen.lies_under(c, at))
            {
                repeat.matched += 1;
                if let Some((at_byte, last)) = repeat.written.take() {
                    if self.out.is_char_boundary(at_byte) {
                        self.out.truncate(at_byte);
                    }
                    self.last = last;
                }
                return true;
            }
            self.repeat = None;
        }
        if let Some(matched) = matched {
            self.repeat = Some(Repeat {
                matched,
                written: Some((self.out.len(), self.last)),
            });
        }
        false
    }

    /// Whether a string drawn again is being dropped (its spaces with it).
    fn repeating(&self) -> bool {
        self.repeat.as_ref().is_some_and(|r| r.written.is_none())
    }
}

/// A glyph remembered to find repeats.
#[derive(Clone, Copy)]
struct Seen {
    c: char,
    x: f64,
    y: f64,
    advance: f64,
    number: u64,
}

impl Seen {
    /// Whether `c` drawn at `at` lies on this glyph.
    fn lies_under(&self, c: char, at: &Placed) -> bool {
        let near = (at.size * SAME_PLACE).min(self.advance / 2.0);
        self.c == c && (self.x - at.x).abs() < near && (self.y - at.y).abs() < near
    }
}

/// A glyph found on an earlier one ([`PageText::repeated`]).
struct Repeat {
    /// The number of the earlier glyph the latest one lies on.
    matched: u64,
    /// Until a second glyph confirms the repeat: where the first was
    /// written, and the glyph before it.
    written: Option<(usize, Option<Placed>)>,
}

/// Whether `at` starts before the end of `last` along its line: drawn back
/// over it.
fn behind(last: &Placed, at: &Placed) -> bool {
    (at.x - last.end_x) * last.dx + (at.y - last.end_y) * last.dy < -at.size * SAME_PLACE
}

/// Where a glyph of `width` (in text space, a font size being 1) is drawn by
/// `trm` at `font_size`.
fn place(trm: &Transform, flip: &Transform, width: f64, font_size: f64) -> Option<Placed> {
    let m = trm.post_transform(flip);
    let scale = (m.m11 * m.m22 - m.m12 * m.m21).abs().sqrt();
    let norm = (m.m11 * m.m11 + m.m12 * m.m12).sqrt();
    let size = font_size.abs() * scale;
    if !(size.is_finite() && norm.is_finite() && norm > 0.0) {
        return None;
    }
    let (dx, dy) = (m.m11 / norm, m.m12 / norm);
    let advance = width * font_size.abs() * norm;
    Some(Placed {
        x: m.m31,
        y: m.m32,
        end_x: m.m31 + dx * advance,
        end_y: m.m32 + dy * advance,
        dx,
        dy,
        size,
    })
}

impl OutputDev for PageText<'_> {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.flip = Transform::row_major(1., 0., 0., -1., 0., media_box.ury - media_box.lly);
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        self.glyphs += 1;
        if text
            .chars()
            .all(|c| crate::extract::without_meaning(c) || (c.is_control() && !c.is_whitespace()))
        {
            self.unmapped += 1;
        }
        let Some(at) = place(trm, &self.flip, width, font_size) else {
            // A degenerate matrix draws nothing that can be placed.
            self.out.push_str(text);
            return Ok(());
        };
        let mut chars = text.chars();
        let single = match (chars.next(), chars.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        };
        if single.is_some_and(super::clean::is_rtl_letter) {
            if let Some(before) = self.last_rtl {
                let along = (at.x - before.x) * before.dx + (at.y - before.y) * before.dy;
                if along > 0.0 {
                    self.rtl_rightward += 1;
                } else if along < 0.0 {
                    self.rtl_leftward += 1;
                }
            }
            self.last_rtl = Some(at);
        } else if single.is_some_and(|c| !c.is_whitespace()) {
            self.last_rtl = None;
        }
        let suspect = self.suspect_space.take();
        // Against the glyph before: what follows keeps `last` as it is, or
        // returns (a repeat taken back restores an earlier one).
        let separator = self.separator(&at);
        if let (Some(c), Some(last)) = (single, self.last) {
            if c.is_whitespace() {
                if self.repeating() {
                    return Ok(());
                }
                let back = (at.x - last.end_x) * last.dx + (at.y - last.end_y) * last.dy;
                if back < -at.size * SPACE_INSIDE && separator.is_none() {
                    // Kept for now; dropped if the next glyph follows the
                    // one before it with no gap.
                    self.suspect_space = Some(self.out.len());
                    self.out.push_str(text);
                    return Ok(());
                }
            } else if width > 0.0
                && (self.repeat.is_some() || behind(&last, &at))
                && self.repeated(c, &at)
            {
                // Only a glyph drawn back over what was drawn can repeat
                // it: text running forward is never looked up.
                return Ok(());
            }
            if let Some(at_byte) = suspect {
                let gap = (at.x - last.end_x) * last.dx + (at.y - last.end_y) * last.dy;
                if gap.abs() < at.size * NO_GAP
                    && separator.is_none()
                    && self.out.is_char_boundary(at_byte)
                {
                    self.out.truncate(at_byte);
                }
            }
        }
        if let Some(separator) = separator
            && !self.out.ends_with(separator)
            && !self.out.ends_with('\n')
        {
            self.out.push(separator);
        }
        self.out.push_str(text);
        if let Some(c) = single.filter(|c| !c.is_whitespace()) {
            self.remember(c, &at);
        }
        self.string_start = false;
        self.last = Some(at);
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.string_start = true;
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}
