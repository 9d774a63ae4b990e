//! Role assignment scopes given as ARM ids, as the Bicep target declares them: a module at
//! the id's subscription or resource group, and a resource there declared `existing`, which
//! needs an API version wisp knows for its type.

use crate::arm::ArmId;

/// A resource type wisp can declare as an `existing` resource, with the API version it uses.
#[derive(Debug, PartialEq, Eq)]
pub struct KnownType {
    pub type_name: &'static str,
    pub api_version: &'static str,
}

/// The resource types a scope id may name for the Bicep target.
pub static KNOWN_TYPES: &[KnownType] = &[
    KnownType {
        type_name: "Microsoft.CognitiveServices/accounts",
        api_version: "2025-06-01",
    },
    KnownType {
        type_name: "Microsoft.KeyVault/vaults",
        api_version: "2023-07-01",
    },
    KnownType {
        type_name: "Microsoft.Storage/storageAccounts",
        api_version: "2023-05-01",
    },
];

/// What a scope id names, in the terms Bicep declares it in.
#[derive(Debug, PartialEq, Eq)]
pub enum ArmScope<'a> {
    Subscription {
        subscription: &'a str,
    },
    ResourceGroup {
        subscription: &'a str,
        resource_group: &'a str,
    },
    Resource {
        subscription: &'a str,
        resource_group: &'a str,
        kind: &'static KnownType,
        name: &'a str,
    },
}

impl<'a> ArmScope<'a> {
    /// What `id` names; the error says why the Bicep target cannot declare it.
    pub fn of(id: &'a ArmId) -> Result<ArmScope<'a>, String> {
        let Some(subscription) = id.subscription.as_deref() else {
            return Err("only ids under `/subscriptions/` can be declared".into());
        };
        match (id.resource_group.as_deref(), id.resources.as_slice()) {
            (None, []) => Ok(ArmScope::Subscription { subscription }),
            (None, _) => Err("the id names no resource group".into()),
            (Some(resource_group), []) => Ok(ArmScope::ResourceGroup {
                subscription,
                resource_group,
            }),
            (Some(resource_group), [(_, name)]) => {
                let type_name = id.resource_type().unwrap_or_default();
                let kind = KNOWN_TYPES
                    .iter()
                    .find(|k| k.type_name.eq_ignore_ascii_case(&type_name))
                    .ok_or_else(|| format!("wisp knows no API version for `{type_name}`"))?;
                Ok(ArmScope::Resource {
                    subscription,
                    resource_group,
                    kind,
                    name,
                })
            }
            (Some(_), _) => Err("the id is not `.../providers/<namespace>/<type>/<name>` (child resources are not supported)".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUB: &str = "00000000-0000-0000-0000-000000000000";

    fn id(text: &str) -> ArmId {
        ArmId::parse(text).unwrap()
    }

    #[test]
    fn scopes_are_read() {
        let sub = id(&format!("/subscriptions/{SUB}"));
        assert_eq!(
            ArmScope::of(&sub),
            Ok(ArmScope::Subscription { subscription: SUB })
        );
        let rg = id(&format!("/subscriptions/{SUB}/resourcegroups/rg"));
        assert_eq!(
            ArmScope::of(&rg),
            Ok(ArmScope::ResourceGroup {
                subscription: SUB,
                resource_group: "rg"
            })
        );
        let account = id(&format!(
            "/subscriptions/{SUB}/resourceGroups/rg/providers/microsoft.cognitiveservices/accounts/oai"
        ));
        let Ok(ArmScope::Resource { kind, name, .. }) = ArmScope::of(&account) else {
            panic!("not a resource")
        };
        assert_eq!(
            (kind.type_name, name),
            ("Microsoft.CognitiveServices/accounts", "oai")
        );
    }

    #[test]
    fn undeclarable_scopes_are_refused() {
        for text in [
            "/providers/Microsoft.Management/managementGroups/mg".to_string(),
            format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Web/sites/app"),
            format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a/deployments/d"),
            format!("/subscriptions/{SUB}/providers/Microsoft.KeyVault/vaults/kv"),
        ] {
            assert!(ArmScope::of(&id(&text)).is_err(), "{text}");
        }
    }
}
