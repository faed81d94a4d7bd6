//! The share card's geometry: where every line and shape goes on the 1200×630 canvas.
//! Pure and theme-free; the type size steps down until the content fits, and what still
//! does not fit is cut with "…" and a "+N more" line, so nothing is drawn over an edge.

use crate::content::{CardContent, clean};
use crate::fonts::{self, Weight};
use crate::wrap::{Style, WLine, Wrapped, wrap};

/// Canvas width in pixels.
pub const WIDTH: u32 = 1200;
/// Canvas height in pixels.
pub const HEIGHT: u32 = 630;

const W: f32 = WIDTH as f32;
const H: f32 = HEIGHT as f32;
const MARGIN_X: f32 = 60.0;
const TOP: f32 = 22.0;
const BOTTOM: f32 = 26.0;
const BAR: f32 = 8.0;
const GUTTER: f32 = 44.0;

/// Title sizes tried in turn; at the last the title is cut with "…".
const TITLE_SIZES: [f32; 4] = [56.0, 48.0, 42.0, 36.0];
/// Body sizes tried in turn; at the last, what does not fit is cut.
const BODY_SIZES: [f32; 8] = [26.0, 23.0, 20.0, 18.0, 17.0, 16.0, 15.0, 14.0];
const BADGE_SIZE: f32 = 28.0;
const FOOTER_SIZE: f32 = 14.0;
/// Line pitch as a multiple of the type size.
const LEADING: f32 = 1.28;
/// Most lines one seed or trap may take before it is cut.
const SEED_LINES: usize = 4;
const TRAP_LINES: usize = 3;
/// Most lines of one group of title-only seeds ("A · B · C"); more titles start a new group.
const GROUP_LINES: usize = 2;
/// Traps kept on a card too full for all of them, before seeds are cut.
const TRAPS_KEPT: usize = 3;

/// A colour role; the theme maps it to a colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ink {
    /// The topic title.
    Title,
    /// Body text.
    Text,
    /// Seed titles, the bar and the badge.
    Accent,
    /// Headings, footer and "+N more".
    Muted,
    /// Trap markers.
    Trap,
    /// Text on the accent badge.
    OnAccent,
    /// Divider rules.
    Rule,
}

/// A run of one style inside a [`TextLine`].
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub text: String,
    /// Left edge of the run in canvas pixels.
    pub x: f32,
    pub weight: Weight,
    pub ink: Ink,
}

/// One laid-out line of text; its box is where its glyphs may draw.
#[derive(Clone, Debug, PartialEq)]
pub struct TextLine {
    pub runs: Vec<Run>,
    /// Left edge of the box.
    pub x: f32,
    /// Top of the box (baseline minus the font's ascent).
    pub y: f32,
    /// Measured width of the drawn text.
    pub width: f32,
    /// Ascent plus descent.
    pub height: f32,
    pub baseline: f32,
    /// Type size in pixels.
    pub size: f32,
}

/// The kind of a drawn shape.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ShapeKind {
    /// A rectangle with corner radius.
    Rect(f32),
    /// A circle filling the box.
    Dot,
    /// An upward triangle filling the box.
    Triangle,
}

/// A filled shape and its box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shape {
    pub kind: ShapeKind,
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    pub ink: Ink,
}

/// The laid-out card.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub lines: Vec<TextLine>,
    pub shapes: Vec<Shape>,
    /// The body type size chosen.
    pub body_size: f32,
    /// Seeds and traps not shown at all.
    pub hidden: usize,
}

/// A box: x, y, width, height.
pub type Bounds = (f32, f32, f32, f32);

impl Layout {
    /// Every box the card draws in: text lines and shapes.
    pub fn boxes(&self) -> impl Iterator<Item = Bounds> + '_ {
        self.lines
            .iter()
            .map(|l| (l.x, l.y, l.width, l.height))
            .chain(self.shapes.iter().map(|s| (s.x, s.y, s.width, s.height)))
    }

    /// The text of every line, one string per line.
    pub fn texts(&self) -> impl Iterator<Item = String> + '_ {
        self.lines
            .iter()
            .map(|l| l.runs.iter().map(|r| r.text.as_str()).collect())
    }
}

