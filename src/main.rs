//! gonogo: release readiness as a build. See README.md.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match gonogo::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            // Help and version are not failures; anything else is a usage error.
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    match gonogo::run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(gonogo::Failure { error: e, stdout }) => {
            if let Some(out) = stdout {
                print!("{out}");
            }
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}
