//! Printers of diagnostics: rustc-style text for people, JSON lines, GitHub Actions
//! workflow commands and SARIF 2.1.0 for machines. What was found is decided
//! elsewhere; this module only prints it.

use crate::cli::{Color, MessageFormat};
use crate::diag::{CATALOGUE, Diagnostic, Loc, Severity, SourceFile, render_human};
use serde_json::{Value, json};
use std::io::IsTerminal;

/// What was read: `count` releases or files.
#[derive(Clone, Copy)]
pub struct Scope {
    pub count: usize,
    pub noun: &'static str,
}

pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub scope: Scope,
}

pub fn summarize(diagnostics: &[Diagnostic], scope: Scope) -> Summary {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    Summary {
        errors,
        warnings: diagnostics.len() - errors,
        scope,
    }
}

/// Prints every diagnostic in the chosen format: human text to stderr, machine
/// formats to stdout (so they can be piped or uploaded).
pub fn print(
    output: &crate::cli::Output,
    sources: &[SourceFile],
    diagnostics: &[Diagnostic],
    scope: Scope,
) {
    let text = format(output, sources, diagnostics, scope);
    match output.message_format {
        MessageFormat::Human => eprint!("{text}"),
        MessageFormat::Json | MessageFormat::Github => print!("{text}"),
        MessageFormat::Sarif => println!("{text}"),
    }
}

/// What [`print`] prints.
pub fn format(
    output: &crate::cli::Output,
    sources: &[SourceFile],
    diagnostics: &[Diagnostic],
    scope: Scope,
) -> String {
    let s = summarize(diagnostics, scope);
    let (format, color, quiet) = (output.message_format, output.color, output.quiet);
    match format {
        MessageFormat::Human => human(color, quiet, sources, diagnostics, &s),
        MessageFormat::Json => json_lines(sources, diagnostics, &s),
        MessageFormat::Github => github(sources, diagnostics),
        MessageFormat::Sarif => sarif(sources, diagnostics),
    }
}

fn use_color(color: Color) -> bool {
    match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
    }
}

fn human(
    color: Color,
    quiet: bool,
    sources: &[SourceFile],
    diagnostics: &[Diagnostic],
    s: &Summary,
) -> String {
    let color = use_color(color);
    let mut out = String::new();
    let mut starts = crate::diag::LineStarts::default();
    for d in diagnostics {
        out.push_str(&render_human(d, sources, color, &mut starts));
        out.push_str("\n\n");
    }
    if s.errors + s.warnings > 0 && !quiet {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        out.push_str(&format!(
            "{}: {} error{}, {} warning{} in {} {}{}\n",
            if s.errors > 0 { "error" } else { "warning" },
            s.errors,
            plural(s.errors),
            s.warnings,
            plural(s.warnings),
            s.scope.count,
            s.scope.noun,
            plural(s.scope.count),
        ));
    }
    out
}

/// File path with forward slashes, as shown to the user.
fn path_of(sources: &[SourceFile], loc: &Loc) -> Option<String> {
    sources
        .get(loc.file)
        .map(|s| s.path.to_string_lossy().replace('\\', "/"))
}

fn severity(d: &Diagnostic) -> &'static str {
    match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

pub fn json_lines(sources: &[SourceFile], diagnostics: &[Diagnostic], s: &Summary) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let loc = d.loc.as_ref();
        // A finding about a whole file names the file, with no line.
        let at = loc.filter(|l| l.line > 0);
        let v = json!({
            "type": "diagnostic",
            "code": d.code,
            "severity": severity(d),
            "message": d.message,
            "file": loc.and_then(|l| path_of(sources, l)),
            "line": at.map(|l| l.line),
            "column": at.map(|l| l.col),
            "end_line": at.map(|l| l.line),
            "end_column": at.map(|l| l.col + l.len.max(1)),
            "claimed": d.claimed,
            "computed": d.computed,
            "notes": d.notes,
        });
        out.push_str(&v.to_string());
        out.push('\n');
    }
    let mut summary = json!({
        "type": "summary",
        "errors": s.errors,
        "warnings": s.warnings,
        "ok": s.errors == 0,
    });
    summary[format!("{}s", s.scope.noun)] = json!(s.scope.count);
    out.push_str(&summary.to_string());
    out.push('\n');
    out
}

