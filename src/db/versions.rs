//! Version counters of a location's inputs (the `data_versions` table), bumped in the
//! transaction that changes the data. A plan's cache key holds the versions of every input it
//! reads, so new orders, a changed booking or a new stock count change the key and a stale plan
//! is never served as current.
//!
//! This is also the one invalidation path: every writer ends with [`commit`] (or [`record`]),
//! which bumps the versions and then tells the [`InputsListener`]s of this process that read the
//! same pool (the plan cache's memo of keys), whoever wrote: the API, the CLI, the demo seeder
//! or a job. Other processes (and other pools) see the new versions within their cache's
//! freshness window, as they would any change made elsewhere.
use std::sync::{Arc, Mutex, PoisonError, Weak};

use chrono::NaiveDate;
use entity::data_version;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, Set,
    sea_query::{Expr, ExprTrait, OnConflict},
};

/// Keeps, in this process, something derived from a location's inputs; told after each write
/// that changed them.
pub trait InputsListener: Send + Sync {
    fn inputs_changed(&self, location_id: i64, scopes: &[String]);
}

/// Listeners, each with the pool it reads (see [`pool_of`]).
static LISTENERS: Mutex<Vec<(usize, Weak<dyn InputsListener>)>> = Mutex::new(Vec::new());

/// The pool behind a connection, the same for all its clones: the address of the pool's shared
/// connect options. Two pools on one database are told apart, like two processes.
fn pool_of(db: &DatabaseConnection) -> usize {
    match db.get_database_backend() {
        DatabaseBackend::Sqlite => Arc::as_ptr(&db.get_sqlite_connection_pool().connect_options()).addr(),
        DatabaseBackend::Postgres => Arc::as_ptr(&db.get_postgres_connection_pool().connect_options()).addr(),
        _ => 0,
    }
}

/// Tells `listener` of every later change made through `db`'s pool, for as long as it lives.
pub fn listen(db: &DatabaseConnection, listener: Weak<dyn InputsListener>) {
    LISTENERS.lock().unwrap_or_else(PoisonError::into_inner).push((pool_of(db), listener));
}

fn tell(db: &DatabaseConnection, location_id: i64, scopes: &[String]) {
    if scopes.is_empty() {
        return;
    }
    let pool = pool_of(db);
    let mut listeners = LISTENERS.lock().unwrap_or_else(PoisonError::into_inner);
    listeners.retain(|(of, listener)| match listener.upgrade() {
        Some(listener) => {
            if *of == pool {
                listener.inputs_changed(location_id, scopes);
            }
            true
        }
        None => false,
    });
}

/// Bumps `scopes` inside the writer's transaction (begun on `db`), commits it, then tells the
/// listeners: the end of every transactional write.
pub async fn commit(
    db: &DatabaseConnection,
    txn: DatabaseTransaction,
    location_id: i64,
    scopes: &[String],
) -> Result<(), DbErr> {
    bump(&txn, location_id, scopes).await?;
    txn.commit().await?;
    tell(db, location_id, scopes);
    Ok(())
}

/// Bumps `scopes` right away and tells the listeners: for a write of one statement, already
/// done on `db`.
pub async fn record(db: &DatabaseConnection, location_id: i64, scopes: &[String]) -> Result<(), DbErr> {
    bump(db, location_id, scopes).await?;
    tell(db, location_id, scopes);
    Ok(())
}

/// Orders (and the no-show history): every forecast reads them.
pub const HISTORY: &str = "history";
/// Stations, menu, prep items, recipes, roles.
pub const CATALOG: &str = "catalog";
/// On-hand counts.
pub const STOCK: &str = "stock";

/// The scope of one service day's bookings.
pub fn bookings(date: NaiveDate) -> String {
    format!("bookings:{date}")
}

/// The scope bumped when a plan is regenerated on request, so every replica's key moves on.
pub fn regenerated(kind: crate::domain::PlanKind, date: NaiveDate) -> String {
    format!("regen:{}:{date}", kind.as_str())
}

/// The scope of the managers' overrides of one kind of plan for one service day.
pub fn overridden(kind: crate::domain::PlanKind, date: NaiveDate) -> String {
    format!("override:{}:{date}", kind.as_str())
}

/// Adds one to each scope's version (creating it at 1).
async fn bump(db: &impl ConnectionTrait, location_id: i64, scopes: &[String]) -> Result<(), DbErr> {
    if scopes.is_empty() {
        return Ok(());
    }
    let rows = scopes.iter().map(|scope| data_version::ActiveModel {
        location_id: Set(location_id),
        scope: Set(scope.clone()),
        version: Set(1),
        ..Default::default()
    });
    let on_conflict = OnConflict::columns([data_version::Column::LocationId, data_version::Column::Scope])
        .value(data_version::Column::Version, Expr::col((data_version::Entity, data_version::Column::Version)).add(1))
        .to_owned();
    data_version::Entity::insert_many(rows).on_conflict(on_conflict).exec_without_returning(db).await?;
    Ok(())
}

/// Current versions of the given scopes (0 for a scope never bumped), in the order asked.
pub async fn read(db: &impl ConnectionTrait, location_id: i64, scopes: &[String]) -> Result<Vec<i64>, DbErr> {
    let rows = data_version::Entity::find()
        .filter(data_version::Column::LocationId.eq(location_id))
        .filter(data_version::Column::Scope.is_in(scopes.iter().cloned()))
        .all(db)
        .await?;
    Ok(scopes.iter().map(|s| rows.iter().find(|r| &r.scope == s).map_or(0, |r| r.version)).collect())
}
