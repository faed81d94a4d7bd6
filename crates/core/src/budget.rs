//! Memory budgets: parsing what a person types (`2257`, `2.2KB`, `1.5 kib`) and printing
//! sizes the way the card shows them (`2.20 KB · 2,257 bytes`). 1 KB = 1 KiB = 1024 bytes.

use std::fmt;

/// The largest budget accepted: 1 GiB.
pub const MAX_BUDGET: u64 = 1 << 30;

/// The budgets the app offers by name, the original screen's three tiers: the web app's
/// presets, the last-hour sheet (the cheatsheet) and the share card's usual size. The
/// chain's objective weighs them like its stops, so a card one click away is as good as the
/// chain can make it.
pub const PRESETS: [(&str, u64); 3] = [
    ("Seed ~2 KB", 2257),
    ("Cheatsheet ~6 KB", 6 * 1024),
    ("Full ~15 KB", 15 * 1024),
];

/// The forms a budget may take, for error messages and help text.
pub const ACCEPTED_FORMS: &str = "a whole number of bytes (2257 or 2,257), or a number with a unit: \
B, K, KB, KiB, M, MB, MiB, any case, space optional, decimals allowed (2257B, 2.2KB, 1.5 kib, 2K, 1MB); \
1 KB = 1 KiB = 1024 bytes; from 1 byte up to 1 GiB";

/// Why a budget was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BudgetError {
    pub input: String,
    pub reason: String,
}

impl fmt::Display for BudgetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid budget \"{}\": {}. Accepted: {ACCEPTED_FORMS}",
            crate::pack::text::clip(&self.input, 80),
            self.reason
        )
    }
}

impl std::error::Error for BudgetError {}

/// Parses a budget into bytes. Fractions of a byte are rounded down, since a budget is a
/// ceiling.
pub fn parse(input: &str) -> Result<u64, BudgetError> {
    let err = |reason: &str| BudgetError {
        input: input.to_string(),
        reason: reason.to_string(),
    };
    let s = input.trim();
    if s.is_empty() {
        return Err(err("it is empty"));
    }
    if s.starts_with('-') {
        return Err(err("it is negative"));
    }
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(s.len());
    let (number, unit) = (&s[..split], s[split..].trim_start());
    if number.is_empty() {
        return Err(err("it does not start with a number"));
    }
    let multiplier: u64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" | "byte" | "bytes" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => {
            return Err(err(&format!(
                "unknown unit \"{}\"",
                crate::pack::text::clip(unit, 20)
            )));
        }
    };
    let number =
        strip_thousands(number).ok_or_else(|| err("commas may only separate thousands (2,257)"))?;
    let bytes = if let Some((whole, frac)) = number.split_once('.') {
        if frac.contains('.') || (whole.is_empty() && frac.is_empty()) {
            return Err(err("it is not a number"));
        }
        let value: f64 = format!("{}.{}", if whole.is_empty() { "0" } else { whole }, frac)
            .parse()
            .map_err(|_| err("it is not a number"))?;
        if multiplier == 1 && !frac.chars().all(|c| c == '0') {
            return Err(err("a count of bytes must be a whole number"));
        }
        let b = (value * multiplier as f64).floor();
        if b > MAX_BUDGET as f64 {
            return Err(err("it is over 1 GiB"));
        }
        b as u64
    } else {
        let whole: u64 = number.parse().map_err(|_| err("it is over 1 GiB"))?;
        whole
            .checked_mul(multiplier)
            .ok_or_else(|| err("it is over 1 GiB"))?
    };
    if bytes == 0 {
        return Err(err("it is zero"));
    }
    if bytes > MAX_BUDGET {
        return Err(err("it is over 1 GiB"));
    }
    Ok(bytes)
}

/// Removes thousands separators, if they are used as such (groups of three digits).
fn strip_thousands(number: &str) -> Option<String> {
    if !number.contains(',') {
        return Some(number.to_string());
    }
    let (int, frac) = match number.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (number, None),
    };
    let groups: Vec<&str> = int.split(',').collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    if !first_ok || !rest_ok || frac.is_some_and(|f| f.contains(',')) {
        return None;
    }
    let mut out = groups.concat();
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

/// `2257` as `"2.20 KB"`: kilobytes of 1024 bytes with two decimals (megabytes from 1 MB).
pub fn human(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.2} MB", bytes as f64 / (1u64 << 20) as f64)
    } else {
        format!("{:.2} KB", bytes as f64 / 1024.0)
    }
}

/// `2257` as `"2,257 bytes"`.
pub fn exact(bytes: u64) -> String {
    let digits = bytes.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out.push_str(if bytes == 1 { " byte" } else { " bytes" });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_forms() {
        let cases = [
            ("2257", 2257),
            (" 2257 ", 2257),
            ("2,257", 2257),
            ("1,048,576", 1 << 20),
            ("2257B", 2257),
            ("2257 bytes", 2257),
            ("2.2KB", 2252),
            ("2.2kb", 2252),
            ("1.5 kib", 1536),
            ("1.5 KiB", 1536),
            ("2K", 2048),
            ("2 k", 2048),
            ("64KB", 65536),
            ("1MB", 1 << 20),
            ("1.5MiB", 1_572_864),
            ("1GiB", 1 << 30),
            ("0.5K", 512),
            (".5K", 512),
            ("2257.0", 2257),
        ];
        for (input, want) in cases {
            assert_eq!(parse(input), Ok(want), "{input}");
        }
    }

    #[test]
    fn refused_forms_say_why_and_list_the_accepted_ones() {
        let cases = [
            ("", "empty"),
            ("0", "zero"),
            ("0KB", "zero"),
            ("0.0001KB", "zero"),
            ("-5", "negative"),
            ("-2KB", "negative"),
            ("abc", "does not start with a number"),
            ("KB", "does not start with a number"),
            ("12XB", "unknown unit"),
            ("2.2.2", "not a number"),
            ("1.5", "whole number"),
            ("2,2KB", "commas"),
            ("1.1GB", "over 1 GiB"),
            ("2GB", "over 1 GiB"),
            ("99999999999999999999999", "over 1 GiB"),
            ("1073741825", "over 1 GiB"),
        ];
        for (input, reason) in cases {
            let e = parse(input).expect_err(input);
            assert!(e.reason.contains(reason), "{input}: {}", e.reason);
            assert!(e.to_string().contains("2.2KB"), "{e}");
        }
    }

    #[test]
    fn sizes_print_like_the_card() {
        assert_eq!(human(2257), "2.20 KB");
        assert_eq!(human(1700), "1.66 KB");
        assert_eq!(human(3 << 20), "3.00 MB");
        assert_eq!(exact(2257), "2,257 bytes");
        assert_eq!(exact(1), "1 byte");
        assert_eq!(exact(1_234_567), "1,234,567 bytes");
        assert_eq!(exact(999), "999 bytes");
    }
}
