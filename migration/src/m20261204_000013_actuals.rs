//! What really happened on a service day (issue 14): per prep item what was prepped, used and
//! wasted; per role and hour block the staff actually on; per menu item when it sold out (86'd).
//! One row a line and day: recording a line again replaces it.
use sea_orm_migration::{prelude::*, schema::*};

use crate::schema_util::{create_with_indexes, drop, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns every actuals table ends with: who recorded the line and when.
fn recorded(table: &mut TableCreateStatement) -> TableCreateStatement {
    table.col(string_len("recorded_by", 255)).col(timestamp_with_time_zone("recorded_at")).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let prep = recorded(
            Table::create()
                .table("prep_actuals")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("location_id"))
                .col(date("service_date"))
                .col(big_integer("prep_item_id"))
                .col(double("prepped"))
                .col(double("used"))
                .col(double("wasted"))
                .foreign_key(&mut fk("prep_actuals", "location_id", "locations"))
                .foreign_key(&mut fk("prep_actuals", "prep_item_id", "prep_items")),
        );
        let unique = index("prep_actuals", &["location_id", "service_date", "prep_item_id"], true);
        create_with_indexes(manager, prep, vec![unique]).await?;

        let staff = recorded(
            Table::create()
                .table("staff_actuals")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("location_id"))
                .col(date("service_date"))
                // The block's start, `HH:MM` local, as the staffing plan writes it.
                .col(string_len("block", 5))
                .col(big_integer("role_id"))
                .col(integer("headcount"))
                .foreign_key(&mut fk("staff_actuals", "location_id", "locations"))
                .foreign_key(&mut fk("staff_actuals", "role_id", "staff_roles")),
        );
        let unique = index("staff_actuals", &["location_id", "service_date", "block", "role_id"], true);
        create_with_indexes(manager, staff, vec![unique]).await?;

        let sold_out = recorded(
            Table::create()
                .table("sold_outs")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("location_id"))
                .col(date("service_date"))
                .col(big_integer("menu_item_id"))
                // Local time `HH:MM` the dish ran out.
                .col(string_len("sold_out_at", 5))
                .foreign_key(&mut fk("sold_outs", "location_id", "locations"))
                .foreign_key(&mut fk("sold_outs", "menu_item_id", "menu_items")),
        );
        let unique = index("sold_outs", &["location_id", "service_date", "menu_item_id"], true);
        create_with_indexes(manager, sold_out, vec![unique]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["sold_outs", "staff_actuals", "prep_actuals"] {
            drop(manager, table).await?;
        }
        Ok(())
    }
}
