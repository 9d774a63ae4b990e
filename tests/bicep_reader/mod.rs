//! A small reader for the Bicep wisp writes, written apart from the emitter so tests can
//! check its output against the spec: string literals are decoded by Bicep's escape rules,
//! and the declarations are read by their `bicep format` layout.

#![allow(dead_code)]

use std::collections::BTreeMap;

/// One piece of a string literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Text(String),
    /// An interpolation `${...}`, as written.
    Expr(String),
}

/// A decoded string literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal(pub Vec<Part>);

impl Literal {
    /// The literal's text, when it has no interpolation.
    pub fn text(&self) -> Option<String> {
        let mut out = String::new();
        for p in &self.0 {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Expr(_) => return None,
            }
        }
        Some(out)
    }
}

/// Reads the single-quoted literal at the start of `s`; returns it and the bytes read.
pub fn literal(s: &str) -> Result<(Literal, usize), String> {
    let mut chars = s.char_indices().peekable();
    if chars.next().map(|(_, c)| c) != Some('\'') {
        return Err(format!("not a literal: {s:.40}"));
    }
    let mut parts = Vec::new();
    let mut text = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' => {
                if !text.is_empty() {
                    parts.push(Part::Text(text));
                }
                return Ok((Literal(parts), i + 1));
            }
            '\n' | '\r' => return Err("a line break in a literal".into()),
            '\\' => {
                let Some((_, e)) = chars.next() else {
                    return Err("an escape at the end".into());
                };
                match e {
                    '\\' => text.push('\\'),
                    '\'' => text.push('\''),
                    'n' => text.push('\n'),
                    'r' => text.push('\r'),
                    't' => text.push('\t'),
                    '$' => text.push('$'),
                    'u' => {
                        if chars.next().map(|(_, c)| c) != Some('{') {
                            return Err("`\\u` without `{`".into());
                        }
                        let mut hex = String::new();
                        for (_, h) in chars.by_ref() {
                            if h == '}' {
                                break;
                            }
                            hex.push(h);
                        }
                        let code = u32::from_str_radix(&hex, 16).map_err(|e| e.to_string())?;
                        text.push(char::from_u32(code).ok_or("not a character")?);
                    }
                    other => return Err(format!("unknown escape `\\{other}`")),
                }
            }
            '$' if chars.peek().map(|(_, c)| *c) == Some('{') => {
                chars.next();
                if !text.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                }
                let mut expr = String::new();
                for (_, e) in chars.by_ref() {
                    if e == '}' {
                        break;
                    }
                    expr.push(e);
                }
                parts.push(Part::Expr(expr));
            }
            c => text.push(c),
        }
    }
    Err("an unterminated literal".into())
}

/// Every string literal of a file, outside comments, in order.
pub fn literals(text: &str) -> Result<Vec<Literal>, String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with('\'') {
            let (lit, n) = literal(rest)?;
            out.push(lit);
            i += n;
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    Ok(out)
}

/// The value of `key: <literal>` on a line, decoded.
fn keyed(line: &str, key: &str) -> Option<String> {
    let rest = line.trim_start().strip_prefix(key)?.strip_prefix(": ")?;
    literal(rest).ok()?.0.text()
}

/// The literal arguments of a call such as `resourceGroup('sub', 'rg')`.
pub fn call_args(expr: &str, function: &str) -> Option<Vec<String>> {
    let mut rest = expr.trim().strip_prefix(function)?.strip_prefix('(')?;
    let mut args = Vec::new();
    loop {
        rest = rest.trim_start_matches([',', ' ']);
        if rest.starts_with(')') {
            return Some(args);
        }
        let (lit, n) = literal(rest).ok()?;
        args.push(lit.text()?);
        rest = &rest[n..];
    }
}

/// A top-level declaration: its keyword, symbol, the literal after the symbol (type or
/// file), and its `key: value` lines one level in, values as written.
#[derive(Debug, Clone)]
pub struct Decl {
    pub keyword: String,
    pub symbol: String,
    pub target: String,
    pub existing: bool,
    pub props: BTreeMap<String, String>,
}

impl Decl {
    pub fn prop_literal(&self, key: &str) -> Option<String> {
        keyed(&format!("{key}: {}", self.props.get(key)?), key)
    }
}

/// The `resource` and `module` declarations of a file, with every nested `key: value` line
/// (keys of nested objects are joined with `.`).
pub fn declarations(text: &str) -> Vec<Decl> {
    let mut out: Vec<Decl> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line
            .strip_prefix("resource ")
            .or_else(|| line.strip_prefix("module "))
        {
            let keyword = if line.starts_with("resource") {
                "resource"
            } else {
                "module"
            };
            let (symbol, rest) = rest.split_once(' ').expect("a symbol");
            let (lit, _) = literal(rest).expect("a type or file literal");
            out.push(Decl {
                keyword: keyword.into(),
                symbol: symbol.into(),
                target: lit.text().expect("a plain literal"),
                existing: rest.contains(" existing = {"),
                props: BTreeMap::new(),
            });
            path.clear();
            continue;
        }
        let Some(decl) = out.last_mut() else { continue };
        let trimmed = line.trim();
        let depth = (line.len() - line.trim_start().len()) / 2;
        if trimmed.starts_with('}') || trimmed.starts_with(']') || depth == 0 {
            path.truncate(depth.saturating_sub(1));
            continue;
        }
        if let Some(key) = trimmed
            .strip_suffix(": {")
            .or_else(|| trimmed.strip_suffix(": ["))
        {
            path.truncate(depth - 1);
            path.push(key.to_string());
        } else if let Some((key, value)) = trimmed.split_once(": ") {
            path.truncate(depth - 1);
            let full: Vec<&str> = path.iter().map(String::as_str).chain([key]).collect();
            decl.props.insert(full.join("."), value.to_string());
        }
    }
    out
}

/// The assignments of a `.bicepparam` file: name and value as written.
pub fn bicepparam(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("param "))
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A `.bicepparam` value that is one plain literal, decoded.
pub fn param_text(params: &BTreeMap<String, String>, name: &str) -> Option<String> {
    let (lit, n) = literal(params.get(name)?).ok()?;
    (n == params[name].len()).then(|| lit.text()).flatten()
}
