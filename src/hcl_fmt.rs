//! Prints HCL the way `terraform fmt` does.
//!
//! hcl-rs builds and escapes the body (user strings only ever become string expressions, so
//! `${` comes out as `$${`); this module adds what hcl-rs's formatter leaves out: the `=` of
//! consecutive single-line attributes aligned, as `terraform fmt` aligns them.

use hcl::Body;

/// Formats a body; the result is stable under `terraform fmt`.
pub fn format(body: &Body) -> Result<String, hcl::Error> {
    let text = hcl::format::to_string(body)?;
    Ok(align(&text))
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
    fn aligns_runs_like_terraform_fmt() {
        let input = "resource \"a\" \"b\" {\n  name = 1\n  repository = 2\n  values = [\n    x\n  ]\n  atomic = true\n  namespace = y\n}\n";
        let want = "resource \"a\" \"b\" {\n  name       = 1\n  repository = 2\n  values = [\n    x\n  ]\n  atomic    = true\n  namespace = y\n}\n";
        assert_eq!(align(input), want);
    }
}
