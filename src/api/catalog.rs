//! Stations, menu items, prep items and recipe lines of a location.
use poem_openapi::{ApiResponse, Object, OpenApi, param::Path, payload::Json};

use super::{ApiTags, AppState, auth::Bearer, fields::Name};
use crate::{
    catalog::{self, NewMenuItem, NewPrepItem, NewRecipeLine},
    domain::{Action, Unit},
    error::ErrorResponse,
};

pub struct CatalogApi(pub AppState);

#[derive(Debug, Object)]
struct NewStation {
    name: Name<100>,
}

#[derive(Debug, Object)]
struct Station {
    id: i64,
    location_id: i64,
    name: String,
}

#[derive(Debug, Object)]
struct NewMenuItemBody {
    name: Name<200>,
    category: Name<100>,
    #[oai(validator(minimum(value = "0"), maximum(value = "10000000")))]
    price_cents: i64,
    #[oai(default = "default_true")]
    active: bool,
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Object)]
struct MenuItem {
    id: i64,
    location_id: i64,
    name: String,
    category: String,
    price_cents: i64,
    active: bool,
}

#[derive(Debug, Object)]
struct NewPrepItemBody {
    station_id: i64,
    name: Name<200>,
    unit: Unit,
    /// Quantity one batch yields, in `unit`.
    #[oai(validator(minimum(value = "0.001"), maximum(value = "1000000")))]
    batch_size: f64,
    /// Smallest quantity worth preparing at once (0 for no minimum).
    #[oai(default, validator(minimum(value = "0"), maximum(value = "1000000")))]
    min_batch: f64,
    /// Largest quantity one prep run can make (none for no limit).
    #[oai(validator(minimum(value = "0.001"), maximum(value = "1000000")))]
    max_batch: Option<f64>,
    #[oai(validator(minimum(value = "1"), maximum(value = "8760")))]
    shelf_life_hours: i32,
    #[oai(validator(minimum(value = "0"), maximum(value = "1440")))]
    prep_minutes: i32,
    /// Stock the kitchen wants at the start of service whatever the forecast says.
    #[oai(default, validator(minimum(value = "0"), maximum(value = "1000000")))]
    par: f64,
}

#[derive(Debug, Object)]
struct PrepItem {
    id: i64,
    location_id: i64,
    station_id: i64,
    name: String,
    unit: String,
    batch_size: f64,
    min_batch: f64,
    #[oai(skip_serializing_if_is_none)]
    max_batch: Option<f64>,
    shelf_life_hours: i32,
    prep_minutes: i32,
    par: f64,
}

#[derive(Debug, Object)]
struct NewRecipeLineBody {
    menu_item_id: i64,
    prep_item_id: i64,
    /// Quantity of the prep item one portion uses, in the prep item's unit.
    #[oai(validator(minimum(value = "0.0001"), maximum(value = "100000")))]
    quantity: f64,
}

#[derive(Debug, Object)]
struct RecipeLine {
    id: i64,
    menu_item_id: i64,
    prep_item_id: i64,
    quantity: f64,
}

#[derive(ApiResponse)]
enum Created<T: poem_openapi::types::ToJSON + Send + Sync> {
    /// Created.
    #[oai(status = 201)]
    Created(Json<T>),
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Catalog")]
impl CatalogApi {
    /// Add a kitchen station.
    #[oai(path = "/locations/:id/stations", method = "post")]
    async fn create_station(
        &self,
        auth: Bearer,
        id: Path<i64>,
        body: Json<NewStation>,
    ) -> Result<Created<Station>, ErrorResponse> {
        let location_id = self.0.location(&auth.0, Action::EditCatalog, id.0).await?.id;
        let s = catalog::create_station(&self.0.db, location_id, body.0.name.trim()).await?;
        Ok(Created::Created(Json(Station { id: s.id, location_id: s.location_id, name: s.name })))
    }

    /// The location's stations.
    #[oai(path = "/locations/:id/stations", method = "get")]
    async fn list_stations(&self, auth: Bearer, id: Path<i64>) -> Result<Json<Vec<Station>>, ErrorResponse> {
        let location_id = self.0.location(&auth.0, Action::ReadCatalog, id.0).await?.id;
        let stations = catalog::list_stations(&self.0.db, location_id).await?;
        Ok(Json(stations.into_iter().map(|s| Station { id: s.id, location_id: s.location_id, name: s.name }).collect()))
    }

