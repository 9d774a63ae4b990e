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
         in the admin UI, and the generated README says how.\n\nFix: use image `v0.10.2` or later, or follow the UI steps after deploying.";
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
    TARGET_DIR_OUTSIDE = "target-dir-outside",
        "a target folder must stay inside the output root",
        "`targets.*.dir` is relative to `--out`, or to the spec's own folder. A folder that \
         leaves it (`..`, an absolute path) would let a spec write anywhere the user running \
         `wisp build` can, which a spec arriving in a pull request should not be able to do.\n\nExample:\n\n    targets:\n      terraform: { dir: ../../etc }\n\nFix: use a folder below the spec's folder, or pass `--allow-outside` to `wisp build` when the layout is deliberate.";
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
