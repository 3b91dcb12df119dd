//! Reports for reviewers: the AI quality report over a period.
use chrono::{Duration, Utc};
use poem_openapi::{OpenApi, param::Query, payload::Json};

use super::{ApiTags, AppState, allow, auth::Bearer, fields::Day};
use crate::{
    domain::Action,
    error::{ApiError, ErrorResponse},
    reports::{self, AiQuality, Scope},
};

pub struct ReportsApi(pub AppState);

/// Days covered when `from` is not given: the week before `to`.
const DEFAULT_DAYS: i64 = 7;
/// The longest period a report covers.
const MAX_DAYS: i64 = 366;

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Reports")]
impl ReportsApi {
    /// The AI quality report over plans generated in `[from, to)` (UTC days): plans by source
    /// per kind; first-answer validity, repair, re-ask and fallback rates with the fallback
    /// reasons ranked; the most frequent problems in the model's answers by stage and field,
    /// each with one redacted example; latency per call and per plan; tokens; cost from
    /// `SOUS_MODEL_PRICES` (models without a price are listed as unpriced, never counted as
    /// free); the prompt versions and models in use. `to` defaults to tomorrow (today
    /// included), `from` to a week before `to`; at most 366 days. With `location`, that
    /// location only; otherwise every location the caller sees. It counts the stored plans:
    /// every plan made while a model is configured (with no model, plans are only cached and
    /// the report is empty).
    #[oai(path = "/reports/ai-quality", method = "get")]
    async fn ai_quality(
        &self,
        auth: Bearer,
        from: Query<Option<Day>>,
        to: Query<Option<Day>>,
        location: Query<Option<i64>>,
    ) -> Result<Json<AiQuality>, ErrorResponse> {
        allow(&auth.0, Action::ReadAudit)?;
        let to = to.0.map_or_else(|| Utc::now().date_naive() + Duration::days(1), |d| d.0);
        let from = from.0.map_or(to - Duration::days(DEFAULT_DAYS), |d| d.0);
        if from >= to {
            return Err(ApiError::field("from", "must be before `to`").into());
        }
        if to - from > Duration::days(MAX_DAYS) {
            return Err(ApiError::field("to", format!("the period may span at most {MAX_DAYS} days")).into());
        }
        let ids = match location.0 {
            Some(id) => vec![self.0.location(&auth.0, Action::ReadAudit, id).await?.id],
            None => self.0.visible_locations(&auth.0).await?.into_iter().map(|l| l.id).collect(),
        };
        let report = reports::ai_quality(&self.0.db, &Scope::Locations(ids), from, to, &self.0.prices).await?;
        Ok(Json(report))
    }
}
