//! The open-webui chart (https://helm.openwebui.com/, REFERENCE §2 and §4).
//!
//! Keys by chart version:
//! - `serviceAccount.{enable,name,annotations}`, `podLabels`, `image.{repository,tag}`,
//!   `ollama.enabled` and `pipelines.enabled` (both default true), `extraEnvVars`: all versions
//!   wisp supports (7.0.0 and later).
//! - `openaiApiKey` from 8.11.0 (default: a dummy key, emitted as `OPENAI_API_KEY` unless `""`);
//!   before 8.11.0 the same dummy key is the default `extraEnvVars` entry.
//!
//! Open WebUI reads `OPENAI_API_CONFIGS` from 0.10.2, has Entra ID auth from 0.6.30 and
//! honours `AZURE_TOKEN_CREDENTIALS` from 0.6.31.

use super::{
    get_path, merge, path, remove_path, set_path, Chart, ChartInputs, ChartValues, KeySince,
};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::rules;
use crate::version::Version;
use crate::yaml::Node;
use serde_json::{json, Map, Value};

pub const CHART: Chart = Chart {
    name: "open-webui",
    min_version: Version::new(7, 0, 0),
    values,
    app_versions: APP_VERSIONS,
    keys_since: &[
        KeySince {
            path: &["serviceAccount", "create"],
            since: SERVICE_ACCOUNT_CREATE,
        },
        KeySince {
            path: &["openaiApiKey"],
            since: OPENAI_API_KEY_SETTING,
        },
    ],
    rendered_service_account,
};

/// Chart versions and the Open WebUI version each ships (its appVersion), read from
/// `Chart.yaml` at each `open-webui-<version>` tag of the chart repository: the first chart
/// of each appVersion, and the latest known chart. A chart between two entries ships the
/// earlier one's appVersion (REFERENCE §2: 7.2.0 ships 0.6.18, 8.10.0 and 8.11.0 ship 0.6.33,
/// 16.0.0 ships 0.11.0).
const APP_VERSIONS: &[(Version, Version)] = &[
    (Version::new(7, 0, 0), Version::new(0, 6, 18)),
    (Version::new(7, 3, 0), Version::new(0, 6, 22)),
    (Version::new(7, 4, 0), Version::new(0, 6, 23)),
    (Version::new(7, 5, 0), Version::new(0, 6, 24)),
    (Version::new(7, 6, 0), Version::new(0, 6, 25)),
    (Version::new(7, 7, 0), Version::new(0, 6, 26)),
    (Version::new(8, 3, 0), Version::new(0, 6, 27)),
    (Version::new(8, 4, 0), Version::new(0, 6, 28)),
    (Version::new(8, 5, 0), Version::new(0, 6, 29)),
    (Version::new(8, 6, 0), Version::new(0, 6, 30)),
    (Version::new(8, 7, 0), Version::new(0, 6, 31)),
    (Version::new(8, 8, 0), Version::new(0, 6, 32)),
    (Version::new(8, 10, 0), Version::new(0, 6, 33)),
    (Version::new(8, 12, 0), Version::new(0, 6, 34)),
    (Version::new(8, 13, 0), Version::new(0, 6, 35)),
    (Version::new(8, 14, 0), Version::new(0, 6, 36)),
    (Version::new(8, 15, 0), Version::new(0, 6, 37)),
    (Version::new(8, 16, 0), Version::new(0, 6, 38)),
    (Version::new(8, 17, 0), Version::new(0, 6, 39)),
    (Version::new(8, 18, 0), Version::new(0, 6, 40)),
    (Version::new(8, 19, 0), Version::new(0, 6, 41)),
    (Version::new(8, 21, 0), Version::new(0, 6, 42)),
    (Version::new(8, 22, 0), Version::new(0, 6, 43)),
    (Version::new(10, 0, 0), Version::new(0, 7, 0)),
    (Version::new(10, 1, 0), Version::new(0, 7, 1)),
    (Version::new(10, 2, 0), Version::new(0, 7, 2)),
    (Version::new(11, 0, 0), Version::new(0, 8, 0)),
    (Version::new(12, 1, 0), Version::new(0, 8, 1)),
    (Version::new(12, 2, 0), Version::new(0, 8, 2)),
    (Version::new(12, 3, 0), Version::new(0, 8, 3)),
    (Version::new(12, 4, 0), Version::new(0, 8, 4)),
    (Version::new(12, 5, 0), Version::new(0, 8, 5)),
    (Version::new(12, 6, 0), Version::new(0, 8, 6)),
    (Version::new(12, 7, 0), Version::new(0, 8, 7)),
    (Version::new(12, 8, 0), Version::new(0, 8, 8)),
    (Version::new(12, 9, 0), Version::new(0, 8, 9)),
    (Version::new(12, 10, 0), Version::new(0, 8, 10)),
    (Version::new(12, 11, 0), Version::new(0, 8, 11)),
    (Version::new(12, 13, 0), Version::new(0, 8, 12)),
    (Version::new(14, 0, 0), Version::new(0, 9, 0)),
    (Version::new(14, 1, 0), Version::new(0, 9, 1)),
    (Version::new(14, 2, 0), Version::new(0, 9, 2)),
    (Version::new(14, 3, 0), Version::new(0, 9, 3)),
    (Version::new(14, 4, 0), Version::new(0, 9, 4)),
    (Version::new(14, 5, 0), Version::new(0, 9, 5)),
    (Version::new(14, 8, 0), Version::new(0, 9, 6)),
    (Version::new(15, 0, 0), Version::new(0, 10, 0)),
    (Version::new(15, 1, 0), Version::new(0, 10, 1)),
    (Version::new(15, 2, 0), Version::new(0, 10, 2)),
    (Version::new(15, 2, 1), Version::new(0, 11, 0)),
    (Version::new(16, 0, 0), Version::new(0, 11, 0)),
];

