//! The Bicep target: `main.bicep` and `main.bicepparam` for the identity's resource group,
//! one module a foreign resource group or subscription for role assignments there, the
//! opt-in namespace through the Kubernetes extension, and a README with the commands that
//! carry the outputs to Helm.
//!
//! The templates in `templates/bicep/` give the layout; the template formatter (`templates`)
//! sends every value through `bicep_fmt` (Bicep files) or shell quoting (README).
//! Identifiers, and expressions built here from identifiers, are the only values marked safe.

use super::{artifact, header, markdown_header, Artifact, EmitError};
use crate::bicep_fmt;
use crate::charts::helm_set_key;
use crate::model::{self, Issuer, Model, Scope, AUDIENCE};
use minijinja::{context, Value};
pub use scope::{ArmScope, KnownType, KNOWN_TYPES};
use std::collections::{BTreeMap, HashSet};
use templates::raw;
pub use templates::{environment, render};

mod scope;
mod templates;

/// A parameter of `main.bicep`, with its value in `main.bicepparam`.
fn param(name: &str, description: &'static str, value: Value) -> Value {
    context! { name => raw(name), type => raw("string"), description, secure => false, value }
}

/// A secure parameter.
fn secure_param(name: &str, description: &'static str, value: Value) -> Value {
    context! { name => raw(name), type => raw("string"), description, secure => true, value }
}

/// Where a module of role assignments is deployed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    /// A resource group: in the deployment's subscription (`None`) or a given one.
    ResourceGroup(Option<String>, String),
    Subscription(String),
}

#[derive(Default)]
struct Module {
    existing: Vec<Value>,
    roles: Vec<Value>,
}