const fn style(weight: Weight, ink: Ink) -> Style {
    Style { weight, ink }
}

/// Lays `content` out on the canvas.
pub fn layout(content: &CardContent) -> Layout {
    fonts::forget_widths();
    let c = Cleaned::new(content);
    let mut out = Layout {
        lines: Vec::new(),
        shapes: Vec::new(),
        body_size: BODY_SIZES[0],
        hidden: 0,
    };
    out.shapes.push(Shape {
        kind: ShapeKind::Rect(0.0),
        x: 0.0,
        y: 0.0,
        width: W,
        height: BAR,
        ink: Ink::Accent,
    });
    let header_bottom = header(&mut out, &c);
    let footer_top = footer(&mut out, &c);
    body(&mut out, &c, header_bottom + 14.0, footer_top - 16.0);
    out
}

/// The content as the font can draw it.
struct Cleaned {
    title: String,
    size: String,
    budget: String,
    lost: String,
    seeds_heading: String,
    seeds: Vec<(String, Option<String>)>,
    traps_heading: String,
    traps: Vec<String>,
    /// Seeds and traps left out before layout (see [`CardContent::more_seeds`]).
    more: [usize; 2],
}

impl Cleaned {
    fn new(c: &CardContent) -> Cleaned {
        let f = |s: &str| clean(s, fonts::covers);
        Cleaned {
            title: f(&c.title),
            size: f(&c.size),
            budget: Some(f(&c.budget))
                .filter(|b| !b.is_empty())
                .map(|b| format!("Budget {b}"))
                .unwrap_or_default(),
            lost: f(&c.lost),
            seeds_heading: f(&c.seeds_heading),
            seeds: c
                .seeds
                .iter()
                .map(|s| {
                    (
                        f(&s.title),
                        s.anchor.as_deref().map(f).filter(|a| !a.is_empty()),
                    )
                })
                .collect(),
            traps_heading: f(&c.traps_heading),
            traps: c.traps.iter().map(|t| f(t)).collect(),
            more: [c.more_seeds, c.more_traps],
        }
    }
}

/// Vertical metrics of a line at a size: (box height, baseline below the box top).
fn metrics(weight: Weight, size: f32) -> (f32, f32) {
    let (asc, desc) = fonts::vertical_em(weight);
    ((asc + desc) * size, asc * size)
}

/// Places a wrapped line with its box top at `y`.
fn place(line: &WLine, x: f32, y: f32, size: f32) -> TextLine {
    let weight = line
        .runs
        .first()
        .map_or(Weight::Regular, |r| r.style.weight);
    let (height, ascent) = metrics(weight, size);
    TextLine {
        runs: line
            .runs
            .iter()
            .map(|r| Run {
                text: r.text.clone(),
                x: x + r.dx * size,
                weight: r.style.weight,
                ink: r.style.ink,
            })
            .collect(),
        x,
        y,
        width: line.width * size,
        height,
        baseline: y + ascent,
        size,
    }
}

