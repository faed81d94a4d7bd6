//! The shapes of pack ids and snippet languages, and the slug an importer makes an id
//! from: one rule for the loader and for every importer (notes, Anki decks).

/// Whether `id` is a valid id in a pack: 1 to 64 bytes of lower-case ASCII letters,
/// digits, `-` and `_`, starting with a letter or digit.
pub fn valid_id(id: &str) -> bool {
    let b = id.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && b[0].is_ascii_alphanumeric()
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'_')
}

/// A snippet language: a short plain name such as `python`, `sql`, `c++` or `c#`.
pub fn valid_lang(l: &str) -> bool {
    (1..=32).contains(&l.len())
        && l.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '#' | '.'))
}

/// `GIL (Global Interpreter Lock)` → `gil-global-interpreter-lock`: ASCII letters and
/// digits, `-` between words, at most 48 bytes cut at a `-`. May be empty (no ASCII
/// letter or digit in `s`).
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c == '+' {
            out.push_str("plus");
        } else if c == '#' && !out.is_empty() {
            out.push_str("sharp");
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut out = out.trim_end_matches('-').to_string();
    if out.len() > 48 {
        let cut = out[..48].rfind('-').unwrap_or(48);
        out.truncate(cut);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_valid_ids_or_empty() {
        for s in [
            "GIL (Global Interpreter Lock)",
            "C++ & C#",
            "  ",
            "Ünïcode only",
            &"word ".repeat(30),
        ] {
            let id = slug(s);
            assert!(id.is_empty() || valid_id(&id), "{s:?} -> {id:?}");
            assert!(id.len() <= 48);
        }
        assert_eq!(
            slug("GIL (Global Interpreter Lock)"),
            "gil-global-interpreter-lock"
        );
        assert_eq!(slug("C++ & C#"), "cplusplus-csharp");
        assert!(valid_lang("c++") && !valid_lang("py thon"));
    }
}
