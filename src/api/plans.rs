//! Tonight's prep list and staffing plan, served from the cache with an ETag so dashboards can
//! poll them for (almost) nothing.
use chrono::NaiveDate;
use poem_openapi::{
    ApiResponse, OpenApi,
    param::{Header, Path, Query},
    types::Type,
};

use super::{
    ApiTags, AppState, allow,
    auth::Bearer,
    cached_json::CachedJson,
    fields::{Day, IdempotencyKey},
};
use crate::{
    domain::{Action, PlanKind},
    error::PlanErrorResponse,
    plans::{PrepList, Served, StaffingPlan},
};

pub struct PlansApi(pub AppState);

/// Dashboards may reuse an answer but must revalidate it (a cheap 304) before showing it.
pub(super) const CACHE_CONTROL: &str = "private, no-cache";

#[derive(ApiResponse)]
enum PlanAnswer<T: Type + Send> {
    /// The plan. `X-Sous-Cache` says how it was found: `hit`, `miss` (made or loaded for this
    /// request), `coalesced` (made for a concurrent request) or `regenerated`.
    #[oai(status = 200)]
    Ok(
        CachedJson<T>,
        #[oai(header = "ETag")] String,
        #[oai(header = "Cache-Control")] String,
        #[oai(header = "X-Sous-Cache")] String,
        #[oai(header = "X-Sous-Generated-At")] String,
    ),
    /// The plan has not changed since the ETag given in `If-None-Match`.
    #[oai(status = 304)]
    NotModified(#[oai(header = "ETag")] String, #[oai(header = "Cache-Control")] String),
}

fn answer<T: Type + Send>(served: Served, if_none_match: Option<&str>) -> PlanAnswer<T> {
    let plan = served.plan;
    if plan.matches(if_none_match) {
        return PlanAnswer::NotModified(plan.etag_str().to_owned(), CACHE_CONTROL.to_owned());
    }
    PlanAnswer::Ok(
        CachedJson::new(plan.body.clone()),
        plan.etag_str().to_owned(),
        CACHE_CONTROL.to_owned(),
        served.lookup.as_str().to_owned(),
        plan.generated_at_header.to_str().unwrap_or_default().to_owned(),
    )
}

impl PlansApi {
    async fn serve<T: Type + Send>(
        &self,
        auth: Bearer,
        id: i64,
        kind: PlanKind,
        date: Option<NaiveDate>,
        force: bool,
        if_none_match: Option<String>,
    ) -> Result<PlanAnswer<T>, PlanErrorResponse> {
        allow(&auth.0, if force { Action::Regenerate } else { Action::ReadPlans })?;
        let served = self.0.planner.serve(&auth.0, id, kind, date, force).await?;
        Ok(answer(served, if_none_match.as_deref()))
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Plans")]
impl PlansApi {
    /// The prep list for a service day (default: tomorrow, location time): what each station
    /// prepares, how much, by when, and why. `source` says who wrote it: `llm` (the model's first
    /// answer changed some lines), `llm_repaired` (its first answer, repaired by Sous),
    /// `llm_reasked` (an answer given after a re-ask), `llm_unchanged` (the model's answer
    /// changed nothing: the baseline stands), `llm_partial` (only the model's changes that passed
    /// their checks), `fallback` (the model failed; the baseline, with the reasons in Sous's
    /// words) or `baseline` (no model). Each line's `origin` says whether its number is the
    /// baseline's or the model's, with the model's reason beside it; `provenance.changed_lines`
    /// counts the model's.
    #[oai(path = "/locations/:id/prep-list", method = "get")]
    async fn get_prep_list(
        &self,
        auth: Bearer,
        id: Path<i64>,
        date: Query<Option<Day>>,
        #[oai(name = "If-None-Match")] if_none_match: Header<Option<String>>,
    ) -> Result<PlanAnswer<PrepList>, PlanErrorResponse> {
        self.serve(auth, id.0, PlanKind::PrepList, date.0.map(|d| d.0), false, if_none_match.0).await
    }

    /// Generate the prep list afresh (managers do this when plans change); it replaces the
    /// cached plan, and the previous one stays in the stored history.
    #[oai(path = "/locations/:id/prep-list/generate", method = "post")]
    async fn generate_prep_list(
        &self,
        auth: Bearer,
        id: Path<i64>,
        date: Query<Option<Day>>,
        #[oai(name = "Idempotency-Key")] _idempotency_key: Header<Option<IdempotencyKey>>,
    ) -> Result<PlanAnswer<PrepList>, PlanErrorResponse> {
        self.serve(auth, id.0, PlanKind::PrepList, date.0.map(|d| d.0), true, None).await
    }

    /// The staffing plan for a service day (default: tomorrow, location time): headcount per
    /// role and hourly block over opening hours, with its provenance.
    #[oai(path = "/locations/:id/staffing", method = "get")]
    async fn get_staffing(
        &self,
        auth: Bearer,
        id: Path<i64>,
        date: Query<Option<Day>>,
        #[oai(name = "If-None-Match")] if_none_match: Header<Option<String>>,
    ) -> Result<PlanAnswer<StaffingPlan>, PlanErrorResponse> {
        self.serve(auth, id.0, PlanKind::Staffing, date.0.map(|d| d.0), false, if_none_match.0).await
    }

    /// Generate the staffing plan afresh, replacing the cached one.
    #[oai(path = "/locations/:id/staffing/generate", method = "post")]
    async fn generate_staffing(
        &self,
        auth: Bearer,
        id: Path<i64>,
        date: Query<Option<Day>>,
        #[oai(name = "Idempotency-Key")] _idempotency_key: Header<Option<IdempotencyKey>>,
    ) -> Result<PlanAnswer<StaffingPlan>, PlanErrorResponse> {
        self.serve(auth, id.0, PlanKind::Staffing, date.0.map(|d| d.0), true, None).await
    }
}
