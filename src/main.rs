//! `sous`: thin entry point. Parse the CLI, start logging, run the command.
use std::process::ExitCode;

use sous::{cli, telemetry};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = cli::parse();
    telemetry::init(&cli.log.log, cli.log.log_format == "json");
    match cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %err, "sous failed");
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
