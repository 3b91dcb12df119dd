//! The `sous` command line: `serve`, `migrate`, `seed`, `tenant`, `token`, `generate`,
//! `backtest`, `redact`.
mod access;

use std::time::Instant;

use chrono::{Duration, Utc};
use clap::{Parser, Subcommand};

use std::sync::Arc;

use clap::{
    CommandFactory,
    error::{ContextKind, ContextValue, ErrorKind},
};

use crate::{
    auth::Grant,
    cache::PlanCache,
    config::{
        AuthArgs, AuthSettings, CacheArgs, CacheSettings, DEFAULT_ADDR, DatabaseArgs, DatabaseSettings, HttpArgs,
        HttpSettings, LimitSettings, LimitsArgs, LlmArgs, LlmSettings, LogArgs, NightlyArgs, NightlySettings,
        PriceArgs, PriceTable, listen_addr,
    },
    db, demo,
    domain::{Caller, PlanKind, Role},
    jobs,
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
    #[command(flatten)]
    pub log: LogArgs,
    #[command(flatten)]
    pub auth: AuthArgs,
    #[command(flatten)]
    pub prices: PriceArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the HTTP API.
    Serve {
        /// Use the embedded demo database (sous-demo.db), seeding it with a year of synthetic history if empty.
        #[arg(long, env = "SOUS_DEMO", value_parser = crate::config::switch, num_args = 0..=1, default_missing_value = "true", default_value = "false")]
        demo: bool,
        /// Address to listen on; port 0 picks a free port.
        #[arg(long, env = "SOUS_ADDR", value_parser = listen_addr, default_value = DEFAULT_ADDR)]
        addr: String,
        /// Check the configuration, print it (secrets masked) and exit, without opening the
        /// database or the port.
        #[arg(long)]
        check: bool,
        /// Address of a separate listener for `/metrics` (none: metrics are not served).
        #[arg(long, env = "SOUS_METRICS_ADDR", value_parser = listen_addr)]
        metrics_addr: Option<String>,
        #[command(flatten)]
        nightly: NightlyArgs,
        #[command(flatten)]
        http: HttpArgs,
        #[command(flatten)]
        limits: LimitsArgs,
    },
    /// Create and list tenants, and set their limits (an operator's act, not an API caller's).
    Tenant {
        /// Use the demo database (sous-demo.db).
        #[arg(long, global = true)]
        demo: bool,
        #[command(subcommand)]
        command: access::TenantCommand,
    },
    /// Mint a bearer token for development, signed with SOUS_AUTH_SECRET (or the demo's secret).
    Token {
        /// The tenant's id.
        #[arg(long)]
        tenant: i64,
        /// owner, manager, staff, reviewer or integration.
        #[arg(long, value_parser = role)]
        role: Role,
        /// A location the token is limited to; repeatable (none: all the tenant's locations).
        #[arg(long = "location")]
        locations: Vec<i64>,
        /// Time to live: 30m, 8h, 7d...
        #[arg(long, value_parser = access::ttl, default_value = "8h")]
        ttl: std::time::Duration,
        /// Who the token is for (its `sub`).
        #[arg(long, default_value = "developer")]
        subject: String,
        /// Sign with the demo's secret (made by `sous serve --demo`) and use the demo database.
        #[arg(long)]
        demo: bool,
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
    /// Redact personal data from text on stdin (names, phones, emails, cards, IBANs and accounts,
    /// addresses, social handles) and print it.
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
    /// The AI quality report over a recent period, for a postmortem: plans by source, what the
    /// model got wrong and what Sous caught, latency, tokens, cost, prompts and models in use.
    Postmortem {
        /// How far back: 24h, 7d, 4w... (whole UTC days, today included; at most 366 days).
        #[arg(long, value_parser = period_days, default_value = "7d")]
        since: i64,
        /// One location only (default: every location of every tenant).
        #[arg(long)]
        location: Option<i64>,
        /// `markdown` (to paste into a postmortem) or `json`.
        #[arg(long, value_parser = ["markdown", "json"], default_value = "markdown")]
        format: String,
        /// Use the demo database (sous-demo.db).
        #[arg(long)]
        demo: bool,
    },
    /// How close the baseline, the model's plans and the plans as managers left them came to the
    /// recorded actuals over past service days (WAPE, bias, waste share).
    Accuracy {
        /// Location id.
        #[arg(long)]
        location: i64,
        /// First day scored, YYYY-MM-DD (default: 28 days before `--to`).
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// First day not scored, YYYY-MM-DD (default and latest: today in the location's time zone).
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
        /// `markdown` or `json`.
        #[arg(long, value_parser = ["markdown", "json"], default_value = "markdown")]
        format: String,
        /// Use the demo database (sous-demo.db).
        #[arg(long)]
        demo: bool,
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

/// `24h`, `7d`, `4w`: whole days back, today included, from 1 to 366.
fn period_days(text: &str) -> Result<i64, String> {
    let rule = || "accepts a period such as 24h, 7d or 4w (one day to 366 days)".to_owned();
    let text = text.trim();
    let (number, hours_per) = match text.char_indices().last() {
        Some((at, 'h')) => (&text[..at], 1),
        Some((at, 'd')) => (&text[..at], 24),
        Some((at, 'w')) => (&text[..at], 24 * 7),
        _ => return Err(rule()),
    };
    let hours = number.parse::<i64>().ok().and_then(|n| n.checked_mul(hours_per)).ok_or_else(rule)?;
    let days = (hours + 23) / 24;
    if (1..=366).contains(&days) && hours > 0 { Ok(days) } else { Err(rule()) }
}

fn role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| "accepts owner, manager, staff, reviewer or integration".to_owned())
}

pub async fn run(cli: Cli) -> Result<(), BoxError> {
    match cli.command {
        Command::Serve { demo, addr, check, metrics_addr, nightly, http, limits } => {
            let database = DatabaseSettings::from_args(&cli.database, demo);
            let auth = if demo {
                access::demo_auth(&cli.auth, &access::demo_secret_path(&database))?
            } else {
                AuthSettings::from_args(&cli.auth)?.ok_or(NO_AUTH)?
            };
            let app = ServeOptions {
                llm: LlmSettings::from_args(&cli.llm),
                prices: cli.prices.model_prices.clone().unwrap_or_default(),
                cache: CacheSettings::from_args(&cli.cache),
                nightly: NightlySettings::from_args(&nightly),
                http: HttpSettings::from_args(&http),
                limits: LimitSettings::from_args(&limits),
                auth,
                metrics_addr,
            };
            if check {
                return print_checked(&database, &app, &addr, &cli.log);
            }
            serve(database, app, demo, &addr).await
        }
        Command::Tenant { demo, command } => {
            let conn = db::connect(&DatabaseSettings::from_args(&cli.database, demo)).await?;
            db::migrate(&conn).await?;
            access::tenant(&conn, command).await
        }
        Command::Token { tenant, role, locations, ttl, subject, demo } => {
            let database = DatabaseSettings::from_args(&cli.database, demo);
            let settings = if demo {
                let path = access::demo_secret_path(&database);
                if AuthSettings::from_args(&cli.auth)?.is_none() && !path.exists() {
                    return Err(format!("{} does not exist yet: run `sous serve --demo` first", path.display()).into());
                }
                access::demo_auth(&cli.auth, &path)?
            } else {
                AuthSettings::from_args(&cli.auth)?.ok_or(NO_AUTH)?
            };
            let conn = db::connect(&database).await?;
            db::migrate(&conn).await?;
            let locations = (!locations.is_empty()).then_some(locations);
            let grant = Grant { subject, tenant_id: tenant, role, locations, ttl };
            println!("{}", access::token(&conn, &settings, &grant).await?);
            Ok(())
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
            let planner = Planner::new(conn, client, cache, LimitSettings::default());
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
            let served =
                planner.serve(&Caller::operator(), location, kind, Some(date), true).await.map_err(describe)?;
            let body: serde_json::Value = serde_json::from_slice(&served.plan.body)?;
            println!("{}", serde_json::to_string_pretty(&body)?);
            Ok(())
        }
        Command::Postmortem { since, location, format, demo } => {
            let conn = db::connect(&DatabaseSettings::from_args(&cli.database, demo)).await?;
            db::migrate(&conn).await?;
            let to = Utc::now().date_naive() + Duration::days(1);
            let from = to - Duration::days(since);
            let scope = match location {
                Some(id) => {
                    crate::catalog::get_location(&conn, id).await.map_err(describe)?;
                    crate::reports::Scope::Locations(vec![id])
                }
                None => crate::reports::Scope::All,
            };
            let prices = cli.prices.model_prices.unwrap_or_default();
            let report = crate::reports::ai_quality(&conn, &scope, from, to, &prices).await.map_err(describe)?;
            match format.as_str() {
                "json" => println!("{}", serde_json::to_string_pretty(&report)?),
                _ => print!("{}", crate::reports::render_markdown(&report)),
            }
            Ok(())
        }
        Command::Accuracy { location, from, to, format, demo } => {
            let conn = db::connect(&DatabaseSettings::from_args(&cli.database, demo)).await?;
            db::migrate(&conn).await?;
            let location = crate::catalog::get_location(&conn, location).await.map_err(describe)?;
            let today = location.today();
            let range = crate::accuracy::range(from, to, today).map_err(describe)?;
            let report = crate::accuracy::measure(&conn, &location, range).await.map_err(describe)?;
            match format.as_str() {
                "json" => println!("{}", serde_json::to_string_pretty(&report)?),
                _ => print!("{}", crate::accuracy::render_markdown(&report)),
            }
            Ok(())
        }
        Command::Backtest { location, from, to } => {
            let conn = db::connect(&DatabaseSettings::from_args(&cli.database, false)).await?;
            db::migrate(&conn).await?;
            let location = crate::catalog::get_location(&conn, location).await.map_err(describe)?;
            let to = to.unwrap_or_else(|| location.today());
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
            match seed_demo(&conn, days).await? {
                Some(report) => println!("seeded {}: {report}", settings.masked_url()),
                None => println!("{} already holds data; nothing seeded", settings.masked_url()),
            }
            Ok(())
        }
    }
}

/// Why `serve` refuses to start without token verification.
const NO_AUTH: &str = "no token verification configured: set SOUS_AUTH_SECRET (HS256), or SOUS_AUTH_ALGORITHM=RS256 or ES256 with SOUS_AUTH_PUBLIC_KEY_FILE or SOUS_AUTH_JWKS_FILE (`serve --demo` makes its own secret)";

/// What `serve` runs with besides the database.
struct ServeOptions {
    llm: Option<LlmSettings>,
    prices: PriceTable,
    cache: CacheSettings,
    nightly: Option<NightlySettings>,
    http: HttpSettings,
    limits: LimitSettings,
    auth: AuthSettings,
    metrics_addr: Option<String>,
}

async fn serve(settings: DatabaseSettings, options: ServeOptions, demo: bool, addr: &str) -> Result<(), BoxError> {
    let ServeOptions { llm, prices, cache, nightly, http, limits, auth, metrics_addr } = options;
    tracing::info!(database = %settings.masked_url(), "connecting");
    let conn = db::connect(&settings).await?;
    db::migrate(&conn).await?;
    // The port first: a port already taken fails now, not after seeding a year of history.
    let app = Application::build(addr, conn.clone()).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    // Keys are checked now: a key file that cannot be used stops the start.
    let app = app
        .with_auth(&auth)?
        .with_metrics(metrics_addr.as_deref())
        .await
        .map_err(|e| format!("metrics listener: {e}"))?;
    let mut demo_location = None;
    if demo {
        match seed_demo(&conn, 365).await? {
            Some(report) => println!("Demo data seeded: {report}"),
            None => println!("Demo data already there (delete the database file to start afresh)"),
        }
        if let Some(id) = demo::location_id(&conn).await? {
            // Tomorrow where the restaurant is, as the plan endpoints understand it.
            let location = crate::catalog::get_location(&conn, id).await?;
            let tomorrow = location.today() + Duration::days(1);
            demo_location = Some((id, location.tenant_id, tomorrow));
        }
    }
    match &llm {
        Some(llm) => {
            tracing::info!(model = %llm.model, mode = ?llm.output_mode, "plans are written by the model, checked against the baseline")
        }
        None => tracing::info!("no model configured (SOUS_LLM_BASE_URL, SOUS_LLM_MODEL): plans come from the baseline"),
    }
    let app = app
        .with_llm(llm)?
        .with_cache(cache)
        .with_nightly(nightly)
        .with_http(http)
        .with_limits(limits)
        .with_prices(prices);
    let base = format!("http://{}", app.addr());
    println!("Sous listening on {base}");
    println!("  OpenAPI document: {base}/openapi.json");
    println!("  Swagger UI:       {base}/docs");
    if let Some(metrics) = app.metrics_addr() {
        println!("  Metrics:          http://{metrics}/metrics");
    }
    if let Some((id, tenant_id, tomorrow)) = demo_location {
        println!("  Demo location id: {id}");
        let tokens = access::demo_tokens(&auth, tenant_id)?;
        println!(
            "Tokens for the demo tenant (valid 7 days; `sous token --demo --tenant {tenant_id} --role ROLE` makes more):"
        );
        for (role, token) in &tokens {
            println!("  export SOUS_{}_TOKEN={token}", role.as_str().to_uppercase());
        }
        if !tokens.is_empty() {
            let bearer = |role: &str| format!("-H \"Authorization: Bearer $SOUS_{role}_TOKEN\"");
            println!("Try (after the exports above):");
            println!(
                "  curl -s {} '{base}/api/v1/locations/{id}/prep-list'   # tomorrow, location time",
                bearer("STAFF")
            );
            println!("  curl -s {} '{base}/api/v1/locations/{id}/staffing?date={tomorrow}'", bearer("STAFF"));
            println!("  curl -s -X POST {} '{base}/api/v1/locations/{id}/prep-list/generate'", bearer("MANAGER"));
            println!("  curl -s {} '{base}/api/v1/locations/{id}/backtest'", bearer("REVIEWER"));
            println!(
                "  curl -s {} '{base}/api/v1/locations/{id}/accuracy'   # baseline vs manager, from the demo's recorded weeks",
                bearer("REVIEWER")
            );
        }
    }
    app.run_until_stopped().await?;
    Ok(())
}

/// Seeds the demo into an empty database, showing one progress line on stderr (redrawn in place
/// at a terminal, written once elsewhere) and returning the summary with the time it took.
async fn seed_demo(conn: &sea_orm::DatabaseConnection, days: u32) -> Result<Option<String>, BoxError> {
    let started = Instant::now();
    let at_terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut shown = None;
    let report = demo::seed_with_progress(conn, days, Utc::now(), |stored, total| {
        let percent = (stored * 100).checked_div(total).unwrap_or(100);
        if at_terminal && shown != Some(percent) {
            eprint!("\rSeeding the demo restaurant: {days} days of orders and bookings, {percent:>3}%");
        } else if shown.is_none() {
            eprintln!("Seeding the demo restaurant: {days} days of orders and bookings ({total} rows)...");
        }
        shown = Some(percent);
    })
    .await?;
    if at_terminal && shown.is_some() {
        eprintln!();
    }
    Ok(report.map(|report| format!("{report}, in {:.1} s", started.elapsed().as_secs_f64())))
}

/// `serve --check`: everything `serve` would run with, secrets masked, and nothing opened.
fn print_checked(
    database: &DatabaseSettings,
    options: &ServeOptions,
    addr: &str,
    log: &LogArgs,
) -> Result<(), BoxError> {
    if let Some(llm) = &options.llm {
        // Builds the HTTP client as serving would, so a setting it refuses shows here.
        LlmClient::new(llm.clone())?;
    }
    // Loads the keys as serving would.
    crate::auth::Verifier::new(&options.auth)?;
    println!("configuration is valid");
    println!("  database: {database:?}");
    println!("  listen:   {addr}");
    println!("  log:      {} ({})", log.log, log.log_format);
    match &options.llm {
        Some(llm) => println!("  model:    {llm:?}"),
        None => println!("  model:    none (plans come from the baseline)"),
    }
    println!("  cache:    {:?}", options.cache);
    println!("  http:     {:?}", options.http);
    println!("  auth:     {:?}", options.auth);
    println!("  limits:   {:?}", options.limits);
    println!("  prices:   {:?}", options.prices);
    match &options.metrics_addr {
        Some(addr) => println!("  metrics:  {addr}"),
        None => println!("  metrics:  not served"),
    }
    match &options.nightly {
        Some(nightly) => println!("  nightly:  {nightly:?}"),
        None => println!("  nightly:  off"),
    }
    Ok(())
}

/// Parses the command line and environment. A setting outside what it accepts ends the process
/// with status 2 and one line naming the variable and what it accepts (clap's own message names
/// only the flag, though most settings come from the environment); help and version print as
/// clap prints them.
pub fn parse() -> Cli {
    match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => match invalid_setting(&err) {
            Some(line) => {
                eprintln!("error: {line}");
                std::process::exit(2)
            }
            None => err.exit(),
        },
    }
}

