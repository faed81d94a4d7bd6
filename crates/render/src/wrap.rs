//! Line wrapping by measured width: break at Unicode line-break opportunities, inside a
//! word (between grapheme clusters) only when the word alone is wider than the line, and
//! end a cut-off line with "…". Widths come from the shaper that draws the text.

use unicode_segmentation::UnicodeSegmentation;

use crate::fonts::{Weight, advance_em};
use crate::layout::Ink;

/// How a piece of text is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Style {
    pub weight: Weight,
    pub ink: Ink,
}

/// One wrapped line: its runs, each with its offset from the line start, in ems.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct WLine {
    pub runs: Vec<WRun>,
    /// Width of the drawn text (trailing spaces excluded), in ems.
    pub width: f32,
}

/// A run of one style inside a wrapped line.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct WRun {
    pub style: Style,
    /// The text to draw (no trailing spaces on the line's last run).
    pub text: String,
    /// Offset from the line's start, in ems.
    pub dx: f32,
}

/// The result of wrapping one paragraph.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Wrapped {
    pub lines: Vec<WLine>,
    /// Whether text was cut (the last line then ends with "…").
    pub cut: bool,
}

const ELLIPSIS: char = '\u{2026}';

/// A paragraph made of styled spans, concatenated.
struct Para {
    text: String,
    /// `(end byte, style)` of each span, in order.
    spans: Vec<(usize, Style)>,
}

impl Para {
    fn new(spans: &[(Style, &str)]) -> Para {
        let mut text = String::new();
        let mut ends = Vec::new();
        for (style, s) in spans {
            if s.is_empty() {
                continue;
            }
            text.push_str(s);
            ends.push((text.len(), *style));
        }
        Para { text, spans: ends }
    }

    /// The styled slices of `[a, b)`, optionally without trailing whitespace.
    fn runs(&self, a: usize, b: usize, trim: bool) -> Vec<(Style, &str)> {
        let b = if trim {
            a + self.text[a..b].trim_end().len()
        } else {
            b
        };
        let mut out = Vec::new();
        let mut start = 0;
        for &(end, style) in &self.spans {
            let (lo, hi) = (start.max(a), end.min(b));
            if lo < hi {
                out.push((style, &self.text[lo..hi]));
            }
            start = end;
        }
        out
    }

    fn width(&self, a: usize, b: usize, trim: bool) -> f32 {
        self.runs(a, b, trim)
            .iter()
            .map(|(s, t)| advance_em(s.weight, t))
            .sum()
    }

    /// The drawn line for `[a, b)`, with `suffix` appended to its last run.
    fn line(&self, a: usize, b: usize, suffix: &str) -> WLine {
        let slices = self.runs(a, b, true);
        let mut runs = Vec::with_capacity(slices.len());
        let mut dx = 0.0;
        let last = slices.len().saturating_sub(1);
        for (i, (style, text)) in slices.into_iter().enumerate() {
            let mut text = text.to_string();
            if i == last {
                text.push_str(suffix);
            }
            let w = advance_em(style.weight, &text);
            runs.push(WRun { style, text, dx });
            dx += w;
        }
        if runs.is_empty() && !suffix.is_empty() {
            // Nothing but the ellipsis: draw it in the first span's style.
            let style = self.spans.first().map(|s| s.1);
            if let Some(style) = style {
                runs.push(WRun {
                    style,
                    text: suffix.to_string(),
                    dx: 0.0,
                });
                dx = advance_em(style.weight, suffix);
            }
        }
        WLine { runs, width: dx }
    }

    /// Break positions: line-break opportunities, plus grapheme boundaries inside any
    /// piece wider than `max` on its own.
    fn pieces(&self, max: f32) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = 0;
        for (end, _) in unicode_linebreak::linebreaks(&self.text) {
            if end <= start {
                continue;
            }
            if self.width(start, end, true) <= max {
                out.push((start, end));
            } else {
                for (i, g) in self.text[start..end].grapheme_indices(true) {
                    let (a, b) = (start + i, start + i + g.len());
                    // Spaces stay with the grapheme before them.
                    match out.last_mut() {
                        Some(last) if g.trim().is_empty() && last.1 == a => last.1 = b,
                        _ => out.push((a, b)),
                    }
                }
            }
            start = end;
        }
        out
    }
}

