//! The operator's side of access: tenants (`sous tenant`), development tokens (`sous token`),
//! and the demo's signing secret, made once and kept beside the demo database.
use std::{
    io::Write,
    path::{Path, PathBuf},
    time::Duration,
};

use clap::Subcommand;
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};
use secrecy::{ExposeSecret, SecretString};

use super::BoxError;
use crate::{
    auth::{self, Grant},
    catalog,
    config::{AuthAlgorithm, AuthArgs, AuthKeys, AuthSettings, DatabaseSettings},
    domain::Role,
};

#[derive(Subcommand)]
pub enum TenantCommand {
    /// Create a tenant (a restaurant group) and print its id.
    Create {
        /// The group's name (unique).
        #[arg(long)]
        name: String,
        /// This tenant's own limit on requests that may call the model, per minute.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
        model_requests_per_minute: Option<u32>,
        /// This tenant's own daily model token budget.
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=10_000_000_000))]
        daily_tokens: Option<u64>,
    },
    /// List tenants with their limits.
    List,
    /// Set a tenant's own limits (`default` goes back to the configured default).
    Limits {
        #[arg(long)]
        tenant: i64,
        #[arg(long, value_parser = limit::<100_000>)]
        model_requests_per_minute: Option<Limit>,
        #[arg(long, value_parser = limit::<10_000_000_000>)]
        daily_tokens: Option<Limit>,
    },
}

/// A tenant's own limit, or `default`.
#[derive(Debug, Clone, Copy)]
pub struct Limit(Option<u64>);

fn limit<const MAX: u64>(text: &str) -> Result<Limit, String> {
    if text == "default" {
        return Ok(Limit(None));
    }
    match text.parse::<u64>() {
        Ok(n) if (1..=MAX).contains(&n) => Ok(Limit(Some(n))),
        _ => Err(format!("accepts a whole number from 1 to {MAX}, or `default`")),
    }
}

pub async fn tenant(db: &DatabaseConnection, command: TenantCommand) -> Result<(), BoxError> {
    match command {
        TenantCommand::Create { name, model_requests_per_minute, daily_tokens } => {
            let name = name.trim();
            if !crate::validation::is_visible_text(name) {
                return Err(format!("--name {}", crate::validation::VISIBLE_TEXT_RULE).into());
            }
            if name.chars().count() > 200 {
                return Err("--name must be at most 200 characters".into());
            }
            let created = catalog::create_tenant(db, name).await.map_err(super::describe)?;
            let id = created.id;
            set_limits(db, created, Some(Limit(model_requests_per_minute.map(u64::from))), Some(Limit(daily_tokens)))
                .await?;
            println!("{id}");
        }
        TenantCommand::List => {
            for t in catalog::list_tenants(db).await.map_err(super::describe)? {
                let rate = t.model_requests_per_minute.map_or("default".to_owned(), |n| n.to_string());
                let tokens = t.daily_tokens.map_or("default".to_owned(), |n| n.to_string());
                let line = serde_json::json!({
                    "id": t.id, "name": t.name, "model_requests_per_minute": rate, "daily_tokens": tokens,
                });
                println!("{line}");
            }
        }
        TenantCommand::Limits { tenant, model_requests_per_minute, daily_tokens } => {
            let found = catalog::get_tenant(db, tenant).await.map_err(super::describe)?;
            let found = found.ok_or_else(|| format!("tenant {tenant} does not exist"))?;
            set_limits(db, found, model_requests_per_minute, daily_tokens).await?;
            println!("tenant {tenant}: limits set");
        }
    }
    Ok(())
}

async fn set_limits(
    db: &DatabaseConnection,
    tenant: entity::tenant::Model,
    rate: Option<Limit>,
    tokens: Option<Limit>,
) -> Result<(), BoxError> {
    let mut row: entity::tenant::ActiveModel = tenant.into();
    if let Some(Limit(rate)) = rate {
        row.model_requests_per_minute = Set(rate.map(i32::try_from).transpose()?);
    }
    if let Some(Limit(tokens)) = tokens {
        row.daily_tokens = Set(tokens.map(i64::try_from).transpose()?);
    }
    row.update(db).await?;
    Ok(())
}

/// `30m`, `8h`, `7d` or a number of seconds; from one minute to a year.
pub fn ttl(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (digits, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((at, _)) => text.split_at(at),
        None => (text, "s"),
    };
    let seconds_per = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => 0,
    };
    match digits.parse::<u64>().ok().and_then(|n| n.checked_mul(seconds_per)) {
        Some(secs) if (60..=365 * 86_400).contains(&secs) => Ok(Duration::from_secs(secs)),
        _ => Err("accepts a time to live such as 30m, 8h or 7d (one minute to a year)".to_owned()),
    }
}

