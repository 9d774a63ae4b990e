//! The Kubernetes target: every resource as a Kubernetes object for a GitOps repository.
//! The namespace; the identity, its federated credential and role assignments as Azure
//! Service Operator v2 resources; the release as Flux `HelmRepository` + `HelmRelease` or as
//! an Argo CD `Application`; and a `kustomization.yaml` listing them all.

use super::readme::{code, code_block, openai_ui_steps};
use super::{artifact, header, markdown_header, Artifact, EmitError};
use crate::charts::helm_set_key;
use crate::model::{self, Issuer, Model, Scope, AUDIENCE};
use crate::spec::GitOps;
use crate::yaml_out;
use serde_json::{json, Value};
use std::fmt::Write as _;

const ASO_IDENTITY: &str = "managedidentity.azure.com/v1api20230131";
const ASO_AUTHORIZATION: &str = "authorization.azure.com/v1api20220401";
const CLIENT_ID_KEY: &str = "clientId";
const PRINCIPAL_ID_KEY: &str = "principalId";

pub fn emit(model: &Model, target: &model::Kubernetes) -> Result<Vec<Artifact>, EmitError> {
    let fail = |message: String| EmitError {
        target: "kubernetes",
        message,
    };
    let Issuer::Url(issuer) = &model.issuer else {
        return Err(fail("the model has no literal issuer URL".into()));
    };
    let Some(subscription) = &model.azure.subscription_id else {
        return Err(fail("the model has no subscription id".into()));
    };
    let names = Names::new(model);

    let mut files: Vec<(&str, Vec<Value>)> = vec![
        ("namespace.yaml", vec![namespace(model)]),
        ("identity.yaml", vec![identity(model, &names, subscription)]),
        (
            "federated-credential.yaml",
            vec![federated_credential(model, &names, issuer)],
        ),
    ];
    if !model.role_assignments.is_empty() {
        let docs = model
            .role_assignments
            .iter()
            .map(|ra| role_assignment(model, &names, ra, subscription))
            .collect();
        files.push(("role-assignments.yaml", docs));
    }
    match target.gitops {
        GitOps::Flux => {
            files.push(("helm-repository.yaml", vec![helm_repository(model)]));
            files.push(("helm-release.yaml", vec![helm_release(model, &names)]));
        }
        GitOps::Argocd => {
            let Some(client_id) = &model.identity.client_id else {
                return Err(fail("Argo CD needs the client id in the model".into()));
            };
            files.push(("application.yaml", vec![application(model, client_id)]));
        }
    }
    let listed: Vec<&str> = files.iter().map(|(f, _)| *f).collect();
    let kustomization = json!({
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": listed,
    });
    files.push(("kustomization.yaml", vec![kustomization]));

    let mut out = Vec::new();
    for (file, docs) in files {
        let mut text = header(model, "#");
        for doc in &docs {
            text.push_str("---\n");
            text.push_str(&yaml_out::to_string(doc).map_err(|e| fail(e.to_string()))?);
        }
        out.push(artifact(&target.dir, file, text));
    }
    out.push(artifact(&target.dir, "README.md", readme(model, target)));
    Ok(out)
}

/// Kubernetes object names, derived once.
struct Names {
    /// The `UserAssignedIdentity`, and the ConfigMap ASO writes its ids into.
    identity: String,
    credential: String,
    release: String,
}

impl Names {
    fn new(model: &Model) -> Self {
        Names {
            identity: object_name(&model.identity.name),
            credential: object_name(&model.identity.federated_credential_name),
            release: object_name(&model.release.name),
        }
    }
}

/// An Azure name as a Kubernetes object name (a DNS-1123 subdomain): lower case, with
/// anything but letters, digits, `-` and `.` turned into `-`.
fn object_name(name: &str) -> String {
    let mapped: String = name
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '-' | '.' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '-',
        })
        .collect();
    let trimmed = mapped.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    let mut out: String = trimmed.chars().take(253).collect();
    while out.ends_with(|c: char| !c.is_ascii_alphanumeric()) {
        out.pop();
    }
    if out.is_empty() {
        "wisp".into()
    } else {
        out
    }
}

