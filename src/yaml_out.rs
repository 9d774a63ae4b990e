//! The one YAML writer every target uses. It owns the quoting policy: a string is written
//! plain only when no YAML 1.1 or 1.2 reader could take it for anything but that string
//! (`yes`, `on`, `007`, `1e3`, `2024-10-21`, GUIDs and the like are double-quoted), so
//! Kubernetes and Helm read back exactly the strings wisp meant.

use serde::Serialize;
use serde_json::Value;
use std::fmt::Write as _;

/// Serialises `value` as a block-style YAML document (no `---`), ending in a newline.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, serde_json::Error> {
    let value = serde_json::to_value(value)?;
    let mut out = String::new();
    write_root(&mut out, &value);
    Ok(out)
}

fn write_root(out: &mut String, value: &Value) {
    match value {
        Value::Object(map) if !map.is_empty() => write_map(out, map, 0),
        Value::Array(items) if !items.is_empty() => write_seq(out, items, 0),
        other => {
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
}

fn write_map(out: &mut String, map: &serde_json::Map<String, Value>, indent: usize) {
    for (key, value) in map {
        let pad = " ".repeat(indent);
        let _ = write!(out, "{pad}{}:", scalar_string(key));
        write_child(out, value, indent);
    }
}

fn write_seq(out: &mut String, items: &[Value], indent: usize) {
    let pad = " ".repeat(indent);
    for item in items {
        match item {
            Value::Object(map) if !map.is_empty() => {
                // The first entry shares the `- ` line; the rest align under it.
                let mut first = String::new();
                write_map(&mut first, map, indent + 2);
                let _ = write!(out, "{pad}- {}", &first[indent + 2..]);
            }
            Value::Array(inner) if !inner.is_empty() => {
                let _ = writeln!(out, "{pad}-");
                write_seq(out, inner, indent + 2);
            }
            other => {
                let _ = writeln!(out, "{pad}- {}", inline(other));
            }
        }
    }
}

fn write_child(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_map(out, map, indent + 2);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_seq(out, items, indent + 2);
        }
        other => {
            let _ = writeln!(out, " {}", inline(other));
        }
    }
}

fn inline(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar_string(s),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

/// A string as a YAML scalar: plain when that is unambiguous, double-quoted otherwise.
pub fn scalar_string(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_string()
    } else {
        double_quoted(s)
    }
}

/// Whether `s` can be written without quotes and still read back as the same string by a
/// YAML 1.1 reader (PyYAML, go-yaml v2) and a YAML 1.2 reader. Deliberately conservative:
/// a letter first, then letters, digits, `.`, `_`, `/`, `-` and inner spaces; and never a
/// word a 1.1 reader takes for a bool or null.
fn is_plain_safe(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !first.is_ascii_alphabetic() || s.ends_with(' ') {
        return false;
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | '-' | ' '))
    {
        return false;
    }
    if s.contains("  ") {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    !matches!(
        lower.as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"
    )
}

/// A double-quoted YAML scalar. Escapes what YAML requires and everything a YAML 1.1 reader
/// treats as a line break or non-printable (`\u0085`, `\u2028`, `\u2029`, C0/C1 controls).
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if (c as u32) < 0x20 || (0x7f..=0x9f).contains(&(c as u32)) => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            '\u{2028}' | '\u{2029}' | '\u{feff}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quotes_what_yaml_1_1_would_misread() {
        for s in [
            "yes",
            "No",
            "on",
            "OFF",
            "y",
            "007",
            "1e3",
            "2024-10-21",
            "true",
            "null",
            "~",
            "",
            "1:20",
            "0x1F",
            ".inf",
        ] {
            assert!(scalar_string(s).starts_with('"'), "{s} must be quoted");
        }
        for s in [
            "open-webui",
            "v0.6.33",
            "Cognitive Services OpenAI User",
            "azure.workload.identity/use",
        ] {
            assert_eq!(scalar_string(s), s);
        }
    }

    #[test]
    fn writes_block_yaml() {
        let v =
            json!({"a": {"b": "yes", "c": [1, {"name": "X", "value": "y\nz"}]}, "d": [], "e": {}});
        assert_eq!(
            to_string(&v).unwrap(),
            "a:\n  b: \"yes\"\n  c:\n    - 1\n    - name: X\n      value: \"y\\nz\"\nd: []\ne: {}\n"
        );
    }

    #[test]
    fn round_trips_through_a_yaml_reader() {
        let v = json!({"k": ["yes", "007", "a: b", "#x", "- y", "é ü", "\u{85}", "'q'", "@x", "%x", "`x", "{a}", "[b]", "x #y", "tab\tx"]});
        let text = to_string(&v).unwrap();
        let back: serde_json::Value = serde_yaml::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
