//! Source files and positions: byte spans into a spec's text, turned into `line:col` for humans.

use std::path::{Path, PathBuf};

/// A half-open byte range into a [`Source`]'s text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }
}

/// One spec file as read from disk (or given in memory), with its line index.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as the user named it; used in diagnostics.
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub col: usize,
}

impl Source {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Source {
            path: path.into(),
            text,
            line_starts,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The display name used in headers of generated files: the file name only, so that the
    /// same spec gives the same bytes wherever it is built from.
    pub fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.path.display().to_string())
    }

    /// Byte offset of a 1-based line and 0-based character column.
    pub fn offset_of(&self, line: usize, char_col: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let line_text = self.line_text_at(start);
        let mut offset = start;
        for (n, ch) in line_text.chars().enumerate() {
            if n == char_col {
                return offset;
            }
            offset += ch.len_utf8();
        }
        offset
    }

    fn line_text_at(&self, start: usize) -> &str {
        let rest = &self.text[start..];
        match rest.find('\n') {
            Some(end) => rest[..end].trim_end_matches('\r'),
            None => rest,
        }
    }

    /// The span of the one character at `offset` (empty at the end of the text).
    pub fn char_span(&self, offset: usize) -> Span {
        let start = self.floor(offset);
        let len = self.text[start..].chars().next().map_or(0, char::len_utf8);
        Span::new(start, start + len)
    }

    /// `offset`, clamped to the text and moved back to a character boundary.
    fn floor(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.floor(offset);
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = self.text[start..offset].chars().count() + 1;
        LineCol {
            line: line + 1,
            col,
        }
    }

    /// The text of the 1-based line, without its line break.
    pub fn line(&self, line: usize) -> &str {
        match self.line_starts.get(line.saturating_sub(1)) {
            Some(&start) => self.line_text_at(start),
            None => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let s = Source::new("x.yaml", "a: 1\né: b\n");
        assert_eq!(s.line_col(0), LineCol { line: 1, col: 1 });
        let b = s.text.find('b').unwrap();
        assert_eq!(s.line_col(b), LineCol { line: 2, col: 4 });
        assert_eq!(s.offset_of(2, 3), b);
        assert_eq!(s.line(2), "é: b");
    }
}
