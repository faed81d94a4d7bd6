//! Reading the forms people write inside a line or paragraph: titles with numbers, emoji
//! and markers, `#tags`, definitions (`Term — definition`, `Term: definition`,
//! "X is ..."), flashcards (`Q:`/`A:`, `::`, `:::`, `?` separators), clozes
//! (`{{c1::...}}`, `==highlight==`) and labels (`Why it matters:`, `Trap:`).

/// Symbols that mark a note or heading as important.
const STAR_MARKERS: &[char] = &['⭐', '★', '🌟', '❗', '‼', '🔥', '📌'];

/// Tags that set a tier outright.
pub const TIER_TAGS: &[&str] = &["critical", "high", "medium", "low"];

/// Tags and title words that raise importance.
const IMPORTANT_WORDS: &[&str] = &["important", "key", "essential", "must-know", "core", "star"];

/// A cleaned heading or term.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Title {
    pub text: String,
    /// Importance markers found (⭐, "(important)", `#important`).
    pub markers: u32,
    pub tags: Vec<String>,
}

/// Cleans a heading or term: drops leading section numbers (`1.2`, `3)`), leading emoji
/// (and their mis-decoded forms), star markers and `#tags` (kept as tags and markers),
/// wrapping `**`, and a trailing colon.
pub fn clean_title(raw: &str) -> Title {
    let (text, tags) = take_tags(raw);
    let mut markers = 0;
    let mut s: String = text
        .chars()
        .filter(|c| {
            if STAR_MARKERS.contains(c) {
                markers += 1;
                false
            } else {
                true
            }
        })
        .collect();
    s = strip_symbol_prefix(&s).to_string();
    s = strip_numbering(&s).to_string();
    s = strip_symbol_prefix(&s).to_string();
    let lower = s.to_lowercase();
    for w in [
        "(important)",
        "[important]",
        "!important",
        "(key)",
        "(critical)",
    ] {
        if lower.contains(w) {
            markers += 1;
            if let Some(i) = lower.find(w) {
                s.replace_range(i..i + w.len(), "");
            }
        }
    }
    let s = s
        .trim()
        .trim_start_matches(['*', ' '])
        .trim_end_matches([':', '-', '—', '–', '*', ' ']);
    markers += tags
        .iter()
        .filter(|t| IMPORTANT_WORDS.contains(&t.as_str()))
        .count() as u32;
    Title {
        text: memseed_core::pack::text::line(s),
        markers,
        tags,
    }
}

/// Drops a leading `1.`, `1.2.3`, `2)`, `A.` section number.
fn strip_numbering(s: &str) -> &str {
    let t = s.trim_start();
    let digits = t
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8());
    if digits > 0 && t[..digits].chars().any(|c| c.is_ascii_digit()) {
        let rest = &t[digits..];
        let rest = rest.strip_prefix(')').unwrap_or(rest);
        if rest.starts_with(' ') && rest.trim().chars().next().is_some_and(char::is_alphabetic) {
            return rest.trim_start();
        }
    }
    t
}

/// Drops leading tokens that are symbols (emoji) or an emoji mis-decoded as Thai and Latin
/// letters (`๐Ÿ“Œ`, `โšก`), when words follow.
pub fn strip_symbol_prefix(s: &str) -> &str {
    let mut t = s.trim_start();
    loop {
        let Some(first) = t.chars().next() else {
            return t;
        };
        if first.is_alphanumeric() && !is_mojibake_start(t) {
            return t;
        }
        if first == '`'
            || first == '_'
            || first == '"'
            || first == '\''
            || first == '('
            || first == '@'
            || first == '$'
            || first == '.'
            || first == '['
        {
            return t;
        }
        // Drop one token: up to the next space, or up to the first ASCII letter.
        let end = t
            .char_indices()
            .skip(1)
            .find(|&(_, c)| c == ' ' || c.is_ascii_alphanumeric())
            .map_or(t.len(), |(i, _)| i);
        let rest = t[end..].trim_start();
        if rest.is_empty() || rest.len() == t.len() {
            return t;
        }
        t = rest;
    }
}

