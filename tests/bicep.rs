//! The Bicep target read back: hostile strings in every spec field that reaches Bicep come
//! out as literals that decode to the spec's values, and nothing of them leaks into
//! comments or code.

mod bicep_reader;

use bicep_reader::{bicepparam, call_args, declarations, literals, param_text, Decl, Part};
use std::collections::BTreeMap;
use wisp::source::Source;

/// A string with everything Bicep (or a comment, or a shell) reads specially.
fn hostile(tag: &str) -> String {
    format!("{tag}'${{x}}\\ \\n \n\r\t é ✓ \"q\" $ {{ }} ''' // \u{1}")
}

/// A YAML double-quoted scalar for `s`.
fn yaml(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

struct Values {
    location: String,
    rg: String,
    identity: String,
    credential: String,
    namespace: String,
    service_account: String,
    issuer: String,
    aks_name: String,
    aks_rg: String,
    local_account: String,
    foreign_account: String,
    foreign_rg: String,
    id_sub: String,
    id_rg: String,
    id_vault: String,
}

fn values() -> Values {
    // Id segments cannot hold `/`.
    let seg = |tag: &str| hostile(tag).replace("//", "");
    Values {
        location: hostile("loc"),
        rg: hostile("rg"),
        identity: hostile("id"),
        credential: hostile("fic"),
        namespace: hostile("ns"),
        service_account: hostile("sa"),
        issuer: format!("https://issuer.example/{}/", hostile("iss")),
        aks_name: hostile("aks"),
        aks_rg: hostile("aksrg"),
        local_account: hostile("acct"),
        foreign_account: hostile("facct"),
        foreign_rg: hostile("frg"),
        id_sub: seg("sub"),
        id_rg: seg("idrg"),
        id_vault: seg("kv"),
    }
}

fn spec(v: &Values, aks: bool) -> String {
    let cluster = if aks {
        format!(
            "  aks: {{ name: {}, resourceGroup: {} }}",
            yaml(&v.aks_name),
            yaml(&v.aks_rg)
        )
    } else {
        format!("  oidcIssuerUrl: {}", yaml(&v.issuer))
    };
    let id = format!(
        "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.KeyVault/vaults/{}",
        v.id_sub, v.id_rg, v.id_vault
    );
    format!(
        r#"apiVersion: wisp/v1
name: app
azure:
  location: {location}
  resourceGroup: {rg}
cluster:
{cluster}
kubernetes:
  namespace: {ns}
  serviceAccount: {sa}
identity:
  name: {identity}
  federatedCredentialName: {fic}
  roleAssignments:
    - role: Cognitive Services OpenAI User
      scope:
        cognitiveAccount: {{ name: {local}, resourceGroup: {rg} }}
    - role: Cognitive Services User
      scope:
        cognitiveAccount: {{ name: {foreign}, resourceGroup: {frg} }}
    - role: Key Vault Secrets User
      scope:
        id: {id}
release:
  repository: https://helm.openwebui.com/
  chart: open-webui
  version: 7.2.0
  image: {{ tag: v0.6.33 }}
targets:
  bicep: {{ kubernetesExtension: true }}
"#,
        location = yaml(&v.location),
        rg = yaml(&v.rg),
        ns = yaml(&v.namespace),
        sa = yaml(&v.service_account),
        identity = yaml(&v.identity),
        fic = yaml(&v.credential),
        local = yaml(&v.local_account),
        foreign = yaml(&v.foreign_account),
        frg = yaml(&v.foreign_rg),
        id = yaml(&id),
    )
}

/// Names the semantic checks accept, in the same places as the hostile ones.
fn benign() -> Values {
    Values {
        location: "westeurope".into(),
        rg: "rg-app".into(),
        identity: "id-app".into(),
        credential: "fic-app".into(),
        namespace: "app".into(),
        service_account: "app".into(),
        issuer: "https://issuer.example/t/".into(),
        aks_name: "aks".into(),
        aks_rg: "rg-aks".into(),
        local_account: "acct".into(),
        foreign_account: "facct".into(),
        foreign_rg: "rg-foreign".into(),
        id_sub: "00000000-0000-0000-0000-000000000000".into(),
        id_rg: "rg-kv".into(),
        id_vault: "kv".into(),
    }
}

/// Builds the Bicep target for `v`. The semantic checks reject such names in a spec, so the
/// spec is resolved with benign names and the model then carries the hostile ones: the
/// emitter must escape whatever the model holds.
fn build(v: &Values, aks: bool) -> BTreeMap<String, String> {
    use wisp::arm::ArmId;
    use wisp::model::{AzureRef, Issuer, Scope};
    let source = Source::new("hostile.yaml", spec(&benign(), aks));
    let (model, diagnostics) = wisp::check(&source);
    let mut m = model.unwrap_or_else(|| panic!("{diagnostics:?}"));
    m.azure.location = v.location.clone();
    m.azure.resource_group = v.rg.clone();
    m.identity.name = v.identity.clone();
    m.identity.federated_credential_name = v.credential.clone();
    m.namespace = v.namespace.clone();
    m.service_account = v.service_account.clone();
    m.issuer = if aks {
        Issuer::Aks(AzureRef {
            name: v.aks_name.clone(),
            resource_group: v.aks_rg.clone(),
        })
    } else {
        Issuer::Url(v.issuer.clone())
    };
    let account = |name: &str, rg: &str| {
        Scope::CognitiveAccount(AzureRef {
            name: name.into(),
            resource_group: rg.into(),
        })
    };
    m.role_assignments[0].scope = account(&v.local_account, &v.rg);
    m.role_assignments[1].scope = account(&v.foreign_account, &v.foreign_rg);
    m.role_assignments[2].scope = Scope::Id(ArmId {
        management_group: None,
        subscription: Some(v.id_sub.clone()),
        resource_group: Some(v.id_rg.clone()),
        provider: Some("Microsoft.KeyVault".into()),
        resources: vec![("vaults".into(), v.id_vault.clone())],
    });
    let target = m.targets.bicep.clone().expect("the bicep target is on");
    wisp::emit::bicep::emit(&m, &target)
        .expect("the emitter runs")
        .into_iter()
        .map(|a| (a.path.to_string_lossy().replace('\\', "/"), a.contents))
        .collect()
}

fn decl<'a>(decls: &'a [Decl], symbol: &str) -> &'a Decl {
    decls
        .iter()
        .find(|d| d.symbol == symbol)
        .unwrap_or_else(|| panic!("no declaration `{symbol}`"))
}

