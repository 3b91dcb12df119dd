//! Accuracy as the API answers it.
use chrono::NaiveDate;
use poem_openapi::Object;
use serde::Serialize;

/// One forecaster's error against what happened.
#[derive(Debug, Clone, PartialEq, Serialize, Object)]
#[oai(rename = "AccuracyScore")]
pub struct Score {
    /// Σ|forecast − actual| / Σ actual (0 is perfect); absent when nothing happened at all.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub wape: Option<f64>,
    /// Σ(forecast − actual) / Σ actual: above 0 the forecaster planned too much, below too little.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub bias: Option<f64>,
    /// Days (covers), dish-days, plan lines scored.
    pub points: u32,
    /// Σ forecast (prep quantities in batches).
    pub forecast: f64,
    /// Σ actual (prep quantities in batches).
    pub actual: f64,
}

/// The baseline, the model's plan and the plan as the manager left it, scored apart. A
/// forecaster that said nothing on these days is absent.
#[derive(Debug, Clone, PartialEq, Serialize, Object)]
pub struct Forecasters {
    /// Sous's statistical baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub baseline: Option<Score>,
    /// The model's plans, on the days the plan was the model's; never with an override.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub model: Option<Score>,
    /// The plan as the kitchen was told: each manager's override in place of Sous's number.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub manager: Option<Score>,
}

/// What was thrown away, as a share of what was prepped (in batches of each item).
#[derive(Debug, Clone, PartialEq, Serialize, Object)]
pub struct Waste {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub share: Option<f64>,
    pub prepped_batches: f64,
    pub wasted_batches: f64,
    /// Prep actuals (item-days) counted.
    pub lines: u32,
}

/// Covers forecast and served on one day.
#[derive(Debug, Clone, PartialEq, Serialize, Object)]
pub struct DayCovers {
    pub forecast: f64,
    pub actual: f64,
}

/// One service day's plans, scored.
#[derive(Debug, Clone, PartialEq, Serialize, Object)]
pub struct DayAccuracy {
    pub date: NaiveDate,
    /// The stored prep list the kitchen had when the day opened (plans are stored when a model
    /// was asked: the latest of the model's made before opening, else the latest); without one,
    /// the baseline is replayed as of the night before.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub prep_plan_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub staffing_plan_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub covers: Option<DayCovers>,
    pub prep: Forecasters,
    pub headcount: Forecasters,
    /// Lines of the day's plans a manager overrode.
    pub overridden_lines: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub waste_share: Option<f64>,
}

/// How close Sous's baseline, the model and the manager came to what happened, over `[from, to)`.
#[derive(Debug, Clone, PartialEq, Serialize, Object)]
pub struct Accuracy {
    pub location_id: i64,
    /// First day included.
    pub from: NaiveDate,
    /// First day excluded.
    pub to: NaiveDate,
    /// Service days scored (open, with sales or actuals).
    pub days: u32,
    /// Covers per day.
    pub covers: Forecasters,
    /// Portions per dish and day.
    pub dishes: Forecasters,
    /// Quantities to prepare, per prep item and day, in batches.
    pub prep: Forecasters,
    /// People per role and hour block.
    pub headcount: Forecasters,
    pub waste: Waste,
    /// Lines of the plans a manager overrode.
    pub overridden_lines: u32,
    /// How the figures were made and what was left out, in sentences.
    pub notes: Vec<String>,
    pub by_day: Vec<DayAccuracy>,
}