/// The title and the size badge; returns the bottom of the header.
fn header(out: &mut Layout, c: &Cleaned) -> f32 {
    let badge_text = style(Weight::Bold, Ink::OnAccent);
    let badge = wrap(&[(badge_text, &c.size)], 8.0, 1);
    let pad = 0.6 * BADGE_SIZE;
    let badge_w = badge.lines.first().map_or(0.0, |l| l.width * BADGE_SIZE) + 2.0 * pad;
    let title_max = W - 2.0 * MARGIN_X - badge_w - 32.0;
    let title_style = style(Weight::Bold, Ink::Title);
    let mut chosen = (TITLE_SIZES[0], Wrapped::default());
    for size in TITLE_SIZES {
        let w = wrap(&[(title_style, &c.title)], title_max / size, 1);
        let fits = !w.cut;
        chosen = (size, w);
        if fits {
            break;
        }
    }
    let (size, title) = chosen;
    let (_, asc_max) = metrics(Weight::Bold, TITLE_SIZES[0]);
    // Baselines line up whatever title size was chosen.
    let baseline = BAR + TOP + asc_max;
    let (height, ascent) = metrics(Weight::Bold, size);
    if let Some(line) = title.lines.first() {
        out.lines
            .push(place(line, MARGIN_X, baseline - ascent, size));
    }
    let bottom = baseline - ascent + height;
    if let Some(line) = badge.lines.first() {
        // Centre the badge on the title's capitals (Inter's cap height is 0.73 em).
        let cap = 0.73;
        let center = baseline - cap * TITLE_SIZES[0] / 2.0;
        let bh = 1.75 * BADGE_SIZE;
        let bx = W - MARGIN_X - badge_w;
        out.shapes.push(Shape {
            kind: ShapeKind::Rect(bh / 2.0),
            x: bx,
            y: center - bh / 2.0,
            width: badge_w,
            height: bh,
            ink: Ink::Accent,
        });
        let (_, basc) = metrics(Weight::Bold, BADGE_SIZE);
        let text_baseline = center + cap * BADGE_SIZE / 2.0;
        out.lines
            .push(place(line, bx + pad, text_baseline - basc, BADGE_SIZE));
    }
    bottom
}

/// The footer: "what you lose" on the left, the budget and the name on the right; returns
/// the top of the footer.
fn footer(out: &mut Layout, c: &Cleaned) -> f32 {
    let size = FOOTER_SIZE;
    let pitch = LEADING * size;
    let right = [
        wrap(&[(style(Weight::Regular, Ink::Muted), &c.budget)], 20.0, 1),
        wrap(&[(style(Weight::Bold, Ink::Accent), "memseed")], 16.0, 1),
    ];
    let right_w = right
        .iter()
        .flat_map(|w| w.lines.iter())
        .map(|l| l.width * size)
        .fold(0.0, f32::max);
    let left_max = W - 2.0 * MARGIN_X - right_w - 40.0;
    let lost = if c.lost.is_empty() {
        Wrapped::default()
    } else {
        wrap(
            &[
                (style(Weight::SemiBold, Ink::Text), "What you lose: "),
                (style(Weight::Regular, Ink::Muted), &c.lost),
            ],
            left_max / size,
            2,
        )
    };
    let rows = lost.lines.len().max(2);
    let (height, _) = metrics(Weight::Regular, size);
    let half_leading = (pitch - height) / 2.0;
    let top = H - BOTTOM - rows as f32 * pitch;
    for (i, line) in lost.lines.iter().enumerate() {
        out.lines.push(place(
            line,
            MARGIN_X,
            top + i as f32 * pitch + half_leading,
            size,
        ));
    }
    for (i, w) in right.iter().enumerate() {
        if let Some(line) = w.lines.first() {
            let x = W - MARGIN_X - line.width * size;
            let y = top + (rows - 2 + i) as f32 * pitch + half_leading;
            out.lines.push(place(line, x, y, size));
        }
    }
    out.shapes.push(Shape {
        kind: ShapeKind::Rect(0.0),
        x: MARGIN_X,
        y: top - 12.0,
        width: W - 2.0 * MARGIN_X,
        height: 1.5,
        ink: Ink::Rule,
    });
    top - 12.0
}

/// A unit of the two-column flow: a heading, an item, or a "+N more" line.
#[derive(Clone, Debug)]
struct Block {
    lines: Vec<WLine>,
    size: f32,
    /// Text indent from the column's left edge, in pixels.
    indent: f32,
    /// Space above, dropped at the top of a column.
    gap: f32,
    /// Headings stay with the block after them.
    keep_with_next: bool,
    marker: Option<(ShapeKind, Ink)>,
}

impl Block {
    fn pitch(&self) -> f32 {
        LEADING * self.size
    }

    fn height(&self) -> f32 {
        self.lines.len() as f32 * self.pitch()
    }
}

/// Styled text: runs of one style each.
type Spans = Vec<(Style, String)>;

