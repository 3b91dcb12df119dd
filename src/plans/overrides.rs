//! Managers' overrides: a value for one line of a day's plan (a prep quantity, or a role's
//! headcount in an hour block), with a reason, who and when. They are kept in their own table and
//! laid over the plan as it is served, beside Sous's suggestion, never in it: a stored plan (and
//! so the model's and the baseline's scores) never holds a manager's number, and the model is
//! never told of them. A regeneration keeps every override whose line the new plan still has; the
//! others are listed in the plan's `dropped_overrides`, with why, and apply again if the line
//! comes back.
use chrono::{DateTime, NaiveDate, Utc};
use entity::{plan_override, prep_item, staff_role};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set, sea_query::OnConflict};
use serde_json::{Value, json};

use super::types::{DroppedOverride, LineOverride};
use crate::{
    catalog::Location,
    db::versions,
    domain::{Caller, PlanKind, opening_hours::format_hhmm},
    error::{ApiError, FieldError},
};

/// Which line of a plan an override is for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Line {
    PrepItem(i64),
    /// A block's start (`HH:MM`, as the plan writes it) and a role.
    Headcount {
        block: chrono::NaiveTime,
        role_id: i64,
    },
}

impl Line {
    pub fn kind(self) -> PlanKind {
        match self {
            Self::PrepItem(_) => PlanKind::PrepList,
            Self::Headcount { .. } => PlanKind::Staffing,
        }
    }

    fn key(self) -> String {
        match self {
            Self::PrepItem(id) => id.to_string(),
            Self::Headcount { block, role_id } => format!("{}/{role_id}", format_hhmm(block)),
        }
    }
}

/// Checks that `line` is a line `date`'s plan at `location` can have: the prep item or role is
/// the location's, the block one of the day's.
async fn check_line(db: &DatabaseConnection, location: &Location, date: NaiveDate, line: Line) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    match line {
        Line::PrepItem(id) => {
            let item = prep_item::Entity::find_by_id(id).one(db).await?;
            if item.is_none_or(|i| i.location_id != location.id) {
                errors.push(FieldError::new("prep_item_id", format!("prep item {id} does not exist at this location")));
            }
        }
        Line::Headcount { block, role_id } => {
            let role = staff_role::Entity::find_by_id(role_id).one(db).await?;
            if role.is_none_or(|r| r.location_id != location.id) {
                errors.push(FieldError::new("role_id", format!("role {role_id} does not exist at this location")));
            }
            let starts = location.hours_on(date)?.block_starts();
            if !starts.contains(&format_hhmm(block)) {
                let message = format!("is not the start of one of the day's blocks ({})", starts.join(", "));
                errors.push(FieldError::new("block", message));
            }
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(ApiError::Validation(errors)) }
}

/// Sets (or replaces) a manager's value for a line of `date`'s plan, `at` that instant (now, but
/// for the demo's past days); returns it.
pub async fn set(
    db: &DatabaseConnection,
    (caller, at): (&Caller, DateTime<Utc>),
    location: &Location,
    date: NaiveDate,
    line: Line,
    (value, reason): (f64, &str),
) -> Result<LineOverride, ApiError> {
    check_line(db, location, date, line).await?;
    let kind = line.kind();
    let row = plan_override::ActiveModel {
        location_id: Set(location.id),
        kind: Set(kind.as_str().to_owned()),
        service_date: Set(date),
        line: Set(line.key()),
        value: Set(value),
        reason: Set(reason.trim().to_owned()),
        set_by: Set(caller.subject().to_owned()),
        set_at: Set(at),
        ..Default::default()
    };
    let txn = crate::db::begin_write(db).await?;
    let columns = [
        plan_override::Column::LocationId,
        plan_override::Column::Kind,
        plan_override::Column::ServiceDate,
        plan_override::Column::Line,
    ];
    let update = [
        plan_override::Column::Value,
        plan_override::Column::Reason,
        plan_override::Column::SetBy,
        plan_override::Column::SetAt,
    ];
    plan_override::Entity::insert(row)
        .on_conflict(OnConflict::columns(columns).update_columns(update).to_owned())
        .exec_without_returning(&txn)
        .await?;
    let stored = plan_override::Entity::find()
        .filter(plan_override::Column::LocationId.eq(location.id))
        .filter(plan_override::Column::Kind.eq(kind.as_str()))
        .filter(plan_override::Column::ServiceDate.eq(date))
        .filter(plan_override::Column::Line.eq(line.key()))
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::Internal("an override just written is gone".to_owned()))?;
    versions::commit(db, txn, location.id, &[versions::overridden(kind, date)]).await?;
    Ok(shown(&stored))
}

