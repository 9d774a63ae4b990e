//! Literal credentials in `release.values`. With Workload Identity the pods get a token from
//! the cluster; a key, password or connection string in the spec would end up in Git, in
//! Terraform state and in the Helm release, and there is nothing it is needed for.

use super::Context;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::rules;
use crate::yaml::{Node, NodeKind};

/// Words that make a key (or an env var name) look like a credential, compared with `_`,
/// `-` and `.` removed and upper-cased.
const CREDENTIAL_WORDS: &[&str] = &["KEY", "SECRET", "PASSWORD", "TOKEN", "CONNECTIONSTRING"];

pub fn check(cx: &Context, out: &mut Diagnostics) {
    if let Some(values) = cx.tree.pointer("/release/values") {
        walk(values, "release.values", out);
    }
}

fn walk(node: &Node, path: &str, out: &mut Diagnostics) {
    match &node.kind {
        NodeKind::Map(entries) => {
            // An env var entry: `{ name: OPENAI_API_KEY, value: ... }`.
            let field = |name: &str| {
                entries
                    .iter()
                    .find(|(k, _)| matches!(&k.kind, NodeKind::Str(s) if s == name))
                    .map(|(_, v)| v)
            };
            if let (Some(name), Some(value)) = (field("name"), field("value")) {
                if let NodeKind::Str(name) = &name.kind {
                    if looks_like_credential(name) && is_literal(value) {
                        report(out, value, &format!("{path}.value"), name, true);
                    }
                }
            }
            for (k, v) in entries {
                let NodeKind::Str(key) = &k.kind else {
                    continue;
                };
                if is_reference(key) {
                    continue;
                }
                let child = format!("{path}.{key}");
                if looks_like_credential(key) && is_literal(v) {
                    report(out, v, &child, key, false);
                } else {
                    walk(v, &child, out);
                }
            }
        }
        NodeKind::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

fn report(out: &mut Diagnostics, value: &Node, path: &str, name: &str, env: bool) {
    let what = if env {
        format!("the environment variable `{name}`")
    } else {
        format!("`{path}`")
    };
    out.push(
        Diagnostic::error(
            &rules::LITERAL_SECRET,
            format!("{what} holds a literal credential; with Workload Identity there is no secret to put here"),
        )
        .at(value.span)
        .help(if env {
            "remove it: the pods authenticate with their federated token; if the app really needs a credential, use `valueFrom: { secretKeyRef: { name: SECRET, key: KEY } }`"
        } else {
            "remove it: the pods authenticate with their federated token; if the chart really needs a credential, point it at a Kubernetes Secret (`secretKeyRef`, `existingSecret`)"
        }),
    );
}

/// Words that make a credential-like name a setting about credentials
/// (`API_KEY_ALLOWED_ENDPOINTS`, `tokenExpiration`) or a reference to one stored elsewhere
/// (`existingSecret`, `secretName`).
const SETTING_WORDS: &[&str] = &[
    "ENABLE", "ALLOWED", "ENDPOINT", "URL", "EXPIR", "HEADER", "LENGTH", "SIZE", "TTL", "PREFIX",
    "FILE", "PATH", "NAME", "REF", "EXISTING", "AUDIENCE", "ISSUER", "TYPE", "MODE",
];

/// Whether a key or env var name looks like it holds a credential. A bare `key` is a label
/// or selector key (tolerations, affinity, `secretKeyRef.key`), not a credential.
fn looks_like_credential(name: &str) -> bool {
    let squashed: String = name
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | '/'))
        .collect::<String>()
        .to_ascii_uppercase();
    squashed != "KEY"
        && CREDENTIAL_WORDS.iter().any(|w| squashed.contains(w))
        && !SETTING_WORDS.iter().any(|w| squashed.contains(w))
}

/// Keys whose subtree points at a credential stored elsewhere (`valueFrom`, `secretKeyRef`).
fn is_reference(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k == "valuefrom" || k.ends_with("ref")
}

/// A value that is a credential written out: a non-empty string other than a boolean word,
/// or a list holding one (`openaiApiKeys: [sk-...]`). Numbers are settings (`maxTokens`).
fn is_literal(node: &Node) -> bool {
    match &node.kind {
        NodeKind::Str(s) => {
            let t = s.trim();
            !t.is_empty() && !t.eq_ignore_ascii_case("true") && !t.eq_ignore_ascii_case("false")
        }
        NodeKind::Seq(items) => items.iter().any(is_literal),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_like_names() {
        for yes in [
            "OPENAI_API_KEY",
            "openaiApiKey",
            "WEBUI_SECRET_KEY",
            "password",
            "AZURE_STORAGE_CONNECTION_STRING",
            "connectionString",
            "githubToken",
        ] {
            assert!(looks_like_credential(yes), "{yes}");
        }
        for no in [
            "key",
            "image",
            "enabled",
            "persistence",
            "existingSecret",
            "secretName",
            "API_KEY_ALLOWED_ENDPOINTS",
            "ENABLE_API_KEY",
            "azure.workload.identity/service-account-token-expiration",
        ] {
            assert!(!looks_like_credential(no), "{no}");
        }
        assert!(is_reference("secretKeyRef"));
        assert!(is_reference("valueFrom"));
    }
}
