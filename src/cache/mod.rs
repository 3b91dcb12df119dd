//! The plan cache. Accepted (and fallback) plans are kept serialized in a size-bounded `moka`
//! cache under a key holding everything that changes the answer: tenant, location, kind,
//! service day, prompt version, model, and the versions of the inputs the plan reads (see
//! `db::versions`).
//! Concurrent requests for a missing key make one generation; the others wait for it.
//!
//! Reading a key's input versions costs a query, so the key of a plan is remembered for a
//! short `freshness` window; changes made through this process forget it at once, changes
//! made through another replica are seen within the window.
use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex, Weak,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use bytes::Bytes;
use chrono::{DateTime, NaiveDate, Utc};
use moka::{future::Cache, notification::RemovalCause};
use poem::http::HeaderValue;
use sea_orm::DatabaseConnection;

use crate::{
    catalog::{self, Location},
    config::CacheSettings,
    db::versions,
    domain::{PlanKind, PlanSource, fingerprint::fingerprint64},
    error::ApiError,
};

/// A plan as served: its bytes and its two header values, ready to send.
#[derive(Debug)]
pub struct CachedPlan {
    pub key: String,
    pub body: Bytes,
    pub source: PlanSource,
    /// `ETag`: see [`CachedPlan::new`].
    pub etag: HeaderValue,
    /// `generated_at` as the `X-Sous-Generated-At` header says it (RFC 3339).
    pub generated_at_header: HeaderValue,
    /// When this process made or loaded it.
    pub made: Instant,
}

impl CachedPlan {
    /// The ETag is the hash of the key and the body: the same plan has the same ETag on every
    /// replica and after a restart, and a regenerated plan a new one.
    pub fn new(key: String, body: Bytes, source: PlanSource, generated_at: DateTime<Utc>) -> Self {
        let tag = fingerprint64(&[key.as_bytes(), &body]);
        // Both values are ASCII by construction (hex digits, RFC 3339), so neither can fail.
        let etag = HeaderValue::from_str(&format!("\"{tag:016x}\"")).unwrap_or(HeaderValue::from_static("\"\""));
        let generated_at_header =
            HeaderValue::from_str(&generated_at.to_rfc3339()).unwrap_or(HeaderValue::from_static(""));
        Self { key, body, source, etag, generated_at_header, made: Instant::now() }
    }

    /// The same plan with another body (its ETag made again from it).
    pub fn with_body(self, body: Bytes) -> Self {
        let tag = fingerprint64(&[self.key.as_bytes(), &body]);
        let etag = HeaderValue::from_str(&format!("\"{tag:016x}\"")).unwrap_or(HeaderValue::from_static("\"\""));
        Self { body, etag, ..self }
    }

    /// The ETag as text (quotes included).
    pub fn etag_str(&self) -> &str {
        self.etag.to_str().unwrap_or_default()
    }

    /// Whether an `If-None-Match` header names this plan (or `*`).
    pub fn matches(&self, if_none_match: Option<&str>) -> bool {
        if_none_match.is_some_and(|tags| tags.split(',').any(|t| t.trim() == self.etag_str() || t.trim() == "*"))
    }
}

/// How a request's plan was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// In the cache already.
    Hit,
    /// Made (or loaded from the database) by this request.
    Miss,
    /// Made by a concurrent request this one waited for.
    Coalesced,
    /// Made afresh on request, replacing the cached plan.
    Regenerated,
}

impl Lookup {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hit => "hit",
            Self::Miss => "miss",
            Self::Coalesced => "coalesced",
            Self::Regenerated => "regenerated",
        }
    }
}

/// Counters for the metrics endpoint.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Hits on the routed path.
    pub hits: AtomicU64,
    /// Hits answered from memory before the router; `/metrics` counts them in the hits too
    /// (so a read updates one shared counter, not two).
    pub memory_reads: AtomicU64,
    pub misses: AtomicU64,
    pub evictions: AtomicU64,
    pub generations_started: AtomicU64,
    pub generations_coalesced: AtomicU64,
    pub stored_plans_reused: AtomicU64,
    pub job_runs: AtomicU64,
    pub job_failures: AtomicU64,
}

