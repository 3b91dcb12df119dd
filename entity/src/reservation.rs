//! A booking: when, how many, its status. Guest identity and notes live in
//! `reservation_guests`, which forecasting never reads.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "reservations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub location_id: i64,
    pub external_id: String,
    pub reserved_for: DateTimeUtc,
    pub service_date: Date,
    pub hour: i32,
    pub party_size: i32,
    /// `booked`, `confirmed`, `seated`, `completed`, `cancelled` or `no_show`.
    pub status: String,
    pub channel: String,
    pub booked_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_one = "super::reservation_guest::Entity")]
    Guest,
}

impl Related<super::reservation_guest::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Guest.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
