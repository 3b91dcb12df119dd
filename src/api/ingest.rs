//! Batch ingest of orders and reservations (idempotent on external ids) and stock counts.
use chrono::{DateTime, FixedOffset, Utc};
use poem_openapi::{
    Object, OpenApi,
    param::{Header, Path},
    payload::Json,
};
use serde::Serialize;

use super::{
    ApiTags, AppState,
    auth::Bearer,
    fields::{Email, IdempotencyKey, Name, PosId, Text},
};
use crate::{
    domain::{Action, ExternalId, OrderChannel, ReservationStatus, time_window},
    error::{ErrorResponse, FieldError},
    ingest::{self, GuestDetails, IngestSummary, NewCount, NewOrder, NewOrderLine, NewReservation},
    validation::collect_errors,
};

pub struct IngestApi(pub AppState);

#[derive(Debug, Object, Serialize)]
struct OrderLineBody {
    menu_item_id: i64,
    #[oai(validator(minimum(value = "1"), maximum(value = "1000")))]
    quantity: i32,
}

#[derive(Debug, Object, Serialize)]
struct OrderBody {
    /// The point of sale's id for the order; re-sending it is a no-op.
    external_id: PosId,
    /// When the order was placed (RFC 3339 with offset).
    ordered_at: DateTime<FixedOffset>,
    /// Guests served (0 for takeout and delivery).
    #[oai(validator(minimum(value = "0"), maximum(value = "500")))]
    covers: i32,
    channel: OrderChannel,
    #[oai(validator(min_items = 1, max_items = 200))]
    lines: Vec<OrderLineBody>,
}

#[derive(Debug, Object, Serialize)]
struct OrdersBatch {
    #[oai(validator(min_items = 1, max_items = 1000))]
    orders: Vec<OrderBody>,
}

#[derive(Object, Serialize)]
struct GuestBody {
    name: Option<Text<200>>,
    phone: Option<Text<64>>,
    email: Option<Email>,
    /// Free text from the guest or the host. Personal data: never sent anywhere as is.
    notes: Option<Text<2000>>,
}

#[derive(Debug, Object, Serialize)]
struct ReservationBody {
    /// The booking system's id; re-sending it updates the booking.
    external_id: PosId,
    /// When the party is expected (RFC 3339 with offset).
    reserved_for: DateTime<FixedOffset>,
    #[oai(validator(minimum(value = "1"), maximum(value = "500")))]
    party_size: i32,
    status: ReservationStatus,
    /// Where the booking came from, e.g. `phone`, `web`, `app`.
    channel: Name<32>,
    booked_at: DateTime<FixedOffset>,
    guest: Option<GuestBody>,
}

impl std::fmt::Debug for GuestBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GuestBody(<redacted>)")
    }
}

#[derive(Debug, Object, Serialize)]
struct ReservationsBatch {
    #[oai(validator(min_items = 1, max_items = 1000))]
    reservations: Vec<ReservationBody>,
}

#[derive(Debug, Object, Serialize)]
struct CountBody {
    prep_item_id: i64,
    /// Quantity on hand, in the prep item's unit.
    #[oai(validator(minimum(value = "0"), maximum(value = "1000000")))]
    quantity: f64,
    /// When it was counted; now if absent.
    counted_at: Option<DateTime<FixedOffset>>,
}

#[derive(Debug, Object, Serialize)]
struct CountsBatch {
    #[oai(validator(min_items = 1, max_items = 1000))]
    counts: Vec<CountBody>,
}

/// What a batch did.
#[derive(Debug, Object)]
struct BatchResult {
    /// New records stored.
    created: u64,
    /// Known records whose content changed (reservations only).
    updated: u64,
    /// Known records re-sent as they were: nothing written.
    unchanged: u64,
}

impl From<IngestSummary> for BatchResult {
    fn from(s: IngestSummary) -> Self {
        Self { created: s.created, updated: s.updated, unchanged: s.unchanged }
    }
}

fn external_id(collection: &str, i: usize, text: &str) -> Result<ExternalId, Vec<FieldError>> {
    ExternalId::parse(text).map_err(|e| vec![FieldError::new(format!("{collection}[{i}].external_id"), e)])
}

/// `at` must lie in `window` around `now`; the error names the field and states the rule.
fn within(
    window: time_window::TimeWindow,
    field: &str,
    at: DateTime<FixedOffset>,
    now: DateTime<Utc>,
) -> Result<(), Vec<FieldError>> {
    window.check(at, now).map_err(|rule| vec![FieldError::new(field, rule)])
}