/// `SOUS_X (--x): "value" is not accepted: accepts ...`, for an invalid value of a known setting.
fn invalid_setting(err: &clap::Error) -> Option<String> {
    if !matches!(err.kind(), ErrorKind::InvalidValue | ErrorKind::ValueValidation) {
        return None;
    }
    let Some(ContextValue::String(arg)) = err.get(ContextKind::InvalidArg) else { return None };
    let long = arg.split_whitespace().next()?.strip_prefix("--")?;
    let command = Cli::command();
    let setting = command
        .get_arguments()
        .chain(command.get_subcommands().flat_map(|sub| sub.get_arguments()))
        .find(|a| a.get_long() == Some(long))?;
    let name = match setting.get_env() {
        Some(env) => format!("{} (--{long})", env.to_string_lossy()),
        None => format!("--{long}"),
    };
    let accepts = match (err.kind(), err.get(ContextKind::ValidValue)) {
        (ErrorKind::InvalidValue, Some(ContextValue::Strings(valid))) => format!("accepts {}", valid.join(", ")),
        _ => std::error::Error::source(err).map(ToString::to_string).unwrap_or_else(|| "see `sous --help`".to_owned()),
    };
    // Secrets (the database URL, the API key) are never repeated.
    let value = match err.get(ContextKind::InvalidValue) {
        Some(ContextValue::String(value)) if !setting.is_hide_env_values_set() => format!(" {value:?}"),
        _ => String::new(),
    };
    Some(format!("{name}: the value{value} is not accepted; {accepts}").replace('\n', " "))
}

/// For an operator at a terminal the cause matters: include the source error, which API
/// clients never see.
pub(crate) fn describe(err: crate::error::ApiError) -> String {
    if let crate::error::ApiError::Validation(details) = &err {
        let fields: Vec<String> = details.iter().map(|d| format!("{} {}", d.field, d.message)).collect();
        return format!("{err}: {}", fields.join("; "));
    }
    match std::error::Error::source(&err) {
        Some(source) => format!("{err}: {source}"),
        None => err.to_string(),
    }
}
