//! Reading recorded actuals back: one day's lines for the API, a range's for accuracy. (The
//! forecast reads the sold-out times with the rest of its history, `history::load_window`.)
use chrono::NaiveDate;
use entity::{prep_actual, sold_out, staff_actual};
use std::collections::BTreeSet;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::{error::ApiError, history::DateRange};

/// The lines recorded over some days, each with who recorded it and when.
#[derive(Debug, Clone, Default)]
pub struct Recorded {
    pub prep: Vec<prep_actual::Model>,
    pub staff: Vec<staff_actual::Model>,
    pub sold_out: Vec<sold_out::Model>,
}

/// The lines recorded for `date`.
pub async fn for_day(db: &impl ConnectionTrait, location_id: i64, date: NaiveDate) -> Result<Recorded, ApiError> {
    in_range(db, location_id, DateRange { from: date, to: date.succ_opt().unwrap_or(date) }).await
}

/// The lines recorded for the days of `range`, by day, then line.
pub async fn in_range(db: &impl ConnectionTrait, location_id: i64, range: DateRange) -> Result<Recorded, ApiError> {
    let prep = prep_actual::Entity::find()
        .filter(prep_actual::Column::LocationId.eq(location_id))
        .filter(prep_actual::Column::ServiceDate.gte(range.from))
        .filter(prep_actual::Column::ServiceDate.lt(range.to))
        .order_by_asc(prep_actual::Column::ServiceDate)
        .order_by_asc(prep_actual::Column::PrepItemId)
        .all(db)
        .await?;
    let staff = staff_actual::Entity::find()
        .filter(staff_actual::Column::LocationId.eq(location_id))
        .filter(staff_actual::Column::ServiceDate.gte(range.from))
        .filter(staff_actual::Column::ServiceDate.lt(range.to))
        .order_by_asc(staff_actual::Column::ServiceDate)
        .order_by_asc(staff_actual::Column::Block)
        .order_by_asc(staff_actual::Column::RoleId)
        .all(db)
        .await?;
    let sold_out = sold_out::Entity::find()
        .filter(sold_out::Column::LocationId.eq(location_id))
        .filter(sold_out::Column::ServiceDate.gte(range.from))
        .filter(sold_out::Column::ServiceDate.lt(range.to))
        .order_by_asc(sold_out::Column::ServiceDate)
        .order_by_asc(sold_out::Column::MenuItemId)
        .all(db)
        .await?;
    Ok(Recorded { prep, staff, sold_out })
}

/// The locations with prep or staff actuals recorded for a day of `range`.
pub async fn locations_with(db: &impl ConnectionTrait, range: DateRange) -> Result<BTreeSet<i64>, ApiError> {
    let prep: Vec<i64> = prep_actual::Entity::find()
        .select_only()
        .column(prep_actual::Column::LocationId)
        .distinct()
        .filter(prep_actual::Column::ServiceDate.gte(range.from))
        .filter(prep_actual::Column::ServiceDate.lt(range.to))
        .into_tuple()
        .all(db)
        .await?;
    let staff: Vec<i64> = staff_actual::Entity::find()
        .select_only()
        .column(staff_actual::Column::LocationId)
        .distinct()
        .filter(staff_actual::Column::ServiceDate.gte(range.from))
        .filter(staff_actual::Column::ServiceDate.lt(range.to))
        .into_tuple()
        .all(db)
        .await?;
    Ok(prep.into_iter().chain(staff).collect())
}
