//! Stations, menu items, prep items and recipe lines of one location.
use entity::{menu_item, prep_item, recipe_line, station};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::on_unique;
use crate::db::versions;
use crate::{domain::Unit, error::ApiError};

pub async fn create_station(db: &DatabaseConnection, location_id: i64, name: &str) -> Result<station::Model, ApiError> {
    let model =
        station::ActiveModel { location_id: Set(location_id), name: Set(name.to_owned()), ..Default::default() };
    let saved = model
        .insert(db)
        .await
        .map_err(|e| on_unique(e, "name", format!("a station named {name:?} already exists here")))?;
    versions::record(db, location_id, &[versions::CATALOG.to_owned()]).await?;
    Ok(saved)
}

pub async fn list_stations(db: &impl ConnectionTrait, location_id: i64) -> Result<Vec<station::Model>, ApiError> {
    Ok(station::Entity::find()
        .filter(station::Column::LocationId.eq(location_id))
        .order_by_asc(station::Column::Id)
        .all(db)
        .await?)
}

pub struct NewMenuItem {
    pub name: String,
    pub category: String,
    pub price_cents: i64,
    pub active: bool,
}

pub async fn create_menu_item(
    db: &DatabaseConnection,
    location_id: i64,
    new: NewMenuItem,
) -> Result<menu_item::Model, ApiError> {
    let model = menu_item::ActiveModel {
        location_id: Set(location_id),
        name: Set(new.name.clone()),
        category: Set(new.category),
        price_cents: Set(new.price_cents),
        active: Set(new.active),
        ..Default::default()
    };
    let saved = model
        .insert(db)
        .await
        .map_err(|e| on_unique(e, "name", format!("a menu item named {:?} already exists here", new.name)))?;
    versions::record(db, location_id, &[versions::CATALOG.to_owned()]).await?;
    Ok(saved)
}

pub async fn list_menu_items(db: &impl ConnectionTrait, location_id: i64) -> Result<Vec<menu_item::Model>, ApiError> {
    Ok(menu_item::Entity::find()
        .filter(menu_item::Column::LocationId.eq(location_id))
        .order_by_asc(menu_item::Column::Id)
        .all(db)
        .await?)
}

pub struct NewPrepItem {
    pub station_id: i64,
    pub name: String,
    pub unit: Unit,
    pub batch_size: f64,
    pub min_batch: f64,
    pub max_batch: Option<f64>,
    pub shelf_life_hours: i32,
    pub prep_minutes: i32,
    pub par: f64,
}

pub async fn create_prep_item(
    db: &DatabaseConnection,
    location_id: i64,
    new: NewPrepItem,
) -> Result<prep_item::Model, ApiError> {
    let station = station::Entity::find_by_id(new.station_id).one(db).await?;
    if station.is_none_or(|s| s.location_id != location_id) {
        return Err(ApiError::field(
            "station_id",
            format!("station {} does not exist at this location", new.station_id),
        ));
    }
    if let Some(max) = new.max_batch
        && max < new.min_batch
    {
        return Err(ApiError::field("max_batch", "must not be less than min_batch"));
    }
    let model = prep_item::ActiveModel {
        location_id: Set(location_id),
        station_id: Set(new.station_id),
        name: Set(new.name.clone()),
        unit: Set(new.unit.as_str().to_owned()),
        batch_size: Set(new.batch_size),
        min_batch: Set(new.min_batch),
        max_batch: Set(new.max_batch),
        shelf_life_hours: Set(new.shelf_life_hours),
        prep_minutes: Set(new.prep_minutes),
        par: Set(new.par),
        ..Default::default()
    };
    let saved = model
        .insert(db)
        .await
        .map_err(|e| on_unique(e, "name", format!("a prep item named {:?} already exists here", new.name)))?;
    versions::record(db, location_id, &[versions::CATALOG.to_owned()]).await?;
    Ok(saved)
}

pub async fn list_prep_items(db: &impl ConnectionTrait, location_id: i64) -> Result<Vec<prep_item::Model>, ApiError> {
    Ok(prep_item::Entity::find()
        .filter(prep_item::Column::LocationId.eq(location_id))
        .order_by_asc(prep_item::Column::Id)
        .all(db)
        .await?)
}

pub struct NewRecipeLine {
    pub menu_item_id: i64,
    pub prep_item_id: i64,
    pub quantity: f64,
}

pub async fn create_recipe_line(
    db: &DatabaseConnection,
    location_id: i64,
    new: NewRecipeLine,
) -> Result<recipe_line::Model, ApiError> {
    let menu_item = menu_item::Entity::find_by_id(new.menu_item_id).one(db).await?;
    if menu_item.is_none_or(|m| m.location_id != location_id) {
        return Err(ApiError::field(
            "menu_item_id",
            format!("menu item {} does not exist at this location", new.menu_item_id),
        ));
    }
    let prep_item = prep_item::Entity::find_by_id(new.prep_item_id).one(db).await?;
    if prep_item.is_none_or(|p| p.location_id != location_id) {
        return Err(ApiError::field(
            "prep_item_id",
            format!("prep item {} does not exist at this location", new.prep_item_id),
        ));
    }
    let model = recipe_line::ActiveModel {
        location_id: Set(location_id),
        menu_item_id: Set(new.menu_item_id),
        prep_item_id: Set(new.prep_item_id),
        quantity: Set(new.quantity),
        ..Default::default()
    };
    let saved = model
        .insert(db)
        .await
        .map_err(|e| on_unique(e, "prep_item_id", "this menu item already has a line for this prep item"))?;
    versions::record(db, location_id, &[versions::CATALOG.to_owned()]).await?;
    Ok(saved)
}

pub async fn list_recipe_lines(
    db: &impl ConnectionTrait,
    location_id: i64,
) -> Result<Vec<recipe_line::Model>, ApiError> {
    Ok(recipe_line::Entity::find()
        .filter(recipe_line::Column::LocationId.eq(location_id))
        .order_by_asc(recipe_line::Column::Id)
        .all(db)
        .await?)
}
