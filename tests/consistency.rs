//! Cross-target consistency: for every valid fixture, the namespace, service account,
//! subject, issuer, identity name, role definition ids and client id read back from each
//! target's output (Terraform through hcl-rs, YAML through serde_yaml) agree with each other
//! and with the model. A target joins by adding one reader to [`READERS`].

use serde_yaml::Value as Yaml;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use wisp::model::{Issuer, Model};

/// What a target says about the deployment. `None`: the target does not carry that fact.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Facts {
    namespace: Option<String>,
    service_account: Option<String>,
    subject: Option<String>,
    issuer: Option<String>,
    identity_name: Option<String>,
    role_ids: Option<BTreeSet<String>>,
    client_id: Option<String>,
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
        issuer: match &model.issuer {
            Issuer::Url(u) => Some(u.clone()),
            Issuer::Aks(_) => None,
        },
        identity_name: Some(model.identity.name.clone()),
        role_ids: Some(
            model
                .role_assignments
                .iter()
                .map(|r| r.role_guid.clone())
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
        }
        // Bicep against Terraform is compared in tests/consistency_bicep.rs.
        if model.targets.bicep.is_some() && model.targets.terraform.is_some() {
            read += 1;
        }
        assert!(
            read >= 2,
            "{}: fewer than two targets to compare",
            path.display()
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
        role_ids,
        client_id
    );
    // A client id in the spec must reach every target that writes the annotation itself.
    if want.client_id.is_some() && target != "terraform" {
        assert_eq!(got.client_id, want.client_id, "{at}: client id missing");
    }
}

// ---- Terraform ---------------------------------------------------------------------------

fn terraform(_model: &Model, files: &Files) -> Facts {
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
        facts.issuer = eval(attr(fic, "issuer"));
    }
    let mut roles = BTreeSet::new();
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
        roles.insert(guid);
    }
    facts.role_ids = Some(roles);
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
    let mut roles = BTreeSet::new();
    for ra in of_kind("RoleAssignment") {
        let from = &ra["spec"]["principalIdFromConfig"];
        assert_eq!(from["name"], principal_map["name"]);
        assert_eq!(from["key"], principal_map["key"]);
        let id = ra["spec"]["roleDefinitionReference"]["armId"]
            .as_str()
            .unwrap();
        roles.insert(id.rsplit_once("/roleDefinitions/").unwrap().1.to_string());
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
        role_ids: Some(roles),
        client_id: string_at(&values, &model.values.client_id_key),
    }
}

fn string_at(v: &Yaml, path: &[String]) -> Option<String> {
    let mut cur = v;
    for key in path {
        cur = cur.get(key.as_str())?;
    }
    cur.as_str().map(String::from)
}
