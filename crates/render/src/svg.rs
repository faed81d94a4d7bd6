//! The laid-out card as an SVG document: one `<text>` per line, its runs as `<tspan>`s
//! with absolute x positions (so each run is shaped alone, exactly as it was measured).

use std::fmt::Write;

use crate::fonts::FAMILY;
use crate::layout::{HEIGHT, Layout, Shape, ShapeKind, WIDTH};
use crate::theme::Theme;

/// Writes `layout` as a standalone SVG document in `theme`.
pub fn to_svg(layout: &Layout, theme: Theme) -> String {
    let mut out = String::with_capacity(8192);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FAMILY}, sans-serif">"#
    );
    out.push('\n');
    let _ = writeln!(
        out,
        r#"<rect width="{WIDTH}" height="{HEIGHT}" fill="{}"/>"#,
        theme.background()
    );
    for shape in &layout.shapes {
        write_shape(&mut out, shape, theme);
    }
    for line in &layout.lines {
        let _ = write!(
            out,
            r#"<text y="{}" font-size="{}" xml:space="preserve">"#,
            num(line.baseline),
            num(line.size)
        );
        let last = line.runs.len().saturating_sub(1);
        for (i, run) in line.runs.iter().enumerate() {
            let text = if i == last {
                run.text.trim_end()
            } else {
                run.text.as_str()
            };
            let _ = write!(
                out,
                r#"<tspan x="{}" font-weight="{}" fill="{}">"#,
                num(run.x),
                run.weight.css(),
                theme.color(run.ink)
            );
            escape(&mut out, text);
            out.push_str("</tspan>");
        }
        out.push_str("</text>\n");
    }
    out.push_str("</svg>\n");
    out
}

fn write_shape(out: &mut String, s: &Shape, theme: Theme) {
    let fill = theme.color(s.ink);
    let (x, y, w, h) = (s.x, s.y, s.width, s.height);
    let _ = match s.kind {
        ShapeKind::Rect(r) => writeln!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="{fill}"/>"#,
            num(x),
            num(y),
            num(w),
            num(h),
            num(r)
        ),
        ShapeKind::Dot => writeln!(
            out,
            r#"<circle cx="{}" cy="{}" r="{}" fill="{fill}"/>"#,
            num(x + w / 2.0),
            num(y + h / 2.0),
            num(w.min(h) / 2.0)
        ),
        ShapeKind::Triangle => writeln!(
            out,
            r#"<path d="M{} {}L{} {}L{} {}Z" fill="{fill}"/>"#,
            num(x + w / 2.0),
            num(y),
            num(x + w),
            num(y + h),
            num(x),
            num(y + h)
        ),
    };
}

/// A coordinate with at most two decimals.
fn num(v: f32) -> String {
    let s = format!("{:.2}", v);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// XML-escapes text content (and is safe in attribute values too).
fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        let mut s = String::new();
        escape(&mut s, r#"a<b & "c" 'd'>"#);
        assert_eq!(s, "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(1.234), "1.23");
        assert_eq!(num(-0.001), "-0");
    }
}
