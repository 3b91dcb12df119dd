//! Generated plans and the audit trail of the model calls behind them.
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
            .col(string_len_null("model", 200))
            .col(string_len_null("prompt_version", 64))
            .col(integer("attempts"))
            .col(integer("tokens_used"))
            .col(json("fallback_reasons"))
            .col(json("repairs"))
            .col(json("body"))
            .col(timestamp_with_time_zone("generated_at"))
            .foreign_key(&mut fk("plans", "location_id", "locations"))
            .to_owned();
        create_with_indexes(manager, table, vec![index("plans", &["location_id", "kind", "service_date"], false)])
            .await?;

        // The audit trail: every model call made for a plan, whatever came of it.
        let calls = Table::create()
            .table("llm_calls")
            .if_not_exists()
            .col(big_pk_auto("id"))
            .col(big_integer("plan_id"))
            .col(integer("attempt"))
            .col(string_len("prompt_version", 64))
            .col(string_len("model", 200))
            .col(timestamp_with_time_zone("started_at"))
            .col(integer("latency_ms"))
            .col(integer("prompt_tokens"))
            .col(integer("completion_tokens"))
            .col(integer("total_tokens"))
            .col(string_len("outcome", 32))
            .col(string_len_null("finish_reason", 32))
            .col(json("issues"))
            .col(text_null("raw_answer"))
            .foreign_key(&mut fk("llm_calls", "plan_id", "plans"))
            .to_owned();
        create_with_indexes(manager, calls, vec![index("llm_calls", &["plan_id", "attempt"], false)]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "llm_calls").await?;
        drop(manager, "plans").await
    }
}
