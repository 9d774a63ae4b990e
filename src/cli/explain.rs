//! `wisp explain`: the resolved plan in words. Per target, its folder, files and the
//! resources in them; then every derived value with where it came from: a line of the
//! spec, or a default. Provenance is read from the spanned tree, so the model stays lean.

use super::plan::read_source;
use super::print::{self, Format};
use super::ExitStatus;
use std::fmt::Write as _;
use std::path::PathBuf;
use wisp::emit::Artifact;
use wisp::input::Input;
use wisp::model::{Issuer, Model, Scope, AUDIENCE};
use wisp::source::Source;
use wisp::yaml::Node;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The spec to explain.
    #[arg(default_value = "wisp.yaml")]
    spec: PathBuf,
    /// Allow `targets.*.dir` to leave the output root (`..`, absolute paths).
    #[arg(long)]
    allow_outside: bool,
}

pub fn run(args: &Args) -> anyhow::Result<ExitStatus> {
    let source = match read_source(&args.spec)? {
        Input::Text(source) => source,
        Input::Rejected(source, d) => {
            print::diagnostics(&source, &[d], Format::Human)?;
            return Ok(ExitStatus::Failure);
        }
    };
    let options = wisp::Options {
        allow_outside: args.allow_outside,
    };
    let compiled = wisp::compile_with(&source, options)?;
    print::diagnostics(&source, &compiled.diagnostics, Format::Human)?;
    let (Some(model), Some(artifacts)) = (&compiled.model, &compiled.artifacts) else {
        print::err("nothing to explain: fix the problems above first\n");
        return Ok(ExitStatus::Failure);
    };
    let tree = wisp::load::load(&source)
        .map_err(|_| anyhow::anyhow!("`{}` changed while it was read", args.spec.display()))?
        .tree;
    let at = Origin {
        source: &source,
        tree: &tree,
    };
    let mut text = String::new();
    let r = &model.release;
    let _ = writeln!(
        text,
        "{}: Helm release `{}` of chart `{}` {} in namespace `{}`\n",
        source.path.display(),
        r.name,
        r.chart,
        r.version,
        model.namespace
    );
    targets(&mut text, model, artifacts, &at);
    values(&mut text, model, &at);
    print::out(&text)?;
    Ok(ExitStatus::Success)
}

/// Finds where a value stands in the spec.
struct Origin<'a> {
    source: &'a Source,
    tree: &'a Node,
}

impl Origin<'_> {
    fn line(&self, pointer: &str) -> Option<usize> {
        // A key's line for mapping entries: a mapping's own span starts at its first key.
        self.tree
            .pointer_with_key(pointer)
            .map(|(key, node)| key.unwrap_or(node))
            .map(|n| self.source.line_col(n.span.start).line)
    }

    /// `spec line N (a.b[0].c)`, or `default: ...`.
    fn of(&self, pointer: &str, default: &str) -> String {
        match self.line(pointer) {
            Some(line) => format!("spec line {line} (`{}`)", dotted(pointer)),
            None => format!("default: {default}"),
        }
    }
}

/// `/a/0/b` as `a[0].b`.
fn dotted(pointer: &str) -> String {
    let mut out = String::new();
    for part in pointer.trim_start_matches('/').split('/') {
        if part.parse::<usize>().is_ok() {
            let _ = write!(out, "[{part}]");
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(part);
        }
    }
    out
}

fn targets(text: &mut String, model: &Model, artifacts: &[Artifact], at: &Origin) {
    text.push_str("Targets\n");
    let listed = at.line("/targets");
    let enabled = wisp::paths::target_dirs(&model.targets);
    for name in ["terraform", "helm", "kubernetes", "bicep"] {
        let Some((_, dir)) = enabled.iter().find(|(n, _)| *n == name) else {
            let _ = writeln!(
                text,
                "  {name}: off (`targets` on line {} does not list it)",
                listed.unwrap_or(0)
            );
            continue;
        };
        let why = match listed {
            None => {
                "on (the spec has no `targets` section, which turns every target on)".to_string()
            }
            Some(_) => format!("on: {}", at.of(&format!("/targets/{name}"), "")),
        };
        let _ = writeln!(
            text,
            "  {name}: {why}\n    folder `{dir}`, {}",
            at.of(&format!("/targets/{name}/dir"), &format!("`{name}`"))
        );
        let files: Vec<&Artifact> = artifacts
            .iter()
            .filter(|a| a.path.starts_with(dir))
            .collect();
        if files.is_empty() {
            let _ = writeln!(text, "    emits no files");
        }
        for a in files {
            let _ = writeln!(text, "    {}", a.path.display());
            for resource in resources(a) {
                let _ = writeln!(text, "      {resource}");
            }
        }
    }
    text.push('\n');
}

