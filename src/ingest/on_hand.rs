//! Stock counts of prep items. Counts are a log: the latest count of an item is what is on hand.
use std::collections::HashSet;

use chrono::{DateTime, FixedOffset};
use entity::{on_hand_count, prep_item};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set};

use super::{INSERT_CHUNK, instant};
use crate::{
    catalog::Location,
    db::versions,
    error::{ApiError, FieldError},
};

#[derive(Debug, Clone)]
pub struct NewCount {
    pub prep_item_id: i64,
    pub quantity: f64,
    pub counted_at: DateTime<FixedOffset>,
}

#[tracing::instrument(skip_all, fields(location_id = location.id, batch = counts.len()))]
pub async fn record_counts(
    db: &DatabaseConnection,
    location: &Location,
    counts: Vec<NewCount>,
) -> Result<u64, ApiError> {
    let known: HashSet<i64> = prep_item::Entity::find()
        .select_only()
        .column(prep_item::Column::Id)
        .filter(prep_item::Column::LocationId.eq(location.id))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let errors: Vec<FieldError> = counts
        .iter()
        .enumerate()
        .filter(|(_, c)| !known.contains(&c.prep_item_id))
        .map(|(i, c)| {
            FieldError::new(
                format!("counts[{i}].prep_item_id"),
                format!("prep item {} does not exist at this location", c.prep_item_id),
            )
        })
        .collect();
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let txn = crate::db::begin_write(db).await?;
    for chunk in counts.chunks(INSERT_CHUNK) {
        let rows = chunk.iter().map(|c| on_hand_count::ActiveModel {
            location_id: Set(location.id),
            prep_item_id: Set(c.prep_item_id),
            quantity: Set(c.quantity),
            counted_at: Set(instant(c.counted_at)),
            ..Default::default()
        });
        on_hand_count::Entity::insert_many(rows).exec_without_returning(&txn).await?;
    }
    versions::commit(db, txn, location.id, &[versions::STOCK.to_owned()]).await?;
    Ok(counts.len() as u64)
}
