//! Version counters of a location's inputs (history, catalog, stock, each day's bookings) and
//! the nightly job's claims: plans are cached under these versions, so a change to any input
//! changes the key, and one replica claims each night's run per location.
use sea_orm_migration::{prelude::*, schema::*};

use crate::schema_util::{create_with_indexes, drop, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let versions = Table::create()
            .table("data_versions")
            .if_not_exists()
            .col(big_pk_auto("id"))
            .col(big_integer("location_id"))
            .col(string_len("scope", 32))
            .col(big_integer("version"))
            .foreign_key(&mut fk("data_versions", "location_id", "locations"))
            .to_owned();
        create_with_indexes(manager, versions, vec![index("data_versions", &["location_id", "scope"], true)]).await?;

        let runs = Table::create()
            .table("job_runs")
            .if_not_exists()
            .col(big_pk_auto("id"))
            .col(big_integer("location_id"))
            .col(string_len("job", 32))
            .col(date("service_date"))
            .col(timestamp_with_time_zone("claimed_at"))
            .col(string_len_null("outcome", 500))
            .foreign_key(&mut fk("job_runs", "location_id", "locations"))
            .to_owned();
        create_with_indexes(manager, runs, vec![index("job_runs", &["location_id", "job", "service_date"], true)])
            .await?;
        manager.create_index(index("plans", &["location_id", "kind", "service_date", "input_fingerprint"], false)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "job_runs").await?;
        drop(manager, "data_versions").await
    }
}
