//! The JSON Schema of the spec: generated from `spec.rs` by schemars, committed as
//! `schema/wisp.schema.json`, and used to check a spec before it is deserialised.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::rules;
use crate::spec::Spec;
use crate::suggest;
use crate::yaml::Node;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::ValidationError;
use serde_json::Value;
use std::sync::OnceLock;

/// The schema as JSON data.
pub fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        // Draft 7: its meta-schema, which the validator checks the schema against at start-up
        // in every process, costs a fraction of 2020-12's.
        let generator = schemars::generate::SchemaSettings::draft07().into_generator();
        generator.into_root_schema_for::<Spec>().to_value()
    })
}

/// The schema as the committed file's bytes: pretty JSON with a final newline.
pub fn schema_json() -> String {
    let mut text = serde_json::to_string_pretty(schema()).expect("a schema serialises");
    text.push('\n');
    text
}

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| jsonschema::validator_for(schema()).expect("the spec schema is valid"))
}

/// Checks a parsed spec against the schema; every violation becomes a diagnostic at its node.
pub fn check(tree: &Node, instance: &Value) -> Diagnostics {
    let mut out = Vec::new();
    for error in validator().iter_errors(instance) {
        report(&error, tree, &mut out);
    }
    // A misspelt key is reported once, as unknown with its suggestion, not also as missing.
    let misspelt: Vec<(Option<crate::source::Span>, String)> = out
        .iter()
        .filter(|d| d.rule == &rules::UNKNOWN_FIELD)
        .filter_map(|d| {
            let help = d.help.as_deref()?;
            let name = help.strip_prefix("did you mean `")?.strip_suffix("`?")?;
            Some((d.span, name.to_string()))
        })
        .collect();
    out.retain(|d| {
        d.rule != &rules::MISSING_FIELD
            || !misspelt
                .iter()
                .any(|(_, name)| d.message.ends_with(&format!("required field `{name}`")))
    });
    out
}

fn report(error: &ValidationError<'_>, tree: &Node, out: &mut Diagnostics) {
    let pointer = error.instance_path().as_str().to_string();
    let (key, node) = tree.pointer_with_key(&pointer).unwrap_or((None, tree));
    let name = display_path(&pointer);
    let diag = match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let allowed = allowed_keys(&pointer);
            for field in unexpected {
                let child = format!("{pointer}/{}", field.replace('~', "~0").replace('/', "~1"));
                let span = tree
                    .pointer_with_key(&child)
                    .and_then(|(k, _)| k.map(|k| k.span));
                let mut d = Diagnostic::error(
                    &rules::UNKNOWN_FIELD,
                    format!("unknown field `{field}` in {}", describe(&name)),
                )
                .at_opt(span);
                d = match suggest::closest(field, allowed.iter().map(String::as_str)) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None if allowed.is_empty() => d.help("remove this field"),
                    None => d.help(format!(
                        "remove it; the fields here are {}",
                        quoted_list(&allowed)
                    )),
                };
                out.push(d);
            }
            return;
        }
        ValidationErrorKind::Required { property } => {
            let property = property.as_str().unwrap_or_default();
            Diagnostic::error(
                &rules::MISSING_FIELD,
                format!(
                    "{} is missing the required field `{property}`",
                    describe(&name)
                ),
            )
            .at(key.map_or(node.span, |k| k.span))
            .help(format!("add `{property}:` to {}", describe(&name)))
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => article(&t.to_string()),
                TypeKind::Multiple(set) => set
                    .iter()
                    .map(|t| article(&t.to_string()))
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            let found = json_kind(error.instance());
            let hint = if expected.contains("string") && !found.contains("mapping") {
                "quote the value to make it a string".to_string()
            } else {
                format!("write {expected} here")
            };
            Diagnostic::error(
                &rules::WRONG_TYPE,
                format!("`{name}` must be {expected}, found {found}"),
            )
            .at(node.span)
            .help(hint)
        }
        ValidationErrorKind::Enum { options } => {
            let options: Vec<String> = options
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            let found = error.instance();
            let d = Diagnostic::error(
                &rules::INVALID_VALUE,
                format!(
                    "`{name}` must be one of {}, found {}",
                    quoted_list(&options),
                    short(found)
                ),
            )
            .at(node.span);
            match found
                .as_str()
                .and_then(|f| suggest::closest(f, options.iter().map(String::as_str)))
            {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help(format!("use one of {}", quoted_list(&options))),
            }
        }
        ValidationErrorKind::OneOfNotValid { context }
        | ValidationErrorKind::OneOfMultipleValid { context } => {
            let constants = one_of_constants(&pointer);
            if !constants.is_empty() {
                let found = error.instance();
                out.push(
                    Diagnostic::error(
                        &rules::INVALID_VALUE,
                        format!(
                            "`{name}` must be {}, found {}",
                            quoted_list(&constants).replace(", ", " or "),
                            short(found)
                        ),
                    )
                    .at(node.span)
                    .help(format!(
                        "write {}",
                        quoted_list(&constants).replace(", ", " or ")
                    )),
                );
                return;
            }
            let alternatives = one_of_keys(&pointer);
            let present: Vec<&String> = match error.instance().as_ref() {
                Value::Object(map) => alternatives
                    .iter()
                    .filter(|a| map.contains_key(*a))
                    .collect(),
                _ => Vec::new(),
            };
            if present.len() == 1 {
                // The user picked one alternative: report what is wrong inside it.
                if let Some(index) = alternatives.iter().position(|a| a == present[0]) {
                    if let Some(errors) = context.get(index) {
                        let before = out.len();
                        for e in errors {
                            report(e, tree, out);
                        }
                        if out.len() > before {
                            return;
                        }
                    }
                }
            }
            let which = alternatives
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(" or ");
            let found = if present.is_empty() {
                "neither is given".to_string()
            } else {
                format!(
                    "found {}",
                    quoted_list(&present.into_iter().cloned().collect::<Vec<_>>())
                )
            };
            Diagnostic::error(
                &rules::EXACTLY_ONE_OF,
                format!("{} needs exactly one of {which}; {found}", describe(&name)),
            )
            .at(key.map_or(node.span, |k| k.span))
            .help(format!("keep exactly one of {which}"))
        }
        ValidationErrorKind::MinItems { limit } => Diagnostic::error(
            &rules::INVALID_VALUE,
            format!("`{name}` needs at least {limit} item(s)"),
        )
        .at(key.map_or(node.span, |k| k.span))
        .help("add an item to the list"),
        ValidationErrorKind::Pattern { pattern } if pattern == crate::spec::GUID_PATTERN => {
            Diagnostic::error(
                &rules::INVALID_VALUE,
                format!("`{name}` must be a GUID, found {}", short(error.instance())),
            )
            .at(node.span)
            .help("write the GUID itself (8-4-4-4-12 hex digits); an identity's client id: `az identity show -n NAME -g RG --query clientId -o tsv`")
        }
        _ => Diagnostic::error(
            &rules::INVALID_VALUE,
            format!("`{name}`: {}", error.masked()),
        )
        .at(node.span)
        .help("see `wisp schema` for what this field accepts"),
    };
    out.push(diag);
}