/// Escapes the message of a workflow command.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
fn gh_prop(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The text of a finding in one line: message, claimed, computed, notes.
fn full_text(d: &Diagnostic) -> String {
    let mut text = d.message.clone();
    match (&d.claimed, &d.computed) {
        (Some(c), Some(v)) => text.push_str(&format!(" (stated: {c}; computed: {v})")),
        (Some(c), None) => text.push_str(&format!(" (stated: {c})")),
        (None, Some(v)) => text.push_str(&format!(" (computed: {v})")),
        (None, None) => {}
    }
    for n in &d.notes {
        text.push_str(&format!("\n{n}"));
    }
    text
}

pub fn github(sources: &[SourceFile], diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let name = crate::diag::rule(d.code).map(|r| r.name).unwrap_or("");
        let mut props = vec![];
        if let Some(l) = &d.loc
            && let Some(p) = path_of(sources, l)
        {
            props.push(format!("file={}", gh_prop(&p)));
            if l.line > 0 {
                props.push(format!("line={}", l.line));
                props.push(format!("col={}", l.col));
                props.push(format!("endColumn={}", l.col + l.len.max(1)));
            }
        }
        props.push(format!("title={}", gh_prop(&format!("{} {name}", d.code))));
        out.push_str(&format!(
            "::{} {}::{}\n",
            severity(d),
            props.join(","),
            gh_data(&full_text(d))
        ));
    }
    out
}

/// A relative URI reference for a file path: unreserved characters and `/` kept, the
/// rest percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn sarif(sources: &[SourceFile], diagnostics: &[Diagnostic]) -> String {
    let rules: Vec<Value> = CATALOGUE
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.explanation },
                "help": { "text": format!("gonogo explain {}", r.code) },
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut r = json!({
                "ruleId": d.code,
                "level": severity(d),
                "message": { "text": full_text(d) },
            });
            if let Some(i) = CATALOGUE.iter().position(|x| x.code == d.code) {
                r["ruleIndex"] = json!(i);
            }
            if let Some(l) = &d.loc
                && let Some(p) = path_of(sources, l)
            {
                let mut physical = json!({ "artifactLocation": { "uri": uri(&p) } });
                if l.line > 0 {
                    physical["region"] = json!({
                        "startLine": l.line,
                        "startColumn": l.col.max(1),
                        "endColumn": l.col.max(1) + l.len.max(1),
                    });
                }
                r["locations"] = json!([{ "physicalLocation": physical }]);
            }
            let mut props = serde_json::Map::new();
            if let Some(c) = &d.claimed {
                props.insert("claimed".into(), json!(c));
            }
            if let Some(c) = &d.computed {
                props.insert("computed".into(), json!(c));
            }
            if !props.is_empty() {
                r["properties"] = Value::Object(props);
            }
            r
        })
        .collect();
    let mut driver = sarif_driver();
    driver["rules"] = json!(rules);
    sarif_log(json!({ "tool": { "driver": driver }, "results": results }))
}

/// The SARIF tool component that names gonogo.
fn sarif_driver() -> Value {
    json!({
        "name": "gonogo",
        "version": env!("CARGO_PKG_VERSION"),
        "informationUri": "https://github.com/gonogo/gonogo",
    })
}

/// A SARIF 2.1.0 log of one run, pretty-printed.
fn sarif_log(run: Value) -> String {
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    serde_json::to_string_pretty(&log).expect("a JSON value serializes")
}

/// A run that could not be done (exit 2), in a machine format, for stdout: CI gets a
/// reason it can read, and a SARIF log to upload, where it would otherwise get
/// nothing. None for the human format (stderr says it).
pub fn failure(format: MessageFormat, message: &str, causes: &[String]) -> Option<String> {
    let text = std::iter::once(message.to_string())
        .chain(causes.iter().map(|c| format!("caused by: {c}")))
        .collect::<Vec<_>>()
        .join("\n");
    match format {
        MessageFormat::Human => None,
        MessageFormat::Json => Some(format!(
            "{}\n{}\n",
            json!({"type": "error", "message": message, "causes": causes}),
            json!({"type": "summary", "ok": false, "errors": null, "warnings": null, "failed_to_run": true}),
        )),
        MessageFormat::Github => Some(format!(
            "::error title={}::{}\n",
            gh_prop("gonogo could not run"),
            gh_data(&text)
        )),
        MessageFormat::Sarif => Some(format!(
            "{}\n",
            sarif_log(json!({
                "tool": { "driver": sarif_driver() },
                "invocations": [{
                    "executionSuccessful": false,
                    "exitCode": 2,
                    "toolExecutionNotifications": [{
                        "level": "error",
                        "message": { "text": text },
                    }],
                }],
                "results": [],
            }))
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escapes() {
        assert_eq!(gh_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(gh_prop("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(uri("my data/r#1.yaml"), "my%20data/r%231.yaml");
    }
}
