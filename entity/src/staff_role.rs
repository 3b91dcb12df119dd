//! A staff role and its labor rule: headcount = driver per hour / ratio, clamped to min..max.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_roles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub location_id: i64,
    pub name: String,
    /// `covers` or `orders`.
    pub driver: String,
    /// Driver units one person handles per hour.
    pub ratio: f64,
    pub min_staff: i32,
    pub max_staff: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