/// Whether text starts with an emoji decoded in the wrong code page (UTF-8 bytes read as
/// Windows-874): `๐Ÿ` (a 4-byte emoji) or `โ` + Latin-1 (a 3-byte symbol).
fn is_mojibake_start(s: &str) -> bool {
    let mut c = s.chars();
    match (c.next(), c.next()) {
        (Some('๐'), Some('Ÿ')) => true,
        (Some('โ'), Some(n)) => after_tho(n),
        _ => false,
    }
}

/// Whether a character after `โ` shows a mis-decoded symbol rather than Thai text: not a
/// Thai character, not ASCII, not a space.
fn after_tho(n: char) -> bool {
    !n.is_ascii() && !('\u{0E00}'..='\u{0E7F}').contains(&n) && !n.is_whitespace()
}

/// Whether a text shows mis-decoded emoji anywhere (for one warning per note).
pub fn has_mojibake(s: &str) -> bool {
    s.contains("๐Ÿ")
}

/// Splits a line at mis-decoded or real emoji into short labels (`📌 A📌 B` → `A`, `B`),
/// when it is a line of at least two such labels and nothing else.
pub fn emoji_tags(line: &str) -> Option<Vec<String>> {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut marks = 0;
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let moji = (c == '๐' && chars.get(i + 1) == Some(&'Ÿ'))
            || (c == 'โ' && chars.get(i + 1).is_some_and(|&n| after_tho(n)));
        if moji || is_emoji(c) {
            marks += 1;
            parts.push(std::mem::take(&mut cur));
            i += 1;
            // The rest of the mis-decoded bytes: anything up to an ASCII letter, digit or space.
            while i < chars.len()
                && !(chars[i].is_ascii_alphanumeric()
                    || chars[i] == ' '
                    || "&:_.@=|^(".contains(chars[i]))
            {
                i += 1;
            }
            continue;
        }
        cur.push(c);
        i += 1;
    }
    parts.push(cur);
    let parts: Vec<String> = parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    let short =
        marks >= 2 && parts.len() >= 2 && parts.iter().all(|p| p.split_whitespace().count() <= 5);
    short.then_some(parts)
}

fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F300..=0x1FAFF | 0x2600..=0x27BF)
}

/// Removes Obsidian `#tags` from text, returning the text and the tags (lower-cased).
/// A tag is `#` then a letter, then letters, digits, `-`, `_` or `/`, after a space or at
/// the start; `#1` and `C#` are not tags.
pub fn take_tags(text: &str) -> (String, Vec<String>) {
    if !text.contains('#') {
        return (text.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(text.len());
    let mut tags = Vec::new();
    let mut in_code = false;
    let mut chars = text.char_indices().peekable();
    let mut prev: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        if c == '`' {
            in_code = !in_code;
        }
        let starts_tag = c == '#'
            && !in_code
            && prev.is_none_or(char::is_whitespace)
            && chars.peek().is_some_and(|&(_, n)| n.is_alphabetic());
        if starts_tag {
            let rest = &text[i + 1..];
            let len = rest
                .char_indices()
                .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '/')))
                .map_or(rest.len(), |(j, _)| j);
            tags.push(rest[..len].to_lowercase());
            for _ in 0..rest[..len].chars().count() {
                chars.next();
            }
            prev = Some('x');
            continue;
        }
        out.push(c);
        prev = Some(c);
    }
    let out = out
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (out, tags)
}

/// Importance markers in a tag list.
pub fn tag_markers(tags: &[String]) -> u32 {
    tags.iter()
        .filter(|t| IMPORTANT_WORDS.contains(&t.as_str()))
        .count() as u32
}

/// The tier a tag sets (`#critical`, `importance: high`), if any; the highest wins.
pub fn tier_tag(tags: &[String]) -> Option<usize> {
    tags.iter()
        .filter_map(|t| TIER_TAGS.iter().position(|x| x == t))
        .min()
}

