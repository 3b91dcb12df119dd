//! Ingest: sales, bookings and stock counts, each batch in one transaction and idempotent
//! on the client's external ids, so a retried batch never duplicates anything.
mod on_hand;
mod orders;
mod reservations;

pub use on_hand::{NewCount, record_counts};
pub use orders::{NewOrder, NewOrderLine, ingest_orders};
pub use reservations::{GuestDetails, NewReservation, ingest_reservations};

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, SubsecRound, Utc};

use crate::{
    domain::ExternalId,
    error::{ApiError, FieldError},
};

/// What a batch did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct IngestSummary {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// Rows a single INSERT carries: far below SQLite's and PostgreSQL's bound-parameter limits.
pub(crate) const INSERT_CHUNK: usize = 500;

/// A batch may not name the same external id twice.
pub(crate) fn reject_repeated_ids<'a>(
    collection: &str,
    ids: impl Iterator<Item = &'a ExternalId>,
) -> Result<(), ApiError> {
    let mut seen: HashMap<&ExternalId, usize> = HashMap::new();
    let mut errors = Vec::new();
    for (i, id) in ids.enumerate() {
        if let Some(first) = seen.insert(id, i) {
            errors.push(FieldError::new(
                format!("{collection}[{i}].external_id"),
                format!("repeats the external id of {collection}[{first}]"),
            ));
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(ApiError::Validation(errors)) }
}

/// A client timestamp as stored: UTC, to the microsecond (PostgreSQL's precision), so a
/// re-sent batch compares equal to what was stored.
pub(crate) fn instant(at: DateTime<FixedOffset>) -> DateTime<Utc> {
    at.with_timezone(&Utc).trunc_subsecs(6)
}
