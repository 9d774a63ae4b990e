//! Built-in Azure role definitions wisp knows by name (REFERENCE §5; the last three from the
//! Azure Verified Modules' `builtInRoleNames` maps).

/// A built-in role: its display name and its definition GUID (the same in every tenant).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinRole {
    pub name: &'static str,
    pub guid: &'static str,
    /// Whether the role can change resources or grant access (least-privilege warnings).
    pub privileged: bool,
}

pub static BUILTIN_ROLES: &[BuiltinRole] = &[
    role(
        "Cognitive Services OpenAI User",
        "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd",
        false,
    ),
    role(
        "Cognitive Services OpenAI Contributor",
        "a001fd3d-188f-4b5d-821b-7da978bf7442",
        false,
    ),
    role(
        "Cognitive Services User",
        "a97b65f3-24c7-4388-baec-2e87135dc908",
        false,
    ),
    role(
        "Cognitive Services Contributor",
        "25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68",
        false,
    ),
    role(
        "Azure AI Developer",
        "64702f94-c441-49e6-a78b-ef80e0188fee",
        false,
    ),
    role(
        "Key Vault Secrets User",
        "4633458b-17de-408a-b874-0445c86b69e6",
        false,
    ),
    role(
        "Storage Blob Data Reader",
        "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
        false,
    ),
    role(
        "Storage Blob Data Contributor",
        "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
        false,
    ),
    role("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7", false),
    role("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c", true),
    role("Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", true),
    role(
        "User Access Administrator",
        "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
        true,
    ),
    role(
        "Role Based Access Control Administrator",
        "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
        true,
    ),
    role(
        "Search Index Data Reader",
        "1407120a-92aa-4202-b7e9-c0e197c71c8f",
        false,
    ),
    role(
        "Search Index Data Contributor",
        "8ebe5a00-799e-43f5-93ac-243d3dce84a7",
        false,
    ),
];

const fn role(name: &'static str, guid: &'static str, privileged: bool) -> BuiltinRole {
    BuiltinRole {
        name,
        guid,
        privileged,
    }
}

/// A built-in role by name, ignoring case.
pub fn by_name(name: &str) -> Option<&'static BuiltinRole> {
    BUILTIN_ROLES
        .iter()
        .find(|r| r.name.eq_ignore_ascii_case(name.trim()))
}

/// A built-in role by definition GUID, ignoring case.
pub fn by_guid(guid: &str) -> Option<&'static BuiltinRole> {
    BUILTIN_ROLES
        .iter()
        .find(|r| r.guid.eq_ignore_ascii_case(guid))
}

/// Whether `text` is a GUID (`8-4-4-4-12` hex digits).
pub fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_roles_up_both_ways() {
        let r = by_name("cognitive services openai user").unwrap();
        assert_eq!(r.guid, "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd");
        assert_eq!(by_guid(r.guid).unwrap().name, r.name);
        assert!(is_guid(r.guid));
        assert!(!is_guid("5e0bd9bd7b934f28af8719fc36ad61bd"));
    }
}
