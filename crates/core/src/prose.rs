//! Pack prose: the inline Markdown subset pack text is written in — `code`, *emphasis*,
//! **strong** and [links](https://example.org) — parsed once into spans and written as
//! HTML (the web app), as CommonMark (the Markdown export) or as plain text (the share card
//! and search). One parser, so every rendering agrees on what is code and what is text.
//!
//! Deliberately not a CommonMark parser: pack text is technical prose full of `__dunder__`
//! names, `*args`, globs and regular expressions written outside backticks, which CommonMark
//! turns into bold and italics (`type.__call__` renders as "type.**call**"). Here `_` never
//! marks emphasis; `*` and `**` do only when they hug a word on both sides (`*word*`,
//! `**two words**`, never `(.*)` or `2**10`); a link needs a safe URL (http, https, mailto,
//! a path or a fragment); backslash escapes only the characters that mean something here
//! (`` \ ` * _ [ ] ``). Anything else is text, shown as typed.

/// A piece of prose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Span {
    /// Text as it reads (escapes resolved).
    Text(String),
    /// Inline code, normalised as CommonMark does (line ends become spaces, one space
    /// of padding on both sides is dropped).
    Code(String),
    Emphasis(Vec<Span>),
    Strong(Vec<Span>),
    Link {
        url: String,
        text: Vec<Span>,
    },
}

/// The characters that may start markup; everything between them is plain text.
const SPECIAL: &[char] = &['\\', '`', '[', '*'];

/// Characters a backslash escapes.
const ESCAPABLE: &[char] = &['\\', '`', '*', '_', '[', ']'];

/// Parses `text` into spans. Never fails: what is not markup is text.
pub fn parse(text: &str) -> Vec<Span> {
    resolve(tokenize(text))
}

#[derive(Debug)]
enum Token {
    Text(String),
    Code(String),
    Link { url: String, text: Vec<Span> },
    Stars { n: usize, open: bool, close: bool },
}

fn tokenize(s: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut text = String::new();
    let flush = |text: &mut String, out: &mut Vec<Token>| {
        if !text.is_empty() {
            out.push(Token::Text(std::mem::take(text)));
        }
    };
    let mut i = 0;
    while i < s.len() {
        // Plain text up to the next character that may start markup, copied at once.
        let next = s[i..].find(SPECIAL).map_or(s.len(), |k| i + k);
        text.push_str(&s[i..next]);
        i = next;
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        match c {
            '\\' => match s[i + 1..].chars().next() {
                Some(e) if ESCAPABLE.contains(&e) => {
                    text.push(e);
                    i += 1 + e.len_utf8();
                }
                _ => {
                    text.push('\\');
                    i += 1;
                }
            },
            '`' => {
                let run = run_len(s, i, b'`');
                match code_span(s, i, run) {
                    Some((code, end)) => {
                        flush(&mut text, &mut out);
                        out.push(Token::Code(code));
                        i = end;
                    }
                    None => {
                        text.push_str(&s[i..i + run]);
                        i += run;
                    }
                }
            }
            '[' => match link(s, i) {
                Some((inner, url, end)) => {
                    flush(&mut text, &mut out);
                    out.push(Token::Link {
                        url: url.to_string(),
                        text: parse(inner),
                    });
                    i = end;
                }
                None => {
                    text.push('[');
                    i += 1;
                }
            },
            _ => {
                let n = run_len(s, i, b'*');
                let prev = s[..i].chars().next_back();
                let next = s[i + n..].chars().next();
                flush(&mut text, &mut out);
                out.push(Token::Stars {
                    n,
                    open: n <= 2 && can_open(prev, next),
                    close: n <= 2 && can_close(prev, next),
                });
                i += n;
            }
        }
    }
    flush(&mut text, &mut out);
    out
}

/// Length of the run of `byte` starting at `i`.
fn run_len(s: &str, i: usize, byte: u8) -> usize {
    s.as_bytes()[i..].iter().take_while(|&&b| b == byte).count()
}

/// The code span opened by `run` backticks at `i`: its content and the index after its
/// closing run (a run of exactly the same length), or `None` when it is never closed.
fn code_span(s: &str, i: usize, run: usize) -> Option<(String, usize)> {
    let start = i + run;
    let mut j = start;
    while let Some(k) = s[j..].find('`') {
        let at = j + k;
        let n = run_len(s, at, b'`');
        if n == run {
            let raw = s[start..at].replace(['\n', '\r'], " ");
            let code = if raw.len() >= 2
                && raw.starts_with(' ')
                && raw.ends_with(' ')
                && raw.bytes().any(|b| b != b' ')
            {
                raw[1..raw.len() - 1].to_string()
            } else {
                raw
            };
            return Some((code, at + n));
        }
        j = at + n;
    }
    None
}

