//! Tenants: restaurant groups.
use chrono::{DateTime, Utc};
use poem_openapi::{ApiResponse, Object, OpenApi, payload::Json};
use validator::Validate;

use super::{ApiTags, AppState};
use crate::{
    catalog,
    error::ErrorResponse,
    validation::{not_blank, validate},
};

pub struct TenantsApi(pub AppState);

#[derive(Debug, Object, Validate)]
struct NewTenant {
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    name: String,
}

#[derive(Debug, Object)]
struct Tenant {
    id: i64,
    name: String,
    created_at: DateTime<Utc>,
}

impl From<entity::tenant::Model> for Tenant {
    fn from(m: entity::tenant::Model) -> Self {
        Self { id: m.id, name: m.name, created_at: m.created_at }
    }
}

#[derive(ApiResponse)]
enum TenantCreated {
    /// The tenant was created.
    #[oai(status = 201)]
    Created(Json<Tenant>),
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Tenants")]
impl TenantsApi {
    /// Create a tenant (a restaurant group).
    #[oai(path = "/tenants", method = "post")]
    async fn create(&self, body: Json<NewTenant>) -> Result<TenantCreated, ErrorResponse> {
        validate(&body.0)?;
        let tenant = catalog::create_tenant(&self.0.db, body.0.name.trim()).await?;
        Ok(TenantCreated::Created(Json(tenant.into())))
    }

    /// List tenants.
    #[oai(path = "/tenants", method = "get")]
    async fn list(&self) -> Result<Json<Vec<Tenant>>, ErrorResponse> {
        Ok(Json(catalog::list_tenants(&self.0.db).await?.into_iter().map(Tenant::from).collect()))
    }
}
