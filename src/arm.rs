//! Azure Resource Manager ids, parsed into their parts in one place: management group or
//! subscription, resource group, provider namespace, resource types and names.
//!
//! ```text
//! /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.CognitiveServices/accounts/<name>
//! /providers/Microsoft.Management/managementGroups/<name>
//! ```

use crate::roles::is_guid;
use std::fmt;

/// A well-formed ARM id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArmId {
    /// The management group, for an id of the form `/providers/Microsoft.Management/managementGroups/<name>`.
    pub management_group: Option<String>,
    /// The subscription GUID (as written).
    pub subscription: Option<String>,
    pub resource_group: Option<String>,
    /// The resource provider namespace (`Microsoft.CognitiveServices`).
    pub provider: Option<String>,
    /// Resource types and names from the provider on: `[("accounts", "oai-prod")]`, nested
    /// children after their parent.
    pub resources: Vec<(String, String)>,
}

/// How much an id covers, from everything under a management group down to one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    ManagementGroup,
    Subscription,
    ResourceGroup,
    Resource,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::ManagementGroup => "management group",
            Level::Subscription => "subscription",
            Level::ResourceGroup => "resource group",
            Level::Resource => "resource",
        })
    }
}

/// Why a text is not an ARM id: one sentence, lower case, for a diagnostic message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArmError(pub String);

impl ArmId {
    /// Parses an id. Keywords (`subscriptions`, `resourceGroups`, `providers`) match in any
    /// case, as ARM matches them; names are kept as written.
    pub fn parse(id: &str) -> Result<ArmId, ArmError> {
        let err = |m: &str| Err(ArmError(m.to_string()));
        let Some(rest) = id.strip_prefix('/') else {
            return err("it does not start with `/subscriptions/` or `/providers/`");
        };
        if rest.ends_with('/') {
            return err("it ends with `/`");
        }
        if id.chars().any(char::is_whitespace) {
            return err("it contains white space");
        }
        let parts: Vec<&str> = rest.split('/').collect();
        if parts.iter().any(|p| p.is_empty()) {
            return err("it has an empty segment (`//`)");
        }
        let is = |i: usize, word: &str| parts.get(i).is_some_and(|p| p.eq_ignore_ascii_case(word));
        let mut out = ArmId {
            management_group: None,
            subscription: None,
            resource_group: None,
            provider: None,
            resources: Vec::new(),
        };
        if is(0, "providers") {
            if !(is(1, "Microsoft.Management") && is(2, "managementGroups")) {
                return err("an id starting with `/providers/` must be `/providers/Microsoft.Management/managementGroups/<name>`");
            }
            let Some(name) = parts.get(3) else {
                return err("the management group has no name");
            };
            if parts.len() > 4 {
                return err("a management group id ends after the group's name");
            }
            out.management_group = Some(name.to_string());
            return Ok(out);
        }
        if !is(0, "subscriptions") {
            return err("it does not start with `/subscriptions/` or `/providers/`");
        }
        let Some(sub) = parts.get(1) else {
            return err("the subscription has no id");
        };
        if !is_guid(sub) {
            return Err(ArmError(format!("the subscription `{sub}` is not a GUID")));
        }
        out.subscription = Some(sub.to_string());
        let mut i = 2;
        if is(i, "resourceGroups") {
            let Some(rg) = parts.get(i + 1) else {
                return err("the resource group has no name");
            };
            out.resource_group = Some(rg.to_string());
            i += 2;
        }
        if i == parts.len() {
            return Ok(out);
        }
        if !is(i, "providers") {
            return Err(ArmError(format!(
                "`{}` is not `resourceGroups` or `providers`",
                parts[i]
            )));
        }
        let Some(namespace) = parts.get(i + 1) else {
            return err("`providers` is not followed by a provider namespace");
        };
        if !namespace.contains('.')
            || !namespace
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.')
        {
            return Err(ArmError(format!(
                "`{namespace}` is not a provider namespace such as `Microsoft.CognitiveServices`"
            )));
        }
        out.provider = Some(namespace.to_string());
        let pairs = &parts[i + 2..];
        if pairs.is_empty() {
            return err("the provider namespace is not followed by a resource type and name");
        }
        if pairs.len() % 2 != 0 {
            return Err(ArmError(format!(
                "the resource type `{}` has no name after it",
                pairs[pairs.len() - 1]
            )));
        }
        for pair in pairs.chunks(2) {
            out.resources
                .push((pair[0].to_string(), pair[1].to_string()));
        }
        Ok(out)
    }

