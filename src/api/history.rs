//! Read-only aggregates of sales and bookings, as the forecast sees them.
use chrono::{Duration, NaiveDate};
use poem_openapi::{Object, OpenApi, param::Path, param::Query, payload::Json};

use super::{ApiTags, AppState, auth::Bearer, fields::Day};
use crate::{
    catalog::Location,
    domain::{Action, DayOfWeek, ReservationStatus},
    error::{ApiError, ErrorResponse},
    history::{self, DateRange},
};

pub struct HistoryApi(pub AppState);

/// The longest range one aggregate may span.
const MAX_RANGE_DAYS: i64 = 3 * 366;
const DEFAULT_RANGE_DAYS: i64 = 28;

#[derive(Debug, Object)]
struct DayTotalsDto {
    date: NaiveDate,
    weekday: DayOfWeek,
    covers: i64,
    orders: i64,
}

#[derive(Debug, Object)]
struct HourTotalsDto {
    weekday: DayOfWeek,
    hour: i32,
    covers: i64,
    orders: i64,
    /// Service days in the range that had orders in this weekday and hour.
    days: i64,
}

#[derive(Debug, Object)]
struct ItemTotalsDto {
    menu_item_id: i64,
    weekday: DayOfWeek,
    quantity: i64,
}

#[derive(Debug, Object)]
struct Counted {
    count: i64,
    covers: i64,
}

#[derive(Debug, Object)]
struct HourBookings {
    hour: i32,
    count: i64,
    covers: i64,
}

#[derive(Debug, Object)]
struct StatusBookings {
    status: ReservationStatus,
    count: i64,
    covers: i64,
}

/// Bookings of one service date.
#[derive(Debug, Object)]
struct ReservationSummaryDto {
    date: NaiveDate,
    /// All bookings, whatever their status.
    total: Counted,
    /// Bookings still expected (booked, confirmed, seated, completed), per hour.
    by_hour: Vec<HourBookings>,
    by_status: Vec<StatusBookings>,
}

/// `[from, to)`, defaulting to the last 28 days before today in the location's time zone.
fn range(location: &Location, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<DateRange, ApiError> {
    let today = location.today();
    let to = to.unwrap_or(today);
    let from = from.unwrap_or(to - Duration::days(DEFAULT_RANGE_DAYS));
    if from >= to {
        return Err(ApiError::field("from", "must be before to"));
    }
    if (to - from).num_days() > MAX_RANGE_DAYS {
        return Err(ApiError::field("to", format!("the range may span at most {MAX_RANGE_DAYS} days")));
    }
    Ok(DateRange { from, to })
}

fn weekday(index: i32) -> DayOfWeek {
    DayOfWeek::ALL[index.rem_euclid(7) as usize]
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::History")]
impl HistoryApi {
    /// Covers and orders per service day in `[from, to)`.
    #[oai(path = "/locations/:id/history/daily", method = "get")]
    async fn daily(
        &self,
        auth: Bearer,
        id: Path<i64>,
        from: Query<Option<Day>>,
        to: Query<Option<Day>>,
    ) -> Result<Json<Vec<DayTotalsDto>>, ErrorResponse> {
        let location = self.0.location(&auth.0, Action::ReadHistory, id.0).await?;
        let range = range(&location, from.0.map(|d| d.0), to.0.map(|d| d.0))?;
        let days = history::daily_totals(&self.0.db, location.id, range, None).await?;
        Ok(Json(
            days.into_iter()
                .map(|d| DayTotalsDto {
                    date: d.service_date,
                    weekday: DayOfWeek::from_chrono(chrono::Datelike::weekday(&d.service_date)),
                    covers: d.covers,
                    orders: d.orders,
                })
                .collect(),
        ))
    }

    /// Covers and orders per weekday and hour, summed over `[from, to)`.
    #[oai(path = "/locations/:id/history/hourly", method = "get")]
    async fn hourly(
        &self,
        auth: Bearer,
        id: Path<i64>,
        from: Query<Option<Day>>,
        to: Query<Option<Day>>,
        weekday: Query<Option<DayOfWeek>>,
    ) -> Result<Json<Vec<HourTotalsDto>>, ErrorResponse> {
        let location = self.0.location(&auth.0, Action::ReadHistory, id.0).await?;
        let range = range(&location, from.0.map(|d| d.0), to.0.map(|d| d.0))?;
        let hours = history::hourly_totals(&self.0.db, location.id, range, weekday.0.map(DayOfWeek::index)).await?;
        Ok(Json(
            hours
                .into_iter()
                .map(|h| HourTotalsDto {
                    weekday: self::weekday(h.weekday),
                    hour: h.hour,
                    covers: h.covers,
                    orders: h.orders,
                    days: h.days,
                })
                .collect(),
        ))
    }

    /// Quantity sold per menu item and weekday, summed over `[from, to)`.
    #[oai(path = "/locations/:id/history/items", method = "get")]
    async fn items(
        &self,
        auth: Bearer,
        id: Path<i64>,
        from: Query<Option<Day>>,
        to: Query<Option<Day>>,
    ) -> Result<Json<Vec<ItemTotalsDto>>, ErrorResponse> {
        let location = self.0.location(&auth.0, Action::ReadHistory, id.0).await?;
        let range = range(&location, from.0.map(|d| d.0), to.0.map(|d| d.0))?;
        let items = history::item_totals(&self.0.db, location.id, range, None).await?;
        Ok(Json(
            items
                .into_iter()
                .map(|i| ItemTotalsDto {
                    menu_item_id: i.menu_item_id,
                    weekday: weekday(i.weekday),
                    quantity: i.quantity,
                })
                .collect(),
        ))
    }

    /// Bookings for one service date: count and covers, by hour and by status.
    #[oai(path = "/locations/:id/reservations/summary", method = "get")]
    async fn reservations(
        &self,
        auth: Bearer,
        id: Path<i64>,
        date: Query<Day>,
    ) -> Result<Json<ReservationSummaryDto>, ErrorResponse> {
        let location = self.0.location(&auth.0, Action::ReadHistory, id.0).await?;
        let summary = history::reservation_summary(&self.0.db, location.id, date.0.0).await?;
        let expected = [
            ReservationStatus::Booked,
            ReservationStatus::Confirmed,
            ReservationStatus::Seated,
            ReservationStatus::Completed,
        ];
        let total = summary.total(ReservationStatus::ALL);
        Ok(Json(ReservationSummaryDto {
            date: date.0.0,
            total: Counted { count: total.count, covers: total.covers },
            by_hour: summary
                .by_hour(&expected)
                .into_iter()
                .map(|(hour, c)| HourBookings { hour, count: c.count, covers: c.covers })
                .collect(),
            by_status: summary
                .by_status()
                .into_iter()
                .filter_map(|(status, c)| {
                    Some(StatusBookings { status: ReservationStatus::parse(status)?, count: c.count, covers: c.covers })
                })
                .collect(),
        }))
    }
}
