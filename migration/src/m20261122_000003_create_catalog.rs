//! Stations, menu items, prep items and recipe lines: the catalog a plan is built from.
use sea_orm_migration::{prelude::*, schema::*};

use crate::schema_util::{create_with_indexes, drop, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let stations = Table::create()
            .table("stations")
            .if_not_exists()
            .col(big_pk_auto("id"))
            .col(big_integer("location_id"))
            .col(string_len("name", 100))
            .foreign_key(&mut fk("stations", "location_id", "locations"))
            .to_owned();
        create_with_indexes(manager, stations, vec![index("stations", &["location_id", "name"], true)]).await?;

        let menu_items = Table::create()
            .table("menu_items")
            .if_not_exists()
            .col(big_pk_auto("id"))
            .col(big_integer("location_id"))
            .col(string_len("name", 200))
            .col(string_len("category", 100))
            .col(big_integer("price_cents"))
            .col(boolean("active"))
            .foreign_key(&mut fk("menu_items", "location_id", "locations"))
            .to_owned();
        create_with_indexes(manager, menu_items, vec![index("menu_items", &["location_id", "name"], true)]).await?;

        let prep_items = Table::create()
            .table("prep_items")
            .if_not_exists()
            .col(big_pk_auto("id"))
            .col(big_integer("location_id"))
            .col(big_integer("station_id"))
            .col(string_len("name", 200))
            .col(string_len("unit", 16))
            .col(double("batch_size"))
            .col(double("min_batch"))
            .col(double_null("max_batch"))
            .col(integer("shelf_life_hours"))
            .col(integer("prep_minutes"))
            .col(double("par"))
            .foreign_key(&mut fk("prep_items", "location_id", "locations"))
            .foreign_key(&mut fk("prep_items", "station_id", "stations"))
            .to_owned();
        create_with_indexes(manager, prep_items, vec![index("prep_items", &["location_id", "name"], true)]).await?;

        let recipe_lines = Table::create()
            .table("recipe_lines")
            .if_not_exists()
            .col(big_pk_auto("id"))
            .col(big_integer("location_id"))
            .col(big_integer("menu_item_id"))
            .col(big_integer("prep_item_id"))
            .col(double("quantity"))
            .foreign_key(&mut fk("recipe_lines", "location_id", "locations"))
            .foreign_key(&mut fk("recipe_lines", "menu_item_id", "menu_items"))
            .foreign_key(&mut fk("recipe_lines", "prep_item_id", "prep_items"))
            .to_owned();
        create_with_indexes(
            manager,
            recipe_lines,
            vec![
                index("recipe_lines", &["menu_item_id", "prep_item_id"], true),
                index("recipe_lines", &["location_id"], false),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["recipe_lines", "prep_items", "menu_items", "stations"] {
            drop(manager, table).await?;
        }
        Ok(())
    }
}