/// Words that start a line of code in the languages notes are about.
const CODE_STARTS: &[&str] = &[
    "def ",
    "class ",
    "import ",
    "from ",
    "return ",
    "print(",
    "async def ",
    "await ",
    "yield ",
    "raise ",
    "try:",
    "except",
    "finally:",
    "else:",
    "elif ",
    "with ",
    "for ",
    "while ",
    "if ",
    "const ",
    "let ",
    "var ",
    "function ",
    "fn ",
    "pub ",
    "use ",
    "impl ",
    "struct ",
    "#include",
    "SELECT ",
    "INSERT ",
    "UPDATE ",
    "DELETE ",
    "CREATE ",
    "$ ",
    ">>> ",
    "// ",
    "/*",
    "console.",
    "@",
    "}",
    "{",
];

/// Whether a line reads as code rather than prose: it starts with a keyword of code and
/// ends like code, or is an assignment or a call.
pub fn looks_like_code(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() {
        return false;
    }
    if t.starts_with("# ") || t.starts_with("#!") {
        // A comment line in a script, or code flattened onto one line after a comment.
        return t.len() > 90 || t.contains(" = ") || t.contains("print(") || t.contains("def ");
    }
    for k in CODE_STARTS {
        if let Some(rest) = t.strip_prefix(k) {
            // `if`, `for`, `with` and friends start sentences too: demand a trailing colon or
            // brackets of code.
            let needs_proof = matches!(
                *k,
                "if "
                    | "for "
                    | "while "
                    | "with "
                    | "from "
                    | "import "
                    | "use "
                    | "else:"
                    | "try:"
                    | "finally:"
                    | "@"
                    | "}"
                    | "{"
                    | "except"
                    | "yield "
                    | "raise "
                    | "return "
                    | "await "
            );
            if !needs_proof {
                return true;
            }
            let code_end =
                t.ends_with(':') || t.ends_with(';') || t.ends_with('{') || t.ends_with(')');
            let prose = rest.split_whitespace().count() > 12 && t.ends_with('.');
            if (code_end || *k == "@" && !rest.contains(' ')) && !prose {
                return true;
            }
            if (*k == "import " || *k == "from ") && !rest.contains(' ') {
                return true;
            }
            if *k == "from " && rest.contains(" import ") {
                return true;
            }
        }
    }
    // `name = value`, `obj.attr(args)`, `x += 1`.
    let ident_end = t
        .char_indices()
        .find(|&(_, c)| {
            !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | ',' | '*'))
        })
        .map_or(t.len(), |(i, _)| i);
    if ident_end > 0 && t.as_bytes()[0].is_ascii_alphabetic() | (t.as_bytes()[0] == b'_') {
        let rest = &t[ident_end..];
        let assign = [" = ", " += ", " -= ", " := ", " == "]
            .iter()
            .any(|op| rest.starts_with(op));
        let call = rest.starts_with('(') && (t.ends_with(')') || t.ends_with(");"));
        if (assign || call) && !t.ends_with('.') {
            return true;
        }
    }
    false
}

/// Words that a definition's term does not start with (pronouns, determiners,
/// conjunctions): "This is why", "Every class is".
const NOT_TERM_START: &[&str] = &[
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "there",
    "here",
    "what",
    "which",
    "who",
    "whom",
    "when",
    "where",
    "why",
    "how",
    "each",
    "every",
    "everything",
    "all",
    "some",
    "most",
    "many",
    "much",
    "both",
    "such",
    "one",
    "your",
    "our",
    "my",
    "his",
    "her",
    "their",
    "if",
    "in",
    "on",
    "at",
    "for",
    "to",
    "so",
    "but",
    "and",
    "or",
    "not",
    "no",
    "only",
    "also",
    "then",
    "now",
    "just",
    "even",
    "because",
    "since",
    "while",
    "unlike",
    "like",
    "with",
    "without",
    "from",
    "by",
    "under",
    "over",
    "after",
    "before",
    "you",
    "we",
    "they",
    "he",
    "she",
    "i",
    "any",
    "another",
    "other",
    "same",
    "first",
    "second",
    "third",
    "last",
    "next",
    "result",
    "answer",
    "example",
    "note",
    "tip",
    "warning",
    "see",
    "source",
    "always",
    "never",
    "use",
    "avoid",
    "keep",
    "make",
    "catch",
    "inherit",
    "do",
    "don't",
    "try",
    "call",
    "pass",
    "put",
    "write",
    "check",
    "prefer",
    "remember",
    "consider",
    "think",
    "let",
    "let's",
    "instead",
    "often",
    "usually",
    "sometimes",
    "again",
    "finally",
    "still",
    "yes",
    "well",
];