/// A seed or trap, or a group of title-only seeds: its styled text and its block wrapped
/// in full.
struct Item {
    spans: Spans,
    block: Block,
    /// How many seeds or traps it shows (more than one for a group).
    count: usize,
}

/// The two sections, wrapped at one body size.
struct Body {
    size: f32,
    /// Text width of an item, in ems.
    max_em: f32,
    sections: [Section; 2],
}

struct Section {
    heading: Option<Block>,
    items: Vec<Item>,
    /// Items left out before layout; always among the hidden.
    more: usize,
    /// `("seed", "seeds")` for the "+N more" line.
    noun: (&'static str, &'static str),
}

/// How many items of each section a flow shows whole, and how many lines of the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cut {
    whole: [usize; 2],
    partial: [usize; 2],
}

/// The body area and its two columns.
struct Geometry {
    top: f32,
    bottom: f32,
    col_w: f32,
}

impl Geometry {
    fn col_x(&self, col: usize) -> f32 {
        MARGIN_X + col as f32 * (self.col_w + GUTTER)
    }
}

/// The spans of a seed: its title in the accent, then " — anchor" (no break before the
/// dash).
fn seed_spans(title: &str, anchor: Option<&str>) -> Spans {
    let mut spans = vec![(style(Weight::SemiBold, Ink::Accent), title.to_string())];
    if let Some(anchor) = anchor {
        let sep = if title.is_empty() {
            ""
        } else {
            "\u{a0}\u{2014} "
        };
        spans.push((style(Weight::Regular, Ink::Text), format!("{sep}{anchor}")));
    }
    spans
}

/// Title-only seeds as groups of at most [`GROUP_LINES`] lines each: titles in the accent,
/// separated by " · ", so a card of many titles does not spend a line on each. Lines break
/// only between titles (no-break spaces inside one, and before the dot). A title too long
/// for a group of its own still makes one (cut like any item).
fn title_groups(titles: &[&str], max_em: f32) -> Vec<(Spans, usize)> {
    let sep = (
        style(Weight::Regular, Ink::Muted),
        "\u{a0}\u{b7} ".to_string(),
    );
    let title = |t: &str| {
        (
            style(Weight::SemiBold, Ink::Accent),
            t.replace(' ', "\u{a0}"),
        )
    };
    let mut groups: Vec<(Spans, usize)> = Vec::new();
    let mut spans: Spans = Vec::new();
    let mut count = 0;
    for &t in titles {
        let mut next = spans.clone();
        if !next.is_empty() {
            next.push(sep.clone());
        }
        next.push(title(t));
        let fits = wrap_owned(&next, max_em, usize::MAX).lines.len() <= GROUP_LINES;
        if fits || spans.is_empty() {
            spans = next;
            count += 1;
        } else {
            groups.push((std::mem::take(&mut spans), count));
            spans.push(title(t));
            count = 1;
        }
    }
    if !spans.is_empty() {
        groups.push((spans, count));
    }
    groups
}

fn wrap_owned(spans: &[(Style, String)], max: f32, lines: usize) -> Wrapped {
    let borrowed: Vec<(Style, &str)> = spans.iter().map(|(s, t)| (*s, t.as_str())).collect();
    wrap(&borrowed, max, lines)
}

