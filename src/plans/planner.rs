//! Serving plans: the cache first, then a plan stored under the same key (another replica or an
//! earlier run made it), then a generation. On PostgreSQL a transaction-scoped advisory lock on
//! the key makes one replica generate while the others wait and then read what it stored.
use std::{
    collections::HashMap,
    sync::{Arc, Weak},
};

use bytes::Bytes;
use chrono::{Duration, NaiveDate, Utc};
use entity::plan;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Statement,
    TransactionTrait,
};
use serde::Serialize;

use super::{
    Model, audit, baseline,
    lifecycle::{self, Snapshot},
    overrides,
    spending::Spending,
};
use tokio::sync::Semaphore;

use crate::{
    cache::{self, CachedPlan, Lookup, Metrics, PlanCache},
    catalog::Location,
    config::{LimitSettings, Replan},
    db::versions,
    domain::{Caller, PlanKind, PlanSource, PlanTrigger},
    error::ApiError,
    llm::LlmClient,
    prompt,
};

/// The in-process lock of each location, kind and service day.
type DayLocks = HashMap<(i64, &'static str, NaiveDate), Arc<tokio::sync::Mutex<()>>>;

pub struct Planner {
    db: DatabaseConnection,
    llm: Option<Arc<LlmClient>>,
    pub cache: Arc<PlanCache>,
    /// On PostgreSQL a generation holds a pooled connection for its advisory lock and needs
    /// others for its work: at most half the pool may hold locks, so the work always finds one.
    lock_slots: Semaphore,
    /// `identity` of each kind, computed once (it is part of every key).
    identities: [String; 2],
    /// Per-tenant limits on model spending.
    spending: Spending,
    /// When a published plan is made again on its own (a location may have its own).
    replan: Replan,
    /// One decision at a time per location, kind and service day on whether to keep the published
    /// plan or make it again (reads of different input versions race otherwise, and could pass
    /// the day's cap together). Across replicas on PostgreSQL, an advisory lock does the same.
    day_locks: std::sync::Mutex<DayLocks>,
}

/// A plan and how it was found.
pub struct Served {
    pub plan: Arc<CachedPlan>,
    pub lookup: Lookup,
}

/// Serialized through `serde_json::Value` (keys in order), so a plan made here and the same
/// plan read back from the database are the same bytes, and get the same ETag.
fn serialize<P: Serialize>(plan: &P) -> Result<Bytes, ApiError> {
    serde_json::to_value(plan)
        .and_then(|v| serde_json::to_vec(&v))
        .map(Bytes::from)
        .map_err(|e| ApiError::Internal(format!("cannot serialize a plan: {e}")))
}

/// A stored plan's own time, from its body (the column may be rounded to the database's
/// precision).
fn generated_at(body: &serde_json::Value, column: chrono::DateTime<Utc>) -> chrono::DateTime<Utc> {
    body.get("generated_at").and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or(column)
}

/// The default service day: tomorrow in the location's time zone.
fn tomorrow(location: &Location) -> NaiveDate {
    location.today() + Duration::days(1)
}

impl Planner {
    pub fn new(
        db: DatabaseConnection,
        llm: Option<Arc<LlmClient>>,
        cache: Arc<PlanCache>,
        limits: LimitSettings,
    ) -> Self {
        let pool = match db.get_database_backend() {
            DatabaseBackend::Postgres => db.get_postgres_connection_pool().options().get_max_connections(),
            _ => 2,
        };
        let lock_slots = Semaphore::new((pool as usize / 2).max(1));
        let identities = [PlanKind::PrepList, PlanKind::Staffing].map(|k| Self::identity(llm.as_deref(), k));
        // Every write of inputs in this process, whoever makes it, reaches the cache's memo.
        let listener: Weak<dyn versions::InputsListener> = Arc::downgrade(&cache) as _;
        versions::listen(&db, listener);
        let replan = limits.replan;
        let spending = Spending::new(db.clone(), limits);
        Self { db, llm, cache, lock_slots, identities, spending, replan, day_locks: Default::default() }
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The server's default replanning thresholds (a location may have its own).
    pub fn replan(&self) -> Replan {
        self.replan
    }

    /// What besides the data shapes a plan: the prompt version and model, or the baseline.
    fn identity(llm: Option<&LlmClient>, kind: PlanKind) -> String {
        match llm {
            Some(client) => {
                let template = prompt::template(kind, client.settings().prompt_version);
                format!("{}@{}", template.version, client.settings().model)
            }
            None => "baseline".to_owned(),
        }
    }

    /// The cache key of a plan: the versions of the inputs it declares, and its identity.
    async fn key(&self, location: &Location, kind: PlanKind, date: NaiveDate) -> Result<Arc<str>, ApiError> {
        let inputs = super::inputs::scopes(kind, date);
        self.cache.key(&self.db, location, (kind, date), self.identity_of(kind), &inputs).await
    }

    fn identity_of(&self, kind: PlanKind) -> &str {
        match kind {
            PlanKind::PrepList => &self.identities[0],
            PlanKind::Staffing => &self.identities[1],
        }
    }

    /// Location `id` if `caller` may see it; another tenant's location (or one the caller's
    /// token does not list) is answered exactly like a missing one. Remembered for the
    /// freshness window, like the plans' keys.
    pub async fn location(&self, caller: &Caller, id: i64) -> Result<Arc<Location>, ApiError> {
        let location = self.cache.location(&self.db, id).await?;
        if caller.sees(location.tenant_id, location.id) {
            Ok(location)
        } else {
            Err(ApiError::NotFound { what: "location", id })
        }
    }

    /// The plan for a location, kind and service day (default: tomorrow in the location's time
    /// zone), for `caller`. `force` generates afresh and replaces the cached plan; the previous
    /// one stays in the database's history. A generation that may call the model counts against
    /// the tenant's rate (unless the operator asks) and its calls against the tenant's budget.
    pub async fn serve(
        &self,
        caller: &Caller,
        location_id: i64,
        kind: PlanKind,
        date: Option<NaiveDate>,
        force: bool,
    ) -> Result<Served, ApiError> {
        let location = self.location(caller, location_id).await?;
        let date = date.unwrap_or_else(|| tomorrow(&location));
        if force {
            self.admit(caller, &location).await?;
            // A new version of the plan: every replica's key moves on to it.
            Box::pin(versions::record(&self.db, location.id, &[versions::regenerated(kind, date)])).await?;
            let key = self.key(&location, kind, date).await?;
            Metrics::add(&self.cache.metrics.generations_started);
            let plan = Box::pin(self.make(None, &location, kind, date, &key)).await?;
            return Ok(Served { plan: self.cache.replace(plan).await, lookup: Lookup::Regenerated });
        }
        let key = self.key(&location, kind, date).await?;
        // A generation's future is large: it is only built (on the heap) when the cache misses,
        // so a cached read moves nothing but a few pointers.
        if let Some(plan) = self.cache.get(&key).await {
            return Ok(Served { plan, lookup: Lookup::Hit });
        }
        let make = Box::pin(self.make(Some(caller), &location, kind, date, &key));
        let (plan, lookup) = self.cache.get_or_make(&key, make).await?;
        Ok(Served { plan, lookup })
    }

    /// The cached plan for a read, if this process can answer it from memory alone: the
    /// location and the key are remembered within the freshness window and the plan is cached.
    /// `None` sends the read the full way of [`Planner::serve`].
    /// Like [`Planner::location`], the location must be the caller's: a cache hit is not a
    /// permission.
    pub async fn in_memory(
        &self,
        caller: &Caller,
        location_id: i64,
        kind: PlanKind,
        date: Option<NaiveDate>,
    ) -> Option<Arc<CachedPlan>> {
        let location = self.cache.location_in_memory(location_id)?;
        if !caller.sees(location.tenant_id, location.id) {
            return None;
        }
        let date = date.unwrap_or_else(|| tomorrow(&location));
        self.cache.in_memory(location.id, kind, date).await
    }

    /// 429 unless the tenant's rate lets one more generation with the model start now. The
    /// operator (CLI, nightly job) is not rate-limited; without a model nothing is spent.
    async fn admit(&self, caller: &Caller, location: &Location) -> Result<(), ApiError> {
        if self.llm.is_none() || caller.is_operator() {
            return Ok(());
        }
        self.spending.admit(location.tenant_id).await
    }

    /// A plan made for `key`: stored by another replica, or generated. `reader` is the caller of
    /// a read that missed (admitted against the tenant's rate only if the model is to be asked);
    /// `None` for a forced regeneration, admitted before it started.
    async fn make(
        &self,
        reader: Option<&Caller>,
        location: &Location,
        kind: PlanKind,
        date: NaiveDate,
        key: &str,
    ) -> Result<CachedPlan, ApiError> {
        let plan = match self.llm.as_deref() {
            Some(client) => self.with_lock(reader, client, location, (kind, date), key).await?,
            None => self.generate(None, location, kind, date, key).await?,
        };
        self.overridden(plan, location.id, kind, date).await
    }

    /// The managers' overrides of the day laid over `plan`, each beside its line.
    async fn overridden(
        &self,
        plan: CachedPlan,
        location_id: i64,
        kind: PlanKind,
        date: NaiveDate,
    ) -> Result<CachedPlan, ApiError> {
        let mut body: serde_json::Value = serde_json::from_slice(&plan.body)
            .map_err(|e| ApiError::Internal(format!("a plan that is not JSON: {e}")))?;
        let before = body.clone();
        overrides::lay_over(&self.db, location_id, kind, date, &mut body).await?;
        if body == before { Ok(plan) } else { Ok(plan.with_body(serialize(&body)?)) }
    }

    /// [`Planner::make`] with a model: on PostgreSQL under the key's advisory lock, so that one
    /// replica generates while the others wait and then read what it stored.
    async fn with_lock(
        &self,
        reader: Option<&Caller>,
        client: &LlmClient,
        location: &Location,
        (kind, date): (PlanKind, NaiveDate),
        key: &str,
    ) -> Result<CachedPlan, ApiError> {
        // Other replicas asking for the same key wait here, then find the stored plan.
        let _slot = match self.db.get_database_backend() {
            DatabaseBackend::Postgres => Some(
                self.lock_slots
                    .acquire()
                    .await
                    .map_err(|_| ApiError::Internal("generation slots closed".to_owned()))?,
            ),
            _ => None,
        };
        let lock = match self.db.get_database_backend() {
            DatabaseBackend::Postgres => {
                let txn = self.db.begin().await?;
                let sql = "SELECT pg_advisory_xact_lock($1)";
                txn.execute_raw(Statement::from_sql_and_values(
                    DatabaseBackend::Postgres,
                    sql,
                    [(cache::hash(key) as i64).into()],
                ))
                .await?;
                // Then the day's: taken after the key's, always in this order.
                let day = format!("replan:{}:{}:{date}", location.id, kind.as_str());
                txn.execute_raw(Statement::from_sql_and_values(
                    DatabaseBackend::Postgres,
                    sql,
                    [(cache::hash(&day) as i64).into()],
                ))
                .await?;
                Some(txn)
            }
            _ => None,
        };
        let day_lock = self.day_lock(location.id, kind, date)?;
        let _day = day_lock.lock().await;
        let plan = match (reader, self.stored(location.id, kind, date, key).await?) {
            (Some(_), Some(stored)) => {
                Metrics::add(&self.cache.metrics.stored_plans_reused);
                stored
            }
            (Some(reader), None) => match lifecycle::published(&self.db, location.id, kind, date).await? {
                Some(published) => self.keep_or_replace(reader, client, location, (kind, date), key, published).await?,
                None => {
                    self.admit(reader, location).await?;
                    self.with_model(client, PlanTrigger::First, location, (kind, date), key).await?
                }
            },
            (None, _) => self.with_model(client, PlanTrigger::Manual, location, (kind, date), key).await?,
        };
        if let Some(txn) = lock {
            txn.commit().await?;
        }
        Ok(plan)
    }

    /// The in-process lock of a location, kind and service day; locks no one holds are let go.
    fn day_lock(
        &self,
        location_id: i64,
        kind: PlanKind,
        date: NaiveDate,
    ) -> Result<Arc<tokio::sync::Mutex<()>>, ApiError> {
        let mut locks = self.day_locks.lock().map_err(|_| ApiError::Internal("day locks poisoned".to_owned()))?;
        locks.retain(|_, lock| Arc::strong_count(lock) > 1);
        Ok(locks.entry((location_id, kind.as_str(), date)).or_default().clone())
    }

    /// A new plan made with the model, for `trigger`, drawing on the tenant's budget.
    async fn with_model(
        &self,
        client: &LlmClient,
        trigger: PlanTrigger,
        location: &Location,
        (kind, date): (PlanKind, NaiveDate),
        key: &str,
    ) -> Result<CachedPlan, ApiError> {
        let budget = self.spending.budget(location.tenant_id).await?;
        self.generate(Some(Model { client, budget: &budget, trigger }), location, kind, date, key).await
    }

    /// The published plan as it is, with what changed since (worked out from the baseline on the
    /// data as it is now); or a new plan when the change is material and the day's cap allows.
    async fn keep_or_replace(
        &self,
        reader: &Caller,
        client: &LlmClient,
        location: &Location,
        (kind, date): (PlanKind, NaiveDate),
        key: &str,
        published: plan::Model,
    ) -> Result<CachedPlan, ApiError> {
        let now = match kind {
            PlanKind::PrepList => Snapshot::of_prep(&baseline::prep_baseline(&self.db, location, date).await?),
            PlanKind::Staffing => Snapshot::of_staffing(&baseline::staffing_baseline(&self.db, location, date).await?),
        };
        let replan = location.replan.over(self.replan);
        let mut since = match Snapshot::of_published(kind, &published) {
            Some(then) => lifecycle::compare(kind, &then, &now, replan),
            None => {
                tracing::warn!(plan_id = published.id, "the published plan's baseline cannot be read");
                let mut since = lifecycle::compare(kind, &now, &now, replan);
                since.material.push("the published plan's baseline numbers cannot be read".to_owned());
                since
            }
        };
        if !since.material.is_empty() {
            let made = lifecycle::automatic_regenerations(&self.db, location.id, date).await?;
            let (location_id, kind_name) = (location.id, kind.as_str());
            if made >= u64::from(replan.daily_cap) {
                tracing::info!(location_id, %date, kind = kind_name, cap = replan.daily_cap, "material change past the day's cap: the plan is kept, a regeneration is due");
                since.regeneration_due = true;
            } else {
                match self.admit(reader, location).await {
                    Ok(()) => {
                        tracing::info!(location_id, %date, kind = kind_name, reasons = ?since.material, "material change: the plan is made again");
                        return self.with_model(client, PlanTrigger::MaterialChange, location, (kind, date), key).await;
                    }
                    // A read the tenant's rate turns away still has a plan to show.
                    Err(ApiError::RateLimited(_)) => since.regeneration_due = true,
                    Err(err) => return Err(err),
                }
            }
        }
        let mut body = published.body.clone();
        body["provenance"]["plan_id"] = serde_json::json!(published.id);
        body["since_published"] = serde_json::to_value(&since)
            .map_err(|e| ApiError::Internal(format!("cannot serialize a plan's changes: {e}")))?;
        let source = PlanSource::parse(&published.source).unwrap_or(PlanSource::Fallback);
        Ok(CachedPlan::new(key.to_owned(), serialize(&body)?, source, generated_at(&body, published.generated_at)))
    }

    async fn generate(
        &self,
        model: Option<Model<'_>>,
        location: &Location,
        kind: PlanKind,
        date: NaiveDate,
        key: &str,
    ) -> Result<CachedPlan, ApiError> {
        let (body, source, generated_at) = match kind {
            PlanKind::PrepList => {
                let plan = super::generate_prep_list(&self.db, model, location, date, key).await?;
                (serialize(&plan)?, plan.source, plan.generated_at)
            }
            PlanKind::Staffing => {
                let plan = super::generate_staffing(&self.db, model, location, date, key).await?;
                (serialize(&plan)?, plan.source, plan.generated_at)
            }
        };
        Ok(CachedPlan::new(key.to_owned(), body, source, generated_at))
    }

    /// The latest accepted plan stored under this key, if any.
    async fn stored(
        &self,
        location_id: i64,
        kind: PlanKind,
        date: NaiveDate,
        key: &str,
    ) -> Result<Option<CachedPlan>, ApiError> {
        let found = plan::Entity::find()
            .filter(plan::Column::LocationId.eq(location_id))
            .filter(plan::Column::Kind.eq(kind.as_str()))
            .filter(plan::Column::ServiceDate.eq(date))
            .filter(plan::Column::InputFingerprint.eq(audit::fingerprint(key)))
            .filter(plan::Column::Source.is_in(PlanSource::FROM_MODEL.map(PlanSource::as_str)))
            .order_by_desc(plan::Column::Id)
            .one(&self.db)
            .await?;
        let Some(found) = found else { return Ok(None) };
        // A plan stored before lines carried their origin is made again rather than served
        // without the fields the document promises.
        if found.body["provenance"].get("changed_lines").is_none() {
            return Ok(None);
        }
        let mut body = found.body.clone();
        // The body was written before the row had its id.
        body["provenance"]["plan_id"] = serde_json::json!(found.id);
        let source = PlanSource::parse(&found.source).unwrap_or(PlanSource::Llm);
        let generated_at = generated_at(&body, found.generated_at);
        Ok(Some(CachedPlan::new(key.to_owned(), serialize(&body)?, source, generated_at)))
    }
}
