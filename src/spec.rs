//! The spec as written: raw serde types mirroring the YAML, format `wisp/v1`.
//!
//! Doc comments here become the descriptions in `schema/wisp.schema.json`. Nothing in this
//! file is validated beyond its shape; `model::resolve` turns a `Spec` into checked values.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The pattern of a GUID field.
pub const GUID_PATTERN: &str =
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

/// A wisp spec: one Helm release on AKS whose pods reach Azure through Workload Identity.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(title = "wisp spec")]
pub struct Spec {
    /// The spec format version. Always `wisp/v1`.
    pub api_version: ApiVersion,
    /// The Helm release name: a DNS-1123 label of at most 53 characters.
    pub name: String,
    /// Where the Azure side lives.
    pub azure: Azure,
    /// The AKS cluster whose OIDC issuer the federated credential trusts. Exactly one of
    /// `oidcIssuerUrl` or `aks`.
    pub cluster: Cluster,
    /// Where the release runs in the cluster. The federated credential's subject is built
    /// from these two names, the same ones the release is given.
    pub kubernetes: Kubernetes,
    /// The user-assigned managed identity the pods run as.
    pub identity: Identity,
    /// The Helm release.
    pub release: Release,
    /// Optional: the Azure OpenAI connection Open WebUI should use, with Entra ID auth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub openai: Option<OpenAi>,
    /// Optional: which targets to emit and where. Absent means every target in its default
    /// folder; present means exactly the targets listed (`{}` takes a target's defaults).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<Targets>,
    /// Optional: warnings this spec accepts, each with the reason. Errors cannot be allowed,
    /// except `broad-scope` (a role granted on a resource group, subscription or management
    /// group), the one policy error a spec may accept with a reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<Allow>,
}

/// One accepted warning.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Allow {
    /// The diagnostic code (`wisp rule --list`), e.g. `privileged-role`.
    pub code: String,
    /// Why the warning does not apply to this spec.
    pub reason: String,
}

/// The spec format version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum ApiVersion {
    /// Format version 1.
    #[serde(rename = "wisp/v1")]
    V1,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Azure {
    /// The Azure region of the identity, e.g. `westeurope`.
    pub location: String,
    /// The resource group the identity is created in.
    pub resource_group: String,
    /// Optional: the subscription (a GUID). Needed where an ARM id must be written literally.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    /// Optional: the Entra ID tenant (a GUID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
}

/// The cluster's OIDC issuer: given literally, or looked up from the AKS cluster at deploy time.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum Cluster {
    /// The issuer URL exactly as the cluster reports it (`az aks show --query
    /// oidcIssuerProfile.issuerUrl`), trailing `/` included.
    OidcIssuerUrl(String),
    /// An AKS cluster whose issuer is read at deploy time.
    Aks(NamedResource),
}

/// An Azure resource named by its name and resource group.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NamedResource {
    /// The resource's name.
    pub name: String,
    /// The resource group it lives in.
    pub resource_group: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Kubernetes {
    /// The namespace, created by the generated code: a DNS-1123 label.
    pub namespace: String,
    /// The service account the chart renders and the pods run as: a DNS-1123 subdomain.
    pub service_account: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Identity {
    /// The user-assigned managed identity's name (3-128 letters, digits, `-`, `_`).
    pub name: String,
    /// Optional: the federated identity credential's name. Default: `<namespace>-<serviceAccount>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub federated_credential_name: Option<String>,
    /// Optional: the identity's client id (a GUID), once it exists (`az identity show -n NAME
    /// -g RG --query clientId -o tsv` after the first deploy; it does not change while the
    /// identity lives). The Helm values then carry the service account's client-id
    /// annotation, and an Argo CD `Application` can be written; without it, the client id
    /// comes from the Terraform or Bicep outputs, or from the ConfigMap Azure Service Operator
    /// writes. Terraform and Bicep still declare the identity: they manage the same one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = GUID_PATTERN))]
    pub client_id: Option<String>,
    /// Azure roles the identity is granted, one role assignment each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub role_assignments: Vec<RoleAssignment>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RoleAssignment {
    /// A built-in role name (e.g. `Cognitive Services OpenAI User`) or a role definition GUID.
    pub role: String,
    /// What the role is granted on. Exactly one of `cognitiveAccount` or `id`.
    pub scope: Scope,
}

/// The scope of a role assignment.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum Scope {
    /// A Cognitive Services (Azure OpenAI) account, looked up by name at deploy time.
    CognitiveAccount(NamedResource),
    /// A full ARM resource id.
    Id(String),
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Release {
    /// The chart repository URL.
    pub repository: String,
    /// The chart name. Supported: `open-webui`.
    pub chart: String,
    /// The chart version, e.g. `7.2.0`.
    pub version: String,
    /// Roll back a failed install or upgrade (implies waiting for it). Default: true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub atomic: Option<bool>,
    /// The application image.
    pub image: Image,
    /// Extra chart values, merged under the ones wisp owns. Setting a value wisp owns to
    /// something else is an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Map<String, Value>>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Image {
    /// The image tag: a release version such as `v0.6.33`.
    pub tag: String,
    /// Optional: the image repository, when not the chart's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OpenAi {
    /// The Azure OpenAI account endpoint, e.g. `https://oai-prod.openai.azure.com`. The
    /// account needs a custom subdomain for Entra ID auth.
    pub endpoint: String,
    /// The Azure OpenAI API version, e.g. `2024-10-21`.
    pub api_version: String,
    /// The model deployment names Open WebUI offers.
    #[schemars(length(min = 1))]
    pub deployments: Vec<String>,
}

/// The targets to emit. Each key present turns that target on.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Targets {
    /// A Terraform module (`versions.tf`, `main.tf`, `outputs.tf`, chart values).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terraform: Option<TerraformTarget>,
    /// Helm values and the `helm upgrade --install` command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub helm: Option<HelmTarget>,
    /// Kubernetes YAML for GitOps (Azure Service Operator, Flux or Argo CD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes: Option<KubernetesTarget>,
    /// Bicep for the Azure side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bicep: Option<BicepTarget>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TerraformTarget {
    /// The output folder, relative to `--out` or to the spec's folder. Default: `terraform`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dir: Option<String>,
    /// Provider version constraints, written into `required_providers` as given. They also
    /// choose the syntax wisp writes. Defaults: the current majors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub providers: Option<Providers>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Providers {
    /// hashicorp/azurerm constraint. Default: `~> 4.65`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azurerm: Option<String>,
    /// hashicorp/helm constraint. Default: `~> 3.0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub helm: Option<String>,
    /// hashicorp/kubernetes constraint. Default: `~> 3.0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HelmTarget {
    /// The output folder. Default: `helm`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dir: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KubernetesTarget {
    /// The output folder. Default: `kubernetes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dir: Option<String>,
    /// The GitOps tool that deploys the release. Default: `flux`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gitops: Option<GitOps>,
}

/// A GitOps tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum GitOps {
    /// Flux `HelmRepository` + `HelmRelease`.
    Flux,
    /// Argo CD `Application`.
    Argocd,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BicepTarget {
    /// The output folder. Default: `bicep`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dir: Option<String>,
    /// Opt in to the namespace through the Bicep Kubernetes extension (preview). Default: false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes_extension: Option<bool>,
}
