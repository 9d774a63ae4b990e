//! Cross-target consistency: for every valid fixture, the namespace, service account,
//! subject, issuer, identity name, role assignments (definition GUID and scope) and client
//! id read back from each target's output (Terraform through hcl-rs, YAML through
//! serde_yaml, Bicep through the tests' own reader) agree with each other and with the
//! model. A target joins by adding one reader to [`READERS`].

mod bicep_reader;

use bicep_reader::{bicepparam, call_args, declarations, literal, param_text, Part};
use serde_yaml::Value as Yaml;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use wisp::model::{Issuer, Model, Scope};

/// What a target says about the deployment. `None`: the target does not carry that fact.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Facts {
    namespace: Option<String>,
    service_account: Option<String>,
    subject: Option<String>,
    /// The issuer URL, or `aks:<rg>/<name>` for the AKS cluster looked up at deploy time.
    issuer: Option<String>,
    identity_name: Option<String>,
    /// (role definition GUID, scope) of every role assignment, sorted; each scope as
    /// [`scope_key`] writes it.
    roles: Option<Vec<(String, String)>>,
    client_id: Option<String>,
}

fn aks(resource_group: &str, name: &str) -> String {
    format!("aks:{resource_group}/{name}")
}

/// A Cognitive Services account in the deployment's subscription, as Terraform and Bicep
/// name it: by resource group and name, the subscription implied.
fn account(resource_group: &str, name: &str) -> String {
    format!("account:{resource_group}/{name}").to_ascii_lowercase()
}

/// A scope id as the facts state it: lower case (ARM ignores case), and an account in the
/// deployment's subscription as [`account`] writes it, since Kubernetes writes its full id
/// where Terraform and Bicep look it up by name.
fn scope_key(model: &Model, id: &str) -> String {
    let id = id.to_ascii_lowercase();
    let prefix = model.azure.subscription_id.as_ref().map(|sub| {
        format!(
            "/subscriptions/{}/resourcegroups/",
            sub.to_ascii_lowercase()
        )
    });
    if let Some(rest) = prefix.and_then(|p| id.strip_prefix(&p).map(str::to_string)) {
        if let [rg, "providers", "microsoft.cognitiveservices", "accounts", name] =
            rest.split('/').collect::<Vec<_>>()[..]
        {
            return account(rg, name);
        }
    }
    id
}

fn sorted(mut roles: Vec<(String, String)>) -> Option<Vec<(String, String)>> {
    roles.sort();
    Some(roles)
}

/// A target's generated files: path inside the target folder -> contents.
type Files = BTreeMap<PathBuf, String>;

struct Reader {
    target: &'static str,
    /// The target's folder, when the model enables it.
    dir: fn(&Model) -> Option<String>,
    read: fn(&Model, &Files) -> Facts,
}

const READERS: &[Reader] = &[
    Reader {
        target: "terraform",
        dir: |m| m.targets.terraform.as_ref().map(|t| t.dir.clone()),
        read: terraform,
    },
    Reader {
        target: "helm",
        dir: |m| m.targets.helm.as_ref().map(|t| t.dir.clone()),
        read: helm,
    },
    Reader {
        target: "kubernetes",
        dir: |m| m.targets.kubernetes.as_ref().map(|t| t.dir.clone()),
        read: kubernetes,
    },
    Reader {
        target: "bicep",
        dir: |m| m.targets.bicep.as_ref().map(|t| t.dir.clone()),
        read: bicep,
    },
];

/// The facts as the model states them.
fn expected(model: &Model) -> Facts {
    Facts {
        namespace: Some(model.namespace.clone()),
        service_account: Some(model.service_account.clone()),
        subject: Some(format!(
            "system:serviceaccount:{}:{}",
            model.namespace, model.service_account
        )),
        issuer: Some(match &model.issuer {
            Issuer::Url(u) => u.clone(),
            Issuer::Aks(r) => aks(&r.resource_group, &r.name),
        }),
        identity_name: Some(model.identity.name.clone()),
        roles: sorted(
            model
                .role_assignments
                .iter()
                .map(|r| {
                    let scope = match &r.scope {
                        Scope::CognitiveAccount(a) => account(&a.resource_group, &a.name),
                        Scope::Id(id) => scope_key(model, &id.to_string()),
                    };
                    (r.role_guid.clone(), scope)
                })
                .collect(),
        ),
        client_id: model.identity.client_id.clone(),
    }
}