/// A link `[text](url)` at `i`: its text, its URL and the index after it. The text may
/// hold code spans and escapes but no other brackets; the URL must be safe.
fn link(s: &str, i: usize) -> Option<(&str, &str, usize)> {
    let mut j = i + 1;
    while let Some(c) = s[j..].chars().next() {
        match c {
            '\\' => j += 1 + s[j + 1..].chars().next().map_or(0, char::len_utf8),
            '`' => {
                let run = run_len(s, j, b'`');
                j = code_span(s, j, run).map_or(j + run, |(_, end)| end);
            }
            '[' => return None,
            ']' => {
                let rest = s[j + 1..].strip_prefix('(')?;
                let close = rest.find(')')?;
                let url = &rest[..close];
                if j == i + 1 || !safe_url(url) {
                    return None;
                }
                return Some((&s[i + 1..j], url, j + 2 + close + 1));
            }
            _ => j += c.len_utf8(),
        }
    }
    None
}

/// Whether a link may point at `url`: web and mail addresses, paths on this site and
/// fragments; nothing with spaces, quotes, brackets or another scheme (`javascript:`).
pub fn safe_url(url: &str) -> bool {
    let plain = !url.is_empty()
        && url
            .chars()
            .all(|c| c.is_ascii_graphic() && !"()<>\"'`\\[]{}".contains(c));
    let lower = url.to_ascii_lowercase();
    let allowed = ["https://", "http://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p) && lower.len() > p.len())
        || (url.starts_with('/') && !url.starts_with("//"))
        || url.starts_with('#');
    plain && allowed
}

/// Whether a run of stars between `prev` and `next` may open emphasis: it follows the
/// start, a space or an opening quote (not a bracket: `gather(*aws)`), and a word (or
/// code, or a quote) follows.
fn can_open(prev: Option<char>, next: Option<char>) -> bool {
    prev.is_none_or(|p| p.is_whitespace() || "\"'\u{201c}\u{2018}".contains(p))
        && next.is_some_and(|n| n.is_alphanumeric() || "`\"'([_\u{201c}\u{2018}".contains(n))
}

/// Whether a run of stars may close emphasis: it ends a word (or code, a quote, a closing
/// bracket, a full stop) and the end, a space or punctuation follows.
fn can_close(prev: Option<char>, next: Option<char>) -> bool {
    prev.is_some_and(|p| p.is_alphanumeric() || "`\"')]._!?%\u{201d}\u{2019}".contains(p))
        && next.is_none_or(|n| n.is_whitespace() || ".,;:!?)]}\"'-/\u{201d}\u{2019}".contains(n))
}

/// Pairs openers with closers of the same length, left to right; what stays unpaired is
/// text.
fn resolve(tokens: Vec<Token>) -> Vec<Span> {
    let mut tokens: Vec<Option<Token>> = tokens.into_iter().map(Some).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Some(tok) = tokens[i].take() else {
            i += 1;
            continue;
        };
        match tok {
            Token::Stars { n, open: true, .. } => {
                let closer = (i + 1..tokens.len()).find(|&j| {
                    matches!(tokens[j], Some(Token::Stars { n: m, close: true, .. }) if m == n)
                });
                match closer {
                    Some(j) => {
                        let inner: Vec<Token> =
                            tokens[i + 1..j].iter_mut().flat_map(Option::take).collect();
                        let inner = resolve(inner);
                        tokens[j] = None;
                        out.push(if n == 1 {
                            Span::Emphasis(inner)
                        } else {
                            Span::Strong(inner)
                        });
                        i = j + 1;
                        continue;
                    }
                    None => push_text(&mut out, &"*".repeat(n)),
                }
            }
            Token::Stars { n, .. } => push_text(&mut out, &"*".repeat(n)),
            Token::Text(t) => push_text(&mut out, &t),
            Token::Code(c) => out.push(Span::Code(c)),
            Token::Link { url, text } => out.push(Span::Link { url, text }),
        }
        i += 1;
    }
    out
}

fn push_text(out: &mut Vec<Span>, s: &str) {
    match out.last_mut() {
        Some(Span::Text(t)) => t.push_str(s),
        _ => out.push(Span::Text(s.to_string())),
    }
}

// ---- HTML ------------------------------------------------------------------------------

/// Appends `s` with `&`, `<`, `>` and `"` escaped.
pub fn escape_html(out: &mut String, s: &str) {
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        out.push_str(entity);
        from = i + 1;
    }
    out.push_str(&s[from..]);
}

