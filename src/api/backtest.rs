//! How good the baseline forecast is: a replay of past days against two references.
use chrono::Duration;
use poem_openapi::{OpenApi, param::Path, param::Query, payload::Json};

use super::{ApiTags, AppState, auth::Bearer, fields::Day};
use crate::{
    backtest::{self, Report},
    domain::Action,
    error::ErrorResponse,
    forecast::Params,
};

pub struct BacktestApi(pub AppState);

/// Days replayed when `from` is not given: the 8 weeks before `to`.
const DEFAULT_RANGE_DAYS: i64 = 56;

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::History")]
impl BacktestApi {
    /// Replays the days in `[from, to)`: each day is forecast with only what was known at its
    /// cutoff (midnight before it) by Sous's baseline, the mean of the same weekday over the
    /// last 4 weeks, and the same day last week, and compared with what happened. WAPE and MAE
    /// of covers per day and per hour block and of portions per dish and day, the coverage of
    /// the baseline's P10–P90 range, and the days one by one. `to` defaults to today in the
    /// location's time zone (excluded), `from` to 8 weeks before `to`.
    #[oai(path = "/locations/:id/backtest", method = "get")]
    async fn backtest(
        &self,
        auth: Bearer,
        id: Path<i64>,
        from: Query<Option<Day>>,
        to: Query<Option<Day>>,
    ) -> Result<Json<Report>, ErrorResponse> {
        let location = self.0.location(&auth.0, Action::ReadHistory, id.0).await?;
        let to = to.0.map(|d| d.0).unwrap_or_else(|| location.today());
        let from = from.0.map(|d| d.0).unwrap_or(to - Duration::days(DEFAULT_RANGE_DAYS));
        Ok(Json(backtest::run(&self.0.db, &location, from, to, &Params::default()).await?))
    }
}
