//! `/metrics`: Prometheus text exposition of the plan cache and the nightly job. The figures are
//! the whole process's, across tenants, so they are served only on their own listener
//! (`SOUS_METRICS_ADDR`), meant for the operator's network, never on the API's.
use std::sync::{Arc, atomic::Ordering};

use poem::{EndpointExt, Route, endpoint::BoxEndpoint, get, handler, web::Data};

use crate::{auth::Verifier, plans::Planner};

/// The metrics listener's routes: `/metrics` and nothing else.
pub fn routes(planner: Arc<Planner>, verifier: Arc<Verifier>) -> BoxEndpoint<'static> {
    Route::new().at("/metrics", get(metrics)).data(planner).data(verifier).map_to_response().boxed()
}

/// Counters and gauges in Prometheus' text format.
#[handler]
async fn metrics(planner: Data<&Arc<Planner>>, verifier: Data<&Arc<Verifier>>) -> poem::web::WithContentType<String> {
    use poem::IntoResponse as _;
    let cache = &planner.cache;
    let m = &cache.metrics;
    let (entries, bytes) = cache.usage().await;
    let count = |c: &std::sync::atomic::AtomicU64| c.load(Ordering::Relaxed);
    let series: [(&str, &str, &str, u64); 14] = [
        (
            "sous_tokens_accepted_total",
            "counter",
            "Bearer tokens accepted (only these let a request reach an operation).",
            count(&verifier.accepted),
        ),
        (
            "sous_tokens_refused_total",
            "counter",
            "Requests refused for a missing or invalid bearer token.",
            count(&verifier.refused),
        ),
        (
            "sous_plan_cache_hits_total",
            "counter",
            "Plan requests answered from the cache.",
            count(&m.hits) + count(&m.memory_reads),
        ),
        (
            "sous_plan_cache_memory_reads_total",
            "counter",
            "Cache hits answered from memory before the router (part of the hits).",
            count(&m.memory_reads),
        ),
        ("sous_plan_cache_misses_total", "counter", "Plan requests that made or loaded their plan.", count(&m.misses)),
        ("sous_plan_cache_evictions_total", "counter", "Plans evicted to respect the size bound.", count(&m.evictions)),
        ("sous_plan_generations_started_total", "counter", "Plan generations started.", count(&m.generations_started)),
        (
            "sous_plan_generations_coalesced_total",
            "counter",
            "Requests that waited for a concurrent generation of the same plan.",
            count(&m.generations_coalesced),
        ),
        (
            "sous_stored_plans_reused_total",
            "counter",
            "Plans loaded from the database instead of generated.",
            count(&m.stored_plans_reused),
        ),
        ("sous_nightly_runs_total", "counter", "Nightly plan runs, per location.", count(&m.job_runs)),
        ("sous_nightly_failures_total", "counter", "Nightly plan runs that failed.", count(&m.job_failures)),
        ("sous_plan_cache_entries", "gauge", "Plans in the cache.", entries),
        ("sous_plan_cache_bytes", "gauge", "Weighted size of the cache.", bytes),
        ("sous_plan_cache_max_bytes", "gauge", "Size bound of the cache.", cache.max_bytes()),
    ];
    let out: String = series
        .iter()
        .map(|(name, kind, help, value)| format!("# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n"))
        .collect();
    out.with_content_type("text/plain; version=0.0.4; charset=utf-8")
}
