//! The nightly job: at a configured local time, each location's plans for its next service day
//! are generated ahead (through the cache, so the morning's requests are hits). Each location's
//! run is claimed in the database, so with several replicas it happens once; on PostgreSQL an
//! advisory lock also makes one replica the job's leader for a pass. A failure for one location
//! is logged and recorded, and the others go on.
use std::sync::Arc;

use chrono::{Duration as Days, NaiveDate, NaiveTime, Utc};
use entity::{job_run, location};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseBackend, EntityTrait, IntoActiveModel, QueryOrder, Set, SqlErr,
    Statement, TransactionTrait,
};

use crate::{
    cache::Metrics,
    catalog,
    config::NightlySettings,
    domain::{Caller, PlanKind},
    error::ApiError,
    plans::Planner,
};

pub const NIGHTLY: &str = "nightly_plans";
/// Advisory lock key of the nightly job's leader (any constant shared by all replicas).
const LEADER_LOCK: i64 = 0x5005_0001;

/// What one location's run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocationRun {
    pub location_id: i64,
    pub date: NaiveDate,
    /// `None` when both plans were made.
    pub error: Option<String>,
}

/// Makes both plans of `date` for one location (through the cache).
async fn plan_location(planner: &Planner, location_id: i64, date: NaiveDate) -> Result<(), ApiError> {
    for kind in [PlanKind::PrepList, PlanKind::Staffing] {
        planner.serve(&Caller::operator(), location_id, kind, Some(date), false).await?;
    }
    Ok(())
}

/// `sous generate --all`: both plans of `date` for every location; one failure stops nothing.
pub async fn generate_all(planner: &Planner, date: NaiveDate) -> Result<Vec<LocationRun>, ApiError> {
    let mut runs = Vec::new();
    for location in catalog::list_locations(planner.db(), None).await? {
        let error = plan_location(planner, location.id, date).await.err().map(|e| e.to_string());
        if let Some(error) = &error {
            tracing::warn!(location_id = location.id, %date, %error, "plan generation failed for a location");
        }
        runs.push(LocationRun { location_id: location.id, date, error });
    }
    Ok(runs)
}

/// Claims the run of `job` for a location and day; `false` when another run (or replica) has.
async fn claim(
    db: &impl ConnectionTrait,
    location_id: i64,
    date: NaiveDate,
) -> Result<Option<job_run::Model>, ApiError> {
    let claim = job_run::ActiveModel {
        location_id: Set(location_id),
        job: Set(NIGHTLY.to_owned()),
        service_date: Set(date),
        claimed_at: Set(Utc::now()),
        outcome: Set(None),
        ..Default::default()
    };
    match claim.insert(db).await {
        Ok(run) => Ok(Some(run)),
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// One pass of the scheduler: every location whose local clock is past `at` and whose next
/// service day has not been claimed gets its plans made. Returns the runs made by this pass.
pub async fn nightly_pass(planner: &Planner, at: NaiveTime) -> Result<Vec<LocationRun>, ApiError> {
    let db = planner.db();
    let leader = match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let txn = db.begin().await?;
            let row = txn
                .query_one_raw(Statement::from_sql_and_values(
                    DatabaseBackend::Postgres,
                    "SELECT pg_try_advisory_xact_lock($1) AS leader",
                    [LEADER_LOCK.into()],
                ))
                .await?;
            let is_leader = row.map(|r| r.try_get::<bool>("", "leader")).transpose()?.unwrap_or(false);
            if !is_leader {
                return Ok(Vec::new());
            }
            Some(txn)
        }
        _ => None,
    };
    let mut runs = Vec::new();
    let locations = location::Entity::find().order_by_asc(location::Column::Id).all(db).await?;
    for location in locations {
        let Ok(tz) = location.timezone.parse::<chrono_tz::Tz>() else { continue };
        let now = Utc::now().with_timezone(&tz);
        if now.time() < at {
            continue;
        }
        let date = now.date_naive() + Days::days(1);
        let Some(claimed) = claim(db, location.id, date).await? else { continue };
        Metrics::add(&planner.cache.metrics.job_runs);
        let error = plan_location(planner, location.id, date).await.err().map(|e| e.to_string());
        let mut record = claimed.into_active_model();
        record.outcome = Set(Some(error.clone().unwrap_or_else(|| "ok".to_owned())));
        record.update(db).await?;
        match &error {
            Some(error) => {
                Metrics::add(&planner.cache.metrics.job_failures);
                tracing::warn!(location_id = location.id, %date, %error, "nightly plans failed for a location");
            }
            None => tracing::info!(location_id = location.id, %date, "nightly plans made"),
        }
        runs.push(LocationRun { location_id: location.id, date, error });
    }
    if let Some(txn) = leader {
        txn.commit().await?;
    }
    Ok(runs)
}

/// The scheduler loop, spawned by `serve`.
pub async fn run_nightly(planner: Arc<Planner>, settings: NightlySettings) {
    let mut tick = tokio::time::interval(settings.check_every);
    loop {
        tick.tick().await;
        if let Err(err) = nightly_pass(&planner, settings.at).await {
            tracing::error!(error = %err, "nightly job pass failed");
        }
    }
}
