//! Gathers a forecast's inputs from the history aggregates (all GROUP BY queries).
use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate};
use sea_orm::DatabaseConnection;

use crate::{
    catalog::Location,
    domain::ReservationStatus,
    error::ApiError,
    forecast::{self, DayPoint, Forecast, Input, Params},
    history::{self, DateRange},
};

/// How far back the no-show rate looks.
const NO_SHOW_WINDOW_DAYS: i64 = 90;

/// Forecast of one service day from data dated before it (and the bookings for it).
pub async fn load_forecast(
    db: &DatabaseConnection,
    location: &Location,
    date: NaiveDate,
    params: &Params,
) -> Result<Forecast, ApiError> {
    let weekday = date.weekday().num_days_from_monday() as i32;
    let range = DateRange { from: date - Duration::days(7 * i64::from(params.weeks)), to: date };

    let daily = history::daily_totals(db, location.id, range, Some(weekday)).await?;
    let shown: HashMap<NaiveDate, i64> = history::shown_covers_by_day(db, location.id, range)
        .await?
        .into_iter()
        .map(|s| (s.service_date, s.covers))
        .collect();
    let history = daily
        .iter()
        .map(|d| DayPoint {
            date: d.service_date,
            covers: d.covers as f64,
            orders: d.orders as f64,
            reserved_covers: shown.get(&d.service_date).copied().unwrap_or(0) as f64,
        })
        .collect();
    let hour_profile: BTreeMap<i32, (f64, f64)> = history::hourly_totals(db, location.id, range, Some(weekday))
        .await?
        .into_iter()
        .map(|h| (h.hour, (h.covers as f64, h.orders as f64)))
        .collect();
    let item_quantities: BTreeMap<i64, f64> = history::item_totals(db, location.id, range, Some(weekday))
        .await?
        .into_iter()
        .map(|i| (i.menu_item_id, i.quantity as f64))
        .collect();

    let bookings = history::reservation_summary(db, location.id, date).await?;
    let booked_by_hour = bookings
        .by_hour(&[ReservationStatus::Booked, ReservationStatus::Confirmed])
        .into_iter()
        .map(|(hour, c)| (hour, c.covers as f64))
        .collect();
    let seated_covers = bookings.total(&[ReservationStatus::Seated, ReservationStatus::Completed]).covers as f64;
    let (no_shows, honoured) = history::no_show_counts(
        db,
        location.id,
        DateRange { from: date - Duration::days(NO_SHOW_WINDOW_DAYS), to: date },
    )
    .await?;

    let input = Input { history, hour_profile, item_quantities, booked_by_hour, seated_covers, no_shows, honoured };
    forecast::forecast(date, &input, params)
        .map_err(|e| ApiError::InsufficientHistory(format!("cannot forecast {date} for location {}: {e}", location.id)))
}
