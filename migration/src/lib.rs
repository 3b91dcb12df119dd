//! Sous's schema migrations; the same ones run on SQLite and PostgreSQL.
pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_tenants;
mod m20261122_000002_create_locations;
mod m20261122_000003_create_catalog;
mod m20261122_000004_create_orders;
mod m20261122_000005_create_reservations;
mod m20261122_000006_create_on_hand_counts;
mod m20261122_000007_create_staff_roles;
mod m20261122_000008_create_plans;
mod m20261122_000009_create_data_versions;
mod m20261202_000010_tenant_limits_and_idempotency;
mod m20261202_000011_idempotent_answer_headers;
mod m20261203_000012_plan_lifecycle;
mod m20261204_000013_actuals;
mod schema_util;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_tenants::Migration),
            Box::new(m20261122_000002_create_locations::Migration),
            Box::new(m20261122_000003_create_catalog::Migration),
            Box::new(m20261122_000004_create_orders::Migration),
            Box::new(m20261122_000005_create_reservations::Migration),
            Box::new(m20261122_000006_create_on_hand_counts::Migration),
            Box::new(m20261122_000007_create_staff_roles::Migration),
            Box::new(m20261122_000008_create_plans::Migration),
            Box::new(m20261122_000009_create_data_versions::Migration),
            Box::new(m20261202_000010_tenant_limits_and_idempotency::Migration),
            Box::new(m20261202_000011_idempotent_answer_headers::Migration),
            Box::new(m20261203_000012_plan_lifecycle::Migration),
            Box::new(m20261204_000013_actuals::Migration),
        ]
    }
}
