//! What the kitchen really prepped, used and wasted of one prep item on one service day.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "prep_actuals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub location_id: i64,
    pub service_date: Date,
    pub prep_item_id: i64,
    /// Made that day, in the item's unit.
    pub prepped: f64,
    /// Used in dishes that day (from that day's prep or from stock).
    pub used: f64,
    /// Thrown away that day.
    pub wasted: f64,
    /// The subject of the token that recorded it.
    pub recorded_by: String,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
