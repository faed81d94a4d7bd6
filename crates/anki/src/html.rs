//! Field HTML both ways. Out: text escaped so Anki shows it as written, paragraphs split by
//! blank lines, code in `<pre><code>` with its line breaks and indentation. In: the text
//! of an Anki field with its tags dropped and entities decoded, code blocks kept verbatim,
//! and the media it shows listed (memseed keeps text only).

/// Escapes text for an HTML field: `& < > "` and control characters (the field separator
/// `\x1f` among them) as entities; everything else, non-ASCII too, as written.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() && c != '\n' && c != '\t' => {
                out.push_str(&format!("&#{};", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// A prose field (one paragraph per line, as packs hold it) as HTML: paragraphs joined by
/// `<br><br>`.
pub fn prose(s: &str) -> String {
    s.split('\n')
        .filter(|p| !p.is_empty())
        .map(escape)
        .collect::<Vec<_>>()
        .join("<br><br>")
}

/// A code field as HTML: `<pre><code>`, with a `lang-NAME` class when the language is known.
pub fn code(s: &str, lang: Option<&str>) -> String {
    let class = lang
        .filter(|l| {
            l.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-#.".contains(c))
        })
        .map(|l| format!(" class=\"lang-{l}\""))
        .unwrap_or_default();
    format!("<pre><code{class}>{}</code></pre>", escape(s))
}

/// What a field holds, as text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plain {
    /// The text outside code blocks: paragraphs separated by blank lines, lines by `\n`.
    pub text: String,
    /// Each `<pre>` block's text, verbatim.
    pub code: Vec<String>,
    /// Media the field shows: `<img src>`, `<audio>`/`<video>`/`<source>` sources and
    /// `[sound:NAME]`.
    pub media: Vec<String>,
}

/// The text of an Anki field.
pub fn to_plain(html: &str) -> Plain {
    let mut out = Plain::default();
    let mut text = String::new();
    let mut pre: Option<String> = None;
    let mut skip_until: Option<&'static str> = None;
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(lt) = rest.find('<') {
            let (before, tail) = rest.split_at(lt);
            if skip_until.is_none() {
                push_text(before, pre.as_mut().unwrap_or(&mut text), &mut out.media);
            }
            // A tag runs to the first `>` outside quotes; a `<` that opens no tag is text.
            let Some((tag, after)) = split_tag(tail) else {
                if skip_until.is_none() {
                    pre.as_mut().unwrap_or(&mut text).push('<');
                }
                rest = &tail[1..];
                continue;
            };
            rest = after;
            let name = tag_name(tag);
            let closing = tag.starts_with("</");
            if let Some(end) = skip_until {
                if closing && name == end {
                    skip_until = None;
                }
                continue;
            }
            match (name.as_str(), closing) {
                ("script" | "style", false) => {
                    skip_until = Some(if name == "script" { "script" } else { "style" });
                }
                ("pre", false) if pre.is_none() => pre = Some(String::new()),
                ("pre", true) => {
                    if let Some(code) = pre.take() {
                        out.code.push(code);
                    }
                    paragraph(&mut text);
                }
                ("br", _) => match pre.as_mut() {
                    Some(p) => p.push('\n'),
                    None => text.push('\n'),
                },
                ("img" | "audio" | "video" | "source", false) => {
                    if let Some(src) = attribute(tag, "src").filter(|s| !s.is_empty()) {
                        out.media.push(src);
                    }
                }
                ("p" | "div" | "li" | "ul" | "ol" | "tr" | "table" | "blockquote" | "hr", _)
                | ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", _)
                    if pre.is_none() =>
                {
                    paragraph(&mut text);
                }
                // Inline code outside a block reads as packs write it, in backticks.
                ("code" | "kbd" | "tt", _) if pre.is_none() => text.push('`'),
                ("td" | "th", true) if pre.is_none() => text.push(' '),
                _ => {}
            }
        } else {
            if skip_until.is_none() {
                push_text(rest, pre.as_mut().unwrap_or(&mut text), &mut out.media);
            }
            break;
        }
    }
    if let Some(code) = pre {
        out.code.push(code);
    }
    out.text = text.trim().to_string();
    out
}

/// Ends the current paragraph: text after it starts after a blank line.
fn paragraph(text: &mut String) {
    let trimmed = text.trim_end_matches([' ', '\n']).len();
    text.truncate(trimmed);
    if !text.is_empty() {
        text.push_str("\n\n");
    }
}

