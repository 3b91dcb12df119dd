use sea_orm_migration::{prelude::*, schema::*};

use crate::schema_util::drop;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table("tenants")
            .if_not_exists()
            .col(big_pk_auto("id"))
            .col(string_len_uniq("name", 200))
            .col(timestamp_with_time_zone("created_at"))
            .to_owned();
        manager.create_table(table).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "tenants").await
    }
}
