//! Aggregates of orders and order lines.
use chrono::NaiveDate;
use entity::{order, order_line};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder, QuerySelect,
    RelationTrait,
    sea_query::{Expr, ExprTrait},
};

use super::DateRange;
use crate::error::ApiError;

/// Covers and orders of one service day.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct DayTotals {
    pub service_date: NaiveDate,
    pub covers: i64,
    pub orders: i64,
}

/// Covers and orders of one weekday and hour, summed over the range.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct HourTotals {
    pub weekday: i32,
    pub hour: i32,
    pub covers: i64,
    pub orders: i64,
    /// Distinct service days that had orders in this weekday and hour.
    pub days: i64,
}

/// Quantity sold of one menu item on one weekday, summed over the range.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct ItemTotals {
    pub menu_item_id: i64,
    pub weekday: i32,
    pub quantity: i64,
}

fn in_range<Q: QueryFilter>(query: Q, location_id: i64, range: DateRange, weekday: Option<i32>) -> Q {
    let query = query
        .filter(order::Column::LocationId.eq(location_id))
        .filter(order::Column::ServiceDate.gte(range.from))
        .filter(order::Column::ServiceDate.lt(range.to));
    match weekday {
        Some(weekday) => query.filter(order::Column::Weekday.eq(weekday)),
        None => query,
    }
}

pub async fn daily_totals(
    db: &impl ConnectionTrait,
    location_id: i64,
    range: DateRange,
    weekday: Option<i32>,
) -> Result<Vec<DayTotals>, ApiError> {
    let query = order::Entity::find()
        .select_only()
        .column(order::Column::ServiceDate)
        .column_as(Expr::col(order::Column::Covers).sum(), "covers")
        .column_as(Expr::col(order::Column::Id).count(), "orders")
        .group_by(order::Column::ServiceDate)
        .order_by_asc(order::Column::ServiceDate);
    Ok(in_range(query, location_id, range, weekday).into_model::<DayTotals>().all(db).await?)
}

pub async fn hourly_totals(
    db: &impl ConnectionTrait,
    location_id: i64,
    range: DateRange,
    weekday: Option<i32>,
) -> Result<Vec<HourTotals>, ApiError> {
    let query = order::Entity::find()
        .select_only()
        .column(order::Column::Weekday)
        .column(order::Column::Hour)
        .column_as(Expr::col(order::Column::Covers).sum(), "covers")
        .column_as(Expr::col(order::Column::Id).count(), "orders")
        .column_as(Expr::col(order::Column::ServiceDate).count_distinct(), "days")
        .group_by(order::Column::Weekday)
        .group_by(order::Column::Hour)
        .order_by_asc(order::Column::Weekday)
        .order_by_asc(order::Column::Hour);
    Ok(in_range(query, location_id, range, weekday).into_model::<HourTotals>().all(db).await?)
}

pub async fn item_totals(
    db: &impl ConnectionTrait,
    location_id: i64,
    range: DateRange,
    weekday: Option<i32>,
) -> Result<Vec<ItemTotals>, ApiError> {
    let query = order_line::Entity::find()
        .select_only()
        .column(order_line::Column::MenuItemId)
        .column(order::Column::Weekday)
        .column_as(Expr::col((order_line::Entity, order_line::Column::Quantity)).sum(), "quantity")
        .join(JoinType::InnerJoin, order_line::Relation::Order.def())
        .group_by(order_line::Column::MenuItemId)
        .group_by(order::Column::Weekday)
        .order_by_asc(order_line::Column::MenuItemId)
        .order_by_asc(order::Column::Weekday);
    Ok(in_range(query, location_id, range, weekday).into_model::<ItemTotals>().all(db).await?)
}
