//! The aggregates a forecast reads, for a whole range of days at once: four GROUP BY queries
//! (per day, per day and hour, per day and menu item, and bookings per service day), whatever
//! the range, and the dishes that sold out (their sales hide demand). One live forecast loads a
//! few weeks; a backtest loads its whole range once and replays it in memory.
use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use entity::{order, order_line, reservation, sold_out};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder, QuerySelect,
    RelationTrait,
    sea_query::{Expr, ExprTrait},
};

use super::{DateRange, daily_totals};
use crate::{
    domain::{ReservationStatus, opening_hours::parse_hhmm},
    error::ApiError,
    forecast::{Booking, Params, Sales, Window},
};

/// The date ranges to load: orders, order lines, bookings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spans {
    pub sales: DateRange,
    pub items: DateRange,
    pub bookings: DateRange,
}

impl Spans {
    /// What forecasts of the days in `[from, to)` read (and what happened on those days):
    /// orders of the weeks before `from`, order lines of the mix's days, bookings from the
    /// no-show window on.
    pub fn for_days(from: NaiveDate, to: NaiveDate, params: &Params) -> Self {
        let booking_days = Ord::max(params.attrition_days, 7 * i64::from(params.weeks));
        Self {
            sales: DateRange { from: from - Duration::days(params.history_days()), to },
            items: DateRange { from: from - Duration::days(params.mix_days), to },
            bookings: DateRange { from: from - Duration::days(booking_days), to },
        }
    }
}

#[derive(Debug, FromQueryResult)]
struct DayHourRow {
    service_date: NaiveDate,
    hour: i32,
    covers: i64,
    orders: i64,
}

#[derive(Debug, FromQueryResult)]
struct DayItemRow {
    service_date: NaiveDate,
    menu_item_id: i64,
    quantity: i64,
}

#[derive(Debug, FromQueryResult)]
struct BookingRow {
    service_date: NaiveDate,
    hour: i32,
    status: String,
    channel: String,
    booked_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    count: i64,
    covers: i64,
}

fn orders_in<Q: QueryFilter>(query: Q, location_id: i64, range: DateRange) -> Q {
    query
        .filter(order::Column::LocationId.eq(location_id))
        .filter(order::Column::ServiceDate.gte(range.from))
        .filter(order::Column::ServiceDate.lt(range.to))
}

#[tracing::instrument(skip(db))]
pub async fn load_window(
    db: &impl ConnectionTrait,
    location_id: i64,
    tz: Tz,
    spans: Spans,
) -> Result<Window, ApiError> {
    let mut window = Window::new(tz);
    for d in daily_totals(db, location_id, spans.sales, None).await? {
        window.days.insert(d.service_date, Sales { covers: d.covers as f64, orders: d.orders as f64 });
    }

    let hours = order::Entity::find()
        .select_only()
        .column(order::Column::ServiceDate)
        .column(order::Column::Hour)
        .column_as(Expr::col(order::Column::Covers).sum(), "covers")
        .column_as(Expr::col(order::Column::Id).count(), "orders")
        .group_by(order::Column::ServiceDate)
        .group_by(order::Column::Hour)
        .order_by_asc(order::Column::ServiceDate)
        .order_by_asc(order::Column::Hour);
    for r in orders_in(hours, location_id, spans.sales).into_model::<DayHourRow>().all(db).await? {
        window
            .hours
            .entry(r.service_date)
            .or_default()
            .insert(r.hour, Sales { covers: r.covers as f64, orders: r.orders as f64 });
    }

    let items = order_line::Entity::find()
        .select_only()
        .column(order::Column::ServiceDate)
        .column(order_line::Column::MenuItemId)
        .column_as(Expr::col((order_line::Entity, order_line::Column::Quantity)).sum(), "quantity")
        .join(JoinType::InnerJoin, order_line::Relation::Order.def())
        .group_by(order::Column::ServiceDate)
        .group_by(order_line::Column::MenuItemId)
        .order_by_asc(order::Column::ServiceDate)
        .order_by_asc(order_line::Column::MenuItemId);
    for r in orders_in(items, location_id, spans.items).into_model::<DayItemRow>().all(db).await? {
        window.items.entry(r.service_date).or_default().insert(r.menu_item_id, r.quantity as f64);
    }

    let bookings = reservation::Entity::find()
        .select_only()
        .column(reservation::Column::ServiceDate)
        .column(reservation::Column::Hour)
        .column(reservation::Column::Status)
        .column(reservation::Column::Channel)
        .column(reservation::Column::BookedAt)
        .column(reservation::Column::UpdatedAt)
        .column_as(Expr::col(reservation::Column::Id).count(), "count")
        .column_as(Expr::col(reservation::Column::PartySize).sum(), "covers")
        .filter(reservation::Column::LocationId.eq(location_id))
        .filter(reservation::Column::ServiceDate.gte(spans.bookings.from))
        .filter(reservation::Column::ServiceDate.lt(spans.bookings.to))
        .group_by(reservation::Column::ServiceDate)
        .group_by(reservation::Column::Hour)
        .group_by(reservation::Column::Status)
        .group_by(reservation::Column::Channel)
        .group_by(reservation::Column::BookedAt)
        .group_by(reservation::Column::UpdatedAt)
        .order_by_asc(reservation::Column::ServiceDate)
        .into_model::<BookingRow>()
        .all(db)
        .await?;
    let mut by_day: BTreeMap<NaiveDate, Vec<Booking>> = BTreeMap::new();
    for r in bookings {
        let Some(status) = ReservationStatus::parse(&r.status) else { continue };
        by_day.entry(r.service_date).or_default().push(Booking {
            service_date: r.service_date,
            hour: r.hour,
            status,
            channel: r.channel,
            booked_at: r.booked_at,
            updated_at: r.updated_at,
            count: r.count,
            covers: r.covers as f64,
        });
    }
    window.bookings = by_day;

    let sold_outs = sold_out::Entity::find()
        .filter(sold_out::Column::LocationId.eq(location_id))
        .filter(sold_out::Column::ServiceDate.gte(spans.items.from))
        .filter(sold_out::Column::ServiceDate.lt(spans.items.to))
        .all(db)
        .await?;
    for row in sold_outs {
        // Written as `HH:MM` by `actuals::record`; anything else is skipped, not guessed.
        if let Ok(at) = parse_hhmm(&row.sold_out_at) {
            window.sold_out.entry(row.service_date).or_default().insert(row.menu_item_id, at);
        }
    }
    Ok(window)
}
