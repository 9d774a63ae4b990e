//! Prints HCL the way `terraform fmt` does, and owns the escaping of strings.
//!
//! Emitters build an `hcl::Body` with user strings as plain string expressions. Before
//! printing, every string expression becomes a quoted template escaped here (`\\`, `\"`,
//! control characters, and every `${` and `%{` doubled to `$${` and `%%{`): hcl-rs 0.20's own
//! string formatting leaves a second `$${` in one string unescaped, which Terraform would
//! then read as `${`. hcl-rs lays the body out; this module then aligns the `=` of
//! consecutive single-line attributes, as `terraform fmt` aligns them.

use hcl::expr::{Expression, TemplateExpr};
use hcl::structure::Structure;
use hcl::Body;
use std::fmt::Write as _;

/// Formats a body; the result is stable under `terraform fmt`.
pub fn format(body: &Body) -> Result<String, hcl::Error> {
    let mut body = body.clone();
    escape_body(&mut body);
    let text = hcl::format::to_string(&body)?;
    Ok(align(&text))
}

/// The text of a quoted HCL template that reads back as exactly `s`.
pub fn escape_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

fn escape_body(body: &mut Body) {
    for structure in body.iter_mut() {
        match structure {
            Structure::Attribute(attr) => escape_expr(&mut attr.expr),
            Structure::Block(block) => escape_body(&mut block.body),
        }
    }
}

fn escape_expr(expr: &mut Expression) {
    match expr {
        Expression::String(s) => {
            *expr =
                Expression::TemplateExpr(Box::new(TemplateExpr::QuotedString(escape_literal(s))));
        }
        Expression::Array(items) => items.iter_mut().for_each(escape_expr),
        Expression::Object(object) => object.values_mut().for_each(escape_expr),
        Expression::FuncCall(call) => call.args.iter_mut().for_each(escape_expr),
        Expression::Parenthesis(inner) => escape_expr(inner),
        _ => {}
    }
}

/// Aligns the `=` of runs of single-line attributes at the same indentation.
fn align(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let parsed: Vec<Option<(usize, &str, &str)>> =
        lines.iter().map(|l| single_line_attribute(l)).collect();
    let mut out = String::with_capacity(text.len() + 64);
    let mut i = 0;
    while i < lines.len() {
        let Some((indent, _, _)) = parsed[i] else {
            out.push_str(lines[i]);
            out.push('\n');
            i += 1;
            continue;
        };
        let mut end = i;
        while end < lines.len() && matches!(parsed[end], Some((ind, _, _)) if ind == indent) {
            end += 1;
        }
        let width = parsed[i..end]
            .iter()
            .map(|p| p.map_or(0, |(_, key, _)| key.chars().count()))
            .max()
            .unwrap_or(0);
        for p in &parsed[i..end] {
            let (indent, key, value) = p.expect("in a run");
            let pad = width - key.chars().count();
            out.push_str(&" ".repeat(indent));
            out.push_str(key);
            out.push_str(&" ".repeat(pad));
            out.push_str(" = ");
            out.push_str(value);
            out.push('\n');
        }
        i = end;
    }
    out
}

/// `(indent, key, value)` when the line is a whole attribute on one line.
fn single_line_attribute(line: &str) -> Option<(usize, &str, &str)> {
    let trimmed = line.trim_start_matches(' ');
    let indent = line.len() - trimmed.len();
    let key_len = trimmed
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
        .count();
    if key_len == 0 || !trimmed.as_bytes()[0].is_ascii_alphabetic() && trimmed.as_bytes()[0] != b'_'
    {
        return None;
    }
    let (key, rest) = trimmed.split_at(key_len);
    let value = rest.strip_prefix(" = ")?;
    // A value that opens a bracket on this line continues on the next ones.
    if value.ends_with(['[', '{', '(']) || value.starts_with("<<") {
        return None;
    }
    Some((indent, key, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_template_opener() {
        assert_eq!(
            escape_literal("a-$${x}-b/c-$${x}-d"),
            "a-$$${x}-b/c-$$${x}-d"
        );
        assert_eq!(escape_literal("${a}%{b}$c%d"), "$${a}%%{b}$c%d");
        assert_eq!(escape_literal("q\"\\\n\u{1}"), "q\\\"\\\\\\n\\u0001");
    }

    #[test]
    fn aligns_runs_like_terraform_fmt() {
        let input = "resource \"a\" \"b\" {\n  name = 1\n  repository = 2\n  values = [\n    x\n  ]\n  atomic = true\n  namespace = y\n}\n";
        let want = "resource \"a\" \"b\" {\n  name       = 1\n  repository = 2\n  values = [\n    x\n  ]\n  atomic    = true\n  namespace = y\n}\n";
        assert_eq!(align(input), want);
    }
}
