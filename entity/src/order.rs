//! A guest check. No customer data: only when, how many covers, which channel.
//! `service_date`, `weekday` and `hour` are in the location's time zone, fixed at ingest,
//! so history aggregates are plain GROUP BYs on every database.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub location_id: i64,
    pub external_id: String,
    pub ordered_at: DateTimeUtc,
    pub service_date: Date,
    /// 0 = Monday ... 6 = Sunday.
    pub weekday: i32,
    pub hour: i32,
    pub covers: i32,
    /// `dine_in`, `takeout` or `delivery`.
    pub channel: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::order_line::Entity")]
    OrderLine,
}

impl Related<super::order_line::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::OrderLine.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
