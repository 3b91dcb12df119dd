//! The baseline of a past service day as it would have been made at the day's cutoff (midnight
//! before it), replayed from the data: the forecast the backtest measures, and the prep list and
//! staffing plan the baseline makes from it. Accuracy scores it against what happened; the demo
//! kitchen works from it. Pure: the caller loads the window, the catalog and the stock once for a
//! whole range of days.
//!
//! A prep list covers each item's shelf life: the later days of that span are forecast as of the
//! first day's cutoff too, from the window as it stood then ([`Window::before`]), as a plan made
//! the night before forecast them.
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entity::{on_hand_count, prep_item, recipe_line, staff_role, station};
use sea_orm::ConnectionTrait;

use super::{
    headcounts, prep_quantities,
    types::{StaffingBlock, StationPrep},
};
use crate::{
    catalog::{self, Location},
    error::ApiError,
    forecast::{self, AsOf, Forecast, Params, Window, cutoff},
};

/// The rows of a location's catalog a baseline reads.
#[derive(Debug, Clone, Default)]
pub struct CatalogRows {
    pub stations: Vec<station::Model>,
    pub items: Vec<prep_item::Model>,
    pub recipes: Vec<recipe_line::Model>,
    pub roles: Vec<staff_role::Model>,
}

impl CatalogRows {
    pub async fn load(db: &impl ConnectionTrait, location_id: i64) -> Result<Self, ApiError> {
        Ok(Self {
            stations: catalog::list_stations(db, location_id).await?,
            items: catalog::list_prep_items(db, location_id).await?,
            recipes: catalog::list_recipe_lines(db, location_id).await?,
            roles: catalog::list_roles(db, location_id).await?,
        })
    }
}

/// A past day's baseline.
#[derive(Debug, Clone)]
pub struct Replayed {
    pub forecast: Forecast,
    pub prep: Vec<StationPrep>,
    pub staffing: Vec<StaffingBlock>,
}

/// Baselines of past days, each day's own forecast made once.
pub struct Replay<'a> {
    location: &'a Location,
    window: &'a Window,
    catalog: &'a CatalogRows,
    params: Params,
    forecasts: BTreeMap<NaiveDate, Option<Forecast>>,
}

impl<'a> Replay<'a> {
    pub fn new(location: &'a Location, window: &'a Window, catalog: &'a CatalogRows) -> Self {
        Self { location, window, catalog, params: Params::default(), forecasts: BTreeMap::new() }
    }

    /// The forecast of `date` at its cutoff (what covers and dishes are scored on); `None` with
    /// too little history.
    pub fn forecast(&mut self, date: NaiveDate) -> Option<&Forecast> {
        let (window, params) = (self.window, self.params);
        self.forecasts
            .entry(date)
            .or_insert_with(|| forecast::forecast(date, window, AsOf::Cutoff, &params).ok())
            .as_ref()
    }

    /// The baseline of `date` (an open day with history enough), with the stock counted last
    /// before its cutoff (`counts`: every count, oldest first).
    pub fn day(&mut self, date: NaiveDate, counts: &[on_hand_count::Model]) -> Option<Replayed> {
        let hours = self.location.hours_on(date).ok()?;
        let longest = self.catalog.items.iter().map(|p| prep_quantities::window_days(p.shelf_life_hours)).max();
        let mut forecasts = vec![self.forecast(date)?.clone()];
        let (known, at) = (self.window.before(date), cutoff(date, self.location.timezone));
        for offset in 1..longest.unwrap_or(1) {
            let day = date + Duration::days(offset);
            if self.location.hours_on(day).is_ok()
                && let Ok(f) = forecast::forecast(day, &known, AsOf::Before(at), &self.params)
            {
                forecasts.push(f);
            }
        }
        let on_hand = stock_at(counts, cutoff(date, self.location.timezone));
        let prep = prep_quantities::build(prep_quantities::Catalog {
            location: self.location,
            date,
            opens: hours.opens,
            stations: &self.catalog.stations,
            items: &self.catalog.items,
            recipes: &self.catalog.recipes,
            on_hand: &on_hand,
            forecasts: &forecasts,
        });
        let forecast = forecasts.swap_remove(0);
        let staffing = headcounts::build(&hours, &self.catalog.roles, &forecast);
        Some(Replayed { forecast, prep, staffing })
    }
}

/// The latest count of each item made before `at` and within the 30 days before it, as a live
/// plan reads them.
fn stock_at(counts: &[on_hand_count::Model], at: DateTime<Utc>) -> HashMap<i64, on_hand_count::Model> {
    let since = at - Duration::days(30);
    counts.iter().filter(|c| c.counted_at >= since && c.counted_at < at).map(|c| (c.prep_item_id, c.clone())).collect()
}