pub fn emit(model: &Model, bicep: &model::Bicep) -> Result<Vec<Artifact>, EmitError> {
    let env = templates::shared();
    let mut used: HashSet<String> = [
        "location",
        "identityName",
        "namespace",
        "serviceAccount",
        "federatedCredentialName",
        "oidcIssuerUrl",
        "kubeConfig",
        "identity",
        "federatedCredential",
        "aksCluster",
        "appNamespace",
        "namespaceModule",
        "principalId",
        "identityId",
    ]
    .iter()
    .map(|s| s.to_ascii_lowercase())
    .collect();
    let dir = &bicep.dir;
    let with_header = |text: String| format!("{}\n{text}", header(model, "//"));

    let mut params = vec![
        param(
            "location",
            "The Azure region of the identity.",
            model.azure.location.as_str().into(),
        ),
        param(
            "identityName",
            "The user-assigned managed identity's name.",
            model.identity.name.as_str().into(),
        ),
        param(
            "federatedCredentialName",
            "The federated identity credential's name.",
            model.identity.federated_credential_name.as_str().into(),
        ),
        param(
            "namespace",
            "The Kubernetes namespace the release runs in.",
            model.namespace.as_str().into(),
        ),
        param(
            "serviceAccount",
            "The service account the pods run as; the credential trusts only it.",
            model.service_account.as_str().into(),
        ),
    ];
    let (issuer, aks) = match &model.issuer {
        Issuer::Url(url) => {
            params.push(param(
                "oidcIssuerUrl",
                "The cluster's OIDC issuer URL, byte for byte as the cluster reports it.",
                url.as_str().into(),
            ));
            (raw("oidcIssuerUrl"), None)
        }
        Issuer::Aks(r) => (
            raw("aksCluster.properties.oidcIssuerProfile.issuerURL"),
            Some(context! {
                symbol => raw("aksCluster"),
                name => &r.name,
                resource_group => &r.resource_group,
            }),
        ),
    };
    let namespace_module = bicep.kubernetes_extension.then(|| {
        let kube_config = match &model.issuer {
            Issuer::Aks(_) => raw("aksCluster.listClusterAdminCredential().kubeconfigs[0].value"),
            Issuer::Url(_) => {
                params.push(secure_param(
                    "kubeConfig",
                    "The cluster's admin kubeconfig, base64-encoded, for the Kubernetes extension.",
                    raw("readEnvironmentVariable('WISP_KUBECONFIG')"),
                ));
                raw("kubeConfig")
            }
        };
        context! {
            kube_config,
            deployment_name => raw("'namespace-${uniqueString(identity.id)}'"),
        }
    });

    let credentials = serialised(vec![context! {
        symbol => raw("federatedCredential"),
        name => raw("federatedCredentialName"),
        issuer,
        subject => raw("'system:serviceaccount:${namespace}:${serviceAccount}'"),
    }]);

    // Role assignments: on accounts in the identity's resource group here, elsewhere in a
    // module deployed at the scope's resource group or subscription.
    let mut local_accounts: BTreeMap<&str, Value> = BTreeMap::new();
    let mut local_roles = Vec::new();
    let mut modules: BTreeMap<Target, Module> = BTreeMap::new();
    let mut module_accounts: BTreeMap<(Target, String), Value> = BTreeMap::new();
    for ra in &model.role_assignments {
        let role_definition_id = raw(format!(
            "subscriptionResourceId('Microsoft.Authorization/roleDefinitions', {})",
            bicep_fmt::string(&ra.role_guid)
        ));
        let comment = raw(match ra.role_name {
            Some(name) => name.to_string(),
            None => format!("Custom role {}", ra.role_guid),
        });
        let symbol = raw(bicep_fmt::identifier("role", &ra.key, &mut used));
        let role = |scope_id: String, scope_symbol: Option<Value>, in_module: bool| {
            context! {
                symbol,
                comment,
                scope_id => raw(scope_id),
                scope_symbol,
                identity_id => raw(if in_module { "identityId" } else { "identity.id" }),
                principal_id => raw(if in_module {
                    "principalId"
                } else {
                    "identity.properties.principalId"
                }),
                role_definition_id,
            }
        };
        match &ra.scope {
            Scope::CognitiveAccount(r)
                if r.resource_group
                    .eq_ignore_ascii_case(&model.azure.resource_group) =>
            {
                let account = local_accounts
                    .entry(&r.name)
                    .or_insert_with(|| raw(bicep_fmt::identifier("account", &r.name, &mut used)))
                    .clone();
                local_roles.push(role(format!("{account}.id"), Some(account), false));
            }
            Scope::CognitiveAccount(r) => {
                let target = Target::ResourceGroup(None, r.resource_group.clone());
                let account = declare(
                    &mut modules,
                    &mut module_accounts,
                    &target,
                    &KNOWN_TYPES[0],
                    &r.name,
                    &mut used,
                );
                let r = role(format!("{account}.id"), Some(account), true);
                modules.entry(target).or_default().roles.push(r);
            }
            Scope::Id(id) => {
                let scope = ArmScope::of(id).map_err(|why| EmitError {
                    target: "bicep",
                    message: format!("the scope `{id}`: {why}"),
                })?;
                let (target, r) = match scope {
                    ArmScope::Subscription { subscription } => (
                        Target::Subscription(subscription.into()),
                        role("subscription().id".into(), None, true),
                    ),
                    ArmScope::ResourceGroup {
                        subscription,
                        resource_group,
                    } => (
                        Target::ResourceGroup(Some(subscription.into()), resource_group.into()),
                        role("resourceGroup().id".into(), None, true),
                    ),
                    ArmScope::Resource {
                        subscription,
                        resource_group,
                        kind,
                        name,
                    } => {
                        let target =
                            Target::ResourceGroup(Some(subscription.into()), resource_group.into());
                        let symbol = declare(
                            &mut modules,
                            &mut module_accounts,
                            &target,
                            kind,
                            name,
                            &mut used,
                        );
                        (target, role(format!("{symbol}.id"), Some(symbol), true))
                    }
                };
                modules.entry(target).or_default().roles.push(r);
            }
        }
    }

    let mut out = Vec::new();
    let mut module_refs = Vec::new();
    for (target, module) in modules {
        let (name, scope, subscription_scope, comment) = match &target {
            Target::ResourceGroup(None, rg) => (
                rg.clone(),
                format!("resourceGroup({})", bicep_fmt::string(rg)),
                false,
                "Role assignments on resources in another resource group.",
            ),
            Target::ResourceGroup(Some(sub), rg) => (
                rg.clone(),
                format!(
                    "resourceGroup({}, {})",
                    bicep_fmt::string(sub),
                    bicep_fmt::string(rg)
                ),
                false,
                "Role assignments in a resource group given by id.",
            ),
            Target::Subscription(sub) => (
                format!("subscription {}", sub.split('-').next().unwrap_or_default()),
                format!("subscription({})", bicep_fmt::string(sub)),
                true,
                "Role assignments on a subscription.",
            ),
        };
        let symbol = bicep_fmt::identifier("roles", &name, &mut used);
        let file = format!("{symbol}.bicep");
        let ctx = context! {
            comment => raw(comment),
            subscription_scope,
            existing => module.existing,
            roles => module.roles,
        };
        out.push(artifact(
            dir,
            &file,
            with_header(render(env, "roles.bicep.j2", &ctx)?),
        ));
        let short: String = symbol.chars().take(40).collect();
        module_refs.push(context! {
            symbol => raw(symbol.as_str()),
            file,
            comment => raw(comment),
            scope => raw(scope),
            deployment_name => raw(format!("'{short}-${{uniqueString(identity.id)}}'")),
        });
    }

    let accounts: Vec<Value> = local_accounts
        .iter()
        .map(|(name, symbol)| context! { symbol, name => *name })
        .collect();
    let has_modules = !module_refs.is_empty();
    let main = context! {
        params,
        aks,
        accounts,
        credentials,
        audience => AUDIENCE,
        roles => local_roles,
        modules => module_refs,
        namespace_module,
    };
    let mut files = vec![
        artifact(
            dir,
            "main.bicep",
            with_header(render(env, "main.bicep.j2", &main)?),
        ),
        artifact(
            dir,
            "main.bicepparam",
            with_header(render(env, "main.bicepparam.j2", &main)?),
        ),
    ];
    if bicep.kubernetes_extension {
        let ctx = context! {};
        files.push(artifact(
            dir,
            "namespace.bicep",
            with_header(render(env, "namespace.bicep.j2", &ctx)?),
        ));
        // The extension is a preview feature, enabled per folder (Bicep skips comments in
        // its configuration file).
        files.push(artifact(
            dir,
            "bicepconfig.json",
            with_header(render(env, "bicepconfig.json.j2", &ctx)?),
        ));
    }
    files.extend(out);
    files.push(artifact(
        dir,
        "README.md",
        format!(
            "{}\n{}",
            markdown_header(model),
            render(env, "README.md.j2", &readme(model, bicep, has_modules))?
        ),
    ));
    Ok(files)
}

