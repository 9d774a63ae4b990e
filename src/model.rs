//! The resolved model: everything every emitter needs, checked and derived once.
//!
//! [`resolve`] is the only way from a [`Spec`] to a [`Model`]. Emitters read the model and
//! nothing else, so the federated credential's subject, the role GUIDs and the chart values
//! are the same in every target by construction.

use crate::arm::ArmId;
use crate::charts::{self, ChartInputs, ChartValues};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::providers::{self, AzurermForm, Choice, HelmForm, KubernetesForm};
use crate::roles;
use crate::rules;
use crate::source::{Source, Span};
use crate::spec::{self, GitOps, Spec};
use crate::suggest;
use crate::version::Version;
use crate::yaml::Node;

/// The audience every Workload Identity federated credential uses.
pub const AUDIENCE: &str = "api://AzureADTokenExchange";

#[derive(Debug, Clone)]
pub struct Model {
    /// The spec's file name, for headers of generated files.
    pub spec_file: String,
    pub azure: Azure,
    pub issuer: Issuer,
    pub namespace: String,
    pub service_account: String,
    /// `system:serviceaccount:<namespace>:<serviceAccount>`.
    pub subject: String,
    pub identity: Identity,
    pub role_assignments: Vec<RoleAssignment>,
    pub release: Release,
    pub values: ChartValues,
    pub openai: Option<OpenAi>,
    pub targets: Targets,
}

#[derive(Debug, Clone)]
pub struct Azure {
    pub location: String,
    pub resource_group: String,
    pub subscription_id: Option<String>,
    pub tenant_id: Option<String>,
}

/// Where the cluster's OIDC issuer URL comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issuer {
    /// Written literally, byte for byte as the cluster reports it.
    Url(String),
    /// Read from the AKS cluster at deploy time.
    Aks(AzureRef),
}

/// An Azure resource by name and resource group.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AzureRef {
    pub name: String,
    pub resource_group: String,
}

#[derive(Debug, Clone)]
pub struct Identity {
    pub name: String,
    pub federated_credential_name: String,
    /// The client id of an identity that already exists (lower case), when the spec gives it.
    pub client_id: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RoleAssignment {
    /// The built-in role's display name, when it is one.
    pub role_name: Option<&'static str>,
    /// The role definition GUID (lower case).
    pub role_guid: String,
    pub scope: Scope,
    /// A short identifier unique among the spec's assignments (`cognitive_services_openai_user`).
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    CognitiveAccount(AzureRef),
    /// A scope given by id; targets print it as [`ArmId`] displays it (keywords in ARM's
    /// case, names as written).
    Id(ArmId),
}

#[derive(Debug, Clone)]
pub struct Release {
    pub name: String,
    pub repository: String,
    pub chart: String,
    pub version: String,
    pub atomic: bool,
    pub image_tag: String,
    pub image_version: Version,
}

#[derive(Debug, Clone)]
pub struct OpenAi {
    pub endpoint: String,
    pub api_version: String,
    pub deployments: Vec<String>,
    /// Where the `openai` section stands in the spec.
    pub span: Span,
}

/// The enabled targets and their settings. `None` is a target that is off.
#[derive(Debug, Clone, Default)]
pub struct Targets {
    pub terraform: Option<Terraform>,
    pub helm: Option<Dir>,
    pub kubernetes: Option<Kubernetes>,
    pub bicep: Option<Bicep>,
}

#[derive(Debug, Clone)]
pub struct Dir {
    /// The folder, relative to the output root.
    pub dir: String,
}

#[derive(Debug, Clone)]
pub struct Terraform {
    pub dir: String,
    pub azurerm: Choice<AzurermForm>,
    pub helm: Choice<HelmForm>,
    pub kubernetes: Choice<KubernetesForm>,
}

#[derive(Debug, Clone)]
pub struct Kubernetes {
    pub dir: String,
    pub gitops: GitOps,
}

#[derive(Debug, Clone)]
pub struct Bicep {
    pub dir: String,
    pub kubernetes_extension: bool,
}

/// Finds spans for spec paths.
struct Locator<'a> {
    tree: &'a Node,
}

impl Locator<'_> {
    fn value(&self, pointer: &str) -> Option<Span> {
        self.tree.pointer(pointer).map(|n| n.span)
    }
}

