//! The embedded demo: one restaurant with a year of synthetic, deterministic history, seeded
//! through the same catalog and ingest code as the API, so the demo exercises the real paths.
mod calendar;
mod history;
mod kitchen;
mod menu;
mod people;
mod rng;

use std::collections::HashMap;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use chrono_tz::Tz;
use entity::{location, tenant};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use crate::{
    catalog::{self, NewLocation, NewMenuItem, NewPrepItem, NewRecipeLine, NewRole},
    domain::{DayOfWeek, LaborDriver, OpeningHours, Unit},
    error::ApiError,
    ingest,
};

pub const DEMO_TENANT: &str = "Sous Demo Group";
pub const DEMO_LOCATION: &str = "Sous Demo Bistro";
const DEMO_TIMEZONE: Tz = chrono_tz::America::New_York;
const SEED: u64 = 0x5005_DE30;
/// Days ahead that already have bookings.
const BOOKING_HORIZON_DAYS: i64 = 60;
/// Orders or reservations sent to ingest at once.
const BATCH: usize = 1000;

/// The demo location's id, if the demo was seeded.
pub async fn location_id(db: &DatabaseConnection) -> Result<Option<i64>, ApiError> {
    Ok(location::Entity::find().filter(location::Column::Name.eq(DEMO_LOCATION)).one(db).await?.map(|l| l.id))
}

/// Seeds the demo when the database has no tenant yet; `days` of history end at `now`.
/// Returns a one-line report of what was created.
pub async fn seed_if_empty(db: &DatabaseConnection, days: u32, now: DateTime<Utc>) -> Result<Option<String>, ApiError> {
    seed_with_progress(db, days, now, |_, _| {}).await
}

/// [`seed_if_empty`], telling `progress(rows stored, rows in all)` after each batch of orders
/// or reservations (the bulk of the time).
pub async fn seed_with_progress(
    db: &DatabaseConnection,
    days: u32,
    now: DateTime<Utc>,
    mut progress: impl FnMut(usize, usize),
) -> Result<Option<String>, ApiError> {
    if tenant::Entity::find().count(db).await? > 0 {
        return Ok(None);
    }
    let tenant = catalog::create_tenant(db, DEMO_TENANT).await?;
    let day = |d, o, c| (d, o, c);
    let hours = OpeningHours::parse(&[
        day(DayOfWeek::Mon, "11:30", "21:30"),
        day(DayOfWeek::Tue, "11:30", "22:00"),
        day(DayOfWeek::Wed, "11:30", "22:00"),
        day(DayOfWeek::Thu, "11:30", "22:00"),
        day(DayOfWeek::Fri, "11:30", "23:00"),
        day(DayOfWeek::Sat, "11:30", "23:00"),
        day(DayOfWeek::Sun, "11:00", "21:00"),
    ])
    .map_err(|e| ApiError::Internal(format!("demo opening hours: {e:?}")))?;
    let location = catalog::create_location(
        db,
        NewLocation { tenant_id: tenant.id, name: DEMO_LOCATION.to_owned(), timezone: DEMO_TIMEZONE, seats: 90, hours },
    )
    .await?;

    let mut stations = HashMap::new();
    for name in menu::STATIONS {
        stations.insert(*name, catalog::create_station(db, location.id, name).await?.id);
    }
    let mut prep_ids = HashMap::new();
    for (name, unit, batch, min_batch, max_batch, shelf, prep, par, station) in menu::PREP_ITEMS {
        let new = NewPrepItem {
            station_id: stations[station],
            name: (*name).to_owned(),
            unit: Unit::parse(unit).unwrap_or(Unit::Each),
            batch_size: *batch,
            min_batch: *min_batch,
            max_batch: *max_batch,
            shelf_life_hours: *shelf,
            prep_minutes: *prep,
            par: *par,
        };
        prep_ids.insert(*name, catalog::create_prep_item(db, location.id, new).await?.id);
    }
    let mut dishes = Vec::new();
    for (name, category, price, popularity, recipe) in menu::MENU {
        let new = NewMenuItem {
            name: (*name).to_owned(),
            category: (*category).to_owned(),
            price_cents: *price,
            active: true,
        };
        let item = catalog::create_menu_item(db, location.id, new).await?;
        for (prep, quantity) in *recipe {
            let line = NewRecipeLine { menu_item_id: item.id, prep_item_id: prep_ids[prep], quantity: *quantity };
            catalog::create_recipe_line(db, location.id, line).await?;
        }
        dishes.push(history::Dish { id: item.id, name, category, popularity: *popularity });
    }
    for (name, driver, ratio, min_staff, max_staff) in menu::ROLES {
        let driver = LaborDriver::parse(driver).unwrap_or(LaborDriver::Covers);
        let new =
            NewRole { name: (*name).to_owned(), driver, ratio: *ratio, min_staff: *min_staff, max_staff: *max_staff };
        catalog::create_role(db, location.id, new).await?;
    }

    let mut rng = rng::Rng::new(SEED);
    let now_local: DateTime<FixedOffset> = now.with_timezone(&DEMO_TIMEZONE).fixed_offset();
    let today = now_local.date_naive();
    let (mut orders, mut reservations) = (Vec::new(), Vec::new());
    let mut generator = history::Generator::new(DEMO_TIMEZONE, now_local, &dishes);
    let mut date = today - Duration::days(i64::from(days));
    while date <= today + Duration::days(BOOKING_HORIZON_DAYS) {
        let (o, r) = generator.day(date, &mut rng);
        orders.extend(o);
        reservations.extend(r);
        date += Duration::days(1);
    }
    // The kitchen's weeks are served below; the orders before them go in first.
    let kitchen_from = today - Duration::days(kitchen::KITCHEN_DAYS.min(i64::from(days)));
    let local_day = |o: &ingest::NewOrder| o.ordered_at.with_timezone(&DEMO_TIMEZONE).date_naive();
    let (later, earlier): (Vec<_>, Vec<_>) = orders.into_iter().partition(|o| local_day(o) >= kitchen_from);
    let reservation_count = reservations.len();
    let (total, mut stored) = (earlier.len() + later.len() + reservation_count, 0);
    progress(stored, total);
    for batch in earlier.chunks(BATCH) {
        ingest::ingest_orders(db, &location, batch.to_vec()).await?;
        stored += batch.len();
        progress(stored, total);
    }
    for batch in reservations.chunks(BATCH) {
        ingest::ingest_reservations(db, &location, batch.to_vec()).await?;
        stored += batch.len();
        progress(stored, total);
    }
    let mut kitchen_rng = rng::Rng::new(SEED ^ 0x6B17_C4E7);
    let worked = kitchen::work(db, &location, (kitchen_from, today), later, &mut kitchen_rng).await?;
    let total = stored + worked.orders.len();
    for batch in worked.orders.chunks(BATCH) {
        ingest::ingest_orders(db, &location, batch.to_vec()).await?;
        stored += batch.len();
        progress(stored, total);
    }
    let order_count = earlier.len() + worked.orders.len();
    let k = &worked.summary;

    Ok(Some(format!(
        "location {} with {} menu items, {} prep items, {} roles, {order_count} orders and {reservation_count} \
         reservations over {days} days; actuals for the last {} service days ({} sold-outs, {} manager overrides)",
        location.id,
        menu::MENU.len(),
        menu::PREP_ITEMS.len(),
        menu::ROLES.len(),
        k.days,
        k.sold_outs,
        k.overrides
    )))
}