/// The module declared in `main` whose scope call has the given arguments, and its file.
fn module<'a>(main: &[Decl], files: &'a BTreeMap<String, String>, args: &[&str]) -> &'a String {
    let m = main
        .iter()
        .filter(|d| d.keyword == "module" && d.props.contains_key("scope"))
        .find(|d| {
            call_args(&d.props["scope"], "resourceGroup").as_deref()
                == Some(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>()[..])
        })
        .unwrap_or_else(|| panic!("no module at resourceGroup{args:?}"));
    &files[&format!("bicep/{}", m.target)]
}

fn check_common(v: &Values, files: &BTreeMap<String, String>) {
    for (path, text) in files.iter().filter(|(p, _)| p.contains(".bicep")) {
        literals(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        for line in text.lines() {
            let code = line.trim_start();
            assert!(
                !(code.starts_with("//") && code.contains('✓')),
                "{path}: a spec value in a comment: {line}"
            );
        }
    }
    let params = bicepparam(&files["bicep/main.bicepparam"]);
    for (name, want) in [
        ("location", &v.location),
        ("identityName", &v.identity),
        ("federatedCredentialName", &v.credential),
        ("namespace", &v.namespace),
        ("serviceAccount", &v.service_account),
    ] {
        assert_eq!(
            param_text(&params, name).as_ref(),
            Some(want),
            "param {name}"
        );
    }

    let main = declarations(&files["bicep/main.bicep"]);
    let fic = decl(&main, "federatedCredential");
    let (subject, _) = bicep_reader::literal(&fic.props["properties.subject"]).unwrap();
    assert_eq!(
        subject.0,
        vec![
            Part::Text("system:serviceaccount:".into()),
            Part::Expr("namespace".into()),
            Part::Text(":".into()),
            Part::Expr("serviceAccount".into()),
        ]
    );

    // The account in the identity's resource group is declared in main.bicep.
    let local = main
        .iter()
        .find(|d| d.existing && d.target.starts_with("Microsoft.CognitiveServices/"))
        .expect("the local account");
    assert_eq!(local.prop_literal("name").as_ref(), Some(&v.local_account));

    // The others in modules at their resource groups.
    let foreign = declarations(module(&main, files, &[&v.foreign_rg]));
    assert_eq!(
        foreign[0].prop_literal("name").as_ref(),
        Some(&v.foreign_account)
    );
    let by_id = declarations(module(&main, files, &[&v.id_sub, &v.id_rg]));
    assert_eq!(by_id[0].target, "Microsoft.KeyVault/vaults@2023-07-01");
    assert_eq!(by_id[0].prop_literal("name").as_ref(), Some(&v.id_vault));
}

#[test]
fn hostile_strings_round_trip_with_a_literal_issuer() {
    let v = values();
    let files = build(&v, false);
    check_common(&v, &files);
    let params = bicepparam(&files["bicep/main.bicepparam"]);
    assert_eq!(param_text(&params, "oidcIssuerUrl"), Some(v.issuer.clone()));
    let main = declarations(&files["bicep/main.bicep"]);
    assert_eq!(
        decl(&main, "federatedCredential").props["properties.issuer"],
        "oidcIssuerUrl"
    );
}

#[test]
fn hostile_strings_round_trip_with_an_aks_issuer() {
    let v = values();
    let files = build(&v, true);
    check_common(&v, &files);
    let main = declarations(&files["bicep/main.bicep"]);
    let aks = decl(&main, "aksCluster");
    assert!(
        aks.existing
            && aks
                .target
                .starts_with("Microsoft.ContainerService/managedClusters@")
    );
    assert_eq!(aks.prop_literal("name"), Some(v.aks_name.clone()));
    assert_eq!(
        call_args(&aks.props["scope"], "resourceGroup"),
        Some(vec![v.aks_rg.clone()])
    );
    assert_eq!(
        decl(&main, "federatedCredential").props["properties.issuer"],
        "aksCluster.properties.oidcIssuerProfile.issuerURL"
    );
}

#[test]
fn the_readme_quotes_every_value_for_the_shell() {
    let v = values();
    let files = build(&v, true);
    let readme = &files["bicep/README.md"];
    // No value spans lines, so no value can close the code fence or start a command.
    assert!(!readme.contains('✓') || readme.lines().all(|l| !l.contains('✓') || l.contains("$'")));
    let rg = wisp::emit::readme::shell_word(&v.rg);
    assert!(rg.starts_with("$'rg\\'${x}\\\\ "), "{rg}");
    assert!(readme.contains(&format!("--resource-group {rg} ")));
}

#[test]
fn the_kubernetes_extension_is_turned_on_for_its_folder() {
    let files = build(&values(), true);
    let config = &files["bicep/bicepconfig.json"];
    let json: String = config.lines().filter(|l| !l.starts_with("//")).collect();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["experimentalFeaturesEnabled"]["extensibility"], true);
    let main = declarations(&files["bicep/main.bicep"]);
    let ns = decl(&main, "namespaceModule");
    assert_eq!(ns.target, "namespace.bicep");
    assert_eq!(
        ns.props["params.kubeConfig"],
        "aksCluster.listClusterAdminCredential().kubeconfigs[0].value"
    );
    assert!(files["bicep/namespace.bicep"].contains("\nextension kubernetes with {\n"));
}

#[test]
fn a_scope_is_refused_once_as_what_it_is() {
    let benign = benign();
    let codes = |id: &str| -> Vec<String> {
        let kv = format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.KeyVault/vaults/{}",
            benign.id_sub, benign.id_rg, benign.id_vault
        );
        let text = spec(&benign, false).replace(&kv, id);
        let (model, diagnostics) = wisp::check(&Source::new("scope.yaml", text));
        assert!(model.is_none());
        diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.rule.code.to_string())
            .collect()
    };
    let sub = &benign.id_sub;
    // Not an ARM id: the checks say so, and the Bicep target does not say it again.
    assert_eq!(
        codes(&format!("/subscriptions/{sub}/resourceGroups/rg/things/x")),
        ["invalid-scope"]
    );
    // An ARM id Bicep cannot declare.
    assert_eq!(
        codes(&format!(
            "/subscriptions/{sub}/providers/Microsoft.KeyVault/vaults/kv"
        )),
        ["bicep-scope"]
    );
}