    /// Add a menu item.
    #[oai(path = "/locations/:id/menu-items", method = "post")]
    async fn create_menu_item(
        &self,
        auth: Bearer,
        id: Path<i64>,
        body: Json<NewMenuItemBody>,
    ) -> Result<Created<MenuItem>, ErrorResponse> {
        let location_id = self.0.location(&auth.0, Action::EditCatalog, id.0).await?.id;
        let b = body.0;
        let new = NewMenuItem {
            name: b.name.trim().to_owned(),
            category: b.category.trim().to_owned(),
            price_cents: b.price_cents,
            active: b.active,
        };
        let item = catalog::create_menu_item(&self.0.db, location_id, new).await?;
        Ok(Created::Created(Json(menu_item(item))))
    }

    /// The location's menu.
    #[oai(path = "/locations/:id/menu-items", method = "get")]
    async fn list_menu_items(&self, auth: Bearer, id: Path<i64>) -> Result<Json<Vec<MenuItem>>, ErrorResponse> {
        let location_id = self.0.location(&auth.0, Action::ReadCatalog, id.0).await?.id;
        Ok(Json(catalog::list_menu_items(&self.0.db, location_id).await?.into_iter().map(menu_item).collect()))
    }

    /// Add a prep item with its batch rules.
    #[oai(path = "/locations/:id/prep-items", method = "post")]
    async fn create_prep_item(
        &self,
        auth: Bearer,
        id: Path<i64>,
        body: Json<NewPrepItemBody>,
    ) -> Result<Created<PrepItem>, ErrorResponse> {
        let location_id = self.0.location(&auth.0, Action::EditCatalog, id.0).await?.id;
        let b = body.0;
        let new = NewPrepItem {
            station_id: b.station_id,
            name: b.name.trim().to_owned(),
            unit: b.unit,
            batch_size: b.batch_size,
            min_batch: b.min_batch,
            max_batch: b.max_batch,
            shelf_life_hours: b.shelf_life_hours,
            prep_minutes: b.prep_minutes,
            par: b.par,
        };
        let item = catalog::create_prep_item(&self.0.db, location_id, new).await?;
        Ok(Created::Created(Json(prep_item(item))))
    }

    /// The location's prep items.
    #[oai(path = "/locations/:id/prep-items", method = "get")]
    async fn list_prep_items(&self, auth: Bearer, id: Path<i64>) -> Result<Json<Vec<PrepItem>>, ErrorResponse> {
        let location_id = self.0.location(&auth.0, Action::ReadCatalog, id.0).await?.id;
        Ok(Json(catalog::list_prep_items(&self.0.db, location_id).await?.into_iter().map(prep_item).collect()))
    }

    /// Say how much of a prep item one portion of a menu item uses.
    #[oai(path = "/locations/:id/recipe-lines", method = "post")]
    async fn create_recipe_line(
        &self,
        auth: Bearer,
        id: Path<i64>,
        body: Json<NewRecipeLineBody>,
    ) -> Result<Created<RecipeLine>, ErrorResponse> {
        let location_id = self.0.location(&auth.0, Action::EditCatalog, id.0).await?.id;
        let b = body.0;
        let new = NewRecipeLine { menu_item_id: b.menu_item_id, prep_item_id: b.prep_item_id, quantity: b.quantity };
        let line = catalog::create_recipe_line(&self.0.db, location_id, new).await?;
        Ok(Created::Created(Json(recipe_line(line))))
    }

    /// The location's recipes.
    #[oai(path = "/locations/:id/recipe-lines", method = "get")]
    async fn list_recipe_lines(&self, auth: Bearer, id: Path<i64>) -> Result<Json<Vec<RecipeLine>>, ErrorResponse> {
        let location_id = self.0.location(&auth.0, Action::ReadCatalog, id.0).await?.id;
        Ok(Json(catalog::list_recipe_lines(&self.0.db, location_id).await?.into_iter().map(recipe_line).collect()))
    }
}

fn menu_item(m: entity::menu_item::Model) -> MenuItem {
    MenuItem {
        id: m.id,
        location_id: m.location_id,
        name: m.name,
        category: m.category,
        price_cents: m.price_cents,
        active: m.active,
    }
}

fn prep_item(p: entity::prep_item::Model) -> PrepItem {
    PrepItem {
        id: p.id,
        location_id: p.location_id,
        station_id: p.station_id,
        name: p.name,
        unit: p.unit,
        batch_size: p.batch_size,
        min_batch: p.min_batch,
        max_batch: p.max_batch,
        shelf_life_hours: p.shelf_life_hours,
        prep_minutes: p.prep_minutes,
        par: p.par,
    }
}

fn recipe_line(l: entity::recipe_line::Model) -> RecipeLine {
    RecipeLine { id: l.id, menu_item_id: l.menu_item_id, prep_item_id: l.prep_item_id, quantity: l.quantity }
}