/// The resources an artifact declares, read back from its text: Terraform `resource` and
/// `data` blocks, Kubernetes objects, Bicep `resource` and `module` declarations.
fn resources(artifact: &Artifact) -> Vec<String> {
    let ext = artifact.path.extension().and_then(|e| e.to_str());
    match ext {
        Some("tf") => hcl::parse(&artifact.contents)
            .map(|body| {
                body.blocks()
                    .filter(|b| matches!(b.identifier(), "resource" | "data"))
                    .map(|b| {
                        let labels: Vec<&str> = b.labels().iter().map(|l| l.as_str()).collect();
                        let prefix = if b.identifier() == "data" {
                            "data."
                        } else {
                            ""
                        };
                        format!("{prefix}{}", labels.join("."))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        Some("yaml" | "yml") => {
            use serde::Deserialize as _;
            serde_yaml::Deserializer::from_str(&artifact.contents)
                .filter_map(|doc| serde_yaml::Value::deserialize(doc).ok())
                .filter_map(|v| {
                    let kind = v.get("kind")?.as_str()?.to_string();
                    let name = v.get("metadata")?.get("name")?.as_str()?.to_string();
                    Some(format!("{kind} {name}"))
                })
                .collect()
        }
        Some("bicep") => artifact
            .contents
            .lines()
            .filter_map(|line| {
                let mut words = line.split_whitespace();
                let keyword = words.next()?;
                if !matches!(keyword, "resource" | "module") {
                    return None;
                }
                let name = words.next()?;
                let kind = words.next()?.trim_matches('\'');
                Some(format!("{keyword} {name} ({kind})"))
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn values(text: &mut String, model: &Model, at: &Origin) {
    text.push_str("Values\n");
    let mut value = |name: &str, value: &str, from: String| {
        let _ = writeln!(text, "  {name} = {value}\n      {from}");
    };
    value("release name", &model.release.name, at.of("/name", ""));
    value(
        "namespace",
        &model.namespace,
        at.of("/kubernetes/namespace", ""),
    );
    value(
        "service account",
        &model.service_account,
        at.of("/kubernetes/serviceAccount", ""),
    );
    value(
        "subject",
        &model.subject,
        format!(
            "derived: `system:serviceaccount:<namespace>:<serviceAccount>`, lines {} and {}",
            at.line("/kubernetes/namespace").unwrap_or(0),
            at.line("/kubernetes/serviceAccount").unwrap_or(0)
        ),
    );
    match &model.issuer {
        Issuer::Url(url) => value(
            "issuer",
            url,
            format!("{}, written literally", at.of("/cluster/oidcIssuerUrl", "")),
        ),
        Issuer::Aks(aks) => value(
            "issuer",
            &format!("the OIDC issuer of AKS cluster `{}`", aks.name),
            format!(
                "{}, read from the cluster (resource group `{}`) at deploy time",
                at.of("/cluster/aks", ""),
                aks.resource_group
            ),
        ),
    }
    value(
        "audience",
        AUDIENCE,
        "fixed: the audience every Workload Identity credential uses".into(),
    );
    value(
        "identity",
        &model.identity.name,
        at.of("/identity/name", ""),
    );
    value(
        "location",
        &model.azure.location,
        at.of("/azure/location", ""),
    );
    value(
        "resource group",
        &model.azure.resource_group,
        at.of("/azure/resourceGroup", ""),
    );
    value(
        "federated credential",
        &model.identity.federated_credential_name,
        at.of(
            "/identity/federatedCredentialName",
            "`<namespace>-<serviceAccount>`",
        ),
    );
    for (i, ra) in model.role_assignments.iter().enumerate() {
        let role = match ra.role_name {
            Some(name) => format!("{name} ({})", ra.role_guid),
            None => format!("custom role {}", ra.role_guid),
        };
        let how = if ra.role_name.is_some() {
            "a built-in role, written by its definition GUID"
        } else {
            "a role definition GUID"
        };
        let ptr = format!("/identity/roleAssignments/{i}");
        value(
            &format!("role {}", i + 1),
            &role,
            format!("{}, {how}", at.of(&format!("{ptr}/role"), "")),
        );
        let (scope, how) = match &ra.scope {
            Scope::CognitiveAccount(r) => (
                format!(
                    "Cognitive Services account `{}` in `{}`",
                    r.name, r.resource_group
                ),
                "its id is looked up at deploy time",
            ),
            Scope::Id(id) => (id.to_string(), "used as written"),
        };
        value(
            &format!("role {} scope", i + 1),
            &scope,
            format!("{}, {how}", at.of(&format!("{ptr}/scope"), "")),
        );
    }
    let r = &model.release;
    value(
        "chart",
        &format!("{} {}", r.chart, r.version),
        at.of("/release/version", ""),
    );
    value("image tag", &r.image_tag, at.of("/release/image/tag", ""));
    value(
        "atomic",
        &r.atomic.to_string(),
        at.of("/release/atomic", "`true`"),
    );
    for (key, v) in &model.values.pinned {
        value(
            &format!("chart value `{}`", key.join(".")),
            v,
            "set by wisp: the identity depends on it".into(),
        );
    }
    if let Some(o) = &model.openai {
        value(
            "Azure OpenAI endpoint",
            &o.endpoint,
            format!(
                "{}; configured {}",
                at.of("/openai/endpoint", ""),
                if model.values.openai_in_env {
                    "through the environment (Entra ID auth)"
                } else {
                    "in the admin UI: this image cannot read it from the environment"
                }
            ),
        );
    }
    if let Some(tf) = &model.targets.terraform {
        let base = "/targets/terraform/providers";
        for (name, constraint, reason) in [
            ("azurerm", &tf.azurerm.constraint, &tf.azurerm.reason),
            ("helm", &tf.helm.constraint, &tf.helm.reason),
            (
                "kubernetes",
                &tf.kubernetes.constraint,
                &tf.kubernetes.reason,
            ),
        ] {
            value(
                &format!("terraform {name} provider"),
                constraint,
                format!(
                    "{}\n      syntax: {reason}",
                    at.of(&format!("{base}/{name}"), "the current major")
                ),
            );
        }
    }
}
