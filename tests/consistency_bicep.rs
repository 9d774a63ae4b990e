//! Bicep and Terraform describe the same Azure side: for every valid fixture with both
//! targets on, the identity name, the credential's subject and issuer, and the role
//! assignments (definition GUID and scope) read back from each target's files agree.
//!
//! Terraform is read with hcl-rs (the subject template is evaluated); Bicep with the test's
//! own reader, with `main.bicepparam`'s values put in for the parameters. `main.bicep` is
//! deployed to the identity's resource group, so an account it declares directly lives there.

mod bicep_reader;

use bicep_reader::{bicepparam, call_args, declarations, literal, param_text, Decl, Part};
use hcl::eval::{Context, Evaluate};
use hcl::{Block, Body, Expression};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use wisp::source::Source;

#[derive(Debug, PartialEq, Eq)]
enum IssuerSource {
    Url(String),
    /// An AKS cluster looked up at deploy time: name and resource group.
    Aks(String, String),
}

/// What both targets must agree on.
#[derive(Debug, PartialEq, Eq)]
struct AzureSide {
    identity: String,
    subject: String,
    issuer: IssuerSource,
    /// (role definition GUID, scope) pairs; scopes as `acct:<rg>/<name>` or a lower-case id.
    roles: BTreeSet<(String, String)>,
}

fn account(rg: &str, name: &str) -> String {
    format!("acct:{rg}/{name}")
}

// --- Terraform -------------------------------------------------------------------------

fn block<'a>(body: &'a Body, kind: &str, labels: &[&str]) -> Option<&'a Block> {
    body.blocks().find(|b| {
        b.identifier() == kind
            && b.labels()
                .iter()
                .map(|l| l.as_str())
                .eq(labels.iter().copied())
    })
}

fn attr<'a>(block: &'a Block, name: &str) -> &'a Expression {
    block
        .body()
        .attributes()
        .find(|a| a.key() == name)
        .map(|a| a.expr())
        .unwrap_or_else(|| panic!("no attribute {name}"))
}

fn string(block: &Block, name: &str) -> String {
    match attr(block, name) {
        Expression::String(s) => s.clone(),
        other => panic!("{name} is not a string: {other:?}"),
    }
}

fn terraform(main_tf: &str) -> AzureSide {
    let body: Body = hcl::from_str(main_tf).expect("main.tf parses");
    let identity = block(
        &body,
        "resource",
        &["azurerm_user_assigned_identity", "this"],
    )
    .unwrap();
    let fic = block(
        &body,
        "resource",
        &["azurerm_federated_identity_credential", "this"],
    )
    .unwrap();
    let ns = block(&body, "resource", &["kubernetes_namespace_v1", "this"])
        .or_else(|| block(&body, "resource", &["kubernetes_namespace", "this"]))
        .unwrap();
    let namespace = string(ns.body().blocks().next().unwrap(), "name");
    let mut ctx = Context::new();
    let ns_value: hcl::Value = hcl::value!({ this = { metadata = [{ name = (namespace) }] } });
    ctx.declare_var("kubernetes_namespace", ns_value.clone());
    ctx.declare_var("kubernetes_namespace_v1", ns_value);
    let subject = match attr(fic, "subject").evaluate(&ctx).unwrap() {
        hcl::Value::String(s) => s,
        other => panic!("subject is {other:?}"),
    };
    let issuer = match attr(fic, "issuer") {
        Expression::String(s) => IssuerSource::Url(s.clone()),
        _ => {
            let aks = block(&body, "data", &["azurerm_kubernetes_cluster", "this"]).unwrap();
            IssuerSource::Aks(string(aks, "name"), string(aks, "resource_group_name"))
        }
    };
    let mut roles = BTreeSet::new();
    for ra in body.blocks().filter(|b| {
        b.identifier() == "resource"
            && b.labels().first().map(|l| l.as_str()) == Some("azurerm_role_assignment")
    }) {
        let has = |k: &str| ra.body().attributes().any(|a| a.key() == k);
        let guid = if has("role_definition_name") {
            wisp::roles::by_name(&string(ra, "role_definition_name"))
                .unwrap()
                .guid
                .to_string()
        } else {
            let text = hcl::format::to_string(attr(ra, "role_definition_id")).unwrap();
            let tail = text.split("roleDefinitions/").nth(1).unwrap();
            tail.chars().take(36).collect()
        };
        let scope = match attr(ra, "scope") {
            Expression::String(id) => id.to_lowercase(),
            Expression::Traversal(t) => {
                let label = match &t.operators[1] {
                    hcl::expr::TraversalOperator::GetAttr(l) => l.to_string(),
                    other => panic!("{other:?}"),
                };
                let acct = block(&body, "data", &["azurerm_cognitive_account", &label]).unwrap();
                account(&string(acct, "resource_group_name"), &string(acct, "name"))
            }
            other => panic!("scope is {other:?}"),
        };
        roles.insert((guid, scope));
    }
    AzureSide {
        identity: string(identity, "name"),
        subject,
        issuer,
        roles,
    }
}

// --- Bicep -----------------------------------------------------------------------------

/// Where a Bicep file is deployed.
enum At {
    /// `main.bicep`: the identity's resource group.
    Main(String),
    ResourceGroup(Option<String>, String),
    Subscription(String),
}

