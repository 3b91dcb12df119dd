//! Gathers a forecast's inputs from the history aggregates (GROUP BY queries over the weeks
//! it reads) and forecasts with the same pure function the backtest replays.
use chrono::{Duration, NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use crate::{
    catalog::Location,
    error::ApiError,
    forecast::{self, AsOf, Forecast, Params},
    history::{self, Spans},
};

/// Forecast of one service day from the orders of earlier days and the bookings as they stand
/// now. Bookings made after the day's cutoff (midnight before it) count with the walk-ins, as
/// they did in the history the forecast learnt from.
pub async fn load_forecast(
    db: &DatabaseConnection,
    location: &Location,
    date: NaiveDate,
    params: &Params,
) -> Result<Forecast, ApiError> {
    let mut spans = Spans::for_days(date, date + Duration::days(1), params);
    // Sales of the day itself (if it has begun) are not history.
    spans.sales.to = date;
    spans.items.to = date;
    let window = history::load_window(db, location.id, location.timezone, spans).await?;
    forecast::forecast(date, &window, AsOf::Now(Utc::now()), params)
        .map_err(|e| ApiError::InsufficientHistory(format!("cannot forecast {date} for location {}: {e}", location.id)))
}
