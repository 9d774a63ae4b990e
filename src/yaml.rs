//! The spec's YAML, read into a tree that remembers where every key and value stands.
//!
//! Scalars resolve by the YAML 1.2 core schema (`yes` is a string, `true` a bool). Every
//! node keeps its byte span, so a schema error at `/identity/name` points at the line it
//! came from.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::rules;
use crate::source::{Source, Span};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// One YAML node with its span in the source.
#[derive(Debug, Clone)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum NodeKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in source order: key node, value node.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// Follows a JSON pointer (`/a/0/b`) down the tree.
    pub fn pointer(&self, pointer: &str) -> Option<&Node> {
        self.pointer_with_key(pointer).map(|(_, node)| node)
    }

    /// Like [`Node::pointer`], and also returns the key node the last step went through.
    pub fn pointer_with_key(&self, pointer: &str) -> Option<(Option<&Node>, &Node)> {
        let mut node = self;
        let mut key = None;
        if pointer.is_empty() {
            return Some((None, node));
        }
        for raw in pointer.strip_prefix('/')?.split('/') {
            let part = raw.replace("~1", "/").replace("~0", "~");
            match &node.kind {
                NodeKind::Map(entries) => {
                    let (k, v) = entries
                        .iter()
                        .find(|(k, _)| matches!(&k.kind, NodeKind::Str(s) if *s == part))?;
                    key = Some(k);
                    node = v;
                }
                NodeKind::Seq(items) => {
                    node = items.get(part.parse::<usize>().ok()?)?;
                    key = None;
                }
                _ => return None,
            }
        }
        Some((key, node))
    }

    /// The node as plain JSON data, for schema validation and deserialisation.
    pub fn to_json(&self) -> Value {
        match &self.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Int(i) => Value::Number((*i).into()),
            NodeKind::Float(f) => Number::from_f64(*f)
                .map(Value::Number)
                .unwrap_or_else(|| Value::String(f.to_string())),
            NodeKind::Str(s) => Value::String(s.clone()),
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Map(entries) => {
                let mut map = Map::new();
                for (k, v) in entries {
                    map.insert(k.key_string(), v.to_json());
                }
                Value::Object(map)
            }
        }
    }

    fn key_string(&self) -> String {
        match &self.kind {
            NodeKind::Str(s) => s.clone(),
            NodeKind::Null => "null".into(),
            NodeKind::Bool(b) => b.to_string(),
            NodeKind::Int(i) => i.to_string(),
            NodeKind::Float(f) => f.to_string(),
            NodeKind::Seq(_) | NodeKind::Map(_) => "<complex key>".into(),
        }
    }
}

/// Parses one YAML document. Syntax errors, duplicate keys and non-string keys are
/// diagnostics; the tree is returned only when there are none.
pub fn parse(source: &Source) -> Result<Node, Diagnostics> {
    let mut builder = Builder {
        source,
        stack: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        documents: 0,
        diagnostics: Vec::new(),
    };
    let mut parser = Parser::new_from_str(&source.text);
    if let Err(err) = parser.load(&mut builder, true) {
        let m = err.marker();
        let start = source.offset_of(m.line(), m.col());
        let message = err.info().to_string();
        return Err(vec![Diagnostic::error(
            &rules::YAML_SYNTAX,
            format!("the spec is not valid YAML: {message}"),
        )
        .at(source.char_span(start))
        .help(
            "fix the YAML syntax at this position (indentation, quotes or a missing `:`)",
        )]);
    }
    let mut diagnostics = builder.diagnostics;
    if builder.documents > 1 {
        diagnostics.push(
            Diagnostic::error(
                &rules::YAML_SYNTAX,
                "the spec holds more than one YAML document",
            )
            .help("keep one spec per file; remove the `---` separator"),
        );
    }
    match builder.root {
        Some(root) if diagnostics.is_empty() => Ok(root),
        Some(_) => Err(diagnostics),
        None => Err(vec![Diagnostic::error(
            &rules::YAML_SYNTAX,
            "the spec is empty",
        )
        .help(
            "start from `wisp init`, or write a spec with `apiVersion: wisp/v1`",
        )]),
    }
}

