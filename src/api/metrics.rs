//! `/metrics`: Prometheus text exposition of the plan cache and the nightly job.
use std::sync::atomic::Ordering;

use poem_openapi::{OpenApi, payload::PlainText};

use super::{ApiTags, AppState};

pub struct MetricsApi(pub AppState);

#[OpenApi(tag = "ApiTags::Health")]
impl MetricsApi {
    /// Counters and gauges in Prometheus' text format.
    #[oai(path = "/metrics", method = "get")]
    async fn metrics(&self) -> PlainText<String> {
        let cache = &self.0.planner.cache;
        let m = &cache.metrics;
        let (entries, bytes) = cache.usage().await;
        let count = |c: &std::sync::atomic::AtomicU64| c.load(Ordering::Relaxed);
        let series: [(&str, &str, &str, u64); 12] = [
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
            (
                "sous_plan_cache_misses_total",
                "counter",
                "Plan requests that made or loaded their plan.",
                count(&m.misses),
            ),
            (
                "sous_plan_cache_evictions_total",
                "counter",
                "Plans evicted to respect the size bound.",
                count(&m.evictions),
            ),
            (
                "sous_plan_generations_started_total",
                "counter",
                "Plan generations started.",
                count(&m.generations_started),
            ),
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
        PlainText(out)
    }
}
