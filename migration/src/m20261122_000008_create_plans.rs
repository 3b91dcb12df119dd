use sea_orm_migration::{prelude::*, schema::*};

use crate::schema_util::{create_with_indexes, drop, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table("plans")
            .if_not_exists()
            .col(big_pk_auto("id"))
            .col(big_integer("location_id"))
            .col(string_len("kind", 16))
            .col(date("service_date"))
            .col(string_len("source", 16))
            .col(string_len("input_fingerprint", 64))
            .col(json("body"))
            .col(timestamp_with_time_zone("generated_at"))
            .foreign_key(&mut fk("plans", "location_id", "locations"))
            .to_owned();
        create_with_indexes(manager, table, vec![index("plans", &["location_id", "kind", "service_date"], false)]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "plans").await
    }
}
