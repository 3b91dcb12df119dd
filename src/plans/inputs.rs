//! What a plan reads: the scopes of data it declares (its cache key holds their versions), and
//! its forecast, gathered from the history aggregates (GROUP BY queries over the weeks it reads)
//! with the same pure function the backtest replays.
use chrono::{Duration, NaiveDate, Utc};
use sea_orm::DatabaseConnection;

use super::prep_quantities::MAX_WINDOW_DAYS;
use crate::{
    catalog::Location,
    db::versions,
    domain::PlanKind,
    error::ApiError,
    forecast::{self, AsOf, Forecast, Params},
    history::{self, Spans},
};

/// The data a plan of `kind` for `date` reads, as `db::versions` scopes. Every plan reads the
/// history, the catalog and the stock, its regeneration counter and its overrides; a prep list reads the
/// bookings over the longest shelf life it plans for, a staffing plan those of its day.
pub fn scopes(kind: PlanKind, date: NaiveDate) -> Vec<String> {
    let days = match kind {
        PlanKind::PrepList => MAX_WINDOW_DAYS,
        PlanKind::Staffing => 1,
    };
    let mut scopes = vec![
        versions::HISTORY.to_owned(),
        versions::CATALOG.to_owned(),
        versions::STOCK.to_owned(),
        versions::regenerated(kind, date),
        versions::overridden(kind, date),
    ];
    scopes.extend((0..days).map(|d| versions::bookings(date + Duration::days(d))));
    scopes
}

/// Forecast of one service day from the orders of earlier days and the bookings as they stand
/// now. Bookings made after the day's cutoff (midnight before it) count with the walk-ins, as
/// they did in the history the forecast learnt from.
pub async fn load_forecast(
    db: &DatabaseConnection,
    location: &Location,
    date: NaiveDate,
    params: &Params,
) -> Result<Forecast, ApiError> {
    let mut forecasts = load_forecasts(db, location, &[date], params).await?;
    forecasts.swap_remove(0)
}

/// Forecasts of several days from one load of the aggregates, all as of the eve of the first
/// (a prep list's shelf-life days). Each day's own error stays in its slot.
pub async fn load_forecasts(
    db: &DatabaseConnection,
    location: &Location,
    dates: &[NaiveDate],
    params: &Params,
) -> Result<Vec<Result<Forecast, ApiError>>, ApiError> {
    let (Some(first), Some(last)) = (dates.iter().min().copied(), dates.iter().max().copied()) else {
        return Ok(Vec::new());
    };
    // The slot before the load, as for a backtest: a forecast turned away has cost nothing.
    let slot = crate::work::Slot::take("a forecast").await?;
    let mut spans = Spans::for_days(first, last + Duration::days(1), params);
    // Sales from the first day on (if it has begun) are not history.
    spans.sales.to = first;
    spans.items.to = first;
    let window = history::load_window(db, location.id, location.timezone, spans).await?;
    let now = AsOf::Now(Utc::now());
    let (dates, params, location_id) = (dates.to_vec(), *params, location.id);
    slot.run(move || {
        dates
            .iter()
            .map(|date| {
                forecast::forecast(*date, &window, now, &params).map_err(|e| {
                    ApiError::InsufficientHistory(format!("cannot forecast {date} for location {location_id}: {e}"))
                })
            })
            .collect()
    })
    .await
}