    pub fn level(&self) -> Level {
        if self.management_group.is_some() {
            Level::ManagementGroup
        } else if !self.resources.is_empty() {
            Level::Resource
        } else if self.resource_group.is_some() {
            Level::ResourceGroup
        } else {
            Level::Subscription
        }
    }

    /// The full resource type (`Microsoft.CognitiveServices/accounts`), for a resource.
    pub fn resource_type(&self) -> Option<String> {
        let provider = self.provider.as_ref()?;
        let types: Vec<&str> = self.resources.iter().map(|(t, _)| t.as_str()).collect();
        Some(format!("{provider}/{}", types.join("/")))
    }

    /// The resource's own name (the last one), for a resource.
    pub fn name(&self) -> Option<&str> {
        self.resources.last().map(|(_, n)| n.as_str())
    }

    /// The id in a form that compares equal for ids ARM takes as the same (keywords, GUIDs
    /// and names ignore case).
    pub fn canonical(&self) -> String {
        self.to_string().to_ascii_lowercase()
    }
}

impl fmt::Display for ArmId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(mg) = &self.management_group {
            return write!(f, "/providers/Microsoft.Management/managementGroups/{mg}");
        }
        if let Some(sub) = &self.subscription {
            write!(f, "/subscriptions/{sub}")?;
        }
        if let Some(rg) = &self.resource_group {
            write!(f, "/resourceGroups/{rg}")?;
        }
        if let Some(p) = &self.provider {
            write!(f, "/providers/{p}")?;
            for (t, n) in &self.resources {
                write!(f, "/{t}/{n}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUB: &str = "00000000-0000-0000-0000-000000000000";

    #[test]
    fn parses_a_resource_into_its_parts() {
        let text = format!(
            "/subscriptions/{SUB}/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/oai-prod"
        );
        let id = ArmId::parse(&text).unwrap();
        assert_eq!(id.subscription.as_deref(), Some(SUB));
        assert_eq!(id.resource_group.as_deref(), Some("rg-ai"));
        assert_eq!(
            id.resource_type().as_deref(),
            Some("Microsoft.CognitiveServices/accounts")
        );
        assert_eq!(id.name(), Some("oai-prod"));
        assert_eq!(id.level(), Level::Resource);
        assert_eq!(id.to_string(), text);
    }

    #[test]
    fn knows_broad_levels() {
        let level = |t: &str| ArmId::parse(t).unwrap().level();
        assert_eq!(level(&format!("/subscriptions/{SUB}")), Level::Subscription);
        assert_eq!(
            level(&format!("/SUBSCRIPTIONS/{SUB}/resourcegroups/rg")),
            Level::ResourceGroup
        );
        assert_eq!(
            level("/providers/Microsoft.Management/managementGroups/mg-root"),
            Level::ManagementGroup
        );
        assert_eq!(
            level(&format!(
                "/subscriptions/{SUB}/providers/Microsoft.Network/dnsZones/example.com"
            )),
            Level::Resource
        );
    }

    #[test]
    fn rejects_what_is_not_an_id() {
        for bad in [
            "oai-prod",
            "/subscriptions/not-a-guid",
            &format!("/subscriptions/{SUB}/"),
            &format!("/subscriptions/{SUB}//resourceGroups/rg"),
            &format!("/subscriptions/{SUB}/resourceGroups"),
            &format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Foo/accounts"),
            &format!("/subscriptions/{SUB}/resourceGroups/rg/providers/accounts/x"),
            &format!("/subscriptions/{SUB}/resourceGroups/rg/things/x"),
            "/providers/Microsoft.Management/managementGroups",
        ] {
            assert!(ArmId::parse(bad).is_err(), "{bad} parsed");
        }
    }
}
