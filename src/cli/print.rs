//! Printing: diagnostics, tool errors and diffs, coloured only where the stream is a
//! terminal and `NO_COLOR` is unset (anstream decides). Writes to stdout return errors so a
//! closed pipe ends the command quietly instead of panicking.

use anstyle::{AnsiColor, Style};
use clap::ValueEnum;
use std::io::{self, Write};
use wisp::diagnostics::{self, Diagnostic, JsonDiagnostic};
use wisp::source::Source;

/// How diagnostics and findings are printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    Human,
    Json,
}

pub const RED: Style = AnsiColor::Red.on_default().bold();
pub const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
pub const GREEN: Style = AnsiColor::Green.on_default();
pub const CYAN: Style = AnsiColor::Cyan.on_default();
pub const BOLD: Style = Style::new().bold();

/// Writes to stdout, colour stripped unless it is a terminal.
pub fn out(text: &str) -> io::Result<()> {
    let mut stdout = anstream::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}

/// Writes to stderr, colour stripped unless it is a terminal.
pub fn err(text: &str) {
    let _ = anstream::stderr().lock().write_all(text.as_bytes());
}

/// Prints a tool failure (I/O, a broken template).
pub fn error(e: &anyhow::Error) {
    err(&format!("{RED}error{RED:#}: {e:#}\n"));
}

/// Whether an error is stdout closing under us.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Prints diagnostics: rendered to stderr (human) or as JSON lines to stdout.
pub fn diagnostics(source: &Source, diags: &[Diagnostic], format: Format) -> io::Result<()> {
    match format {
        Format::Human => {
            let mut text = String::new();
            for d in diags {
                text.push_str(&paint(&diagnostics::render(d, source)));
                text.push('\n');
            }
            err(&text);
            Ok(())
        }
        Format::Json => {
            let mut text = String::new();
            for d in diags {
                let json = serde_json::to_string(&JsonDiagnostic::new(d, source))
                    .expect("diagnostics serialise");
                text.push_str(&json);
                text.push('\n');
            }
            out(&text)
        }
    }
}

/// Colours the `error[code]` / `warning[code]` label of a rendered diagnostic.
fn paint(rendered: &str) -> String {
    let style = if rendered.starts_with("error[") {
        RED
    } else if rendered.starts_with("warning[") {
        YELLOW
    } else {
        return rendered.to_string();
    };
    let (head, rest) = rendered.split_at(rendered.find('\n').unwrap_or(rendered.len()));
    match head.split_once(": ") {
        Some((label, message)) => format!("{style}{label}{style:#}: {BOLD}{message}{BOLD:#}{rest}"),
        None => rendered.to_string(),
    }
}

/// Colours a unified diff: removed lines red, added lines green, hunk headers cyan.
pub fn paint_diff(diff: &str) -> String {
    let mut text = String::with_capacity(diff.len() + 64);
    for line in diff.split_inclusive('\n') {
        let style = if line.starts_with("---") || line.starts_with("+++") {
            BOLD
        } else if line.starts_with('-') {
            AnsiColor::Red.on_default()
        } else if line.starts_with('+') {
            GREEN
        } else if line.starts_with("@@") {
            CYAN
        } else {
            Style::new()
        };
        let body = line.trim_end_matches('\n');
        text.push_str(&format!("{style}{body}{style:#}"));
        if line.ends_with('\n') {
            text.push('\n');
        }
    }
    text
}
