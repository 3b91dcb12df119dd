//! Managers' overrides of single lines of a day's plan: a prep quantity, or a role's headcount
//! in an hour block, with a reason. Shown beside Sous's suggestion in every read of the plan,
//! kept across regenerations while the line exists (`docs/plan-lifecycle.md`).
use chrono::Utc;
use poem_openapi::{ApiResponse, Object, OpenApi, param::Path, payload::Json};

use super::{
    ApiTags, AppState,
    auth::Bearer,
    fields::{Clock, Day, Name},
};
use crate::{
    domain::{Action, opening_hours::parse_hhmm},
    error::{ApiError, ErrorResponse, FieldError},
    plans::{
        LineOverride,
        overrides::{self, Line},
    },
};

pub struct OverridesApi(pub AppState);

/// A manager's quantity for one prep item of a day's prep list.
#[derive(Debug, Object)]
struct PrepOverrideBody {
    /// The service day.
    date: Day,
    prep_item_id: i64,
    /// The quantity to prepare, in the item's unit; leave it out to remove the override.
    #[oai(validator(minimum(value = "0"), maximum(value = "1000000")))]
    quantity: Option<f64>,
    /// Why, in a sentence the team will read (needed with a quantity).
    reason: Option<Name<240>>,
}

/// A manager's headcount for one role in one hour block of a day's staffing plan.
#[derive(Debug, Object)]
struct StaffingOverrideBody {
    /// The service day.
    date: Day,
    /// The block's start, `HH:MM`, as the staffing plan writes it.
    block: Clock,
    role_id: i64,
    /// People of this role in the block; leave it out to remove the override.
    #[oai(validator(minimum(value = "0"), maximum(value = "500")))]
    headcount: Option<u32>,
    /// Why, in a sentence the team will read (needed with a headcount).
    reason: Option<Name<240>>,
}

#[derive(ApiResponse)]
enum OverrideAnswer {
    /// The override as kept; every read of the plan shows it beside Sous's suggestion.
    #[oai(status = 200)]
    Set(Json<LineOverride>),
    /// The override was removed (or there was none).
    #[oai(status = 204)]
    Cleared,
}

/// The value and reason of a body, or the 422 when a value comes without a reason.
fn value_and_reason(value: Option<f64>, reason: Option<Name<240>>) -> Result<Option<(f64, String)>, ApiError> {
    match (value, reason) {
        (Some(value), Some(reason)) => Ok(Some((value, reason.trim().to_owned()))),
        (Some(_), None) => Err(ApiError::Validation(vec![FieldError::new("reason", "give a reason with the value")])),
        (None, _) => Ok(None),
    }
}

impl OverridesApi {
    async fn apply(
        &self,
        auth: Bearer,
        id: i64,
        date: Day,
        line: Line,
        set: Option<(f64, String)>,
    ) -> Result<OverrideAnswer, ErrorResponse> {
        let location = self.0.location(&auth.0, Action::OverridePlans, id).await?;
        let db = self.0.planner.db();
        Ok(match set {
            Some((value, reason)) => {
                let kept = overrides::set(db, (&auth.0, Utc::now()), &location, date.0, line, (value, &reason)).await?;
                OverrideAnswer::Set(Json(kept))
            }
            None => {
                overrides::clear(db, &location, date.0, line).await?;
                OverrideAnswer::Cleared
            }
        })
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Plans")]
impl OverridesApi {
    /// Set a prep item's quantity for a day by hand, with a reason (managers, owners). The prep
    /// list keeps Sous's `suggested` and shows the manager's beside it (`manager_override`); a
    /// regeneration keeps it while the item is on the list. Without `quantity`, removes it.
    #[oai(path = "/locations/:id/prep-list/overrides", method = "put")]
    async fn set_prep(
        &self,
        auth: Bearer,
        id: Path<i64>,
        body: Json<PrepOverrideBody>,
    ) -> Result<OverrideAnswer, ErrorResponse> {
        let PrepOverrideBody { date, prep_item_id, quantity, reason } = body.0;
        let set = value_and_reason(quantity, reason)?;
        self.apply(auth, id.0, date, Line::PrepItem(prep_item_id), set).await
    }

    /// Set a role's headcount in an hour block for a day by hand, with a reason (managers,
    /// owners), shown beside Sous's `headcount`. Without `headcount`, removes it.
    #[oai(path = "/locations/:id/staffing/overrides", method = "put")]
    async fn set_staffing(
        &self,
        auth: Bearer,
        id: Path<i64>,
        body: Json<StaffingOverrideBody>,
    ) -> Result<OverrideAnswer, ErrorResponse> {
        let StaffingOverrideBody { date, block, role_id, headcount, reason } = body.0;
        let set = value_and_reason(headcount.map(f64::from), reason)?;
        let block = parse_hhmm(&block).map_err(|e| ApiError::Validation(vec![FieldError::new("block", e)]))?;
        self.apply(auth, id.0, date, Line::Headcount { block, role_id }, set).await
    }
}
