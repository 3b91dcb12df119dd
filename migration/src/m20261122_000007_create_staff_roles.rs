use sea_orm_migration::{prelude::*, schema::*};

use crate::schema_util::{create_with_indexes, drop, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table("staff_roles")
            .if_not_exists()
            .col(big_pk_auto("id"))
            .col(big_integer("location_id"))
            .col(string_len("name", 100))
            .col(string_len("driver", 16))
            .col(double("ratio"))
            .col(integer("min_staff"))
            .col(integer("max_staff"))
            .foreign_key(&mut fk("staff_roles", "location_id", "locations"))
            .to_owned();
        create_with_indexes(manager, table, vec![index("staff_roles", &["location_id", "name"], true)]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "staff_roles").await
    }
}
