//! Staff roles and their labor rules.
use entity::staff_role;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::on_unique;
use crate::db::versions;
use crate::{domain::LaborDriver, error::ApiError};

pub struct NewRole {
    pub name: String,
    pub driver: LaborDriver,
    pub ratio: f64,
    pub min_staff: i32,
    pub max_staff: i32,
}

pub async fn create_role(
    db: &DatabaseConnection,
    location_id: i64,
    new: NewRole,
) -> Result<staff_role::Model, ApiError> {
    if new.max_staff < new.min_staff {
        return Err(ApiError::field("max_staff", "must not be less than min_staff"));
    }
    let model = staff_role::ActiveModel {
        location_id: Set(location_id),
        name: Set(new.name.clone()),
        driver: Set(new.driver.as_str().to_owned()),
        ratio: Set(new.ratio),
        min_staff: Set(new.min_staff),
        max_staff: Set(new.max_staff),
        ..Default::default()
    };
    let saved = model
        .insert(db)
        .await
        .map_err(|e| on_unique(e, "name", format!("a role named {:?} already exists here", new.name)))?;
    versions::record(db, location_id, &[versions::CATALOG.to_owned()]).await?;
    Ok(saved)
}

pub async fn list_roles(db: &impl ConnectionTrait, location_id: i64) -> Result<Vec<staff_role::Model>, ApiError> {
    Ok(staff_role::Entity::find()
        .filter(staff_role::Column::LocationId.eq(location_id))
        .order_by_asc(staff_role::Column::Id)
        .all(db)
        .await?)
}
