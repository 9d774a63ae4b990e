//! Problems found in a spec, as data: a rule, a message, a span and a help line, and the
//! renderers that print them for people (`error[code]: ...`) and for machines (JSON).

use crate::rules::Rule;
use crate::source::{Source, Span};
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub message: String,
    pub span: Option<Span>,
    pub help: Option<String>,
}

pub type Diagnostics = Vec<Diagnostic>;

impl Diagnostic {
    pub fn error(rule: &'static Rule, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: Severity::Error,
            message: message.into(),
            span: None,
            help: None,
        }
    }

    pub fn warning(rule: &'static Rule, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(rule, message)
        }
    }

    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub fn at_opt(mut self, span: Option<Span>) -> Self {
        self.span = span.or(self.span);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by position (those without one last), keeping the order of equals.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| d.span.map_or((1, 0, 0), |s| (0, s.start, s.end)));
}

/// Renders one diagnostic the way compilers do:
///
/// ```text
/// error[missing-field]: `identity` needs `name`
///  --> spec.yaml:12:3
///    |
/// 12 |   identity:
///    |   ^^^^^^^^
///    = help: add `name: id-my-app`
/// ```
pub fn render(d: &Diagnostic, source: &Source) -> String {
    let mut out = String::new();
    let label = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let _ = writeln!(out, "{label}[{}]: {}", d.rule.code, one_line(&d.message));
    match d.span {
        Some(span) => {
            let lc = source.line_col(span.start);
            let gutter = lc.line.to_string().len();
            let pad = " ".repeat(gutter);
            let _ = writeln!(
                out,
                "{pad}--> {}:{}:{}",
                source.path.display(),
                lc.line,
                lc.col
            );
            let full = source.line(lc.line);
            let _ = writeln!(out, "{pad} |");
            let span_text = char_slice(&source.text, span.start, span.end);
            let span_chars = span_text.split('\n').next().unwrap_or("").chars().count();
            // A very long line is shown as a window around the span.
            let (line, col) = window(full, lc.col - 1, span_chars);
            let _ = writeln!(out, "{} | {line}", lc.line);
            let line_chars = line.chars().count();
            let width = span_chars.clamp(1, line_chars.saturating_sub(col).max(1));
            let indent: String = line
                .chars()
                .take(col)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, "{pad} | {indent}{}", "^".repeat(width));
            if let Some(help) = &d.help {
                let _ = writeln!(out, "{pad} = help: {}", one_line(help));
            }
        }
        None => {
            let _ = writeln!(out, " --> {}", source.path.display());
            if let Some(help) = &d.help {
                let _ = writeln!(out, "  = help: {}", one_line(help));
            }
        }
    }
    out
}

/// At most [`WINDOW`] characters of `line` around the 0-based column `col`, with `...` where
/// it was cut, and the column within the window.
fn window(line: &str, col: usize, span: usize) -> (String, usize) {
    const WINDOW: usize = 240;
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= WINDOW {
        return (line.to_string(), col);
    }
    let start = col
        .saturating_sub(WINDOW / 3)
        .min(chars.len().saturating_sub(WINDOW));
    let end = (start + WINDOW)
        .max(col + span.min(WINDOW / 2))
        .min(chars.len());
    let mut shown: String = chars[start..end].iter().collect();
    let mut col = col - start;
    if start > 0 {
        shown.insert_str(0, "...");
        col += 3;
    }
    if end < chars.len() {
        shown.push_str("...");
    }
    (shown, col)
}

/// `text[start..end]`, widened to the nearest character boundaries and clamped to the text,
/// so a span that ends inside a multi-byte character cannot panic.
fn char_slice(text: &str, start: usize, end: usize) -> &str {
    let mut start = start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    &text[start..end]
}

/// A message on one line: user values may hold line breaks and other control characters,
/// which are shown escaped so they cannot break the layout or the terminal.
fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The machine-readable form of one diagnostic (`--format json`).
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub code: &'static str,
    pub severity: Severity,
    pub message: &'a str,
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub help: Option<&'a str>,
}

impl<'a> JsonDiagnostic<'a> {
    pub fn new(d: &'a Diagnostic, source: &Source) -> Self {
        let start = d.span.map(|s| source.line_col(s.start));
        let end = d.span.map(|s| source.line_col(s.end));
        JsonDiagnostic {
            code: d.rule.code,
            severity: d.severity,
            message: &d.message,
            file: source.path.display().to_string(),
            line: start.map(|p| p.line),
            column: start.map(|p| p.col),
            end_line: end.map(|p| p.line),
            end_column: end.map(|p| p.col),
            help: d.help.as_deref(),
        }
    }
}
