//! The cluster's OIDC issuer URL: Entra ID compares it byte for byte with the `iss` of every
//! token (REFERENCE §3), so a URL that cannot be an issuer, or an AKS issuer without its
//! trailing `/`, fails every token exchange with AADSTS700213.

use super::Context;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::rules;
use crate::spec::Cluster;

pub fn check(cx: &Context, out: &mut Diagnostics) {
    let Cluster::OidcIssuerUrl(url) = &cx.spec.cluster else {
        return;
    };
    let span = cx.value("/cluster/oidcIssuerUrl");
    match problem(url) {
        Some(why) => out.push(
            Diagnostic::error(
                &rules::INVALID_ISSUER,
                format!("the issuer {why}"),
            )
            .at_opt(span)
            .help("copy the issuer from `az aks show -n NAME -g RG --query oidcIssuerProfile.issuerUrl -o tsv`, or use `cluster.aks` to read it at deploy time"),
        ),
        None if is_aks(url) && !url.ends_with('/') => out.push(
            Diagnostic::warning(
                &rules::ISSUER_TRAILING_SLASH,
                "this AKS issuer has no trailing `/`, but AKS puts one in every token's issuer",
            )
            .at_opt(span)
            .help(format!("write `{url}/`: Entra ID matches the issuer byte for byte")),
        ),
        None => {}
    }
}

/// Why `url` cannot be an OIDC issuer: it must be `https://host[/path]`, without query,
/// fragment, credentials or white space.
fn problem(url: &str) -> Option<String> {
    let Some(rest) = url.strip_prefix("https://") else {
        return Some(if url.to_ascii_lowercase().starts_with("http://") {
            "uses `http`; issuers are `https` URLs".into()
        } else {
            "is not an `https://` URL".into()
        });
    };
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("contains white space".into());
    }
    if url.contains('?') {
        return Some("has a query (`?...`); issuers have none".into());
    }
    if url.contains('#') {
        return Some("has a fragment (`#...`); issuers have none".into());
    }
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() {
        return Some("has no host".into());
    }
    if host.contains('@') {
        return Some("holds credentials (`user@`)".into());
    }
    None
}

/// Whether the issuer is one AKS hosts (`https://<region>.oic.prod-aks.azure.com/...`).
fn is_aks(url: &str) -> bool {
    let host = url
        .trim_start_matches("https://")
        .split('/')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    host.contains(".oic.prod-aks.azure.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers() {
        let aks = "https://westeurope.oic.prod-aks.azure.com/t/c/";
        assert!(problem(aks).is_none());
        assert!(is_aks(aks));
        assert!(problem("http://x/").is_some());
        assert!(problem("https://x/?a=b").is_some());
        assert!(problem("https://x/#f").is_some());
        assert!(problem("https:///path").is_some());
        assert!(problem("https://u@x/").is_some());
        assert!(problem("westeurope.oic.prod-aks.azure.com").is_some());
        assert!(!is_aks("https://token.actions.githubusercontent.com"));
    }
}
