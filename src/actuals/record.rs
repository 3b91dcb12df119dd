//! Recording a day's actuals: every line checked against the location's catalog and the day
//! (not in the future, a block the day has, a time the location is open), then written in one
//! transaction, each line replacing what was recorded for it.
use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use entity::{menu_item, prep_actual, prep_item, sold_out, staff_actual, staff_role};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set, sea_query::OnConflict,
};

use super::DayActuals;
use crate::{
    catalog::Location,
    db::versions,
    domain::{Caller, DayHours, opening_hours::format_hhmm},
    error::{ApiError, FieldError},
};

/// How far back a day's actuals may be recorded.
const MAX_DAYS_BACK: i64 = 3653;

/// Records `actuals` for `location`, where it is `today`. Sold-out times change the forecast (a
/// new history version); the other lines are read only when accuracy is asked for.
pub async fn record(
    db: &DatabaseConnection,
    caller: &Caller,
    location: &Location,
    actuals: &DayActuals,
    today: NaiveDate,
) -> Result<(), ApiError> {
    check(db, location, actuals, today).await?;
    let (date, by, at) = (actuals.date, caller.subject().to_owned(), Utc::now());
    // Rows in key order: two requests writing the same lines lock them in the same order.
    let mut actuals = actuals.clone();
    actuals.prep.sort_by_key(|p| p.prep_item_id);
    actuals.staff.sort_by_key(|s| (s.block, s.role_id));
    actuals.sold_out.sort_by_key(|s| s.menu_item_id);
    let txn = crate::db::begin_write(db).await?;
    if !actuals.prep.is_empty() {
        let rows = actuals.prep.iter().map(|p| prep_actual::ActiveModel {
            location_id: Set(location.id),
            service_date: Set(date),
            prep_item_id: Set(p.prep_item_id),
            prepped: Set(p.prepped),
            used: Set(p.used),
            wasted: Set(p.wasted),
            recorded_by: Set(by.clone()),
            recorded_at: Set(at),
            ..Default::default()
        });
        use prep_actual::Column as C;
        let upsert = OnConflict::columns([C::LocationId, C::ServiceDate, C::PrepItemId])
            .update_columns([C::Prepped, C::Used, C::Wasted, C::RecordedBy, C::RecordedAt])
            .to_owned();
        prep_actual::Entity::insert_many(rows).on_conflict(upsert).exec_without_returning(&txn).await?;
    }
    if !actuals.staff.is_empty() {
        let rows = actuals.staff.iter().map(|s| staff_actual::ActiveModel {
            location_id: Set(location.id),
            service_date: Set(date),
            block: Set(format_hhmm(s.block)),
            role_id: Set(s.role_id),
            headcount: Set(s.headcount as i32),
            recorded_by: Set(by.clone()),
            recorded_at: Set(at),
            ..Default::default()
        });
        use staff_actual::Column as C;
        let upsert = OnConflict::columns([C::LocationId, C::ServiceDate, C::Block, C::RoleId])
            .update_columns([C::Headcount, C::RecordedBy, C::RecordedAt])
            .to_owned();
        staff_actual::Entity::insert_many(rows).on_conflict(upsert).exec_without_returning(&txn).await?;
    }
    let mut scopes = Vec::new();
    if !actuals.sold_out.is_empty() {
        let rows = actuals.sold_out.iter().map(|s| sold_out::ActiveModel {
            location_id: Set(location.id),
            service_date: Set(date),
            menu_item_id: Set(s.menu_item_id),
            sold_out_at: Set(format_hhmm(s.at)),
            recorded_by: Set(by.clone()),
            recorded_at: Set(at),
            ..Default::default()
        });
        use sold_out::Column as C;
        let upsert = OnConflict::columns([C::LocationId, C::ServiceDate, C::MenuItemId])
            .update_columns([C::SoldOutAt, C::RecordedBy, C::RecordedAt])
            .to_owned();
        sold_out::Entity::insert_many(rows).on_conflict(upsert).exec_without_returning(&txn).await?;
        scopes.push(versions::HISTORY.to_owned());
    }
    versions::commit(db, txn, location.id, &scopes).await?;
    Ok(())
}

