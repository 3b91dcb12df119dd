//! The staff of one role actually on in one hour block of a service day.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_actuals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub location_id: i64,
    pub service_date: Date,
    /// The block's start, `HH:MM` local, as the staffing plan writes it.
    pub block: String,
    pub role_id: i64,
    pub headcount: i32,
    /// The subject of the token that recorded it.
    pub recorded_by: String,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
