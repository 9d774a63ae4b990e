//! The spec's `allow` list: warnings a spec accepts, each with a reason.
//!
//! Only the codes in [`ALLOWABLE`] can be allowed: every warning, and `broad-scope`, the one
//! error a spec may accept (a deliberate broad grant, with its reason). Allowing an unknown
//! code, any other error or giving no reason is itself an error, at that line.

use super::Context;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::rules::{self, Rule};
use crate::suggest;

/// The codes a spec may allow.
pub static ALLOWABLE: &[&Rule] = &[
    // Warnings.
    &rules::OPENAI_UI_STEP,
    &rules::ISSUER_TRAILING_SLASH,
    &rules::PRIVILEGED_ROLE,
    &rules::CHART_IMAGE_MISMATCH,
    &rules::BICEP_KUBERNETES_EXTENSION,
    // The one error a spec may accept, with a reason.
    &rules::BROAD_SCOPE,
];

pub fn apply(cx: &Context, diagnostics: &mut Diagnostics) {
    let mut allowed: Vec<(usize, &'static Rule)> = Vec::new();
    let mut problems = Vec::new();
    for (i, entry) in cx.spec.allow.iter().enumerate() {
        let code = entry.code.trim();
        let code_span = cx.value(&format!("/allow/{i}/code"));
        let allowable = ALLOWABLE.iter().copied().find(|r| r.code == code);
        match (rules::find(code), allowable) {
            (None, _) => {
                let d = Diagnostic::error(
                    &rules::INVALID_ALLOW,
                    format!("`{code}` is not a wisp diagnostic code"),
                )
                .at_opt(code_span);
                problems.push(
                    match suggest::closest(code, ALLOWABLE.iter().map(|r| r.code)) {
                        Some(s) => d.help(format!("did you mean `{s}`?")),
                        None => d.help(allowable_help()),
                    },
                );
            }
            (Some(rule), None) if std::ptr::eq(rule, &rules::UNUSED_ALLOW) => problems.push(
                Diagnostic::error(
                    &rules::INVALID_ALLOW,
                    "`unused-allow` cannot be allowed: it reports an entry of this list",
                )
                .at_opt(code_span)
                .help("remove the unused entry instead"),
            ),
            (Some(rule), None) => problems.push(
                Diagnostic::error(
                    &rules::INVALID_ALLOW,
                    format!("`{}` cannot be allowed: it is an error, and errors describe a deployment that fails", rule.code),
                )
                .at_opt(code_span)
                .help(format!("fix the problem instead; {}", allowable_help())),
            ),
            (Some(_), Some(rule)) => {
                if entry.reason.trim().is_empty() {
                    problems.push(
                        Diagnostic::error(
                            &rules::INVALID_ALLOW,
                            format!("allowing `{code}` needs a reason"),
                        )
                        .at_opt(cx.value(&format!("/allow/{i}/reason")).or(code_span))
                        .help("say why the check does not apply to this spec, for the next reader"),
                    );
                } else {
                    allowed.push((i, rule));
                }
            }
        }
    }

    let mut used: Vec<&'static Rule> = Vec::new();
    diagnostics.retain(|d| {
        let allowed_here = allowed.iter().any(|(_, r)| std::ptr::eq(*r, d.rule))
            && (d.severity == Severity::Warning || std::ptr::eq(d.rule, &rules::BROAD_SCOPE));
        if allowed_here {
            used.push(d.rule);
        }
        !allowed_here
    });
    diagnostics.extend(problems);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return; // checks cut short by errors may not have run: unused entries are not known
    }
    for (i, rule) in allowed {
        if !used.iter().any(|u| std::ptr::eq(*u, rule)) {
            diagnostics.push(
                Diagnostic::warning(
                    &rules::UNUSED_ALLOW,
                    format!("nothing in this spec reports `{}`", rule.code),
                )
                .at_opt(cx.value(&format!("/allow/{i}/code")))
                .help("remove this entry"),
            );
        }
    }
}

fn allowable_help() -> String {
    let codes: Vec<String> = ALLOWABLE.iter().map(|r| r.code.to_string()).collect();
    format!("the codes a spec can allow are {}", super::list(&codes))
}
