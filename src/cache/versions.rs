//! Version counters of a location's inputs, bumped in the transaction that changes the data.
//! A plan's cache key holds the versions of every input it reads, so new orders, a changed
//! booking or a new stock count change the key and a stale plan is never served as current.
use chrono::NaiveDate;
use entity::data_version;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
    sea_query::{Expr, ExprTrait, OnConflict},
};

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

/// Adds one to each scope's version (creating it at 1).
pub async fn bump(db: &impl ConnectionTrait, location_id: i64, scopes: &[String]) -> Result<(), DbErr> {
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