#[test]
fn every_target_states_the_same_deployment() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/valid");
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    fixtures.sort();
    assert!(!fixtures.is_empty());
    let mut read_by: BTreeMap<&str, usize> = BTreeMap::new();
    for path in fixtures {
        let source = wisp::source::Source::new(
            PathBuf::from(path.file_name().unwrap()),
            std::fs::read_to_string(&path).unwrap(),
        );
        let compiled = wisp::compile(&source).expect("emitters run");
        let model = compiled.model.expect("valid fixture");
        let artifacts = compiled.artifacts.expect("valid fixture");
        let want = expected(&model);
        let mut read = 0;
        for reader in READERS {
            let Some(target_dir) = (reader.dir)(&model) else {
                continue;
            };
            let files: Files = artifacts
                .iter()
                .filter_map(|a| {
                    let rel = a.path.strip_prefix(&target_dir).ok()?;
                    Some((rel.to_path_buf(), a.contents.clone()))
                })
                .collect();
            assert!(
                !files.is_empty(),
                "{}: no {} files",
                path.display(),
                reader.target
            );
            let got = (reader.read)(&model, &files);
            compare(&path, reader.target, &got, &want);
            read += 1;
            *read_by.entry(reader.target).or_default() += 1;
        }
        assert!(
            read >= 2,
            "{}: fewer than two targets to compare",
            path.display()
        );
    }
    for reader in READERS {
        assert!(
            read_by.contains_key(reader.target),
            "no valid fixture has the {} target on",
            reader.target
        );
    }
}

/// Every fact a target carries equals the model's; the namespace and service account are
/// carried by every target.
fn compare(fixture: &Path, target: &str, got: &Facts, want: &Facts) {
    let at = format!("{} ({target})", fixture.display());
    assert!(got.namespace.is_some(), "{at}: no namespace found");
    assert!(
        got.service_account.is_some(),
        "{at}: no service account found"
    );
    macro_rules! same {
        ($($field:ident),*) => {$(
            if got.$field.is_some() {
                assert_eq!(got.$field, want.$field, "{at}: {} differs", stringify!($field));
            }
        )*};
    }
    same!(
        namespace,
        service_account,
        subject,
        issuer,
        identity_name,
        roles,
        client_id
    );
    // A client id in the spec must reach every target that writes the annotation itself.
    if want.client_id.is_some() && target != "terraform" {
        assert_eq!(got.client_id, want.client_id, "{at}: client id missing");
    }
}

// ---- Terraform ---------------------------------------------------------------------------

