//! The Helm target: the chart values file for teams that run `helm upgrade --install`
//! themselves, and a README with the exact command, including how the identity's client id
//! reaches the service account annotation when it is not known at build time.

use super::readme::{code, code_block, openai_ui_steps, shell_word};
use super::{artifact, header, markdown_header, Artifact, EmitError};
use crate::charts::helm_set_key;
use crate::model::{self, Model};
use crate::yaml_out;
use std::fmt::Write as _;

const VALUES_FILE: &str = "values.yaml";

pub fn emit(model: &Model, target: &model::Dir) -> Result<Vec<Artifact>, EmitError> {
    let values = model.values.full(model.identity.client_id.as_deref());
    let text = yaml_out::to_string(&values).map_err(|e| EmitError {
        target: "helm",
        message: e.to_string(),
    })?;
    Ok(vec![
        artifact(
            &target.dir,
            VALUES_FILE,
            format!("{}\n{text}", header(model, "#")),
        ),
        artifact(&target.dir, "README.md", readme(model)),
    ])
}

/// Where the client id comes from when the spec does not give it.
struct ClientIdSource {
    tool: &'static str,
    how: String,
    command: String,
}

fn client_id_sources(model: &Model) -> [ClientIdSource; 2] {
    [
        ClientIdSource {
            tool: "Terraform",
            how: "whose root module (in `TF_ROOT`) re-exports the module's output as \
                  `output \"client_id\" { value = module.NAME.client_id }`"
                .into(),
            command: "terraform -chdir=\"${TF_ROOT:?set TF_ROOT to the Terraform root module}\" output -raw client_id".into(),
        },
        ClientIdSource {
            tool: "Bicep",
            how: "whose template has a `clientId` output, deployed as `main` (the name \
                  `az deployment group create --template-file main.bicep` gives it)"
                .into(),
            command: format!(
                "az deployment group show --resource-group {} --name main{} --query properties.outputs.clientId.value --output tsv",
                shell_word(&model.azure.resource_group),
                model
                    .azure
                    .subscription_id
                    .as_deref()
                    .map(|s| format!(" --subscription {}", shell_word(s)))
                    .unwrap_or_default()
            ),
        },
    ]
}

/// The `helm upgrade --install` command, with `extra` as its last argument lines.
fn helm_command(model: &Model, extra: &[String]) -> String {
    let r = &model.release;
    let mut lines = vec![
        format!(
            "helm upgrade --install {} {}",
            shell_word(&r.name),
            shell_word(&r.chart)
        ),
        format!(
            "  --repo {} --version {}",
            shell_word(&r.repository),
            shell_word(&r.version)
        ),
        format!(
            "  --namespace {} --create-namespace",
            shell_word(&model.namespace)
        ),
    ];
    if r.atomic {
        lines.push("  --atomic".into());
    }
    lines.push(format!("  --values {VALUES_FILE}"));
    lines.extend(extra.iter().map(|e| format!("  {e}")));
    lines.join(" \\\n")
}

fn readme(model: &Model) -> String {
    let mut out = markdown_header(model);
    let r = &model.release;
    let _ = writeln!(out, "\n# Helm values for {}\n", code(&r.name));
    let _ = writeln!(
        out,
        "{} holds the values of the {} chart {}: the service account {} the federated \
         credential trusts, the pod label {} the Workload Identity webhook looks for, and \
         image {}.\n",
        code(VALUES_FILE),
        code(&r.chart),
        code(&r.version),
        code(&model.service_account),
        code("azure.workload.identity/use: \"true\""),
        code(&r.image_tag),
    );
    let _ = writeln!(
        out,
        "The identity {} (resource group {}), its federated credential for {} and its role \
         assignments are not in this folder: create them first, with wisp's Terraform or \
         Bicep target or your own code.\n",
        code(&model.identity.name),
        code(&model.azure.resource_group),
        code(&model.subject),
    );
    let _ = writeln!(out, "## Install or upgrade\n");
    match &model.identity.client_id {
        Some(id) => {
            let _ = writeln!(
                out,
                "The values carry the identity's client id ({}) in the service account \
                 annotation. From this folder:\n",
                code(id)
            );
            out.push_str(&code_block("sh", &helm_command(model, &[])));
        }
        None => {
            let key = shell_word(&helm_set_key(&model.values.client_id_key));
            let _ = writeln!(
                out,
                "The identity's client id is only known once it exists, so the values do not \
                 hold it: pass it with `--set-string` (the dots inside the annotation key \
                 escaped). The commands stop if the client id comes back empty, since pods \
                 with an empty annotation fail every Azure call. From this folder:"
            );
            for source in client_id_sources(model) {
                let _ = writeln!(
                    out,
                    "\nWith the identity created by {}, {}:\n",
                    source.tool, source.how
                );
                let set = format!("--set-string {key}=\"$CLIENT_ID\"");
                let script = format!(
                    "CLIENT_ID=\"$({})\" &&\n  : \"${{CLIENT_ID:?the client id is empty}}\" &&\n{}",
                    source.command,
                    helm_command(model, &[set])
                );
                out.push_str(&code_block("sh", &script));
            }
            let _ = writeln!(
                out,
                "\nUse this folder instead of the Terraform target's release, not beside it: \
                 the Terraform module installs the same release with `helm_release`."
            );
        }
    }
    let steps = openai_ui_steps(model);
    if !steps.is_empty() {
        out.push('\n');
        out.push_str(&steps);
    }
    out
}
