//! What authentication and spending limits keep: a tenant's own limits (overriding the
//! configured defaults), the model tokens each tenant spent per UTC day (shared by every
//! replica), and the answers to requests sent with an `Idempotency-Key`.
use sea_orm_migration::{prelude::*, schema::*};

use crate::schema_util::{create_with_indexes, drop, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column a statement: SQLite adds columns one at a time.
        let rate = Table::alter().table("tenants").add_column(integer_null("model_requests_per_minute")).to_owned();
        manager.alter_table(rate).await?;
        let tokens = Table::alter().table("tenants").add_column(big_integer_null("daily_tokens")).to_owned();
        manager.alter_table(tokens).await?;

        let usage = Table::create()
            .table("token_usage")
            .if_not_exists()
            .col(big_pk_auto("id"))
            .col(big_integer("tenant_id"))
            .col(date("day"))
            .col(big_integer("tokens"))
            .foreign_key(&mut fk("token_usage", "tenant_id", "tenants"))
            .to_owned();
        create_with_indexes(manager, usage, vec![index("token_usage", &["tenant_id", "day"], true)]).await?;

        let keys = Table::create()
            .table("idempotency_keys")
            .if_not_exists()
            .col(big_pk_auto("id"))
            .col(big_integer("tenant_id"))
            .col(string_len("key", 255))
            .col(string_len("request_hash", 64))
            .col(integer_null("status"))
            .col(text_null("content_type"))
            .col(text_null("body"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("expires_at"))
            .foreign_key(&mut fk("idempotency_keys", "tenant_id", "tenants"))
            .to_owned();
        create_with_indexes(manager, keys, vec![index("idempotency_keys", &["tenant_id", "key"], true)]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "idempotency_keys").await?;
        drop(manager, "token_usage").await?;
        for column in ["daily_tokens", "model_requests_per_minute"] {
            manager.alter_table(Table::alter().table("tenants").drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
