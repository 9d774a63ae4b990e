//! The Terraform target: a module with `versions.tf`, `main.tf`, `outputs.tf` and the chart
//! values file the release reads. No provider blocks: the module is used from the team's own
//! root module.

use super::{artifact, header, Artifact, EmitError};
use crate::charts::helm_set_key;
use crate::hcl_fmt;
use crate::model::{self, Issuer, Model, Scope, AUDIENCE};
use crate::providers::{AzurermForm, HelmForm, KubernetesForm};
use crate::yaml_out;
use hcl::expr::{Expression, FuncCall, Object, ObjectKey, TemplateExpr, Traversal, Variable};
use hcl::{Block, Body, Identifier};
use std::collections::BTreeSet;

const VALUES_FILE: &str = "values.yaml";

pub fn emit(model: &Model, tf: &model::Terraform) -> Result<Vec<Artifact>, EmitError> {
    let fail = |e: &dyn std::fmt::Display| EmitError {
        target: "terraform",
        message: e.to_string(),
    };
    let print = |body: Body| -> Result<String, EmitError> {
        let text = hcl_fmt::format(&body).map_err(|e| fail(&e))?;
        Ok(format!("{}\n{text}", header(model, "#")))
    };
    let values = yaml_out::to_string(&model.values.base).map_err(|e| fail(&e))?;
    Ok(vec![
        artifact(&tf.dir, "versions.tf", print(versions(tf))?),
        artifact(&tf.dir, "main.tf", print(main(model, tf))?),
        artifact(&tf.dir, "outputs.tf", print(outputs())?),
        artifact(
            &tf.dir,
            VALUES_FILE,
            format!("{}\n{values}", header(model, "#")),
        ),
    ])
}

fn versions(tf: &model::Terraform) -> Body {
    let provider = |source: &str, version: &str| {
        Expression::Object(Object::from([
            (key("source"), Expression::from(source)),
            (key("version"), Expression::from(version)),
        ]))
    };
    let providers = Block::builder("required_providers")
        .add_attribute((
            "azurerm",
            provider("hashicorp/azurerm", &tf.azurerm.constraint),
        ))
        .add_attribute(("helm", provider("hashicorp/helm", &tf.helm.constraint)))
        .add_attribute((
            "kubernetes",
            provider("hashicorp/kubernetes", &tf.kubernetes.constraint),
        ))
        .build();
    Body::builder()
        .add_block(
            Block::builder("terraform")
                .add_attribute(("required_version", ">= 1.0"))
                .add_block(providers)
                .build(),
        )
        .build()
}

