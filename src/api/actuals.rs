//! What really happened on a service day, recorded by managers and integrations: per prep item
//! what was prepped, used and wasted; per role and hour block the staff on; per dish when it sold
//! out. Each line recorded again replaces the last (`docs/plan-lifecycle.md`).
use chrono::{DateTime, NaiveDate, Utc};
use poem_openapi::{
    Object, OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{
    ApiTags, AppState,
    auth::Bearer,
    fields::{Clock, Day},
};
use crate::{
    actuals::{self, DayActuals, PrepActual, Recorded, SoldOut, StaffOn},
    domain::{
        Action,
        opening_hours::{format_hhmm, parse_hhmm},
    },
    error::{ApiError, ErrorResponse, FieldError},
};

pub struct ActualsApi(pub AppState);

/// One prep item's day, in the item's unit.
#[derive(Debug, Object)]
struct PrepActualBody {
    prep_item_id: i64,
    /// Made that day.
    #[oai(validator(minimum(value = "0"), maximum(value = "1000000")))]
    prepped: f64,
    /// Used in dishes that day, from that day's prep or from stock.
    #[oai(validator(minimum(value = "0"), maximum(value = "1000000")))]
    used: f64,
    /// Thrown away that day.
    #[oai(validator(minimum(value = "0"), maximum(value = "1000000")))]
    wasted: f64,
}

/// Staff of one role actually on in one hour block.
#[derive(Debug, Object)]
struct StaffOnBody {
    /// The block's start, `HH:MM`, as the staffing plan writes it.
    block: Clock,
    role_id: i64,
    #[oai(validator(minimum(value = "0"), maximum(value = "500")))]
    headcount: u32,
}

/// A dish that ran out (86'd) during service.
#[derive(Debug, Object)]
struct SoldOutBody {
    menu_item_id: i64,
    /// Local time it ran out, `HH:MM`, within the day's opening hours.
    at: Clock,
}

/// Lines of one service day; each replaces what was recorded for its line.
#[derive(Debug, Object)]
struct ActualsBody {
    /// The service day: today or earlier, in the location's time zone.
    date: Day,
    #[oai(default, validator(min_items = 0, max_items = 1000))]
    prep: Vec<PrepActualBody>,
    #[oai(default, validator(min_items = 0, max_items = 2000))]
    staff: Vec<StaffOnBody>,
    #[oai(default, validator(min_items = 0, max_items = 1000))]
    sold_out: Vec<SoldOutBody>,
}

#[derive(Debug, Object)]
struct PrepActualDto {
    prep_item_id: i64,
    prepped: f64,
    used: f64,
    wasted: f64,
    /// The subject of the token that recorded it.
    recorded_by: String,
    recorded_at: DateTime<Utc>,
}

#[derive(Debug, Object)]
struct StaffOnDto {
    block: String,
    role_id: i64,
    headcount: i32,
    recorded_by: String,
    recorded_at: DateTime<Utc>,
}

#[derive(Debug, Object)]
struct SoldOutDto {
    menu_item_id: i64,
    at: String,
    recorded_by: String,
    recorded_at: DateTime<Utc>,
}

/// What is recorded for a service day.
#[derive(Debug, Object)]
struct RecordedDay {
    location_id: i64,
    date: NaiveDate,
    prep: Vec<PrepActualDto>,
    staff: Vec<StaffOnDto>,
    sold_out: Vec<SoldOutDto>,
}

fn shown(location_id: i64, date: NaiveDate, recorded: Recorded) -> RecordedDay {
    RecordedDay {
        location_id,
        date,
        prep: recorded
            .prep
            .into_iter()
            .map(|p| PrepActualDto {
                prep_item_id: p.prep_item_id,
                prepped: p.prepped,
                used: p.used,
                wasted: p.wasted,
                recorded_by: p.recorded_by,
                recorded_at: p.recorded_at,
            })
            .collect(),
        staff: recorded
            .staff
            .into_iter()
            .map(|s| StaffOnDto {
                block: s.block,
                role_id: s.role_id,
                headcount: s.headcount,
                recorded_by: s.recorded_by,
                recorded_at: s.recorded_at,
            })
            .collect(),
        sold_out: recorded
            .sold_out
            .into_iter()
            .map(|s| SoldOutDto {
                menu_item_id: s.menu_item_id,
                at: s.sold_out_at,
                recorded_by: s.recorded_by,
                recorded_at: s.recorded_at,
            })
            .collect(),
    }
}

/// A clock field as a time, or the field's error.
fn time(field: String, clock: &Clock) -> Result<chrono::NaiveTime, FieldError> {
    parse_hhmm(clock).map_err(|e| FieldError::new(field, e))
}

fn parsed(body: ActualsBody) -> Result<DayActuals, ApiError> {
    let mut errors = Vec::new();
    let staff = body
        .staff
        .into_iter()
        .enumerate()
        .filter_map(|(i, s)| match time(format!("staff[{i}].block"), &s.block) {
            Ok(block) => Some(StaffOn { block, role_id: s.role_id, headcount: s.headcount }),
            Err(e) => {
                errors.push(e);
                None
            }
        })
        .collect();
    let sold_out = body
        .sold_out
        .into_iter()
        .enumerate()
        .filter_map(|(i, s)| match time(format!("sold_out[{i}].at"), &s.at) {
            Ok(at) => Some(SoldOut { menu_item_id: s.menu_item_id, at }),
            Err(e) => {
                errors.push(e);
                None
            }
        })
        .collect();
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let prep = body
        .prep
        .into_iter()
        .map(|p| PrepActual { prep_item_id: p.prep_item_id, prepped: p.prepped, used: p.used, wasted: p.wasted })
        .collect();
    Ok(DayActuals { date: body.date.0, prep, staff, sold_out })
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Actuals")]
impl ActualsApi {
    /// Record what really happened on a service day (managers, owners, integrations): per prep
    /// item what was prepped, used and wasted; per role and hour block the staff on; per dish
    /// the time it sold out (86'd), which the forecast then reads as demand it did not see. Each
    /// line replaces what was recorded for it; lines not sent are kept. Answers the lines sent, as
    /// recorded (`GET` shows the whole day).
    #[oai(path = "/locations/:id/actuals", method = "put")]
    async fn record(
        &self,
        auth: Bearer,
        id: Path<i64>,
        body: Json<ActualsBody>,
    ) -> Result<Json<RecordedDay>, ErrorResponse> {
        let location = self.0.location(&auth.0, Action::RecordActuals, id.0).await?;
        let actuals = parsed(body.0)?;
        actuals::record(&self.0.db, &auth.0, &location, &actuals, location.today()).await?;
        let mut recorded = actuals::for_day(&self.0.db, location.id, actuals.date).await?;
        // Only the lines this caller sent: an integration does not read the managers' lines.
        recorded.prep.retain(|p| actuals.prep.iter().any(|a| a.prep_item_id == p.prep_item_id));
        recorded
            .staff
            .retain(|s| actuals.staff.iter().any(|a| format_hhmm(a.block) == s.block && a.role_id == s.role_id));
        recorded.sold_out.retain(|s| actuals.sold_out.iter().any(|a| a.menu_item_id == s.menu_item_id));
        Ok(Json(shown(location.id, actuals.date, recorded)))
    }

    /// What is recorded for a service day.
    #[oai(path = "/locations/:id/actuals", method = "get")]
    async fn day(&self, auth: Bearer, id: Path<i64>, date: Query<Day>) -> Result<Json<RecordedDay>, ErrorResponse> {
        let location = self.0.location(&auth.0, Action::ReadHistory, id.0).await?;
        let recorded = actuals::for_day(&self.0.db, location.id, date.0.0).await?;
        Ok(Json(shown(location.id, date.0.0, recorded)))
    }
}