impl Metrics {
    pub fn add(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// A key's 64-bit fingerprint (the PostgreSQL advisory lock of its generation).
pub fn hash(text: &str) -> u64 {
    fingerprint64(&[text.as_bytes()])
}

/// What this process remembers of a plan for the freshness window: its key, when the key was
/// read, and once a read has found it, the plan itself (so the next reads need no cache
/// lookup). The plan is held weakly: the cache alone decides how long a plan stays in memory.
struct Remembered {
    key: Arc<str>,
    at: Instant,
    plan: Option<Weak<CachedPlan>>,
}

type KeyMemo = HashMap<(i64, PlanKind, NaiveDate), Remembered>;

pub struct PlanCache {
    plans: Cache<String, Arc<CachedPlan>>,
    keys: Mutex<KeyMemo>,
    locations: Mutex<HashMap<i64, (Arc<Location>, Instant)>>,
    settings: CacheSettings,
    pub metrics: Arc<Metrics>,
}

struct ExpireBySource {
    ttl: Duration,
    fallback_ttl: Duration,
}

impl moka::Expiry<String, Arc<CachedPlan>> for ExpireBySource {
    fn expire_after_create(&self, _: &String, plan: &Arc<CachedPlan>, _: Instant) -> Option<Duration> {
        // A failing model is not asked again by every poll, but soon enough once it recovers.
        Some(if plan.source == PlanSource::Fallback { self.fallback_ttl } else { self.ttl })
    }
}

impl PlanCache {
    pub fn new(settings: CacheSettings) -> Self {
        let metrics = Arc::new(Metrics::default());
        let evictions = metrics.clone();
        let plans = Cache::builder()
            .max_capacity(settings.max_bytes)
            .weigher(|key: &String, plan: &Arc<CachedPlan>| {
                u32::try_from(plan.body.len() + key.len() + 256).unwrap_or(u32::MAX)
            })
            .time_to_idle(settings.tti)
            .expire_after(ExpireBySource { ttl: settings.ttl, fallback_ttl: settings.fallback_ttl })
            .eviction_listener(move |_, _, cause| {
                if cause == RemovalCause::Size {
                    Metrics::add(&evictions.evictions);
                }
            })
            .build();
        Self { plans, keys: Mutex::default(), locations: Mutex::default(), settings, metrics }
    }

    /// A location, remembered for the freshness window.
    pub async fn location(&self, db: &DatabaseConnection, id: i64) -> Result<Arc<Location>, ApiError> {
        if let Some(location) = self.location_in_memory(id) {
            return Ok(location);
        }
        // Boxed: the query's future is large, and inlined it would be built and moved by every
        // request, hit or miss (the same below).
        let location = Arc::new(Box::pin(catalog::get_location(db, id)).await?);
        self.locations.lock().map_err(poisoned)?.insert(id, (location.clone(), Instant::now()));
        Ok(location)
    }

    /// The location if it is remembered and fresh; no query.
    pub fn location_in_memory(&self, id: i64) -> Option<Arc<Location>> {
        let locations = self.locations.lock().ok()?;
        let (location, at) = locations.get(&id)?;
        self.is_fresh(*at).then(|| location.clone())
    }

    /// Whether what was read at `at` may still be trusted (the freshness window).
    fn is_fresh(&self, at: Instant) -> bool {
        at.elapsed() < self.settings.freshness
    }

    /// The plan for a read if its key is remembered and fresh and the plan is cached (counted
    /// as a memory read); no query. Within the window the plan is remembered beside its key,
    /// so only the first of these reads looks in the cache. A plan evicted or expired within
    /// the window may still be answered until the window ends, as long as anything holds it.
    pub async fn in_memory(&self, location_id: i64, kind: PlanKind, date: NaiveDate) -> Option<Arc<CachedPlan>> {
        let memo_key = (location_id, kind, date);
        let key = {
            let keys = self.keys.lock().ok()?;
            let remembered = keys.get(&memo_key).filter(|r| self.is_fresh(r.at))?;
            if let Some(plan) = remembered.plan.as_ref().and_then(Weak::upgrade) {
                Metrics::add(&self.metrics.memory_reads);
                return Some(plan);
            }
            remembered.key.clone()
        };
        let plan = self.plans.get(&*key).await?;
        Metrics::add(&self.metrics.memory_reads);
        if let Ok(mut keys) = self.keys.lock()
            && let Some(remembered) = keys.get_mut(&memo_key)
            && remembered.key == key
        {
            remembered.plan = Some(Arc::downgrade(&plan));
        }
        Some(plan)
    }

    /// The cache key of a plan: the versions of the `inputs` it reads (the scopes the plan
    /// declares, `db::versions`), and `identity`, what else shapes the answer (prompt version,
    /// model). The cache hashes what it is given; it does not know what a plan reads.
    pub async fn key(
        &self,
        db: &DatabaseConnection,
        location: &Location,
        (kind, date): (PlanKind, NaiveDate),
        identity: &str,
        inputs: &[String],
    ) -> Result<Arc<str>, ApiError> {
        let memo_key = (location.id, kind, date);
        let remembered = self.keys.lock().map_err(poisoned)?.get(&memo_key).map(|r| (r.key.clone(), r.at));
        if let Some((key, at)) = remembered
            && self.is_fresh(at)
        {
            return Ok(key);
        }
        let counts = Box::pin(versions::read(db, location.id, inputs)).await?;
        let counts: Vec<String> = counts.iter().map(i64::to_string).collect();
        let key = format!(
            "t{}/l{}/{}/{}/{}/v{}",
            location.tenant_id,
            location.id,
            kind.as_str(),
            date,
            identity,
            counts.join(".")
        );
        let key: Arc<str> = Arc::from(key);
        let remembered = Remembered { key: key.clone(), at: Instant::now(), plan: None };
        self.keys.lock().map_err(poisoned)?.insert(memo_key, remembered);
        Ok(key)
    }

    /// Forgets what this process remembers of a location's data (its inputs or settings just
    /// changed).
    pub fn forget_location(&self, location_id: i64) {
        if let Ok(mut keys) = self.keys.lock() {
            keys.retain(|(id, _, _), _| *id != location_id);
        }
        if let Ok(mut locations) = self.locations.lock() {
            locations.remove(&location_id);
        }
    }

    /// The cached plan for `key`, if there is one (counted as a hit).
    pub async fn get(&self, key: &str) -> Option<Arc<CachedPlan>> {
        let plan = self.plans.get(key).await?;
        Metrics::add(&self.metrics.hits);
        Some(plan)
    }

    /// The cached plan for `key`, or the one `make` produces; concurrent callers for the same
    /// missing key share one `make`.
    pub async fn get_or_make<F>(&self, key: &str, make: F) -> Result<(Arc<CachedPlan>, Lookup), ApiError>
    where
        F: Future<Output = Result<CachedPlan, ApiError>>,
    {
        if let Some(plan) = self.get(key).await {
            return Ok((plan, Lookup::Hit));
        }
        let asked = Instant::now();
        let started = self.metrics.clone();
        let entry = self
            .plans
            .entry(key.to_owned())
            .or_try_insert_with(async move {
                Metrics::add(&started.generations_started);
                make.await.map(Arc::new)
            })
            .await
            .map_err(|e| ApiError::shared(&e))?;
        let plan = entry.value().clone();
        let lookup = if entry.is_fresh() {
            Metrics::add(&self.metrics.misses);
            Lookup::Miss
        } else if plan.made > asked {
            Metrics::add(&self.metrics.generations_coalesced);
            Lookup::Coalesced
        } else {
            Metrics::add(&self.metrics.hits);
            Lookup::Hit
        };
        Ok((plan, lookup))
    }

    /// Replaces the cached plan for its key (a forced regeneration); a plan remembered for the
    /// key (read while this one was being made) is forgotten, so reads find the new one.
    pub async fn replace(&self, plan: CachedPlan) -> Arc<CachedPlan> {
        let plan = Arc::new(plan);
        self.plans.insert(plan.key.clone(), plan.clone()).await;
        if let Ok(mut keys) = self.keys.lock() {
            keys.values_mut().filter(|r| *r.key == *plan.key).for_each(|r| r.plan = None);
        }
        plan
    }

    /// `(entries, weighted bytes)`, after pending maintenance.
    pub async fn usage(&self) -> (u64, u64) {
        self.plans.run_pending_tasks().await;
        (self.plans.entry_count(), self.plans.weighted_size())
    }

    pub fn max_bytes(&self) -> u64 {
        self.settings.max_bytes
    }
}

fn poisoned<T>(_: std::sync::PoisonError<T>) -> ApiError {
    ApiError::Internal("cache memo lock poisoned".to_owned())
}

/// Every write of a location's inputs, wherever it was made in this process, drops the keys
/// (and the location) remembered for it: the next read looks at the versions again.
impl versions::InputsListener for PlanCache {
    fn inputs_changed(&self, location_id: i64, _scopes: &[String]) {
        self.forget_location(location_id);
    }
}