/// Words a term does not end with: "Generator expressions use parentheses and".
const NOT_TERM_END: &[&str] = &[
    "and",
    "or",
    "of",
    "to",
    "in",
    "on",
    "at",
    "for",
    "with",
    "by",
    "from",
    "the",
    "a",
    "an",
    "itself",
    "themselves",
    "that",
    "which",
    "also",
    "not",
    "only",
    "use",
    "uses",
    "is",
    "are",
];

/// Labels that introduce a part of the text rather than define a term.
pub const LABELS: &[&str] = &[
    "why it matters",
    "why",
    "note",
    "notes",
    "tip",
    "tips",
    "warning",
    "example",
    "examples",
    "e.g",
    "todo",
    "see",
    "see also",
    "source",
    "ref",
    "reference",
    "references",
    "summary",
    "overview",
    "definition",
    "benefits",
    "caveats",
    "caveat",
    "limitations",
    "best practices",
    "golden rule",
    "rule of thumb",
    "key properties",
    "key benefits",
    "the future",
    "trade-off",
    "trade-offs",
    "modern bonus",
    "modern twist",
    "real uses",
    "when to use",
    "use when",
    "important",
    "key point",
    "remember",
    "answer",
    "question",
    "result",
    "output",
    "fix",
    "solution",
    "pros",
    "cons",
    "usage",
    "syntax",
    "details",
    "deep explanation",
    "internals",
    "under the hood",
    "how it works",
    "interview",
    "trap",
    "gotcha",
    "pitfall",
    "mistake",
    "anchor",
    "mnemonic",
    "one-liner",
    "tl;dr",
    "tldr",
    "in short",
    "common traps",
];

fn is_label(term: &str) -> bool {
    let t = term.trim().trim_end_matches(':').to_lowercase();
    LABELS.contains(&t.as_str())
}

/// `Term — definition`, `Term: definition` or `Term - definition` in a list item, with a
/// short term (at most 8 words, 80 bytes) that is not a label. Returns (term, definition).
pub fn definition_item(text: &str) -> Option<(String, String)> {
    let first = text.lines().next().unwrap_or("");
    for sep in [" — ", " – ", " -- ", ": ", " - ", " = "] {
        if let Some((term, def)) = first.split_once(sep) {
            let term = term.trim();
            let def_first = def.trim();
            let words = term.split_whitespace().count();
            if term.is_empty()
                || term.len() > 80
                || words > 8
                || def_first.split_whitespace().count() < 2
                || is_label(term)
                || (sep == ": " && words > 5)
                || (sep == " - " && words > 4)
                || term.ends_with('?')
                || looks_like_code(term)
            {
                continue;
            }
            let rest: Vec<&str> = text.lines().skip(1).collect();
            let mut def = def_first.to_string();
            if !rest.is_empty() {
                def.push('\n');
                def.push_str(&rest.join("\n"));
            }
            return Some((term.to_string(), def));
        }
    }
    None
}

