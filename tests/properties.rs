//! Property tests: random valid specs, with names at the edges of their rules and hostile
//! strings in every free-text field, build for every target; every output parses back
//! (hcl-rs for HCL, serde_yaml for YAML, the Bicep string-literal reader for Bicep), carries
//! the spec's values unchanged, and is the same bytes on every build.

mod bicep_reader;

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use wisp::source::Source;

/// Strings that break naive emitters: template openers, quotes, escapes, YAML 1.1 look-alikes.
const HOSTILE: &[&str] = &[
    "${x}",
    "%{y}",
    "'",
    "\"",
    "\\",
    "\n",
    "\t",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "007",
    "1e3",
    "2024-10-21",
    "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd",
    "é",
    "中",
    "🚀",
    "true",
    "null",
    "~",
    "#",
    ": ",
    "- ",
    "{",
    "[",
    "&a",
    "*a",
    "!tag",
    "%",
    "@",
    "`",
    "$${z}",
    "\r",
    "0x1F",
    ".inf",
];

fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(HOSTILE).prop_map(String::from),
            "[a-zA-Z0-9 ]{0,6}",
        ],
        1..5,
    )
    .prop_map(|parts| parts.concat())
}

fn regex(pattern: &str) -> BoxedStrategy<String> {
    proptest::string::string_regex(pattern).unwrap().boxed()
}

/// A DNS-1123 label of `len` characters.
fn label(max: usize) -> impl Strategy<Value = String> {
    (1..=max).prop_flat_map(|len| {
        if len == 1 {
            regex("[a-z]")
        } else {
            regex(&format!("[a-z][a-z0-9-]{{{}}}[a-z0-9]", len - 2))
        }
    })
}

fn spec() -> impl Strategy<Value = (Value, Map<String, Value>)> {
    let names = (
        label(53),
        label(63),
        label(63),
        prop::sample::select(vec![3usize, 10, 128])
            .prop_flat_map(|n| regex(&format!("[a-zA-Z0-9][a-zA-Z0-9_-]{{{}}}", n - 1))),
        "[a-zA-Z0-9._()-]{0,88}[a-zA-Z0-9_()-]",
        "[a-zA-Z0-9][a-zA-Z0-9_-]{2,119}",
    );
    let values = prop::collection::btree_map("[a-zA-Z][a-zA-Z0-9]{0,8}", hostile(), 0..4);
    let free = (
        prop::collection::vec(hostile(), 1..3),
        hostile(),
        any::<bool>(),
        any::<bool>(),
    );
    (names, values, free).prop_map(|((release, namespace, sa, identity, rg, fic), values, (deployments, api_version, aks, atomic))| {
        let user: Map<String, Value> = values
            .into_iter()
            .map(|(k, v)| (format!("extra{k}"), json!({ "text": v })))
            .collect::<BTreeMap<_, _>>()
            .into_iter()
            .collect();
        let cluster = if aks {
            json!({ "aks": { "name": "aks-prod", "resourceGroup": rg } })
        } else {
            json!({ "oidcIssuerUrl": "https://westeurope.oic.prod-aks.azure.com/t/c/" })
        };
        // Every target; the Kubernetes one needs a literal issuer.
        let mut targets = json!({ "terraform": {}, "helm": {}, "bicep": {} });
        if !aks {
            targets["kubernetes"] = json!({});
        }
        let spec = json!({
            "apiVersion": "wisp/v1",
            "name": release,
            "azure": { "location": "westeurope", "resourceGroup": rg, "subscriptionId": "00000000-0000-0000-0000-000000000000" },
            "cluster": cluster,
            "kubernetes": { "namespace": namespace, "serviceAccount": sa },
            "identity": {
                "name": identity,
                "federatedCredentialName": fic,
                "roleAssignments": [{ "role": "Cognitive Services OpenAI User", "scope": { "cognitiveAccount": { "name": "oai-prod", "resourceGroup": rg } } }]
            },
            "release": {
                "repository": "https://helm.openwebui.com/", "chart": "open-webui", "version": "16.0.0",
                "atomic": atomic, "image": { "tag": "v0.11.0" }, "values": user
            },
            "openai": { "endpoint": "https://oai-prod.openai.azure.com", "apiVersion": api_version, "deployments": deployments },
            "targets": targets
        });
        (spec, user)
    })
}

