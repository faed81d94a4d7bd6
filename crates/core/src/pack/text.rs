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

/// Words after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "etc", "vs", "cf", "al", "approx", "incl", "esp", "mr", "mrs", "ms", "dr", "st",
    "no", "fig", "vol", "ca",
];

/// The first sentence of normalised prose: up to the first `.`, `!` or `?` (with any
/// closing quotes or brackets) that is followed by a space and a capital letter, digit or
/// opening quote, and does not close an abbreviation (`e.g.`), an initial (`J.`) or a span
/// of inline code. Only the first paragraph is read. Returns the whole first paragraph when
/// it has one sentence.
pub fn first_sentence(text: &str) -> &str {
    let para = text.split('\n').next().unwrap_or("");
    let bytes = para.as_bytes();
    let mut in_code = false;
    for (i, c) in para.char_indices() {
        if c == '`' {
            in_code = !in_code;
            continue;
        }
        if in_code || !matches!(c, '.' | '!' | '?') {
            continue;
        }
        // Closing quotes and brackets belong to the sentence.
        let mut end = i + 1;
        while end < bytes.len() && matches!(bytes[end], b'"' | b'\'' | b')' | b']') {
            end += 1;
        }
        let rest = &para[end..];
        let Some(after) = rest.strip_prefix(' ') else {
            continue;
        };
        let starts_sentence = after.chars().next().is_some_and(|n| {
            n.is_uppercase() || n.is_ascii_digit() || matches!(n, '"' | '\'' | '`' | '(' | '“')
        });
        if !starts_sentence {
            continue;
        }
        if c == '.' {
            let word: String = para[..i]
                .rsplit(|ch: char| ch.is_whitespace() || ch == '(')
                .next()
                .unwrap_or("")
                .to_lowercase();
            let letters = word.chars().filter(|ch| ch.is_alphabetic()).count();
            if letters == 1 || ABBREVIATIONS.contains(&word.as_str()) {
                continue;
            }
        }
        return &para[..end];
    }
    para
}

/// The longest prefix of `s` of at most `max` bytes that ends at a word boundary, with "…"
/// appended when anything was cut (the result is then at most `max` bytes too).
pub fn cut_at_word(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let room = max.saturating_sub('…'.len_utf8());
    let mut cut = 0;
    for (i, c) in s.char_indices() {
        if i > room {
            break;
        }
        if c.is_whitespace() {
            cut = i;
        }
    }
    if cut == 0 {
        cut = floor_char_boundary(s, room);
    }
    format!("{}…", s[..cut].trim_end_matches([',', ';', ':', ' ']))
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Normalises a one-line field such as a title: all white space runs become one space.
pub fn line(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentence_stops_at_a_real_sentence_end() {
        let cases = [
            ("One. Two.", "One."),
            ("Only one sentence", "Only one sentence"),
            ("Uses e.g. dicts. Then more.", "Uses e.g. dicts."),
            (
                "Since 3.7 dicts keep order. More.",
                "Since 3.7 dicts keep order.",
            ),
            ("Call `x. Y` here. Next.", "Call `x. Y` here."),
            ("Made by J. Doe in 1991. Next.", "Made by J. Doe in 1991."),
            ("It asks \"why?\" Then answers.", "It asks \"why?\""),
            (
                "Ends with a dot. lowercase follows. Then.",
                "Ends with a dot. lowercase follows.",
            ),
            ("First para.\nSecond para.", "First para."),
            ("", ""),
        ];
        for (text, want) in cases {
            assert_eq!(first_sentence(text), want, "{text:?}");
        }
    }

    #[test]
    fn cut_at_word_keeps_whole_words_within_the_limit() {
        assert_eq!(cut_at_word("short", 10), "short");
        let cut = cut_at_word("alpha beta gamma delta", 14);
        assert_eq!(cut, "alpha beta…");
        assert!(cut.len() <= 14);
        let cut = cut_at_word("ünïcödéwithoutspaces", 9);
        assert!(cut.len() <= 9 && cut.ends_with('…'), "{cut}");
    }

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