/// The term a paragraph defines, if its first sentence is a definition: "A dict is a hash
/// table", "The GIL is a mutex", "Hashable means", "Mock — a generic fake". The term is 1-5
/// words (a parenthesis dropped), not a pronoun or label.
pub fn defined_term(para: &str) -> Option<String> {
    let first = memseed_core::pack::text::first_sentence(para.lines().next().unwrap_or(""));
    let subject = [
        " is ",
        " are ",
        " means ",
        " refers to ",
        " lets ",
        " — ",
        " – ",
    ]
    .iter()
    .filter_map(|v| first.find(v).map(|i| (i, *v)))
    .min_by_key(|&(i, _)| i)
    .map(|(i, _)| &first[..i])?;
    if subject.contains(['[', '=', '*', '{', '#', '<', '>']) {
        return None;
    }
    let subject = drop_parens(subject);
    let mut words: Vec<&str> = subject.split_whitespace().collect();
    let mut article = false;
    if let Some(w) = words.first()
        && matches!(w.to_lowercase().as_str(), "a" | "an" | "the")
    {
        words.remove(0);
        article = true;
    }
    if words.is_empty() || words.len() > 5 {
        return None;
    }
    let first_word = words[0].to_lowercase();
    let last_word = words[words.len() - 1].to_lowercase();
    if NOT_TERM_START.contains(&first_word.as_str()) || NOT_TERM_END.contains(&last_word.as_str()) {
        return None;
    }
    let term = words.join(" ");
    if term.len() > 48
        || term.contains([':', ',', ';', '"', '“'])
        || is_label(&term)
        || !term.chars().any(char::is_alphabetic)
        || term.starts_with(['[', '(', '=', '<', '>', '-', '*', '+'])
    {
        return None;
    }
    // A common noun brought in by an article starts with a capital, as a title does; an
    // identifier (`asyncio is ...`) stays as written.
    let mut chars = term.chars();
    match chars.next() {
        Some(f) if article && f.is_lowercase() => {
            Some(f.to_uppercase().collect::<String>() + chars.as_str())
        }
        _ => Some(term),
    }
}

/// The text without parenthesised asides.
pub fn drop_parens(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a labelled paragraph is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Label {
    Anchor,
    Why,
    Deep,
    Interview,
    Trap,
    Important,
}

/// A paragraph that starts with a label (`Why it matters:`, `Trap:`, `Mnemonic:`), with
/// the text after it.
pub fn label(para: &str) -> Option<(Label, &str)> {
    let (head, rest) = para.split_once(':')?;
    let head = head.trim().trim_matches('*').trim().to_lowercase();
    let l = match head.as_str() {
        "anchor" | "mnemonic" | "one-liner" | "one liner" | "remember" | "tl;dr" | "tldr"
        | "in short" => Label::Anchor,
        "why it matters" | "why" | "why it exists" => Label::Why,
        "deep" | "deep dive" | "internals" | "under the hood" | "how it works" => Label::Deep,
        "interview" | "interview answer" | "in an interview" => Label::Interview,
        "trap" | "gotcha" | "pitfall" | "common mistake" | "mistake" | "watch out" => Label::Trap,
        "important" | "key point" | "critical" | "must know" => Label::Important,
        _ => return None,
    };
    let rest = rest.trim();
    (!rest.is_empty()).then_some((l, rest))
}

/// What a subsection heading (`### Deep dive` under a concept) holds.
pub fn section_label(title: &str) -> Option<Label> {
    let t = title.trim().trim_end_matches(':').to_lowercase();
    let t = t.as_str();
    let any = |words: &[&str]| {
        words
            .iter()
            .any(|w| t == *w || t.starts_with(&format!("{w} ")))
    };
    if any(&[
        "deep",
        "deep explanation",
        "deep dive",
        "internals",
        "under the hood",
        "how it works",
        "details",
        "advanced",
        "implementation",
    ]) {
        Some(Label::Deep)
    } else if any(&[
        "why it matters",
        "why",
        "overview",
        "summary",
        "explanation",
        "notes",
        "example",
        "examples",
        "usage",
        "code",
        "in practice",
        "key points",
    ]) {
        Some(Label::Why)
    } else if any(&["interview", "interview answer", "in an interview"]) {
        Some(Label::Interview)
    } else if any(&[
        "trap",
        "traps",
        "gotcha",
        "gotchas",
        "pitfall",
        "pitfalls",
        "common mistakes",
        "mistakes",
        "watch out",
    ]) {
        Some(Label::Trap)
    } else if any(&[
        "anchor",
        "mnemonic",
        "one-liner",
        "tl;dr",
        "tldr",
        "remember",
    ]) {
        Some(Label::Anchor)
    } else {
        None
    }
}

/// A flashcard: the prompt and the answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Card {
    pub question: String,
    pub answer: String,
    /// Offset in lines from the paragraph's first line.
    pub line: usize,
}

