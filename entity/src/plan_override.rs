//! A manager's value for one line of a day's plan (a prep quantity, or a role's headcount in an
//! hour block), with the reason, who set it and when. Kept apart from the plans Sous makes: it is
//! shown beside Sous's suggestion, never written into it.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_overrides")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub location_id: i64,
    /// `prep_list` or `staffing`.
    pub kind: String,
    pub service_date: Date,
    /// `<prep_item_id>`, or `<HH:MM>/<role_id>` (a block's start and a role).
    pub line: String,
    /// The quantity to prepare, or the headcount.
    pub value: f64,
    pub reason: String,
    /// The subject of the token that set it.
    pub set_by: String,
    pub set_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