const SERVICE_ACCOUNT_CREATE: Version = Version::new(8, 12, 2);
/// Charts 12.0.0 to 12.1.0 append `-sa` to the service account name they are given.
const SA_SUFFIX_BUG: (Version, Version) = (Version::new(12, 0, 0), Version::new(12, 1, 1));

fn rendered_service_account(chart: Version, name: &str) -> String {
    if chart >= SA_SUFFIX_BUG.0 && chart < SA_SUFFIX_BUG.1 {
        format!("{name}-sa")
    } else {
        name.to_string()
    }
}

const OPENAI_API_KEY_SETTING: Version = Version::new(8, 11, 0);
const OPENAI_CONFIGS_FROM_ENV: Version = Version::new(0, 10, 2);
const ENTRA_ID_AUTH: Version = Version::new(0, 6, 30);
const TOKEN_CREDENTIALS_ENV: Version = Version::new(0, 6, 31);

pub const CLIENT_ID_ANNOTATION: &str = "azure.workload.identity/client-id";
pub const USE_LABEL: &str = "azure.workload.identity/use";

fn values(input: &ChartInputs, diagnostics: &mut Diagnostics) -> Option<ChartValues> {
    let service_account_key = path(&["serviceAccount", "name"]);
    let client_id_key = path(&["serviceAccount", "annotations", CLIENT_ID_ANNOTATION]);
    let pinned = vec![
        (path(&["image", "tag"]), input.image_tag.to_string()),
        (
            service_account_key.clone(),
            input.service_account.to_string(),
        ),
        (path(&["podLabels", USE_LABEL]), "true".to_string()),
    ];

    // Values wisp owns and a spec may not change.
    let mut owned: Vec<(Vec<String>, Value)> =
        vec![(path(&["serviceAccount", "enable"]), json!(true))];
    owned.extend(pinned.iter().map(|(p, v)| (p.clone(), json!(v))));
    if let Some(repo) = input.image_repository {
        owned.push((path(&["image", "repository"]), json!(repo)));
    }
    if input.chart_version >= OPENAI_API_KEY_SETTING {
        owned.push((path(&["openaiApiKey"]), json!("")));
    }

    // Environment: no API key anywhere, and the Azure OpenAI connection when the image reads it.
    let mut env: Vec<(String, String)> = Vec::new();
    let mut openai_in_env = false;
    if let Some(openai) = input.openai {
        let image = input.image_version;
        if image < ENTRA_ID_AUTH {
            diagnostics.push(
                Diagnostic::error(
                    &rules::OPENAI_IMAGE_TOO_OLD,
                    format!(
                        "Open WebUI {image} cannot use Entra ID auth for Azure OpenAI (it exists from {ENTRA_ID_AUTH})"
                    ),
                )
                .at(openai.span)
                .help(format!("use image `v{OPENAI_CONFIGS_FROM_ENV}` or later, or remove the `openai` section")),
            );
        } else {
            if image >= TOKEN_CREDENTIALS_ENV {
                env.push((
                    "AZURE_TOKEN_CREDENTIALS".into(),
                    "WorkloadIdentityCredential".into(),
                ));
            }
            if image >= OPENAI_CONFIGS_FROM_ENV {
                openai_in_env = true;
                let configs = json!({
                    "0": {
                        "enable": true,
                        "azure": true,
                        "api_version": openai.api_version,
                        "auth_type": "microsoft_entra_id",
                        "model_ids": openai.deployments,
                    }
                });
                env.push(("OPENAI_API_BASE_URLS".into(), openai.endpoint.clone()));
                env.push(("OPENAI_API_CONFIGS".into(), configs.to_string()));
            } else {
                diagnostics.push(
                    Diagnostic::warning(
                        &rules::OPENAI_UI_STEP,
                        format!(
                            "Open WebUI {image} does not read the Azure OpenAI connection from the environment (it does from {OPENAI_CONFIGS_FROM_ENV}); add it in the admin UI after deploying"
                        ),
                    )
                    .at(openai.span)
                    .help(format!(
                        "after deploying, in Open WebUI: Admin Panel > Settings > Connections > add a connection with URL `{}`, provider Azure OpenAI, auth Entra ID, API version `{}`, model IDs {}, and save; or use image `v{OPENAI_CONFIGS_FROM_ENV}` or later, which reads it from the spec",
                        openai.endpoint,
                        openai.api_version,
                        openai.deployments.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ")
                    )),
                );
            }
        }
    }

    let user = input.user_values;
    if let Some((user, node)) = user {
        for (p, want) in &owned {
            check_owned(user, node, p, want, diagnostics);
        }
        // Left at the chart's default, but a spec may not turn off the connection it asks for.
        if input.openai.is_some() {
            check_owned(
                user,
                node,
                &path(&["enableOpenaiApi"]),
                &json!(true),
                diagnostics,
            );
        }
        // The client id comes from the identity (or `identity.clientId`), never from `values`:
        // Flux merges `spec.values` over `valuesFrom`, so a value here would win.
        if get_path(user, &client_id_key).is_some() {
            let pointer = format!(
                "/serviceAccount/annotations/{}",
                CLIENT_ID_ANNOTATION.replace('~', "~0").replace('/', "~1")
            );
            diagnostics.push(
                Diagnostic::error(
                    &rules::VALUES_CONFLICT,
                    format!(
                        "`release.values` sets the service account annotation `{CLIENT_ID_ANNOTATION}`, which wisp sets from the identity"
                    ),
                )
                .at_opt(node.pointer(&pointer).map(|n| n.span))
                .help("remove it; give a known client id as `identity.clientId`, or let the targets take it from the identity they create"),
            );
        }
        // From 8.12.2 the chart can be told not to create the service account; the annotated
        // account wisp relies on would then never exist. Left at its default, it is not emitted.
        if input.chart_version >= SERVICE_ACCOUNT_CREATE {
            let create = path(&["serviceAccount", "create"]);
            check_owned(user, node, &create, &json!(true), diagnostics);
        }
    }

    // extraEnvVars: the spec's entries, then wisp's; a name wisp sets is not the spec's to set.
    let mut env_list: Vec<Value> = Vec::new();
    if let Some((user, node)) = user {
        match user.get("extraEnvVars") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let name = item.get("name").and_then(Value::as_str).unwrap_or_default();
                    if env.iter().any(|(n, _)| n == name) {
                        let span = node.pointer(&format!("/extraEnvVars/{i}")).map(|n| n.span);
                        diagnostics.push(
                            Diagnostic::error(
                                &rules::VALUES_CONFLICT,
                                format!("`release.values.extraEnvVars` sets `{name}`, which wisp sets from the spec"),
                            )
                            .at_opt(span)
                            .help("remove this entry; wisp derives it from the `openai` section"),
                        );
                    }
                    env_list.push(item.clone());
                }
            }
            Some(_) => {
                let span = node.pointer("/extraEnvVars").map(|n| n.span);
                diagnostics.push(
                    Diagnostic::error(
                        &rules::VALUES_CONFLICT,
                        "`release.values.extraEnvVars` must be a list of `{name, value}` entries",
                    )
                    .at_opt(span)
                    .help("write `extraEnvVars: [{ name: NAME, value: VALUE }]`; wisp appends its own entries"),
                );
            }
        }
    }
    env_list.extend(
        env.into_iter()
            .map(|(name, value)| json!({ "name": name, "value": value })),
    );

    if diagnostics.iter().any(Diagnostic::is_error) {
        return None;
    }

    // The values file, in a fixed order: identity first, then sub-charts, then the spec's.
    let mut all = Map::new();
    for (p, v) in &owned {
        set_path(&mut all, p, v.clone());
    }
    set_path(&mut all, &path(&["ollama", "enabled"]), json!(false));
    set_path(&mut all, &path(&["pipelines", "enabled"]), json!(false));
    if let Some((user, _)) = user {
        let mut user = user.clone();
        user.shift_remove("extraEnvVars");
        merge(&mut all, &user);
    }
    // The owned values win (they are equal where the spec repeats them).
    for (p, v) in &owned {
        set_path(&mut all, p, v.clone());
    }
    all.insert("extraEnvVars".into(), Value::Array(env_list));
    let mut base = all;
    for (p, _) in &pinned {
        remove_path(&mut base, p);
    }
    Some(ChartValues {
        base,
        pinned,
        client_id_key,
        service_account_key,
        openai_in_env,
    })
}

