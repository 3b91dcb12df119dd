//! Memory of the plan cache with 10,000 plans of the demo's size: RSS before and after filling
//! a `PlanCache` (default bound, 64 MiB) through its own entry path.
//!
//! `cargo bench --bench cache_memory`. Prints figures; asserts nothing.
use std::time::Duration;

use bytes::Bytes;
use chrono::Utc;
use sous::{
    cache::{CachedPlan, PlanCache},
    config::CacheSettings,
    domain::PlanSource,
};

const PLANS: usize = 10_000;
/// Size of the demo's prep list, serialized.
const PLAN_BYTES: usize = 9_500;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

#[tokio::main]
async fn main() {
    let settings = CacheSettings { max_bytes: 256 * 1024 * 1024, ..CacheSettings::default() };
    let cache = PlanCache::new(settings);
    let before = rss_kib();
    for i in 0..PLANS {
        // Distinct bodies, as real plans are (no sharing of one allocation).
        let mut body = vec![b' '; PLAN_BYTES];
        body[..20].copy_from_slice(format!("{i:020}").as_bytes());
        let key = format!("t1/l{}/prep_list/2026-12-01/prep_list/v1@model/v{i}.0.0", i % 50);
        let plan = CachedPlan::new(key.clone(), Bytes::from(body), PlanSource::Llm, Utc::now());
        cache.get_or_make(&key, async move { Ok(plan) }).await.expect("insert");
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (entries, weighted) = cache.usage().await;
    let after = rss_kib();
    println!(
        "plan cache with {entries} plans of {PLAN_BYTES} bytes (weighted {:.1} MiB):",
        weighted as f64 / 1048576.0
    );
    println!(
        "  RSS before: {:.1} MiB, after: {:.1} MiB, growth: {:.1} MiB ({:.0} bytes a plan)",
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        (after - before) as f64 / 1024.0,
        (after - before) as f64 * 1024.0 / entries.max(1) as f64
    );
}
