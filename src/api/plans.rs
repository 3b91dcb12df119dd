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

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Plans")]
impl PlansApi {
    /// The prep list for a service day (default: tomorrow, location time): what each
    /// station prepares, how much, by when, and why.
    #[oai(path = "/locations/:id/prep-list", method = "get")]
    async fn prep_list(&self, id: Path<i64>, date: Query<Option<NaiveDate>>) -> Result<Json<PrepList>, ErrorResponse> {
        let location = catalog::get_location(&self.0.db, id.0).await?;
        let date = service_date(&location, date.0);
        Ok(Json(plans::prep_list(&self.0.db, &location, date).await?))
    }

    /// The staffing plan for a service day (default: tomorrow, location time): headcount
    /// per role and hourly block over opening hours.
    #[oai(path = "/locations/:id/staffing", method = "get")]
    async fn staffing(
        &self,
        id: Path<i64>,
        date: Query<Option<NaiveDate>>,
    ) -> Result<Json<StaffingPlan>, ErrorResponse> {
        let location = catalog::get_location(&self.0.db, id.0).await?;
        let date = service_date(&location, date.0);
        Ok(Json(plans::staffing_plan(&self.0.db, &location, date).await?))
    }
}
