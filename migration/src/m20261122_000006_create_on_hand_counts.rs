use sea_orm_migration::{prelude::*, schema::*};

use crate::schema_util::{create_with_indexes, drop, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table("on_hand_counts")
            .if_not_exists()
            .col(big_pk_auto("id"))
            .col(big_integer("location_id"))
            .col(big_integer("prep_item_id"))
            .col(double("quantity"))
            .col(timestamp_with_time_zone("counted_at"))
            .foreign_key(&mut fk("on_hand_counts", "location_id", "locations"))
            .foreign_key(&mut fk("on_hand_counts", "prep_item_id", "prep_items"))
            .to_owned();
        create_with_indexes(manager, table, vec![index("on_hand_counts", &["prep_item_id", "counted_at"], false)]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "on_hand_counts").await
    }
}
