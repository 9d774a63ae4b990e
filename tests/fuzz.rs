//! The loader and every check never panic, whatever the input: arbitrary bytes, arbitrary
//! YAML trees with spec-like keys, and the reference spec with one value replaced by
//! anything. Bounded (a few hundred cases each) so it runs in `cargo test` and CI.

use proptest::prelude::*;
use serde_json::{Map, Value};
use wisp::source::Source;

/// Runs everything a spec goes through: load, schema, model, checks, emitters.
fn run_all(text: &str) {
    let source = Source::new("fuzz.yaml", text);
    let (_, diagnostics) = wisp::check(&source);
    for d in &diagnostics {
        // Rendering must not panic either (spans into odd text).
        let _ = wisp::diagnostics::render(d, &source);
        let _ = wisp::diagnostics::JsonDiagnostic::new(d, &source);
    }
    let compiled = wisp::compile(&source).expect("emitters do not fail on a checked model");
    assert_eq!(compiled.has_errors(), compiled.artifacts.is_none());
}

/// Strings that reach the interesting branches of the checks.
fn interesting_string() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("open-webui".to_string()),
        Just("Open_WebUI".to_string()),
        Just("westeurope".to_string()),
        Just("v0.6.33".to_string()),
        Just("12.0.0".to_string()),
        Just("7.2.0".to_string()),
        Just("Owner".to_string()),
        Just("broad-scope".to_string()),
        Just("privileged-role".to_string()),
        Just("https://westeurope.oic.prod-aks.azure.com/t/c".to_string()),
        Just("/subscriptions/00000000-0000-0000-0000-000000000000".to_string()),
        Just(
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/A.B/c"
                .to_string()
        ),
        Just("/providers/Microsoft.Management/managementGroups/".to_string()),
        Just("${x}%{y}'\"\\\n\u{e9}\u{1F600}".to_string()),
        Just("5e0bd9bd-7b93-4f28-af87-19fc36ad61bd".to_string()),
        "\\PC{0,40}",
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        interesting_string().prop_map(Value::String),
    ]
}

/// Keys the spec format and the chart use, and some it does not.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "apiVersion",
            "name",
            "azure",
            "location",
            "resourceGroup",
            "subscriptionId",
            "tenantId",
            "cluster",
            "oidcIssuerUrl",
            "aks",
            "kubernetes",
            "namespace",
            "serviceAccount",
            "identity",
            "federatedCredentialName",
            "roleAssignments",
            "role",
            "scope",
            "cognitiveAccount",
            "id",
            "release",
            "repository",
            "chart",
            "version",
            "atomic",
            "image",
            "tag",
            "values",
            "openai",
            "endpoint",
            "apiVersion",
            "deployments",
            "targets",
            "terraform",
            "providers",
            "allow",
            "code",
            "reason",
            "podLabels",
            "extraEnvVars",
            "value",
            "valueFrom",
            "password",
            "enable",
            "create",
            "azure.workload.identity/use",
        ])
        .prop_map(String::from),
        "\\PC{0,12}",
    ]
}

fn tree() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn reference_spec() -> Value {
    let text = include_str!("../fixtures/valid/open-webui.yaml");
    serde_yaml::from_str(text).expect("the reference spec parses")
}

/// Every path to a node of `v`, as JSON pointers.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                pointers(
                    c,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                pointers(c, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// 256 cases a test (about a second in all), or `PROPTEST_CASES` for a longer run.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        run_all(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn arbitrary_yaml_trees_never_panic(t in tree()) {
        run_all(&serde_yaml::to_string(&t).unwrap());
    }

    #[test]
    fn the_reference_spec_with_one_value_replaced_never_panics(
        pick in any::<prop::sample::Index>(),
        replacement in tree(),
    ) {
        let mut spec = reference_spec();
        let mut all = Vec::new();
        pointers(&spec, String::new(), &mut all);
        let at = pick.get(&all).clone();
        if let Some(slot) = spec.pointer_mut(&at) {
            *slot = replacement;
        }
        run_all(&serde_yaml::to_string(&spec).unwrap());
    }

    #[test]
    fn the_reference_spec_with_one_string_replaced_never_panics(
        pick in any::<prop::sample::Index>(),
        replacement in interesting_string(),
    ) {
        // Strings keep the spec's shape, so the semantic checks run on odd values.
        let mut spec = reference_spec();
        let mut all = Vec::new();
        pointers(&spec, String::new(), &mut all);
        all.retain(|p| spec.pointer(p).is_some_and(Value::is_string));
        let at = pick.get(&all).clone();
        if let Some(slot) = spec.pointer_mut(&at) {
            *slot = Value::String(replacement);
        }
        run_all(&serde_yaml::to_string(&spec).unwrap());
    }
}

/// Found by the fuzz test: a diagnostic at a key starting with a multi-byte character had a
/// one-byte span, and rendering it sliced the text inside the character.
#[test]
fn a_key_starting_with_a_multibyte_character_renders() {
    run_all("\u{10298}: null\n");
    run_all("apiVersion: wisp/v1\n\u{12be}K: true\n");
}
