//! The Bicep target's template environment: the embedded templates, and the one formatter
//! every printed value goes through (Bicep string literals in `.bicep` and `.bicepparam`
//! templates, shell words in the README). Templates cannot print a value unescaped: the
//! `safe` filter is gone, and only values built here with [`raw`] are printed as is.

use crate::bicep_fmt;
use crate::emit::readme::shell_word;
use crate::emit::EmitError;
use minijinja::value::{Value, ValueKind};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior};

/// The templates, embedded so the binary is self-contained.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "main.bicep.j2",
        include_str!("../../../templates/bicep/main.bicep.j2"),
    ),
    (
        "role.bicep.j2",
        include_str!("../../../templates/bicep/role.bicep.j2"),
    ),
    (
        "roles.bicep.j2",
        include_str!("../../../templates/bicep/roles.bicep.j2"),
    ),
    (
        "namespace.bicep.j2",
        include_str!("../../../templates/bicep/namespace.bicep.j2"),
    ),
    (
        "main.bicepparam.j2",
        include_str!("../../../templates/bicep/main.bicepparam.j2"),
    ),
    (
        "README.md.j2",
        include_str!("../../../templates/bicep/README.md.j2"),
    ),
    (
        "bicepconfig.json.j2",
        include_str!("../../../templates/bicep/bicepconfig.json.j2"),
    ),
];

/// An identifier or an expression made of identifiers: printed as is.
pub fn raw(text: impl Into<String>) -> Value {
    Value::from_safe_string(text.into())
}

/// The one template environment of the process, built (and its templates compiled) once.
pub fn shared() -> &'static Environment<'static> {
    static ENV: std::sync::OnceLock<Environment<'static>> = std::sync::OnceLock::new();
    ENV.get_or_init(environment)
}

/// The template environment: strict about undefined values, with no way for a template to
/// print a value unescaped (the `safe` and `escape` filters are removed).
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .expect("a valid syntax"),
    );
    env.remove_filter("safe");
    env.remove_filter("escape");
    env.remove_filter("e");
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".md.j2") {
            AutoEscape::Custom("shell".into())
        } else {
            AutoEscape::Custom("bicep".into())
        }
    });
    env.set_formatter(|out, state, value| {
        if value.is_safe() {
            return write!(out, "{value}").map_err(Error::from);
        }
        let refuse = |what: &str| {
            Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("no {what} form for the value `{value:?}`"),
            ))
        };
        let mode = match state.auto_escape() {
            AutoEscape::Custom(m) => m.as_ref(),
            _ => "",
        };
        let text = match (mode, value.kind()) {
            ("bicep", ValueKind::String) => bicep_fmt::string(value.as_str().unwrap_or_default()),
            ("bicep", ValueKind::Bool) => value.is_true().to_string(),
            ("bicep", ValueKind::Number) => match value.as_i64() {
                Some(i) if value.to_string() == i.to_string() => i.to_string(),
                _ => return refuse("Bicep"),
            },
            ("shell", ValueKind::String) => shell_word(value.as_str().unwrap_or_default()),
            ("bicep", _) => return refuse("Bicep"),
            _ => return refuse("shell"),
        };
        out.write_str(&text).map_err(Error::from)
    });
    for (name, source) in TEMPLATES {
        env.add_template(name, source).expect("templates compile");
    }
    env
}

/// Renders a template and checks the `bicep format` layout: LF, no tabs or trailing blanks,
/// at most one blank line in a row, one final newline.
pub fn render(env: &Environment, name: &str, ctx: &Value) -> Result<String, EmitError> {
    let fail = |message: String| EmitError {
        target: "bicep",
        message,
    };
    let text = env
        .get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|e| fail(format!("{name}: {e:#}")))?;
    let bad_line = text
        .lines()
        .position(|l| l.ends_with(' ') || l.contains('\t') || l.contains('\r'));
    if let Some(n) = bad_line {
        return Err(fail(format!("{name}: line {} breaks the layout", n + 1)));
    }
    if text.contains("\n\n\n") || !text.ends_with('\n') || text.ends_with("\n\n") {
        return Err(fail(format!("{name}: blank lines break the layout")));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::context;

    #[test]
    fn templates_print_nothing_unescaped_or_undefined() {
        let mut env = environment();
        env.add_template("t.bicep.j2", "{{ v }}\n").unwrap();
        let out = |v: Value| {
            render(&env, "t.bicep.j2", &context! { v }).map(|s| s.trim_end().to_string())
        };
        assert_eq!(out(Value::from("a'${b}\n")).unwrap(), "'a\\'\\${b}\\n'");
        assert_eq!(out(Value::from(true)).unwrap(), "true");
        assert_eq!(out(Value::from(3)).unwrap(), "3");
        assert_eq!(out(raw("identity.id")).unwrap(), "identity.id");
        assert!(out(Value::from(())).is_err());
        assert!(out(Value::from(1.5)).is_err());
        assert!(out(Value::from(vec!["a"])).is_err());
        assert!(render(&env, "t.bicep.j2", &context! {}).is_err());
        env.add_template("s.bicep.j2", "{{ v|safe }}\n")
            .unwrap_or(());
        assert!(render(&env, "s.bicep.j2", &context! { v => "'" }).is_err());
    }
}
