//! Aggregates of reservations. Only the `reservations` table is read: guest data never is.
use std::collections::BTreeMap;

use chrono::NaiveDate;
use entity::reservation;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use crate::{domain::ReservationStatus, error::ApiError};

#[derive(Debug, Clone, PartialEq, FromQueryResult)]
struct HourStatusRow {
    hour: i32,
    status: String,
    count: i64,
    covers: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatusCount {
    pub count: i64,
    pub covers: i64,
}

/// Bookings of one service date, by hour and by status.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReservationSummary {
    pub date: Option<NaiveDate>,
    pub by_hour_status: Vec<(i32, ReservationStatus, StatusCount)>,
}

impl ReservationSummary {
    /// Totals over the given statuses.
    pub fn total(&self, statuses: &[ReservationStatus]) -> StatusCount {
        self.by_hour_status.iter().filter(|(_, s, _)| statuses.contains(s)).fold(
            StatusCount::default(),
            |acc, (_, _, c)| StatusCount { count: acc.count + c.count, covers: acc.covers + c.covers },
        )
    }

    pub fn by_status(&self) -> BTreeMap<&'static str, StatusCount> {
        let mut out = BTreeMap::new();
        for (_, status, c) in &self.by_hour_status {
            let entry: &mut StatusCount = out.entry(status.as_str()).or_default();
            entry.count += c.count;
            entry.covers += c.covers;
        }
        out
    }

    /// Per hour, totals over the given statuses.
    pub fn by_hour(&self, statuses: &[ReservationStatus]) -> BTreeMap<i32, StatusCount> {
        let mut out = BTreeMap::new();
        for (hour, status, c) in &self.by_hour_status {
            if statuses.contains(status) {
                let entry: &mut StatusCount = out.entry(*hour).or_default();
                entry.count += c.count;
                entry.covers += c.covers;
            }
        }
        out
    }
}

pub async fn reservation_summary(
    db: &impl ConnectionTrait,
    location_id: i64,
    date: NaiveDate,
) -> Result<ReservationSummary, ApiError> {
    let rows = reservation::Entity::find()
        .select_only()
        .column(reservation::Column::Hour)
        .column(reservation::Column::Status)
        .column_as(Expr::col(reservation::Column::Id).count(), "count")
        .column_as(Expr::col(reservation::Column::PartySize).sum(), "covers")
        .filter(reservation::Column::LocationId.eq(location_id))
        .filter(reservation::Column::ServiceDate.eq(date))
        .group_by(reservation::Column::Hour)
        .group_by(reservation::Column::Status)
        .order_by_asc(reservation::Column::Hour)
        .into_model::<HourStatusRow>()
        .all(db)
        .await?;
    let by_hour_status = rows
        .into_iter()
        .filter_map(|r| {
            let status = ReservationStatus::parse(&r.status)?;
            Some((r.hour, status, StatusCount { count: r.count, covers: r.covers }))
        })
        .collect();
    Ok(ReservationSummary { date: Some(date), by_hour_status })
}
