//! The HTTP API: one `#[OpenApi]` struct per tag, assembled into one service with its
//! OpenAPI document and Swagger UI.
mod audit;
mod backtest;
mod body_limit;
mod cached_json;
mod cached_reads;
mod catalog;
mod health;
mod history;
mod ingest;
mod locations;
mod metrics;
mod plans;
mod roles;
mod tenants;

use poem::{EndpointExt, Route, endpoint::BoxEndpoint};
use poem_openapi::{OpenApiService, Tags};
use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::plans::Planner;

/// Largest request body accepted (a full batch of 1000 orders fits many times over).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    /// Serves plans: cache, stored plans, generation (with the model when one is configured).
    pub planner: Arc<Planner>,
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
    audit::AuditApi,
    metrics::MetricsApi,
    backtest::BacktestApi,
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
        audit::AuditApi(state.clone()),
        metrics::MetricsApi(state.clone()),
        backtest::BacktestApi(state.clone()),
    );
    OpenApiService::new(apis, "Sous", env!("CARGO_PKG_VERSION"))
        .description("An AI sous-chef kitchens can trust: validated prep lists and staffing plans.")
        .server(server_url)
}

/// The whole HTTP surface: API, OpenAPI document (`/openapi.json`), Swagger UI (`/docs`), with
/// plans held in memory answered before the router (see [`cached_reads`]).
pub fn routes(state: AppState, server_url: &str, body_timeout: std::time::Duration) -> BoxEndpoint<'static> {
    let service = openapi_service(&state, server_url);
    let spec = service.spec_endpoint();
    let ui = service.swagger_ui();
    let routes = Route::new()
        .nest("/", service)
        .at("/openapi.json", spec)
        .nest("/docs", ui)
        .around(move |next, req| body_limit::limit_body(next, req, MAX_BODY_BYTES, body_timeout))
        .around(crate::telemetry::log_request);
    cached_reads::CachedReads::new(routes, state.planner).boxed()
}
