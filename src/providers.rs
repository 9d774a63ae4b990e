//! Terraform provider constraints and the syntax they call for (REFERENCE §1).
//!
//! Each syntax form is valid for a range of provider versions. wisp writes the first form,
//! in order of preference (non-deprecated first), that is valid for *every* version the
//! constraint admits; a constraint no single form serves is an error.

use crate::version::{parse_constraint, Range, Version};

pub const DEFAULT_AZURERM: &str = "~> 4.65";
pub const DEFAULT_HELM: &str = "~> 3.0";
pub const DEFAULT_KUBERNETES: &str = "~> 3.0";

/// How `azurerm_federated_identity_credential` names its parent identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AzurermForm {
    /// `user_assigned_identity_id` (azurerm 4.65 and later).
    UserAssignedIdentityId,
    /// `parent_id` alone (azurerm 4.60 to 4.x).
    ParentId,
    /// `parent_id` and `resource_group_name` (azurerm 4.x before 4.60 needs both).
    ParentIdAndResourceGroup,
}

/// How `helm_release` takes `set` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelmForm {
    /// `set = [{ ... }]` (helm 3.x).
    SetList,
    /// `set { ... }` blocks (helm 2.x).
    SetBlocks,
}

/// Which namespace resource type to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KubernetesForm {
    /// `kubernetes_namespace_v1` (kubernetes 2.7 and later).
    NamespaceV1,
    /// `kubernetes_namespace` (deprecated from 3.0).
    Namespace,
}

/// One syntax form and the provider versions that accept it.
struct Form<F> {
    form: F,
    valid: Range,
    describe: &'static str,
}

const fn v(major: u64, minor: u64) -> Version {
    Version::new(major, minor, 0)
}

fn azurerm_forms() -> [Form<AzurermForm>; 3] {
    [
        Form {
            form: AzurermForm::UserAssignedIdentityId,
            valid: Range::new(v(4, 65), None),
            describe: "`user_assigned_identity_id` (azurerm 4.65 and later)",
        },
        Form {
            form: AzurermForm::ParentId,
            valid: Range::new(v(4, 60), Some(v(5, 0))),
            describe: "`parent_id` without `resource_group_name` (azurerm 4.60 to 4.x)",
        },
        Form {
            form: AzurermForm::ParentIdAndResourceGroup,
            valid: Range::new(v(4, 0), Some(v(5, 0))),
            describe: "`parent_id` and `resource_group_name` (azurerm 4.0 to 4.x)",
        },
    ]
}

fn helm_forms() -> [Form<HelmForm>; 2] {
    [
        Form {
            form: HelmForm::SetList,
            valid: Range::new(v(3, 0), None),
            describe: "`set = [...]` attributes (helm 3.0 and later)",
        },
        Form {
            form: HelmForm::SetBlocks,
            valid: Range::new(v(2, 0), Some(v(3, 0))),
            describe: "`set { }` blocks (helm 2.x)",
        },
    ]
}

fn kubernetes_forms() -> [Form<KubernetesForm>; 2] {
    [
        Form {
            form: KubernetesForm::NamespaceV1,
            valid: Range::new(v(2, 7), None),
            describe: "`kubernetes_namespace_v1` (kubernetes 2.7 and later)",
        },
        Form {
            form: KubernetesForm::Namespace,
            valid: Range::new(v(1, 0), Some(v(4, 0))),
            describe: "`kubernetes_namespace` (kubernetes before 2.7; deprecated from 3.0)",
        },
    ]
}

/// A provider's constraint as written and the form chosen for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice<F> {
    pub constraint: String,
    pub form: F,
    /// Why this form: for `wisp explain`.
    pub reason: String,
}

/// What went wrong with one constraint, and how to bound it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstraintError {
    pub message: String,
    pub help: String,
}

fn choose<F: Copy>(
    provider: &str,
    constraint: &str,
    forms: &[Form<F>],
    suggestion: &str,
) -> Result<Choice<F>, ConstraintError> {
    let admitted = parse_constraint(constraint).map_err(|message| ConstraintError {
        message: format!("the {provider} constraint is invalid: {message}"),
        help: format!("write a Terraform constraint such as `{suggestion}`"),
    })?;
    for form in forms {
        if admitted.within(&form.valid) {
            return Ok(Choice {
                constraint: constraint.to_string(),
                form: form.form,
                reason: format!(
                    "`{constraint}` admits {admitted}, all of which accept {}",
                    form.describe
                ),
            });
        }
    }
    let known: Vec<String> = forms
        .iter()
        .map(|f| format!("{} for {}", f.describe, f.valid))
        .collect();
    Err(ConstraintError {
        message: format!(
            "the {provider} constraint `{constraint}` admits versions ({admitted}) with no syntax in common"
        ),
        help: format!(
            "bound it to versions one syntax serves, e.g. `{suggestion}`; wisp knows {}",
            known.join("; ")
        ),
    })
}

pub fn azurerm(constraint: &str) -> Result<Choice<AzurermForm>, ConstraintError> {
    choose("azurerm", constraint, &azurerm_forms(), DEFAULT_AZURERM)
}

pub fn helm(constraint: &str) -> Result<Choice<HelmForm>, ConstraintError> {
    choose("helm", constraint, &helm_forms(), DEFAULT_HELM)
}

pub fn kubernetes(constraint: &str) -> Result<Choice<KubernetesForm>, ConstraintError> {
    choose(
        "kubernetes",
        constraint,
        &kubernetes_forms(),
        DEFAULT_KUBERNETES,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azurerm_forms_follow_the_constraint() {
        assert_eq!(
            azurerm("~> 4.0").unwrap().form,
            AzurermForm::ParentIdAndResourceGroup
        );
        assert_eq!(
            azurerm("~> 4.65").unwrap().form,
            AzurermForm::UserAssignedIdentityId
        );
        assert_eq!(azurerm("~> 4.61").unwrap().form, AzurermForm::ParentId);
        assert_eq!(
            azurerm("~> 5.0").unwrap().form,
            AzurermForm::UserAssignedIdentityId
        );
        assert!(azurerm(">= 4.0").is_err());
        assert!(azurerm("~> 3.0").is_err());
    }

    #[test]
    fn helm_and_kubernetes_forms_follow_the_constraint() {
        assert_eq!(helm("~> 2.17").unwrap().form, HelmForm::SetBlocks);
        assert_eq!(helm("~> 3.0").unwrap().form, HelmForm::SetList);
        let err = helm(">= 2.0").unwrap_err();
        assert!(err.help.contains("~> 3.0"), "{}", err.help);
        assert_eq!(
            kubernetes("~> 2.0").unwrap().form,
            KubernetesForm::Namespace
        );
        assert_eq!(
            kubernetes(">= 2.7").unwrap().form,
            KubernetesForm::NamespaceV1
        );
        assert_eq!(
            kubernetes("~> 3.0").unwrap().form,
            KubernetesForm::NamespaceV1
        );
    }
}
