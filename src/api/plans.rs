//! Tonight's prep list and staffing plan.
use chrono::{Duration, NaiveDate, Utc};
use poem_openapi::{OpenApi, param::Path, param::Query, payload::Json};

use super::{ApiTags, AppState};
use crate::{
    catalog::{self, Location},
    error::ErrorResponse,
    plans::{self, PrepList, StaffingPlan},
};

pub struct PlansApi(pub AppState);

/// The service day asked for, or tomorrow in the location's time zone.
fn service_date(location: &Location, date: Option<NaiveDate>) -> NaiveDate {
    date.unwrap_or_else(|| Utc::now().with_timezone(&location.timezone).date_naive() + Duration::days(1))
}

impl PlansApi {
    async fn prep(&self, id: i64, date: Option<NaiveDate>) -> Result<Json<PrepList>, ErrorResponse> {
        let location = catalog::get_location(&self.0.db, id).await?;
        let date = service_date(&location, date);
        Ok(Json(plans::prep_list(&self.0.db, self.0.llm.as_deref(), &location, date).await?))
    }

    async fn staffing(&self, id: i64, date: Option<NaiveDate>) -> Result<Json<StaffingPlan>, ErrorResponse> {
        let location = catalog::get_location(&self.0.db, id).await?;
        let date = service_date(&location, date);
        Ok(Json(plans::staffing_plan(&self.0.db, self.0.llm.as_deref(), &location, date).await?))
    }
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Plans")]
impl PlansApi {
    /// The prep list for a service day (default: tomorrow, location time): what each
    /// station prepares, how much, by when, and why. `source` says who wrote it: `llm`,
    /// `llm_repaired`, `fallback` (the model failed; the baseline with the reasons) or
    /// `baseline` (no model configured).
    #[oai(path = "/locations/:id/prep-list", method = "get")]
    async fn get_prep_list(
        &self,
        id: Path<i64>,
        date: Query<Option<NaiveDate>>,
    ) -> Result<Json<PrepList>, ErrorResponse> {
        self.prep(id.0, date.0).await
    }

    /// Generate the prep list afresh (managers do this when plans change).
    #[oai(path = "/locations/:id/prep-list/generate", method = "post")]
    async fn generate_prep_list(
        &self,
        id: Path<i64>,
        date: Query<Option<NaiveDate>>,
    ) -> Result<Json<PrepList>, ErrorResponse> {
        self.prep(id.0, date.0).await
    }

    /// The staffing plan for a service day (default: tomorrow, location time): headcount
    /// per role and hourly block over opening hours, with its provenance.
    #[oai(path = "/locations/:id/staffing", method = "get")]
    async fn get_staffing(
        &self,
        id: Path<i64>,
        date: Query<Option<NaiveDate>>,
    ) -> Result<Json<StaffingPlan>, ErrorResponse> {
        self.staffing(id.0, date.0).await
    }

    /// Generate the staffing plan afresh.
    #[oai(path = "/locations/:id/staffing/generate", method = "post")]
    async fn generate_staffing(
        &self,
        id: Path<i64>,
        date: Query<Option<NaiveDate>>,
    ) -> Result<Json<StaffingPlan>, ErrorResponse> {
        self.staffing(id.0, date.0).await
    }
}