/// Appends decoded text, taking `[sound:NAME]` references out into `media`.
fn push_text(raw: &str, into: &mut String, media: &mut Vec<String>) {
    let decoded = decode_entities(raw);
    let mut rest = decoded.as_str();
    while let Some(start) = rest.find("[sound:") {
        into.push_str(&rest[..start]);
        let after = &rest[start + 7..];
        match after.find(']') {
            Some(end) => {
                media.push(after[..end].to_string());
                rest = &after[end + 1..];
            }
            None => {
                into.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    // Anki's editor keeps source line breaks that HTML ignores; `<br>` is the break.
    into.push_str(rest);
}

/// The tag at the start of `s` (which starts with `<`) and what follows it; `None` when
/// `s` does not open a tag (`a < b`).
fn split_tag(s: &str) -> Option<(&str, &str)> {
    let second = s[1..].chars().next()?;
    if !(second.is_ascii_alphabetic() || second == '/' || second == '!') {
        return None;
    }
    if s.starts_with("<!--") {
        let end = s.find("-->").map_or(s.len(), |e| e + 3);
        return Some((&s[..end], &s[end..]));
    }
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some((&s[..=i], &s[i + 1..])),
            _ => {}
        }
    }
    None
}

/// The lowercase name of a tag (`<PRE class=x>` → `pre`, `</div>` → `div`).
fn tag_name(tag: &str) -> String {
    tag.trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The value of attribute `name` of a tag, entities decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find(name) {
        let at = from + pos;
        from = at + name.len();
        let before = lower[..at].chars().next_back();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let rest = tag[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
            _ => rest
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or(""),
        };
        return Some(decode_entities(value));
    }
    None
}

/// Named entities memseed decodes; others are kept as written.
const ENTITIES: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("nbsp", " "),
    ("ndash", "–"),
    ("mdash", "—"),
    ("hellip", "…"),
    ("lsquo", "‘"),
    ("rsquo", "’"),
    ("ldquo", "“"),
    ("rdquo", "”"),
    ("laquo", "«"),
    ("raquo", "»"),
    ("times", "×"),
    ("divide", "÷"),
    ("rarr", "→"),
    ("larr", "←"),
    ("harr", "↔"),
    ("rArr", "⇒"),
    ("le", "≤"),
    ("ge", "≥"),
    ("ne", "≠"),
    ("middot", "·"),
    ("bull", "•"),
    ("copy", "©"),
    ("deg", "°"),
    ("euro", "€"),
];

/// Decodes `&name;`, `&#NN;` and `&#xHH;`.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let semi = tail[1..].find(';').map(|i| i + 1).filter(|&i| i <= 12);
        let decoded = semi.and_then(|i| {
            let name = &tail[1..i];
            let c = if let Some(num) = name.strip_prefix('#') {
                let n = match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => num.parse().ok(),
                };
                n.and_then(char::from_u32).map(String::from)
            } else {
                ENTITIES
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_string())
            };
            c.map(|c| (c, i + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push_str(&c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Cloze markup (`{{c1::answer::hint}}`) with each deletion replaced by its answer.
pub fn fill_clozes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("{{c") {
        let after = &rest[start + 3..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 || !after[digits..].starts_with("::") {
            out.push_str(&rest[..start + 3]);
            rest = after;
            continue;
        }
        let body = &after[digits + 2..];
        let Some(end) = body.find("}}") else {
            out.push_str(&rest[..start + 3]);
            rest = after;
            continue;
        };
        out.push_str(&rest[..start]);
        let inner = &body[..end];
        out.push_str(inner.split("::").next().unwrap_or(inner));
        rest = &body[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn escaping_keeps_text_and_code_as_written() {
        assert_eq!(
            escape("a < b && \"c\" → é"),
            "a &lt; b &amp;&amp; &quot;c&quot; → é"
        );
        assert_eq!(escape("x\u{1f}y"), "x&#31;y");
        assert_eq!(prose("one\ntwo"), "one<br><br>two");
        assert_eq!(
            code("if a<b:\n    print('é')", Some("python")),
            "<pre><code class=\"lang-python\">if a&lt;b:\n    print('é')</code></pre>"
        );
    }

    #[test]
    fn fields_read_back_as_text_code_and_media() {
        let cases: &[(&str, &str, &[&str], &[&str])] = &[
            ("plain", "plain", &[], &[]),
            ("a<br>b", "a\nb", &[], &[]),
            ("<div>one</div><div>two</div>", "one\n\ntwo", &[], &[]),
            (
                "x &lt; y &amp;&amp; z&nbsp;&#233;&#x2192;",
                "x < y && z é→",
                &[],
                &[],
            ),
            ("a < b", "a < b", &[], &[]),
            ("Use <code>None</code> here", "Use `None` here", &[], &[]),
            (
                "See:<pre><code>for i in x:\n    f(i &lt; 2)</code></pre>done",
                "See:\n\ndone",
                &["for i in x:\n    f(i < 2)"],
                &[],
            ),
            ("<pre>a<br>b</pre>", "", &["a\nb"], &[]),
            (
                "<img src=\"pic one.png\"> text [sound:say.mp3]",
                "text",
                &[],
                &["pic one.png", "say.mp3"],
            ),
            ("<style>.x{}</style><b>bold</b><!-- c -->", "bold", &[], &[]),
            ("<span title='a>b'>t</span>", "t", &[], &[]),
        ];
        for (html, text, code, media) in cases {
            let p = to_plain(html);
            assert_eq!(p.text, *text, "{html}");
            assert_eq!(p.code, *code, "{html}");
            assert_eq!(p.media, *media, "{html}");
        }
    }

    #[test]
    fn clozes_are_filled_with_their_answers() {
        assert_eq!(
            fill_clozes("The {{c1::GIL::lock}} lets {{c2::one}} thread run; {{x}}"),
            "The GIL lets one thread run; {{x}}"
        );
        assert_eq!(fill_clozes("{{c1::open"), "{{c1::open");
    }

    proptest! {
        /// What `escape` and `code` write, `to_plain` reads back exactly.
        #[test]
        fn escape_then_read_is_the_identity(s in "\\PC{0,60}") {
            let line = s.replace(['\n', '\r'], " ");
            let read = to_plain(&escape(&line));
            prop_assert_eq!(read.text, line.trim().to_string());
            let code_text = s.replace('\r', "");
            let read = to_plain(&code(&code_text, Some("python")));
            prop_assert_eq!(read.code, vec![code_text]);
        }
    }
}
