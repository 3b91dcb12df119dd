//! The catalog: tenants, locations, stations, menu items, prep items, recipes and staff
//! roles. Everything a plan is built from, apart from sales and bookings.
mod items;
mod locations;
mod roles;

pub use items::{
    NewMenuItem, NewPrepItem, NewRecipeLine, create_menu_item, create_prep_item, create_recipe_line, create_station,
    list_menu_items, list_prep_items, list_recipe_lines, list_stations,
};
pub use locations::{
    Location, NewLocation, ReplanOverrides, create_location, create_tenant, get_location, get_tenant, list_locations,
    list_tenants, set_replan,
};
pub use roles::{NewRole, create_role, list_roles};

use sea_orm::{DbErr, SqlErr};

use crate::error::ApiError;

/// A unique-key clash is the client's doing: answer 409 naming the field, not 500.
pub(crate) fn on_unique(err: DbErr, field: &str, message: impl Into<String>) -> ApiError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => ApiError::conflict(field, message),
        _ => ApiError::Database(err),
    }
}
