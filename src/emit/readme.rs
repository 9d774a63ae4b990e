//! Markdown and shell pieces the generated READMEs share: quoting a user string as a shell
//! word or a code span, and the admin-UI steps for an Open WebUI too old to read the Azure
//! OpenAI connection from the environment.

use crate::model::Model;
use std::fmt::Write as _;

/// `text` as one shell word: plain when it holds only characters no shell treats specially,
/// single-quoted when it has no control characters (a `'` inside becomes `'\''`), else
/// `$'...'` with escapes, so no value ever spans lines of a README's command.
pub fn shell_word(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        return text.to_string();
    }
    if !text.chars().any(char::is_control) {
        return format!("'{}'", text.replace('\'', r"'\''"));
    }
    let mut out = String::from("$'");
    for c in text.chars() {
        match c {
            '\\' => out.push_str(r"\\"),
            '\'' => out.push_str(r"\'"),
            '\n' => out.push_str(r"\n"),
            '\r' => out.push_str(r"\r"),
            '\t' => out.push_str(r"\t"),
            c if c.is_control() => out.push_str(&format!(r"\U{:08x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// `text` as a Markdown code span: the fence is one backtick longer than the longest run of
/// backticks inside, with padding where the text starts or ends with one (CommonMark 6.1).
pub fn code(text: &str) -> String {
    let one_line = text.replace(['\n', '\r'], " ");
    let longest = one_line
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if one_line.starts_with('`') || one_line.ends_with('`') || one_line.is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{one_line}{pad}{fence}")
}

/// A fenced code block holding `body`, fenced so no line of `body` can close it.
pub fn code_block(lang: &str, body: &str) -> String {
    let longest = body
        .lines()
        .map(|l| l.trim_start().chars().take_while(|&c| c == '`').count())
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}{lang}\n{body}\n{fence}\n")
}

/// The section telling an admin how to add the Azure OpenAI connection by hand, when the
/// spec has an `openai` section the image cannot read from the environment; empty otherwise.
pub fn openai_ui_steps(model: &Model) -> String {
    let Some(openai) = &model.openai else {
        return String::new();
    };
    if model.values.openai_in_env {
        return String::new();
    }
    let mut out = String::new();
    let _ = writeln!(out, "## Connect Azure OpenAI in the admin UI\n");
    let _ = writeln!(
        out,
        "Open WebUI {} reads the Azure OpenAI connection from the environment only from 0.10.2, \
         so wisp cannot configure it. After the first deploy, signed in as an admin:\n",
        model.release.image_version
    );
    let deployments: Vec<String> = openai.deployments.iter().map(|d| code(d)).collect();
    let steps = [
        "Open **Admin Panel** → **Settings** → **Connections**.".to_string(),
        "Under **OpenAI API**, click **Add Connection** (**+**).".to_string(),
        format!("URL: {}.", code(&openai.endpoint)),
        "Provider: **Azure OpenAI**.".to_string(),
        "Auth: **Entra ID** (Microsoft Entra ID); leave the API key empty.".to_string(),
        format!("API version: {}.", code(&openai.api_version)),
        format!(
            "Model IDs: add each deployment name: {}.",
            deployments.join(", ")
        ),
        "Save the connection.".to_string(),
    ];
    for (i, step) in steps.iter().enumerate() {
        let _ = writeln!(out, "{}. {step}", i + 1);
    }
    let _ = writeln!(
        out,
        "\nWith image `v0.10.2` or later, wisp writes this connection into the chart's \
         environment and no UI step is left."
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_survive_a_shell() {
        assert_eq!(shell_word("open-webui"), "open-webui");
        assert_eq!(
            shell_word("https://helm.openwebui.com/"),
            "https://helm.openwebui.com/"
        );
        assert_eq!(shell_word("a b"), "'a b'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
        assert_eq!(shell_word("$(rm -rf /)"), "'$(rm -rf /)'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn shell_words_never_span_lines() {
        assert_eq!(shell_word("a\nb'"), r"$'a\nb\''");
        assert_eq!(shell_word("a\\b\tc\r"), r"$'a\\b\tc\r'");
        assert_eq!(shell_word("\u{1}\u{7f}"), r"$'\U00000001\U0000007f'");
    }

    #[test]
    fn code_spans_cannot_be_closed_from_inside() {
        assert_eq!(code("gpt-4o"), "`gpt-4o`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("a\nb"), "`a b`");
    }

    #[test]
    fn code_blocks_outlast_backticks_inside() {
        assert_eq!(code_block("sh", "ls"), "```sh\nls\n```\n");
        assert_eq!(code_block("", "````"), "`````\n````\n`````\n");
    }
}