/// Removes a manager's value for a line; `false` when there was none.
pub async fn clear(
    db: &DatabaseConnection,
    location: &Location,
    date: NaiveDate,
    line: Line,
) -> Result<bool, ApiError> {
    let kind = line.kind();
    let txn = crate::db::begin_write(db).await?;
    let deleted = plan_override::Entity::delete_many()
        .filter(plan_override::Column::LocationId.eq(location.id))
        .filter(plan_override::Column::Kind.eq(kind.as_str()))
        .filter(plan_override::Column::ServiceDate.eq(date))
        .filter(plan_override::Column::Line.eq(line.key()))
        .exec(&txn)
        .await?;
    versions::commit(db, txn, location.id, &[versions::overridden(kind, date)]).await?;
    Ok(deleted.rows_affected > 0)
}

fn shown(row: &plan_override::Model) -> LineOverride {
    LineOverride {
        override_id: row.id,
        value: row.value,
        reason: row.reason.clone(),
        set_by: row.set_by.clone(),
        set_at: row.set_at,
    }
}

/// Lays the day's overrides over a served plan's JSON: each beside its line, or listed as dropped.
pub async fn lay_over(
    db: &DatabaseConnection,
    location_id: i64,
    kind: PlanKind,
    date: NaiveDate,
    body: &mut Value,
) -> Result<(), ApiError> {
    let rows = plan_override::Entity::find()
        .filter(plan_override::Column::LocationId.eq(location_id))
        .filter(plan_override::Column::Kind.eq(kind.as_str()))
        .filter(plan_override::Column::ServiceDate.eq(date))
        .order_by_asc(plan_override::Column::Line)
        .all(db)
        .await?;
    let mut dropped = Vec::new();
    for row in &rows {
        let set = json!(shown(row));
        let line = match kind {
            PlanKind::PrepList => find_prep_line(body, &row.line),
            PlanKind::Staffing => find_headcount(body, &row.line),
        };
        match line {
            Some(line) => line["manager_override"] = set,
            None => dropped.push(DroppedOverride {
                line: row.line.clone(),
                set: shown(row),
                why: match kind {
                    PlanKind::PrepList => "this plan has no line for the prep item".to_owned(),
                    PlanKind::Staffing => "this plan has no such role in that block".to_owned(),
                },
            }),
        }
    }
    if !dropped.is_empty() {
        body["dropped_overrides"] = json!(dropped);
    }
    Ok(())
}

fn find_prep_line<'a>(body: &'a mut Value, key: &str) -> Option<&'a mut Value> {
    let id: i64 = key.parse().ok()?;
    let stations = body.get_mut("stations")?.as_array_mut()?;
    stations
        .iter_mut()
        .filter_map(|s| s.get_mut("items").and_then(Value::as_array_mut))
        .flatten()
        .find(|line| line["prep_item_id"] == id)
}

fn find_headcount<'a>(body: &'a mut Value, key: &str) -> Option<&'a mut Value> {
    let (start, role) = key.split_once('/')?;
    let role_id: i64 = role.parse().ok()?;
    let block = body.get_mut("blocks")?.as_array_mut()?.iter_mut().find(|b| b["start"] == start)?;
    block.get_mut("staff")?.as_array_mut()?.iter_mut().find(|s| s["role_id"] == role_id)
}