/// Turns a spec into the model, or reports every problem found. Warnings come back in
/// both cases.
pub fn resolve(source: &Source, tree: &Node, spec: &Spec) -> (Option<Model>, Diagnostics) {
    let at = Locator { tree };
    let mut diags: Diagnostics = Vec::new();

    let issuer = match &spec.cluster {
        spec::Cluster::OidcIssuerUrl(url) => Issuer::Url(url.clone()),
        spec::Cluster::Aks(r) => Issuer::Aks(azure_ref(r)),
    };
    let namespace = spec.kubernetes.namespace.clone();
    let service_account = spec.kubernetes.service_account.clone();
    let subject = format!("system:serviceaccount:{namespace}:{service_account}");
    let federated_credential_name = spec
        .identity
        .federated_credential_name
        .clone()
        .unwrap_or_else(|| default_credential_name(&namespace, &service_account));

    let role_assignments = resolve_roles(spec, &at, &mut diags);

    // The release and its chart.
    let release_spec = &spec.release;
    let chart = charts::find(&release_spec.chart);
    if chart.is_none() {
        let names: Vec<&str> = charts::CHARTS.iter().map(|c| c.name).collect();
        diags.push(
            Diagnostic::error(
                &rules::UNSUPPORTED_CHART,
                format!("wisp does not know the chart `{}`", release_spec.chart),
            )
            .at_opt(at.value("/release/chart"))
            .help(format!(
                "supported charts: {}; where a chart keeps its service account and pod labels is chart knowledge wisp must have",
                names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            )),
        );
    }
    let chart_version = Version::parse_full(&release_spec.version)
        .filter(|_| !release_spec.version.starts_with('v'));
    if chart_version.is_none() {
        diags.push(
            Diagnostic::error(
                &rules::INVALID_VERSION,
                format!(
                    "the chart version `{}` is not a `X.Y.Z` version",
                    release_spec.version
                ),
            )
            .at_opt(at.value("/release/version"))
            .help("pin the chart to a released version, e.g. `7.2.0`"),
        );
    }
    let image_version = Version::parse_full(&release_spec.image.tag);
    if image_version.is_none() {
        diags.push(
            Diagnostic::error(
                &rules::INVALID_VERSION,
                format!("the image tag `{}` is not a release version", release_spec.image.tag),
            )
            .at_opt(at.value("/release/image/tag"))
            .help("pin the image to a release tag such as `v0.6.33`; wisp configures Open WebUI by version"),
        );
    }
    if let (Some(chart), Some(v)) = (chart, chart_version) {
        if v < chart.min_version {
            diags.push(
                Diagnostic::error(
                    &rules::UNSUPPORTED_CHART,
                    format!(
                        "wisp knows the `{}` chart from version {}, not {v}",
                        chart.name, chart.min_version
                    ),
                )
                .at_opt(at.value("/release/version"))
                .help(format!("use chart version {} or later", chart.min_version)),
            );
        }
    }

    let openai = spec.openai.as_ref().map(|o| OpenAi {
        endpoint: o.endpoint.trim_end_matches('/').to_string(),
        api_version: o.api_version.clone(),
        deployments: o.deployments.clone(),
        span: tree
            .pointer_with_key("/openai")
            .and_then(|(k, _)| k.map(|k| k.span))
            .unwrap_or_default(),
    });

    let mut values = None;
    if let (Some(chart), Some(chart_version), Some(image_version)) =
        (chart, chart_version, image_version)
    {
        let values_node = tree.pointer("/release/values");
        let inputs = ChartInputs {
            chart_version,
            image_version,
            image_tag: &release_spec.image.tag,
            image_repository: release_spec.image.repository.as_deref(),
            service_account: &service_account,
            openai: openai.as_ref(),
            user_values: release_spec.values.as_ref().zip(values_node),
        };
        values = (chart.values)(&inputs, &mut diags);
    }

    let targets = resolve_targets(spec, &at, &mut diags);

    // Inputs targets cannot do without.
    if let Some(k) = &targets.kubernetes {
        if !matches!(issuer, Issuer::Url(_)) {
            diags.push(
                Diagnostic::error(
                    &rules::TARGET_INPUT,
                    "the kubernetes target needs a literal `cluster.oidcIssuerUrl`: GitOps YAML cannot look the AKS cluster up",
                )
                .at_opt(tree.pointer_with_key("/cluster/aks").and_then(|(k, _)| k.map(|k| k.span)))
                .help(format!("write the issuer (`az aks show -n NAME -g RG --query oidcIssuerProfile.issuerUrl -o tsv`) as `cluster.oidcIssuerUrl`, or turn off the kubernetes target (folder `{}`)", k.dir)),
            );
        }
        if spec.azure.subscription_id.is_none() {
            diags.push(
                Diagnostic::error(
                    &rules::TARGET_INPUT,
                    "the kubernetes target needs `azure.subscriptionId` to write ARM ids",
                )
                .at_opt(tree.pointer_with_key("/azure").and_then(|(k, _)| k.map(|k| k.span)))
                .help("add `subscriptionId: <guid>` under `azure` (`az account show --query id -o tsv`)"),
            );
        }
        if k.gitops == GitOps::Argocd && spec.identity.client_id.is_none() {
            diags.push(
                Diagnostic::error(
                    &rules::TARGET_INPUT,
                    "the kubernetes target with `gitops: argocd` needs `identity.clientId`: an Argo CD `Application` cannot read the client id from the ConfigMap Azure Service Operator writes",
                )
                .at_opt(at.value("/targets/kubernetes/gitops"))
                .help("add `clientId: <guid>` under `identity` (`az identity show -n NAME -g RG --query clientId -o tsv`), or use `gitops: flux`, which reads it from the ConfigMap"),
            );
        }
    }

    if targets.bicep.is_some() {
        let cx = crate::checks::Context { source, tree, spec };
        crate::checks::bicep::check(&cx, &mut diags);
    }
    // Last: it also applies the spec's `allow` list to everything reported so far.
    crate::checks::run(source, tree, spec, &mut diags);

    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    let model = Model {
        spec_file: source.file_name(),
        azure: Azure {
            location: spec.azure.location.clone(),
            resource_group: spec.azure.resource_group.clone(),
            subscription_id: spec.azure.subscription_id.clone(),
            tenant_id: spec.azure.tenant_id.clone(),
        },
        issuer,
        namespace,
        service_account,
        subject,
        identity: Identity {
            name: spec.identity.name.clone(),
            federated_credential_name,
            client_id: spec
                .identity
                .client_id
                .as_ref()
                .map(|id| id.to_ascii_lowercase()),
        },
        role_assignments,
        release: Release {
            name: spec.name.clone(),
            repository: release_spec.repository.clone(),
            chart: release_spec.chart.clone(),
            version: release_spec.version.clone(),
            atomic: release_spec.atomic.unwrap_or(true),
            image_tag: release_spec.image.tag.clone(),
            image_version: image_version.expect("checked above"),
        },
        values: values.expect("checked above"),
        openai,
        targets,
    };
    (Some(model), diags)
}

