//! Prep list arithmetic: recipes turn forecast portions into prep quantities over each
//! item's shelf life; on-hand, par and batch rules turn those into what to make, by station.
use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate, NaiveTime, TimeZone};
use entity::{on_hand_count, prep_item, recipe_line, station};

use super::types::{PrepLine, StationPrep, round1};
use crate::{
    catalog::Location,
    domain::{LineOrigin, Unit},
    forecast::Forecast,
};

/// The longest shelf life a prep list plans ahead for, in days.
pub const MAX_WINDOW_DAYS: i64 = 7;

/// Days of demand one prep covers: its shelf life in days, at least one, at most a week.
pub fn window_days(shelf_life_hours: i32) -> i64 {
    (i64::from(shelf_life_hours.max(1)) + 23).div_euclid(24).clamp(1, MAX_WINDOW_DAYS)
}

pub struct Catalog<'a> {
    pub location: &'a Location,
    pub date: NaiveDate,
    pub opens: NaiveTime,
    pub stations: &'a [station::Model],
    pub items: &'a [prep_item::Model],
    pub recipes: &'a [recipe_line::Model],
    pub on_hand: &'a HashMap<i64, on_hand_count::Model>,
    /// Forecasts of the service day first, then of the following open days.
    pub forecasts: &'a [Forecast],
}

/// What to make from `need` given stock and batch rules: `(quantity, batches, note)`.
pub fn batch(need: f64, on_hand: f64, item: &prep_item::Model) -> (f64, u32, String) {
    let short = (need - on_hand).max(0.0);
    if short <= 1e-9 {
        return (0.0, 0, "enough on hand".to_owned());
    }
    let size = if item.batch_size > 0.0 { item.batch_size } else { short };
    let mut batches = (short / size - 1e-9).ceil().max(1.0);
    let mut note = String::new();
    if batches * size < item.min_batch {
        batches = (item.min_batch / size - 1e-9).ceil();
        note = format!(", raised to the minimum batch of {}", item.min_batch);
    }
    if let Some(max) = item.max_batch
        && batches * size > max
    {
        batches = (max / size).floor().max(1.0);
        note = format!(", capped at the maximum batch of {max}");
    }
    (batches * size, batches as u32, note)
}

pub fn build(catalog: Catalog<'_>) -> Vec<StationPrep> {
    let Catalog { location, date, opens, stations, items, recipes, on_hand, forecasts } = catalog;
    let mut uses: HashMap<i64, Vec<&recipe_line::Model>> = HashMap::new();
    for line in recipes {
        uses.entry(line.prep_item_id).or_default().push(line);
    }
    let opening = location.timezone.from_local_datetime(&date.and_time(opens)).earliest();

    let mut by_station: BTreeMap<i64, Vec<PrepLine>> = BTreeMap::new();
    for item in items {
        let last_day = date + Duration::days(window_days(item.shelf_life_hours));
        let window: Vec<&Forecast> = forecasts.iter().filter(|f| f.date < last_day).collect();
        let used: f64 = window
            .iter()
            .map(|f| {
                uses.get(&item.id)
                    .into_iter()
                    .flatten()
                    .map(|l| f.items.get(&l.menu_item_id).copied().unwrap_or(0.0) * l.quantity)
                    .sum::<f64>()
            })
            .sum();
        let need = used.max(item.par);
        let stock = on_hand.get(&item.id);
        let on_hand_qty = stock.map_or(0.0, |c| c.quantity);
        let (suggested, batches, note) = batch(need, on_hand_qty, item);
        let unit = Unit::parse(&item.unit).unwrap_or(Unit::Each);

        let days: Vec<String> =
            window.iter().map(|f| format!("{} {:.0} covers", f.date.format("%a"), f.expected_covers)).collect();
        let counted = stock.map_or("never counted".to_owned(), |c| {
            format!("counted {}", c.counted_at.with_timezone(&location.timezone).format("%Y-%m-%d %H:%M"))
        });
        let par_note = if item.par > used { format!(" (par {} {unit} is higher)", item.par) } else { String::new() };
        let rationale = format!(
            "{used:.1} {unit} used over {} day(s) of shelf life ({}){par_note}; {on_hand_qty} {unit} on hand ({counted}); {}",
            window.len().max(1),
            if days.is_empty() { "no forecast".to_owned() } else { days.join(", ") },
            if batches == 0 {
                "nothing to prepare".to_owned()
            } else {
                format!("{batches} batch(es) of {} {unit} = {suggested} {unit}{note}", item.batch_size)
            }
        );
        let start_by = opening
            .map(|o| (o - Duration::minutes(i64::from(item.prep_minutes))).fixed_offset())
            .unwrap_or_else(|| date.and_time(opens).and_utc().fixed_offset());
        by_station.entry(item.station_id).or_default().push(PrepLine {
            prep_item_id: item.id,
            name: item.name.clone(),
            unit,
            need: round1(need),
            on_hand: on_hand_qty,
            // Batch multiples stay exact: only float noise is trimmed.
            suggested: (suggested * 1000.0).round() / 1000.0,
            baseline_suggested: (suggested * 1000.0).round() / 1000.0,
            batches,
            start_by,
            rationale,
            origin: LineOrigin::Baseline,
            model_reason: None,
            manager_override: None,
        });
    }

    stations
        .iter()
        .filter_map(|s| {
            let mut items = by_station.remove(&s.id)?;
            items.sort_by(|a, b| a.start_by.cmp(&b.start_by).then_with(|| a.name.cmp(&b.name)));
            Some(StationPrep { station_id: s.id, station: s.name.clone(), items })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(batch_size: f64, min_batch: f64, max_batch: Option<f64>) -> prep_item::Model {
        prep_item::Model {
            id: 1,
            location_id: 1,
            station_id: 1,
            name: "Tomato sauce".into(),
            unit: "l".into(),
            batch_size,
            min_batch,
            max_batch,
            shelf_life_hours: 48,
            prep_minutes: 60,
            par: 0.0,
        }
    }

    #[test]
    fn rounds_up_to_whole_batches() {
        let (quantity, batches, _) = batch(11.0, 2.0, &item(4.0, 0.0, None));
        assert_eq!((quantity, batches), (12.0, 3));
    }

    #[test]
    fn nothing_to_make_when_stock_covers_the_need() {
        assert_eq!(batch(5.0, 6.0, &item(4.0, 0.0, None)).1, 0);
    }

    #[test]
    fn respects_min_and_max_batch() {
        assert_eq!(batch(1.0, 0.0, &item(1.0, 3.0, None)).0, 3.0);
        let (quantity, _, note) = batch(50.0, 0.0, &item(4.0, 0.0, Some(10.0)));
        assert_eq!(quantity, 8.0);
        assert!(note.contains("capped"));
    }

    #[test]
    fn shelf_life_sets_the_window() {
        assert_eq!(window_days(12), 1);
        assert_eq!(window_days(48), 2);
        assert_eq!(window_days(49), 3);
        assert_eq!(window_days(24 * 30), 7);
    }
}