fn main(model: &Model, tf: &model::Terraform) -> Body {
    let mut body = Body::builder();

    // Lookups at deploy time.
    if let Issuer::Aks(aks) = &model.issuer {
        body = body.add_block(
            Block::builder("data")
                .add_label("azurerm_kubernetes_cluster")
                .add_label("this")
                .add_attribute(("name", aks.name.as_str()))
                .add_attribute(("resource_group_name", aks.resource_group.as_str()))
                .build(),
        );
    }
    let accounts: BTreeSet<&model::AzureRef> = model
        .role_assignments
        .iter()
        .filter_map(|ra| match &ra.scope {
            Scope::CognitiveAccount(r) => Some(r),
            Scope::Id(_) => None,
        })
        .collect();
    for account in &accounts {
        body = body.add_block(
            Block::builder("data")
                .add_label("azurerm_cognitive_account")
                .add_label(account_label(account, &accounts))
                .add_attribute(("name", account.name.as_str()))
                .add_attribute(("resource_group_name", account.resource_group.as_str()))
                .build(),
        );
    }
    let custom_roles = model
        .role_assignments
        .iter()
        .any(|ra| ra.role_name.is_none());
    if custom_roles && model.azure.subscription_id.is_none() {
        body = body.add_block(
            Block::builder("data")
                .add_label("azurerm_subscription")
                .add_label("current")
                .build(),
        );
    }

    // The namespace.
    let ns_type = match tf.kubernetes.form {
        KubernetesForm::NamespaceV1 => "kubernetes_namespace_v1",
        KubernetesForm::Namespace => "kubernetes_namespace",
    };
    body = body.add_block(
        Block::builder("resource")
            .add_label(ns_type)
            .add_label("this")
            .add_block(
                Block::builder("metadata")
                    .add_attribute(("name", model.namespace.as_str()))
                    .build(),
            )
            .build(),
    );
    let namespace_name = || {
        Traversal::builder(Variable::unchecked(ns_type))
            .attr("this")
            .attr("metadata")
            .index(0u64)
            .attr("name")
            .build()
    };

    // The identity.
    body = body.add_block(
        Block::builder("resource")
            .add_label("azurerm_user_assigned_identity")
            .add_label("this")
            .add_attribute(("name", model.identity.name.as_str()))
            .add_attribute(("resource_group_name", model.azure.resource_group.as_str()))
            .add_attribute(("location", model.azure.location.as_str()))
            .build(),
    );

    // The federated credential: the identity, the cluster's issuer, the service account.
    let mut fic = Block::builder("resource")
        .add_label("azurerm_federated_identity_credential")
        .add_label("this")
        .add_attribute(("name", model.identity.federated_credential_name.as_str()));
    fic = match tf.azurerm.form {
        AzurermForm::UserAssignedIdentityId => {
            fic.add_attribute(("user_assigned_identity_id", identity_attr("id")))
        }
        AzurermForm::ParentId => fic.add_attribute(("parent_id", identity_attr("id"))),
        AzurermForm::ParentIdAndResourceGroup => fic
            .add_attribute(("parent_id", identity_attr("id")))
            .add_attribute(("resource_group_name", model.azure.resource_group.as_str())),
    };
    let issuer = match &model.issuer {
        Issuer::Url(url) => Expression::from(url.as_str()),
        Issuer::Aks(_) => traversal(
            "data",
            &["azurerm_kubernetes_cluster", "this", "oidc_issuer_url"],
        ),
    };
    let subject = template(&[
        Part::Literal("system:serviceaccount:"),
        Part::Expr(namespace_name().into()),
        Part::Literal(&format!(":{}", model.service_account)),
    ]);
    body = body.add_block(
        fic.add_attribute(("audience", Expression::Array(vec![AUDIENCE.into()])))
            .add_attribute(("issuer", issuer))
            .add_attribute(("subject", subject))
            .build(),
    );

    // Role assignments.
    for ra in &model.role_assignments {
        let scope = match &ra.scope {
            Scope::CognitiveAccount(r) => traversal(
                "data",
                &[
                    "azurerm_cognitive_account",
                    &account_label(r, &accounts),
                    "id",
                ],
            ),
            Scope::Id(id) => Expression::from(id.to_string()),
        };
        let mut block = Block::builder("resource")
            .add_label("azurerm_role_assignment")
            .add_label(ra.key.as_str())
            .add_attribute(("scope", scope));
        block = match (ra.role_name, &model.azure.subscription_id) {
            (Some(name), _) => block.add_attribute(("role_definition_name", name)),
            (None, Some(sub)) => block.add_attribute((
                "role_definition_id",
                format!(
                    "/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{}",
                    ra.role_guid
                ),
            )),
            (None, None) => block.add_attribute((
                "role_definition_id",
                template(&[
                    Part::Expr(traversal(
                        "data",
                        &["azurerm_subscription", "current", "id"],
                    )),
                    Part::Literal(&format!(
                        "/providers/Microsoft.Authorization/roleDefinitions/{}",
                        ra.role_guid
                    )),
                ]),
            )),
        };
        body = body.add_block(
            block
                .add_attribute(("principal_id", identity_attr("principal_id")))
                .add_attribute(("principal_type", "ServicePrincipal"))
                .build(),
        );
    }

    // The release, after the credential and the roles exist.
    let release = &model.release;
    let values_file = template(&[
        Part::Expr(traversal("path", &["module"])),
        Part::Literal(&format!("/{VALUES_FILE}")),
    ]);
    let mut sets: Vec<(String, Expression)> = model
        .values
        .pinned
        .iter()
        .map(|(path, value)| (helm_set_key(path), Expression::from(value.as_str())))
        .collect();
    sets.push((
        helm_set_key(&model.values.client_id_key),
        identity_attr("client_id"),
    ));
    let mut helm = Block::builder("resource")
        .add_label("helm_release")
        .add_label("this")
        .add_attribute(("name", release.name.as_str()))
        .add_attribute(("repository", release.repository.as_str()))
        .add_attribute(("chart", release.chart.as_str()))
        .add_attribute(("version", release.version.as_str()))
        .add_attribute(("namespace", Expression::from(namespace_name())))
        .add_attribute(("atomic", release.atomic))
        .add_attribute((
            "values",
            Expression::Array(vec![FuncCall::builder("file")
                .arg(values_file)
                .build()
                .into()]),
        ));
    let set_entry = |name: &str, value: &Expression| {
        [
            (key("name"), Expression::from(name)),
            (key("value"), value.clone()),
            (key("type"), Expression::from("string")),
        ]
    };
    helm = match tf.helm.form {
        HelmForm::SetList => helm.add_attribute((
            "set",
            Expression::Array(
                sets.iter()
                    .map(|(n, v)| Expression::Object(Object::from(set_entry(n, v))))
                    .collect(),
            ),
        )),
        HelmForm::SetBlocks => {
            for (n, v) in &sets {
                let mut block = Block::builder("set");
                for (k, e) in set_entry(n, v) {
                    if let ObjectKey::Identifier(ident) = k {
                        block = block.add_attribute((ident, e));
                    }
                }
                helm = helm.add_block(block.build());
            }
            helm
        }
    };
    let mut depends: Vec<Expression> = vec![traversal(
        "azurerm_federated_identity_credential",
        &["this"],
    )];
    depends.extend(
        model
            .role_assignments
            .iter()
            .map(|ra| traversal("azurerm_role_assignment", &[&ra.key])),
    );
    body = body.add_block(
        helm.add_attribute(("depends_on", Expression::Array(depends)))
            .build(),
    );
    body.build()
}