fn azure_ref(r: &spec::NamedResource) -> AzureRef {
    AzureRef {
        name: r.name.clone(),
        resource_group: r.resource_group.clone(),
    }
}

/// `<namespace>-<serviceAccount>`, made to fit the credential name rule
/// (`[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}`).
fn default_credential_name(namespace: &str, service_account: &str) -> String {
    let mut name: String = format!("{namespace}-{service_account}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(120)
        .collect();
    while name.len() < 3 {
        name.push('-');
    }
    name
}

fn resolve_roles(spec: &Spec, at: &Locator, diags: &mut Diagnostics) -> Vec<RoleAssignment> {
    let mut out: Vec<RoleAssignment> = Vec::new();
    for (i, ra) in spec.identity.role_assignments.iter().enumerate() {
        let role_ptr = format!("/identity/roleAssignments/{i}/role");
        let (role_name, role_guid) = if roles::is_guid(ra.role.trim()) {
            let guid = ra.role.trim().to_ascii_lowercase();
            (roles::by_guid(&guid).map(|r| r.name), guid)
        } else if let Some(r) = roles::by_name(&ra.role) {
            (Some(r.name), r.guid.to_string())
        } else {
            let mut d = Diagnostic::error(
                &rules::UNKNOWN_ROLE,
                format!("`{}` is not a built-in role wisp knows", ra.role),
            )
            .at_opt(at.value(&role_ptr));
            d = match suggest::closest(&ra.role, roles::BUILTIN_ROLES.iter().map(|r| r.name)) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help("give a custom role by its definition GUID"),
            };
            diags.push(d);
            continue;
        };
        let scope = match &ra.scope {
            spec::Scope::CognitiveAccount(r) => Scope::CognitiveAccount(azure_ref(r)),
            spec::Scope::Id(id) => match ArmId::parse(id) {
                Ok(id) => Scope::Id(id),
                // Reported as `invalid-scope` by `checks`.
                Err(_) => continue,
            },
        };
        let base = slug(role_name.unwrap_or(&role_guid));
        let mut key = base.clone();
        let mut n = 2;
        while out.iter().any(|o| o.key == key) {
            key = format!("{base}_{n}");
            n += 1;
        }
        out.push(RoleAssignment {
            role_name,
            role_guid,
            scope,
            key,
        });
    }
    out
}

