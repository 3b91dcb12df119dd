//! Something the kitchen prepares ahead (a sauce, a dough), with its batch rules.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "prep_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub location_id: i64,
    pub station_id: i64,
    pub name: String,
    /// One of `g`, `kg`, `ml`, `l`, `each`.
    pub unit: String,
    pub batch_size: f64,
    pub min_batch: f64,
    pub max_batch: Option<f64>,
    pub shelf_life_hours: i32,
    pub prep_minutes: i32,
    pub par: f64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
