//! The HTTP API: one `#[OpenApi]` struct per tag, assembled into one service with its
//! OpenAPI document and Swagger UI.
mod accuracy;
mod actuals;
mod allow;
mod audit;
pub mod auth;
mod backtest;
mod body_limit;
mod cached_json;
mod cached_reads;
mod catalog;
mod contract;
mod fields;
mod health;
mod history;
mod idempotency;
mod ingest;
mod json_keys;
mod locations;
pub mod metrics;
mod overrides;
mod plans;
mod reports;
mod roles;
mod spec_paths;
mod tenants;

use poem::{EndpointExt, Route, endpoint::BoxEndpoint};
use poem_openapi::{OpenApiService, Tags};
use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::{
    auth::Verifier,
    catalog::Location,
    domain::{Action, Caller},
    error::ApiError,
    plans::Planner,
};

/// Largest request body accepted (a full batch of 1000 orders fits many times over).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    /// Serves plans: cache, stored plans, generation (with the model when one is configured).
    pub planner: Arc<Planner>,
    /// Verifies bearer tokens (the middleware and the cached-read path).
    pub verifier: Arc<Verifier>,
    /// What model calls cost, for the AI quality report.
    pub prices: Arc<crate::config::PriceTable>,
}

/// 403 unless `caller`'s role may do `action`.
pub fn allow(caller: &Caller, action: Action) -> Result<(), ApiError> {
    if caller.may(action) { Ok(()) } else { Err(ApiError::Forbidden { role: caller.role(), action }) }
}

impl AppState {
    /// Location `id`, for `caller` doing `action` there: 403 if the role may not do it, and 404
    /// if the location is not the caller's to see, exactly as if it did not exist.
    pub async fn location(&self, caller: &Caller, action: Action, id: i64) -> Result<Arc<Location>, ApiError> {
        allow(caller, action)?;
        self.planner.location(caller, id).await
    }

    /// The locations of the caller's tenant that the caller sees (all, or those its token lists).
    pub async fn visible_locations(&self, caller: &Caller) -> Result<Vec<Location>, ApiError> {
        let tenant = locations::tenant_of(caller)?;
        let all = crate::catalog::list_locations(&self.db, Some(tenant)).await?;
        Ok(all.into_iter().filter(|l| caller.sees(l.tenant_id, l.id)).collect())
    }
}

#[derive(Tags)]
pub enum ApiTags {
    /// Liveness and readiness.
    Health,
    /// Restaurant groups.
    Tenants,
    /// Restaurant locations, their time zone and opening hours.
    Locations,
    /// Stations, menu items, prep items and recipes.
    Catalog,
    /// Staff roles and labor rules.
    Staff,
    /// Orders, reservations and stock counts.
    Ingest,
    /// Sales and booking aggregates.
    History,
    /// Prep lists and staffing plans.
    Plans,
    /// What really happened on a service day, and how close the plans came.
    Actuals,
    /// Reports over a period, for reviewers.
    Reports,
}

pub type Api = (
    health::HealthApi,
    tenants::TenantsApi,
    locations::LocationsApi,
    catalog::CatalogApi,
    roles::RolesApi,
    ingest::IngestApi,
    history::HistoryApi,
    plans::PlansApi,
    overrides::OverridesApi,
    actuals::ActualsApi,
    accuracy::AccuracyApi,
    audit::AuditApi,
    backtest::BacktestApi,
    reports::ReportsApi,
);

pub fn openapi_service(state: &AppState, server_url: &str) -> OpenApiService<Api, ()> {
    let apis = (
        health::HealthApi(state.clone()),
        tenants::TenantsApi(state.clone()),
        locations::LocationsApi(state.clone()),
        catalog::CatalogApi(state.clone()),
        roles::RolesApi(state.clone()),
        ingest::IngestApi(state.clone()),
        history::HistoryApi(state.clone()),
        plans::PlansApi(state.clone()),
        overrides::OverridesApi(state.clone()),
        actuals::ActualsApi(state.clone()),
        accuracy::AccuracyApi(state.clone()),
        audit::AuditApi(state.clone()),
        backtest::BacktestApi(state.clone()),
        reports::ReportsApi(state.clone()),
    );
    OpenApiService::new(apis, "Sous", env!("CARGO_PKG_VERSION"))
        .description(
            "An AI sous-chef kitchens can trust: validated prep lists and staffing plans. Every `/api/v1` \
             operation needs `Authorization: Bearer <JWT>` (tenant, role, optionally locations).",
        )
        .server(server_url)
}

/// The whole HTTP surface: API, OpenAPI document (`/openapi.json`), Swagger UI (`/docs`), with
/// plans held in memory answered before the router (see [`cached_reads`]).
pub fn routes(
    state: AppState,
    server_url: &str,
    body_timeout: std::time::Duration,
    idempotency_ttl: std::time::Duration,
) -> BoxEndpoint<'static> {
    let service = openapi_service(&state, server_url);
    let verifier = state.verifier.clone();
    let document = service.spec();
    let methods = Arc::new(allow::Methods::from_spec(&document));
    let contract = Arc::new(contract::Contract::from_spec(&document));
    let idempotency = Arc::new(idempotency::Keys::new(state.db.clone(), idempotency_ttl));
    let spec = service.spec_endpoint();
    let ui = service.swagger_ui();
    let routes = Route::new()
        .nest("/", service)
        .at("/openapi.json", spec)
        .nest("/docs", ui)
        // Innermost first: the contract and idempotency read the body the limit has already read
        // (and bounded), and nothing is read before the caller is known.
        .around(move |next, req| contract::check_body(next, req, contract.clone()))
        .around(move |next, req| idempotency::replay(next, req, idempotency.clone()))
        .around(move |next, req| body_limit::limit_body(next, req, MAX_BODY_BYTES, body_timeout))
        .around(move |next, req| auth::authenticate(next, req, verifier.clone()))
        .around(move |next, req| allow::on_405(next, req, methods.clone()))
        .around(crate::telemetry::log_request);
    cached_reads::CachedReads::new(routes, state.planner, state.verifier).boxed()
}
