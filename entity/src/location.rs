//! A restaurant location: its time zone, seats and weekly opening hours.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "locations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tenant_id: i64,
    pub name: String,
    /// IANA time zone name, e.g. `Europe/Paris`.
    pub timezone: String,
    pub seats: i32,
    /// `[{"weekday":"mon","opens":"11:30","closes":"22:00"}, ...]`; a missing weekday is closed.
    pub opening_hours: Json,
    pub created_at: DateTimeUtc,
    /// This location's own share of expected covers that is a material change (else the default).
    pub replan_covers_share: Option<f64>,
    /// This location's own least number of covers that is a material change (else the default).
    pub replan_covers_min: Option<f64>,
    /// This location's own cap on automatic regenerations a service day (else the default).
    pub replan_daily_cap: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::tenant::Entity", from = "Column::TenantId", to = "super::tenant::Column::Id")]
    Tenant,
}

impl Related<super::tenant::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Tenant.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
