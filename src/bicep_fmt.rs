//! Bicep literals and identifiers: the one place that turns values into Bicep text.
//!
//! Every string a Bicep template prints goes through [`string`], which escapes every
//! character Bicep would read specially; the template formatter in `emit::bicep` refuses any
//! value that is not a string, a boolean or an integer. Symbolic names derived from user
//! names go through [`identifier`].

use std::collections::HashSet;
use std::fmt::Write as _;

/// A single-quoted Bicep string literal for `text`.
///
/// Escapes `\`, `'`, newline, carriage return and tab with their short escapes, the `$` of a
/// `${` (which would start an interpolation) as `\$`, and every other control character as
/// `\u{X}`. Non-ASCII text is written as is (Bicep files are UTF-8).
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:X}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Bicep keywords that cannot be symbolic names.
const RESERVED: &[&str] = &["true", "false", "null", "if", "for", "in"];

/// A valid Bicep identifier: `prefix` followed by the ASCII letters and digits of `text` in
/// PascalCase (`account` + `oai-prod` = `accountOaiProd`). Unique among `used`, compared
/// without case, by a numeric suffix; the result is added to `used`.
pub fn identifier(prefix: &str, text: &str, used: &mut HashSet<String>) -> String {
    debug_assert!(prefix.starts_with(|c: char| c.is_ascii_lowercase()));
    let mut base = prefix.to_string();
    let mut upper = true;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                base.push(c.to_ascii_uppercase());
            } else {
                base.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    let mut name = base.clone();
    let mut n = 2;
    while RESERVED.contains(&name.as_str()) || used.contains(&name.to_ascii_lowercase()) {
        name = format!("{base}{n}");
        n += 1;
    }
    used.insert(name.to_ascii_lowercase());
    name
}

/// Whether `text` is a valid Bicep identifier.
pub fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.contains(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_what_bicep_reads_specially() {
        assert_eq!(string("plain"), "'plain'");
        assert_eq!(string("it's"), r"'it\'s'");
        assert_eq!(string(r"a\b"), r"'a\\b'");
        assert_eq!(string("${x}"), r"'\${x}'");
        assert_eq!(string("$x {y} $"), "'$x {y} $'");
        assert_eq!(string("a\nb\r\tc"), r"'a\nb\r\tc'");
        assert_eq!(string("\u{1}\u{7f}"), r"'\u{1}\u{7F}'");
        assert_eq!(string("ünïcødé ✓"), "'ünïcødé ✓'");
        assert_eq!(string("'''"), r"'\'\'\''");
    }

    #[test]
    fn identifiers_are_valid_and_unique() {
        let mut used = HashSet::new();
        assert_eq!(
            identifier("account", "oai-prod", &mut used),
            "accountOaiProd"
        );
        assert_eq!(
            identifier("account", "oai_prod", &mut used),
            "accountOaiProd2"
        );
        assert_eq!(identifier("account", "'${x}' é", &mut used), "accountX");
        assert_eq!(identifier("roles", "", &mut used), "roles");
        for name in &used {
            assert!(is_identifier(name), "{name}");
        }
        assert!(!is_identifier("1a") && !is_identifier("a-b") && !is_identifier("true"));
    }
}
