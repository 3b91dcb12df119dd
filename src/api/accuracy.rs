//! How close the baseline, the model and the manager came to what happened (`crate::accuracy`).
use poem_openapi::{
    OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{ApiTags, AppState, auth::Bearer, fields::Day};
use crate::{
    accuracy::{self, Accuracy},
    domain::Action,
    error::ErrorResponse,
};

pub struct AccuracyApi(pub AppState);

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Actuals")]
impl AccuracyApi {
    /// The error of Sous's baseline, of the model's plans and of the plans as managers left them
    /// against the recorded actuals, over the service days `[from, to)` (default: the 28 days
    /// before today; at most 92, ending today at the latest): WAPE and bias for covers, dishes,
    /// prep quantities and headcounts, the waste share, and each day's figures.
    #[oai(path = "/locations/:id/accuracy", method = "get")]
    async fn accuracy(
        &self,
        auth: Bearer,
        id: Path<i64>,
        from: Query<Option<Day>>,
        to: Query<Option<Day>>,
    ) -> Result<Json<Accuracy>, ErrorResponse> {
        let location = self.0.location(&auth.0, Action::ReadHistory, id.0).await?;
        let range = accuracy::range(from.0.map(|d| d.0), to.0.map(|d| d.0), location.today())?;
        Ok(Json(accuracy::measure(&self.0.db, &location, range).await?))
    }
}
