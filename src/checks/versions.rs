//! What the chart version renders and runs: the service account name it gives the pods (the
//! federated credential's subject must name it), the values keys it has, and whether it was
//! built for the image. Chart facts come from the chart knowledge in `charts/`.

use super::Context;
use crate::charts::{self, get_path};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::rules;
use crate::version::Version;

pub fn check(cx: &Context, out: &mut Diagnostics) {
    let release = &cx.spec.release;
    let Some(chart) = charts::find(&release.chart) else {
        return;
    };
    let Some(chart_version) =
        Version::parse_full(&release.version).filter(|_| !release.version.starts_with('v'))
    else {
        return;
    };

    // The subject names the service account; the chart must render that very name.
    let sa = &cx.spec.kubernetes.service_account;
    let rendered = (chart.rendered_service_account)(chart_version, sa);
    if rendered != *sa {
        out.push(
            Diagnostic::error(
                &rules::SUBJECT_MISMATCH,
                format!(
                    "chart {chart_version} renders the service account `{sa}` as `{rendered}`, so the credential's subject `system:serviceaccount:{}:{sa}` would match no pod (AADSTS700213)",
                    cx.spec.kubernetes.namespace
                ),
            )
            .at_opt(cx.value("/release/version"))
            .help("use a chart version that keeps the name it is given (12.1.1 or later)"),
        );
    }

    // Keys this chart version does not have: Helm would ignore them silently.
    if let Some(values) = &release.values {
        for key in chart.keys_since {
            let path: Vec<String> = key.path.iter().map(|p| p.to_string()).collect();
            if chart_version < key.since && get_path(values, &path).is_some() {
                let pointer: String = key.path.iter().map(|p| format!("/{p}")).collect();
                out.push(
                    Diagnostic::error(
                        &rules::KEY_NOT_IN_CHART,
                        format!(
                            "chart {chart_version} has no `{}` (it exists from {}); Helm would ignore it",
                            key.path.join("."),
                            key.since
                        ),
                    )
                    .at_opt(cx.key(&format!("/release/values{pointer}")))
                    .help(format!(
                        "remove it, or use chart {} or later",
                        key.since
                    )),
                );
            }
        }
    }

    // The image should not be newer than the chart was built for, when a later chart is
    // known to ship it.
    let Some(image) = Version::parse_full(&release.image.tag) else {
        return;
    };
    if let (Some(app), Some((first, first_app))) = (
        chart.app_version(chart_version),
        chart.first_chart_for(image),
    ) {
        if image > app && chart_version < first {
            out.push(
                Diagnostic::warning(
                    &rules::CHART_IMAGE_MISMATCH,
                    format!(
                        "chart {chart_version} was built for Open WebUI {app}, but the image is {image}"
                    ),
                )
                .at_opt(cx.value("/release/version"))
                .help(format!(
                    "use chart {first} or later (it ships {first_app}), or accept it with `allow: [{{ code: chart-image-mismatch, reason: ... }}]`"
                )),
            );
        }
    }
}
