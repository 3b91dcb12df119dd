use sea_orm_migration::{prelude::*, schema::*};

use crate::schema_util::{create_with_indexes, drop, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table("locations")
            .if_not_exists()
            .col(big_pk_auto("id"))
            .col(big_integer("tenant_id"))
            .col(string_len("name", 200))
            .col(string_len("timezone", 64))
            .col(integer("seats"))
            .col(json("opening_hours"))
            .col(timestamp_with_time_zone("created_at"))
            .foreign_key(&mut fk("locations", "tenant_id", "tenants"))
            .to_owned();
        create_with_indexes(manager, table, vec![index("locations", &["tenant_id", "name"], true)]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "locations").await
    }
}
