//! Stores a plan that involved the model, with every attempt behind it, in one transaction:
//! a reviewer can later read what the model answered, what was wrong and what Sous did.
use chrono::{NaiveDate, Utc};
use entity::{llm_call, plan};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};
use serde::Serialize;

use super::pipeline::Attempt;
use crate::{
    domain::{PlanKind, PlanSource, PlanTrigger},
    error::ApiError,
};

/// The stored form of a plan's cache key (which names every input version the plan was built from).
pub fn fingerprint(key: &str) -> String {
    crate::domain::fingerprint::fingerprint_hex(key)
}

pub struct PlanRecord<'a, P: Serialize> {
    pub location_id: i64,
    pub kind: PlanKind,
    pub date: NaiveDate,
    pub source: PlanSource,
    pub fingerprint: String,
    pub model: &'a str,
    pub prompt_version: &'a str,
    pub tokens_used: u32,
    pub fallback_reasons: &'a [String],
    pub repairs: &'a [String],
    pub body: &'a P,
    pub attempts: &'a [Attempt],
    pub trigger: PlanTrigger,
    pub rules_fingerprint: String,
}

/// Returns the stored plan's id.
pub async fn store<P: Serialize>(db: &DatabaseConnection, record: PlanRecord<'_, P>) -> Result<i64, ApiError> {
    let body = serde_json::to_value(record.body).map_err(|e| ApiError::Internal(format!("plan body: {e}")))?;
    let txn = crate::db::begin_write(db).await?;
    let stored = plan::ActiveModel {
        location_id: Set(record.location_id),
        kind: Set(record.kind.as_str().to_owned()),
        service_date: Set(record.date),
        source: Set(record.source.as_str().to_owned()),
        input_fingerprint: Set(record.fingerprint),
        model: Set(Some(record.model.to_owned())),
        prompt_version: Set(Some(record.prompt_version.to_owned())),
        attempts: Set(record.attempts.len() as i32),
        tokens_used: Set(record.tokens_used as i32),
        fallback_reasons: Set(serde_json::json!(record.fallback_reasons)),
        repairs: Set(serde_json::json!(record.repairs)),
        body: Set(body),
        generated_at: Set(Utc::now()),
        trigger: Set(record.trigger.as_str().to_owned()),
        rules_fingerprint: Set(Some(record.rules_fingerprint)),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let calls = record.attempts.iter().map(|a| llm_call::ActiveModel {
        plan_id: Set(stored.id),
        attempt: Set(a.attempt as i32),
        prompt_version: Set(record.prompt_version.to_owned()),
        model: Set(record.model.to_owned()),
        started_at: Set(a.started_at),
        latency_ms: Set(a.latency_ms as i32),
        prompt_tokens: Set(a.usage.prompt_tokens as i32),
        completion_tokens: Set(a.usage.completion_tokens as i32),
        total_tokens: Set(a.usage.total_tokens as i32),
        outcome: Set(a.outcome.as_str().to_owned()),
        finish_reason: Set(a.finish_reason.clone()),
        issues: Set(serde_json::to_value(&a.issues).unwrap_or_default()),
        raw_answer: Set(a.raw.clone()),
        ..Default::default()
    });
    llm_call::Entity::insert_many(calls).exec_without_returning(&txn).await?;
    txn.commit().await?;
    Ok(stored.id)
}

/// A stored plan and its calls, in attempt order.
pub async fn load(db: &DatabaseConnection, id: i64) -> Result<(plan::Model, Vec<llm_call::Model>), ApiError> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let stored = plan::Entity::find_by_id(id).one(db).await?.ok_or(ApiError::NotFound { what: "plan", id })?;
    let calls = llm_call::Entity::find()
        .filter(llm_call::Column::PlanId.eq(id))
        .order_by_asc(llm_call::Column::Attempt)
        .all(db)
        .await?;
    Ok((stored, calls))
}
