//! Batch upsert of reservations. Bookings change (confirmed, seated, cancelled), so a known
//! external id updates the stored booking instead of conflicting.
use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, Timelike, Utc};
use entity::{reservation, reservation_guest};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, Set,
    sea_query::OnConflict,
};

use super::{INSERT_CHUNK, IngestSummary, instant, reject_repeated_ids};
use crate::{
    catalog::{Location, on_unique},
    db::versions,
    domain::{ExternalId, ReservationStatus},
    error::{ApiError, FieldError},
};

/// Personal data of the guest. Stored apart and never read by forecasting.
#[derive(Clone, Default, PartialEq)]
pub struct GuestDetails {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub notes: Option<String>,
}

impl std::fmt::Debug for GuestDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GuestDetails(<redacted>)")
    }
}

#[derive(Debug, Clone)]
pub struct NewReservation {
    pub external_id: ExternalId,
    pub reserved_for: DateTime<FixedOffset>,
    pub party_size: i32,
    pub status: ReservationStatus,
    pub channel: String,
    pub booked_at: DateTime<FixedOffset>,
    pub guest: Option<GuestDetails>,
}

impl NewReservation {
    fn differs_from(&self, old: &reservation::Model) -> bool {
        old.reserved_for != instant(self.reserved_for)
            || old.party_size != self.party_size
            || old.status != self.status.as_str()
            || old.channel != self.channel
            || old.booked_at != instant(self.booked_at)
    }

    fn guest_row(&self, reservation_id: i64) -> Option<reservation_guest::ActiveModel> {
        self.guest.as_ref().map(|g| reservation_guest::ActiveModel {
            reservation_id: Set(reservation_id),
            guest_name: Set(g.name.clone()),
            phone: Set(g.phone.clone()),
            email: Set(g.email.clone()),
            notes: Set(g.notes.clone()),
        })
    }
}

fn same_guest(new: &GuestDetails, old: Option<&reservation_guest::Model>) -> bool {
    old.is_some_and(|o| {
        o.guest_name == new.name && o.phone == new.phone && o.email == new.email && o.notes == new.notes
    })
}

#[tracing::instrument(skip_all, fields(location_id = location.id, batch = reservations.len()))]
pub async fn ingest_reservations(
    db: &DatabaseConnection,
    location: &Location,
    reservations: Vec<NewReservation>,
) -> Result<IngestSummary, ApiError> {
    reject_repeated_ids("reservations", reservations.iter().map(|r| &r.external_id))?;
    let errors: Vec<FieldError> = reservations
        .iter()
        .enumerate()
        .filter(|(_, r)| r.booked_at > r.reserved_for)
        .map(|(i, _)| FieldError::new(format!("reservations[{i}].booked_at"), "must not be after reserved_for"))
        .collect();
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }

    let txn = crate::db::begin_write(db).await?;
    let ids: Vec<String> = reservations.iter().map(|r| r.external_id.as_str().to_owned()).collect();
    let existing: HashMap<String, reservation::Model> = reservation::Entity::find()
        .filter(reservation::Column::LocationId.eq(location.id))
        .filter(reservation::Column::ExternalId.is_in(ids))
        .all(&txn)
        .await?
        .into_iter()
        .map(|r| (r.external_id.clone(), r))
        .collect();
    let guests: HashMap<i64, reservation_guest::Model> = reservation_guest::Entity::find()
        .filter(reservation_guest::Column::ReservationId.is_in(existing.values().map(|r| r.id)))
        .all(&txn)
        .await?
        .into_iter()
        .map(|g| (g.reservation_id, g))
        .collect();

    let now = Utc::now();
    let mut summary = IngestSummary::default();
    let mut guest_rows = Vec::new();
    let mut fresh = Vec::new();
    // Service days whose bookings changed: their plans' keys must change.
    let mut touched = std::collections::BTreeSet::new();
    for new in &reservations {
        let Some(old) = existing.get(new.external_id.as_str()) else {
            fresh.push(new);
            continue;
        };
        let booking_changed = new.differs_from(old);
        let guest_changed = new.guest.as_ref().is_some_and(|g| !same_guest(g, guests.get(&old.id)));
        if booking_changed || guest_changed {
            touched.insert(old.service_date);
            touched.insert(new.reserved_for.with_timezone(&location.timezone).date_naive());
        }
        if booking_changed {
            let mut row = old.clone().into_active_model();
            row.reserved_for = Set(instant(new.reserved_for));
            let local = new.reserved_for.with_timezone(&location.timezone);
            row.service_date = Set(local.date_naive());
            row.hour = Set(local.hour() as i32);
            row.party_size = Set(new.party_size);
            row.status = Set(new.status.as_str().to_owned());
            row.channel = Set(new.channel.clone());
            row.booked_at = Set(instant(new.booked_at));
            row.updated_at = Set(now);
            row.update(&txn).await?;
        }
        if guest_changed {
            guest_rows.extend(new.guest_row(old.id));
        }
        if booking_changed || guest_changed {
            summary.updated += 1;
        } else {
            summary.unchanged += 1;
        }
    }

    for chunk in fresh.chunks(INSERT_CHUNK) {
        touched.extend(chunk.iter().map(|r| r.reserved_for.with_timezone(&location.timezone).date_naive()));
        let rows = chunk.iter().map(|r| {
            let local = r.reserved_for.with_timezone(&location.timezone);
            reservation::ActiveModel {
                location_id: Set(location.id),
                external_id: Set(r.external_id.as_str().to_owned()),
                reserved_for: Set(instant(r.reserved_for)),
                service_date: Set(local.date_naive()),
                hour: Set(local.hour() as i32),
                party_size: Set(r.party_size),
                status: Set(r.status.as_str().to_owned()),
                channel: Set(r.channel.clone()),
                booked_at: Set(instant(r.booked_at)),
                updated_at: Set(now),
                ..Default::default()
            }
        });
        let inserted = reservation::Entity::insert_many(rows).exec_with_returning(&txn).await.map_err(|e| {
            on_unique(
                e,
                "reservations",
                "a reservation of this batch was ingested at the same time; send the batch again",
            )
        })?;
        let id_of: HashMap<&str, i64> = inserted.iter().map(|r| (r.external_id.as_str(), r.id)).collect();
        guest_rows.extend(chunk.iter().filter_map(|r| r.guest_row(id_of[r.external_id.as_str()])));
        summary.created += chunk.len() as u64;
    }

    for chunk in guest_rows.chunks(INSERT_CHUNK) {
        let upsert = OnConflict::column(reservation_guest::Column::ReservationId)
            .update_columns([
                reservation_guest::Column::GuestName,
                reservation_guest::Column::Phone,
                reservation_guest::Column::Email,
                reservation_guest::Column::Notes,
            ])
            .to_owned();
        reservation_guest::Entity::insert_many(chunk.to_vec()).on_conflict(upsert).exec_without_returning(&txn).await?;
    }
    let today = now.with_timezone(&location.timezone).date_naive();
    let mut scopes: Vec<String> = touched.iter().map(|d| versions::bookings(*d)).collect();
    if touched.first().is_some_and(|d| *d < today) {
        // Past bookings feed the no-show rate every forecast uses.
        scopes.push(versions::HISTORY.to_owned());
    }
    versions::commit(db, txn, location.id, &scopes).await?;
    tracing::debug!(
        created = summary.created,
        updated = summary.updated,
        unchanged = summary.unchanged,
        "reservations ingested"
    );
    Ok(summary)
}
