//! The cache's size bound, and the nightly job that fills the cache ahead of the morning.
use std::sync::Arc;

use chrono::NaiveTime;
use entity::job_run;
use reqwest::StatusCode;
use sea_orm::{EntityTrait, QueryOrder};
use sous::{
    cache::{Lookup, PlanCache},
    config::{CacheSettings, LimitSettings},
    domain::{Caller, PlanKind},
    jobs::{self, LocationRun},
    plans::Planner,
};

use crate::{
    cache::{day, kitchen_with_recent_history, metric, prep_path, read_concurrently, staffing_path},
    helpers::{TestApp, TestDatabase},
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cache_stays_within_its_size_bound_when_filled_with_many_plans() {
    let database = TestDatabase::create().await;
    let max_bytes = 64 * 1024;
    let server = database.serve(None, CacheSettings { max_bytes, ..CacheSettings::default() }).await;
    let k = kitchen_with_recent_history(&server.app).await;
    let paths = (1..=40).flat_map(|d| [prep_path(k.location_id, day(d)), staffing_path(k.location_id, day(d))]);

    let reads = read_concurrently(&server.app, paths.map(|p| server.app.url(&p)).collect()).await;

    assert!(
        reads.iter().all(|r| r.status == StatusCode::OK),
        "{:?}",
        reads.iter().find(|r| r.status != StatusCode::OK)
    );
    let served: usize = reads.iter().map(|r| r.body.len()).sum();
    assert!(served as u64 > 2 * max_bytes, "the plans ({served} bytes) do not all fit");
    let bytes = metric(&server.app, "sous_plan_cache_bytes").await;
    assert_eq!(metric(&server.app, "sous_plan_cache_max_bytes").await, max_bytes);
    assert!(bytes <= max_bytes, "{bytes} bytes cached, bound {max_bytes}");
    assert!(bytes > 0, "the cache holds plans");
    assert!(metric(&server.app, "sous_plan_cache_evictions_total").await > 0);
    assert!(metric(&server.app, "sous_plan_cache_entries").await < 80);
}

/// Three Paris locations (the first without history, so its plans fail) and a planner of its
/// own on their database, as a scheduler in another replica would have.
async fn three_locations() -> (TestDatabase, TestApp, Planner, [i64; 3]) {
    let database = TestDatabase::create().await;
    let app = database.serve(None, CacheSettings::default()).await.app;
    let failing = app.standard_kitchen().await.location_id;
    let ok = [kitchen_with_recent_history(&app).await.location_id, kitchen_with_recent_history(&app).await.location_id];
    let planner = Planner::new(
        database.connect().await,
        None,
        Arc::new(PlanCache::new(CacheSettings::default())),
        LimitSettings::default(),
    );
    (database, app, planner, [failing, ok[0], ok[1]])
}

fn outcome(run: &LocationRun) -> &str {
    run.error.as_deref().unwrap_or("ok")
}

#[tokio::test]
async fn the_nightly_job_plans_tomorrow_once_for_every_location_and_a_failure_stops_none() {
    let (_database, _app, planner, [failing, ok_1, ok_2]) = three_locations().await;
    let midnight = NaiveTime::MIN;

    let runs = jobs::nightly_pass(&planner, midnight).await.expect("a nightly pass");

    assert_eq!(runs.iter().map(|r| r.location_id).collect::<Vec<_>>(), [failing, ok_1, ok_2], "{runs:?}");
    assert!(runs.iter().all(|r| r.date == day(1)), "tomorrow, Paris time: {runs:?}");
    assert!(outcome(&runs[0]).contains("cannot forecast"), "{runs:?}");
    assert_eq!((outcome(&runs[1]), outcome(&runs[2])), ("ok", "ok"), "{runs:?}");
    for location in [ok_1, ok_2] {
        for kind in [PlanKind::PrepList, PlanKind::Staffing] {
            let served = planner.serve(&Caller::operator(), location, kind, Some(day(1)), false).await.expect("a plan");
            assert_eq!(served.lookup, Lookup::Hit, "made ahead: location {location}, {kind:?}");
        }
    }
    let recorded = job_run::Entity::find().order_by_asc(job_run::Column::Id).all(planner.db()).await.expect("runs");
    let outcomes: Vec<(i64, bool)> =
        recorded.iter().map(|r| (r.location_id, r.outcome.as_deref() == Some("ok"))).collect();
    assert_eq!(outcomes, [(failing, false), (ok_1, true), (ok_2, true)]);
    assert_eq!(planner.cache.metrics.job_runs.load(std::sync::atomic::Ordering::Relaxed), 3);
    assert_eq!(planner.cache.metrics.job_failures.load(std::sync::atomic::Ordering::Relaxed), 1);

    let again = jobs::nightly_pass(&planner, midnight).await.expect("a second pass");

    assert!(again.is_empty(), "every location's night is claimed: {again:?}");
    assert_eq!(job_run::Entity::find().all(planner.db()).await.expect("runs").len(), 3);
}

#[tokio::test]
async fn generating_every_locations_plans_on_demand_goes_past_a_failing_location() {
    let (_database, app, planner, [failing, ok_1, ok_2]) = three_locations().await;

    let runs = jobs::generate_all(&planner, day(5)).await.expect("plans for every location");

    assert_eq!(runs.iter().map(|r| r.location_id).collect::<Vec<_>>(), [failing, ok_1, ok_2], "{runs:?}");
    assert!(outcome(&runs[0]).contains("cannot forecast"), "{runs:?}");
    assert_eq!((outcome(&runs[1]), outcome(&runs[2])), ("ok", "ok"), "{runs:?}");
    for location in [ok_1, ok_2] {
        let served = planner
            .serve(&Caller::operator(), location, PlanKind::Staffing, Some(day(5)), false)
            .await
            .expect("a plan");
        assert_eq!(served.lookup, Lookup::Hit, "location {location}");
    }
    let failed = app.get(&prep_path(failing, day(5))).await;
    assert_eq!(failed.status(), StatusCode::UNPROCESSABLE_ENTITY, "still no plan without history");
}
