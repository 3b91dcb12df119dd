//! The plans as the API answers them (and as they are stored).
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use poem_openapi::Object;
use serde::Serialize;

use crate::{
    domain::{LaborDriver, LineOrigin, PlanSource, PlanTrigger, Unit},
    forecast::{Forecast, Params},
};

/// Rounds for display: plans are read by people.
pub(crate) fn round1(value: f64) -> f64 {
    // `+ 0.0` turns -0.0 into 0.0: a plan must serialize the same way every time it is stored
    // and read back (its ETag is a hash of its bytes).
    (value * 10.0).round() / 10.0 + 0.0
}

/// The numbers a plan was built from.
#[derive(Debug, Clone, Serialize, Object)]
pub struct ForecastSummary {
    /// Covers expected on the service day.
    pub expected_covers: f64,
    /// P10 of the covers: 9 days in 10 bring at least this many (absent with too little history).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub covers_low: Option<f64>,
    /// P90 of the covers: 9 days in 10 bring at most this many.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub covers_high: Option<f64>,
    pub expected_orders: f64,
    /// Weighted same-weekday level of all covers, bookings included.
    pub history_covers: f64,
    /// Covers expected that were not on the books: walk-ins and bookings made after the cutoff.
    pub walk_in_covers: f64,
    /// Covers expected from the bookings on the books, after no-shows and late cancellations.
    pub reserved_covers: f64,
    /// Covers on the books for the day (booked, confirmed, seated), before discount.
    pub booked_covers: f64,
    /// Share of the booked covers expected not to come, from past bookings of the same lead
    /// time and channel.
    pub no_show_rate: f64,
    /// Same-weekday days with sales the forecast used.
    pub history_days: u32,
    /// How the forecast was made, in words.
    pub method: String,
    /// Where this forecast's numbers came from, one sentence each.
    pub rationale: Vec<String>,
}

impl ForecastSummary {
    pub fn from_forecast(f: &Forecast, params: &Params) -> Self {
        Self {
            expected_covers: round1(f.expected_covers),
            covers_low: f.range.as_ref().map(|r| round1(r.covers_low)),
            covers_high: f.range.as_ref().map(|r| round1(r.covers_high)),
            expected_orders: round1(f.expected_orders),
            history_covers: round1(f.history_covers),
            walk_in_covers: round1(f.walk_in_covers),
            reserved_covers: round1(f.reserved_covers),
            booked_covers: round1(f.booked_covers),
            no_show_rate: (f.no_show_rate * 1000.0).round() / 1000.0,
            history_days: f.history_days as u32,
            method: params.describe(),
            rationale: f.rationale.clone(),
        }
    }
}

/// What to prepare of one prep item.
#[derive(Debug, Clone, Serialize, Object)]
pub struct PrepLine {
    pub prep_item_id: i64,
    pub name: String,
    pub unit: Unit,
    /// Forecast use over the item's shelf life (at least its par).
    pub need: f64,
    /// Latest count, 0 when never counted.
    pub on_hand: f64,
    /// Quantity to prepare; 0 means nothing to do.
    pub suggested: f64,
    /// What the statistical baseline suggested (rounded to batch rules).
    pub baseline_suggested: f64,
    pub batches: u32,
    /// Latest start that still finishes by opening time, in the location's time zone.
    pub start_by: DateTime<FixedOffset>,
    /// The numbers behind the baseline's suggestion, in one sentence.
    pub rationale: String,
    /// Whose `suggested` and `start_by` these are: the baseline's, or the model's change.
    pub origin: LineOrigin,
    /// The model's reason for its change, when `origin` is `model` (redacted model text).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub model_reason: Option<String>,
    /// A manager's quantity for this line, shown beside Sous's `suggested` (which it never
    /// changes).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub manager_override: Option<LineOverride>,
}

/// A manager's value for one line of a plan, with the reason, who set it and when.
#[derive(Debug, Clone, Serialize, Object)]
pub struct LineOverride {
    pub override_id: i64,
    /// The quantity (prep list) or headcount (staffing) the manager set.
    pub value: f64,
    pub reason: String,
    /// The subject of the token that set it.
    pub set_by: String,
    pub set_at: DateTime<Utc>,
}

/// An override whose line this plan no longer has (kept, shown here, applied again if the line
/// comes back).
#[derive(Debug, Clone, Serialize, Object)]
pub struct DroppedOverride {
    /// `prep_item_id` or `HH:MM/role_id`.
    pub line: String,
    #[oai(flatten)]
    #[serde(flatten)]
    pub set: LineOverride,
    /// Why it does not apply, in Sous's words.
    pub why: String,
}

#[derive(Debug, Clone, Serialize, Object)]
pub struct StationPrep {
    pub station_id: i64,
    pub station: String,
    pub items: Vec<PrepLine>,
}

