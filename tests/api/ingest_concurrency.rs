//! Concurrent writers: many point-of-sale clients posting small batches at once. On SQLite a
//! write transaction takes the write lock up front and waits for it (never "database is locked"
//! as a 500); every acknowledged row is stored; nothing answers 5xx.
use std::sync::Arc;

use entity::{order as order_row, reservation as booking_row};
use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;
use tokio::task::JoinSet;

use crate::helpers::{TestApp, order, reservation};

const WRITERS: usize = 16;
const BATCHES_PER_WRITER: usize = 12;

#[tokio::test]
async fn sixteen_concurrent_writers_get_no_5xx_and_lose_no_acknowledged_row() {
    let app = Arc::new(TestApp::spawn().await);
    let k = app.standard_kitchen().await;
    let mut writers = JoinSet::new();
    for writer in 0..WRITERS {
        let app = app.clone();
        writers.spawn(async move {
            let (mut orders, mut bookings) = (0u64, 0u64);
            for batch in 0..BATCHES_PER_WRITER {
                let id = format!("w{writer}-b{batch}");
                // Half the writers post orders, half bookings, all at once.
                let response = if writer % 2 == 0 {
                    let sale = order(&id, "2026-03-10T12:30:00+01:00", 2, &[(k.burger, 1)]);
                    app.post_orders(k.location_id, json!([sale])).await
                } else {
                    let booked = reservation(&id, "2026-03-20T19:30:00+01:00", 2, "booked");
                    app.post_reservations(k.location_id, json!([booked])).await
                };
                let status = response.status();
                let body = response.text().await.unwrap_or_default();
                assert!(!status.is_server_error(), "{id}: {status} {body}");
                if status == StatusCode::OK {
                    if writer % 2 == 0 { orders += 1 } else { bookings += 1 }
                } else {
                    panic!("{id}: {status} {body}");
                }
            }
            (orders, bookings)
        });
    }
    let (mut acknowledged_orders, mut acknowledged_bookings) = (0, 0);
    while let Some(done) = writers.join_next().await {
        let (orders, bookings) = done.expect("a writer");
        acknowledged_orders += orders;
        acknowledged_bookings += bookings;
    }

    assert_eq!(acknowledged_orders + acknowledged_bookings, (WRITERS * BATCHES_PER_WRITER) as u64);
    assert_eq!(order_row::Entity::find().count(app.db()).await.expect("count"), acknowledged_orders);
    assert_eq!(booking_row::Entity::find().count(app.db()).await.expect("count"), acknowledged_bookings);
}
