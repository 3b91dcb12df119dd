//! A plan's life (issue 14): why each stored plan was made (`trigger`: the first of its day, a
//! material change of its data, or a manager's request), and a fingerprint of the rules it was
//! made under (the catalog's rows it uses and the day's opening hours), so that a change of them
//! is seen; and each location's own thresholds for regenerating on its own.
use sea_orm_migration::{prelude::*, schema::*};

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
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
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
