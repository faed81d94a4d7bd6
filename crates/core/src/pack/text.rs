//! Normalisation of the text fields of a pack, so that byte counts depend only on content.
//!
//! Prose: paragraphs are separated by blank lines; inside a paragraph every run of white
//! space (line breaks included) becomes one space. The result holds one paragraph per line.
//! Code: kept as written, except `\r\n` becomes `\n` and trailing blank lines are removed.

/// Normalises a prose field to one paragraph per line (joined with `\n`).
pub fn prose(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    let mut out = String::with_capacity(raw.len());
    for para in paragraphs(&raw) {
        if !out.is_empty() {
            out.push('\n');
        }
        let mut first = true;
        for word in para.split_whitespace() {
            if !first {
                out.push(' ');
            }
            out.push_str(word);
            first = false;
        }
    }
    out
}

/// Splits raw text at blank lines, dropping paragraphs that hold only white space.
fn paragraphs(raw: &str) -> impl Iterator<Item = &str> {
    let mut rest = raw;
    std::iter::from_fn(move || {
        loop {
            if rest.is_empty() {
                return None;
            }
            let (para, tail) = split_blank_line(rest);
            rest = tail;
            if !para.trim().is_empty() {
                return Some(para);
            }
        }
    })
}

/// Splits at the first line that is empty or white space only.
fn split_blank_line(s: &str) -> (&str, &str) {
    let mut offset = 0;
    for line in s.split_inclusive('\n') {
        let end = offset + line.len();
        if offset > 0 && line.trim().is_empty() {
            return (&s[..offset], &s[end..]);
        }
        offset = end;
    }
    (s, "")
}

/// At most `max` characters of `s`, with "…" and the count of the rest when it was longer:
/// user input echoed in a message stays readable however long it was.
pub fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((cut, _)) => {
            let rest = s[cut..].chars().count();
            format!("{}… ({rest} more characters)", &s[..cut])
        }
    }
}

/// Normalises a code field: `\r\n` to `\n`, trailing white space lines and line ends removed.
pub fn code(raw: &str) -> String {
    let raw = raw.replace("\r\n", "\n");
    let mut lines: Vec<&str> = raw.split('\n').map(str::trim_end).collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    while lines.first().is_some_and(|l| l.is_empty()) {
        lines.remove(0);
    }
    lines.join("\n")
}

/// Normalises a one-line field such as a title: all white space runs become one space.
pub fn line(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_joins_wrapped_lines_and_keeps_paragraphs() {
        let cases = [
            ("  one  two\nthree ", "one two three"),
            ("a\n\nb", "a\nb"),
            ("a\n   \n\n  b\nc\n", "a\nb c"),
            ("\n\nlead", "lead"),
            ("", ""),
            ("x\r\ny", "x y"),
            ("tab\tsep", "tab sep"),
        ];
        for (raw, want) in cases {
            assert_eq!(prose(raw), want, "input {raw:?}");
        }
    }

    #[test]
    fn code_keeps_inner_lines_and_indentation() {
        assert_eq!(
            code("\ndef f():\n    return 1\n\n\n"),
            "def f():\n    return 1"
        );
        assert_eq!(code("a = 1\r\n\r\nb = 2  \r\n"), "a = 1\n\nb = 2");
        assert_eq!(code("   \n  x\n"), "  x");
    }

    #[test]
    fn line_collapses_space() {
        assert_eq!(
            line("  GIL  (Global\nInterpreter Lock) "),
            "GIL (Global Interpreter Lock)"
        );
    }
}