impl Body {
    /// Wraps everything at `size`; `capped` cuts items longer than their most lines.
    fn new(c: &Cleaned, size: f32, g: &Geometry, capped: bool) -> Body {
        let cap = |lines: usize| if capped { lines } else { usize::MAX };
        let indent = 1.1 * size;
        let max_em = (g.col_w - indent) / size;
        let heading = |text: &str, first: bool| {
            let hsize = (0.8 * size).min(17.0);
            let upper = text.to_uppercase();
            let lines = wrap(
                &[(style(Weight::Bold, Ink::Muted), upper.as_str())],
                g.col_w / hsize,
                1,
            )
            .lines;
            (!lines.is_empty()).then_some(Block {
                lines,
                size: hsize,
                indent: 0.0,
                gap: if first { 0.0 } else { 1.2 * size },
                keep_with_next: true,
                marker: None,
            })
        };
        let item = |spans: Spans, count: usize, max_lines: usize, marker: (ShapeKind, Ink)| {
            let wrapped = wrap_owned(&spans, max_em, max_lines);
            Item {
                count,
                spans,
                block: Block {
                    lines: wrapped.lines,
                    size,
                    indent,
                    gap: 0.4 * size,
                    keep_with_next: false,
                    marker: Some(marker),
                },
            }
        };
        // Seeds with anchors one by one, in order; then the title-only ones in groups.
        let dot = (ShapeKind::Dot, Ink::Accent);
        let titles: Vec<&str> = c
            .seeds
            .iter()
            .filter(|(t, a)| a.is_none() && !t.is_empty())
            .map(|(t, _)| t.as_str())
            .collect();
        let seeds: Vec<Item> = c
            .seeds
            .iter()
            .filter(|(_, a)| a.is_some())
            .map(|(t, a)| item(seed_spans(t, a.as_deref()), 1, cap(SEED_LINES), dot))
            .chain(
                title_groups(&titles, max_em)
                    .into_iter()
                    .map(|(spans, n)| item(spans, n, cap(GROUP_LINES), dot)),
            )
            .filter(|i| !i.block.lines.is_empty())
            .collect();
        let traps: Vec<Item> = c
            .traps
            .iter()
            .map(|t| {
                item(
                    vec![(style(Weight::Regular, Ink::Text), t.clone())],
                    1,
                    cap(TRAP_LINES),
                    (ShapeKind::Triangle, Ink::Trap),
                )
            })
            .filter(|i| !i.block.lines.is_empty())
            .collect();
        let seeds_heading = heading(&c.seeds_heading, true);
        let traps_heading = heading(&c.traps_heading, seeds.is_empty());
        Body {
            size,
            max_em,
            sections: [
                Section {
                    heading: seeds_heading,
                    items: seeds,
                    more: c.more[0],
                    noun: ("seed", "seeds"),
                },
                Section {
                    heading: traps_heading,
                    items: traps,
                    more: c.more[1],
                    noun: ("trap", "traps"),
                },
            ],
        }
    }

    fn all(&self) -> Cut {
        Cut {
            whole: [self.sections[0].items.len(), self.sections[1].items.len()],
            partial: [0, 0],
        }
    }

    /// The blocks a cut shows, in order.
    fn blocks(&self, cut: Cut) -> Vec<Block> {
        let mut out = Vec::new();
        for (s, section) in self.sections.iter().enumerate() {
            let items = &section.items;
            if items.is_empty() {
                continue;
            }
            if let Some(h) = &section.heading {
                out.push(h.clone());
            }
            let shown = cut.whole[s].min(items.len());
            out.extend(items[..shown].iter().map(|i| i.block.clone()));
            if shown == items.len() && section.more == 0 {
                continue;
            }
            if cut.partial[s] > 0 && shown < items.len() {
                let mut b = items[shown].block.clone();
                b.lines = wrap_owned(&items[shown].spans, self.max_em, cut.partial[s]).lines;
                out.push(b);
            }
            let hidden = self.hidden_in(s, cut);
            if hidden > 0 {
                let (one, many) = section.noun;
                let text = format!("+{hidden} more {}", if hidden == 1 { one } else { many });
                out.push(Block {
                    lines: wrap(
                        &[(style(Weight::SemiBold, Ink::Muted), &text)],
                        self.max_em,
                        1,
                    )
                    .lines,
                    size: self.size,
                    indent: 1.1 * self.size,
                    gap: 0.45 * self.size,
                    keep_with_next: false,
                    marker: None,
                });
            }
        }
        out
    }

    /// Seeds and traps not shown at all under a cut.
    fn hidden(&self, cut: Cut) -> usize {
        (0..2).map(|s| self.hidden_in(s, cut)).sum()
    }