/// `text` as HTML: `<code>`, `<em>`, `<strong>` and `<a href>`, everything else escaped.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    if text.contains(SPECIAL) {
        write_html(&mut out, &parse(text), &mut escape_html);
    } else {
        escape_html(&mut out, text);
    }
    out
}

/// Writes `spans` as HTML; `text` writes (and must escape) the characters of text and code
/// content, so a caller can mark search matches in them.
pub fn write_html(out: &mut String, spans: &[Span], text: &mut dyn FnMut(&mut String, &str)) {
    for span in spans {
        match span {
            Span::Text(t) => text(out, t),
            Span::Code(c) => {
                out.push_str("<code>");
                text(out, c);
                out.push_str("</code>");
            }
            Span::Emphasis(inner) => {
                out.push_str("<em>");
                write_html(out, inner, text);
                out.push_str("</em>");
            }
            Span::Strong(inner) => {
                out.push_str("<strong>");
                write_html(out, inner, text);
                out.push_str("</strong>");
            }
            Span::Link { url, text: inner } => {
                out.push_str("<a href=\"");
                escape_html(out, url);
                out.push_str("\">");
                write_html(out, inner, text);
                out.push_str("</a>");
            }
        }
    }
}

// ---- plain text ------------------------------------------------------------------------

/// `text` as it reads, without markup: code without its backticks, emphasis without stars,
/// a link as its text.
pub fn plain(text: &str) -> String {
    let spans = parse(text);
    if let [Span::Text(t)] = spans.as_slice() {
        return t.clone();
    }
    let mut out = String::with_capacity(text.len());
    write_plain(&mut out, &spans);
    out
}

fn write_plain(out: &mut String, spans: &[Span]) {
    for span in spans {
        match span {
            Span::Text(t) | Span::Code(t) => out.push_str(t),
            Span::Emphasis(inner) | Span::Strong(inner) | Span::Link { text: inner, .. } => {
                write_plain(out, inner);
            }
        }
    }
}

// ---- Markdown --------------------------------------------------------------------------

/// `text` as CommonMark that renders as [`html`] does: code, emphasis and links written
/// as Markdown, and every character a Markdown renderer would take for markup escaped
/// (`__len__` is written `\_\_len\_\_`, so it does not turn bold).
pub fn markdown(text: &str) -> String {
    let mut w = MdWriter {
        out: String::with_capacity(text.len() + text.len() / 8),
        line_start: true,
    };
    w.spans(&parse(text));
    w.out
}

struct MdWriter {
    out: String,
    /// Whether the next character starts a line (where `#`, `>`, `-`, `1.` are markup).
    line_start: bool,
}

impl MdWriter {
    fn spans(&mut self, spans: &[Span]) {
        for span in spans {
            match span {
                Span::Text(t) => self.text(t),
                Span::Code(c) => self.code(c),
                Span::Emphasis(inner) => self.wrapped("*", inner),
                Span::Strong(inner) => self.wrapped("**", inner),
                Span::Link { url, text } => {
                    self.raw("[");
                    self.spans(text);
                    self.raw("](");
                    self.raw(url);
                    self.raw(")");
                }
            }
        }
    }

    fn raw(&mut self, s: &str) {
        self.out.push_str(s);
        if let Some(c) = s.chars().next_back() {
            self.line_start = c == '\n';
        }
    }

    fn wrapped(&mut self, delim: &str, inner: &[Span]) {
        self.raw(delim);
        self.spans(inner);
        self.raw(delim);
    }

    fn code(&mut self, code: &str) {
        let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat(longest + 1);
        let pad = code.starts_with('`')
            || code.ends_with('`')
            || (code.starts_with(' ') && code.ends_with(' ') && code.bytes().any(|b| b != b' '));
        let pad = if pad { " " } else { "" };
        self.raw(&format!("{fence}{pad}{code}{pad}{fence}"));
    }

    fn text(&mut self, t: &str) {
        let chars: Vec<char> = t.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let next = chars.get(i + 1).copied();
            if self.line_start {
                // Block markup at the start of a line: headings, quotes, list items,
                // thematic breaks and setext underlines.
                if "#>-+=".contains(c) {
                    self.out.push('\\');
                } else if c.is_ascii_digit() {
                    let digits = chars[i..].iter().take_while(|d| d.is_ascii_digit()).count();
                    if let Some(&after) = chars.get(i + digits)
                        && (after == '.' || after == ')')
                    {
                        self.out.extend(&chars[i..i + digits]);
                        self.out.push('\\');
                        self.out.push(after);
                        i += digits + 1;
                        self.line_start = false;
                        continue;
                    }
                }
            }
            match c {
                '\\' | '`' | '*' | '[' | ']' | '<' | '~' => self.out.push('\\'),
                // An underscore inside a word (`snake_case`) is never markup; at a word's
                // edge (`__len__`, `_private`) it may be.
                '_' => {
                    let start = chars[..i]
                        .iter()
                        .rposition(|&d| d != '_')
                        .map_or(0, |p| p + 1);
                    let end = chars[i..]
                        .iter()
                        .position(|&d| d != '_')
                        .map_or(chars.len(), |p| p + i);
                    let before = start.checked_sub(1).map(|p| chars[p]);
                    let after = chars.get(end).copied();
                    let inside = before.is_some_and(char::is_alphanumeric)
                        && after.is_some_and(char::is_alphanumeric);
                    if !inside {
                        self.out.push('\\');
                    }
                }
                '&' if next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#') => {
                    self.out.push('\\');
                }
                _ => {}
            }
            self.out.push(c);
            self.line_start = c == '\n';
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Span {
        Span::Text(s.to_string())
    }