/// Where a plan came from and what it took.
#[derive(Debug, Clone, Default, Serialize, Object)]
pub struct Provenance {
    /// The stored plan (with its audit trail), when a model was involved.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub plan_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub model: Option<String>,
    /// `<kind>/<version>` of the prompt used.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub prompt_version: Option<String>,
    /// Answers asked of the model (first ask and re-asks).
    pub attempts: u32,
    /// Tokens the endpoint reported, over all attempts.
    pub tokens_used: u32,
    /// Why the model's plan was not used (`fallback`), or not all of it (`llm_partial`).
    pub fallback_reasons: Vec<String>,
    /// Lines of this plan the model changed from the baseline (0 for `llm_unchanged`).
    pub changed_lines: u32,
    /// Changes of the model's last answer that failed their checks and were not applied
    /// (`llm_partial`).
    pub rejected_changes: u32,
    /// Deterministic repairs applied to the accepted answer.
    pub repairs: Vec<String>,
    /// Why this plan was made (absent for a baseline made with no model).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub trigger: Option<PlanTrigger>,
    /// The model's note for the kitchen, when its plan was accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub summary: Option<String>,
}

/// A baseline number that moved since the plan was published.
#[derive(Debug, Clone, Serialize, Object)]
pub struct MovedLine {
    /// The prep item, or the role and block (`Server 19:00`).
    pub line: String,
    /// The baseline's number when the plan was made.
    pub then: f64,
    /// The baseline's number on the data as it is now.
    pub now: f64,
}

/// What changed since a published plan was made, from the baseline recomputed on the data as
/// it is now (no model call). The plan itself is served as it was published.
#[derive(Debug, Clone, Serialize, Object)]
pub struct SincePublished {
    pub expected_covers_then: f64,
    pub expected_covers_now: f64,
    pub booked_covers_then: f64,
    pub booked_covers_now: f64,
    /// Baseline quantities (whole batches) or headcounts that moved.
    pub moved: Vec<MovedLine>,
    /// Why the change is material, in Sous's words; empty when it is not.
    pub material: Vec<String>,
    /// The change is material but this location's automatic regenerations for the day are
    /// used up: a manager can regenerate by hand.
    pub regeneration_due: bool,
}

/// Tonight's prep list.
#[derive(Debug, Clone, Serialize, Object)]
pub struct PrepList {
    pub location_id: i64,
    pub date: NaiveDate,
    pub source: PlanSource,
    pub generated_at: DateTime<Utc>,
    pub provenance: Provenance,
    /// What changed since this plan was published, when the data has moved since.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub since_published: Option<SincePublished>,
    /// Managers' overrides whose line this plan does not have.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[oai(default, skip_serializing_if_is_empty)]
    pub dropped_overrides: Vec<DroppedOverride>,
    pub forecast: ForecastSummary,
    pub stations: Vec<StationPrep>,
}

#[derive(Debug, Clone, Serialize, Object)]
pub struct RoleHeadcount {
    pub role_id: i64,
    pub role: String,
    pub headcount: u32,
    /// What the statistical baseline asked for.
    pub baseline_headcount: u32,
    /// Whose `headcount` this is: the baseline's, or the model's change.
    pub origin: LineOrigin,
    /// The model's reason for its change, when `origin` is `model` and it gave one (redacted
    /// model text; prompt v1 asks for none).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub model_reason: Option<String>,
    /// A manager's headcount for this role and block, shown beside Sous's `headcount`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub manager_override: Option<LineOverride>,
    pub driver: LaborDriver,
    /// Expected driver units (covers or orders) in the block.
    pub driver_value: f64,
}

/// One time block of the service day.
#[derive(Debug, Clone, Serialize, Object)]
pub struct StaffingBlock {
    /// Local time `HH:MM`.
    pub start: String,
    pub end: String,
    pub expected_covers: f64,
    pub expected_orders: f64,
    pub staff: Vec<RoleHeadcount>,
}

#[derive(Debug, Clone, Serialize, Object)]
pub struct StaffingRoleTotal {
    pub role_id: i64,
    pub role: String,
    pub peak_headcount: u32,
    pub staff_hours: f64,
}

/// Who is needed when.
#[derive(Debug, Clone, Serialize, Object)]
pub struct StaffingPlan {
    pub location_id: i64,
    pub date: NaiveDate,
    pub source: PlanSource,
    pub generated_at: DateTime<Utc>,
    pub provenance: Provenance,
    /// What changed since this plan was published, when the data has moved since.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub since_published: Option<SincePublished>,
    /// Managers' overrides whose line this plan does not have.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[oai(default, skip_serializing_if_is_empty)]
    pub dropped_overrides: Vec<DroppedOverride>,
    pub forecast: ForecastSummary,
    pub blocks: Vec<StaffingBlock>,
    pub roles: Vec<StaffingRoleTotal>,
}