/// Reports a spec value that changes one wisp owns, at its line.
fn check_owned(
    user: &Map<String, Value>,
    node: &Node,
    key_path: &[String],
    want: &Value,
    out: &mut Diagnostics,
) {
    // Walk down as far as the spec goes; a non-mapping on the way replaces wisp's value too.
    let mut pointer = String::new();
    for depth in 1..=key_path.len() {
        let prefix = &key_path[..depth];
        pointer.push('/');
        pointer.push_str(&prefix[depth - 1].replace('~', "~0").replace('/', "~1"));
        let Some(found) = get_path(user, prefix) else {
            return;
        };
        let last = depth == key_path.len();
        if last && found == want {
            return;
        }
        if last || !found.is_object() {
            let span = node.pointer(&pointer).map(|n| n.span);
            let shown = key_path.join(".");
            out.push(
                Diagnostic::error(
                    &rules::VALUES_CONFLICT,
                    format!(
                        "`release.values.{}` changes `{shown}`, which wisp sets to `{}`",
                        prefix.join("."),
                        want.as_str().map_or_else(|| want.to_string(), String::from)
                    ),
                )
                .at_opt(span)
                .help(owned_help(key_path)),
            );
            return;
        }
    }
}

fn owned_help(key_path: &[String]) -> String {
    match key_path.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["serviceAccount", "name"] => "set the name in `kubernetes.serviceAccount` (the federated credential's subject is built from it) and remove it here".into(),
        ["image", "tag"] => "set the tag in `release.image.tag` and remove it here".into(),
        ["image", "repository"] => "set the repository in `release.image.repository` and remove it here".into(),
        ["podLabels", _] => "remove it: the pod label `azure.workload.identity/use: \"true\"` is what makes the webhook inject the token".into(),
        ["serviceAccount", "enable"] => "remove it: the pods need the service account the federated credential trusts".into(),
        ["serviceAccount", "create"] => "remove it: the chart must create the service account that carries the client-id annotation".into(),
        ["openaiApiKey"] => "remove it: with Workload Identity there is no API key".into(),
        ["enableOpenaiApi"] => "remove it: the `openai` section configures an OpenAI API connection, which this would turn off".into(),
        _ => "remove it from `release.values`".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_versions_match_the_reference() {
        assert!(APP_VERSIONS
            .windows(2)
            .all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1));
        let app = |c| CHART.app_version(c).unwrap();
        assert_eq!(app(Version::new(7, 2, 0)), Version::new(0, 6, 18));
        assert_eq!(app(Version::new(8, 10, 0)), Version::new(0, 6, 33));
        assert_eq!(app(Version::new(8, 11, 0)), Version::new(0, 6, 33));
        assert_eq!(app(Version::new(16, 0, 0)), Version::new(0, 11, 0));
        let first = CHART.first_chart_for(Version::new(0, 6, 33)).unwrap();
        assert_eq!(first.0, Version::new(8, 10, 0));
    }

    #[test]
    fn charts_12_0_0_to_12_1_0_append_sa() {
        let sa = |c| rendered_service_account(c, "open-webui");
        assert_eq!(sa(Version::new(11, 0, 0)), "open-webui");
        assert_eq!(sa(Version::new(12, 0, 0)), "open-webui-sa");
        assert_eq!(sa(Version::new(12, 1, 0)), "open-webui-sa");
        assert_eq!(sa(Version::new(12, 1, 1)), "open-webui");
    }
}