/// Checks that the tenant exists and the locations are its own, then mints the token.
pub async fn token(db: &DatabaseConnection, settings: &AuthSettings, grant: &Grant) -> Result<String, BoxError> {
    let AuthKeys::Secret(secret) = &settings.keys else {
        return Err("tokens for RS256 or ES256 come from your identity provider; `sous token` signs with SOUS_AUTH_SECRET (HS256)".into());
    };
    if catalog::get_tenant(db, grant.tenant_id).await.map_err(super::describe)?.is_none() {
        return Err(format!("tenant {} does not exist (see `sous tenant list`)", grant.tenant_id).into());
    }
    for id in grant.locations.iter().flatten() {
        let location = catalog::get_location(db, *id).await.map_err(super::describe)?;
        if location.tenant_id != grant.tenant_id {
            return Err(format!("location {id} is not one of tenant {}'s", grant.tenant_id).into());
        }
    }
    Ok(auth::mint(secret, &settings.issuer, &settings.audience, grant)?)
}

/// Where the demo's signing secret is kept: beside the demo's SQLite file, or in the working
/// directory when the demo runs on another database.
pub fn demo_secret_path(database: &DatabaseSettings) -> PathBuf {
    let url = database.url.expose_secret();
    let file = url.strip_prefix("sqlite://").map(|rest| rest.split('?').next().unwrap_or(rest));
    match file {
        Some(file) if !file.is_empty() && !file.starts_with(':') => PathBuf::from(format!("{file}.jwt-secret")),
        _ => PathBuf::from("sous-demo.jwt-secret"),
    }
}

/// The demo's HS256 settings: the configured ones if a secret is configured, else a secret read
/// from `path`, made (random, readable by this user only) the first time.
pub fn demo_auth(args: &AuthArgs, path: &Path) -> Result<AuthSettings, BoxError> {
    if let Some(settings) = AuthSettings::from_args(args)? {
        return Ok(settings);
    }
    if args.auth_algorithm != AuthAlgorithm::Hs256 {
        return Err("the demo signs its tokens with HS256: set SOUS_AUTH_ALGORITHM=HS256 or a key".into());
    }
    let secret = match std::fs::read_to_string(path) {
        Ok(secret) if secret.trim().len() >= 32 => secret.trim().to_owned(),
        Ok(_) => return Err(format!("{} holds no usable secret; delete it to make a new one", path.display()).into()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            let secret = random_secret()?;
            let mut file = private_file(path)?;
            file.write_all(secret.as_bytes())?;
            secret
        }
        Err(err) => return Err(format!("cannot read {}: {err}", path.display()).into()),
    };
    let mut settings = AuthSettings::hs256(SecretString::from(secret));
    settings.issuer = args.auth_issuer.clone();
    settings.audience = args.auth_audience.clone();
    settings.leeway = Duration::from_secs(args.auth_leeway_secs);
    Ok(settings)
}

/// 48 random bytes from the operating system, as hex.
fn random_secret() -> Result<String, BoxError> {
    let mut bytes = [0u8; 48];
    std::fs::File::open("/dev/urandom").and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new().write(true).create_new(true).open(path)
}

/// The tokens and commands the demo prints: a manager's, a staff member's and a reviewer's.
pub fn demo_tokens(settings: &AuthSettings, tenant_id: i64) -> Result<Vec<(Role, String)>, BoxError> {
    let AuthKeys::Secret(secret) = &settings.keys else { return Ok(vec![]) };
    [Role::Manager, Role::Staff, Role::Reviewer]
        .into_iter()
        .map(|role| {
            let grant = Grant {
                subject: format!("demo-{role}"),
                tenant_id,
                role,
                locations: None,
                ttl: Duration::from_secs(7 * 86_400),
            };
            Ok((role, auth::mint(secret, &settings.issuer, &settings.audience, &grant)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_times_to_live() {
        assert_eq!(ttl("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(ttl("8h"), Ok(Duration::from_secs(8 * 3600)));
        assert_eq!(ttl("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert_eq!(ttl("3600"), Ok(Duration::from_secs(3600)));
        for bad in ["", "10s", "2y", "h", "-1h", "400d", "99999999999999999999d"] {
            assert!(ttl(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_demo_secret_sits_beside_the_demo_database() {
        let at = |url: &str| {
            demo_secret_path(&DatabaseSettings { url: SecretString::from(url.to_owned()), max_connections: 1 })
        };
        assert_eq!(at("sqlite://sous-demo.db?mode=rwc"), PathBuf::from("sous-demo.db.jwt-secret"));
        assert_eq!(at("sqlite:///data/demo.db?mode=rwc"), PathBuf::from("/data/demo.db.jwt-secret"));
        assert_eq!(at("postgres://u:p@h/db"), PathBuf::from("sous-demo.jwt-secret"));
        assert_eq!(at("sqlite::memory:"), PathBuf::from("sous-demo.jwt-secret"));
    }
}