fn bicep_roles(text: &str, at: &At, roles: &mut BTreeSet<(String, String)>) {
    let decls = declarations(text);
    for ra in decls.iter().filter(|d| {
        d.target
            .starts_with("Microsoft.Authorization/roleAssignments@")
    }) {
        let def = call_args(
            &ra.props["properties.roleDefinitionId"],
            "subscriptionResourceId",
        )
        .unwrap();
        assert_eq!(def[0], "Microsoft.Authorization/roleDefinitions");
        let name = &ra.props["name"];
        let scope = match ra.props.get("scope") {
            Some(symbol) => {
                assert!(name.starts_with(&format!("guid({symbol}.id, ")), "{name}");
                let d: &Decl = decls.iter().find(|d| &d.symbol == symbol).unwrap();
                assert!(d.existing);
                let res = d.prop_literal("name").unwrap();
                let kind = d.target.split('@').next().unwrap();
                match at {
                    At::Main(rg) | At::ResourceGroup(None, rg) => {
                        assert_eq!(kind, "Microsoft.CognitiveServices/accounts");
                        account(rg, &res)
                    }
                    At::ResourceGroup(Some(sub), rg) => {
                        format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/{kind}/{res}")
                            .to_lowercase()
                    }
                    At::Subscription(_) => panic!("a resource in a subscription module"),
                }
            }
            None => match at {
                At::ResourceGroup(Some(sub), rg) => {
                    assert!(name.starts_with("guid(resourceGroup().id, "));
                    format!("/subscriptions/{sub}/resourceGroups/{rg}").to_lowercase()
                }
                At::Subscription(sub) => {
                    assert!(name.starts_with("guid(subscription().id, "));
                    format!("/subscriptions/{sub}").to_lowercase()
                }
                _ => panic!("a role assignment without a scope"),
            },
        };
        roles.insert((def[1].clone(), scope));
    }
}

fn bicep(files: &BTreeMap<String, String>, dir: &str, identity_rg: &str) -> AzureSide {
    let file = |name: &str| &files[&format!("{dir}/{name}")];
    let params = bicepparam(file("main.bicepparam"));
    let text = file("main.bicep");
    let main = declarations(text);
    let find = |symbol: &str| main.iter().find(|d| d.symbol == symbol).unwrap();
    let fic = find("federatedCredential");
    let param = |expr: &str| param_text(&params, expr).unwrap_or_else(|| panic!("no param {expr}"));
    assert_eq!(fic.props["name"], "federatedCredentialName");
    assert_eq!(find("identity").props["name"], "identityName");
    let (subject, _) = literal(&fic.props["properties.subject"]).unwrap();
    let subject = subject
        .0
        .iter()
        .map(|p| match p {
            Part::Text(t) => t.clone(),
            Part::Expr(e) => param(e),
        })
        .collect();
    let issuer = match fic.props["properties.issuer"].as_str() {
        "oidcIssuerUrl" => IssuerSource::Url(param("oidcIssuerUrl")),
        "aksCluster.properties.oidcIssuerProfile.issuerURL" => {
            let aks = find("aksCluster");
            let rg = call_args(&aks.props["scope"], "resourceGroup").unwrap();
            IssuerSource::Aks(aks.prop_literal("name").unwrap(), rg[0].clone())
        }
        other => panic!("issuer {other}"),
    };
    let mut roles = BTreeSet::new();
    bicep_roles(text, &At::Main(identity_rg.to_string()), &mut roles);
    for m in main
        .iter()
        .filter(|d| d.keyword == "module" && d.target != "namespace.bicep")
    {
        let scope = &m.props["scope"];
        let at = if let Some(mut args) = call_args(scope, "resourceGroup") {
            let rg = args.pop().unwrap();
            At::ResourceGroup(args.pop(), rg)
        } else {
            At::Subscription(call_args(scope, "subscription").unwrap().remove(0))
        };
        bicep_roles(file(&m.target), &at, &mut roles);
    }
    AzureSide {
        identity: param("identityName"),
        subject,
        issuer,
        roles,
    }
}

#[test]
fn bicep_and_terraform_agree_on_every_valid_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/valid");
    let mut compared = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let source = Source::new(&path, std::fs::read_to_string(&path).unwrap());
        let compiled = wisp::compile(&source).unwrap();
        let model = compiled.model.as_ref().expect("a valid fixture");
        let (Some(tf), Some(bc)) = (&model.targets.terraform, &model.targets.bicep) else {
            continue;
        };
        let files: BTreeMap<String, String> = compiled
            .artifacts
            .unwrap()
            .into_iter()
            .map(|a| (a.path.to_string_lossy().replace('\\', "/"), a.contents))
            .collect();
        let t = terraform(&files[&format!("{}/main.tf", tf.dir)]);
        let tf_identity = hcl::from_str::<Body>(&files[&format!("{}/main.tf", tf.dir)]).unwrap();
        let rg = string(
            block(
                &tf_identity,
                "resource",
                &["azurerm_user_assigned_identity", "this"],
            )
            .unwrap(),
            "resource_group_name",
        );
        let b = bicep(&files, &bc.dir, &rg);
        assert_eq!(b, t, "{}", path.display());
        assert!(!t.roles.is_empty());
        compared += 1;
    }
    assert!(compared >= 3, "only {compared} fixtures have both targets");
}
