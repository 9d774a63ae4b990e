//! The Terraform target read back by hcl-rs: hostile strings survive escaping, and the
//! tutorial's wiring (identity -> credential -> role assignment -> release) is all there.

use hcl::eval::{Context, Evaluate};
use hcl::{Block, Body, Expression, Value};
use wisp::arm::ArmId;
use wisp::emit::Artifact;
use wisp::model::{Issuer, Model, Scope};
use wisp::source::Source;

fn model(fixture: &str) -> Model {
    let path = format!("{}/fixtures/valid/{fixture}", env!("CARGO_MANIFEST_DIR"));
    let source = Source::new(&path, std::fs::read_to_string(&path).unwrap());
    let (model, diags) = wisp::check(&source);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    model.unwrap()
}

fn emit(model: &Model) -> Vec<Artifact> {
    let tf = model
        .targets
        .terraform
        .as_ref()
        .expect("terraform target on");
    wisp::emit::terraform::emit(model, tf).unwrap()
}

fn file(artifacts: &[Artifact], name: &str) -> Body {
    let a = artifacts.iter().find(|a| a.path.ends_with(name)).unwrap();
    hcl::from_str(&a.contents)
        .unwrap_or_else(|e| panic!("{name} does not parse: {e}\n{}", a.contents))
}

fn block<'a>(body: &'a Body, kind: &str, labels: &[&str]) -> &'a Block {
    body.blocks()
        .find(|b| {
            b.identifier() == kind
                && b.labels().iter().map(|l| l.as_str()).collect::<Vec<_>>() == labels
        })
        .unwrap_or_else(|| panic!("no {kind} {labels:?}"))
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

const HOSTILE: &[&str] = &[
    "${x}",
    "%{ if true }y%{ endif }",
    "a\"b",
    "back\\slash",
    "new\nline\ttab\r",
    "$${already}",
    "é ü 中文 🚀",
    "end\\",
    // A second `$${` in one string: hcl-rs's own string formatting leaves it unescaped.
    "a-$${x}-b/c-$${x}-d",
    "${x}$${y}%{z}%%{w}${x}",
    "$$$${x}",
    "\u{1}\u{7f}",
];

#[test]
fn hostile_strings_come_back_unchanged() {
    for (i, hostile) in HOSTILE.iter().enumerate() {
        let mut m = model("tutorial.yaml");
        let s = |field: &str| format!("{field}-{hostile}-{i}");
        m.identity.name = s("id");
        m.identity.federated_credential_name = s("fic");
        m.azure.location = s("loc");
        m.azure.resource_group = s("rg");
        m.release.name = s("rel");
        m.release.repository = s("repo");
        m.service_account = s("sa");
        m.namespace = s("ns");
        m.issuer = Issuer::Url(s("issuer"));
        // One hostile part a string, as in every other field.
        let scope = ArmId {
            management_group: None,
            subscription: Some("00000000-0000-0000-0000-000000000000".into()),
            resource_group: Some("rg".into()),
            provider: Some("Microsoft.KeyVault".into()),
            resources: vec![("vaults".into(), s("scope"))],
        };
        m.role_assignments[0].scope = Scope::Id(scope.clone());
        let artifacts = emit(&m);
        let main = file(&artifacts, "main.tf");

        let ident = block(
            &main,
            "resource",
            &["azurerm_user_assigned_identity", "this"],
        );
        assert_eq!(string(ident, "name"), m.identity.name);
        assert_eq!(string(ident, "location"), m.azure.location);
        assert_eq!(string(ident, "resource_group_name"), m.azure.resource_group);
        let fic = block(
            &main,
            "resource",
            &["azurerm_federated_identity_credential", "this"],
        );
        assert_eq!(string(fic, "name"), m.identity.federated_credential_name);
        assert_eq!(string(fic, "issuer"), s("issuer"));
        let ns = block(&main, "resource", &["kubernetes_namespace", "this"]);
        let meta = ns.body().blocks().next().unwrap();
        assert_eq!(string(meta, "name"), m.namespace);
        let ra = main
            .blocks()
            .find(|b| b.labels().first().map(|l| l.as_str()) == Some("azurerm_role_assignment"))
            .unwrap();
        assert_eq!(string(ra, "scope"), scope.to_string());
        let helm = block(&main, "resource", &["helm_release", "this"]);
        assert_eq!(string(helm, "name"), m.release.name);
        assert_eq!(string(helm, "repository"), m.release.repository);

        // The subject is a template over the namespace resource: evaluate it. hcl-rs 0.20
        // mis-reads a second `$${` inside a template with interpolations (Terraform reads it
        // right: `terraform console` gives the spec's string back), so the template is
        // decoded by the HCL spec's rules here.
        let main_text = &artifacts
            .iter()
            .find(|a| a.path.ends_with("main.tf"))
            .unwrap()
            .contents;
        let raw = main_text
            .lines()
            .find_map(|l| l.trim_start().strip_prefix("subject = \""))
            .and_then(|l| l.strip_suffix('"'))
            .expect("a one-line subject template");
        let subject = decode_template(raw, |expr| {
            assert_eq!(expr, "kubernetes_namespace.this.metadata[0].name");
            m.namespace.clone()
        });
        let want = format!(
            "system:serviceaccount:{}:{}",
            m.namespace, m.service_account
        );
        assert_eq!(subject, want);
        if !hostile.contains("$${") {
            // Where hcl-rs reads templates right, its evaluation must agree.
            let mut ctx = Context::new();
            let ns_value: Value =
                hcl::value!({ this = { metadata = [{ name = (m.namespace.clone()) }] } });
            ctx.declare_var("kubernetes_namespace", ns_value);
            let evaluated = attr(fic, "subject").evaluate(&ctx).unwrap();
            assert_eq!(evaluated, Value::String(subject));
        }
    }
}

