//! A plan's life (issue 14): why each stored plan was made (`trigger`: the first of its day, a
//! material change of its data, or a manager's request), and a fingerprint of the rules it was
//! made under (the catalog's rows it uses and the day's opening hours), so that a change of them
//! is seen; each location's own thresholds for regenerating on its own; and the managers'
//! overrides of single lines of a day's plan, kept apart from every plan Sous makes.
use sea_orm_migration::{prelude::*, schema::*};

use crate::schema_util::{create_with_indexes, drop, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column a statement.
        let columns = [
            ("plans", string("trigger").default("first").to_owned()),
            ("plans", string_null("rules_fingerprint")),
            ("locations", double_null("replan_covers_share")),
            ("locations", double_null("replan_covers_min")),
            ("locations", integer_null("replan_daily_cap")),
        ];
        for (table, mut column) in columns {
            manager.alter_table(Table::alter().table(table).add_column(&mut column).to_owned()).await?;
        }
        let overrides = Table::create()
            .table("plan_overrides")
            .if_not_exists()
            .col(big_pk_auto("id"))
            .col(big_integer("location_id"))
            .col(string_len("kind", 16))
            .col(date("service_date"))
            // `<prep_item_id>` or `<HH:MM>/<role_id>`.
            .col(string_len("line", 32))
            .col(double("value"))
            .col(text("reason"))
            .col(string_len("set_by", 255))
            .col(timestamp_with_time_zone("set_at"))
            .foreign_key(&mut fk("plan_overrides", "location_id", "locations"))
            .to_owned();
        let unique = index("plan_overrides", &["location_id", "kind", "service_date", "line"], true);
        create_with_indexes(manager, overrides, vec![unique]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "plan_overrides").await?;
        let columns = [
            ("plans", "trigger"),
            ("plans", "rules_fingerprint"),
            ("locations", "replan_covers_share"),
            ("locations", "replan_covers_min"),
            ("locations", "replan_daily_cap"),
        ];
        for (table, column) in columns {
            manager.alter_table(Table::alter().table(table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
