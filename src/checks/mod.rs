//! Semantic checks: what the schema cannot see and Azure or Kubernetes would reject (or
//! silently get wrong) only after deploying. One file a family of checks; [`run`] runs them
//! all over a schema-valid spec and applies the spec's `allow` list. Checks of what one
//! target cannot do ([`bicep`]) run from `model::resolve`, only when that target is on.

pub mod across;
mod allow;
pub mod bicep;
mod issuer;
mod names;
mod scopes;
mod secrets;
mod versions;

pub use allow::ALLOWABLE;

use crate::diagnostics::Diagnostics;
use crate::source::{Source, Span};
use crate::spec::Spec;
use crate::yaml::Node;

/// What every check reads: the spec and the tree that says where each value stands.
pub struct Context<'a> {
    pub source: &'a Source,
    pub tree: &'a Node,
    pub spec: &'a Spec,
}

impl Context<'_> {
    /// The span of the value at a JSON pointer (`/identity/name`).
    pub fn value(&self, pointer: &str) -> Option<Span> {
        self.tree.pointer(pointer).map(|n| n.span)
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.source.line_col(offset).line
    }

    /// The span of the key the pointer ends in (`openai:`), else of the value.
    pub fn key(&self, pointer: &str) -> Option<Span> {
        self.tree
            .pointer_with_key(pointer)
            .map(|(k, v)| k.map_or(v.span, |k| k.span))
    }
}

/// Runs every check, appending to `diagnostics`, then drops what the spec allows and
/// reports `allow` entries that are themselves wrong.
pub fn run(source: &Source, tree: &Node, spec: &Spec, diagnostics: &mut Diagnostics) {
    let cx = Context { source, tree, spec };
    names::check(&cx, diagnostics);
    issuer::check(&cx, diagnostics);
    scopes::check(&cx, diagnostics);
    secrets::check(&cx, diagnostics);
    versions::check(&cx, diagnostics);
    allow::apply(&cx, diagnostics);
}

/// `a`, `a` and `b`, `a`, `b` and `c`: user values in backticks.
pub(crate) fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}
