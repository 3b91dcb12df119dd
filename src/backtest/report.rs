//! What a backtest answers (the API and the CLI print it as it is).
use chrono::NaiveDate;
use poem_openapi::{Enum, Object};
use serde::Serialize;

use super::metrics::Errors;
use crate::domain::DayOfWeek;

/// A forecasting method compared in the backtest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Enum)]
#[oai(rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Sous's baseline forecast (the one plans are built on).
    SousBaseline,
    /// Mean of the same weekdays with sales among the last 4 weeks (the industry's rule of thumb).
    #[oai(rename = "same_weekday_mean_4w")]
    #[serde(rename = "same_weekday_mean_4w")]
    SameWeekdayMean4w,
    /// The latest same weekday with sales (usually the same day last week).
    SeasonalNaive,
}

impl Method {
    pub const ALL: [Self; 3] = [Self::SousBaseline, Self::SameWeekdayMean4w, Self::SeasonalNaive];

    pub fn describe(self) -> &'static str {
        match self {
            Self::SousBaseline => {
                "Sous baseline: unbooked covers from a robust weighted level, plus bookings after no-shows"
            }
            Self::SameWeekdayMean4w => "mean of the same weekdays with sales among the last 4 weeks",
            Self::SeasonalNaive => "the latest same weekday with sales (usually the same day last week)",
        }
    }
}

/// Errors of one method over a set of points.
#[derive(Debug, Clone, Serialize, Object)]
pub struct Score {
    /// Σ|forecast − actual| / Σ actual; absent when nothing was sold.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub wape: Option<f64>,
    /// Mean absolute error, in covers or portions.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub mae: Option<f64>,
    /// Points compared (days, day-hours or day-dishes).
    pub points: u32,
    /// Σ actual over those points.
    pub actual_total: f64,
}

fn round(value: f64, places: i32) -> f64 {
    let factor = 10f64.powi(places);
    (value * factor).round() / factor
}

impl From<Errors> for Score {
    fn from(e: Errors) -> Self {
        Self {
            wape: e.wape().map(|w| round(w, 4)),
            mae: e.mae().map(|m| round(m, 2)),
            points: e.points as u32,
            actual_total: round(e.actual, 1),
        }
    }
}

/// One method's errors.
#[derive(Debug, Clone, Serialize, Object)]
pub struct MethodScore {
    pub method: Method,
    pub description: String,
    /// Covers per day.
    pub covers: Score,
    /// Covers per day and hour block.
    pub hourly: Score,
    /// Portions per dish and day (dishes that sold nothing included).
    pub items: Score,
    /// Covers per day, on the days with the most covers on the books at the cutoff.
    pub busy_booking_days: Score,
    /// WAPE of covers per weekday, Monday first (absent for weekdays not evaluated).
    pub covers_wape_by_weekday: Vec<WeekdayWape>,
}

#[derive(Debug, Clone, Serialize, Object)]
pub struct WeekdayWape {
    pub weekday: DayOfWeek,
    pub days: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub wape: Option<f64>,
}

/// How often the actual day fell inside the baseline's P10–P90 range (80% when calibrated).
#[derive(Debug, Clone, Serialize, Object)]
pub struct RangeCoverage {
    /// Days that had a range.
    pub days: u32,
    /// Share of those days whose covers fell inside the covers range.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub covers: Option<f64>,
    /// Share of dish-days whose portions fell inside the dish's range.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub items: Option<f64>,
}

/// A day that was not scored, and why.
#[derive(Debug, Clone, Serialize, Object)]
pub struct SkippedDay {
    pub date: NaiveDate,
    pub reason: String,
}

/// One scored day.
#[derive(Debug, Clone, Serialize, Object)]
pub struct DayResult {
    pub date: NaiveDate,
    pub weekday: DayOfWeek,
    pub actual_covers: f64,
    /// Covers on the books at the cutoff, before no-shows.
    pub booked_at_cutoff: f64,
    pub sous_baseline: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub sous_low: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub sous_high: Option<f64>,
    pub same_weekday_mean_4w: f64,
    pub seasonal_naive: f64,
}

/// Errors per dish, over the scored days.
#[derive(Debug, Clone, Serialize, Object)]
pub struct ItemResult {
    pub menu_item_id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub name: Option<String>,
    /// Portions sold over the scored days.
    pub actual: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub sous_baseline_wape: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[oai(skip_serializing_if_is_none)]
    pub same_weekday_mean_4w_wape: Option<f64>,
}

/// The replay of `[from, to)`: every day forecast with what was known at its cutoff, and
/// compared with what happened.
#[derive(Debug, Clone, Serialize, Object)]
pub struct Report {
    pub location_id: i64,
    pub from: NaiveDate,
    /// First day not included.
    pub to: NaiveDate,
    /// What each day's forecast knew.
    pub cutoff: String,
    pub days_scored: u32,
    pub skipped: Vec<SkippedDay>,
    /// Sous's baseline first, then the references; all on the same days.
    pub methods: Vec<MethodScore>,
    /// Days counted as busy with bookings: the quarter of scored days with the most covers on
    /// the books at the cutoff.
    pub busy_booking_days: u32,
    /// Fewest covers on the books at the cutoff among those days.
    pub busy_booking_threshold: f64,
    pub range_coverage: RangeCoverage,
    pub days: Vec<DayResult>,
    /// Dishes, most sold first.
    pub items: Vec<ItemResult>,
}
