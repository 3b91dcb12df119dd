//! Tenants: restaurant groups. A caller sees its own; creating tenants is the operator's act, at
//! the command line (`sous tenant create`), not an API caller's.
use chrono::{DateTime, Utc};
use poem_openapi::{Object, OpenApi, payload::Json};

use super::{ApiTags, AppState, allow, auth::Bearer, locations::tenant_of};
use crate::{catalog, domain::Action, error::ErrorResponse};

pub struct TenantsApi(pub AppState);

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

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Tenants")]
impl TenantsApi {
    /// The caller's tenant (a list of one).
    #[oai(path = "/tenants", method = "get")]
    async fn list(&self, auth: Bearer) -> Result<Json<Vec<Tenant>>, ErrorResponse> {
        allow(&auth.0, Action::ReadTenant)?;
        let tenant = catalog::get_tenant(&self.0.db, tenant_of(&auth.0)?).await?;
        Ok(Json(tenant.into_iter().map(Tenant::from).collect()))
    }
}