    /// Seeds or traps of section `s` not shown at all under a cut (a group counts its
    /// titles).
    fn hidden_in(&self, s: usize, cut: Cut) -> usize {
        let items = &self.sections[s].items;
        let shown = cut.whole[s].min(items.len());
        let partial = usize::from(cut.partial[s] > 0 && shown < items.len());
        items[shown + partial..]
            .iter()
            .map(|i| i.count)
            .sum::<usize>()
            + self.sections[s].more
    }

    /// The cut that shows the most: the first few traps are kept while seeds are cut, then
    /// room left over goes to more traps, and a cut item shows the lines that still fit.
    fn best_cut(&self, g: &Geometry) -> Option<Cut> {
        let fits = |cut: Cut| flow(&self.blocks(cut), g).is_some();
        let all = self.all();
        if fits(all) {
            return Some(all);
        }
        let [n_seeds, n_traps] = all.whole;
        let mut cut = Cut {
            whole: [0, TRAPS_KEPT.min(n_traps)],
            partial: [0, 0],
        };
        loop {
            let k = cut.whole[1];
            if let Some(m) = largest(0, n_seeds, |m| {
                fits(Cut {
                    whole: [m, k],
                    ..cut
                })
            }) {
                cut.whole[0] = m;
                break;
            }
            if k == 0 {
                return None;
            }
            cut.whole[1] -= 1;
        }
        let grow_partial = |cut: &mut Cut, s: usize| {
            let items = &self.sections[s].items;
            // A group is shown whole or not at all, so "+N more" counts its titles.
            if let Some(item) = items.get(cut.whole[s]).filter(|i| i.count == 1) {
                for lines in (1..item.block.lines.len().max(2)).rev() {
                    let mut next = *cut;
                    next.partial[s] = lines;
                    if fits(next) {
                        *cut = next;
                        return;
                    }
                }
            }
        };
        grow_partial(&mut cut, 0);
        let traps = largest(cut.whole[1], n_traps, |k| {
            let mut next = cut;
            next.whole[1] = k;
            fits(next)
        });
        cut.whole[1] = traps.unwrap_or(cut.whole[1]);
        grow_partial(&mut cut, 1);
        Some(cut)
    }
}

/// The largest `x` in `lo..=hi` for which `ok` holds, given that it holds for every value
/// below one that does.
fn largest(lo: usize, hi: usize, ok: impl Fn(usize) -> bool) -> Option<usize> {
    if !ok(lo) {
        return None;
    }
    let (mut good, mut bad) = (lo, hi + 1);
    while bad - good > 1 {
        let mid = good + (bad - good) / 2;
        if ok(mid) {
            good = mid;
        } else {
            bad = mid;
        }
    }
    Some(good)
}

/// Splits blocks between the two columns, as evenly as they allow, and places them top to
/// bottom; `None` when they do not fit. Items stay whole in one column, and a heading is
/// never the last block of the left column.
fn flow(blocks: &[Block], g: &Geometry) -> Option<Vec<(usize, f32)>> {
    let avail = g.bottom - g.top;
    // Height of blocks[a..b] stacked in one column (no gap above the first).
    let stack = |range: &[Block]| -> f32 {
        range
            .iter()
            .enumerate()
            .map(|(k, b)| b.height() + if k == 0 { 0.0 } else { b.gap })
            .sum()
    };
    let mut best: Option<(usize, f32)> = None;
    for split in (0..=blocks.len()).rev() {
        if split > 0 && blocks[split - 1].keep_with_next && split < blocks.len() {
            continue;
        }
        let (left, right) = (
            stack(&blocks[..split]),
            stack(&blocks[split..]) + continued(blocks, split),
        );
        if left > avail + 0.01 {
            continue;
        }
        if right > avail + 0.01 {
            break;
        }
        let tallest = left.max(right);
        if best.is_none_or(|(_, t)| tallest < t - 0.01) {
            best = Some((split, tallest));
        }
    }
    let (split, _) = best?;
    let mut out = Vec::with_capacity(blocks.len());
    let mut y = g.top;
    for (i, b) in blocks.iter().enumerate() {
        let col = usize::from(i >= split);
        if i == 0 {
            y = g.top;
        } else if i == split {
            y = g.top + continued(blocks, split);
        } else {
            y += b.gap;
        }
        out.push((col, y));
        y += b.height();
    }
    Some(out)
}

