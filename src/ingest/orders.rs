//! Batch ingest of orders and their lines.
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use entity::{menu_item, order, order_line};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set};

use super::{INSERT_CHUNK, IngestSummary, instant, reject_repeated_ids};
use crate::{
    catalog::{Location, on_unique},
    db::versions,
    domain::{ExternalId, OrderChannel},
    error::{ApiError, FieldError},
};

#[derive(Debug, Clone)]
pub struct NewOrderLine {
    pub menu_item_id: i64,
    pub quantity: i32,
}

#[derive(Debug, Clone)]
pub struct NewOrder {
    pub external_id: ExternalId,
    pub ordered_at: DateTime<FixedOffset>,
    pub covers: i32,
    pub channel: OrderChannel,
    pub lines: Vec<NewOrderLine>,
}

/// Lines compared as a multiset: the same items in another order are the same order.
fn line_key(lines: impl Iterator<Item = (i64, i32)>) -> BTreeMap<i64, i64> {
    let mut key = BTreeMap::new();
    for (item, quantity) in lines {
        *key.entry(item).or_insert(0) += i64::from(quantity);
    }
    key
}

/// Stores the new orders of a batch; orders already stored identically are left alone, and
/// one stored differently rejects the whole batch (409) with nothing written.
#[tracing::instrument(skip_all, fields(location_id = location.id, batch = orders.len()))]
pub async fn ingest_orders(
    db: &DatabaseConnection,
    location: &Location,
    orders: Vec<NewOrder>,
) -> Result<IngestSummary, ApiError> {
    reject_repeated_ids("orders", orders.iter().map(|o| &o.external_id))?;
    check_menu_items(db, location.id, &orders).await?;

    let txn = crate::db::begin_write(db).await?;
    let ids: Vec<String> = orders.iter().map(|o| o.external_id.as_str().to_owned()).collect();
    let existing: HashMap<String, order::Model> = order::Entity::find()
        .filter(order::Column::LocationId.eq(location.id))
        .filter(order::Column::ExternalId.is_in(ids))
        .all(&txn)
        .await?
        .into_iter()
        .map(|o| (o.external_id.clone(), o))
        .collect();

    let mut summary = IngestSummary::default();
    if !existing.is_empty() {
        let stored_lines = order_line::Entity::find()
            .filter(order_line::Column::OrderId.is_in(existing.values().map(|o| o.id)))
            .all(&txn)
            .await?;
        let mut lines_by_order: HashMap<i64, Vec<(i64, i32)>> = HashMap::new();
        for line in stored_lines {
            lines_by_order.entry(line.order_id).or_default().push((line.menu_item_id, line.quantity));
        }
        for (i, new) in orders.iter().enumerate() {
            let Some(old) = existing.get(new.external_id.as_str()) else { continue };
            let same = old.ordered_at == instant(new.ordered_at)
                && old.covers == new.covers
                && old.channel == new.channel.as_str()
                && line_key(lines_by_order.get(&old.id).into_iter().flatten().copied())
                    == line_key(new.lines.iter().map(|l| (l.menu_item_id, l.quantity)));
            if !same {
                return Err(ApiError::conflict(
                    format!("orders[{i}].external_id"),
                    format!("order {:?} was already ingested with different content", new.external_id.as_str()),
                ));
            }
            summary.unchanged += 1;
        }
    }

    let fresh: Vec<&NewOrder> = orders.iter().filter(|o| !existing.contains_key(o.external_id.as_str())).collect();
    for chunk in fresh.chunks(INSERT_CHUNK) {
        let rows = chunk.iter().map(|o| {
            let local = o.ordered_at.with_timezone(&location.timezone);
            order::ActiveModel {
                location_id: Set(location.id),
                external_id: Set(o.external_id.as_str().to_owned()),
                ordered_at: Set(instant(o.ordered_at)),
                service_date: Set(local.date_naive()),
                weekday: Set(local.weekday().num_days_from_monday() as i32),
                hour: Set(local.hour() as i32),
                covers: Set(o.covers),
                channel: Set(o.channel.as_str().to_owned()),
                ..Default::default()
            }
        });
        let inserted = order::Entity::insert_many(rows).exec_with_returning(&txn).await.map_err(|e| {
            on_unique(e, "orders", "an order of this batch was ingested at the same time; send the batch again")
        })?;
        let id_of: HashMap<&str, i64> = inserted.iter().map(|o| (o.external_id.as_str(), o.id)).collect();
        let lines: Vec<order_line::ActiveModel> = chunk
            .iter()
            .flat_map(|o| {
                let order_id = id_of[o.external_id.as_str()];
                o.lines.iter().map(move |l| order_line::ActiveModel {
                    order_id: Set(order_id),
                    menu_item_id: Set(l.menu_item_id),
                    quantity: Set(l.quantity),
                    ..Default::default()
                })
            })
            .collect();
        for lines in lines.chunks(INSERT_CHUNK) {
            order_line::Entity::insert_many(lines.to_vec()).exec_without_returning(&txn).await?;
        }
        summary.created += chunk.len() as u64;
    }
    let scopes = if summary.created > 0 { vec![versions::HISTORY.to_owned()] } else { Vec::new() };
    versions::commit(db, txn, location.id, &scopes).await?;
    tracing::debug!(created = summary.created, unchanged = summary.unchanged, "orders ingested");
    Ok(summary)
}

/// Every line must name a menu item of this location.
async fn check_menu_items(db: &DatabaseConnection, location_id: i64, orders: &[NewOrder]) -> Result<(), ApiError> {
    let wanted: HashSet<i64> = orders.iter().flat_map(|o| o.lines.iter().map(|l| l.menu_item_id)).collect();
    let known: HashSet<i64> = menu_item::Entity::find()
        .select_only()
        .column(menu_item::Column::Id)
        .filter(menu_item::Column::LocationId.eq(location_id))
        .filter(menu_item::Column::Id.is_in(wanted))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let errors: Vec<FieldError> = orders
        .iter()
        .enumerate()
        .flat_map(|(i, o)| o.lines.iter().enumerate().map(move |(j, l)| (i, j, l.menu_item_id)))
        .filter(|(_, _, id)| !known.contains(id))
        .map(|(i, j, id)| {
            FieldError::new(
                format!("orders[{i}].lines[{j}].menu_item_id"),
                format!("menu item {id} does not exist at this location"),
            )
        })
        .collect();
    if errors.is_empty() { Ok(()) } else { Err(ApiError::Validation(errors)) }
}
