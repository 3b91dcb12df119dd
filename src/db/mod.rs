//! Storage: connecting to the database (SQLite or PostgreSQL), bringing its schema up to date,
//! and the version counters every writer bumps ([`versions`]).
pub mod idempotency;
pub mod versions;

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbErr, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};
use secrecy::ExposeSecret;

use crate::config::DatabaseSettings;

#[tracing::instrument(skip(settings), fields(url = %settings.masked_url()))]
pub async fn connect(settings: &DatabaseSettings) -> Result<DatabaseConnection, DbErr> {
    let url = settings.url.expose_secret();
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false).connect_timeout(Duration::from_secs(10)).acquire_timeout(Duration::from_secs(10));
    // A SQLite writer that finds the database locked waits this long for it (then 503, never 500).
    options.map_sqlx_sqlite_opts(|sqlite| sqlite.busy_timeout(SQLITE_BUSY_TIMEOUT));
    if url.contains(":memory:") || url.contains("mode=memory") {
        // Each connection to an in-memory SQLite database is a database of its own: keep one, forever.
        options.max_connections(1).min_connections(1).idle_timeout(None::<Duration>).max_lifetime(None::<Duration>);
    } else {
        options.max_connections(settings.max_connections);
    }
    let db = Database::connect(options).await?;
    if settings.is_sqlite() && !url.contains("memory") {
        // WAL lets dashboards read while ingest writes; it is a property of the file, set once.
        db.execute_unprepared("PRAGMA journal_mode=WAL").await?;
    }
    Ok(db)
}

/// How long a SQLite statement waits for a lock another connection holds.
pub const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A transaction that writes. On SQLite it takes the write lock when it begins (`BEGIN
/// IMMEDIATE`), waiting up to [`SQLITE_BUSY_TIMEOUT`] for it: a transaction that first reads and
/// then writes would otherwise fail at once ("database is locked") when another writer got there
/// between its read and its write, as no wait can help then. PostgreSQL ignores the mode.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let options =
        TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() };
    db.begin_with_options(options).await
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// `true` when the database answers a trivial query.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}