/// The flashcards in a paragraph: `Q:`/`A:` lines, `question::answer` and
/// `question:::answer` lines (the triple form also makes the reverse card), and multi-line
/// cards with a `?` line (`??` for both ways) between question and answer.
pub fn cards(para: &str) -> Vec<Card> {
    let lines: Vec<&str> = para.lines().collect();
    let mut out = Vec::new();
    // Multi-line: question lines, `?` or `??`, answer lines.
    if let Some(sep) = lines.iter().position(|l| matches!(l.trim(), "?" | "??"))
        && sep > 0
        && sep + 1 < lines.len()
    {
        let q = lines[..sep].join("\n");
        let a = lines[sep + 1..].join("\n");
        out.push(Card {
            question: q.clone(),
            answer: a.clone(),
            line: 0,
        });
        if lines[sep].trim() == "??" {
            out.push(Card {
                question: a,
                answer: q,
                line: 0,
            });
        }
        return out;
    }
    // Q: / A:
    let q_at = lines
        .iter()
        .position(|l| qa_prefix(l, &["q:", "question:"]).is_some());
    if let Some(qi) = q_at
        && let Some(ai) = lines
            .iter()
            .skip(qi + 1)
            .position(|l| qa_prefix(l, &["a:", "answer:"]).is_some())
            .map(|p| p + qi + 1)
    {
        let mut q = vec![qa_prefix(lines[qi], &["q:", "question:"]).unwrap_or("")];
        q.extend(&lines[qi + 1..ai]);
        let mut a = vec![qa_prefix(lines[ai], &["a:", "answer:"]).unwrap_or("")];
        a.extend(&lines[ai + 1..]);
        out.push(Card {
            question: q.join("\n").trim().to_string(),
            answer: a.join("\n").trim().to_string(),
            line: qi,
        });
        return out;
    }
    // question::answer and question:::answer, one card a line.
    for (i, l) in lines.iter().enumerate() {
        if let Some((q, a, both)) = double_colon(l) {
            out.push(Card {
                question: q.clone(),
                answer: a.clone(),
                line: i,
            });
            if both {
                out.push(Card {
                    question: a,
                    answer: q,
                    line: i,
                });
            }
        }
    }
    out
}

/// The text after `Q:` (or another prefix), case-insensitive.
pub fn qa_prefix<'a>(line: &'a str, prefixes: &[&str]) -> Option<&'a str> {
    let t = line.trim_start();
    let t = t.strip_prefix("**").unwrap_or(t);
    for p in prefixes {
        if t.len() >= p.len() && t.is_char_boundary(p.len()) && t[..p.len()].eq_ignore_ascii_case(p)
        {
            let rest = t[p.len()..].trim_start_matches('*').trim();
            return Some(rest);
        }
    }
    None
}

/// `question::answer` or `question:::answer` on one line (code spans excluded). Returns
/// (question, answer, both ways). A code path such as `Vec::new` or `a::b::c` is not a card.
fn double_colon(line: &str) -> Option<(String, String, bool)> {
    if line.matches("::").count() > 2
        || line.contains('`') && outside_code(line).matches("::").count() == 0
    {
        return None;
    }
    let (q, a, both) = if let Some((q, a)) = line.split_once(":::") {
        (q, a, true)
    } else {
        let (q, a) = line.split_once("::")?;
        (q, a, false)
    };
    if a.contains("::") {
        return None;
    }
    let (q, a) = (q.trim(), a.trim());
    if q.len() < 2 || a.is_empty() || q.starts_with("{{") {
        return None;
    }
    // A path: identifier characters right on both sides and a lower-case right side.
    let tight = !line.contains(":: ") && !line.contains(" ::");
    let ident_left = q
        .chars()
        .last()
        .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '>');
    let right_first = a.chars().next().unwrap_or(' ');
    if tight
        && ident_left
        && (right_first.is_lowercase() || right_first == '_' || right_first == '<')
        && !q.ends_with('?')
    {
        return None;
    }
    Some((q.to_string(), a.to_string(), both))
}

