//! What the Bicep target cannot do without: a scope given by id that it can declare, and
//! the opt-in to its preview Kubernetes extension. Run only when the target is on.

use super::Context;
use crate::arm::ArmId;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::emit::bicep::ArmScope;
use crate::rules;
use crate::spec::Scope;

pub fn check(cx: &Context, out: &mut Diagnostics) {
    let spec = cx.spec;
    for (i, ra) in spec.identity.role_assignments.iter().enumerate() {
        let Scope::Id(text) = &ra.scope else {
            continue;
        };
        // An id that is no ARM id at all is reported once, as `invalid-scope`.
        let Ok(id) = ArmId::parse(text) else {
            continue;
        };
        if let Err(why) = ArmScope::of(&id) {
            out.push(
                Diagnostic::error(
                    &rules::BICEP_SCOPE,
                    format!("the bicep target cannot declare the scope `{text}`: {why}"),
                )
                .at_opt(cx.value(&format!("/identity/roleAssignments/{i}/scope/id")))
                .help("use a subscription, resource group, Cognitive Services account, Key Vault or storage account scope, or turn the bicep target off under `targets`"),
            );
        }
    }
    let ext = spec.targets.as_ref().and_then(|t| t.bicep.as_ref());
    if ext.and_then(|b| b.kubernetes_extension) == Some(true) {
        out.push(
            Diagnostic::warning(
                &rules::BICEP_KUBERNETES_EXTENSION,
                "the namespace is created through the Bicep Kubernetes extension, which is a preview",
            )
            .at_opt(cx.value("/targets/bicep/kubernetesExtension"))
            .help("it needs a cluster-admin kubeconfig and fails with local accounts disabled or on private clusters; without it, Helm's `--create-namespace` creates the namespace"),
        );
    }
}
