//! One model call made for a plan: what was asked, what came back, what Sous made of it.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "llm_calls")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub plan_id: i64,
    /// 1 for the first ask, 2.. for re-asks.
    pub attempt: i32,
    pub prompt_version: String,
    pub model: String,
    pub started_at: DateTimeUtc,
    pub latency_ms: i32,
    pub prompt_tokens: i32,
    pub completion_tokens: i32,
    pub total_tokens: i32,
    /// `accepted`, `invalid`, `refused`, `truncated`, `empty`, `error` or `deadline`.
    pub outcome: String,
    pub finish_reason: Option<String>,
    /// `[{stage, path, message}]` found in the answer, or the error that ended the call.
    pub issues: Json,
    /// The answer as the model wrote it.
    pub raw_answer: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
