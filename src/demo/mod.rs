//! The embedded demo: one restaurant with a year of synthetic, deterministic history.
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use crate::error::ApiError;

pub async fn seed_if_empty(_db: &DatabaseConnection, _days: u32, _now: DateTime<Utc>) -> Result<Option<String>, ApiError> {
    Ok(None)
}

pub async fn location_id(_db: &DatabaseConnection) -> Result<Option<i64>, ApiError> {
    Ok(None)
}
