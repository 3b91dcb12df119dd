//! The audit trail of a plan: what the model was asked, what it answered, what was wrong with
//! it and what Sous did. For reviewers.
use chrono::{DateTime, NaiveDate, Utc};
use poem_openapi::{Object, OpenApi, param::Path, payload::Json};
use serde_json::Value;

use super::{ApiTags, AppState, allow, auth::Bearer};
use crate::{
    domain::Action,
    error::{ApiError, ErrorResponse},
    plans::audit,
};

pub struct AuditApi(pub AppState);

#[derive(Debug, Object)]
struct IssueDto {
    /// `parse`, `schema`, `rules` or `grounding`.
    stage: String,
    path: String,
    message: String,
}

#[derive(Debug, Object)]
struct CallDto {
    attempt: i32,
    /// `accepted`, `invalid`, `refused`, `truncated`, `empty`, `error` or `deadline`.
    outcome: String,
    started_at: DateTime<Utc>,
    latency_ms: i32,
    prompt_tokens: i32,
    completion_tokens: i32,
    total_tokens: i32,
    #[oai(skip_serializing_if_is_none)]
    finish_reason: Option<String>,
    issues: Vec<IssueDto>,
    /// The answer as the model wrote it.
    #[oai(skip_serializing_if_is_none)]
    raw_answer: Option<String>,
}

#[derive(Debug, Object)]
struct PlanAudit {
    plan_id: i64,
    location_id: i64,
    kind: String,
    date: NaiveDate,
    source: String,
    #[oai(skip_serializing_if_is_none)]
    model: Option<String>,
    #[oai(skip_serializing_if_is_none)]
    prompt_version: Option<String>,
    attempts: i32,
    tokens_used: i32,
    fallback_reasons: Vec<String>,
    repairs: Vec<String>,
    generated_at: DateTime<Utc>,
    calls: Vec<CallDto>,
}

fn strings(value: &Value) -> Vec<String> {
    value.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()
}

fn issues(value: &Value) -> Vec<IssueDto> {
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
    value
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| IssueDto { stage: text(i, "stage"), path: text(i, "path"), message: text(i, "message") })
        .collect()
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Plans")]
impl AuditApi {
    /// A stored plan's audit trail: every model call made for it, with its outcome, token
    /// usage, the problems found in its answer and the raw answer.
    #[oai(path = "/plans/:plan_id/audit", method = "get")]
    async fn audit(&self, auth: Bearer, plan_id: Path<i64>) -> Result<Json<PlanAudit>, ErrorResponse> {
        allow(&auth.0, Action::ReadAudit)?;
        let (plan, calls) = audit::load(&self.0.db, plan_id.0).await?;
        // Another tenant's plan is answered exactly like a missing one.
        match self.0.planner.location(&auth.0, plan.location_id).await {
            Ok(_) => {}
            Err(ApiError::NotFound { .. }) => return Err(ApiError::NotFound { what: "plan", id: plan_id.0 }.into()),
            Err(err) => return Err(err.into()),
        }
        Ok(Json(PlanAudit {
            plan_id: plan.id,
            location_id: plan.location_id,
            kind: plan.kind,
            date: plan.service_date,
            source: plan.source,
            model: plan.model,
            prompt_version: plan.prompt_version,
            attempts: plan.attempts,
            tokens_used: plan.tokens_used,
            fallback_reasons: strings(&plan.fallback_reasons),
            repairs: strings(&plan.repairs),
            generated_at: plan.generated_at,
            calls: calls
                .into_iter()
                .map(|c| CallDto {
                    attempt: c.attempt,
                    outcome: c.outcome,
                    started_at: c.started_at,
                    latency_ms: c.latency_ms,
                    prompt_tokens: c.prompt_tokens,
                    completion_tokens: c.completion_tokens,
                    total_tokens: c.total_tokens,
                    finish_reason: c.finish_reason,
                    issues: issues(&c.issues),
                    raw_answer: c.raw_answer,
                })
                .collect(),
        }))
    }
}
