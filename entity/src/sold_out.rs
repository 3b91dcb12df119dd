//! A menu item that ran out (was 86'd) during a service day, and when: its sales that day hide
//! the demand that came after.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sold_outs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub location_id: i64,
    pub service_date: Date,
    pub menu_item_id: i64,
    /// Local time `HH:MM` it ran out.
    pub sold_out_at: String,
    /// The subject of the token that recorded it.
    pub recorded_by: String,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