fn trimmed(text: Option<impl Into<String>>) -> Option<String> {
    text.map(|t| t.into().trim().to_owned()).filter(|t| !t.is_empty())
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Ingest")]
impl IngestApi {
    /// Ingest a batch of orders (up to 1000). With an `Idempotency-Key`, a retry of the same
    /// request gets the first answer back. Orders already stored identically are skipped;
    /// an external id stored with other content rejects the whole batch with 409.
    #[oai(path = "/locations/:id/orders/batch", method = "post")]
    async fn orders(
        &self,
        auth: Bearer,
        id: Path<i64>,
        #[oai(name = "Idempotency-Key")] _idempotency_key: Header<Option<IdempotencyKey>>,
        body: Json<OrdersBatch>,
    ) -> Result<Json<BatchResult>, ErrorResponse> {
        let location = self.0.location(&auth.0, Action::Ingest, id.0).await?;
        let now = Utc::now();
        let orders = collect_errors(body.0.orders.into_iter().enumerate().map(|(i, o)| {
            within(time_window::HISTORY, &format!("orders[{i}].ordered_at"), o.ordered_at, now)?;
            Ok(NewOrder {
                external_id: external_id("orders", i, &o.external_id)?,
                ordered_at: o.ordered_at,
                covers: o.covers,
                channel: o.channel,
                lines: o
                    .lines
                    .into_iter()
                    .map(|l| NewOrderLine { menu_item_id: l.menu_item_id, quantity: l.quantity })
                    .collect(),
            })
        }))?;
        let summary = ingest::ingest_orders(&self.0.db, &location, orders).await?;
        Ok(Json(summary.into()))
    }

    /// Ingest or update a batch of reservations (up to 1000), keyed by external id. Guest
    /// details are stored apart and never used for forecasting.
    #[oai(path = "/locations/:id/reservations/batch", method = "post")]
    async fn reservations(
        &self,
        auth: Bearer,
        id: Path<i64>,
        #[oai(name = "Idempotency-Key")] _idempotency_key: Header<Option<IdempotencyKey>>,
        body: Json<ReservationsBatch>,
    ) -> Result<Json<BatchResult>, ErrorResponse> {
        let location = self.0.location(&auth.0, Action::Ingest, id.0).await?;
        let now = Utc::now();
        let reservations = collect_errors(body.0.reservations.into_iter().enumerate().map(|(i, r)| {
            within(time_window::BOOKING, &format!("reservations[{i}].reserved_for"), r.reserved_for, now)?;
            within(time_window::HISTORY, &format!("reservations[{i}].booked_at"), r.booked_at, now)?;
            Ok(NewReservation {
                external_id: external_id("reservations", i, &r.external_id)?,
                reserved_for: r.reserved_for,
                party_size: r.party_size,
                status: r.status,
                channel: r.channel.trim().to_owned(),
                booked_at: r.booked_at,
                guest: r.guest.map(|g| GuestDetails {
                    name: trimmed(g.name),
                    phone: trimmed(g.phone),
                    email: trimmed(g.email),
                    notes: trimmed(g.notes),
                }),
            })
        }))?;
        let summary = ingest::ingest_reservations(&self.0.db, &location, reservations).await?;
        Ok(Json(summary.into()))
    }

    /// Record stock counts of prep items (up to 1000).
    #[oai(path = "/locations/:id/on-hand", method = "post")]
    async fn on_hand(
        &self,
        auth: Bearer,
        id: Path<i64>,
        #[oai(name = "Idempotency-Key")] _idempotency_key: Header<Option<IdempotencyKey>>,
        body: Json<CountsBatch>,
    ) -> Result<Json<BatchResult>, ErrorResponse> {
        let location = self.0.location(&auth.0, Action::Ingest, id.0).await?;
        let now = Utc::now();
        let counts = collect_errors(body.0.counts.into_iter().enumerate().map(|(i, c)| {
            let counted_at = c.counted_at.unwrap_or(now.fixed_offset());
            within(time_window::COUNT, &format!("counts[{i}].counted_at"), counted_at, now)?;
            Ok(NewCount { prep_item_id: c.prep_item_id, quantity: c.quantity, counted_at })
        }))?;
        let created = ingest::record_counts(&self.0.db, &location, counts).await?;
        Ok(Json(BatchResult { created, updated: 0, unchanged: 0 }))
    }
}