/// A lower-case identifier made of letters, digits and `_`, starting with a letter.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    match out.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => out,
        _ => format!("r_{out}"),
    }
}

fn resolve_targets(spec: &Spec, at: &Locator, diags: &mut Diagnostics) -> Targets {
    let all = spec::Targets {
        terraform: Some(Default::default()),
        helm: Some(Default::default()),
        kubernetes: Some(Default::default()),
        bicep: Some(Default::default()),
    };
    let t = spec.targets.as_ref().unwrap_or(&all);
    let mut targets = Targets::default();
    if let Some(tf) = &t.terraform {
        let p = tf.providers.clone().unwrap_or_default();
        let pick = |name: &str, given: Option<&String>, default: &str| {
            let text = given.map_or(default, String::as_str).to_string();
            (text, format!("/targets/terraform/providers/{name}"))
        };
        let (az, az_ptr) = pick("azurerm", p.azurerm.as_ref(), providers::DEFAULT_AZURERM);
        let (he, he_ptr) = pick("helm", p.helm.as_ref(), providers::DEFAULT_HELM);
        let (ku, ku_ptr) = pick(
            "kubernetes",
            p.kubernetes.as_ref(),
            providers::DEFAULT_KUBERNETES,
        );
        let mut report = |e: providers::ConstraintError, ptr: &str| {
            diags.push(
                Diagnostic::error(&rules::PROVIDER_CONSTRAINT, e.message)
                    .at_opt(at.value(ptr))
                    .help(e.help),
            );
        };
        let azurerm = providers::azurerm(&az).map_err(|e| report(e, &az_ptr)).ok();
        let helm = providers::helm(&he).map_err(|e| report(e, &he_ptr)).ok();
        let kubernetes = providers::kubernetes(&ku)
            .map_err(|e| report(e, &ku_ptr))
            .ok();
        if let (Some(azurerm), Some(helm), Some(kubernetes)) = (azurerm, helm, kubernetes) {
            targets.terraform = Some(Terraform {
                dir: tf.dir.clone().unwrap_or_else(|| "terraform".into()),
                azurerm,
                helm,
                kubernetes,
            });
        }
    }
    if let Some(h) = &t.helm {
        targets.helm = Some(Dir {
            dir: h.dir.clone().unwrap_or_else(|| "helm".into()),
        });
    }
    if let Some(k) = &t.kubernetes {
        targets.kubernetes = Some(Kubernetes {
            dir: k.dir.clone().unwrap_or_else(|| "kubernetes".into()),
            gitops: k.gitops.unwrap_or(GitOps::Flux),
        });
    }
    if let Some(b) = &t.bicep {
        targets.bicep = Some(Bicep {
            dir: b.dir.clone().unwrap_or_else(|| "bicep".into()),
            kubernetes_extension: b.kubernetes_extension.unwrap_or(false),
        });
    }
    targets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_identifiers() {
        assert_eq!(
            slug("Cognitive Services OpenAI User"),
            "cognitive_services_openai_user"
        );
        assert_eq!(slug("5e0bd9bd-7b93"), "r_5e0bd9bd_7b93");
    }

    #[test]
    fn default_credential_names_fit_the_rule() {
        assert_eq!(default_credential_name("ns", "my.sa"), "ns-my-sa");
    }
}