fn hcl_string(body: &hcl::Body, kind: &str, name: &str) -> String {
    let block = body
        .blocks()
        .find(|b| b.labels().first().map(|l| l.as_str()) == Some(kind))
        .unwrap_or_else(|| panic!("no {kind}"));
    match block
        .body()
        .attributes()
        .find(|a| a.key() == name)
        .map(|a| a.expr())
    {
        Some(hcl::Expression::String(s)) => s.clone(),
        other => panic!("{kind}.{name} is {other:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_specs_round_trip((spec, user) in spec()) {
        let text = wisp::yaml_out::to_string(&spec).unwrap();
        let source = Source::new("prop.yaml", text.clone());
        let compiled = wisp::compile(&source).unwrap();
        let errors: Vec<_> = compiled.diagnostics.iter().filter(|d| d.is_error()).map(|d| wisp::diagnostics::render(d, &source)).collect();
        prop_assert!(errors.is_empty(), "{}\n{}", errors.join("\n"), text);
        let artifacts = compiled.artifacts.unwrap();

        for a in &artifacts {
            let name = a.path.to_string_lossy();
            if name.ends_with(".tf") {
                let body: hcl::Body = hcl::from_str(&a.contents).map_err(|e| TestCaseError::fail(format!("{name}: {e}\n{}", a.contents)))?;
                if name.ends_with("main.tf") {
                    prop_assert_eq!(hcl_string(&body, "azurerm_user_assigned_identity", "name"), spec["identity"]["name"].as_str().unwrap());
                    prop_assert_eq!(hcl_string(&body, "azurerm_user_assigned_identity", "resource_group_name"), spec["azure"]["resourceGroup"].as_str().unwrap());
                    prop_assert_eq!(hcl_string(&body, "azurerm_federated_identity_credential", "name"), spec["identity"]["federatedCredentialName"].as_str().unwrap());
                    prop_assert_eq!(hcl_string(&body, "helm_release", "name"), spec["name"].as_str().unwrap());
                }
            } else if name.ends_with(".bicep") {
                bicep_reader::literals(&a.contents).map_err(|e| TestCaseError::fail(format!("{name}: {e}\n{}", a.contents)))?;
            } else if name.ends_with(".bicepparam") {
                let params = bicep_reader::bicepparam(&a.contents);
                for (param, want) in [
                    ("identityName", &spec["identity"]["name"]),
                    ("federatedCredentialName", &spec["identity"]["federatedCredentialName"]),
                    ("namespace", &spec["kubernetes"]["namespace"]),
                    ("serviceAccount", &spec["kubernetes"]["serviceAccount"]),
                    ("location", &spec["azure"]["location"]),
                ] {
                    let got = bicep_reader::param_text(&params, param);
                    prop_assert_eq!(got.as_deref(), want.as_str(), "{} in {}", param, name);
                }
            } else if name.ends_with(".yaml") {
                let back: Value = serde_yaml::from_str(&a.contents).map_err(|e| TestCaseError::fail(format!("{name}: {e}\n{}", a.contents)))?;
                if back["kind"] == "FederatedIdentityCredential" {
                    let want = format!("system:serviceaccount:{}:{}", spec["kubernetes"]["namespace"].as_str().unwrap(), spec["kubernetes"]["serviceAccount"].as_str().unwrap());
                    prop_assert_eq!(back["spec"]["subject"].as_str(), Some(want.as_str()));
                }
                let values = if back["kind"] == "HelmRelease" { Some(&back["spec"]["values"]) } else if name.ends_with("values.yaml") { Some(&back) } else { None };
                if let Some(back) = values {
                    for (k, v) in &user {
                        prop_assert_eq!(&back[k], v, "{} in {}", k, name);
                    }
                    // The Azure OpenAI connection config survives as JSON inside YAML.
                    let env = back["extraEnvVars"].as_array().unwrap();
                    let configs = env.iter().find(|e| e["name"] == "OPENAI_API_CONFIGS").unwrap();
                    let configs: Value = serde_json::from_str(configs["value"].as_str().unwrap()).unwrap();
                    prop_assert_eq!(&configs["0"]["api_version"], &spec["openai"]["apiVersion"]);
                    prop_assert_eq!(&configs["0"]["model_ids"], &spec["openai"]["deployments"]);
                }
            }
        }

        // Determinism: the same spec gives the same bytes, whatever the file is called or where.
        let again = wisp::compile(&Source::new("elsewhere/prop.yaml", text)).unwrap().artifacts.unwrap();
        prop_assert_eq!(again, artifacts);
    }
}
