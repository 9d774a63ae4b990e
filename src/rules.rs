//! Every diagnostic code wisp can report, with the text `wisp rule CODE` prints.
//!
//! A code is stable once released: tools filter on it. Each rule carries its own
//! explanation, so a code cannot exist without documentation.

/// One check, named by a stable kebab-case code.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub code: &'static str,
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// The long explanation: why it matters, an example and the fix.
    pub explanation: &'static str,
}

macro_rules! rules {
    ($($name:ident = $code:literal, $summary:literal, $explanation:literal;)*) => {
        $(pub static $name: Rule = Rule { code: $code, summary: $summary, explanation: $explanation };)*
        /// All rules, in the order they are documented.
        pub static ALL: &[&Rule] = &[$(&$name),*];
    };
}

rules! {
    YAML_SYNTAX = "yaml-syntax",
        "the spec must be one well-formed YAML document with string keys and no duplicates",
        "The spec is read as YAML 1.2. A syntax error, a duplicate key or a second document \
         (`---`) stops wisp before anything else is checked, because every later check needs \
         the tree.\n\nExample:\n\n    identity:\n      name: id-app\n      name: id-other   # duplicate key\n\nFix: remove the duplicate, close the quote or fix the indentation at the position shown.";
    UNKNOWN_FIELD = "unknown-field",
        "every key must be one the spec format defines",
        "The spec format is closed: a misspelt key would otherwise be ignored silently and the \
         setting it meant to change would keep its default. Keys are camelCase, like Kubernetes \
         and Helm.\n\nExample:\n\n    kubernetes:\n      serviceaccount: open-webui   # should be serviceAccount\n\nFix: use the spelling the help line suggests, or see `wisp schema` for every field.";
    MISSING_FIELD = "missing-field",
        "every required field must be present",
        "Fields without which wisp cannot build a correct deployment have no default: the \
         namespace, the service account, the identity name and the release are always spelt \
         out, so that the federated credential's subject is never a guess.\n\nExample:\n\n    kubernetes:\n      namespace: open-webui\n      # serviceAccount missing\n\nFix: add the field named in the message.";
    WRONG_TYPE = "wrong-type",
        "every value must have the type the spec format gives it",
        "A value of the wrong type (a number where a string is expected, a list where a \
         mapping is) is reported at its position.\n\nExample:\n\n    release:\n      version: 7.2   # read as a number\n\nFix: quote strings that look like numbers (`version: \"7.2.0\"`).";
    INVALID_VALUE = "invalid-value",
        "a value must be one the spec format allows",
        "Some fields take one of a fixed set of values, or must match a pattern (for example \
         `apiVersion: wisp/v1`, or a GUID for `azure.tenantId`).\n\nExample:\n\n    apiVersion: wisp/v2\n\nFix: use one of the values the message lists.";
    EXACTLY_ONE_OF = "exactly-one-of",
        "a choice such as `cluster` or a role's `scope` must name exactly one alternative",
        "`cluster` takes either `oidcIssuerUrl` or `aks`, and a role assignment's `scope` takes \
         either `cognitiveAccount` or `id`: one, not both and not neither, so the issuer and the \
         scope have one source.\n\nExample:\n\n    cluster:\n      oidcIssuerUrl: https://westeurope.oic.prod-aks.azure.com/t/c/\n      aks: { name: aks-prod, resourceGroup: rg-aks }\n\nFix: keep one of the alternatives.";
    UNSUPPORTED_CHART = "unsupported-chart",
        "the release's chart must be one whose values wisp knows",
        "Where a chart keeps its service account name, its annotations and its pod labels is \
         specific to the chart, and Helm does not reject a misspelt key. wisp only emits values \
         for charts it knows, so the federated credential's subject always names the service \
         account the chart really renders.\n\nExample:\n\n    release:\n      chart: some-other-chart\n\nFix: use a supported chart (`open-webui`), at a version wisp knows.";
    INVALID_VERSION = "invalid-version",
        "chart and image versions must be semantic versions wisp can compare",
        "wisp picks chart keys and Open WebUI settings by version, so the chart version and the \
         image tag must be versions (`7.2.0`, `v0.6.33`), not moving tags like `latest`.\n\nExample:\n\n    image: { tag: main }\n\nFix: pin the image to a release tag such as `v0.6.33`.";
    PROVIDER_CONSTRAINT = "provider-constraint",
        "a Terraform provider constraint must admit versions that share one syntax",
        "The provider constraints go into `required_providers` as written and also choose the \
         syntax wisp writes. A constraint that admits provider versions with no common syntax \
         (`helm >= 2.0` admits both the 2.x `set {}` blocks and the 3.x `set = [...]` list) \
         cannot be served by one module.\n\nExample:\n\n    providers: { helm: \">= 2.0\" }\n\nFix: bound the constraint to one major, e.g. `~> 3.0`.";
    VALUES_CONFLICT = "values-conflict",
        "`release.values` must not change a value wisp owns",
        "wisp sets the chart values that Workload Identity depends on (the service account \
         name, its client-id annotation, the pod label, the image tag). A different value for \
         one of them in `release.values` would silently break the federated credential match, \
         so it is an error rather than an override.\n\nExample:\n\n    release:\n      values:\n        serviceAccount:\n          name: other   # wisp sets it from kubernetes.serviceAccount\n\nFix: set the value in its own spec field (here `kubernetes.serviceAccount`) and remove it from `values`.";
    TARGET_INPUT = "target-input",
        "a target must have every input it cannot do without",
        "Some targets need values that others can look up at deploy time: the Kubernetes \
         target writes ARM ids and the issuer literally, so it needs `azure.subscriptionId` \
         and a literal `cluster.oidcIssuerUrl`.\n\nFix: add the field the message names, or turn the target off under `targets`.";
    OPENAI_UI_STEP = "openai-ui-step",
        "the Azure OpenAI connection can only be configured from the environment from Open WebUI 0.10.2",
        "Open WebUI reads `OPENAI_API_CONFIGS` (Azure, Entra ID auth, deployments) from 0.10.2 \
         on. With an older image wisp cannot configure the connection; it must be added once \
         in the admin UI once after deploying:\n\n1. Admin Panel > Settings > Connections, add a connection (`+`).\n2. URL: the account endpoint (`https://<name>.openai.azure.com`); provider: Azure OpenAI.\n3. Auth: Entra ID (the pod's Workload Identity token is used; no key).\n4. API version: the spec's `openai.apiVersion`; model IDs: the deployment names.\n5. Save. With `ENABLE_PERSISTENT_CONFIG` on (the default) the saved connection is kept.\n\nThe warning's help line repeats these steps with the spec's values.\n\nFix: use image `v0.10.2` or later, or follow the UI steps after deploying.";
    OPENAI_IMAGE_TOO_OLD = "openai-image-too-old",
        "an `openai` connection needs Open WebUI 0.6.30 or later",
        "Entra ID auth for Azure OpenAI connections exists in Open WebUI from 0.6.30. An older \
         image cannot reach Azure OpenAI through Workload Identity at all: every request would \
         fail with a 401.\n\nExample:\n\n    release:\n      image: { tag: v0.6.18 }\n    openai: { endpoint: https://oai.openai.azure.com, apiVersion: 2024-10-21, deployments: [gpt-4o] }\n\nFix: use image `v0.10.2` or later (which also reads the connection from the environment).";
    UNKNOWN_ROLE = "unknown-role",
        "a role must be a built-in role name wisp knows or a role definition GUID",
        "Role assignments are written with the role definition GUID, which is the same in every \
         tenant for built-in roles. A name wisp does not know is probably misspelt; a custom \
         role is given by its GUID.\n\nExample:\n\n    - role: Cognitive Services OpenAI Usr\n\nFix: use the suggested name, or the role definition GUID (`az role definition list --name NAME --query [].name`).";
    INVALID_SCOPE = "invalid-scope",
        "a role assignment scope id must be an ARM resource id",
        "A scope given by `id` must be a full Azure Resource Manager id, starting with \
         `/subscriptions/<guid>` (or a management group).\n\nExample:\n\n    scope:\n      id: oai-prod   # a name, not an id\n\nFix: use `az resource show ... --query id`, or give the account by `cognitiveAccount: { name, resourceGroup }`.";
    INVALID_IDENTITY_NAME = "invalid-identity-name",
        "a user-assigned identity name must be 3-128 letters, digits, `-` or `_`",
        "Azure rejects a managed identity name outside 3-128 characters of letters, digits, \
         hyphens and underscores, starting with a letter or digit, and only when the deployment \
         runs.\n\nExample:\n\n    identity:\n      name: id.open.webui   # dots are not allowed\n\nFix: use letters, digits, `-` and `_` only, e.g. `id-open-webui`.";
    INVALID_CREDENTIAL_NAME = "invalid-credential-name",
        "a federated identity credential name must match `[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}`",
        "A federated identity credential's name is 3-120 characters: a letter or digit, then \
         letters, digits, `-` or `_`. No dots, unlike Kubernetes names.\n\nExample:\n\n    identity:\n      federatedCredentialName: open-webui.sa\n\nFix: replace the dots and other characters with `-`, or leave the field out (default `<namespace>-<serviceAccount>`).";
    INVALID_RESOURCE_GROUP_NAME = "invalid-resource-group-name",
        "a resource group name must be 1-90 letters, digits, `_ - . ( )`, not ending in `.`",
        "Azure resource group names are 1-90 characters of letters, digits, underscores, \
         hyphens, periods and parentheses, and cannot end with a period. This applies to \
         `azure.resourceGroup` and to every `resourceGroup` a lookup names.\n\nExample:\n\n    azure:\n      resourceGroup: rg open webui   # spaces are not allowed\n\nFix: use the resource group's name as `az group list --query [].name` prints it.";
    INVALID_NAMESPACE_NAME = "invalid-namespace-name",
        "a namespace must be a DNS-1123 label",
        "Kubernetes namespace names are DNS-1123 labels: at most 63 characters, lower-case \
         letters, digits and `-`, starting and ending with a letter or digit. The name is also \
         part of the federated credential's subject, so it must be the namespace exactly.\n\nExample:\n\n    kubernetes:\n      namespace: Open_WebUI\n\nFix: use the suggested lower-case name, e.g. `open-webui`.";
    INVALID_SERVICE_ACCOUNT_NAME = "invalid-service-account-name",
        "a service account name must be a DNS-1123 subdomain",
        "Kubernetes service account names are DNS-1123 subdomains: at most 253 characters, \
         lower-case letters, digits, `-` and `.`, each dot-separated part starting and ending \
         with a letter or digit. The API server rejects any other name, after the Azure side \
         has been created for it.\n\nExample:\n\n    kubernetes:\n      serviceAccount: OpenWebUI\n\nFix: use the suggested lower-case name, e.g. `open-webui`.";
    INVALID_RELEASE_NAME = "invalid-release-name",
        "a Helm release name must be a DNS-1123 label of at most 53 characters",
        "Helm rejects release names longer than 53 characters (it appends suffixes to build \
         resource names within the 63-character limit) and names that are not DNS-1123 labels.\n\nExample:\n\n    name: Open_WebUI\n\nFix: use lower-case letters, digits and `-`, at most 53 characters.";
    UNKNOWN_LOCATION = "unknown-location",
        "`azure.location` must be an Azure region name",
        "The location is written as the region's name (`westeurope`), the form \
         `az account list-locations --query [].name` prints, not its display name \
         (`West Europe`). wisp knows the public cloud's regions; a name it does not know is \
         most likely misspelt, and Azure would reject it only when deploying.\n\nExample:\n\n    azure:\n      location: West Europe\n\nFix: use the suggested region name, e.g. `westeurope`.";
    INVALID_ISSUER = "invalid-issuer",
        "the OIDC issuer must be an `https` URL without query or fragment",
        "Entra ID compares the token's issuer with the federated credential's issuer byte for \
         byte, and an issuer is always an `https` URL with a host and no `?query` or \
         `#fragment`. Anything else can never match: every token exchange would fail with \
         AADSTS700213 (no matching federated identity record).\n\nExample:\n\n    cluster:\n      oidcIssuerUrl: http://westeurope.oic.prod-aks.azure.com/t/c/\n\nFix: copy the issuer from `az aks show -n NAME -g RG --query oidcIssuerProfile.issuerUrl -o tsv`, or use `cluster.aks` to read it at deploy time.";
    ISSUER_TRAILING_SLASH = "issuer-trailing-slash",
        "an AKS issuer URL ends with `/`",
        "AKS reports its OIDC issuer with a trailing `/` and puts exactly that string in the \
         tokens it issues. Entra ID compares issuers byte for byte, so a credential whose \
         issuer lacks the `/` matches no token (AADSTS700213).\n\nExample:\n\n    cluster:\n      oidcIssuerUrl: https://westeurope.oic.prod-aks.azure.com/<tenant>/<guid>\n\nFix: add the trailing `/`, exactly as `az aks show --query oidcIssuerProfile.issuerUrl` prints it.";
    BROAD_SCOPE = "broad-scope",
        "a role assignment must be scoped to a resource, not a subscription, management group or resource group",
        "Least privilege: the pods need one Azure OpenAI account, not every resource in a \
         resource group or subscription, including those created later. A role granted on a \
         resource group, subscription or management group is an error.\n\nThis is the one \
         error a spec may allow, with a reason, for the rare case where the broad grant is \
         intended:\n\n    allow:\n      - code: broad-scope\n        reason: the search indexer reads every storage account in rg-data\n\nExample:\n\n    scope:\n      id: /subscriptions/<sub>/resourceGroups/rg-ai\n\nFix: scope the role to the resource (`cognitiveAccount: { name, resourceGroup }`, or the resource's full id).";
    PRIVILEGED_ROLE = "privileged-role",
        "a workload identity should not hold a role that can change resources or grant access",
        "Owner, Contributor, User Access Administrator and Role Based Access Control \
         Administrator can change or delete resources, or grant access to others. A pod that calls Azure OpenAI needs a data-plane role such as \
         `Cognitive Services OpenAI User`; a stolen token of a privileged identity can do far \
         more.\n\nExample:\n\n    - role: Contributor\n\nFix: use the narrowest data-plane role (`Cognitive Services OpenAI User`), or allow the warning with a reason.";
    DUPLICATE_ROLE_ASSIGNMENT = "duplicate-role-assignment",
        "two role assignments must not grant the same role on the same scope",
        "Azure keeps one assignment per principal, role and scope: the second one fails at \
         deploy time with `RoleAssignmentExists` (409).\n\nExample:\n\n    roleAssignments:\n      - { role: Cognitive Services OpenAI User, scope: { cognitiveAccount: { name: oai, resourceGroup: rg-ai } } }\n      - { role: cognitive services openai user, scope: { cognitiveAccount: { name: oai, resourceGroup: rg-ai } } }\n\nFix: remove one of the two.";
    LITERAL_SECRET = "literal-secret",
        "`release.values` must not hold a literal credential",
        "With Workload Identity the pods get a short-lived token from the cluster; there is no \
         API key, password or connection string to configure, and a literal one in the spec \
         ends up in Git, in Terraform state and in the Helm release. A non-empty string under a \
         key that looks like a credential (`*KEY*`, `*SECRET*`, `*PASSWORD*`, `*TOKEN*`, \
         `*CONNECTION_STRING*`, in any case and with `_`, `-` or camelCase), or an \
         `extraEnvVars` entry with such a name and a literal `value`, is an error. Names that \
         refer to a credential stored elsewhere (`existingSecret`, `secretName`, `valueFrom`, \
         `*Ref`) or configure one (`*ENABLE*`, `*ALLOWED*`, `*ENDPOINT*`, `*URL*`, \
         `*EXPIR*`, ...), and the values `true` and `false`, are not credentials.\n\nExample:\n\n    extraEnvVars:\n      - name: OPENAI_API_KEY\n        value: sk-...\n\nFix: remove it; for a credential the app really needs, reference a Kubernetes Secret (`valueFrom: { secretKeyRef: { name, key } }`).";
    SUBJECT_MISMATCH = "subject-mismatch",
        "the federated credential's subject must name the service account the chart renders",
        "The subject is `system:serviceaccount:<namespace>:<serviceAccount>`; the chart must \
         render exactly that service account. Open WebUI charts 12.0.0 to 12.1.0 append `-sa` \
         to the name they are given, so pods would run as `<name>-sa` and every token exchange \
         would fail with AADSTS700213.\n\nExample:\n\n    release:\n      version: 12.0.0\n\nFix: use chart 12.1.1 or later (or one before 12.0.0).";
    KEY_NOT_IN_CHART = "key-not-in-chart",
        "`release.values` must not set a key the chart version does not have",
        "The chart has no `values.schema.json`, so Helm ignores a key the chart version does \
         not know, silently. wisp knows when keys it depends on appeared: \
         `serviceAccount.create` exists from chart 8.12.2, `openaiApiKey` from 8.11.0.\n\nExample:\n\n    release:\n      version: 7.2.0\n      values:\n        serviceAccount:\n          create: false   # ignored by 7.2.0\n\nFix: remove the key, or use a chart version that has it.";
    CHART_IMAGE_MISMATCH = "chart-image-mismatch",
        "the chart version should be one built for the image",
        "Each chart version is built for one Open WebUI version (its appVersion): its env \
         names and defaults follow that release. Running a much newer image on an older chart \
         works for the tutorial's pair (chart 7.2.0, built for 0.6.18, with image 0.6.33) but \
         misses settings the newer image expects. wisp warns when the image is newer than the \
         chart's appVersion and a later chart is known to ship that image.\n\nExample:\n\n    release:\n      version: 7.2.0\n      image: { tag: v0.6.33 }\n\nFix: use the chart version the warning names, or allow the warning with a reason.";
    INVALID_ALLOW = "invalid-allow",
        "an `allow` entry must name a warning (or `broad-scope`) and give a reason",
        "`allow` silences warnings for one spec, each with the reason it is fine. Errors \
         cannot be allowed: they describe a deployment that fails. The one exception is \
         `broad-scope`, a policy error a spec may allow with a reason. An unknown code, an \
         error code or an empty reason is an error.\n\nExample:\n\n    allow:\n      - code: privileged-role\n        reason: \"\"\n\nFix: name a warning code (`wisp rule --list`) and say why it is fine.";
    UNUSED_ALLOW = "unused-allow",
        "an `allow` entry should silence something",
        "An `allow` entry whose code no check reports for this spec silences nothing; it is \
         probably left over from an earlier version of the spec.\n\nExample:\n\n    allow:\n      - code: issuer-trailing-slash   # the issuer already ends in `/`\n        reason: written as the cluster reports it\n\nFix: remove the entry.";
    TOO_MANY_CREDENTIALS = "too-many-credentials",
        "an identity can have at most 20 federated credentials",
        "Azure allows 20 federated identity credentials per user-assigned identity. Specs \
         built together that put their credentials on the same identity (same name and \
         resource group) are counted together; the 21st fails at deploy time.\n\nExample:\n\n    wisp build apps/*/wisp.yaml   # 21 specs, each with `identity: { name: id-shared }`\n\nFix: give some of the releases their own identity.";
    BICEP_SCOPE = "bicep-scope",
        "the bicep target must be able to declare every role assignment scope",
        "Bicep grants a role on a declared resource, not on an id string, so the bicep target \
         turns a scope `id` into an `existing` resource deployed in the id's resource group. \
         That needs a subscription or resource group id, or a resource id of a type wisp knows \
         an API version for (Cognitive Services accounts, Key Vaults, storage accounts).\n\nExample:\n\n    scope:\n      id: /subscriptions/<sub>/resourceGroups/rg/providers/Microsoft.Web/sites/app\n\nFix: use a supported scope (for an Azure OpenAI account, `cognitiveAccount: { name, resourceGroup }`), or turn the bicep target off under `targets`.";
    BICEP_KUBERNETES_EXTENSION = "bicep-kubernetes-extension",
        "the Bicep Kubernetes extension is a preview with limits",
        "With `targets.bicep.kubernetesExtension: true` the namespace is created through the \
         Bicep Kubernetes extension. The extension is labelled preview, needs a cluster-admin \
         kubeconfig, and fails on clusters with local accounts disabled and on private \
         clusters (the deployment engine cannot reach their API server).\n\nFix: keep it only for public clusters with local accounts; otherwise remove `kubernetesExtension` and create the namespace with Helm (`--create-namespace`) or the Kubernetes target.";
    TARGET_DIR_OUTSIDE = "target-dir-outside",
        "a target folder must stay inside the output root",
        "`targets.*.dir` is relative to `--out`, or to the spec's own folder. A folder that \
         leaves it (`..`, an absolute path) would let a spec write anywhere the user running \
         `wisp build` can, which a spec arriving in a pull request should not be able to do.\n\nExample:\n\n    targets:\n      terraform: { dir: ../../etc }\n\nFix: use a folder below the spec's folder, or pass `--allow-outside` to `wisp build` when the layout is deliberate.";
    SPEC_FILE = "spec-file",
        "a spec must be a UTF-8 text file of at most 1 MiB",
        "wisp reads a spec as YAML, which is Unicode text: a binary file (one holding a NUL \
         byte), a file in another encoding (Latin-1, UTF-16) or a file larger than 1 MiB is \
         rejected before parsing, at the position of the first offending byte. A spec for \
         one release is a few kilobytes, so a bigger file is almost always the wrong file; \
         the bound also keeps every run fast.\n\nExample:\n\n    wisp build deploy/values.tgz\n\nFix: name the YAML spec, saved as UTF-8.";
}

/// Looks a rule up by its code.
pub fn find(code: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_kebab_case_and_documented() {
        let mut seen = HashSet::new();
        for rule in ALL {
            assert!(seen.insert(rule.code), "duplicate code {}", rule.code);
            assert!(
                rule.code
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{} is not kebab-case",
                rule.code
            );
            assert!(!rule.summary.is_empty() && rule.explanation.contains("Fix"));
        }
    }
}