/// Declares a resource in a module once, and returns its symbol.
fn declare(
    modules: &mut BTreeMap<Target, Module>,
    declared: &mut BTreeMap<(Target, String), Value>,
    target: &Target,
    kind: &KnownType,
    name: &str,
    used: &mut HashSet<String>,
) -> Value {
    let key = (target.clone(), format!("{}/{name}", kind.type_name));
    if let Some(symbol) = declared.get(&key) {
        return symbol.clone();
    }
    // `storageAccounts` -> `storageAccount`.
    let last = kind.type_name.rsplit('/').next().unwrap_or("resource");
    let last = last.strip_suffix('s').unwrap_or(last);
    let prefix = last[..1].to_ascii_lowercase() + &last[1..];
    let symbol = raw(bicep_fmt::identifier(&prefix, name, used));
    modules
        .entry(target.clone())
        .or_default()
        .existing
        .push(context! {
            symbol => symbol.clone(),
            type => format!("{}@{}", kind.type_name, kind.api_version),
            name,
        });
    declared.insert(key, symbol.clone());
    symbol
}

fn readme(model: &Model, bicep: &model::Bicep, has_modules: bool) -> Value {
    let helm_dir = model.targets.helm.as_ref().map(|h| h.dir.clone());
    let up = "../".repeat(bicep.dir.split('/').filter(|s| !s.is_empty()).count());
    let values_file = format!("{up}{}/values.yaml", helm_dir.as_deref().unwrap_or("helm"));
    let helm_value = |v: &str| v.replace('\\', r"\\").replace(',', r"\,");
    let pinned: Vec<String> = model
        .values
        .pinned
        .iter()
        .map(|(path, value)| format!("{}={}", helm_set_key(path), helm_value(value)))
        .collect();
    context! {
        modules => has_modules,
        kubernetes_extension => bicep.kubernetes_extension,
        kubeconfig_env => bicep.kubernetes_extension && matches!(model.issuer, Issuer::Url(_)),
        resource_group => &model.azure.resource_group,
        subscription => &model.azure.subscription_id,
        helm_dir => helm_dir,
        release => &model.release.name,
        chart => &model.release.chart,
        repository => &model.release.repository,
        version => &model.release.version,
        namespace => &model.namespace,
        atomic => model.release.atomic,
        values_file => values_file,
        pinned => pinned,
        client_id_set => format!("{}=", helm_set_key(&model.values.client_id_key)),
        client_id_path => helm_set_key(&model.values.client_id_key),
        configmap => format!("{}-identity", model.release.name),
    }
}

/// Federated credentials in deployment order, each depending on the one before: Azure
/// answers 409 to concurrent credential writes on one identity.
fn serialised(credentials: Vec<Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(credentials.len());
    for c in credentials {
        let previous = out.last().and_then(|p| p.get_attr("symbol").ok());
        out.push(context! { depends_on => previous, ..c });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_written_one_after_another() {
        let env = environment();
        let credential = |symbol: &str, name: &str| {
            context! {
                symbol => raw(symbol),
                name,
                issuer => raw("oidcIssuerUrl"),
                subject => "system:serviceaccount:ns:sa",
            }
        };
        let creds = serialised(vec![credential("first", "a"), credential("second", "b")]);
        let ctx = context! {
            params => Vec::<Value>::new(), aks => (), accounts => Vec::<Value>::new(),
            credentials => creds, audience => AUDIENCE, roles => Vec::<Value>::new(),
            modules => Vec::<Value>::new(), namespace_module => (),
        };
        let text = render(&env, "main.bicep.j2", &ctx).unwrap();
        let second = &text[text.find("resource second").unwrap()..];
        assert!(
            second.contains("  dependsOn: [\n    first\n  ]\n}"),
            "{text}"
        );
        let first =
            &text[text.find("resource first").unwrap()..text.find("resource second").unwrap()];
        assert!(!first.contains("dependsOn"));
    }
}