fn terraform(model: &Model, files: &Files) -> Facts {
    use hcl::eval::{Context, Evaluate};
    use hcl::{Block, Body, Expression};
    let main = &files[Path::new("main.tf")];
    let body: Body = hcl::from_str(main).expect("main.tf parses");
    let resources: Vec<&Block> = body
        .blocks()
        .filter(|b| b.identifier() == "resource")
        .collect();
    let find = |kind: &str| -> Vec<&Block> {
        resources
            .iter()
            .copied()
            .filter(|b| b.labels()[0].as_str() == kind)
            .collect()
    };
    let attr = |b: &Block, name: &str| -> Option<Expression> {
        b.body()
            .attributes()
            .find(|a| a.key() == name)
            .map(|a| a.expr().clone())
    };
    let string = |e: Option<Expression>| match e {
        Some(Expression::String(s)) => Some(s),
        _ => None,
    };
    // The `data` block `data.<kind>.<label>.<attribute>` refers to: its name and resource
    // group.
    let data = |e: &Expression, kind: &str| -> Option<(String, String)> {
        let text = hcl::format::to_string(e).ok()?;
        let mut parts = text.split('.');
        let (Some("data"), Some(k), Some(label)) = (parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        assert_eq!(k, kind, "{text}");
        let block = body.blocks().find(|b| {
            b.identifier() == "data" && b.labels().iter().map(|l| l.as_str()).eq([kind, label])
        })?;
        Some((
            string(attr(block, "resource_group_name"))?,
            string(attr(block, "name"))?,
        ))
    };

    let mut facts = Facts::default();
    let mut ctx = Context::new();
    for kind in ["kubernetes_namespace_v1", "kubernetes_namespace"] {
        for ns in find(kind) {
            let meta = ns.body().blocks().find(|b| b.identifier() == "metadata");
            let name = meta.and_then(|m| string(attr(m, "name")));
            let value: hcl::Value = hcl::to_value(serde_json::json!({
                "this": { "metadata": [{ "name": name }] }
            }))
            .unwrap();
            ctx.declare_var(kind, value);
            facts.namespace = name;
        }
    }
    // Evaluates what can be known from the module itself; deploy-time lookups stay unknown.
    let eval = |e: Option<Expression>| -> Option<String> {
        match e?.evaluate(&ctx).ok()? {
            hcl::Value::String(s) => Some(s),
            _ => None,
        }
    };
    if let Some(id) = find("azurerm_user_assigned_identity").first() {
        facts.identity_name = string(attr(id, "name"));
    }
    if let Some(fic) = find("azurerm_federated_identity_credential").first() {
        facts.subject = eval(attr(fic, "subject"));
        facts.issuer = eval(attr(fic, "issuer")).or_else(|| {
            let (rg, name) = data(&attr(fic, "issuer")?, "azurerm_kubernetes_cluster")?;
            Some(aks(&rg, &name))
        });
    }
    let mut roles = Vec::new();
    for ra in find("azurerm_role_assignment") {
        let guid = if let Some(name) = string(attr(ra, "role_definition_name")) {
            wisp::roles::by_name(&name)
                .unwrap_or_else(|| panic!("unknown role {name}"))
                .guid
                .to_string()
        } else {
            let e = attr(ra, "role_definition_id").expect("a role definition");
            let text = hcl::format::to_string(&e).unwrap();
            let (_, tail) = text.rsplit_once("/roleDefinitions/").expect("an id");
            tail.trim_end_matches('"').to_string()
        };
        let scope = attr(ra, "scope").expect("a scope");
        let scope = match &scope {
            Expression::String(id) => scope_key(model, id),
            e => {
                let (rg, name) = data(e, "azurerm_cognitive_account").expect("an account");
                account(&rg, &name)
            }
        };
        roles.push((guid, scope));
    }
    facts.roles = sorted(roles);
    if let Some(release) = find("helm_release").first() {
        facts.service_account = helm_set(release, "serviceAccount.name");
    }
    facts
}

/// The value of a `helm_release` `set` entry, in either provider syntax.
fn helm_set(release: &hcl::Block, key: &str) -> Option<String> {
    use hcl::{Expression, ObjectKey};
    let field = |obj: &hcl::Object<ObjectKey, Expression>, name: &str| {
        obj.iter().find_map(|(k, v)| match (k, v) {
            (ObjectKey::Identifier(i), Expression::String(s)) if i.as_str() == name => {
                Some(s.clone())
            }
            _ => None,
        })
    };
    let body = release.body();
    if let Some(Expression::Array(entries)) = body
        .attributes()
        .find(|a| a.key() == "set")
        .map(|a| a.expr())
    {
        for e in entries {
            if let Expression::Object(obj) = e {
                if field(obj, "name").as_deref() == Some(key) {
                    return field(obj, "value");
                }
            }
        }
    }
    for block in body.blocks().filter(|b| b.identifier() == "set") {
        let get = |n: &str| {
            block.body().attributes().find_map(|a| match a.expr() {
                Expression::String(s) if a.key() == n => Some(s.clone()),
                _ => None,
            })
        };
        if get("name").as_deref() == Some(key) {
            return get("value");
        }
    }
    None
}

// ---- Helm values -------------------------------------------------------------------------

fn helm(model: &Model, files: &Files) -> Facts {
    let values: Yaml = serde_yaml::from_str(&files[Path::new("values.yaml")]).unwrap();
    let readme = &files[Path::new("README.md")];
    let namespace = readme
        .split_whitespace()
        .skip_while(|w| *w != "--namespace")
        .nth(1)
        .map(|w| w.trim_matches('\'').to_string());
    Facts {
        namespace,
        service_account: string_at(&values, &model.values.service_account_key),
        client_id: string_at(&values, &model.values.client_id_key),
        ..Facts::default()
    }
}

// ---- Kubernetes YAML ---------------------------------------------------------------------

fn kubernetes(model: &Model, files: &Files) -> Facts {
    use serde::Deserialize;
    let mut objects: Vec<Yaml> = Vec::new();
    for (path, text) in files {
        if path.extension().is_some_and(|e| e == "yaml") {
            for doc in serde_yaml::Deserializer::from_str(text) {
                objects.push(Yaml::deserialize(doc).unwrap());
            }
        }
    }
    let of_kind = |kind: &str| -> Vec<&Yaml> {
        objects
            .iter()
            .filter(|o| o["kind"].as_str() == Some(kind))
            .collect()
    };
    let one = |kind: &str| -> &Yaml {
        let found = of_kind(kind);
        assert_eq!(found.len(), 1, "one {kind} expected");
        found[0]
    };
    let s = |v: &Yaml| v.as_str().map(String::from);
    let fic = one("FederatedIdentityCredential");
    let uai = one("UserAssignedIdentity");
    // The references between the objects resolve.
    assert_eq!(fic["spec"]["owner"]["name"], uai["metadata"]["name"]);
    let principal_map = &uai["spec"]["operatorSpec"]["configMaps"]["principalId"];
    let client_map = &uai["spec"]["operatorSpec"]["configMaps"]["clientId"];
    let mut roles = Vec::new();
    for ra in of_kind("RoleAssignment") {
        let from = &ra["spec"]["principalIdFromConfig"];
        assert_eq!(from["name"], principal_map["name"]);
        assert_eq!(from["key"], principal_map["key"]);
        let id = ra["spec"]["roleDefinitionReference"]["armId"]
            .as_str()
            .unwrap();
        let guid = id.rsplit_once("/roleDefinitions/").unwrap().1.to_string();
        let scope = ra["spec"]["owner"]["armId"].as_str().expect("a scope id");
        roles.push((guid, scope_key(model, scope)));
    }
    let values = if let [release] = of_kind("HelmRelease").as_slice() {
        let from = &release["spec"]["valuesFrom"][0];
        assert_eq!(from["name"], client_map["name"]);
        assert_eq!(from["valuesKey"], client_map["key"]);
        assert_eq!(
            from["targetPath"].as_str(),
            Some(wisp::charts::helm_set_key(&model.values.client_id_key).as_str())
        );
        release["spec"]["values"].clone()
    } else {
        one("Application")["spec"]["source"]["helm"]["valuesObject"].clone()
    };
    Facts {
        namespace: s(&one("Namespace")["metadata"]["name"]),
        service_account: string_at(&values, &model.values.service_account_key),
        subject: s(&fic["spec"]["subject"]),
        issuer: s(&fic["spec"]["issuer"]),
        identity_name: s(&uai["spec"]["azureName"]),
        roles: sorted(roles),
        client_id: string_at(&values, &model.values.client_id_key),
    }
}

// ---- Bicep -------------------------------------------------------------------------------

/// Where a Bicep file is deployed.
enum At {
    /// `main.bicep`: the resource group the README deploys it to.
    Main(String),
    /// A module at a resource group, in the deployment's subscription (`None`) or a given one.
    ResourceGroup(Option<String>, String),
    Subscription(String),
}

fn bicep(model: &Model, files: &Files) -> Facts {
    let file = |name: &str| {
        files
            .get(Path::new(name))
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let params = bicepparam(file("main.bicepparam"));
    let param =
        |name: &str| param_text(&params, name).unwrap_or_else(|| panic!("no parameter {name}"));
    let text = file("main.bicep");
    let main = declarations(text);
    let find = |symbol: &str| {
        main.iter()
            .find(|d| d.symbol == symbol)
            .unwrap_or_else(|| panic!("no `{symbol}` in main.bicep"))
    };
    let fic = find("federatedCredential");
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
        "oidcIssuerUrl" => param("oidcIssuerUrl"),
        "aksCluster.properties.oidcIssuerProfile.issuerURL" => {
            let cluster = find("aksCluster");
            let rg = call_args(&cluster.props["scope"], "resourceGroup").unwrap();
            aks(&rg[0], &cluster.prop_literal("name").unwrap())
        }
        other => panic!("issuer {other}"),
    };
    let deployment_rg = file("README.md")
        .lines()
        .find(|l| l.starts_with("az deployment group create "))
        .and_then(|l| {
            l.split_whitespace()
                .skip_while(|w| *w != "--resource-group")
                .nth(1)
        })
        .expect("the README deploys main.bicep to a resource group")
        .trim_matches('\'')
        .to_string();
    let mut roles = Vec::new();
    bicep_roles(model, text, &At::Main(deployment_rg), &mut roles);
    for m in main
        .iter()
        .filter(|d| d.keyword == "module" && d.target != "namespace.bicep")
    {
        let scope = &m.props["scope"];
        let at = if let Some(mut args) = call_args(scope, "resourceGroup") {
            let rg = args.pop().unwrap();
            At::ResourceGroup(args.pop(), rg)
        } else {
            At::Subscription(
                call_args(scope, "subscription")
                    .expect("a module at a resource group or subscription")
                    .remove(0),
            )
        };
        bicep_roles(model, file(&m.target), &at, &mut roles);
    }
    Facts {
        namespace: Some(param("namespace")),
        service_account: Some(param("serviceAccount")),
        subject: Some(subject),
        issuer: Some(issuer),
        identity_name: Some(param("identityName")),
        roles: sorted(roles),
        client_id: None,
    }
}

/// The role assignments of one Bicep file deployed `at`: (definition GUID, scope).
fn bicep_roles(model: &Model, text: &str, at: &At, roles: &mut Vec<(String, String)>) {
    let decls = declarations(text);
    for ra in decls.iter().filter(|d| {
        d.target
            .starts_with("Microsoft.Authorization/roleAssignments@")
    }) {
        let def = call_args(
            &ra.props["properties.roleDefinitionId"],
            "subscriptionResourceId",
        )
        .expect("a role definition id");
        assert_eq!(def[0], "Microsoft.Authorization/roleDefinitions");
        let name = &ra.props["name"];
        let scope = match ra.props.get("scope") {
            Some(symbol) => {
                assert!(name.starts_with(&format!("guid({symbol}.id, ")), "{name}");
                let d = decls
                    .iter()
                    .find(|d| &d.symbol == symbol)
                    .unwrap_or_else(|| panic!("no `{symbol}`"));
                assert!(d.existing, "`{symbol}` is declared `existing`");
                let res = d.prop_literal("name").unwrap();
                let kind = d.target.split('@').next().unwrap();
                match at {
                    At::Main(rg) | At::ResourceGroup(None, rg) => {
                        assert_eq!(kind, "Microsoft.CognitiveServices/accounts");
                        account(rg, &res)
                    }
                    At::ResourceGroup(Some(sub), rg) => scope_key(
                        model,
                        &format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/{kind}/{res}"),
                    ),
                    At::Subscription(_) => panic!("a resource in a subscription module"),
                }
            }
            None => match at {
                At::ResourceGroup(Some(sub), rg) => {
                    assert!(name.starts_with("guid(resourceGroup().id, "), "{name}");
                    scope_key(model, &format!("/subscriptions/{sub}/resourceGroups/{rg}"))
                }
                At::Subscription(sub) => {
                    assert!(name.starts_with("guid(subscription().id, "), "{name}");
                    scope_key(model, &format!("/subscriptions/{sub}"))
                }
                _ => panic!("a role assignment without a scope"),
            },
        };
        roles.push((def[1].clone(), scope));
    }
}

fn string_at(v: &Yaml, path: &[String]) -> Option<String> {
    let mut cur = v;
    for key in path {
        cur = cur.get(key.as_str())?;
    }
    cur.as_str().map(String::from)
}
