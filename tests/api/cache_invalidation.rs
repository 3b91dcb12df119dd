//! One invalidation path: a write made below HTTP (as the CLI, the demo seeder or a job would
//! make it) reaches the plan cache's memo of keys as a write through the API does, so the next
//! read serves a plan of the new data even while keys are trusted for a long window.
use std::time::Duration;

use chrono::Utc;
use sous::{config::CacheSettings, ingest::NewCount};

use crate::{
    cache::{day, kitchen_with_recent_history, prep_path, read_ok},
    helpers::TestDatabase,
};

#[tokio::test]
async fn a_write_made_without_http_changes_the_next_plan_read() {
    let database = TestDatabase::create().await;
    // Keys trusted for a minute: without the invalidation, the next read would be a hit.
    let remembering = CacheSettings { freshness: Duration::from_secs(60), ..CacheSettings::default() };
    let replica = database.serve(None, remembering).await;
    let app = &replica.app;
    let k = kitchen_with_recent_history(app).await;
    let path = prep_path(k.location_id, day(2));
    let first = read_ok(app, &path).await;
    assert_eq!(read_ok(app, &path).await.lookup, "hit", "remembered and cached");

    // A stock count written straight through the ingest service, on the server's database.
    let location = sous::catalog::get_location(app.db(), k.location_id).await.expect("the location");
    let count = NewCount { prep_item_id: k.patties, quantity: 500.0, counted_at: Utc::now().fixed_offset() };
    sous::ingest::record_counts(app.db(), &location, vec![count]).await.expect("record the count");

    let after = read_ok(app, &path).await;
    assert_eq!(after.lookup, "miss", "the new count makes a new key: {}", after.body);
    assert_ne!(after.etag, first.etag);
    let plan: serde_json::Value = serde_json::from_str(&after.body).expect("a plan");
    let patties = plan["stations"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["items"].as_array().into_iter().flatten())
        .find(|line| line["prep_item_id"] == k.patties)
        .expect("the patties line");
    assert_eq!(patties["on_hand"], 500.0, "{patties}");
    assert_eq!(patties["suggested"], 0.0, "{patties}");
}