fn outside_code(line: &str) -> String {
    line.split('`').step_by(2).collect::<Vec<_>>().join(" ")
}

/// A cloze: the prompt with the gaps shown as `[…]` (or a hint), the hidden parts, and the
/// full text. `{{c1::answer}}`, `{{c1::answer::hint}}` and `==highlight==` are gaps.
pub fn cloze(text: &str) -> Option<(String, Vec<String>, String)> {
    let mut prompt = String::new();
    let mut full = String::new();
    let mut answers = Vec::new();
    let mut rest = text;
    loop {
        let anki = rest.find("{{c");
        let mark = find_highlight(rest);
        let next = match (anki, mark) {
            (Some(a), Some((m, _))) => Some(a.min(m)),
            (Some(a), None) => Some(a),
            (None, Some((m, _))) => Some(m),
            (None, None) => None,
        };
        let Some(at) = next else {
            prompt.push_str(rest);
            full.push_str(rest);
            break;
        };
        prompt.push_str(&rest[..at]);
        full.push_str(&rest[..at]);
        let tail = &rest[at..];
        if tail.starts_with("{{c") {
            let Some(close) = tail.find("}}") else {
                prompt.push_str(tail);
                full.push_str(tail);
                break;
            };
            let inner = &tail[3..close];
            let body = inner.split_once("::").map_or("", |(_, b)| b);
            let (answer, hint) = match body.split_once("::") {
                Some((a, h)) => (a, Some(h)),
                None => (body, None),
            };
            if answer.is_empty() {
                prompt.push_str(&tail[..close + 2]);
                full.push_str(&tail[..close + 2]);
            } else {
                prompt.push_str(&format!("[{}]", hint.unwrap_or("…")));
                full.push_str(answer);
                answers.push(answer.to_string());
            }
            rest = &tail[close + 2..];
        } else if let Some((_, len)) = find_highlight(tail) {
            let answer = &tail[2..len - 2];
            prompt.push_str("[…]");
            full.push_str(answer);
            answers.push(answer.to_string());
            rest = &tail[len..];
        } else {
            break;
        }
    }
    (!answers.is_empty()).then_some((prompt, answers, full))
}

