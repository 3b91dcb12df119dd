//! The one query that reads guests' personal data: the notes and names of one service day's
//! bookings, for the plan service to redact at once (names are what the redactor must find).
//! Forecasting never calls it.
use chrono::NaiveDate;
use entity::{reservation, reservation_guest};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::error::ApiError;

/// A booking's free text and the guest's name. Not `Debug`: it must never reach a log.
pub struct GuestNote {
    pub hour: i32,
    pub party_size: i32,
    pub guest_name: Option<String>,
    pub notes: Option<String>,
}

/// Notes of the bookings still expected on `date` (booked, confirmed, seated, completed).
pub async fn guest_notes(
    db: &impl ConnectionTrait,
    location_id: i64,
    date: NaiveDate,
) -> Result<Vec<GuestNote>, ApiError> {
    let bookings = reservation::Entity::find()
        .filter(reservation::Column::LocationId.eq(location_id))
        .filter(reservation::Column::ServiceDate.eq(date))
        .filter(reservation::Column::Status.is_in(["booked", "confirmed", "seated", "completed"]))
        .order_by_asc(reservation::Column::ReservedFor)
        .find_also_related(reservation_guest::Entity)
        .all(db)
        .await?;
    Ok(bookings
        .into_iter()
        .filter_map(|(r, guest)| {
            let guest = guest?;
            Some(GuestNote { hour: r.hour, party_size: r.party_size, guest_name: guest.guest_name, notes: guest.notes })
        })
        .collect())
}