fn outputs() -> Body {
    let output = |name: &str, attr: &str, description: &str| {
        Block::builder("output")
            .add_label(name)
            .add_attribute(("description", description))
            .add_attribute(("value", identity_attr(attr)))
            .build()
    };
    Body::builder()
        .add_block(output(
            "client_id",
            "client_id",
            "The identity's client id: the service account's azure.workload.identity/client-id annotation.",
        ))
        .add_block(output(
            "principal_id",
            "principal_id",
            "The identity's principal (object) id, which role assignments name.",
        ))
        .add_block(output("tenant_id", "tenant_id", "The identity's tenant id."))
        .add_block(output("identity_id", "id", "The identity's ARM resource id."))
        .build()
}

/// The data source label of an account: its name, made an identifier; with the resource
/// group added when two accounts share a name.
fn account_label(r: &model::AzureRef, all: &BTreeSet<&model::AzureRef>) -> String {
    if all.iter().filter(|o| o.name == r.name).count() > 1 {
        model::slug(&format!("{}_{}", r.name, r.resource_group))
    } else {
        model::slug(&r.name)
    }
}

fn key(name: &str) -> ObjectKey {
    ObjectKey::Identifier(Identifier::unchecked(name))
}

fn identity_attr(attr: &str) -> Expression {
    traversal("azurerm_user_assigned_identity", &["this", attr])
}

fn traversal(root: &str, attrs: &[&str]) -> Expression {
    let mut t = Traversal::builder(Variable::unchecked(root));
    for a in attrs {
        t = t.attr(Identifier::unchecked(*a));
    }
    t.build().into()
}

enum Part<'a> {
    Literal(&'a str),
    Expr(Expression),
}

/// A quoted template. Literal parts are escaped by the one HCL string escaper (quotes,
/// backslashes, control characters, `${` and `%{`), expressions are interpolated.
fn template(parts: &[Part]) -> Expression {
    let mut raw = String::new();
    for part in parts {
        match part {
            Part::Literal(text) => raw.push_str(&hcl_fmt::escape_literal(text)),
            Part::Expr(expr) => {
                raw.push_str("${");
                raw.push_str(&hcl::format::to_string(expr).expect("an expression formats"));
                raw.push('}');
            }
        }
    }
    Expression::TemplateExpr(Box::new(TemplateExpr::QuotedString(raw)))
}
