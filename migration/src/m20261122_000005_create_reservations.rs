//! Reservations, and apart from them the guests' personal data.
use sea_orm_migration::{prelude::*, schema::*};

use crate::schema_util::{create_with_indexes, drop, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let reservations = Table::create()
            .table("reservations")
            .if_not_exists()
            .col(big_pk_auto("id"))
            .col(big_integer("location_id"))
            .col(string_len("external_id", 64))
            .col(timestamp_with_time_zone("reserved_for"))
            .col(date("service_date"))
            .col(integer("hour"))
            .col(integer("party_size"))
            .col(string_len("status", 16))
            .col(string_len("channel", 32))
            .col(timestamp_with_time_zone("booked_at"))
            .col(timestamp_with_time_zone("updated_at"))
            .foreign_key(&mut fk("reservations", "location_id", "locations"))
            .to_owned();
        create_with_indexes(
            manager,
            reservations,
            vec![
                index("reservations", &["location_id", "external_id"], true),
                index("reservations", &["location_id", "service_date"], false),
            ],
        )
        .await?;

        let guests = Table::create()
            .table("reservation_guests")
            .if_not_exists()
            .col(big_integer("reservation_id").primary_key())
            .col(string_len_null("guest_name", 200))
            .col(string_len_null("phone", 64))
            .col(string_len_null("email", 254))
            .col(text_null("notes"))
            .foreign_key(
                ForeignKey::create()
                    .name("fk_reservation_guests_reservation_id")
                    .from("reservation_guests", "reservation_id")
                    .to("reservations", "id")
                    .on_delete(ForeignKeyAction::Cascade),
            )
            .to_owned();
        manager.create_table(guests).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "reservation_guests").await?;
        drop(manager, "reservations").await
    }
}
