//! ARM resource ids as role assignment scopes: what a literal id names, for targets (Bicep)
//! that must declare the scope as a resource rather than pass the id as a string.

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

/// What a scope id names.
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

/// Reads a scope id; the error says why the id cannot be declared.
pub fn parse(id: &str) -> Result<ArmScope<'_>, String> {
    let segments: Vec<&str> = id.trim_end_matches('/').split('/').collect();
    let key = |i: usize, k: &str| segments.get(i).is_some_and(|s| s.eq_ignore_ascii_case(k));
    let nonempty = |i: usize| segments.get(i).copied().filter(|s| !s.is_empty());
    if !(segments.first() == Some(&"") && key(1, "subscriptions")) {
        return Err("only ids under `/subscriptions/` can be declared".into());
    }
    let Some(subscription) = nonempty(2) else {
        return Err("the id names no subscription".into());
    };
    if segments.len() == 3 {
        return Ok(ArmScope::Subscription { subscription });
    }
    let Some(resource_group) = nonempty(4).filter(|_| key(3, "resourceGroups")) else {
        return Err("the id names no resource group".into());
    };
    if segments.len() == 5 {
        return Ok(ArmScope::ResourceGroup {
            subscription,
            resource_group,
        });
    }
    let (Some(namespace), Some(kind), Some(name), true, 9) = (
        nonempty(6),
        nonempty(7),
        nonempty(8),
        key(5, "providers"),
        segments.len(),
    ) else {
        return Err("the id is not `.../providers/<namespace>/<type>/<name>` (child resources are not supported)".into());
    };
    let type_name = format!("{namespace}/{kind}");
    let Some(kind) = KNOWN_TYPES
        .iter()
        .find(|k| k.type_name.eq_ignore_ascii_case(&type_name))
    else {
        return Err(format!("wisp knows no API version for `{type_name}`"));
    };
    Ok(ArmScope::Resource {
        subscription,
        resource_group,
        kind,
        name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_read() {
        assert_eq!(
            parse("/subscriptions/s").unwrap(),
            ArmScope::Subscription { subscription: "s" }
        );
        assert_eq!(
            parse("/subscriptions/s/resourcegroups/rg/").unwrap(),
            ArmScope::ResourceGroup {
                subscription: "s",
                resource_group: "rg"
            }
        );
        let ArmScope::Resource { kind, name, .. } = parse(
            "/subscriptions/s/resourceGroups/rg/providers/microsoft.cognitiveservices/accounts/oai",
        )
        .unwrap() else {
            panic!("not a resource")
        };
        assert_eq!(
            (kind.type_name, name),
            ("Microsoft.CognitiveServices/accounts", "oai")
        );
    }

    #[test]
    fn undeclarable_scopes_are_refused() {
        for id in [
            "/providers/Microsoft.Management/managementGroups/mg",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a/deployments/d",
            "/subscriptions/s/other/x",
            "/subscriptions//resourceGroups/rg",
        ] {
            assert!(parse(id).is_err(), "{id}");
        }
    }
}
