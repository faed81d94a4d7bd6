//! Pack prose: the HTML the web shows, the Markdown the export writes and the plain text
//! the share card draws are one reading of the text. The Markdown is checked against
//! pulldown-cmark, the reference CommonMark renderer: rendered, it must be the web's HTML.

use memseed_core::prose;
use proptest::prelude::*;

/// CommonMark's rendering of `md` as one paragraph, without the `<p>` wrapper.
fn commonmark(md: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(md));
    let inner = html.trim_end_matches('\n');
    let inner = inner.strip_prefix("<p>").unwrap_or(inner);
    inner.strip_suffix("</p>").unwrap_or(inner).to_string()
}

/// Lines of prose built from the characters that mean something to one renderer or the
/// other, with no space at either end of a line (a renderer trims those).
fn prose_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("a".to_string()),
        Just("word".to_string()),
        Just(" ".to_string()),
        Just("_".to_string()),
        Just("__".to_string()),
        Just("*".to_string()),
        Just("**".to_string()),
        Just("`".to_string()),
        Just("``".to_string()),
        Just("\\".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("[x](https://e.org/a)".to_string()),
        Just("<".to_string()),
        Just(">".to_string()),
        Just("&".to_string()),
        Just("&amp;".to_string()),
        Just("#".to_string()),
        Just("-".to_string()),
        Just("1.".to_string()),
        Just("=".to_string()),
        Just("~".to_string()),
        Just(".".to_string()),
        Just("\"".to_string()),
        Just("é".to_string()),
    ];
    let line = prop::collection::vec(piece, 1..14).prop_map(|v| v.concat().trim().to_string());
    prop::collection::vec(line, 1..3)
        .prop_map(|lines| {
            lines
                .into_iter()
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .prop_filter("not empty", |s| !s.is_empty())
}

/// The HTML with our tags removed and entities decoded: the text a reader sees.
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('>').expect("a closed tag") + i;
        let tag = &rest[i..=end];
        assert!(
            [
                "<code>",
                "</code>",
                "<em>",
                "</em>",
                "<strong>",
                "</strong>",
                "</a>"
            ]
            .contains(&tag)
                || tag.starts_with("<a href=\""),
            "unexpected tag {tag} in {html}"
        );
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn the_markdown_export_renders_as_the_web_shows(s in prose_text()) {
        let md = prose::markdown(&s);
        // pulldown-cmark leaves `"` as is in text; we escape it everywhere.
        let ours = prose::html(&s).replace("&quot;", "\"");
        prop_assert_eq!(commonmark(&md).replace("&quot;", "\""), ours, "markdown {:?}", md);
    }

    #[test]
    fn html_holds_only_its_own_tags_and_reads_as_the_plain_text(s in any::<String>()) {
        let html = prose::html(&s);
        prop_assert_eq!(visible(&html), prose::plain(&s));
    }

    #[test]
    fn text_without_markup_characters_is_itself(s in "[^`*\\[\\\\]*") {
        prop_assert_eq!(prose::plain(&s), s.clone());
        prop_assert_eq!(prose::parse(&s).len(), usize::from(!s.is_empty()));
    }
}
