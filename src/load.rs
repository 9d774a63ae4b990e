//! Loading: source text -> YAML tree -> schema check -> raw [`Spec`], with every problem
//! reported at its position.

use crate::diagnostics::{self, Diagnostic, Diagnostics};
use crate::rules;
use crate::schema;
use crate::source::Source;
use crate::spec::Spec;
use crate::yaml::{self, Node};

/// A spec that has the right shape, with the tree that says where each value stands.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub tree: Node,
    pub spec: Spec,
}

/// Reads a spec; all syntax and schema problems come back together, sorted by position.
pub fn load(source: &Source) -> Result<Loaded, Diagnostics> {
    let tree = yaml::parse(source)?;
    let json = tree.to_json();
    let mut errors = schema::check(&tree, &json);
    if !errors.is_empty() {
        diagnostics::sort(&mut errors);
        return Err(errors);
    }
    match serde_json::from_value::<Spec>(json) {
        Ok(spec) => Ok(Loaded { tree, spec }),
        // The schema is generated from the same types, so this means the two disagree.
        Err(e) => Err(vec![Diagnostic::error(
            &rules::INVALID_VALUE,
            e.to_string(),
        )
        .help("see `wisp schema` for the spec format")]),
    }
}