/// How far down the right column starts: level with the left column's first item when it
/// continues a section headed in the left column.
fn continued(blocks: &[Block], split: usize) -> f32 {
    match (blocks.first(), blocks.get(1), blocks.get(split)) {
        (Some(h), Some(first), Some(b)) if split > 0 && h.keep_with_next && !b.keep_with_next => {
            h.height() + first.gap
        }
        _ => 0.0,
    }
}

/// Lays out seeds and traps between `top` and `bottom`, at the largest body size that fits.
fn body(out: &mut Layout, c: &Cleaned, top: f32, bottom: f32) {
    let g = Geometry {
        top,
        bottom,
        col_w: (W - 2.0 * MARGIN_X - GUTTER) / 2.0,
    };
    let mut chosen = None;
    for size in BODY_SIZES {
        let body = Body::new(c, size, &g, false);
        if flow(&body.blocks(body.all()), &g).is_some() {
            chosen = Some((body.all(), body));
            break;
        }
    }
    let (cut, body) = match chosen {
        Some(v) => v,
        None => {
            let body = Body::new(c, BODY_SIZES[BODY_SIZES.len() - 1], &g, true);
            match body.best_cut(&g) {
                Some(cut) => (cut, body),
                None => return,
            }
        }
    };
    out.body_size = body.size;
    out.hidden = body.hidden(cut);
    let blocks = body.blocks(cut);
    let Some(places) = flow(&blocks, &g) else {
        return;
    };
    for (b, (col, y)) in blocks.iter().zip(places) {
        let x = g.col_x(col);
        let pitch = b.pitch();
        let weight = b
            .lines
            .first()
            .and_then(|l| l.runs.first())
            .map_or(Weight::Regular, |r| r.style.weight);
        let (height, ascent) = metrics(weight, b.size);
        let half = (pitch - height) / 2.0;
        for (i, line) in b.lines.iter().enumerate() {
            out.lines.push(place(
                line,
                x + b.indent,
                y + i as f32 * pitch + half,
                b.size,
            ));
        }
        if let Some((kind, ink)) = b.marker {
            // Centred on the first line's lower-case letters.
            let center_y = y + half + ascent - 0.27 * b.size;
            let (w, h) = match kind {
                ShapeKind::Triangle => (0.62 * b.size, 0.54 * b.size),
                _ => (0.4 * b.size, 0.4 * b.size),
            };
            out.shapes.push(Shape {
                kind,
                x: x + 0.1 * b.size,
                y: center_y - h / 2.0,
                width: w,
                height: h,
                ink,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Seed;

    fn inside(l: &Layout) -> bool {
        l.boxes()
            .all(|(x, y, w, h)| x >= 0.0 && y >= 0.0 && x + w <= W && y + h <= H)
    }

    #[test]
    fn small_card_fits_at_the_largest_size() {
        let content = CardContent {
            title: "Python".into(),
            size: "0.50 KB".into(),
            budget: "512 bytes".into(),
            seeds_heading: "Seeds".into(),
            seeds: vec![Seed {
                title: "GIL".into(),
                anchor: Some("one steering wheel".into()),
            }],
            traps_heading: "Top traps".into(),
            traps: vec!["x=[] is shared".into()],
            lost: "a lot".into(),
            ..CardContent::default()
        };
        let l = layout(&content);
        assert_eq!(l.body_size, BODY_SIZES[0]);
        assert_eq!(l.hidden, 0);
        assert!(inside(&l));
    }

    #[test]
    fn overfull_card_is_cut_with_more_lines_and_keeps_traps() {
        let long = "word ".repeat(40);
        let content = CardContent {
            title: "A title far too long to fit on one line of the card at any of the sizes".into(),
            size: "99.9 KB".into(),
            budget: "102,400 bytes".into(),
            seeds_heading: "Seeds".into(),
            seeds: (0..60)
                .map(|i| Seed {
                    title: format!("Seed {i}"),
                    anchor: Some(long.clone()),
                })
                .collect(),
            traps_heading: "Top traps".into(),
            traps: (0..20).map(|i| format!("trap {i} {long}")).collect(),
            lost: long.repeat(3),
            ..CardContent::default()
        };
        let l = layout(&content);
        assert_eq!(l.body_size, BODY_SIZES[BODY_SIZES.len() - 1]);
        assert!(l.hidden > 0);
        let texts: Vec<String> = l.texts().collect();
        assert!(texts.iter().any(|t| t.ends_with("more seeds")), "{texts:?}");
        assert!(texts.iter().any(|t| t.ends_with("more traps")), "{texts:?}");
        assert!(texts.iter().any(|t| t.starts_with("trap 2")), "{texts:?}");
        assert!(texts.iter().any(|t| t.ends_with('\u{2026}')), "{texts:?}");
        assert!(inside(&l));
    }

    fn titles_only(n: usize) -> CardContent {
        CardContent {
            title: "Topic".into(),
            seeds_heading: "Seeds".into(),
            seeds: (0..n)
                .map(|i| Seed {
                    title: format!("Concept {i}"),
                    anchor: None,
                })
                .chain([Seed {
                    title: "Anchored".into(),
                    anchor: Some("held by its anchor".into()),
                }])
                .collect(),
            ..CardContent::default()
        }
    }

    #[test]
    fn seeds_left_out_before_layout_are_counted_in_the_more_line() {
        let mut c = titles_only(0);
        c.more_seeds = 100_000;
        let l = layout(&c);
        let more = l
            .texts()
            .find_map(|t| {
                t.strip_prefix('+')?
                    .strip_suffix(" more seeds")
                    .map(str::to_string)
            })
            .expect("a +N more line");
        assert_eq!(more, "100000");
        assert_eq!(l.hidden, 100_000);
    }

    #[test]
    fn title_only_seeds_share_lines_after_the_anchored_ones() {
        let l = layout(&titles_only(5));
        let texts: Vec<String> = l.texts().collect();
        let anchored = texts.iter().position(|t| t.starts_with("Anchored"));
        let group = texts
            .iter()
            .position(|t| t.contains("Concept\u{a0}0\u{a0}\u{b7} Concept\u{a0}1"));
        assert!(anchored.is_some() && group > anchored, "{texts:?}");
        let joined = texts.join(" ");
        for i in 0..5 {
            assert!(joined.contains(&format!("Concept\u{a0}{i}")), "{texts:?}");
        }
        assert_eq!(l.hidden, 0);
        // One dot for the anchored seed, one for the group.
        assert_eq!(
            l.shapes.iter().filter(|s| s.kind == ShapeKind::Dot).count(),
            2
        );
        assert!(inside(&l));
    }

    #[test]
    fn hidden_titles_in_groups_are_counted_one_by_one() {
        let n = 400;
        let l = layout(&titles_only(n));
        let texts: Vec<String> = l.texts().collect();
        let shown = texts
            .iter()
            .flat_map(|t| t.split('\u{b7}'))
            .filter(|t| t.trim().starts_with("Concept\u{a0}"))
            .count();
        let more = texts
            .iter()
            .find_map(|t| t.strip_prefix('+')?.strip_suffix(" more seeds"))
            .expect("a +N more line");
        assert_eq!(more.parse::<usize>().unwrap(), n - shown, "{texts:?}");
        assert_eq!(l.hidden, n - shown);
        assert!(shown > 20, "{texts:?}");
        assert!(!texts.iter().any(|t| t.ends_with('\u{2026}')), "{texts:?}");
        assert!(inside(&l));
    }

    #[test]
    fn empty_content_lays_out() {
        let l = layout(&CardContent::default());
        assert!(inside(&l));
        assert_eq!(l.hidden, 0);
    }
}