/// Decodes the text of a quoted HCL template (inside its quotes) by the HCL native syntax spec: the
/// escapes `\n \r \t \" \\ \uNNNN \UNNNNNNNN`, `$${` and `%%{` for literal `${` and `%{`,
/// and `${expr}` interpolations, whose text `interpolate` turns into a value.
fn decode_template(inner: &str, interpolate: impl Fn(&str) -> String) -> String {
    let chars: Vec<char> = inner.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..chars.len().min(i + 3)].iter().collect();
        if rest == "$${" || rest == "%%{" {
            out.push(chars[i]);
            out.push('{');
            i += 3;
        } else if rest.starts_with("${") {
            let end = (i..chars.len())
                .find(|&j| chars[j] == '}')
                .expect("a closed interpolation");
            let expr: String = chars[i + 2..end].iter().collect();
            out.push_str(&interpolate(expr.trim()));
            i = end + 1;
        } else if chars[i] == '\\' {
            let (c, len) = match chars[i + 1] {
                'n' => ('\n', 2),
                'r' => ('\r', 2),
                't' => ('\t', 2),
                '"' => ('"', 2),
                '\\' => ('\\', 2),
                'u' | 'U' => {
                    let n = if chars[i + 1] == 'u' { 4 } else { 8 };
                    let hex: String = chars[i + 2..i + 2 + n].iter().collect();
                    (
                        char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap(),
                        2 + n,
                    )
                }
                other => panic!("unknown escape \\{other}"),
            };
            out.push(c);
            i += len;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn tutorial_wiring_matches_the_tutorial() {
    let m = model("tutorial.yaml");
    let main = file(&emit(&m), "main.tf");
    let text = |e: &Expression| hcl::format::to_string(e).unwrap();

    // The same five resources.
    let kinds: Vec<&str> = main
        .blocks()
        .filter(|b| b.identifier() == "resource")
        .map(|b| b.labels()[0].as_str())
        .collect();
    assert_eq!(
        kinds,
        [
            "kubernetes_namespace",
            "azurerm_user_assigned_identity",
            "azurerm_federated_identity_credential",
            "azurerm_role_assignment",
            "helm_release"
        ]
    );
    // Identity id into the credential (the tutorial's `parent_id` form for azurerm ~> 4.0).
    let fic = block(
        &main,
        "resource",
        &["azurerm_federated_identity_credential", "this"],
    );
    assert_eq!(
        text(attr(fic, "parent_id")),
        "azurerm_user_assigned_identity.this.id"
    );
    assert_eq!(string(fic, "resource_group_name"), "rg-open-webui");
    assert_eq!(
        text(attr(fic, "issuer")),
        "data.azurerm_kubernetes_cluster.this.oidc_issuer_url"
    );
    // Namespace into the subject.
    assert_eq!(
        text(attr(fic, "subject")),
        "\"system:serviceaccount:${kubernetes_namespace.this.metadata[0].name}:open-webui\""
    );
    // Principal id into the role assignment.
    let ra = block(
        &main,
        "resource",
        &["azurerm_role_assignment", "cognitive_services_openai_user"],
    );
    assert_eq!(
        text(attr(ra, "principal_id")),
        "azurerm_user_assigned_identity.this.principal_id"
    );
    assert_eq!(
        string(ra, "role_definition_name"),
        "Cognitive Services OpenAI User"
    );
    assert_eq!(string(ra, "principal_type"), "ServicePrincipal");
    // Client id and namespace into the release; `set` blocks for helm ~> 2.17.
    let helm = block(&main, "resource", &["helm_release", "this"]);
    assert_eq!(
        text(attr(helm, "namespace")),
        "kubernetes_namespace.this.metadata[0].name"
    );
    let sets: Vec<(String, String)> = helm
        .body()
        .blocks()
        .filter(|b| b.identifier() == "set")
        .map(|b| (string(b, "name"), text(attr(b, "value"))))
        .collect();
    assert!(sets.contains(&(
        "serviceAccount.annotations.azure\\.workload\\.identity/client-id".into(),
        "azurerm_user_assigned_identity.this.client_id".into()
    )));
    assert!(sets.contains(&("serviceAccount.name".into(), "\"open-webui\"".into())));
    assert!(sets.contains(&(
        "podLabels.azure\\.workload\\.identity/use".into(),
        "\"true\"".into()
    )));
    assert!(sets.contains(&("image.tag".into(), "\"v0.6.33\"".into())));
    // The release waits for the credential and the role assignment.
    assert_eq!(
        text(attr(helm, "depends_on")),
        "[\n  azurerm_federated_identity_credential.this,\n  azurerm_role_assignment.cognitive_services_openai_user\n]"
    );
}
