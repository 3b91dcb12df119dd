//! The `sous` command line: `serve`, `migrate`, `seed`, `generate`, `backtest`, `redact`.
use std::time::Instant;

use chrono::{Duration, Utc};
use clap::{Parser, Subcommand};

use std::sync::Arc;

use crate::{
    cache::{CacheSettings, PlanCache},
    config::{CacheArgs, DEFAULT_ADDR, DatabaseArgs, DatabaseSettings, LlmArgs, LlmSettings, NightlyArgs},
    db, demo,
    domain::PlanKind,
    jobs::{self, NightlySettings},
    llm::LlmClient,
    plans::Planner,
    startup::Application,
};

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Parser)]
#[command(name = "sous", version, about = "An AI sous-chef kitchens can trust: prep lists and staffing plans")]
pub struct Cli {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub llm: LlmArgs,
    #[command(flatten)]
    pub cache: CacheArgs,
    /// Log as JSON lines instead of text.
    #[arg(long, env = "SOUS_LOG_FORMAT", value_parser = ["text", "json"], default_value = "text", global = true)]
    pub log_format: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the HTTP API.
    Serve {
        /// Use the embedded demo database (sous-demo.db), seeding it with a year of synthetic history if empty.
        #[arg(long)]
        demo: bool,
        /// Address to listen on; port 0 picks a free port.
        #[arg(long, env = "SOUS_ADDR", default_value = DEFAULT_ADDR)]
        addr: String,
        #[command(flatten)]
        nightly: NightlyArgs,
    },
    /// Bring the database schema up to date.
    Migrate,
    /// Fill the database with demo data.
    Seed {
        /// Seed the synthetic demo restaurant (the only kind of seed there is).
        #[arg(long, required = true)]
        demo: bool,
        /// Days of history to generate.
        #[arg(long, default_value_t = 365)]
        days: u32,
    },
    /// Redact personal data from text on stdin (names, phones, emails, card numbers) and print it.
    Redact {
        /// A name to redact wherever it appears (full, first or last name); repeatable.
        #[arg(long = "name")]
        names: Vec<String>,
        /// Read one JSON object per line, `{"text": "...", "names": ["..."]}`, and write
        /// `{"text": "<redacted>"}` per line, in order.
        #[arg(long)]
        jsonl: bool,
    },
    /// Generate one plan now (with the configured model, or the baseline) and print it as JSON.
    Generate {
        /// Location id (or `--all`).
        #[arg(long, required_unless_present = "all", conflicts_with = "all")]
        location: Option<i64>,
        /// Every location, both plans (what the nightly job does), printing one line per location.
        #[arg(long)]
        all: bool,
        /// Service day, YYYY-MM-DD.
        #[arg(long)]
        date: chrono::NaiveDate,
        /// `prep_list` or `staffing` (with `--location`).
        #[arg(long, value_parser = ["prep_list", "staffing"], default_value = "prep_list")]
        kind: String,
    },
    /// Replay past days with the baseline forecast and two references; print the report as JSON.
    Backtest {
        /// Location id.
        #[arg(long)]
        location: i64,
        /// First day replayed, YYYY-MM-DD (default: 8 weeks before `--to`).
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// First day not replayed, YYYY-MM-DD (default: today in the location's time zone).
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
    },
}

