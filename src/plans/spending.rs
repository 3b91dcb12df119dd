//! Limits on what a tenant spends on the model: a rate of requests that may call it (per process,
//! GCRA through `governor`; 429 with `Retry-After` past it), and a daily token budget kept in the
//! database, so every replica draws on the same one. Each model call reserves what it may use
//! (the prompt's estimate plus the answer limit) before it is made and settles on what the
//! endpoint reports after, failed calls included; a reservation the budget cannot cover stops the
//! model, and the plan comes from the baseline with that reason. One tenant's limits never touch
//! another's.
use std::{
    collections::HashMap,
    num::NonZeroU32,
    sync::{Arc, Mutex},
};

use chrono::{NaiveDate, Utc};
use entity::{tenant, token_usage};
use governor::{
    Quota, RateLimiter,
    clock::{Clock, DefaultClock},
};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set,
    sea_query::{Expr, ExprTrait, OnConflict},
};

use crate::{config::LimitSettings, error::ApiError};

type Limiter = governor::DefaultDirectRateLimiter;

/// The per-tenant limits of one process.
pub struct Spending {
    db: DatabaseConnection,
    defaults: LimitSettings,
    /// Each tenant's limiter and the rate it was built for (rebuilt when the rate changes).
    limiters: Mutex<HashMap<i64, (u32, Arc<Limiter>)>>,
}

impl Spending {
    pub fn new(db: DatabaseConnection, defaults: LimitSettings) -> Self {
        Self { db, defaults, limiters: Mutex::default() }
    }

    /// Lets one more request that may call the model through for `tenant_id`, or says when to
    /// retry (429).
    pub async fn admit(&self, tenant_id: i64) -> Result<(), ApiError> {
        let own = tenant::Entity::find_by_id(tenant_id).one(&self.db).await?;
        let per_minute = own
            .and_then(|t| t.model_requests_per_minute)
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n > 0)
            .unwrap_or(self.defaults.model_requests_per_minute);
        let limiter = {
            let mut limiters = self.limiters.lock().map_err(|_| ApiError::Internal("rate limiters poisoned".into()))?;
            let entry = limiters.entry(tenant_id).or_insert_with(|| (per_minute, limiter(per_minute)));
            if entry.0 != per_minute {
                *entry = (per_minute, limiter(per_minute));
            }
            entry.1.clone()
        };
        limiter.check().map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            ApiError::RateLimited(u32::try_from(wait.as_secs() + 1).unwrap_or(u32::MAX))
        })
    }

    /// `tenant_id`'s token budget for today (UTC).
    pub async fn budget(&self, tenant_id: i64) -> Result<Budget, ApiError> {
        let own = tenant::Entity::find_by_id(tenant_id).one(&self.db).await?;
        let daily =
            own.and_then(|t| t.daily_tokens).and_then(|n| u64::try_from(n).ok()).unwrap_or(self.defaults.daily_tokens);
        Ok(Budget { db: self.db.clone(), tenant_id, daily: i64::try_from(daily).unwrap_or(i64::MAX) })
    }
}

fn limiter(per_minute: u32) -> Arc<Limiter> {
    let rate = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
    Arc::new(RateLimiter::direct(Quota::per_minute(rate)))
}

/// A tenant's model tokens for one UTC day.
pub struct Budget {
    db: DatabaseConnection,
    tenant_id: i64,
    daily: i64,
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

impl Budget {
    /// Sets `tokens` aside for a call, if today's budget still holds them; `false` when spent.
    pub async fn reserve(&self, tokens: u32) -> Result<bool, DbErr> {
        let day = today();
        let row = token_usage::ActiveModel {
            tenant_id: Set(self.tenant_id),
            day: Set(day),
            tokens: Set(0),
            ..Default::default()
        };
        let on_conflict =
            OnConflict::columns([token_usage::Column::TenantId, token_usage::Column::Day]).do_nothing().to_owned();
        token_usage::Entity::insert(row).on_conflict(on_conflict).exec_without_returning(&self.db).await?;
        let tokens = i64::from(tokens);
        let spent = Expr::col(token_usage::Column::Tokens);
        let reserved = token_usage::Entity::update_many()
            .col_expr(token_usage::Column::Tokens, spent.clone().add(tokens))
            .filter(token_usage::Column::TenantId.eq(self.tenant_id))
            .filter(token_usage::Column::Day.eq(day))
            .filter(spent.add(tokens).lte(self.daily))
            .exec(&self.db)
            .await?;
        Ok(reserved.rows_affected == 1)
    }

    /// Replaces a reservation of `reserved` tokens by what the call `used`.
    pub async fn settle(&self, reserved: u32, used: u32) -> Result<(), DbErr> {
        let change = i64::from(used) - i64::from(reserved);
        if change == 0 {
            return Ok(());
        }
        token_usage::Entity::update_many()
            .col_expr(token_usage::Column::Tokens, Expr::col(token_usage::Column::Tokens).add(change))
            .filter(token_usage::Column::TenantId.eq(self.tenant_id))
            .filter(token_usage::Column::Day.eq(today()))
            .exec(&self.db)
            .await
            .map(|_| ())
    }
}

/// Tokens `tenant_id` spent today (UTC), for reports and tests.
pub async fn spent_today(db: &DatabaseConnection, tenant_id: i64) -> Result<i64, DbErr> {
    let row = token_usage::Entity::find()
        .filter(token_usage::Column::TenantId.eq(tenant_id))
        .filter(token_usage::Column::Day.eq(today()))
        .one(db)
        .await?;
    Ok(row.map_or(0, |r| r.tokens))
}
