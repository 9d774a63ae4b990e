//! Role assignments: scope ids parsed as ARM ids, least privilege (no grant on a whole
//! resource group, subscription or management group; no role that can write or grant
//! access), and no assignment twice.

use super::Context;
use crate::arm::{ArmId, Level};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::roles;
use crate::rules;
use crate::spec::Scope;

pub fn check(cx: &Context, out: &mut Diagnostics) {
    let spec = cx.spec;
    // (role GUID, scope) of each assignment that resolved, for duplicates.
    let mut seen: Vec<(usize, String, String)> = Vec::new();
    for (i, ra) in spec.identity.role_assignments.iter().enumerate() {
        let base = format!("/identity/roleAssignments/{i}");
        let role = resolve(&ra.role);

        let scope_key = match &ra.scope {
            Scope::CognitiveAccount(acc) => Some(
                match &spec.azure.subscription_id {
                    Some(sub) => format!(
                        "/subscriptions/{sub}/resourceGroups/{}/providers/Microsoft.CognitiveServices/accounts/{}",
                        acc.resource_group, acc.name
                    ),
                    None => format!("account:{}/{}", acc.resource_group, acc.name),
                }
                .to_ascii_lowercase(),
            ),
            Scope::Id(text) => {
                let span = cx.value(&format!("{base}/scope/id"));
                match ArmId::parse(text) {
                    Err(e) => {
                        out.push(
                            Diagnostic::error(
                                &rules::INVALID_SCOPE,
                                format!("the scope `{text}` is not an ARM resource id: {}", e.0),
                            )
                            .at_opt(span)
                            .help("use the resource's full id (`az resource show -g RG -n NAME --resource-type TYPE --query id -o tsv`), or `cognitiveAccount: { name, resourceGroup }`"),
                        );
                        None
                    }
                    Ok(id) => {
                        let level = id.level();
                        if level < Level::Resource {
                            let what = match level {
                                Level::ManagementGroup => format!(
                                    "the management group `{}`",
                                    id.management_group.as_deref().unwrap_or_default()
                                ),
                                Level::Subscription => format!(
                                    "the subscription `{}`",
                                    id.subscription.as_deref().unwrap_or_default()
                                ),
                                _ => format!(
                                    "the resource group `{}`",
                                    id.resource_group.as_deref().unwrap_or_default()
                                ),
                            };
                            out.push(
                                Diagnostic::error(
                                    &rules::BROAD_SCOPE,
                                    format!(
                                        "`{}` is granted on {what}: every resource in the {level}, including those created later",
                                        ra.role.trim()
                                    ),
                                )
                                .at_opt(span)
                                .help("scope it to the resource the pods use (`cognitiveAccount: { name, resourceGroup }` or the resource's id), or accept it with `allow: [{ code: broad-scope, reason: ... }]`"),
                            );
                        }
                        Some(id.canonical())
                    }
                }
            }
        };

        let Some((guid, builtin)) = role else {
            continue; // unknown-role is reported by the model
        };
        if let Some(r) = builtin.filter(|r| r.privileged) {
            out.push(
                Diagnostic::warning(
                    &rules::PRIVILEGED_ROLE,
                    format!(
                        "`{}` can {}; the pods only need to call the service",
                        r.name,
                        match r.name {
                            "Contributor" => "change and delete resources",
                            "Owner" => "change resources and grant access to others",
                            _ => "grant access to others",
                        }
                    ),
                )
                .at_opt(cx.value(&format!("{base}/role")))
                .help("use a data-plane role such as `Cognitive Services OpenAI User`, or accept it with `allow: [{ code: privileged-role, reason: ... }]`"),
            );
        }
        let Some(scope_key) = scope_key else { continue };
        if let Some((first, _, _)) = seen.iter().find(|(_, g, s)| *g == guid && *s == scope_key) {
            let line = cx
                .value(&format!("/identity/roleAssignments/{first}/role"))
                .map(|s| format!(" (line {})", cx.line(s.start)))
                .unwrap_or_default();
            out.push(
                Diagnostic::error(
                    &rules::DUPLICATE_ROLE_ASSIGNMENT,
                    format!(
                        "this assignment repeats assignment {}{line}: the same role on the same scope",
                        first + 1
                    ),
                )
                .at_opt(cx.value(&format!("{base}/role")))
                .help("remove one of the two; Azure keeps one assignment per identity, role and scope (a second fails with `RoleAssignmentExists`)"),
            );
        } else {
            seen.push((i, guid, scope_key));
        }
    }
}

/// The role's definition GUID (lower case) and its built-in entry, when known.
fn resolve(role: &str) -> Option<(String, Option<&'static roles::BuiltinRole>)> {
    let role = role.trim();
    if roles::is_guid(role) {
        let guid = role.to_ascii_lowercase();
        let builtin = roles::by_guid(&guid);
        Some((guid, builtin))
    } else {
        roles::by_name(role).map(|r| (r.guid.to_string(), Some(r)))
    }
}