enum Frame {
    Seq(Span, Vec<Node>, Option<usize>),
    /// Span, entries, the key waiting for its value, anchor, and where each key was first
    /// seen (so duplicate keys are found in constant time per key).
    Map(
        Span,
        Vec<(Node, Node)>,
        Option<Node>,
        Option<usize>,
        HashMap<String, usize>,
    ),
}

struct Builder<'s> {
    source: &'s Source,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    root: Option<Node>,
    documents: usize,
    diagnostics: Diagnostics,
}

impl Builder<'_> {
    fn push_node(&mut self, node: Node, anchor: Option<usize>) {
        if let Some(id) = anchor {
            self.anchors.insert(id, node.clone());
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq(_, items, _)) => items.push(node),
            Some(Frame::Map(_, entries, pending, _, seen)) => match pending.take() {
                None => {
                    if !matches!(node.kind, NodeKind::Str(_)) {
                        self.diagnostics.push(
                            Diagnostic::error(
                                &rules::YAML_SYNTAX,
                                "a mapping key here must be a string",
                            )
                            .at(node.span)
                            .help("quote the key"),
                        );
                    } else if let Some(&first) = seen.get(&node.key_string()) {
                        let line = self.source.line_col(first).line;
                        self.diagnostics.push(
                            Diagnostic::error(
                                &rules::YAML_SYNTAX,
                                format!(
                                    "duplicate key `{}` (first defined on line {line})",
                                    node.key_string()
                                ),
                            )
                            .at(node.span)
                            .help("remove one of the two entries"),
                        );
                    }
                    seen.entry(node.key_string()).or_insert(node.span.start);
                    *pending = Some(node);
                }
                Some(key) => entries.push((key, node)),
            },
        }
    }

    fn offset(&self, mark: Marker) -> usize {
        self.source.offset_of(mark.line(), mark.col())
    }

    fn scalar_span(&self, start: usize, style: TScalarStyle, value: &str) -> Span {
        let rest = &self.source.text[start..];
        let line_end = rest.find('\n').unwrap_or(rest.len());
        let line = &rest[..line_end];
        let len = match style {
            TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => {
                let quote = if style == TScalarStyle::SingleQuoted {
                    '\''
                } else {
                    '"'
                };
                let mut end = line.len();
                let mut escaped = false;
                for (i, ch) in line.char_indices().skip(1) {
                    if style == TScalarStyle::DoubleQuoted && ch == '\\' && !escaped {
                        escaped = true;
                        continue;
                    }
                    if ch == quote && !escaped {
                        end = i + 1;
                        break;
                    }
                    escaped = false;
                }
                end
            }
            TScalarStyle::Plain => value.len().min(line.len()),
            _ => line.len(),
        };
        Span::new(start, start + len.max(1).min(rest.len().max(1)))
    }
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let at = self.offset(mark);
        match ev {
            Event::DocumentStart => self.documents += 1,
            Event::Alias(id) => {
                let node = self.anchors.get(&id).cloned().unwrap_or(Node {
                    kind: NodeKind::Null,
                    span: self.source.char_span(at),
                });
                let node = Node {
                    span: self.source.char_span(at),
                    ..node
                };
                self.push_node(node, None);
            }
            Event::Scalar(value, style, anchor, tag) => {
                let span = self.scalar_span(at, style, &value);
                let kind = resolve_scalar(value, style, tag.as_ref());
                let anchor = (anchor > 0).then_some(anchor);
                self.push_node(Node { kind, span }, anchor);
            }
            Event::SequenceStart(anchor, _) => {
                self.stack.push(Frame::Seq(
                    self.source.char_span(at),
                    Vec::new(),
                    (anchor > 0).then_some(anchor),
                ));
            }
            Event::MappingStart(anchor, _) => {
                self.stack.push(Frame::Map(
                    self.source.char_span(at),
                    Vec::new(),
                    None,
                    (anchor > 0).then_some(anchor),
                    HashMap::new(),
                ));
            }
            Event::SequenceEnd => {
                if let Some(Frame::Seq(span, items, anchor)) = self.stack.pop() {
                    let span = items.first().map_or(span, |first| {
                        Span::new(span.start.min(first.span.start), span.end)
                    });
                    self.push_node(
                        Node {
                            kind: NodeKind::Seq(items),
                            span,
                        },
                        anchor,
                    );
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map(span, entries, _, anchor, _)) = self.stack.pop() {
                    let span = entries.first().map_or(span, |(k, _)| {
                        let start = span.start.min(k.span.start);
                        self.source.char_span(start)
                    });
                    self.push_node(
                        Node {
                            kind: NodeKind::Map(entries),
                            span,
                        },
                        anchor,
                    );
                }
            }
            _ => {}
        }
    }
}

