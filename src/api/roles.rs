//! Staff roles and their labor rules.
use poem_openapi::{ApiResponse, Object, OpenApi, param::Path, payload::Json};

use super::{ApiTags, AppState, auth::Bearer, fields::Name};
use crate::{
    catalog::{self, NewRole},
    domain::{Action, LaborDriver},
    error::ErrorResponse,
};

pub struct RolesApi(pub AppState);

#[derive(Debug, Object)]
struct NewRoleBody {
    name: Name<100>,
    driver: LaborDriver,
    /// Driver units (covers or orders) one person handles per hour.
    #[oai(validator(minimum(value = "0.01"), maximum(value = "10000")))]
    ratio: f64,
    #[oai(validator(minimum(value = "0"), maximum(value = "500")))]
    min_staff: i32,
    /// At least `min_staff`.
    #[oai(validator(minimum(value = "0"), maximum(value = "500")))]
    max_staff: i32,
}

#[derive(Debug, Object)]
struct Role {
    id: i64,
    location_id: i64,
    name: String,
    driver: String,
    ratio: f64,
    min_staff: i32,
    max_staff: i32,
}

impl From<entity::staff_role::Model> for Role {
    fn from(r: entity::staff_role::Model) -> Self {
        Self {
            id: r.id,
            location_id: r.location_id,
            name: r.name,
            driver: r.driver,
            ratio: r.ratio,
            min_staff: r.min_staff,
            max_staff: r.max_staff,
        }
    }
}

#[derive(ApiResponse)]
enum RoleCreated {
    /// The role was created.
    #[oai(status = 201)]
    Created(Json<Role>),
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Staff")]
impl RolesApi {
    /// Add a staff role with its labor rule.
    #[oai(path = "/locations/:id/roles", method = "post")]
    async fn create(&self, auth: Bearer, id: Path<i64>, body: Json<NewRoleBody>) -> Result<RoleCreated, ErrorResponse> {
        let location = self.0.location(&auth.0, Action::EditCatalog, id.0).await?;
        let b = body.0;
        let new = NewRole {
            name: b.name.trim().to_owned(),
            driver: b.driver,
            ratio: b.ratio,
            min_staff: b.min_staff,
            max_staff: b.max_staff,
        };
        let role = catalog::create_role(&self.0.db, location.id, new).await?;
        Ok(RoleCreated::Created(Json(role.into())))
    }

    /// The location's roles.
    #[oai(path = "/locations/:id/roles", method = "get")]
    async fn list(&self, auth: Bearer, id: Path<i64>) -> Result<Json<Vec<Role>>, ErrorResponse> {
        let location = self.0.location(&auth.0, Action::ReadCatalog, id.0).await?;
        Ok(Json(catalog::list_roles(&self.0.db, location.id).await?.into_iter().map(Role::from).collect()))
    }
}
