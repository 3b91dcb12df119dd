//! An idempotent request's answer keeps the headers that describe it (`ETag`, `Cache-Control`,
//! `X-Sous-Cache`, ...), so that a retry gets them back with the body, as the document promises.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let headers = Table::alter().table("idempotency_keys").add_column(text_null("headers")).to_owned();
        manager.alter_table(headers).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("idempotency_keys").drop_column("headers").to_owned()).await
    }
}