/// The first `==text==` (text not starting or ending with a space): its offset and length.
fn find_highlight(s: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(i) = s[from..].find("==").map(|i| i + from) {
        let body_start = i + 2;
        let after = &s[body_start..];
        if after.starts_with([' ', '=']) || after.is_empty() {
            from = body_start;
            continue;
        }
        if let Some(j) = after.find("==") {
            let body = &after[..j];
            if !body.ends_with(' ') && !body.contains('\n') && !body.is_empty() {
                return Some((i, 2 + j + 2));
            }
        }
        from = body_start;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_lose_numbers_emoji_and_markers() {
        let cases = [
            (
                "1.2 Core Principles — Foundational Rules",
                "Core Principles — Foundational Rules",
                0,
            ),
            ("⭐ GIL (important)", "GIL", 2),
            ("๐ŸŽฏ Variables as References", "Variables as References", 0),
            ("📦 Modules #critical", "Modules", 0),
            ("**Decorators**:", "Decorators", 0),
            ("2.1.1 Basic Examples", "Basic Examples", 0),
            ("3D graphics", "3D graphics", 0),
            ("__init__ method", "__init__ method", 0),
        ];
        for (raw, want, markers) in cases {
            let t = clean_title(raw);
            assert_eq!(t.text, want, "{raw}");
            assert_eq!(t.markers, markers, "{raw}");
        }
        assert_eq!(clean_title("Modules #critical").tags, vec!["critical"]);
    }

    #[test]
    fn lines_of_emoji_labels_are_tags() {
        assert_eq!(
            emoji_tags("๐Ÿ“Œ Reference Counting๐Ÿ“Œ GIL Awareness").unwrap(),
            vec!["Reference Counting", "GIL Awareness"]
        );
        assert_eq!(
            emoji_tags("๐Ÿ” Pattern Matchingโ“ Ternary Operator").unwrap(),
            vec!["Pattern Matching", "Ternary Operator"]
        );
        assert_eq!(emoji_tags("📌 One tag only"), None);
    }

    #[test]
    fn tags_are_words_after_a_hash() {
        let (text, tags) = take_tags("Use C# and #rust-lang, not #1 or `#x`. #Important");
        assert_eq!(text, "Use C# and , not #1 or `#x`.");
        assert_eq!(tags, vec!["rust-lang", "important"]);
    }

    #[test]
    fn definitions_in_items_and_sentences() {
        assert_eq!(
            definition_item("Interpreter — Executes source code line by line."),
            Some((
                "Interpreter".into(),
                "Executes source code line by line.".into()
            ))
        );
        assert_eq!(
            definition_item("GIL: a lock that serialises bytecode"),
            Some(("GIL".into(), "a lock that serialises bytecode".into()))
        );
        assert_eq!(definition_item("Note: remember this one"), None);
        assert_eq!(definition_item("just a list item"), None);
        let cases = [
            ("The GIL is a mutex in CPython. More.", Some("GIL")),
            ("A dict is an open-addressing hash table.", Some("Dict")),
            ("asyncio is single-threaded.", Some("asyncio")),
            (
                "Dunder (\"double underscore\") methods are hooks.",
                Some("Dunder methods"),
            ),
            ("This is why it breaks.", None),
            ("Every class inherits from object.", None),
            ("Mock — a generic fake.", Some("Mock")),
            ("Why it exists: the GIL is simple.", None),
            ("It is what it is.", None),
            ("Always use is for None.", None),
            ("sum([x*x for x in r]) — allocates a list.", None),
            ("# f is auto-closed", None),
            ("Generator expressions use parentheses and are lazy.", None),
        ];
        for (para, want) in cases {
            assert_eq!(defined_term(para).as_deref(), want, "{para}");
        }
    }

    #[test]
    fn every_flashcard_form() {
        let c = cards("Q: What does the GIL lock?\nA: Bytecode execution.");
        assert_eq!(c[0].question, "What does the GIL lock?");
        assert_eq!(c[0].answer, "Bytecode execution.");
        let c = cards("Capital of France::Paris");
        assert_eq!((c.len(), c[0].answer.as_str()), (1, "Paris"));
        let c = cards("GIL:::Global Interpreter Lock");
        assert_eq!(c.len(), 2);
        assert_eq!(c[1].question, "Global Interpreter Lock");
        let c = cards("What is a closure\nin Python?\n?\nA function that keeps\nits scope.");
        assert_eq!(c[0].question, "What is a closure\nin Python?");
        assert_eq!(c[0].answer, "A function that keeps\nits scope.");
        assert_eq!(cards("Call Vec::new to make one").len(), 0);
        assert_eq!(cards("std::mem::swap swaps").len(), 0);
        assert_eq!(cards("Just a sentence.").len(), 0);
    }

    #[test]
    fn clozes_hide_their_answers() {
        let (p, a, f) = cloze("The {{c1::GIL}} allows {{c2::one::how many}} thread.").unwrap();
        assert_eq!(p, "The […] allows [how many] thread.");
        assert_eq!(a, vec!["GIL", "one"]);
        assert_eq!(f, "The GIL allows one thread.");
        let (p, _, f) = cloze("Dicts keep ==insertion order== since 3.7.").unwrap();
        assert_eq!(p, "Dicts keep […] since 3.7.");
        assert_eq!(f, "Dicts keep insertion order since 3.7.");
        assert!(cloze("a == b and c == d").is_none());
        assert!(cloze("plain").is_none());
    }

    #[test]
    fn code_lines_are_told_from_prose() {
        for code in [
            "def f(x):",
            "import sys",
            "x = [1, 2]",
            "print(len(x))",
            "@lru_cache(maxsize=128)",
            "from a import b",
            "class Point:",
        ] {
            assert!(looks_like_code(code), "{code}");
        }
        for prose in [
            "If you ever write a loop, stop.",
            "Import the module first, then call it.",
            "For dict, default iteration gives keys.",
            "Python is a language.",
        ] {
            assert!(!looks_like_code(prose), "{prose}");
        }
    }
}
