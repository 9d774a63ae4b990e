//! Names Azure and Kubernetes would reject at deploy time (REFERENCE §6): the identity, the
//! federated credential, resource groups, the namespace, the service account, the release,
//! the region, and the GUIDs of subscription and tenant.

use super::Context;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::regions;
use crate::roles::is_guid;
use crate::rules::{self, Rule};
use crate::spec::{Cluster, Scope};

pub fn check(cx: &Context, out: &mut Diagnostics) {
    let spec = cx.spec;
    let mut bad = |rule: &'static Rule, pointer: &str, message: String, help: String| {
        out.push(
            Diagnostic::error(rule, message)
                .at_opt(cx.value(pointer))
                .help(help),
        );
    };

    if let Some(why) = dns_label(&spec.name, 53) {
        bad(
            &rules::INVALID_RELEASE_NAME,
            "/name",
            format!("the release name `{}` {why}", spec.name),
            suggestion(&spec.name, 53, "a DNS-1123 label of at most 53 characters"),
        );
    }

    let location = &spec.azure.location;
    if !regions::is_known(location) {
        let help = match regions::suggest(location) {
            Some(r) => format!("did you mean `{r}`? Locations are written as `az account list-locations --query [].name` prints them"),
            None => "use a region name such as `westeurope`, `eastus2` or `swedencentral` (`az account list-locations --query [].name`)".into(),
        };
        bad(
            &rules::UNKNOWN_LOCATION,
            "/azure/location",
            format!("`{location}` is not an Azure region name"),
            help,
        );
    }

    let mut groups = vec![(
        "/azure/resourceGroup".to_string(),
        &spec.azure.resource_group,
    )];
    if let Cluster::Aks(aks) = &spec.cluster {
        groups.push(("/cluster/aks/resourceGroup".into(), &aks.resource_group));
    }
    for (i, ra) in spec.identity.role_assignments.iter().enumerate() {
        if let Scope::CognitiveAccount(acc) = &ra.scope {
            groups.push((
                format!("/identity/roleAssignments/{i}/scope/cognitiveAccount/resourceGroup"),
                &acc.resource_group,
            ));
        }
    }
    for (pointer, name) in groups {
        if let Some(why) = resource_group(name) {
            bad(
                &rules::INVALID_RESOURCE_GROUP_NAME,
                &pointer,
                format!("the resource group name `{name}` {why}"),
                "use 1-90 letters, digits, `_`, `-`, `.`, `(` or `)`, not ending in `.`".into(),
            );
        }
    }

    for (pointer, value, what) in [
        (
            "/azure/subscriptionId",
            &spec.azure.subscription_id,
            "subscription",
        ),
        ("/azure/tenantId", &spec.azure.tenant_id, "tenant"),
    ] {
        if let Some(v) = value.as_ref().filter(|v| !is_guid(v)) {
            bad(
                &rules::INVALID_VALUE,
                pointer,
                format!("the {what} id `{v}` is not a GUID"),
                format!(
                    "use the {what} id (`az account show --query {} -o tsv`)",
                    if what == "tenant" { "tenantId" } else { "id" }
                ),
            );
        }
    }

    let ns = &spec.kubernetes.namespace;
    if let Some(why) = dns_label(ns, 63) {
        bad(
            &rules::INVALID_NAMESPACE_NAME,
            "/kubernetes/namespace",
            format!("the namespace `{ns}` {why}"),
            suggestion(ns, 63, "a DNS-1123 label"),
        );
    }
    let sa = &spec.kubernetes.service_account;
    if let Some(why) = dns_subdomain(sa) {
        bad(
            &rules::INVALID_SERVICE_ACCOUNT_NAME,
            "/kubernetes/serviceAccount",
            format!("the service account name `{sa}` {why}"),
            suggestion(sa, 253, "a DNS-1123 subdomain"),
        );
    }

    let id = &spec.identity.name;
    if let Some(why) = managed_identity_name(id, 128) {
        bad(
            &rules::INVALID_IDENTITY_NAME,
            "/identity/name",
            format!("the identity name `{id}` {why}"),
            "use 3-128 letters, digits, `-` and `_`, starting with a letter or digit".into(),
        );
    }
    if let Some(fc) = &spec.identity.federated_credential_name {
        if let Some(why) = managed_identity_name(fc, 120) {
            bad(
                &rules::INVALID_CREDENTIAL_NAME,
                "/identity/federatedCredentialName",
                format!("the federated credential name `{fc}` {why}"),
                "use 3-120 letters, digits, `-` and `_`, starting with a letter or digit, or leave the field out for `<namespace>-<serviceAccount>`".into(),
            );
        }
    }
}