pub async fn run(cli: Cli) -> Result<(), BoxError> {
    match cli.command {
        Command::Serve { demo, addr, nightly } => {
            let app = ServeOptions {
                llm: LlmSettings::from_args(&cli.llm),
                cache: CacheSettings::from_args(&cli.cache),
                nightly: NightlySettings::from_args(&nightly)?,
            };
            serve(DatabaseSettings::from_args(&cli.database, demo), app, demo, &addr).await
        }
        Command::Redact { names, jsonl } => {
            let (stdin, stdout) = (std::io::stdin(), std::io::stdout());
            crate::redact::run_cli(&names, jsonl, stdin.lock(), std::io::BufWriter::new(stdout.lock()))?;
            Ok(())
        }
        Command::Generate { location, all, date, kind } => {
            let settings = DatabaseSettings::from_args(&cli.database, false);
            let conn = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            let client = LlmSettings::from_args(&cli.llm).map(LlmClient::new).transpose()?.map(Arc::new);
            let cache = Arc::new(PlanCache::new(CacheSettings::from_args(&cli.cache)));
            let planner = Planner::new(conn, client, cache);
            if all {
                for run in jobs::generate_all(&planner, date).await.map_err(describe)? {
                    let line =
                        serde_json::json!({"location_id": run.location_id, "date": run.date, "error": run.error});
                    println!("{line}");
                }
                return Ok(());
            }
            let kind = PlanKind::parse(&kind).unwrap_or(PlanKind::PrepList);
            let location = location.unwrap_or_default();
            let served = planner.serve(location, kind, Some(date), true).await.map_err(describe)?;
            let body: serde_json::Value = serde_json::from_slice(&served.plan.body)?;
            println!("{}", serde_json::to_string_pretty(&body)?);
            Ok(())
        }
        Command::Backtest { location, from, to } => {
            let conn = db::connect(&DatabaseSettings::from_args(&cli.database, false)).await?;
            db::migrate(&conn).await?;
            let location = crate::catalog::get_location(&conn, location).await.map_err(describe)?;
            let to = to.unwrap_or_else(|| Utc::now().with_timezone(&location.timezone).date_naive());
            let from = from.unwrap_or(to - Duration::weeks(8));
            let params = crate::forecast::Params::default();
            let report = crate::backtest::run(&conn, &location, from, to, &params).await.map_err(describe)?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(())
        }
        Command::Migrate => {
            let settings = DatabaseSettings::from_args(&cli.database, false);
            let conn = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            println!("migrated {}", settings.masked_url());
            Ok(())
        }
        Command::Seed { demo: _, days } => {
            let settings = DatabaseSettings::from_args(&cli.database, true);
            let conn = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            let started = Instant::now();
            match demo::seed_if_empty(&conn, days, Utc::now()).await? {
                Some(report) => {
                    println!("seeded {} in {:.1}s: {report}", settings.masked_url(), started.elapsed().as_secs_f64())
                }
                None => println!("{} already holds data; nothing seeded", settings.masked_url()),
            }
            Ok(())
        }
    }
}

/// What `serve` runs with besides the database.
struct ServeOptions {
    llm: Option<LlmSettings>,
    cache: CacheSettings,
    nightly: Option<NightlySettings>,
}

async fn serve(settings: DatabaseSettings, options: ServeOptions, demo: bool, addr: &str) -> Result<(), BoxError> {
    let ServeOptions { llm, cache, nightly } = options;
    tracing::info!(database = %settings.masked_url(), "connecting");
    let conn = db::connect(&settings).await?;
    db::migrate(&conn).await?;
    let mut demo_location = None;
    if demo {
        let started = Instant::now();
        if let Some(report) = demo::seed_if_empty(&conn, 365, Utc::now()).await? {
            tracing::info!(seconds = started.elapsed().as_secs_f64(), "demo data seeded: {report}");
        }
        if let Some(id) = demo::location_id(&conn).await? {
            // Tomorrow where the restaurant is, as the plan endpoints understand it.
            let timezone = crate::catalog::get_location(&conn, id).await?.timezone;
            demo_location = Some((id, Utc::now().with_timezone(&timezone).date_naive() + Duration::days(1)));
        }
    }
    match &llm {
        Some(llm) => {
            tracing::info!(model = %llm.model, mode = ?llm.output_mode, "plans are written by the model, checked against the baseline")
        }
        None => tracing::info!("no model configured (SOUS_LLM_BASE_URL, SOUS_LLM_MODEL): plans come from the baseline"),
    }
    let app = Application::build(addr, conn).await?.with_llm(llm)?.with_cache(cache).with_nightly(nightly);
    let base = format!("http://{}", app.addr());
    println!("Sous listening on {base}");
    println!("  OpenAPI document: {base}/openapi.json");
    println!("  Swagger UI:       {base}/docs");
    if let Some((id, tomorrow)) = demo_location {
        println!("  Demo location id: {id}");
        println!("Try:");
        println!(
            "  curl -s '{base}/api/v1/locations/{id}/prep-list'            # tomorrow in the location's time zone"
        );
        println!("  curl -s '{base}/api/v1/locations/{id}/staffing?date={tomorrow}'");
    }
    app.run_until_stopped().await?;
    Ok(())
}

/// For an operator at a terminal the cause matters: include the source error, which API
/// clients never see.
fn describe(err: crate::error::ApiError) -> String {
    match std::error::Error::source(&err) {
        Some(source) => format!("{err}: {source}"),
        None => err.to_string(),
    }
}
