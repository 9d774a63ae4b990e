//! Checks over the specs of one run together: an identity is an Azure resource that specs
//! can share, and Azure allows it at most 20 federated credentials (REFERENCE §3).

use crate::diagnostics::Diagnostic;
use crate::model::Model;
use crate::rules;
use crate::source::Source;
use crate::yaml;
use std::collections::HashMap;

/// Federated credentials Azure allows on one user-assigned identity.
pub const MAX_CREDENTIALS: usize = 20;

/// Diagnostics for specs that together put more than [`MAX_CREDENTIALS`] federated
/// credentials on one identity (same subscription, resource group and name), each with the
/// index of the spec it belongs to. The specs past the 20th are reported.
pub fn check(specs: &[(&Source, &Model)]) -> Vec<(usize, Diagnostic)> {
    let key = |m: &Model| {
        (
            m.azure
                .subscription_id
                .as_deref()
                .unwrap_or_default()
                .to_ascii_lowercase(),
            m.azure.resource_group.to_ascii_lowercase(),
            m.identity.name.to_ascii_lowercase(),
        )
    };
    let keys: Vec<_> = specs.iter().map(|(_, m)| key(m)).collect();
    let mut totals: HashMap<&(String, String, String), usize> = HashMap::new();
    for k in &keys {
        *totals.entry(k).or_default() += 1;
    }
    let mut seen: HashMap<&(String, String, String), usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, (source, model)) in specs.iter().enumerate() {
        let k = &keys[i];
        let before = seen.entry(k).or_default();
        *before += 1;
        if *before <= MAX_CREDENTIALS {
            continue;
        }
        let total = totals[k];
        let span = yaml::parse(source)
            .ok()
            .and_then(|tree| tree.pointer("/identity/name").map(|n| n.span));
        out.push((
            i,
            Diagnostic::error(
                &rules::TOO_MANY_CREDENTIALS,
                format!(
                    "the identity `{}` in `{}` gets {total} federated credentials from the specs built together; Azure allows {MAX_CREDENTIALS}",
                    model.identity.name, model.azure.resource_group
                ),
            )
            .at_opt(span)
            .help("give this release its own identity (`identity.name`)"),
        ));
    }
    out
}
