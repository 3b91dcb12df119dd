//! Accuracy: how close Sous's baseline, the model's plans and the plans as managers left them
//! came to what really happened, per day and over a range (WAPE and bias), and how much was
//! thrown away. The three are kept apart: the baseline is replayed as of each day's cutoff (or
//! read from the day's plan, which holds it line by line), the model is scored only on the days
//! its plan was the one the kitchen had and never with an override, and the manager's score is
//! the plan the kitchen was told, each override in place of Sous's number. Only what was known
//! before the doors opened counts: a plan made, or an override set, during or after service is
//! not a forecast.
mod days;
mod markdown;
mod score;
mod types;

pub use markdown::{render_markdown, render_table};
pub use score::{Day, Dish, HeadcountLine, PrepLine, Truth, Values, score_days};
pub use types::{Accuracy, DayAccuracy, DayCovers, Forecasters, Score, Waste};

use chrono::{Datelike, Duration, NaiveDate};
use sea_orm::DatabaseConnection;

use crate::{catalog::Location, error::ApiError, history::DateRange};

/// The longest range one request scores.
pub const MAX_RANGE_DAYS: i64 = 92;
/// The range when none is given: the four weeks before today.
pub const DEFAULT_RANGE_DAYS: i64 = 28;

/// `[from, to)` from what was asked, at a location where it is `today`: days that have ended.
pub fn range(from: Option<NaiveDate>, to: Option<NaiveDate>, today: NaiveDate) -> Result<DateRange, ApiError> {
    let to = to.unwrap_or(today);
    // Far from chrono's limits, so that the history before a range can always be read.
    if to.year() < 1 {
        return Err(ApiError::field("to", "must be in the year 1 or later"));
    }
    let from = from.unwrap_or(to - Duration::days(DEFAULT_RANGE_DAYS));
    if from.year() < 1 {
        return Err(ApiError::field("from", "must be in the year 1 or later"));
    }
    if to > today {
        return Err(ApiError::field(
            "to",
            format!("may be at most today ({today}): only days that have ended are scored"),
        ));
    }
    if from >= to {
        return Err(ApiError::field("from", "must be before to"));
    }
    if (to - from).num_days() > MAX_RANGE_DAYS {
        return Err(ApiError::field("to", format!("the range may span at most {MAX_RANGE_DAYS} days")));
    }
    Ok(DateRange { from, to })
}

/// Scores `location`'s plans over `range` (see [`range`]).
#[tracing::instrument(skip(db, location), fields(location_id = location.id))]
pub async fn measure(db: &DatabaseConnection, location: &Location, range: DateRange) -> Result<Accuracy, ApiError> {
    let slot = crate::work::Slot::take("an accuracy report").await?;
    let loaded = days::load(db, location, range).await?;
    let location = location.clone();
    slot.run(move || days::compute(&location, range, &loaded)).await
}