/// `/identity/roleAssignments/0/role` -> `identity.roleAssignments[0].role`.
pub fn display_path(pointer: &str) -> String {
    let mut out = String::new();
    for part in pointer.split('/').skip(1) {
        let part = part.replace("~1", "/").replace("~0", "~");
        if part.bytes().all(|b| b.is_ascii_digit()) && !part.is_empty() {
            out.push_str(&format!("[{part}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&part);
        }
    }
    out
}

fn describe(name: &str) -> String {
    if name.is_empty() {
        "the spec".to_string()
    } else {
        format!("`{name}`")
    }
}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn article(kind: &str) -> String {
    match kind {
        "object" => "a mapping".into(),
        "array" => "a list".into(),
        "integer" => "an integer".into(),
        "null" => "null".into(),
        other => format!("a {other}"),
    }
}

fn json_kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean `{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => format!("the string `{s}`"),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "a mapping".into(),
    }
}

fn short(v: &Value) -> String {
    match v {
        Value::String(s) => format!("`{s}`"),
        other => json_kind(other),
    }
}

/// The schemas that apply at an instance path, following `$ref`, `properties`, `items`,
/// `additionalProperties` and `oneOf`/`anyOf` alternatives.
fn schemas_at(pointer: &str) -> Vec<&'static Value> {
    let root = schema();
    let mut current = expand(root, root);
    for part in pointer.split('/').skip(1) {
        let part = part.replace("~1", "/").replace("~0", "~");
        let mut next = Vec::new();
        for s in current {
            let child = s
                .get("properties")
                .and_then(|p| p.get(&part))
                .or_else(|| s.get("items").filter(|_| part.parse::<usize>().is_ok()))
                .or_else(|| s.get("additionalProperties").filter(|a| a.is_object()));
            if let Some(child) = child {
                next.extend(expand(root, child));
            }
        }
        current = next;
    }
    current
}

fn expand(root: &'static Value, s: &'static Value) -> Vec<&'static Value> {
    let s = resolve(root, s);
    let mut out = vec![s];
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(Value::Array(alts)) = s.get(key) {
            for alt in alts {
                out.extend(expand(root, alt));
            }
        }
    }
    out
}

fn resolve(root: &'static Value, s: &'static Value) -> &'static Value {
    match s.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .strip_prefix('#')
            .and_then(|p| root.pointer(p))
            .map_or(s, |t| resolve(root, t)),
        None => s,
    }
}

fn allowed_keys(pointer: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for s in schemas_at(pointer) {
        if let Some(Value::Object(props)) = s.get("properties") {
            for k in props.keys() {
                if !keys.contains(k) {
                    keys.push(k.clone());
                }
            }
        }
    }
    keys
}

fn one_of_constants(pointer: &str) -> Vec<String> {
    let root = schema();
    let mut out = Vec::new();
    for s in schemas_at(pointer) {
        if let Some(Value::Array(alts)) = s.get("oneOf") {
            for alt in alts {
                if let Some(c) = resolve(root, alt).get("const").and_then(Value::as_str) {
                    out.push(c.to_string());
                }
            }
            break;
        }
    }
    out
}

fn one_of_keys(pointer: &str) -> Vec<String> {
    let root = schema();
    let mut keys = Vec::new();
    for s in schemas_at(pointer) {
        if let Some(Value::Array(alts)) = s.get("oneOf") {
            for alt in alts {
                let alt = resolve(root, alt);
                if let Some(Value::Array(req)) = alt.get("required") {
                    keys.extend(req.iter().filter_map(|r| r.as_str().map(String::from)));
                }
            }
            break;
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_read_like_yaml() {
        assert_eq!(
            display_path("/identity/roleAssignments/0/role"),
            "identity.roleAssignments[0].role"
        );
        assert_eq!(display_path(""), "");
    }

    #[test]
    fn finds_the_keys_of_a_nested_object() {
        let keys = allowed_keys("/identity/roleAssignments/0/scope/cognitiveAccount");
        assert_eq!(keys, vec!["name".to_string(), "resourceGroup".to_string()]);
        assert_eq!(one_of_keys("/cluster"), vec!["oidcIssuerUrl", "aks"]);
    }
}
