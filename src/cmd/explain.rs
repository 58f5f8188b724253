//! `gonogo explain`: the rule catalogue, with a failing and a passing example per rule.

use crate::diag::{CATALOGUE, rule};
use crate::examples::EXAMPLES;
use serde_json::json;

type Files = &'static [(&'static str, &'static str)];

fn examples(code: &str) -> Option<(Files, Files)> {
    EXAMPLES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, f, p)| (*f, *p))
}

fn show(files: Files, audit: bool) -> String {
    let mut out = String::new();
    for (name, text) in files {
        if *name == "$ARGS" {
            out.push_str(&format!("  # checked with: gonogo check {text}\n"));
            continue;
        }
        let path = if audit {
            format!("{name} (gonogo audit {name})")
        } else if name.contains('/') {
            format!("releases/{name}")
        } else {
            format!("releases/example/{name}")
        };
        out.push_str(&format!("  # {path}\n"));
        let body = match text.strip_prefix('@') {
            Some(spec) => format!(
                "(a real {} report{})\n",
                spec.split('/').next().unwrap_or("runner"),
                if spec.contains('|') {
                    ", with one attribute changed"
                } else {
                    ""
                }
            ),
            None => text.to_string(),
        };
        for line in body.lines() {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out
}

pub fn run(code: Option<&str>, as_json: bool) -> anyhow::Result<bool> {
    if as_json {
        let files = |f: Files| {
            f.iter()
                .map(|(n, t)| json!({"name": n, "text": t}))
                .collect::<Vec<_>>()
        };
        let all: Vec<_> = CATALOGUE
            .iter()
            .map(|r| {
                let (fails, passes) = examples(r.code).unwrap_or((&[], &[]));
                json!({
                    "code": r.code,
                    "name": r.name,
                    "summary": r.summary,
                    "explanation": r.explanation,
                    "fails": files(fails),
                    "passes": files(passes),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&all)?);
        return Ok(true);
    }
    match code {
        None => {
            for r in CATALOGUE {
                println!("{}  {:<30} {}", r.code, r.name, r.summary);
            }
            Ok(true)
        }
        Some(c) => match rule(&c.to_ascii_uppercase()).or_else(|| {
            // By name too, as the list shows them: `gonogo explain sum-mismatch`.
            CATALOGUE
                .iter()
                .find(|r| r.name.eq_ignore_ascii_case(c.trim()))
        }) {
            Some(r) => {
                println!("{} {}: {}\n\n{}", r.code, r.name, r.summary, r.explanation);
                if let Some((fails, passes)) = examples(r.code) {
                    let audit = r.code.starts_with("GN13");
                    println!(
                        "\nFails:\n{}\nPasses:\n{}",
                        show(fails, audit),
                        show(passes, audit)
                    );
                }
                Ok(true)
            }
            None => {
                let mut names: Vec<&str> = CATALOGUE.iter().map(|r| r.name).collect();
                names.extend(CATALOGUE.iter().map(|r| r.code));
                let hint = crate::load::did_you_mean(&c.to_ascii_lowercase(), &names)
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                anyhow::bail!(
                    "no rule `{c}` (a code such as GN0101 or a name such as sum-mismatch); {hint}`gonogo explain` lists them"
                )
            }
        },
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_rule_has_examples() {
        for r in crate::diag::CATALOGUE {
            assert!(
                super::examples(r.code).is_some(),
                "{} has no examples",
                r.code
            );
        }
    }
}