fn resolve_scalar(value: String, style: TScalarStyle, tag: Option<&Tag>) -> NodeKind {
    if let Some(tag) = tag {
        if tag.suffix == "str" {
            return NodeKind::Str(value);
        }
    }
    if style != TScalarStyle::Plain {
        return NodeKind::Str(value);
    }
    match value.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return NodeKind::Null,
        "true" | "True" | "TRUE" => return NodeKind::Bool(true),
        "false" | "False" | "FALSE" => return NodeKind::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return NodeKind::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return NodeKind::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return NodeKind::Float(f64::NAN),
        _ => {}
    }
    if is_core_int(&value) {
        if let Ok(i) = value.parse::<i64>() {
            return NodeKind::Int(i);
        }
    }
    if let Some(hex) = value.strip_prefix("0x") {
        if let Ok(i) = i64::from_str_radix(hex, 16) {
            return NodeKind::Int(i);
        }
    }
    if let Some(oct) = value.strip_prefix("0o") {
        if let Ok(i) = i64::from_str_radix(oct, 8) {
            return NodeKind::Int(i);
        }
    }
    if is_core_float(&value) {
        if let Ok(f) = value.parse::<f64>() {
            return NodeKind::Float(f);
        }
    }
    NodeKind::Str(value)
}

fn is_core_int(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_core_float(s: &str) -> bool {
    let b = s.strip_prefix(['-', '+']).unwrap_or(s).as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> (Source, Node) {
        let source = Source::new("t.yaml", text);
        let node = parse(&source).expect("parses");
        (source, node)
    }

    #[test]
    fn resolves_scalars_by_the_core_schema() {
        let (_, n) = tree("a: yes\nb: true\nc: 007\nd: 1e3\ne: '1'\nf: 2024-10-21\ng: ~\n");
        let j = n.to_json();
        assert_eq!(j["a"], "yes");
        assert_eq!(j["b"], true);
        assert_eq!(j["c"], 7);
        assert_eq!(j["d"], 1000.0);
        assert_eq!(j["e"], "1");
        assert_eq!(j["f"], "2024-10-21");
        assert!(j["g"].is_null());
    }

    #[test]
    fn pointers_find_spans() {
        let (source, n) = tree("a:\n  b:\n    - x\n    - \"y z\"\n");
        let y = n.pointer("/a/b/1").unwrap();
        assert_eq!(&source.text[y.span.start..y.span.end], "\"y z\"");
        let lc = source.line_col(y.span.start);
        assert_eq!((lc.line, lc.col), (4, 7));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let source = Source::new("t.yaml", "a: 1\na: 2\n");
        let errs = parse(&source).unwrap_err();
        assert!(errs[0].message.contains("duplicate key `a`"));
    }
}
