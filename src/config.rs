//! Typed settings. Every environment variable Sous reads is listed here, and the CLI's
//! flags (which override them) are declared next to them:
//!
//! | variable | flag | default | meaning |
//! |---|---|---|---|
//! | `DATABASE_URL` | `--database-url` | `sqlite://sous.db?mode=rwc` | SQLite file, `sqlite::memory:`, or `postgres://user:pass@host/db`; a secret (it may hold a password) |
//! | `SOUS_ADDR` | `--addr` | `127.0.0.1:8080` | address to listen on; port 0 picks a free port |
//! | `SOUS_DB_MAX_CONNECTIONS` | `--db-max-connections` | `10` | database pool size (1 for `sqlite::memory:`) |
//! | `SOUS_LOG` | | `info` | log filter (`tracing` env-filter syntax) |
//! | `SOUS_LOG_FORMAT` | `--log-format` | `text` | `text` or `json` |
use std::fmt;

use clap::Args;
use secrecy::{ExposeSecret, SecretString};

pub const DEFAULT_DATABASE_URL: &str = "sqlite://sous.db?mode=rwc";
pub const DEMO_DATABASE_URL: &str = "sqlite://sous-demo.db?mode=rwc";
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// Database settings shared by every command.
#[derive(Args, Clone)]
pub struct DatabaseArgs {
    /// Database URL [default: sqlite://sous.db?mode=rwc; with --demo, sqlite://sous-demo.db?mode=rwc]
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    pub database_url: Option<String>,
    /// Maximum database connections in the pool.
    #[arg(long, env = "SOUS_DB_MAX_CONNECTIONS", default_value_t = 10, global = true)]
    pub db_max_connections: u32,
}

/// Where the data lives. The URL may carry a password, so it is a secret from here on.
#[derive(Clone)]
pub struct DatabaseSettings {
    pub url: SecretString,
    pub max_connections: u32,
}

impl DatabaseSettings {
    pub fn from_args(args: &DatabaseArgs, demo: bool) -> Self {
        let fallback = if demo { DEMO_DATABASE_URL } else { DEFAULT_DATABASE_URL };
        let url = args.database_url.clone().unwrap_or_else(|| fallback.to_owned());
        Self { url: SecretString::from(url), max_connections: args.db_max_connections.max(1) }
    }

    pub fn is_sqlite(&self) -> bool {
        self.url.expose_secret().starts_with("sqlite:")
    }

    /// The URL with any password replaced by `***`, fit for logs.
    pub fn masked_url(&self) -> String {
        mask_password(self.url.expose_secret())
    }
}

impl fmt::Debug for DatabaseSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseSettings")
            .field("url", &self.masked_url())
            .field("max_connections", &self.max_connections)
            .finish()
    }
}

/// Everything `sous serve` needs.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database: DatabaseSettings,
    pub addr: String,
}

/// `scheme://user:password@host/...` -> `scheme://user:***@host/...`; other URLs unchanged.
pub fn mask_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else { return url.to_owned() };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else { return url.to_owned() };
    let userinfo = &authority[..at];
    match userinfo.find(':') {
        Some(colon) => format!("{}://{}:***@{}", &url[..scheme_end], &userinfo[..colon], &rest[at + 1..]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_the_password_and_keeps_the_rest() {
        assert_eq!(mask_password("postgres://sous:s3cr3t@db:5432/sous"), "postgres://sous:***@db:5432/sous");
        assert_eq!(mask_password("postgres://sous@db/sous"), "postgres://sous@db/sous");
        assert_eq!(mask_password("sqlite://sous.db?mode=rwc"), "sqlite://sous.db?mode=rwc");
        assert_eq!(mask_password("postgres://u:p@ss@h/db"), "postgres://u:***@h/db");
    }

    #[test]
    fn debug_never_shows_the_password() {
        let settings = DatabaseSettings { url: SecretString::from("postgres://u:hunter2@h/db"), max_connections: 1 };
        assert!(!format!("{settings:?}").contains("hunter2"));
    }
}
