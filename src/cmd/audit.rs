//! `gonogo audit FILE...`: contradictions in hand-written documents.

use crate::cli::AuditArgs;
use crate::report::Scope;

pub fn run(args: &AuditArgs) -> anyhow::Result<bool> {
    let files = crate::audit::collect(&args.files)?;
    if files.is_empty() {
        anyhow::bail!("no .md, .markdown or .txt files found in the folders given");
    }
    let (sources, findings) = crate::audit::audit(&files, args.fix_encoding)?;
    crate::report::print(
        &args.output,
        &sources,
        &findings,
        Scope {
            count: sources.len(),
            noun: "file",
        },
    );
    if findings.is_empty()
        && !args.output.quiet
        && args.output.message_format == crate::cli::MessageFormat::Human
    {
        eprintln!(
            "audited {} file{}: no contradictions found",
            sources.len(),
            if sources.len() == 1 { "" } else { "s" }
        );
    }
    Ok(findings.is_empty())
}
