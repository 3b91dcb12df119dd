//! The baseline plans: the statistical forecast turned into a prep list and a staffing plan.
//! They ground the model's answer, replace it when it fails, and are the answer when no model
//! is configured.
use std::collections::HashMap;

use chrono::{Duration, NaiveDate, Utc};
use entity::{on_hand_count, prep_item, staff_role};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::{
    headcounts,
    inputs::{load_forecast, load_forecasts},
    prep_quantities,
    types::{ForecastSummary, PrepList, Provenance, StaffingPlan},
};
use crate::{
    catalog::{self, Location},
    domain::{DayHours, PlanSource},
    error::ApiError,
    forecast::{Forecast, Params},
};

/// A baseline plan and what it was built from (the prompt and the grounding need both):
/// the prep items for a prep list, the roles for a staffing plan.
pub struct Baseline<P, C> {
    pub plan: P,
    pub hours: DayHours,
    pub forecast: Forecast,
    pub catalog: Vec<C>,
}

pub fn open_hours(location: &Location, date: NaiveDate) -> Result<DayHours, ApiError> {
    location.hours_on(date)
}

#[tracing::instrument(skip(db, location), fields(location_id = location.id, %date))]
pub async fn prep_baseline(
    db: &DatabaseConnection,
    location: &Location,
    date: NaiveDate,
) -> Result<Baseline<PrepList, prep_item::Model>, ApiError> {
    let params = Params::default();
    let hours = open_hours(location, date)?;
    let stations = catalog::list_stations(db, location.id).await?;
    let items = catalog::list_prep_items(db, location.id).await?;
    let recipes = catalog::list_recipe_lines(db, location.id).await?;
    let on_hand = latest_counts(db, location.id).await?;

    let longest = items.iter().map(|p| prep_quantities::window_days(p.shelf_life_hours)).max().unwrap_or(1);
    let days: Vec<NaiveDate> = (0..longest)
        .map(|offset| date + Duration::days(offset))
        .filter(|day| *day == date || open_hours(location, *day).is_ok())
        .collect();
    let mut forecasts: Vec<Forecast> = Vec::new();
    for (day, forecast) in days.iter().zip(load_forecasts(db, location, &days, &params).await?) {
        match forecast {
            Ok(forecast) => forecasts.push(forecast),
            // The service day itself must be forecastable; later days only add to shelf-life demand.
            Err(err) if *day == date => return Err(err),
            Err(_) => {}
        }
    }
    let plan = prep_quantities::build(prep_quantities::Catalog {
        location,
        date,
        opens: hours.opens,
        stations: &stations,
        items: &items,
        recipes: &recipes,
        on_hand: &on_hand,
        forecasts: &forecasts,
    });
    let forecast = forecasts.swap_remove(0);
    Ok(Baseline {
        plan: PrepList {
            location_id: location.id,
            date,
            source: PlanSource::Baseline,
            generated_at: Utc::now(),
            provenance: Provenance::default(),
            since_published: None,
            dropped_overrides: Vec::new(),
            forecast: ForecastSummary::from_forecast(&forecast, &params),
            stations: plan,
        },
        hours,
        forecast,
        catalog: items,
    })
}

#[tracing::instrument(skip(db, location), fields(location_id = location.id, %date))]
pub async fn staffing_baseline(
    db: &DatabaseConnection,
    location: &Location,
    date: NaiveDate,
) -> Result<Baseline<StaffingPlan, staff_role::Model>, ApiError> {
    let params = Params::default();
    let hours = open_hours(location, date)?;
    let roles: Vec<staff_role::Model> = catalog::list_roles(db, location.id).await?;
    let forecast = load_forecast(db, location, date, &params).await?;
    let blocks = headcounts::build(&hours, &roles, &forecast);
    let plan = StaffingPlan {
        location_id: location.id,
        date,
        source: PlanSource::Baseline,
        generated_at: Utc::now(),
        provenance: Provenance::default(),
        since_published: None,
        dropped_overrides: Vec::new(),
        forecast: ForecastSummary::from_forecast(&forecast, &params),
        roles: headcounts::role_totals(&blocks, &roles),
        blocks,
    };
    Ok(Baseline { plan, hours, forecast, catalog: roles })
}

/// The latest count of each prep item of the location.
async fn latest_counts(
    db: &DatabaseConnection,
    location_id: i64,
) -> Result<HashMap<i64, on_hand_count::Model>, ApiError> {
    // Ascending by time: later counts overwrite earlier ones. Counts older than a month say
    // nothing about tonight's stock.
    let counts = on_hand_count::Entity::find()
        .filter(on_hand_count::Column::LocationId.eq(location_id))
        .filter(on_hand_count::Column::CountedAt.gte(Utc::now() - Duration::days(30)))
        .order_by_asc(on_hand_count::Column::CountedAt)
        .order_by_asc(on_hand_count::Column::Id)
        .all(db)
        .await?;
    Ok(counts.into_iter().map(|c| (c.prep_item_id, c)).collect())
}
