//! Orders and their lines: the sales history, without any customer data.
use sea_orm_migration::{prelude::*, schema::*};

use crate::schema_util::{create_with_indexes, drop, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let orders = Table::create()
            .table("orders")
            .if_not_exists()
            .col(big_pk_auto("id"))
            .col(big_integer("location_id"))
            .col(string_len("external_id", 64))
            .col(timestamp_with_time_zone("ordered_at"))
            .col(date("service_date"))
            .col(integer("weekday"))
            .col(integer("hour"))
            .col(integer("covers"))
            .col(string_len("channel", 16))
            .foreign_key(&mut fk("orders", "location_id", "locations"))
            .to_owned();
        create_with_indexes(
            manager,
            orders,
            vec![
                index("orders", &["location_id", "external_id"], true),
                index("orders", &["location_id", "service_date"], false),
                index("orders", &["location_id", "weekday", "service_date"], false),
            ],
        )
        .await?;

        let lines = Table::create()
            .table("order_lines")
            .if_not_exists()
            .col(big_pk_auto("id"))
            .col(big_integer("order_id"))
            .col(big_integer("menu_item_id"))
            .col(integer("quantity"))
            .foreign_key(&mut fk("order_lines", "order_id", "orders"))
            .foreign_key(&mut fk("order_lines", "menu_item_id", "menu_items"))
            .to_owned();
        create_with_indexes(manager, lines, vec![index("order_lines", &["order_id"], false)]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "order_lines").await?;
        drop(manager, "orders").await
    }
}