fn metadata(name: &str, namespace: &str) -> Value {
    json!({ "name": name, "namespace": namespace })
}

fn namespace(model: &Model) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": { "name": model.namespace },
    })
}

fn identity(model: &Model, names: &Names, subscription: &str) -> Value {
    let config = |key: &str| json!({ "name": names.identity, "key": key });
    json!({
        "apiVersion": ASO_IDENTITY,
        "kind": "UserAssignedIdentity",
        "metadata": metadata(&names.identity, &model.namespace),
        "spec": {
            "azureName": model.identity.name,
            "location": model.azure.location,
            "owner": {
                "armId": format!("/subscriptions/{subscription}/resourceGroups/{}", model.azure.resource_group),
            },
            "operatorSpec": {
                "configMaps": {
                    "clientId": config(CLIENT_ID_KEY),
                    "principalId": config(PRINCIPAL_ID_KEY),
                },
            },
        },
    })
}

fn federated_credential(model: &Model, names: &Names, issuer: &str) -> Value {
    json!({
        "apiVersion": ASO_IDENTITY,
        "kind": "FederatedIdentityCredential",
        "metadata": metadata(&names.credential, &model.namespace),
        "spec": {
            "azureName": model.identity.federated_credential_name,
            "owner": { "name": names.identity },
            "audiences": [AUDIENCE],
            "issuer": issuer,
            "subject": model.subject,
        },
    })
}

fn role_assignment(
    model: &Model,
    names: &Names,
    ra: &model::RoleAssignment,
    subscription: &str,
) -> Value {
    let scope = match &ra.scope {
        Scope::Id(id) => id.to_string(),
        Scope::CognitiveAccount(r) => format!(
            "/subscriptions/{subscription}/resourceGroups/{}/providers/Microsoft.CognitiveServices/accounts/{}",
            r.resource_group, r.name
        ),
    };
    let name = object_name(&format!("{}-{}", names.identity, ra.key.replace('_', "-")));
    json!({
        "apiVersion": ASO_AUTHORIZATION,
        "kind": "RoleAssignment",
        "metadata": metadata(&name, &model.namespace),
        "spec": {
            "owner": { "armId": scope },
            "principalIdFromConfig": { "name": names.identity, "key": PRINCIPAL_ID_KEY },
            "principalType": "ServicePrincipal",
            "roleDefinitionReference": {
                "armId": format!(
                    "/subscriptions/{subscription}/providers/Microsoft.Authorization/roleDefinitions/{}",
                    ra.role_guid
                ),
            },
        },
    })
}

fn helm_repository(model: &Model) -> Value {
    json!({
        "apiVersion": "source.toolkit.fluxcd.io/v1",
        "kind": "HelmRepository",
        "metadata": metadata(&object_name(&model.release.name), &model.namespace),
        "spec": { "url": model.release.repository, "interval": "1h" },
    })
}

fn helm_release(model: &Model, names: &Names) -> Value {
    let r = &model.release;
    let mut spec = json!({
        "interval": "10m",
        "releaseName": r.name,
        "chart": {
            "spec": {
                "chart": r.chart,
                "version": r.version,
                "sourceRef": { "kind": "HelmRepository", "name": names.release },
            },
        },
    });
    if r.atomic {
        // Helm's --atomic: retry, and roll back a failed upgrade.
        spec["install"] = json!({ "remediation": { "retries": 3 } });
        spec["upgrade"] = json!({ "remediation": { "retries": 3, "remediateLastFailure": true } });
    }
    spec["valuesFrom"] = json!([{
        "kind": "ConfigMap",
        "name": names.identity,
        "valuesKey": CLIENT_ID_KEY,
        "targetPath": helm_set_key(&model.values.client_id_key),
    }]);
    spec["values"] = Value::Object(model.values.full(None));
    json!({
        "apiVersion": "helm.toolkit.fluxcd.io/v2",
        "kind": "HelmRelease",
        "metadata": metadata(&names.release, &model.namespace),
        "spec": spec,
    })
}