/// Wraps styled spans into lines at most `max` ems wide, at most `max_lines` lines. Text
/// beyond the last line is cut and that line ends with "…". A single grapheme wider than
/// the line (none is, at the sizes used) is dropped rather than drawn over the edge.
pub(crate) fn wrap(spans: &[(Style, &str)], max: f32, max_lines: usize) -> Wrapped {
    let para = Para::new(spans);
    if para.text.is_empty() || max_lines == 0 {
        return Wrapped::default();
    }
    let pieces = para.pieces(max);
    // Estimated widths per piece; the line itself is measured whole before it is taken.
    let widths: Vec<(f32, f32)> = pieces
        .iter()
        .map(|&(a, b)| (para.width(a, b, false), para.width(a, b, true)))
        .collect();
    let mut lines = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        if lines.len() == max_lines {
            return ellipsize(&para, &pieces, lines, max);
        }
        let mut j = i;
        let mut acc = 0.0;
        while j < pieces.len() && acc + widths[j].1 <= max {
            acc += widths[j].0;
            j += 1;
        }
        // Kerning across pieces can make the whole line a little wider than the sum.
        while j > i + 1 && para.width(pieces[i].0, pieces[j - 1].1, true) > max {
            j -= 1;
        }
        if j == i {
            // One grapheme wider than the line: leave it out.
            i += 1;
            continue;
        }
        lines.push((pieces[i].0, pieces[j - 1].1));
        i = j;
    }
    Wrapped {
        lines: lines
            .into_iter()
            .map(|(a, b)| para.line(a, b, ""))
            .collect(),
        cut: false,
    }
}

/// Makes the last of `lines` end with "…" within `max`, dropping text from its end.
fn ellipsize(
    para: &Para,
    pieces: &[(usize, usize)],
    mut lines: Vec<(usize, usize)>,
    max: f32,
) -> Wrapped {
    let suffix = ELLIPSIS.to_string();
    let Some((a, b)) = lines.pop() else {
        return Wrapped::default();
    };
    // Candidate ends: piece ends within the line, longest first, then grapheme ends.
    let mut ends: Vec<usize> = pieces
        .iter()
        .map(|p| p.1)
        .filter(|&e| e > a && e <= b)
        .collect();
    ends.reverse();
    let mut graphemes: Vec<usize> = para.text[a..b]
        .grapheme_indices(true)
        .map(|(i, g)| a + i + g.len())
        .collect();
    graphemes.reverse();
    ends.extend(graphemes);
    let mut last = None;
    for end in ends {
        let kept = trim_for_ellipsis(&para.text[a..end]);
        let line = para.line(a, a + kept.len(), &suffix);
        if line.width <= max {
            last = Some(line);
            break;
        }
    }
    let mut out: Vec<WLine> = lines
        .into_iter()
        .map(|(a, b)| para.line(a, b, ""))
        .collect();
    out.push(last.unwrap_or_else(|| para.line(a, a, &suffix)));
    Wrapped {
        lines: out,
        cut: true,
    }
}

/// The text before an ellipsis: no trailing spaces, dashes or separators.
fn trim_for_ellipsis(s: &str) -> &str {
    s.trim_end_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '\u{2014}' | '\u{2013}' | '-' | ',' | ';' | ':' | '.' | '\u{b7}'
            )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: Style = Style {
        weight: Weight::Regular,
        ink: Ink::Text,
    };
    const TITLE: Style = Style {
        weight: Weight::SemiBold,
        ink: Ink::Accent,
    };

    fn plain(lines: &Wrapped) -> Vec<String> {
        lines
            .lines
            .iter()
            .map(|l| l.runs.iter().map(|r| r.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn wraps_at_spaces_within_width() {
        let text = "Event loop = one clerk, one in-tray: run each ready task in turn";
        let max = advance_em(Weight::Regular, "Event loop = one clerk, one");
        let w = wrap(&[(TEXT, text)], max + 0.01, 10);
        assert!(w.lines.len() >= 3, "{:?}", plain(&w));
        assert!(w.lines.iter().all(|l| l.width <= max + 0.01));
        assert_eq!(plain(&w)[0], "Event loop = one clerk, one");
        assert_eq!(plain(&w).join(" "), text);
        assert!(!w.cut);
    }

    #[test]
    fn breaks_inside_a_word_longer_than_the_line() {
        let url = "https://example.com/a/very/long/path/that/does/not/fit/anywhere/at/all";
        let w = wrap(&[(TEXT, url)], 6.0, 20);
        assert!(w.lines.len() > 1);
        assert!(w.lines.iter().all(|l| l.width <= 6.0));
        assert_eq!(plain(&w).concat(), url);
    }

    #[test]
    fn cut_text_ends_with_an_ellipsis() {
        let text = "one two three four five six seven eight nine ten eleven twelve";
        let w = wrap(&[(TEXT, text)], 5.0, 2);
        assert_eq!(w.lines.len(), 2);
        assert!(w.cut);
        let last = plain(&w).pop().unwrap_or_default();
        assert!(last.ends_with('\u{2026}'), "{last}");
        assert!(w.lines.iter().all(|l| l.width <= 5.0));
    }

    #[test]
    fn runs_keep_their_style_and_offsets() {
        let w = wrap(
            &[
                (TITLE, "Decorators"),
                (TEXT, "\u{a0}\u{2014} @d over def f"),
            ],
            100.0,
            3,
        );
        assert_eq!(w.lines.len(), 1);
        let runs = &w.lines[0].runs;
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].style, TITLE);
        assert_eq!(runs[1].dx, advance_em(Weight::SemiBold, "Decorators"));
    }

    #[test]
    fn empty_text_has_no_lines() {
        assert!(wrap(&[(TEXT, "")], 10.0, 3).lines.is_empty());
    }
}