/// Ids of `entity`'s rows at the location.
async fn ids_of<E>(
    db: &impl ConnectionTrait,
    location_column: E::Column,
    id: E::Column,
    location_id: i64,
) -> Result<HashSet<i64>, ApiError>
where
    E: EntityTrait,
{
    Ok(E::find()
        .select_only()
        .column(id)
        .filter(location_column.eq(location_id))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// Every problem of `actuals` at once, each naming its field.
async fn check(
    db: &DatabaseConnection,
    location: &Location,
    actuals: &DayActuals,
    today: NaiveDate,
) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    let date = actuals.date;
    if date > today {
        errors.push(FieldError::new(
            "date",
            format!("is after today ({today}) at this location: actuals are recorded for a day that has begun"),
        ));
    }
    if (today - date).num_days() > MAX_DAYS_BACK {
        errors.push(FieldError::new("date", format!("is more than {MAX_DAYS_BACK} days before today ({today})")));
    }
    if actuals.prep.is_empty() && actuals.staff.is_empty() && actuals.sold_out.is_empty() {
        errors.push(FieldError::new("prep", "record at least one line of prep, staff or sold_out"));
    }
    let prep_items =
        ids_of::<prep_item::Entity>(db, prep_item::Column::LocationId, prep_item::Column::Id, location.id).await?;
    let mut seen = HashMap::new();
    for (i, p) in actuals.prep.iter().enumerate() {
        if !prep_items.contains(&p.prep_item_id) {
            errors.push(FieldError::new(
                format!("prep[{i}].prep_item_id"),
                format!("prep item {} does not exist at this location", p.prep_item_id),
            ));
        } else if let Some(first) = seen.insert(p.prep_item_id, i) {
            errors.push(FieldError::new(format!("prep[{i}].prep_item_id"), format!("repeats prep[{first}]")));
        }
    }

    let hours = location.hours_on(date).ok();
    let closed = || format!("the location is closed on {date} ({})", date.format("%A"));
    let roles =
        ids_of::<staff_role::Entity>(db, staff_role::Column::LocationId, staff_role::Column::Id, location.id).await?;
    let starts = hours.as_ref().map(DayHours::block_starts).unwrap_or_default();
    let mut seen = HashMap::new();
    for (i, s) in actuals.staff.iter().enumerate() {
        let block = format_hhmm(s.block);
        if !roles.contains(&s.role_id) {
            errors.push(FieldError::new(
                format!("staff[{i}].role_id"),
                format!("role {} does not exist at this location", s.role_id),
            ));
        }
        if hours.is_none() {
            errors.push(FieldError::new(format!("staff[{i}].block"), closed()));
        } else if !starts.contains(&block) {
            let message = format!("is not the start of one of the day's blocks ({})", starts.join(", "));
            errors.push(FieldError::new(format!("staff[{i}].block"), message));
        } else if let Some(first) = seen.insert((block, s.role_id), i) {
            errors
                .push(FieldError::new(format!("staff[{i}]"), format!("repeats the block and role of staff[{first}]")));
        }
    }

    let dishes =
        ids_of::<menu_item::Entity>(db, menu_item::Column::LocationId, menu_item::Column::Id, location.id).await?;
    let mut seen = HashMap::new();
    for (i, s) in actuals.sold_out.iter().enumerate() {
        if !dishes.contains(&s.menu_item_id) {
            errors.push(FieldError::new(
                format!("sold_out[{i}].menu_item_id"),
                format!("menu item {} does not exist at this location", s.menu_item_id),
            ));
        } else if let Some(first) = seen.insert(s.menu_item_id, i) {
            errors.push(FieldError::new(format!("sold_out[{i}].menu_item_id"), format!("repeats sold_out[{first}]")));
        }
        match &hours {
            None => errors.push(FieldError::new(format!("sold_out[{i}].at"), closed())),
            Some(h) if s.at < h.opens || s.at > h.closes => errors.push(FieldError::new(
                format!("sold_out[{i}].at"),
                format!("must lie in the day's opening hours ({}–{})", format_hhmm(h.opens), format_hhmm(h.closes)),
            )),
            Some(_) => {}
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(ApiError::Validation(errors)) }
}