fn application(model: &Model, client_id: &str) -> Value {
    let r = &model.release;
    json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": metadata(&object_name(&r.name), "argocd"),
        "spec": {
            "project": "default",
            "source": {
                "repoURL": r.repository,
                "chart": r.chart,
                "targetRevision": r.version,
                "helm": {
                    "releaseName": r.name,
                    "valuesObject": model.values.full(Some(client_id)),
                },
            },
            "destination": {
                "server": "https://kubernetes.default.svc",
                "namespace": model.namespace,
            },
            "syncPolicy": {
                "automated": { "prune": true, "selfHeal": true },
                "retry": { "limit": 5 },
            },
        },
    })
}

fn readme(model: &Model, target: &model::Kubernetes) -> String {
    let mut out = markdown_header(model);
    let _ = writeln!(
        out,
        "\n# Kubernetes resources for {}\n",
        code(&model.release.name)
    );
    let (tool, release_files) = match target.gitops {
        GitOps::Flux => (
            "Flux (source and helm controllers)",
            "`helm-repository.yaml` and `helm-release.yaml` (Flux)",
        ),
        GitOps::Argocd => ("Argo CD", "`application.yaml` (an Argo CD `Application`)"),
    };
    let _ = writeln!(
        out,
        "Every resource of the deployment as a Kubernetes object: `namespace.yaml`; the \
         identity {}, its federated credential for {} and its role assignments as Azure \
         Service Operator v2 resources; the release as {release_files}. \
         `kustomization.yaml` lists them all.\n",
        code(&model.identity.name),
        code(&model.subject),
    );
    let _ = writeln!(out, "## Before the first sync\n");
    let _ = writeln!(
        out,
        "- Azure Service Operator v2 runs in the cluster (CRD groups `managedidentity` and \
         `authorization`), with a credential allowed to create identities in resource group \
         {} and to assign roles on each role assignment's scope.",
        code(&model.azure.resource_group)
    );
    let _ = writeln!(out, "- {tool} runs in the cluster.");
    match target.gitops {
        GitOps::Flux => {
            let _ = writeln!(
                out,
                "\nThe `HelmRelease` reads the identity's client id from the ConfigMap {} that \
                 Azure Service Operator writes, so no client id is needed here; until the \
                 identity exists, Flux retries.",
                code(&object_name(&model.identity.name))
            );
        }
        GitOps::Argocd => {
            let _ = writeln!(
                out,
                "\nThe `Application` carries the client id from the spec (`identity.clientId`); \
                 Argo CD cannot read it from the ConfigMap Azure Service Operator writes. The \
                 `Application` lives in the `argocd` namespace."
            );
        }
    }
    let _ = writeln!(out, "\n## Apply\n");
    let _ = writeln!(
        out,
        "Commit this folder to the GitOps repository and point a Flux `Kustomization` or an \
         Argo CD `Application` at it, or apply it directly:\n"
    );
    out.push_str(&code_block(
        "sh",
        &format!(
            "kubectl kustomize {0}        # preview\nkubectl apply -k {0}",
            super::readme::shell_word(&target.dir)
        ),
    ));
    let steps = openai_ui_steps(model);
    if !steps.is_empty() {
        out.push('\n');
        out.push_str(&steps);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::object_name;

    #[test]
    fn object_names_are_dns_subdomains() {
        assert_eq!(object_name("id-open-webui"), "id-open-webui");
        assert_eq!(object_name("Id_Open_WebUI"), "id-open-webui");
        assert_eq!(object_name("_x_"), "x");
        assert_eq!(object_name("__"), "wisp");
    }
}