/// Why `name` is not a DNS-1123 label of at most `max` characters.
fn dns_label(name: &str, max: usize) -> Option<String> {
    if name.is_empty() {
        return Some("is empty".into());
    }
    if name.len() > max {
        return Some(format!(
            "is {} characters long; the limit is {max}",
            name.chars().count()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Some(format!(
            "contains {}; only lower-case letters, digits and `-` are allowed",
            shown(c)
        ));
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Some("must start and end with a letter or digit".into());
    }
    None
}

/// Why `name` is not a DNS-1123 subdomain (dot-separated labels, at most 253 characters).
fn dns_subdomain(name: &str) -> Option<String> {
    if name.len() > 253 {
        return Some(format!(
            "is {} characters long; the limit is 253",
            name.chars().count()
        ));
    }
    if name.is_empty() {
        return Some("is empty".into());
    }
    for label in name.split('.') {
        if label.is_empty() {
            return Some("has an empty part between dots".into());
        }
        if let Some(why) = dns_label(label, 253) {
            return Some(why.replace(
                "only lower-case letters, digits and `-`",
                "only lower-case letters, digits, `-` and `.`",
            ));
        }
    }
    None
}

/// Why `name` does not match `^[a-zA-Z0-9][a-zA-Z0-9-_]{2,max-1}$`: the rule for
/// user-assigned identity names (`max` 128) and federated credential names (`max` 120).
fn managed_identity_name(name: &str, max: usize) -> Option<String> {
    let n = name.chars().count();
    if !(3..=max).contains(&n) {
        return Some(format!("is {n} characters long; it must be 3-{max}"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Some(format!("contains {}", shown(c)));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Some("must start with a letter or digit".into());
    }
    None
}

/// Why `name` is not a resource group name.
fn resource_group(name: &str) -> Option<String> {
    let n = name.chars().count();
    if !(1..=90).contains(&n) {
        return Some(format!("is {n} characters long; it must be 1-90"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '(' | ')')))
    {
        return Some(format!("contains {}", shown(c)));
    }
    if name.ends_with('.') {
        return Some("ends with `.`".into());
    }
    None
}

/// A character as a message shows it.
fn shown(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        c if c.is_uppercase() => format!("the upper-case `{c}`"),
        c if c.is_control() || c.is_whitespace() => format!("the character U+{:04X}", c as u32),
        c => format!("`{c}`"),
    }
}

/// A help line proposing a valid DNS name made from `name`.
fn suggestion(name: &str, max: usize, what: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            s.push(c);
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let s: String = s.chars().take(max).collect();
    let s = s.trim_matches('-');
    if s.is_empty() {
        format!("use {what}: lower-case letters, digits and `-`")
    } else {
        format!("use {what}, e.g. `{s}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_names() {
        assert!(dns_label("open-webui", 63).is_none());
        assert!(dns_label("Open-WebUI", 63).is_some());
        assert!(dns_label("-a", 63).is_some());
        assert!(dns_label(&"a".repeat(54), 53).is_some());
        assert!(dns_subdomain("open-webui.sa").is_none());
        assert!(dns_subdomain("a..b").is_some());
        assert!(dns_subdomain("a_b").is_some());
        assert_eq!(
            suggestion("Open_WebUI", 63, "x"),
            "use x, e.g. `open-webui`"
        );
    }

    #[test]
    fn azure_names() {
        assert!(managed_identity_name("id-open_webui", 128).is_none());
        assert!(managed_identity_name("id", 128).is_some());
        assert!(managed_identity_name("_id", 128).is_some());
        assert!(managed_identity_name("id.x", 128).is_some());
        assert!(managed_identity_name("federated-identity", 120).is_none());
        assert!(managed_identity_name("ns.sa", 120).is_some());
        assert!(managed_identity_name(&"a".repeat(121), 120).is_some());
        assert!(managed_identity_name(&"a".repeat(121), 128).is_none());
        assert!(resource_group("rg-ai.(prod)").is_none());
        assert!(resource_group("rg.").is_some());
        assert!(resource_group("rg ai").is_some());
        assert!(resource_group("").is_some());
    }
}
