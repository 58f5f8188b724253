//! The pages `serve` shows instead of the site: the findings while the data has
//! errors, the reason when gonogo could not build at all, and "not found".

use super::Content;
use crate::diag::Severity;
use crate::render::trend::escape;

const PAGE_STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}\
h1{font-size:1.4rem;color:#a40000}li{margin:0 0 1rem}code,pre{font:13px ui-monospace,monospace}\
pre{background:#f4f4f4;padding:.4rem .6rem;overflow-x:auto;margin:.3rem 0}\
.error .code{color:#a40000}.warning .code{color:#8a5a00}.note{color:#555}";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{PAGE_STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n",
        escape(title)
    )
}

/// The page shown instead of the site while the data has errors.
pub fn diagnostics_page(p: &crate::load::Project) -> Content {
    let mut diags: Vec<_> = p.diagnostics.iter().collect();
    diags.sort_by_key(|d| d.severity);
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let title = format!(
        "gonogo: {errors} error{} in the data",
        if errors == 1 { "" } else { "s" }
    );
    let mut html = format!(
        "<h1>{}</h1>\n<p>The site is not shown until the data is consistent. \
         This page reloads when a file changes.</p>\n<ol>\n",
        escape(&title)
    );
    let mut text = format!("{title}\n\n");
    for d in diags {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        html.push_str(&format!(
            "<li class=\"{level}\"><strong class=\"code\">{level}[{}]</strong>: {}",
            escape(d.code),
            escape(&d.message)
        ));
        text.push_str(&format!("{level}[{}]: {}\n", d.code, d.message));
        if let Some(loc) = d.loc {
            let file = p
                .sources
                .get(loc.file)
                .map(|s| s.path.display().to_string())
                .unwrap_or_else(|| "?".into());
            let at = if loc.line == 0 {
                file
            } else {
                format!("{file}:{}:{}", loc.line, loc.col)
            };
            html.push_str(&format!("<div><code>{}</code></div>", escape(&at)));
            text.push_str(&format!(" --> {at}\n"));
            let line = p.sources.get(loc.file).and_then(|s| {
                s.text
                    .lines()
                    .nth(usize::try_from(loc.line).ok()?.checked_sub(1)?)
            });
            if let Some(line) = line {
                html.push_str(&format!("<pre>{}</pre>", escape(line)));
            }
        }
        if d.claimed.is_some() || d.computed.is_some() {
            let parts: Vec<String> = [("stated", &d.claimed), ("computed", &d.computed)]
                .into_iter()
                .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}: {v}")))
                .collect();
            let parts = parts.join("; ");
            html.push_str(&format!("<div>{}</div>", escape(&parts)));
            text.push_str(&format!(" {parts}\n"));
        }
        for n in &d.notes {
            html.push_str(&format!("<div class=\"note\">note: {}</div>", escape(n)));
            text.push_str(&format!(" = note: {n}\n"));
        }
        html.push_str("</li>\n");
        text.push('\n');
    }
    html.push_str("</ol>");
    Content::Errors {
        html: page(&title, &html),
        text,
    }
}

/// The page shown when gonogo could not build at all (e.g. a template does not compile).
pub fn failure_page(message: &str) -> Content {
    let title = "gonogo could not build the site";
    let body = format!(
        "<h1>{title}</h1>\n<pre>{}</pre>\n<p>This page reloads when a file changes.</p>",
        escape(message)
    );
    Content::Errors {
        html: page(title, &body),
        text: format!("{title}\n\n{message}\n"),
    }
}

/// The page for a path that is not part of the site.
pub fn not_found(path: &str) -> String {
    page(
        "Not found",
        &format!(
            "<h1>Not found</h1>\n<p><code>{}</code> is not part of the site. \
             <a href=\"/\">All releases</a></p>",
            escape(path)
        ),
    )
}