    fn code(s: &str) -> Span {
        Span::Code(s.to_string())
    }

    #[test]
    fn spans_of_pack_prose() {
        // input, expected spans
        let cases: Vec<(&str, Vec<Span>)> = vec![
            ("plain words", vec![t("plain words")]),
            (
                "call `len(x)` now",
                vec![t("call "), code("len(x)"), t(" now")],
            ),
            ("``a ` b``", vec![code("a ` b")]),
            ("`` `tick` ``", vec![code("`tick`")]),
            ("an `unclosed tick", vec![t("an `unclosed tick")]),
            (
                "a *word* here",
                vec![t("a "), Span::Emphasis(vec![t("word")]), t(" here")],
            ),
            (
                "**two words**.",
                vec![Span::Strong(vec![t("two words")]), t(".")],
            ),
            (
                "*use `x`*",
                vec![Span::Emphasis(vec![t("use "), code("x")])],
            ),
            (
                "[the docs](https://docs.python.org/3/)",
                vec![Span::Link {
                    url: "https://docs.python.org/3/".into(),
                    text: vec![t("the docs")],
                }],
            ),
            (
                "[bad](javascript:alert(1))",
                vec![t("[bad](javascript:alert(1))")],
            ),
            ("[x] (not a link)", vec![t("[x] (not a link)")]),
            (r"\*not emphasis\*", vec![t("*not emphasis*")]),
            (r"C:\Users\me", vec![t(r"C:\Users\me")]),
        ];
        for (input, want) in cases {
            assert_eq!(parse(input), want, "{input:?}");
        }
    }

    #[test]
    fn identifiers_globs_and_regexes_outside_backticks_stay_text() {
        for s in [
            "the __len__ method",
            "type.__call__: obj = C.__new__(C, *args); then obj.__init__(*args)",
            "f(*args, **kwargs)",
            "Quantifiers are greedy (.*) unless made lazy (.*?)",
            "2**10 and x * y",
            "(*const T, *mut T)",
            "gather(*aws) returns results in order (catch with except*).",
            "refs/heads/*:refs/remotes/origin/*",
            "SELECT COUNT(*) FROM t",
            "_private and snake_case",
            "***three***",
        ] {
            assert_eq!(parse(s), vec![t(s)], "{s:?}");
            assert_eq!(plain(s), s);
        }
    }

    #[test]
    fn html_escapes_and_marks_up() {
        assert_eq!(
            html("use `<b>` & *not* <script>"),
            "use <code>&lt;b&gt;</code> &amp; <em>not</em> &lt;script&gt;"
        );
        assert_eq!(html("\"q\""), "&quot;q&quot;");
    }

    #[test]
    fn markdown_escapes_what_a_renderer_would_take_for_markup() {
        let cases = [
            ("the __len__ method", r"the \_\_len\_\_ method"),
            ("snake_case stays", "snake_case stays"),
            ("obj.__dict__", r"obj.\_\_dict\_\_"),
            ("f(*args)", r"f(\*args)"),
            ("use `__len__` here", "use `__len__` here"),
            ("# not a heading", r"\# not a heading"),
            ("1. not a list", r"1\. not a list"),
            ("- not a list", r"\- not a list"),
            ("a <b> tag", r"a \<b> tag"),
            ("&amp; stays", r"\&amp; stays"),
            ("*em* and **strong**", "*em* and **strong**"),
            ("``a ` b``", "``a ` b``"),
            ("`` `x` ``", "`` `x` ``"),
        ];
        for (input, want) in cases {
            assert_eq!(markdown(input), want, "{input:?}");
        }
    }

    #[test]
    fn plain_drops_markup() {
        assert_eq!(plain("call `len(x)` on *this*"), "call len(x) on this");
        assert_eq!(plain("[docs](https://x.org)"), "docs");
    }
}
