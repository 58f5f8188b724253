//! `gonogo explain`: the rule catalogue.

use crate::diag::{CATALOGUE, rule};

pub fn run(code: Option<&str>, _json: bool) -> anyhow::Result<bool> {
    match code {
        None => {
            for r in CATALOGUE {
                println!("{}  {:<30} {}", r.code, r.name, r.summary);
            }
            Ok(true)
        }
        Some(c) => match rule(&c.to_ascii_uppercase()) {
            Some(r) => {
                println!("{} {}: {}\n\n{}", r.code, r.name, r.summary, r.explanation);
                Ok(true)
            }
            None => anyhow::bail!("no rule `{c}`; `gonogo explain` lists them"),
        },
    }
}
